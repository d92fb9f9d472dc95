#if GLPK
import CGLPK
#endif
import Synchronization

/// A token that stops GLPK solves from another thread.
///
/// Give it to ``GLPKSolver/init(interrupt:tuning:)``; calling ``request()`` from any thread makes
/// every solve using the token stop at its next check: between phases (load, LP, branch-and-cut),
/// at every branch-and-cut callback, and every 0.1 s inside a simplex or interior-point run (the
/// shim watches their progress output, since GLPK's LP solvers never read the flag; a phase left
/// part-way has no point). The solve then reports ``TerminationStatus/interrupted`` with the best
/// point found so far.
/// A token stays raised: use a fresh one for the next solve.
public final class GLPKInterrupt: Sendable {
    /// Read by the C shim with an atomic load; written only through `cglpk_flag_raise`.
    nonisolated(unsafe) let flag: UnsafeMutablePointer<CInt>
    private let raised = Atomic<Bool>(false)

    /// A token that is not raised.
    public init() {
        flag = .allocate(capacity: 1)
        flag.initialize(to: 0)
    }

    deinit { flag.deallocate() }

    /// Asks every solve that uses this token to stop.
    public func request() {
        raised.store(true, ordering: .releasing)
        #if GLPK
        cglpk_flag_raise(flag)
        #endif
    }

    /// Whether ``request()`` was called.
    public var isRequested: Bool { raised.load(ordering: .acquiring) }
}
