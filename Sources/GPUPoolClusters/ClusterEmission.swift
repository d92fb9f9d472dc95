import GPUPoolDomain
import GPUPoolPlanner

/// What the emitters write into a directory: one file per placed job, and a list of the unplaced jobs.
public struct ClusterEmission: Sendable {
    /// File name (inside the target directory) → contents, in plan order.
    public var files: [(name: String, contents: String)]
    /// For each placed job: its id, its file and where its workers go (`node ×GPUs`).
    public var placed: [(job: String, file: String, nodes: String)]
    /// Unplaced jobs with their reasons: never emitted.
    public var unplaced: [(job: String, reason: String)]
    /// Placed jobs with a worker on a node the cluster inventory does not list (a merged pool's cloud
    /// nodes, say): not this cluster's to run, so not emitted; listed with where they go.
    public var outside: [(job: String, nodes: String)] = []

    /// Whether a file's first bytes are an emitter's header (`# GPUPool plan` or `#!/bin/bash` + `# GPUPool plan:`).
    public static func isEmitted(_ head: String) -> Bool {
        head.hasPrefix("# GPUPool plan ") || head.hasPrefix("#!/bin/bash\n# GPUPool plan: ")
    }
}

/// Common checks of both emitters: every placed worker's node must be in the pool, so that nothing is
/// emitted for a node that does not exist; with an inventory, jobs on nodes it does not list are set aside.
enum EmissionInput {
    /// The placed jobs to emit, and those placed (partly) outside the inventory's cluster.
    static func split(plan: Plan, pool: Pool, inventory: ClusterInventory?) throws -> (emit: [JobPlacement], outside: [(job: String, nodes: String)]) {
        var problems: [Problem] = []
        let poolNodes = Set(pool.nodes.map(\.id))
        var emit: [JobPlacement] = []
        var outside: [(String, String)] = []
        for entry in plan.placed {
            for worker in entry.workers where !poolNodes.contains(worker.node) {
                problems.append(Problem(item: "job \"\(entry.job)\"", message: "worker on node \"\(worker.node)\", which the pool does not have"))
            }
            if let inventory, entry.workers.contains(where: { inventory.node(named: $0.node) == nil }) {
                outside.append((entry.job, summary(entry)))
            } else {
                emit.append(entry)
            }
        }
        if !problems.isEmpty { throw DomainError(problems: problems) }
        return (emit, outside)
    }

    /// Workers grouped by node in first-appearance order: (node, workers there, GPUs there).
    static func perNode(_ entry: JobPlacement) -> [(node: String, workers: Int, gpus: Int)] {
        var order: [String] = []
        var count: [String: (Int, Int)] = [:]
        for worker in entry.workers {
            if count[worker.node] == nil { order.append(worker.node) }
            let (w, g) = count[worker.node] ?? (0, 0)
            count[worker.node] = (w + 1, g + worker.gpus.count)
        }
        return order.map { ($0, count[$0]!.0, count[$0]!.1) }
    }

    static func summary(_ entry: JobPlacement) -> String {
        perNode(entry).map { "\($0.node) ×\($0.gpus)" }.joined(separator: ", ")
    }
}
