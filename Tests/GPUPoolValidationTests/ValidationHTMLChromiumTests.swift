import Foundation
import GPUPoolDomain
import GPUPoolPlanner
import GPUPoolTestSupport
import GPUPoolValidation
import Testing

/// The validation report as a browser sees it (issue: "check the page in headless Chromium"): the
/// family tables, the performance profile, gap-vs-time and primal-integral charts survive Chromium's
/// parsing, and the page paints.
@Suite("Validation HTML report in headless Chromium", .enabled(if: Chromium.path != nil, "Chromium is not installed (apt-get install chromium)"))
struct ValidationHTMLChromiumTests {
    @Test func rendersTablesProfilesAndCharts() throws {
        var problems = try ValidationProblem.generated(type: .d, items: 20, bins: 4, count: 2, seed: 5)
        problems += try ValidationProblem.generatedPlanning(nodes: 8, jobs: 16, policy: .maxUtilization, count: 2, seed: 5)
        let session = ValidationSession(heuristics: [BuiltinHeuristic(.tabu), BuiltinHeuristic(.regret), PlannerHeuristic()],
                                        seeds: [1, 2], timeLimit: 0.3, references: ReferenceSolver(timeLimit: 10))
        var trials: [TrialRecord] = []
        for problem in problems { trials += session.trials(problem, reference: try session.reference(for: problem)) }
        let heuristics = ["tabu", "regret", "planner"]
        let html = ValidationHTMLReport.render(trials: trials, summaries: HeuristicSummary.summarize(trials),
                                               comparisons: HeuristicComparison.compare(trials, heuristics: heuristics))
        let directory = try TemporaryDirectory(label: "validation-chromium")
        let page = directory.url.appendingPathComponent("report.html")
        try html.write(to: page, atomically: true, encoding: .utf8)
        let dom = try Chromium.run(["--dump-dom", page.absoluteString], in: directory.url)
        #expect(dom.components(separatedBy: "<svg").count - 1 >= 2, "charts missing from Chromium's DOM")
        for family in Set(problems.map(\.family)) { #expect(dom.contains(family), "\(family) missing") }
        for name in heuristics { #expect(dom.contains(name)) }
        // The GAP heuristics refuse planner instances: recorded and counted as failed trials, not hidden.
        #expect(trials.contains { $0.heuristic == "tabu" && $0.status == "unsupported" })
        #expect(dom.contains("<td>plan8n-16j-max-utilization</td><td>tabu</td><td>4</td><td>0</td><td>4</td>"))
        let shot = directory.url.appendingPathComponent("report.png")
        _ = try Chromium.run(["--screenshot=\(shot.path)", "--window-size=1200,1600", page.absoluteString], in: directory.url)
        let png = try Data(contentsOf: shot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 10_000, "screenshot of \(png.count) bytes: blank page?")
    }
}
