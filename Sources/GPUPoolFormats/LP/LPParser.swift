import GPUPoolModel

/// One read of a CPLEX LP file: objective, constraints, bounds, integer and binary lists.
struct LPParser {
    enum Section: Equatable {
        case constraints, bounds, generals, binaries, end
        /// Semi-continuous or SOS sections: accepted only when empty (HiGHS writes an empty
        /// `semi` section in every MIP file).
        case emptyOnly(String)
        case unsupported(String)
    }

    var lexer: LPLexer
    var current: LPToken
    var lookahead: LPToken?
    let file: String

    var assembly = ModelAssembly()
    var columnTable = NameTable()
    var columnLine: [Int] = []
    var boundLine: [Int] = []
    var isInteger: [Bool] = []
    var isBinary: [Bool] = []
    var rowLines: [String: Int] = [:]
    var objectiveLine = 0
    var objectiveEndLine = Int.max
    var sectionLines: [String: Int] = [:]
    /// Line of the token before `current`.
    var previousLine = 0
    var warnings: [FormatWarning] = []
    /// Per variable: the line of the Bounds entry that last set its lower / upper bound.
    var lowerBoundLine: [Int] = []
    var upperBoundLine: [Int] = []
    /// Bounds that replaced an earlier bound of the same variable (the later one counts).
    var replacedBounds: (count: Int, name: String, line: Int, earlier: Int) = (0, "", 0, 0)

    init(buffer: UnsafeBufferPointer<UInt8>, file: String) {
        lexer = LPLexer(buffer: buffer, file: file)
        current = LPToken(kind: .end, start: 0, end: 0, line: 1, startsLine: true)
        self.file = file
    }

    var p: UnsafeBufferPointer<UInt8> { lexer.p }

    func fail(_ reason: String, line: Int? = nil) -> FormatError {
        FormatError(file: file, line: line ?? current.line, reason: reason)
    }

    /// The current token as text for messages.
    var shown: String {
        switch current.kind {
        case .end: "the end of the file"
        default: "'\(lexer.text(current.start, current.end))'"
        }
    }

    mutating func advance() throws(FormatError) {
        previousLine = current.line
        if let next = lookahead {
            current = next
            lookahead = nil
        } else {
            current = try lexer.next()
        }
    }

    mutating func peek() throws(FormatError) -> LPToken {
        if let next = lookahead { return next }
        let next = try lexer.next()
        lookahead = next
        return next
    }

    func isInfinity(_ t: LPToken) -> Bool {
        t.kind == .name && (lexer.matches(t, "inf") || lexer.matches(t, "infinity"))
    }

    // MARK: Sections

    /// The section that the current token starts, without consuming it; `nil` when the current
    /// token is not a section keyword at the start of a line.
    mutating func sectionAtCurrent() throws(FormatError) -> Section? {
        guard current.kind == .name, current.startsLine else { return nil }
        let t = current
        for word in ["st", "s.t.", "st."] where lexer.matches(t, word) { return .constraints }
        if lexer.matches(t, "subject") || lexer.matches(t, "such") {
            let next = try peek()
            if next.kind == .name && (lexer.matches(next, "to") || lexer.matches(next, "that")) { return .constraints }
            return nil
        }
        for word in ["bounds", "bound"] where lexer.matches(t, word) { return .bounds }
        for word in ["general", "generals", "gen", "integer", "integers"] where lexer.matches(t, word) { return .generals }
        for word in ["binary", "binaries", "bin"] where lexer.matches(t, word) { return .binaries }
        if lexer.matches(t, "end") { return .end }
        // `semi-continuous` is lexed as `semi`, `-`, `continuous`; the header's rest is skipped
        // in `parse()`.
        for word in ["semi", "semis", "semi-continuous"] where lexer.matches(t, word) {
            return .emptyOnly("semi-continuous variables are not supported")
        }
        for word in ["sos", "sos1", "sos2"] where lexer.matches(t, word) {
            return .emptyOnly("special ordered sets (SOS) are not supported")
        }
        for word in ["minimize", "minimise", "minimum", "min", "maximize", "maximise", "maximum", "max"] where lexer.matches(t, word) {
            return .unsupported("a second objective is not supported")
        }
        return nil
    }

    mutating func parse() throws(FormatError) -> ReadResult {
        try advance()
        if current.kind == .name, current.startsLine, lexer.matches(current, "end") {
            // An empty model: what `glpsol --wlp` writes for a problem without rows and columns.
            let endLine = current.line
            try advance()
            return try finish(endLine: endLine)
        }
        guard current.kind == .name else {
            throw fail(current.kind == .end ? "empty LP file (expected Minimize or Maximize)" : "expected Minimize or Maximize, found \(shown)")
        }
        if ["minimize", "minimise", "minimum", "min"].contains(where: { lexer.matches(current, $0) }) {
            assembly.sense = .minimize
        } else if ["maximize", "maximise", "maximum", "max"].contains(where: { lexer.matches(current, $0) }) {
            assembly.sense = .maximize
        } else {
            throw fail("expected Minimize or Maximize at the start of the LP file, found \(shown)")
        }
        objectiveLine = current.line
        try advance()
        try parseObjective()
        objectiveEndLine = current.line
        while true {
            guard current.kind != .end else { throw fail("file ends without End (truncated?)") }
            guard let section = try sectionAtCurrent() else {
                throw fail("expected a section (Subject To, Bounds, Generals, Binaries or End), found \(shown)")
            }
            let title = lexer.text(current.start, current.end)
            let sectionLine = current.line
            let key = "\(section)"
            if let first = sectionLines[key] { throw fail("second \(title) section (the first is on line \(first))") }
            if case let .unsupported(reason) = section { throw fail(reason) }
            sectionLines[key] = current.line
            if lexer.matches(current, "subject") || lexer.matches(current, "such") { try advance() }
            try advance()
            switch section {
            case .constraints: try parseConstraints()
            case .bounds: try parseBounds()
            case .generals: try parseNames(binary: false)
            case .binaries: try parseNames(binary: true)
            case .end: return try finish(endLine: sectionLine)
            case let .emptyOnly(reason):
                // Rest of a `semi-continuous` header.
                if current.kind == .minus, current.line == sectionLine {
                    let next = try peek()
                    if next.kind == .name, next.line == sectionLine, lexer.matches(next, "continuous") {
                        try advance()
                        try advance()
                    }
                }
                if current.kind != .end, try sectionAtCurrent() == nil {
                    throw fail("\(reason): the \(title) section (line \(sectionLine)) lists \(shown); only an empty one is accepted")
                }
            case let .unsupported(reason): throw fail(reason, line: sectionLine)
            }
        }
    }

    // MARK: Expressions

    mutating func variable(_ t: LPToken) throws(FormatError) -> Int {
        if let id = columnTable.find(p, t.start, t.end) { return id }
        if isInfinity(t) { throw fail("'\(lexer.text(t.start, t.end))' means infinity and cannot be a variable", line: t.line) }
        guard let name = String(validating: UnsafeBufferPointer(rebasing: p[t.start..<t.end]), as: UTF8.self) else {
            throw fail("variable name '\(lexer.text(t.start, t.end))' is not valid UTF-8", line: t.line)
        }
        if let problem = NameRules.problem(with: name) { throw fail("variable name '\(lexer.text(t.start, t.end))': \(problem)", line: t.line) }
        let id = columnTable.insert(p, t.start, t.end).id
        guard id < Int(Int32.max) else { throw fail("too many variables", line: t.line) }
        _ = assembly.addColumn(name: name)
        columnLine.append(t.line)
        boundLine.append(0)
        lowerBoundLine.append(0)
        upperBoundLine.append(0)
        isInteger.append(false)
        isBinary.append(false)
        return id
    }

    /// Parses `[sign] term { sign term }` where a term is `number`, `name` or `number name`.
    /// Variable terms go to `columns`/`coefficients`; returns the sum of constant terms and how
    /// many variable terms there were.
    mutating func parseExpression(
        columns: inout [Int32], coefficients: inout [Double]
    ) throws(FormatError) -> (constant: Double, variables: Int) {
        var constant = 0.0
        var variables = 0
        var first = true
        while true {
            var sign = 1.0
            var signed = false
            while current.kind == .plus || current.kind == .minus {
                if current.kind == .minus { sign = -sign }
                signed = true
                try advance()
            }
            if !signed && !first { break }
            first = false
            switch current.kind {
            case .number:
                let v = sign * current.value
                try advance()
                var isTerm = current.kind == .name && !isInfinity(current)
                if isTerm && current.startsLine { isTerm = try sectionAtCurrent() == nil }
                if isTerm {
                    columns.append(Int32(truncatingIfNeeded: try variable(current)))
                    coefficients.append(v)
                    variables += 1
                    try advance()
                } else {
                    constant += v
                }
            case .name:
                if isInfinity(current) { throw fail("infinite coefficient or constant \(shown) in an expression") }
                if current.startsLine, try sectionAtCurrent() != nil {
                    if signed { throw fail("expected a number or a variable after the sign, found the section keyword \(shown)") }
                    return (constant, variables)
                }
                columns.append(Int32(truncatingIfNeeded: try variable(current)))
                coefficients.append(sign)
                variables += 1
                try advance()
            case .other(UInt8(ascii: "[")):
                throw fail("quadratic terms ([ … ]) are not supported")
            default:
                if signed { throw fail("expected a number or a variable after the sign, found \(shown)") }
                return (constant, variables)
            }
        }
        return (constant, variables)
    }

    /// `[sign] number` or `[sign] inf(inity)`.
    mutating func parseConstant(after what: String) throws(FormatError) -> Double {
        var sign = 1.0
        while current.kind == .plus || current.kind == .minus {
            if current.kind == .minus { sign = -sign }
            try advance()
        }
        if current.kind == .number {
            let v = sign * current.value
            try advance()
            return v
        }
        if isInfinity(current) {
            try advance()
            return sign * .infinity
        }
        throw fail("expected a number after \(what), found \(shown)")
    }

    /// Ensures nothing but a new labelled statement follows on the line of `line`.
    mutating func expectLineEnd(_ line: Int, _ what: String) throws(FormatError) {
        guard current.kind != .end, current.line == line else { return }
        if current.kind == .name, try peek().kind == .colon { return }
        throw fail("unexpected \(shown) after \(what)")
    }

    // MARK: Objective and constraints

    mutating func parseObjective() throws(FormatError) {
        if current.kind == .name, try peek().kind == .colon, try sectionAtCurrent() == nil {
            assembly.objectiveName = try label()
        }
        var columns: [Int32] = []
        var coefficients: [Double] = []
        let (constant, _) = try parseExpression(columns: &columns, coefficients: &coefficients)
        for (j, c) in zip(columns, coefficients) { assembly.objective[Int(j)] += c }
        assembly.objectiveConstant = constant
    }

    /// Reads `name :` and returns the name.
    mutating func label() throws(FormatError) -> String {
        let t = current
        guard let name = String(validating: UnsafeBufferPointer(rebasing: p[t.start..<t.end]), as: UTF8.self) else {
            throw fail("name '\(lexer.text(t.start, t.end))' is not valid UTF-8")
        }
        if let problem = NameRules.problem(with: name) { throw fail("name '\(lexer.text(t.start, t.end))': \(problem)") }
        try advance()  // name
        try advance()  // colon
        return name
    }

    mutating func parseConstraints() throws(FormatError) {
        while current.kind != .end, try sectionAtCurrent() == nil {
            try parseConstraint()
        }
    }

    mutating func parseConstraint() throws(FormatError) {
        let line = current.line
        var name: String?
        if current.kind == .name, try peek().kind == .colon {
            let labelName = try label()
            if let first = rowLines[labelName] { throw fail("constraint name '\(labelName)' is used twice (first on line \(first))", line: line) }
            rowLines[labelName] = line
            name = labelName
        }
        let title = name.map { "constraint '\($0)'" } ?? "the constraint"
        // Parse straight into the model's entry arrays (moved out so they stay uniquely owned).
        var entryColumns: [Int32] = []
        var entryValues: [Double] = []
        swap(&entryColumns, &assembly.entryColumns)
        swap(&entryValues, &assembly.entryValues)
        defer {
            swap(&entryColumns, &assembly.entryColumns)
            swap(&entryValues, &assembly.entryValues)
        }
        let (constant1, variables1) = try parseExpression(columns: &entryColumns, coefficients: &entryValues)
        guard case let .relation(relation1) = current.kind else {
            throw fail("expected <=, >= or = in \(title), found \(shown)")
        }
        try advance()
        var lower = -Double.infinity, upper = Double.infinity
        if variables1 > 0 {
            let rhs = try parseConstant(after: relation1.text) - constant1
            switch relation1 {
            case .lessOrEqual: upper = rhs
            case .greaterOrEqual: lower = rhs
            case .equal: (lower, upper) = (rhs, rhs)
            }
        } else {
            // `lo <= expression [<= hi]`: the constant comes first.
            let (constant2, variables2) = try parseExpression(columns: &entryColumns, coefficients: &entryValues)
            guard variables2 > 0 else { throw fail("\(title) has no variables", line: line) }
            let first = constant1 - constant2
            switch relation1 {
            case .lessOrEqual: lower = first
            case .greaterOrEqual: upper = first
            case .equal: (lower, upper) = (first, first)
            }
            if case let .relation(relation2) = current.kind {
                let relationLine = current.line
                try advance()
                let second = try parseConstant(after: relation2.text) - constant2
                switch (relation1, relation2) {
                case (.lessOrEqual, .lessOrEqual): upper = second
                case (.greaterOrEqual, .greaterOrEqual): lower = second
                default:
                    throw fail("a ranged constraint needs two <= or two >= (as in -1 <= x + y <= 5), not \(relation1.text) and \(relation2.text)", line: relationLine)
                }
            }
        }
        if lower.isNaN || upper.isNaN || lower > upper || lower == .infinity || upper == -.infinity {
            throw fail("\(title) has bounds [\(lower), \(upper)], which no value satisfies", line: line)
        }
        try expectLineEnd(previousLine, "the right-hand side of \(title)")
        assembly.rowNames.append(name)
        assembly.rowLower.append(lower)
        assembly.rowUpper.append(upper)
        assembly.rowStarts.append(entryColumns.count)
    }

    // MARK: Bounds

    mutating func parseBounds() throws(FormatError) {
        while current.kind != .end, try sectionAtCurrent() == nil {
            try parseBound()
        }
    }

    mutating func parseBound() throws(FormatError) {
        let line = current.line
        let j: Int
        if current.kind == .name, !isInfinity(current) {
            j = try variable(current)
            let variableText = lexer.text(current.start, current.end)
            try advance()
            if current.kind == .name, lexer.matches(current, "free") {
                try advance()
                noteBound(j, lower: true, upper: true, line: line)
                assembly.columnLower[j] = -.infinity
                assembly.columnUpper[j] = .infinity
            } else {
                guard case let .relation(relation) = current.kind else {
                    throw fail("expected <=, >=, = or 'free' after '\(variableText)' in Bounds, found \(shown)")
                }
                try advance()
                setBound(j, relation, try parseConstant(after: relation.text), variableFirst: true, line: line)
            }
        } else {
            let value = try parseConstant(after: "the start of a bound (as in 'x <= 4', '0 <= x <= 4' or 'x free')")
            guard case let .relation(relation) = current.kind else {
                throw fail("expected <=, >= or = in the bound, found \(shown)")
            }
            try advance()
            guard current.kind == .name, !isInfinity(current) else { throw fail("expected a variable in the bound, found \(shown)") }
            j = try variable(current)
            try advance()
            setBound(j, relation, value, variableFirst: false, line: line)
            if case let .relation(relation2) = current.kind {
                try advance()
                setBound(j, relation2, try parseConstant(after: relation2.text), variableFirst: true, line: line)
            }
        }
        boundLine[j] = line
        try expectLineEnd(previousLine, "the bound")
    }

    mutating func setBound(_ j: Int, _ relation: LPRelation, _ value: Double, variableFirst: Bool, line: Int) {
        switch (relation, variableFirst) {
        case (.lessOrEqual, true), (.greaterOrEqual, false):
            noteBound(j, lower: false, upper: true, line: line)
            assembly.columnUpper[j] = value
        case (.greaterOrEqual, true), (.lessOrEqual, false):
            noteBound(j, lower: true, upper: false, line: line)
            assembly.columnLower[j] = value
        case (.equal, _):
            noteBound(j, lower: true, upper: true, line: line)
            (assembly.columnLower[j], assembly.columnUpper[j]) = (value, value)
        }
    }

    /// Records which sides a Bounds entry on `line` sets; a side an earlier entry set is
    /// replaced (the later entry counts, as in CPLEX and glpsol), which is reported.
    mutating func noteBound(_ j: Int, lower: Bool, upper: Bool, line: Int) {
        var earlier = 0
        if lower {
            if lowerBoundLine[j] != 0 && lowerBoundLine[j] != line { earlier = lowerBoundLine[j] }
            lowerBoundLine[j] = line
        }
        if upper {
            if upperBoundLine[j] != 0 && upperBoundLine[j] != line { earlier = max(earlier, upperBoundLine[j]) }
            upperBoundLine[j] = line
        }
        guard earlier != 0 else { return }
        if replacedBounds.count == 0 { replacedBounds = (0, assembly.columnNames[j] ?? "", line, earlier) }
        replacedBounds.count += 1
    }

    // MARK: Generals and binaries

    mutating func parseNames(binary: Bool) throws(FormatError) {
        while current.kind != .end, try sectionAtCurrent() == nil {
            guard current.kind == .name else {
                throw fail("expected variable names in the \(binary ? "Binaries" : "Generals") section, found \(shown)")
            }
            let j = try variable(current)
            if binary { isBinary[j] = true } else { isInteger[j] = true }
            if boundLine[j] == 0 { boundLine[j] = current.line }
            try advance()
        }
    }

    // MARK: Result

    mutating func finish(endLine: Int) throws(FormatError) -> ReadResult {
        if current.kind != .end {
            var lines = Set<Int>()
            let first = current.line
            // Count the lines that hold tokens after End (ignored); stop at anything unreadable.
            while current.kind != .end {
                lines.insert(current.line)
                do { try advance() } catch { break }
            }
            warnings.append(FormatWarning(file: file, line: first, message: "text after End (line \(endLine)) ignored: \(lines.count) line(s)"))
        }
        if replacedBounds.count > 0 {
            warnings.append(FormatWarning(
                file: file, line: replacedBounds.line,
                message: "Bounds: \(replacedBounds.count) bound(s) replace an earlier bound of the same variable (the later one counts, as in CPLEX and glpsol), first '\(replacedBounds.name)' (earlier bound on line \(replacedBounds.earlier))"
            ))
        }
        assembly.name = lexer.problemName
        for comment in lexer.constantComments where comment.line >= objectiveLine && comment.line <= objectiveEndLine {
            assembly.objectiveConstant += comment.value
        }
        for j in 0..<assembly.columnCount {
            var lo = assembly.columnLower[j], hi = assembly.columnUpper[j]
            if isBinary[j] {
                lo = max(lo, 0)
                hi = min(hi, 1)
            }
            let line = boundLine[j] > 0 ? boundLine[j] : columnLine[j]
            let name = assembly.columnNames[j] ?? ""
            if lo > hi || lo == .infinity || hi == -.infinity {
                throw fail("variable '\(name)' has bounds [\(lo), \(hi)], which no value satisfies (a negative upper bound needs an explicit lower bound, as in '-inf <= x <= -1')", line: line)
            }
            let integral = isBinary[j] || isInteger[j]
            if integral {
                for b in [lo, hi] where b.isFinite && b.rounded() != b {
                    throw fail("integer variable '\(name)' has the fractional bound \(b)", line: line)
                }
            }
            assembly.columnLower[j] = lo
            assembly.columnUpper[j] = hi
            assembly.columnKind[j] = integral ? .integer : .continuous
        }
        return ReadResult(model: assembly.makeModel(), warnings: warnings)
    }
}
