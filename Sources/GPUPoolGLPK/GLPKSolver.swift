#if GLPK
import CGLPK
#endif
import GPUPoolModel

/// Exact LP and MIP solving through GLPK.
///
/// ```swift
/// let program = try model.lowered()
/// let solution = try GLPKSolver().solve(program, options: SolveOptions(timeLimit: 10))
/// ```
///
/// Each solve runs entirely inside one synchronous C call on the calling thread: the problem is
/// built, solved, read back and deleted there, so solves on different threads run in parallel and
/// nothing is left behind. GLPK misuse, which would `abort()` the process, comes back as
/// ``TerminationStatus/otherError`` with GLPK's message. Every point is checked with
/// ``SolutionChecker`` before it is reported; a point that fails the check is withheld and the
/// solve reports ``TerminationStatus/numericalError``.
///
/// Methods (``SolveOptions/method``):
/// - ``SolveMethod/auto``: LPs by primal simplex with presolve; MIPs by branch-and-cut (with the MIP
///   presolver, cuts when ``SolveOptions/cuts``, and ``GLPKTuning``).
/// - ``SolveMethod/simplex``, ``SolveMethod/dual``, ``SolveMethod/interior``: the LP; on a MIP
///   only its LP relaxation (integrality ignored, said in ``Solution/message``). Interior point has
///   no time or iteration limit in GLPK; on a program without rows or columns simplex is used.
/// - ``SolveMethod/mip``: branch-and-cut; a program without integer columns is solved by primal
///   simplex.
/// - ``SolveMethod/heuristic`` is not a GLPK method and throws ``SolverError/invalidOptions(_:)``.
///
/// A warm start (``SolveOptions/warmStart``) is used by branch-and-cut only: it is checked first,
/// and only a feasible point is offered to GLPK (as its first heuristic solution; the LP relaxation
/// is then solved by simplex first and the MIP presolver is off). The verified warm start is
/// also reported when GLPK stops without a better point. LP methods ignore warm starts.
///
/// The time limit covers the whole call (load, LP, branch-and-cut). The iteration limit applies to
/// simplex only: for MIPs, to the root LP when it is solved before branch-and-cut (warm start or
/// presolve off); with the MIP presolver GLPK solves the root itself and has no iteration limit.
/// ``GLPKInterrupt`` stops a solve between phases, inside branch-and-cut and inside a simplex or
/// interior-point run (within about 0.1 s); the time limit holds for interior point too, whose GLPK
/// code has none of its own: with a time limit it runs on a thread of its own, which the call
/// leaves behind (to finish GLPK's current set-up phase and stop) when the limit has passed.
///
/// Duals and reduced costs (LPs only) are GLPK's (`glp_get_row_dual`, `glp_get_col_dual`): the
/// derivatives of the objective with respect to a row's active bound and a column's value. For
/// MIPs ``Solution/bestBound`` is the best open node's bound (refreshed every 20 ms during
/// branch-and-cut) and ``Solution/nodes`` the number of nodes created.
public struct GLPKSolver: LinearProgramSolver {
    /// Stops solves from another thread; `nil` for none.
    public var interrupt: GLPKInterrupt?
    /// GLPK-specific choices.
    public var tuning: GLPKTuning
    /// Called during branch-and-cut, on the solving thread, when GLPK finds a better integer point
    /// and when the best bound moves (at most every 20 ms); `nil` for none. GLPK waits while it
    /// runs: record the values and return.
    public var onProgress: GLPKProgressHandler?

    /// - Parameters:
    ///   - interrupt: a token to stop solves from another thread.
    ///   - tuning: branching, backtracking and log settings.
    ///   - onProgress: see ``onProgress``.
    public init(interrupt: GLPKInterrupt? = nil, tuning: GLPKTuning = GLPKTuning(), onProgress: GLPKProgressHandler? = nil) {
        self.interrupt = interrupt
        self.tuning = tuning
        self.onProgress = onProgress
    }

    /// Whether GPUPool was built with GLPK (package trait `GLPK`).
    public static var isAvailable: Bool {
        #if GLPK
        cglpk_available() != 0
        #else
        false
        #endif
    }

    /// GLPK's version (e.g. `"5.0"`), or `"unavailable"` when built without GLPK.
    public static var version: String { versionString }

    /// `"GLPK <version>"`.
    public var name: String { "GLPK \(Self.version)" }

    /// Solves `program`; see the type's documentation for methods and limits.
    /// - Throws: ``SolverError/invalidModel(_:)`` when the program fails validation or exceeds
    ///   GLPK's size limits, ``SolverError/invalidOptions(_:)`` for bad options or
    ///   ``SolveMethod/heuristic``, ``SolverError/unavailable(_:)`` without the GLPK trait.
    public func solve(_ program: LinearProgram, options: SolveOptions) throws(SolverError) -> Solution {
        #if GLPK
        let plan = try GLPKPlan(program: program, options: options, tuning: tuning)
        return withExtendedLifetime(interrupt) {
            GLPKCall.solve(program, plan: plan, options: options, tuning: tuning, interrupt: interrupt?.flag, progress: onProgress)
        }
        #else
        throw .unavailable("GPUPool was built without the GLPK trait")
        #endif
    }

    /// Builds GLPK's problem from `program` and deletes it again, without solving: the cost of
    /// handing a program to GLPK (used by `gpupool bench build`).
    /// - Returns: wall-clock seconds for creating, loading and deleting the problem.
    /// - Throws: as ``solve(_:options:)`` for invalid or oversized programs.
    public static func loadOnly(_ program: LinearProgram) throws(SolverError) -> Double {
        #if GLPK
        try GLPKLimits.check(program)
        return try GLPKCall.loadOnly(program)
        #else
        throw .unavailable("GPUPool was built without the GLPK trait")
        #endif
    }
}

private let versionString: String = {
    #if GLPK
    var buffer = [CChar](repeating: 0, count: 64)
    cglpk_version(&buffer, buffer.count)
    let version = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return version.isEmpty ? "unavailable" : version
    #else
    return "unavailable"
    #endif
}()
