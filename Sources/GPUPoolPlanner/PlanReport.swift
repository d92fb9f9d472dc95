import Foundation

extension Plan {
    /// The first lines of every text report of a plan: method, policies, jobs and GPUs placed, and
    /// the headline figures (cost, effective GPUs, availability, fairness, planning time).
    public var headline: [String] {
        let m = metrics
        var lines: [String] = []
        lines.append("method: \(method)")
        lines.append("policies: \(policies.joined(separator: " > "))")
        lines.append("placed \(m.placedJobs) of \(m.placedJobs + m.unplacedJobs) jobs, \(m.usedGPUs) of \(m.schedulableGPUs) GPUs (\(Self.percent(m.utilization)))")
        var figures = ["cost \(Self.fixed(m.costPerHour))/h", "effective GPUs \(Self.fixed(m.effectiveGPUs))"]
        if let a = m.expectedAvailability { figures.append("expected availability \(Self.fixed(a, digits: 4))") }
        if let j = m.jainFairness { figures.append("Jain fairness \(Self.fixed(j, digits: 3))") }
        figures.append("\(Self.fixed(m.solveSeconds, digits: 3)) s")
        lines.append(figures.joined(separator: ", "))
        return lines
    }

    /// A short human-readable report: metrics, stages, decomposition, re-plan counts, and the
    /// unplaced jobs grouped by reason (at most `listing` job ids per reason).
    public func summary(listing: Int = 5) -> String {
        var lines = headline
        for stage in stages {
            var text = "  \(stage.objective): \(Self.fixed(stage.value))"
            if let bound = stage.bound { text += " (bound \(Self.fixed(bound)))" }
            lines.append(text + " [\(stage.status)]")
        }
        if let allocation {
            lines.append("allocation (\(allocation.policy), \(allocation.method)): objective \(Self.fixed(allocation.objective, digits: 4))")
        }
        if let decomposition { lines.append(decomposition) }
        if let r = replan {
            lines.append("re-plan: kept \(r.kept), moved \(r.moved), queued \(r.queued), started \(r.started), displaced \(r.displaced), departed \(r.departed)")
        }
        var byReason: [UnplacedReasonCode: [String]] = [:]
        for entry in jobs where entry.status == .unplaced {
            byReason[entry.reason?.code ?? .capacityExhausted, default: []].append(entry.job)
        }
        for code in UnplacedReasonCode.allCases {
            guard let ids = byReason[code] else { continue }
            let shown = ids.prefix(listing).joined(separator: ", ")
            lines.append("unplaced (\(code.rawValue)): \(ids.count) — \(shown)\(ids.count > listing ? ", …" : "")")
        }
        lines.append(contentsOf: notes.map { "note: \($0)" })
        return lines.joined(separator: "\n")
    }

    /// One row per plan with the figures that differ between policies, aligned as a table.
    public static func comparison(_ plans: [(name: String, plan: Plan)]) -> String {
        let header = ["policy", "placed", "GPUs", "util", "cost/h", "eff. GPUs", "availability", "Jain", "seconds"]
        var rows = [header]
        for (name, plan) in plans {
            let m = plan.metrics
            rows.append([
                name, "\(m.placedJobs)/\(m.placedJobs + m.unplacedJobs)", "\(m.usedGPUs)", percent(m.utilization),
                fixed(m.costPerHour), fixed(m.effectiveGPUs), m.expectedAvailability.map { fixed($0, digits: 4) } ?? "-",
                m.jainFairness.map { fixed($0, digits: 3) } ?? "-", fixed(m.solveSeconds, digits: 3),
            ])
        }
        let widths = header.indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, cell in
                c == 0 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    static func fixed(_ value: Double, digits: Int = 2) -> String { value.isFinite ? String(format: "%.\(digits)f", value) : "-" }
    static func percent(_ value: Double) -> String { value.isFinite ? String(format: "%.1f%%", value * 100) : "-" }
}
