import Dispatch
import GPUPoolModel
import Synchronization

#if GLPK
import GPUPoolGLPK
#endif

/// A model kept between solves: edit it (``ProgramEdit``) and solve again, warm where the backend
/// can.
///
/// ```swift
/// let session = try SolverSession(program)
/// let first = try session.solve()
/// try session.apply([.rowBounds(row: 0, lower: 0, upper: 40)])
/// let second = try session.solve()   // GLPK starts from the first solve's basis
/// ```
///
/// With GLPK built in, every method except ``SolveMethod/heuristic`` uses one ``GLPKSession``: the
/// problem stays loaded on a thread of its own, LPs restart simplex from the last basis and MIPs
/// offer the last point to branch-and-cut (see ``GLPKSession`` for the details, and for
/// ``SolveMethod/auto``, which here means GLPK warm-started by the last point rather than a fresh
/// heuristic run). Without GLPK, or with ``SolveMethod/heuristic``, each solve is
/// ``Solver/solve(_:options:cancellation:progress:)`` on the edited program, with the last
/// verified point as its warm start.
public final class SolverSession: Sendable {
    private let state: Mutex<State>
    private let backends: SolverBackends
    #if GLPK
    private let exact: GLPKSession?
    #endif

    private struct State: Sendable {
        var program: LinearProgram
        var lastPoint: [Double]?
    }

    /// Keeps `program` for solving.
    /// - Parameters:
    ///   - exact: whether to load the program into GLPK now (when it is built in and is the exact
    ///     backend); `false` keeps every solve cold, as ``Solver``'s.
    ///   - backends: the solvers of the cold solves; with an exact backend other than the built-in
    ///     GLPK, every solve is cold (that backend's `solve` on the edited program, warm-started
    ///     from the last verified point).
    /// - Throws: ``SolverError/invalidModel(_:)`` for an invalid program.
    public init(_ program: LinearProgram, exact: Bool = true, backends: SolverBackends = .standard) throws(SolverError) {
        do { try program.validate() } catch { throw .invalidModel(error) }
        state = Mutex(State(program: program))
        self.backends = backends
        #if GLPK
        self.exact = exact && backends.exactIsBuiltInGLPK ? try GLPKSession(program) : nil
        #endif
    }

    /// Whether solves other than the heuristic ones re-solve warm in GLPK.
    public var isWarm: Bool {
        #if GLPK
        exact != nil
        #else
        false
        #endif
    }

    /// The program as edited so far.
    public var program: LinearProgram { state.withLock { $0.program } }

    /// Applies `edits` in order, all or none.
    /// - Throws: ``SolverError/invalidModel(_:)`` naming the first bad edit; nothing changes then.
    public func apply(_ edits: [ProgramEdit]) throws(SolverError) {
        try state.withLock { (state: inout State) throws(SolverError) in
            let updated: LinearProgram
            do throws(ModelValidationError) { updated = try state.program.applying(edits) } catch { throw .invalidModel(error) }
            #if GLPK
            try exact?.apply(edits)
            #endif
            state.program = updated
            state.lastPoint = state.lastPoint.map { ProgramEdit.carry($0, through: edits) }
        }
    }

    /// Solves the program as it is now; see the type for what is warm.
    public func solve(
        options: SolveOptions = SolveOptions(), cancellation: SolveCancellation? = nil, progress: SolveProgress? = nil
    ) throws(SolverError) -> Solution {
        #if GLPK
        if let exact, options.method != .heuristic {
            progress?.begin(sense: program.sense)
            let onProgress = GLPKBackend.progressHandler(progress)
            do {
                var solution = try exact.solve(options: options, interrupt: cancellation?.interrupt, onProgress: onProgress)
                if let cancellation, cancellation.isCancelled,
                   ![.optimal, .infeasible, .unbounded, .infeasibleOrUnbounded].contains(solution.termination) {
                    solution.termination = .interrupted
                }
                progress?.finish(solution)
                remember(solution)
                return solution
            } catch {
                progress?.close()
                throw error
            }
        }
        #endif
        let (program, lastPoint) = state.withLock { ($0.program, $0.lastPoint) }
        var options = options
        if options.warmStart == nil, let lastPoint, SolutionChecker.check(program, values: lastPoint, tolerance: options.tolerance).violations.isEmpty {
            options.warmStart = lastPoint
        }
        let solution = try Solver.solve(program, options: options, cancellation: cancellation, progress: progress, backends: backends)
        remember(solution)
        return solution
    }

    /// ``solve(options:cancellation:progress:)`` without blocking the calling task; cancelling the
    /// task stops the solve with its best point so far.
    public func solve(options: SolveOptions = SolveOptions(), progress: SolveProgress? = nil) async throws(SolverError) -> Solution {
        let cancellation = SolveCancellation()
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<Solution, SolverError>, Never>) in
                // GLPK's solves run on the session's own thread; this thread only waits (and runs the
                // heuristics when they are the method), off Swift's cooperative pool.
                DispatchQueue(label: "gpupool.session").async {
                    do throws(SolverError) {
                        continuation.resume(returning: .success(try self.solve(options: options, cancellation: cancellation, progress: progress)))
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

    private func remember(_ solution: Solution) {
        guard solution.hasSolution else { return }
        state.withLock { $0.lastPoint = solution.values }
    }
}
