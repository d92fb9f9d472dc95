import Synchronization

/// A flag that stops a heuristic search from another thread.
///
/// Give it to ``GreedyRepairSolver/init(stop:)``; after ``raise()`` the search stops at its next
/// iteration and returns the best point it has, as at a time limit. `auto` uses it to stop the
/// heuristic that runs beside GLPK when GLPK returns. A raised flag stays raised.
public final class SearchStop: Sendable {
    private let raised = Atomic<Bool>(false)

    /// A flag that is not raised.
    public init() {}

    /// Asks every search using this flag to stop.
    public func raise() { raised.store(true, ordering: .releasing) }

    /// Whether ``raise()`` was called.
    public var isRaised: Bool { raised.load(ordering: .acquiring) }
}
