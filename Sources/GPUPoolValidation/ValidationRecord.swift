import GPUPoolHeuristics
import GPUPoolModel

/// The result of one problem in a validation run; encodes to the documented JSON line
/// (`gpupool validate --json`).
public struct ValidationRecord: Sendable, Codable, Hashable {
    /// What the heuristic found.
    public struct HeuristicRun: Sendable, Codable, Hashable {
        public var name: String
        public var objective: Double?
        public var seconds: Double
        public var feasible: Bool
        /// Bin index (0-based) per item; -1 when unassigned.
        public var assignment: [Int]
    }

    /// What an exact run (auto or plain GLPK) found.
    public struct ExactRun: Sendable, Codable, Hashable {
        public var status: String
        public var objective: Double?
        public var bound: Double?
        public var seconds: Double

        /// Whether the run proved optimality.
        public var proven: Bool { status == TerminationStatus.optimal.rawValue }
    }

    public var instance: String
    /// Family (file name without extension), for summaries.
    public var family: String
    public var items: Int
    public var bins: Int
    public var sense: String
    public var heuristic: HeuristicRun
    public var auto: ExactRun?
    public var glpk: ExactRun?
    /// Known optimum or best-known value.
    public var known: Double?
    /// The heuristic's relative gap to the known or proven optimum (positive = worse).
    public var gap: Double?

    enum CodingKeys: String, CodingKey {
        case instance, items, bins, sense, heuristic, auto, glpk, known, gap
    }

    public init(
        instance: String, family: String, items: Int, bins: Int, sense: String, heuristic: HeuristicRun,
        auto: ExactRun? = nil, glpk: ExactRun? = nil, known: Double? = nil, gap: Double? = nil
    ) {
        self.instance = instance
        self.family = family
        self.items = items
        self.bins = bins
        self.sense = sense
        self.heuristic = heuristic
        self.auto = auto
        self.glpk = glpk
        self.known = known
        self.gap = gap
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        instance = try c.decode(String.self, forKey: .instance)
        family = instance.split(separator: "-").dropLast().joined(separator: "-")
        items = try c.decode(Int.self, forKey: .items)
        bins = try c.decode(Int.self, forKey: .bins)
        sense = try c.decode(String.self, forKey: .sense)
        heuristic = try c.decode(HeuristicRun.self, forKey: .heuristic)
        auto = try c.decodeIfPresent(ExactRun.self, forKey: .auto)
        glpk = try c.decodeIfPresent(ExactRun.self, forKey: .glpk)
        known = try c.decodeIfPresent(Double.self, forKey: .known)
        gap = try c.decodeIfPresent(Double.self, forKey: .gap)
    }

    /// Always writes every key, with `null` where a value is absent, so the line layout is stable.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(instance, forKey: .instance)
        try c.encode(items, forKey: .items)
        try c.encode(bins, forKey: .bins)
        try c.encode(sense, forKey: .sense)
        try c.encode(heuristic, forKey: .heuristic)
        if let auto { try c.encode(auto, forKey: .auto) }
        if let glpk { try c.encode(glpk, forKey: .glpk) }
        try c.encode(known, forKey: .known)
        try c.encode(gap, forKey: .gap)
    }

    /// Whether an exact run proved this problem optimal.
    public var proven: Bool { (auto?.proven ?? false) || (glpk?.proven ?? false) }

    /// Relative gap of `value` to `reference` in the direction of `sense` (positive = worse).
    public static func relativeGap(_ value: Double, reference: Double, sense: AssignmentSense) -> Double {
        let diff = sense == .maximize ? reference - value : value - reference
        return diff / max(1e-9, abs(reference))
    }
}
