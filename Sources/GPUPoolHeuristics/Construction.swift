import HeapModule

/// Desirability measures of the regret heuristic (Martello & Toth): how much an item wants a bin.
/// Higher is better. All are static (they do not depend on loads), which lets the regret
/// heuristic update only the items whose best or second-best bin has just filled up.
enum Desirability: CaseIterable, Sendable {
    /// Low cost.
    case cost
    /// High saving per unit of (relative) capacity used.
    case savingPerCapacity
    /// Low absolute demand.
    case demand
    /// Low demand relative to the bin's capacity.
    case relativeDemand
    /// Low cost plus capacity used at Lagrangian capacity prices (see ``LagrangianGuide``).
    case pricedCost
}

/// Greedy constructions in feasible space. They start from `state` (possibly partly placed by a
/// warm start), place what they can without exceeding any limit and leave the rest at -1.
/// Optional items are only placed where that beats their penalty; unplaced optional items are
/// moved to the pseudo-bin at the end by ``finishOptional(_:_:)``.
enum Construction {
    /// Relative demand of `item` in `bin`: Σ_k demand / capacity scale.
    @inline(__always)
    static func relativeDemand(_ instance: SearchInstance, _ item: Int, _ bin: Int) -> Double {
        let d = instance.dimensionCount
        var total = 0.0
        let base = (item * instance.binCount + bin) * d
        for k in 0..<d { total += instance.demand[base + k] * instance.excessWeight[bin * d + k] }
        return total
    }

    /// Whether placing `item` into real `bin` is worth it compared with leaving it out.
    @inline(__always)
    static func worthPlacing(_ instance: SearchInstance, _ item: Int, _ bin: Int) -> Bool {
        guard let u = instance.unassignedBin, instance.isAllowed(item, u) else { return true }
        return instance.cost[item * instance.binCount + bin] < instance.cost[item * instance.binCount + u]
    }

    /// Real bins `item` could use: allowed, not the pseudo-bin, worth it.
    @inline(__always)
    static func candidateBins(_ instance: SearchInstance, _ item: Int) -> [Int] {
        instance.bins(of: item).map(Int.init).filter { $0 != instance.unassignedBin && worthPlacing(instance, item, $0) }
    }

    static func desirability(
        _ measure: Desirability, _ instance: SearchInstance, _ item: Int, _ bin: Int, prices: [Double]? = nil
    ) -> Double {
        let cost = instance.cost[item * instance.binCount + bin]
        switch measure {
        case .pricedCost:
            let d = instance.dimensionCount
            var priced = cost
            if let prices {
                for k in 0..<d { priced += prices[bin * d + k] * instance.demand[(item * instance.binCount + bin) * d + k] }
            }
            return -priced
        case .cost:
            return -cost
        case .savingPerCapacity:
            let saving = instance.worstCost[item] - cost + 0.1 * instance.costScale
            return saving / max(relativeDemand(instance, item, bin), 1e-12)
        case .demand:
            let d = instance.dimensionCount
            var total = 0.0
            for k in 0..<d { total += instance.demand[(item * instance.binCount + bin) * d + k] }
            return -total
        case .relativeDemand:
            return -relativeDemand(instance, item, bin)
        }
    }

    // MARK: Regret

    private struct RegretEntry: Comparable {
        var regret: Double
        var best: Double
        var item: Int
        var version: Int
        static func < (l: RegretEntry, r: RegretEntry) -> Bool {
            if l.regret != r.regret { return l.regret < r.regret }
            if l.best != r.best { return l.best < r.best }
            return l.item > r.item
        }
    }

    /// Martello–Toth regret greedy with one desirability measure: repeatedly place the item whose
    /// best bin beats its second-best by the most (an item with a single fitting bin first).
    static func regret(
        _ instance: SearchInstance, from start: SearchState, measure: Desirability, prices: [Double]? = nil
    ) -> SearchState {
        var state = start
        let n = instance.itemCount, m = instance.binCount
        var desire = [Double](repeating: 0, count: n * m)
        var candidates = [[Int]](repeating: [], count: n)
        for item in 0..<n where state.binOf[item] < 0 {
            candidates[item] = candidateBins(instance, item)
            for bin in candidates[item] { desire[item * m + bin] = desirability(measure, instance, item, bin, prices: prices) }
        }
        var firstBin = [Int](repeating: -1, count: n)
        var secondBin = [Int](repeating: -1, count: n)
        var version = [Int](repeating: 0, count: n)
        var watchers = [[Int]](repeating: [], count: m)  // items whose first/second bin is this bin
        var heap = Heap<RegretEntry>()

        func evaluate(_ item: Int) {
            var f1 = -Double.infinity, f2 = -Double.infinity, b1 = -1, b2 = -1
            for bin in candidates[item] where state.fits(item, bin, instance) {
                let f = desire[item * m + bin]
                if f > f1 { f2 = f1; b2 = b1; f1 = f; b1 = bin } else if f > f2 { f2 = f; b2 = bin }
            }
            version[item] += 1
            firstBin[item] = b1
            secondBin[item] = b2
            guard b1 >= 0 else { return }  // fits nowhere now: stays unplaced
            watchers[b1].append(item)
            if b2 >= 0 { watchers[b2].append(item) }
            heap.insert(RegretEntry(regret: b2 >= 0 ? f1 - f2 : .infinity, best: f1, item: item, version: version[item]))
        }

        for item in 0..<n where state.binOf[item] < 0 && !candidates[item].isEmpty { evaluate(item) }
        while let entry = heap.popMax() {
            let item = entry.item
            guard entry.version == version[item], state.binOf[item] < 0 else { continue }
            let bin = firstBin[item]
            guard state.fits(item, bin, instance) else {
                evaluate(item)
                continue
            }
            state.place(item, bin, instance)
            // Only items that counted on this bin can have lost their best or second-best choice.
            let watching = watchers[bin]
            watchers[bin].removeAll(keepingCapacity: true)
            for other in watching where state.binOf[other] < 0 {
                if firstBin[other] == bin || secondBin[other] == bin {
                    if !state.fits(other, bin, instance) { evaluate(other) } else { watchers[bin].append(other) }
                }
            }
        }
        return state
    }

    // MARK: Ratio greedy

    /// Scans all (item, bin) pairs by decreasing saving per relative capacity and places an item
    /// at its first pair that fits.
    static func ratio(_ instance: SearchInstance, from start: SearchState) -> SearchState {
        var state = start
        var pairs: [(key: Double, item: Int, bin: Int)] = []
        for item in 0..<instance.itemCount where state.binOf[item] < 0 {
            for bin in candidateBins(instance, item) {
                pairs.append((desirability(.savingPerCapacity, instance, item, bin), item, bin))
            }
        }
        pairs.sort { $0.key != $1.key ? $0.key > $1.key : ($0.item, $0.bin) < ($1.item, $1.bin) }
        for pair in pairs where state.binOf[pair.item] < 0 && state.fits(pair.item, pair.bin, instance) {
            state.place(pair.item, pair.bin, instance)
        }
        return state
    }

    // MARK: Best fit

    /// Best-fit decreasing: items in decreasing order of their smallest relative demand, each into
    /// the fitting bin left with the least relative slack (ties: lower cost).
    static func bestFit(_ instance: SearchInstance, from start: SearchState) -> SearchState {
        var state = start
        let d = instance.dimensionCount
        var order: [(size: Double, item: Int)] = []
        for item in 0..<instance.itemCount where state.binOf[item] < 0 {
            let bins = candidateBins(instance, item)
            guard !bins.isEmpty else { continue }
            order.append((bins.map { relativeDemand(instance, item, $0) }.min() ?? 0, item))
        }
        order.sort { $0.size != $1.size ? $0.size > $1.size : $0.item < $1.item }
        for (_, item) in order {
            var bestBin = -1, bestSlack = Double.infinity, bestCost = Double.infinity
            for bin in candidateBins(instance, item) where state.fits(item, bin, instance) {
                var slack = 0.0
                let base = (item * instance.binCount + bin) * d
                for k in 0..<d {
                    let room = instance.limit[bin * d + k] - state.load[bin * d + k] - instance.demand[base + k]
                    slack += room * instance.excessWeight[bin * d + k]
                }
                let cost = instance.cost[item * instance.binCount + bin]
                if slack < bestSlack - 1e-12 || (abs(slack - bestSlack) <= 1e-12 && cost < bestCost) {
                    bestBin = bin; bestSlack = slack; bestCost = cost
                }
            }
            if bestBin >= 0 { state.place(item, bestBin, instance) }
        }
        return state
    }

    // MARK: Shared steps

    /// Places the valid part of a warm start: allowed placements, in item order, while they fit.
    static func warmStart(_ instance: SearchInstance, _ assignment: Assignment?) -> SearchState {
        var state = SearchState(itemCount: instance.itemCount, instance: instance)
        guard let assignment, assignment.bins.count == instance.itemCount else { return state }
        for item in 0..<instance.itemCount {
            guard let bin = assignment.bins[item], bin >= 0, bin < instance.realBinCount,
                  instance.isAllowed(item, bin), state.fits(item, bin, instance) else { continue }
            state.place(item, bin, instance)
        }
        return state
    }

    /// Moves unplaced optional items to the pseudo-bin.
    static func finishOptional(_ instance: SearchInstance, _ state: inout SearchState) {
        guard let u = instance.unassignedBin else { return }
        for item in 0..<instance.itemCount where state.binOf[item] < 0 && instance.isAllowed(item, u) {
            state.place(item, u, instance)
        }
    }

    /// One pass of improving shifts inside feasible space (the improvement phase of MTHG).
    static func improveByShifts(_ instance: SearchInstance, _ state: inout SearchState) {
        let m = instance.binCount
        for item in 0..<instance.itemCount where state.binOf[item] >= 0 {
            let from = Int(state.binOf[item])
            var best = from, bestCost = instance.cost[item * m + from]
            for b in instance.bins(of: item) {
                let bin = Int(b)
                if bin != from, instance.cost[item * m + bin] < bestCost, state.fits(item, bin, instance) {
                    best = bin; bestCost = instance.cost[item * m + bin]
                }
            }
            if best != from { state.move(item, to: best, instance) }
        }
    }
}
