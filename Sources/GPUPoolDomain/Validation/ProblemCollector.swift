/// Accumulates problems for one document, attaching file and line from its origin.
struct ProblemCollector {
    let origin: SourceOrigin?
    private(set) var problems: [Problem] = []

    init(origin: SourceOrigin?) { self.origin = origin }

    mutating func add(_ item: String, at path: String, _ message: String) {
        if let origin {
            problems.append(origin.problem(at: path, item: item, message: message))
        } else {
            problems.append(Problem(item: item, message: message))
        }
    }

    /// Adds a problem if `value` is not finite or outside `range`.
    mutating func checkNumber(_ value: Double, in range: ClosedRange<Double>, item: String, path: String, field: String,
                              expectation: String)
    {
        if !value.isFinite || !range.contains(value) {
            add(item, at: "\(path).\(field)", "\(field) must be \(expectation), got \(Self.show(value))")
        }
    }

    static func show(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "infinity" : "-infinity" }
        return "\(value)"
    }

    /// `node "n1"`, or `node #3` when the id is empty.
    static func itemName(_ kind: String, id: String, index: Int) -> String {
        id.isEmpty ? "\(kind) #\(index + 1)" : "\(kind) \"\(id)\""
    }
}
