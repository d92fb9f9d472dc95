/// Capacity prices from the Lagrangian relaxation of the capacity constraints.
///
/// Relaxing capacities with prices `λ[b,k] ≥ 0` gives the bound
/// `L(λ) = Σ_i min_b (c[i,b] + Σ_k λ[b,k]·r[i,b,k]) − Σ_{b,k} λ[b,k]·cap[b,k]`, whose maximum
/// equals the LP relaxation bound. A few hundred subgradient steps get close to it. The prices
/// turn into a desirability measure for the regret heuristic (cost plus priced capacity use),
/// which starts the tabu search near the LP optimum, and the bound lets the search stop when it
/// has proven its solution optimal.
enum LagrangianGuide {
    /// Capacity prices `[bin * dimensionCount + k]` of the best bound found in `steps` subgradient
    /// steps (Polyak steps towards `upperBound`, halved after 20 steps without progress).
    static func prices(
        _ instance: SearchInstance, upperBound: Double, steps: Int = 300, budget: SearchBudget? = nil
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
        for step in 0..<steps {
            // At most a quarter of the time: the search needs the rest.
            if step > 0, let budget, budget.fractionUsed > 0.25 { break }
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

        return (bestPrice, bestBound)
    }
}
