import GPUPoolModel

/// Data lines of each MPS section.
extension MPSParser {
    // MARK: Field layout

    /// Drops a trailing `$` comment from free-MPS fields: the first field at index ≥ 2 that starts
    /// with `$` where the fields before it already form a complete record.
    mutating func dropTrailingComment(complete: (Int) -> Bool) {
        var k = 2
        while k < words.count {
            if p[words[k].start] == UInt8(ascii: "$") && complete(k) {
                words.removeLast(words.count - k)
                return
            }
            k += 1
        }
    }

    /// The six fixed-column fields of a data line. Field 3 or 5 starting with `$` ends the line
    /// (a comment, as GLPK reads it); text from column 73 on (the card sequence field) is ignored
    /// and counted for a warning.
    mutating func fixedFields(_ start: Int, _ end: Int) throws(FormatError) -> [MPSField?] {
        let end = MPSField.endBeforeDollarComment(p, start, end)
        if let (column, byte) = MPSField.firstStrayCharacter(p, start, end) {
            if byte == 0x09 { throw fail("tab in column \(column); fixed MPS needs blanks (read the file as free MPS instead)") }
            let shown = byte < 0x80 ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16, uppercase: true))"
            if column > 61 {
                throw fail("\(shown) in column \(column): columns 62-72 must be blank in fixed MPS (fields end at column 61; comments start with '$' in field 3 or 5)")
            }
            throw fail("\(shown) in column \(column) lies outside the fixed-MPS fields (columns 2-3, 5-12, 15-22, 25-36, 40-47, 50-61); is this free MPS?")
        }
        guard let fields = MPSField.fixedFields(p, start, end) else { throw fail("malformed fixed-MPS line") }
        if MPSField.sequenceText(p, start, end) {
            if sequenceLines.count == 0 { sequenceLines.first = line }
            sequenceLines.count += 1
        }
        return fields
    }

    /// `: 'x' is extra; …` for a line with more than `count` fields (empty otherwise).
    func surplus(from count: Int) -> String {
        guard words.count > count, count >= 0 else { return "" }
        return "; '\(text(words[count]))' is extra (comments are lines with '*' in column 1, or fields starting with '$' after a complete line)"
    }

    func unexpected(_ f: MPSField?, in title: String) throws(FormatError) {
        if let f { throw fail("\(title): unexpected field '\(text(f))'") }
    }

    // MARK: ROWS

    mutating func readRowLine(_ start: Int, _ end: Int) throws(FormatError) {
        let type: MPSField, nameField: MPSField
        switch dialect {
        case .free:
            dropTrailingComment { $0 == 2 }
            guard words.count == 2 else {
                throw fail("ROWS: expected a row type (N, L, G or E) and a row name, found \(words.count) fields\(surplus(from: 2))")
            }
            type = words[0]
            nameField = words[1]
        case .fixed:
            let f = try fixedFields(start, end)
            for k in 2..<6 { try unexpected(f[k], in: "ROWS") }
            guard let t = f[0], let n = f[1] else { throw fail("ROWS: expected a row type in columns 2-3 and a name in columns 5-12") }
            type = t
            nameField = n
        }
        var code: UInt8 = 0
        if type.count == 1 {
            code = p[type.start]
            if code >= 0x61 && code <= 0x7A { code -= 0x20 }
        }
        guard code == UInt8(ascii: "N") || code == UInt8(ascii: "L") || code == UInt8(ascii: "G") || code == UInt8(ascii: "E") else {
            throw fail("ROWS: unknown row type '\(text(type))' (expected N, L, G or E)")
        }
        let rowName = try name(nameField, kind: "row")
        guard rowTable.insert(p, nameField.start, nameField.end).inserted else {
            throw fail("ROWS: row name '\(rowName)' is used twice")
        }
        if code == UInt8(ascii: "N") {
            if objectiveName == nil {
                objectiveName = rowName
                rowCode.append(Self.objectiveCode)
            } else {
                if freeRowNames.isEmpty { freeRowLine = line }
                freeRowNames.append(rowName)
                rowCode.append(Self.freeRowCode)
            }
            return
        }
        rowCode.append(Int32(truncatingIfNeeded: rowType.count))
        rowNames.append(rowName)
        rowType.append(code)
        rhs.append(0)
        rhsLine.append(0)
        range.append(0)
        rangeLine.append(0)
        guard rowType.count < Int(Int32.max) else { throw fail("ROWS: too many rows") }
    }

    // MARK: COLUMNS

    mutating func startColumns() {
        rowStamp = [Int32](repeating: -1, count: rowType.count)
    }

    mutating func closeColumns() throws(FormatError) {
        if integerMarkerLine != 0 {  // HiGHS and GLPK end the block with the section; so do we
            warn(integerMarkerLine, "COLUMNS: this INTORG marker has no INTEND; the integer block ends with the COLUMNS section")
            integerMarkerLine = 0
        }
    }

    mutating func readColumnLine(_ start: Int, _ end: Int) throws(FormatError) {
        switch dialect {
        case .free:
            if words.count >= 3, isMarker(words[1]) {
                try marker(words[2])
                return
            }
            dropTrailingComment { $0 == 3 || $0 == 5 }
            guard words.count == 3 || words.count == 5 else {
                throw fail("COLUMNS: expected a column name and one or two (row, value) pairs, found \(words.count) fields\(surplus(from: words.count > 5 ? 5 : 3))")
            }
            try columnEntry(words[0], row: words[1], value: words[2])
            if words.count == 5 { try columnEntry(words[0], row: words[3], value: words[4]) }
        case .fixed:
            let f = try fixedFields(start, end)
            if let m = f[2], isMarker(m) {
                guard let kind = f[4] ?? f[3] else { throw fail("COLUMNS: MARKER line without 'INTORG' or 'INTEND'") }
                try marker(kind)
                return
            }
            try unexpected(f[0], in: "COLUMNS")
            // A blank name continues the column of the line before (GLPK, IBM MPS).
            guard let column = f[1] ?? (currentColumn >= 0 ? currentColumnField : nil) else {
                throw fail("COLUMNS: no column name in columns 5-12 (a blank name continues the previous column, but there is none)")
            }
            guard let row = f[2], let value = f[3] else {
                throw fail("COLUMNS: column '\(text(column))' needs a row name in columns 15-22 and a value in columns 25-36")
            }
            try columnEntry(column, row: row, value: value)
            if f[4] != nil || f[5] != nil {
                guard let row2 = f[4], let value2 = f[5] else {
                    throw fail("COLUMNS: column '\(text(column))' has half a second pair (row in columns 40-47, value in 50-61)")
                }
                try columnEntry(column, row: row2, value: value2)
            }
        }
    }

    func isMarker(_ f: MPSField) -> Bool { equalsIgnoringCase(f, "'MARKER'") }

    mutating func marker(_ kind: MPSField) throws(FormatError) {
        if equalsIgnoringCase(kind, "'INTORG'") || equalsIgnoringCase(kind, "INTORG") {
            if integerMarkerLine != 0 { throw fail("COLUMNS: INTORG marker inside the INTORG block opened on line \(integerMarkerLine)") }
            integerMarkerLine = line
        } else if equalsIgnoringCase(kind, "'INTEND'") || equalsIgnoringCase(kind, "INTEND") {
            if integerMarkerLine == 0 { throw fail("COLUMNS: INTEND marker without an INTORG marker before it") }
            integerMarkerLine = 0
        } else {
            throw fail("COLUMNS: unknown marker '\(text(kind))' (expected 'INTORG' or 'INTEND')")
        }
    }

    mutating func columnEntry(_ column: MPSField, row: MPSField, value: MPSField) throws(FormatError) {
        if currentColumn < 0 || !column.sameBytes(as: currentColumnField, in: p) {
            let columnName = try name(column, kind: "column")
            let (id, inserted) = columnTable.insert(p, column.start, column.end)
            guard inserted else {
                throw fail("COLUMNS: the entries of column '\(columnName)' must be together, but it already appeared on line \(columnLine[id])")
            }
            guard id < Int(Int32.max) else { throw fail("COLUMNS: too many columns") }
            columnNames.append(columnName)
            columnLine.append(Int32(truncatingIfNeeded: line))
            if case let .section(named)? = MPSKeyword.of(column, in: p), [.rhs, .ranges, .bounds].contains(named) {
                keywordColumns.append((columnName, line))
            }
            let integral = integerMarkerLine != 0
            lower.append(0)
            upper.append(.infinity)
            isInteger.append(integral)
            binaryDefault.append(integral)
            markerInteger.append(integral)
            lowerLine.append(0)
            upperLine.append(0)
            objective.append(0)
            objectiveStamp.append(false)
            currentColumn = id
            currentColumnField = column
        }
        let j = currentColumn
        guard let rowID = rowTable.find(p, row.start, row.end) else {
            throw fail("COLUMNS: column '\(columnNames[j])' refers to row '\(text(row))', which is not in the ROWS section")
        }
        guard let v = finiteNumber(value) else {
            throw numberError(value, "COLUMNS: value of column '\(columnNames[j])' in row '\(text(row))'")
        }
        let code = rowCode[rowID]
        if code == Self.objectiveCode {
            if objectiveStamp[j] { throw fail("COLUMNS: column '\(columnNames[j])' has a second entry in the objective row '\(text(row))'") }
            objectiveStamp[j] = true
            objective[j] = v
        } else if code == Self.freeRowCode {
            freeRowEntries += 1
        } else {
            let r = Int(code)
            if rowStamp[r] == Int32(truncatingIfNeeded: j) {
                throw fail("COLUMNS: column '\(columnNames[j])' has a second entry in row '\(text(row))'")
            }
            rowStamp[r] = Int32(truncatingIfNeeded: j)
            if v != 0 {
                entryRows.append(code)
                entryColumns.append(Int32(truncatingIfNeeded: j))
                entryValues.append(v)
            }
        }
    }

    // MARK: RHS and RANGES

    mutating func readRightHandSideLine(_ start: Int, _ end: Int) throws(FormatError) {
        let title = section.title
        var set: MPSField?
        var pairs: [(MPSField, MPSField)] = []
        switch dialect {
        case .free:
            dropTrailingComment { $0 >= 2 && $0 <= 5 }
            guard (2...5).contains(words.count) else {
                throw fail("\(title): expected [set name] row value [row value], found \(words.count) fields\(surplus(from: 5))")
            }
            var k = 0
            if words.count % 2 == 1 {
                set = words[0]
                k = 1
            }
            while k + 1 < words.count {
                pairs.append((words[k], words[k + 1]))
                k += 2
            }
        case .fixed:
            let f = try fixedFields(start, end)
            try unexpected(f[0], in: title)
            set = f[1]
            guard let row = f[2], let value = f[3] else {
                throw fail("\(title): expected a row name in columns 15-22 and a value in columns 25-36")
            }
            pairs.append((row, value))
            if f[4] != nil || f[5] != nil {
                guard let row2 = f[4], let value2 = f[5] else {
                    throw fail("\(title): half a second pair (row in columns 40-47, value in 50-61)")
                }
                pairs.append((row2, value2))
            }
        }
        // Lines of a set that is not used are still checked, so a line of another section (a
        // missing header) or a typo is an error, not an ignored "set".
        let used = acceptSet(set)
        for (row, value) in pairs {
            guard let rowID = rowTable.find(p, row.start, row.end) else {
                throw fail("\(title): row '\(text(row))' is not in the ROWS section")
            }
            guard let v = finiteNumber(value) else { throw numberError(value, "\(title): value for row '\(text(row))'") }
            let code = rowCode[rowID]
            if section == .ranges && code == Self.objectiveCode {
                throw fail("RANGES: row '\(text(row))' is the objective; ranges apply to L, G and E rows")
            }
            guard used else { continue }
            if code == Self.freeRowCode {
                freeRowEntries += 1
                continue
            }
            if section == .rhs {
                if code == Self.objectiveCode {
                    if objectiveRHSLine != 0 { throw fail("RHS: second value for the objective row '\(text(row))' (the first is on line \(objectiveRHSLine))") }
                    objectiveRHSLine = Int32(truncatingIfNeeded: line)
                    objectiveConstant = v == 0 ? 0 : -v  // CPLEX/HiGHS convention: objective constant = -RHS
                    continue
                }
                let r = Int(code)
                if rhsLine[r] != 0 { throw fail("RHS: second value for row '\(text(row))' (the first is on line \(rhsLine[r]))") }
                rhsLine[r] = Int32(truncatingIfNeeded: line)
                rhs[r] = v
            } else {
                let r = Int(code)
                if rangeLine[r] != 0 { throw fail("RANGES: second value for row '\(text(row))' (the first is on line \(rangeLine[r]))") }
                rangeLine[r] = Int32(truncatingIfNeeded: line)
                range[r] = v
            }
        }
    }

    /// Whether a line of `set` belongs to the set in use (the first one seen in this section).
    /// A blank (fixed) or omitted (free) set name continues the set of the line before, as GLPK
    /// reads continuation lines; on the section's first line it is the unnamed set. Lines of
    /// other sets are counted for a warning naming each set and its first line.
    mutating func acceptSet(_ set: MPSField?) -> Bool {
        let bytes: [UInt8]
        if let set {
            bytes = Array(UnsafeBufferPointer(rebasing: p[set.start..<set.end]))
        } else {
            bytes = currentSet ?? []
        }
        currentSet = bytes
        guard let first = firstSet[section] else {
            firstSet[section] = (bytes, line)
            return true
        }
        if first.name == bytes { return true }
        var sets = ignoredSets[section] ?? []
        if let k = sets.firstIndex(where: { $0.bytes == bytes }) {
            sets[k].count += 1
        } else {
            sets.append((bytes, 1, line))
        }
        ignoredSets[section] = sets
        return false
    }

    // MARK: BOUNDS

    enum BoundType: String {
        case up = "UP", lo = "LO", fx = "FX", fr = "FR", mi = "MI", pl = "PL", bv = "BV", li = "LI", ui = "UI"

        var needsValue: Bool { [.up, .lo, .fx, .li, .ui].contains(self) }
        var setsLower: Bool { [.lo, .fx, .fr, .mi, .bv, .li].contains(self) }
        var setsUpper: Bool { [.up, .fx, .fr, .pl, .bv, .ui].contains(self) }
    }

    func boundType(_ f: MPSField) throws(FormatError) -> BoundType {
        if f.count == 2 {
            // Two bytes: a small string, no allocation.
            let code = String(decoding: UnsafeBufferPointer(rebasing: p[f.start..<f.end]), as: UTF8.self).uppercased()
            if let type = BoundType(rawValue: code) { return type }
            if equalsIgnoringCase(f, "SC") || equalsIgnoringCase(f, "SI") {
                throw fail("BOUNDS: bound type '\(text(f))' (semi-continuous) is not supported")
            }
        }
        throw fail("BOUNDS: unknown bound type '\(text(f))' (expected UP, LO, FX, FR, MI, PL, BV, LI or UI)")
    }

    mutating func readBoundLine(_ start: Int, _ end: Int) throws(FormatError) {
        let typeField: MPSField
        var set: MPSField?
        let column: MPSField
        var value: MPSField?
        switch dialect {
        case .free:
            dropTrailingComment { $0 >= 2 && $0 <= 4 }
            guard (2...4).contains(words.count) else {
                throw fail("BOUNDS: expected type [set name] column [value], found \(words.count) fields\(surplus(from: 4))")
            }
            typeField = words[0]
            let type = try boundType(typeField)
            switch (words.count, type.needsValue) {
            case (4, _):
                (set, column, value) = (words[1], words[2], words[3])
            case (3, true):
                (column, value) = (words[1], words[2])
            case (3, false):
                // `FR set column` or `FR column value`: the set name may be left out, and these
                // bound types take an (unused) value. Both readings valid is an error, not a guess.
                let asSet = columnTable.find(p, words[2].start, words[2].end) != nil
                let asValue = columnTable.find(p, words[1].start, words[1].end) != nil && finiteNumber(words[2]) != nil
                if asSet && asValue {
                    throw fail("BOUNDS: '\(text(words[1])) \(text(words[2]))' reads both as set '\(text(words[1]))' with column '\(text(words[2]))' and as column '\(text(words[1]))' with value \(text(words[2])); write all four fields")
                } else if asSet {
                    (set, column) = (words[1], words[2])
                } else if asValue {
                    (column, value) = (words[1], words[2])
                } else {
                    throw fail("BOUNDS: column '\(text(words[2]))' is not in the COLUMNS section")
                }
            case (_, true):
                throw fail("BOUNDS: \(type.rawValue) bound of column '\(text(words[1]))' has no value")
            default:
                column = words[1]
            }
        case .fixed:
            let f = try fixedFields(start, end)
            try unexpected(f[4], in: "BOUNDS")
            try unexpected(f[5], in: "BOUNDS")
            guard let t = f[0], let c = f[2] else {
                throw fail("BOUNDS: expected a bound type in columns 2-3 and a column name in columns 15-22")
            }
            (typeField, set, column, value) = (t, f[1], c, f[3])
        }
        let type = try boundType(typeField)
        let used = acceptSet(set)
        guard let j = columnTable.find(p, column.start, column.end) else {
            throw fail("BOUNDS: column '\(text(column))' is not in the COLUMNS section")
        }
        let columnName = columnNames[j]
        var v = 0.0
        if type.needsValue {
            guard let value else { throw fail("BOUNDS: \(type.rawValue) bound of column '\(columnName)' has no value") }
            guard let number = finiteNumber(value) else {
                throw numberError(value, "BOUNDS: \(type.rawValue) bound of column '\(columnName)'")
            }
            v = number
        } else if let value {
            guard finiteNumber(value) != nil else {  // allowed, unused
                throw numberError(value, "BOUNDS: value of the \(type.rawValue) bound of column '\(columnName)'")
            }
        }
        guard used else { return }  // checked, but of a set that is not used
        if type.setsLower && lowerLine[j] != 0 {
            throw fail("BOUNDS: second lower bound for column '\(columnName)' (the first is on line \(lowerLine[j]))")
        }
        if type.setsUpper && upperLine[j] != 0 {
            throw fail("BOUNDS: second upper bound for column '\(columnName)' (the first is on line \(upperLine[j]))")
        }
        let here = Int32(truncatingIfNeeded: line)
        binaryDefault[j] = false
        switch type {
        case .up, .ui:
            upper[j] = v
            if v < 0 && lowerLine[j] == 0 {
                lower[j] = -.infinity  // CPLEX/HiGHS: a negative upper bound frees the default lower bound
                if negativeUpper.count == 0 { negativeUpper = (0, columnName, line) }
                negativeUpper.count += 1
            }
        case .lo, .li: lower[j] = v
        case .fx: (lower[j], upper[j]) = (v, v)
        case .fr: (lower[j], upper[j]) = (-.infinity, .infinity)
        case .mi: lower[j] = -.infinity
        case .pl: upper[j] = .infinity
        case .bv: (lower[j], upper[j]) = (0, 1)
        }
        if type == .li || type == .ui || type == .bv { isInteger[j] = true }
        if type.setsLower { lowerLine[j] = here }
        if type.setsUpper { upperLine[j] = here }
    }

    /// Whether `f` spells a bound type (used to explain a line that lost its BOUNDS header).
    func isBoundTypeWord(_ f: MPSField) -> Bool {
        guard f.count == 2 else { return false }
        for code in ["UP", "LO", "FX", "FR", "MI", "PL", "BV", "LI", "UI", "SC", "SI"] where Self.equalsIgnoringCase(f, code.utf8, in: p) {
            return true
        }
        return false
    }
}
