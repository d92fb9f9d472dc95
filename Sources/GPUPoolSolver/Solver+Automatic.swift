import GPUPoolSupport
import Dispatch
import GPUPoolHeuristics
import GPUPoolModel
import Synchronization

extension Solver {
    static func improvementHandler(_ progress: SolveProgress) -> @Sendable (Double) -> Void {
        { progress.offer(incumbent: $0, bound: nil) }
    }

    /// LPs: GLPK's simplex. MIPs: heuristic first, its verified point injected into GLPK's
    /// branch-and-cut; the better verified point is returned. Without GLPK, or when GLPK fails,
    /// the heuristic's result is returned and labelled so.
    static func automatic(
        _ program: LinearProgram, options: SolveOptions, control: SolveControl, backends: SolverBackends
    ) throws(SolverError) -> Solution {
        guard let exactBackend = backends.exact else {
            var result = try run(backends.heuristic, program, options: options, control: control)
            let why = hasExactSolver ? "no exact backend given" : "no exact solver built in (GLPK trait off)"
            result.message = [result.message, "\(why): heuristic result, optimality not proven"]
                .compactMap { $0 }.joined(separator: "; ")
            return result
        }
        guard program.hasIntegerColumns else { return try run(exactBackend, program, options: options, control: control) }

        let clock = ContinuousClock()
        let start = clock.now
        var warm = options
        warm.timeLimit = min(0.2, (options.timeLimit ?? 20) / 20)
        warm.iterationLimit = max(1_000, 10 * program.matrix.nonzeroCount)
        let incumbent = options.warmStart == nil ? try run(backends.heuristic, program, options: warm, control: control) : nil

        var exactOptions = options
        exactOptions.method = .mip
        if let limit = options.timeLimit { exactOptions.timeLimit = max(0.01, limit - (clock.now - start).seconds) }
        if let incumbent, incumbent.hasSolution { exactOptions.warmStart = incumbent.values }
        // While GLPK runs (past a short grace period), the heuristic runs again beside it (the other
        // core) for GLPK's time, and is stopped when GLPK returns: on models where GLPK finds no better point in the limit
        // (tight assignment models), auto is then about as good as its heuristic given the whole
        // time, not only its first 0.2 s. It starts afresh: from its own early point the search
        // stays near it (measured on 20×200 assignment models).
        var heuristicOptions = exactOptions
        heuristicOptions.method = .heuristic
        heuristicOptions.iterationLimit = nil
        heuristicOptions.warmStart = nil
        let (exactResult, longer) = try besideGLPK(program, heuristicOptions: heuristicOptions, runHeuristic: incumbent != nil,
                                                   control: control, heuristic: backends.heuristic) {
            () throws(SolverError) -> Solution in try run(exactBackend, program, options: exactOptions, control: control)
        }
        var result = exactResult
        result.seconds = (clock.now - start).seconds
        let heuristicBest = [incumbent, longer].compactMap { $0 }.filter(\.hasSolution)
            .reduce(nil as Solution?) { best, next in best.map { isBetter(next, than: $0, sense: program.sense) ? next : $0 } ?? next }
        guard let incumbent = heuristicBest else { return result }
        result.solver = "auto (\(incumbent.solver) + \(result.solver))"

        let exactFailed = [.numericalError, .otherError, .interrupted].contains(result.termination) && !result.hasSolution
        if exactFailed || !result.hasSolution || isBetter(incumbent, than: result, sense: program.sense) {
            var fallback = incumbent
            fallback.termination = result.termination == .optimal ? .optimal : (exactFailed ? .locallySolved : result.termination)
            fallback.bestBound = result.bestBound
            fallback.seconds = result.seconds
            fallback.solver = result.solver
            fallback.message = exactFailed
                ? "GLPK ended \(result.termination.rawValue) (\(result.message ?? "no detail")): heuristic result, optimality not proven"
                : "heuristic incumbent kept: GLPK found no better point"
            return fallback
        }
        return result
    }

    /// Runs `exact` on this thread and, when `runHeuristic`, the heuristic on another until `exact`
    /// returns (or its own limit). Returns both results; the heuristic's is `nil` when it did not run
    /// or threw.
    static func besideGLPK(
        _ program: LinearProgram, heuristicOptions: SolveOptions, runHeuristic: Bool, control: SolveControl,
        heuristic: any SolverBackend = HeuristicBackend(), exact: () throws(SolverError) -> Solution
    ) throws(SolverError) -> (Solution, Solution?) {
        guard runHeuristic else { return (try exact(), nil) }
        // The search beside GLPK has a token of its own: cancelled with the caller's, and when
        // GLPK returns.
        let searchCancellation = control.cancellation?.child() ?? SolveCancellation()
        let searchControl = SolveControl(cancellation: searchCancellation, progress: control.progress)
        let found = Mutex<Solution?>(nil)
        let done = DispatchGroup()
        let exactFinished = DispatchSemaphore(value: 0)
        // Most MIPs that reach GLPK are solved in milliseconds (a 5×15 assignment model: 3 ms), and
        // a search beside each would double the CPU a solve costs (measured on the service: half the
        // throughput at 64 clients). The heuristic starts only when GLPK is still busy after a grace
        // period: a tenth of the limit, at most 0.25 s.
        let grace = min(0.25, (heuristicOptions.timeLimit ?? 2.5) / 10)
        var options = heuristicOptions
        options.timeLimit = heuristicOptions.timeLimit.map { max(0, $0 - grace) }
        let searchOptions = options
        done.enter()
        // A queue of its own (overcommitting): the search blocks its thread until GLPK returns and
        // must not take a thread of the shared pool that the caller's tasks need.
        DispatchQueue(label: "gpupool.auto-heuristic").async {
            defer { done.leave() }
            if exactFinished.wait(timeout: .now() + grace) == .success || searchCancellation.isCancelled { return }
            let result = try? run(heuristic, program, options: searchOptions, control: searchControl)
            found.withLock { $0 = result }
        }
        let result: Solution
        do {
            result = try exact()
        } catch {
            exactFinished.signal()
            searchCancellation.cancel()
            done.wait()
            throw error
        }
        exactFinished.signal()
        searchCancellation.cancel()
        done.wait()
        return (result, found.withLock { $0 })
    }

    static func isBetter(_ a: Solution, than b: Solution, sense: ObjectiveSense) -> Bool {
        guard let x = a.objective, let y = b.objective else { return false }
        return isBetter(value: x, than: y, sense: sense)
    }
}
