import Foundation
import GPUPoolDomain

/// Turns index-based decisions into a ``Plan``: GPU indices per worker, reasons, changes, metrics.
struct PlanAssembler {
    let built: BuiltInstance
    let pool: Pool
    let workload: Workload

    /// GPU indices: fixed and kept jobs keep theirs; every other worker takes the lowest free ones.
    func entries(decisions: [PlacementDecision?], reasons: [Int: UnplacedReason], replanning: Bool) -> [JobPlacement] {
        let instance = built.instance
        var taken = instance.nodes.map { [Bool](repeating: false, count: max(0, $0.gpuCount)) }
        for (n, gpus) in instance.fixedGPUs { for g in gpus where g >= 0 && g < taken[n].count { taken[n][g] = true } }
        for (j, decision) in decisions.enumerated() where decision?.kept == true {
            for worker in instance.jobs[j].current?.workers ?? [] {
                for g in worker.gpus where g >= 0 && g < taken[worker.node].count { taken[worker.node][g] = true }
            }
        }
        var workersOf = [[WorkerPlacement]](repeating: [], count: instance.jobs.count)
        var next = [Int](repeating: 0, count: instance.nodes.count)
        for (j, decision) in decisions.enumerated() {
            guard let decision else { continue }
            if decision.kept, let current = instance.jobs[j].current {
                workersOf[j] = current.workers.map { WorkerPlacement(node: instance.nodes[$0.node].id, gpus: $0.gpus) }
                continue
            }
            let gpw = instance.jobs[j].shapes[decision.shape].gpusPerWorker
            for part in decision.parts {
                let n = part.node
                for _ in 0..<part.workers {
                    var gpus: [Int] = []
                    while gpus.count < gpw && next[n] < taken[n].count {
                        if !taken[n][next[n]] {
                            taken[n][next[n]] = true
                            gpus.append(next[n])
                        }
                        next[n] += 1
                    }
                    workersOf[j].append(WorkerPlacement(node: instance.nodes[n].id, gpus: gpus))
                }
            }
        }

        var nodeByID: [String: Int] = [:]
        for (n, node) in instance.nodes.enumerated() { nodeByID[node.id] = n }
        var result: [JobPlacement] = []
        for (position, job) in workload.jobs.enumerated() {
            let wasPlaced = built.previouslyPlaced.contains(job.id)
            if let pinned = built.pinned[position] {
                var entry = pinned
                entry.tenant = job.tenant
                entry.change = replanning ? .kept : nil
                result.append(entry)
                continue
            }
            guard let j = built.jobIndex[position] else {
                // Duplicate ids were rejected; this only happens for jobs that failed validation.
                result.append(JobPlacement(job: job.id, tenant: job.tenant, status: .unplaced,
                                           reason: UnplacedReason(.noEligibleNode, "job could not be read")))
                continue
            }
            if let decision = decisions[j] {
                let demand = instance.jobs[j]
                let cost = workersOf[j].reduce(0.0) { sum, worker in
                    sum + (nodeByID[worker.node].map { instance.nodes[$0].pricePerGPU } ?? 0) * Double(worker.gpus.count)
                }
                var change: PlacementChange?
                if replanning { change = decision.kept ? .kept : wasPlaced ? .moved : .started }
                result.append(JobPlacement(
                    job: job.id, tenant: job.tenant, status: .placed, shape: decision.shape,
                    accelerator: instance.accelerators[decision.accelerator], workers: workersOf[j], costPerHour: cost,
                    throughput: demand.throughput[decision.shape][decision.accelerator], change: change))
            } else {
                var reason = reasons[j] ?? UnplacedReason(.capacityExhausted, "no placement found")
                if let lost = built.displaced[job.id] {
                    reason = UnplacedReason(.displaced, "\(lost); no other placement: \(reason.detail)")
                }
                result.append(JobPlacement(
                    job: job.id, tenant: job.tenant, status: .unplaced, reason: reason,
                    change: replanning ? (wasPlaced ? .queued : .waiting) : nil))
            }
        }
        return result
    }

    /// Metrics computed from the plan entries and the domain values (not from planner internals).
    static func metrics(entries: [JobPlacement], pool: Pool, workload: Workload, table: ThroughputTable,
                        objective: Double?, bound: Double?, gap: Double?, seconds: Double, method: String) -> PlanMetrics {
        var nodes: [String: Node] = [:]
        for node in pool.nodes where nodes[node.id] == nil { nodes[node.id] = node }
        var jobs: [String: Job] = [:]
        for job in workload.jobs where jobs[job.id] == nil { jobs[job.id] = job }
        var used = 0
        var cost = 0.0
        var throughput = 0.0
        var normalized = 0.0
        var effective = 0.0
        var survival: [Double] = []
        var fairness: [Double] = []
        var placed = 0
        // best(j) depends on a node only through what eligibility reads (provider, model, GPU memory,
        // GPUs per node): one schedulable node of each such kind stands for all (12,500 nodes are
        // a few hundred kinds, which keeps this linear in the jobs).
        struct Kind: Hashable {
            var provider: String, accelerator: String, memory: Double, gpus: Int
        }
        var kinds = Set<Kind>()
        let schedulable = pool.nodes.filter { node in
            node.isSchedulable && kinds.insert(Kind(provider: node.provider, accelerator: node.accelerator,
                                                    memory: node.gpuMemoryGiB, gpus: node.gpuCount)).inserted
        }
        for entry in entries {
            guard let job = jobs[entry.job] else { continue }
            guard entry.status == .placed else {
                fairness.append(0)
                continue
            }
            placed += 1
            used += entry.gpuCount
            cost += entry.costPerHour
            var p = 1.0
            var seen = Set<String>()
            for worker in entry.workers where seen.insert(worker.node).inserted {
                if let node = nodes[worker.node] { p *= pool.effectiveAvailability(of: node) }
            }
            survival.append(p)
            let value = entry.throughput ?? 0
            throughput += value
            // best(j): over the shapes and the models with a schedulable eligible node (Docs/Planning.md).
            var best = 0.0
            for shape in job.shapes {
                var seen = Set<String>()
                for node in schedulable where !seen.contains(node.accelerator) && job.isEligible(node, for: shape) {
                    seen.insert(node.accelerator)
                    let estimate = table.estimate(job: job, shape: shape, accelerator: node.accelerator)
                    best = max(best, estimate ?? Double(shape.totalGPUs ?? 1))
                }
            }
            if best <= 0 { best = 1 }
            let share = min(1, value / best)
            normalized += share
            effective += share * Double(job.shape.totalGPUs ?? 0)
            fairness.append(share / max(job.weight, 1e-12))
        }
        // GPUs a plan could use: schedulable ones not held by outside work (gpusInUse).
        let schedulableGPUs = pool.nodes.reduce(0) { $0 + $1.freeGPUs }
        var jain: Double?
        let sum = fairness.reduce(0, +)
        let squares = fairness.reduce(0) { $0 + $1 * $1 }
        if squares > 0 { jain = sum * sum / (Double(fairness.count) * squares) }
        return PlanMetrics(
            placedJobs: placed, unplacedJobs: entries.count - placed, usedGPUs: used, schedulableGPUs: schedulableGPUs,
            costPerHour: cost, utilization: schedulableGPUs > 0 ? Double(used) / Double(schedulableGPUs) : 0,
            totalThroughput: throughput, normalizedThroughput: normalized, effectiveGPUs: effective,
            expectedAvailability: survival.isEmpty ? nil : survival.reduce(0, +) / Double(survival.count),
            jainFairness: jain, objective: objective, bound: bound, gap: gap, solveSeconds: seconds, method: method)
    }
}
