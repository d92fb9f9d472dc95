import CSpawn
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process started with `posix_spawn` and reaped with `waitpid` by whoever waits for it.
///
/// Why not Foundation's `Process`: on Linux its exit notice comes from a SIGCHLD monitor on a
/// run-loop thread of its own, and that notice can be lost. Seen here in a full test run: a `bash`
/// child had exited (a zombie for 17 minutes) while `waitUntilExit()` still waited, which froze
/// the whole run. `waitpid` on the child's own pid cannot miss it.
///
/// The child leads a process group of its own, so ``kill(_:group:)`` can reach what it started.
/// Its standard streams are pipes, `/dev/null` or a descriptor the caller names; it closes every
/// other descriptor it inherited (`closefrom`), so it holds no pipe of another child's, whose end
/// of file would otherwise wait for this child too.
package final class ChildProcess: Sendable {
    /// How one of the child's standard streams is connected.
    package enum Stream: Sendable {
        /// `/dev/null`.
        case null
        /// A pipe whose other end this process keeps (``input``, ``output`` or ``error``).
        case pipe
        /// A descriptor of this process (a file opened for writing, say), duplicated for the child.
        case descriptor(Int32)
    }

    package let pid: pid_t
    /// The write end of the child's standard input, when it is a pipe.
    package let input: FileHandle?
    /// The read ends of the child's standard output and error, when they are pipes.
    package let output: FileHandle?
    package let error: FileHandle?
    private let reaped = ReapState()

    /// Starts `executable` with `arguments`.
    /// - Parameters:
    ///   - environment: the whole environment of the child; `nil` passes this process's.
    ///   - currentDirectory: the child's working directory; `nil` keeps this process's.
    /// - Throws: ``SpawnError`` naming the program and the reason (a missing program, a directory
    ///   that cannot be entered, no descriptors left).
    package init(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil,
                 currentDirectory: URL? = nil, input: Stream = .null, output: Stream = .pipe, error: Stream = .pipe) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        // The ends this process keeps (close-on-exec) and the ends the child gets as 0, 1, 2.
        var kept: [Int32?] = [nil, nil, nil]
        var given: [Int32] = []
        for (fd, stream) in [(Int32(0), input), (1, output), (2, error)] {
            switch stream {
            case .null:
                posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
            case let .descriptor(own):
                posix_spawn_file_actions_adddup2(&actions, own, fd)
            case .pipe:
                var ends: [Int32] = [-1, -1]
                guard gpupool_pipe_cloexec(&ends) == 0 else {
                    for end in given + kept.compactMap({ $0 }) { close(end) }
                    throw SpawnError(program: executable.path, reason: String(cString: strerror(errno)))
                }
                let (childEnd, parentEnd) = fd == 0 ? (ends[0], ends[1]) : (ends[1], ends[0])
                posix_spawn_file_actions_adddup2(&actions, childEnd, fd)
                kept[Int(fd)] = parentEnd
                given.append(childEnd)
            }
        }
        if let currentDirectory {
            let failure = gpupool_spawn_addchdir(&actions, currentDirectory.path)
            guard failure == 0 else {
                for end in given + kept.compactMap({ $0 }) { close(end) }
                throw SpawnError(program: executable.path, reason: "cannot start in \(currentDirectory.path): \(String(cString: strerror(failure)))")
            }
        }
        // Belt and braces: descriptors someone opened without close-on-exec stay with us.
        _ = gpupool_spawn_addclosefrom(&actions, 3)
        // A group of its own; default signal handling and an empty mask, whatever this process set.
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let environmentLines = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let envp = environmentLines.map { strdup($0) } + [nil]
        defer { for pointer in envp { free(pointer) } }

        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable.path, &actions, &attributes, argv, envp)
        for end in given { close(end) }
        guard status == 0 else {
            for end in kept.compactMap({ $0 }) { close(end) }
            throw SpawnError(program: executable.path, reason: String(cString: strerror(status)))
        }
        self.pid = pid
        self.input = kept[0].map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
        self.output = kept[1].map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
        self.error = kept[2].map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
    }

    /// Blocks until the child has exited and returns its status: the exit code, or the number of
    /// the signal that ended it (as Foundation's `terminationStatus` does). Safe to call from
    /// several threads and more than once.
    @discardableResult
    package func wait() -> Int32 {
        // Wait for the exit without reaping (WNOWAIT): the zombie keeps the pid ours, so ``kill``
        // from another thread meanwhile cannot reach a stranger that got the pid.
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
        return reap(blocking: true) ?? -1
    }

    /// Whether the child has exited; reaps it when it has.
    package var hasExited: Bool { reap(blocking: false) != nil }

    /// Sends `signal` to the child, and with `group` to its process group (what it started too).
    /// Does nothing once the child has been reaped, so a reused pid is never signalled.
    package func kill(_ signal: Int32, group: Bool = false) {
        reaped.lock.lock()
        defer { reaped.lock.unlock() }
        guard reaped.status == nil else { return }
        if group { sendSignal(-pid, signal) }
        sendSignal(pid, signal)
    }

    /// The status once reaped; `blocking` only after `waitid` saw the exit, so it does not block.
    private func reap(blocking: Bool) -> Int32? {
        reaped.lock.lock()
        defer { reaped.lock.unlock() }
        if let status = reaped.status { return status }
        var raw: Int32 = 0
        var answer: pid_t
        repeat { answer = waitpid(pid, &raw, blocking ? 0 : WNOHANG) } while answer == -1 && errno == EINTR
        guard answer == pid else {
            if answer == -1 { reaped.status = -1 }   // not our child any more: nothing to wait for
            return reaped.status
        }
        // <sys/wait.h>'s macros, which Swift does not import: low 7 bits the signal, else bits 8–15 the code.
        let signal = raw & 0x7f
        reaped.status = signal == 0 ? (raw >> 8) & 0xff : signal
        return reaped.status
    }

    private final class ReapState: @unchecked Sendable {
        let lock = NSLock()
        var status: Int32?
    }
}

private func sendSignal(_ pid: pid_t, _ signal: Int32) { _ = kill(pid, signal) }

/// A program that could not be started.
package struct SpawnError: Error, CustomStringConvertible {
    package var program: String
    package var reason: String
    package var description: String { "cannot start \(program): \(reason)" }
}
