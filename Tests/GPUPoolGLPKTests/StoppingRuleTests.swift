import GPUPoolModel
import GPUPoolSupport
import Testing

@testable import GPUPoolGLPK

#if GLPK
/// The absolute gap, the node limit and the solution limit, checked against independent answers:
/// knapsack optima by dynamic programming (`TestModels.knapsackOptimum`) and every reported point
/// re-checked row by row (`feasibilityProblems`, written apart from `SolutionChecker`).
@Suite("Branch-and-cut stopping rules: absolute gap, node limit, solution limit")
struct StoppingRuleTests {
    /// Cuts and presolve off, so that GLPK needs a tree and the rules have something to stop.
    static func options(_ change: (inout SolveOptions) -> Void) -> SolveOptions {
        var options = SolveOptions(method: .mip, timeLimit: 30, presolve: false, cuts: false)
        change(&options)
        return options
    }

    @Test("absolute gap: optimal within the gap, the bound a true bound, the point within the gap of the true optimum")
    func absoluteGap() throws {
        var stoppedByGap = 0
        for seed in UInt64(1)...12 {
            let (values, weights, capacity) = TestModels.randomKnapsack(seed: seed, items: 40)
            let program = try TestModels.knapsack(values: values, weights: weights, capacity: capacity)
            let optimum = Double(TestModels.knapsackOptimum(values: values, weights: weights, capacity: capacity))
            let gap = 6.0
            let solution = try GLPKSolver().solve(program, options: Self.options { $0.absoluteGap = gap })
            #expect(solution.termination == .optimal, "seed \(seed): \(solution.termination) \(solution.message ?? "")")
            let objective = try #require(solution.objective, "seed \(seed): no point")
            #expect(feasibilityProblems(program, solution.values).isEmpty, "seed \(seed)")
            // Maximising: the point is at most `gap` below the true optimum, the bound at or above it.
            #expect(objective >= optimum - gap - 1e-6, "seed \(seed): \(objective) vs optimum \(optimum)")
            #expect(objective <= optimum + 1e-6, "seed \(seed): \(objective) beats the optimum \(optimum)")
            let bound = try #require(solution.bestBound, "seed \(seed): no bound")
            #expect(bound >= optimum - 1e-6, "seed \(seed): bound \(bound) below the optimum \(optimum)")
            #expect(bound - objective <= gap + 1e-6, "seed \(seed): bound \(bound), objective \(objective)")
            if solution.message?.contains("absolute MIP gap") == true { stoppedByGap += 1 }
        }
        // Otherwise every instance was solved before the gap could matter and the test proves little.
        #expect(stoppedByGap >= 3, "only \(stoppedByGap) of 12 solves stopped at the gap")
    }

    @Test("node limit: node_limit, at most one node past the limit, any point feasible, the bound a true bound")
    func nodeLimit() throws {
        for seed in UInt64(1)...6 {
            let (values, weights, capacity) = TestModels.randomKnapsack(seed: seed, items: 40)
            let program = try TestModels.knapsack(values: values, weights: weights, capacity: capacity)
            let optimum = Double(TestModels.knapsackOptimum(values: values, weights: weights, capacity: capacity))
            let solution = try GLPKSolver().solve(program, options: Self.options { $0.nodeLimit = 5 })
            if solution.termination == .optimal { continue }   // solved within 5 nodes
            #expect(solution.termination == .nodeLimit, "seed \(seed): \(solution.termination) \(solution.message ?? "")")
            #expect(solution.nodes <= 6, "seed \(seed): \(solution.nodes) nodes")
            if solution.hasSolution {
                #expect(feasibilityProblems(program, solution.values).isEmpty, "seed \(seed)")
                #expect((solution.objective ?? .infinity) <= optimum + 1e-6)
            }
            if let bound = solution.bestBound { #expect(bound >= optimum - 1e-6, "seed \(seed): bound \(bound) < \(optimum)") }
        }
        // Market split needs very many nodes: the limit must be what stops it.
        let split = try TestModels.marketSplit(seed: 2)
        let stopped = try GLPKSolver().solve(split, options: Self.options { $0.nodeLimit = 20 })
        #expect(stopped.termination == .nodeLimit, "\(stopped.termination) \(stopped.message ?? "")")
        #expect(stopped.nodes >= 20 && stopped.nodes <= 21, "\(stopped.nodes) nodes")
        if stopped.hasSolution { #expect(feasibilityProblems(split, stopped.values).isEmpty) }
    }

    @Test("solution limit 1: the first integer point, feasible, status solution_limit")
    func solutionLimit() throws {
        let split = try TestModels.marketSplit(seed: 3)
        let first = try GLPKSolver().solve(split, options: Self.options { $0.solutionLimit = 1 })
        #expect(first.termination == .solutionLimit, "\(first.termination) \(first.message ?? "")")
        #expect(first.hasSolution)
        #expect(feasibilityProblems(split, first.values).isEmpty)
        // A limit of 3 goes on past the first point and never ends worse than it.
        let third = try GLPKSolver().solve(split, options: Self.options { $0.solutionLimit = 3 })
        #expect([.solutionLimit, .optimal].contains(third.termination), "\(third.termination) \(third.message ?? "")")
        #expect(feasibilityProblems(split, third.values).isEmpty)
        #expect((third.objective ?? .infinity) <= (first.objective ?? -.infinity) + 1e-9, "minimising: \(String(describing: third.objective)) after \(String(describing: first.objective))")
        #expect(third.nodes >= first.nodes)
    }

    @Test("an accepted warm start counts as a solution")
    func warmStartCounts() throws {
        let (values, weights, capacity) = TestModels.randomKnapsack(seed: 5, items: 40)
        let program = try TestModels.knapsack(values: values, weights: weights, capacity: capacity)
        // Take nothing: feasible, and worse than anything GLPK will find.
        let empty = [Double](repeating: 0, count: program.columnCount)
        let solution = try GLPKSolver().solve(program, options: Self.options {
            $0.solutionLimit = 1
            $0.warmStart = empty
        })
        #expect(solution.termination == .solutionLimit, "\(solution.termination) \(solution.message ?? "")")
        #expect(solution.objective == 0, "\(String(describing: solution.objective))")
    }

    @Test("the rules are options of branch-and-cut only: an LP solves as without them")
    func lpIgnoresThem() throws {
        let lp = try TestModels.wyndor()
        let solution = try GLPKSolver().solve(lp, options: SolveOptions(absoluteGap: 100, nodeLimit: 1, solutionLimit: 1))
        #expect(solution.termination == .optimal && solution.objective == 36)
    }

    @Test("out-of-range values are refused before GLPK sees them", arguments: [
        SolveOptions(absoluteGap: -1), SolveOptions(absoluteGap: .nan), SolveOptions(absoluteGap: .infinity),
        SolveOptions(nodeLimit: 0), SolveOptions(nodeLimit: -5), SolveOptions(solutionLimit: 0),
    ])
    func refused(options: SolveOptions) throws {
        #expect(throws: SolverError.self) { try GLPKSolver().solve(try TestModels.wyndor(), options: options) }
    }
}
#endif
