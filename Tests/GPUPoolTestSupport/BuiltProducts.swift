import Foundation
import GPUPoolSupport

/// Where the tests find the executables this package builds.
public enum BuiltProducts {
    /// An executable built by this package (`gpupool`, `gpupool-bench`), found beside the test
    /// bundle in the build folder, or at `$GPUPOOL_BIN_DIR/<name>` when that is set.
    public static func url(_ name: String) -> URL {
        if let dir = ProcessInfo.processInfo.environment["GPUPOOL_BIN_DIR"] {
            return URL(fileURLWithPath: dir).appendingPathComponent(name)
        }
        // Linux: Bundle.main is the folder of the test runner (…/debug); macOS: the .xctest
        // bundle inside it. Walk up a few levels to the folder that holds the products.
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL.appendingPathComponent(name)
    }
}
