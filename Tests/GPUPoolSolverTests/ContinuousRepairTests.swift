import Foundation
import GPUPoolFormats
import GPUPoolModel
import GPUPoolTestSupport
import Testing

@testable import GPUPoolSolver

/// The heuristic method on models with continuous columns, against HiGHS's optima in the shared
/// MPS set's optima.json (an independent solver) and an independent feasibility check.
@Suite("Heuristic method: LP repair of continuous columns", .enabled(if: Solver.hasExactSolver, "needs GLPK for the LP repair"))
struct ContinuousRepairTests {
    static let folder = "mps"
    static var hasData: Bool { TestPaths.hasShared("mps/optima.json") }

    static func reference(_ name: String) throws -> Double? {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestPaths.shared("mps/optima.json")))
        let all = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
        return all[name]?["reference"] as? Double
    }

    static func program(_ name: String) throws -> LinearProgram {
        try ModelFile.read(path: TestPaths.shared("mps/\(name).mps")).model.lowered()
    }

    // LPs on which the greedy-repair search alone found no point, or a poor one (afiro: −9.75e−6).
    @Test("LPs: the heuristic method returns the LP optimum, labelled locally solved", .enabled(if: hasData, "needs ../shared/data/mps"),
          arguments: ["afiro", "e226", "etamacro", "sctest", "stair", "standmps"])
    func linearPrograms(name: String) throws {
        let program = try Self.program(name)
        let reference = try #require(try Self.reference(name))
        let solution = try Solver.solve(program, options: SolveOptions(method: .heuristic, iterationLimit: 5_000))
        #expect(solution.hasSolution, "\(name): \(solution.termination) \(solution.message ?? "")")
        #expect(violations(program, solution.values) == 0, "\(name)")
        #expect(solution.termination == .locallySolved)
        #expect(solution.bestBound == nil)
        let objective = try #require(solution.objective)
        #expect(abs(objective - reference) <= 1e-6 * max(1, abs(reference)), "\(name): \(objective) vs HiGHS \(reference)")
    }

    // Mixed-integer models: a verified point, never better than the optimum.
    @Test("mixed models: a verified point no better than HiGHS's optimum", .enabled(if: hasData, "needs ../shared/data/mps"),
          arguments: ["dcmulti", "egout", "rgn", "gesa2"])
    func mixedPrograms(name: String) throws {
        let program = try Self.program(name)
        #expect(program.hasIntegerColumns && program.isInteger.contains(false))
        let reference = try #require(try Self.reference(name))
        let solution = try Solver.solve(program, options: SolveOptions(method: .heuristic, iterationLimit: 5_000))
        #expect(solution.hasSolution, "\(name): \(solution.termination) \(solution.message ?? "")")
        #expect(violations(program, solution.values) == 0, "\(name)")
        let objective = try #require(solution.objective)
        let better = program.sense == .minimize ? objective < reference - 1e-6 * max(1, abs(reference))
                                                : objective > reference + 1e-6 * max(1, abs(reference))
        #expect(!better, "\(name): \(objective) beats the optimum \(reference)")
        #expect(solution.termination != .optimal)
    }

    @Test("no exact backend, no repair: the search alone, as before")
    func withoutAnExactBackend() throws {
        var model = Model(name: "lp")
        let x = model.addVariable(lower: 0, upper: 10, name: "x")
        let y = model.addVariable(lower: 0, upper: 10, name: "y")
        model.addConstraint(x + 2 * y <= 14, name: "a")
        model.addConstraint(3 * x - y >= 0, name: "b")
        model.maximize(3 * x + 4 * y)
        let program = try model.lowered()
        let repaired = try Solver.solve(program, options: SolveOptions(method: .heuristic, iterationLimit: 5_000))
        #expect(repaired.solver.contains("LP repair") || repaired.objective == 38, "\(repaired.solver) \(repaired.message ?? "") \(repaired.seconds) \(repaired.values)")
        #expect(abs((repaired.objective ?? 0) - 38) < 1e-6, "\(String(describing: repaired.objective))")   // x = 10, y = 2
        let searched = try Solver.solve(program, options: SolveOptions(method: .heuristic, timeLimit: 1), backends: SolverBackends(exact: nil))
        #expect(!searched.solver.contains("LP repair"))
        #expect(violations(program, searched.values) == 0)
    }
}
