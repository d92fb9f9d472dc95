import Foundation
import GPUPoolDomain
import GPUPoolPlanner

/// Small hand-built pools and workloads, and an exhaustive reference for tiny instances.
enum TestSupport {
    static func provider(_ id: String, _ kind: ProviderKind = .cloud, availability: Double? = nil) -> Provider {
        Provider(id: id, kind: kind, availability: availability)
    }

    static func node(
        _ id: String, provider: String = "p", accelerator: String = "A100", gpus: Int = 4, memory: Double = 80,
        region: String = "r1", price: Double = 1, availability: Double? = nil, health: HealthState = .healthy
    ) -> Node {
        Node(id: id, provider: provider, accelerator: accelerator, gpuCount: gpus, gpuMemoryGiB: memory, region: region,
             pricePerGPUHour: price, availability: availability, health: health)
    }

    static func job(
        _ id: String, tenant: String = "t", priority: Int = 0, workers: Int = 1, gpusPerWorker: Int = 1,
        accelerators: [String]? = nil, memory: Double = 0, throughput: [String: Double] = [:],
        locality: Locality = .any, budget: Double? = nil, arrival: Double? = nil, weight: Double = 1,
        alternatives: [JobShape] = [], allowed: [String]? = nil, denied: [String] = []
    ) -> Job {
        Job(id: id, tenant: tenant, priority: priority,
            shape: JobShape(workers: workers, gpusPerWorker: gpusPerWorker, accelerators: accelerators),
            alternatives: alternatives, minGPUMemoryGiB: memory, throughput: throughput, locality: locality,
            allowedProviders: allowed, deniedProviders: denied, budgetPerHour: budget, weight: weight,
            arrivalSeconds: arrival)
    }

    static func planner(_ policies: [PlanningPolicy], method: PlanningMethod = .heuristic, timeLimit: Double? = 20,
                        pinned: Set<String> = [], penalty: Double = 0.1, partitions: Int = 1, seed: UInt64 = 1) -> Planner {
        Planner(options: PlannerOptions(
            policies: policies, method: method, timeLimit: timeLimit, partitions: partitions, seed: seed,
            migrationPenalty: penalty, pinnedJobs: pinned))
    }

    // MARK: Independent objective values of a plan

    /// Whole-gang throughput of a job on a model as the tests define it (explicit values only).
    static func throughput(_ job: Job, _ model: String) -> Double { job.throughput[model] ?? 1 }

    /// The value of one objective for a set of placed jobs, computed from domain values.
    static func value(_ objective: Objective, placed: [(job: Job, nodes: [Node: Int])], pool: Pool) -> Double {
        var total = 0.0
        for (job, nodes) in placed {
            let gpus = nodes.values.reduce(0, +)
            switch objective {
            case .utilization: total += Double(gpus)
            case .cost: total -= nodes.reduce(0.0) { $0 + $1.key.pricePerGPUHour * Double($1.value) }
            case .availability: total += nodes.keys.reduce(0.0) { $0 + log(pool.effectiveAvailability(of: $1)) }
            case .throughput:
                let model = nodes.keys.first?.accelerator ?? ""
                let best = job.throughput.values.max() ?? 1
                total += Double(job.shape.totalGPUs ?? 0) * throughput(job, model) / best
            case let .tier(p): if job.priority == p { total += Double(gpus) }
            }
        }
        return total
    }

    enum Objective: Hashable { case utilization, cost, availability, throughput, tier(Int) }

    /// Objective vector of a plan.
    static func vector(_ objectives: [Objective], plan: Plan, pool: Pool, workload: Workload) -> [Double] {
        let nodes = Dictionary(uniqueKeysWithValues: pool.nodes.map { ($0.id, $0) })
        let jobs = Dictionary(uniqueKeysWithValues: workload.jobs.map { ($0.id, $0) })
        let placed: [(job: Job, nodes: [Node: Int])] = plan.placed.compactMap { entry in
            guard let job = jobs[entry.job] else { return nil }
            var perNode: [Node: Int] = [:]
            for worker in entry.workers { if let node = nodes[worker.node] { perNode[node, default: 0] += worker.gpus.count } }
            return (job, perNode)
        }
        return objectives.map { value($0, placed: placed, pool: pool) }
    }

    // MARK: Brute force

    /// Every assignment of the jobs (each placed in one legal way or not at all) that respects capacity,
    /// gangs, locality, eligibility, memory, providers, quotas and budgets; returns the best objective
    /// vector (lexicographic). Only for a handful of jobs on a handful of nodes.
    static func bruteForceBest(_ objectives: [Objective], pool: Pool, workload: Workload) -> [Double] {
        let nodes = pool.nodes.filter(\.isSchedulable)
        // Legal placements of each job: per shape, distributions of workers over nodes.
        var options: [[[Int: Int]]] = []   // per job: list of node index -> GPUs
        var jobList: [Job] = workload.jobs
        for job in jobList {
            var list: [[Int: Int]] = []
            for shape in [job.shape] {
                let eligible = nodes.indices.filter { n in
                    let node = nodes[n]
                    return shape.allows(accelerator: node.accelerator) && node.gpuMemoryGiB >= job.minGPUMemoryGiB
                        && job.allows(provider: node.provider) && job.throughput[node.accelerator] != 0
                }
                func distribute(_ k: Int, _ left: Int, _ current: [Int: Int]) {
                    if left == 0 {
                        let used = current.keys.map { nodes[$0] }
                        guard Set(used.map(\.accelerator)).count <= 1 else { return }
                        switch job.locality {
                        case .node: guard current.count <= 1 else { return }
                        case .region: guard Set(used.map { $0.provider + "/" + $0.region }).count <= 1 else { return }
                        case .provider: guard Set(used.map(\.provider)).count <= 1 else { return }
                        case .any: break
                        }
                        let cost = current.reduce(0.0) { $0 + nodes[$1.key].pricePerGPUHour * Double($1.value) }
                        if let budget = job.budgetPerHour, cost > budget + 1e-9 { return }
                        list.append(current)
                        return
                    }
                    guard k < eligible.count else { return }
                    let n = eligible[k]
                    let most = min(left, nodes[n].gpuCount / shape.gpusPerWorker)
                    for w in stride(from: most, through: 0, by: -1) {
                        var next = current
                        if w > 0 { next[n] = w * shape.gpusPerWorker }
                        distribute(k + 1, left - w, next)
                    }
                }
                distribute(0, shape.workers, [:])
            }
            options.append(list)
        }
        var best: [Double]?
        var free = nodes.map(\.gpuCount)
        var tenantUsed: [String: Int] = [:]
        var chosen: [(job: Job, nodes: [Node: Int])] = []
        func search(_ j: Int) {
            if j == jobList.count {
                let v = objectives.map { value($0, placed: chosen, pool: pool) }
                if best.map({ compare(v, $0) > 0 }) ?? true { best = v }
                return
            }
            search(j + 1)
            let job = jobList[j]
            for option in options[j] {
                guard option.allSatisfy({ free[$0.key] >= $0.value }) else { continue }
                let gpus = option.values.reduce(0, +)
                if let quota = workload.tenantQuotas[job.tenant], tenantUsed[job.tenant, default: 0] + gpus > quota { continue }
                for (n, g) in option { free[n] -= g }
                tenantUsed[job.tenant, default: 0] += gpus
                var perNode: [Node: Int] = [:]
                for (n, g) in option { perNode[nodes[n]] = g }
                chosen.append((job, perNode))
                search(j + 1)
                chosen.removeLast()
                tenantUsed[job.tenant, default: 0] -= gpus
                for (n, g) in option { free[n] += g }
            }
        }
        search(0)
        jobList = []
        return best ?? objectives.map { _ in 0 }
    }

    /// -1, 0, 1 lexicographically with a small relative tolerance.
    static func compare(_ a: [Double], _ b: [Double], tolerance: Double = 1e-6) -> Int {
        for i in 0..<min(a.count, b.count) {
            let scale = max(1, abs(a[i]), abs(b[i]))
            if a[i] > b[i] + tolerance * scale { return 1 }
            if a[i] < b[i] - tolerance * scale { return -1 }
        }
        return 0
    }
}
