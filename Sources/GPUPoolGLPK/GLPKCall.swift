#if GLPK
import GPUPoolSupport
import CGLPK
import GPUPoolModel

/// What came back from one `cglpk_solve` call, copied out of C.
struct GLPKRawResult: Sendable {
    var error: Int32
    var message: String
    var lpReturn: Int32
    var lpStatus: Int32
    var lpSettledBySimplex: Bool
    var mipReturn: Int32
    var mipStatus: Int32
    var interrupted: Bool
    var outOfTime: Bool
    /// The branch-and-cut callback stopped the search at the absolute gap, node or solution limit.
    var absoluteGapReached = false
    var nodeLimitReached = false
    var solutionLimitReached = false
    /// An LP phase was abandoned part-way (interrupt or clock); no point and no return code.
    var abandoned: Bool = false
    var solutionKind: Int32
    var objective: Double
    var bound: Double?
    var iterations: Int
    var nodes: Int
    var warmStart: Int32
    /// Persistent models: what became of the basis kept from the last solve.
    var warmBasis: GLPKWarmBasis = .none
    var values: [Double]
    var rowDuals: [Double]
    var columnDuals: [Double]
    var log: String
    var seconds: Double
}

/// Carries a progress handler through the C shim's `void *` context.
private final class ProgressBox {
    let handler: GLPKProgressHandler
    init(_ handler: @escaping GLPKProgressHandler) { self.handler = handler }
}

/// The shim's progress callback: unpacks the context and calls the handler (on the solving thread,
/// inside GLPK's branch-and-cut callback; it returns normally, so no Swift frame is crossed by a
/// longjmp).
private let progressTrampoline: @convention(c) (UnsafeMutableRawPointer?, Int32, Double, Int32, Double) -> Void = {
    context, hasIncumbent, incumbent, hasBound, bound in
    guard let context else { return }
    let box = Unmanaged<ProgressBox>.fromOpaque(context).takeUnretainedValue()
    box.handler(GLPKProgress(incumbent: hasIncumbent != 0 ? incumbent : nil, bound: hasBound != 0 ? bound : nil))
}

/// Hands a program to the C shim.
enum GLPKCall {
    static func solve(
        _ program: LinearProgram, plan: GLPKPlan, options: SolveOptions, tuning: GLPKTuning,
        interrupt: UnsafeMutablePointer<CInt>?, progress: GLPKProgressHandler? = nil
    ) -> Solution {
        solve(plan: plan, options: options) { attempt in
            run(program, plan: plan, options: attempt, tuning: tuning, interrupt: interrupt, progress: progress)
        }
    }

    /// One solve with GLPK's known failures retried: `attempt` runs GLPK once with the options it
    /// is given (a one-shot call, or a persistent model's re-solve).
    static func solve(plan: GLPKPlan, options: SolveOptions, attempt: (SolveOptions) -> GLPKRawResult) -> Solution {
        var raw = attempt(options)
        var plan = plan
        if let retry = retryWithoutCuts(after: raw, plan: plan, options: options) {
            let first = raw
            raw = attempt(retry)
            raw.seconds += first.seconds
            raw.log = first.log + raw.log
            plan.notes.append("GLPK's cut generator failed (\(first.message)); solved again without cuts")
        }
        let solver = "GLPK \(GLPKSolver.version)"
        let solution = GLPKOutcome(raw: raw, plan: plan, options: options).solution(solver: solver)
        guard solution.termination == .numericalError, let plain = retryPlain(after: raw, plan: plan, options: options) else {
            return solution
        }
        // A branch-and-cut point that failed verification (seen with the MIP presolver on small
        // placement models: a row off by 2) is not an answer; plain branch-and-cut usually is.
        var second = attempt(plain)
        second.seconds += raw.seconds
        var retried = plan
        retried.notes.append("first attempt withheld (\(solution.message ?? "numerical error")); solved again without presolver and cuts")
        let again = GLPKOutcome(raw: second, plan: retried, options: options).solution(solver: solver)
        return again.termination == .numericalError ? solution : again
    }

    /// The options for plain branch-and-cut (no presolver, no cuts) after a numerical failure, or `nil`
    /// when the first attempt was already plain, was interrupted or used up the time limit.
    static func retryPlain(after raw: GLPKRawResult, plan: GLPKPlan, options: SolveOptions) -> SolveOptions? {
        guard plan.branchAndCut, options.presolve || options.cuts else { return nil }
        return retry(after: raw, options: options) {
            $0.presolve = false
            $0.cuts = false
        }
    }

    /// `options` changed by `change`, with the time the first attempt left; `nil` after an
    /// interrupt or when no time is left.
    private static func retry(after raw: GLPKRawResult, options: SolveOptions, _ change: (inout SolveOptions) -> Void) -> SolveOptions? {
        guard !raw.interrupted else { return nil }
        var retry = options
        change(&retry)
        if let limit = options.timeLimit {
            let left = limit - raw.seconds
            guard left > 0 else { return nil }
            retry.timeLimit = left
        }
        return retry
    }

    /// The options for a second branch-and-cut without cuts, when the first one stopped on a GLPK fatal
    /// error with cuts on. GLPK 5.0's cut generator fails on some models with `glp_add_cols: ncs = 0`
    /// (COIN-OR's tp3–tp5, small placement models with an empty cut pool) although GLPK solves them
    /// without cuts. `nil` when no retry is due or no time is left for one.
    static func retryWithoutCuts(after raw: GLPKRawResult, plan: GLPKPlan, options: SolveOptions) -> SolveOptions? {
        guard raw.error == Int32(CGLPK_ERROR_GLPK), plan.branchAndCut, options.cuts else { return nil }
        return retry(after: raw, options: options) { $0.cuts = false }
    }

    static func loadOnly(_ program: LinearProgram) throws(SolverError) -> Double {
        var result = cglpk_result()
        let clock = ContinuousClock()
        let start = clock.now
        let code = withProblem(program) { problem in cglpk_load_only(problem, &result) }
        let elapsed = clock.now - start
        let message = messageText(result)
        cglpk_free(result.log)
        if code != Int32(CGLPK_OK) {
            throw .invalidModel(ModelValidationError(issues: [ModelIssue(.model, "GLPK could not load the program: \(message)")]))
        }
        return elapsed.seconds
    }

    /// One GLPK run on a fresh copy of `program` (interior point with a time limit on a thread that
    /// can be left behind).
    static func run(
        _ program: LinearProgram, plan: GLPKPlan, options: SolveOptions, tuning: GLPKTuning,
        interrupt: UnsafeMutablePointer<CInt>?, progress: GLPKProgressHandler?
    ) -> GLPKRawResult {
        /// One `cglpk_solve` watching `flag`.
        let attempt: @Sendable (UnsafeMutablePointer<CInt>?) -> GLPKRawResult = { flag in
            execute(rows: program.rowCount, columns: program.columnCount, plan: plan, options: options, tuning: tuning,
                    interrupt: flag, progress: progress) { settings, result in
                _ = withProblem(program) { problem in cglpk_solve(problem, settings, result) }
            }
        }
        if plan.algorithm == .interiorPoint, !plan.branchAndCut, let limit = options.timeLimit {
            // Interior point can sit in a set-up phase past the limit, where the shim cannot stop
            // it: it runs on a thread of its own that is left behind at the limit (plus the time
            // the shim needs to stop at GLPK's next print when the phase does end in time).
            let deadline = ContinuousClock.now.advanced(by: .clamped(seconds: limit + min(0.5, 0.05 * limit) + 0.2))
            return GLPKDetachedRun.run(deadline: deadline, callerInterrupt: interrupt) { attempt($0) }
        }
        return attempt(interrupt)
    }


    /// An attempt that could not reach GLPK (reported as ``TerminationStatus/otherError``).
    static func failedAttempt(_ message: String) -> GLPKRawResult {
        GLPKRawResult(
            error: Int32(CGLPK_ERROR_BAD_INPUT), message: message, lpReturn: -1, lpStatus: -1, lpSettledBySimplex: false,
            mipReturn: -1, mipStatus: -1, interrupted: false, outOfTime: false, solutionKind: Int32(CGLPK_SOLUTION_NONE),
            objective: 0, bound: nil, iterations: 0, nodes: 0, warmStart: Int32(CGLPK_WARM_NOT_GIVEN),
            values: [], rowDuals: [], columnDuals: [], log: "", seconds: 0
        )
    }

    /// The options GLPK is given for one attempt.
    static func settings(plan: GLPKPlan, options: SolveOptions, tuning: GLPKTuning, interrupt: UnsafeMutablePointer<CInt>?) -> cglpk_options {
        var settings = cglpk_options()
        switch plan.algorithm {
        case .primalSimplex: settings.algorithm = Int32(CGLPK_PRIMAL_SIMPLEX)
        case .dualSimplex: settings.algorithm = Int32(CGLPK_DUAL_SIMPLEX)
        case .interiorPoint: settings.algorithm = Int32(CGLPK_INTERIOR_POINT)
        }
        settings.integer = plan.branchAndCut ? 1 : 0
        settings.presolve = options.presolve ? 1 : 0
        settings.cuts = options.cuts ? 1 : 0
        settings.feasibility_pump = tuning.feasibilityPump ? 1 : 0
        settings.node_preprocessing = options.nodePreprocessing ? 1 : 0
        settings.branching = tuning.branchingCode(columns: plan.checkedProgram.columnCount)
        settings.backtracking = tuning.backtrackingCode
        settings.time_limit_ms = options.timeLimit.map { $0 * 1000 } ?? -1
        settings.iteration_limit = options.iterationLimit.map { Int32(clamping: $0) } ?? -1
        settings.mip_gap = options.relativeGap ?? -1
        settings.absolute_gap = options.absoluteGap ?? -1
        settings.node_limit = options.nodeLimit.map { Int64(clamping: $0) } ?? -1
        settings.solution_limit = options.solutionLimit.map { Int32(clamping: $0) } ?? 0
        settings.verbose = options.verbose ? 1 : 0
        settings.log_limit = tuning.logLimit
        settings.interrupt = UnsafePointer(interrupt)
        return settings
    }

    /// Runs `call` (a one-shot solve or a persistent model's) with the attempt's settings and
    /// output arrays for a program of `rows` × `columns`, and copies the result out of C.
    static func execute(
        rows m: Int, columns n: Int, plan: GLPKPlan, options: SolveOptions, tuning: GLPKTuning,
        interrupt: UnsafeMutablePointer<CInt>?, progress: GLPKProgressHandler?,
        call: (UnsafePointer<cglpk_options>, UnsafeMutablePointer<cglpk_result>) -> Void
    ) -> GLPKRawResult {
        var values = [Double](repeating: 0, count: n)
        var rowDuals = [Double](repeating: 0, count: m)
        var columnDuals = [Double](repeating: 0, count: n)
        var result = cglpk_result()
        var settings = settings(plan: plan, options: options, tuning: tuning, interrupt: interrupt)
        let progressBox = progress.map(ProgressBox.init)
        if let progressBox {
            settings.progress = progressTrampoline
            settings.progress_context = Unmanaged.passUnretained(progressBox).toOpaque()
        }

        let clock = ContinuousClock()
        let start = clock.now
        let warm = plan.warmStart?.values
        withOptionalPointer(warm) { warmPointer in
            settings.warm_start = warmPointer
            values.withUnsafeMutableBufferPointer { valuesOut in
                rowDuals.withUnsafeMutableBufferPointer { rowDualsOut in
                    columnDuals.withUnsafeMutableBufferPointer { columnDualsOut in
                        result.values = valuesOut.baseAddress
                        result.row_duals = rowDualsOut.baseAddress
                        result.column_duals = columnDualsOut.baseAddress
                        withUnsafePointer(to: &settings) { call($0, &result) }
                        result.values = nil
                        result.row_duals = nil
                        result.column_duals = nil
                    }
                }
            }
        }
        withExtendedLifetime(progressBox) {}
        let elapsed = clock.now - start
        let log = result.log.map { String(cString: $0) } ?? ""
        cglpk_free(result.log)
        return GLPKRawResult(
            error: result.error, message: messageText(result),
            lpReturn: result.lp_return, lpStatus: result.lp_status,
            lpSettledBySimplex: result.lp_settled_by_simplex != 0,
            mipReturn: result.mip_return, mipStatus: result.mip_status,
            interrupted: result.interrupted != 0, outOfTime: result.out_of_time != 0,
            absoluteGapReached: result.absolute_gap_reached != 0, nodeLimitReached: result.node_limit_reached != 0,
            solutionLimitReached: result.solution_limit_reached != 0,
            abandoned: result.abandoned != 0, solutionKind: result.solution_kind, objective: result.objective,
            bound: result.has_bound != 0 ? result.bound : nil,
            iterations: Int(result.iterations), nodes: Int(result.nodes), warmStart: result.warm_start,
            warmBasis: result.warm_basis_used != 0 ? .used : result.warm_basis_rebuilt != 0 ? .rebuilt : .none,
            values: values, rowDuals: rowDuals, columnDuals: columnDuals, log: log,
            seconds: elapsed.seconds
        )
    }

    /// Calls `body` with a `cglpk_problem` pointing into the program's arrays.
    static func withProblem<R>(_ program: LinearProgram, _ body: (UnsafePointer<cglpk_problem>) -> R) -> R {
        let matrix = program.matrix
        return program.objective.withUnsafeBufferPointer { objective in
            matrix.columnStarts.withUnsafeBufferPointer { starts in
                matrix.rowIndices.withUnsafeBufferPointer { rows in
                    matrix.values.withUnsafeBufferPointer { entries in
                        program.rowLower.withUnsafeBufferPointer { rowLower in
                            program.rowUpper.withUnsafeBufferPointer { rowUpper in
                                program.columnLower.withUnsafeBufferPointer { columnLower in
                                    program.columnUpper.withUnsafeBufferPointer { columnUpper in
                                        program.isInteger.withUnsafeBufferPointer { integer in
                                            var problem = cglpk_problem(
                                                rows: Int32(program.rowCount), columns: Int32(program.columnCount),
                                                maximize: program.sense == .maximize ? 1 : 0,
                                                objective: objective.baseAddress,
                                                objective_constant: program.objectiveConstant,
                                                column_starts: starts.baseAddress, row_indices: rows.baseAddress,
                                                values: entries.baseAddress,
                                                row_lower: rowLower.baseAddress, row_upper: rowUpper.baseAddress,
                                                column_lower: columnLower.baseAddress,
                                                column_upper: columnUpper.baseAddress,
                                                is_integer: integer.baseAddress
                                            )
                                            return withUnsafePointer(to: &problem) { body($0) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static func withOptionalPointer<R>(_ array: [Double]?, _ body: (UnsafePointer<Double>?) -> R) -> R {
        guard let array else { return body(nil) }
        return array.withUnsafeBufferPointer { body($0.baseAddress) }
    }

    static func messageText(_ result: cglpk_result) -> String {
        withUnsafeBytes(of: result.message) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
#endif
