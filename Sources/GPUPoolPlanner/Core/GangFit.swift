/// Whether a job's gang fits given free GPUs per node, a quota and (optionally) its budget —
/// counted per accelerator model and per locality scope, as Docs/Planning.md defines it.
///
/// Used to explain unplaced jobs; deliberately simple (it scans the eligible nodes) and separate
/// from the greedy placer's candidate search, so the two can be checked against each other.
struct GangFit {
    let instance: PlanningInstance
    /// Eligible node indices per job shape and accelerator model: `eligibleNodes[s][k]`.
    private let eligibleNodes: [[[Int]]]
    let job: Int

    init(instance: PlanningInstance, job j: Int) {
        self.instance = instance
        self.job = j
        let demand = instance.jobs[j]
        var nodes = demand.shapes.map { _ in [[Int]](repeating: [], count: instance.accelerators.count) }
        for s in demand.shapes.indices {
            for g in instance.groups.indices where instance.eligible(job: j, shape: s, group: g) {
                let group = instance.groups[g]
                nodes[s][group.accelerator] += group.nodes.filter { instance.nodes[$0].gpuCount >= demand.shapes[s].gpusPerWorker }
            }
        }
        eligibleNodes = nodes
    }

    /// Whether any shape has an eligible node at all.
    var hasEligibleNode: Bool { eligibleNodes.contains { $0.contains { !$0.isEmpty } } }

    /// Whether some shape fits `free` (GPUs per node) with at most `quota` GPUs, within
    /// `locality` (the job's own when `nil`) and, when `budget` is set, at most the job's budget.
    func fits(free: [Int], quota: Int = .max, locality: LocalityScope? = nil, budget: Bool = false) -> Bool {
        cheapest(free: free, quota: quota, locality: locality) { cost in
            !budget || cost <= (instance.jobs[job].budgetPerHour ?? .infinity) * (1 + 1e-12) + 1e-9
        }
    }

    /// The price per hour of the cheapest placement that fits `free` within the quota and the
    /// job's locality, or `nil` when none fits.
    func cheapestCost(free: [Int], quota: Int = .max) -> Double? {
        var best: Double?
        _ = cheapest(free: free, quota: quota, locality: nil) { cost in
            best = min(best ?? cost, cost)
            return false
        }
        return best
    }

    /// Calls `accept` with the cheapest cost of each (shape, model, scope) that fits; stops at
    /// the first accepted one.
    private func cheapest(free: [Int], quota: Int, locality: LocalityScope?, accept: (Double) -> Bool) -> Bool {
        let demand = instance.jobs[job]
        let scope = locality ?? demand.locality
        for (s, shape) in demand.shapes.enumerated() where shape.gpus <= quota {
            let gpw = shape.gpusPerWorker
            let singleNode = scope == .node || shape.workers == 1
            for nodes in eligibleNodes[s] where !nodes.isEmpty {
                if singleNode {
                    var best: Double?
                    for n in nodes where free[n] >= shape.gpus {
                        let cost = instance.nodes[n].pricePerGPU * Double(shape.gpus)
                        best = min(best ?? cost, cost)
                    }
                    if let best, accept(best) { return true }
                    continue
                }
                // Worker slots per scope; the cheapest `workers` slots give the cheapest placement.
                var slotsByScope: [Int: [(price: Double, count: Int)]] = [:]
                for n in nodes {
                    let count = free[n] / gpw
                    guard count > 0 else { continue }
                    let node = instance.nodes[n]
                    let key = scope == .region ? node.region : scope == .provider ? node.provider : 0
                    slotsByScope[key, default: []].append((node.pricePerGPU * Double(gpw), count))
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
