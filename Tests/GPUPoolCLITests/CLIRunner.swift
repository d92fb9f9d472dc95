import Foundation
import GPUPoolSupport
import GPUPoolTestSupport

/// Runs the built `gpupool` (or `gpupool-bench`) executable and captures its output.
struct CLIRunner {
    typealias Output = ProcessRunner.Output

    static var packageRoot: URL { TestPaths.packageRoot }
    static var sharedData: URL { TestPaths.sharedData }
    static var hasSharedData: Bool { FileManager.default.fileExists(atPath: sharedData.path) }

    /// `gpupool …` from the package root.
    static func run(_ arguments: [String], input: String? = nil) throws -> Output {
        try ProcessRunner.run(BuiltProducts.url("gpupool"), arguments, input: input, currentDirectory: packageRoot)
    }

    /// `gpupool-bench …` from the package root.
    static func bench(_ arguments: [String]) throws -> Output {
        try ProcessRunner.run(BuiltProducts.url("gpupool-bench"), arguments, currentDirectory: packageRoot)
    }

    static func temporaryFile(_ name: String, contents: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gpupool-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(contents.utf8).write(to: url)
        return url.path
    }
}
