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
        // A child of our own (not Foundation's Process, whose exit notice can be lost: see ChildProcess).
        let child = try ChildProcess(executable, arguments, environment: environment, currentDirectory: currentDirectory,
                                     input: input == nil ? .null : .pipe)
        let killed = Captured()
        var watchdog: DispatchWorkItem?
        if let timeout {
            let item = DispatchWorkItem {
                guard !child.hasExited else { return }
                killed.set(Data([1]))
                child.kill(SIGKILL, group: true)
            }
            watchdog = item
            DispatchQueue.global().asyncAfter(deadline: .now() + max(0, timeout), execute: item)
        }
        let errorData = Captured()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errorData.set(child.error?.readDataToEndOfFile() ?? Data()) }
        if let input, let pipe = child.input {
            DispatchQueue.global().async(group: group) {
                // A child that exits without reading its input must not kill us with SIGPIPE.
                signal(SIGPIPE, SIG_IGN)
                try? pipe.write(contentsOf: Data(input.utf8))
                try? pipe.close()
            }
        }
        let outData = child.output?.readDataToEndOfFile() ?? Data()
        group.wait()
        let status = child.wait()
        watchdog?.cancel()
        return Output(status: status, stdout: String(decoding: outData, as: UTF8.self),
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
