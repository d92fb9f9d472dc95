import Foundation

/// Runs a program to completion and captures what it printed: the one child-process helper that the
/// benchmarks (wrk, glpsol) and the tests (`gpupool`, gzip) share.
package enum ProcessRunner {
    /// Exit status and both output streams of one run.
    package struct Output: Sendable {
        package var status: Int32
        package var stdout: String
        package var stderr: String
        /// Whether the run was killed at its `timeout`.
        package var timedOut: Bool = false
    }

    /// Runs `executable` with `arguments` (and `input` on standard input, if given).
    ///
    /// Standard output and standard error are drained at the same time, on two threads: reading
    /// one to its end before the other would deadlock as soon as the child fills the other pipe
    /// (64 KiB on Linux) and blocks.
    ///
    /// With a `timeout` (seconds), a child still running then is killed with SIGKILL — with its
    /// process group when it leads one, so a shell's children go too — and the output captured so
    /// far is returned with ``Output/timedOut`` set.
    package static func run(_ executable: URL, _ arguments: [String], input: String? = nil,
                            currentDirectory: URL? = nil, environment: [String: String]? = nil,
                            timeout: Double? = nil) throws -> Output {
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
        let killed = Captured()
        var watchdog: DispatchWorkItem?
        if let timeout {
            let pid = process.processIdentifier
            let item = DispatchWorkItem {
                guard process.isRunning else { return }
                killed.set(Data([1]))
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
            }
            watchdog = item
            DispatchQueue.global().asyncAfter(deadline: .now() + max(0, timeout), execute: item)
        }
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
        watchdog?.cancel()
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errorData.get(), as: UTF8.self), timedOut: !killed.get().isEmpty)
    }

    /// The first executable called `name` on `PATH`, if any.
    package static func onPath(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// One value handed from the reader thread to the caller: written before `group.leave()`,
    /// read after `group.wait()`, which orders the two accesses.
    private final class Captured: @unchecked Sendable {
        private var data = Data()
        private let lock = NSLock()
        func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
        func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
    }
}
