import GPUPoolModel
import GPUPoolSupport
import GPUPoolTestSupport
import Testing

// An oracle for `ProgramEdit` / `LinearProgram.apply(_:)`, written from the documentation only:
// the program is kept as a dense matrix (rows × columns) beside its bound, cost and name arrays,
// and every edit is applied the way its doc comment says. Random valid programs and random valid
// edit sequences must give the same program through `applying(_:)` as through the oracle.

// MARK: - The dense oracle

/// A `LinearProgram` in dense form.
struct DenseProgram: Equatable, CustomStringConvertible {
    var name: String?
    var sense: ObjectiveSense
    var objective: [Double]
    var constant: Double
    var objectiveName: String?
    /// `a[i][j]`: row `i`, column `j`.
    var a: [[Double]]
    var rowLower: [Double]
    var rowUpper: [Double]
    var columnLower: [Double]
    var columnUpper: [Double]
    var isInteger: [Bool]
    var columnNames: [String?]
    var rowNames: [String?]

    var rowCount: Int { rowLower.count }
    var columnCount: Int { objective.count }

    /// The dense form of `program`, read from its CSC matrix without trusting its invariants
    /// (duplicates would be summed here; `cscProblems` reports them).
    init(_ program: LinearProgram) {
        name = program.name
        sense = program.sense
        objective = program.objective
        constant = program.objectiveConstant
        objectiveName = program.objectiveName
        rowLower = program.rowLower
        rowUpper = program.rowUpper
        columnLower = program.columnLower
        columnUpper = program.columnUpper
        isInteger = program.isInteger
        columnNames = program.columnNames
        rowNames = program.rowNames
        let m = program.matrix
        a = Array(repeating: Array(repeating: 0, count: program.columnCount), count: program.rowCount)
        for j in 0..<min(m.columnCount, program.columnCount) where j + 1 < m.columnStarts.count {
            for k in m.columnStarts[j]..<m.columnStarts[j + 1] {
                let i = Int(m.rowIndices[k])
                if i >= 0 && i < program.rowCount { a[i][j] += m.values[k] }
            }
        }
    }

    init(name: String?, sense: ObjectiveSense, objective: [Double], constant: Double, objectiveName: String?, a: [[Double]],
         rowLower: [Double], rowUpper: [Double], columnLower: [Double], columnUpper: [Double], isInteger: [Bool],
         columnNames: [String?], rowNames: [String?]) {
        self.name = name
        self.sense = sense
        self.objective = objective
        self.constant = constant
        self.objectiveName = objectiveName
        self.a = a
        self.rowLower = rowLower
        self.rowUpper = rowUpper
        self.columnLower = columnLower
        self.columnUpper = columnUpper
        self.isInteger = isInteger
        self.columnNames = columnNames
        self.rowNames = rowNames
    }

    /// The CSC program with the dense entries (rows increasing, zeros left out).
    func program() -> LinearProgram {
        var starts = [0], rows: [Int32] = [], values: [Double] = []
        for j in 0..<columnCount {
            for i in 0..<rowCount where a[i][j] != 0 {
                rows.append(Int32(i))
                values.append(a[i][j])
            }
            starts.append(rows.count)
        }
        return LinearProgram(
            name: name, sense: sense, objective: objective, objectiveConstant: constant, objectiveName: objectiveName,
            matrix: SparseMatrix(rowCount: rowCount, columnCount: columnCount, columnStarts: starts, rowIndices: rows, values: values),
            rowLower: rowLower, rowUpper: rowUpper, columnLower: columnLower, columnUpper: columnUpper, isInteger: isInteger,
            columnNames: columnNames, rowNames: rowNames)
    }

    /// Applies one edit as the documentation describes it. The caller makes sure it is valid.
    mutating func apply(_ edit: ProgramEdit) {
        switch edit {
        case let .columnBounds(j, lower, upper):
            columnLower[j] = lower
            columnUpper[j] = upper
        case let .rowBounds(i, lower, upper):
            rowLower[i] = lower
            rowUpper[i] = upper
        case let .objectiveCoefficient(j, value):
            objective[j] = value
        case let .objectiveConstant(value):
            constant = value
        case let .sense(s):
            sense = s
        case let .integrality(j, integer):
            isInteger[j] = integer
        case let .coefficient(i, j, value):
            a[i][j] = value
        case let .addRow(row):
            var dense = Array(repeating: 0.0, count: columnCount)
            for (j, v) in zip(row.columns, row.values) { dense[j] = v }
            a.append(dense)
            rowLower.append(row.lower)
            rowUpper.append(row.upper)
            rowNames.append(row.name)
        case let .addColumn(column):
            for i in 0..<rowCount { a[i].append(0) }
            for (i, v) in zip(column.rows, column.values) { a[i][columnCount] = v }
            objective.append(column.objective)
            columnLower.append(column.lower)
            columnUpper.append(column.upper)
            isInteger.append(column.isInteger)
            columnNames.append(column.name)
        case let .deleteRows(indices):
            let gone = Set(indices)
            let keep = (0..<rowCount).filter { !gone.contains($0) }
            a = keep.map { a[$0] }
            rowLower = keep.map { rowLower[$0] }
            rowUpper = keep.map { rowUpper[$0] }
            rowNames = keep.map { rowNames[$0] }
        case let .deleteColumns(indices):
            let gone = Set(indices)
            let keep = (0..<columnCount).filter { !gone.contains($0) }
            a = a.map { row in keep.map { row[$0] } }
            objective = keep.map { objective[$0] }
            columnLower = keep.map { columnLower[$0] }
            columnUpper = keep.map { columnUpper[$0] }
            isInteger = keep.map { isInteger[$0] }
            columnNames = keep.map { columnNames[$0] }
        }
    }

    /// Where two dense programs differ, in words (empty when equal).
    func differences(from other: DenseProgram) -> [String] {
        var out: [String] = []
        func check<T: Equatable>(_ label: String, _ x: T, _ y: T) { if x != y { out.append("\(label): \(x) vs \(y)") } }
        check("name", name, other.name)
        check("sense", sense, other.sense)
        check("objective", objective, other.objective)
        check("constant", constant, other.constant)
        check("objectiveName", objectiveName, other.objectiveName)
        check("rowLower", rowLower, other.rowLower)
        check("rowUpper", rowUpper, other.rowUpper)
        check("columnLower", columnLower, other.columnLower)
        check("columnUpper", columnUpper, other.columnUpper)
        check("isInteger", isInteger, other.isInteger)
        check("columnNames", columnNames, other.columnNames)
        check("rowNames", rowNames, other.rowNames)
        check("matrix", a, other.a)
        return out
    }

    var description: String {
        "\(rowCount)×\(columnCount) \(sense) c=\(objective) k=\(constant) A=\(a) rows=[\(rowLower), \(rowUpper)] "
            + "cols=[\(columnLower), \(columnUpper)] int=\(isInteger) names=\(columnNames)/\(rowNames)"
    }
}

/// Everything wrong with the CSC structure of `program`'s matrix (empty when it is well formed):
/// sizes, monotone starts, row indices in range and strictly increasing in each column, no
/// stored zero.
func cscProblems(_ program: LinearProgram) -> [String] {
    let m = program.matrix
    var out: [String] = []
    if m.rowCount != program.rowCount { out.append("matrix.rowCount \(m.rowCount) ≠ \(program.rowCount) rows") }
    if m.columnCount != program.columnCount { out.append("matrix.columnCount \(m.columnCount) ≠ \(program.columnCount) columns") }
    if m.columnStarts.count != program.columnCount + 1 { out.append("\(m.columnStarts.count) column starts for \(program.columnCount) columns") }
    if m.rowIndices.count != m.values.count { out.append("\(m.rowIndices.count) row indices, \(m.values.count) values") }
    guard m.columnStarts.count == program.columnCount + 1, m.rowIndices.count == m.values.count else { return out }
    if m.columnStarts.first != 0 { out.append("first start \(m.columnStarts[0])") }
    if m.columnStarts.last != m.values.count { out.append("last start \(m.columnStarts.last!) for \(m.values.count) entries") }
    for j in 0..<program.columnCount {
        let (s, e) = (m.columnStarts[j], m.columnStarts[j + 1])
        if s > e || s < 0 || e > m.values.count {
            out.append("column \(j): starts \(s)..<\(e)")
            continue
        }
        var previous = -1
        for k in s..<e {
            let i = Int(m.rowIndices[k])
            if i < 0 || i >= program.rowCount { out.append("column \(j): row index \(i) out of range") }
            if i <= previous { out.append("column \(j): row \(i) after row \(previous)") }
            if m.values[k] == 0 { out.append("column \(j): stored zero in row \(i)") }
            if !m.values[k].isFinite { out.append("column \(j): value \(m.values[k]) in row \(i)") }
            previous = i
        }
    }
    return out
}

// MARK: - Random programs and edits

struct OracleRandom {
    var g: SeededGenerator
    init(seed: UInt64) { g = SeededGenerator(seed: seed) }
    mutating func int(_ r: ClosedRange<Int>) -> Int { g.nextInt(in: r) }
    mutating func chance(_ p: Double) -> Bool { g.nextDouble() < p }
    mutating func pick<T>(_ xs: [T]) -> T { xs[g.nextInt(below: xs.count)] }
    mutating func shuffled<T>(_ xs: [T]) -> [T] {
        var xs = xs
        if xs.count > 1 { for i in stride(from: xs.count - 1, to: 0, by: -1) { xs.swapAt(i, g.nextInt(in: 0...i)) } }
        return xs
    }
    /// `count` distinct values of `0..<n`, in random order.
    mutating func distinct(_ count: Int, of n: Int) -> [Int] { Array(shuffled(Array(0..<n)).prefix(count)) }
    /// A nonzero coefficient: small integers or quarters.
    mutating func coefficient() -> Double {
        let v = Double(int(1...20)) / (chance(0.5) ? 1 : 4)
        return chance(0.5) ? v : -v
    }
    /// Column bounds; integral (or infinite) for an integer column.
    mutating func columnBounds(integer: Bool) -> (Double, Double) {
        let step = integer ? 1.0 : 0.5
        let lower: Double = chance(0.2) ? -.infinity : Double(int(-6...4)) * step
        let base = lower.isFinite ? lower : Double(int(-6...4)) * step
        let upper: Double = chance(0.2) ? .infinity : base + Double(int(0...8)) * step
        return (lower, upper)
    }
    /// Row bounds, any of free, ≤, ≥, range and equality.
    mutating func rowBounds() -> (Double, Double) {
        let v = Double(int(-20...20)) / 2
        switch int(0...4) {
        case 0: return (-.infinity, v)
        case 1: return (v, .infinity)
        case 2: return (v, v + Double(int(1...10)))
        case 3: return (v, v)
        default: return (-.infinity, .infinity)
        }
    }
}

func isIntegral(_ x: Double) -> Bool { !x.isFinite || x == x.rounded() }

enum OracleGen {
    /// A random valid program: 2–8 rows and columns, some integer columns with integral bounds,
    /// some infinite bounds, some names.
    static func program(_ r: inout OracleRandom) -> DenseProgram {
        let rows = r.int(2...8), columns = r.int(2...8)
        var a = Array(repeating: Array(repeating: 0.0, count: columns), count: rows)
        for i in 0..<rows { for j in 0..<columns where r.chance(0.45) { a[i][j] = r.coefficient() } }
        var isInteger: [Bool] = [], lower: [Double] = [], upper: [Double] = []
        for _ in 0..<columns {
            let integer = r.chance(0.35)
            let (l, u) = r.columnBounds(integer: integer)
            isInteger.append(integer)
            lower.append(l)
            upper.append(u)
        }
        var rowLower: [Double] = [], rowUpper: [Double] = []
        for _ in 0..<rows {
            let (l, u) = r.rowBounds()
            rowLower.append(l)
            rowUpper.append(u)
        }
        let named = r.chance(0.6)
        return DenseProgram(
            name: r.chance(0.5) ? "p" : nil, sense: r.chance(0.5) ? .minimize : .maximize,
            objective: (0..<columns).map { _ in r.chance(0.2) ? 0 : r.coefficient() },
            constant: r.chance(0.5) ? 0 : Double(r.int(-9...9)), objectiveName: r.chance(0.5) ? "obj" : nil, a: a,
            rowLower: rowLower, rowUpper: rowUpper, columnLower: lower, columnUpper: upper, isInteger: isInteger,
            columnNames: (0..<columns).map { named && r.chance(0.8) ? "c\($0)" : nil },
            rowNames: (0..<rows).map { named && r.chance(0.8) ? "r\($0)" : nil })
    }

    /// Every case of `ProgramEdit`, by number.
    static let caseCount = 11

    /// A random edit of case `kind` that is valid for `state`, or `nil` when that case cannot be
    /// made valid (an index edit of an empty dimension). `serial` makes new names unique.
    static func edit(_ kind: Int, for state: DenseProgram, _ r: inout OracleRandom, serial: inout Int) -> ProgramEdit? {
        let m = state.rowCount, n = state.columnCount
        switch kind {
        case 0:
            guard n > 0 else { return nil }
            let j = r.int(0...n - 1)
            let (l, u) = r.columnBounds(integer: state.isInteger[j])
            return .columnBounds(column: j, lower: l, upper: u)
        case 1:
            guard m > 0 else { return nil }
            let (l, u) = r.rowBounds()
            return .rowBounds(row: r.int(0...m - 1), lower: l, upper: u)
        case 2:
            guard n > 0 else { return nil }
            return .objectiveCoefficient(column: r.int(0...n - 1), value: r.chance(0.25) ? 0 : r.coefficient())
        case 3:
            return .objectiveConstant(r.chance(0.3) ? 0 : r.coefficient())
        case 4:
            return .sense(r.chance(0.5) ? .minimize : .maximize)
        case 5:
            guard n > 0 else { return nil }
            let j = r.int(0...n - 1)
            let integralBounds = isIntegral(state.columnLower[j]) && isIntegral(state.columnUpper[j])
            return .integrality(column: j, isInteger: integralBounds && r.chance(0.7))
        case 6:
            guard m > 0, n > 0 else { return nil }
            let i = r.int(0...m - 1), j = r.int(0...n - 1)
            // Mostly existing entries (changed or removed), sometimes new ones, sometimes 0 on 0.
            return .coefficient(row: i, column: j, value: r.chance(0.35) ? 0 : r.coefficient())
        case 7:
            let columns = r.distinct(r.int(0...n), of: n)
            let values = columns.map { _ in r.chance(0.1) ? 0 : r.coefficient() }
            let (l, u) = r.rowBounds()
            serial += 1
            return .addRow(.init(lower: l, upper: u, columns: columns, values: values, name: r.chance(0.5) ? "new_row_\(serial)" : nil))
        case 8:
            let rows = r.distinct(r.int(0...m), of: m)
            let values = rows.map { _ in r.chance(0.1) ? 0 : r.coefficient() }
            let integer = r.chance(0.4)
            let (l, u) = r.columnBounds(integer: integer)
            serial += 1
            return .addColumn(.init(objective: r.chance(0.2) ? 0 : r.coefficient(), lower: l, upper: u, isInteger: integer,
                                    rows: rows, values: values, name: r.chance(0.5) ? "new_col_\(serial)" : nil))
        case 9:
            return .deleteRows(r.distinct(r.int(0...min(3, m)), of: m))
        default:
            return .deleteColumns(r.distinct(r.int(0...min(3, n)), of: n))
        }
    }

    /// A random valid sequence of `count` edits starting from `state`, with the oracle's result.
    static func edits(_ count: Int, from state: DenseProgram, _ r: inout OracleRandom, serial: inout Int,
                      kinds: [Int] = Array(0..<caseCount)) -> ([ProgramEdit], DenseProgram) {
        var state = state, edits: [ProgramEdit] = []
        while edits.count < count {
            guard let e = edit(r.pick(kinds), for: state, &r, serial: &serial) else { continue }
            edits.append(e)
            state.apply(e)
        }
        return (edits, state)
    }
}

extension ProgramEdit {
    /// The case number `OracleGen.edit` uses.
    var caseNumber: Int {
        switch self {
        case .columnBounds: 0
        case .rowBounds: 1
        case .objectiveCoefficient: 2
        case .objectiveConstant: 3
        case .sense: 4
        case .integrality: 5
        case .coefficient: 6
        case .addRow: 7
        case .addColumn: 8
        case .deleteRows: 9
        case .deleteColumns: 10
        }
    }
}


// MARK: - Tests

@Suite("ProgramEdit against a dense oracle")
struct ProgramEditOracleTests {
    static let seeds = Array(UInt64(1)...300)

    @Test("random valid edit sequences give the oracle's program")
    func randomSequencesMatchTheOracle() throws {
        var casesSeen = Set<Int>()
        var failures = 0
        for seed in Self.seeds {
            var r = OracleRandom(seed: seed)
            let start = OracleGen.program(&r)
            let program = start.program()
            try #require(cscProblems(program).isEmpty)
            #expect(throws: Never.self, "seed \(seed): generated program invalid") { try program.validate() }
            var serial = 0
            let (edits, expected) = OracleGen.edits(r.int(1...12), from: start, &r, serial: &serial)
            for e in edits { casesSeen.insert(e.caseNumber) }
            let result: LinearProgram
            do {
                result = try program.applying(edits)
            } catch {
                Issue.record("seed \(seed): valid edits rejected: \(error)\nprogram \(start)\nedits \(edits)")
                failures += 1
                continue
            }
            let got = DenseProgram(result)
            let differences = got.differences(from: expected)
            #expect(differences.isEmpty, "seed \(seed): \(differences.joined(separator: "; "))\nprogram \(start)\nedits \(edits)")
            let csc = cscProblems(result)
            #expect(csc.isEmpty, "seed \(seed): CSC \(csc.joined(separator: "; "))\nedits \(edits)")
            #expect(throws: Never.self, "seed \(seed): the edited program fails validate()") { try result.validate() }
            // `apply` in place does the same, and so do the edits one at a time.
            var inPlace = program
            try inPlace.apply(edits)
            #expect(inPlace == result, "seed \(seed): apply ≠ applying")
            var stepwise = program
            for e in edits { try stepwise.apply([e]) }
            #expect(DenseProgram(stepwise) == got, "seed \(seed): one edit at a time ≠ the batch")
            // The original is untouched.
            #expect(program == start.program())
            if !differences.isEmpty || !csc.isEmpty { failures += 1 }
            if failures > 5 { break }
        }
        #expect(casesSeen == Set(0..<OracleGen.caseCount), "cases not covered: \(Set(0..<OracleGen.caseCount).subtracting(casesSeen))")
    }

    @Test("long sequences of matrix edits only")
    func structuralSequences() throws {
        for seed in UInt64(1000)...1100 {
            var r = OracleRandom(seed: seed)
            let start = OracleGen.program(&r)
            var serial = 0
            let (edits, expected) = OracleGen.edits(r.int(8...30), from: start, &r, serial: &serial, kinds: [6, 6, 6, 7, 8, 9, 10])
            let result = try start.program().applying(edits)
            let differences = DenseProgram(result).differences(from: expected)
            #expect(differences.isEmpty, "seed \(seed): \(differences.joined(separator: "; "))\nedits \(edits)")
            #expect(cscProblems(result).isEmpty, "seed \(seed): \(cscProblems(result))")
        }
    }

    @Test("an empty batch changes nothing")
    func emptyBatch() throws {
        var r = OracleRandom(seed: 7)
        let program = OracleGen.program(&r).program()
        #expect(try program.applying([]) == program)
    }

    @Test("matrix edits in detail: zero removes, rows stay sorted, deletions shift")
    func handPicked() throws {
        // 3×3:  [1 0 2; 0 3 0; 4 0 5]
        let dense = DenseProgram(
            name: nil, sense: .minimize, objective: [1, 2, 3], constant: 0, objectiveName: nil,
            a: [[1, 0, 2], [0, 3, 0], [4, 0, 5]], rowLower: [0, 1, 2], rowUpper: [10, 11, 12],
            columnLower: [0, 0, 0], columnUpper: [1, 2, 3], isInteger: [false, true, false],
            columnNames: ["x", "y", "z"], rowNames: ["a", "b", "c"])
        let program = dense.program()
        // Removing an entry drops it from storage; setting a missing one inserts it in row order.
        let edited = try program.applying([.coefficient(row: 0, column: 0, value: 0), .coefficient(row: 1, column: 0, value: 7)])
        #expect(edited.matrix.nonzeroCount == program.matrix.nonzeroCount)
        #expect(Array(edited.matrix.column(0).rows) == [1, 2])
        #expect(Array(edited.matrix.column(0).values) == [7, 4])
        // Deleting rows in any order: the rest move up.
        let deleted = try program.applying([.deleteRows([2, 0])])
        #expect(deleted.rowCount == 1 && deleted.rowNames == ["b"] && deleted.rowLower == [1] && deleted.rowUpper == [11])
        #expect(DenseProgram(deleted).a == [[0, 3, 0]])
        // An index after a deletion refers to the program as it is then.
        let shifted = try program.applying([.deleteColumns([0]), .columnBounds(column: 0, lower: -1, upper: 1)])
        #expect(shifted.columnNames == ["y", "z"] && shifted.columnLower == [-1, 0] && shifted.columnUpper == [1, 3])
        #expect(shifted.isInteger == [true, false])
        // Appended rows and columns come last, their entries given in any order.
        let grown = try program.applying([
            .addColumn(.init(objective: 9, lower: 0, upper: 4, rows: [2, 0], values: [6, -1], name: "w")),
            .addRow(.init(lower: -1, upper: 1, columns: [3, 1], values: [2, 8], name: "d")),
        ])
        #expect(DenseProgram(grown).a == [[1, 0, 2, -1], [0, 3, 0, 0], [4, 0, 5, 6], [0, 8, 0, 2]])
        #expect(grown.columnNames == ["x", "y", "z", "w"] && grown.rowNames == ["a", "b", "c", "d"])
        #expect(cscProblems(grown).isEmpty)
    }

    @Test("isStructural is true exactly for the matrix edits")
    func structuralFlag() {
        let edits: [(ProgramEdit, Bool)] = [
            (.columnBounds(column: 0, lower: 0, upper: 1), false), (.rowBounds(row: 0, lower: 0, upper: 1), false),
            (.objectiveCoefficient(column: 0, value: 1), false), (.objectiveConstant(1), false), (.sense(.maximize), false),
            (.integrality(column: 0, isInteger: true), false), (.coefficient(row: 0, column: 0, value: 1), true),
            (.addRow(.init(lower: 0, upper: 1, columns: [], values: [])), true), (.addColumn(.init()), true),
            (.deleteRows([0]), true), (.deleteColumns([0]), true),
        ]
        for (edit, structural) in edits { #expect(edit.isStructural == structural, "\(edit)") }
    }

    // MARK: Invalid edits

    /// A bad edit (after `setup`, valid edits that prepare it) for `state`, with a label.
    static func invalidEdit(for state: DenseProgram, _ r: inout OracleRandom) -> (label: String, setup: [ProgramEdit], bad: ProgramEdit) {
        let m = state.rowCount, n = state.columnCount
        var options: [(String, [ProgramEdit], ProgramEdit)] = [
            ("columnBounds out of range", [], .columnBounds(column: n + r.int(0...2), lower: 0, upper: 1)),
            ("columnBounds negative index", [], .columnBounds(column: -1, lower: 0, upper: 1)),
            ("rowBounds out of range", [], .rowBounds(row: m + r.int(0...2), lower: 0, upper: 1)),
            ("objectiveCoefficient out of range", [], .objectiveCoefficient(column: n, value: 1)),
            ("integrality out of range", [], .integrality(column: n, isInteger: false)),
            ("coefficient row out of range", [], .coefficient(row: m, column: 0, value: 1)),
            ("coefficient column out of range", [], .coefficient(row: 0, column: n, value: 1)),
            ("objectiveConstant NaN", [], .objectiveConstant(.nan)),
            ("deleteRows out of range", [], .deleteRows([m])),
            ("deleteColumns out of range", [], .deleteColumns([n + 1])),
            ("deleteRows negative", [], .deleteRows([-1])),
            ("addRow column out of range", [], .addRow(.init(lower: 0, upper: 1, columns: [n], values: [1]))),
            ("addRow NaN bound", [], .addRow(.init(lower: .nan, upper: 1, columns: [], values: []))),
            ("addRow crossed bounds", [], .addRow(.init(lower: 2, upper: 1, columns: [], values: []))),
            ("addRow counts differ", [], .addRow(.init(lower: 0, upper: 1, columns: n > 1 ? [0, 1] : [], values: n > 1 ? [1] : [1]))),
            ("addColumn row out of range", [], .addColumn(.init(upper: 1, rows: [m], values: [1]))),
            ("addColumn NaN objective", [], .addColumn(.init(objective: .nan, upper: 1))),
            ("addColumn NaN upper", [], .addColumn(.init(upper: .nan))),
            ("addColumn crossed bounds", [], .addColumn(.init(lower: 3, upper: 2))),
            ("addColumn fractional integer bounds", [], .addColumn(.init(lower: 0, upper: 2.5, isInteger: true))),
            ("addColumn counts differ", [], .addColumn(.init(upper: 1, rows: m > 0 ? [0] : [], values: [1, 2]))),
        ]
        if n > 0 {
            let j = r.int(0...n - 1)
            options += [
                ("columnBounds NaN", [], .columnBounds(column: j, lower: .nan, upper: 1)),
                ("columnBounds crossed", [], .columnBounds(column: j, lower: 2, upper: 1)),
                ("objectiveCoefficient NaN", [], .objectiveCoefficient(column: j, value: .nan)),
                ("addRow NaN value", [], .addRow(.init(lower: 0, upper: 1, columns: [j], values: [.nan]))),
                ("columnBounds fractional on an integer column", [.columnBounds(column: j, lower: 0, upper: 1), .integrality(column: j, isInteger: true)],
                 .columnBounds(column: j, lower: 0, upper: 1.5)),
                ("integrality on fractional bounds", [.integrality(column: j, isInteger: false), .columnBounds(column: j, lower: 0.5, upper: 3)],
                 .integrality(column: j, isInteger: true)),
                ("deleteColumns duplicate", [], .deleteColumns([j, j])),
            ]
            if m > 0 {
                options += [
                    ("coefficient NaN", [], .coefficient(row: r.int(0...m - 1), column: j, value: .nan)),
                ]
            }
            if n > 1 {
                options.append(("addRow duplicate column", [], .addRow(.init(lower: 0, upper: 1, columns: [j, j], values: [1, 2]))))
            }
        }
        if m > 0 {
            let i = r.int(0...m - 1)
            options += [
                ("rowBounds NaN", [], .rowBounds(row: i, lower: 0, upper: .nan)),
                ("rowBounds crossed", [], .rowBounds(row: i, lower: 1, upper: 0)),
                ("deleteRows duplicate", [], .deleteRows([i, i])),
                ("addColumn duplicate row", [], .addColumn(.init(upper: 1, rows: [i, i], values: [1, 1]))),
            ]
        }
        let (label, setup, bad) = r.pick(options)
        return (label, setup, bad)
    }

    @Test("invalid edits: apply throws, names the edit's position, and changes nothing")
    func invalidEditsAreAllOrNone() throws {
        var labels = Set<String>()
        for seed in UInt64(1)...400 {
            var r = OracleRandom(seed: seed &* 7919)
            let start = OracleGen.program(&r)
            let program = start.program()
            var serial = 0
            let (prefix, state) = OracleGen.edits(r.int(0...4), from: start, &r, serial: &serial)
            let (label, setup, bad) = Self.invalidEdit(for: state, &r)
            labels.insert(label)
            var after = state
            for e in setup { after.apply(e) }
            let (suffix, _) = OracleGen.edits(r.int(0...3), from: after, &r, serial: &serial)
            let edits = prefix + setup + [bad] + suffix
            let position = prefix.count + setup.count
            var edited = program
            do {
                try edited.apply(edits)
                Issue.record("seed \(seed): \(label) accepted: \(bad) at \(position) in \(edits)")
            } catch {
                #expect(messageNamesEdit(error.description, position + 1), "seed \(seed): \(label): message does not name edit \(position + 1): \(error.description)")
            }
            #expect(edited == program, "seed \(seed): \(label): program changed by a failed batch")
            #expect(throws: ModelValidationError.self, "seed \(seed): \(label)") { _ = try program.applying(edits) }
        }
        #expect(labels.count >= 30, "only \(labels.count) kinds of invalid edits tried")
    }

    @Test("invalid: infinite coefficients (validate() wants finite ones)",
          arguments: [
              ProgramEdit.coefficient(row: 0, column: 0, value: .infinity),
              .objectiveCoefficient(column: 1, value: -.infinity),
              .objectiveConstant(.infinity),
              .addRow(.init(lower: 0, upper: 1, columns: [0], values: [.infinity])),
              .addColumn(.init(objective: .infinity, upper: 1)),
              .addColumn(.init(upper: 1, rows: [0], values: [-.infinity])),
          ])
    func infiniteCoefficients(edit: ProgramEdit) throws {
        var r = OracleRandom(seed: 42)
        let program = OracleGen.program(&r).program()
        var edited = program
        #expect(throws: ModelValidationError.self) { try edited.apply([.sense(.maximize), edit]) }
        #expect(edited == program)
    }

    @Test("invalid: names a solver cannot take, and names already in use",
          arguments: [
              ProgramEdit.addRow(.init(lower: 0, upper: 1, columns: [], values: [], name: "")),
              .addColumn(.init(upper: 1, name: "")),
              .addRow(.init(lower: 0, upper: 1, columns: [], values: [], name: "bad\nname")),
              .addRow(.init(lower: 0, upper: 1, columns: [], values: [], name: "a")),
              .addColumn(.init(upper: 1, name: "x")),
          ])
    func badNames(edit: ProgramEdit) throws {
        let program = DenseProgram(
            name: nil, sense: .minimize, objective: [1, 2], constant: 0, objectiveName: nil, a: [[1, 1], [0, 2]],
            rowLower: [0, 0], rowUpper: [4, 4], columnLower: [0, 0], columnUpper: [3, 3], isInteger: [false, false],
            columnNames: ["x", "y"], rowNames: ["a", "b"]
        ).program()
        try program.validate()
        var edited = program
        #expect(throws: ModelValidationError.self) { try edited.apply([.objectiveConstant(3), edit]) }
        #expect(edited == program)
    }

    @Test("a name freed by a deletion in the same batch can be reused")
    func reusedName() throws {
        let program = DenseProgram(
            name: nil, sense: .minimize, objective: [1, 2], constant: 0, objectiveName: nil, a: [[1, 1], [0, 2]],
            rowLower: [0, 0], rowUpper: [4, 4], columnLower: [0, 0], columnUpper: [3, 3], isInteger: [false, false],
            columnNames: ["x", "y"], rowNames: ["a", "b"]
        ).program()
        let edited = try program.applying([.deleteRows([0]), .addRow(.init(lower: 1, upper: 2, columns: [1], values: [5], name: "a"))])
        #expect(edited.rowNames == ["b", "a"])
        #expect(DenseProgram(edited).a == [[0, 2], [0, 5]])
    }

    // MARK: carry

    /// The documented carry: deleted columns drop out, added ones take the value within their
    /// bounds nearest zero; other edits leave the point alone.
    static func carryOracle(_ point: [Double], _ edits: [ProgramEdit]) -> [Double] {
        var point = point
        for edit in edits {
            switch edit {
            case let .deleteColumns(gone):
                point = point.enumerated().filter { !gone.contains($0.offset) }.map(\.element)
            case let .addColumn(c):
                point.append(c.lower > 0 ? c.lower : c.upper < 0 ? c.upper : 0)
            default:
                break
            }
        }
        return point
    }

    @Test("carry follows column deletions and additions")
    func carryMatchesTheDocumentation() throws {
        var addedNegative = 0, addedPositive = 0
        for seed in UInt64(1)...200 {
            var r = OracleRandom(seed: seed &+ 50_000)
            let start = OracleGen.program(&r)
            var serial = 0
            let (edits, expected) = OracleGen.edits(r.int(1...12), from: start, &r, serial: &serial, kinds: [0, 2, 5, 6, 7, 8, 8, 9, 10, 10])
            let point = (0..<start.columnCount).map { Double($0) * 1.5 + 0.25 }
            let carried = ProgramEdit.carry(point, through: edits)
            #expect(carried == Self.carryOracle(point, edits), "seed \(seed): \(edits)")
            #expect(carried.count == expected.columnCount, "seed \(seed): carried \(carried.count) values for \(expected.columnCount) columns")
            for e in edits {
                if case let .addColumn(c) = e {
                    if c.upper < 0 { addedNegative += 1 }
                    if c.lower > 0 { addedPositive += 1 }
                }
            }
        }
        #expect(addedNegative > 0 && addedPositive > 0)
        // By hand: bounds [2, 5] → 2, [-4, -1] → -1, [-3, 3] → 0, [-∞, ∞] → 0.
        let edits: [ProgramEdit] = [
            .deleteColumns([2, 0]), .columnBounds(column: 0, lower: 9, upper: 9),
            .addColumn(.init(lower: 2, upper: 5)), .addColumn(.init(lower: -4, upper: -1)),
            .addColumn(.init(lower: -3, upper: 3)), .addColumn(.init(lower: -.infinity, upper: .infinity)),
            .deleteColumns([1]),
        ]
        #expect(ProgramEdit.carry([10, 11, 12, 13], through: edits) == [11, 2, -1, 0, 0])
    }
}
