import GPUPoolCommandLine
import GPUPoolSupport
import Foundation
import GPUPoolDomain
import GPUPoolPlanner

/// The text output of `gpupool plan` (without `--json`): headline figures, then a table of the
/// placed jobs with their nodes and GPUs, a table of the unplaced jobs with reason code and detail,
/// and a table of the stages (value, bound, gap, status).
enum PlanTextReport {
    /// Node entries shown per job before the list is cut short (the JSON has all of them).
    static let nodesShown = 8

    static func render(_ plan: Plan, workload: Workload) -> String {
        var lines = plan.headline
        if let allocation = plan.allocation {
            lines.append("allocation (\(allocation.policy), \(allocation.method)): objective \(fixed(allocation.objective, 4))")
        }
        if let decomposition = plan.decomposition { lines.append(decomposition) }
        if let r = plan.replan {
            lines.append("re-plan: kept \(r.kept), moved \(r.moved), queued \(r.queued), started \(r.started), displaced \(r.displaced), departed \(r.departed)")
        }

        var jobs: [String: Job] = [:]
        for job in workload.jobs where jobs[job.id] == nil { jobs[job.id] = job }
        let replan = plan.replan != nil
        let placed = plan.placed, unplaced = plan.unplaced

        lines.append("")
        if placed.isEmpty {
            lines.append("placed: none")
        } else {
            lines.append("placed (\(placed.count)):")
            var rows = [["job", "tenant", "shape", "GPUs", "nodes", "cost/h"] + (replan ? ["change"] : [])]
            for entry in placed {
                var row = [entry.job + (entry.pinned ? " (pinned)" : ""), entry.tenant, entry.shapeSummary(job: jobs[entry.job]),
                           "\(entry.gpuCount)", entry.nodeSummary(limit: nodesShown), fixed(entry.costPerHour)]
                if replan { row.append(entry.change?.rawValue ?? "-") }
                rows.append(row)
            }
            lines.append(TextTable.render(rows, leftAligned: [0, 1, 2, 4, 6]))
        }

        lines.append("")
        if unplaced.isEmpty {
            lines.append("unplaced: none")
        } else {
            lines.append("unplaced (\(unplaced.count)):")
            var rows = [["job", "tenant", "reason", "detail"] + (replan ? ["change"] : [])]
            for entry in unplaced {
                var row = [entry.job, entry.tenant, entry.reason?.code.rawValue ?? "-", entry.reason?.detail ?? ""]
                if replan { row.append(entry.change?.rawValue ?? "-") }
                rows.append(row)
            }
            lines.append(TextTable.render(rows, leftAligned: [0, 1, 2, 3, 4]))
        }

        if !plan.stages.isEmpty {
            lines.append("")
            lines.append("stages:")
            var rows = [["objective", "value", "bound", "gap", "solver", "status"]]
            for stage in plan.stages {
                rows.append([stage.objective, fixed(stage.value), stage.bound.map { fixed($0) } ?? "-",
                             stage.bound.map { percent(gap(value: stage.value, bound: $0)) } ?? "-", stage.solver, stage.status.rawValue])
            }
            lines.append(TextTable.render(rows, leftAligned: [0, 4, 5]))
        }
        if !plan.notes.isEmpty { lines.append("") }
        lines.append(contentsOf: plan.notes.map { "note: \($0)" })
        return lines.joined(separator: "\n")
    }

    /// Relative gap between a stage's value and its bound: |bound − value| / max(1, |value|).
    static func gap(value: Double, bound: Double) -> Double { abs(bound - value) / max(1, abs(value)) }

    static func fixed(_ value: Double, _ digits: Int = 2) -> String {
        value.isFinite ? String(format: "%.\(digits)f", value) : "-"
    }

    static func percent(_ value: Double) -> String { value.isFinite ? String(format: "%.1f%%", value * 100) : "-" }
}
