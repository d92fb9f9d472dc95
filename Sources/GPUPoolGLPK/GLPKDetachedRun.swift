#if GLPK
import CGLPK
import Dispatch
import Foundation
import Synchronization

/// Runs one GLPK attempt on a thread of its own and stops waiting for it at a deadline.
///
/// GLPK's interior point has no time limit, and the shim can only stop it where GLPK prints (every
/// iteration and between its set-up phases). One set-up phase, the ordering of A·Aᵀ, can run for
/// seconds on a large LP. An attempt that is still in such a phase at the deadline is left to
/// finish on its thread: its GLPK environment is that thread's own (GLPK's environment is
/// thread-local), its flag is raised so it leaves at its next print, and its result is dropped.
/// The caller gets a time-limit result at once. Everything the thread touches is its own or kept
/// alive by it: the program and options are values, and it watches a flag of its own, which the
/// waiting caller raises when the caller's interrupt is raised.
enum GLPKDetachedRun {
    /// The thread's own stop flag, freed when the last of the thread and the caller lets go.
    private final class Flag: @unchecked Sendable {
        let pointer = UnsafeMutablePointer<CInt>.allocate(capacity: 1)
        init() { pointer.initialize(to: 0) }
        func raise() { pointer.pointee = 1 }
        deinit { pointer.deallocate() }
    }

    /// GLPK wants more stack than Foundation's default for secondary threads.
    static let stackSize = 16 << 20

    /// Runs `attempt` (given the flag to watch) on a new thread and returns its result, or, when it
    /// has not returned by `deadline`, a result saying that the time limit was reached part-way.
    /// `callerInterrupt` is the caller's flag (alive during this call), polled while waiting.
    static func run(
        deadline: ContinuousClock.Instant, callerInterrupt: UnsafeMutablePointer<CInt>?,
        attempt: @escaping @Sendable (UnsafeMutablePointer<CInt>) -> GLPKRawResult
    ) -> GLPKRawResult {
        let flag = Flag()
        let result = Mutex<GLPKRawResult?>(nil)
        let done = DispatchSemaphore(value: 0)
        let started = ContinuousClock.now
        let thread = Thread {
            let raw = attempt(flag.pointer)
            withExtendedLifetime(flag) {}
            result.withLock { $0 = raw }
            done.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        while done.wait(timeout: .now() + .milliseconds(20)) == .timedOut {
            if let callerInterrupt, callerInterrupt.pointee != 0 { flag.raise() }
            if ContinuousClock.now >= deadline {
                flag.raise()
                return abandonedAtDeadline(seconds: (ContinuousClock.now - started).seconds)
            }
        }
        return result.withLock { $0 } ?? abandonedAtDeadline(seconds: (ContinuousClock.now - started).seconds)
    }

    /// The result of an attempt left running at the deadline: no point, the time limit reached
    /// part-way (``GLPKOutcome`` words it "time limit reached during interior point").
    static func abandonedAtDeadline(seconds: Double) -> GLPKRawResult {
        var raw = GLPKCall.failedAttempt("")
        raw.error = Int32(CGLPK_OK)
        raw.message = ""
        raw.outOfTime = true
        raw.abandoned = true
        raw.seconds = seconds
        raw.log = "GPUPool: the time limit passed while GLPK was in a phase it cannot leave (interior point's set-up); "
            + "that phase finishes on a thread of its own and its result is discarded\n"
        return raw
    }
}
#endif
