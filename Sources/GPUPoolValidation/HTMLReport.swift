import Foundation
import GPUPoolSupport

/// A self-contained HTML page (inline CSS and SVG, no network) with the family table and a chart
/// of heuristic gap against time per family.
public enum ValidationHTMLReport {
    public static func render(records: [ValidationRecord], title: String = "GPUPool validation report", machine: String? = nil) -> String {
        let summaries = FamilySummary.summarize(records)
        var html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(HTMLText.escape(title))</title>
        <style>
        body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
        table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}
        th:first-child,td:first-child{text-align:left}th{background:#f3f3f3}
        .legend span{display:inline-block;margin-right:1em}.sw{display:inline-block;width:10px;height:10px;margin-right:4px}
        </style></head><body>
        <h1>\(HTMLText.escape(title))</h1>
        <p>\(records.count) problems in \(summaries.count) families\(machine.map { " — machine: " + HTMLText.escape($0) } ?? "").
        Gap: the heuristic's relative gap to the known optimum (best-known where not proven) or to a proven exact optimum.</p>
        <table><tr><th>family</th><th>problems</th><th>feasible</th><th>mean gap %</th><th>max gap %</th><th>mean time s</th><th>proven</th><th>auto s</th><th>GLPK s</th></tr>

        """
        for s in summaries {
            html += "<tr><td>\(HTMLText.escape(s.family))</td><td>\(s.problems)</td><td>\(s.feasible)</td><td>\(pct(s.meanGap))</td><td>\(pct(s.maxGap))</td>"
            html += "<td>\(String(format: "%.3f", s.meanSeconds))</td><td>\(s.proven.map(String.init) ?? "–")</td>"
            html += "<td>\(s.autoSeconds.map { String(format: "%.1f", $0) } ?? "–")</td><td>\(s.glpkSeconds.map { String(format: "%.1f", $0) } ?? "–")</td></tr>\n"
        }
        html += "</table>\n<h2>Gap vs time</h2>\n" + chart(records, families: summaries.map(\.family))
        html += "\n</body></html>\n"
        return html
    }

    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    static func chart(_ records: [ValidationRecord], families: [String]) -> String {
        let points = records.compactMap { r in r.gap.map { (r.family, r.heuristic.seconds, $0 * 100) } }
        guard !points.isEmpty else { return "<p>No gaps to plot (no known or proven optima).</p>" }
        return scatter(points, series: families)
    }

    static func pct(_ value: Double?) -> String { value.map { String(format: "%.3f", $0 * 100) } ?? "–" }


    /// The report of a general run (``ValidationSession``): a table per family and heuristic, the
    /// paired comparisons, and a chart of gap against time with one colour per heuristic.
    public static func render(trials: [TrialRecord], summaries: [HeuristicSummary], comparisons: [HeuristicComparison],
                              title: String = "GPUPool validation report", machine: String? = nil) -> String {
        var html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(HTMLText.escape(title))</title>
        <style>
        body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
        table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}
        th:first-child,td:first-child,th:nth-child(2),td:nth-child(2){text-align:left}th{background:#f3f3f3}
        .legend span{display:inline-block;margin-right:1em}.sw{display:inline-block;width:10px;height:10px;margin-right:4px}
        </style></head><body>
        <h1>\(HTMLText.escape(title))</h1>
        <p>\(trials.count) trials\(machine.map { " — machine: " + HTMLText.escape($0) } ?? ""). Every point is verified by the harness;
        the gap is signed and relative to the reference (positive = worse); a reference is an optimum only when proven.</p>
        <table><tr><th>family</th><th>heuristic</th><th>trials</th><th>feasible</th><th>failed</th><th>success %</th><th>mean gap %</th><th>gap sd %</th><th>primal integral</th><th>mean s</th><th>beats ref</th></tr>

        """
        for s in summaries {
            html += "<tr><td>\(HTMLText.escape(s.family))</td><td>\(HTMLText.escape(s.heuristic))</td><td>\(s.trials)</td><td>\(s.feasible)</td><td>\(s.failed)</td>"
            html += "<td>\(String(format: "%.0f", s.successRate * 100))</td><td>\(pct(s.meanGap))</td><td>\(pct(s.gapSpread))</td>"
            html += "<td>\(s.meanPrimalIntegral.map { String(format: "%.4f", $0) } ?? "–")</td><td>\(String(format: "%.3f", s.meanSeconds))</td><td>\(s.referenceBeaten)</td></tr>\n"
        }
        html += "</table>\n"
        if !comparisons.isEmpty {
            html += "<h2>Paired comparisons (Wilcoxon signed-rank on per-instance mean gaps)</h2>\n<table><tr><th>first</th><th>second</th><th>instances</th><th>first better</th><th>second better</th><th>p-value</th></tr>\n"
            for c in comparisons {
                html += "<tr><td>\(HTMLText.escape(c.first))</td><td>\(HTMLText.escape(c.second))</td><td>\(c.instances)</td><td>\(c.firstBetter)</td><td>\(c.secondBetter)</td>"
                html += "<td>\(c.wilcoxon.map { String(format: "%.4g", $0.pValue) } ?? "–")</td></tr>\n"
            }
            html += "</table>\n"
        }
        let names = summaries.reduce(into: [String]()) { if !$0.contains($1.heuristic) { $0.append($1.heuristic) } }
        let points = trials.compactMap { t in t.gap.map { (t.heuristic, t.seconds, $0 * 100) } }
        html += "<h2>Performance profile</h2>\n<p>Fraction of instances on which each heuristic's mean verified objective is within τ (relative) of the best heuristic's.</p>\n"
        html += profile(Measures.performanceProfile(trials))
        html += "<h2>Gap vs time</h2>\n" + scatter(points, series: names)
        return html + "\n</body></html>\n"
    }

    /// Step curves of a performance profile, one per heuristic.
    static func profile(_ curves: [(heuristic: String, distances: [Double])]) -> String {
        let finite = curves.flatMap(\.distances).filter(\.isFinite)
        guard !curves.isEmpty, !curves.allSatisfy({ $0.distances.isEmpty }) else { return "<p>No trials.</p>" }
        let width = 720.0, height = 300.0, left = 60.0, bottom = 40.0, top = 10.0, right = 10.0
        let maxTau = max(finite.max() ?? 0, 1e-4) * 1.1
        func x(_ t: Double) -> Double { left + min(t, maxTau) / maxTau * (width - left - right) }
        func y(_ f: Double) -> Double { top + (1 - f) * (height - top - bottom) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"performance profile\">\n"
        svg += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(width - left - right)\" height=\"\(height - top - bottom)\" fill=\"none\" stroke=\"#999\"/>\n"
        for k in 0...4 {
            let f = Double(k) / 4, t = maxTau * Double(k) / 4
            svg += "<text x=\"\(left - 6)\" y=\"\(y(f) + 4)\" font-size=\"11\" text-anchor=\"end\">\(String(format: "%.2f", f))</text>\n"
            svg += "<text x=\"\(x(t))\" y=\"\(height - bottom + 16)\" font-size=\"11\" text-anchor=\"middle\">\(String(format: "%.2f", t * 100)) %</text>\n"
        }
        svg += "<text x=\"\((left + width) / 2)\" y=\"\(height - 6)\" font-size=\"12\" text-anchor=\"middle\">τ (relative distance to the best)</text>\n"
        for (k, c) in curves.enumerated() where !c.distances.isEmpty {
            let n = Double(c.distances.count)
            var points = [(x(0), y(0))]
            for (i, d) in c.distances.enumerated() where d.isFinite {
                points.append((x(d), points.last!.1))
                points.append((x(d), y(Double(i + 1) / n)))
            }
            points.append((x(maxTau), points.last!.1))
            let path = points.map { String(format: "%.1f,%.1f", $0.0, $0.1) }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(palette[k % palette.count])\" stroke-width=\"2\" points=\"\(path)\"><title>\(HTMLText.escape(c.heuristic))</title></polyline>\n"
        }
        svg += "</svg>\n<div class=\"legend\">"
        for (k, c) in curves.enumerated() {
            svg += "<span><span class=\"sw\" style=\"background:\(palette[k % palette.count])\"></span>\(HTMLText.escape(c.heuristic))</span>"
        }
        return svg + "</div>\n"
    }

    /// The chart of `render(records:)`, by any series.
    static func scatter(_ points: [(String, Double, Double)], series: [String]) -> String {
        guard !points.isEmpty else { return "<p>No gaps to plot (no references).</p>" }
        let width = 720.0, height = 360.0, left = 60.0, bottom = 40.0, top = 10.0, right = 10.0
        let maxT = max(points.map(\.1).max() ?? 1, 1e-3) * 1.05
        let gaps = points.map(\.2)
        let minG = min(0, gaps.min() ?? 0), maxG = max(gaps.max() ?? 1, 0.1) * 1.1
        func x(_ t: Double) -> Double { left + t / maxT * (width - left - right) }
        func y(_ g: Double) -> Double { top + (maxG - g) / (maxG - minG) * (height - top - bottom) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"gap versus time\">\n"
        svg += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(width - left - right)\" height=\"\(height - top - bottom)\" fill=\"none\" stroke=\"#999\"/>\n"
        for k in 0...4 {
            let g = minG + (maxG - minG) * Double(k) / 4, t = maxT * Double(k) / 4
            svg += "<text x=\"\(left - 6)\" y=\"\(y(g) + 4)\" font-size=\"11\" text-anchor=\"end\">\(String(format: "%.2f", g))</text>\n"
            svg += "<text x=\"\(x(t))\" y=\"\(height - bottom + 16)\" font-size=\"11\" text-anchor=\"middle\">\(String(format: "%.2f", t))</text>\n"
        }
        svg += "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(y(0))\" y2=\"\(y(0))\" stroke=\"#ccc\"/>\n"
        svg += "<text x=\"\((left + width) / 2)\" y=\"\(height - 6)\" font-size=\"12\" text-anchor=\"middle\">heuristic seconds</text>\n"
        svg += "<text x=\"14\" y=\"\(height / 2)\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(height / 2))\">gap %</text>\n"
        for (name, t, g) in points {
            let color = palette[(series.firstIndex(of: name) ?? 0) % palette.count]
            svg += "<circle cx=\"\(String(format: "%.1f", x(t)))\" cy=\"\(String(format: "%.1f", y(g)))\" r=\"3\" fill=\"\(color)\" fill-opacity=\"0.75\"><title>\(HTMLText.escape(name)): \(String(format: "%.3f", g)) % in \(String(format: "%.3f", t)) s</title></circle>\n"
        }
        svg += "</svg>\n<div class=\"legend\">"
        for (k, f) in series.enumerated() {
            svg += "<span><span class=\"sw\" style=\"background:\(palette[k % palette.count])\"></span>\(HTMLText.escape(f))</span>"
        }
        return svg + "</div>"
    }
}
