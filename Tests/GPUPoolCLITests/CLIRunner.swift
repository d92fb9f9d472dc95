import Foundation
import GPUPoolSupport
import GPUPoolTestSupport

/// Runs the built `gpupool` (or `gpupool-bench`) executable and captures its output.
struct CLIRunner {
    typealias Output = ProcessRunner.Output

    static var packageRoot: URL { TestPaths.packageRoot }
    static var sharedData: URL { TestPaths.sharedData }
    static var hasSharedData: Bool { FileManager.default.fileExists(atPath: sharedData.path) }

    /// A run still going after this long is killed and fails its test (``Output/timedOut``): a
    /// command that hangs must not hang the whole test run, whose time limits cannot fire while the
    /// blocked test holds a cooperative thread. No test here needs more than a minute.
    static let hangLimit: Double = 600

    /// `gpupool …` from the package root.
    static func run(_ arguments: [String], input: String? = nil) throws -> Output {
        try ProcessRunner.run(BuiltProducts.url("gpupool"), arguments, input: input, currentDirectory: packageRoot, timeout: hangLimit)
    }

    /// `gpupool-bench …` from the package root.
    static func bench(_ arguments: [String]) throws -> Output {
        try ProcessRunner.run(BuiltProducts.url("gpupool-bench"), arguments, currentDirectory: packageRoot, timeout: hangLimit)
    }

    static func temporaryFile(_ name: String, contents: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gpupool-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(contents.utf8).write(to: url)
        return url.path
    }
}
