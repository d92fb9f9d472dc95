import GPUPoolDomain

/// One way a plan breaks a hard rule.
public struct PlanViolation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The rule broken.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// The plan names a job the workload does not have.
        case unknownJob = "unknown-job"
        /// The plan lists a job twice.
        case duplicateJob = "duplicate-job"
        /// A job of the workload is missing from the plan (silently dropped).
        case missingJob = "missing-job"
        /// An unplaced job has no reason, or a placed job carries workers it should not.
        case inconsistentEntry = "inconsistent-entry"
        /// The plan names a node the pool does not have.
        case unknownNode = "unknown-node"
        /// Work placed on a cordoned, draining or failed node.
        case unschedulableNode = "unschedulable-node"
        /// A GPU index outside the node, or used twice (capacity).
        case capacity
        /// The gang is incomplete or its workers have the wrong size (all-or-nothing).
        case gang
        /// The accelerator is not allowed for the shape, differs between workers, or has zero throughput.
        case eligibility
        /// A node's GPU memory is below the job's minimum.
        case memory
        /// The node's provider is denied or not allowed for the job.
        case provider
        /// Workers are spread wider than the job's locality allows.
        case locality
        /// A tenant holds more GPUs than its quota.
        case quota
        /// A job costs more per hour than its budget.
        case budget
        /// An unplaced job fits the capacity, quota and budget the plan leaves (plans are work-conserving).
        case idleJobFits = "idle-job-fits"
        /// With priority tiers: an unplaced job fits once every job of a lower tier is removed.
        case priority
        /// An unplaced job's reason code disagrees with the capacity (Docs/Planning.md, "Reasons").
        case reason
    }

    /// The rule broken.
    public var kind: Kind
    /// The job concerned, if any.
    public var job: String?
    /// The node concerned, if any.
    public var node: String?
    /// What is wrong, in words.
    public var message: String

    /// Creates a violation.
    public init(_ kind: Kind, job: String? = nil, node: String? = nil, _ message: String) {
        self.kind = kind
        self.job = job
        self.node = node
        self.message = message
    }

    /// `kind [job] [node]: message`.
    public var description: String {
        var parts = [kind.rawValue]
        if let job { parts.append("job \"\(job)\"") }
        if let node { parts.append("node \"\(node)\"") }
        return parts.joined(separator: " ") + ": " + message
    }
}

/// Checks a plan against a pool and workload, independently of the planner: it re-derives every
/// hard rule from the domain values (its code shares nothing with the planner's feasibility logic),
/// so a planner bug shows up as a violation rather than being repeated.
///
/// Beyond the hard rules of each placement it checks the promises about unplaced jobs
/// (Docs/Planning.md): none fits what the plan leaves, none of a higher tier would fit without the
/// lower tiers' jobs (when the plan's policies include `priority`), and each reason code agrees with
/// the capacity. Those rules run only on plans whose placements are valid.
public enum PlanChecker {
    /// Every violation found (empty for a valid plan).
    public static func check(_ plan: Plan, pool: Pool, workload: Workload) -> [PlanViolation] {
        var violations: [PlanViolation] = []
        var nodes: [String: Node] = [:]
        for node in pool.nodes where nodes[node.id] == nil { nodes[node.id] = node }
        var jobs: [String: Job] = [:]
        for job in workload.jobs where jobs[job.id] == nil { jobs[job.id] = job }

        var seenJobs = Set<String>()
        var usedGPUs: [String: Set<Int>] = [:]
        var tenantGPUs: [String: Int] = [:]

        for entry in plan.jobs {
            guard let job = jobs[entry.job] else {
                violations.append(.init(.unknownJob, job: entry.job, "the workload has no job with this id"))
                continue
            }
            if !seenJobs.insert(entry.job).inserted {
                violations.append(.init(.duplicateJob, job: entry.job, "listed more than once"))
                continue
            }
            switch entry.status {
            case .unplaced:
                if entry.reason == nil {
                    violations.append(.init(.inconsistentEntry, job: entry.job, "unplaced without a reason"))
                }
                if !entry.workers.isEmpty {
                    violations.append(.init(.inconsistentEntry, job: entry.job, "unplaced but has \(entry.workers.count) workers"))
                }
            case .placed:
                violations += checkPlaced(entry, job: job, nodes: nodes, usedGPUs: &usedGPUs)
                tenantGPUs[job.tenant, default: 0] += entry.workers.reduce(0) { $0 + $1.gpus.count }
            }
        }
        for job in workload.jobs where !seenJobs.contains(job.id) {
            violations.append(.init(.missingJob, job: job.id, "the plan does not mention this job"))
        }
        for tenant in tenantGPUs.keys.sorted() {
            guard let quota = workload.tenantQuotas[tenant], let used = tenantGPUs[tenant], used > quota else { continue }
            violations.append(.init(.quota, "tenant \"\(tenant)\" holds \(used) GPUs, quota is \(quota)"))
        }
        if violations.isEmpty {
            violations += UnplacedRules(plan: plan, pool: pool, workload: workload).violations()
        }
        return violations
    }

    private static func checkPlaced(
        _ entry: JobPlacement, job: Job, nodes: [String: Node], usedGPUs: inout [String: Set<Int>]
    ) -> [PlanViolation] {
        var violations: [PlanViolation] = []
        func add(_ kind: PlanViolation.Kind, node: String? = nil, _ message: String) {
            violations.append(.init(kind, job: job.id, node: node, message))
        }
        let shapes = job.shapes
        guard let shapeIndex = entry.shape, shapeIndex >= 0, shapeIndex < shapes.count else {
            add(.gang, "placed with shape index \(entry.shape.map(String.init) ?? "none"); the job has \(shapes.count) shape(s)")
            return violations
        }
        let shape = shapes[shapeIndex]
        if entry.reason != nil { add(.inconsistentEntry, "placed but carries an unplaced reason") }
        if entry.workers.count != shape.workers {
            add(.gang, "\(entry.workers.count) of \(shape.workers) workers placed (all or nothing)")
        }
        var accelerators = Set<String>()
        var regions = Set<String>()
        var providers = Set<String>()
        var nodeIDs = Set<String>()
        var cost = 0.0
        for (w, worker) in entry.workers.enumerated() {
            if worker.gpus.count != shape.gpusPerWorker {
                add(.gang, node: worker.node, "worker \(w) has \(worker.gpus.count) GPUs, the shape needs \(shape.gpusPerWorker)")
            }
            guard let node = nodes[worker.node] else {
                add(.unknownNode, node: worker.node, "worker \(w) is on a node the pool does not have")
                continue
            }
            if !(node.health == .healthy || node.health == .suspect) {
                add(.unschedulableNode, node: node.id, "worker \(w) is on a \(node.health.rawValue) node")
            }
            var onNode = usedGPUs[node.id] ?? []
            for gpu in worker.gpus {
                if gpu < 0 || gpu >= node.gpuCount {
                    add(.capacity, node: node.id, "GPU index \(gpu) outside 0..<\(node.gpuCount)")
                } else if gpu < node.gpusInUse {
                    add(.capacity, node: node.id, "GPU \(gpu) is held by work outside the plan (gpusInUse \(node.gpusInUse))")
                } else if !onNode.insert(gpu).inserted {
                    add(.capacity, node: node.id, "GPU \(gpu) is used twice")
                }
            }
            usedGPUs[node.id] = onNode
            accelerators.insert(node.accelerator)
            regions.insert(node.provider + "\u{1F}" + node.region)
            providers.insert(node.provider)
            nodeIDs.insert(node.id)
            cost += node.pricePerGPUHour * Double(worker.gpus.count)
            if let allowed = shape.accelerators, !allowed.contains(node.accelerator) {
                add(.eligibility, node: node.id, "accelerator \(node.accelerator) is not among the shape's \(allowed)")
            }
            if job.throughput[node.accelerator] == 0 {
                add(.eligibility, node: node.id, "the job states throughput 0 (cannot run) on \(node.accelerator)")
            }
            if node.gpuMemoryGiB < job.minGPUMemoryGiB {
                add(.memory, node: node.id, "\(node.gpuMemoryGiB) GiB per GPU, the job needs \(job.minGPUMemoryGiB) GiB")
            }
            if job.deniedProviders.contains(node.provider) {
                add(.provider, node: node.id, "provider \(node.provider) is denied")
            } else if let allowed = job.allowedProviders, !allowed.contains(node.provider) {
                add(.provider, node: node.id, "provider \(node.provider) is not in the allowed list")
            }
        }
        if accelerators.count > 1 {
            add(.eligibility, "workers on different accelerators \(accelerators.sorted())")
        }
        if let stated = entry.accelerator, accelerators.count == 1, accelerators.first != stated {
            add(.eligibility, "plan says \(stated) but the nodes have \(accelerators.first ?? "")")
        }
        switch job.locality {
        case .node where nodeIDs.count > 1:
            add(.locality, "locality node, but workers are on \(nodeIDs.count) nodes")
        case .region where regions.count > 1:
            add(.locality, "locality region, but workers are in \(regions.count) regions")
        case .provider where providers.count > 1:
            add(.locality, "locality provider, but workers are at \(providers.count) providers")
        default: break
        }
        if let budget = job.budgetPerHour, cost > budget + 1e-9 * max(1, budget) {
            add(.budget, "costs \(cost) per hour, budget is \(budget)")
        }
        return violations
    }
}
