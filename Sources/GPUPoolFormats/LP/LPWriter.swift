import GPUPoolModel

/// Writes a ``GPUPoolModel/LinearProgram`` as a CPLEX LP file.
///
/// The layout follows `glpsol --wlp`: `\* Problem: NAME *\`, `Minimize`/`Maximize`, the
/// objective, `Subject To`, `Bounds`, `Generals`, `Binaries`, `End`. ``LPReader`` reads it back to
/// the same program (same column order, names, bounds and constant):
///
/// - Variables are numbered by first appearance in LP files, so when that order would differ from
///   the column order the objective lists every column (with `0` coefficients where needed).
/// - Unnamed rows are written without a label and read back unnamed; unnamed columns and names
///   LP cannot hold (starting with a digit or `.`, with characters outside CPLEX's set, or equal
///   to a keyword such as `end`, `free`, `inf`) are replaced by `C<j+1>` with a warning.
/// - Integer columns with bounds `[0, 1]` are listed under `Binaries`, other integer columns under
///   `Generals` with their bounds.
///
/// Two things GLPK 5.0's LP reader cannot take differ by ``Dialect``:
/// - ``Dialect/standard`` writes the objective constant as a constant term (`obj: x + 3`) and a
///   ranged row as `name: lo <= expression <= hi`; ``LPReader`` and HiGHS read both (not every
///   CPLEX-LP reader reads the ranged form).
/// - ``Dialect/glpk`` writes what `glpsol --lp` reads: the constant as the comment
///   `\* constant term = C *\` (``LPReader`` reads it back, glpsol ignores it) and each ranged or
///   free row `i` as `expression - ~r_i = 0` with the slack column `lo <= ~r_i <= hi` (what
///   `glpsol --wlp` does; reading such a file back gives an equivalent model with the extra columns).
public struct LPWriter: Sendable {
    /// How to write the features that GLPK's LP reader lacks.
    public enum Dialect: String, Sendable, Hashable, CaseIterable {
        /// CPLEX LP with constant terms and `lo <= expression <= hi` rows (read by HiGHS and ``LPReader``).
        case standard
        /// What GLPK 5.0's `glpsol --lp` reads.
        case glpk
    }

    /// Which dialect to write.
    public var dialect: Dialect

    /// A writer for `dialect` (``Dialect/standard`` by default).
    public init(dialect: Dialect = .standard) {
        self.dialect = dialect
    }

    /// The LP text for `program`; `file` names the destination in warnings and errors.
    /// - Throws: ``FormatError`` when the program does not pass ``GPUPoolModel/LinearProgram/validate()``.
    public func encode(_ program: LinearProgram, file: String = "<output>") throws(FormatError) -> EncodedModel {
        try program.validateForWriting(file: file)
        if program.columnCount == 0 && program.rowCount > 0 {
            throw FormatError(file: file, reason: "cannot write constraints without variables in LP format")
        }
        var writer = LPTextWriter(program: program, dialect: dialect, file: file)
        return writer.write()
    }

    /// Keywords that cannot be variable or constraint names (compared in lower case).
    static let keywords: Set<String> = [
        "minimize", "minimise", "minimum", "min", "maximize", "maximise", "maximum", "max",
        "subject", "such", "st", "s.t.", "st.", "to", "that", "bounds", "bound", "general", "generals", "gen",
        "integer", "integers", "binary", "binaries", "bin", "semi", "semis", "semi-continuous", "sos",
        "end", "free", "inf", "infinity",
    ]

    /// Whether CPLEX, Gurobi, GLPK and ``LPReader`` all read `name` as it is: ASCII letters, digits
    /// and the symbols CPLEX allows, not starting with a digit, `.`, `(`, `)` or `,`, not a keyword.
    static func isWritable(_ name: String) -> Bool {
        let bytes = name.utf8
        guard let first = bytes.first, bytes.count <= 255 else { return false }
        func allowed(_ b: UInt8, first: Bool) -> Bool {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): return true
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."): return !first
            default: return "!\"#$%&()/,;?@_`'{}|~".utf8.contains(b)
            }
        }
        // Gurobi also refuses names that start with `(`, `)` or `,`.
        guard allowed(first, first: true), !"(),".utf8.contains(first),
              bytes.dropFirst().allSatisfy({ allowed($0, first: false) })
        else { return false }
        return !keywords.contains(name.lowercased())
    }
}

/// One LP write.
struct LPTextWriter {
    let program: LinearProgram
    let dialect: LPWriter.Dialect
    let file: String
    let names: WriterNames
    var out = ByteWriter()
    var column = 0
    var warnings: [FormatWarning] = []
    /// Slack columns of the GLPK dialect: (name, row, lower, upper).
    var slacks: [(name: String, lower: Double, upper: Double)] = []

    init(program: LinearProgram, dialect: LPWriter.Dialect, file: String) {
        self.program = program
        self.dialect = dialect
        self.file = file
        names = WriterNames(
            program, format: "LP format", file: file,
            columnWritable: LPWriter.isWritable, rowWritable: LPWriter.isWritable, objectiveDefault: "obj"
        )
        out = ByteWriter(reservingCapacity: 256 + program.matrix.nonzeroCount * 16)
    }

    mutating func emit(_ text: String) {
        out.write(text)
        column += text.utf8.count
    }

    mutating func newline() {
        out.newline()
        column = 0
    }

    /// Writes ` + 3 x`, wrapping before it when the line would pass 79 characters.
    mutating func term(_ coefficient: Double, _ name: String) {
        let sign = coefficient < 0 || (coefficient == 0 && coefficient.sign == .minus) ? "-" : "+"
        let magnitude = abs(coefficient)
        let piece = magnitude == 1 ? "\(sign) \(name)" : "\(sign) \(NumberText.shortest(magnitude)) \(name)"
        wrap(piece)
    }

    mutating func wrap(_ piece: String) {
        if column > 1 && column + 1 + piece.utf8.count > 79 { newline() }
        emit(" ")
        emit(piece)
    }

    mutating func write() -> EncodedModel {
        warnings.append(contentsOf: names.warnings)
        if let name = program.name, !name.isEmpty {
            if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) || name.contains("*\\") {
                warnings.append(FormatWarning(file: file, message: "the model name cannot be written in an LP comment and was left out"))
            } else {
                emit("\\* Problem: \(name) *\\")
                newline()
                newline()
            }
        }
        let rows = program.rows()
        writeObjective(rows)
        writeConstraints(rows)
        writeBounds()
        writeIntegers()
        emit("End")
        newline()
        return EncodedModel(bytes: out.bytes, warnings: warnings)
    }

    // MARK: Objective

    /// Whether variables, numbered by first appearance, would come out in column order without
    /// listing them all in the objective.
    func naturalOrderHolds(_ rows: RowMajorMatrix) -> Bool {
        let n = program.columnCount
        var next = 0
        var seen = [Bool](repeating: false, count: n)
        func see(_ j: Int) -> Bool {
            if seen[j] { return true }
            guard j == next else { return false }
            seen[j] = true
            next += 1
            return true
        }
        var objectiveEmpty = true
        for j in 0..<n where program.objective[j] != 0 {
            objectiveEmpty = false
            if !see(j) { return false }
        }
        if objectiveEmpty && n > 0 && !see(0) { return false }
        for row in rows {
            if row.columns.isEmpty { if !see(0) { return false } }
            for j in row.columns where !see(Int(j)) { return false }
        }
        for j in 0..<n where hasBoundLine(j) { if !see(j) { return false } }
        for j in 0..<n where program.isInteger[j] { if !see(j) { return false } }
        return next == n
    }

    func isBinary(_ j: Int) -> Bool {
        program.isInteger[j] && program.columnLower[j] == 0 && program.columnUpper[j] == 1
    }

    func hasBoundLine(_ j: Int) -> Bool {
        if isBinary(j) { return false }
        return program.columnLower[j] != 0 || program.columnUpper[j] != .infinity
    }

    mutating func writeObjective(_ rows: RowMajorMatrix) {
        emit(program.sense == .maximize ? "Maximize" : "Minimize")
        newline()
        if program.objectiveName != nil { emit(" \(names.objective):") }
        let all = !naturalOrderHolds(rows)
        var wrote = false
        for j in 0..<program.columnCount where all || program.objective[j] != 0 {
            term(program.objective[j], names.columns[j])
            wrote = true
        }
        if !wrote && program.columnCount > 0 { term(0, names.columns[0]) }
        let constant = program.objectiveConstant
        if constant != 0 && dialect == .standard {
            wrap(constant < 0 ? "- \(NumberText.shortest(-constant))" : "+ \(NumberText.shortest(constant))")
        }
        newline()
        if constant != 0 && dialect == .glpk {
            emit("\\* constant term = \(NumberText.shortest(constant)) *\\")
            newline()
        }
        newline()
    }

    // MARK: Constraints

    mutating func writeConstraints(_ rows: RowMajorMatrix) {
        guard program.rowCount > 0 else { return }
        emit("Subject To")
        newline()
        var slackNames = Set(names.columns)
        for row in rows {
            let i = row.index
            let lo = program.rowLower[i], hi = program.rowUpper[i]
            if program.rowNames[i] != nil { emit(" \(names.rows[i]):") }
            let ranged = lo.isFinite && hi.isFinite && lo != hi
            let free = !lo.isFinite && !hi.isFinite
            if dialect == .standard && ranged { wrap("\(NumberText.shortest(lo)) <=") }
            if row.columns.isEmpty { term(0, names.columns[0]) }
            for (j, v) in zip(row.columns, row.values) { term(v, names.columns[Int(j)]) }
            if dialect == .glpk && (ranged || free) {
                var slack = "~r_\(i + 1)"
                var k = 1
                while slackNames.contains(slack) {
                    slack = "~r_\(i + 1)_\(k)"
                    k += 1
                }
                slackNames.insert(slack)
                slacks.append((slack, lo, hi))
                term(-1, slack)
                wrap("= 0")
            } else if ranged {
                wrap("<= \(NumberText.shortest(hi))")
            } else if free {
                wrap(">= -inf")
            } else if lo == hi {
                wrap("= \(NumberText.shortest(lo))")
            } else if lo.isFinite {
                wrap(">= \(NumberText.shortest(lo))")
            } else {
                wrap("<= \(NumberText.shortest(hi))")
            }
            newline()
        }
        newline()
    }

    // MARK: Bounds and integers

    mutating func bound(_ name: String, _ l: Double, _ u: Double) {
        if l == u {
            emit(" \(name) = \(NumberText.shortest(l))")
        } else if l == -.infinity && u == .infinity {
            emit(" \(name) free")
        } else if u == .infinity {
            emit(" \(name) >= \(NumberText.shortest(l))")
        } else {
            let lower = l == -.infinity ? "-inf" : NumberText.shortest(l)
            emit(" \(lower) <= \(name) <= \(NumberText.shortest(u))")
        }
        newline()
    }

    mutating func writeBounds() {
        let columns = (0..<program.columnCount).filter(hasBoundLine)
        guard !columns.isEmpty || !slacks.isEmpty else { return }
        emit("Bounds")
        newline()
        for j in columns { bound(names.columns[j], program.columnLower[j], program.columnUpper[j]) }
        for slack in slacks { bound(slack.name, slack.lower, slack.upper) }
        newline()
    }

    mutating func writeIntegers() {
        let generals = (0..<program.columnCount).filter { program.isInteger[$0] && !isBinary($0) }
        let binaries = (0..<program.columnCount).filter(isBinary)
        for (title, list) in [("Generals", generals), ("Binaries", binaries)] where !list.isEmpty {
            emit(title)
            newline()
            for j in list {
                emit(" \(names.columns[j])")
                newline()
            }
            newline()
        }
    }
}
