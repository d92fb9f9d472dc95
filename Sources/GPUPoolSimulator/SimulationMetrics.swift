import GPUPoolSupport
import Foundation

/// Summary figures of a ``SimulationResult``. Times are seconds; averages and percentiles are over
/// completed jobs.
public struct SimulationMetrics: Sendable, Hashable, Codable {
    /// Jobs in the input.
    public var jobs: Int
    /// Jobs completed.
    public var completed: Int
    /// Jobs arrived but still running or queued when the run stopped.
    public var unfinished: Int
    /// Jobs that can never fit the pool (never run; not counted in the averages).
    public var unschedulable: Int
    /// Mean job completion time.
    public var averageJCT: Double?
    /// Median job completion time.
    public var p50JCT: Double?
    /// 95th percentile job completion time.
    public var p95JCT: Double?
    /// 99th percentile job completion time.
    public var p99JCT: Double?
    /// Mean queueing delay (first start − arrival) over jobs that ran.
    public var averageQueueingDelay: Double?
    /// 99th percentile queueing delay.
    public var p99QueueingDelay: Double?
    /// Last completion − first arrival.
    public var makespan: Double?
    /// GPU-seconds held ÷ GPU-seconds up, over the whole run.
    public var utilization: Double
    /// Price of the GPU time held (USD).
    public var cost: Double
    /// Jain's index of the completed jobs' speeds (isolated time ÷ JCT); 1 = all slowed equally.
    public var jainFairness: Double?
    /// Mean finish-time fairness ρ (Themis): JCT ÷ the time on a 1/N share of the pool, N the mean
    /// number of competing jobs; ρ ≤ 1 means the job did at least as well as on its fair share.
    public var meanFinishTimeFairness: Double?
    /// Largest ρ (the worst-treated job).
    public var maxFinishTimeFairness: Double?
    /// Moves of running jobs to other GPUs.
    public var migrations: Int
    /// Stops of unfinished jobs (scheduler decisions and failures).
    public var preemptions: Int
    /// Node outages during the run.
    public var failures: Int
    /// Jobs a failure interrupted that still completed.
    public var failuresSurvived: Int
    /// GPU-hours jobs held, per accelerator model.
    public var gpuHoursByAccelerator: [String: Double]
    /// Median planner seconds per planning round.
    public var plannerP50: Double?
    /// 99th percentile planner seconds per planning round.
    public var plannerP99: Double?

    /// Computes the figures.
    public init(_ result: SimulationResult) {
        let records = result.jobs
        jobs = records.count
        let done = records.filter { $0.completion != nil }
        completed = done.count
        unschedulable = records.filter(\.unschedulable).count
        unfinished = jobs - completed - unschedulable
        let jcts = done.compactMap(\.jct).sorted()
        averageJCT = jcts.isEmpty ? nil : jcts.reduce(0, +) / Double(jcts.count)
        p50JCT = Percentile.nearestRank(jcts, 0.50)
        p95JCT = Percentile.nearestRank(jcts, 0.95)
        p99JCT = Percentile.nearestRank(jcts, 0.99)
        let delays = records.compactMap(\.queueingDelay).sorted()
        averageQueueingDelay = delays.isEmpty ? nil : delays.reduce(0, +) / Double(delays.count)
        p99QueueingDelay = Percentile.nearestRank(delays, 0.99)
        if let first = records.filter({ !$0.unschedulable }).map(\.arrival).min(), let last = done.compactMap(\.completion).max() {
            makespan = last - first
        }
        utilization = result.availableGPUSeconds > 0 ? result.busyGPUSeconds / result.availableGPUSeconds : 0
        cost = result.cost
        let speeds = done.compactMap { r -> Double? in
            guard let jct = r.jct, jct > 0 else { return nil }
            return min(1, r.isolatedSeconds / jct)
        }
        let sum = speeds.reduce(0, +), squares = speeds.reduce(0) { $0 + $1 * $1 }
        jainFairness = speeds.isEmpty || squares == 0 ? nil : sum * sum / (Double(speeds.count) * squares)
        let totalGPUs = Double(max(1, result.timeline.map(\.availableGPUs).max() ?? 1))
        let rhos = done.compactMap { r -> Double? in
            guard let jct = r.jct, r.isolatedSeconds > 0 else { return nil }
            // Fair share: totalGPUs / N GPUs; a gang needing more is slowed by gpus·N/totalGPUs.
            let slowdown = max(1, Double(r.gpus) * max(1, r.meanContention) / totalGPUs)
            return jct / (r.isolatedSeconds * slowdown)
        }
        meanFinishTimeFairness = rhos.isEmpty ? nil : rhos.reduce(0, +) / Double(rhos.count)
        maxFinishTimeFairness = rhos.max()
        migrations = records.reduce(0) { $0 + $1.migrations }
        preemptions = records.reduce(0) { $0 + $1.preemptions }
        failures = result.failures
        failuresSurvived = done.filter { $0.failureInterruptions > 0 }.count
        var hours: [String: Double] = [:]
        for r in records { for (model, s) in r.secondsByAccelerator { hours[model, default: 0] += s * Double(r.gpus) / 3600 } }
        gpuHoursByAccelerator = hours
        let planner = result.plannerSeconds.sorted()
        plannerP50 = Percentile.nearestRank(planner, 0.50)
        plannerP99 = Percentile.nearestRank(planner, 0.99)
    }
}
