import Foundation
import GPUPoolTestSupport
import Testing

/// `gpupool validate` with several heuristics, external programs, seeds, references.
@Suite("gpupool validate: any heuristic, any problem")
struct ValidateCommandTests {
    private func lines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    @Test func generatedInstancesBuiltinAndLyingExternalHeuristic() throws {
        // A lying program: claims a great objective and returns everything on bin 0.
        let liar = try CLIRunner.temporaryFile("liar.py", contents: """
            import json, sys
            p = json.load(open(sys.argv[1]))
            print(json.dumps({"incumbent": -1, "seconds": 0}))
            print(json.dumps({"assignment": [0] * p["itemCount"]}))
            """)
        let crash = try CLIRunner.temporaryFile("crash.py", contents: "import sys\nsys.stderr.write('kaput\\n')\nsys.exit(7)\n")
        let out = try CLIRunner.run(["validate", "--generate", "c:12x3:2", "--heuristic", "regret", "--heuristic", "cmd:python3 \(liar)",
                                     "--heuristic", "cmd:python3 \(crash)", "--seeds", "2", "--time-limit", "0.5", "--json"])
        #expect(out.status == 0, "\(out.stderr)")
        let records = try lines(out.stdout)
        let trials = records.filter { $0["record"] as? String == "trial" }
        #expect(trials.count == 2 * 3 * 2)
        #expect(trials.filter { ($0["heuristic"] as? String) == "regret" }.allSatisfy { $0["status"] as? String == "feasible" })
        let lies = trials.filter { ($0["heuristic"] as? String)?.contains("liar") == true }
        #expect(lies.allSatisfy { $0["status"] as? String == "infeasible" && $0["objective"] is NSNull && $0["claimed"] as? Double == -1 })
        let crashes = trials.filter { ($0["heuristic"] as? String)?.contains("crash") == true }
        #expect(crashes.allSatisfy { $0["status"] as? String == "crashed" && ($0["stderr_tail"] as? String) == "kaput" })
        #expect(out.stderr.contains("warning:") && out.stderr.contains("kaput"))
        #expect(records.filter { $0["record"] as? String == "summary" }.count == 3)
        #expect(records.filter { $0["record"] as? String == "comparison" }.count == 3)
    }

    @Test(.enabled(if: CLIRunner.hasSharedData && BuildTraits.glpk, "needs ../shared/data and GLPK"))
    func mipFileWithCachedReferenceAndSoluFlag() throws {
        let dir = try TemporaryDirectory(label: "validate-cli")
        let refs = dir.path("refs.sqlite")
        let args = ["validate", "../shared/data/mps/p01.mps", "--heuristic", "repair", "--time-limit", "1", "--references", refs, "--json"]
        let first = try CLIRunner.run(args)
        #expect(first.status == 0, "\(first.stderr)")
        let t1 = try #require(try lines(first.stdout).first)
        let r1 = try #require(t1["reference"] as? [String: Any])
        #expect(r1["kind"] as? String == "optimum" && r1["objective"] as? Double == 263 && r1["source"] as? String == "glpk")
        let second = try CLIRunner.run(args)
        let r2 = try #require(try lines(second.stdout).first?["reference"] as? [String: Any])
        #expect(r2["source"] as? String == "cache" && r2["objective"] as? Double == 263)

        // A .solu "optimum" that a verified point beats is flagged.
        let solu = dir.path("wrong.solu")
        try Data("=opt= p01 300\n".utf8).write(to: URL(fileURLWithPath: solu))
        let flagged = try CLIRunner.run(["validate", "../shared/data/mps/p01.mps", "--heuristic", "repair", "--time-limit", "1", "--known", solu, "--json"])
        let t = try #require(try lines(flagged.stdout).first)
        #expect(t["reference_beaten"] as? Bool == true && (t["gap"] as? Double ?? 0) < 0)
        #expect(flagged.stderr.contains("beats the claimed optimum"))
    }

    @Test func mismatchedKnownOptimumIsAnErrorAndTheOtherProblemsRun() throws {
        let gap = try CLIRunner.temporaryFile("two.txt", contents: "2\n2 2\n1 2\n2 1\n1 1\n1 1\n2 2\n2 2\n1 2\n2 1\n1 1\n1 1\n2 2\n")
        let optima = try CLIRunner.temporaryFile("optima.json", contents: #"{"two-1": {"optimum": 4, "proven": true, "m": 3}}"#)
        let out = try CLIRunner.run(["validate", gap, "--sense", "max", "--known", optima, "--heuristic", "regret", "--seeds", "2", "--json"])
        #expect(out.status == 2)
        #expect(out.stderr.contains("problem 1: known optimum two-1 does not match"))
        let trials = try lines(out.stdout).filter { $0["record"] as? String == "trial" }
        #expect(trials.count == 2 && trials.allSatisfy { $0["instance"] as? String == "two-2" })
    }

    @Test func badHeuristicAndGenerateSpecsAreOneErrorLine() throws {
        let out = try CLIRunner.run(["validate", "--generate", "z:10x2"])
        #expect(out.status != 0 && out.stderr.contains("--generate z:10x2"))
    }
}
