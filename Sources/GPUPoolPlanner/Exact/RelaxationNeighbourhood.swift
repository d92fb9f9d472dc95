import GPUPoolModel
import GPUPoolSolver

/// Relaxation-induced neighbourhood search (RINS; Danna, Rothberg and Le Pape, 2005) for one
/// stage of the placement MIP.
///
/// Why: on feature-rich pools of a few hundred nodes the placement LP is tight, yet GLPK's
/// branch-and-cut, started from the heuristic's point, finds no better point in tens of seconds:
/// its tree walks are not aimed at the few jobs where the heuristic and the LP disagree. RINS aims
/// there. Every integer column on which the incumbent and the LP optimum agree is fixed to that
/// value and removed; the MIP over the columns left (a few hundred of tens of thousands) is small
/// enough for GLPK to solve or improve within a fraction of a second.
///
/// The result is a point of the stage's own program (checked against it, integrality included)
/// that is better than the incumbent, or `nil`. It proves nothing: the stage's full MIP still runs
/// after it, from the better point, and gives the bound.
enum RelaxationNeighbourhood {
    struct Outcome {
        var point: [Double]
        var objective: Double
        /// Integer columns left free in the sub-MIP.
        var freeColumns: Int
    }

    /// A better point than `incumbent` within `timeLimit` seconds, or `nil`.
    /// - Parameter relaxed: an optimal point of `program`'s LP relaxation.
    static func search(
        _ program: LinearProgram, incumbent: [Double], relaxed: [Double], timeLimit: Double, backends: SolverBackends,
        tolerance: Double = 1e-6
    ) -> Outcome? {
        guard let exact = backends.exact, program.hasIntegerColumns, incumbent.count == program.columnCount,
              relaxed.count == program.columnCount, timeLimit > 0.05 else { return nil }
        let clock = ContinuousClock()
        let started = clock.now
        func left() -> Double { timeLimit - (clock.now - started).seconds }
        let start = SolutionChecker.check(program, values: incumbent, tolerance: tolerance)
        guard start.isFeasible else { return nil }

        var best = incumbent
        var bestObjective = start.objective
        var freeColumns = 0
        /// Solves the MIP over `free` with every other column fixed at the incumbent, warm-started
        /// from it; keeps the result when it is feasible for `program` and better. Returns whether
        /// it was kept and whether the sub-MIP was solved to optimality.
        func attempt(free: [Int], share: Double) -> (kept: Bool, proven: Bool) {
            let sub = restricted(program, to: free, fixedAt: best)
            // Cuts as for any placement MIP of this size (they closed a cost neighbourhood's gap
            // from 4.9 % to 1.2 % in the same 3 s).
            let options = SolveOptions(method: .mip, timeLimit: max(0.05, share), relativeGap: 1e-6,
                                       cuts: free.count <= ExactPlacement.cutColumns, nodePreprocessing: false,
                                       warmStart: free.map { best[$0] })
            guard let solved = try? exact.solve(sub, options: options, control: SolveControl()), solved.hasSolution else { return (false, false) }
            var values = best
            for (i, c) in free.enumerated() { values[c] = program.isInteger[c] ? solved.values[i].rounded() : solved.values[i] }
            let check = SolutionChecker.check(program, values: values, tolerance: tolerance)
            let gain = program.sense == .maximize ? check.objective - bestObjective : bestObjective - check.objective
            guard check.isFeasible, gain > tolerance * max(1, abs(bestObjective)) else { return (false, solved.termination == .optimal) }
            best = values
            bestObjective = check.objective
            freeColumns = free.count
            return (true, solved.termination == .optimal)
        }

        // Each round fixes what the LP and the current incumbent agree on; a better incumbent
        // disagrees elsewhere, so the next round searches a new neighbourhood. (Tried and dropped:
        // freeing a random part of a neighbourhood too large to finish, by job; on the cost stage
        // such parts solved in 0.01–0.1 s and never improved, as the moves that pay there are
        // chains through many jobs; and fixing every column the LP has at zero, RENS-like: after
        // the first stage that sub-MIP was infeasible, as the stage before's hold row is tight at
        // integral values the LP's support cannot reach.)
        for _ in 0..<8 where left() > 0.05 {
            var free: [Int] = []
            for c in 0..<program.columnCount where !program.isInteger[c] || abs(relaxed[c] - best[c]) > tolerance {
                free.append(c)
            }
            // Incumbent and LP agree everywhere: the incumbent is an LP optimum, nothing to gain here.
            guard free.contains(where: { program.isInteger[$0] }) else { break }
            let (kept, proven) = attempt(free: free, share: left())
            if !kept || !proven { break }
        }
        guard freeColumns > 0 else { return nil }
        return Outcome(point: best, objective: bestObjective, freeColumns: freeColumns)
    }

    /// The program over `free` columns only, the others fixed at `point`: their share of every row
    /// moves into the row's bounds, and rows without a free column are dropped (the point, which
    /// is feasible, satisfies them).
    static func restricted(_ program: LinearProgram, to free: [Int], fixedAt point: [Double]) -> LinearProgram {
        let matrix = program.matrix
        var isFree = [Bool](repeating: false, count: program.columnCount)
        for c in free { isFree[c] = true }
        var fixedActivity = [Double](repeating: 0, count: program.rowCount)
        var rowUsed = [Bool](repeating: false, count: program.rowCount)
        for c in 0..<program.columnCount {
            let range = matrix.columnStarts[c]..<matrix.columnStarts[c + 1]
            if isFree[c] {
                for k in range { rowUsed[Int(matrix.rowIndices[k])] = true }
            } else if point[c] != 0 {
                for k in range { fixedActivity[Int(matrix.rowIndices[k])] += matrix.values[k] * point[c] }
            }
        }
        var newRow = [Int32](repeating: -1, count: program.rowCount)
        var rowLower: [Double] = []
        var rowUpper: [Double] = []
        for r in 0..<program.rowCount where rowUsed[r] {
            newRow[r] = Int32(rowLower.count)
            rowLower.append(program.rowLower[r] - fixedActivity[r])
            rowUpper.append(program.rowUpper[r] - fixedActivity[r])
        }
        var starts = [0]
        var rows: [Int32] = []
        var values: [Double] = []
        for c in free {
            for k in matrix.columnStarts[c]..<matrix.columnStarts[c + 1] {
                rows.append(newRow[Int(matrix.rowIndices[k])])
                values.append(matrix.values[k])
            }
            starts.append(rows.count)
        }
        return LinearProgram(
            sense: program.sense, objective: free.map { program.objective[$0] },
            matrix: SparseMatrix(rowCount: rowLower.count, columnCount: free.count, columnStarts: starts, rowIndices: rows, values: values),
            rowLower: rowLower, rowUpper: rowUpper,
            columnLower: free.map { program.columnLower[$0] }, columnUpper: free.map { program.columnUpper[$0] },
            isInteger: free.map { program.isInteger[$0] })
    }
}
