/// Explains why jobs stayed unplaced: first what can never work in this pool (eligibility, gang
/// size, locality, static quota and budget), then what blocks the job now (capacity taken by
/// higher tiers or by others, quota used up, budget).
struct UnplacedReasons {
    let instance: PlanningInstance
    /// Tenant quotas before any job of this round (pinned jobs already deducted).
    let originalQuota: [Int]

    func reason(job j: Int, probe: GreedyPlacer, decisions: [PlacementDecision?], priorityActive: Bool) -> UnplacedReason {
        let job = instance.jobs[j]
        let nodes = instance.nodes
        // 1. Eligibility.
        var eligibleGroups: [[Int]] = []
        for s in job.shapes.indices {
            eligibleGroups.append(instance.groups.indices.filter { instance.eligible(job: j, shape: s, group: $0) })
        }
        if eligibleGroups.allSatisfy(\.isEmpty) {
            return eligibilityReason(job: job)
        }
        // 2. The gang in the otherwise empty pool.
        var fitsSomeScope = false
        var fitsIgnoringLocality = false
        var largestScope = 0
        var largestTotal = 0
        for (s, groups) in eligibleGroups.enumerated() where !groups.isEmpty {
            let shape = job.shapes[s]
            var total = 0
            var perScope: [Int: Int] = [:]
            var largestNode = 0
            for g in groups {
                for n in instance.groups[g].nodes {
                    let free = max(0, nodes[n].free)
                    let workers = free / shape.gpusPerWorker
                    total += workers
                    largestNode = max(largestNode, free)
                    let key = job.locality == .region ? nodes[n].region : job.locality == .provider ? nodes[n].provider : 0
                    perScope[key, default: 0] += workers
                }
            }
            largestTotal = max(largestTotal, total * shape.gpusPerWorker)
            if total >= shape.workers { fitsIgnoringLocality = true }
            switch job.locality {
            case .node:
                largestScope = max(largestScope, largestNode)
                if largestNode >= shape.gpus || (shape.workers == 1 && largestNode >= shape.gpus) { fitsSomeScope = true }
            case .any:
                if shape.workers == 1 {
                    largestScope = max(largestScope, largestNode)
                    if largestNode >= shape.gpus { fitsSomeScope = true }
                } else if total >= shape.workers { fitsSomeScope = true }
            case .region, .provider:
                let best = perScope.values.max() ?? 0
                largestScope = max(largestScope, best * shape.gpusPerWorker)
                if shape.workers == 1 {
                    if largestNode >= shape.gpus { fitsSomeScope = true }
                } else if best >= shape.workers { fitsSomeScope = true }
            }
        }
        let smallest = job.shapes.map(\.gpus).min() ?? 0
        if !fitsSomeScope {
            if fitsIgnoringLocality && job.locality != .any {
                return UnplacedReason(.locality, "needs \(smallest) GPUs within one \(job.locality.word); the largest eligible \(job.locality.word) offers \(largestScope)")
            }
            if job.shapes.allSatisfy({ $0.workers == 1 }) && fitsIgnoringLocality {
                return UnplacedReason(.gangDoesNotFit, "a single worker needs \(smallest) GPUs on one node; the largest eligible node has \(largestScope)")
            }
            return UnplacedReason(.gangDoesNotFit, "needs \(smallest) GPUs of eligible kinds; the pool has \(largestTotal)")
        }
        // 3. Static quota and budget.
        let quota = originalQuota[job.tenant]
        if job.shapes.allSatisfy({ $0.gpus > quota }) {
            return UnplacedReason(.quota, "needs \(smallest) GPUs; tenant \"\(instance.tenants[job.tenant])\" has a quota of \(quota)")
        }
        if let budget = job.budgetPerHour {
            let cheapest = eligibleGroups.enumerated().compactMap { s, groups in
                groups.map { instance.groups[$0].pricePerGPU }.min().map { $0 * Double(job.shapes[s].gpus) }
            }.min() ?? .infinity
            if cheapest > budget + 1e-9 {
                return UnplacedReason(.budget, "the cheapest eligible placement costs \(rounded(cheapest))/h; budget is \(rounded(budget))/h")
            }
        }
        // 4. What blocks it now.
        let (candidate, failure) = probe.bestCandidate(for: j)
        if candidate != nil {
            return UnplacedReason(.capacityExhausted, "fits the leftover capacity, but the optimiser preferred other jobs")
        }
        if failure.contains(.quota) && !failure.contains(.capacity) && !failure.contains(.budget) {
            let left = probe.tenantRemaining[job.tenant]
            return UnplacedReason(.quota, "tenant \"\(instance.tenants[job.tenant])\" has \(left) of its quota of \(quota) GPUs left; the job needs \(smallest)")
        }
        if failure.contains(.budget) && !failure.contains(.capacity) {
            return UnplacedReason(.budget, "every placement that fits the free capacity costs more than \(rounded(job.budgetPerHour ?? 0))/h")
        }
        if priorityActive {
            let competing = Set(eligibleGroups.flatMap { $0 })
            let higher = decisions.indices.contains { i in
                guard let d = decisions[i], instance.jobs[i].priority > job.priority else { return false }
                return d.parts.contains { competing.contains(nodes[$0.node].group) }
            }
            if higher {
                return UnplacedReason(.lowerPriority, "eligible capacity is taken by jobs of higher priority tiers")
            }
        }
        if failure.contains(.quota) {
            return UnplacedReason(.quota, "tenant \"\(instance.tenants[job.tenant])\" quota is used up for shapes that would fit")
        }
        return UnplacedReason(.capacityExhausted, "eligible nodes do not have \(smallest) free GPUs arranged as the gang needs")
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
