/// Whether a job's gang fits given free GPUs per node, a quota and (optionally) its budget —
/// counted per accelerator model and per locality scope, as Docs/Planning.md defines it.
///
/// Used to explain unplaced jobs; deliberately simple (it scans the eligible node groups) and separate
/// from the greedy placer's candidate search, so the two can be checked against each other.
struct GangFit {
    let instance: PlanningInstance
    /// Eligible groups with a node large enough for one worker, per job shape and accelerator model:
    /// `eligibleGroups[s][k]`.
    private let eligibleGroups: [[[Int]]]
    let job: Int

    init(instance: PlanningInstance, job j: Int) {
        self.instance = instance
        self.job = j
        let demand = instance.jobs[j]
        var groups = demand.shapes.map { _ in [[Int]](repeating: [], count: instance.accelerators.count) }
        for s in demand.shapes.indices {
            for g in instance.groups.indices
            where instance.groups[g].maxNodeGPUs >= demand.shapes[s].gpusPerWorker && instance.eligible(job: j, shape: s, group: g) {
                groups[s][instance.groups[g].accelerator].append(g)
            }
        }
        eligibleGroups = groups
    }

    /// Whether any shape has an eligible node at all.
    var hasEligibleNode: Bool { eligibleGroups.contains { $0.contains { !$0.isEmpty } } }

    /// Whether some shape fits `free` with at most `quota` GPUs, within `locality` (the job's own
    /// when `nil`) and, when `budget` is set, at most the job's budget.
    func fits(free: GroupFreeGPUs, quota: Int = .max, locality: LocalityScope? = nil, budget: Bool = false) -> Bool {
        cheapest(free: free, quota: quota, locality: locality) { cost in
            !budget || cost <= (instance.jobs[job].budgetPerHour ?? .infinity) * (1 + 1e-12) + 1e-9
        }
    }

    /// The price per hour of the cheapest placement that fits `free` within the quota and the
    /// job's locality, or `nil` when none fits.
    func cheapestCost(free: GroupFreeGPUs, quota: Int = .max) -> Double? {
        var best: Double?
        _ = cheapest(free: free, quota: quota, locality: nil) { cost in
            best = min(best ?? cost, cost)
            return false
        }
        return best
    }

    /// Calls `accept` with the cheapest cost of each (shape, model, scope) that fits; stops at
    /// the first accepted one.
    private func cheapest(free: GroupFreeGPUs, quota: Int, locality: LocalityScope?, accept: (Double) -> Bool) -> Bool {
        let demand = instance.jobs[job]
        let scope = locality ?? demand.locality
        for (s, shape) in demand.shapes.enumerated() where shape.gpus <= quota {
            let gpw = shape.gpusPerWorker
            let singleNode = scope == .node || shape.workers == 1
            for groups in eligibleGroups[s] where !groups.isEmpty {
                if singleNode {
                    var best: Double?
                    for g in groups where free.maxFree[g] >= shape.gpus {
                        let cost = instance.groups[g].pricePerGPU * Double(shape.gpus)
                        best = min(best ?? cost, cost)
                    }
                    if let best, accept(best) { return true }
                    continue
                }
                // Worker slots per scope; the cheapest `workers` slots give the cheapest placement.
                var slotsByScope: [Int: [(price: Double, count: Int)]] = [:]
                for g in groups {
                    let count = free.workers(group: g, gpusPerWorker: gpw)
                    guard count > 0 else { continue }
                    let group = instance.groups[g]
                    let key = scope == .region ? group.region : scope == .provider ? group.provider : 0
                    slotsByScope[key, default: []].append((group.pricePerGPU * Double(gpw), count))
                }
                for (_, slots) in slotsByScope.sorted(by: { $0.key < $1.key }) {
                    guard slots.reduce(0, { $0 + $1.count }) >= shape.workers else { continue }
                    var left = shape.workers
                    var cost = 0.0
                    for slot in slots.sorted(by: { $0.price < $1.price }) where left > 0 {
                        let take = min(left, slot.count)
                        cost += slot.price * Double(take)
                        left -= take
                    }
                    if accept(cost) { return true }
                }
            }
        }
        return false
    }
}
