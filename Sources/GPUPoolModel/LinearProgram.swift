/// A sparse matrix in compressed sparse column (CSC) form, zero-based.
///
/// Column `j` holds the entries `rowIndices[columnStarts[j] ..< columnStarts[j + 1]]` with the
/// matching `values`. In a matrix produced by ``Model/lowered()`` row indices are strictly
/// increasing within each column (duplicates summed) and no stored value is zero.
public struct SparseMatrix: Sendable, Hashable {
    /// Number of rows.
    public var rowCount: Int
    /// Number of columns.
    public var columnCount: Int
    /// `columnCount + 1` offsets into ``rowIndices`` and ``values``.
    public var columnStarts: [Int]
    /// Row index of each entry.
    public var rowIndices: [Int32]
    /// Value of each entry.
    public var values: [Double]

    public init(rowCount: Int, columnCount: Int, columnStarts: [Int], rowIndices: [Int32], values: [Double]) {
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.columnStarts = columnStarts
        self.rowIndices = rowIndices
        self.values = values
    }

    /// Number of stored entries.
    public var nonzeroCount: Int { values.count }

    /// The entries of column `j`.
    public func column(_ j: Int) -> (rows: ArraySlice<Int32>, values: ArraySlice<Double>) {
        let range = columnStarts[j]..<columnStarts[j + 1]
        return (rowIndices[range], values[range])
    }

    /// `A·x` for a dense `x` of length ``columnCount``.
    public func multiply(_ x: [Double]) -> [Double] {
        var result = [Double](repeating: 0, count: rowCount)
        for j in 0..<columnCount where x[j] != 0 {
            let xj = x[j]
            for k in columnStarts[j]..<columnStarts[j + 1] { result[Int(rowIndices[k])] += values[k] * xj }
        }
        return result
    }

    /// The same matrix stored row-wise (compressed sparse row), for code that walks rows.
    public func rowMajor() -> RowMajorMatrix {
        var starts = [Int](repeating: 0, count: rowCount + 1)
        for r in rowIndices { starts[Int(r) + 1] += 1 }
        for i in 0..<rowCount { starts[i + 1] += starts[i] }
        var next = starts
        var columns = [Int32](repeating: 0, count: values.count)
        var rowValues = [Double](repeating: 0, count: values.count)
        for j in 0..<columnCount {
            for k in columnStarts[j]..<columnStarts[j + 1] {
                let r = Int(rowIndices[k])
                columns[next[r]] = Int32(truncatingIfNeeded: j)
                rowValues[next[r]] = values[k]
                next[r] += 1
            }
        }
        return RowMajorMatrix(rowCount: rowCount, columnCount: columnCount, rowStarts: starts, columnIndices: columns, values: rowValues)
    }
}

/// A sparse matrix stored row by row; a ``Sequence`` of its rows.
public struct RowMajorMatrix: Sendable, Hashable, RandomAccessCollection {
    public var rowCount: Int
    public var columnCount: Int
    /// `rowCount + 1` offsets into ``columnIndices`` and ``values``.
    public var rowStarts: [Int]
    /// Column index of each entry (increasing within a row).
    public var columnIndices: [Int32]
    /// Value of each entry.
    public var values: [Double]

    /// One row's entries.
    public struct Row: Sendable {
        public var index: Int
        public var columns: ArraySlice<Int32>
        public var values: ArraySlice<Double>

        /// `Σ aⱼ xⱼ` over the row.
        public func activity(_ x: [Double]) -> Double {
            var total = 0.0
            for (c, v) in zip(columns, values) { total += v * x[Int(c)] }
            return total
        }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { rowCount }
    public subscript(i: Int) -> Row {
        let range = rowStarts[i]..<rowStarts[i + 1]
        return Row(index: i, columns: columnIndices[range], values: values[range])
    }
}

/// The lowered form every backend and heuristic consumes:
///
///     minimize / maximize  cᵀx + objectiveConstant
///     subject to           rowLower ≤ A x ≤ rowUpper
///                          columnLower ≤ x ≤ columnUpper,  xⱼ integral where isInteger[j]
///
/// `A` is a ``SparseMatrix`` in CSC form. Infinite bounds are `±.infinity`. Binary columns appear as
/// integer columns with bounds within [0, 1]. Build one with ``Model/lowered()`` (validated) or
/// directly and call ``validate()``.
public struct LinearProgram: Sendable, Hashable {
    public var name: String?
    public var sense: ObjectiveSense
    /// Objective coefficients `c`, one per column.
    public var objective: [Double]
    public var objectiveConstant: Double
    public var objectiveName: String?
    public var matrix: SparseMatrix
    public var rowLower: [Double]
    public var rowUpper: [Double]
    public var columnLower: [Double]
    public var columnUpper: [Double]
    public var isInteger: [Bool]
    /// Column names; `nil` where a column has none (see ``columnName(_:)``).
    public var columnNames: [String?]
    /// Row names; `nil` where a row has none (see ``rowName(_:)``).
    public var rowNames: [String?]

    public init(
        name: String? = nil, sense: ObjectiveSense, objective: [Double], objectiveConstant: Double = 0,
        objectiveName: String? = nil, matrix: SparseMatrix, rowLower: [Double], rowUpper: [Double],
        columnLower: [Double], columnUpper: [Double], isInteger: [Bool],
        columnNames: [String?]? = nil, rowNames: [String?]? = nil
    ) {
        self.name = name
        self.sense = sense
        self.objective = objective
        self.objectiveConstant = objectiveConstant
        self.objectiveName = objectiveName
        self.matrix = matrix
        self.rowLower = rowLower
        self.rowUpper = rowUpper
        self.columnLower = columnLower
        self.columnUpper = columnUpper
        self.isInteger = isInteger
        self.columnNames = columnNames ?? Array(repeating: nil, count: objective.count)
        self.rowNames = rowNames ?? Array(repeating: nil, count: rowLower.count)
    }

    public var columnCount: Int { objective.count }
    public var rowCount: Int { rowLower.count }
    /// Whether any column must be integral.
    public var hasIntegerColumns: Bool { isInteger.contains(true) }

    /// The column's name, or a generated `C<j+1>` when it has none.
    public func columnName(_ j: Int) -> String { columnNames[j] ?? "C\(j + 1)" }
    /// The row's name, or a generated `R<i+1>` when it has none.
    public func rowName(_ i: Int) -> String { rowNames[i] ?? "R\(i + 1)" }

    /// `cᵀx + objectiveConstant`.
    public func objectiveValue(_ x: [Double]) -> Double {
        var total = objectiveConstant
        for j in 0..<min(x.count, objective.count) where objective[j] != 0 { total += objective[j] * x[j] }
        return total
    }

    /// The rows, for heuristics that walk constraints one at a time.
    public func rows() -> RowMajorMatrix { matrix.rowMajor() }

    /// Checks that the program is well formed: consistent sizes, CSC structure (starts monotone,
    /// row indices in range and strictly increasing per column), finite coefficients, bounds that
    /// are not NaN and not crossed, integer bounds integral, names a solver can take.
    /// Backends call this before handing arrays to C code.
    public func validate() throws(ModelValidationError) {
        var issues = IssueCollector()
        let n = columnCount, m = rowCount
        if columnLower.count != n || columnUpper.count != n || isInteger.count != n || columnNames.count != n {
            issues.add(.model, "column arrays disagree in length (objective \(n), lower \(columnLower.count), upper \(columnUpper.count), integrality \(isInteger.count), names \(columnNames.count))")
        }
        if rowUpper.count != m || rowNames.count != m {
            issues.add(.model, "row arrays disagree in length (lower \(m), upper \(rowUpper.count), names \(rowNames.count))")
        }
        if matrix.rowCount != m || matrix.columnCount != n || matrix.columnStarts.count != n + 1
            || matrix.rowIndices.count != matrix.values.count
        {
            issues.add(.model, "matrix is \(matrix.rowCount)×\(matrix.columnCount) with \(matrix.columnStarts.count) column starts, expected \(m)×\(n) with \(n + 1)")
        }
        try issues.throwIfAny()
        if matrix.columnStarts.first != 0 || matrix.columnStarts.last != matrix.values.count {
            issues.add(.model, "column starts must run from 0 to the number of entries (\(matrix.values.count))")
            try issues.throwIfAny()
        }
        if !objectiveConstant.isFinite { issues.add(.objective, "constant is \(objectiveConstant)") }
        for j in 0..<n {
            let start = matrix.columnStarts[j], end = matrix.columnStarts[j + 1]
            if start > end {
                issues.add(.column(j, columnNames[j]), "column start decreases")
                continue
            }
            var previous = -1
            for k in start..<end {
                let r = Int(matrix.rowIndices[k])
                if r < 0 || r >= m {
                    issues.add(.column(j, columnNames[j]), "entry \(k) has row index \(r) outside 0..<\(m)")
                } else if r <= previous {
                    issues.add(.entry(row: r, rowName: rowNames[r], column: j, columnName: columnNames[j]), "row indices of a column must be strictly increasing (duplicate or unsorted entry)")
                } else if !matrix.values[k].isFinite {
                    issues.add(.entry(row: r, rowName: rowNames[r], column: j, columnName: columnNames[j]), "coefficient is \(matrix.values[k])")
                }
                previous = max(previous, r)
            }
        }
        Validation.checkColumns(self, into: &issues)
        Validation.checkRows(lower: rowLower, upper: rowUpper, names: rowNames, into: &issues)
        try issues.throwIfAny()
    }
}
