import Foundation
import GPUPoolSupport
import GPUPoolDomain

/// A self-contained HTML page showing a plan: one file, inline CSS and inline SVG, no scripts and
/// no external resources, so it opens offline and can be attached or archived as is.
///
/// The page has, in order:
/// - a summary: policies, method, stage statuses and the plan's metrics;
/// - the pool drawn as SVG, grouped by provider (pool order), with a legend. Each GPU is coloured by
///   the job holding it; free GPUs are white, GPUs held by outside work (`gpusInUse`) grey-blue; nodes that are not schedulable (cordoned, draining,
///   failed) are grey and labelled with their health. Hovering shows a tooltip (`<title>`) naming
///   the node and the job;
/// - the placed jobs (colour, tenant, shape and accelerator, GPUs, nodes with GPU counts, cost,
///   throughput), the unplaced jobs with their reason code and detail, the per-tenant shares (GPUs
///   held, quota, share of the GPUs in use) and every stage's value, bound, gap and status.
///
/// **Large pools.** Up to ``detailedNodeLimit`` nodes, every node is a box with its id, model and
/// one cell per GPU (a tooltip per GPU). Above that, every node is a thin vertical bar split into
/// one segment per job in proportion to the GPUs it holds there (one tooltip per node listing its
/// jobs), with integer coordinates: the drawing grows by roughly 200 bytes per node, so the
/// 12,500-node pool of `gpupool bench plan` (100,000 GPUs) gives a page of a few MB that renders
/// in well under a second. The tables always list every job.
///
/// The gap of a stage is `|bound − value| / max(1, |value|)`, computed here from the stage's value
/// and bound. Every text taken from the input (ids, tenants, reasons, notes) is escaped, so ids
/// containing `<`, `&` or quotes are shown verbatim. The output depends only on its arguments (no
/// timestamp), so the same plan gives the same bytes.
public enum PlanHTMLReport {
    /// Pools with more nodes than this are drawn compactly: one bar per node instead of one cell per GPU.
    public static let detailedNodeLimit = 400

    /// Placed jobs up to this count get a legend entry each above the drawing; beyond it the table
    /// of placed jobs (which shows each job's colour) serves as the legend.
    public static let legendJobLimit = 60

    /// The HTML page for `plan`, which was computed for `pool` and `workload`.
    ///
    /// Placements on nodes the pool does not have, or on GPU indices beyond a node's count, are
    /// listed in a note instead of being drawn.
    public static func render(plan: Plan, pool: Pool, workload: Workload) -> String {
        Renderer(plan: plan, pool: pool, workload: workload).page()
    }
}

// MARK: - Renderer

private struct Renderer {
    let plan: Plan
    let pool: Pool
    let workload: Workload
    /// Placed entries in plan order; the index is the job's colour index.
    let placed: [JobPlacement]
    let jobsByID: [String: Job]
    /// Node id → GPU index → index into `placed`.
    let holders: [String: [Int: Int]]
    /// Node id → (placed index, GPUs) in order of first appearance.
    let usage: [String: [(job: Int, gpus: Int)]]
    /// Placements that cannot be drawn (unknown node or GPU index out of range).
    let stray: [String]

    init(plan: Plan, pool: Pool, workload: Workload) {
        self.plan = plan
        self.pool = pool
        self.workload = workload
        placed = plan.jobs.filter { $0.status == .placed }
        var jobs: [String: Job] = [:]
        for job in workload.jobs where jobs[job.id] == nil { jobs[job.id] = job }
        jobsByID = jobs
        var gpuCounts: [String: Int] = [:]
        for node in pool.nodes where gpuCounts[node.id] == nil { gpuCounts[node.id] = node.gpuCount }
        var holders: [String: [Int: Int]] = [:]
        var usage: [String: [(job: Int, gpus: Int)]] = [:]
        var stray: [String] = []
        for (j, entry) in placed.enumerated() {
            for worker in entry.workers {
                guard let count = gpuCounts[worker.node] else {
                    stray.append("\(entry.job) on unknown node \(worker.node)")
                    continue
                }
                var drawn = 0
                for gpu in worker.gpus {
                    guard gpu >= 0, gpu < count else {
                        stray.append("\(entry.job) on \(worker.node) GPU \(gpu) (the node has \(count))")
                        continue
                    }
                    holders[worker.node, default: [:]][gpu] = j
                    drawn += 1
                }
                guard drawn > 0 else { continue }
                if let k = usage[worker.node]?.firstIndex(where: { $0.job == j }) {
                    usage[worker.node]![k].gpus += drawn
                } else {
                    usage[worker.node, default: []].append((j, drawn))
                }
            }
        }
        self.holders = holders
        self.usage = usage
        self.stray = stray
    }

    func page() -> String {
        var body = "<h1>GPU pool plan</h1>\n"
        body += "<p class=\"sub\">\(plan.metrics.placedJobs) of \(plan.jobs.count) jobs placed on \(plan.metrics.usedGPUs) of "
        body += "\(plan.metrics.schedulableGPUs) schedulable GPUs · \(pool.nodes.count) nodes from \(pool.providers.count) providers</p>\n"
        body += summary()
        body += "<h2>Pool</h2>\n" + legend() + drawing()
        body += "<h2>Placed jobs (\(placed.count))</h2>\n" + placedTable()
        body += "<h2>Unplaced jobs (\(plan.jobs.count - placed.count))</h2>\n" + unplacedTable()
        body += "<h2>Tenants</h2>\n" + tenantTable()
        body += "<h2>Stages</h2>\n" + stageTable()
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"/><title>GPU pool plan</title>
            <style>
            body{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:1000px;color:#222;padding:0 1em}
            h1{margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}.sub,.note{color:#555}
            table{border-collapse:collapse;font-size:13px;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 7px;text-align:right;vertical-align:top}
            th{background:#f3f3f3}td.l,th.l{text-align:left}td.w{max-width:420px;text-align:left;overflow-wrap:anywhere}
            table.kv td:first-child{text-align:left;color:#555}table.kv td:last-child{text-align:left}
            .sw{display:inline-block;width:12px;height:12px;border:1px solid #888;vertical-align:-2px}
            .key{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;margin:.4em 0}
            .bar{display:inline-block;width:120px;height:9px;background:#eee;vertical-align:middle;margin-right:6px}
            .bar i{display:block;height:100%;background:#4a7fb5}
            svg{display:block;background:#fafafa;border:1px solid #ddd;font-family:system-ui,sans-serif}
            </style></head><body>
            \(body)</body></html>

            """
    }

    // MARK: Summary

    private func summary() -> String {
        let m = plan.metrics
        var rows: [(String, String)] = [
            ("policies", plan.policies.joined(separator: " > ")),
            ("method", plan.method),
            ("status", statusText()),
            ("jobs placed", "\(m.placedJobs) of \(m.placedJobs + m.unplacedJobs)"),
            ("GPUs used", "\(m.usedGPUs) of \(m.schedulableGPUs) schedulable (\(percent(m.utilization)))"),
            ("cost", "\(fixed(m.costPerHour)) /h"),
            ("effective GPUs", fixed(m.effectiveGPUs)),
            ("throughput", "\(fixed(m.totalThroughput)) steps/s (normalised \(fixed(m.normalizedThroughput)))"),
        ]
        if let a = m.expectedAvailability { rows.append(("expected availability", fixed(a, 4))) }
        if let j = m.jainFairness { rows.append(("Jain fairness", fixed(j, 3))) }
        if let o = m.objective {
            var text = fixed(o)
            if let b = m.bound { text += " (bound \(fixed(b)), gap \(percent(gap(value: o, bound: b))))" }
            rows.append(("primary objective", text))
        }
        rows.append(("planning time", "\(fixed(m.solveSeconds, 3)) s"))
        if let allocation = plan.allocation {
            rows.append(("allocation", "\(allocation.policy), \(allocation.method): objective \(fixed(allocation.objective, 4))"))
        }
        if let d = plan.decomposition { rows.append(("decomposition", d)) }
        if let r = plan.replan {
            rows.append(("re-plan", "kept \(r.kept), moved \(r.moved), queued \(r.queued), started \(r.started), displaced \(r.displaced), departed \(r.departed)"))
        }
        var html = "<table class=\"kv\">\n"
        for (key, value) in rows { html += "<tr><td>\(HTMLText.escape(key))</td><td>\(HTMLText.escape(value))</td></tr>\n" }
        html += "</table>\n"
        for note in plan.notes { html += "<p class=\"note\">Note: \(HTMLText.escape(note))</p>\n" }
        if !stray.isEmpty {
            let shown = stray.prefix(10).joined(separator: "; ") + (stray.count > 10 ? "; … (\(stray.count) in all)" : "")
            html += "<p class=\"note\">Not drawn (not in this pool): \(HTMLText.escape(shown))</p>\n"
        }
        return html
    }

    /// `optimal` when every stage is proven optimal, else `feasible` with how many stages are.
    private func statusText() -> String {
        guard !plan.stages.isEmpty else { return plan.status?.rawValue ?? "–" }
        let proven = plan.stages.filter { $0.status == .optimal }.count
        if proven == plan.stages.count { return "optimal (every stage proven)" }
        return "feasible (\(proven) of \(plan.stages.count) stages proven optimal)"
    }

    // MARK: Pool drawing

    private func legend() -> String {
        var html = "<div class=\"key\">"
        if placed.count <= PlanHTMLReport.legendJobLimit {
            for (j, entry) in placed.enumerated() {
                html += "<span><span class=\"sw\" style=\"background:\(color(j))\"></span> \(HTMLText.escape(entry.job))</span>"
            }
        } else {
            html += "<span>\(placed.count) jobs, one colour each (shown in the table of placed jobs); hover for names</span>"
        }
        html += "<span><span class=\"sw\" style=\"background:\(Self.free)\"></span> free</span>"
        html += "<span><span class=\"sw\" style=\"background:\(Self.outside)\"></span> held by outside work (gpusInUse)</span>"
        html += "<span><span class=\"sw\" style=\"background:\(Self.down)\"></span> unschedulable node</span>"
        return html + "</div>\n"
    }

    private static let free = "#ffffff"
    private static let down = "#c4c4c4"
    /// GPUs held by running pods or Slurm jobs (``Node/gpusInUse``): grey-blue, unlike a job's colour.
    private static let outside = "#8fa3b8"
    private static let width = 960

    /// Nodes grouped by provider: the pool's providers in order, then any provider only nodes name.
    private func groups() -> [(id: String, title: String, nodes: [Node])] {
        var byProvider: [String: [Node]] = [:]
        var order: [String] = pool.providers.map(\.id)
        for node in pool.nodes {
            if byProvider[node.provider] == nil, !order.contains(node.provider) { order.append(node.provider) }
            byProvider[node.provider, default: []].append(node)
        }
        var seen = Set<String>()
        return order.compactMap { id in
            guard seen.insert(id).inserted, let nodes = byProvider[id] else { return nil }
            let provider = pool.provider(id: id)
            let gpus = nodes.reduce(0) { $0 + max(0, $1.gpuCount) }
            let used = nodes.reduce(0) { $0 + (usage[$1.id]?.reduce(0) { $0 + $1.gpus } ?? 0) }
            var title = id
            if let provider {
                title += " (\(provider.kind.rawValue)"
                if let name = provider.name { title += ", \(name)" }
                title += ")"
            }
            title += " — \(nodes.count) node\(nodes.count == 1 ? "" : "s"), \(used) of \(gpus) GPUs in use"
            return (id, title, nodes)
        }
    }

    private func drawing() -> String {
        guard !pool.nodes.isEmpty else { return "<p>The pool has no nodes.</p>\n" }
        return pool.nodes.count <= PlanHTMLReport.detailedNodeLimit ? detailedDrawing() : compactDrawing()
    }

    /// One box per node with its id, model and one cell per GPU.
    private func detailedDrawing() -> String {
        let pitch = 13, cell = 11
        let maxGPUs = max(1, pool.nodes.map(\.gpuCount).max() ?? 1)
        let perRow = min(16, maxGPUs)
        let boxW = max(150, 12 + perRow * pitch)
        let columns = max(1, (Self.width - 10) / (boxW + 8))
        let chars = (boxW - 12) / 6
        var svg = ""
        var y = 8
        for group in groups() {
            svg += "<text x=\"8\" y=\"\(y + 14)\" font-size=\"13\" font-weight=\"600\">\(HTMLText.escape(group.title))</text>\n"
            y += 24
            var k = 0
            while k < group.nodes.count {
                let row = group.nodes[k..<min(k + columns, group.nodes.count)]
                let rowsOfCells = row.map { max(1, ($0.gpuCount + perRow - 1) / perRow) }.max() ?? 1
                let boxH = 34 + rowsOfCells * pitch + 4
                for (c, node) in row.enumerated() {
                    let x = 8 + c * (boxW + 8)
                    let schedulable = node.isSchedulable
                    let held = holders[node.id] ?? [:]
                    let used = usage[node.id]?.reduce(0) { $0 + $1.gpus } ?? 0
                    var tip = "\(node.id): \(node.gpuCount)× \(node.accelerator), \(node.region), \(node.health.rawValue), \(used) of \(node.gpuCount) GPUs in use"
                    if let jobs = usage[node.id] { tip += " — " + jobs.map { "\(placed[$0.job].job)×\($0.gpus)" }.joined(separator: ", ") }
                    svg += "<g><rect x=\"\(x)\" y=\"\(y)\" width=\"\(boxW)\" height=\"\(boxH)\" rx=\"3\" fill=\"\(schedulable ? "#ffffff" : "#ececec")\" stroke=\"\(schedulable ? "#bbbbbb" : "#999999")\"\(schedulable ? "" : " stroke-dasharray=\"4 3\"")><title>\(HTMLText.escape(tip))</title></rect>"
                    svg += "<text x=\"\(x + 6)\" y=\"\(y + 14)\" font-size=\"11\" font-weight=\"600\"\(schedulable ? "" : " fill=\"#777777\"")>\(HTMLText.escape(truncated(node.id, chars)))</text>"
                    let sub = schedulable ? "\(node.accelerator) · \(node.region)" : "\(node.accelerator) · \(node.health.rawValue.uppercased())"
                    svg += "<text x=\"\(x + 6)\" y=\"\(y + 27)\" font-size=\"10\" fill=\"\(schedulable ? "#666666" : "#a33333")\">\(HTMLText.escape(truncated(sub, chars + 2)))</text>\n"
                    for gpu in 0..<max(0, node.gpuCount) {
                        let cx = x + 6 + (gpu % perRow) * pitch, cy = y + 34 + (gpu / perRow) * pitch
                        let fill: String, title: String
                        if let j = held[gpu] {
                            fill = color(j)
                            title = "\(placed[j].job) (tenant \(placed[j].tenant)) — \(node.id) GPU \(gpu)"
                        } else if gpu < node.gpusInUse {
                            fill = Self.outside
                            title = "held by work outside the plan — \(node.id) GPU \(gpu)"
                        } else if schedulable {
                            fill = Self.free
                            title = "free — \(node.id) GPU \(gpu)"
                        } else {
                            fill = Self.down
                            title = "\(node.health.rawValue) — \(node.id) GPU \(gpu)"
                        }
                        svg += "<rect x=\"\(cx)\" y=\"\(cy)\" width=\"\(cell)\" height=\"\(cell)\" fill=\"\(fill)\" stroke=\"#888888\" stroke-width=\"0.6\"><title>\(HTMLText.escape(title))</title></rect>"
                    }
                    svg += "</g>\n"
                }
                y += boxH + 8
                k += columns
            }
            y += 6
        }
        return "<svg width=\"\(Self.width)\" height=\"\(y + 4)\" viewBox=\"0 0 \(Self.width) \(y + 4)\" role=\"img\" aria-label=\"pool\">\n\(svg)</svg>\n"
    }

    /// One thin bar per node, split into one segment per job (bottom up) in proportion to its GPUs.
    private func compactDrawing() -> String {
        let barW = 5, pitch = 6, barH = 28, linePitch = 34
        let perLine = (Self.width - 16) / pitch
        var svg = ""
        svg.reserveCapacity(pool.nodes.count * 220)
        var y = 8
        for group in groups() {
            svg += "<text x=\"8\" y=\"\(y + 14)\" font-size=\"13\" font-weight=\"600\">\(HTMLText.escape(group.title))</text>\n"
            y += 22
            for (k, node) in group.nodes.enumerated() {
                if k > 0, k % perLine == 0 { y += linePitch }
                let x = 8 + (k % perLine) * pitch
                let jobs = usage[node.id] ?? []
                let used = jobs.reduce(0) { $0 + $1.gpus }
                var tip = "\(node.id): \(node.gpuCount)× \(node.accelerator), \(node.health.rawValue), \(used) of \(node.gpuCount) in use"
                if !jobs.isEmpty { tip += " — " + jobs.map { "\(placed[$0.job].job)×\($0.gpus)" }.joined(separator: ", ") }
                let background = node.isSchedulable ? "#f2f2f2" : Self.down
                svg += "<g><title>\(HTMLText.escape(tip))</title><rect x=\"\(x)\" y=\"\(y)\" width=\"\(barW)\" height=\"\(barH)\" fill=\"\(background)\"/>"
                let total = max(1, node.gpuCount)
                var cumulative = 0
                for (j, gpus) in jobs {
                    let top = barH - (barH * (cumulative + gpus) + total / 2) / total
                    let bottom = barH - (barH * cumulative + total / 2) / total
                    cumulative += gpus
                    guard bottom > top else { continue }
                    svg += "<rect x=\"\(x)\" y=\"\(y + top)\" width=\"\(barW)\" height=\"\(bottom - top)\" fill=\"\(color(j))\"/>"
                }
                svg += "</g>\n"
            }
            y += linePitch + 8
        }
        let note = "<p class=\"note\">\(pool.nodes.count) nodes (more than \(PlanHTMLReport.detailedNodeLimit)): one bar per node, "
            + "split by job in proportion to the GPUs each holds there; hover a bar for the node and its jobs.</p>\n"
        return note + "<svg width=\"\(Self.width)\" height=\"\(y)\" viewBox=\"0 0 \(Self.width) \(y)\" role=\"img\" aria-label=\"pool\">\n\(svg)</svg>\n"
    }

    // MARK: Tables

    private func placedTable() -> String {
        guard !placed.isEmpty else { return "<p>No job is placed.</p>\n" }
        let replan = plan.replan != nil
        var html = "<table><tr><th></th><th class=\"l\">job</th><th class=\"l\">tenant</th><th>priority</th><th class=\"l\">shape</th>"
        html += "<th>GPUs</th><th class=\"l\">nodes</th><th>cost/h</th><th>throughput</th>\(replan ? "<th class=\"l\">change</th>" : "")</tr>\n"
        for (j, entry) in placed.enumerated() {
            let job = jobsByID[entry.job]
            var name = HTMLText.escape(entry.job)
            if entry.pinned { name += " <small>(pinned)</small>" }
            html += "<tr><td><span class=\"sw\" style=\"background:\(color(j))\"></span></td><td class=\"l\">\(name)</td>"
            html += "<td class=\"l\">\(HTMLText.escape(entry.tenant))</td><td>\(job.map { "\($0.priority)" } ?? "–")</td>"
            html += "<td class=\"l\">\(HTMLText.escape(entry.shapeSummary(job: job)))</td><td>\(entry.gpuCount)</td>"
            html += "<td class=\"w\">\(HTMLText.escape(entry.nodeSummary()))</td><td>\(fixed(entry.costPerHour))</td>"
            html += "<td>\(entry.throughput.map { fixed($0, 3) } ?? "–")</td>"
            if replan { html += "<td class=\"l\">\(HTMLText.escape(entry.change?.rawValue ?? "–"))</td>" }
            html += "</tr>\n"
        }
        return html + "</table>\n"
    }

    private func unplacedTable() -> String {
        let unplaced = plan.jobs.filter { $0.status == .unplaced }
        guard !unplaced.isEmpty else { return "<p>Every job is placed.</p>\n" }
        let replan = plan.replan != nil
        var html = "<table><tr><th class=\"l\">job</th><th class=\"l\">tenant</th><th>priority</th><th>GPUs wanted</th>"
        html += "<th class=\"l\">reason</th><th class=\"l\">detail</th>\(replan ? "<th class=\"l\">change</th>" : "")</tr>\n"
        for entry in unplaced {
            let job = jobsByID[entry.job]
            html += "<tr><td class=\"l\">\(HTMLText.escape(entry.job))</td><td class=\"l\">\(HTMLText.escape(entry.tenant))</td>"
            html += "<td>\(job.map { "\($0.priority)" } ?? "–")</td><td>\(job?.shape.totalGPUs.map { "\($0)" } ?? "–")</td>"
            html += "<td class=\"l\">\(HTMLText.escape(entry.reason?.code.rawValue ?? "–"))</td><td class=\"w\">\(HTMLText.escape(entry.reason?.detail ?? ""))</td>"
            if replan { html += "<td class=\"l\">\(HTMLText.escape(entry.change?.rawValue ?? "–"))</td>" }
            html += "</tr>\n"
        }
        return html + "</table>\n"
    }

    private func tenantTable() -> String {
        var tenants = workload.tenants
        for entry in plan.jobs where !tenants.contains(entry.tenant) { tenants.append(entry.tenant) }
        for tenant in workload.tenantQuotas.keys.sorted() where !tenants.contains(tenant) { tenants.append(tenant) }
        guard !tenants.isEmpty else { return "<p>No tenants.</p>\n" }
        var held: [String: Int] = [:], placedJobs: [String: Int] = [:], allJobs: [String: Int] = [:]
        for entry in plan.jobs {
            allJobs[entry.tenant, default: 0] += 1
            guard entry.status == .placed else { continue }
            placedJobs[entry.tenant, default: 0] += 1
            held[entry.tenant, default: 0] += entry.gpuCount
        }
        let used = held.values.reduce(0, +)
        var html = "<table><tr><th class=\"l\">tenant</th><th>jobs placed</th><th>GPUs held</th><th>quota</th><th>quota used</th><th class=\"l\">share of used GPUs</th></tr>\n"
        for tenant in tenants {
            let gpus = held[tenant] ?? 0
            let quota = workload.tenantQuotas[tenant]
            let share = used > 0 ? Double(gpus) / Double(used) : 0
            html += "<tr><td class=\"l\">\(HTMLText.escape(tenant))</td><td>\(placedJobs[tenant] ?? 0) of \(allJobs[tenant] ?? 0)</td><td>\(gpus)</td>"
            html += "<td>\(quota.map { "\($0)" } ?? "none")</td><td>\(quota.map { $0 > 0 ? percent(Double(gpus) / Double($0)) : "–" } ?? "–")</td>"
            html += "<td class=\"l\"><span class=\"bar\"><i style=\"width:\(fixed(share * 100, 1))%\"></i></span>\(percent(share))</td></tr>\n"
        }
        return html + "</table>\n"
    }

    private func stageTable() -> String {
        guard !plan.stages.isEmpty else { return "<p>No stages recorded.</p>\n" }
        var html = "<table><tr><th>#</th><th class=\"l\">objective</th><th>value</th><th>bound</th><th>gap</th><th class=\"l\">solver</th><th class=\"l\">status</th></tr>\n"
        for (k, stage) in plan.stages.enumerated() {
            html += "<tr><td>\(k + 1)</td><td class=\"l\">\(HTMLText.escape(stage.objective))</td><td>\(fixed(stage.value, 3))</td>"
            html += "<td>\(stage.bound.map { fixed($0, 3) } ?? "–")</td><td>\(stage.bound.map { percent(gap(value: stage.value, bound: $0)) } ?? "–")</td>"
            html += "<td class=\"l\">\(HTMLText.escape(stage.solver))</td><td class=\"l\">\(HTMLText.escape(stage.status.rawValue))</td></tr>\n"
        }
        return html + "</table>\n<p class=\"note\">gap = |bound − value| / max(1, |value|).</p>\n"
    }

    // MARK: Helpers

    private func gap(value: Double, bound: Double) -> Double { abs(bound - value) / max(1, abs(value)) }

    /// Colour of placed job `j`: hues a golden angle apart, with three lightness levels, so
    /// neighbours in the plan differ clearly.
    private func color(_ j: Int) -> String {
        let hue = (Double(j) * 137.508).truncatingRemainder(dividingBy: 360)
        let saturation = [0.62, 0.50, 0.70][j % 3]
        let lightness = [0.55, 0.40, 0.70][(j / 3) % 3]
        return Self.hex(hue: hue, saturation: saturation, lightness: lightness)
    }

    private static func hex(hue: Double, saturation s: Double, lightness l: Double) -> String {
        let c = (1 - abs(2 * l - 1)) * s
        let h = hue / 60
        let x = c * (1 - abs(h.truncatingRemainder(dividingBy: 2) - 1))
        let (r, g, b): (Double, Double, Double) = switch Int(h) {
        case 0: (c, x, 0)
        case 1: (x, c, 0)
        case 2: (0, c, x)
        case 3: (0, x, c)
        case 4: (x, 0, c)
        default: (c, 0, x)
        }
        let m = l - c / 2
        let digits = Array("0123456789abcdef")
        var out = "#"
        for v in [r, g, b] {
            let byte = max(0, min(255, Int(((v + m) * 255).rounded())))
            out.append(digits[byte / 16])
            out.append(digits[byte % 16])
        }
        return out
    }

    private func truncated(_ s: String, _ limit: Int) -> String {
        s.count <= limit ? s : String(s.prefix(max(1, limit - 1))) + "…"
    }

    private func fixed(_ value: Double, _ digits: Int = 2) -> String {
        value.isFinite ? String(format: "%.\(digits)f", value) : "–"
    }

    private func percent(_ value: Double) -> String { value.isFinite ? String(format: "%.1f%%", value * 100) : "–" }
}


