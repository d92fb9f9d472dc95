import GPUPoolModel
import Testing

@testable import GPUPoolGLPK

#if GLPK
/// A branch-and-cut that stops at the MIP gap right after the warm start is injected still reports the
/// bound GLPK stopped on (read in the callback; the tree is gone after `glp_intopt`). It once came back
/// without one: the first bound read was the unsolved root's +DBL_MAX.
@Suite("Branch-and-cut bound when the warm start meets the gap")
struct BoundCaptureTests {
    @Test func boundSurvivesAStopAtTheGap() throws {
        // 30 items; the warm start takes the items in index order while they fit (feasible, close
        // enough to the LP bound for a 50 % gap to stop the search at once).
        let values = (0..<30).map { 20 + ($0 * 37) % 23 }
        let weights = (0..<30).map { 10 + ($0 * 53) % 17 }
        let capacity = 200
        let program = try TestModels.knapsack(values: values, weights: weights, capacity: capacity)
        var start = [Double](repeating: 0, count: 30)
        var used = 0
        for i in 0..<30 where used + weights[i] <= capacity {
            start[i] = 1
            used += weights[i]
        }
        let solution = try GLPKSolver().solve(program, options: SolveOptions(method: .mip, relativeGap: 0.5, warmStart: start))
        #expect(solution.termination == .optimal, "\(solution.termination) \(solution.message ?? "")")
        let objective = try #require(solution.objective)
        let bound = try #require(solution.bestBound, "no bound: \(solution.message ?? "")")
        #expect(bound.isFinite && abs(bound) < 1e300)
        // Maximising: the bound is at least the point's value and at most the LP relaxation's.
        let relaxation = try GLPKSolver().solve(program, options: SolveOptions(method: .simplex))
        #expect(bound >= objective - 1e-9)
        #expect(bound <= (relaxation.objective ?? .infinity) + 1e-6)
    }
}
#endif
