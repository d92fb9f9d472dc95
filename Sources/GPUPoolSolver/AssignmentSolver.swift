import GPUPoolSupport
import GPUPoolHeuristics
import GPUPoolModel

/// The outcome of solving an ``AssignmentProblem`` with ``AssignmentSolver``.
public struct AssignmentSolution: Sendable, Hashable {
    /// Why the solve stopped (``TerminationStatus/locallySolved`` for a heuristic-only answer).
    public var termination: TerminationStatus
    /// Objective of ``assignment``; `nil` when there is none.
    public var objective: Double?
    /// Best proven bound, when an exact solver ran.
    public var bound: Double?
    /// Wall-clock seconds, heuristic and exact parts together.
    public var seconds: Double
    /// The best verified assignment, or `nil`.
    public var assignment: Assignment?
    /// What produced the answer, e.g. `"auto (tabu + GLPK 5.0)"`.
    public var solver: String
    /// Explanation of fallbacks and non-optimal outcomes.
    public var message: String?
}

/// Solves assignment problems exactly (GLPK branch-and-cut on the lowered model) or with the
/// "auto" method: heuristic first, its verified incumbent injected into branch-and-cut.
public enum AssignmentSolver {
    /// Solves `problem`.
    /// - Parameters:
    ///   - method: `.auto` (heuristic + warm-started GLPK), `.mip` (plain GLPK branch-and-cut) or
    ///     `.heuristic`.
    ///   - heuristic: the heuristic used by `.auto` and `.heuristic`; in `.auto` its time limit is
    ///     capped at 10–100 ms by problem size (see `autoHeuristicSeconds`).
    ///   - timeLimit: overall limit in seconds.
    ///   - exact: the exact backend for `.auto` and `.mip` (GLPK when built in; `nil`: none).
    /// - Returns: never "optimal" with a worse objective than the heuristic found: the better
    ///   verified assignment of the two is returned.
    public static func solve(
        _ problem: AssignmentProblem, method: SolveMethod, heuristic: AssignmentHeuristic = AssignmentHeuristic(),
        timeLimit: Double? = nil, exact exactBackend: (any SolverBackend)? = SolverBackends.builtInExact
    ) throws(SolverError) -> AssignmentSolution {
        let clock = ContinuousClock()
        let start = clock.now
        func elapsed() -> Double { (clock.now - start).seconds }

        var incumbent: HeuristicResult?
        if method == .auto || method == .heuristic {
            var h = heuristic
            if method == .auto { h.timeLimit = min(h.timeLimit ?? .infinity, autoHeuristicSeconds(problem, timeLimit)) }
            let result = h.solve(problem)
            if result.feasible { incumbent = result }
            if method == .auto, result.feasible, result.provenOptimal {
                // The Lagrangian bound already meets the incumbent: nothing left for branch-and-cut.
                return AssignmentSolution(
                    termination: .optimal, objective: result.objective, bound: result.bound, seconds: elapsed(),
                    assignment: result.assignment, solver: "auto (\(result.name), Lagrangian bound)",
                    message: "heuristic incumbent proven optimal by its Lagrangian bound")
            }
            if method == .heuristic || exactBackend == nil {
                let note = method == .auto ? (Solver.hasExactSolver ? "no exact backend given: heuristic result" : "no exact solver built in: heuristic result") : nil
                return AssignmentSolution(
                    termination: result.feasible ? .locallySolved : .otherError,
                    objective: result.feasible ? result.objective : nil, bound: nil, seconds: elapsed(),
                    assignment: result.feasible ? result.assignment : nil, solver: "heuristic:\(result.name)",
                    message: note ?? (result.feasible ? nil : "heuristic found no feasible assignment: \(result.unplaced.prefix(3).map(\.description).joined(separator: "; "))"))
            }
        }

        let lowered = problem.makeAssignmentModel()
        let program: LinearProgram
        do { program = try lowered.model.lowered() } catch { throw .invalidModel(error) }
        var options = SolveOptions(method: .mip, cuts: true)
        if let limit = timeLimit { options.timeLimit = max(0.01, limit - elapsed()) }
        if let incumbent { options.warmStart = lowered.values(of: incumbent.assignment) }

        let exact = try Solver.solve(program, options: options, backends: SolverBackends(exact: exactBackend))
        let exactAssignment = exact.hasSolution ? lowered.assignment(from: exact.values) : nil
        let exactObjective = exactAssignment.map { problem.objective(of: $0) }
        let label = incumbent.map { "auto (\($0.name) + \(exact.solver))" } ?? exact.solver

        // Keep the better verified point; the exact bound stays valid for either.
        if let incumbent, exactObjective.map({ better(incumbent.objective, than: $0, problem.sense) }) ?? true {
            let fallback = exact.hasSolution ? nil : "exact solver ended \(exact.termination.rawValue) without a point: heuristic incumbent returned"
            let termination: TerminationStatus = exact.hasSolution || exact.termination == .timeLimit ? exact.termination : .locallySolved
            return AssignmentSolution(
                termination: termination, objective: incumbent.objective, bound: exact.bestBound, seconds: elapsed(),
                assignment: incumbent.assignment, solver: label, message: fallback ?? exact.message)
        }
        return AssignmentSolution(
            termination: exact.termination, objective: exactObjective, bound: exact.bestBound, seconds: elapsed(),
            assignment: exactAssignment, solver: label, message: exact.message)
    }

    /// The heuristic's share of an auto run: 20 µs per (item, bin) pair, between 10 and 100 ms
    /// and at most a twentieth of the limit. The Lagrangian-guided tabu search is near-optimal
    /// within that time; the rest belongs to branch-and-cut, whose proof dominates.
    static func autoHeuristicSeconds(_ problem: AssignmentProblem, _ limit: Double?) -> Double {
        let pairs = Double(problem.itemCount) * Double(problem.binCount)
        return min(min(0.1, max(0.01, pairs * 2e-5)), (limit ?? 20) / 20)
    }

    static func better(_ a: Double, than b: Double, _ sense: AssignmentSense) -> Bool {
        let tolerance = 1e-9 * max(1, abs(b))
        return sense == .maximize ? a > b + tolerance : a < b - tolerance
    }
}
