import Foundation
import GPUPoolTestSupport
import Synchronization
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

    /// The lines of a `--json` run without what depends on the clock (times, incumbent times).
    private func untimed(_ text: String) throws -> [NSDictionary] {
        try lines(text).map { record in
            let copy = NSMutableDictionary(dictionary: record)
            for key in ["seconds", "time_to_feasible", "time_to_1pct", "time_to_optimum", "primal_integral", "incumbents",
                        "mean_seconds", "mean_primal_integral"] { copy.removeObject(forKey: key) }
            return copy
        }
    }

    @Test("three shards run as three processes, merged, give the single run's report; --jobs 2 too")
    func shardsMergeToTheSingleRun() throws {
        let dir = try TemporaryDirectory(label: "validate-shards")
        // Small instances that every heuristic settles well within its limit, so that the
        // objectives do not depend on how fast each process happened to run.
        let common = ["validate", "--generate", "c:12x3:4", "--generate", "d:10x2:3", "--heuristic", "regret", "--heuristic", "bestFit",
                      "--seeds", "2", "--time-limit", "0.3"]
        let single = try CLIRunner.run(common + ["--json"])
        #expect(single.status == 0, "\(single.stderr)")
        let outputs = Mutex<[Int: CLIRunner.Output]>([:])
        let paths = (0..<3).map { dir.path("shard-\($0).jsonl") }
        DispatchQueue.concurrentPerform(iterations: 3) { i in
            let out = try? CLIRunner.run(common + ["--shard", "\(i)/3", "--results", paths[i], "--json"])
            outputs.withLock { $0[i] = out }
        }
        for i in 0..<3 { #expect(outputs.withLock { $0[i]?.status } == 0, "shard \(i): \(outputs.withLock { $0[i]?.stderr } ?? "did not run")") }
        // Each shard ran its own problems only: 7 problems, 2 heuristics, 2 seeds.
        let shardTrials = (0..<3).map { i in (try? lines(outputs.withLock { $0[i]?.stdout } ?? ""))?.filter { $0["record"] as? String == "trial" }.count ?? -1 }
        #expect(shardTrials == [3 * 4, 2 * 4, 2 * 4], "\(shardTrials)")
        let merged = try CLIRunner.run(["validate", "merge"] + (0..<3).reversed().map { dir.path("shard-\($0).jsonl") }
                                       + ["--json", "--csv", dir.path("merged.csv"), "--report", dir.path("merged.html")])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(try untimed(merged.stdout) == untimed(single.stdout))
        #expect(try untimed(single.stdout).count == 7 * 4 + 2 * 2 + 1)   // trials, a summary per family and heuristic, one comparison
        let csv = try String(contentsOfFile: dir.path("merged.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 1 + 7 * 4)
        #expect(FileManager.default.fileExists(atPath: dir.path("merged.html")))
        let parallel = try CLIRunner.run(common + ["--json", "--jobs", "2"])
        #expect(parallel.status == 0, "\(parallel.stderr)")
        #expect(try untimed(parallel.stdout) == untimed(single.stdout))
    }

    @Test("merge refuses missing, repeated and foreign shards and files that are not results, naming them")
    func mergeRefusesBadInput() throws {
        let dir = try TemporaryDirectory(label: "validate-merge-bad")
        let base = ["validate", "--generate", "c:8x2:3", "--heuristic", "regret", "--time-limit", "0.2"]
        for i in 0..<2 { _ = try CLIRunner.run(base + ["--shard", "\(i)/2", "--results", dir.path("a\(i).jsonl")]) }
        _ = try CLIRunner.run(base + ["--seeds", "2", "--shard", "1/2", "--results", dir.path("b1.jsonl")])
        try "{\"trial\": 3}\n".write(toFile: dir.path("junk.jsonl"), atomically: true, encoding: .utf8)
        let missing = try CLIRunner.run(["validate", "merge", dir.path("a0.jsonl")])
        #expect(missing.status != 0 && missing.stderr.contains("missing shard(s) 1/2"), "\(missing.stderr)")
        let repeated = try CLIRunner.run(["validate", "merge", dir.path("a0.jsonl"), dir.path("a0.jsonl"), dir.path("a1.jsonl")])
        #expect(repeated.status != 0 && repeated.stderr.contains("shard 0/2 is also in"), "\(repeated.stderr)")
        let foreign = try CLIRunner.run(["validate", "merge", dir.path("a0.jsonl"), dir.path("b1.jsonl")])
        #expect(foreign.status != 0 && foreign.stderr.contains("another run's shard: seeds"), "\(foreign.stderr)")
        let junk = try CLIRunner.run(["validate", "merge", dir.path("junk.jsonl")])
        #expect(junk.status != 0 && junk.stderr.contains("junk.jsonl:1"), "\(junk.stderr)")
        let badShard = try CLIRunner.run(base + ["--shard", "2/2"])
        #expect(badShard.status != 0 && badShard.stderr.contains("--shard 2/2"), "\(badShard.stderr)")
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
