import Foundation

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

public struct ChromiumError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
