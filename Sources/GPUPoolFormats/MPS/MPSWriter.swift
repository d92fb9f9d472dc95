import GPUPoolModel

/// Writes a ``GPUPoolModel/LinearProgram`` as free or fixed MPS that ``MPSReader`` reads back to
/// the same program.
///
/// - Integer columns sit in `MARKER` blocks and always get explicit bounds (`BV`, `FX`, or
///   `LO`/`MI` plus `UP`/`PL`), so readers that default marker columns to `[0, 1]` (GLPK, HiGHS)
///   and readers that default them to `[0, +inf)` agree.
/// - The objective constant `c` is written as the right-hand side `-c` of the objective row
///   (HiGHS convention; GLPK reads it with the opposite sign).
/// - A maximization writes `OBJSENSE` / `MAX` (GLPK 5.0's `glpsol` cannot read that section;
///   HiGHS, CPLEX and Gurobi can).
/// - A ranged row becomes a `G` (or `L`) row with a `RANGES` value chosen so that the reader
///   recomputes both bounds exactly.
/// - A free row (no bounds) becomes an extra `N` row, which readers drop; a warning says so.
/// - Names the dialect cannot hold (blanks in free MPS; more than 8 characters or leading `$`
///   in fixed MPS) are replaced by `C<j+1>` / `R<i+1>` with a warning.
/// - Fixed MPS has 12-character number fields: a number whose exact text is longer is written
///   with the most digits that fit, and a warning says how many numbers were shortened.
public struct MPSWriter: Sendable {
    /// The layout to write.
    public var dialect: MPSDialect

    /// A writer for `dialect` (free MPS by default).
    public init(dialect: MPSDialect = .free) {
        self.dialect = dialect
    }

    /// The MPS text for `program`; `file` names the destination in warnings and errors.
    /// - Throws: ``FormatError`` when the program does not pass ``GPUPoolModel/LinearProgram/validate()``.
    public func encode(_ program: LinearProgram, file: String = "<output>") throws(FormatError) -> EncodedModel {
        try program.validateForWriting(file: file)
        var writer = MPSTextWriter(program: program, dialect: dialect, file: file)
        return writer.write()
    }
}

/// One MPS write.
struct MPSTextWriter {
    let program: LinearProgram
    let dialect: MPSDialect
    let file: String
    let names: WriterNames
    var out = ByteWriter()
    var shortenedNumbers = 0
    var inexactRanges = 0
    var warnings: [FormatWarning] = []

    init(program: LinearProgram, dialect: MPSDialect, file: String) {
        self.program = program
        self.dialect = dialect
        self.file = file
        let fixed = dialect == .fixed
        let writable: (String) -> Bool = { name in
            guard !name.isEmpty, name.utf8.first != UInt8(ascii: "$") else { return false }
            if fixed {
                return name.utf8.count <= 8 && name.utf8.first != 0x20 && name.utf8.last != 0x20
            }
            return !name.utf8.contains(0x20)
        }
        names = WriterNames(
            program, format: fixed ? "fixed MPS" : "free MPS", file: file,
            columnWritable: writable,
            rowWritable: { writable($0) && $0.uppercased() != "'MARKER'" }
        )
        out = ByteWriter(reservingCapacity: 64 + program.matrix.nonzeroCount * 40)
    }

    mutating func write() -> EncodedModel {
        warnings.append(contentsOf: names.warnings)
        writeHeader()
        var forms: [RowForm] = []
        forms.reserveCapacity(program.rowCount)
        for i in 0..<program.rowCount { forms.append(rowForm(i)) }
        writeRows(forms)
        writeColumns()
        writeRightHandSides(forms)
        writeRanges(forms)
        writeBounds()
        out.write("ENDATA\n")
        if shortenedNumbers > 0 {
            warnings.append(FormatWarning(file: file, message: "\(shortenedNumbers) number(s) were shortened to the 12-character fixed-MPS field; write free MPS to keep them exact"))
        }
        if inexactRanges > 0 {
            warnings.append(FormatWarning(file: file, message: "\(inexactRanges) ranged row(s) cannot be written so that both bounds read back bit-for-bit; they differ by a rounding error"))
        }
        return EncodedModel(bytes: out.bytes, warnings: warnings)
    }

    // MARK: Lines

    /// Writes a data line with the six fields at their fixed columns. In free MPS a field that
    /// does not fit its columns pushes the rest right, separated by one blank.
    mutating func line(_ fields: [String?]) {
        let starts = [1, 4, 14, 24, 39, 49]  // zero-based columns of the fixed fields
        var column = 0
        guard let last = fields.lastIndex(where: { $0 != nil }) else {
            out.newline()
            return
        }
        for k in 0...last {
            guard let text = fields[k], !text.isEmpty else { continue }
            var start = starts[k]
            if k == 3 || k == 5 { start += max(0, 12 - text.utf8.count) }  // numbers right-aligned
            if column > 0 && start <= column { start = column + 1 }  // free MPS: a long field pushes on
            out.spaces(start - column)
            out.write(text)
            column = start + text.utf8.count
        }
        out.newline()
    }

    mutating func number(_ value: Double) -> String {
        switch dialect {
        case .free:
            return NumberText.shortest(value)
        case .fixed:
            let (text, exact) = NumberText.fitting(value, width: 12)
            if !exact { shortenedNumbers += 1 }
            return text
        }
    }

    // MARK: Sections

    mutating func writeHeader() {
        var name = program.name ?? ""
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            name = String(name.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
            warnings.append(FormatWarning(file: file, message: "control characters in the model name were replaced by blanks"))
        }
        out.write(name.isEmpty ? "NAME\n" : "NAME          \(name)\n")
        if program.sense == .maximize { out.write("OBJSENSE\n    MAX\n") }
    }

    enum RowForm {
        case free
        case equal(Double)
        case greater(Double)
        case less(Double)
        case rangedGreater(Double, Double)  // rhs, range
        case rangedLess(Double, Double)

        var type: String {
            switch self {
            case .free: "N"
            case .equal: "E"
            case .greater, .rangedGreater: "G"
            case .less, .rangedLess: "L"
            }
        }
        var rhs: Double {
            switch self {
            case .free: 0
            case let .equal(v), let .greater(v), let .less(v), let .rangedGreater(v, _), let .rangedLess(v, _): v
            }
        }
    }

    mutating func rowForm(_ i: Int) -> RowForm {
        let lo = program.rowLower[i], hi = program.rowUpper[i]
        switch (lo.isFinite, hi.isFinite) {
        case (false, false):
            warnings.append(FormatWarning(file: file, message: "row '\(names.rows[i])' has no bounds; it is written as an N row, which readers ignore"))
            return .free
        case (true, false): return .greater(lo)
        case (false, true): return .less(hi)
        case (true, true):
            if lo == hi { return .equal(lo) }
            if let r = Self.exactRange(from: lo, to: hi, width: dialect == .fixed ? 12 : nil, upward: true) {
                return .rangedGreater(lo, r)
            }
            if let r = Self.exactRange(from: lo, to: hi, width: dialect == .fixed ? 12 : nil, upward: false) {
                return .rangedLess(hi, r)
            }
            inexactRanges += 1
            return .rangedGreater(lo, hi - lo)
        }
    }

    /// A range `R ≥ 0` with `lo + R == hi` (upward, for a G row) or `hi - R == lo` (an L row) in
    /// floating point, preferring the shortest text; `nil` when no nearby value works.
    static func exactRange(from lo: Double, to hi: Double, width: Int?, upward: Bool) -> Double? {
        var candidates: [Double] = []
        var up = hi - lo, down = hi - lo
        candidates.append(up)
        for _ in 0..<4 {
            up = up.nextUp
            down = down.nextDown
            candidates.append(up)
            candidates.append(down)
        }
        var best: (value: Double, length: Int)?
        for r in candidates where r >= 0 && r.isFinite {
            let ok = upward ? lo + r == hi : hi - r == lo
            guard ok else { continue }
            let length = NumberText.shortest(r).utf8.count
            if let width, length > width { continue }
            if best == nil || length < best!.length { best = (r, length) }
        }
        return best?.value
    }

    mutating func writeRows(_ forms: [RowForm]) {
        out.write("ROWS\n")
        line(["N", names.objective])
        for i in forms.indices { line([forms[i].type, names.rows[i]]) }
    }

    mutating func writeColumns() {
        out.write("COLUMNS\n")
        var inIntegerBlock = false
        var pending: [(String, String)] = []
        for j in 0..<program.columnCount {
            if program.isInteger[j] != inIntegerBlock {
                inIntegerBlock.toggle()
                line([nil, "MARKER", "'MARKER'", nil, inIntegerBlock ? "'INTORG'" : "'INTEND'"])
            }
            pending.removeAll(keepingCapacity: true)
            if program.objective[j] != 0 { pending.append((names.objective, number(program.objective[j]))) }
            let (rows, values) = program.matrix.column(j)
            for (r, v) in zip(rows, values) { pending.append((names.rows[Int(r)], number(v))) }
            if pending.isEmpty { pending.append((names.objective, "0")) }  // the column must appear
            var k = 0
            while k < pending.count {
                if k + 1 < pending.count {
                    line([nil, names.columns[j], pending[k].0, pending[k].1, pending[k + 1].0, pending[k + 1].1])
                } else {
                    line([nil, names.columns[j], pending[k].0, pending[k].1])
                }
                k += 2
            }
        }
        if inIntegerBlock { line([nil, "MARKER", "'MARKER'", nil, "'INTEND'"]) }
    }

    mutating func writePairs(set: String, _ pairs: [(String, String)]) {
        var k = 0
        while k < pairs.count {
            if k + 1 < pairs.count {
                line([nil, set, pairs[k].0, pairs[k].1, pairs[k + 1].0, pairs[k + 1].1])
            } else {
                line([nil, set, pairs[k].0, pairs[k].1])
            }
            k += 2
        }
    }

    mutating func writeRightHandSides(_ forms: [RowForm]) {
        var pairs: [(String, String)] = []
        if program.objectiveConstant != 0 { pairs.append((names.objective, number(-program.objectiveConstant))) }
        for i in forms.indices where forms[i].rhs != 0 { pairs.append((names.rows[i], number(forms[i].rhs))) }
        out.write("RHS\n")
        writePairs(set: "RHS", pairs)
    }

    mutating func writeRanges(_ forms: [RowForm]) {
        var pairs: [(String, String)] = []
        for i in forms.indices {
            switch forms[i] {
            case let .rangedGreater(_, r), let .rangedLess(_, r): pairs.append((names.rows[i], number(r)))
            default: break
            }
        }
        guard !pairs.isEmpty else { return }
        out.write("RANGES\n")
        writePairs(set: "RNG", pairs)
    }

    mutating func writeBounds() {
        var lines: [(String, String, String?)] = []  // type, column, value
        for j in 0..<program.columnCount {
            let l = program.columnLower[j], u = program.columnUpper[j], name = names.columns[j]
            if l == u {
                lines.append(("FX", name, number(l)))
            } else if program.isInteger[j] {
                if l == 0 && u == 1 {
                    lines.append(("BV", name, nil))
                } else {
                    lines.append(l == -.infinity ? ("MI", name, nil) : ("LO", name, number(l)))
                    lines.append(u == .infinity ? ("PL", name, nil) : ("UP", name, number(u)))
                }
            } else if l == -.infinity && u == .infinity {
                lines.append(("FR", name, nil))
            } else {
                if l == -.infinity { lines.append(("MI", name, nil)) } else if l != 0 { lines.append(("LO", name, number(l))) }
                if u != .infinity { lines.append(("UP", name, number(u))) }
            }
        }
        guard !lines.isEmpty else { return }
        out.write("BOUNDS\n")
        for (type, name, value) in lines { line([type, "BND", name, value]) }
    }
}
