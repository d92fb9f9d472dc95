import Foundation
import GPUPoolDomain
import GPUPoolModel
import GPUPoolPlanner
import GPUPoolSolver

/// An exact MIP of the placement problem, formulated from Docs/Planning.md independently of the planner:
///
/// - one binary `z` per (job, shape, model, locality scope) choice — a scope is one node (`node`), one
///   provider's region (`region`), one provider (`provider`) or the whole pool (`any`); at most one choice
///   per job;
/// - integer `y[c,n]` = whole workers of choice `c` on node `n` of its scope (eligible, schedulable, of the
///   choice's model), `Σ_n y = workers · z`;
/// - node capacity `Σ gpusPerWorker · y ≤ gpuCount − gpusInUse`, tenant quota `Σ g · z ≤ quota`, budget
///   `Σ gpusPerWorker · price · y ≤ budget` per choice;
/// - for availability, binary `u[c,n]` "node used" with `y ≤ slots · u`, `u ≤ z`, term `Σ log P_n · u`.
struct OracleMIP: Sendable {
    struct Choice: Sendable {
        var job: Int
        var shape: Int
        var model: String
        var nodes: [Int]
        var slots: [Int]
    }

    let problem: OracleProblem
    let choices: [Choice]

    init(problem: OracleProblem) {
        self.problem = problem
        var choices: [Choice] = []
        for j in problem.jobs.indices {
            let quota = problem.workload.tenantQuotas[problem.jobs[j].tenant]
            for s in 0..<problem.shapeCount(j) {
                if let quota, problem.gpus(j, s) > quota { continue }
                let shape = problem.shape(j, s)
                for model in problem.models {
                    var groups: [String: [Int]] = [:]
                    for n in problem.nodes.indices where problem.nodes[n].accelerator == model && problem.usable(j, s, n) {
                        groups[problem.scopeKey(j, n), default: []].append(n)
                    }
                    for key in groups.keys.sorted() {
                        let nodes = groups[key]!
                        let slots = nodes.map { min(shape.workers, problem.plannable($0) / shape.gpusPerWorker) }
                        guard slots.reduce(0, +) >= shape.workers else { continue }
                        // The cheapest placement in the scope must be within budget, else the choice is empty.
                        var free = [Int](repeating: 0, count: problem.nodes.count)
                        for n in nodes { free[n] = problem.plannable(n) }
                        guard let cheapest = problem.cheapestCost(j, s, free: free), problem.withinBudget(j, cheapest) else { continue }
                        choices.append(Choice(job: j, shape: s, model: model, nodes: nodes, slots: slots))
                    }
                }
            }
        }
        self.choices = choices
    }

    /// Optimum of `objective` over the plans keeping each `(term, value)` of `keep`; `nil` unless GLPK proves it.
    func optimum(_ objective: OracleTerm, keep: [(term: OracleTerm, value: Double)], allocation: Allocation?,
                 timeLimit: Double = 10) -> Double? {
        let terms = [objective] + keep.map(\.term)
        let withAvailability = terms.contains(.availability)
        var m = Model(name: "oracle")
        var z: [Variable] = []
        var y: [[Variable]] = []
        var u: [[Variable?]] = []
        var perJob = [LinearExpression](repeating: LinearExpression(), count: problem.jobs.count)
        var perNode = [LinearExpression](repeating: LinearExpression(), count: problem.nodes.count)
        var perTenant: [String: LinearExpression] = [:]
        for c in choices {
            let shape = problem.shape(c.job, c.shape)
            let g = Double(problem.gpus(c.job, c.shape))
            let zc = m.addVariable(kind: .binary)
            let yc = c.slots.map { m.addVariable(lower: 0, upper: Double($0), kind: .integer) }
            var workers = LinearExpression()
            var cost = LinearExpression()
            for (i, n) in c.nodes.enumerated() {
                workers.add(1, yc[i])
                cost.add(Double(shape.gpusPerWorker) * problem.nodes[n].pricePerGPUHour, yc[i])
                perNode[n].add(Double(shape.gpusPerWorker), yc[i])
            }
            m.addConstraint(workers - Double(shape.workers) * zc == 0)
            if let budget = problem.jobs[c.job].budgetPerHour { m.addConstraint(cost <= budget) }
            var uc: [Variable?] = []
            for (i, n) in c.nodes.enumerated() {
                guard withAvailability, problem.logP[n] < 0 else {
                    uc.append(nil)
                    continue
                }
                let used = m.addVariable(kind: .binary)
                m.addConstraint(yc[i] - Double(c.slots[i]) * used <= 0)
                m.addConstraint(used - zc <= 0)
                uc.append(used)
            }
            perJob[c.job].add(1, zc)
            if problem.workload.tenantQuotas[problem.jobs[c.job].tenant] != nil {
                perTenant[problem.jobs[c.job].tenant, default: LinearExpression()].add(g, zc)
            }
            z.append(zc)
            y.append(yc)
            u.append(uc)
        }
        for expression in perJob where expression.termCount > 0 { m.addConstraint(expression <= 1) }
        for (n, expression) in perNode.enumerated() where expression.termCount > 0 {
            m.addConstraint(expression <= Double(problem.plannable(n)))
        }
        for (tenant, expression) in perTenant { m.addConstraint(expression <= Double(problem.workload.tenantQuotas[tenant]!)) }

        func expression(_ term: OracleTerm) -> LinearExpression {
            var e = LinearExpression()
            for (index, c) in choices.enumerated() {
                let g = Double(problem.gpus(c.job, c.shape))
                switch term {
                case let .tier(p): if problem.jobs[c.job].priority == p { e.add(g, z[index]) }
                case .utilization: e.add(g, z[index])
                case .throughput: e.add(problem.throughputTerm(c.job, c.shape, c.model), z[index])
                case .cost:
                    let gpw = Double(problem.shape(c.job, c.shape).gpusPerWorker)
                    for (i, n) in c.nodes.enumerated() { e.add(gpw * problem.nodes[n].pricePerGPUHour, y[index][i]) }
                case .availability:
                    for (i, n) in c.nodes.enumerated() { if let used = u[index][i] { e.add(problem.logP[n], used) } }
                case .allocationShare:
                    e.add(g * OracleProblem.fraction(allocation, job: problem.jobs[c.job].id, model: c.model), z[index])
                }
            }
            return e
        }
        for (term, value) in keep {
            let e = expression(term)
            m.addConstraint(term.minimises ? e <= value + oracleTolerance(value) : e >= value - oracleTolerance(value))
        }
        if objective.minimises { m.minimize(expression(objective)) } else { m.maximize(expression(objective)) }
        guard let program = try? m.lowered(),
              let solution = try? Solver.solve(program, options: SolveOptions(method: .mip, timeLimit: timeLimit, relativeGap: 0)),
              solution.termination == .optimal, solution.hasSolution else {
            if ProcessInfo.processInfo.environment["ORACLE_DEBUG"] != nil {
                let program = try? m.lowered()
                let solution = program.flatMap { try? Solver.solve($0, options: SolveOptions(method: .mip, timeLimit: timeLimit, relativeGap: 0)) }
                print("ORACLE MIP \(objective) keep \(keep): \(solution.map { "\($0.termination) \($0.primalStatus) \($0.message ?? "")" } ?? "lowering/solve threw")")
            }
            return nil
        }
        // Read the placements back from the rounded point and evaluate the term exactly.
        var placements: [OraclePlacement] = []
        for (index, c) in choices.enumerated() where solution.values[z[index].index].rounded() == 1 {
            var workers: [Int: Int] = [:]
            for (i, n) in c.nodes.enumerated() {
                let w = Int(solution.values[y[index][i].index].rounded())
                if w > 0 { workers[n] = w }
            }
            guard workers.values.reduce(0, +) == problem.shape(c.job, c.shape).workers else { return nil }
            placements.append(OraclePlacement(job: c.job, shape: c.shape, model: c.model, workers: workers))
        }
        return problem.value(objective, placements, allocation: allocation)
    }

    /// Like ``OracleBruteForce/optima(terms:conditions:allocation:)``: stage `t` optimised over the plans
    /// keeping the earlier stages' `conditions` (or, without conditions, the optima found).
    func optima(terms: [OracleTerm], conditions: [Double]? = nil, allocation: Allocation? = nil,
                timeLimit: Double = 10) -> [Double?] {
        var result: [Double?] = []
        var keep: [(term: OracleTerm, value: Double)] = []
        var broken = false
        for (t, term) in terms.enumerated() {
            guard !broken else {
                result.append(nil)
                continue
            }
            let best = optimum(term, keep: keep, allocation: allocation, timeLimit: timeLimit)
            result.append(best)
            if let conditions {
                guard t < conditions.count else { continue }
                keep.append((term, conditions[t]))
            } else if let best {
                keep.append((term, best))
            } else {
                broken = true
            }
        }
        return result
    }
}
