import Foundation
import GPUPoolSupport
import GPUPoolTestSupport
import Testing

@Suite("gpupool solve")
struct SolveCommandTests {
    private func json(_ text: String) throws -> [String: Any] {
        let lines = text.split(separator: "\n")
        #expect(lines.count == 1, "--json prints exactly one line")
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func solvesTheShippedExample() throws {
        let out = try CLIRunner.run(["solve", "Examples/factory.lp", "--json"])
        #expect(out.status == 0, "\(out.stderr)")
        let result = try json(out.stdout)
        #expect(result["has_solution"] as? Bool == true)
        let status = result["status"] as? String
        #expect(status == "optimal" || status == "locally_solved")
        if status == "optimal" { #expect(result["objective"] as? Double == 624) }
        let values = try #require(result["values"] as? [String: Double])
        #expect(Set(values.keys) == ["chairs", "tables", "shelves", "open_line2"])
        for key in ["status", "has_solution", "objective", "bound", "gap", "seconds", "solver", "values"] {
            #expect(result.keys.contains(key), "missing \(key)")
        }
    }

    /// A 40-item 0/1 knapsack as a JSON model: its LP relaxation is fractional, so the first
    /// integer point comes from search, not from the root LP.
    private func knapsackModel() -> String {
        var rng = SeededGenerator(seed: 11)
        let weights = (0..<40).map { _ in rng.nextInt(in: 5...60) }
        let values = weights.map { $0 + rng.nextInt(in: 0...25) }
        let variables = (0..<40).map { #"{"name": "take\#($0)", "kind": "binary"}"# }
        let objective = (0..<40).map { #"{"variable": "take\#($0)", "coefficient": \#(values[$0])}"# }
        let row = (0..<40).map { #"{"variable": "take\#($0)", "coefficient": \#(weights[$0])}"# }
        return """
            {"format": "gpupool-model", "version": 1, "name": "knapsack", "sense": "maximize",
             "objective": {"terms": [\(objective.joined(separator: ", "))]},
             "variables": [\(variables.joined(separator: ", "))],
             "constraints": [{"name": "capacity", "terms": [\(row.joined(separator: ", "))], "upper": \(weights.reduce(0, +) / 2)}]}
            """
    }

    @Test("--solution-limit 1 and --node-limit stop branch-and-cut with their own status", .enabled(if: BuildTraits.glpk, BuildTraits.needsGLPK))
    func stoppingRules() throws {
        let dir = try TemporaryDirectory(label: "solve-limits")
        let file = dir.path("knapsack.json")
        try knapsackModel().write(toFile: file, atomically: true, encoding: .utf8)
        let first = try CLIRunner.run(["solve", file, "--method", "mip", "--solution-limit", "1", "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        let result = try json(first.stdout)
        #expect(result["status"] as? String == "solution_limit", "\(result)")
        #expect(result["has_solution"] as? Bool == true)
        let text = try CLIRunner.run(["solve", file, "--method", "mip", "--solution-limit", "1"])
        #expect(text.stdout.contains("solution_limit"), "\(text.stdout)")
        let refused = try CLIRunner.run(["solve", file, "--node-limit", "0"])
        #expect(refused.status != 0 && refused.stderr.contains("node limit 0"), "\(refused.stderr)")
        let gap = try CLIRunner.run(["solve", file, "--absolute-gap", "-2"])
        #expect(gap.status != 0 && gap.stderr.contains("absolute MIP gap -2"), "\(gap.stderr)")
    }

    @Test(.enabled(if: CLIRunner.hasSharedData, "needs ../shared/data (absent)"), .enabled(if: BuildTraits.glpk, BuildTraits.needsGLPK))
    func afiroOptimum() throws {
        let out = try CLIRunner.run(["solve", "../shared/data/mps/afiro.mps", "--json"])
        #expect(out.status == 0, "\(out.stderr)")
        let result = try json(out.stdout)
        #expect((result["solver"] as? String)?.hasPrefix("GLPK") == true, "\(result)")
        #expect(result["status"] as? String == "optimal")
        let objective = try #require(result["objective"] as? Double)
        #expect(abs(objective - -464.75314285714285) <= 1e-6 * 464.75)
    }

    @Test("an LP's JSON carries its duals and reduced costs by name; a MIP's none", .enabled(if: BuildTraits.glpk, BuildTraits.needsGLPK))
    func dualsInJSON() throws {
        // max 3x + 5y s.t. x <= 4, 2y <= 12, 3x + 2y <= 18: optimum 36 at (2, 6), duals 0, 1.5, 1.
        let lp = try CLIRunner.temporaryFile("wyndor.lp", contents: "Maximize\n obj: 3 x + 5 y\nSubject To\n plant1: x <= 4\n plant2: 2 y <= 12\n plant3: 3 x + 2 y <= 18\nEnd\n")
        let out = try CLIRunner.run(["solve", lp, "--json", "--method", "simplex"])
        #expect(out.status == 0, "\(out.stderr)")
        let result = try json(out.stdout)
        #expect(result["duals"] as? [String: Double] == ["plant1": 0, "plant2": 1.5, "plant3": 1], "\(result)")
        #expect(result["reduced_costs"] as? [String: Double] == ["x": 0, "y": 0], "\(result)")
        let mip = try CLIRunner.temporaryFile("wyndor-int.lp", contents: "Maximize\n obj: 3 x + 5 y\nSubject To\n c: 3 x + 2 y <= 18\nGeneral\n x y\nEnd\n")
        let mipResult = try json(try CLIRunner.run(["solve", mip, "--json"]).stdout)
        #expect(mipResult["duals"] == nil && mipResult["reduced_costs"] == nil)
    }

    @Test("--progress prints improving incumbents on stderr, ending at the answer", .enabled(if: BuildTraits.glpk, BuildTraits.needsGLPK))
    func progressLines() throws {
        // A 0-1 knapsack (maximise): branch-and-cut reports incumbents and bounds.
        let weights = (0..<30).map { 10 + ($0 * 53) % 17 }, values = (0..<30).map { 20 + ($0 * 37) % 23 }
        let objective = (0..<30).map { " + \(values[$0]) x\($0)" }.joined()
        let row = (0..<30).map { " + \(weights[$0]) x\($0)" }.joined()
        let binaries = (0..<30).map { " x\($0)" }.joined()
        let path = try CLIRunner.temporaryFile("knap.lp", contents: "Maximize\n obj:\(objective)\nSubject To\n cap:\(row) <= 200\nBinary\n\(binaries)\nEnd\n")
        let out = try CLIRunner.run(["solve", path, "--json", "--progress", "--method", "mip"])
        #expect(out.status == 0, "\(out.stderr)")
        let answer = try #require(try json(out.stdout)["objective"] as? Double)
        let lines = out.stderr.split(separator: "\n").filter { $0.hasPrefix("progress ") }
        #expect(!lines.isEmpty, "\(out.stderr)")
        let incumbents = lines.compactMap { line -> Double? in
            let words = line.split(separator: " ")
            return words.firstIndex(of: "incumbent").flatMap { Double(words[$0 + 1]) }
        }
        #expect(zip(incumbents, incumbents.dropFirst()).allSatisfy { $1 >= $0 }, "\(lines)")
        #expect(incumbents.last == answer, "\(lines)")
        #expect(lines.last?.contains("gap 0.00 %") == true, "\(lines)")
    }

    @Test(.enabled(if: BuildTraits.glpk, BuildTraits.needsGLPK))
    func infeasibleModelExitsZero() throws {
        let path = try CLIRunner.temporaryFile("inf.lp", contents: "Minimize\n obj: x\nSubject To\n c1: x >= 3\n c2: x <= 1\nEnd\n")
        let out = try CLIRunner.run(["solve", path, "--json", "--method", "simplex"])
        #expect(out.status == 0, "\(out.stderr)")
        let result = try json(out.stdout)
        #expect(["infeasible", "infeasible_or_unbounded"].contains(result["status"] as? String ?? ""))
        #expect(result["has_solution"] as? Bool == false)
        #expect(result["objective"] is NSNull)
    }

    @Test(arguments: [
        (["solve", "no/such/file.mps"], "no/such/file.mps"),
        (["solve", "Examples/factory.lp", "--method", "magic"], "magic"),
        (["solve", "Examples/factory.lp", "--time-limit=-3"], "time limit"),
        (["solve", "Examples/factory.lp", "--time-limit", "abc"], "abc"),
        (["solve", "Examples/factory.lp", "--bogus"], "bogus"),
    ])
    func badInputIsOneErrorLineAndExitTwo(arguments: [String], mention: String) throws {
        let out = try CLIRunner.run(arguments)
        #expect(out.status == 2)
        let lines = out.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(out.stderr)")
        #expect(lines.first?.hasPrefix("error: ") == true)
        #expect(out.stderr.contains(mention))
        #expect(out.stdout.isEmpty)
    }

    @Test func parseErrorNamesFileAndLine() throws {
        let path = try CLIRunner.temporaryFile("bad.mps", contents: "NAME t\nROWS\n N obj\n L c1\nCOLUMNS\n x obj 1 c1 nan\nRHS\n rhs c1 1\nENDATA\n")
        let out = try CLIRunner.run(["solve", path])
        #expect(out.status == 2)
        #expect(out.stderr.hasPrefix("error: \(path):6:"), "\(out.stderr)")
    }

    @Test func outputFileMatchesStdout() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gpupool-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("solution.json").path
        let out = try CLIRunner.run(["solve", "Examples/factory.lp", "--json", "--output", path])
        #expect(out.status == 0)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.trimmingCharacters(in: .newlines) == out.stdout.trimmingCharacters(in: .newlines))
    }

    @Test func readableSummaryWithoutJSON() throws {
        let out = try CLIRunner.run(["solve", "Examples/factory.lp"])
        #expect(out.status == 0)
        #expect(out.stdout.contains("status"))
        #expect(out.stdout.contains("objective"))
    }
}
