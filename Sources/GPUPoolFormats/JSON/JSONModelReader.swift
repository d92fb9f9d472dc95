import GPUPoolModel

/// Reads the GPUPool JSON model format (see `Docs/ModelJSONFormat.md`).
///
/// Every error names the JSON path and the line, e.g.
/// `model.json:12: constraints[3].terms[1].variable: unknown variable "z"`.
/// Members may come in any order; unknown members are errors (a misspelt `"lowr"` must not be
/// silently ignored).
public struct JSONModelReader: ModelReader {
    /// The value of the `format` member.
    public static let formatName = "gpupool-model"
    /// The version this reader reads.
    public static let version = 1

    /// A reader.
    public init() {}

    /// Reads JSON given as bytes; `file` names it in errors.
    public func read(_ bytes: [UInt8], file: String = "<input>") throws(FormatError) -> ReadResult {
        try withBytes(bytes) { buffer throws(FormatError) in
            var parser = JSONModelParser(scanner: JSONScanner(buffer: buffer, file: file))
            return try parser.parse()
        }
    }
}

/// The schema-driven parse of one JSON model.
struct JSONModelParser {
    var s: JSONScanner
    var assembly = ModelAssembly()
    var formatSeen = false
    var versionSeen = false

    /// Variable references of terms: `>= 0` an id in `referenceNames`, `< 0` the column `-(ref + 1)`.
    var referenceIDs: [String: Int32] = [:]
    var referenceNames: [String] = []
    var objectiveRefs: [Int32] = []
    var objectiveCoefficients: [Double] = []
    var objectiveLines: [Int32] = []
    var rowRefs: [Int32] = []
    var rowLines: [Int32] = []
    var columnNameIndex: [String: Int] = [:]
    var rowNameIndex: [String: Int] = [:]
    var objectiveConstant = 0.0

    init(scanner: JSONScanner) { s = scanner }

    mutating func parse() throws(FormatError) -> ReadResult {
        guard s.peek() == UInt8(ascii: "{") else {
            throw s.fail("", s.atEnd ? "empty file (expected a JSON object)" : "expected a JSON object, found \(s.describeNext())")
        }
        var root = try s.beginObject("")
        while let key = try s.nextKey(&root, "") {
            switch key {
            case "format":
                guard let value = try s.string("format") else { throw s.fail("format", "expected a string") }
                guard value == JSONModelReader.formatName else {
                    throw s.fail("format", "expected \"\(JSONModelReader.formatName)\", found \"\(value)\"")
                }
                formatSeen = true
            case "version":
                guard let value = try s.number("version") else { throw s.fail("version", "expected a number") }
                guard value == Double(JSONModelReader.version) else {
                    throw s.fail("version", "version \(NumberText.shortest(value)) is not supported (this reader reads version \(JSONModelReader.version))")
                }
                versionSeen = true
            case "name":
                if try s.takeNull() { continue }
                guard let value = try s.string("name") else { throw s.fail("name", "expected a string or null") }
                assembly.name = value
            case "sense":
                guard let value = try s.string("sense") else { throw s.fail("sense", "expected \"minimize\" or \"maximize\"") }
                guard let sense = ObjectiveSense(rawValue: value) else {
                    throw s.fail("sense", "expected \"minimize\" or \"maximize\", found \"\(value)\"")
                }
                assembly.sense = sense
            case "objective": try parseObjective()
            case "variables": try parseVariables()
            case "constraints": try parseConstraints()
            default:
                throw s.fail("", "unknown member \"\(key)\" (expected format, version, name, sense, objective, variables, constraints)")
            }
        }
        if s.peek() != 0 || !s.atEnd { throw s.fail("", "unexpected \(s.describeNext()) after the model object") }
        guard formatSeen else { throw FormatError(file: s.file, reason: "format: missing (a model file starts with \"format\": \"\(JSONModelReader.formatName)\")") }
        guard versionSeen else { throw FormatError(file: s.file, reason: "version: missing (expected \"version\": \(JSONModelReader.version))") }
        return try finish()
    }

    // MARK: Parts

    mutating func parseObjective() throws(FormatError) {
        var objective = try s.beginObject("objective")
        while let key = try s.nextKey(&objective, "objective") {
            switch key {
            case "name":
                if try s.takeNull() { continue }
                guard let value = try s.string("objective.name") else { throw s.fail("objective.name", "expected a string or null") }
                if let problem = NameRules.problem(with: value) { throw s.fail("objective.name", problem) }
                assembly.objectiveName = value
            case "constant":
                guard let value = try s.number("objective.constant") else { throw s.fail("objective.constant", "expected a number") }
                objectiveConstant = value
            case "terms":
                var terms = try s.beginArray("objective.terms")
                while let k = try s.nextElement(&terms, "objective.terms") {
                    let (ref, coefficient) = try parseTerm("objective.terms[\(k)]")
                    objectiveRefs.append(ref)
                    objectiveCoefficients.append(coefficient)
                    objectiveLines.append(Int32(truncatingIfNeeded: s.line))
                }
            default:
                throw s.fail("objective", "unknown member \"\(key)\" (expected name, constant, terms)")
            }
        }
    }

    mutating func parseTerm(_ path: @autoclosure () -> String) throws(FormatError) -> (Int32, Double) {
        var ref: Int32?
        var coefficient: Double?
        var term = try s.beginObject(path())
        while let key = try s.nextKey(&term, path()) {
            switch key {
            case "variable":
                if let name = try s.string("\(path()).variable") {
                    if let id = referenceIDs[name] {
                        ref = id
                    } else {
                        let id = Int32(truncatingIfNeeded: referenceNames.count)
                        referenceIDs[name] = id
                        referenceNames.append(name)
                        ref = id
                    }
                } else if let index = try s.number("\(path()).variable") {
                    guard index >= 0, index == index.rounded(), index < Double(Int32.max) else {
                        throw s.fail("\(path()).variable", "variable index \(NumberText.shortest(index)) is not a column index (0, 1, 2, …)")
                    }
                    ref = -Int32(index) - 1
                } else {
                    throw s.fail("\(path()).variable", "expected a variable name or index, found \(s.describeNext())")
                }
            case "coefficient":
                guard let value = try s.number("\(path()).coefficient") else {
                    throw s.fail("\(path()).coefficient", "expected a number, found \(s.describeNext())")
                }
                coefficient = value
            default:
                throw s.fail(path(), "unknown member \"\(key)\" (expected variable, coefficient)")
            }
        }
        guard let ref else { throw s.fail(path(), "missing \"variable\"") }
        guard let coefficient else { throw s.fail(path(), "missing \"coefficient\"") }
        return (ref, coefficient)
    }

    /// A bound: a number, `null` (no bound) or one of the strings `-inf`, `inf`, `+inf`,
    /// `-infinity`, `infinity`, `+infinity`.
    mutating func parseBound(_ path: @autoclosure () -> String, noBound: Double) throws(FormatError) -> Double {
        if try s.takeNull() { return noBound }
        if let v = try s.number(path()) { return v }
        if let text = try s.string(path()) {
            switch text.lowercased() {
            case "-inf", "-infinity": return -.infinity
            case "inf", "+inf", "infinity", "+infinity": return .infinity
            default: throw s.fail(path(), "expected a number, null or \"-inf\"/\"inf\", found \"\(text)\"")
            }
        }
        throw s.fail(path(), "expected a number, null or \"-inf\"/\"inf\", found \(s.describeNext())")
    }

    mutating func optionalName(_ path: @autoclosure () -> String) throws(FormatError) -> String? {
        if try s.takeNull() { return nil }
        guard let value = try s.string(path()) else { throw s.fail(path(), "expected a string or null, found \(s.describeNext())") }
        if let problem = NameRules.problem(with: value) { throw s.fail(path(), problem) }
        return value
    }

    mutating func parseVariables() throws(FormatError) {
        var variables = try s.beginArray("variables")
        while let k = try s.nextElement(&variables, "variables") {
            var name: String?
            var lower = 0.0, upper = Double.infinity
            var kind = VariableKind.continuous
            _ = s.peek()  // move to the element, so `line` is its line
            let line = s.line
            var object = try s.beginObject("variables[\(k)]")
            while let key = try s.nextKey(&object, "variables[\(k)]") {
                switch key {
                case "name": name = try optionalName("variables[\(k)].name")
                case "lower": lower = try parseBound("variables[\(k)].lower", noBound: -.infinity)
                case "upper": upper = try parseBound("variables[\(k)].upper", noBound: .infinity)
                case "kind":
                    guard let text = try s.string("variables[\(k)].kind"), let value = VariableKind(rawValue: text) else {
                        throw s.fail("variables[\(k)].kind", "expected \"continuous\", \"integer\" or \"binary\"")
                    }
                    kind = value
                default:
                    throw s.fail("variables[\(k)]", "unknown member \"\(key)\" (expected name, lower, upper, kind)")
                }
            }
            // The path text is built only for an error message, not for every element.
            func path() -> String { "variables[\(k)]" }
            if lower == .infinity || upper == -.infinity || lower > upper {
                throw FormatError(file: s.file, line: line, reason: "\(path()): bounds [\(lower), \(upper)] leave no value")
            }
            if kind != .continuous {
                for b in [lower, upper] where b.isFinite && b.rounded() != b {
                    throw FormatError(file: s.file, line: line, reason: "\(path()): \(kind.rawValue) variable has the fractional bound \(b)")
                }
            }
            if let name {
                if let first = columnNameIndex.updateValue(k, forKey: name) {
                    throw FormatError(file: s.file, line: line, reason: "\(path()).name: duplicate name \"\(name)\" (also variables[\(first)])")
                }
            }
            _ = assembly.addColumn(name: name, lower: lower, upper: upper, kind: kind)
        }
    }

    mutating func parseConstraints() throws(FormatError) {
        var constraints = try s.beginArray("constraints")
        while let k = try s.nextElement(&constraints, "constraints") {
            var name: String?
            var lower = -Double.infinity, upper = Double.infinity
            _ = s.peek()  // move to the element, so `line` is its line
            let line = s.line
            var object = try s.beginObject("constraints[\(k)]")
            while let key = try s.nextKey(&object, "constraints[\(k)]") {
                switch key {
                case "name": name = try optionalName("constraints[\(k)].name")
                case "lower": lower = try parseBound("constraints[\(k)].lower", noBound: -.infinity)
                case "upper": upper = try parseBound("constraints[\(k)].upper", noBound: .infinity)
                case "terms":
                    var terms = try s.beginArray("constraints[\(k)].terms")
                    while let t = try s.nextElement(&terms, "constraints[\(k)].terms") {
                        let (ref, coefficient) = try parseTerm("constraints[\(k)].terms[\(t)]")
                        rowRefs.append(ref)
                        assembly.entryValues.append(coefficient)
                        rowLines.append(Int32(truncatingIfNeeded: s.line))
                    }
                default:
                    throw s.fail("constraints[\(k)]", "unknown member \"\(key)\" (expected name, terms, lower, upper)")
                }
            }
            func path() -> String { "constraints[\(k)]" }
            if lower == .infinity || upper == -.infinity || lower > upper {
                throw FormatError(file: s.file, line: line, reason: "\(path()): bounds [\(lower), \(upper)] leave no value")
            }
            if let name {
                if let first = rowNameIndex.updateValue(k, forKey: name) {
                    throw FormatError(file: s.file, line: line, reason: "\(path()).name: duplicate name \"\(name)\" (also constraints[\(first)])")
                }
            }
            assembly.rowNames.append(name)
            assembly.rowLower.append(lower)
            assembly.rowUpper.append(upper)
            assembly.rowStarts.append(rowRefs.count)
        }
    }

    // MARK: Resolution

    /// Columns of the referenced names, or `-1` for names that are not variables.
    func resolvedReferences() -> [Int32] {
        referenceNames.map { name in columnNameIndex[name].map { Int32(truncatingIfNeeded: $0) } ?? -1 }
    }

    func column(of ref: Int32, _ resolved: [Int32], path: () -> String, line: Int32) throws(FormatError) -> Int32 {
        let n = assembly.columnCount
        if ref >= 0 {
            let j = resolved[Int(ref)]
            guard j >= 0 else {
                throw FormatError(file: s.file, line: Int(line), reason: "\(path()).variable: unknown variable \"\(referenceNames[Int(ref)])\"")
            }
            return j
        }
        let j = -(Int(ref) + 1)
        guard j < n else {
            throw FormatError(file: s.file, line: Int(line), reason: "\(path()).variable: variable index \(j) is out of range (there are \(n) variables)")
        }
        return Int32(j)
    }

    mutating func finish() throws(FormatError) -> ReadResult {
        let resolved = resolvedReferences()
        assembly.objectiveConstant = objectiveConstant
        for k in objectiveRefs.indices {
            let j = try column(of: objectiveRefs[k], resolved, path: { "objective.terms[\(k)]" }, line: objectiveLines[k])
            assembly.objective[Int(j)] += objectiveCoefficients[k]
        }
        assembly.entryColumns.reserveCapacity(rowRefs.count)
        var row = 0
        for k in rowRefs.indices {
            while assembly.rowStarts[row + 1] <= k { row += 1 }
            let r = row, t = k - assembly.rowStarts[row]
            let j = try column(of: rowRefs[k], resolved, path: { "constraints[\(r)].terms[\(t)]" }, line: rowLines[k])
            assembly.entryColumns.append(j)
        }
        return ReadResult(model: assembly.makeModel())
    }
}
