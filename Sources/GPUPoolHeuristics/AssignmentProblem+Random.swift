import GPUPoolSupport
import Foundation

/// Families of random GAP instances, after Chu & Beasley (1997) and Laguna et al. (type E).
///
/// With `r` the demand, `c` the cost, `n` items and `m` bins:
/// - `a`: r ∈ U[5,25], c ∈ U[10,50], capacity 0.6·(n/m)·15 + 0.4·max over bins of the demand of
///   the items whose cheapest bin it is (loose).
/// - `b`: as `a`, capacity 70 % of type A's.
/// - `c`: r ∈ U[5,25], c ∈ U[10,50], capacity 0.8·Σr/m.
/// - `d`: r ∈ U[1,100], c = 111 − r + U[−10,10] (cost inversely correlated with demand), capacity 0.8·Σr/m.
/// - `e`: r = 1 − 10·ln U(0,1], c = 1000/r − 10·U[0,1], capacity 0.8·Σr/m.
public enum GAPInstanceType: String, Sendable, Codable, CaseIterable {
    case a, b, c, d, e
}

extension AssignmentProblem {
    /// A reproducible random instance of the given family.
    ///
    /// With several dimensions each dimension's demands and capacities follow the family's rule
    /// independently; for the correlated families (`d`, `e`) the cost follows the first dimension.
    /// With an eligibility fraction below 1 every pair is eligible with that probability (each item
    /// keeps at least one bin) and capacities are computed over eligible pairs, splitting an item's
    /// demand over its eligible bins.
    ///
    /// - Parameters:
    ///   - items: number of items (jobs).
    ///   - bins: number of bins (agents), at least 1.
    ///   - type: the instance family.
    ///   - dimensions: number of resource dimensions, at least 1.
    ///   - seed: the same seed and parameters always give the same problem.
    ///   - sense: `.minimize` treats the numbers as costs, `.maximize` as profits.
    ///   - tightness: overrides the capacity factor (0.8 for `c`–`e`; for `a`/`b` it scales the whole capacity, 1 = as published).
    ///   - eligibleFraction: probability that an item may go to a given bin, in (0, 1].
    ///   - optionalFraction: share of items that are optional, with a penalty between 0.5 and 2
    ///     times their mean cost.
    ///   - ensureFeasible: raise capacities where needed so that a random planted assignment fits,
    ///     which guarantees that a feasible assignment exists.
    /// - Throws: ``AssignmentProblemError`` for out-of-range parameters.
    public static func random(
        items: Int, bins: Int, type: GAPInstanceType = .c, dimensions: Int = 1, seed: UInt64,
        sense: AssignmentSense = .minimize, tightness: Double? = nil, eligibleFraction: Double = 1,
        optionalFraction: Double = 0, ensureFeasible: Bool = false
    ) throws(AssignmentProblemError) -> AssignmentProblem {
        func bad(_ field: String, _ value: Double, _ rule: String) -> AssignmentProblemError {
            .invalidValue(field: field, item: nil, bin: nil, dimension: nil, value: value, rule: rule)
        }
        guard items >= 0 else { throw bad("items", Double(items), "must not be negative") }
        guard bins >= 1 else { throw bad("bins", Double(bins), "must be at least 1") }
        guard dimensions >= 1 else { throw bad("dimensions", Double(dimensions), "must be at least 1") }
        guard eligibleFraction > 0, eligibleFraction <= 1 else {
            throw bad("eligibleFraction", eligibleFraction, "must be in (0, 1]")
        }
        guard optionalFraction >= 0, optionalFraction <= 1 else {
            throw bad("optionalFraction", optionalFraction, "must be in [0, 1]")
        }
        if let tightness, !(tightness.isFinite && tightness > 0) {
            throw bad("tightness", tightness, "must be finite and positive")
        }
        let (pairs, overflow) = items.multipliedReportingOverflow(by: bins)
        let (entries, overflow2) = pairs.multipliedReportingOverflow(by: dimensions)
        guard !overflow, !overflow2, entries <= maximumEntries, items <= maximumEntries, bins <= maximumEntries,
              dimensions <= maximumEntries, bins * dimensions <= maximumEntries
        else {
            throw .tooLarge(items: items, bins: bins, dimensions: dimensions, limit: maximumEntries)
        }

        var rng = SeededGenerator(seed: seed)
        var eligible = [Bool](repeating: true, count: pairs)
        if eligibleFraction < 1 {
            for item in 0..<items {
                var any = false
                for bin in 0..<bins {
                    let ok = rng.nextDouble() < eligibleFraction
                    eligible[item * bins + bin] = ok
                    any = any || ok
                }
                if !any { eligible[item * bins + rng.nextInt(below: bins)] = true }
            }
        }
        var demands = [Double](repeating: 0, count: entries)
        var costs = [Double](repeating: 0, count: pairs)
        for item in 0..<items {
            for bin in 0..<bins {
                let pair = item * bins + bin
                for dimension in 0..<dimensions {
                    let r: Double
                    switch type {
                    case .a, .b, .c: r = Double(rng.nextInt(in: 5...25))
                    case .d: r = Double(rng.nextInt(in: 1...100))
                    case .e: r = (1 - 10 * log1mUniform(&rng)).rounded()
                    }
                    demands[pair * dimensions + dimension] = r
                }
                let first = demands[pair * dimensions]
                switch type {
                case .a, .b, .c: costs[pair] = Double(rng.nextInt(in: 10...50))
                case .d: costs[pair] = 111 - first + Double(rng.nextInt(in: -10...10))
                case .e: costs[pair] = (1000 / first - 10 * rng.nextDouble()).rounded()
                }
            }
        }

        var eligibleCount = [Int](repeating: 0, count: items)
        for item in 0..<items { for bin in 0..<bins where eligible[item * bins + bin] { eligibleCount[item] += 1 } }
        var capacities = [Double](repeating: 0, count: bins * dimensions)
        for dimension in 0..<dimensions {
            switch type {
            case .a, .b:
                // Load each bin would get if every item went to its cheapest eligible bin.
                var cheapestLoad = [Double](repeating: 0, count: bins)
                for item in 0..<items {
                    var best = -1
                    for bin in 0..<bins where eligible[item * bins + bin] {
                        if best < 0 || costs[item * bins + bin] < costs[item * bins + best] { best = bin }
                    }
                    if best >= 0 { cheapestLoad[best] += demands[(item * bins + best) * dimensions + dimension] }
                }
                let maxLoad = cheapestLoad.max() ?? 0
                let factor = (type == .a ? 1 : 0.7) * (tightness ?? 1)
                let value = (factor * (0.6 * Double(items) / Double(bins) * 15 + 0.4 * maxLoad)).rounded(.down)
                for bin in 0..<bins { capacities[bin * dimensions + dimension] = value }
            case .c, .d, .e:
                let factor = tightness ?? 0.8
                for bin in 0..<bins {
                    var share = 0.0
                    for item in 0..<items where eligible[item * bins + bin] {
                        share += demands[(item * bins + bin) * dimensions + dimension] / Double(eligibleCount[item])
                    }
                    capacities[bin * dimensions + dimension] = (factor * share).rounded(.down)
                }
            }
        }

        if ensureFeasible {
            var load = [Double](repeating: 0, count: bins * dimensions)
            for item in 0..<items {
                let choices = (0..<bins).filter { eligible[item * bins + $0] }
                let bin = choices[rng.nextInt(below: choices.count)]
                for dimension in 0..<dimensions {
                    load[bin * dimensions + dimension] += demands[(item * bins + bin) * dimensions + dimension]
                }
            }
            for index in capacities.indices { capacities[index] = max(capacities[index], load[index]) }
        }

        var penalties = [Double?](repeating: nil, count: items)
        if optionalFraction > 0 {
            for item in 0..<items where rng.nextDouble() < optionalFraction {
                var sum = 0.0
                for bin in 0..<bins where eligible[item * bins + bin] { sum += abs(costs[item * bins + bin]) }
                let mean = sum / Double(max(eligibleCount[item], 1))
                penalties[item] = (mean * (0.5 + 1.5 * rng.nextDouble())).rounded()
            }
        }
        let name = "random-\(type.rawValue)-\(bins)x\(items)-d\(dimensions)-s\(seed)"
        return try AssignmentProblem(
            flatName: name, sense: sense, itemCount: items, binCount: bins, dimensionCount: dimensions,
            costs: costs, demands: demands, capacities: capacities, eligible: eligible, penalties: penalties)
    }
}

/// ln(U) for U uniform in (0, 1], never -∞.
private func log1mUniform(_ rng: inout SeededGenerator) -> Double {
    let u = 1 - rng.nextDouble()  // (0, 1]
    return Foundation.log(u)
}
