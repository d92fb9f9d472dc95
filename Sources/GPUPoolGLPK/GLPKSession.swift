#if GLPK
import CGLPK
#endif
import GPUPoolModel
import GPUPoolSupport

/// What became of the basis a ``GLPKSession`` kept from its previous solve.
public enum GLPKWarmBasis: String, Sendable, Hashable {
    /// No basis was kept (the first solve, a MIP presolved, interior point).
    case none
    /// Simplex started from the previous solve's basis.
    case used
    /// The edits left the kept basis unusable (deleted basic rows or columns, a singular basis);
    /// simplex started from a new advanced basis.
    case rebuilt
}

/// A GLPK problem that stays loaded between solves: edit it, re-solve warm.
///
/// ```swift
/// let session = try GLPKSession(program)
/// var first = try session.solve()
/// try session.apply([.columnBounds(column: 3, lower: 0, upper: 2)])
/// let second = try session.solve()          // simplex starts from the first solve's basis
/// ```
///
/// GLPK's environment belongs to one thread, so the session owns a thread of its own: the problem
/// is created, edited, solved and deleted there, and every call (from any thread or task) waits for
/// its turn on it. Calls are answered in the order they were made.
///
/// Warm re-solves:
/// - LPs start simplex from the basis the previous solve left. After bound, cost and right-hand-side
///   changes that basis stays valid (dual simplex, ``SolveMethod/dual``, suits bound changes best);
///   after deleting basic rows or columns, or when it has become singular, a new advanced basis is
///   built (``GLPKSessionSolve/warmBasis`` says which happened).
/// - MIPs solve the root LP the same way, then run branch-and-cut with the previous solve's best
///   point offered as the first incumbent when it is still feasible (checked; the solution's
///   message says when it is not), unless ``SolveOptions/warmStart`` gives another.
/// - The presolvers stay off in a session (they would discard the basis); ``SolveOptions/presolve``
///   is not used.
///
/// Edits (``ProgramEdit``) are checked before GLPK sees them and applied all or none; the session
/// also keeps the edited ``LinearProgram``, against which every point is verified. When GLPK fails
/// inside a call (its cut generator, for one), the problem is lost with GLPK's environment: the
/// session reloads it from that program (cold) and says so in ``reloads``.
public final class GLPKSession: Sendable {
    private let thread: OwnedThread
    private let core: Core
    /// The GLPK settings of every solve.
    public let tuning: GLPKTuning

    /// Loads `program` into GLPK on the session's thread.
    /// - Throws: ``SolverError/invalidModel(_:)`` when the program is invalid or exceeds GLPK's
    ///   limits, ``SolverError/unavailable(_:)`` without the GLPK trait.
    public init(_ program: LinearProgram, tuning: GLPKTuning = GLPKTuning()) throws(SolverError) {
        #if GLPK
        try GLPKLimits.check(program)
        if tuning.logLimit < 0 { throw .invalidOptions("log limit \(tuning.logLimit) must be non-negative") }
        let thread = OwnedThread(name: "gpupool-glpk")
        let core = Core(program: program)
        let loaded = thread.run { core.load() } ?? .failure(.unavailable("the session's thread has stopped"))
        if case let .failure(error) = loaded {
            thread.stop()
            throw error
        }
        self.thread = thread
        self.core = core
        self.tuning = tuning
        #else
        throw .unavailable("GPUPool was built without the GLPK trait")
        #endif
    }

    deinit {
        let core = self.core
        _ = thread.run { core.close() }
        thread.stop()
    }

    /// The program as edited so far.
    public var program: LinearProgram {
        let core = self.core
        return thread.run { core.program } ?? core.program
    }

    /// Counts over the session's life.
    public var statistics: GLPKSessionStatistics {
        let core = self.core
        return thread.run { core.statistics } ?? GLPKSessionStatistics()
    }

    /// Applies `edits` in order to the loaded problem and to ``program``, all or none.
    /// - Throws: ``SolverError/invalidModel(_:)`` naming the first bad edit by position; the
    ///   session is then unchanged.
    public func apply(_ edits: [ProgramEdit]) throws(SolverError) {
        let core = self.core
        let outcome = thread.run { core.apply(edits) } ?? .failure(.unavailable("the session's thread has stopped"))
        try outcome.get()
    }

    /// Solves the program as it is now, warm when a previous solve left a basis or a point.
    /// - Parameters:
    ///   - options: as for ``GLPKSolver``; ``SolveOptions/presolve`` is not used (see the type).
    ///   - interrupt: stops the solve from another thread.
    ///   - onProgress: called on the session's thread during branch-and-cut.
    /// - Throws: ``SolverError/invalidOptions(_:)`` for bad options.
    public func solve(
        options: SolveOptions = SolveOptions(), interrupt: GLPKInterrupt? = nil, onProgress: GLPKProgressHandler? = nil
    ) throws(SolverError) -> Solution {
        try solveReporting(options: options, interrupt: interrupt, onProgress: onProgress).solution
    }

    /// ``solve(options:interrupt:onProgress:)`` with what the session did about warm starting.
    public func solveReporting(
        options: SolveOptions = SolveOptions(), interrupt: GLPKInterrupt? = nil, onProgress: GLPKProgressHandler? = nil
    ) throws(SolverError) -> GLPKSessionSolve {
        let core = self.core, tuning = self.tuning
        let outcome = withExtendedLifetime(interrupt) {
            thread.run { core.solve(options: options, tuning: tuning, interrupt: interrupt, progress: onProgress) }
        } ?? .failure(.unavailable("the session's thread has stopped"))
        return try outcome.get()
    }

    /// The solve without blocking the calling task; cancelling the task interrupts it (the best
    /// point so far comes back as ``TerminationStatus/interrupted``).
    public func solve(options: SolveOptions = SolveOptions(), onProgress: GLPKProgressHandler? = nil) async throws(SolverError) -> Solution {
        let core = self.core, tuning = self.tuning
        let interrupt = GLPKInterrupt()
        let outcome = await withTaskCancellationHandler {
            await thread.runAsync { core.solve(options: options, tuning: tuning, interrupt: interrupt, progress: onProgress) }
        } onCancel: {
            interrupt.request()
        } ?? .failure(.unavailable("the session's thread has stopped"))
        return try outcome.get().solution
    }
}

/// One ``GLPKSession`` solve and how warm it was.
public struct GLPKSessionSolve: Sendable {
    public var solution: Solution
    /// What became of the previous solve's basis.
    public var warmBasis: GLPKWarmBasis
    /// Whether the previous solve's point was offered to branch-and-cut (and passed the check).
    public var offeredPreviousPoint: Bool
}

/// What a ``GLPKSession`` did over its life.
public struct GLPKSessionStatistics: Sendable, Hashable {
    /// Solves run.
    public var solves = 0
    /// Solves whose simplex started from the previous basis.
    public var warmSolves = 0
    /// Solves that had to build a new basis after edits.
    public var basisRebuilds = 0
    /// Edits applied.
    public var edits = 0
    /// Times the problem was loaded again after a GLPK failure lost it.
    public var reloads = 0

    public init() {}
}

/// The session's state, touched only on its thread.
private final class Core: @unchecked Sendable {
    var program: LinearProgram
    var statistics = GLPKSessionStatistics()
    /// The last verified point, kept in step with column edits, for the next MIP start.
    var lastPoint: [Double]?
    #if GLPK
    var model: OpaquePointer?
    #endif

    init(program: LinearProgram) { self.program = program }

    func close() {
        #if GLPK
        cglpk_model_free(model)
        model = nil
        #endif
    }

    #if GLPK
    func load() -> Result<Void, SolverError> {
        cglpk_model_free(model)
        var result = cglpk_result()
        model = GLPKCall.withProblem(program) { problem in cglpk_model_new(problem, &result) }
        let message = GLPKCall.messageText(result)
        cglpk_free(result.log)
        if model == nil {
            return .failure(.invalidModel(ModelValidationError(issues: [ModelIssue(.model, "GLPK could not load the program: \(message)")])))
        }
        return .success(())
    }

    func apply(_ edits: [ProgramEdit]) -> Result<Void, SolverError> {
        let updated: LinearProgram
        do {
            updated = try program.applying(edits)
        } catch {
            return .failure(.invalidModel(error))
        }
        let limits = GLPKLimits.problems(rows: updated.rowCount, columns: updated.columnCount, nonzeros: updated.matrix.nonzeroCount)
        if !limits.isEmpty { return .failure(.invalidModel(ModelValidationError(issues: limits))) }
        program = updated
        lastPoint = lastPoint.map { ProgramEdit.carry($0, through: edits) }
        statistics.edits += edits.count
        // The edits were checked against the program; a refusal or failure in C now is GLPK's
        // (or memory): the problem is then reloaded from the edited program.
        if let model, GLPKEdits.apply(edits, to: model) { return .success(()) }
        statistics.reloads += 1
        return load()
    }

    func solve(options: SolveOptions, tuning: GLPKTuning, interrupt: GLPKInterrupt?, progress: GLPKProgressHandler?) -> Result<GLPKSessionSolve, SolverError> {
        var options = options
        var offered = false
        if options.warmStart == nil, program.hasIntegerColumns, let lastPoint, options.method == .auto || options.method == .mip {
            options.warmStart = lastPoint
            offered = true
        }
        let plan: GLPKPlan
        do throws(SolverError) {
            plan = try GLPKPlan(program: program, options: options, tuning: tuning, programChecked: true)
        } catch {
            return .failure(error)
        }
        if offered && plan.warmStart == nil { offered = false }
        var warmBasis = GLPKWarmBasis.none
        let solution = GLPKCall.solve(plan: plan, options: options) { attempt in
            if plan.algorithm == .interiorPoint, !plan.branchAndCut, attempt.timeLimit != nil {
                // Interior point keeps no basis, and with a time limit it has to run where it can
                // be left behind in a set-up phase (GLPKCall): on a one-shot copy of the program.
                // The kept problem, and the basis the next simplex re-solve starts from, stay as
                // they were.
                return GLPKCall.run(program, plan: plan, options: attempt, tuning: tuning, interrupt: interrupt?.flag, progress: progress)
            }
            func run() -> GLPKRawResult {
                if model == nil || cglpk_model_is_lost(model) != 0 {
                    statistics.reloads += 1
                    if case .failure = load() {
                        return GLPKCall.failedAttempt("GLPK could not reload the program")
                    }
                }
                return GLPKCall.execute(rows: program.rowCount, columns: program.columnCount, plan: plan, options: attempt,
                                        tuning: tuning, interrupt: interrupt?.flag, progress: progress) { settings, result in
                    _ = cglpk_model_solve(model, settings, result)
                }
            }
            let warm = cglpk_model_has_basis(model) != 0
            var raw = run()
            // A GLPK failure during a warm re-solve (its factorizer can fail an assertion on a
            // basis that edits made singular) lost the problem: a cold solve of a fresh copy is
            // what the caller would have got without the session, so try that once.
            if warm, raw.error == Int32(CGLPK_ERROR_GLPK) {
                raw = run()
            }
            warmBasis = raw.warmBasis
            return raw
        }
        statistics.solves += 1
        switch warmBasis {
        case .used: statistics.warmSolves += 1
        case .rebuilt: statistics.basisRebuilds += 1
        case .none: break
        }
        if solution.hasSolution { lastPoint = solution.values }
        return .success(GLPKSessionSolve(solution: solution, warmBasis: warmBasis, offeredPreviousPoint: offered))
    }
    #else
    func load() -> Result<Void, SolverError> { .failure(.unavailable("GPUPool was built without the GLPK trait")) }
    func apply(_ edits: [ProgramEdit]) -> Result<Void, SolverError> { load() }
    func solve(options: SolveOptions, tuning: GLPKTuning, interrupt: GLPKInterrupt?, progress: GLPKProgressHandler?) -> Result<GLPKSessionSolve, SolverError> {
        .failure(.unavailable("GPUPool was built without the GLPK trait"))
    }
    #endif
}
