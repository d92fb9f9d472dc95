import Foundation // TUNING-ONLY
/// Capacity prices from the Lagrangian relaxation of the capacity constraints, used to shrink
/// the tabu search's neighbourhood to promising (item, bin) pairs.
///
/// Relaxing capacities with prices `λ[b,k] ≥ 0` gives the bound
/// `L(λ) = Σ_i min_b (c[i,b] + Σ_k λ[b,k]·r[i,b,k]) − Σ_{b,k} λ[b,k]·cap[b,k]`, whose maximum
/// equals the LP relaxation bound. A few hundred subgradient steps get close to it. A pair whose
/// priced cost is far above the item's cheapest priced cost is rarely part of a good solution
/// (Yagiura et al. restrict their ejection chains the same way), so each item keeps only its
/// cheapest pairs under the prices.
enum LagrangianGuide {
    /// Capacity prices `[bin * dimensionCount + k]` of the best bound found in `steps` subgradient
    /// steps (Polyak steps towards `upperBound`, halved after 20 steps without progress).
    static func prices(
        _ instance: SearchInstance, upperBound: Double, steps: Int = 300
    ) -> (prices: [Double], bound: Double) {
        let n = instance.itemCount, m = instance.binCount, d = instance.dimensionCount
        var price = [Double](repeating: 0, count: m * d)
        var capacity = [Double](repeating: 0, count: m * d)
        for index in 0..<(m * d) { capacity[index] = instance.limit[index].isFinite ? instance.limit[index] : 0 }
        var bestBound = -Double.infinity
        var bestPrice = price
        var stepScale = 1.0
        var sinceImprovement = 0
        var usage = [Double](repeating: 0, count: m * d)
        for _ in 0..<steps {
            for index in usage.indices { usage[index] = 0 }
            var bound = 0.0
            for i in 0..<n {
                var bestBin = -1, bestCost = Double.infinity
                for bb in instance.bins(of: i) {
                    let b = Int(bb)
                    var priced = instance.cost[i * m + b]
                    for k in 0..<d { priced += price[b * d + k] * instance.demand[(i * m + b) * d + k] }
                    if priced < bestCost { bestCost = priced; bestBin = b }
                }
                guard bestBin >= 0 else { continue }
                bound += bestCost
                for k in 0..<d { usage[bestBin * d + k] += instance.demand[(i * m + bestBin) * d + k] }
            }
            var norm = 0.0
            for index in 0..<(m * d) where instance.limit[index].isFinite {
                bound -= price[index] * capacity[index]
                let g = usage[index] - capacity[index]
                // Projected subgradient: a zero price with slack cannot go lower.
                if price[index] > 0 || g > 0 { norm += g * g }
            }
            if !bestBound.isFinite || bound > bestBound + 1e-9 * max(1, abs(bestBound)) {
                bestBound = bound; bestPrice = price; sinceImprovement = 0
            } else {
                sinceImprovement += 1
                if sinceImprovement >= 20 { stepScale *= 0.5; sinceImprovement = 0 }
            }
            guard norm > 0, stepScale > 1e-4 else { break }
            let target = upperBound.isFinite ? upperBound : bound + abs(bound) * 0.01 + 1
            let step = stepScale * max(target - bound, 1e-9 * max(1, abs(bound))) / norm
            for index in 0..<(m * d) where instance.limit[index].isFinite {
                price[index] = max(0, price[index] + step * (usage[index] - capacity[index]))
            }
        }

        if ProcessInfo.processInfo.environment["DEBUGC"] != nil { print("LAG bound", bestBound, "ub", upperBound, "maxprice", bestPrice.max() ?? 0, "scale", stepScale) } // TUNING-ONLY
        return (bestPrice, bestBound)
    }
}
