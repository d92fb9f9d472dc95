import GPUPoolModel
import Testing
@testable import GPUPoolHeuristics

@Suite("Greedy repair fallback for 0-1 models")
struct GreedyRepairSolverTests {
    @Test func findsAVerifiedPointOfAnAssignmentModel() throws {
        let p = try AssignmentProblem.random(items: 30, bins: 4, type: .c, seed: 8, ensureFeasible: true)
        let program = try p.makeModel().lowered()
        let solution = try GreedyRepairSolver().solve(program, options: SolveOptions(iterationLimit: 20_000, seed: 3))
        #expect(solution.primalStatus == .feasiblePoint && solution.termination == .locallySolved)
        #expect(SolutionChecker.check(program, values: solution.values).isFeasible)
        #expect(solution.objective == program.objectiveValue(solution.values))
        #expect(solution.solver == "heuristic:greedy-repair")
    }

    @Test func maximisesAKnapsackWithGeneralIntegers() throws {
        var model = Model()
        let x = model.addVariable(lower: 0, upper: 3, kind: .integer, name: "x")
        let y = model.addVariable(lower: 0, upper: 5, kind: .integer, name: "y")
        let z = model.addVariable(kind: .binary, name: "z")
        model.addConstraint(2 * x + 3 * y + 4 * z <= 12, name: "cap")
        model.addConstraint(x + z >= 1, name: "need")
        model.maximize(3 * x + 4 * y + 5 * z)
        let program = try model.lowered()
        let solution = try GreedyRepairSolver().solve(program, options: SolveOptions(iterationLimit: 5_000))
        #expect(solution.hasSolution)
        #expect(SolutionChecker.check(program, values: solution.values).isFeasible)
        // Optimum is 17 (x = 3, y = 2); a heuristic must at least be feasible and not exceed it.
        let objective = try #require(solution.objective)
        #expect(objective <= 17 + 1e-9 && objective >= 9)
    }

    @Test func saysHonestlyWhenItFindsNoFeasiblePoint() throws {
        var model = Model()
        let a = model.addVariable(kind: .binary, name: "a")
        let b = model.addVariable(kind: .binary, name: "b")
        model.addConstraint(a + b >= 3, name: "impossible")
        model.minimize(a + b)
        let program = try model.lowered()
        let solution = try GreedyRepairSolver().solve(program, options: SolveOptions(iterationLimit: 2_000))
        #expect(solution.primalStatus == .noSolution && solution.values.isEmpty && solution.objective == nil)
        #expect(solution.termination == .iterationLimit)
        #expect(solution.message?.contains("no feasible point") == true)
        #expect(solution.message?.contains("impossible") == true)
    }

    @Test func usesAndVerifiesAWarmStart() throws {
        let p = try AssignmentProblem.random(items: 12, bins: 3, type: .a, seed: 2, ensureFeasible: true)
        let mapped = p.makeAssignmentModel()
        let program = try mapped.model.lowered()
        let plan = AssignmentHeuristic(method: .tabu, timeLimit: nil, iterationLimit: 200).solve(p)
        let solution = try GreedyRepairSolver().solve(
            program, options: SolveOptions(iterationLimit: 50, warmStart: mapped.values(of: plan.assignment)))
        let objective = try #require(solution.objective)
        #expect(objective <= plan.objective + 1e-9, "starting at a feasible point it can only keep or improve it")
    }

    @Test func rejectsInvalidInput() throws {
        var model = Model()
        _ = model.addVariable(kind: .binary)
        let program = try model.lowered()
        #expect(throws: SolverError.self) {
            try GreedyRepairSolver().solve(program, options: SolveOptions(warmStart: [0, 1]))
        }
        var broken = program
        broken.columnLower = [2]
        #expect(throws: SolverError.self) { try GreedyRepairSolver().solve(broken, options: SolveOptions()) }
    }
}
