/// Free GPUs per node summarised per node group (nodes of one group share model, price, region and
/// provider): how many nodes have each free count. Built once per capacity state and shared by every
/// job, so a fitting question costs per group, not per node. Used by the capacity bound and by the
/// reasons for unplaced jobs.
struct GroupFreeGPUs {
    /// `histogram[g][f]`: nodes of group `g` with `f` free GPUs.
    let histogram: [[Int]]
    /// The most free GPUs of one node, per group.
    let maxFree: [Int]

    /// From free GPUs per node (`free[n]`, clamped to the node's group size).
    init(instance: PlanningInstance, free: [Int]) {
        var histogram = instance.groups.map { [Int](repeating: 0, count: $0.maxNodeGPUs + 1) }
        var maxFree = [Int](repeating: 0, count: instance.groups.count)
        for (g, group) in instance.groups.enumerated() {
            for n in group.nodes {
                let f = min(max(0, free[n]), group.maxNodeGPUs)
                histogram[g][f] += 1
                maxFree[g] = max(maxFree[g], f)
            }
        }
        self.histogram = histogram
        self.maxFree = maxFree
    }

    /// From the instance's own free GPUs per node.
    init(instance: PlanningInstance) {
        self.init(instance: instance, free: instance.nodes.map(\.free))
    }

    /// Whole workers of `gpusPerWorker` GPUs the free GPUs of group `g` hold.
    func workers(group g: Int, gpusPerWorker gpw: Int) -> Int {
        guard gpw > 0 else { return 0 }
        var count = 0
        var f = gpw
        while f <= maxFree[g] {
            count += histogram[g][f] * (f / gpw)
            f += 1
        }
        return count
    }
}
