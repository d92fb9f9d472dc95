/// Which bin each item of an ``AssignmentProblem`` goes to.
///
/// `bins[item]` is the bin index, or `nil` when the item is left unassigned.
public struct Assignment: Sendable, Hashable, Codable {
    /// Bin index per item; `nil` = unassigned.
    public var bins: [Int?]

    /// An assignment from a bin index (or `nil`) per item.
    public init(bins: [Int?]) { self.bins = bins }

    /// An assignment from bin indices where any negative value means unassigned.
    public init(binIndices: [Int]) { self.bins = binIndices.map { $0 >= 0 ? $0 : nil } }

    /// Every one of `itemCount` items unassigned.
    public static func unassigned(itemCount: Int) -> Assignment {
        Assignment(bins: [Int?](repeating: nil, count: itemCount))
    }

    /// Number of items covered.
    public var itemCount: Int { bins.count }

    /// The bin of `item`, or `nil` when it is unassigned.
    public subscript(item: Int) -> Int? {
        get { bins[item] }
        set { bins[item] = newValue }
    }

    /// Bin indices with -1 for unassigned items.
    public var binIndices: [Int] { bins.map { $0 ?? -1 } }

    /// Indices of the items left unassigned.
    public var unassignedItems: [Int] { bins.indices.filter { bins[$0] == nil } }
}
