/// The two layouts of MPS files.
public enum MPSDialect: String, Sendable, Hashable, CaseIterable {
    /// Fields separated by blanks; names cannot contain blanks. What most tools write today.
    case free
    /// Fields at fixed columns (2-3, 5-12, 15-22, 25-36, 40-47, 50-61); names are at most
    /// 8 characters and may contain blanks.
    case fixed

    /// Guesses the dialect of MPS text.
    ///
    /// Returns ``fixed`` only when every data line keeps to the fixed columns *and* at least one
    /// line reads differently as free MPS (a name with a blank, an empty name field such as a
    /// continuation line, a `$` comment). Files that read the same either way — most files
    /// written in fixed columns — are reported as ``free``, which then reads them correctly.
    /// ``ModelFile`` warns when a file detected as fixed also reads as free MPS into a different
    /// model, so the choice is never silent.
    public static func detect(_ bytes: [UInt8]) -> MPSDialect {
        bytes.withUnsafeBufferPointer { detect(buffer: $0) }
    }

    static func detect(buffer p: UnsafeBufferPointer<UInt8>) -> MPSDialect {
        var differs = false
        var start = 0
        let n = p.count
        var words: [MPSField] = []
        var inColumns = false
        while start < n {
            var end = start
            while end < n && p[end] != 0x0A { end += 1 }
            var stop = end
            if stop > start && p[stop - 1] == 0x0D { stop -= 1 }
            defer { start = end + 1 }
            guard stop > start, p[start] != UInt8(ascii: "*") else { continue }
            MPSField.split(p, start, stop, into: &words)
            if p[start] != 0x20 && p[start] != 0x09 {  // section header
                if let first = words.first { inColumns = MPSParser.equalsIgnoringCase(first, "COLUMNS".utf8, in: p) }
                continue
            }
            if words.isEmpty { continue }
            let cut = MPSField.endBeforeDollarComment(p, start, stop)
            // Fields, the blank columns between them and 62-72 must fit; columns 73-80 are the
            // card sequence field, ignored by fixed readers (with a warning here).
            guard let fields = MPSField.fixedFields(p, start, cut) else { return .free }
            // A COLUMNS line with a blank name continues the previous column: free MPS would take
            // its row name for the column.
            if inColumns && fields[1] == nil && fields[2] != nil { differs = true }
            let positional = fields.compactMap { $0 }
            if positional.count != words.count { differs = true; continue }
            for (a, b) in zip(positional, words) where a != b { differs = true }
        }
        return differs ? .fixed : .free
    }
}

/// A field of an MPS line: the byte range `start ..< end` of the file buffer.
struct MPSField: Equatable {
    var start: Int
    var end: Int

    var isEmpty: Bool { start >= end }
    var count: Int { end - start }

    /// Splits `p[start..<end]` at blanks and tabs.
    static func split(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, into words: inout [MPSField]) {
        words.removeAll(keepingCapacity: true)
        var i = start
        while i < end {
            while i < end && (p[i] == 0x20 || p[i] == 0x09) { i += 1 }
            if i >= end { break }
            let s = i
            while i < end && p[i] != 0x20 && p[i] != 0x09 { i += 1 }
            words.append(MPSField(start: s, end: i))
        }
    }

    /// The six fixed-column fields (trimmed; `nil` when blank), or `nil` when the line puts
    /// text between fields or in columns 62-72, or uses a tab. Text from column 73 on (the card
    /// sequence field) is not part of any field; see ``sequenceText(_:_:_:)``.
    static func fixedFields(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> [MPSField?]? {
        if firstStrayCharacter(p, start, end) != nil { return nil }
        return fieldRanges.map { range in
            var s = start + range.lowerBound - 1
            var e = min(end, start + range.upperBound)
            guard s < e else { return nil }
            while s < e && p[s] == 0x20 { s += 1 }
            while e > s && p[e - 1] == 0x20 { e -= 1 }
            return s < e ? MPSField(start: s, end: e) : nil
        }
    }

    /// Whether the line has non-blank text from column 73 on (before `end`).
    static func sequenceText(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var i = start + sequenceColumn - 1
        while i < end {
            if p[i] != 0x20 && p[i] != 0x09 { return true }
            i += 1
        }
        return false
    }

    /// Where a fixed-MPS line ends when field 3 or 5 opens with `$` (a comment that may run over
    /// the later columns, as GLPK reads it); `end` otherwise.
    static func endBeforeDollarComment(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        for range in [fieldRanges[2], fieldRanges[4]] {
            var k = start + range.lowerBound - 1
            let limit = min(end, start + range.upperBound)
            while k < limit && p[k] == 0x20 { k += 1 }
            if k < limit && p[k] == UInt8(ascii: "$") { return k }
        }
        return end
    }

    /// One-based columns of the fixed fields.
    static let fieldRanges: [ClosedRange<Int>] = [2...3, 5...12, 15...22, 25...36, 40...47, 50...61]

    /// The first column of the card sequence field (73-80), which fixed readers ignore.
    static let sequenceColumn = 73

    /// The first character (column, byte) outside the fixed fields up to column 72 (columns
    /// 62-72 must be blank, as GLPK requires), or a tab anywhere up to column 72.
    static func firstStrayCharacter(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (column: Int, byte: UInt8)? {
        let limit = min(end, start + sequenceColumn - 1)
        var i = start
        while i < limit {
            let b = p[i]
            let column = i - start + 1
            if b == 0x09 { return (column, b) }
            if b != 0x20 && !isFieldColumn(column) { return (column, b) }
            i += 1
        }
        return nil
    }

    @inline(__always) static func isFieldColumn(_ c: Int) -> Bool {
        (2...3).contains(c) || (5...12).contains(c) || (15...22).contains(c) || (25...36).contains(c)
            || (40...47).contains(c) || (50...61).contains(c)
    }
}

extension MPSField {
    /// Whether the field's bytes equal `other`'s.
    func sameBytes(as other: MPSField, in p: UnsafeBufferPointer<UInt8>) -> Bool {
        guard count == other.count else { return false }
        var i = start, j = other.start
        while i < end {
            if p[i] != p[j] { return false }
            i += 1; j += 1
        }
        return true
    }
}
