/// Free GPUs of every node, bucketed per node group by free count, so that "the smallest node with
/// at least d free GPUs" and "the node with the most free GPUs" cost O(max GPUs per node) instead
/// of a scan over all nodes.
struct FreeCapacityIndex: Sendable {
    private(set) var free: [Int]
    private let groupOfNode: [Int]
    /// Position of each node inside its bucket (for O(1) removal).
    private var slot: [Int]
    /// `buckets[g][f]`: nodes of group `g` with exactly `f` free GPUs.
    private var buckets: [[[Int]]]
    /// Free GPUs per group.
    private(set) var groupFree: [Int]

    init(instance: PlanningInstance) {
        free = instance.nodes.map { $0.usable ? max(0, $0.free) : 0 }
        groupOfNode = instance.nodes.map(\.group)
        slot = [Int](repeating: -1, count: instance.nodes.count)
        buckets = instance.groups.map { [[Int]](repeating: [], count: $0.maxNodeGPUs + 1) }
        groupFree = [Int](repeating: 0, count: instance.groups.count)
        for n in instance.nodes.indices {
            let g = groupOfNode[n]
            guard g >= 0 else { continue }
            let f = min(free[n], buckets[g].count - 1)
            free[n] = f
            slot[n] = buckets[g][f].count
            buckets[g][f].append(n)
            groupFree[g] += f
        }
    }

    /// Sets the free GPUs of node `n` (must belong to a group).
    mutating func setFree(_ n: Int, _ value: Int) {
        let g = groupOfNode[n]
        let old = free[n]
        guard g >= 0, value != old else { return }
        // Remove from the old bucket by swapping with the last entry.
        let position = slot[n]
        let last = buckets[g][old].removeLast()
        if last != n {
            buckets[g][old][position] = last
            slot[last] = position
        }
        slot[n] = buckets[g][value].count
        buckets[g][value].append(n)
        free[n] = value
        groupFree[g] += value - old
    }

    /// Largest free count a node of group `g` can have.
    func maxFree(group g: Int) -> Int { buckets[g].count - 1 }

    /// Nodes of group `g` with exactly `f` free GPUs.
    func nodes(group g: Int, free f: Int) -> [Int] { buckets[g][f] }

    /// The node of group `g` with the fewest free GPUs that still has at least `need`, skipping
    /// `excluded` nodes. Returns the node and its free count.
    func bestFit(group g: Int, atLeast need: Int, excluding excluded: [Int] = []) -> (node: Int, free: Int)? {
        let top = buckets[g].count - 1
        guard need <= top else { return nil }
        var f = max(need, 1)
        while f <= top {
            for n in buckets[g][f] where !excluded.contains(n) { return (n, f) }
            f += 1
        }
        return nil
    }

    /// The node of group `g` with the most free GPUs (at least `need`), skipping `excluded`.
    func largest(group g: Int, atLeast need: Int, excluding excluded: [Int] = []) -> (node: Int, free: Int)? {
        var f = buckets[g].count - 1
        let floor = max(need, 1)
        while f >= floor {
            for n in buckets[g][f] where !excluded.contains(n) { return (n, f) }
            f -= 1
        }
        return nil
    }

    /// How many workers of `gpusPerWorker` GPUs the free GPUs of group `g` can hold.
    func workerCapacity(group g: Int, gpusPerWorker: Int) -> Int {
        guard gpusPerWorker > 0 else { return 0 }
        var total = 0
        var f = gpusPerWorker
        let top = buckets[g].count - 1
        while f <= top {
            total += buckets[g][f].count * (f / gpusPerWorker)
            f += 1
        }
        return total
    }
}
