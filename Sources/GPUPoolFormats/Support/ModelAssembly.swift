import GPUPoolModel

/// Column and row data gathered by a reader, turned into a ``GPUPoolModel/Model`` through the
/// model's bulk paths (one `addConstraints` call for all rows).
struct ModelAssembly {
    var name: String?
    var sense: ObjectiveSense = .minimize
    var objectiveName: String?
    var objectiveConstant = 0.0

    var columnNames: [String?] = []
    var columnLower: [Double] = []
    var columnUpper: [Double] = []
    var columnKind: [VariableKind] = []
    var objective: [Double] = []

    var rowNames: [String?] = []
    var rowLower: [Double] = []
    var rowUpper: [Double] = []
    /// Row-wise entries (CSR): row `i` is `entryColumns[rowStarts[i] ..< rowStarts[i + 1]]`.
    var rowStarts: [Int] = [0]
    var entryColumns: [Int32] = []
    var entryValues: [Double] = []

    var columnCount: Int { columnLower.count }
    var rowCount: Int { rowLower.count }

    mutating func addColumn(name: String?, lower: Double = 0, upper: Double = .infinity, kind: VariableKind = .continuous) -> Int {
        columnNames.append(name)
        columnLower.append(lower)
        columnUpper.append(upper)
        columnKind.append(kind)
        objective.append(0)
        return columnLower.count - 1
    }

    /// Fills the row-wise entries from column-wise triplets (counting sort, O(entries)).
    mutating func setEntries(rows: [Int32], columns: [Int32], values: [Double]) {
        let m = rowCount
        var starts = [Int](repeating: 0, count: m + 1)
        for r in rows { starts[Int(r) + 1] += 1 }
        for i in 0..<m { starts[i + 1] += starts[i] }
        var next = starts
        var outColumns = [Int32](repeating: 0, count: values.count)
        var outValues = [Double](repeating: 0, count: values.count)
        for k in values.indices {
            let r = Int(rows[k])
            let slot = next[r]
            outColumns[slot] = columns[k]
            outValues[slot] = values[k]
            next[r] = slot + 1
        }
        rowStarts = starts
        entryColumns = outColumns
        entryValues = outValues
    }

    func makeModel() -> Model {
        var model = Model(name: name)
        model.objectiveName = objectiveName
        for j in 0..<columnCount {
            model.addVariable(lower: columnLower[j], upper: columnUpper[j], kind: columnKind[j], name: columnNames[j])
        }
        model.setObjective(sense, coefficients: objective, constant: objectiveConstant)
        model.addConstraints(
            rowStarts: rowStarts, columns: entryColumns, coefficients: entryValues,
            lower: rowLower, upper: rowUpper, names: rowNames
        )
        return model
    }
}
