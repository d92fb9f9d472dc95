import GPUPoolHeuristics
import GPUPoolModel

#if GLPK
import GPUPoolGLPK
#endif

/// A solver that ``Solver``, `auto`, ``SolverSession`` and the planner can be given in place of the
/// built-in ones (``SolverBackends``).
///
/// An exact backend serves the LP and MIP methods (`simplex`, `dual`, `interior`, `mip`) and the
/// second phase of `auto`, where it receives the heuristic's verified point as
/// `options.warmStart`; a heuristic backend serves `heuristic` and the first phase of `auto`. A
/// backend reads what it can use of ``SolveOptions`` and ignores the rest.
///
/// ```swift
/// struct MyBackend: SolverBackend {
///     var name: String { "my-solver 1.0" }
///     var isExact: Bool { true }
///     func solve(_ program: LinearProgram, options: SolveOptions, control: SolveControl) throws(SolverError) -> Solution {
///         // … stop early when control.cancellation?.isCancelled; report with control.offer(incumbent:bound:)
///     }
/// }
/// let solution = try Solver.solve(program, options: SolveOptions(method: .mip), backends: SolverBackends(exact: MyBackend()))
/// ```
///
/// What comes back from a backend that does not check its own points (``verifiesPoints``) is
/// checked by ``Solver``: a point that fails ``SolutionChecker`` is withheld (`numerical_error`),
/// and `optimal` or a bound from a backend that is not exact is dropped (`locally_solved`).
public protocol SolverBackend: Sendable {
    /// Name and version, reported as ``Solution/solver``.
    var name: String { get }
    /// Whether its `optimal` is a proof and its ``Solution/bestBound`` a bound.
    var isExact: Bool { get }
    /// Whether it runs ``SolutionChecker`` on every point it reports (the built-in backends do).
    var verifiesPoints: Bool { get }
    /// Solves `program`. Throws only when the solve cannot start; every outcome is a ``Solution``.
    func solve(_ program: LinearProgram, options: SolveOptions, control: SolveControl) throws(SolverError) -> Solution
}

extension SolverBackend {
    public var verifiesPoints: Bool { false }
}

/// What a backend is handed besides the program and options: the caller's cancellation and
/// progress.
public struct SolveControl: Sendable {
    /// Raised when the caller cancels; poll ``SolveCancellation/isCancelled`` or register with
    /// ``SolveCancellation/whenCancelled(_:)``.
    public var cancellation: SolveCancellation?
    /// Where improvements go; see ``offer(incumbent:bound:)``.
    public var progress: SolveProgress?

    public init(cancellation: SolveCancellation? = nil, progress: SolveProgress? = nil) {
        self.cancellation = cancellation
        self.progress = progress
    }

    /// Reports a better point's objective and/or a bound to the caller's ``SolveProgress``.
    public func offer(incumbent: Double?, bound: Double?) {
        progress?.offer(incumbent: incumbent, bound: bound)
    }
}

/// The backends a solve uses: an exact one (none: the exact methods are unavailable and `auto`
/// returns the heuristic's point) and a heuristic one.
public struct SolverBackends: Sendable {
    public var exact: (any SolverBackend)?
    public var heuristic: any SolverBackend

    /// - Parameters:
    ///   - exact: GLPK when it is built in, else none.
    ///   - heuristic: the pure-Swift greedy-repair search.
    public init(exact: (any SolverBackend)? = SolverBackends.builtInExact, heuristic: any SolverBackend = HeuristicBackend()) {
        self.exact = exact
        self.heuristic = heuristic
    }

    /// GLPK and the greedy-repair search (GLPK only when built in).
    public static var standard: SolverBackends { SolverBackends() }

    /// GLPK when it is built in.
    public static var builtInExact: (any SolverBackend)? {
        #if GLPK
        GLPKBackend()
        #else
        nil
        #endif
    }

    /// Whether the exact backend is the built-in GLPK one, which a ``SolverSession`` keeps loaded.
    package var exactIsBuiltInGLPK: Bool {
        #if GLPK
        exact is GLPKBackend
        #else
        false
        #endif
    }
}

/// The pure-Swift greedy-repair search (``GreedyRepairSolver``) as a backend.
public struct HeuristicBackend: SolverBackend {
    public init() {}
    public var name: String { GreedyRepairSolver().name }
    public var isExact: Bool { false }
    public var verifiesPoints: Bool { true }

    public func solve(_ program: LinearProgram, options: SolveOptions, control: SolveControl) throws(SolverError) -> Solution {
        try GreedyRepairSolver(stop: control.cancellation?.searchStop(),
                               onImprovement: control.progress.map(Solver.improvementHandler))
            .solve(program, options: options)
    }
}

#if GLPK
/// GLPK (``GLPKSolver``) as a backend: interrupted by the cancellation, reporting its incumbent
/// and bound as progress.
public struct GLPKBackend: SolverBackend {
    public init() {}
    public var name: String { GLPKSolver().name }
    public var isExact: Bool { true }
    public var verifiesPoints: Bool { true }

    public func solve(_ program: LinearProgram, options: SolveOptions, control: SolveControl) throws(SolverError) -> Solution {
        try GLPKSolver(interrupt: control.cancellation?.interrupt, onProgress: Self.progressHandler(control.progress))
            .solve(program, options: options)
    }

    /// GLPK's incumbent and bound reports, passed on to `progress` (`nil` without one).
    static func progressHandler(_ progress: SolveProgress?) -> GLPKProgressHandler? {
        guard let progress else { return nil }
        return { report in progress.offer(incumbent: report.incumbent, bound: report.bound) }
    }
}
#endif

extension Solver {
    /// Runs `backend` and holds its answer to what ``Solver`` promises: points verified, proofs
    /// only from an exact backend.
    static func run(
        _ backend: any SolverBackend, _ program: LinearProgram, options: SolveOptions, control: SolveControl
    ) throws(SolverError) -> Solution {
        var solution = try backend.solve(program, options: options, control: control)
        guard !backend.verifiesPoints else { return solution }
        var notes: [String] = []
        if solution.hasSolution {
            let check = SolutionChecker.check(program, values: solution.values, tolerance: options.tolerance)
            if !check.violations.isEmpty {
                notes.append("\(backend.name) returned a point that fails verification (\(check.violations.count) violations, e.g. \(check.violations[0])): withheld")
                solution.primalStatus = .noSolution
                solution.values = []
                solution.rowActivities = []
                solution.objective = nil
                if [.optimal, .locallySolved].contains(solution.termination) { solution.termination = .numericalError }
            } else {
                solution.objective = check.objective
                solution.rowActivities = check.rowActivities
            }
        }
        if !backend.isExact {
            if solution.termination == .optimal {
                solution.termination = .locallySolved
                notes.append("\(backend.name) is not an exact backend: optimality not proven")
            }
            solution.bestBound = nil
        }
        if solution.solver.isEmpty { solution.solver = backend.name }
        if !notes.isEmpty { solution.message = ([solution.message].compactMap { $0 } + notes).joined(separator: "; ") }
        return solution
    }
}
