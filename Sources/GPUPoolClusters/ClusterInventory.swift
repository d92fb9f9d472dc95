import GPUPoolDomain

/// Which cluster manager an inventory came from.
public enum ClusterKind: String, Sendable, Codable, CaseIterable {
    case kubernetes
    case slurm
}

/// A taint on a Kubernetes node. Plans may place work on tainted nodes; the emitted manifests then
/// carry the matching tolerations (see ``KubernetesManifests``).
public struct NodeTaint: Sendable, Hashable, Codable {
    public var key: String
    public var value: String?
    /// `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
    public var effect: String

    public init(key: String, value: String? = nil, effect: String) {
        self.key = key
        self.value = value
        self.effect = effect
    }
}

/// One GPU node as a cluster manager reports it, already mapped to GPUPool's terms.
public struct ClusterNode: Sendable, Hashable {
    /// The cluster's node name (Kubernetes `metadata.name`, Slurm `NodeName`); the pool's node id.
    public var name: String
    /// Kubernetes: the `kubernetes.io/hostname` label (what `nodeSelector` pins to). Slurm: the node name.
    public var hostname: String
    /// The product or GRES type as the cluster spells it (`NVIDIA-A100-SXM4-80GB`, `a100`).
    public var product: String
    /// Canonical accelerator model (``AcceleratorName``), or the product as written when unknown.
    public var accelerator: String
    public var vendor: String
    /// GPUs the cluster lets jobs use (Kubernetes allocatable, Slurm GRES count).
    public var gpuCount: Int
    /// GPUs held by running pods or jobs.
    public var gpusInUse: Int
    public var gpuMemoryGiB: Double
    public var interconnect: Interconnect
    public var region: String
    public var zone: String?
    public var health: HealthState
    /// Kubernetes: the extended resource the GPUs are requested by (`nvidia.com/gpu`, `amd.com/gpu`).
    public var resourceName: String?
    /// Kubernetes: the node's taints.
    public var taints: [NodeTaint]
    /// Slurm: the GRES type (`a100`), `nil` for typeless GRES (`gpu:4`).
    public var gresType: String?
    /// Slurm: partitions the node is in.
    public var partitions: [String]
    /// Slurm features or selected Kubernetes labels, for reference.
    public var features: [String]

    public init(
        name: String, hostname: String? = nil, product: String, accelerator: String, vendor: String, gpuCount: Int,
        gpusInUse: Int = 0, gpuMemoryGiB: Double, interconnect: Interconnect = .pcie, region: String, zone: String? = nil,
        health: HealthState = .healthy, resourceName: String? = nil, taints: [NodeTaint] = [], gresType: String? = nil,
        partitions: [String] = [], features: [String] = []
    ) {
        self.name = name
        self.hostname = hostname ?? name
        self.product = product
        self.accelerator = accelerator
        self.vendor = vendor
        self.gpuCount = gpuCount
        self.gpusInUse = gpusInUse
        self.gpuMemoryGiB = gpuMemoryGiB
        self.interconnect = interconnect
        self.region = region
        self.zone = zone
        self.health = health
        self.resourceName = resourceName
        self.taints = taints
        self.gresType = gresType
        self.partitions = partitions
        self.features = features
    }
}

/// What a cluster manager's listings say about its GPU nodes, with every warning the reading raised.
///
/// Build one with ``KubernetesInventory/read(nodesFile:podsFile:mapping:options:)`` or
/// ``SlurmInventory/read(nodesFile:jobsFile:mapping:options:)``; turn it into a pool with ``pool(options:mapping:)``.
public struct ClusterInventory: Sendable {
    public var kind: ClusterKind
    /// GPU nodes in listing order (nodes without GPUs are left out, with a warning).
    public var nodes: [ClusterNode]
    /// Things the reader decided that the user should know (unknown accelerators, skipped nodes, …),
    /// each as `FILE[:LINE]: item: message`.
    public var warnings: [Problem]

    public init(kind: ClusterKind, nodes: [ClusterNode], warnings: [Problem] = []) {
        self.kind = kind
        self.nodes = nodes
        self.warnings = warnings
    }

    /// The node with this name, if any.
    public func node(named name: String) -> ClusterNode? { nodes.first { $0.name == name } }
}

/// How imported nodes become a pool's provider and prices.
public struct InventoryOptions: Sendable {
    /// Provider id of the imported nodes (default: the cluster kind).
    public var providerID: String?
    /// Provider kind (default own data center: these are the operator's own clusters).
    public var providerKind: ProviderKind
    /// Region for nodes without a region label (Slurm nodes never have one).
    public var defaultRegion: String
    /// Price per GPU-hour for accelerators the mapping gives no price (default 0: already paid for).
    public var defaultPricePerGPUHour: Double

    public init(providerID: String? = nil, providerKind: ProviderKind = .ownDataCenter, defaultRegion: String = "default",
                defaultPricePerGPUHour: Double = 0) {
        self.providerID = providerID
        self.providerKind = providerKind
        self.defaultRegion = defaultRegion
        self.defaultPricePerGPUHour = defaultPricePerGPUHour
    }
}

extension ClusterInventory {
    /// The inventory as a validated pool: one provider (``InventoryOptions/providerID``, default the cluster
    /// kind) holding every node, priced from the mapping.
    public func pool(options: InventoryOptions = InventoryOptions(), mapping: AcceleratorMapping = AcceleratorMapping()) throws -> Pool {
        let providerID = options.providerID ?? kind.rawValue
        let provider = Provider(id: providerID, kind: options.providerKind, name: "\(kind.rawValue) cluster")
        let nodes = self.nodes.map { node in
            Node(
                id: node.name, provider: providerID, accelerator: node.accelerator, vendor: node.vendor,
                gpuCount: node.gpuCount, gpuMemoryGiB: node.gpuMemoryGiB, interconnect: node.interconnect,
                region: node.region, zone: node.zone,
                pricePerGPUHour: mapping.prices[node.accelerator] ?? options.defaultPricePerGPUHour,
                health: node.health, gpusInUse: min(node.gpusInUse, node.gpuCount))
        }
        let pool = Pool(providers: [provider], nodes: nodes)
        try pool.validate()
        return pool
    }
}
