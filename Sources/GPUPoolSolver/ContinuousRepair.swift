import GPUPoolHeuristics
import GPUPoolModel

/// The `heuristic` method on programs with continuous columns.
///
/// The greedy-repair search moves one column at a time, which suits 0-1 models and fails on LP-like
/// structure (Netlib's afiro: −9.75e−6 against −464.75; no point at all on many feasible mixed
/// models). When an exact backend is at hand, the integer part is kept from a candidate and the
/// continuous rest is solved as an LP, the "fix and solve the LP" step of MIP heuristics such as
/// RENS. Candidates: the search's own point, and the LP relaxation's optimum with its integer
/// columns rounded to the nearest value (which is the whole answer on a pure LP). Every point is
/// checked against the original program, integrality included; the result never claims
/// optimality (`locally_solved`).
enum ContinuousRepair {
    /// Whether `program` has continuous columns for the repair to solve.
    static func applies(to program: LinearProgram) -> Bool {
        program.isInteger.contains(false)
    }

    /// `searched`, or a better verified point from the LP repairs, within `timeLimit` seconds.
    static func improve(
        _ searched: Solution, program: LinearProgram, options: SolveOptions, timeLimit: Double?,
        lp: any SolverBackend, control: SolveControl
    ) -> Solution {
        let clock = ContinuousClock()
        let start = clock.now
        func remaining() -> Double? { timeLimit.map { max(0, $0 - (clock.now - start).seconds) } }
        func stopped() -> Bool { control.cancellation?.isCancelled == true || remaining() == 0 }
        // The LP solves report no progress: the relaxation's value is not an incumbent.
        let quiet = SolveControl(cancellation: control.cancellation)

        var candidates: [[Double]] = []
        if searched.hasSolution { candidates.append(searched.values) }
        var relaxation = program
        relaxation.isInteger = Array(repeating: false, count: program.columnCount)
        var notes: [String] = []
        var relaxed: Solution?
        if !stopped(), let solved = try? lp.solve(relaxation, options: lpOptions(options, remaining()), control: quiet),
           solved.hasSolution {
            relaxed = solved
            candidates.append(zip(solved.values, program.isInteger).map { $1 ? $0.rounded() : $0 })
        }
        /// The LP over the continuous columns with the integer ones fixed to `integers`; on a pure
        /// LP that is the relaxation, already solved.
        func fixedSolve(_ integers: [Double]) -> Solution? {
            if !program.hasIntegerColumns { return relaxed }
            var fixed = relaxation
            for j in 0..<program.columnCount where program.isInteger[j] {
                let value = min(max(integers[j].rounded(), program.columnLower[j]), program.columnUpper[j])
                fixed.columnLower[j] = value
                fixed.columnUpper[j] = value
            }
            return try? lp.solve(fixed, options: lpOptions(options, remaining()), control: quiet)
        }

        var best = searched
        var repaired = false
        // A pure LP has one candidate worth checking, the relaxation's optimum, solved already.
        for integers in candidates.suffix(program.hasIntegerColumns ? candidates.count : 1)
        where !program.hasIntegerColumns || !stopped() {
            guard let solved = fixedSolve(integers), solved.hasSolution else { continue }
            // Checked on the original program: the fixed columns are integral, the rest within its rows.
            let check = SolutionChecker.check(program, values: solved.values, tolerance: options.tolerance)
            guard check.isFeasible else { continue }
            if !best.hasSolution || Solver.isBetter(value: check.objective, than: best.objective, sense: program.sense) {
                best.values = solved.values
                best.objective = check.objective
                best.rowActivities = check.rowActivities
                best.primalStatus = .feasiblePoint
                repaired = true
                control.offer(incumbent: check.objective, bound: nil)
            }
        }
        guard repaired else { return searched }
        best.termination = .locallySolved
        best.bestBound = nil
        best.duals = nil
        best.reducedCosts = nil
        best.seconds = searched.seconds + (clock.now - start).seconds
        best.solver = "\(searched.solver) + LP repair (\(lp.name))"
        notes.append(program.hasIntegerColumns
                     ? "continuous columns solved as an LP with the integer columns fixed"
                     : "an LP: solved by \(lp.name) (the heuristic method does not claim optimality)")
        best.message = notes.joined(separator: "; ")
        return best
    }

    private static func lpOptions(_ options: SolveOptions, _ timeLimit: Double?) -> SolveOptions {
        SolveOptions(method: .simplex, timeLimit: timeLimit, tolerance: options.tolerance)
    }
}

extension Solver {
    static func isBetter(value: Double, than other: Double?, sense: ObjectiveSense) -> Bool {
        guard let other else { return true }
        let tolerance = 1e-9 * max(1, abs(other))
        return sense == .maximize ? value > other + tolerance : value < other - tolerance
    }

    /// The `heuristic` method: the heuristic backend, and for the built-in one with an exact
    /// backend at hand: the search gets half the time limit; on a program with continuous columns
    /// the LP repair gets the rest; on a pure-integer one that has a point, the search goes on
    /// from it; on a MIP where still no point was found, the exact backend's branch-and-cut stopped
    /// at its first integer point, then the search again from that point with the time left.
    ///
    /// Why the last step: the one-column moves of the search find no point where feasible points
    /// are rare in the integer lattice (MIPLIB's `p0548`, pure 0-1; `flugpl`, general integers), and
    /// an LP dive tried here (bounding the least fractional column, backtracking) used 1,000–2,000
    /// LP solves on them without reaching one, while GLPK's branch-and-cut, told to stop at its first
    /// point, has one in 17 ms (flugpl) and 93 ms (p0548). The answer never claims optimality.
    static func heuristicMethod(
        _ program: LinearProgram, options: SolveOptions, control: SolveControl, backends: SolverBackends
    ) throws(SolverError) -> Solution {
        guard backends.heuristic is HeuristicBackend, let exact = backends.exact,
              ContinuousRepair.applies(to: program) || program.hasIntegerColumns else {
            return try run(backends.heuristic, program, options: options, control: control)
        }
        let clock = ContinuousClock()
        let start = clock.now
        func left() -> Double? { options.timeLimit.map { max(0, $0 - (clock.now - start).seconds) } }
        var searchOptions = options
        searchOptions.timeLimit = options.timeLimit.map { $0 / 2 }
        var result = try run(backends.heuristic, program, options: searchOptions, control: control)
        if ContinuousRepair.applies(to: program) {
            result = ContinuousRepair.improve(result, program: program, options: options, timeLimit: left(), lp: exact, control: control)
        }
        /// The search again, warm-started from `point` with the time left: its answer when better.
        func searchOn(from point: Solution) -> Solution? {
            guard left() != 0, control.cancellation?.isCancelled != true else { return nil }
            var more = options
            more.timeLimit = left()
            more.warmStart = point.values
            guard let searched = try? run(backends.heuristic, program, options: more, control: control), searched.hasSolution,
                  Solver.isBetter(searched, than: point, sense: program.sense) else { return nil }
            return searched
        }
        guard !result.hasSolution else {
            // A pure-integer model has no repair to give the other half of the time to: the search
            // goes on from its point, so the method still uses its whole limit as before (without
            // a limit the search already ran to its end).
            guard !ContinuousRepair.applies(to: program), options.timeLimit != nil, var best = searchOn(from: result) else { return result }
            best.seconds = (clock.now - start).seconds
            return best
        }
        guard program.hasIntegerColumns, control.cancellation?.isCancelled != true, left() != 0 else { return result }

        // Branch-and-cut, stopped at its first integer point (its bound is not reported: the
        // method promises no proof), then the search from there.
        var firstOptions = SolveOptions(method: .mip, timeLimit: left(), tolerance: options.tolerance)
        firstOptions.solutionLimit = 1
        let quiet = SolveControl(cancellation: control.cancellation)
        guard let first = try? run(exact, program, options: firstOptions, control: quiet), first.hasSolution,
              SolutionChecker.check(program, values: first.values, tolerance: options.tolerance).isFeasible else { return result }
        control.offer(incumbent: first.objective ?? 0, bound: nil)
        let searched = searchOn(from: first)
        let improved = searched != nil
        var best = searched ?? first
        best.termination = .locallySolved
        best.primalStatus = .feasiblePoint
        best.bestBound = nil
        best.duals = nil
        best.reducedCosts = nil
        best.seconds = (clock.now - start).seconds
        best.solver = "\(result.solver) + first point of \(exact.name)" + (improved ? " + search from it" : "")
        let note = "the search found no point: \(exact.name)'s branch-and-cut stopped at its first integer point"
            + (improved ? ", which the search then improved" : "") + "; optimality not proven"
        best.message = note
        return best
    }
}
