import Foundation
import GPUPoolSupport

/// Headless Chromium for the tests that check an HTML page as a browser renders it (CI installs it;
/// the tests skip without it).
public enum Chromium {
    public static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs headless Chromium with `arguments`; its standard output (kept in a file, so a large DOM
    /// cannot fill a pipe). Fails after 120 s.
    public static func run(_ arguments: [String], in directory: URL) throws -> String {
        let outputFile = directory.appendingPathComponent("chromium-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputFile)
        defer { try? output.close() }
        // A child of our own (ChildProcess): Foundation's Process can lose the exit notice.
        let child = try ChildProcess(
            URL(fileURLWithPath: path!),
            ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--user-data-dir=\(directory.appendingPathComponent("profile").path)"] + arguments,
            output: .descriptor(output.fileDescriptor), error: .null)
        let deadline = Date().addingTimeInterval(120)
        while !child.hasExited && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if !child.hasExited {
            child.kill(SIGKILL, group: true)
            child.wait()
            throw ChromiumError(message: "Chromium did not finish within 120 s")
        }
        let status = child.wait()
        guard status == 0 else { throw ChromiumError(message: "Chromium exited \(status)") }
        return try String(contentsOf: outputFile, encoding: .utf8)
    }
}

public struct ChromiumError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
