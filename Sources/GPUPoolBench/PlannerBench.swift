import GPUPoolSupport
import Foundation
import GPUPoolDomain
import GPUPoolPlanner
import GPUPoolWorkloads

/// Runners behind `gpupool-bench plan` and `gpupool-bench allocation`: generate an instance with
/// ``WorkloadGenerator``, plan it, report the figures (the JSON field names are the README's).
enum PlannerBench {
    /// Result of a placement benchmark (the `bench plan` JSON fields).
    struct PlacementResult: Sendable, Hashable, Codable {
        /// Jobs generated.
        var jobs: Int
        /// GPUs in the generated pool.
        var gpus: Int
        /// Jobs placed.
        var placed: Int
        /// Primary objective value (GPUs placed for max-utilization).
        var objective: Double?
        /// Bound on the primary objective, when known.
        var bound: Double?
        /// Planning seconds (instance generation excluded).
        var seconds: Double
        /// Peak resident memory of the process in MiB.
        var peak_rss_mb: Double
        /// How the plan was computed.
        var method: String
        /// Relative gap between objective and bound.
        var gap: Double?
        /// Independent checker violations (0 for a valid plan).
        var violations: Int
        /// Policies as requested, comma-separated (the plan applies them in ``Plan/policies`` order).
        var policy: String
        /// Whether the instance came from the feature-rich generator (``generateRealistic(jobs:gpus:nodes:seed:)``).
        var realistic: Bool
        /// Every lexicographic stage: its value, bound, gap and status (the primary one is first).
        var stages: [PlanStage]
    }

    /// Result of an allocation benchmark (the `bench allocation` JSON fields).
    struct AllocationResult: Sendable, Hashable, Codable {
        /// Jobs in the instance.
        var jobs: Int
        /// GPUs in the pool (all types).
        var gpus: Int
        /// Allocation policy, e.g. `"max-min-fairness"`.
        var policy: String
        /// LP objective (fairness level `t`, or total normalised throughput).
        var objective: Double
        /// Proven upper bound, when known.
        var bound: Double?
        /// Seconds spent in the allocation (instance generation excluded).
        var seconds: Double
        /// How it was solved.
        var method: String
        /// POP partitions (1: whole).
        var partitions: Int
    }

    /// Generates an instance and plans it; `policies` default to max-utilization alone so that the
    /// objective is "GPUs placed" and its bound is meaningful. `realistic` uses
    /// ``generateRealistic(jobs:gpus:nodes:seed:)`` (then `types` is ignored and `nodes` applies).
    static func runPlacement(
        jobs: Int, gpus: Int, types: Int = 4, method: PlanningMethod = .heuristic, seed: UInt64 = 1,
        policies: [PlanningPolicy] = [.maxUtilization], timeLimit: Double? = 30, partitions: Int = 1,
        realistic: Bool = false, nodes: Int? = nil
    ) throws(PlannerError) -> PlacementResult {
        let (pool, workload) = realistic
            ? try WorkloadGenerator.generateRealistic(jobs: jobs, gpus: gpus, nodes: nodes, seed: seed)
            : try WorkloadGenerator.generate(jobs: jobs, gpus: gpus, types: types, seed: seed)
        let planner = Planner(options: PlannerOptions(
            policies: policies, method: method, timeLimit: timeLimit, partitions: partitions, seed: seed))
        let plan = try planner.plan(pool: pool, workload: workload)
        return PlacementResult(
            jobs: jobs, gpus: gpus, placed: plan.metrics.placedJobs, objective: plan.metrics.objective,
            bound: plan.metrics.bound, seconds: plan.metrics.solveSeconds, peak_rss_mb: ProcessStats.peakResidentMiB,
            method: plan.method, gap: plan.metrics.gap, violations: PlanChecker.check(plan, pool: pool, workload: workload).count,
            policy: policies.map(\.rawValue).joined(separator: ","), realistic: realistic, stages: plan.stages)
    }

    /// Builds the Gavel-shape instance and solves its allocation LP under `policy`.
    static func runAllocation(
        jobs: Int = 1024, gpusPerType: Int = 256, policy: PlanningPolicy = .maxMinFairness, throughputs: GavelThroughputs,
        method: PlanningMethod = .auto, partitions: Int = 1, seed: UInt64 = 1
    ) throws(PlannerError) -> AllocationResult {
        let (pool, workload) = try WorkloadGenerator.gavelAllocationInstance(jobs: jobs, gpusPerType: gpusPerType, throughputs: throughputs, seed: seed)
        let planner = Planner(options: PlannerOptions(method: method, timeLimit: nil, partitions: partitions, seed: seed))
        let allocation = try planner.allocate(pool: pool, workload: workload, policy: policy)
        return AllocationResult(
            jobs: jobs, gpus: 3 * gpusPerType, policy: policy.rawValue, objective: allocation.objective,
            bound: allocation.bound, seconds: allocation.seconds, method: allocation.method, partitions: allocation.partitions)
    }
}
