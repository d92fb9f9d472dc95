import GPUPoolSupport
import GPUPoolModel
import GPUPoolSolver

/// Exact solution of the allocation LP through the model API (GLPK's simplex).
///
/// Variables: `x[j,k] ∈ [0,1]` for eligible pairs only, plus `t ≥ 0` for fairness. Rows:
/// `Σ_k x[j,k] ≤ 1` per job, `Σ_j scale[j,k]·x[j,k] ≤ capacity[k]` per accelerator and, for
/// fairness, `Σ_k rate[j,k]·x[j,k] − w_j·t ≥ 0` per job. Max-min fairness is solved in two
/// stages: maximise `t`, then, holding `t` at its optimum, maximise the total normalised
/// throughput so that capacity the bottleneck job cannot use is not left idle.
enum AllocationLP {
    struct Result {
        var x: [[Double]]
        var objective: Double
        var bound: Double?
        var solver: String
    }

    static func solve(
        _ problem: AllocationProblem, objective: AllocationProblem.Objective, timeLimit: Double?, backends: SolverBackends = .standard
    ) throws(PlannerError) -> Result {
        var model = Model(name: "allocation")
        var columnOf: [(j: Int, k: Int)] = []
        for j in 0..<problem.jobCount where problem.isEligible(j) {
            for k in 0..<problem.typeCount where problem.scale[j][k] > 0 && problem.rate(j, k) > 0 { columnOf.append((j, k)) }
        }
        if columnOf.isEmpty {
            let x = [[Double]](repeating: [Double](repeating: 0, count: problem.typeCount), count: problem.jobCount)
            return Result(x: x, objective: 0, bound: 0, solver: "trivial")
        }
        model.addVariables(count: columnOf.count, lower: 0, upper: 1)
        let fairness = objective == .maxMinFairness
        let tColumn = Int32(columnOf.count)
        if fairness { model.addVariable(lower: 0, upper: .infinity, name: "t") }

        // Rows, built in bulk (CSR): jobs' time, accelerators' capacity, fairness.
        var starts: [Int] = [0]
        var columns: [Int32] = []
        var coefficients: [Double] = []
        var lower: [Double] = []
        var upper: [Double] = []
        var byJob = [[Int]](repeating: [], count: problem.jobCount)
        var byType = [[Int]](repeating: [], count: problem.typeCount)
        for (c, pair) in columnOf.enumerated() {
            byJob[pair.j].append(c)
            byType[pair.k].append(c)
        }
        for j in 0..<problem.jobCount where !byJob[j].isEmpty {
            for c in byJob[j] { columns.append(Int32(c)); coefficients.append(1) }
            starts.append(columns.count); lower.append(-.infinity); upper.append(1)
        }
        for k in 0..<problem.typeCount where !byType[k].isEmpty {
            for c in byType[k] { columns.append(Int32(c)); coefficients.append(problem.scale[columnOf[c].j][k]) }
            starts.append(columns.count); lower.append(-.infinity); upper.append(problem.capacity[k])
        }
        if fairness {
            for j in 0..<problem.jobCount where !byJob[j].isEmpty {
                for c in byJob[j] { columns.append(Int32(c)); coefficients.append(problem.rate(j, columnOf[c].k)) }
                columns.append(tColumn); coefficients.append(-problem.weight[j])
                starts.append(columns.count); lower.append(0); upper.append(.infinity)
            }
        }
        model.addConstraints(rowStarts: starts, columns: columns, coefficients: coefficients, lower: lower, upper: upper)

        // Objective of the (last) stage: total weighted normalised throughput.
        var throughputObjective = [Double](repeating: 0, count: model.variableCount)
        for (c, pair) in columnOf.enumerated() { throughputObjective[c] = problem.weight[pair.j] * problem.rate(pair.j, pair.k) }

        let clock = ContinuousClock()
        let started = clock.now
        func remaining() -> Double? {
            guard let timeLimit else { return nil }
            return max(0.1, timeLimit - (clock.now - started).seconds)
        }
        func checked(_ solve: () throws(SolverError) -> Solution) throws(PlannerError) -> Solution {
            let solution: Solution
            do { solution = try solve() } catch { throw .solverFailure("allocation LP: \(error)") }
            guard solution.hasSolution else {
                throw .solverFailure("allocation LP ended \(solution.termination.rawValue): \(solution.message ?? "no point")")
            }
            return solution
        }
        func options() -> SolveOptions { SolveOptions(method: .simplex, timeLimit: remaining()) }

        var bound: Double?
        var values: [Double]
        var solverName: String
        if fairness {
            var objectiveVector = [Double](repeating: 0, count: model.variableCount)
            objectiveVector[Int(tColumn)] = 1
            model.setObjective(.maximize, coefficients: objectiveVector)
            let program: LinearProgram
            do { program = try model.lowered() } catch { throw .solverFailure("allocation LP: \(error)") }
            // Both stages in one session: stage 2 changes t's bound and the objective only, so
            // simplex restarts from stage 1's optimal basis instead of from scratch.
            let session: SolverSession
            do { session = try SolverSession(program, backends: backends) } catch { throw .solverFailure("allocation LP: \(error)") }
            let first = try checked { () throws(SolverError) in try session.solve(options: options()) }
            let tStar = first.values[Int(tColumn)]
            bound = first.bestBound ?? tStar
            solverName = first.solver
            // Stage 2: keep t (within a hair) and use the rest of the capacity.
            var edits: [ProgramEdit] = [.columnBounds(column: Int(tColumn), lower: max(0, tStar * (1 - 1e-7) - 1e-9), upper: .infinity)]
            for c in throughputObjective.indices { edits.append(.objectiveCoefficient(column: c, value: throughputObjective[c])) }
            if let second = try? checked({ () throws(SolverError) in
                try session.apply(edits)
                return try session.solve(options: options())
            }) {
                values = second.values
            } else {
                values = first.values
            }
        } else {
            model.setObjective(.maximize, coefficients: throughputObjective)
            let program: LinearProgram
            do { program = try model.lowered() } catch { throw .solverFailure("allocation LP: \(error)") }
            let solution = try checked { () throws(SolverError) in try Solver.solve(program, options: options(), backends: backends) }
            values = solution.values
            bound = solution.bestBound ?? solution.objective
            solverName = solution.solver
        }
        var x = [[Double]](repeating: [Double](repeating: 0, count: problem.typeCount), count: problem.jobCount)
        for (c, pair) in columnOf.enumerated() { x[pair.j][pair.k] = values[c] }
        x = problem.repaired(x)
        return Result(x: x, objective: problem.evaluate(x, objective: objective).value, bound: bound, solver: solverName + " simplex")
    }
}
