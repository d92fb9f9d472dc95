/// Nodes grouped into classes that are interchangeable for eligibility and locality checks
/// (same provider, region, model, memory and GPU count), so checking many jobs against a large pool
/// costs jobs × classes instead of jobs × nodes.
struct PoolCapacitySummary {
    struct NodeClass {
        /// One node of the class (its id is irrelevant).
        var representative: Node
        /// How many nodes share the class.
        var count: Int
    }

    private struct Key: Hashable {
        var provider: String
        var region: String
        var accelerator: String
        var memory: Double
        var gpuCount: Int
    }

    let classes: [NodeClass]

    init(_ pool: Pool) {
        var index: [Key: Int] = [:]
        var classes: [NodeClass] = []
        for node in pool.nodes {
            let key = Key(provider: node.provider, region: node.region, accelerator: node.accelerator,
                          memory: node.gpuMemoryGiB, gpuCount: node.gpuCount)
            if let position = index[key] {
                classes[position].count += 1
            } else {
                index[key] = classes.count
                classes.append(NodeClass(representative: node, count: 1))
            }
        }
        self.classes = classes
    }
}
