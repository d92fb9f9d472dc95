/// Explains why jobs stayed unplaced, as Docs/Planning.md defines each code: first what can never
/// work in this pool (eligibility, gang size per accelerator model, locality, static quota and
/// budget), then what blocks the job now (capacity held by higher tiers, the capacity the plan
/// leaves, the budget on that capacity, the tenant's remaining quota).
struct UnplacedReasons {
    let instance: PlanningInstance
    /// Tenant quotas before any job of this round (pinned jobs already deducted).
    let originalQuota: [Int]
    let decisions: [PlacementDecision?]
    let priorityActive: Bool
    /// Free GPUs per node at the start of the round ("the empty pool").
    private let startFree: [Int]
    /// Tenant quota the plan leaves.
    private let quotaLeft: [Int]
    /// Free GPUs left by the jobs of tiers above each tier (priority only).
    private var higherTierFree: [Int: GroupFreeGPUs] = [:]
    /// The empty pool and the capacity the plan leaves, summarised per node group for ``GangFit``.
    private let startCapacity: GroupFreeGPUs
    private let planCapacity: GroupFreeGPUs

    init(instance: PlanningInstance, originalQuota: [Int], decisions: [PlacementDecision?], priorityActive: Bool) {
        self.instance = instance
        self.originalQuota = originalQuota
        self.decisions = decisions
        self.priorityActive = priorityActive
        startFree = instance.nodes.map { $0.usable ? max(0, $0.free) : 0 }
        var free = startFree
        var quota = originalQuota
        for (j, decision) in decisions.enumerated() {
            guard let decision else { continue }
            let shape = instance.jobs[j].shapes[decision.shape]
            for part in decision.parts { free[part.node] -= part.workers * shape.gpusPerWorker }
            if quota[instance.jobs[j].tenant] != .max { quota[instance.jobs[j].tenant] -= shape.gpus }
        }
        quotaLeft = quota
        startCapacity = GroupFreeGPUs(instance: instance, free: startFree)
        planCapacity = GroupFreeGPUs(instance: instance, free: free)
        if priorityActive {
            let tiers = Set(instance.jobs.indices.filter { decisions[$0] == nil }.map { instance.jobs[$0].priority })
            for tier in tiers {
                var free = startFree
                for (j, decision) in decisions.enumerated() where instance.jobs[j].priority > tier {
                    guard let decision else { continue }
                    let gpw = instance.jobs[j].shapes[decision.shape].gpusPerWorker
                    for part in decision.parts { free[part.node] -= part.workers * gpw }
                }
                higherTierFree[tier] = GroupFreeGPUs(instance: instance, free: free)
            }
        }
    }

    func reason(job j: Int) -> UnplacedReason {
        let job = instance.jobs[j]
        let fit = GangFit(instance: instance, job: j)
        let smallest = job.shapes.map(\.gpus).min() ?? 0
        // 1. Eligibility (model, memory, provider); a worker larger than every such node is a gang
        //    that does not fit.
        if !fit.hasEligibleNode { return eligibilityReason(job: job) }
        // 2. The gang in the empty pool, per accelerator model, then within its locality.
        if !fit.fits(free: startCapacity, locality: .any) {
            return UnplacedReason(.gangDoesNotFit, "needs \(smallest) GPUs of one eligible model; the most any eligible model offers is \(largestModelCapacity(j))")
        }
        if !fit.fits(free: startCapacity) {
            return UnplacedReason(.locality, "needs \(smallest) GPUs of one model within one \(job.locality.word); the largest eligible \(job.locality.word) offers \(largestScopeCapacity(j))")
        }
        // 3. Static quota and budget.
        let quota = originalQuota[job.tenant]
        if !fit.fits(free: startCapacity, quota: quota) {
            return UnplacedReason(.quota, "needs \(smallest) GPUs; tenant \"\(instance.tenants[job.tenant])\" has a quota of \(quota)")
        }
        if let budget = job.budgetPerHour, !fit.fits(free: startCapacity, quota: quota, budget: true) {
            let cheapest = fit.cheapestCost(free: startCapacity, quota: quota) ?? .infinity
            return UnplacedReason(.budget, "the cheapest feasible placement costs \(rounded(cheapest))/h; budget is \(rounded(budget))/h")
        }
        // 4. What blocks it now.
        if priorityActive, let free = higherTierFree[job.priority], !fit.fits(free: free, budget: true) {
            return UnplacedReason(.lowerPriority, "the capacity left by jobs of higher priority tiers cannot hold it")
        }
        if !fit.fits(free: planCapacity) {
            return UnplacedReason(.capacityExhausted, "the capacity the plan leaves free cannot hold \(smallest) GPUs as the gang needs")
        }
        if job.budgetPerHour != nil, !fit.fits(free: planCapacity, budget: true) {
            let cheapest = fit.cheapestCost(free: planCapacity) ?? .infinity
            return UnplacedReason(.budget, "the cheapest placement in the leftover capacity costs \(rounded(cheapest))/h; budget is \(rounded(job.budgetPerHour ?? 0))/h")
        }
        let left = quotaLeft[job.tenant]
        return UnplacedReason(.quota, "tenant \"\(instance.tenants[job.tenant])\" has \(left) of its quota of \(quota) GPUs left; the job needs \(smallest)")
    }

    /// Most whole-worker GPUs one eligible model offers in the empty pool (over the job's shapes).
    private func largestModelCapacity(_ j: Int) -> Int {
        var best = 0
        let job = instance.jobs[j]
        for (s, shape) in job.shapes.enumerated() {
            var perModel = [Int](repeating: 0, count: instance.accelerators.count)
            for g in instance.groups.indices where instance.eligible(job: j, shape: s, group: g) {
                for n in instance.groups[g].nodes { perModel[instance.groups[g].accelerator] += startFree[n] / shape.gpusPerWorker * shape.gpusPerWorker }
            }
            best = max(best, perModel.max() ?? 0)
        }
        return best
    }

    /// Most whole-worker GPUs of one model within one locality scope in the empty pool.
    private func largestScopeCapacity(_ j: Int) -> Int {
        var best = 0
        let job = instance.jobs[j]
        for (s, shape) in job.shapes.enumerated() {
            var perScope: [[Int]: Int] = [:]
            for g in instance.groups.indices where instance.eligible(job: j, shape: s, group: g) {
                for n in instance.groups[g].nodes {
                    let node = instance.nodes[n]
                    let gpus = startFree[n] / shape.gpusPerWorker * shape.gpusPerWorker
                    switch job.locality {
                    case .node: best = max(best, gpus)
                    case .region: perScope[[node.accelerator, node.region], default: 0] += gpus
                    case .provider: perScope[[node.accelerator, node.provider], default: 0] += gpus
                    case .any: perScope[[node.accelerator], default: 0] += gpus
                    }
                }
            }
            best = max(best, perScope.values.max() ?? 0)
        }
        return best
    }

    private func eligibilityReason(job: JobDemand) -> UnplacedReason {
        let usable = instance.nodes.filter(\.usable)
        if usable.isEmpty { return UnplacedReason(.noEligibleNode, "the pool has no schedulable node") }
        let models = usable.filter { node in job.shapes.contains { $0.allows(node.accelerator) } }
        if models.isEmpty {
            return UnplacedReason(.noEligibleNode, "no schedulable node has an allowed accelerator with non-zero throughput")
        }
        let memory = models.filter { $0.memoryGiB >= job.minMemoryGiB }
        if memory.isEmpty {
            return UnplacedReason(.noEligibleNode, "no schedulable node with an allowed accelerator has \(job.minMemoryGiB) GiB per GPU")
        }
        let providers = memory.filter { job.providerAllowed($0.provider) }
        if providers.isEmpty {
            return UnplacedReason(.noEligibleNode, "every otherwise eligible node belongs to a denied or not-allowed provider")
        }
        // Eligible nodes exist, but none is big enough for one worker.
        let perWorker = job.shapes.map(\.gpusPerWorker).min() ?? 1
        let largest = providers.map(\.gpuCount).max() ?? 0
        return UnplacedReason(.gangDoesNotFit, "one worker needs \(perWorker) GPUs on a node; the largest eligible node has \(largest)")
    }

    private func rounded(_ value: Double) -> String {
        String(Double((value * 100).rounded()) / 100)
    }
}

extension LocalityScope {
    /// "node", "region", "provider" or "pool".
    var word: String {
        switch self {
        case .node: return "node"
        case .region: return "region"
        case .provider: return "provider"
        case .any: return "pool"
        }
    }
}
