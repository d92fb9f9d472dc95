import GPUPoolModel

extension MPSParser {
    /// Turns the collected sections into a model: row bounds from types, right-hand sides and
    /// ranges; default and checked column bounds; entries transposed to rows.
    mutating func finish() throws(FormatError) -> ReadResult {
        var assembly = ModelAssembly()
        assembly.name = modelName
        assembly.sense = sense
        assembly.objectiveName = objectiveName
        assembly.objectiveConstant = objectiveConstant

        for j in 0..<columnNames.count {
            if binaryDefault[j] { (lower[j], upper[j]) = (0, 1) }
            let boundLine = Int(max(lowerLine[j], upperLine[j]))
            let at = boundLine > 0 ? boundLine : Int(columnLine[j])
            if lower[j] > upper[j] {
                throw FormatError(file: file, line: at, reason: "BOUNDS: column '\(columnNames[j])' has lower bound \(lower[j]) above its upper bound \(upper[j])")
            }
            if isInteger[j] {
                for b in [lower[j], upper[j]] where b.isFinite && b.rounded() != b {
                    throw FormatError(file: file, line: at, reason: "BOUNDS: integer column '\(columnNames[j])' has the fractional bound \(b)")
                }
            }
            _ = assembly.addColumn(name: columnNames[j], lower: lower[j], upper: upper[j], kind: isInteger[j] ? .integer : .continuous)
        }
        assembly.objective = objective

        for r in 0..<rowType.count {
            var lo = rhs[r], hi = rhs[r]
            switch rowType[r] {
            case UInt8(ascii: "L"): lo = -.infinity
            case UInt8(ascii: "G"): hi = .infinity
            default: break
            }
            if rangeLine[r] != 0 {
                let R = range[r]
                switch rowType[r] {
                case UInt8(ascii: "L"): lo = hi - abs(R)
                case UInt8(ascii: "G"): hi = lo + abs(R)
                default: if R < 0 { lo = rhs[r] + R } else { hi = rhs[r] + R }
                }
            }
            assembly.rowNames.append(rowNames[r])
            assembly.rowLower.append(lo)
            assembly.rowUpper.append(hi)
        }
        assembly.setEntries(rows: entryRows, columns: entryColumns, values: entryValues)

        if !freeRowNames.isEmpty {
            let shown = freeRowNames.prefix(5).map { "'\($0)'" }.joined(separator: ", ")
            let more = freeRowNames.count > 5 ? " and \(freeRowNames.count - 5) more" : ""
            warn(nil, "\(freeRowNames.count) extra N (free) row(s) ignored, with their \(freeRowEntries) entries: \(shown)\(more); the objective is '\(objectiveName ?? "")'")
        }
        if negativeUpper.count > 0 {
            warn(negativeUpper.firstLine, "\(negativeUpper.count) column(s) with a negative upper bound and no lower bound got the lower bound -inf (CPLEX/HiGHS convention), first '\(negativeUpper.firstName)'")
        }
        for s in [Section.rhs, .ranges, .bounds] {
            if let ignored = ignoredSetLines[s] {
                warn(ignored.line, "\(ignored.count) \(s.title) line(s) of set '\(ignored.name)' ignored; only the first set is used")
            }
        }
        return ReadResult(model: assembly.makeModel(), warnings: warnings)
    }

    mutating func warn(_ line: Int?, _ message: String) {
        warnings.append(FormatWarning(file: file, line: line, message: message))
    }
}
