/// How the GPUs inside one node talk to each other.
public enum Interconnect: String, Codable, Sendable, CaseIterable {
    /// NVLink / NVSwitch (or AMD Infinity Fabric): high-bandwidth GPU-to-GPU links.
    case nvlink
    /// GPUs communicate over PCIe only.
    case pcie
    /// Unknown or no GPU-to-GPU path (e.g. single-GPU hosts).
    case none
}

/// Operational state of a node. Only ``healthy`` and ``suspect`` nodes are schedulable.
public enum HealthState: String, Codable, Sendable, CaseIterable {
    /// Fully usable.
    case healthy
    /// Usable but flagged (e.g. recent errors); planners may prefer other nodes.
    case suspect
    /// Excluded from new placements by an operator.
    case cordoned
    /// Being emptied; no new placements.
    case draining
    /// Down.
    case failed

    /// Whether new work may be placed on a node in this state.
    public var isSchedulable: Bool { self == .healthy || self == .suspect }
}

/// One machine with `gpuCount` identical accelerators.
public struct Node: Codable, Sendable, Hashable {
    /// Unique identifier within the pool.
    public var id: String
    /// The ``Provider/id`` of the supplier.
    public var provider: String
    /// Canonical accelerator model, e.g. `"H100"`, `"A100-80GB"`, `"V100"`, `"RTX4090"`, `"MI300X"`
    /// (see ``AcceleratorName/canonical(_:)``).
    public var accelerator: String
    /// Accelerator vendor, e.g. `"NVIDIA"`, `"AMD"`. Free text: the model makes no vendor assumptions.
    public var vendor: String
    /// Number of GPUs in the node.
    public var gpuCount: Int
    /// Memory per GPU in GiB.
    public var gpuMemoryGiB: Double
    /// GPU-to-GPU interconnect inside the node.
    public var interconnect: Interconnect
    /// Region (provider-specific free text).
    public var region: String
    /// Availability zone, if known.
    public var zone: String?
    /// On-demand price per GPU-hour (USD).
    public var pricePerGPUHour: Double
    /// Spot/interruptible price per GPU-hour (USD), if offered.
    public var spotPricePerGPUHour: Double?
    /// Probability P_i the node stays up for the planning horizon; `nil` falls back to the
    /// provider's ``Provider/availability`` and then to its kind's default.
    public var availability: Double?
    /// Operational state.
    public var health: HealthState
    /// GPUs already held by work GPUPool does not plan (running Kubernetes pods, Slurm jobs), 0…``gpuCount``.
    /// By convention they are the node's GPU indices `0..<gpusInUse`: plans never use them, and the free
    /// GPUs of the node are `gpuCount - gpusInUse`.
    public var gpusInUse: Int

    /// Creates a node. `vendor` defaults to the vendor inferred from the accelerator name.
    public init(
        id: String, provider: String, accelerator: String, vendor: String? = nil,
        gpuCount: Int, gpuMemoryGiB: Double, interconnect: Interconnect = .pcie,
        region: String, zone: String? = nil, pricePerGPUHour: Double, spotPricePerGPUHour: Double? = nil,
        availability: Double? = nil, health: HealthState = .healthy, gpusInUse: Int = 0
    ) {
        self.id = id
        self.provider = provider
        self.accelerator = accelerator
        self.vendor = vendor ?? AcceleratorName.inferredVendor(accelerator)
        self.gpuCount = gpuCount
        self.gpuMemoryGiB = gpuMemoryGiB
        self.interconnect = interconnect
        self.region = region
        self.zone = zone
        self.pricePerGPUHour = pricePerGPUHour
        self.spotPricePerGPUHour = spotPricePerGPUHour
        self.availability = availability
        self.health = health
        self.gpusInUse = gpusInUse
    }

    /// Whether new work may be placed here (health is healthy or suspect).
    public var isSchedulable: Bool { health.isSchedulable }

    /// GPUs a plan may use: `gpuCount - gpusInUse` on a schedulable node, 0 otherwise.
    public var freeGPUs: Int { isSchedulable ? max(0, gpuCount - max(0, gpusInUse)) : 0 }

    /// The group this node belongs to under a locality constraint: all workers of a gang with that
    /// locality must be on nodes with the same key. `node` → the node id, `region` → provider + region
    /// (region names are provider-specific), `provider` → the provider id, `any` → one group for all.
    public func localityKey(_ locality: Locality) -> String {
        switch locality {
        case .node: "node:\(id)"
        case .region: "region:\(provider)/\(region)"
        case .provider: "provider:\(provider)"
        case .any: "any"
        }
    }

    /// Encodes every field; `gpusInUse` only when it is not 0, so pools without running work read as before.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(provider, forKey: .provider)
        try c.encode(accelerator, forKey: .accelerator)
        try c.encode(vendor, forKey: .vendor)
        try c.encode(gpuCount, forKey: .gpuCount)
        try c.encode(gpuMemoryGiB, forKey: .gpuMemoryGiB)
        try c.encode(interconnect, forKey: .interconnect)
        try c.encode(region, forKey: .region)
        try c.encodeIfPresent(zone, forKey: .zone)
        try c.encode(pricePerGPUHour, forKey: .pricePerGPUHour)
        try c.encodeIfPresent(spotPricePerGPUHour, forKey: .spotPricePerGPUHour)
        try c.encodeIfPresent(availability, forKey: .availability)
        try c.encode(health, forKey: .health)
        if gpusInUse != 0 { try c.encode(gpusInUse, forKey: .gpusInUse) }
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case id, provider, accelerator, vendor, gpuCount, gpuMemoryGiB, interconnect, region, zone
        case pricePerGPUHour, spotPricePerGPUHour, availability, health, gpusInUse
    }

    /// Decodes a node; `vendor` (inferred), `interconnect` (pcie), `health` (healthy), `gpusInUse` (0) and the optional fields may be
    /// omitted. The accelerator name is canonicalised (`"RTX 4090"` → `"RTX4090"`); unknown fields are errors.
    public init(from decoder: any Decoder) throws {
        try StrictDecoding.rejectUnknownKeys(in: decoder, known: CodingKeys.allCases.map(\.rawValue), what: "node")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let accelerator = AcceleratorName.canonical(try c.decode(String.self, forKey: .accelerator))
        self.init(
            id: try c.decode(String.self, forKey: .id),
            provider: try c.decode(String.self, forKey: .provider),
            accelerator: accelerator,
            vendor: try c.decodeIfPresent(String.self, forKey: .vendor),
            gpuCount: try c.decode(Int.self, forKey: .gpuCount),
            gpuMemoryGiB: try c.decode(Double.self, forKey: .gpuMemoryGiB),
            interconnect: try c.decodeIfPresent(Interconnect.self, forKey: .interconnect) ?? .pcie,
            region: try c.decode(String.self, forKey: .region),
            zone: try c.decodeIfPresent(String.self, forKey: .zone),
            pricePerGPUHour: try c.decode(Double.self, forKey: .pricePerGPUHour),
            spotPricePerGPUHour: try c.decodeIfPresent(Double.self, forKey: .spotPricePerGPUHour),
            availability: try c.decodeIfPresent(Double.self, forKey: .availability),
            health: try c.decodeIfPresent(HealthState.self, forKey: .health) ?? .healthy,
            gpusInUse: try c.decodeIfPresent(Int.self, forKey: .gpusInUse) ?? 0
        )
    }
}
