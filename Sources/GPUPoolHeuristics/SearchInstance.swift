/// The heuristics' working copy of an ``AssignmentProblem``, always in minimisation form.
///
/// Optional items get a pseudo-bin (index `binCount`, only when some item is optional) with
/// zero demand, unlimited capacity and the item's penalty as cost, so "leave unassigned" is just
/// another bin for the searches. Pairs on which an item is ineligible, or too large to fit even
/// into the empty bin, are not allowed at all.
struct SearchInstance: Sendable {
    let itemCount: Int
    /// Real bins of the problem.
    let realBinCount: Int
    /// Real bins plus the pseudo-bin when there is one.
    let binCount: Int
    let dimensionCount: Int
    /// Index of the pseudo-bin, or `nil` when every item is mandatory.
    let unassignedBin: Int?
    /// `cost[item * binCount + bin]`, minimisation form.
    let cost: [Double]
    /// `demand[(item * binCount + bin) * dimensionCount + k]`.
    let demand: [Double]
    /// `limit[bin * dimensionCount + k]`: capacity plus half the checker's tolerance (∞ for the pseudo-bin).
    let limit: [Double]
    /// Weight turning an excess in `(bin, k)` into comparable units: 1 / capacity scale.
    let excessWeight: [Double]
    /// `allowed[item * binCount + bin]`.
    let allowed: [Bool]
    /// Allowed bins per item, flattened: bins of item `i` are `allowedBins[allowedStart[i]..<allowedStart[i+1]]`.
    let allowedBins: [Int32]
    let allowedStart: [Int]
    /// Items that cannot go anywhere (no allowed bin at all), with the reason.
    let impossible: [Int: UnplacedReason]
    /// Typical cost difference between an item's bins; scales penalties and perturbations.
    let costScale: Double
    /// Whether every cost (and penalty) is a whole number, so every objective value is one.
    let integralCosts: Bool
    /// Per item, its highest cost over its allowed real bins (0 when it has none).
    let worstCost: [Double]

    init(_ problem: AssignmentProblem) {
        let n = problem.itemCount, m = problem.binCount, d = problem.dimensionCount
        let hasOptional = problem.penalties.contains { $0 != nil }
        let bins = m + (hasOptional ? 1 : 0)
        itemCount = n
        realBinCount = m
        binCount = bins
        dimensionCount = d
        unassignedBin = hasOptional ? m : nil
        let sign: Double = problem.sense == .minimize ? 1 : -1

        var limit = [Double](repeating: .infinity, count: bins * d)
        for b in 0..<m {
            for k in 0..<d {
                let capacity = problem.capacities[b * d + k]
                limit[b * d + k] = capacity + 0.5 * AssignmentProblem.capacityTolerance * max(1, abs(capacity))
            }
        }
        // Excess is measured relative to the bin's capacity, or to the mean demand when the capacity is 0.
        var meanDemand = [Double](repeating: 0, count: d)
        var eligibleCount = 0
        for i in 0..<n {
            for b in 0..<m where problem.eligible[i * m + b] {
                eligibleCount += 1
                for k in 0..<d { meanDemand[k] += problem.demands[(i * m + b) * d + k] }
            }
        }
        for k in 0..<d { meanDemand[k] = max(meanDemand[k] / Double(max(eligibleCount, 1)), 1e-12) }
        var weight = [Double](repeating: 0, count: bins * d)
        for b in 0..<m {
            for k in 0..<d { weight[b * d + k] = 1 / max(problem.capacities[b * d + k], meanDemand[k]) }
        }

        var cost = [Double](repeating: 0, count: n * bins)
        var demand = [Double](repeating: 0, count: n * bins * d)
        var allowed = [Bool](repeating: false, count: n * bins)
        var allowedBins: [Int32] = []
        var allowedStart = [0]
        var impossible: [Int: UnplacedReason] = [:]
        var spreadSum = 0.0
        var spreadCount = 0
        for i in 0..<n {
            var eligibleBins = 0
            var lo = Double.infinity, hi = -Double.infinity
            for b in 0..<m {
                let pair = i * m + b
                cost[i * bins + b] = sign * problem.costs[pair]
                for k in 0..<d { demand[(i * bins + b) * d + k] = problem.demands[pair * d + k] }
                guard problem.eligible[pair] else { continue }
                eligibleBins += 1
                var fits = true
                for k in 0..<d where problem.demands[pair * d + k] > limit[b * d + k] { fits = false }
                if fits {
                    allowed[i * bins + b] = true
                    allowedBins.append(Int32(b))
                    lo = min(lo, cost[i * bins + b])
                    hi = max(hi, cost[i * bins + b])
                }
            }
            if let u = unassignedBin, let penalty = problem.penalties[i] {
                cost[i * bins + u] = penalty
                allowed[i * bins + u] = true
                allowedBins.append(Int32(u))
            }
            allowedStart.append(allowedBins.count)
            if lo <= hi {
                spreadSum += hi - lo
                spreadCount += 1
            }
            if !allowed[(i * bins)..<(i * bins + bins)].contains(true) {
                impossible[i] = eligibleBins == 0 ? .noEligibleBin : .tooLargeForEveryEligibleBin
            } else if allowedStart[i + 1] - allowedStart[i] == 1, unassignedBin != nil,
                      allowedBins[allowedStart[i]] == Int32(unassignedBin!)
            {
                // Optional item that fits nowhere: it stays out, and we remember why.
                impossible[i] = eligibleBins == 0 ? .noEligibleBin : .tooLargeForEveryEligibleBin
            }
        }
        var meanAbsCost = 0.0
        for value in cost { meanAbsCost += abs(value) }
        meanAbsCost /= Double(max(cost.count, 1))
        let spread = spreadCount > 0 ? spreadSum / Double(spreadCount) : 0
        self.cost = cost
        self.demand = demand
        self.limit = limit
        self.excessWeight = weight
        self.allowed = allowed
        self.allowedBins = allowedBins
        self.allowedStart = allowedStart
        self.impossible = impossible
        self.costScale = max(spread, meanAbsCost * 0.01, 1e-9)
        var worst = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var value = -Double.infinity
            for b in allowedBins[allowedStart[i]..<allowedStart[i + 1]] where Int(b) < m {
                value = max(value, cost[i * bins + Int(b)])
            }
            worst[i] = value.isFinite ? value : 0
        }
        self.worstCost = worst
        var integral = true
        for index in 0..<(n * bins) where allowed[index] && cost[index] != cost[index].rounded() { integral = false }
        self.integralCosts = integral
    }

    @inline(__always) func isAllowed(_ item: Int, _ bin: Int) -> Bool { allowed[item * binCount + bin] }

    /// Allowed bins of `item`.
    @inline(__always) func bins(of item: Int) -> ArraySlice<Int32> {
        allowedBins[allowedStart[item]..<allowedStart[item + 1]]
    }

    /// Whether `item` is optional (may go to the pseudo-bin).
    @inline(__always) func isOptional(_ item: Int) -> Bool {
        guard let u = unassignedBin else { return false }
        return allowed[item * binCount + u]
    }
}
