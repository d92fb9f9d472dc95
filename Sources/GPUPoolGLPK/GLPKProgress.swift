/// What branch-and-cut reports while it runs (``GLPKSolver/onProgress``).
public struct GLPKProgress: Sendable, Equatable {
    /// The objective of GLPK's best integer point so far (the node LP's value, before GLPK rounds
    /// its integer columns), or `nil` before it has one.
    public var incumbent: Double?
    /// The best open node's bound, or `nil` before the first node LP is solved.
    public var bound: Double?

    public init(incumbent: Double?, bound: Double?) {
        self.incumbent = incumbent
        self.bound = bound
    }
}

/// Receives ``GLPKProgress`` on the solving thread.
public typealias GLPKProgressHandler = @Sendable (GLPKProgress) -> Void
