/// Why an ``AssignmentProblem`` could not be built.
///
/// Every case names the offending field and, where it applies, the item, bin and
/// resource dimension, so a caller can point at the bad input.
public enum AssignmentProblemError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An array has the wrong length, e.g. `costs[2]` holds 9 entries but there are 10 items.
    case shapeMismatch(field: String, expected: Int, found: Int)
    /// A number breaks a rule: not finite, negative where it must not be, …
    case invalidValue(field: String, item: Int?, bin: Int?, dimension: Int?, value: Double, rule: String)
    /// The problem would need more storage than ``AssignmentProblem/maximumEntries`` allows.
    case tooLarge(items: Int, bins: Int, dimensions: Int, limit: Int)

    /// A readable, one-line explanation.
    public var description: String {
        switch self {
        case let .shapeMismatch(field, expected, found):
            return "\(field): expected \(expected) entries, found \(found)"
        case let .invalidValue(field, item, bin, dimension, value, rule):
            var place: [String] = []
            if let item { place.append("item \(item)") }
            if let bin { place.append("bin \(bin)") }
            if let dimension { place.append("dimension \(dimension)") }
            let at = place.isEmpty ? "" : " at " + place.joined(separator: ", ")
            return "\(field)\(at): value \(value) \(rule)"
        case let .tooLarge(items, bins, dimensions, limit):
            return "problem too large: \(items) items × \(bins) bins × \(dimensions) dimensions"
                + " exceeds the limit of \(limit) entries"
        }
    }
}
