import Dispatch
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
    public static func solve(
        _ program: LinearProgram, options: SolveOptions = SolveOptions(), backends: SolverBackends = .standard
    ) throws(SolverError) -> Solution {
        try solve(program, options: options, cancellation: nil, backends: backends)
    }

    /// Solves `program`; ``SolveCancellation/cancel()`` on `cancellation` (from any thread) stops it
    /// with the best verified point found so far and termination `interrupted`. `progress`
    /// receives the incumbent and bound as they improve (see ``SolveProgress``). `backends` replaces
    /// GLPK and the built-in heuristic (see ``SolverBackend``).
    public static func solve(
        _ program: LinearProgram, options: SolveOptions, cancellation: SolveCancellation?, progress: SolveProgress? = nil,
        backends: SolverBackends = .standard
    ) throws(SolverError) -> Solution {
        // The progress always ends with the solve, so that a task iterating `reports()` does not
        // wait for ever when the solve throws (invalid options, a method that is not built in).
        do {
            let result = try solveAndReport(program, options: options, cancellation: cancellation, progress: progress, backends: backends)
            progress?.finish(result)
            return result
        } catch {
            progress?.close()
            throw error
        }
    }

    private static func solveAndReport(
        _ program: LinearProgram, options: SolveOptions, cancellation: SolveCancellation?, progress: SolveProgress?,
        backends: SolverBackends
    ) throws(SolverError) -> Solution {
        do { try program.validate() } catch { throw .invalidModel(error) }
        try options.validate(columnCount: program.columnCount)
        progress?.begin(sense: program.sense)
        var result: Solution
        let control = SolveControl(cancellation: cancellation, progress: progress)
        switch options.method {
        case .heuristic:
            result = try heuristicMethod(program, options: options, control: control, backends: backends)
        case .auto:
            result = try automatic(program, options: options, control: control, backends: backends)
        case .simplex, .dual, .interior, .mip:
            result = try exact(program, options: options, control: control, backends: backends)
        }
        // A search cut short by the caller ends `interrupted`, whatever stopped it inside; a result
        // proven before the cancellation took effect stays as it is.
        if let cancellation, cancellation.isCancelled,
           ![.optimal, .infeasible, .unbounded, .infeasibleOrUnbounded].contains(result.termination) {
            result.termination = .interrupted
            result.message = [result.message, "cancelled by the caller"].compactMap { $0 }.joined(separator: "; ")
        }
        return result
    }

    /// Solves `program` on a background thread without blocking the calling task; cancelling the
    /// task stops the solve (see ``SolveCancellation``) and returns the best point found so far.
    public static func solveInBackground(
        _ program: LinearProgram, options: SolveOptions = SolveOptions(), progress: SolveProgress? = nil,
        backends: SolverBackends = .standard
    ) async throws(SolverError) -> Solution {
        let cancellation = SolveCancellation()
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<Solution, SolverError>, Never>) in
                // GLPK's environment is per thread: the whole solve runs on this one. A queue of its
                // own (overcommitting) rather than the global pool: a solve blocks its thread for
                // seconds, and must not starve the tasks that would cancel it.
                DispatchQueue(label: "gpupool.solve").async {
                    do throws(SolverError) {
                        continuation.resume(returning: .success(try solve(program, options: options, cancellation: cancellation,
                                                                          progress: progress, backends: backends)))
                    } catch {
                        continuation.resume(returning: .failure(error))
                    }
                }
            }
        } onCancel: {
            cancellation.cancel()
        }
        return try outcome.get()
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

    static func exact(
        _ program: LinearProgram, options: SolveOptions, control: SolveControl, backends: SolverBackends
    ) throws(SolverError) -> Solution {
        guard let backend = backends.exact else {
            if hasExactSolver {
                throw .unavailable("method '\(options.method.rawValue)' needs an exact backend, and the SolverBackends given have none")
            }
            throw .unavailable("method '\(options.method.rawValue)' needs GLPK; this build has no GLPK (build with the GLPK package trait and libglpk-dev installed, or choose the heuristic method)")
        }
        return try run(backend, program, options: options, control: control)
    }
}
