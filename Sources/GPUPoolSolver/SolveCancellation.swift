import GPUPoolHeuristics
import Synchronization

#if GLPK
import GPUPoolGLPK
#endif

/// Stops a running solve from another thread or task, whatever the method.
///
/// Pass it to ``Solver/solve(_:options:cancellation:progress:)``, or let
/// ``Solver/solveInBackground(_:options:progress:)`` create one and tie it to the calling task's
/// cancellation. After ``cancel()`` GLPK stops at its next check (between phases, at every
/// branch-and-cut callback, and within about 0.1 s inside a simplex or interior-point run) and the heuristics at their
/// next iteration; the solve returns the best verified point it has with termination
/// ``TerminationStatus/interrupted`` (or its proven result, when it finished first). A cancelled
/// token stays cancelled: use a fresh one per solve.
public final class SolveCancellation: Sendable {
    private let cancelled = Atomic<Bool>(false)
    /// Heuristic searches to stop, including the ones started after ``cancel()`` (raised at once).
    private let searches = Mutex<[SearchStop]>([])
    /// Handlers of ``whenCancelled(_:)`` not yet run.
    private let handlers = Mutex<[@Sendable () -> Void]>([])
    #if GLPK
    let interrupt = GLPKInterrupt()
    #endif

    /// A token that is not cancelled.
    public init() {}

    /// Stops the solve using this token.
    public func cancel() {
        cancelled.store(true, ordering: .releasing)
        #if GLPK
        interrupt.request()
        #endif
        for stop in searches.withLock({ $0 }) { stop.raise() }
        for handler in handlers.withLock({ list in defer { list = [] }; return list }) { handler() }
    }

    /// Runs `handler` once when the token is cancelled (at once, on this thread, when it already
    /// is). For backends that stop their own search: keep it short, it runs on the cancelling thread.
    public func whenCancelled(_ handler: @escaping @Sendable () -> Void) {
        let runNow = handlers.withLock { list -> Bool in
            if isCancelled { return true }
            list.append(handler)
            return false
        }
        if runNow { handler() }
    }

    /// A token cancelled with this one, and also on its own (to stop one part of a solve).
    func child() -> SolveCancellation {
        let token = SolveCancellation()
        whenCancelled { token.cancel() }
        return token
    }

    /// Whether ``cancel()`` was called.
    public var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    /// A stop flag for one heuristic search, raised by ``cancel()``.
    func searchStop() -> SearchStop {
        let stop = SearchStop()
        searches.withLock { $0.append(stop) }
        if isCancelled { stop.raise() }
        return stop
    }
}
