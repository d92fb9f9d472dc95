import GPUPoolClusters
import GPUPoolCommandLine
import GPUPoolSupport
import ArgumentParser
import Foundation
import GPUPoolDomain
import GPUPoolPlanner

/// `gpupool demo`: the main job of the README's quick start.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Plan a demo pool (real cloud catalogs + own data center + community hosts) under several policies.",
        discussion: """
            The pool joins subsets of the real SkyPilot catalogs of Lambda, FluidStack and Vast.ai (shipped with the \
            package), a small own data center (4 nodes × 8 A100-80GB, NVLink) and a community share of RTX hosts. \
            The demand comes from the job types and sizes of Gavel's physical-cluster trace, across three tenants with \
            quotas. It is planned under each policy and compared. --json prints one object per policy.
            """
    )

    @Option(
        help: CommaList.help("Policies to compare, each planned on its own (after priority tiers).", default: DemoCommand.defaultPolicies),
        transform: CommaList.parse
    )
    var policies: [CommaList<PlanningPolicy>] = [CommaList(DemoCommand.defaultPolicies)]

    static let defaultPolicies: [PlanningPolicy] = [.minCost, .maxThroughput, .maxAvailability, .maxMinFairness]

    @Option(help: "Placement method.")
    var method: PlanningMethod = .auto

    @Option(parsing: .unconditional, help: "Number of demo jobs (1–96).")
    var jobs: Int = 48

    @OptionGroup var outputOptions: OutputOptions

    @Option(help: "Instead: import the shipped kubernetes or slurm demo inventory, plan it and emit manifests or sbatch scripts.")
    var cluster: ClusterKind?

    @Option(help: "With --cluster: where the manifests or scripts go (default: a new temporary directory).")
    var emitDirectory: String?

    func validate() throws {
        guard (1...96).contains(jobs) else { throw ValidationError("--jobs \(jobs): must be between 1 and 96") }
        try PlanningPolicy.checkUnique(policies.flattened(), option: "--policies")
    }

    func run() throws {
        if let cluster { return try ClusterDemoRun(kind: cluster, directory: emitDirectory, method: method, json: outputOptions.json).run() }
        let json = outputOptions.json
        let chosen: [PlanningPolicy] = policies.flattened()
        let pool: Pool, workload: Workload
        do {
            pool = try DemoData.pool()
            workload = try DemoData.workload(jobCount: jobs)
        } catch {
            throw InputError("demo data: \(error)")
        }
        if !json {
            let providers = Dictionary(grouping: pool.nodes, by: \.provider).mapValues { $0.reduce(0) { $0 + $1.gpuCount } }
            print("Pool: \(pool.nodes.count) nodes, \(pool.totalGPUs) GPUs, \(pool.acceleratorModels.count) accelerator models from \(pool.providers.count) providers")
            for provider in pool.providers {
                print("  \(provider.id) (\(provider.kind.rawValue)): \(providers[provider.id] ?? 0) GPUs, availability \(String(format: "%.3f", provider.effectiveAvailability))")
            }
            let gpus = workload.jobs.reduce(0) { $0 + ($1.shape.totalGPUs ?? 0) }
            print("Demand: \(workload.jobs.count) jobs (Gavel job types) needing \(gpus) GPUs, tenants \(workload.tenants.joined(separator: ", "))\n")
        }
        var plans: [(name: String, plan: Plan)] = []
        for policy in chosen {
            let options = PlannerOptions(policies: [policy], method: method, timeLimit: 20, partitions: 1, seed: 1)
            let plan: Plan
            do { plan = try Planner(options: options).plan(pool: pool, workload: workload) } catch {
                throw InputError("planning under \(policy.rawValue): \(error.description)")
            }
            try requirePassesChecker(plan, pool: pool, workload: workload, what: "the \(policy.rawValue) plan")
            plans.append((policy.rawValue, plan))
            if json {
                let m = plan.metrics
                print(JSONText.object([
                    ("policy", .string(policy.rawValue)), ("effective_policies", .array(plan.policies.map { .string($0) })),
                    ("placed", .integer(m.placedJobs)), ("jobs", .integer(m.placedJobs + m.unplacedJobs)),
                    ("gpus_used", .integer(m.usedGPUs)), ("utilization", .number(m.utilization)),
                    ("cost_per_hour", .number(m.costPerHour)), ("effective_gpus", .number(m.effectiveGPUs)),
                    ("expected_availability", .number(m.expectedAvailability)), ("jain", .number(m.jainFairness)),
                    ("seconds", .number(m.solveSeconds)), ("method", .string(plan.method)),
                ]).serialized)
            }
        }
        if !json {
            print(Plan.comparison(plans))
            print("""

                cost/h: price of the GPUs in use; eff. GPUs: GPUs weighted by each job's speed on its accelerator relative \
                to its best one (heterogeneity-aware throughput); availability: mean probability that a placed gang's \
                nodes all stay up; Jain: fairness of the per-tenant shares.
                """)
        }
    }
}
