/// Descent in feasible space: it never exceeds a capacity. Each pass tries, in this order,
/// to place still-unplaced items (directly or by ejecting an item to another bin), improving
/// shifts, improving swaps and improving ejection chains of length two (item `i` moves into bin
/// `b`, making room by moving item `j` from `b` to a third bin). A pass is one budget iteration.
enum LocalSearch {
    /// Improves `state` until no move helps or the budget is spent.
    /// - Parameter chains: whether to try ejection chains (the most expensive neighbourhood,
    ///   O(items² · bins) per pass).
    static func descend(
        _ instance: SearchInstance, _ state: inout SearchState, budget: inout SearchBudget, chains: Bool = true
    ) {
        while budget.next() {
            var improved = placeMissing(instance, &state)
            improved = shifts(instance, &state) || improved
            if !budget.timeIsUp { improved = swaps(instance, &state, budget: budget) || improved }
            if !improved && chains && !budget.timeIsUp { improved = ejectionChains(instance, &state, budget: budget) }
            if !improved { return }
        }
    }

    /// Bin members, rebuilt per pass (the pseudo-bin included).
    private static func members(_ instance: SearchInstance, _ state: SearchState) -> [[Int]] {
        var members = [[Int]](repeating: [], count: instance.binCount)
        for (item, bin) in state.binOf.enumerated() where bin >= 0 { members[Int(bin)].append(item) }
        return members
    }

    /// Whether `item` fits into `bin` once `leaving` (if any) has left `bin`.
    @inline(__always)
    private static func fits(
        _ instance: SearchInstance, _ state: SearchState, _ item: Int, _ bin: Int, leaving: Int?
    ) -> Bool {
        let d = instance.dimensionCount, m = instance.binCount
        for k in 0..<d {
            var load = state.load[bin * d + k] + instance.demand[(item * m + bin) * d + k]
            if let leaving { load -= instance.demand[(leaving * m + bin) * d + k] }
            if load > instance.limit[bin * d + k] { return false }
        }
        return true
    }

    /// Places unplaced placeable items: the cheapest fitting bin, else an ejection of one item.
    static func placeMissing(_ instance: SearchInstance, _ state: inout SearchState) -> Bool {
        let m = instance.binCount
        var placed = false
        var binMembers: [[Int]]? = nil
        for item in 0..<instance.itemCount where state.binOf[item] < 0 && instance.impossible[item] == nil {
            var best = -1, bestCost = Double.infinity
            for b in instance.bins(of: item) where state.fits(item, Int(b), instance) {
                if instance.cost[item * m + Int(b)] < bestCost { best = Int(b); bestCost = instance.cost[item * m + Int(b)] }
            }
            if best >= 0 {
                state.place(item, best, instance)
                placed = true
                binMembers = nil
                continue
            }
            if binMembers == nil { binMembers = members(instance, state) }
            var move: (bin: Int, other: Int, to: Int)? = nil
            var moveCost = Double.infinity
            for b in instance.bins(of: item) {
                let bin = Int(b)
                for other in binMembers![bin] where fits(instance, state, item, bin, leaving: other) {
                    for c in instance.bins(of: other) where Int(c) != bin && state.fits(other, Int(c), instance) {
                        let delta = instance.cost[item * m + bin] + instance.cost[other * m + Int(c)]
                            - instance.cost[other * m + bin]
                        if delta < moveCost { moveCost = delta; move = (bin, other, Int(c)) }
                    }
                }
            }
            if let move {
                state.move(move.other, to: move.to, instance)
                state.place(item, move.bin, instance)
                placed = true
                binMembers = nil
            }
        }
        return placed
    }

    /// Each item to its cheapest bin that has room, when cheaper than where it is.
    static func shifts(_ instance: SearchInstance, _ state: inout SearchState) -> Bool {
        let m = instance.binCount
        var improved = false
        for item in 0..<instance.itemCount where state.binOf[item] >= 0 {
            let from = Int(state.binOf[item])
            var best = from, bestCost = instance.cost[item * m + from] - 1e-12 * max(1, abs(instance.cost[item * m + from]))
            for b in instance.bins(of: item) where Int(b) != from && instance.cost[item * m + Int(b)] < bestCost {
                if state.fits(item, Int(b), instance) { best = Int(b); bestCost = instance.cost[item * m + Int(b)] }
            }
            if best != from {
                state.move(item, to: best, instance)
                improved = true
            }
        }
        return improved
    }

    /// Swaps of two items in different bins that lower the cost and keep both bins within limits.
    static func swaps(_ instance: SearchInstance, _ state: inout SearchState, budget: SearchBudget) -> Bool {
        let m = instance.binCount, d = instance.dimensionCount, n = instance.itemCount
        var improved = false
        for i in 0..<n where state.binOf[i] >= 0 {
            if i % 64 == 63 && budget.timeIsUp { break }
            for j in (i + 1)..<max(n, i + 1) where state.binOf[j] >= 0 {
                let a = Int(state.binOf[i]), b = Int(state.binOf[j])
                guard a != b, instance.isAllowed(i, b), instance.isAllowed(j, a) else { continue }
                let delta = instance.cost[i * m + b] + instance.cost[j * m + a] - instance.cost[i * m + a]
                    - instance.cost[j * m + b]
                guard delta < -1e-9 * max(1, abs(state.cost)) else { continue }
                var ok = true
                for k in 0..<d {
                    let loadA = state.load[a * d + k] - instance.demand[(i * m + a) * d + k] + instance.demand[(j * m + a) * d + k]
                    let loadB = state.load[b * d + k] - instance.demand[(j * m + b) * d + k] + instance.demand[(i * m + b) * d + k]
                    if loadA > instance.limit[a * d + k] || loadB > instance.limit[b * d + k] { ok = false; break }
                }
                if ok {
                    state.move(i, to: b, instance)
                    state.move(j, to: a, instance)
                    improved = true
                }
            }
        }
        return improved
    }

    /// Improving chains: `i` from `a` into `b`, `j` out of `b` into `c` (c may be `a`).
    static func ejectionChains(_ instance: SearchInstance, _ state: inout SearchState, budget: SearchBudget) -> Bool {
        let m = instance.binCount, d = instance.dimensionCount
        var binMembers = members(instance, state)
        var improved = false
        for i in 0..<instance.itemCount where state.binOf[i] >= 0 {
            if i % 64 == 63 && budget.timeIsUp { break }
            let a = Int(state.binOf[i])
            var best: (b: Int, j: Int, c: Int)? = nil
            var bestDelta = -1e-9 * max(1, abs(state.cost))
            for bb in instance.bins(of: i) where Int(bb) != a {
                let b = Int(bb)
                let gainI = instance.cost[i * m + b] - instance.cost[i * m + a]
                for j in binMembers[b] where fits(instance, state, i, b, leaving: j) {
                    for cc in instance.bins(of: j) where Int(cc) != b {
                        let c = Int(cc)
                        let delta = gainI + instance.cost[j * m + c] - instance.cost[j * m + b]
                        guard delta < bestDelta else { continue }
                        // j must fit into c; if c is a, i has left it.
                        var ok = true
                        for k in 0..<d {
                            var load = state.load[c * d + k] + instance.demand[(j * m + c) * d + k]
                            if c == a { load -= instance.demand[(i * m + a) * d + k] }
                            if load > instance.limit[c * d + k] { ok = false; break }
                        }
                        if ok { best = (b, j, c); bestDelta = delta }
                    }
                }
            }
            if let best {
                state.move(best.j, to: best.c, instance)
                state.move(i, to: best.b, instance)
                binMembers = members(instance, state)
                improved = true
            }
        }
        return improved
    }
}
