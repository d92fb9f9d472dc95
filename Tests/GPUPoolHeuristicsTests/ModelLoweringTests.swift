import GPUPoolModel
import Testing
@testable import GPUPoolHeuristics

@Suite("Lowering to the shared model")
struct ModelLoweringTests {
    @Test func layoutAndObjectiveMatchTheProblem() throws {
        let p = try tinyProblem(seed: 5, items: 6, bins: 3, dimensions: 2, sense: .maximize)
        let mapped = p.makeAssignmentModel()
        let program = try mapped.model.lowered()
        let eligiblePairs = (0..<6).reduce(0) { sum, i in sum + (0..<3).filter { p.isEligible(item: i, bin: $0) }.count }
        let optional = (0..<6).filter { !p.isMandatory(item: $0) }.count
        #expect(program.columnCount == eligiblePairs + optional)
        #expect(program.rowCount == 6 + 3 * 2)
        #expect(program.sense == .maximize)
        #expect(program.isInteger.allSatisfy { $0 })
        #expect(program.columnUpper.allSatisfy { $0 == 1 } && program.columnLower.allSatisfy { $0 == 0 })
        #expect(mapped.variable(item: 0, bin: 7) == nil && mapped.variable(item: -1, bin: 0) == nil)

        // Every heuristic answer maps to a point the model accepts, with the same objective.
        let result = AssignmentHeuristic(method: .tabu, timeLimit: nil, iterationLimit: 300).solve(p)
        let values = mapped.values(of: result.assignment)
        let check = SolutionChecker.check(program, values: values)
        #expect(check.isFeasible == result.feasible)
        #expect(abs(check.objective - result.objective) < 1e-9)
        #expect(mapped.assignment(from: values) == result.assignment)

        let solution = mapped.solution(from: result)
        #expect(solution.hasSolution == result.feasible)
        #expect(solution.objective == result.objective && solution.bestBound == result.bound)
        #expect(solution.solver == "heuristic:tabu")
    }

    @Test func infeasibleResultBecomesNoSolutionWithTheReason() throws {
        let p = try AssignmentProblem(sense: .minimize, costs: [[1, 1]], demands: [[3, 3]], capacities: [5])
        let result = AssignmentHeuristic(method: .regret).solve(p)
        let solution = p.makeAssignmentModel().solution(from: result)
        #expect(!result.feasible && solution.primalStatus == .noSolution)
        #expect(solution.message?.contains("no room left") == true)
    }

    @Test func capacityViolationShowsUpAsARowViolation() throws {
        let p = try AssignmentProblem(sense: .minimize, costs: [[1, 1]], demands: [[3, 3]], capacities: [5])
        let mapped = p.makeAssignmentModel()
        let program = try mapped.model.lowered()
        let check = SolutionChecker.check(program, values: mapped.values(of: Assignment(bins: [0, 0])))
        #expect(!check.isFeasible)
        #expect(check.violations.first?.name == "capacity[0,0]")
        let missing = SolutionChecker.check(program, values: mapped.values(of: Assignment(bins: [0, nil])))
        #expect(missing.violations.first?.name == "assign[1]")
    }

    @Test func optionalItemsGetAnOutColumnWithTheirPenalty() throws {
        let p = try AssignmentProblem(
            sense: .minimize, costs: [[4, 6]], demands: [[[1, 1]]], capacities: [[1]], unassignedPenalties: [nil, 9])
        let mapped = p.makeAssignmentModel()
        let out = try #require(mapped.unassignedVariable(item: 1))
        #expect(mapped.unassignedVariable(item: 0) == nil)
        let program = try mapped.model.lowered()
        #expect(program.objective[out.index] == 9)
        let values = mapped.values(of: Assignment(bins: [0, nil]))
        #expect(values[out.index] == 1)
        #expect(SolutionChecker.check(program, values: values).objective == 13)
    }
}
