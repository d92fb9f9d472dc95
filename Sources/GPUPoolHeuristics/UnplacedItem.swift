/// Why an item was left unassigned.
public enum UnplacedReason: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The item is not eligible for any bin.
    case noEligibleBin
    /// The item alone exceeds some capacity of each bin it is eligible for.
    case tooLargeForEveryEligibleBin
    /// The item fits into some empty eligible bin, but the heuristic found no room for it
    /// next to the other items (the instance may be infeasible, or the heuristic failed).
    case capacityExhausted
    /// The item is optional and leaving it out is better than any placement found.
    case leftOutByChoice

    /// A readable, one-line explanation.
    public var description: String {
        switch self {
        case .noEligibleBin: return "not eligible for any bin"
        case .tooLargeForEveryEligibleBin: return "demand exceeds a capacity of every eligible bin"
        case .capacityExhausted: return "no room left in any eligible bin"
        case .leftOutByChoice: return "optional; its penalty is lower than placing it"
        }
    }
}

/// An item the heuristic left unassigned, and why.
public struct UnplacedItem: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Index of the item in the problem.
    public var item: Int
    /// Why it is unassigned.
    public var reason: UnplacedReason

    /// An unplaced item with its reason.
    public init(item: Int, reason: UnplacedReason) {
        self.item = item
        self.reason = reason
    }

    /// A readable, one-line explanation.
    public var description: String { "item \(item): \(reason)" }
}
