import Foundation
import GPUPoolDomain

/// The compact instance plus what is needed to turn results back into a ``Plan``.
struct BuiltInstance: Sendable {
    var instance: PlanningInstance
    /// Instance job index of each workload job; `nil` for pinned jobs (fixed, not planned).
    var jobIndex: [Int?]
    /// Pinned jobs' entries from the current plan, by workload position.
    var pinned: [Int: JobPlacement]
    /// Ids of jobs the current plan had placed.
    var previouslyPlaced: Set<String>
    /// Ids of jobs whose current placement became invalid because a node failed or left.
    var displaced: [String: String]
    /// Jobs of the current plan no longer in the workload.
    var departed: Int
    var notes: [String]
}

/// Turns a domain ``Pool`` and ``Workload`` (and a current plan) into a ``PlanningInstance``,
/// collecting every problem that would make planning meaningless or unsafe.
enum InstanceBuilder {
    /// Largest GPUs per node or per gang accepted (guards integer arithmetic, not a real limit).
    static let sizeLimit = 1 << 20

    static func build(pool: Pool, workload: Workload, options: PlannerOptions, current: Plan?) throws(PlannerError) -> BuiltInstance {
        var problems = options.problems()
        // The domain's own validation first (it knows files and lines). Feasibility against the pool is
        // deliberately not checked there: a job that cannot fit is reported in the plan with a reason.
        // Models only the pool knows (an imported cluster's `A10G`, a MIG slice) are valid in jobs too.
        let domainProblems = pool.problems()
            + workload.problems(against: nil, throughputTable: options.throughputTable, knownModels: Set(pool.nodes.map(\.accelerator)))
        if !domainProblems.isEmpty || !problems.isEmpty {
            throw .invalidInput(problems + domainProblems.map(\.description))
        }
        var notes: [String] = []

        // Providers.
        var providerIndex: [String: Int] = [:]
        var providers: [String] = []
        for provider in pool.providers {
            if providerIndex[provider.id] != nil {
                problems.append("provider \"\(provider.id)\": duplicate id")
                continue
            }
            if let a = provider.availability, !(a > 0 && a <= 1) {
                problems.append("provider \"\(provider.id)\": availability \(a) must be in (0, 1]")
            }
            providerIndex[provider.id] = providers.count
            providers.append(provider.id)
        }

        // Nodes.
        var accelerators: [String] = []
        var acceleratorIndex: [String: Int] = [:]
        var regionKeys: [String] = []
        var regionKeyIndex: [String: Int] = [:]
        var regionNames: [String] = []
        var regionNameIndex: [String: Int] = [:]
        var nodeIndex: [String: Int] = [:]
        var nodes: [NodeRecord] = []
        var outsideWork: [Int: [Int]] = [:]
        func intern(_ value: String, _ list: inout [String], _ index: inout [String: Int]) -> Int {
            if let i = index[value] { return i }
            index[value] = list.count
            list.append(value)
            return list.count - 1
        }
        for node in pool.nodes {
            let item = "node \"\(node.id)\""
            var bad = false
            if nodeIndex[node.id] != nil { problems.append("\(item): duplicate id"); continue }
            guard let p = providerIndex[node.provider] else {
                problems.append("\(item): unknown provider \"\(node.provider)\"")
                continue
            }
            if node.gpuCount < 0 || node.gpuCount > sizeLimit { problems.append("\(item): gpuCount \(node.gpuCount) must be in 0...\(sizeLimit)"); bad = true }
            if node.gpusInUse < 0 || node.gpusInUse > max(0, node.gpuCount) { problems.append("\(item): gpusInUse \(node.gpusInUse) must be in 0...gpuCount (\(node.gpuCount))"); bad = true }
            if !(node.gpuMemoryGiB >= 0) || !node.gpuMemoryGiB.isFinite { problems.append("\(item): gpuMemoryGiB \(node.gpuMemoryGiB) must be a non-negative number"); bad = true }
            if !(node.pricePerGPUHour >= 0) || !node.pricePerGPUHour.isFinite { problems.append("\(item): pricePerGPUHour \(node.pricePerGPUHour) must be a non-negative number"); bad = true }
            if let a = node.availability, !(a > 0 && a <= 1) { problems.append("\(item): availability \(a) must be in (0, 1]"); bad = true }
            if bad { continue }
            let availability = min(1, max(1e-9, pool.effectiveAvailability(of: node)))
            let k = intern(node.accelerator, &accelerators, &acceleratorIndex)
            let regionKey = node.provider + "\u{1F}" + node.region
            let r = intern(regionKey, &regionKeys, &regionKeyIndex)
            let rn = intern(node.region, &regionNames, &regionNameIndex)
            // GPUs held by work outside the plan are indices 0..<gpusInUse, like a pinned job's.
            if node.gpusInUse > 0 { outsideWork[nodes.count] = Array(0..<node.gpusInUse) }
            nodeIndex[node.id] = nodes.count
            nodes.append(NodeRecord(
                id: node.id, accelerator: k, region: r, regionName: rn, provider: p, gpuCount: node.gpuCount,
                free: node.freeGPUs, memoryGiB: node.gpuMemoryGiB,
                pricePerGPU: node.pricePerGPUHour, logAvailability: Foundation.log(availability),
                usable: node.isSchedulable && node.gpuCount > 0))
        }

        // Tenants and quotas.
        var tenants: [String] = []
        var tenantIndex: [String: Int] = [:]
        for tenant in workload.tenantQuotas.keys.sorted() {
            if let q = workload.tenantQuotas[tenant], q < 0 { problems.append("tenant \"\(tenant)\": quota \(q) must be non-negative") }
        }

        // Jobs.
        var seenJobs = Set<String>()
        var jobs: [JobDemand] = []
        var jobIndex: [Int?] = []
        var workloadPosition: [String: Int] = [:]
        for (position, job) in workload.jobs.enumerated() {
            let item = "job \"\(job.id)\""
            jobIndex.append(nil)
            if !seenJobs.insert(job.id).inserted { problems.append("\(item): duplicate id"); continue }
            workloadPosition[job.id] = position
            var bad = false
            for (s, shape) in job.shapes.enumerated() {
                let where_ = s == 0 ? "shape" : "alternatives[\(s - 1)]"
                if shape.workers < 1 || shape.workers > sizeLimit { problems.append("\(item) \(where_): workers \(shape.workers) must be in 1...\(sizeLimit)"); bad = true }
                if shape.gpusPerWorker < 1 || shape.gpusPerWorker > sizeLimit { problems.append("\(item) \(where_): gpusPerWorker \(shape.gpusPerWorker) must be in 1...\(sizeLimit)"); bad = true }
                if let total = shape.totalGPUs, total > sizeLimit { problems.append("\(item) \(where_): \(total) GPUs exceed the limit of \(sizeLimit)"); bad = true }
                if let list = shape.accelerators, list.isEmpty { problems.append("\(item) \(where_): empty accelerator list allows nothing"); bad = true }
            }
            if !(job.minGPUMemoryGiB >= 0) || !job.minGPUMemoryGiB.isFinite { problems.append("\(item): minGPUMemoryGiB \(job.minGPUMemoryGiB) must be a non-negative number"); bad = true }
            if !(job.weight > 0) || !job.weight.isFinite { problems.append("\(item): weight \(job.weight) must be positive"); bad = true }
            if let b = job.budgetPerHour, !(b >= 0) || !b.isFinite { problems.append("\(item): budgetPerHour \(b) must be a non-negative number"); bad = true }
            for (model, value) in job.throughput.sorted(by: { $0.key < $1.key }) where !(value >= 0) || !value.isFinite {
                problems.append("\(item): throughput on \(model) is \(value); it must be a non-negative number"); bad = true
            }
            for id in (job.allowedProviders ?? []) + job.deniedProviders where providerIndex[id] == nil {
                notes.append("\(item) names provider \"\(id)\", which is not in the pool")
            }
            if bad { continue }
            let t = intern(job.tenant, &tenants, &tenantIndex)
            var shapes: [ShapeDemand] = []
            var throughput: [[Double]] = []
            for shape in job.shapes {
                var allowed = [Bool](repeating: false, count: accelerators.count)
                var row = [Double](repeating: 0, count: accelerators.count)
                for (k, model) in accelerators.enumerated() where shape.allows(accelerator: model) && job.throughput[model] != 0 {
                    let estimate = options.throughputTable.estimate(job: job, shape: shape, accelerator: model)
                    // Unknown models without a measurement count as V100-equivalents per GPU.
                    let value = estimate ?? Double(shape.totalGPUs ?? 1)
                    guard value > 0, value.isFinite else { continue }
                    allowed[k] = true
                    row[k] = value
                }
                shapes.append(ShapeDemand(workers: shape.workers, gpusPerWorker: shape.gpusPerWorker, allowed: allowed))
                throughput.append(row)
            }
            var allowedProviders: [Bool]?
            if let list = job.allowedProviders {
                var mask = [Bool](repeating: false, count: providers.count)
                for id in list { if let p = providerIndex[id] { mask[p] = true } }
                allowedProviders = mask
            }
            var denied = [Bool](repeating: false, count: providers.count)
            for id in job.deniedProviders { if let p = providerIndex[id] { denied[p] = true } }
            let locality: LocalityScope = switch job.locality {
            case .node: .node
            case .region: .region
            case .provider: .provider
            case .any: .any
            }
            jobIndex[position] = jobs.count
            jobs.append(JobDemand(
                id: job.id, tenant: t, priority: job.priority, weight: job.weight,
                arrival: job.arrivalSeconds ?? Double(position), shapes: shapes, minMemoryGiB: job.minGPUMemoryGiB,
                locality: locality, preferredRegion: job.preferredRegion.flatMap { regionNameIndex[$0] },
                allowedProviders: allowedProviders, deniedProviders: denied, budgetPerHour: job.budgetPerHour,
                throughput: throughput, current: nil))
        }
        for tenant in workload.tenantQuotas.keys.sorted() where tenantIndex[tenant] == nil {
            _ = intern(tenant, &tenants, &tenantIndex)
        }
        var quota = tenants.map { workload.tenantQuotas[$0].map { max(0, $0) } ?? Int.max }

        if !problems.isEmpty { throw .invalidInput(problems) }

        var instance = PlanningInstance(
            accelerators: accelerators, regions: regionKeys, providers: providers, tenants: tenants,
            tenantQuota: quota, nodes: nodes, jobs: jobs)
        instance.fixedGPUs = outsideWork

        // Current plan (re-planning).
        var pinned: [Int: JobPlacement] = [:]
        var previouslyPlaced = Set<String>()
        var displaced: [String: String] = [:]
        var departed = 0
        if let current {
            var taken: [Int: Set<Int>] = outsideWork.mapValues(Set.init)
            var seen = Set<String>()
            var removed = Set<Int>()
            // Pinned first, so that their GPUs are reserved before anything else is kept.
            let entries = current.jobs.filter { $0.status == .placed }
            let ordered = entries.filter { options.pinnedJobs.contains($0.job) || $0.pinned }
                + entries.filter { !(options.pinnedJobs.contains($0.job) || $0.pinned) }
            for entry in ordered {
                guard seen.insert(entry.job).inserted else { continue }
                guard let position = workloadPosition[entry.job] else { departed += 1; continue }
                previouslyPlaced.insert(entry.job)
                let job = workload.jobs[position]
                switch validate(entry: entry, job: job, pool: pool, nodeIndex: nodeIndex, instance: instance, taken: taken) {
                case let .failure(.nodeLost(message)):
                    displaced[entry.job] = message
                    continue
                case let .failure(.invalid(message)):
                    notes.append("job \"\(entry.job)\": current placement no longer valid (\(message)); re-planned")
                    continue
                case let .success(parsed):
                    let isPinned = options.pinnedJobs.contains(entry.job) || entry.pinned
                    let tenant = tenantIndex[job.tenant] ?? 0
                    let gpus = parsed.workers.reduce(0) { $0 + $1.gpus.count }
                    if isPinned {
                        if quota[tenant] != Int.max { quota[tenant] -= gpus }
                        for worker in parsed.workers {
                            taken[worker.node, default: []].formUnion(worker.gpus)
                            instance.nodes[worker.node].free -= worker.gpus.count
                            instance.fixedGPUs[worker.node, default: []].append(contentsOf: worker.gpus)
                        }
                        var kept = entry
                        kept.pinned = true
                        kept.reason = nil
                        pinned[position] = kept
                        if let j = jobIndex[position] { removed.insert(j) }
                        jobIndex[position] = nil
                    } else if let j = jobIndex[position] {
                        for worker in parsed.workers { taken[worker.node, default: []].formUnion(worker.gpus) }
                        instance.jobs[j].current = parsed
                    }
                }
            }
            for id in options.pinnedJobs.sorted() {
                guard let position = workloadPosition[id], pinned[position] == nil else { continue }
                notes.append("job \"\(id)\" is pinned but has no valid current placement; planned normally")
            }
            if quota.contains(where: { $0 < 0 }) {
                notes.append("pinned jobs exceed a tenant quota; that tenant gets no new GPUs")
                quota = quota.map { max(0, $0) }
            }
            // Drop pinned jobs from the instance (they are fixed, not planned).
            var remap: [Int] = []
            var kept: [JobDemand] = []
            for (j, job) in instance.jobs.enumerated() {
                remap.append(removed.contains(j) ? -1 : kept.count)
                if !removed.contains(j) { kept.append(job) }
            }
            instance.jobs = kept
            jobIndex = jobIndex.map { $0.flatMap { remap[$0] >= 0 ? remap[$0] : nil } }
            instance.tenantQuota = quota
        }
        instance.buildGroups()
        return BuiltInstance(
            instance: instance, jobIndex: jobIndex, pinned: pinned, previouslyPlaced: previouslyPlaced,
            displaced: displaced, departed: departed, notes: notes)
    }

    enum CurrentProblem: Error {
        /// A node of the placement failed, became unschedulable or left the pool.
        case nodeLost(String)
        /// The placement no longer fits the job (shape, model, memory, provider, locality, GPU indices).
        case invalid(String)
    }

    /// Checks that a current placement is still valid and converts it to indices.
    private static func validate(
        entry: JobPlacement, job: Job, pool: Pool, nodeIndex: [String: Int], instance: PlanningInstance,
        taken: [Int: Set<Int>]
    ) -> Result<CurrentPlacement, CurrentProblem> {
        for worker in entry.workers {
            guard let n = nodeIndex[worker.node] else { return .failure(.nodeLost("node \"\(worker.node)\" left the pool")) }
            if !instance.nodes[n].usable {
                let state = pool.nodes.first { $0.id == worker.node }?.health.rawValue ?? "unusable"
                return .failure(.nodeLost("node \"\(worker.node)\" is \(state)"))
            }
        }
        guard let s = entry.shape, s >= 0, s < job.shapes.count else { return .failure(.invalid("shape index")) }
        let shape = job.shapes[s]
        guard entry.workers.count == shape.workers else { return .failure(.invalid("worker count")) }
        var workers: [(node: Int, gpus: [Int])] = []
        var accelerator: Int?
        var localityKeys = Set<Int>()
        var local = taken
        for worker in entry.workers {
            guard let n = nodeIndex[worker.node] else { return .failure(.invalid("node")) }
            let node = instance.nodes[n]
            guard worker.gpus.count == shape.gpusPerWorker else { return .failure(.invalid("GPUs per worker")) }
            for g in worker.gpus {
                guard g >= 0, g < node.gpuCount, local[n, default: []].insert(g).inserted else {
                    return .failure(.invalid("GPU index \(g) on node \"\(node.id)\" is out of range or taken"))
                }
            }
            if let a = accelerator, a != node.accelerator { return .failure(.invalid("mixed accelerators")) }
            accelerator = node.accelerator
            let model = instance.accelerators[node.accelerator]
            guard shape.allows(accelerator: model), job.throughput[model] != 0, node.memoryGiB >= job.minGPUMemoryGiB,
                  job.allows(provider: instance.providers[node.provider]) else {
                return .failure(.invalid("node \"\(node.id)\" is no longer eligible"))
            }
            switch job.locality {
            case .node: localityKeys.insert(n)
            case .region: localityKeys.insert(node.region)
            case .provider: localityKeys.insert(node.provider)
            case .any: localityKeys.insert(0)
            }
            workers.append((n, worker.gpus))
        }
        guard localityKeys.count <= 1 else { return .failure(.invalid("locality")) }
        if let budget = job.budgetPerHour {
            let cost = workers.reduce(0.0) { $0 + instance.nodes[$1.node].pricePerGPU * Double($1.gpus.count) }
            if cost > budget + 1e-9 { return .failure(.invalid("over budget")) }
        }
        guard let accelerator else { return .failure(.invalid("no workers")) }
        return .success(CurrentPlacement(shape: s, accelerator: accelerator, workers: workers))
    }
}
