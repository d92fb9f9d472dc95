import GPUPoolDomain
import GPUPoolPlanner

/// Every feasible plan of a tiny instance: per job unplaced, or one shape × model × distribution of whole
/// workers over eligible schedulable nodes within one locality scope (GPU indices do not matter, only the
/// count per node), subject to node capacity, tenant quotas and budgets.
struct OracleBruteForce: Sendable {
    let problem: OracleProblem
    /// Per job: its feasible placements when alone in the pool (static quota and budget applied).
    let options: [[OraclePlacement]]
    /// `choices[plan × jobs + j]`: index into `options[j]`, or -1 when job `j` is unplaced.
    let choices: [Int16]
    let planCount: Int

    /// `nil` when the instance has more than `maxPlans` feasible plans.
    init?(problem: OracleProblem, maxPlans: Int = 150_000) {
        self.problem = problem
        let options = problem.jobs.indices.map { Self.placements(of: $0, in: problem) }
        self.options = options
        let jobCount = problem.jobs.count
        var free = problem.emptyCapacity
        var usage: [String: Int] = [:]
        var stack = [Int16](repeating: -1, count: jobCount)
        var out: [Int16] = []
        var count = 0
        var overflow = false
        func search(_ j: Int) {
            if overflow { return }
            if j == jobCount {
                out.append(contentsOf: stack)
                count += 1
                if count > maxPlans { overflow = true }
                return
            }
            stack[j] = -1
            search(j + 1)
            let tenant = problem.jobs[j].tenant
            for (index, option) in options[j].enumerated() {
                let gpw = problem.shape(j, option.shape).gpusPerWorker
                guard option.workers.allSatisfy({ free[$0.key] >= $0.value * gpw }) else { continue }
                let g = problem.gpus(j, option.shape)
                if let quota = problem.workload.tenantQuotas[tenant], usage[tenant, default: 0] + g > quota { continue }
                for (n, w) in option.workers { free[n] -= w * gpw }
                usage[tenant, default: 0] += g
                stack[j] = Int16(index)
                search(j + 1)
                stack[j] = -1
                usage[tenant, default: 0] -= g
                for (n, w) in option.workers { free[n] += w * gpw }
            }
        }
        search(0)
        if overflow { return nil }
        choices = out
        planCount = count
    }

    /// The feasible placements of job `j` alone in the empty pool.
    static func placements(of j: Int, in problem: OracleProblem) -> [OraclePlacement] {
        var list: [OraclePlacement] = []
        let quota = problem.workload.tenantQuotas[problem.jobs[j].tenant]
        for s in 0..<problem.shapeCount(j) {
            let shape = problem.shape(j, s)
            if let quota, problem.gpus(j, s) > quota { continue }
            for model in problem.models {
                let candidates = problem.nodes.indices.filter {
                    problem.nodes[$0].accelerator == model && problem.usable(j, s, $0)
                }
                var current: [Int: Int] = [:]
                func distribute(_ i: Int, _ left: Int) {
                    if left == 0 {
                        guard Set(current.keys.map { problem.scopeKey(j, $0) }).count <= 1 else { return }
                        let placement = OraclePlacement(job: j, shape: s, model: model, workers: current)
                        guard problem.withinBudget(j, problem.cost(placement)) else { return }
                        list.append(placement)
                        return
                    }
                    guard i < candidates.count else { return }
                    let n = candidates[i]
                    let most = min(left, problem.plannable(n) / shape.gpusPerWorker)
                    for w in stride(from: most, through: 0, by: -1) {
                        if w > 0 { current[n] = w } else { current.removeValue(forKey: n) }
                        distribute(i + 1, left - w)
                    }
                    current.removeValue(forKey: n)
                }
                distribute(0, shape.workers)
            }
        }
        return list
    }

    /// For each stage `t`: the best value of `terms[t]` over the feasible plans whose earlier stages keep
    /// `conditions` (at least as good, less the tolerance). With `conditions == nil` the conditions are the
    /// optima themselves (the lexicographic optimum). `nil` entries: no plan meets the earlier conditions.
    func optima(terms: [OracleTerm], conditions: [Double]? = nil, allocation: Allocation? = nil) -> [Double?] {
        let jobCount = problem.jobs.count
        let termCount = terms.count
        let optionValues: [[[Double]]] = options.map { list in
            list.map { option in terms.map { problem.term($0, option, allocation: allocation) } }
        }
        var values = [Double](repeating: 0, count: planCount * termCount)
        for plan in 0..<planCount {
            for j in 0..<jobCount {
                let o = Int(choices[plan * jobCount + j])
                guard o >= 0 else { continue }
                for t in 0..<termCount { values[plan * termCount + t] += optionValues[j][o][t] }
            }
        }
        var alive = Array(0..<planCount)
        var result: [Double?] = []
        for (t, term) in terms.enumerated() {
            guard !alive.isEmpty else {
                result.append(nil)
                continue
            }
            var best = values[alive[0] * termCount + t]
            for plan in alive {
                let v = values[plan * termCount + t]
                if term.minimises ? v < best : v > best { best = v }
            }
            result.append(best)
            let condition: Double
            if let conditions {
                guard t < conditions.count else { continue }
                condition = conditions[t]
            } else {
                condition = best
            }
            alive = alive.filter { term.keeps(values[$0 * termCount + t], condition) }
        }
        return result
    }
}
