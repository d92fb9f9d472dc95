/// Where one job goes: shape, accelerator and workers per node.
struct PlacementDecision: Sendable, Hashable {
    var shape: Int
    var accelerator: Int
    /// Node index and number of workers on it.
    var parts: [NodePart]
    /// Re-planning: the job stays exactly on its current GPUs.
    var kept: Bool = false

    struct NodePart: Sendable, Hashable {
        var node: Int
        var workers: Int
    }
}

/// Why the greedy pass could not place a job (refined into a public reason later).
struct PlacementFailure: Sendable, OptionSet, Hashable {
    let rawValue: Int
    /// Some option fit the free capacity but cost more than the job's budget.
    static let budget = PlacementFailure(rawValue: 1)
    /// The tenant's remaining quota was too small.
    static let quota = PlacementFailure(rawValue: 2)
    /// No option fit the free capacity.
    static let capacity = PlacementFailure(rawValue: 4)
}

/// A tentative placement of one job and what it scores.
struct Candidate: Sendable {
    var decision: PlacementDecision
    var vector: [Double]
    var costPerHour: Double
    var inPreferredRegion: Bool
    /// Demand pressure on the accelerator (eligible demand ÷ capacity); lower leaves scarce models
    /// to the jobs that can only use them.
    var pressure: Double = 0
    var nodeCount: Int
    /// Free GPUs left on the tightest node used (smaller is a better fit).
    var leftover: Int
    /// Order in which candidates were generated (last tie-break, keeps results deterministic).
    var sequence: Int

    /// Whether `self` is better than `other` (term vector, then soft preferences, then packing).
    func isBetter(than other: Candidate) -> Bool {
        let c = Lexicographic.compare(vector, other.vector)
        if c != 0 { return c > 0 }
        if inPreferredRegion != other.inPreferredRegion { return inPreferredRegion }
        if abs(pressure - other.pressure) > 1e-9 { return pressure < other.pressure }
        if nodeCount != other.nodeCount { return nodeCount < other.nodeCount }
        if leftover != other.leftover { return leftover < other.leftover }
        return sequence < other.sequence
    }
}
