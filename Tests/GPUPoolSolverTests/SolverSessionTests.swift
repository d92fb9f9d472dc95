import GPUPoolModel
import GPUPoolSupport
import GPUPoolTestSupport
import Testing

@testable import GPUPoolSolver

// `SolverSession` from its documentation: with GLPK it re-solves warm and must agree with a cold
// `Solver.solve` of the edited program; cold (`exact: false`) and heuristic sessions still return
// points that a check written here finds feasible.

private struct Random {
    var g: SeededGenerator
    init(seed: UInt64) { g = SeededGenerator(seed: seed) }
    mutating func int(_ r: ClosedRange<Int>) -> Int { g.nextInt(in: r) }
    mutating func chance(_ p: Double) -> Bool { g.nextDouble() < p }
    mutating func distinct(_ count: Int, of n: Int) -> [Int] {
        var xs = Array(0..<n)
        if n > 1 { for i in stride(from: n - 1, to: 0, by: -1) { xs.swapAt(i, g.nextInt(in: 0...i)) } }
        return Array(xs.prefix(count))
    }
}

private func csc(_ a: [[Double]], columns: Int) -> SparseMatrix {
    var starts = [0], rows: [Int32] = [], values: [Double] = []
    for j in 0..<columns {
        for i in a.indices where a[i][j] != 0 {
            rows.append(Int32(i))
            values.append(a[i][j])
        }
        starts.append(values.count)
    }
    return SparseMatrix(rowCount: a.count, columnCount: columns, columnStarts: starts, rowIndices: rows, values: values)
}

private func dense(_ p: LinearProgram) -> [[Double]] {
    var a = Array(repeating: Array(repeating: 0.0, count: p.columnCount), count: p.rowCount)
    for j in 0..<p.columnCount {
        for k in p.matrix.columnStarts[j]..<p.matrix.columnStarts[j + 1] { a[Int(p.matrix.rowIndices[k])][j] += p.matrix.values[k] }
    }
    return a
}

/// Every way `x` fails `p` (bounds, rows, integrality within 1e-6).
private func violations(_ p: LinearProgram, _ x: [Double]) -> [String] {
    guard x.count == p.columnCount else { return ["\(x.count) values for \(p.columnCount) columns"] }
    var out: [String] = []
    func tol(_ b: Double) -> Double { 1e-6 * max(1, abs(b)) }
    for j in 0..<p.columnCount {
        if x[j] < p.columnLower[j] - tol(p.columnLower[j]) || x[j] > p.columnUpper[j] + tol(p.columnUpper[j]) {
            out.append("x\(j) = \(x[j]) outside [\(p.columnLower[j]), \(p.columnUpper[j])]")
        }
        if p.isInteger[j] && abs(x[j] - x[j].rounded()) > 1e-6 { out.append("x\(j) = \(x[j]) not integral") }
    }
    for (i, row) in dense(p).enumerated() {
        let act = zip(row, x).reduce(0.0) { $0 + $1.0 * $1.1 }
        if act < p.rowLower[i] - tol(p.rowLower[i]) || act > p.rowUpper[i] + tol(p.rowUpper[i]) {
            out.append("row \(i): \(act) outside [\(p.rowLower[i]), \(p.rowUpper[i])]")
        }
    }
    return out
}

private func value(_ p: LinearProgram, _ x: [Double]) -> Double { zip(p.objective, x).reduce(p.objectiveConstant) { $0 + $1.0 * $1.1 } }

private func close(_ a: Double?, _ b: Double?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return abs(a - b) <= 1e-6 * max(1, abs(a), abs(b))
}

/// A feasible, bounded program: box bounds on every column, rows that hold at `x0`.
private func feasibleProgram(_ r: inout Random, integer: Bool) -> (LinearProgram, x0: [Double]) {
    let m = r.int(3...7), n = r.int(4...10)
    let lower = (0..<n).map { _ in Double(r.int(-3...1)) }
    let upper = lower.map { $0 + Double(r.int(1...6)) }
    let x0 = (0..<n).map { lower[$0] + Double(r.int(0...Int(upper[$0] - lower[$0]))) }
    var a = Array(repeating: Array(repeating: 0.0, count: n), count: m)
    for i in 0..<m { for j in 0..<n where r.chance(0.5) { a[i][j] = Double(r.int(1...6)) * (r.chance(0.5) ? 1 : -1) } }
    var rowLower: [Double] = [], rowUpper: [Double] = []
    for i in 0..<m {
        let act = zip(a[i], x0).reduce(0.0) { $0 + $1.0 * $1.1 }
        switch r.int(0...2) {
        case 0: rowLower.append(-.infinity); rowUpper.append(act + Double(r.int(0...4)))
        case 1: rowLower.append(act - Double(r.int(0...4))); rowUpper.append(.infinity)
        default: rowLower.append(act - Double(r.int(0...3))); rowUpper.append(act + Double(r.int(0...3)))
        }
    }
    let p = LinearProgram(
        sense: r.chance(0.5) ? .minimize : .maximize, objective: (0..<n).map { _ in Double(r.int(-5...5)) },
        objectiveConstant: Double(r.int(-4...4)), matrix: csc(a, columns: n), rowLower: rowLower, rowUpper: rowUpper,
        columnLower: lower, columnUpper: upper, isInteger: (0..<n).map { _ in integer && r.chance(0.7) })
    return (p, x0)
}

/// A batch of edits that keeps `x0` feasible: bounds around it, new costs, coefficient changes
/// (with the row's bounds widened to hold), and an added column and row through `x0`.
private func edits(_ p: LinearProgram, x0: inout [Double], _ r: inout Random, serial: Int) throws -> [ProgramEdit] {
    var batch: [ProgramEdit] = []
    let n = p.columnCount, m = p.rowCount
    for _ in 0..<r.int(1...4) {
        switch r.int(0...6) {
        case 0:
            let j = r.int(0...n - 1)
            batch.append(.columnBounds(column: j, lower: x0[j] - Double(r.int(0...3)), upper: x0[j] + Double(r.int(0...3))))
        case 1:
            batch.append(.objectiveCoefficient(column: r.int(0...n - 1), value: Double(r.int(-5...5))))
        case 2:
            batch.append(.coefficient(row: r.int(0...m - 1), column: r.int(0...n - 1), value: r.chance(0.3) ? 0 : Double(r.int(-6...6))))
        case 3:
            batch.append(.sense(r.chance(0.5) ? .minimize : .maximize))
        case 4:
            batch.append(.objectiveConstant(Double(r.int(-9...9))))
        case 5:
            let rows = r.distinct(r.int(0...m), of: m)
            batch.append(.addColumn(.init(objective: Double(r.int(-5...5)), lower: 0, upper: 2, isInteger: p.hasIntegerColumns,
                                          rows: rows, values: rows.map { _ in Double(r.int(1...4)) }, name: "new\(serial)")))
            x0.append(0)
            return try fixRows(p, batch: batch, x0: x0)
        default:
            let columns = r.distinct(r.int(1...n), of: n)
            let values = columns.map { _ in Double(r.int(-4...4) | 1) }
            let act = zip(columns, values).reduce(0.0) { $0 + x0[$1.0] * $1.1 }
            batch.append(.addRow(.init(lower: -.infinity, upper: act + Double(r.int(0...2)), columns: columns, values: values)))
            return try fixRows(p, batch: batch, x0: x0)
        }
    }
    return try fixRows(p, batch: batch, x0: x0)
}

/// `batch` followed by row-bound edits that put the activity at `x0` back within every row.
private func fixRows(_ p: LinearProgram, batch: [ProgramEdit], x0: [Double]) throws -> [ProgramEdit] {
    var batch = batch
    let edited = try p.applying(batch)
    for (i, row) in dense(edited).enumerated() {
        let act = zip(row, x0).reduce(0.0) { $0 + $1.0 * $1.1 }
        if act < edited.rowLower[i] || act > edited.rowUpper[i] {
            batch.append(.rowBounds(row: i, lower: min(act, edited.rowLower[i]), upper: max(act, edited.rowUpper[i])))
        }
    }
    return batch
}

/// A 0-1 knapsack-like program with several ≤ rows of non-negative weights (zero is feasible).
private func binaryProgram(_ r: inout Random) -> LinearProgram {
    let n = r.int(8...16), m = r.int(1...3)
    var a = Array(repeating: Array(repeating: 0.0, count: n), count: m)
    for i in 0..<m { for j in 0..<n { a[i][j] = Double(r.int(1...20)) } }
    return LinearProgram(
        sense: .maximize, objective: (0..<n).map { _ in Double(r.int(1...30)) }, matrix: csc(a, columns: n),
        rowLower: Array(repeating: -.infinity, count: m), rowUpper: a.map { ($0.reduce(0, +) / 2).rounded() },
        columnLower: Array(repeating: 0, count: n), columnUpper: Array(repeating: 1, count: n),
        isInteger: Array(repeating: true, count: n))
}

@Suite("SolverSession")
struct SolverSessionTests {
    @Test("warm exact sessions agree with Solver.solve on the edited program",
          .enabled(if: BuildTraits.glpk, BuildTraits.needsGLPK), arguments: [false, true])
    func exactAgreesWithSolver(integer: Bool) throws {
        var failures: [String] = []
        for seed in UInt64(1)...8 {
            var r = Random(seed: seed &+ (integer ? 1000 : 0))
            var (program, x0) = feasibleProgram(&r, integer: integer)
            let session = try SolverSession(program)
            #expect(session.isWarm)
            for round in 0...4 {
                var batch: [ProgramEdit] = []
                if round > 0 {
                    batch = try edits(program, x0: &x0, &r, serial: round)
                    try session.apply(batch)
                    program = try program.applying(batch)
                }
                if session.program != program { failures.append("seed \(seed) round \(round): program differs") }
                let warm = try session.solve()
                let cold = try Solver.solve(program)
                if warm.termination != .optimal || cold.termination != .optimal {
                    failures.append("seed \(seed) round \(round): \(warm.termination) warm, \(cold.termination) cold (feasible by construction)")
                }
                if !close(warm.objective, cold.objective) {
                    failures.append("seed \(seed) round \(round) \(batch): objective \(warm.objective ?? .nan) warm, \(cold.objective ?? .nan) cold")
                }
                let bad = violations(program, warm.values)
                if !bad.isEmpty { failures.append("seed \(seed) round \(round): warm point \(bad.prefix(3))") }
                if warm.hasSolution && !close(warm.objective, value(program, warm.values)) {
                    failures.append("seed \(seed) round \(round): objective \(warm.objective ?? .nan) ≠ cᵀx + k = \(value(program, warm.values))")
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) failures:\n\(failures.prefix(8).joined(separator: "\n"))")
    }

    @Test("cold sessions (exact: false) solve like Solver.solve", .enabled(if: BuildTraits.glpk, BuildTraits.needsGLPK))
    func coldAgreesWithSolver() throws {
        for seed in UInt64(20)...25 {
            var r = Random(seed: seed)
            var (program, x0) = feasibleProgram(&r, integer: seed % 2 == 0)
            let session = try SolverSession(program, exact: false)
            #expect(!session.isWarm)
            for round in 0...3 {
                if round > 0 {
                    let batch = try edits(program, x0: &x0, &r, serial: round)
                    try session.apply(batch)
                    program = try program.applying(batch)
                }
                let s = try session.solve()
                let cold = try Solver.solve(program)
                #expect(s.termination == cold.termination, "seed \(seed) round \(round)")
                #expect(s.termination == .optimal, "seed \(seed) round \(round): \(s.termination) \(s.message ?? "")")
                #expect(close(s.objective, cold.objective), "seed \(seed) round \(round): \(s.objective ?? .nan) vs \(cold.objective ?? .nan)")
                #expect(violations(program, s.values).isEmpty, "seed \(seed) round \(round): \(violations(program, s.values))")
            }
        }
    }

    @Test("heuristic and cold sessions return verified feasible points through column edits", arguments: [false, true])
    func heuristicPointsAreFeasible(exact: Bool) throws {
        for seed in UInt64(40)...45 {
            var r = Random(seed: seed)
            var program = binaryProgram(&r)
            let session = try SolverSession(program, exact: exact)
            #expect(session.isWarm == (exact && BuildTraits.glpk))
            let options = SolveOptions(method: .heuristic, iterationLimit: 5_000, seed: seed)
            for round in 0...4 {
                if round > 0 {
                    // Columns come and go, so the last point must be carried to the new shape.
                    let n = program.columnCount, m = program.rowCount
                    var batch: [ProgramEdit] = [.objectiveCoefficient(column: r.int(0...n - 1), value: Double(r.int(1...30)))]
                    if round % 2 == 1 {
                        batch.append(.deleteColumns(r.distinct(2, of: n)))
                    } else {
                        batch.append(.addColumn(.init(objective: Double(r.int(1...30)), lower: 0, upper: 1, isInteger: true,
                                                      rows: Array(0..<m), values: (0..<m).map { _ in Double(r.int(1...20)) })))
                    }
                    batch.append(.rowBounds(row: 0, lower: -.infinity, upper: Double(r.int(5...40))))
                    try session.apply(batch)
                    program = try program.applying(batch)
                }
                let s = try session.solve(options: options)
                #expect(s.termination != .optimal, "seed \(seed) round \(round): the heuristic claimed optimality")
                #expect(s.hasSolution, "seed \(seed) round \(round): no point on a program where 0 is feasible (\(s.termination) \(s.message ?? ""))")
                #expect(violations(program, s.values).isEmpty, "seed \(seed) round \(round): \(violations(program, s.values))")
                if s.hasSolution { #expect(close(s.objective, value(program, s.values))) }
            }
        }
    }

    @Test("invalid edits throw invalidModel and change nothing")
    func invalidEdits() throws {
        var r = Random(seed: 77)
        let (program, _) = feasibleProgram(&r, integer: false)
        for exact in [true, false] {
            let session = try SolverSession(program, exact: exact)
            let n = program.columnCount
            let good: [ProgramEdit] = [.objectiveCoefficient(column: 0, value: 3), .addRow(.init(lower: 0, upper: 5, columns: [1], values: [1]))]
            for bad in [ProgramEdit.columnBounds(column: n + 1, lower: 0, upper: 1), .deleteColumns([0, 0]), .rowBounds(row: 0, lower: .nan, upper: 1)] {
                do {
                    try session.apply(good + [bad])
                    Issue.record("\(bad) accepted")
                } catch let error {
                    if case let .invalidModel(detail) = error {
                        #expect(detail.description.contains("edit 3"), "\(detail.description)")
                        #expect(!detail.description.contains("edit 1") && !detail.description.contains("edit 2"), "\(detail.description)")  // counted from 1
                    } else {
                        Issue.record("\(bad): \(error), not invalidModel")
                    }
                }
                #expect(session.program == program)
            }
            if BuildTraits.glpk {
                let s = try session.solve()
                let cold = try Solver.solve(program)
                #expect(s.termination == cold.termination && close(s.objective, cold.objective))
            }
        }
        var invalid = program
        invalid.columnLower[0] = .nan
        #expect(throws: SolverError.self) { _ = try SolverSession(invalid) }
    }
}
