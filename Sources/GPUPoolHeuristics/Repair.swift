/// Turns an assignment that may exceed capacities into one that does not, by taking items out
/// of overloaded bins and putting them where they fit (or leaving them unplaced).
enum Repair {
    /// After this, every bin is within its limits; items that found no room are at -1
    /// (optional ones in the pseudo-bin).
    static func makeWithinCapacity(_ instance: SearchInstance, _ state: inout SearchState) {
        let m = instance.binCount, d = instance.dimensionCount
        state.refresh(instance)
        var members = [[Int]](repeating: [], count: m)
        for (item, bin) in state.binOf.enumerated() where bin >= 0 { members[Int(bin)].append(item) }
        var evicted: [Int] = []
        for bin in 0..<m {
            while true {
                // Relative excess of the bin, per dimension.
                var over = [Double](repeating: 0, count: d)
                var anyOver = false
                for k in 0..<d where state.load[bin * d + k] > instance.limit[bin * d + k] {
                    over[k] = (state.load[bin * d + k] - instance.limit[bin * d + k]) * instance.excessWeight[bin * d + k]
                    anyOver = true
                }
                guard anyOver, !members[bin].isEmpty else { break }
                // Evict the item that removes the most excess per unit of its cost spread.
                var bestPosition = 0, bestScore = -Double.infinity
                for (position, item) in members[bin].enumerated() {
                    var relieved = 0.0
                    for k in 0..<d where over[k] > 0 {
                        relieved += min(over[k], instance.demand[(item * m + bin) * d + k] * instance.excessWeight[bin * d + k])
                    }
                    let score = relieved / (1 + abs(instance.cost[item * m + bin]) / max(instance.costScale, 1e-12))
                    if score > bestScore { bestScore = score; bestPosition = position }
                }
                let item = members[bin].remove(at: bestPosition)
                state.remove(item, instance)
                evicted.append(item)
            }
        }
        for item in evicted {
            var best = -1, bestCost = Double.infinity
            for b in instance.bins(of: item) where state.fits(item, Int(b), instance) {
                let cost = instance.cost[item * m + Int(b)]
                if cost < bestCost { bestCost = cost; best = Int(b) }
            }
            if best >= 0 { state.place(item, best, instance) }
        }
    }
}
