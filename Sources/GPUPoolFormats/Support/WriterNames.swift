import GPUPoolModel

/// Names as a writer puts them in a file: the model's own names where the format can hold them,
/// generated ones (`C<j+1>`, `R<i+1>`, made unique) elsewhere. Columns have their own namespace;
/// rows share theirs with the objective.
struct WriterNames {
    var columns: [String]
    var rows: [String]
    var objective: String
    /// One warning summarizing replaced names, if any were.
    var warnings: [FormatWarning] = []

    init(
        _ program: LinearProgram, format: String, file: String,
        columnWritable: (String) -> Bool, rowWritable: (String) -> Bool, objectiveDefault: String = "OBJ"
    ) {
        var renamed = 0
        var example: (String, String)?
        func note(_ original: String?, _ generated: String) {
            guard let original else { return }
            renamed += 1
            if example == nil { example = (original, generated) }
        }
        func unique(_ base: String, _ used: Set<String>, _ writable: (String) -> Bool) -> String {
            var candidate = base
            var k = 1
            while (used.contains(candidate) || !writable(candidate)) && k < 100 {
                candidate = "\(base)_\(k)"
                k += 1
            }
            return candidate
        }

        var columnUsed = Set<String>()
        let keepColumn = program.columnNames.map { name -> Bool in
            guard let name, columnWritable(name) else { return false }
            return columnUsed.insert(name).inserted
        }
        columns = []
        columns.reserveCapacity(program.columnCount)
        for j in 0..<program.columnCount {
            if keepColumn[j], let name = program.columnNames[j] {
                columns.append(name)
            } else {
                let generated = unique("C\(j + 1)", columnUsed, columnWritable)
                columnUsed.insert(generated)
                note(program.columnNames[j], generated)
                columns.append(generated)
            }
        }

        var rowUsed = Set<String>()
        let keepRow = program.rowNames.map { name -> Bool in
            guard let name, rowWritable(name) else { return false }
            return rowUsed.insert(name).inserted
        }
        if let name = program.objectiveName, rowWritable(name), !rowUsed.contains(name) {
            objective = name
        } else {
            objective = unique(objectiveDefault, rowUsed, rowWritable)
            note(program.objectiveName, objective)
        }
        rowUsed.insert(objective)
        rows = []
        rows.reserveCapacity(program.rowCount)
        for i in 0..<program.rowCount {
            if keepRow[i], let name = program.rowNames[i] {
                rows.append(name)
            } else {
                let generated = unique("R\(i + 1)", rowUsed, rowWritable)
                rowUsed.insert(generated)
                note(program.rowNames[i], generated)
                rows.append(generated)
            }
        }
        if let (original, generated) = example {
            warnings.append(FormatWarning(
                file: file,
                message: "\(renamed) name(s) cannot be written in \(format) and were replaced, e.g. '\(original)' → '\(generated)'"
            ))
        }
    }
}
