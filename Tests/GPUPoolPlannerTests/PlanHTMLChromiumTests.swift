import Foundation
import GPUPoolDomain
import GPUPoolPlanner
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

enum Chromium {
    static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs headless Chromium with `arguments`; its standard output (kept in a file, so a large DOM
    /// cannot fill a pipe). Fails after 120 s.
    static func run(_ arguments: [String], in directory: URL) throws -> String {
        let outputFile = directory.appendingPathComponent("chromium-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputFile)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path!)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                             "--user-data-dir=\(directory.appendingPathComponent("profile").path)"] + arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            throw ChromiumError(message: "Chromium did not finish within 120 s")
        }
        guard process.terminationStatus == 0 else { throw ChromiumError(message: "Chromium exited \(process.terminationStatus)") }
        return try String(contentsOf: outputFile, encoding: .utf8)
    }
}

struct ChromiumError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
