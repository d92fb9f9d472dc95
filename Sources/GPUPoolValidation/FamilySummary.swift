import GPUPoolSupport

/// Aggregate figures of one family (one file) of a validation run.
public struct FamilySummary: Sendable, Hashable {
    public var family: String
    public var problems: Int
    /// Problems where the heuristic found a feasible assignment.
    public var feasible: Int
    /// Mean and largest relative gap of the heuristic over problems with a reference (`nil` if none).
    public var meanGap: Double?
    public var maxGap: Double?
    /// Mean heuristic seconds.
    public var meanSeconds: Double
    /// Problems proven optimal by an exact run (`nil` when no exact run was made).
    public var proven: Int?
    /// Total seconds of the auto and plain GLPK runs (`nil` when not run).
    public var autoSeconds: Double?
    public var glpkSeconds: Double?

    /// Summaries per family, in first-seen order.
    public static func summarize(_ records: [ValidationRecord]) -> [FamilySummary] {
        var order: [String] = []
        var groups: [String: [ValidationRecord]] = [:]
        for r in records {
            if groups[r.family] == nil { order.append(r.family) }
            groups[r.family, default: []].append(r)
        }
        return order.map { summarize(family: $0, groups[$0] ?? []) }
    }

    static func summarize(family: String, _ rs: [ValidationRecord]) -> FamilySummary {
        let gaps = rs.compactMap(\.gap)
        let exact = rs.contains { $0.auto != nil || $0.glpk != nil }
        let autoRuns = rs.compactMap(\.auto), glpkRuns = rs.compactMap(\.glpk)
        return FamilySummary(
            family: family, problems: rs.count, feasible: rs.filter(\.heuristic.feasible).count,
            meanGap: gaps.isEmpty ? nil : gaps.reduce(0, +) / Double(gaps.count),
            maxGap: gaps.max(),
            meanSeconds: rs.isEmpty ? 0 : rs.map(\.heuristic.seconds).reduce(0, +) / Double(rs.count),
            proven: exact ? rs.filter(\.proven).count : nil,
            autoSeconds: autoRuns.isEmpty ? nil : autoRuns.map(\.seconds).reduce(0, +),
            glpkSeconds: glpkRuns.isEmpty ? nil : glpkRuns.map(\.seconds).reduce(0, +)
        )
    }
}
