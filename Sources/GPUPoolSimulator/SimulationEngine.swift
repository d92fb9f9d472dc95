import GPUPoolSupport
import Foundation
import GPUPoolDomain
import GPUPoolModel
import GPUPoolPlanner

/// The mutable state and the round loop behind ``Simulator/run(options:progress:)``.
struct SimulationEngine {
    /// What a running job holds.
    struct Running {
        var placement: JobPlacement
        var model: Int
        var rate: Double
        var nodes: [Int]
    }

    let pool: Pool
    let jobs: [Job]
    let failures: FailureSchedule
    let options: SimulationOptions
    let planner: Planner
    let models: [String]
    let modelIndex: [String: Int]
    let nodeIndex: [String: Int]
    /// Total GPUs per accelerator model (all nodes).
    let gpus: [Int]
    let work: [Double]
    let arrival: [Double]
    /// Steps/s of the whole gang per model (0: cannot run there).
    let rates: [[Double]]
    let unschedulable: [Bool]

    var done: [Double]
    var running: [Running?]
    var restartUntil: [Double]
    var firstStart: [Double?]
    var completion: [Double?]
    var received: [[Double]]
    var preemptions: [Int]
    var migrations: [Int]
    var failureHits: [Int]
    var contentionIntegral: [Double]
    var lastPlan: Plan?

    init(pool: Pool, jobs: [Job], failures: FailureSchedule, options: SimulationOptions) {
        self.pool = pool
        self.jobs = jobs
        self.failures = failures
        self.options = options
        planner = Planner(options: PlannerOptions(
            policies: [.priority, options.isTimeSharing ? .maxUtilization : options.policy], method: options.method,
            timeLimit: options.plannerTimeLimit, seed: options.seed, migrationPenalty: 0.1,
            throughputTable: options.throughputTable, improvementRounds: 1, heuristicStarts: 2))
        let models = pool.acceleratorModels
        self.models = models
        var mi: [String: Int] = [:]
        for (k, m) in models.enumerated() { mi[m] = k }
        modelIndex = mi
        var ni: [String: Int] = [:]
        for (i, n) in pool.nodes.enumerated() { ni[n.id] = i }
        nodeIndex = ni
        var g = [Int](repeating: 0, count: models.count)
        for n in pool.nodes { if let k = mi[n.accelerator] { g[k] += max(0, n.gpuCount) } }
        gpus = g
        work = jobs.map { $0.totalSteps ?? 0 }
        arrival = jobs.map { $0.arrivalSeconds ?? 0 }
        let table = options.throughputTable
        rates = jobs.map { job in
            models.map { m in
                guard job.shape.allows(accelerator: m) else { return 0 }
                return max(0, table.estimate(job: job, shape: job.shape, accelerator: m) ?? 0)
            }
        }
        var healthy = pool
        for i in healthy.nodes.indices { healthy.nodes[i].health = .healthy }
        unschedulable = jobs.map { Workload.infeasibility(of: $0, in: healthy) != nil || !Self.fitsOneModel($0, pool: healthy) }
        let n = jobs.count
        done = Array(repeating: 0, count: n)
        running = Array(repeating: nil, count: n)
        restartUntil = Array(repeating: 0, count: n)
        firstStart = Array(repeating: nil, count: n)
        completion = Array(repeating: nil, count: n)
        received = Array(repeating: Array(repeating: 0, count: models.count), count: n)
        preemptions = Array(repeating: 0, count: n)
        migrations = Array(repeating: 0, count: n)
        failureHits = Array(repeating: 0, count: n)
        contentionIntegral = Array(repeating: 0, count: n)
    }

    // MARK: Round loop

    mutating func run(progress: ((Double) -> Void)?) throws(SimulationError) -> SimulationResult {
        let clock = ContinuousClock()
        let started = clock.now
        let round = options.roundSeconds
        let order = jobs.indices.filter { !unschedulable[$0] }.sorted { (arrival[$0], $0) < (arrival[$1], $1) }
        var nextArrival = 0
        var runnable: [Int] = []  // arrived, unfinished, schedulable; in arrival order
        var t = order.first.map { (arrival[$0] / round).rounded(.down) * round } ?? 0
        var dirty = true
        var downNodes = Set<String>()
        var allocationCache: [Int: [Double]] = [:]
        var allocationValid = false
        var timeline: [TimeSample] = []
        var plannerSeconds: [Double] = []
        var rounds = 0
        var busyTotal = 0.0, availableTotal = 0.0, cost = 0.0
        var truncated = false
        var stopCause = ""
        var violations: [String] = []
        let completedTarget = Double(max(1, order.count))
        var completedCount = 0
        let prices = pool.nodes.map { max(0, $0.pricePerGPUHour) }

        while true {
            // Arrivals.
            while nextArrival < order.count, arrival[order[nextArrival]] <= t {
                runnable.append(order[nextArrival])
                nextArrival += 1
                dirty = true
            }
            // Failures and repairs.
            let down = Set(pool.nodes.map(\.id).filter { failures.isDown($0, at: t) })
            if down != downNodes {
                downNodes = down
                dirty = true
                allocationValid = false
                // Jobs on a node that is down now (failed exactly at the round boundary) stop.
                for j in runnable {
                    if let r = running[j], r.nodes.contains(where: { downNodes.contains(pool.nodes[$0].id) }) {
                        running[j] = nil
                        preemptions[j] += 1
                        failureHits[j] += 1
                    }
                }
            }
            if runnable.isEmpty && nextArrival >= order.count { break }
            if t >= options.maxSimulatedSeconds {
                truncated = true
                stopCause = "the simulated-time limit of \(Int(options.maxSimulatedSeconds)) s was reached"
                break
            }
            var currentPool = pool
            for i in currentPool.nodes.indices where downNodes.contains(currentPool.nodes[i].id) {
                currentPool.nodes[i].health = .failed
            }
            let waiting = runnable.contains { running[$0] == nil }
            if dirty { allocationValid = false }
            if dirty || (options.isTimeSharing && waiting) {
                let began = clock.now
                if options.isTimeSharing {
                    if !allocationValid {
                        allocationCache = try allocate(runnable: runnable, pool: currentPool)
                        allocationValid = true
                    }
                    try decideTimeShared(runnable: runnable, pool: currentPool, time: t, allocation: allocationCache)
                } else {
                    try decide(runnable: runnable, pool: currentPool, time: t)
                }
                plannerSeconds.append((clock.now - began).seconds)
                dirty = false
            }

            // How far the current decision holds.
            var end = t + round
            let stillWaiting = runnable.contains { running[$0] == nil }
            if !(options.isTimeSharing && stillWaiting) {
                var event = Double.infinity
                if nextArrival < order.count { event = min(event, arrival[order[nextArrival]]) }
                if let change = failures.nextChange(after: t) { event = min(event, change) }
                for j in runnable { if let r = running[j], r.rate > 0 { event = min(event, max(t, restartUntil[j]) + (work[j] - done[j]) / r.rate) } }
                if event.isFinite { end = max(end, (event / round).rounded(.up) * round) }
            }
            if nextArrival >= order.count, failures.nextChange(after: t) == nil, runnable.allSatisfy({ running[$0] == nil }) {
                // Nothing runs and nothing will ever change: the rest can never be scheduled.
                truncated = true
                stopCause = "nothing was running and no arrival or repair was left, so the waiting jobs could never start"
                break
            }
            end = min(end, max(t + round, options.maxSimulatedSeconds))
            rounds += Int(((end - t) / round).rounded(.up))

            // Advance the running jobs over [t, end).
            let queuedAtStart = runnable.filter { running[$0] == nil }.count
            let runningAtStart = runnable.count - queuedAtStart
            let contenders = Double(runnable.count)
            var busy = 0.0
            var finished: [Int] = []
            for j in runnable {
                contentionIntegral[j] += contenders * (end - t)
                guard let r = running[j] else { continue }
                let failAt = r.nodes.compactMap { failures.nextFailure(of: pool.nodes[$0].id, after: t, before: end) }.min()
                let stop = failAt ?? end
                let begin = min(stop, max(t, restartUntil[j]))
                var heldUntil = stop
                if r.rate > 0 && begin < stop {
                    let need = (work[j] - done[j]) / r.rate
                    if begin + need <= stop {
                        done[j] = work[j]
                        heldUntil = begin + need
                        completion[j] = heldUntil
                        finished.append(j)
                    } else {
                        done[j] += r.rate * (stop - begin)
                    }
                }
                let held = heldUntil - t
                let gpuCount = Double(r.placement.gpuCount)
                busy += gpuCount * held
                received[j][r.model] += held
                for w in r.placement.workers { if let i = nodeIndex[w.node] { cost += prices[i] * Double(w.gpus.count) * held / 3600 } }
                if completion[j] != nil {
                    running[j] = nil
                } else if failAt != nil {
                    running[j] = nil
                    preemptions[j] += 1
                    failureHits[j] += 1
                    dirty = true
                }
            }
            if !finished.isEmpty {
                let gone = Set(finished)
                runnable.removeAll { gone.contains($0) }
                completedCount += finished.count
                dirty = true
                allocationValid = false
            }
            let available = availableGPUSeconds(from: t, to: end)
            if busy > available * (1 + 1e-9) + 1e-6 {
                violations.append("interval \(t)…\(end): jobs held \(busy) GPU-s but only \(available) were up")
            }
            busyTotal += busy
            availableTotal += available
            let upGPUs = pool.nodes.filter { !downNodes.contains($0.id) }.reduce(0) { $0 + max(0, $1.gpuCount) }
            timeline.append(TimeSample(start: t, end: end, utilization: available > 0 ? busy / available : 0,
                                       queued: queuedAtStart, running: runningAtStart, availableGPUs: upGPUs))
            progress?(Double(completedCount) / completedTarget)
            t = end
        }

        let records = makeRecords(endTime: t, stopCause: stopCause)
        violations += conservation(records: records)
        if busyTotal > availableTotal * (1 + 1e-9) + 1e-6 {
            violations.append("jobs held \(busyTotal) GPU-s but only \(availableTotal) were up")
        }
        let outageCount = failures.outages.values.reduce(0) { $0 + $1.filter { $0.start < t }.count }
        return SimulationResult(
            policy: options.policy.rawValue, jobs: records, timeline: timeline, plannerSeconds: plannerSeconds,
            plannedRounds: plannerSeconds.count, rounds: rounds, busyGPUSeconds: busyTotal, availableGPUSeconds: availableTotal,
            cost: cost, failures: outageCount, endTime: t, truncated: truncated, violations: violations,
            wallSeconds: (clock.now - started).seconds)
    }

    // MARK: Decisions

    /// Re-plans every runnable job under the policy, keeping jobs where they are when possible.
    private mutating func decide(runnable: [Int], pool current: Pool, time: Double) throws(SimulationError) {
        let workload = Workload(jobs: runnable.map { jobs[$0] })
        let plan = try replan(pool: current, workload: workload)
        apply(plan: plan, jobIndices: runnable, time: time)
    }

    /// Gavel-style round: rank (job, model) pairs by allocated ÷ received share, pick those that fit
    /// each model's capacity, let the planner place them.
    private mutating func decideTimeShared(runnable: [Int], pool current: Pool, time: Double, allocation: [Int: [Double]]) throws(SimulationError) {
        var free = [Int](repeating: 0, count: models.count)
        for node in current.nodes where node.isSchedulable { if let k = modelIndex[node.accelerator] { free[k] += max(0, node.gpuCount) } }
        struct Candidate { var job: Int; var model: Int; var priority: Double; var share: Double }
        var candidates: [Candidate] = []
        for j in runnable {
            guard let x = allocation[j] else { continue }
            let age = max(0, time - arrival[j])
            for k in models.indices where x[k] > 1e-9 && rates[j][k] > 0 {
                let got = age > 0 ? received[j][k] / age : 0
                let priority = got > 0 ? x[k] / got : Double.greatestFiniteMagnitude * x[k]
                candidates.append(Candidate(job: j, model: k, priority: priority, share: x[k]))
            }
        }
        candidates.sort {
            if $0.priority != $1.priority { return $0.priority > $1.priority }
            if $0.share != $1.share { return $0.share > $1.share }
            return ($0.job, $0.model) < ($1.job, $1.model)
        }
        var chosen: [Int: Int] = [:]
        for c in candidates where chosen[c.job] == nil {
            let need = jobs[c.job].shape.totalGPUs ?? Int.max
            if need <= free[c.model] {
                free[c.model] -= need
                chosen[c.job] = c.model
            }
        }
        let selected = runnable.filter { chosen[$0] != nil }
        let workload = Workload(jobs: selected.map { j in
            var job = jobs[j]
            job.shape.accelerators = [models[chosen[j] ?? 0]]
            job.alternatives = []
            return job
        })
        let plan = try replan(pool: current, workload: workload)
        apply(plan: plan, jobIndices: selected, time: time)
        // Runnable jobs not selected this round stop (time-sharing preemption).
        let picked = Set(selected)
        for j in runnable where !picked.contains(j) && running[j] != nil {
            running[j] = nil
            preemptions[j] += 1
        }
    }

    /// The allocation's time fractions per runnable job index (models in ``models`` order).
    private func allocate(runnable: [Int], pool current: Pool) throws(SimulationError) -> [Int: [Double]] {
        guard !runnable.isEmpty else { return [:] }
        let allocation: Allocation
        do {
            allocation = try planner.allocate(pool: current, workload: Workload(jobs: runnable.map { jobs[$0] }), policy: options.policy)
        } catch {
            throw SimulationError("planner (allocation): \(error.description)")
        }
        let columns = allocation.accelerators.map { modelIndex[$0] }
        var byID: [String: Int] = [:]
        for j in runnable { byID[jobs[j].id] = j }
        var result: [Int: [Double]] = [:]
        for entry in allocation.jobs {
            guard let j = byID[entry.job] else { continue }
            var x = [Double](repeating: 0, count: models.count)
            for (c, value) in entry.fractions.enumerated() where c < columns.count { if let k = columns[c] { x[k] += value } }
            result[j] = x
        }
        return result
    }

    private mutating func replan(pool current: Pool, workload: Workload) throws(SimulationError) -> Plan {
        do throws(PlannerError) {
            let plan: Plan
            if let previous = lastPlan {
                plan = try planner.replan(current: previous, pool: current, workload: workload)
            } else {
                plan = try planner.plan(pool: current, workload: workload)
            }
            lastPlan = plan
            return plan
        } catch {
            throw SimulationError("planner: \(error.description)")
        }
    }

    /// Starts, keeps, moves or stops jobs as the plan says.
    private mutating func apply(plan: Plan, jobIndices: [Int], time: Double) {
        var entries: [String: JobPlacement] = [:]
        for entry in plan.jobs { entries[entry.job] = entry }
        for j in jobIndices {
            let old = running[j]
            guard let entry = entries[jobs[j].id], entry.status == .placed, let model = entry.accelerator,
                  let k = modelIndex[model]
            else {
                if old != nil {
                    running[j] = nil
                    preemptions[j] += 1
                }
                continue
            }
            let rate = entry.throughput.map { max(0, $0) } ?? rates[j][k]
            let nodes = entry.workers.compactMap { nodeIndex[$0.node] }
            let next = Running(placement: entry, model: k, rate: rate, nodes: nodes)
            if let old {
                if old.placement.workers != entry.workers {
                    migrations[j] += 1
                    restartUntil[j] = time + options.restartDelaySeconds
                }
            } else if firstStart[j] == nil {
                firstStart[j] = time
            } else {
                restartUntil[j] = time + options.restartDelaySeconds
            }
            running[j] = next
        }
    }

    // MARK: Accounting

    /// Whether some shape of `job` fits on nodes of ONE accelerator model within one locality group
    /// (a gang runs on a single model); the domain's check allows mixing models.
    static func fitsOneModel(_ job: Job, pool: Pool) -> Bool {
        for shape in job.shapes {
            guard shape.workers > 0, shape.gpusPerWorker > 0 else { continue }
            var workers: [String: Int] = [:]
            for node in pool.nodes where job.isEligible(node, for: shape) {
                let fit = node.gpuCount / shape.gpusPerWorker
                let key = node.accelerator + "|" + node.localityKey(job.locality)
                workers[key, default: 0] = min(Int.max / 2, workers[key, default: 0] + fit)
            }
            if workers.values.contains(where: { $0 >= shape.workers }) { return true }
        }
        return false
    }

    /// GPU-seconds of nodes up during [from, to).
    private func availableGPUSeconds(from: Double, to: Double) -> Double {
        var total = 0.0
        for node in pool.nodes {
            var up = to - from
            for o in failures.outages[node.id] ?? [] where o.end > from && o.start < to {
                up -= min(to, o.end) - max(from, o.start)
            }
            total += Double(max(0, node.gpuCount)) * max(0, up)
        }
        return total
    }

    private func makeRecords(endTime: Double, stopCause: String) -> [JobRecord] {
        var healthy = pool
        for i in healthy.nodes.indices { healthy.nodes[i].health = .healthy }
        return jobs.indices.map { j in
            var reason: String?
            if unschedulable[j] {
                reason = "never schedulable: " + (Workload.infeasibility(of: jobs[j], in: healthy)
                    ?? "no single accelerator model has enough GPUs for the gang")
            } else if completion[j] == nil {
                let progress = work[j] > 0 ? Int((done[j] / work[j] * 100).rounded(.down)) : 0
                let state = running[j] != nil ? "running" : firstStart[j] != nil ? "preempted" : "never started"
                reason = "not completed (\(state), \(progress)% of its steps) when the simulation stopped at \(Int(endTime)) s: "
                    + (stopCause.isEmpty ? "the simulation ended" : stopCause)
            }
            let best = rates[j].max() ?? 0
            var byModel: [String: Double] = [:]
            for (k, s) in received[j].enumerated() where s > 0 { byModel[models[k]] = s }
            let life = (completion[j] ?? endTime) - arrival[j]
            return JobRecord(
                id: jobs[j].id, tenant: jobs[j].tenant, gpus: jobs[j].shape.totalGPUs ?? 0, arrival: arrival[j],
                firstStart: firstStart[j], completion: completion[j], stepsDone: done[j], totalSteps: work[j],
                isolatedSeconds: best > 0 ? work[j] / best : 0, preemptions: preemptions[j], migrations: migrations[j],
                failureInterruptions: failureHits[j], secondsByAccelerator: byModel,
                meanContention: life > 0 ? contentionIntegral[j] / life : 1, unschedulable: unschedulable[j],
                notCompletedReason: reason)
        }
    }

    /// Every job completed (with all its steps), running, queued or unschedulable — exactly one.
    private func conservation(records: [JobRecord]) -> [String] {
        var problems: [String] = []
        for (j, r) in records.enumerated() {
            if let c = r.completion {
                if abs(r.stepsDone - r.totalSteps) > 1e-6 * max(1, r.totalSteps) { problems.append("job \(r.id): completed with \(r.stepsDone) of \(r.totalSteps) steps") }
                if c < r.arrival { problems.append("job \(r.id): completed before it arrived") }
                if running[j] != nil { problems.append("job \(r.id): completed but still holds GPUs") }
            } else if r.stepsDone > r.totalSteps * (1 + 1e-9) {
                problems.append("job \(r.id): ran \(r.stepsDone) of \(r.totalSteps) steps without completing")
            }
            if r.unschedulable && (r.firstStart != nil || r.completion != nil) { problems.append("job \(r.id): unschedulable but ran") }
        }
        return problems
    }
}
