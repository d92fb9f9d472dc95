import Synchronization

private let nextModelID = Atomic<UInt64>(1)

/// A linear or mixed-integer optimization model under construction.
///
/// ```swift
/// var model = Model()
/// let x = model.addVariable(lower: 0, upper: 4, name: "x")
/// let y = model.addVariable(kind: .integer, name: "y")
/// model.addConstraint(x + 2 * y <= 14, name: "c1")
/// model.maximize(3 * x + 4 * y)
/// let program = try model.lowered()   // validated sparse form for any backend
/// ```
///
/// Rows are kept row-wise as they are added; ``lowered()`` validates everything and produces the
/// compressed-sparse-column ``LinearProgram`` that solvers and heuristics consume. Problems found
/// while adding (a variable of another model, say) are remembered and reported by ``lowered()``
/// together with everything validation finds, each naming its row or column.
///
/// `Model` is a value type: a copy is an independent model that shares its identity with the
/// original, so handles from before the copy work in both.
public struct Model: Sendable {
    /// Identity stamped on every ``Variable`` and ``ConstraintRef`` this model creates.
    public let id: UInt64
    /// Optional name of the model (used by writers).
    public var name: String?

    // Storage (package-internal: the public read-only view of a model is its lowered form,
    // ``lowered()``; other GPUPool modules read these arrays directly for speed).
    // Columns.
    package private(set) var columnLower: [Double] = []
    package private(set) var columnUpper: [Double] = []
    package private(set) var columnKind: [VariableKind] = []
    package private(set) var columnNames: [String?] = []

    // Rows, compressed row-wise.
    package private(set) var rowStarts: [Int] = [0]
    package private(set) var rowColumns: [Int32] = []
    package private(set) var rowCoefficients: [Double] = []
    package private(set) var rowLower: [Double] = []
    package private(set) var rowUpper: [Double] = []
    package private(set) var rowNames: [String?] = []

    // Objective.
    public private(set) var sense: ObjectiveSense = .minimize
    package private(set) var objectiveCoefficients: [Double] = []
    package private(set) var objectiveConstant: Double = 0
    /// Optional name of the objective row (used by MPS/LP writers).
    public var objectiveName: String?

    /// Problems noticed while building, reported by ``lowered()``.
    package private(set) var deferredIssues: [ModelIssue] = []

    /// Creates an empty model.
    public init(name: String? = nil) {
        id = nextModelID.add(1, ordering: .relaxed).oldValue
        self.name = name
    }

    /// Number of variables (columns).
    public var variableCount: Int { columnLower.count }
    /// Number of constraints (rows).
    public var constraintCount: Int { rowLower.count }
    /// Number of stored row entries (before duplicates are summed).
    public var entryCount: Int { rowColumns.count }

    /// The handle of column `index`.
    public func variable(at index: Int) -> Variable {
        precondition(index >= 0 && index < variableCount, "no variable \(index) in a model of \(variableCount)")
        return Variable(modelID: id, index: index)
    }

    /// All variables in column order.
    public var variables: VariableBlock { VariableBlock(modelID: id, indices: 0..<variableCount) }

    // MARK: Variables

    /// Adds one variable.
    /// - Parameters:
    ///   - lower: lower bound, `-.infinity` for none. Default 0.
    ///   - upper: upper bound, `.infinity` for none.
    ///   - kind: continuous, integer or binary (binary bounds are intersected with [0, 1]).
    ///   - name: optional name; names must be unique, at most 255 characters, without control characters.
    @discardableResult
    public mutating func addVariable(
        lower: Double = 0, upper: Double = .infinity, kind: VariableKind = .continuous, name: String? = nil
    ) -> Variable {
        let index = variableCount
        columnLower.append(lower)
        columnUpper.append(upper)
        columnKind.append(kind)
        columnNames.append(name)
        objectiveCoefficients.append(0)
        return Variable(modelID: id, index: index)
    }

    /// Adds `count` variables with the same bounds and kind in one call (the bulk path).
    /// - Parameter namePrefix: when given, variable `k` of the block is named `"\(namePrefix)\(k)"`.
    @discardableResult
    public mutating func addVariables(
        count: Int, lower: Double = 0, upper: Double = .infinity, kind: VariableKind = .continuous,
        namePrefix: String? = nil
    ) -> VariableBlock {
        let first = variableCount
        guard count > 0 else {
            if count < 0 { deferredIssues.append(.init(.model, "addVariables(count: \(count)): count is negative")) }
            return VariableBlock(modelID: id, indices: first..<first)
        }
        columnLower.append(contentsOf: repeatElement(lower, count: count))
        columnUpper.append(contentsOf: repeatElement(upper, count: count))
        columnKind.append(contentsOf: repeatElement(kind, count: count))
        objectiveCoefficients.append(contentsOf: repeatElement(0, count: count))
        if let namePrefix {
            columnNames.append(contentsOf: (0..<count).lazy.map { "\(namePrefix)\($0)" })
        } else {
            columnNames.append(contentsOf: repeatElement(nil, count: count))
        }
        return VariableBlock(modelID: id, indices: first..<(first + count))
    }

    /// Changes the bounds of a variable.
    public mutating func setBounds(_ variable: Variable, lower: Double, upper: Double) {
        guard owns(variable, context: "setBounds") else { return }
        columnLower[variable.index] = lower
        columnUpper[variable.index] = upper
    }

    /// Changes the kind of a variable.
    public mutating func setKind(_ variable: Variable, _ kind: VariableKind) {
        guard owns(variable, context: "setKind") else { return }
        columnKind[variable.index] = kind
    }

    /// Renames a variable.
    public mutating func setName(_ variable: Variable, _ name: String?) {
        guard owns(variable, context: "setName") else { return }
        columnNames[variable.index] = name
    }

    // MARK: Constraints

    /// Adds a constraint built with `<=`, `>=` or `==`.
    @discardableResult
    public mutating func addConstraint(_ constraint: LinearConstraint, name: String? = nil) -> ConstraintRef {
        let row = constraintCount
        let e = constraint.expression
        if e.modelID != 0 && e.modelID != id {
            deferredIssues.append(.init(.row(row, name), "uses a variable of another model"))
        } else if let bad = e.columns.first(where: { Int($0) >= variableCount || $0 < 0 }) {
            deferredIssues.append(.init(.row(row, name), "uses variable index \(bad), but the model has \(variableCount) variables"))
        } else {
            rowColumns.append(contentsOf: e.columns)
            rowCoefficients.append(contentsOf: e.coefficients)
        }
        rowStarts.append(rowColumns.count)
        rowLower.append(constraint.lower)
        rowUpper.append(constraint.upper)
        rowNames.append(name)
        return ConstraintRef(modelID: id, index: row)
    }

    /// Adds the ranged constraint `range.lowerBound ≤ expression ≤ range.upperBound`.
    @discardableResult
    public mutating func addConstraint(
        _ expression: LinearExpression, in range: ClosedRange<Double>, name: String? = nil
    ) -> ConstraintRef {
        addConstraint(LinearConstraint(expression, in: range), name: name)
    }

    /// Adds many rows at once from compressed-row arrays (the bulk path; no per-term allocation).
    ///
    /// Row `r` has the entries `columns[rowStarts[r] ..< rowStarts[r + 1]]` with the matching
    /// `coefficients`, and the bounds `lower[r] ≤ row ≤ upper[r]`. Indices are column indices of this
    /// model. Structural problems (mismatched lengths, non-monotone starts, unknown columns) are
    /// recorded and reported by ``lowered()``; nothing is added in that case.
    /// - Returns: the indices of the new rows.
    @discardableResult
    public mutating func addConstraints(
        rowStarts starts: [Int], columns: [Int32], coefficients: [Double],
        lower: [Double], upper: [Double], names: [String?]? = nil
    ) -> Range<Int> {
        let first = constraintCount
        let count = starts.count - 1
        func reject(_ message: String) -> Range<Int> {
            deferredIssues.append(.init(.model, "addConstraints: \(message); no rows were added"))
            return first..<first
        }
        guard count >= 0 else { return reject("rowStarts is empty (it needs one entry per row plus one)") }
        guard lower.count == count, upper.count == count else {
            return reject("\(count) rows in rowStarts but \(lower.count) lower and \(upper.count) upper bounds")
        }
        if let names, names.count != count { return reject("\(count) rows but \(names.count) names") }
        guard columns.count == coefficients.count else {
            return reject("\(columns.count) column indices but \(coefficients.count) coefficients")
        }
        guard starts.first == 0, starts.last == columns.count else {
            return reject("rowStarts must begin at 0 and end at the number of entries (\(columns.count))")
        }
        for r in 0..<count where starts[r] > starts[r + 1] {
            return reject("rowStarts decreases at row \(r)")
        }
        let n = Int32(truncatingIfNeeded: variableCount)
        if let k = columns.firstIndex(where: { $0 < 0 || $0 >= n }) {
            return reject("entry \(k) refers to column \(columns[k]), but the model has \(variableCount) variables")
        }
        let base = rowColumns.count
        rowColumns.append(contentsOf: columns)
        rowCoefficients.append(contentsOf: coefficients)
        rowStarts.append(contentsOf: starts.dropFirst().lazy.map { $0 + base })
        rowLower.append(contentsOf: lower)
        rowUpper.append(contentsOf: upper)
        if let names { rowNames.append(contentsOf: names) } else {
            rowNames.append(contentsOf: repeatElement(nil, count: count))
        }
        return first..<(first + count)
    }

    /// Changes the bounds of a row.
    public mutating func setBounds(_ constraint: ConstraintRef, lower: Double, upper: Double) {
        guard constraint.modelID == id, constraint.index < constraintCount else {
            deferredIssues.append(.init(.row(constraint.index, nil), "setBounds: row of another model"))
            return
        }
        rowLower[constraint.index] = lower
        rowUpper[constraint.index] = upper
    }

    /// The entries of row `index` as stored (duplicates not yet summed).
    public func row(_ index: Int) -> (columns: ArraySlice<Int32>, coefficients: ArraySlice<Double>) {
        let range = rowStarts[index]..<rowStarts[index + 1]
        return (rowColumns[range], rowCoefficients[range])
    }

    // MARK: Objective

    /// Sets the objective; coefficients of repeated variables are summed.
    public mutating func setObjective(_ sense: ObjectiveSense, _ expression: LinearExpression) {
        self.sense = sense
        if expression.modelID != 0 && expression.modelID != id {
            deferredIssues.append(.init(.objective, "uses a variable of another model"))
            return
        }
        for j in objectiveCoefficients.indices { objectiveCoefficients[j] = 0 }
        for k in expression.columns.indices {
            let j = Int(expression.columns[k])
            guard j >= 0 && j < variableCount else {
                deferredIssues.append(.init(.objective, "uses variable index \(j), but the model has \(variableCount) variables"))
                continue
            }
            objectiveCoefficients[j] += expression.coefficients[k]
        }
        objectiveConstant = expression.constant
    }

    /// Minimize `expression`.
    public mutating func minimize(_ expression: LinearExpression) { setObjective(.minimize, expression) }
    /// Maximize `expression`.
    public mutating func maximize(_ expression: LinearExpression) { setObjective(.maximize, expression) }

    /// Sets the objective from a dense coefficient vector (the bulk path).
    public mutating func setObjective(_ sense: ObjectiveSense, coefficients: [Double], constant: Double = 0) {
        self.sense = sense
        guard coefficients.count == variableCount else {
            deferredIssues.append(.init(.objective, "\(coefficients.count) coefficients for \(variableCount) variables"))
            return
        }
        objectiveCoefficients = coefficients
        objectiveConstant = constant
    }

    /// Sets one objective coefficient.
    public mutating func setObjectiveCoefficient(_ variable: Variable, _ value: Double) {
        guard owns(variable, context: "setObjectiveCoefficient") else { return }
        objectiveCoefficients[variable.index] = value
    }

    /// Sets the objective's sense without changing its coefficients.
    public mutating func setSense(_ sense: ObjectiveSense) { self.sense = sense }

    /// Sets the objective's constant term.
    public mutating func setObjectiveConstant(_ value: Double) { objectiveConstant = value }

    private mutating func owns(_ variable: Variable, context: String) -> Bool {
        if variable.modelID == id && variable.index >= 0 && variable.index < variableCount { return true }
        deferredIssues.append(.init(.column(variable.index, nil), "\(context): variable of another model"))
        return false
    }
}
