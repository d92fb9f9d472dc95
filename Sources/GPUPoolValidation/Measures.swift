import Foundation

/// The measures of heuristic performance that `gpupool validate` reports.
public enum Measures {
    /// Berthold's primal gap of `value` to `reference`, in [0, 1]: 0 when both are 0, 1 when their
    /// signs differ, else `|reference − value| / max(|reference|, |value|)`.
    public static func primalGap(_ value: Double, reference: Double) -> Double {
        if value == 0 && reference == 0 { return 0 }
        if value * reference < 0 { return 1 }
        return abs(reference - value) / max(abs(reference), abs(value))
    }

    /// Berthold's primal integral over `[0, timeLimit]`: the integral of the primal gap of the best
    /// incumbent so far (1 before the first), in seconds; 0 means the reference was held from the start.
    /// - Parameters:
    ///   - incumbents: (objective, seconds) in any order; later worse ones are ignored.
    ///   - maximize: whether larger values are better.
    public static func primalIntegral(_ incumbents: [Incumbent], reference: Double, maximize: Bool, timeLimit: Double) -> Double {
        let steps = bestSoFar(incumbents, maximize: maximize)
        var total = 0.0, t = 0.0, p = 1.0
        for i in steps {
            let s = min(max(i.seconds, 0), timeLimit)
            total += p * (s - t)
            t = s
            p = primalGap(i.objective, reference: reference)
        }
        total += p * max(0, timeLimit - t)
        return total
    }

    /// The incumbents in time order, keeping only those that improve on every earlier one.
    public static func bestSoFar(_ incumbents: [Incumbent], maximize: Bool) -> [Incumbent] {
        var out: [Incumbent] = []
        for i in incumbents.enumerated().sorted(by: { ($0.element.seconds, $0.offset) < ($1.element.seconds, $1.offset) }).map(\.element) {
            if let last = out.last, maximize ? i.objective <= last.objective : i.objective >= last.objective { continue }
            out.append(i)
        }
        return out
    }

    /// Relative gap of `value` to `reference` (positive = worse), as in ``ValidationRecord/relativeGap(_:reference:sense:)``.
    public static func signedGap(_ value: Double, reference: Double, maximize: Bool) -> Double {
        (maximize ? reference - value : value - reference) / max(1e-9, abs(reference))
    }

    /// Seconds to the first incumbent whose signed gap to `reference` is at most `target` (`nil` if never).
    public static func timeToGap(_ incumbents: [Incumbent], reference: Double, maximize: Bool, target: Double, tolerance: Double = 1e-9) -> Double? {
        bestSoFar(incumbents, maximize: maximize).first { signedGap($0.objective, reference: reference, maximize: maximize) <= target + tolerance }?.seconds
    }

    /// Mean and sample standard deviation (0 for one value); `nil` for none.
    public static func meanAndSpread(_ xs: [Double]) -> (mean: Double, spread: Double)? {
        guard !xs.isEmpty else { return nil }
        let mean = xs.reduce(0, +) / Double(xs.count)
        guard xs.count > 1 else { return (mean, 0) }
        let v = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count - 1)
        return (mean, v.squareRoot())
    }

    /// The outcome of a Wilcoxon signed-rank test.
    public struct Wilcoxon: Sendable, Hashable {
        /// Non-zero differences used.
        public var n: Int
        /// Sum of the ranks of the positive differences.
        public var wPlus: Double
        /// Sum of the ranks of the negative differences.
        public var wMinus: Double
        /// Two-sided p-value (exact for n ≤ 50, over the ranks as given ties included; normal
        /// approximation with tie correction beyond).
        public var pValue: Double
        /// Whether ``pValue`` is exact.
        public var exact: Bool
        /// `min(W+, W−)`, the statistic scipy reports.
        public var statistic: Double { min(wPlus, wMinus) }
    }

    /// The paired Wilcoxon signed-rank test of `differences` (e.g. gap of heuristic A minus gap of
    /// B per instance): zero differences are dropped (Wilcoxon's method), tied magnitudes get their
    /// average rank. `nil` when no difference is non-zero.
    public static func wilcoxon(_ differences: [Double], zeroTolerance: Double = 0) -> Wilcoxon? {
        let d = differences.filter { abs($0) > zeroTolerance && $0.isFinite }
        let n = d.count
        guard n > 0 else { return nil }
        let order = d.indices.sorted { abs(d[$0]) < abs(d[$1]) }
        var rank = [Double](repeating: 0, count: n)
        var k = 0
        while k < n {
            var e = k
            while e + 1 < n && abs(d[order[e + 1]]) == abs(d[order[k]]) { e += 1 }
            let r = Double(k + e + 2) / 2
            for q in k...e { rank[order[q]] = r }
            k = e + 1
        }
        let wPlus = zip(d, rank).filter { $0.0 > 0 }.map(\.1).reduce(0, +)
        let total = Double(n * (n + 1)) / 2
        let wMinus = total - wPlus
        if n <= 50 {
            // Exact null distribution of W+ over the 2^n sign patterns, on doubled ranks (integers).
            let r2 = rank.map { Int(($0 * 2).rounded()) }
            let maxSum = r2.reduce(0, +)
            var counts = [Double](repeating: 0, count: maxSum + 1)
            counts[0] = 1
            for r in r2 {
                for s in stride(from: maxSum, through: r, by: -1) { counts[s] += counts[s - r] }
            }
            let all = pow(2.0, Double(n))
            let w = Int((min(wPlus, wMinus) * 2).rounded())
            let lower = counts[0...w].reduce(0, +) / all
            return Wilcoxon(n: n, wPlus: wPlus, wMinus: wMinus, pValue: min(1, 2 * lower), exact: true)
        }
        var tieTerm = 0.0
        var seen: [Double: Int] = [:]
        for r in rank { seen[r, default: 0] += 1 }
        for (_, t) in seen where t > 1 { tieTerm += Double(t * t * t - t) }
        let mean = Double(n * (n + 1)) / 4
        let sd = ((Double(n * (n + 1) * (2 * n + 1)) / 24) - tieTerm / 48).squareRoot()
        let z = (min(wPlus, wMinus) - mean) / max(sd, 1e-300)
        let p = min(1, 2 * 0.5 * erfc(-z / 2.0.squareRoot()))
        return Wilcoxon(n: n, wPlus: wPlus, wMinus: wMinus, pValue: p, exact: false)
    }
}

extension Measures {
    /// Dolan–Moré style performance profile over the heuristics' objectives: per instance, each
    /// heuristic's value is the mean verified objective over its seeds (failed when a seed has no
    /// verified point), and its distance is the relative gap of that value to the best heuristic's
    /// (0 for the best, `.infinity` when failed). Returns the distances per heuristic, sorted; the
    /// profile at τ is the fraction of entries ≤ τ.
    public static func performanceProfile(_ trials: [TrialRecord]) -> [(heuristic: String, distances: [Double])] {
        var names: [String] = []
        var values: [String: [String: [Double?]]] = [:]  // instance → heuristic → objectives
        var maximize: [String: Bool] = [:]
        for t in trials {
            if !names.contains(t.heuristic) { names.append(t.heuristic) }
            values[t.instance, default: [:]][t.heuristic, default: []].append(t.objective)
            maximize[t.instance] = t.sense == "max"
        }
        var distances: [String: [Double]] = [:]
        for (instance, byHeuristic) in values {
            let max = maximize[instance] ?? false
            var mean: [String: Double] = [:]
            for (h, objs) in byHeuristic where !objs.isEmpty && objs.allSatisfy({ $0 != nil }) {
                mean[h] = objs.compactMap { $0 }.reduce(0, +) / Double(objs.count)
            }
            let best = max ? mean.values.max() : mean.values.min()
            for h in names where byHeuristic[h] != nil {
                if let v = mean[h], let best {
                    distances[h, default: []].append(Swift.max(0, signedGap(v, reference: best, maximize: max)))
                } else {
                    distances[h, default: []].append(.infinity)
                }
            }
        }
        return names.map { ($0, (distances[$0] ?? []).sorted()) }
    }
}
