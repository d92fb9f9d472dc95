import GPUPoolModel
import GPUPoolSolver

/// Upper bounds on the primary placement objective.
///
/// With an LP solver: the relaxation that lets each job's GPUs be split fractionally over the
/// node groups it is eligible for (group capacity, quotas and budgets kept; per-node packing and
/// region/provider locality dropped; gangs that need one node only use groups with such a node).
/// Every feasible placement is feasible here, so the LP optimum bounds the placement objective.
/// Without one: a counting bound for the utilisation and tier terms.
enum AggregateBound {
    static func bound(
        instance: PlanningInstance, term: StageTerm, context: TermContext, migrationPenalty: Double, useLP: Bool,
        backends: SolverBackends = .standard, timeLimit: Double?
    ) -> Double? {
        if useLP, let value = lpBound(instance: instance, term: term, context: context, migrationPenalty: migrationPenalty,
                                      backends: backends, timeLimit: timeLimit) {
            return value
        }
        return countingBound(instance: instance, term: term)
    }

    /// Columns the LP relaxation would have.
    static func columnEstimate(instance: PlanningInstance) -> Int {
        var count = 0
        for (j, job) in instance.jobs.enumerated() {
            for s in job.shapes.indices {
                for g in instance.groups.indices where instance.eligible(job: j, shape: s, group: g) { count += 1 }
            }
        }
        return count
    }

    /// Groups where shape `s` of job `j` can go without breaking locality: eligible groups whose
    /// locality scope (node for single-node gangs, region, provider, pool) can hold the whole gang
    /// in the currently free capacity. Placements outside these groups are impossible.
    static func fittableGroups(instance: PlanningInstance, job j: Int, shape s: Int, stats: GroupFreeGPUs) -> [Int] {
        let job = instance.jobs[j]
        let shape = job.shapes[s]
        let groups = instance.groups.indices.filter { instance.eligible(job: j, shape: s, group: $0) }
        let single = job.locality == .node || shape.workers == 1
        var workers: [Int: Int] = [:]
        var result: [Int] = []
        func scope(_ g: Int) -> Int {
            switch job.locality {
            case .region: return instance.groups[g].region
            case .provider: return instance.groups[g].provider
            case .node, .any: return 0
            }
        }
        for g in groups {
            if single {
                if stats.maxFree[g] >= shape.gpus { result.append(g) }
            } else {
                workers[scope(g), default: 0] += stats.workers(group: g, gpusPerWorker: shape.gpusPerWorker)
            }
        }
        if single { return result }
        return groups.filter { (workers[scope($0)] ?? 0) >= shape.workers }
    }

    static func countingBound(instance: PlanningInstance, term: StageTerm) -> Double? {
        // Re-plans add a migration bonus to the objective that counting does not cover.
        if instance.jobs.contains(where: { $0.current != nil }) { return nil }
        let stats = GroupFreeGPUs(instance: instance)
        let typeCount = instance.accelerators.count
        var capacity = [Int](repeating: 0, count: typeCount)
        for node in instance.nodes where node.usable { capacity[node.accelerator] += max(0, node.free) }
        var byTenant = [Int](repeating: 0, count: instance.tenants.count)
        // Jobs grouped by the set of accelerators they can use (bit mask) for the cut bound.
        var demandByMask: [Int: Int] = [:]
        var fitMasks: [FitProfile: Int?] = [:]
        for (j, job) in instance.jobs.enumerated() {
            switch term {
            case let .tier(p): if job.priority != p { continue }
            case .utilization: break
            default: return nil
            }
            var largest = 0
            var mask = 0
            for s in job.shapes.indices {
                // Jobs alike in everything fitting reads share the answer (10,000 generated jobs
                // have a few hundred such profiles; each answer scans every node group).
                let key = FitProfile(job: job, shape: s)
                let modelMask: Int?
                if let known = fitMasks[key] {
                    modelMask = known
                } else {
                    let groups = fittableGroups(instance: instance, job: j, shape: s, stats: stats)
                    var found = 0
                    for g in groups where instance.groups[g].accelerator < 62 { found |= 1 << instance.groups[g].accelerator }
                    modelMask = groups.isEmpty ? nil : found
                    fitMasks[key] = modelMask
                }
                guard let modelMask else { continue }
                largest = max(largest, job.shapes[s].gpus)
                mask |= modelMask
            }
            guard largest > 0 else { continue }
            byTenant[job.tenant] += largest
            demandByMask[mask, default: 0] += largest
        }
        let demand = byTenant.enumerated().reduce(0) { $0 + min($1.element, instance.tenantQuota[$1.offset]) }
        var best = min(demand, capacity.reduce(0, +))
        // Max-flow/min-cut over jobs → accelerators → sink: for every set T of accelerators,
        // placed GPUs ≤ capacity(T) + demand of the jobs that can use something outside T.
        if typeCount <= 12 {
            let masks = demandByMask.keys.sorted()
            for t in 0..<(1 << typeCount) {
                var cut = 0
                for k in 0..<typeCount where t & (1 << k) != 0 { cut += capacity[k] }
                for mask in masks where mask & ~t != 0 { cut += demandByMask[mask] ?? 0 }
                best = min(best, cut)
            }
        }
        return Double(best)
    }

    static func lpBound(
        instance: PlanningInstance, term: StageTerm, context: TermContext, migrationPenalty: Double,
        backends: SolverBackends = .standard, timeLimit: Double?
    ) -> Double? {
        // Only an exact backend's LP optimum is a bound.
        guard let exact = backends.exact, exact.isExact else { return nil }
        let stats = GroupFreeGPUs(instance: instance)
        let groups = instance.groups
        let nodes = instance.nodes
        var groupFree = [Int](repeating: 0, count: groups.count)
        var groupMaxFree = [Int](repeating: 0, count: groups.count)
        for (g, group) in groups.enumerated() {
            for n in group.nodes {
                groupFree[g] += max(0, nodes[n].free)
                groupMaxFree[g] = max(groupMaxFree[g], nodes[n].free)
            }
        }
        var objective: [Double] = []
        var jobRows: [[(Int, Double)]] = instance.jobs.map { _ in [] }
        var groupRows = [[(Int, Double)]](repeating: [], count: groups.count)
        var nodeKeep = [[(Int, Double)]](repeating: [], count: nodes.count)
        var quotaRows = [[(Int, Double)]](repeating: [], count: instance.tenants.count)
        var budgetRows: [[(Int, Double)]] = instance.jobs.map { _ in [] }
        for (j, job) in instance.jobs.enumerated() {
            let quota = instance.tenantQuota[job.tenant]
            if let current = job.current {
                let shape = job.shapes[current.shape]
                let (perNode, cost, logA) = current.footprint(on: nodes)
                let v = context.value(term, job: j, priority: job.priority, gpus: shape.gpus, referenceGPUs: job.referenceGPUs,
                                      shape: current.shape, accelerator: current.accelerator, costPerHour: cost, logAvailability: logA)
                let c = objective.count
                objective.append(v + migrationPenalty * abs(v))
                jobRows[j].append((c, 1))
                for (n, gpus) in perNode { nodeKeep[n].append((c, Double(gpus))) }
                if quota != Int.max { quotaRows[job.tenant].append((c, Double(shape.gpus))) }
                if job.budgetPerHour != nil { budgetRows[j].append((c, cost)) }
            }
            for s in job.shapes.indices {
                let shape = job.shapes[s]
                let demand = shape.gpus
                guard demand <= quota else { continue }
                let single = job.locality == .node || shape.workers == 1
                for g in fittableGroups(instance: instance, job: j, shape: s, stats: stats) {
                    let group = groups[g]
                    let perGPUCost = group.pricePerGPU * Double(demand)
                    let nodesNeeded = single ? 1 : Double(demand) / Double(max(1, groupMaxFree[g]))
                    let v = context.value(term, job: j, priority: job.priority, gpus: demand, referenceGPUs: job.referenceGPUs,
                                          shape: s, accelerator: group.accelerator, costPerHour: perGPUCost,
                                          logAvailability: group.logAvailability * nodesNeeded)
                    let c = objective.count
                    objective.append(v)
                    jobRows[j].append((c, 1))
                    groupRows[g].append((c, Double(demand)))
                    if quota != Int.max { quotaRows[job.tenant].append((c, Double(demand))) }
                    if job.budgetPerHour != nil { budgetRows[j].append((c, perGPUCost)) }
                }
            }
        }
        guard !objective.isEmpty else { return 0 }
        // Kept jobs' GPUs count against their groups.
        for n in nodes.indices where !nodeKeep[n].isEmpty && nodes[n].group >= 0 {
            groupRows[nodes[n].group].append(contentsOf: nodeKeep[n])
        }
        var model = Model(name: "placement-bound")
        model.addVariables(count: objective.count, lower: 0, upper: 1)
        var starts = [0]
        var columns: [Int32] = []
        var values: [Double] = []
        var lower: [Double] = []
        var upper: [Double] = []
        func row(_ entries: [(Int, Double)], _ hi: Double) {
            guard !entries.isEmpty else { return }
            for (c, a) in entries { columns.append(Int32(c)); values.append(a) }
            starts.append(columns.count); lower.append(-.infinity); upper.append(hi)
        }
        for entries in jobRows { row(entries, 1) }
        for g in groups.indices { row(groupRows[g], Double(groupFree[g])) }
        for t in instance.tenants.indices where instance.tenantQuota[t] != Int.max { row(quotaRows[t], Double(instance.tenantQuota[t])) }
        for (j, job) in instance.jobs.enumerated() { if let b = job.budgetPerHour { row(budgetRows[j], b) } }
        model.addConstraints(rowStarts: starts, columns: columns, coefficients: values, lower: lower, upper: upper)
        model.setObjective(.maximize, coefficients: objective)
        guard let program = try? model.lowered(),
              let solution = try? Solver.solve(program, options: SolveOptions(method: .simplex, timeLimit: timeLimit), backends: backends),
              solution.termination == .optimal, let value = solution.bestBound ?? solution.objective else { return nil }
        // A little slack for the LP's own round-off.
        return value + 1e-7 * max(1, abs(value))
    }
}

/// What ``AggregateBound/fittableGroups(instance:job:shape:stats:)`` reads of a job and one of its
/// shapes: two jobs with the same profile have the same fittable groups.
private struct FitProfile: Hashable {
    var workers: Int
    var gpusPerWorker: Int
    var allowedModels: [Bool]?
    var minMemoryGiB: Double
    var allowedProviders: [Bool]?
    var deniedProviders: [Bool]
    var locality: LocalityScope

    init(job: JobDemand, shape s: Int) {
        workers = job.shapes[s].workers
        gpusPerWorker = job.shapes[s].gpusPerWorker
        allowedModels = job.shapes[s].allowed
        minMemoryGiB = job.minMemoryGiB
        allowedProviders = job.allowedProviders
        deniedProviders = job.deniedProviders
        locality = job.locality
    }
}
