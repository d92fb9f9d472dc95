import GPUPoolModel

/// A point that passed ``SolutionChecker``.
struct VerifiedPoint: Sendable {
    var values: [Double]
    var objective: Double
}

/// What one solve will ask of GLPK, decided from the program and the options before any C runs.
struct GLPKPlan: Sendable {
    enum Algorithm: Sendable { case primalSimplex, dualSimplex, interiorPoint }

    /// The LP algorithm (for MIPs: of the root LP when it is solved before branch-and-cut).
    var algorithm: Algorithm
    /// Whether branch-and-cut runs (the program has integer columns and a MIP method was asked for).
    var branchAndCut: Bool
    /// Whether integer columns are ignored (an LP method on a MIP).
    var relaxation: Bool
    /// The program points are checked against (integrality dropped for a relaxation).
    var checkedProgram: LinearProgram
    /// A warm start that passed the check, for branch-and-cut.
    var warmStart: VerifiedPoint?
    /// Remarks for ``Solution/message`` (method substitutions, ignored or rejected warm starts).
    var notes: [String] = []

    /// - Parameter programChecked: the program is known to be valid and within GLPK's limits (a
    ///   persistent session checks it once and then each edit), so it is not validated again.
    init(program: LinearProgram, options: SolveOptions, tuning: GLPKTuning, programChecked: Bool = false) throws(SolverError) {
        if !programChecked { try GLPKLimits.check(program) }
        try options.validate(columnCount: program.columnCount)
        if tuning.logLimit < 0 { throw .invalidOptions("log limit \(tuning.logLimit) must be non-negative") }

        let integral = program.hasIntegerColumns
        let empty = program.rowCount == 0 || program.columnCount == 0
        switch options.method {
        case .auto:
            // Primal simplex was faster than dual on the shared Netlib LPs (0.31 s against 0.54 s in all).
            algorithm = .primalSimplex
            branchAndCut = integral
        case .mip:
            algorithm = .primalSimplex
            branchAndCut = integral
        case .simplex:
            algorithm = .primalSimplex
            branchAndCut = false
        case .dual:
            algorithm = .dualSimplex
            branchAndCut = false
        case .interior:
            algorithm = .interiorPoint
            branchAndCut = false
        case .heuristic:
            throw .invalidOptions("method 'heuristic' is not a GLPK method; use the heuristic solvers")
        }
        relaxation = integral && !branchAndCut
        checkedProgram = program
        if relaxation {
            checkedProgram.isInteger = Array(repeating: false, count: program.columnCount)
            notes.append("LP relaxation solved (method '\(options.method.rawValue)' ignores integrality)")
        }
        if algorithm == .interiorPoint && empty {
            notes.append("interior point needs rows and columns; solved by simplex")
        }
        if let start = options.warmStart {
            if branchAndCut {
                switch Self.verify(start, for: program, tolerance: options.tolerance) {
                case let .success(point): warmStart = point
                case let .failure(reason): notes.append("warm start not used: \(reason)")
                }
            } else {
                notes.append("warm start ignored: GLPK's LP methods cannot start from a point")
            }
        }
    }

    /// Checks a warm start; integer columns within the integrality tolerance are rounded (GLPK wants
    /// exact integers) and the rounded point is checked again.
    static func verify(_ start: [Double], for program: LinearProgram, tolerance: Double) -> Result<VerifiedPoint, WarmStartRejection> {
        let first = SolutionChecker.check(program, values: start, tolerance: tolerance)
        if let worst = first.violations.first { return .failure(WarmStartRejection(violation: worst)) }
        var rounded = start
        for j in 0..<program.columnCount where program.isInteger[j] { rounded[j] = rounded[j].rounded() }
        let second = SolutionChecker.check(program, values: rounded, tolerance: tolerance)
        if let worst = second.violations.first { return .failure(WarmStartRejection(violation: worst)) }
        return .success(VerifiedPoint(values: rounded, objective: second.objective))
    }
}

/// Why a warm start was not used: its worst violation.
struct WarmStartRejection: Error, CustomStringConvertible {
    var violation: Violation
    var description: String { "it is infeasible (\(violation))" }
}
