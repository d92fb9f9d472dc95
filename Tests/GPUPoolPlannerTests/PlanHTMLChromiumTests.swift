import Foundation
import GPUPoolDomain
import GPUPoolPlanner
import GPUPoolTestSupport
import Testing

/// The HTML report as a browser sees it: headless Chromium loads the page, and its DOM (after
/// parsing) and a screenshot are checked. Skipped when Chromium is not installed (CI installs it).
@Suite("HTML plan report in headless Chromium", .enabled(if: Chromium.path != nil, "Chromium is not installed (apt-get install chromium)"))
struct PlanHTMLChromiumTests {
    @Test func rendersThePoolJobsAndStages() throws {
        let (plan, pool, workload) = try PlanHTMLReportTests.smallCase()
        let html = PlanHTMLReport.render(plan: plan, pool: pool, workload: workload)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gpupool-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("plan.html")
        try html.write(to: page, atomically: true, encoding: .utf8)

        // The DOM Chromium built: the drawing, every job and reason, every stage survive parsing.
        let dom = try Chromium.run(["--dump-dom", page.absoluteString], in: directory)
        #expect(dom.contains("<svg") && dom.contains("<rect"), "no SVG drawing in Chromium's DOM")
        for entry in plan.jobs { #expect(dom.contains(escapedForDOM(entry.job)), "\(entry.job) missing from Chromium's DOM") }
        for entry in plan.unplaced { #expect(dom.contains(entry.reason!.code.rawValue)) }
        for stage in plan.stages { #expect(dom.contains(stage.objective)) }

        // A screenshot: Chromium laid the page out and painted it.
        let shot = directory.appendingPathComponent("plan.png")
        _ = try Chromium.run(["--screenshot=\(shot.path)", "--window-size=1200,1600", page.absoluteString], in: directory)
        let png = try Data(contentsOf: shot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "not a PNG")
        #expect(png.count > 10_000, "screenshot of \(png.count) bytes: blank page?")
    }

    /// How Chromium serialises text: `&`, `<`, `>` escaped, quotes kept in text nodes.
    private func escapedForDOM(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
