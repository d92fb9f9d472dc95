/// Checks shared by ``Model/lowered()`` and ``LinearProgram/validate()``.
enum Validation {
    static func checkColumns(_ p: LinearProgram, into issues: inout IssueCollector) {
        for j in 0..<p.columnCount {
            if !p.objective[j].isFinite {
                issues.add(.column(j, p.columnNames[j]), "objective coefficient is \(p.objective[j])")
            }
            checkColumnBounds(j, lower: p.columnLower[j], upper: p.columnUpper[j], integral: p.isInteger[j], name: p.columnNames[j], into: &issues)
        }
        checkNames(p.columnNames, kind: { .column($0, $1) }, into: &issues)
    }

    static func checkColumnBounds(_ j: Int, lower: Double, upper: Double, integral: Bool, name: String?, into issues: inout IssueCollector) {
        if lower.isNaN || upper.isNaN {
            issues.add(.column(j, name), "bound is NaN (lower \(lower), upper \(upper))")
        } else if lower > upper {
            issues.add(.column(j, name), "lower bound \(lower) is above upper bound \(upper)")
        } else if lower == .infinity || upper == -.infinity {
            issues.add(.column(j, name), "bounds [\(lower), \(upper)] leave no finite value")
        } else if integral && ((lower.isFinite && lower.rounded() != lower) || (upper.isFinite && upper.rounded() != upper)) {
            issues.add(.column(j, name), "integer variable has fractional bounds [\(lower), \(upper)]")
        }
    }

    static func checkRows(lower: [Double], upper: [Double], names: [String?], into issues: inout IssueCollector) {
        for i in lower.indices {
            let lo = lower[i], hi = upper[i]
            if lo.isNaN || hi.isNaN {
                issues.add(.row(i, names[i]), "bound is NaN (lower \(lo), upper \(hi))")
            } else if lo > hi {
                issues.add(.row(i, names[i]), "lower bound \(lo) is above upper bound \(hi)")
            } else if lo == .infinity || hi == -.infinity {
                issues.add(.row(i, names[i]), "bounds [\(lo), \(hi)] leave no finite value")
            }
        }
        checkNames(names, kind: { .row($0, $1) }, into: &issues)
    }

    static func checkNames(_ names: [String?], kind: (Int, String?) -> ModelLocation, into issues: inout IssueCollector) {
        var seen: [String: Int] = [:]
        for (i, name) in names.enumerated() {
            guard let name else { continue }
            if let problem = NameRules.problem(with: name) {
                issues.add(kind(i, String(name.prefix(40))), problem)
            } else if let first = seen.updateValue(i, forKey: name) {
                issues.add(kind(i, name), "duplicate name (also #\(first))")
                seen[name] = first
            }
        }
    }
}

extension Model {
    /// Every problem that would stop the model from being lowered; empty when it is fine.
    public func validationIssues() -> [ModelIssue] {
        do {
            _ = try lowered()
            return []
        } catch {
            return error.issues
        }
    }

    /// Validates the model and lowers it to the sparse form solvers consume.
    ///
    /// Duplicate entries of a row are summed and explicit zeros (including sums that cancel) are
    /// dropped. Binary columns become integer columns with bounds intersected with [0, 1].
    /// - Throws: ``ModelValidationError`` listing every problem (NaN/Inf coefficients, crossed or NaN
    ///   bounds, fractional bounds on integer columns, variables of another model, bad or duplicate
    ///   names), each with its row or column.
    public func lowered() throws(ModelValidationError) -> LinearProgram {
        var issues = IssueCollector()
        for issue in deferredIssues { issues.add(issue) }
        let n = variableCount, m = constraintCount

        var lower = columnLower, upper = columnUpper
        var integral = [Bool](repeating: false, count: n)
        for j in 0..<n {
            switch columnKind[j] {
            case .continuous: break
            case .integer: integral[j] = true
            case .binary:
                integral[j] = true
                if !lower[j].isNaN { lower[j] = max(lower[j], 0) }
                if !upper[j].isNaN { upper[j] = min(upper[j], 1) }
            }
            if !objectiveCoefficients[j].isFinite {
                issues.add(.column(j, columnNames[j]), "objective coefficient is \(objectiveCoefficients[j])")
            }
            Validation.checkColumnBounds(j, lower: lower[j], upper: upper[j], integral: integral[j], name: columnNames[j], into: &issues)
        }
        if !objectiveConstant.isFinite { issues.add(.objective, "constant is \(objectiveConstant)") }
        Validation.checkNames(columnNames, kind: { .column($0, $1) }, into: &issues)
        Validation.checkRows(lower: rowLower, upper: rowUpper, names: rowNames, into: &issues)
        if let objectiveName, let problem = NameRules.problem(with: objectiveName) {
            issues.add(.objective, problem)
        }
        for i in 0..<m {
            for k in rowStarts[i]..<rowStarts[i + 1] where !rowCoefficients[k].isFinite {
                let j = Int(rowColumns[k])
                issues.add(.entry(row: i, rowName: rowNames[i], column: j, columnName: columnNames[j]), "coefficient is \(rowCoefficients[k])")
            }
        }
        try issues.throwIfAny()

        let matrix = compressColumns(rowCount: m, columnCount: n)
        return LinearProgram(
            name: name, sense: sense, objective: objectiveCoefficients, objectiveConstant: objectiveConstant,
            objectiveName: objectiveName, matrix: matrix, rowLower: rowLower, rowUpper: rowUpper,
            columnLower: lower, columnUpper: upper, isInteger: integral,
            columnNames: columnNames, rowNames: rowNames
        )
    }

    /// Row-wise storage → CSC. Scattering rows in increasing order leaves each column's row
    /// indices sorted, so duplicates of a row are adjacent and summed in one pass.
    private func compressColumns(rowCount m: Int, columnCount n: Int) -> SparseMatrix {
        let entries = rowColumns.count
        var counts = [Int](repeating: 0, count: n + 1)
        rowColumns.withUnsafeBufferPointer { cols in
            for c in cols { counts[Int(c) + 1] &+= 1 }
        }
        for j in 0..<n { counts[j + 1] += counts[j] }
        var next = counts
        var rows = [Int32](repeating: 0, count: entries)
        var values = [Double](repeating: 0, count: entries)
        rowColumns.withUnsafeBufferPointer { cols in
            rowCoefficients.withUnsafeBufferPointer { coefs in
                rows.withUnsafeMutableBufferPointer { rowsOut in
                    values.withUnsafeMutableBufferPointer { valuesOut in
                        for i in 0..<m {
                            let r = Int32(truncatingIfNeeded: i)
                            for k in rowStarts[i]..<rowStarts[i + 1] {
                                let c = Int(cols[k])
                                let slot = next[c]
                                rowsOut[slot] = r
                                valuesOut[slot] = coefs[k]
                                next[c] = slot + 1
                            }
                        }
                    }
                }
            }
        }
        // Sum adjacent duplicates and drop zeros, compacting in place.
        var starts = [Int](repeating: 0, count: n + 1)
        var write = 0
        rows.withUnsafeMutableBufferPointer { rowsIO in
            values.withUnsafeMutableBufferPointer { valuesIO in
                for j in 0..<n {
                    var k = counts[j]
                    let end = counts[j + 1]
                    while k < end {
                        let r = rowsIO[k]
                        var v = valuesIO[k]
                        k += 1
                        while k < end && rowsIO[k] == r {
                            v += valuesIO[k]
                            k += 1
                        }
                        if v != 0 {
                            rowsIO[write] = r
                            valuesIO[write] = v
                            write += 1
                        }
                    }
                    starts[j + 1] = write
                }
            }
        }
        if write < entries {
            rows.removeLast(entries - write)
            values.removeLast(entries - write)
        }
        return SparseMatrix(rowCount: m, columnCount: n, columnStarts: starts, rowIndices: rows, values: values)
    }
}
