import GPUPoolDomain

/// The rules about unplaced jobs (Docs/Planning.md, "Guarantees on every plan"): no idle job that
/// fits, strict priorities, and reasons that agree with the capacity. Written from the docs on
/// domain values only — nodes are grouped into classes of identical nodes with a histogram of
/// free GPUs, so a check costs per class, not per node.
struct UnplacedRules {
    let pool: Pool
    let workload: Workload
    let plan: Plan
    private let classes: [NodeClass]
    /// Class index and position of each schedulable node id.
    private let classOf: [String: Int]
    /// Classes that eligibility cannot tell apart (same provider, model, GPU memory and node size),
    /// with one representative node each: eligibility is decided once per kind, not per class.
    private let kinds: [(representative: Node, classes: [Int])]
    /// GPUs held by work outside the plan (``Node/gpusInUse``), per node id: never free for a plan.
    private let outsideWork: [String: Int]

    /// Identical nodes for fitting purposes.
    private struct NodeClass {
        var representative: Node
        var nodes: [String]
        /// Scope keys, as small integers: model, model + provider, model + provider + region.
        var modelKey: Int, providerKey: Int, regionKey: Int
    }

    init(plan: Plan, pool: Pool, workload: Workload) {
        self.plan = plan
        self.pool = pool
        self.workload = workload
        struct Key: Hashable {
            var provider: String, region: String, accelerator: String
            var memory: Double, price: Double, gpus: Int
        }
        struct KindKey: Hashable {
            var provider: String, accelerator: String, memory: Double, gpus: Int
        }
        var index: [Key: Int] = [:]
        var kindIndex: [KindKey: Int] = [:]
        var scopeIndex: [[String]: Int] = [:]
        func scope(_ parts: [String]) -> Int {
            if let known = scopeIndex[parts] { return known }
            scopeIndex[parts] = scopeIndex.count
            return scopeIndex.count - 1
        }
        var classes: [NodeClass] = []
        var kinds: [(representative: Node, classes: [Int])] = []
        var classOf: [String: Int] = [:]
        for node in pool.nodes where node.isSchedulable && classOf[node.id] == nil {
            let key = Key(provider: node.provider, region: node.region, accelerator: node.accelerator,
                          memory: node.gpuMemoryGiB, price: node.pricePerGPUHour, gpus: node.gpuCount)
            let c = index[key] ?? {
                index[key] = classes.count
                classes.append(NodeClass(
                    representative: node, nodes: [], modelKey: scope([node.accelerator]),
                    providerKey: scope([node.accelerator, node.provider]),
                    regionKey: scope([node.accelerator, node.provider, node.region])))
                let kind = KindKey(provider: node.provider, accelerator: node.accelerator, memory: node.gpuMemoryGiB, gpus: node.gpuCount)
                if let k = kindIndex[kind] {
                    kinds[k].classes.append(classes.count - 1)
                } else {
                    kindIndex[kind] = kinds.count
                    kinds.append((node, [classes.count - 1]))
                }
                return classes.count - 1
            }()
            classes[c].nodes.append(node.id)
            classOf[node.id] = c
        }
        self.classes = classes
        self.classOf = classOf
        self.kinds = kinds
        var outsideWork: [String: Int] = [:]
        for node in pool.nodes where node.gpusInUse > 0 { outsideWork[node.id, default: 0] += node.gpusInUse }
        self.outsideWork = outsideWork
    }

    /// The classes whose nodes `job` may use for `shape`.
    private func eligibleClasses(_ job: Job, _ shape: JobShape) -> [Int] {
        var result: [Int] = []
        for kind in kinds where job.isEligible(kind.representative, for: shape) { result += kind.classes }
        return result
    }

    /// Free GPUs per class: `histogram[c][f]` nodes of class `c` with `f` free GPUs.
    typealias Capacity = [[Int]]

    /// The capacity left when the placed entries accepted by `holds` use their GPUs.
    func capacity(holding holds: (JobPlacement) -> Bool) -> Capacity {
        var used = outsideWork
        for entry in plan.jobs where entry.status == .placed && holds(entry) {
            for worker in entry.workers { used[worker.node, default: 0] += worker.gpus.count }
        }
        return classes.map { nodeClass in
            var histogram = [Int](repeating: 0, count: nodeClass.representative.gpuCount + 1)
            for id in nodeClass.nodes { histogram[max(0, nodeClass.representative.gpuCount - (used[id] ?? 0))] += 1 }
            return histogram
        }
    }

    /// GPUs each tenant holds in the placed entries accepted by `holds`.
    func tenantGPUs(holding holds: (JobPlacement) -> Bool) -> [String: Int] {
        var result: [String: Int] = [:]
        for entry in plan.jobs where entry.status == .placed && holds(entry) { result[entry.tenant, default: 0] += entry.gpuCount }
        return result
    }

    /// The eligible classes of each of `job`'s shapes, in shape order: what ``fits`` needs, worked
    /// out once per job (a job is checked against several capacities).
    func eligibility(_ job: Job) -> [[Int]] { job.shapes.map { eligibleClasses(job, $0) } }

    /// Whether some shape of `job` fits `capacity` with at most `quota` GPUs, within its locality
    /// (or none, with `ignoreLocality`), and within its budget when `budget` is set. `eligible` is
    /// the job's ``eligibility(_:)``.
    func fits(_ job: Job, capacity: Capacity, quota: Int?, ignoreLocality: Bool = false, budget: Bool = false,
              eligible: [[Int]]) -> Bool {
        let limit = budget ? job.budgetPerHour : nil
        for (s, shape) in job.shapes.enumerated() {
            let gpw = shape.gpusPerWorker
            let gpus = shape.workers * gpw
            if let quota, gpus > quota { continue }
            let single = shape.workers == 1 || (job.locality == .node && !ignoreLocality)
            // Worker slots (price, count) per (model, scope).
            var slots: [Int: [(price: Double, count: Int)]] = [:]
            for c in eligible[s] {
                let histogram = capacity[c]
                let price = classes[c].representative.pricePerGPUHour
                if single {
                    let free = histogram.indices.last { histogram[$0] > 0 } ?? 0
                    if free >= gpus && (limit.map { price * Double(gpus) <= $0 * (1 + 1e-12) + 1e-9 } ?? true) { return true }
                    continue
                }
                var count = 0
                for f in gpw..<max(gpw, histogram.count) { count += histogram[f] * (f / gpw) }
                guard count > 0 else { continue }
                var key = classes[c].modelKey
                if !ignoreLocality {
                    switch job.locality {
                    case .region: key = classes[c].regionKey
                    case .provider: key = classes[c].providerKey
                    case .node, .any: break
                    }
                }
                slots[key, default: []].append((price * Double(gpw), count))
            }
            for (_, list) in slots {
                guard list.reduce(0, { $0 + $1.count }) >= shape.workers else { continue }
                guard let limit else { return true }
                var left = shape.workers
                var cost = 0.0
                for slot in list.sorted(by: { $0.price < $1.price }) where left > 0 {
                    let take = min(left, slot.count)
                    cost += slot.price * Double(take)
                    left -= take
                }
                if cost <= limit * (1 + 1e-12) + 1e-9 { return true }
            }
        }
        return false
    }

    /// The reason code Docs/Planning.md gives an unplaced job, from the capacity alone.
    func expectedReason(_ job: Job, empty: Capacity, staticQuota: Int?, left: Capacity, quotaLeft: Int?,
                        higherTiers: Capacity?, eligible: [[Int]]) -> UnplacedReasonCode {
        // Eligibility for a reason is model, memory and provider; node size belongs to the gang.
        let anyEligible = job.shapes.contains { shape in
            kinds.contains { kind in
                var node = kind.representative
                node.gpuCount = max(node.gpuCount, shape.gpusPerWorker)
                return job.isEligible(node, for: shape)
            }
        }
        if !anyEligible { return .noEligibleNode }
        if !fits(job, capacity: empty, quota: nil, ignoreLocality: true, eligible: eligible) { return .gangDoesNotFit }
        if !fits(job, capacity: empty, quota: nil, eligible: eligible) { return .locality }
        if !fits(job, capacity: empty, quota: staticQuota, eligible: eligible) { return .quota }
        if !fits(job, capacity: empty, quota: staticQuota, budget: true, eligible: eligible) { return .budget }
        if let higherTiers, !fits(job, capacity: higherTiers, quota: nil, budget: true, eligible: eligible) { return .lowerPriority }
        if !fits(job, capacity: left, quota: nil, eligible: eligible) { return .capacityExhausted }
        if !fits(job, capacity: left, quota: nil, budget: true, eligible: eligible) { return .budget }
        return .quota
    }

    func violations() -> [PlanViolation] {
        var violations: [PlanViolation] = []
        var jobs: [String: Job] = [:]
        for job in workload.jobs where jobs[job.id] == nil { jobs[job.id] = job }
        let unplaced = plan.jobs.filter { $0.status == .unplaced && jobs[$0.job] != nil }
        guard !unplaced.isEmpty else { return [] }
        let left = capacity { _ in true }
        let empty = capacity { $0.pinned }
        let held = tenantGPUs { _ in true }
        let pinnedHeld = tenantGPUs { $0.pinned }
        let priorities = plan.policies.contains(PlanningPolicy.priority.rawValue)
        var higherCapacity: [Int: Capacity] = [:]
        var atOrAbove: [Int: (capacity: Capacity, tenants: [String: Int])] = [:]
        for entry in unplaced {
            let job = jobs[entry.job]!
            let eligible = eligibility(job)
            let quota = workload.tenantQuotas[job.tenant]
            let quotaLeft = quota.map { $0 - (held[job.tenant] ?? 0) }
            if fits(job, capacity: left, quota: quotaLeft, budget: true, eligible: eligible) {
                violations.append(.init(.idleJobFits, job: job.id, "unplaced, but fits the capacity, quota and budget the plan leaves"))
                continue
            }
            var higher: Capacity?
            if priorities {
                if atOrAbove[job.priority] == nil {
                    let keep: (JobPlacement) -> Bool = { ($0.pinned) || (jobs[$0.job]?.priority ?? .min) >= job.priority }
                    atOrAbove[job.priority] = (capacity(holding: keep), tenantGPUs(holding: keep))
                }
                let above = atOrAbove[job.priority]!
                if fits(job, capacity: above.capacity, quota: quota.map { $0 - (above.tenants[job.tenant] ?? 0) }, budget: true, eligible: eligible) {
                    violations.append(.init(.priority, job: job.id, "unplaced, but fits once the jobs of lower priority tiers are removed"))
                    continue
                }
                if higherCapacity[job.priority] == nil {
                    higherCapacity[job.priority] = capacity { $0.pinned || (jobs[$0.job]?.priority ?? .min) > job.priority }
                }
                higher = higherCapacity[job.priority]
            }
            guard let reason = entry.reason, reason.code != .displaced else { continue }
            let expected = expectedReason(
                job, empty: empty, staticQuota: quota.map { $0 - (pinnedHeld[job.tenant] ?? 0) }, left: left,
                quotaLeft: quotaLeft, higherTiers: higher, eligible: eligible)
            if expected != reason.code {
                violations.append(.init(.reason, job: job.id, "reason \(reason.code.rawValue), but the capacity says \(expected.rawValue)"))
            }
        }
        return violations
    }
}
