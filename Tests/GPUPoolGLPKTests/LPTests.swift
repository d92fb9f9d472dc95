import GPUPoolModel
import Testing

@testable import GPUPoolGLPK

#if GLPK
@Suite("GLPK linear programs")
struct LPTests {
    let solver = GLPKSolver()

    @Test("version and name come from glp_version")
    func version() {
        #expect(GLPKSolver.isAvailable)
        #expect(GLPKSolver.version.first?.isNumber == true)
        #expect(solver.name == "GLPK \(GLPKSolver.version)")
    }

    @Test("optimal LP with known duals and reduced costs", arguments: [SolveMethod.auto, .simplex, .dual, .interior])
    func knownDuals(method: SolveMethod) throws {
        let program = try TestModels.wyndor()
        let solution = try solver.solve(program, options: SolveOptions(method: method))
        #expect(solution.termination == .optimal)
        #expect(solution.primalStatus == .feasiblePoint)
        #expect(isClose(solution.objective, 36))
        #expect(isClose(solution.bestBound, 36))
        #expect(isClose(solution.values[0], 2, relative: 1e-6) && isClose(solution.values[1], 6, relative: 1e-6))
        #expect(solution.rowActivities.count == 3 && isClose(solution.rowActivities[2], 18))
        let duals = try #require(solution.duals)
        #expect(isClose(duals[0], 0, relative: 1e-6) && isClose(duals[1], 1.5) && isClose(duals[2], 1))
        let reduced = try #require(solution.reducedCosts)
        #expect(reduced.allSatisfy { abs($0) <= 1e-6 })
        #expect(solution.solver.hasPrefix("GLPK"))
        expectVerified(solution, program)
    }

    @Test("fixed, free and ranged rows and columns, free row, objective constant")
    func boundKinds() throws {
        var model = Model()
        let x = model.addVariable(lower: -.infinity, upper: .infinity, name: "x")
        let y = model.addVariable(lower: 3, upper: 3, name: "y")
        let z = model.addVariable(lower: 1, upper: 5, name: "z")
        model.addConstraint(x + z, in: 2...4, name: "ranged")
        model.addConstraint(x - y >= -10, name: "lower")
        model.addConstraint(LinearConstraint(x + y + z, lower: -.infinity, upper: .infinity), name: "free")
        model.addConstraint(y + z <= 100, name: "upper")
        model.minimize(x - z + 7)
        let program = try model.lowered()
        for presolve in [true, false] {
            let solution = try solver.solve(program, options: SolveOptions(presolve: presolve))
            #expect(solution.termination == .optimal)
            #expect(isClose(solution.objective, -8 + 7))
            #expect(isClose(solution.values[0], -3) && isClose(solution.values[1], 3) && isClose(solution.values[2], 5))
            expectVerified(solution, program)
        }
    }

    @Test("maximize with a negative objective constant")
    func maximizeConstant() throws {
        var model = Model()
        let x = model.addVariable(lower: 0, upper: 2)
        let y = model.addVariable(lower: -1, upper: 1)
        model.addConstraint(x + y <= 2.5)
        model.maximize(2 * x + y - 10)
        let solution = try solver.solve(model.lowered(), options: SolveOptions())
        #expect(solution.termination == .optimal)
        #expect(isClose(solution.objective, 4 + 0.5 - 10))
    }

    @Test("infeasible LP, with and without presolve", arguments: [true, false])
    func infeasible(presolve: Bool) throws {
        var model = Model()
        let x = model.addVariable()
        let y = model.addVariable()
        model.addConstraint(x + y <= 1)
        model.addConstraint(x + y >= 2)
        model.minimize(x + y)
        for method in [SolveMethod.auto, .simplex, .dual] {
            let solution = try solver.solve(model.lowered(), options: SolveOptions(method: method, presolve: presolve))
            #expect(solution.termination == .infeasible, "\(method): \(solution.message ?? "")")
            #expect(solution.primalStatus == .noSolution)
            #expect(solution.values.isEmpty && solution.objective == nil && solution.duals == nil)
        }
    }

    @Test("unbounded LP, with and without presolve", arguments: [true, false])
    func unbounded(presolve: Bool) throws {
        var model = Model()
        let x = model.addVariable()
        let y = model.addVariable()
        model.addConstraint(x - y <= 1)
        model.maximize(x + y)
        for method in [SolveMethod.auto, .simplex, .dual] {
            let solution = try solver.solve(model.lowered(), options: SolveOptions(method: method, presolve: presolve))
            #expect(solution.termination == .unbounded, "\(method): \(solution.message ?? "")")
            #expect(solution.primalStatus == .noSolution)
        }
    }

    @Test("interior point's 'no feasible primal/dual solution' is settled as infeasible or unbounded")
    func interiorInfeasibleOrUnbounded() throws {
        var infeasible = Model()
        let x = infeasible.addVariable()
        let y = infeasible.addVariable()
        infeasible.addConstraint(x + y <= 1)
        infeasible.addConstraint(x + y >= 2)
        infeasible.minimize(x + y)
        let first = try solver.solve(infeasible.lowered(), options: SolveOptions(method: .interior))
        #expect(first.termination == .infeasible, "\(first.message ?? "")")
        #expect(first.primalStatus == .noSolution)

        var unbounded = Model()
        let a = unbounded.addVariable()
        let b = unbounded.addVariable()
        unbounded.addConstraint(a - b <= 1)
        unbounded.maximize(a + b)
        let second = try solver.solve(unbounded.lowered(), options: SolveOptions(method: .interior))
        #expect(second.termination == .unbounded, "\(second.message ?? "")")
    }

    @Test("program without rows", arguments: [SolveMethod.auto, .simplex, .dual, .interior, .mip])
    func noRows(method: SolveMethod) throws {
        var model = Model()
        let x = model.addVariable(lower: 1, upper: 3)
        let y = model.addVariable(lower: -2, upper: 4)
        model.minimize(x - y + 1)
        let solution = try solver.solve(model.lowered(), options: SolveOptions(method: method))
        #expect(solution.termination == .optimal, "\(solution.message ?? "")")
        #expect(isClose(solution.objective, 1 - 4 + 1))
    }

    @Test("integer program without rows, and a program with nothing at all", arguments: [SolveMethod.auto, .mip, .simplex, .interior])
    func degenerateShapes(method: SolveMethod) throws {
        var model = Model()
        let x = model.addVariable(lower: -3, upper: 7, kind: .integer)
        model.maximize(2 * x + 1)
        let solution = try solver.solve(model.lowered(), options: SolveOptions(method: method))
        #expect(solution.termination == .optimal, "\(solution.message ?? "")")
        #expect(isClose(solution.objective, 15))

        var empty = Model()
        empty.minimize(LinearExpression(4.5))
        let nothing = try solver.solve(empty.lowered(), options: SolveOptions(method: method))
        #expect(nothing.termination == .optimal, "\(nothing.message ?? "")")
        #expect(isClose(nothing.objective, 4.5))
        #expect(nothing.values.isEmpty)
    }

    @Test("iteration limit stops simplex")
    func iterationLimit() throws {
        // A dense random LP that needs many more than one simplex iteration.
        var random = TestRandom(seed: 7)
        var model = Model()
        let x = model.addVariables(count: 40, lower: 0, upper: 10)
        for _ in 0..<40 {
            let row = LinearExpression(terms: x.map { ($0, Double(random.int(1...20))) })
            model.addConstraint(row <= Double(random.int(100...400)))
        }
        model.maximize(LinearExpression(terms: x.map { ($0, Double(random.int(1...9))) }))
        let program = try model.lowered()
        let limited = try solver.solve(program, options: SolveOptions(method: .simplex, iterationLimit: 1, presolve: false))
        #expect(limited.termination == .iterationLimit, "\(limited.message ?? "")")
        #expect(limited.iterations <= 1)
        expectVerified(limited, program)
        let full = try solver.solve(program, options: SolveOptions(method: .simplex, presolve: false))
        #expect(full.termination == .optimal)
        #expect(full.iterations > 1)
    }

    @Test("relaxation methods on a MIP say so and ignore integrality")
    func relaxation() throws {
        let program = try TestModels.knapsack(values: [10, 13, 7], weights: [4, 6, 3], capacity: 8)
        for method in [SolveMethod.simplex, .dual, .interior] {
            let solution = try solver.solve(program, options: SolveOptions(method: method))
            #expect(solution.termination == .optimal)
            #expect(solution.message?.contains("LP relaxation") == true)
            // LP bound: take 7/3 ... greedy by ratio: item2 (7/3) then item0 (10/4), then part of item1.
            #expect(isClose(solution.objective, 7 + 10 + 13.0 / 6.0, relative: 1e-6))
            #expect(solution.duals != nil)
        }
    }

    @Test("invalid programs and options throw before GLPK sees them")
    func invalidInput() throws {
        var program = try TestModels.wyndor()
        program.rowLower[1] = .nan
        #expect(throws: SolverError.self) { try solver.solve(program, options: SolveOptions()) }

        var crossed = try TestModels.wyndor()
        crossed.matrix.rowIndices[0] = 99
        #expect(throws: SolverError.self) { try solver.solve(crossed, options: SolveOptions()) }
        #expect(throws: SolverError.self) { try GLPKSolver.loadOnly(crossed) }

        let valid = try TestModels.wyndor()
        #expect(throws: SolverError.self) { try solver.solve(valid, options: SolveOptions(method: .heuristic)) }
        #expect(throws: SolverError.self) { try solver.solve(valid, options: SolveOptions(timeLimit: -1)) }
        #expect(throws: SolverError.self) { try solver.solve(valid, options: SolveOptions(warmStart: [1])) }
    }

    @Test("verbose solves capture the log")
    func log() throws {
        let solution = try solver.solve(TestModels.wyndor(), options: SolveOptions(verbose: true, presolve: false))
        #expect(solution.log.contains("obj =   3.600000000e+01"), "\(solution.log)")
        let quiet = try solver.solve(TestModels.wyndor(), options: SolveOptions())
        #expect(quiet.log.isEmpty)
    }

    @Test("loadOnly builds and deletes the problem")
    func loadOnly() throws {
        let seconds = try GLPKSolver.loadOnly(TestModels.wyndor())
        #expect(seconds >= 0)
    }
}
#endif
