import GPUPoolHeuristics
import GPUPoolModel
import Testing

@testable import GPUPoolSolver

/// `auto` runs its heuristic first, then GLPK from the heuristic's point while the heuristic goes on
/// beside it. On tight assignment models GLPK improves little in a short limit: auto must return at
/// least the point its own heuristic reaches, and never a point worse than the heuristic's first one.
@Suite("auto: the heuristic beside GLPK", .serialized)
struct AutoBesideGLPKTests {
    /// A generalised assignment model built through the model API: every item in exactly one bin,
    /// capacity per bin, minimise cost (OR-Library type D shape: tight capacities).
    static func assignmentModel(items: Int, bins: Int, seed: UInt64) throws -> LinearProgram {
        let problem = try AssignmentProblem.random(items: items, bins: bins, type: .d, seed: seed, sense: .minimize)
        var model = Model(name: "gap-\(bins)x\(items)")
        let x = (0..<items).map { i in (0..<bins).map { b in model.addVariable(kind: .binary, name: "x_\(i)_\(b)") } }
        for i in 0..<items {
            var row = LinearExpression()
            for b in 0..<bins where problem.isEligible(item: i, bin: b) { row.add(1, x[i][b]) }
            model.addConstraint(row == 1, name: "assign_\(i)")
        }
        for b in 0..<bins {
            var row = LinearExpression()
            for i in 0..<items where problem.isEligible(item: i, bin: b) { row.add(problem.demand(item: i, bin: b, dimension: 0), x[i][b]) }
            model.addConstraint(row <= problem.capacity(bin: b, dimension: 0), name: "capacity_\(b)")
        }
        var cost = LinearExpression()
        for i in 0..<items { for b in 0..<bins where problem.isEligible(item: i, bin: b) { cost.add(problem.cost(item: i, bin: b), x[i][b]) } }
        model.minimize(cost)
        return try model.lowered()
    }

    @Test(arguments: [UInt64(1), 2])
    func autoKeepsTheBestVerifiedPoint(seed: UInt64) throws {
        let program = try Self.assignmentModel(items: 200, bins: 20, seed: seed)
        // The heuristic's first 0.2 s, as auto runs it.
        let first = try Solver.solve(program, options: SolveOptions(method: .heuristic, timeLimit: 0.1, seed: seed))
        let auto = try Solver.solve(program, options: SolveOptions(method: .auto, timeLimit: 2, seed: seed))
        #expect(auto.hasSolution, "auto: \(auto.termination) \(auto.message ?? "")")
        let value = try #require(auto.objective)
        #expect(SolutionChecker.check(program, values: auto.values, tolerance: 1e-6).violations.isEmpty)
        if let bound = auto.bestBound { #expect(bound <= value + 1e-6, "bound \(bound) above the minimum found \(value)") }
        if let early = first.objective { #expect(value <= early + 1e-6, "auto \(value) worse than the heuristic's first \(early)") }
    }
}
