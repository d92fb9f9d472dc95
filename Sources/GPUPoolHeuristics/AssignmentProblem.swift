/// Whether an assignment problem minimises cost or maximises profit.
public enum AssignmentSense: String, Sendable, Codable, Hashable, CaseIterable {
    /// Smaller objective values are better (costs).
    case minimize
    /// Larger objective values are better (profits).
    case maximize
}

/// A generalized assignment problem with several resource dimensions.
///
/// Items (jobs, workers) are assigned to bins (GPUs, nodes). Assigning item `i` to bin `b`
/// uses `demand(item: i, bin: b, dimension: k)` of each resource dimension `k` of that bin,
/// whose use may not exceed `capacity(bin: b, dimension: k)`, and contributes
/// `cost(item: i, bin: b)` to the objective (a profit when ``sense`` is `.maximize`).
/// An item may only go to the bins it is eligible for. Mandatory items must be assigned;
/// optional items may stay unassigned at a fixed penalty, which is added to the objective
/// when minimising and subtracted when maximising.
///
/// The problem is validated when built: every value on an eligible pair must be finite,
/// demands, capacities and penalties non-negative. Values on ineligible pairs are ignored
/// (stored as 0). Storage is flat and item-major, so the data a move needs (one item over
/// all bins and dimensions) is contiguous.
public struct AssignmentProblem: Sendable, Hashable {
    /// Largest `items × bins × max(dimensions, 1)` a problem may have (about 33 million).
    public static let maximumEntries = 1 << 25

    /// Optional name, e.g. `gapd-3` for problem 3 of OR-Library file `gapd.txt`.
    public var name: String?
    /// Whether ``objective(of:)`` is minimised or maximised.
    public let sense: AssignmentSense
    /// Number of items (jobs) to assign.
    public let itemCount: Int
    /// Number of bins (GPUs, nodes) items can go to.
    public let binCount: Int
    /// Number of resource dimensions (e.g. memory, compute).
    public let dimensionCount: Int
    /// Optional display names of the items, used in messages.
    public let itemNames: [String]?
    /// Optional display names of the bins, used in messages.
    public let binNames: [String]?

    /// `costs[item * binCount + bin]`; 0 on ineligible pairs.
    let costs: [Double]
    /// `demands[(item * binCount + bin) * dimensionCount + dimension]`; 0 on ineligible pairs.
    let demands: [Double]
    /// `capacities[bin * dimensionCount + dimension]`.
    let capacities: [Double]
    /// `eligible[item * binCount + bin]`.
    let eligible: [Bool]
    /// Penalty for leaving each item unassigned; `nil` for mandatory items.
    let penalties: [Double?]

    /// Builds a problem from nested arrays laid out like the OR-Library files.
    ///
    /// - Parameters:
    ///   - name: Optional name used in messages and reports.
    ///   - sense: Whether `costs` are minimised (costs) or maximised (profits).
    ///   - costs: `costs[bin][item]`.
    ///   - demands: `demands[dimension][bin][item]`, one matrix per resource dimension.
    ///   - capacities: `capacities[dimension][bin]`.
    ///   - eligible: `eligible[bin][item]`; `nil` means every item may go to every bin.
    ///   - unassignedPenalties: per item, `nil` for a mandatory item or the penalty for
    ///     leaving it unassigned; `nil` as a whole means every item is mandatory.
    ///   - itemNames: optional display names, one per item.
    ///   - binNames: optional display names, one per bin.
    /// - Throws: ``AssignmentProblemError`` naming the first offending entry.
    public init(
        name: String? = nil,
        sense: AssignmentSense,
        costs: [[Double]],
        demands: [[[Double]]],
        capacities: [[Double]],
        eligible: [[Bool]]? = nil,
        unassignedPenalties: [Double?]? = nil,
        itemNames: [String]? = nil,
        binNames: [String]? = nil
    ) throws(AssignmentProblemError) {
        let binCount = costs.count
        let itemCount = costs.first?.count ?? (unassignedPenalties?.count ?? itemNames?.count ?? 0)
        let dimensionCount = demands.count
        guard capacities.count == dimensionCount else {
            throw .shapeMismatch(field: "capacities (dimensions)", expected: dimensionCount, found: capacities.count)
        }
        try Self.checkSize(items: itemCount, bins: binCount, dimensions: dimensionCount)
        for (bin, row) in costs.enumerated() where row.count != itemCount {
            throw .shapeMismatch(field: "costs[\(bin)]", expected: itemCount, found: row.count)
        }
        for (dimension, matrix) in demands.enumerated() {
            guard matrix.count == binCount else {
                throw .shapeMismatch(field: "demands[\(dimension)]", expected: binCount, found: matrix.count)
            }
            for (bin, row) in matrix.enumerated() where row.count != itemCount {
                throw .shapeMismatch(field: "demands[\(dimension)][\(bin)]", expected: itemCount, found: row.count)
            }
            guard capacities[dimension].count == binCount else {
                throw .shapeMismatch(
                    field: "capacities[\(dimension)]", expected: binCount, found: capacities[dimension].count)
            }
        }
        if let eligible {
            guard eligible.count == binCount else {
                throw .shapeMismatch(field: "eligible", expected: binCount, found: eligible.count)
            }
            for (bin, row) in eligible.enumerated() where row.count != itemCount {
                throw .shapeMismatch(field: "eligible[\(bin)]", expected: itemCount, found: row.count)
            }
        }
        var flatCosts = [Double](repeating: 0, count: itemCount * binCount)
        var flatDemands = [Double](repeating: 0, count: itemCount * binCount * dimensionCount)
        var flatEligible = [Bool](repeating: true, count: itemCount * binCount)
        var flatCapacities = [Double](repeating: 0, count: binCount * dimensionCount)
        for bin in 0..<binCount {
            for item in 0..<itemCount {
                let pair = item * binCount + bin
                flatCosts[pair] = costs[bin][item]
                flatEligible[pair] = eligible?[bin][item] ?? true
                for dimension in 0..<dimensionCount {
                    flatDemands[pair * dimensionCount + dimension] = demands[dimension][bin][item]
                }
            }
            for dimension in 0..<dimensionCount {
                flatCapacities[bin * dimensionCount + dimension] = capacities[dimension][bin]
            }
        }
        try self.init(
            flatName: name, sense: sense, itemCount: itemCount, binCount: binCount,
            dimensionCount: dimensionCount, costs: flatCosts, demands: flatDemands,
            capacities: flatCapacities, eligible: flatEligible,
            penalties: unassignedPenalties ?? [Double?](repeating: nil, count: itemCount),
            itemNames: itemNames, binNames: binNames)
    }

    /// Builds a single-resource problem (the classic GAP): every item mandatory and eligible everywhere.
    ///
    /// - Parameters:
    ///   - costs: `costs[bin][item]`.
    ///   - demands: `demands[bin][item]`.
    ///   - capacities: `capacities[bin]`.
    /// - Throws: ``AssignmentProblemError`` naming the first offending entry.
    public init(
        name: String? = nil, sense: AssignmentSense, costs: [[Double]], demands: [[Double]], capacities: [Double]
    ) throws(AssignmentProblemError) {
        try self.init(name: name, sense: sense, costs: costs, demands: [demands], capacities: [capacities])
    }

    /// Builds a problem from flat item-major arrays (the internal layout) and validates it.
    ///
    /// - Parameters:
    ///   - costs: `costs[item * binCount + bin]`.
    ///   - demands: `demands[(item * binCount + bin) * dimensionCount + dimension]`.
    ///   - capacities: `capacities[bin * dimensionCount + dimension]`.
    ///   - eligible: `eligible[item * binCount + bin]`; `nil` means all pairs are eligible.
    ///   - penalties: per item, `nil` for mandatory items.
    /// - Throws: ``AssignmentProblemError`` naming the first offending entry.
    public init(
        flatName name: String? = nil,
        sense: AssignmentSense,
        itemCount: Int,
        binCount: Int,
        dimensionCount: Int,
        costs: [Double],
        demands: [Double],
        capacities: [Double],
        eligible: [Bool]? = nil,
        penalties: [Double?]? = nil,
        itemNames: [String]? = nil,
        binNames: [String]? = nil
    ) throws(AssignmentProblemError) {
        guard itemCount >= 0, binCount >= 0, dimensionCount >= 0 else {
            throw .invalidValue(
                field: "counts", item: nil, bin: nil, dimension: nil,
                value: Double(min(itemCount, binCount, dimensionCount)), rule: "must not be negative")
        }
        try Self.checkSize(items: itemCount, bins: binCount, dimensions: dimensionCount)
        let pairs = itemCount * binCount
        guard costs.count == pairs else { throw .shapeMismatch(field: "costs", expected: pairs, found: costs.count) }
        guard demands.count == pairs * dimensionCount else {
            throw .shapeMismatch(field: "demands", expected: pairs * dimensionCount, found: demands.count)
        }
        guard capacities.count == binCount * dimensionCount else {
            throw .shapeMismatch(field: "capacities", expected: binCount * dimensionCount, found: capacities.count)
        }
        if let eligible, eligible.count != pairs {
            throw .shapeMismatch(field: "eligible", expected: pairs, found: eligible.count)
        }
        let penalties = penalties ?? [Double?](repeating: nil, count: itemCount)
        guard penalties.count == itemCount else {
            throw .shapeMismatch(field: "unassignedPenalties", expected: itemCount, found: penalties.count)
        }
        if let itemNames, itemNames.count != itemCount {
            throw .shapeMismatch(field: "itemNames", expected: itemCount, found: itemNames.count)
        }
        if let binNames, binNames.count != binCount {
            throw .shapeMismatch(field: "binNames", expected: binCount, found: binNames.count)
        }
        for bin in 0..<binCount {
            for dimension in 0..<dimensionCount {
                let value = capacities[bin * dimensionCount + dimension]
                guard value.isFinite, value >= 0 else {
                    throw .invalidValue(
                        field: "capacity", item: nil, bin: bin, dimension: dimension, value: value,
                        rule: "must be finite and non-negative")
                }
            }
        }
        for (item, penalty) in penalties.enumerated() {
            if let penalty, !(penalty.isFinite && penalty >= 0) {
                throw .invalidValue(
                    field: "unassignedPenalty", item: item, bin: nil, dimension: nil, value: penalty,
                    rule: "must be finite and non-negative")
            }
        }
        var costs = costs
        var demands = demands
        let eligible = eligible ?? [Bool](repeating: true, count: pairs)
        for item in 0..<itemCount {
            for bin in 0..<binCount {
                let pair = item * binCount + bin
                if !eligible[pair] {
                    // Ineligible pairs carry no data; normalising keeps equality and encoding stable.
                    costs[pair] = 0
                    for dimension in 0..<dimensionCount { demands[pair * dimensionCount + dimension] = 0 }
                    continue
                }
                guard costs[pair].isFinite else {
                    throw .invalidValue(
                        field: "cost", item: item, bin: bin, dimension: nil, value: costs[pair],
                        rule: "must be finite on an eligible pair")
                }
                for dimension in 0..<dimensionCount {
                    let value = demands[pair * dimensionCount + dimension]
                    guard value.isFinite, value >= 0 else {
                        throw .invalidValue(
                            field: "demand", item: item, bin: bin, dimension: dimension, value: value,
                            rule: "must be finite and non-negative on an eligible pair")
                    }
                }
            }
        }
        self.name = name
        self.sense = sense
        self.itemCount = itemCount
        self.binCount = binCount
        self.dimensionCount = dimensionCount
        self.costs = costs
        self.demands = demands
        self.capacities = capacities
        self.eligible = eligible
        self.penalties = penalties
        self.itemNames = itemNames
        self.binNames = binNames
    }

    private static func checkSize(items: Int, bins: Int, dimensions: Int) throws(AssignmentProblemError) {
        let (pairs, overflow1) = items.multipliedReportingOverflow(by: bins)
        let (entries, overflow2) = pairs.multipliedReportingOverflow(by: max(dimensions, 1))
        if overflow1 || overflow2 || entries > maximumEntries || items > maximumEntries || bins > maximumEntries
            || dimensions > maximumEntries
        {
            throw .tooLarge(items: items, bins: bins, dimensions: dimensions, limit: maximumEntries)
        }
    }

    // MARK: Accessors

    /// Cost (or profit) of putting `item` into `bin`; 0 for an ineligible pair.
    public func cost(item: Int, bin: Int) -> Double { costs[item * binCount + bin] }

    /// Amount of resource `dimension` that `item` uses in `bin`; 0 for an ineligible pair.
    public func demand(item: Int, bin: Int, dimension: Int) -> Double {
        demands[(item * binCount + bin) * dimensionCount + dimension]
    }

    /// Capacity of `bin` in resource `dimension`.
    public func capacity(bin: Int, dimension: Int) -> Double { capacities[bin * dimensionCount + dimension] }

    /// Whether `item` may be put into `bin`.
    public func isEligible(item: Int, bin: Int) -> Bool { eligible[item * binCount + bin] }

    /// Whether `item` must be assigned.
    public func isMandatory(item: Int) -> Bool { penalties[item] == nil }

    /// Penalty for leaving `item` unassigned, or `nil` when the item is mandatory.
    public func unassignedPenalty(item: Int) -> Double? { penalties[item] }

    /// A readable label for an item: its name when given, with the index.
    public func label(item: Int) -> String {
        if let name = itemNames?[item] { return "item \(item) (\(name))" }
        return "item \(item)"
    }

    /// A readable label for a bin: its name when given, with the index.
    public func label(bin: Int) -> String {
        if let name = binNames?[bin] { return "bin \(bin) (\(name))" }
        return "bin \(bin)"
    }
}
