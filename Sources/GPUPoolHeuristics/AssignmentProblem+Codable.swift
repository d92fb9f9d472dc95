extension AssignmentProblem: Codable {
    private enum CodingKeys: String, CodingKey {
        case name, sense, itemCount, binCount, dimensionCount, costs, demands, capacities, eligible
        case unassignedPenalties, itemNames, binNames
    }

    /// Decodes the flat item-major layout and validates it like the initializers do.
    ///
    /// - Throws: `DecodingError.dataCorrupted` carrying the ``AssignmentProblemError`` text
    ///   when the decoded data does not form a valid problem.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(
                flatName: try container.decodeIfPresent(String.self, forKey: .name),
                sense: try container.decode(AssignmentSense.self, forKey: .sense),
                itemCount: try container.decode(Int.self, forKey: .itemCount),
                binCount: try container.decode(Int.self, forKey: .binCount),
                dimensionCount: try container.decode(Int.self, forKey: .dimensionCount),
                costs: try container.decode([Double].self, forKey: .costs),
                demands: try container.decode([Double].self, forKey: .demands),
                capacities: try container.decode([Double].self, forKey: .capacities),
                eligible: try container.decodeIfPresent([Bool].self, forKey: .eligible),
                penalties: try container.decodeIfPresent([Double?].self, forKey: .unassignedPenalties),
                itemNames: try container.decodeIfPresent([String].self, forKey: .itemNames),
                binNames: try container.decodeIfPresent([String].self, forKey: .binNames))
        } catch let error as AssignmentProblemError {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.description,
                                      underlyingError: error))
        }
    }

    /// Encodes the flat item-major layout (see ``init(flatName:sense:itemCount:binCount:dimensionCount:costs:demands:capacities:eligible:penalties:itemNames:binNames:)``).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(name, forKey: .name)
        try container.encode(sense, forKey: .sense)
        try container.encode(itemCount, forKey: .itemCount)
        try container.encode(binCount, forKey: .binCount)
        try container.encode(dimensionCount, forKey: .dimensionCount)
        try container.encode(costs, forKey: .costs)
        try container.encode(demands, forKey: .demands)
        try container.encode(capacities, forKey: .capacities)
        if eligible.contains(false) { try container.encode(eligible, forKey: .eligible) }
        if penalties.contains(where: { $0 != nil }) { try container.encode(penalties, forKey: .unassignedPenalties) }
        try container.encodeIfPresent(itemNames, forKey: .itemNames)
        try container.encodeIfPresent(binNames, forKey: .binNames)
    }
}
