/// The supply side: every provider and every node collected into one pool.
public struct Pool: Codable, Sendable, Equatable {
    /// All providers; ids are unique.
    public var providers: [Provider]
    /// All nodes; ids are unique and each references a provider.
    public var nodes: [Node]
    /// Where the pool was read from (file name and item lines), used to point validation
    /// errors at lines. Not encoded and ignored by `==`.
    public var origin: SourceOrigin?

    /// Creates a pool.
    public init(providers: [Provider], nodes: [Node], origin: SourceOrigin? = nil) {
        self.providers = providers
        self.nodes = nodes
        self.origin = origin
    }

    private enum CodingKeys: String, CodingKey, CaseIterable { case providers, nodes }

    /// Decodes a pool; both lists may be omitted (empty).
    public init(from decoder: any Decoder) throws {
        try StrictDecoding.rejectUnknownKeys(in: decoder, known: CodingKeys.allCases.map(\.rawValue), what: "pool")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        providers = try c.decodeIfPresent([Provider].self, forKey: .providers) ?? []
        nodes = try c.decodeIfPresent([Node].self, forKey: .nodes) ?? []
        origin = nil
    }

    /// Equality of providers and nodes (the origin is ignored).
    public static func == (a: Pool, b: Pool) -> Bool { a.providers == b.providers && a.nodes == b.nodes }

    /// The provider a node belongs to, or `nil` if its provider id is unknown.
    public func provider(of node: Node) -> Provider? {
        providers.first { $0.id == node.provider }
    }

    /// The provider with this id, if any.
    public func provider(id: String) -> Provider? {
        providers.first { $0.id == id }
    }

    /// P_i for a node: its own ``Node/availability``, else its provider's, else the provider kind's default.
    /// A node whose provider is unknown falls back to the community default (the most pessimistic kind).
    public func effectiveAvailability(of node: Node) -> Double {
        if let own = node.availability { return own }
        if let provider = provider(of: node) { return provider.effectiveAvailability }
        return ProviderKind.community.defaultAvailability
    }

    /// Total GPUs over all nodes (any health state). Saturates instead of overflowing.
    public var totalGPUs: Int {
        nodes.reduce(0) { sum, node in
            let (s, overflow) = sum.addingReportingOverflow(max(0, node.gpuCount))
            return overflow ? Int.max : s
        }
    }

    /// GPUs on schedulable nodes (healthy or suspect).
    public var schedulableGPUs: Int {
        nodes.filter(\.isSchedulable).reduce(0) { sum, node in
            let (s, overflow) = sum.addingReportingOverflow(max(0, node.gpuCount))
            return overflow ? Int.max : s
        }
    }

    /// The distinct accelerator models in the pool, sorted.
    public var acceleratorModels: [String] { Array(Set(nodes.map(\.accelerator))).sorted() }
}
