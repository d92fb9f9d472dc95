import Foundation
import GPUPoolModel
import Testing

@testable import GPUPoolGLPK

#if GLPK
@Suite("GLPK mixed-integer programs")
struct MIPTests {
    let solver = GLPKSolver()

    @Test("MIP optimal matches dynamic programming", arguments: [SolveMethod.auto, .mip])
    func knapsack(method: SolveMethod) throws {
        let data = TestModels.randomKnapsack(seed: 3)
        let program = try TestModels.knapsack(values: data.values, weights: data.weights, capacity: data.capacity)
        let optimum = TestModels.knapsackOptimum(values: data.values, weights: data.weights, capacity: data.capacity)
        for presolve in [true, false] {
            for cuts in [true, false] {
                let solution = try solver.solve(program, options: SolveOptions(method: method, presolve: presolve, cuts: cuts))
                #expect(solution.termination == .optimal)
                #expect(isClose(solution.objective, Double(optimum)))
                #expect(isClose(solution.bestBound, Double(optimum)))
                #expect(solution.duals == nil && solution.reducedCosts == nil)
                #expect(solution.values.allSatisfy { $0 == 0 || $0 == 1 })
                expectVerified(solution, program)
            }
        }
    }

    @Test("general integers, negative bounds, equality rows and an objective constant")
    func generalIntegers() throws {
        var model = Model()
        let x = model.addVariable(lower: -5, upper: 5, kind: .integer, name: "x")
        let y = model.addVariable(lower: -5, upper: 5, kind: .integer, name: "y")
        let z = model.addVariable(lower: 0, upper: 10, name: "z")
        model.addConstraint(2 * x + 3 * y == 1, name: "parity")
        model.addConstraint(x + z >= 2.5, name: "cover")
        model.minimize(x + 2 * y + 0.5 * z + 100)
        let program = try model.lowered()
        // Brute force over the integers; z = max(0, 2.5 - x).
        var best = Double.infinity
        for xv in -5...5 {
            for yv in -5...5 where 2 * xv + 3 * yv == 1 {
                let zv = max(0, 2.5 - Double(xv))
                if zv <= 10 { best = min(best, Double(xv) + 2 * Double(yv) + 0.5 * zv + 100) }
            }
        }
        let solution = try solver.solve(program, options: SolveOptions())
        #expect(solution.termination == .optimal)
        #expect(isClose(solution.objective, best))
        expectVerified(solution, program)
    }

    @Test("infeasible MIP with a feasible relaxation", arguments: [true, false])
    func infeasible(presolve: Bool) throws {
        var model = Model()
        let x = model.addVariable(lower: 0, upper: 5, kind: .integer)
        let y = model.addVariable(lower: 0, upper: 5, kind: .integer)
        model.addConstraint(2 * x + 2 * y == 3)
        model.minimize(x + y)
        let solution = try solver.solve(model.lowered(), options: SolveOptions(presolve: presolve))
        #expect(solution.termination == .infeasible, "\(solution.message ?? "")")
        #expect(solution.primalStatus == .noSolution)
    }

    @Test("MIP with an infeasible relaxation", arguments: [true, false])
    func infeasibleRelaxation(presolve: Bool) throws {
        var model = Model()
        let x = model.addVariable(lower: 0, upper: 5, kind: .integer)
        let y = model.addVariable(lower: 0, upper: 5, kind: .integer)
        model.addConstraint(x + y >= 11)
        model.maximize(x - y)
        let solution = try solver.solve(model.lowered(), options: SolveOptions(presolve: presolve))
        #expect(solution.termination == .infeasible, "\(solution.message ?? "")")
    }

    @Test("MIP with an unbounded relaxation", arguments: [true, false])
    func unboundedRelaxation(presolve: Bool) throws {
        var model = Model()
        let x = model.addVariable(kind: .integer)
        let y = model.addVariable(kind: .integer)
        model.addConstraint(x - y <= 1)
        model.maximize(x + y)
        let solution = try solver.solve(model.lowered(), options: SolveOptions(presolve: presolve))
        #expect([.unbounded, .infeasibleOrUnbounded].contains(solution.termination), "\(solution.message ?? "")")
        #expect(solution.primalStatus == .noSolution)
    }

    @Test("time limit on a hard MIP stops with a valid bound and, if any, a verified point")
    func timeLimit() throws {
        let program = try TestModels.marketSplit(seed: 11)
        let solution = try solver.solve(program, options: SolveOptions(timeLimit: 0.3, presolve: false))
        #expect(solution.termination == .timeLimit, "\(solution.message ?? "")")
        if solution.primalStatus == .feasiblePoint {
            expectVerified(solution, program)
            if let bound = solution.bestBound, let objective = solution.objective { #expect(bound <= objective + 1e-9) }
        }
        if let bound = solution.bestBound { #expect(bound >= 0 - 1e-9) }  // slack is non-negative
    }

    @Test("a feasible warm start is used: reported when GLPK has no time for anything else")
    func warmStartUsed() throws {
        let program = try TestModels.marketSplit(seed: 5)
        // All zeros is feasible: the slacks absorb the targets.
        // Column order: 30 binaries, then (over, under) per row; "over" takes the whole target.
        var start = [Double](repeating: 0, count: program.columnCount)
        for i in 0..<program.rowCount { start[30 + 2 * i] = program.rowLower[i] }
        let check = SolutionChecker.check(program, values: start)
        try #require(check.isFeasible)
        let solution = try solver.solve(program, options: SolveOptions(timeLimit: 0, warmStart: start))
        #expect(solution.termination == .timeLimit)
        #expect(solution.primalStatus == .feasiblePoint)
        #expect(solution.values == start)
        #expect(isClose(solution.objective, check.objective))
        #expect(solution.message?.contains("warm start") == true)
    }

    @Test("a warm start is injected into branch-and-cut")
    func warmStartInjected() throws {
        let data = TestModels.randomKnapsack(seed: 21, items: 25)
        let program = try TestModels.knapsack(values: data.values, weights: data.weights, capacity: data.capacity)
        let optimum = TestModels.knapsackOptimum(values: data.values, weights: data.weights, capacity: data.capacity)
        // Greedy by index: feasible, usually not optimal.
        var start = [Double](repeating: 0, count: program.columnCount)
        var used = 0
        for j in data.weights.indices where used + data.weights[j] <= data.capacity {
            start[j] = 1
            used += data.weights[j]
        }
        let solution = try solver.solve(program, options: SolveOptions(warmStart: start))
        #expect(solution.termination == .optimal)
        #expect(isClose(solution.objective, Double(optimum)))
        // The root LP is fractional, so branch-and-cut asks for a heuristic point and takes ours.
        #expect(solution.message?.contains("warm start accepted") == true, "\(solution.message ?? "")")
        expectVerified(solution, program)
    }

    @Test("an infeasible warm start is never trusted")
    func warmStartRejected() throws {
        let data = TestModels.randomKnapsack(seed: 8, items: 20)
        let program = try TestModels.knapsack(values: data.values, weights: data.weights, capacity: data.capacity)
        let optimum = TestModels.knapsackOptimum(values: data.values, weights: data.weights, capacity: data.capacity)
        // Taking everything breaks the capacity and beats every feasible objective.
        let start = [Double](repeating: 1, count: program.columnCount)
        let solution = try solver.solve(program, options: SolveOptions(warmStart: start))
        #expect(solution.termination == .optimal)
        #expect(isClose(solution.objective, Double(optimum)))
        #expect(solution.message?.contains("warm start not used") == true)
        expectVerified(solution, program)

        // Fractional values of binaries are rejected too.
        var fractional = [Double](repeating: 0, count: program.columnCount)
        fractional[0] = 0.5
        let second = try solver.solve(program, options: SolveOptions(timeLimit: 0, warmStart: fractional))
        #expect(second.primalStatus == .noSolution)
        #expect(second.message?.contains("not integral") == true)
    }

    @Test("an interrupt raised before the solve stops it")
    func interruptBefore() throws {
        let interrupt = GLPKInterrupt()
        interrupt.request()
        #expect(interrupt.isRequested)
        let solver = GLPKSolver(interrupt: interrupt)
        let solution = try solver.solve(TestModels.marketSplit(seed: 2), options: SolveOptions())
        #expect(solution.termination == .interrupted)
        #expect(solution.primalStatus == .noSolution)
    }

    @Test("an interrupt raised during branch-and-cut stops it")
    func interruptDuring() throws {
        let interrupt = GLPKInterrupt()
        let solver = GLPKSolver(interrupt: interrupt)
        let program = try TestModels.marketSplit(seed: 3)
        // The interrupt comes from a thread of its own: a task sleeping on the cooperative pool was not
        // woken for minutes when CI's suites saturated it, and the solve then ended at its time limit.
        // The limit is far beyond the interrupt, so only the interrupt can end the solve.
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.3)
            interrupt.request()
        }
        let solution = try solver.solve(program, options: SolveOptions(timeLimit: 3600, presolve: false))
        #expect(solution.termination == .interrupted, "\(solution.message ?? "")")
        expectVerified(solution, program)
    }
}
#endif
