import Testing
import GPUPoolModel

@Suite("Solution and options")
struct SolutionTests {
    @Test func gapAndValueAccess() {
        var m = Model()
        let x = m.addVariable()
        let s = Solution(termination: .timeLimit, primalStatus: .feasiblePoint, objective: 100, bestBound: 90, values: [2], solver: "test")
        #expect(s.relativeGap == 0.1)
        #expect(s[x] == 2 && s.value(of: 3 * x + 1) == 7)
        #expect(Solution(termination: .infeasible, primalStatus: .noSolution, solver: "t").relativeGap == nil)
    }

    @Test func noPointMeansNoValueNotATrap() {
        var m = Model()
        let x = m.addVariable()
        let y = m.addVariable()
        let infeasible = Solution(termination: .infeasible, primalStatus: .noSolution, solver: "t")
        #expect(infeasible[x] == nil && infeasible.value(of: 2 * x + y) == nil)
        // A variable of a larger model than the one solved.
        let small = Solution(termination: .optimal, primalStatus: .feasiblePoint, objective: 1, values: [1], solver: "t")
        #expect(small[x] == 1 && small[y] == nil && small.value(of: x + y) == nil)
    }

    @Test func statusNamesMatchTheCLIContract() {
        #expect(TerminationStatus.infeasibleOrUnbounded.rawValue == "infeasible_or_unbounded")
        #expect(TerminationStatus.timeLimit.rawValue == "time_limit")
        #expect(TerminationStatus.iterationLimit.rawValue == "iteration_limit")
        #expect(TerminationStatus.numericalError.rawValue == "numerical_error")
    }

    @Test func optionsValidation() {
        #expect(throws: SolverError.self) { try SolveOptions(timeLimit: -1).validate(columnCount: 0) }
        #expect(throws: SolverError.self) { try SolveOptions(timeLimit: .nan).validate(columnCount: 0) }
        #expect(throws: SolverError.self) { try SolveOptions(relativeGap: .infinity).validate(columnCount: 0) }
        #expect(throws: SolverError.self) { try SolveOptions(warmStart: [1]).validate(columnCount: 2) }
        #expect(throws: SolverError.self) { try SolveOptions(warmStart: [1, .nan]).validate(columnCount: 2) }
        #expect(throws: Never.self) { try SolveOptions(timeLimit: 5, relativeGap: 0.01, warmStart: [0, 1]).validate(columnCount: 2) }
    }
}
