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
    /// Bit `f` of `nonEmpty[g]` is set when `buckets[g][f]` holds nodes, for groups whose nodes have
    /// at most ``maskedGPUs`` GPUs (all real ones): best fit jumps to the next non-empty bucket
    /// instead of visiting each free count. Larger groups are scanned.
    private var nonEmpty: [UInt64]
    /// The first node of each bucket (`-1` when empty), flat: `head[offset[g] + f]`. Best fit reads
    /// it, the mask and ``top`` from flat arrays instead of following two array references per
    /// group (the scan over thousands of community groups was bound by those cache misses).
    private var head: [Int]
    private let offset: [Int]
    /// `buckets[g].count - 1`: the most GPUs a node of group `g` has.
    private let top: [Int]
    private static let maskedGPUs = 63
    /// Free GPUs per group.
    private(set) var groupFree: [Int]
    /// The most free GPUs of one node, per group.
    private(set) var groupMaxFree: [Int]
    /// Per accelerator, the groups with free GPUs, best `rank` first (ties by group index) — the
    /// order in which the placer scans them, so that it can stop at the first group whose price and
    /// availability cannot win. Community hosts make thousands of one-node groups.
    private(set) var activeGroups: [[Int]]
    private let acceleratorOfGroup: [Int]
    /// Position of each group in the placer's preference order (lower first; distinct per group).
    private let rank: [Int]

    /// - Parameter rank: position of each group in the preference order (a permutation of the
    ///   group indices); ascending group index when `nil`.
    init(instance: PlanningInstance, rank: [Int]? = nil) {
        self.rank = rank ?? Array(instance.groups.indices)
        free = instance.nodes.map { $0.usable ? max(0, $0.free) : 0 }
        groupOfNode = instance.nodes.map(\.group)
        slot = [Int](repeating: -1, count: instance.nodes.count)
        buckets = instance.groups.map { [[Int]](repeating: [], count: $0.maxNodeGPUs + 1) }
        nonEmpty = [UInt64](repeating: 0, count: instance.groups.count)
        top = instance.groups.map(\.maxNodeGPUs)
        var starts: [Int] = []
        var total = 0
        for group in instance.groups {
            starts.append(total)
            total += group.maxNodeGPUs + 1
        }
        offset = starts
        head = [Int](repeating: -1, count: total)
        groupFree = [Int](repeating: 0, count: instance.groups.count)
        groupMaxFree = [Int](repeating: 0, count: instance.groups.count)
        acceleratorOfGroup = instance.groups.map(\.accelerator)
        activeGroups = [[Int]](repeating: [], count: instance.accelerators.count)
        for n in instance.nodes.indices {
            let g = groupOfNode[n]
            guard g >= 0 else { continue }
            let f = min(free[n], buckets[g].count - 1)
            free[n] = f
            slot[n] = buckets[g][f].count
            buckets[g][f].append(n)
            if head[offset[g] + f] < 0 { head[offset[g] + f] = n }
            if f <= Self.maskedGPUs { nonEmpty[g] |= 1 << UInt64(f) }
            groupFree[g] += f
            groupMaxFree[g] = max(groupMaxFree[g], f)
        }
        for g in instance.groups.indices.sorted(by: { self.rank[$0] < self.rank[$1] })
        where groupFree[g] > 0 && acceleratorOfGroup[g] < activeGroups.count {
            activeGroups[acceleratorOfGroup[g]].append(g)
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
        if old <= Self.maskedGPUs && buckets[g][old].isEmpty { nonEmpty[g] &= ~(1 << UInt64(old)) }
        head[offset[g] + old] = buckets[g][old].first ?? -1
        slot[n] = buckets[g][value].count
        buckets[g][value].append(n)
        if slot[n] == 0 { head[offset[g] + value] = n }
        if value <= Self.maskedGPUs { nonEmpty[g] |= 1 << UInt64(value) }
        free[n] = value
        let before = groupFree[g]
        groupFree[g] += value - old
        if value > groupMaxFree[g] {
            groupMaxFree[g] = value
        } else if old == groupMaxFree[g] && buckets[g][old].isEmpty {
            var f = old
            while f > 0 && buckets[g][f].isEmpty { f -= 1 }
            groupMaxFree[g] = f
        }
        if (before > 0) != (groupFree[g] > 0) { updateActive(g, active: groupFree[g] > 0) }
    }

    /// Adds or removes group `g` in its accelerator's sorted ``activeGroups`` list.
    private mutating func updateActive(_ g: Int, active: Bool) {
        let k = acceleratorOfGroup[g]
        guard k < activeGroups.count else { return }
        // Binary search for the first position whose group does not rank before g.
        var low = 0, high = activeGroups[k].count
        while low < high {
            let mid = (low + high) / 2
            if rank[activeGroups[k][mid]] < rank[g] { low = mid + 1 } else { high = mid }
        }
        let present = low < activeGroups[k].count && activeGroups[k][low] == g
        if active && !present { activeGroups[k].insert(g, at: low) }
        if !active && present { activeGroups[k].remove(at: low) }
    }

    /// Largest free count a node of group `g` can have.
    func maxFree(group g: Int) -> Int { buckets[g].count - 1 }

    /// Nodes of group `g` with exactly `f` free GPUs.
    func nodes(group g: Int, free f: Int) -> [Int] { buckets[g][f] }

    /// The largest free count below `limit` that some node of group `g` has now (nil when none):
    /// a walk from there down visits only buckets that hold nodes.
    func largestFree(group g: Int, below limit: Int) -> Int? {
        let top = top[g]
        var f = min(limit - 1, top)
        guard f >= 0 else { return nil }
        if top <= Self.maskedGPUs {
            let candidates = nonEmpty[g] & ~(~0 << UInt64(f + 1))
            return candidates == 0 ? nil : UInt64.bitWidth - 1 - candidates.leadingZeroBitCount
        }
        while f >= 0 {
            if !buckets[g][f].isEmpty { return f }
            f -= 1
        }
        return nil
    }

    /// The node of group `g` with the fewest free GPUs that still has at least `need`, skipping
    /// `excluded` nodes. Returns the node and its free count.
    func bestFit(group g: Int, atLeast need: Int, excluding excluded: [Int] = []) -> (node: Int, free: Int)? {
        let top = top[g]
        guard need <= top else { return nil }
        var f = max(need, 1)
        if top <= Self.maskedGPUs {
            var candidates = nonEmpty[g] & (~0 << UInt64(f))
            while candidates != 0 {
                let f = candidates.trailingZeroBitCount
                if excluded.isEmpty { return (head[offset[g] + f], f) }
                for n in buckets[g][f] where !excluded.contains(n) { return (n, f) }
                candidates &= candidates - 1
            }
            return nil
        }
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
        if f <= Self.maskedGPUs {
            guard floor <= f else { return nil }
            var candidates = nonEmpty[g] & (~0 << UInt64(floor))
            while candidates != 0 {
                let f = UInt64.bitWidth - 1 - candidates.leadingZeroBitCount
                if excluded.isEmpty { return (head[offset[g] + f], f) }
                for n in buckets[g][f] where !excluded.contains(n) { return (n, f) }
                candidates &= ~(1 << UInt64(f))
            }
            return nil
        }
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
