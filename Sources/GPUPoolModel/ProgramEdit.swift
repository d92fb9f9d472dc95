/// One change to a ``LinearProgram``, for re-solving after small changes.
///
/// ``LinearProgram/apply(_:)`` applies a batch to a program; a persistent solver session applies the
/// same batch to the problem it keeps loaded and re-solves warm. Indices are zero-based and refer
/// to the program as it is when the edit is reached: after ``deleteRows(_:)`` the rows behind a
/// deleted one move up, and ``addRow(_:)`` / ``addColumn(_:)`` append at the end.
public enum ProgramEdit: Sendable, Hashable {
    /// New bounds of a column (`±.infinity` for none).
    case columnBounds(column: Int, lower: Double, upper: Double)
    /// New bounds of a row (`±.infinity` for none).
    case rowBounds(row: Int, lower: Double, upper: Double)
    /// A column's objective coefficient.
    case objectiveCoefficient(column: Int, value: Double)
    /// The objective's constant term.
    case objectiveConstant(Double)
    /// Minimize or maximize.
    case sense(ObjectiveSense)
    /// Whether a column must be integral.
    case integrality(column: Int, isInteger: Bool)
    /// The matrix entry in `row` and `column`; `0` removes it.
    case coefficient(row: Int, column: Int, value: Double)
    /// A row appended at the end.
    case addRow(NewRow)
    /// A column appended at the end.
    case addColumn(NewColumn)
    /// Rows deleted (distinct indices, any order); the rows behind them move up.
    case deleteRows([Int])
    /// Columns deleted (distinct indices, any order); the columns behind them move up.
    case deleteColumns([Int])

    /// A row to append: `lower ≤ Σ values[k]·x[columns[k]] ≤ upper`.
    public struct NewRow: Sendable, Hashable {
        public var lower: Double
        public var upper: Double
        /// Distinct column indices.
        public var columns: [Int]
        public var values: [Double]
        public var name: String?

        public init(lower: Double, upper: Double, columns: [Int], values: [Double], name: String? = nil) {
            self.lower = lower
            self.upper = upper
            self.columns = columns
            self.values = values
            self.name = name
        }
    }

    /// A column to append, with its entries in existing rows.
    public struct NewColumn: Sendable, Hashable {
        public var objective: Double
        public var lower: Double
        public var upper: Double
        public var isInteger: Bool
        /// Distinct row indices.
        public var rows: [Int]
        public var values: [Double]
        public var name: String?

        public init(objective: Double = 0, lower: Double = 0, upper: Double = .infinity, isInteger: Bool = false,
                    rows: [Int] = [], values: [Double] = [], name: String? = nil) {
            self.objective = objective
            self.lower = lower
            self.upper = upper
            self.isInteger = isInteger
            self.rows = rows
            self.values = values
            self.name = name
        }
    }

    /// Whether the edit changes the matrix's shape or entries (the others change bounds, costs,
    /// the sense or integrality only).
    public var isStructural: Bool {
        switch self {
        case .coefficient, .addRow, .addColumn, .deleteRows, .deleteColumns: true
        default: false
        }
    }
}

extension LinearProgram {
    /// Applies `edits` in order, all or none: when one is invalid (an index out of range, a NaN,
    /// crossed bounds, fractional bounds on an integer column, a duplicate index) the program is
    /// left as it was and the error names the edit by its position in `edits`, counting from 1
    /// (`edit 1 (addRow): …` is `edits[0]`).
    ///
    /// Bound, cost, sense and integrality edits cost O(1) each; a batch with matrix edits rebuilds
    /// the matrix once, O(nonzeros).
    public mutating func apply(_ edits: [ProgramEdit]) throws(ModelValidationError) {
        var copy = self
        try copy.applyInPlace(edits)
        self = copy
    }

    /// `self` with `edits` applied; see ``apply(_:)``.
    public func applying(_ edits: [ProgramEdit]) throws(ModelValidationError) -> LinearProgram {
        var copy = self
        try copy.apply(edits)
        return copy
    }

    private mutating func applyInPlace(_ edits: [ProgramEdit]) throws(ModelValidationError) {
        var issues = IssueCollector()
        // Matrix edits work on one entry list per column, built once when the batch has any (the
        // other edits leave the matrix alone) and turned back into compressed columns at the end.
        typealias Entry = (row: Int32, value: Double)
        let matrixEdited = edits.contains(where: \.isStructural)
        var columns: [[Entry]] = matrixEdited
            ? (0..<columnCount).map { j in
                let (r, v) = matrix.column(j)
                return zip(r, v).map { (row: $0.0, value: $0.1) }
            }
            : []
        var rows = rowCount
        for (k, edit) in edits.enumerated() {
            let at = "edit \(k + 1) (\(edit.kind))"
            func bad(_ message: String) { issues.add(.model, "\(at): \(message)") }
            func columnIndex(_ j: Int) -> Bool {
                if (0..<columnCount).contains(j) { return true }
                bad("column \(j) outside 0..<\(columnCount)")
                return false
            }
            func rowIndex(_ i: Int) -> Bool {
                if (0..<rows).contains(i) { return true }
                bad("row \(i) outside 0..<\(rows)")
                return false
            }
            func range(_ lower: Double, _ upper: Double, integral: Bool = false) -> Bool {
                if lower.isNaN || upper.isNaN { bad("bound is NaN (lower \(lower), upper \(upper))"); return false }
                if lower > upper { bad("lower bound \(lower) is above upper bound \(upper)"); return false }
                if lower == .infinity || upper == -.infinity { bad("bounds [\(lower), \(upper)] leave no finite value"); return false }
                if integral && ((lower.isFinite && lower.rounded() != lower) || (upper.isFinite && upper.rounded() != upper)) {
                    bad("integer column with fractional bounds [\(lower), \(upper)]")
                    return false
                }
                return true
            }
            func finite(_ value: Double, _ what: String) -> Bool {
                if value.isFinite { return true }
                bad("\(what) is \(value)")
                return false
            }
            func distinct(_ indices: [Int], _ what: String, limit: Int) -> Bool {
                var seen = Set<Int>()
                for index in indices {
                    if !(0..<limit).contains(index) { bad("\(what) \(index) outside 0..<\(limit)"); return false }
                    if !seen.insert(index).inserted { bad("\(what) \(index) listed twice"); return false }
                }
                return true
            }
            switch edit {
            case let .columnBounds(j, lower, upper):
                guard columnIndex(j), range(lower, upper, integral: isInteger[j]) else { continue }
                columnLower[j] = lower
                columnUpper[j] = upper
            case let .rowBounds(i, lower, upper):
                guard rowIndex(i), range(lower, upper) else { continue }
                rowLower[i] = lower
                rowUpper[i] = upper
            case let .objectiveCoefficient(j, value):
                guard columnIndex(j), finite(value, "coefficient") else { continue }
                objective[j] = value
            case let .objectiveConstant(value):
                guard finite(value, "constant") else { continue }
                objectiveConstant = value
            case let .sense(value):
                sense = value
            case let .integrality(j, integral):
                guard columnIndex(j) else { continue }
                if integral { guard range(columnLower[j], columnUpper[j], integral: true) else { continue } }
                isInteger[j] = integral
            case let .coefficient(i, j, value):
                guard rowIndex(i), columnIndex(j), finite(value, "coefficient") else { continue }
                let row = Int32(i)
                if let at = columns[j].firstIndex(where: { $0.row == row }) {
                    if value == 0 { columns[j].remove(at: at) } else { columns[j][at].value = value }
                } else if value != 0 {
                    let at = columns[j].firstIndex { $0.row > row } ?? columns[j].endIndex
                    columns[j].insert((row: row, value: value), at: at)
                }
            case let .addRow(new):
                guard new.columns.count == new.values.count else {
                    bad("\(new.columns.count) columns but \(new.values.count) values")
                    continue
                }
                guard range(new.lower, new.upper), distinct(new.columns, "column", limit: columnCount),
                      new.values.allSatisfy({ finite($0, "coefficient") })
                else { continue }
                // The new row is the last one, so appending keeps each column's rows increasing.
                for (j, value) in zip(new.columns, new.values) where value != 0 { columns[j].append((row: Int32(rows), value: value)) }
                rowLower.append(new.lower)
                rowUpper.append(new.upper)
                rowNames.append(new.name)
                rows += 1
            case let .addColumn(new):
                guard new.rows.count == new.values.count else {
                    bad("\(new.rows.count) rows but \(new.values.count) values")
                    continue
                }
                guard range(new.lower, new.upper, integral: new.isInteger), finite(new.objective, "objective coefficient"),
                      distinct(new.rows, "row", limit: rows), new.values.allSatisfy({ finite($0, "coefficient") })
                else { continue }
                columns.append(zip(new.rows, new.values).filter { $0.1 != 0 }.sorted { $0.0 < $1.0 }.map { (row: Int32($0.0), value: $0.1) })
                objective.append(new.objective)
                columnLower.append(new.lower)
                columnUpper.append(new.upper)
                isInteger.append(new.isInteger)
                columnNames.append(new.name)
            case let .deleteRows(indices):
                guard distinct(indices, "row", limit: rows) else { continue }
                let gone = Set(indices)
                var newIndex = [Int32](repeating: -1, count: rows)
                var next: Int32 = 0
                for i in 0..<rows where !gone.contains(i) {
                    newIndex[i] = next
                    next += 1
                }
                for j in columns.indices {
                    columns[j] = columns[j].compactMap { newIndex[Int($0.row)] >= 0 ? (row: newIndex[Int($0.row)], value: $0.value) : nil }
                }
                let keep = (0..<rows).filter { !gone.contains($0) }
                rowLower = keep.map { rowLower[$0] }
                rowUpper = keep.map { rowUpper[$0] }
                rowNames = keep.map { rowNames[$0] }
                rows = keep.count
            case let .deleteColumns(indices):
                guard distinct(indices, "column", limit: columnCount) else { continue }
                let gone = Set(indices)
                let keep = (0..<columnCount).filter { !gone.contains($0) }
                columns = keep.map { columns[$0] }
                objective = keep.map { objective[$0] }
                columnLower = keep.map { columnLower[$0] }
                columnUpper = keep.map { columnUpper[$0] }
                isInteger = keep.map { isInteger[$0] }
                columnNames = keep.map { columnNames[$0] }
            }
        }
        try issues.throwIfAny()
        if matrixEdited {
            var starts = [0]
            starts.reserveCapacity(columns.count + 1)
            var rowIndices: [Int32] = [], values: [Double] = []
            for entries in columns {
                for entry in entries {
                    rowIndices.append(entry.row)
                    values.append(entry.value)
                }
                starts.append(rowIndices.count)
            }
            matrix = SparseMatrix(rowCount: rows, columnCount: columns.count, columnStarts: starts, rowIndices: rowIndices, values: values)
            // New names may clash with old ones; the rest was checked edit by edit.
            var nameIssues = IssueCollector()
            Validation.checkNames(columnNames, kind: { .column($0, $1) }, into: &nameIssues)
            Validation.checkNames(rowNames, kind: { .row($0, $1) }, into: &nameIssues)
            try nameIssues.throwIfAny()
        }
    }
}

extension ProgramEdit {
    /// A point of the program before `edits`, carried through their column changes: deleted
    /// columns drop out, added ones take the value within their bounds nearest zero. Whether it
    /// is still feasible is for the caller to check (a warm start is checked before it is used).
    public static func carry(_ point: [Double], through edits: [ProgramEdit]) -> [Double] {
        var point = point
        for edit in edits {
            switch edit {
            case let .deleteColumns(indices):
                let gone = Set(indices)
                point = point.indices.filter { !gone.contains($0) }.map { point[$0] }
            case let .addColumn(new):
                point.append(min(max(0, new.lower), new.upper))
            default:
                continue
            }
        }
        return point
    }

    /// The edit's case name, for messages.
    var kind: String {
        switch self {
        case .columnBounds: "columnBounds"
        case .rowBounds: "rowBounds"
        case .objectiveCoefficient: "objectiveCoefficient"
        case .objectiveConstant: "objectiveConstant"
        case .sense: "sense"
        case .integrality: "integrality"
        case .coefficient: "coefficient"
        case .addRow: "addRow"
        case .addColumn: "addColumn"
        case .deleteRows: "deleteRows"
        case .deleteColumns: "deleteColumns"
        }
    }
}
