/// One way in which an ``Assignment`` breaks an ``AssignmentProblem``.
public enum AssignmentViolation: Sendable, Hashable, CustomStringConvertible {
    /// The assignment covers a different number of items than the problem has.
    case wrongItemCount(expected: Int, found: Int)
    /// An item is assigned to a bin index that does not exist.
    case binOutOfRange(item: Int, bin: Int)
    /// An item is assigned to a bin it is not eligible for.
    case ineligible(item: Int, bin: Int)
    /// A mandatory item is left unassigned.
    case mandatoryUnassigned(item: Int)
    /// The items in a bin use more of a resource dimension than the bin has.
    case capacityExceeded(bin: Int, dimension: Int, load: Double, capacity: Double)

    /// A readable, one-line explanation.
    public var description: String {
        switch self {
        case let .wrongItemCount(expected, found):
            return "assignment covers \(found) items, the problem has \(expected)"
        case let .binOutOfRange(item, bin):
            return "item \(item) is assigned to bin \(bin), which does not exist"
        case let .ineligible(item, bin):
            return "item \(item) is assigned to bin \(bin), which it is not eligible for"
        case let .mandatoryUnassigned(item):
            return "mandatory item \(item) is unassigned"
        case let .capacityExceeded(bin, dimension, load, capacity):
            return "bin \(bin) dimension \(dimension): load \(load) exceeds capacity \(capacity)"
        }
    }
}
