/// Where the workers of one gang may be spread.
public enum Locality: String, Codable, Sendable, CaseIterable {
    /// All workers on one node.
    case node
    /// All workers in one region of one provider (region names are provider-specific, so equal region
    /// strings of different providers are different regions). See ``Node/localityKey(_:)``.
    case region
    /// All workers on nodes of one provider.
    case provider
    /// No restriction.
    case any
}
