/// Which algorithm to use.
public enum SolveMethod: String, Sendable, Hashable, Codable, CaseIterable {
    /// Pick by model: heuristic warm start + branch-and-cut for MIPs, simplex for LPs; falls back
    /// to heuristics when no exact solver is available.
    case auto
    /// Primal simplex (LP relaxation for MIPs).
    case simplex
    /// Dual simplex (LP relaxation for MIPs).
    case dual
    /// Interior point (LP relaxation for MIPs).
    case interior
    /// Branch-and-cut for MIPs (LPs are solved by simplex).
    case mip
    /// Heuristics only; never proves optimality.
    case heuristic
}

/// Options understood by every backend (a backend ignores what does not apply to it).
public struct SolveOptions: Sendable, Hashable {
    public var method: SolveMethod
    /// Wall-clock limit in seconds; `nil` for none.
    public var timeLimit: Double?
    /// Relative MIP gap at which to stop and report optimal; `nil` for the solver's default.
    public var relativeGap: Double?
    /// Absolute MIP gap: branch-and-cut stops, and reports ``TerminationStatus/optimal`` with the
    /// bound it has, once |incumbent − best bound| ≤ this; `nil` for none. Useful when the objective
    /// is near 0, where a relative gap means little.
    public var absoluteGap: Double?
    /// Simplex iteration limit; `nil` for none.
    public var iterationLimit: Int?
    /// Branch-and-cut stops once this many nodes exist (the root included), with
    /// ``TerminationStatus/nodeLimit`` and the best point so far; `nil` for none. The heuristics
    /// have no nodes and ignore it.
    public var nodeLimit: Int?
    /// Branch-and-cut stops after finding this many improving integer points (an accepted warm
    /// start counts), with ``TerminationStatus/solutionLimit``; `nil` for none. `1` asks for any
    /// feasible point. The heuristics ignore it.
    public var solutionLimit: Int?
    /// Whether the solver's log goes to standard error as well as into ``Solution/log``.
    public var verbose: Bool
    /// Whether the presolver may run.
    public var presolve: Bool
    /// Whether cutting planes are generated in branch-and-cut.
    public var cuts: Bool
    /// Whether branch-and-cut tightens bounds at every node (GLPK's node preprocessing). It pays on
    /// most models; on models with very long rows (thousands of entries, such as the planner's
    /// lexicographic hold rows) it can cost seconds per node, so turn it off there.
    public var nodePreprocessing: Bool
    /// A known point (one value per column) to start from; verified before it is used.
    public var warmStart: [Double]?
    /// Seed for randomized methods.
    public var seed: UInt64
    /// Feasibility tolerance used to verify points before they are reported.
    public var tolerance: Double

    public init(
        method: SolveMethod = .auto, timeLimit: Double? = nil, relativeGap: Double? = nil, absoluteGap: Double? = nil,
        iterationLimit: Int? = nil, nodeLimit: Int? = nil, solutionLimit: Int? = nil, verbose: Bool = false,
        presolve: Bool = true, cuts: Bool = true,
        nodePreprocessing: Bool = true, warmStart: [Double]? = nil, seed: UInt64 = 1, tolerance: Double = 1e-6
    ) {
        self.method = method
        self.timeLimit = timeLimit
        self.relativeGap = relativeGap
        self.absoluteGap = absoluteGap
        self.iterationLimit = iterationLimit
        self.nodeLimit = nodeLimit
        self.solutionLimit = solutionLimit
        self.verbose = verbose
        self.presolve = presolve
        self.cuts = cuts
        self.nodePreprocessing = nodePreprocessing
        self.warmStart = warmStart
        self.seed = seed
        self.tolerance = tolerance
    }
}

/// Why a solve could not even start.
public enum SolverError: Error, Sendable, CustomStringConvertible {
    /// The model failed validation.
    case invalidModel(ModelValidationError)
    /// The requested method needs a solver that is not built in (e.g. GLPK without the trait).
    case unavailable(String)
    /// The options are contradictory or out of range.
    case invalidOptions(String)

    public var description: String {
        switch self {
        case let .invalidModel(e): return e.description
        case let .unavailable(s): return "solver unavailable: \(s)"
        case let .invalidOptions(s): return "invalid options: \(s)"
        }
    }
}

/// Anything that solves a ``LinearProgram``.
public protocol LinearProgramSolver: Sendable {
    /// Name and version, e.g. `"GLPK 5.0"`.
    var name: String { get }
    /// Solves `program`. Throws only when the solve cannot start; every solver outcome, including
    /// infeasibility and internal failures, is a ``Solution``.
    func solve(_ program: LinearProgram, options: SolveOptions) throws(SolverError) -> Solution
}

extension SolveOptions {
    /// Checks ranges (non-negative, finite limits; warm start length).
    public func validate(columnCount: Int) throws(SolverError) {
        if let t = timeLimit, !(t >= 0) || t.isNaN { throw .invalidOptions("time limit \(t) must be a non-negative number of seconds") }
        if let g = relativeGap, !(g >= 0) || !g.isFinite { throw .invalidOptions("MIP gap \(g) must be a non-negative number") }
        if let g = absoluteGap, !(g >= 0) || !g.isFinite { throw .invalidOptions("absolute MIP gap \(g) must be a non-negative number") }
        if let i = iterationLimit, i < 0 { throw .invalidOptions("iteration limit \(i) must be non-negative") }
        if let n = nodeLimit, n < 1 { throw .invalidOptions("node limit \(n) must be at least 1") }
        if let s = solutionLimit, s < 1 { throw .invalidOptions("solution limit \(s) must be at least 1") }
        if !(tolerance > 0) || !tolerance.isFinite { throw .invalidOptions("tolerance \(tolerance) must be positive") }
        if let w = warmStart {
            if w.count != columnCount { throw .invalidOptions("warm start has \(w.count) values for \(columnCount) columns") }
            if let j = w.firstIndex(where: { !$0.isFinite }) { throw .invalidOptions("warm start value \(j) is \(w[j])") }
        }
    }
}
