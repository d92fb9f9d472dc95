import GPUPoolDomain

/// A homogeneous-per-model cluster described as `v100:36,p100:36,k80:36` (model:GPUs), split into
/// nodes of ``gpusPerNode`` GPUs (the last node of a model takes the remainder).
public struct ClusterSpec: Sendable, Hashable {
    /// Canonical model → GPUs, in the order given.
    public var entries: [(model: String, gpus: Int)]
    /// GPUs per node.
    public var gpusPerNode: Int

    /// Default price per GPU-hour (USD) of the Gavel models, close to public cloud on-demand prices;
    /// other models cost 1.0 unless priced explicitly.
    public static let defaultPrices: [String: Double] = ["V100": 2.48, "P100": 1.46, "K80": 0.45]

    /// Parses `model:gpus[,model:gpus…]`.
    /// - Throws: ``SimulationError`` naming each malformed entry.
    public init(parsing text: String, gpusPerNode: Int = 4) throws(SimulationError) {
        var entries: [(String, Int)] = []
        var problems: [String] = []
        if !(1...4096).contains(gpusPerNode) { problems.append("GPUs per node \(gpusPerNode) must be between 1 and 4096") }
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = part.trimmingCharacters(in: .whitespaces)
            let pieces = item.split(separator: ":", omittingEmptySubsequences: false)
            guard pieces.count == 2, !pieces[0].trimmingCharacters(in: .whitespaces).isEmpty,
                  let count = Int(pieces[1].trimmingCharacters(in: .whitespaces)), count >= 1, count <= 1_000_000
            else {
                problems.append("cluster entry \"\(item)\": expected MODEL:GPUS with 1 ≤ GPUS ≤ 1000000, e.g. v100:36")
                continue
            }
            let model = AcceleratorName.canonical(String(pieces[0]))
            if entries.contains(where: { $0.0 == model }) { problems.append("cluster entry \"\(item)\": model \(model) listed twice") }
            entries.append((model, count))
        }
        if !problems.isEmpty { throw SimulationError(problems) }
        self.entries = entries
        self.gpusPerNode = gpusPerNode
    }

    /// The pool: one provider `cluster` (own data center, availability `availability`), nodes
    /// `<model>-<n>` in region `local`.
    public func pool(availability: Double? = nil) -> Pool {
        var nodes: [Node] = []
        let table = ThroughputTable.standard
        for (model, total) in entries {
            var left = total, n = 0
            let memory = table.specs[model]?.memoryGiB ?? 16
            while left > 0 {
                let size = min(gpusPerNode, left)
                nodes.append(Node(
                    id: "\(model.lowercased())-\(n)", provider: "cluster", accelerator: model, gpuCount: size,
                    gpuMemoryGiB: memory > 0 ? memory : 16, region: "local", pricePerGPUHour: Self.defaultPrices[model] ?? 1.0))
                left -= size
                n += 1
            }
        }
        return Pool(providers: [Provider(id: "cluster", kind: .ownDataCenter, name: "simulated cluster", availability: availability)], nodes: nodes)
    }

    /// Equality of entries and node size.
    public static func == (a: ClusterSpec, b: ClusterSpec) -> Bool {
        a.gpusPerNode == b.gpusPerNode && a.entries.map(\.model) == b.entries.map(\.model) && a.entries.map(\.gpus) == b.entries.map(\.gpus)
    }

    /// Hashes entries and node size.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(gpusPerNode)
        for e in entries { hasher.combine(e.model); hasher.combine(e.gpus) }
    }
}
