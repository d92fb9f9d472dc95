import Foundation
import GPUPoolSupport

/// A self-contained offline HTML page (inline SVG, no scripts, no network) comparing policies:
/// JCT CDF per policy, utilisation over time, queue length over time, cost vs average JCT, and
/// the metrics table.
public enum SimulationReport {
    private static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    /// The HTML page. `title` and `subtitle` (e.g. trace, pool and machine) head the page.
    public static func html(results: [SimulationResult], title: String, subtitle: String = "") -> String {
        let metrics = results.map(\.metrics)
        var body = "<h1>\(HTMLText.escape(title))</h1>\n"
        if !subtitle.isEmpty { body += "<p class=\"sub\">\(HTMLText.escape(subtitle))</p>\n" }
        body += legend(results)
        body += "<h2>Metrics</h2>\n" + table(results, metrics)
        body += "<h2>Job completion time CDF</h2>\n" + jctCDF(results)
        body += "<h2>GPU utilisation over time</h2>\n" + series(results, value: { $0.utilization }, yLabel: "utilisation", yMax: 1)
        body += "<h2>Queue length over time</h2>\n" + series(results, value: { Double($0.queued) }, yLabel: "queued jobs", yMax: nil)
        body += "<h2>Cost vs average JCT</h2>\n" + costVsJCT(results, metrics)
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(HTMLText.escape(title))</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2em auto;max-width:980px;color:#222}
            table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 7px;text-align:right}
            th:first-child,td:first-child{text-align:left}.sub{color:#555}svg{background:#fafafa;border:1px solid #ddd}
            .key span{display:inline-block;margin-right:1.2em}.key i{display:inline-block;width:14px;height:4px;margin-right:4px;vertical-align:middle}
            </style></head><body>
            \(body)
            </body></html>

            """
    }

    private static func color(_ i: Int) -> String { colors[i % colors.count] }

    private static func legend(_ results: [SimulationResult]) -> String {
        "<p class=\"key\">" + results.enumerated().map { i, r in
            "<span><i style=\"background:\(color(i))\"></i>\(HTMLText.escape(r.policy))</span>"
        }.joined() + "</p>\n"
    }

    private static func table(_ results: [SimulationResult], _ metrics: [SimulationMetrics]) -> String {
        let header = ["policy", "jobs", "completed", "avg JCT (h)", "p50 JCT (h)", "p95 JCT (h)", "p99 JCT (h)", "avg queueing (h)",
                      "makespan (h)", "utilisation", "cost (USD)", "Jain", "mean FTF ρ", "max FTF ρ", "migrations", "preemptions",
                      "failures", "survived", "GPU-hours by model", "planner p50 (ms)", "planner p99 (ms)", "wall (s)"]
        var html = "<table><tr>" + header.map { "<th>\($0)</th>" }.joined() + "</tr>\n"
        for (r, m) in zip(results, metrics) {
            let cells = [r.policy, "\(m.jobs)", "\(m.completed)", hours(m.averageJCT), hours(m.p50JCT), hours(m.p95JCT), hours(m.p99JCT),
                         hours(m.averageQueueingDelay), hours(m.makespan), fmt(m.utilization, 3), fmt(m.cost, 0), fmt(m.jainFairness, 3),
                         fmt(m.meanFinishTimeFairness, 2), fmt(m.maxFinishTimeFairness, 2), "\(m.migrations)", "\(m.preemptions)",
                         "\(m.failures)", "\(m.failuresSurvived)",
                         m.gpuHoursByAccelerator.sorted { $0.key < $1.key }.map { "\($0.key) \(fmt($0.value, 0))" }.joined(separator: ", "), fmt(m.plannerP50.map { $0 * 1000 }, 1),
                         fmt(m.plannerP99.map { $0 * 1000 }, 1), fmt(r.wallSeconds, 1)]
            html += "<tr>" + cells.map { "<td>\(HTMLText.escape($0))</td>" }.joined() + "</tr>\n"
        }
        return html + "</table>\n"
    }

    // MARK: Charts

    private struct Frame {
        var width = 900.0, height = 320.0, left = 60.0, right = 20.0, top = 15.0, bottom = 40.0
        var x0: Double, x1: Double, y0: Double, y1: Double
        func x(_ v: Double) -> Double { left + (v - x0) / max(1e-12, x1 - x0) * (width - left - right) }
        func y(_ v: Double) -> Double { height - bottom - (v - y0) / max(1e-12, y1 - y0) * (height - top - bottom) }
    }

    private static func axes(_ f: Frame, xLabel: String, yLabel: String, logX: Bool = false) -> String {
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(f.width))\" height=\"\(Int(f.height))\" font-size=\"11\">"
        s += "<line x1=\"\(f.left)\" y1=\"\(f.y(f.y0))\" x2=\"\(f.width - f.right)\" y2=\"\(f.y(f.y0))\" stroke=\"#444\"/>"
        s += "<line x1=\"\(f.left)\" y1=\"\(f.top)\" x2=\"\(f.left)\" y2=\"\(f.y(f.y0))\" stroke=\"#444\"/>"
        for i in 0...4 {
            let xv = f.x0 + (f.x1 - f.x0) * Double(i) / 4
            let label = logX ? fmt(pow(10, xv), xv < 1 ? 2 : 0) : fmt(xv, abs(f.x1 - f.x0) < 10 ? 1 : 0)
            s += "<text x=\"\(f.x(xv))\" y=\"\(f.height - f.bottom + 15)\" text-anchor=\"middle\">\(label)</text>"
            let yv = f.y0 + (f.y1 - f.y0) * Double(i) / 4
            s += "<text x=\"\(f.left - 5)\" y=\"\(f.y(yv) + 4)\" text-anchor=\"end\">\(fmt(yv, f.y1 - f.y0 <= 2 ? 2 : 0))</text>"
            s += "<line x1=\"\(f.left)\" y1=\"\(f.y(yv))\" x2=\"\(f.width - f.right)\" y2=\"\(f.y(yv))\" stroke=\"#e4e4e4\"/>"
        }
        s += "<text x=\"\((f.left + f.width - f.right) / 2)\" y=\"\(f.height - 6)\" text-anchor=\"middle\">\(HTMLText.escape(xLabel))</text>"
        s += "<text x=\"14\" y=\"\((f.top + f.height - f.bottom) / 2)\" text-anchor=\"middle\" transform=\"rotate(-90 14 \((f.top + f.height - f.bottom) / 2))\">\(HTMLText.escape(yLabel))</text>"
        return s
    }

    private static func polyline(_ points: [(Double, Double)], _ f: Frame, color: String) -> String {
        guard !points.isEmpty else { return "" }
        let text = points.map { "\(fmt(f.x($0.0), 1)),\(fmt(f.y($0.1), 1))" }.joined(separator: " ")
        return "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.6\" points=\"\(text)\"/>"
    }

    private static func jctCDF(_ results: [SimulationResult]) -> String {
        let all = results.map { $0.jobs.compactMap(\.jct).map { max($0 / 3600, 0.01) }.sorted() }
        let values = all.flatMap { $0 }
        guard let lo = values.min(), let hi = values.max() else { return "<p>No job completed.</p>\n" }
        let f = Frame(x0: log10(lo), x1: max(log10(hi), log10(lo) + 0.1), y0: 0, y1: 1)
        var s = axes(f, xLabel: "job completion time (hours, log scale)", yLabel: "fraction of completed jobs", logX: true)
        for (i, list) in all.enumerated() {
            // At most ~600 points per curve keeps the page small.
            let step = max(1, list.count / 600)
            var points: [(Double, Double)] = []
            for (n, v) in list.enumerated() where n % step == 0 || n == list.count - 1 {
                points.append((log10(v), Double(n + 1) / Double(list.count)))
            }
            s += polyline(points, f, color: color(i))
        }
        return s + "</svg>\n"
    }

    private static func series(_ results: [SimulationResult], value: (TimeSample) -> Double, yLabel: String, yMax: Double?) -> String {
        let end = results.map(\.endTime).max() ?? 0
        let start = results.compactMap { $0.timeline.first?.start }.min() ?? 0
        guard end > start else { return "<p>No data.</p>\n" }
        let top = yMax ?? max(1, results.flatMap { $0.timeline.map(value) }.max() ?? 1)
        let f = Frame(x0: start / 3600, x1: end / 3600, y0: 0, y1: top)
        var s = axes(f, xLabel: "simulated time (hours)", yLabel: yLabel)
        let buckets = 450.0
        let width = (end - start) / buckets
        for (i, r) in results.enumerated() {
            // Time-weighted mean per bucket.
            var sums = [Double](repeating: 0, count: Int(buckets)), weights = sums
            for sample in r.timeline {
                var a = sample.start
                while a < sample.end {
                    let b = min(sample.end, start + (floor((a - start) / width) + 1) * width)
                    let k = min(Int(buckets) - 1, max(0, Int((a - start) / width)))
                    sums[k] += value(sample) * (b - a)
                    weights[k] += b - a
                    if b <= a { break }
                    a = b
                }
            }
            let points = sums.indices.filter { weights[$0] > 0 }.map { k in ((start + (Double(k) + 0.5) * width) / 3600, sums[k] / weights[k]) }
            s += polyline(points, f, color: color(i))
        }
        return s + "</svg>\n"
    }

    private static func costVsJCT(_ results: [SimulationResult], _ metrics: [SimulationMetrics]) -> String {
        let points = zip(results.indices, metrics).compactMap { i, m in m.averageJCT.map { (i, $0 / 3600, m.cost) } }
        guard !points.isEmpty else { return "<p>No job completed.</p>\n" }
        let xs = points.map(\.1), ys = points.map(\.2)
        let xPad = max(0.5, ((xs.max() ?? 1) - (xs.min() ?? 0)) * 0.15), yPad = max(1, ((ys.max() ?? 1) - (ys.min() ?? 0)) * 0.15)
        let f = Frame(height: 300, x0: max(0, (xs.min() ?? 0) - xPad), x1: (xs.max() ?? 1) + xPad, y0: max(0, (ys.min() ?? 0) - yPad), y1: (ys.max() ?? 1) + yPad)
        var s = axes(f, xLabel: "average JCT (hours)", yLabel: "cost (USD)")
        for (i, x, y) in points {
            s += "<circle cx=\"\(fmt(f.x(x), 1))\" cy=\"\(fmt(f.y(y), 1))\" r=\"6\" fill=\"\(color(i))\"/>"
            s += "<text x=\"\(fmt(f.x(x) + 9, 1))\" y=\"\(fmt(f.y(y) - 8, 1))\">\(HTMLText.escape(results[i].policy))</text>"
        }
        return s + "</svg>\n"
    }

    // MARK: Text

    private static func hours(_ seconds: Double?) -> String { fmt(seconds.map { $0 / 3600 }, 2) }

    static func fmt(_ value: Double?, _ digits: Int) -> String {
        guard let value, value.isFinite else { return "–" }
        return String(format: "%.\(digits)f", value)
    }

}
