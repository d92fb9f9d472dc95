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

        var lowerOnlyIntegers: (count: Int, name: String, line: Int) = (0, "", 0)
        for j in 0..<columnNames.count {
            if binaryDefault[j] { (lower[j], upper[j]) = (0, 1) }
            if markerInteger[j] && lowerLine[j] != 0 && upperLine[j] == 0 && upper[j] == .infinity {
                if lowerOnlyIntegers.count == 0 { lowerOnlyIntegers = (0, columnNames[j], Int(lowerLine[j])) }
                lowerOnlyIntegers.count += 1
            }
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
            warn(freeRowLine, "\(freeRowNames.count) extra N (free) row(s) ignored, with their \(freeRowEntries) COLUMNS/RHS/RANGES entries: \(shown)\(more); the objective is the first N row, '\(objectiveName ?? "")'")
        }
        if objectiveRHSLine != 0 && objectiveConstant != 0 {
            warn(Int(objectiveRHSLine), "RHS: the value \(-objectiveConstant) on the objective row '\(objectiveName ?? "")' gives the objective constant \(objectiveConstant) (minus the value, as CPLEX and HiGHS read it; glpsol adds the value itself)")
        }
        if negativeUpper.count > 0 {
            warn(negativeUpper.firstLine, "\(negativeUpper.count) column(s) with a negative upper bound and no lower bound got the lower bound -inf (CPLEX/HiGHS convention; glpsol keeps 0), first '\(negativeUpper.firstName)'")
        }
        if lowerOnlyIntegers.count > 0 {
            warn(lowerOnlyIntegers.line, "\(lowerOnlyIntegers.count) integer column(s) of an INTORG block have only a lower bound in BOUNDS, so their upper bound is +inf (HiGHS; glpsol keeps 1), first '\(lowerOnlyIntegers.name)'")
        }
        for s in [Section.rhs, .ranges, .bounds] {
            guard let first = firstSet[s] else { continue }
            for ignored in ignoredSets[s] ?? [] {
                warn(ignored.line, "\(s.title): \(Self.setTitle(ignored.bytes)) ignored (\(ignored.count) line(s) from here on); only the first \(s.title) set, \(Self.setTitle(first.name)) from line \(first.line), is used")
            }
        }
        if !keywordColumns.isEmpty {
            let shown = keywordColumns.prefix(5).map { "'\($0.name)' (line \($0.line))" }.joined(separator: ", ")
            warn(keywordColumns[0].line, "COLUMNS: column(s) named like a section: \(shown); if such a line was meant to start that section, its header is missing (a header stands alone on its line)")
        }
        if sequenceLines.count > 0 {
            warn(sequenceLines.first, "\(sequenceLines.count) line(s) have text from column 73 on, ignored (the card sequence field of fixed MPS)")
        }
        if linesAfterEnd.count > 0 {
            warn(linesAfterEnd.first, "\(linesAfterEnd.count) line(s) after ENDATA ignored")
        }
        return ReadResult(model: assembly.makeModel(), warnings: warnings)
    }

    /// `set 'NAME'`, or `the unnamed set`.
    static func setTitle(_ bytes: [UInt8]) -> String {
        bytes.isEmpty ? "the unnamed set" : "set '\(String(decoding: bytes, as: UTF8.self))'"
    }

    mutating func warn(_ line: Int?, _ message: String) {
        warnings.append(FormatWarning(file: file, line: line, message: message))
    }
}
