import Foundation

/// Runs async work from a synchronous command and waits for it (the CLI's root command is synchronous).
public enum BlockingRun {
    /// Runs `operation` to its end; returns its error, if any.
    public static func wait(_ operation: @escaping @Sendable () async throws -> Void) -> (any Error)? {
        let done = DispatchSemaphore(value: 0)
        let outcome = OutcomeBox()
        Task {
            do { try await operation() } catch { outcome.set(error) }
            done.signal()
        }
        done.wait()
        return outcome.error
    }

    private final class OutcomeBox: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: (any Error)?
        func set(_ error: any Error) { lock.withLock { stored = error } }
        var error: (any Error)? { lock.withLock { stored } }
    }
}
