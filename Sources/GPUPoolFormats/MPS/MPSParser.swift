import GPUPoolModel

/// The state of one MPS read. Lines are handled one at a time straight from the file buffer;
/// names go through ``NameTable`` and numbers through ``DecimalNumber``, so reading is linear in
/// the file size.
struct MPSParser {
    enum Section: Int, Comparable {
        case start, name, objsense, rows, columns, rhs, ranges, bounds, end
        static func < (a: Section, b: Section) -> Bool { a.rawValue < b.rawValue }

        /// Sections must come in this order; equal ranks may come in any order.
        var rank: Int {
            switch self {
            case .start: 0
            case .name: 1
            case .objsense, .rows: 2
            case .columns: 3
            case .rhs, .ranges, .bounds: 4
            case .end: 5
            }
        }

        var title: String {
            switch self {
            case .start: "start of file"
            case .name: "NAME"
            case .objsense: "OBJSENSE"
            case .rows: "ROWS"
            case .columns: "COLUMNS"
            case .rhs: "RHS"
            case .ranges: "RANGES"
            case .bounds: "BOUNDS"
            case .end: "ENDATA"
            }
        }
    }

    /// Row codes in ``rowCode`` besides row indices.
    static let objectiveCode: Int32 = -1
    static let freeRowCode: Int32 = -2

    let p: UnsafeBufferPointer<UInt8>
    let file: String
    let dialect: MPSDialect

    var line = 0
    var section: Section = .start
    var sectionLines: [Section: Int] = [:]
    var words: [MPSField] = []
    var warnings: [FormatWarning] = []

    // Model-level data.
    var modelName: String?
    var sense: ObjectiveSense = .minimize
    var objectiveName: String?
    var objectiveConstant = 0.0
    var objectiveRHSLine: Int32 = 0

    // Rows.
    var rowTable = NameTable()
    var rowCode: [Int32] = []  // per row-table id
    var rowNames: [String] = []
    var rowType: [UInt8] = []  // L, G, E
    var rhs: [Double] = []
    var rhsLine: [Int32] = []
    var range: [Double] = []
    var rangeLine: [Int32] = []
    var freeRowNames: [String] = []
    var freeRowEntries = 0
    var freeRowLine = 0

    // Columns.
    var columnTable = NameTable()
    var columnNames: [String] = []
    var columnLine: [Int32] = []
    var lower: [Double] = []
    var upper: [Double] = []
    var isInteger: [Bool] = []
    var binaryDefault: [Bool] = []
    var lowerLine: [Int32] = []
    var upperLine: [Int32] = []
    var objective: [Double] = []
    var objectiveStamp: [Bool] = []
    var currentColumn = -1
    var currentColumnField = MPSField(start: 0, end: 0)
    var integerMarkerLine = 0  // line of the open INTORG marker, 0 when none
    var rowStamp: [Int32] = []
    var entryRows: [Int32] = []
    var entryColumns: [Int32] = []
    var entryValues: [Double] = []

    // Sets: the first set of each section (name and line) is used; lines of other sets are
    // checked, counted per set and ignored. `currentSet` is the set of the section's previous
    // line, which a blank or omitted set name continues.
    var firstSet: [Section: (name: [UInt8], line: Int)] = [:]
    var currentSet: [UInt8]?
    var ignoredSets: [Section: [(bytes: [UInt8], count: Int, line: Int)]] = [:]

    // Conventions applied and text ignored, reported as warnings by `finish()`.
    var negativeUpper: (count: Int, firstName: String, firstLine: Int) = (0, "", 0)
    var markerInteger: [Bool] = []  // per column: integer because of an INTORG block
    var keywordColumns: [(name: String, line: Int)] = []
    var sequenceLines: (count: Int, first: Int) = (0, 0)
    var linesAfterEnd: (count: Int, first: Int) = (0, 0)

    init(buffer: UnsafeBufferPointer<UInt8>, file: String, dialect: MPSDialect) {
        p = buffer
        self.file = file
        self.dialect = dialect
    }

    // MARK: Errors and field text

    func fail(_ reason: String) -> FormatError { FormatError(file: file, line: line, reason: reason) }

    /// The field's text for messages (invalid UTF-8 shown as U+FFFD, long text shortened).
    func text(_ f: MPSField) -> String {
        let s = String(decoding: UnsafeBufferPointer(rebasing: p[f.start..<f.end]), as: UTF8.self)
        return s.count > 60 ? String(s.prefix(57)) + "..." : s
    }

    /// The field as a name: valid UTF-8 and acceptable to ``NameRules``.
    func name(_ f: MPSField, kind: String) throws(FormatError) -> String {
        guard let s = String(validating: UnsafeBufferPointer(rebasing: p[f.start..<f.end]), as: UTF8.self) else {
            throw fail("\(kind) name '\(text(f))' is not valid UTF-8")
        }
        if let problem = NameRules.problem(with: s) { throw fail("\(kind) name '\(text(f))': \(problem)") }
        return s
    }

    /// The field as a finite number, or `nil` (then ``numberError(_:_:)`` says why). Messages are
    /// built only on failure: a closure capturing `self` here would copy the parser per line.
    func finiteNumber(_ f: MPSField) -> Double? {
        guard let v = DecimalNumber.parse(p, from: f.start, to: f.end), v.isFinite else { return nil }
        return v
    }

    /// Why the field is not a finite number; `what` says which value it is.
    func numberError(_ f: MPSField, _ what: String) -> FormatError {
        if DecimalNumber.parse(p, from: f.start, to: f.end) == nil {
            return fail("\(what): '\(text(f))' is not a number")
        }
        return fail("\(what): '\(text(f))' is out of range")
    }

    func equalsIgnoringCase(_ f: MPSField, _ word: StaticString) -> Bool {
        word.withUTF8Buffer { Self.equalsIgnoringCase(f, $0, in: p) }
    }

    /// Whether the field's bytes equal the upper-case ASCII `word`, ignoring case.
    static func equalsIgnoringCase<W: Collection<UInt8>>(_ f: MPSField, _ word: W, in p: UnsafeBufferPointer<UInt8>) -> Bool {
        guard f.count == word.count else { return false }
        var i = f.start
        for c in word {
            var b = p[i]
            if b >= 0x61 && b <= 0x7A { b -= 0x20 }
            if b != c { return false }
            i += 1
        }
        return true
    }

    // MARK: Driver

    mutating func parse() throws(FormatError) -> ReadResult {
        let n = p.count
        var start = p.hasUTF8ByteOrderMark ? 3 : 0
        while start < n {
            var end = start
            while end < n && p[end] != 0x0A { end += 1 }
            line += 1
            var stop = end
            if stop > start && p[stop - 1] == 0x0D { stop -= 1 }
            try handleLine(start, stop)
            start = end + 1
            if section == .end {
                try noteTextAfterEnd(from: start)
                break
            }
        }
        guard section == .end else {
            let reason = section == .start
                ? "no MPS sections found (is this an MPS file?)"
                : "file ends in the \(section.title) section without ENDATA (truncated?)"
            throw FormatError(file: file, line: max(line, 1), reason: reason)
        }
        return try finish()
    }

    /// Counts the non-blank, non-comment lines after `ENDATA` (ignored, with a warning). A
    /// section GPUPool cannot read there is an error: COIN-OR writes the quadratic part of a QP
    /// after `ENDATA` (`QUADOBJ`), and solving such a file as an LP would be a silent misread.
    mutating func noteTextAfterEnd(from offset: Int) throws(FormatError) {
        let n = p.count
        var start = offset
        var number = line
        var fields: [MPSField] = []
        while start < n {
            var end = start
            while end < n && p[end] != 0x0A { end += 1 }
            number += 1
            var k = start
            while k < end && (p[k] == 0x20 || p[k] == 0x09 || p[k] == 0x0D) { k += 1 }
            if k < end && p[start] != UInt8(ascii: "*") {
                if k == start {
                    MPSField.split(p, start, end, into: &fields)
                    if let first = fields.first, case let .unsupported(title, why)? = MPSKeyword.of(first, in: p) {
                        throw FormatError(file: file, line: number, reason: "section \(title) after ENDATA is not supported: \(why) (COIN-OR writes the quadratic part of a QP there)")
                    }
                }
                if linesAfterEnd.count == 0 { linesAfterEnd.first = number }
                linesAfterEnd.count += 1
            }
            start = end + 1
        }
    }

    mutating func handleLine(_ start: Int, _ end: Int) throws(FormatError) {
        do {
            try handleRecord(start, end)
        } catch {
            throw explainMissingHeader(error, start, end)
        }
    }

    /// Adds a hint to an error on a data line that looks like a line of a later section: a bound
    /// line (`UP BND x 4`) read as COLUMNS, RHS or RANGES data means the BOUNDS header is missing.
    func explainMissingHeader(_ error: FormatError, _ start: Int, _ end: Int) -> FormatError {
        guard [.columns, .rhs, .ranges].contains(section), error.line == line else { return error }
        var fields: [MPSField] = []
        MPSField.split(p, start, end, into: &fields)
        guard let first = fields.first, fields.count >= 3, isBoundTypeWord(first) else { return error }
        var explained = error
        explained.reason += " (the line starts with the bound type '\(text(first))': is the BOUNDS header missing?)"
        return explained
    }

    mutating func handleRecord(_ start: Int, _ end: Int) throws(FormatError) {
        guard end > start, p[start] != UInt8(ascii: "*") else { return }
        var i = start
        while i < end {
            let b = p[i]
            if (b < 0x20 && b != 0x09) || b == 0x7F {
                throw fail("control character 0x\(String(b, radix: 16, uppercase: true)) in column \(i - start + 1); this is not a text MPS file")
            }
            i += 1
        }
        MPSField.split(p, start, end, into: &words)
        guard let first = words.first else { return }  // blank line
        let indented = p[start] == 0x20 || p[start] == 0x09
        let keyword = MPSKeyword.of(first, in: p)

        if !indented, let keyword {
            switch keyword {
            case .name:
                try enter(.name)
                var s = first.end
                while s < end && (p[s] == 0x20 || p[s] == 0x09) { s += 1 }
                var e = end
                while e > s && (p[e - 1] == 0x20 || p[e - 1] == 0x09) { e -= 1 }
                modelName = s < e ? String(decoding: UnsafeBufferPointer(rebasing: p[s..<e]), as: UTF8.self) : nil
                return
            case .objsense:
                try enter(.objsense)
                if words.count >= 2 { try readSense(Array(words.dropFirst())) }
                return
            case let .section(s) where words.count == 1:
                try enter(s)
                return
            case let .unsupported(title, why):
                throw fail("section \(title) is not supported: \(why)")
            default:
                break  // a keyword followed by fields: data (a column named RHS, say)
            }
        } else if indented, words.count == 1, case let .section(s)? = keyword {
            try enter(s)
            return
        }

        if !indented && dialect == .fixed {
            throw fail("'\(text(first))' is not a section name, and fixed-MPS data lines must leave column 1 blank")
        }
        switch section {
        case .start, .name:
            if !indented {
                throw fail("unknown section '\(text(first))' (expected NAME, OBJSENSE, ROWS, COLUMNS, RHS, RANGES, BOUNDS or ENDATA)")
            }
            throw fail("data line outside any section (ROWS, COLUMNS, … must come first)")
        case .objsense: try readSense(words)
        case .rows: try readRowLine(start, end)
        case .columns: try readColumnLine(start, end)
        case .rhs, .ranges: try readRightHandSideLine(start, end)
        case .bounds: try readBoundLine(start, end)
        case .end: break
        }
    }

    mutating func enter(_ next: Section) throws(FormatError) {
        if let first = sectionLines[next] {
            throw fail("second \(next.title) section (the first is on line \(first))")
        }
        if next.rank < section.rank {
            throw fail("\(next.title) section after the \(section.title) section")
        }
        if section == .columns { try closeColumns() }
        if next.rank >= Section.columns.rank && section.rank < Section.columns.rank { startColumns() }
        sectionLines[next] = line
        section = next
        currentSet = nil
    }

    mutating func readSense(_ fields: [MPSField]) throws(FormatError) {
        guard fields.count == 1 else {
            throw fail("OBJSENSE: expected one of MAX, MAXIMIZE, MIN, MINIMIZE, found '\(fields.map(text).joined(separator: " "))'")
        }
        let f = fields[0]
        if equalsIgnoringCase(f, "MAX") || equalsIgnoringCase(f, "MAXIMIZE") || equalsIgnoringCase(f, "MAXIMISE") {
            sense = .maximize
        } else if equalsIgnoringCase(f, "MIN") || equalsIgnoringCase(f, "MINIMIZE") || equalsIgnoringCase(f, "MINIMISE") {
            sense = .minimize
        } else {
            throw fail("OBJSENSE: expected one of MAX, MAXIMIZE, MIN, MINIMIZE, found '\(text(f))'")
        }
    }
}

/// Section keywords of MPS files.
enum MPSKeyword {
    case name, objsense
    case section(MPSParser.Section)
    case unsupported(String, String)

    private static let known: [([UInt8], MPSKeyword)] = {
        let words: [(String, MPSKeyword)] = [
            ("NAME", .name), ("OBJSENSE", .objsense), ("ROWS", .section(.rows)), ("COLUMNS", .section(.columns)),
            ("RHS", .section(.rhs)), ("RANGES", .section(.ranges)), ("BOUNDS", .section(.bounds)),
            ("ENDATA", .section(.end)),
        ]
        return words.map { (Array($0.0.utf8), $0.1) }
    }()

    private static let unsupported: [([UInt8], MPSKeyword)] = {
        let words: [(String, String)] = [
            ("QUADOBJ", "quadratic objectives"), ("QMATRIX", "quadratic objectives"),
            ("QSECTION", "quadratic terms"), ("QCMATRIX", "quadratic constraints"),
            ("CSECTION", "conic constraints"), ("SOS", "special ordered sets"), ("SETS", "special ordered sets"),
            ("INDICATORS", "indicator constraints"), ("GENCONS", "general constraints"),
            ("PWLOBJ", "piecewise-linear objectives"), ("PWLNAM", "piecewise-linear terms"),
            ("PWLCON", "piecewise-linear constraints"), ("DELAYEDROWS", "lazy constraints"),
            ("LAZYCONS", "lazy constraints"), ("USERCUTS", "user cuts"), ("MODELCUTS", "user cuts"),
            ("OBJSENSE2", "multiple objectives"), ("OBJNAME", "objective rows chosen by name"),
        ]
        return words.map { (Array($0.0.utf8), MPSKeyword.unsupported($0.0, "\($0.1) are not supported by GPUPool")) }
    }()

    /// The keyword spelled by `p[f.start..<f.end]` (any case), or `nil`.
    static func of(_ f: MPSField, in p: UnsafeBufferPointer<UInt8>) -> MPSKeyword? {
        guard f.count >= 3, f.count <= 11 else { return nil }
        let first = p[f.start] | 0x20
        guard first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z") else { return nil }
        for (word, keyword) in known where MPSParser.equalsIgnoringCase(f, word, in: p) { return keyword }
        for (word, keyword) in unsupported where MPSParser.equalsIgnoringCase(f, word, in: p) { return keyword }
        return nil
    }
}
