import GPUPoolHeuristics
import GPUPoolModel

#if GLPK
import GPUPoolGLPK
#endif

/// One entry point for every solve: picks GLPK, the heuristics, or both ("auto").
///
/// - `.simplex`, `.dual`, `.interior`, `.mip`: GLPK only; without GLPK built in they throw
///   ``SolverError/unavailable(_:)``.
/// - `.heuristic`: the pure-Swift 0-1 heuristic; never claims optimality.
/// - `.auto`: LPs go to GLPK's simplex. For MIPs the heuristic runs first, its verified point is
///   injected into GLPK's branch-and-cut as a warm start, and the better verified point of the two
///   is returned. Without GLPK, or when GLPK fails, the heuristic result is returned and labelled so.
public enum Solver {
    /// Whether an exact solver (GLPK) is built in.
    public static var hasExactSolver: Bool {
        #if GLPK
        return true
        #else
        return false
        #endif
    }

    /// Name and version of the exact solver, e.g. `"GLPK 5.0"`, or `nil` when none is built in.
    public static var exactSolverName: String? {
        #if GLPK
        return GLPKSolver().name
        #else
        return nil
        #endif
    }

    /// Solves `program`.
    /// - Throws: ``SolverError`` when the solve cannot start (invalid program or options, or a
    ///   method whose solver is not built in). Every solver outcome is a ``Solution``.
    public static func solve(_ program: LinearProgram, options: SolveOptions = SolveOptions()) throws(SolverError) -> Solution {
        do { try program.validate() } catch { throw .invalidModel(error) }
        try options.validate(columnCount: program.columnCount)
        switch options.method {
        case .heuristic:
            return try heuristic(program, options: options)
        case .auto:
            return try automatic(program, options: options)
        case .simplex, .dual, .interior, .mip:
            return try exact(program, options: options)
        }
    }

    /// Loads `program` into the exact solver without solving it; returns the seconds taken, or
    /// `nil` when no exact solver is built in. Used by `gpupool bench build`.
    public static func loadIntoExactSolver(_ program: LinearProgram) throws(SolverError) -> Double? {
        #if GLPK
        return try GLPKSolver.loadOnly(program)
        #else
        return nil
        #endif
    }

    static func exact(_ program: LinearProgram, options: SolveOptions) throws(SolverError) -> Solution {
        #if GLPK
        return try GLPKSolver().solve(program, options: options)
        #else
        throw .unavailable("method '\(options.method.rawValue)' needs GLPK; this build has no GLPK (build with the GLPK package trait and libglpk-dev installed, or choose the heuristic method)")
        #endif
    }
}
