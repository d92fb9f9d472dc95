import Foundation
import Synchronization

/// One thread of its own that runs submitted work in order, for state that must stay on one
/// thread for its whole life (GLPK's environment is thread-local: a persistent problem must be
/// created, used and deleted on the same thread). A serial `DispatchQueue` does not promise one
/// thread, and Swift's cooperative pool must not be blocked for seconds.
///
/// The thread holds this object until ``stop(wait:)``: its owner must call it (a session's
/// `deinit` does).
package final class OwnedThread: Sendable {
    private struct State: ~Copyable {
        var jobs: [@Sendable () -> Void] = []
        var stopping = false
    }

    private let state = Mutex(State())
    /// Counts queued jobs (and one extra signal for the stop).
    private let pending = DispatchSemaphore(value: 0)
    /// Set on the thread itself, so that work submitted from it runs inline instead of waiting on
    /// itself.
    private let threadID = Atomic<UInt>(0)
    private let ended = DispatchSemaphore(value: 0)

    /// Starts the thread. `name` shows in debuggers (at most 15 bytes on Linux).
    package init(name: String, stackSize: Int = 16 << 20) {
        let thread = Thread { [self] in
            Thread.current.name = String(name.prefix(15))
            threadID.store(Self.currentID, ordering: .releasing)
            loop()
        }
        thread.stackSize = stackSize
        thread.start()
    }

    private static var currentID: UInt {
        #if canImport(Darwin)
        UInt(bitPattern: pthread_self())
        #else
        UInt(pthread_self())
        #endif
    }

    private var isCurrent: Bool { threadID.load(ordering: .acquiring) == Self.currentID }

    private func loop() {
        while true {
            pending.wait()
            let job: (@Sendable () -> Void)? = state.withLock { state in
                state.jobs.isEmpty ? nil : state.jobs.removeFirst()
            }
            guard let job else {
                if state.withLock({ $0.stopping }) { break }
                continue
            }
            job()
        }
        ended.signal()
    }

    /// Queues `job`; returns false when the thread is stopping.
    private func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        let accepted = state.withLock { state in
            guard !state.stopping else { return false }
            state.jobs.append(job)
            return true
        }
        if accepted { pending.signal() }
        return accepted
    }

    /// Runs `work` on the thread and waits for it. From the thread itself it runs inline.
    /// - Returns: `nil` when the thread has been stopped.
    package func run<T: Sendable>(_ work: @escaping @Sendable () -> T) -> T? {
        if isCurrent { return work() }
        let box = Mutex<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        guard submit({
            let value = work()
            box.withLock { $0 = value }
            done.signal()
        }) else { return nil }
        done.wait()
        return box.withLock { $0.take() }
    }

    /// Runs `work` on the thread without blocking the calling task.
    /// - Returns: `nil` when the thread has been stopped.
    package func runAsync<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T? {
        if isCurrent { return work() }
        return await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            if !submit({ continuation.resume(returning: work()) }) { continuation.resume(returning: nil) }
        }
    }

    /// Lets the queued work finish, then ends the thread; `wait` blocks until it has ended (not
    /// from the thread itself).
    package func stop(wait: Bool = false) {
        let first = state.withLock { state in
            defer { state.stopping = true }
            return !state.stopping
        }
        guard first else { return }
        pending.signal()
        if wait && !isCurrent {
            ended.wait()
            ended.signal()
        }
    }
}
