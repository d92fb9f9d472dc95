import GPUPoolModel
import Testing

@testable import GPUPoolGLPK

#if GLPK
/// `Solution.dual(of:)` and `reducedCost(of:)` mean what their documentation says: the objective's
/// rate of change per unit of a row's or a column's active bound. The oracle re-solves the LP with
/// that bound moved by ±ε and takes the difference quotient; rows and columns where the two sides
/// disagree (degenerate: the rate changes at this very point) are skipped, and a test with too few
/// checked items fails rather than passing empty.
@Suite("LP duals against finite differences")
struct DualTests {
    /// max/min c·x s.t. A x ≤ b (or ≥ for some rows), 0 ≤ x ≤ u, with a model-level `ConstraintRef`
    /// and `Variable` for each row and column.
    static func randomLP(seed: UInt64, maximize: Bool) throws -> (program: LinearProgram, rows: [ConstraintRef], columns: [Variable]) {
        var random = TestRandom(seed: seed)
        var model = Model(name: "random-lp")
        let n = 8, m = 6
        let columns = (0..<n).map { model.addVariable(lower: 0, upper: Double(random.int(3...9)), name: "x\($0)") }
        var rows: [ConstraintRef] = []
        for i in 0..<m {
            let expression = LinearExpression(terms: columns.map { ($0, Double(random.int(0...6))) })
            if i % 3 == 2 && !maximize {
                rows.append(model.addConstraint(expression >= Double(random.int(5...20)), name: "r\(i)"))
            } else {
                rows.append(model.addConstraint(expression <= Double(random.int(10...40)), name: "r\(i)"))
            }
        }
        // Minimising negative costs, so that the optimum is not simply x = 0.
        let objective = LinearExpression(terms: columns.map { ($0, Double(random.int(1...9)) * (maximize ? 1 : -1)) })
        if maximize { model.maximize(objective) } else { model.minimize(objective) }
        return (try model.lowered(), rows, columns)
    }

    static func solve(_ program: LinearProgram) throws -> Solution {
        try GLPKSolver().solve(program, options: SolveOptions(method: .simplex, presolve: false))
    }

    /// The objective's rate of change when `move` shifts one bound by ±10⁻³ and the LP is solved
    /// again; `nil` when the two sides disagree (a degenerate point) or a side does not solve.
    static func rate(_ program: LinearProgram, _ objective: Double, move: (inout LinearProgram, Double) -> Void) throws -> Double? {
        var rates: [Double] = []
        for step in [1e-3, -1e-3] {
            var moved = program
            move(&moved, step)
            let again = try solve(moved)
            guard again.termination == .optimal, let value = again.objective else { return nil }
            rates.append((value - objective) / step)
        }
        return abs(rates[0] - rates[1]) < 1e-6 ? rates[0] : nil
    }

    @Test(arguments: [(1 as UInt64, true), (2, true), (3, false), (4, false), (5, true), (6, false)])
    func dualsAndReducedCostsAreRatesOfChange(seed: UInt64, maximize: Bool) throws {
        let (program, rows, columns) = try Self.randomLP(seed: seed, maximize: maximize)
        let base = try Self.solve(program)
        try #require(base.termination == .optimal, "\(base.termination)")
        #expect(base.dualStatus == .feasiblePoint)
        let objective = try #require(base.objective)
        var checked = 0
        // Rows: move the active side (the one the activity sits on; a slack row's dual must be 0).
        for row in rows {
            let i = row.index
            let dual = try #require(base.dual(of: row))
            let activity = base.rowActivities[i]
            let atUpper = abs(activity - program.rowUpper[i]) < 1e-7
            let atLower = abs(activity - program.rowLower[i]) < 1e-7
            guard atUpper || atLower else {
                #expect(abs(dual) < 1e-9, "seed \(seed): slack row \(i) has dual \(dual)")
                checked += 1
                continue
            }
            let move: (inout LinearProgram, Double) -> Void = { moved, step in
                if atUpper { moved.rowUpper[i] += step } else { moved.rowLower[i] += step }
            }
            guard let rate = try Self.rate(program, objective, move: move) else { continue }  // degenerate here
            #expect(abs(dual - rate) < 1e-6, "seed \(seed) max \(maximize): row \(i) dual \(dual), difference quotient \(rate)")
            checked += 1
        }
        // Columns at a bound: move that bound.
        for column in columns {
            let j = column.index
            let reduced = try #require(base.reducedCost(of: column))
            let value = base.values[j]
            let atUpper = abs(value - program.columnUpper[j]) < 1e-7, atLower = abs(value - program.columnLower[j]) < 1e-7
            guard atUpper || atLower else {
                #expect(abs(reduced) < 1e-9, "seed \(seed): basic column \(j) has reduced cost \(reduced)")
                checked += 1
                continue
            }
            let move: (inout LinearProgram, Double) -> Void = { moved, step in
                if atUpper { moved.columnUpper[j] += step } else { moved.columnLower[j] += step }
            }
            guard let rate = try Self.rate(program, objective, move: move) else { continue }
            #expect(abs(reduced - rate) < 1e-6, "seed \(seed) max \(maximize): column \(j) reduced cost \(reduced), difference quotient \(rate)")
            checked += 1
        }
        #expect(checked >= 5, "seed \(seed): only \(checked) of \(rows.count + columns.count) rows and columns were non-degenerate")
    }

    @Test func aMIPHasNoDuals() throws {
        let program = try TestModels.knapsack(values: [5, 4, 3], weights: [2, 3, 1], capacity: 4)
        let solution = try GLPKSolver().solve(program, options: SolveOptions(method: .mip))
        #expect(solution.dualStatus == .noSolution)
        #expect(solution.duals == nil && solution.reducedCosts == nil)
    }
}
#endif
