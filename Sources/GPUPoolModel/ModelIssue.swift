/// Where in a model a problem was found.
public enum ModelLocation: Sendable, Hashable, CustomStringConvertible {
    /// The model as a whole.
    case model
    /// The objective.
    case objective
    /// Column `index`, with its name when it has one.
    case column(Int, String?)
    /// Row `index`, with its name when it has one.
    case row(Int, String?)
    /// The entry of a row in a column.
    case entry(row: Int, rowName: String?, column: Int, columnName: String?)

    public var description: String {
        func label(_ kind: String, _ i: Int, _ name: String?) -> String {
            name.map { "\(kind) '\($0)' (#\(i))" } ?? "\(kind) #\(i)"
        }
        switch self {
        case .model: return "model"
        case .objective: return "objective"
        case let .column(i, n): return label("column", i, n)
        case let .row(i, n): return label("row", i, n)
        case let .entry(r, rn, c, cn): return "\(label("row", r, rn)), \(label("column", c, cn))"
        }
    }
}

/// One problem found while building or validating a model.
public struct ModelIssue: Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is.
    public var location: ModelLocation
    /// What is wrong, in words.
    public var message: String

    public init(_ location: ModelLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}

/// Thrown when a model cannot be given to a solver; lists every problem found (up to a cap).
public struct ModelValidationError: Error, Sendable, CustomStringConvertible {
    /// The problems, in model order.
    public var issues: [ModelIssue]
    /// How many problems there were in all (``issues`` keeps at most ``ModelValidationError/maximumReported``).
    public var totalCount: Int

    /// The most issues kept in one error.
    public static let maximumReported = 100

    public init(issues: [ModelIssue], totalCount: Int? = nil) {
        self.issues = Array(issues.prefix(Self.maximumReported))
        self.totalCount = totalCount ?? issues.count
    }

    public var description: String {
        var lines = issues.map(\.description)
        if totalCount > issues.count { lines.append("… and \(totalCount - issues.count) more problems") }
        return "invalid model: " + lines.joined(separator: "; ")
    }
}

/// Collects issues with a cap, so that a model with a million bad entries does not build a
/// million messages.
struct IssueCollector {
    private(set) var issues: [ModelIssue] = []
    private(set) var count = 0

    mutating func add(_ location: @autoclosure () -> ModelLocation, _ message: @autoclosure () -> String) {
        count += 1
        if issues.count < ModelValidationError.maximumReported { issues.append(ModelIssue(location(), message())) }
    }

    mutating func add(_ issue: ModelIssue) { add(issue.location, issue.message) }

    func throwIfAny() throws(ModelValidationError) {
        if count > 0 { throw ModelValidationError(issues: issues, totalCount: count) }
    }
}

/// Rules for names that every backend and file format can take.
public enum NameRules {
    /// GLPK refuses names longer than this (and calls `abort()`).
    public static let maximumLength = 255

    /// Why `name` cannot be used, or `nil` when it is fine.
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "name is empty" }
        if name.utf8.count > maximumLength { return "name is \(name.utf8.count) bytes long (at most \(maximumLength))" }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "name contains a control character"
        }
        return nil
    }
}
