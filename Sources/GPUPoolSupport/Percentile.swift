/// Order statistics used by the simulator's metrics and the benchmarks' latency figures.
public enum Percentile {
    /// The nearest-rank `q`-quantile of values sorted ascending (`q` in `[0, 1]`): the smallest
    /// value with at least `q · n` values at or below it. `nil` when `sorted` is empty.
    public static func nearestRank(_ sorted: [Double], _ q: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((q * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }
}
