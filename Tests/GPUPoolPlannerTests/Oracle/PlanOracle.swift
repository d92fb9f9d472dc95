import Foundation
import GPUPoolDomain
import GPUPoolPlanner

// An oracle for plans written from Docs/Planning.md and Docs/PoolFormat.md only (not from the planner's
// code): feasibility of a placement, the value of each stage term, "does this job fit the leftover
// capacity", and which reason codes agree with their definitions.

/// The relative tolerance of the docs: `1e-6 · max(1, |v|)`.
func oracleTolerance(_ value: Double) -> Double { 1e-6 * max(1, abs(value)) }

/// One stage term of Docs/Planning.md "Objectives (stages)".
enum OracleTerm: Hashable, Sendable, CustomStringConvertible {
    case tier(Int)
    case utilization
    case throughput
    case cost
    case availability
    case allocationShare

    /// The term a stage record names, `nil` for a name the docs do not define.
    init?(objective: String) {
        switch objective {
        case "max-utilization": self = .utilization
        case "max-throughput": self = .throughput
        case "min-cost": self = .cost
        case "max-availability": self = .availability
        case "allocation-share": self = .allocationShare
        default:
            let prefix = "priority-tier-"
            guard objective.hasPrefix(prefix), let p = Int(objective.dropFirst(prefix.count)) else { return nil }
            self = .tier(p)
        }
    }

    /// `min-cost` is the only minimised term.
    var minimises: Bool { self == .cost }

    var description: String {
        switch self {
        case let .tier(p): "priority-tier-\(p)"
        case .utilization: "max-utilization"
        case .throughput: "max-throughput"
        case .cost: "min-cost"
        case .availability: "max-availability"
        case .allocationShare: "allocation-share"
        }
    }

    /// Whether `a` is better than `b` by more than the tolerance (in this term's sense).
    func isBetter(_ a: Double, than b: Double) -> Bool {
        minimises ? a < b - oracleTolerance(b) : a > b + oracleTolerance(b)
    }

    /// Whether `a` keeps an earlier stage's value `v` ("at least as good, less the tolerance").
    func keeps(_ a: Double, _ v: Double) -> Bool {
        minimises ? a <= v + oracleTolerance(v) : a >= v - oracleTolerance(v)
    }
}

/// A placed job: shape, model and whole workers per node (GPU indices do not matter).
struct OraclePlacement: Hashable, Sendable {
    var job: Int
    var shape: Int
    var model: String
    /// Node index (into `pool.nodes`) → workers on that node.
    var workers: [Int: Int]
}

/// The pool and workload seen through the docs' definitions.
struct OracleProblem: Sendable {
    let pool: Pool
    let workload: Workload
    let table: ThroughputTable
    let nodes: [Node]
    let jobs: [Job]
    let jobIndex: [String: Int]
    let nodeIndex: [String: Int]
    /// `log P_i` per node.
    let logP: [Double]
    /// `best(j)` per job.
    private(set) var best: [Double]
    /// Distinct priorities, highest first.
    let priorities: [Int]
    let models: [String]

    init(pool: Pool, workload: Workload, table: ThroughputTable = .standard) {
        self.pool = pool
        self.workload = workload
        self.table = table
        nodes = pool.nodes
        jobs = workload.jobs
        jobIndex = Dictionary(uniqueKeysWithValues: workload.jobs.enumerated().map { ($1.id, $0) })
        nodeIndex = Dictionary(uniqueKeysWithValues: pool.nodes.enumerated().map { ($1.id, $0) })
        logP = pool.nodes.map { node in
            let p = node.availability ?? pool.providers.first { $0.id == node.provider }.map { provider in
                provider.availability ?? Self.kindDefault(provider.kind)
            } ?? 0.90
            return Foundation.log(p)
        }
        priorities = Array(Set(workload.jobs.map(\.priority))).sorted(by: >)
        models = Array(Set(pool.nodes.map(\.accelerator))).sorted()
        best = []
        best = jobs.indices.map { bestThroughput($0) }
    }

    /// Docs/PoolFormat.md "Availability": own 0.995, cloud 0.98, community 0.90.
    static func kindDefault(_ kind: ProviderKind) -> Double {
        switch kind {
        case .ownDataCenter: 0.995
        case .cloud: 0.98
        case .community: 0.90
        }
    }

    // MARK: Eligibility

    func shape(_ j: Int, _ s: Int) -> JobShape { s == 0 ? jobs[j].shape : jobs[j].alternatives[s - 1] }
    func shapeCount(_ j: Int) -> Int { 1 + jobs[j].alternatives.count }
    func gpus(_ j: Int, _ s: Int) -> Int { shape(j, s).workers * shape(j, s).gpusPerWorker }

    static func schedulable(_ node: Node) -> Bool { node.health == .healthy || node.health == .suspect }

    /// Docs "Eligibility" (health not included).
    func eligible(_ j: Int, _ s: Int, _ n: Int, sizeAside: Bool = false) -> Bool {
        let job = jobs[j], sh = shape(j, s), node = nodes[n]
        if let list = sh.accelerators, !list.contains(node.accelerator) { return false }
        if job.throughput[node.accelerator] == 0 { return false }
        if node.gpuMemoryGiB < job.minGPUMemoryGiB { return false }
        if let allowed = job.allowedProviders, !allowed.contains(node.provider) { return false }
        if job.deniedProviders.contains(node.provider) { return false }
        return sizeAside || node.gpuCount >= sh.gpusPerWorker
    }

    /// Schedulable and eligible.
    func usable(_ j: Int, _ s: Int, _ n: Int) -> Bool { Self.schedulable(nodes[n]) && eligible(j, s, n) }

    /// Locality scope key of a node for a job (docs "Locality"; region names are per provider).
    func scopeKey(_ j: Int, _ n: Int) -> String {
        let node = nodes[n]
        switch jobs[j].locality {
        case .node: return "node \(node.id)"
        case .region: return "region \(node.provider)|\(node.region)"
        case .provider: return "provider \(node.provider)"
        case .any: return "any"
        }
    }

    // MARK: Terms

    /// `T(j,s,k)`: measured, else estimated (Docs/ThroughputEstimates.md, through the domain's table).
    func rawThroughput(_ j: Int, _ s: Int, _ model: String) -> Double {
        table.estimate(job: jobs[j], shape: shape(j, s), accelerator: model) ?? 0
    }

    private func bestThroughput(_ j: Int) -> Double {
        var value: Double?
        for s in 0..<shapeCount(j) {
            for k in models where nodes.indices.contains(where: { nodes[$0].accelerator == k && usable(j, s, $0) }) {
                let t = rawThroughput(j, s, k)
                value = max(value ?? t, t)
            }
        }
        guard let value, value > 0 else { return 1 }
        return value
    }

    /// `G₀ × min(1, T(j,s,k) / best(j))`.
    func throughputTerm(_ j: Int, _ s: Int, _ model: String) -> Double {
        Double(gpus(j, 0)) * min(1, rawThroughput(j, s, model) / best[j])
    }

    func cost(_ p: OraclePlacement) -> Double {
        let gpw = Double(shape(p.job, p.shape).gpusPerWorker)
        return p.workers.reduce(0.0) { $0 + Double($1.value) * gpw * nodes[$1.key].pricePerGPUHour }
    }

    func availability(_ p: OraclePlacement) -> Double {
        p.workers.filter { $0.value > 0 }.keys.reduce(0.0) { $0 + logP[$1] }
    }

    /// `x(j,k)`: the allocation's time fraction of job `j` on model `k` (0 when absent).
    static func fraction(_ allocation: Allocation?, job: String, model: String) -> Double {
        guard let allocation, let k = allocation.accelerators.firstIndex(of: model),
              let entry = allocation.jobs.first(where: { $0.job == job }), k < entry.fractions.count else { return 0 }
        return entry.fractions[k]
    }

    func term(_ term: OracleTerm, _ p: OraclePlacement, allocation: Allocation?) -> Double {
        let g = Double(gpus(p.job, p.shape))
        switch term {
        case let .tier(level): return jobs[p.job].priority == level ? g : 0
        case .utilization: return g
        case .throughput: return throughputTerm(p.job, p.shape, p.model)
        case .cost: return cost(p)
        case .availability: return availability(p)
        case .allocationShare: return g * Self.fraction(allocation, job: jobs[p.job].id, model: p.model)
        }
    }

    func value(_ t: OracleTerm, _ placements: [OraclePlacement], allocation: Allocation?) -> Double {
        placements.reduce(0.0) { $0 + term(t, $1, allocation: allocation) }
    }

    // MARK: Reading a plan

    /// A plan's placements, its free GPUs per node and every hard-rule violation (docs "Feasible plans").
    struct ReadPlan: Sendable {
        var placements: [OraclePlacement] = []
        /// Unplaced job indices with their entries.
        var unplaced: [(job: Int, entry: JobPlacement)] = []
        var violations: [String] = []
    }

    func read(_ plan: Plan) -> ReadPlan {
        var result = ReadPlan()
        var seen: [Int: Int] = [:]
        var usedGPUs = Set<String>()
        for entry in plan.jobs {
            guard let j = jobIndex[entry.job] else {
                result.violations.append("unknown job \(entry.job)")
                continue
            }
            seen[j, default: 0] += 1
            if entry.status == .unplaced {
                if !entry.workers.isEmpty { result.violations.append("\(entry.job): unplaced but has workers") }
                if entry.reason == nil { result.violations.append("\(entry.job): unplaced without a reason") }
                result.unplaced.append((j, entry))
                continue
            }
            guard let s = entry.shape, s >= 0, s < shapeCount(j), let model = entry.accelerator else {
                result.violations.append("\(entry.job): placed without a valid shape/accelerator")
                continue
            }
            let sh = shape(j, s)
            if entry.workers.count != sh.workers {
                result.violations.append("\(entry.job): \(entry.workers.count) workers, shape has \(sh.workers)")
            }
            var perNode: [Int: Int] = [:]
            var ok = true
            for worker in entry.workers {
                guard let n = nodeIndex[worker.node] else {
                    result.violations.append("\(entry.job): unknown node \(worker.node)")
                    ok = false
                    continue
                }
                let node = nodes[n]
                if worker.gpus.count != sh.gpusPerWorker || Set(worker.gpus).count != worker.gpus.count {
                    result.violations.append("\(entry.job): worker on \(node.id) has GPUs \(worker.gpus), needs \(sh.gpusPerWorker) distinct")
                }
                for g in worker.gpus {
                    if g < 0 || g >= node.gpuCount { result.violations.append("\(entry.job): GPU \(g) out of range on \(node.id)") }
                    if g >= 0 && g < node.gpusInUse { result.violations.append("\(entry.job): GPU \(node.id)/\(g) is held by outside work") }
                    if !usedGPUs.insert("\(n)/\(g)").inserted { result.violations.append("\(entry.job): GPU \(node.id)/\(g) used twice") }
                }
                if node.accelerator != model { result.violations.append("\(entry.job): worker on \(node.id) (\(node.accelerator)) but model \(model)") }
                if !Self.schedulable(node) { result.violations.append("\(entry.job): node \(node.id) is \(node.health.rawValue)") }
                if !eligible(j, s, n) { result.violations.append("\(entry.job): node \(node.id) not eligible for shape \(s)") }
                perNode[n, default: 0] += 1
            }
            guard ok else { continue }
            let scopes = Set(perNode.keys.map { scopeKey(j, $0) })
            if scopes.count > 1 { result.violations.append("\(entry.job): locality \(jobs[j].locality.rawValue) broken: \(scopes.sorted())") }
            let placement = OraclePlacement(job: j, shape: s, model: model, workers: perNode)
            if let budget = jobs[j].budgetPerHour, cost(placement) > budget + 1e-9 * max(1, budget) {
                result.violations.append("\(entry.job): cost \(cost(placement)) over budget \(budget)")
            }
            result.placements.append(placement)
        }
        for j in jobs.indices where seen[j, default: 0] != 1 {
            result.violations.append("\(jobs[j].id) listed \(seen[j, default: 0]) times")
        }
        for (tenant, used) in tenantUsage(result.placements) {
            if let quota = workload.tenantQuotas[tenant], used > quota {
                result.violations.append("tenant \(tenant) holds \(used) GPUs, quota \(quota)")
            }
        }
        return result
    }

    func tenantUsage(_ placements: [OraclePlacement]) -> [String: Int] {
        var usage: [String: Int] = [:]
        for p in placements { usage[jobs[p.job].tenant, default: 0] += gpus(p.job, p.shape) }
        return usage
    }

    /// GPUs per node a plan may use (Docs/PoolFormat.md): `gpuCount − gpusInUse` on schedulable nodes, 0 elsewhere.
    var emptyCapacity: [Int] { nodes.indices.map(plannable) }

    /// GPUs of node `n` a plan may use: outside work holds `gpusInUse` of them.
    func plannable(_ n: Int) -> Int { Self.schedulable(nodes[n]) ? nodes[n].gpuCount - nodes[n].gpusInUse : 0 }

    /// Free GPUs per node once `placements` hold theirs.
    func freeCapacity(after placements: [OraclePlacement]) -> [Int] {
        var free = emptyCapacity
        for p in placements {
            let gpw = shape(p.job, p.shape).gpusPerWorker
            for (n, w) in p.workers { free[n] -= w * gpw }
        }
        return free
    }

    /// Remaining quota of job `j`'s tenant (`nil`: unlimited) given the placements that hold quota.
    func quotaLeft(_ j: Int, holding placements: [OraclePlacement]) -> Int? {
        guard let quota = workload.tenantQuotas[jobs[j].tenant] else { return nil }
        return quota - (tenantUsage(placements)[jobs[j].tenant] ?? 0)
    }

    // MARK: Fitting

    /// Cheapest placement cost of shape `s` of job `j` in `free` capacity over every model and locality scope
    /// (whole workers; budget and quota not applied); `nil` when the shape does not fit at all.
    func cheapestCost(_ j: Int, _ s: Int, free: [Int]) -> Double? {
        let sh = shape(j, s)
        var groups: [String: [(price: Double, slots: Int)]] = [:]
        for n in nodes.indices where usable(j, s, n) {
            let slots = min(sh.workers, max(0, free[n]) / sh.gpusPerWorker)
            guard slots > 0 else { continue }
            groups["\(nodes[n].accelerator)#\(scopeKey(j, n))", default: []].append((nodes[n].pricePerGPUHour, slots))
        }
        var cheapest: Double?
        for (_, members) in groups {
            var left = sh.workers, total = 0.0
            for member in members.sorted(by: { $0.price < $1.price }) where left > 0 {
                let take = min(left, member.slots)
                total += Double(take * sh.gpusPerWorker) * member.price
                left -= take
            }
            if left == 0 { cheapest = min(cheapest ?? total, total) }
        }
        return cheapest
    }

    func withinBudget(_ j: Int, _ cost: Double) -> Bool {
        guard let budget = jobs[j].budgetPerHour else { return true }
        return cost <= budget + 1e-9 * max(1, budget)
    }

    /// Docs: a job fits when some shape fits the free capacity (eligible nodes, gang, locality), the
    /// tenant's remaining quota and the job's budget (cheapest feasible placement).
    func fits(_ j: Int, free: [Int], quotaLeft: Int?) -> Bool {
        for s in 0..<shapeCount(j) {
            if let q = quotaLeft, gpus(j, s) > q { continue }
            if let c = cheapestCost(j, s, free: free), withinBudget(j, c) { return true }
        }
        return false
    }

    // MARK: Reasons

    /// Reason codes that agree with Docs/Planning.md "Reasons" for unplaced job `j`, or `nil` when the job
    /// fits the leftover capacity (then no reason is right; the idle-job rule reports it).
    ///
    /// Static codes (`no-eligible-node`, `gang-does-not-fit`, `locality`, static `quota`/`budget`) are
    /// exact: when one holds it is the only acceptable code. Among the dynamic ones every code whose
    /// definition holds is accepted (the docs do not order quota-now, budget-now, lower-priority and
    /// capacity-exhausted when several hold).
    func acceptableReasons(_ j: Int, placements: [OraclePlacement], priorityPolicy: Bool) -> (codes: Set<UnplacedReasonCode>, why: String)? {
        let empty = emptyCapacity
        let shapes = Array(0..<shapeCount(j))
        // no-eligible-node: node size aside (a worker larger than every eligible node is gang-does-not-fit).
        if !shapes.contains(where: { s in nodes.indices.contains { Self.schedulable(nodes[$0]) && eligible(j, s, $0, sizeAside: true) } }) {
            return ([.noEligibleNode], "no schedulable eligible node")
        }
        // gang-does-not-fit: no shape has, for a single model, enough whole workers in the empty pool.
        let someModelHolds = shapes.contains { s in
            let sh = shape(j, s)
            return models.contains { k in
                nodes.indices.filter { nodes[$0].accelerator == k && usable(j, s, $0) }
                    .reduce(0) { $0 + empty[$1] / sh.gpusPerWorker } >= sh.workers
            }
        }
        if !someModelHolds { return ([.gangDoesNotFit], "no model holds the gang") }
        let emptyCost = shapes.map { cheapestCost(j, $0, free: empty) }
        let fitting = shapes.filter { emptyCost[$0] != nil }
        if fitting.isEmpty { return ([.locality], "enough GPUs but not within one scope") }
        let quota = workload.tenantQuotas[jobs[j].tenant]
        let withinQuota = { (s: Int, q: Int?) in q.map { self.gpus(j, s) <= $0 } ?? true }
        let staticOK = fitting.filter { withinQuota($0, quota) && withinBudget(j, emptyCost[$0]!) }
        if staticOK.isEmpty {
            let allOverQuota = fitting.allSatisfy { !withinQuota($0, quota) }
            let allOverBudget = fitting.allSatisfy { !withinBudget(j, emptyCost[$0]!) }
            var codes: Set<UnplacedReasonCode> = []
            if allOverQuota { codes.insert(.quota) }
            if allOverBudget { codes.insert(.budget) }
            if codes.isEmpty { codes = [.quota, .budget] }
            return (codes, "never fits within quota \(quota.map(String.init) ?? "-") and budget \(jobs[j].budgetPerHour.map { "\($0)" } ?? "-")")
        }
        let free = freeCapacity(after: placements)
        let left = quotaLeft(j, holding: placements)
        if fits(j, free: free, quotaLeft: left) { return nil }
        var codes: Set<UnplacedReasonCode> = []
        // quota (now): every shape that fits the empty pool (within quota and budget) exceeds what is left.
        if staticOK.allSatisfy({ !withinQuota($0, left) }) { codes.insert(.quota) }
        // budget (now): the shapes that fit the leftover capacity all cost too much (the docs' definition does
        // not restrict it to shapes within the quota left; quota-now is its own code).
        let nowCosts = staticOK.compactMap { cheapestCost(j, $0, free: free) }
        if !nowCosts.isEmpty && nowCosts.allSatisfy({ !withinBudget(j, $0) }) { codes.insert(.budget) }
        // lower-priority / capacity-exhausted: capacity (with the static quota and budget) is the blocker.
        let higherFits: Bool
        if priorityPolicy {
            let higher = placements.filter { jobs[$0.job].priority > jobs[j].priority }
            higherFits = fits(j, free: freeCapacity(after: higher), quotaLeft: quota)
            if !higherFits { codes.insert(.lowerPriority) }
        } else {
            higherFits = true
        }
        if higherFits && !fits(j, free: free, quotaLeft: quota) { codes.insert(.capacityExhausted) }
        return (codes, "fits empty pool; quota left \(left.map(String.init) ?? "-")")
    }
}
