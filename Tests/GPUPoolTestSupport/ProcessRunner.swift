import Foundation

/// Runs a program to completion and captures what it printed.
public enum ProcessRunner {
    /// Exit status and both output streams of one run.
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `executable` with `arguments` (and `input` on standard input, if given).
    ///
    /// Standard output and standard error are drained at the same time, on two threads: reading
    /// one to its end before the other would deadlock as soon as the child fills the other pipe
    /// (64 KiB on Linux) and blocks.
    public static func run(_ executable: URL, _ arguments: [String], input: String? = nil,
                           currentDirectory: URL? = nil, environment: [String: String]? = nil) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let inPipe = input.map { _ in Pipe() }
        process.standardInput = inPipe ?? FileHandle.nullDevice
        try process.run()
        let errorData = Captured()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errorData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        if let input, let inPipe {
            DispatchQueue.global().async(group: group) {
                inPipe.fileHandleForWriting.write(Data(input.utf8))
                try? inPipe.fileHandleForWriting.close()
            }
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errorData.get(), as: UTF8.self))
    }

    /// One value handed from the reader thread to the caller (the group's wait orders the accesses).
    private final class Captured: @unchecked Sendable {
        private var data = Data()
        func set(_ value: Data) { data = value }
        func get() -> Data { data }
    }

    /// An executable built by this package (`gpupool`, `gpupool-bench`), found beside the test
    /// bundle in the build folder, or at `$GPUPOOL_BIN_DIR/<name>` when that is set.
    public static func builtProduct(_ name: String) -> URL {
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
