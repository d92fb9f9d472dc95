/// How the workers of one gang must be co-located (internal mirror of the domain's locality).
enum LocalityScope: Int, Sendable, Hashable {
    /// Every worker on the same node.
    case node
    /// Every worker in the same region.
    case region
    /// Every worker at the same provider.
    case provider
    /// Anywhere (still one accelerator model per gang).
    case any
}

/// A node as the planner sees it: indices instead of names, prices and availability resolved.
struct NodeRecord: Sendable {
    var id: String
    var accelerator: Int
    /// Locality region: one index per (provider, region) pair, since region names are provider-specific.
    var region: Int
    /// Index of the plain region name (soft region preferences match it across providers).
    var regionName: Int
    var provider: Int
    var gpuCount: Int
    /// GPUs free for this planning round (total minus GPUs held by fixed jobs); 0 when unusable.
    var free: Int
    var memoryGiB: Double
    /// Price per GPU-hour used by the cost policy and budgets.
    var pricePerGPU: Double
    /// `log P`, with `P` the chance the node survives the planning horizon (≤ 0).
    var logAvailability: Double
    /// Whether new work may be placed here (healthy or suspect).
    var usable: Bool
    /// The node group this node belongs to (nodes identical for planning, see ``NodeGroup``).
    var group: Int = 0
}

/// Nodes that are interchangeable for planning: same accelerator, memory, provider, region,
/// price and availability. Eligibility is decided once per group, not once per node.
struct NodeGroup: Sendable {
    var accelerator: Int
    var region: Int
    var regionName: Int
    var provider: Int
    var memoryGiB: Double
    var pricePerGPU: Double
    var logAvailability: Double
    var nodes: [Int]
    /// Largest GPU count of a node in the group.
    var maxNodeGPUs: Int
}

/// One alternative shape of a gang.
struct ShapeDemand: Sendable {
    var workers: Int
    var gpusPerWorker: Int
    /// Allowed accelerator indices (`nil`: any).
    var allowed: [Bool]?
    var gpus: Int { workers * gpusPerWorker }

    func allows(_ accelerator: Int) -> Bool {
        guard let allowed else { return true }
        return accelerator < allowed.count && allowed[accelerator]
    }
}

/// Where a job runs now (re-planning): one entry per worker.
struct CurrentPlacement: Sendable {
    var shape: Int
    var accelerator: Int
    /// Node index and GPU indices of each worker.
    var workers: [(node: Int, gpus: [Int])]
}

extension CurrentPlacement {
    /// GPUs used per node (nodes in first-use order), the placement's price per hour and
    /// `Σ log P` over its nodes: what keeping the job where it is costs and risks.
    func footprint(on nodes: [NodeRecord]) -> (perNode: [(node: Int, gpus: Int)], cost: Double, logAvailability: Double) {
        var perNode: [(node: Int, gpus: Int)] = []
        var slot: [Int: Int] = [:]
        for worker in workers {
            if let k = slot[worker.node] {
                perNode[k].gpus += worker.gpus.count
            } else {
                slot[worker.node] = perNode.count
                perNode.append((worker.node, worker.gpus.count))
            }
        }
        var cost = 0.0, logA = 0.0
        for (n, gpus) in perNode {
            cost += nodes[n].pricePerGPU * Double(gpus)
            logA += nodes[n].logAvailability
        }
        return (perNode, cost, logA)
    }
}

/// A job as the planner sees it.
struct JobDemand: Sendable {
    var id: String
    var tenant: Int
    var priority: Int
    var weight: Double
    /// Arrival time used by FIFO (falls back to the position in the workload).
    var arrival: Double
    var shapes: [ShapeDemand]
    var minMemoryGiB: Double
    var locality: LocalityScope
    /// Index of the preferred plain region name.
    var preferredRegion: Int?
    /// Allowed provider indices (`nil`: all).
    var allowedProviders: [Bool]?
    var deniedProviders: [Bool]
    var budgetPerHour: Double?
    /// `throughput[s][k]`: whole-gang steps/s of shape `s` on accelerator `k` (estimates filled in;
    /// 0 means the shape cannot run there).
    var throughput: [[Double]]
    /// GPUs of the preferred shape; throughput-based terms count the job at this size.
    var referenceGPUs: Int { shapes.first?.gpus ?? 0 }
    /// The current placement when re-planning and the job may stay.
    var current: CurrentPlacement?

    func providerAllowed(_ provider: Int) -> Bool {
        if provider < deniedProviders.count && deniedProviders[provider] { return false }
        guard let allowedProviders else { return true }
        return provider < allowedProviders.count && allowedProviders[provider]
    }

    /// Best throughput over every shape and accelerator the job may use (1 when none is known).
    var bestThroughput: Double {
        var best = 0.0
        for s in shapes.indices {
            for k in throughput[s].indices where shapes[s].allows(k) { best = max(best, throughput[s][k]) }
        }
        return best > 0 ? best : 1
    }
}

/// The whole planning problem in compact, index-based form.
struct PlanningInstance: Sendable {
    var accelerators: [String]
    var regions: [String]
    var providers: [String]
    var tenants: [String]
    /// GPUs each tenant may still receive this round (`Int.max`: no quota).
    var tenantQuota: [Int]
    var nodes: [NodeRecord]
    var groups: [NodeGroup] = []
    var jobs: [JobDemand]
    /// GPU indices held by fixed (pinned) jobs, per node index.
    var fixedGPUs: [Int: [Int]] = [:]
    /// The groups as eligibility sees them (``eligible(job:shape:group:)`` reads only these four
    /// fields), one entry per distinct combination: questions about models ("may this shape run
    /// on some A100?") cost per kind instead of per group, and community hosts make thousands of
    /// groups but few kinds. Built by ``buildGroups()``.
    private(set) var groupKinds: [GroupKind] = []

    /// What eligibility reads of a node group.
    struct GroupKind: Sendable, Hashable {
        var accelerator: Int
        var memoryGiB: Double
        var provider: Int
        var maxNodeGPUs: Int
    }

    /// Groups nodes (usable ones only) into ``NodeGroup``s, in order of first appearance.
    mutating func buildGroups() {
        struct Key: Hashable {
            var accelerator: Int, region: Int, provider: Int
            var memory: Double, price: Double, logAvailability: Double
        }
        var index: [Key: Int] = [:]
        groups = []
        for n in nodes.indices {
            guard nodes[n].usable else { nodes[n].group = -1; continue }
            let node = nodes[n]
            let key = Key(
                accelerator: node.accelerator, region: node.region, provider: node.provider,
                memory: node.memoryGiB, price: node.pricePerGPU, logAvailability: node.logAvailability)
            if let g = index[key] {
                groups[g].nodes.append(n)
                groups[g].maxNodeGPUs = max(groups[g].maxNodeGPUs, node.gpuCount)
                nodes[n].group = g
            } else {
                index[key] = groups.count
                nodes[n].group = groups.count
                groups.append(NodeGroup(
                    accelerator: node.accelerator, region: node.region, regionName: node.regionName,
                    provider: node.provider,
                    memoryGiB: node.memoryGiB, pricePerGPU: node.pricePerGPU,
                    logAvailability: node.logAvailability, nodes: [n], maxNodeGPUs: node.gpuCount))
            }
        }
        var kinds = Set<GroupKind>()
        groupKinds = groups.compactMap { group in
            let kind = GroupKind(accelerator: group.accelerator, memoryGiB: group.memoryGiB, provider: group.provider,
                                 maxNodeGPUs: group.maxNodeGPUs)
            return kinds.insert(kind).inserted ? kind : nil
        }
    }

    /// `result[k]`: whether shape `s` of job `j` may run on some group of accelerator `k` — the same
    /// answer as asking ``eligible(job:shape:group:)`` of every group of `k`.
    func eligibleAccelerators(job j: Int, shape s: Int) -> [Bool] {
        var result = [Bool](repeating: false, count: accelerators.count)
        let job = jobs[j]
        let shape = job.shapes[s]
        for kind in groupKinds where kind.accelerator < result.count && !result[kind.accelerator] {
            result[kind.accelerator] = shape.allows(kind.accelerator) && kind.memoryGiB >= job.minMemoryGiB
                && job.providerAllowed(kind.provider) && kind.maxNodeGPUs >= shape.gpusPerWorker
        }
        return result
    }

    /// `result[k]`: whether some shape of job `j` may run on some group of accelerator `k`.
    func eligibleAccelerators(job j: Int) -> [Bool] {
        var result = [Bool](repeating: false, count: accelerators.count)
        for s in jobs[j].shapes.indices {
            for (k, usable) in eligibleAccelerators(job: j, shape: s).enumerated() where usable { result[k] = true }
        }
        return result
    }

    /// Whether shape `s` of job `j` may run on the nodes of group `g` (model, memory, provider).
    func eligible(job j: Int, shape s: Int, group g: Int) -> Bool {
        // Field by field: a copy of the group or the job retains all of its arrays and strings,
        // which costs more than the test (the local search asks this per group it scans).
        jobs[j].shapes[s].allows(groups[g].accelerator) && groups[g].memoryGiB >= jobs[j].minMemoryGiB
            && jobs[j].providerAllowed(groups[g].provider) && groups[g].maxNodeGPUs >= jobs[j].shapes[s].gpusPerWorker
    }
}
