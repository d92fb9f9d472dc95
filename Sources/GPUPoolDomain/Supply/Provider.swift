/// The kind of organisation that supplies GPUs to the pool.
///
/// The kind sets the default availability probability of its nodes (see ``defaultAvailability``)
/// when neither the node nor its provider states one.
public enum ProviderKind: String, Codable, Sendable, CaseIterable {
    /// The pool owner's own data center.
    case ownDataCenter = "own"
    /// A commercial cloud (Lambda, FluidStack, AWS …).
    case cloud
    /// Community or individual owners (marketplaces such as Vast.ai, volunteer hosts).
    case community

    /// Default probability that a node of this kind stays up for the planning horizon:
    /// own data center 0.995, cloud 0.98, community 0.90.
    ///
    /// These are planning defaults, not measurements; override them per provider
    /// (``Provider/availability``) or per node (``Node/availability``), e.g. from learned history.
    public var defaultAvailability: Double {
        switch self {
        case .ownDataCenter: 0.995
        case .cloud: 0.98
        case .community: 0.90
        }
    }
}

/// A supplier of nodes: an own data center, a cloud or a community share.
public struct Provider: Codable, Sendable, Hashable {
    /// Unique identifier referenced by ``Node/provider`` and by job allow/deny lists.
    public var id: String
    /// What kind of supplier this is.
    public var kind: ProviderKind
    /// Human-readable name.
    public var name: String?
    /// Default availability probability P for this provider's nodes; `nil` uses ``ProviderKind/defaultAvailability``.
    public var availability: Double?

    /// Creates a provider.
    public init(id: String, kind: ProviderKind, name: String? = nil, availability: Double? = nil) {
        self.id = id
        self.kind = kind
        self.name = name
        self.availability = availability
    }

    private enum CodingKeys: String, CodingKey, CaseIterable { case id, kind, name, availability }

    /// Decodes a provider; `name` and `availability` may be omitted, unknown fields are errors.
    public init(from decoder: any Decoder) throws {
        try StrictDecoding.rejectUnknownKeys(in: decoder, known: CodingKeys.allCases.map(\.rawValue), what: "provider")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(String.self, forKey: .id),
            kind: try c.decode(ProviderKind.self, forKey: .kind),
            name: try c.decodeIfPresent(String.self, forKey: .name),
            availability: try c.decodeIfPresent(Double.self, forKey: .availability))
    }

    /// The availability its nodes get when they do not state their own.
    public var effectiveAvailability: Double { availability ?? kind.defaultAvailability }
}
