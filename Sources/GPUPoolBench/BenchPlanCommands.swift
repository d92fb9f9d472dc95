import GPUPoolCommandLine
import GPUPoolSupport
import ArgumentParser
import Foundation
import GPUPoolDomain
import GPUPoolPlanner

/// `gpupool bench plan`: placement speed and quality on generated pools.
struct BenchPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan a generated instance (60–80 % single-GPU jobs, gangs up to 64 GPUs, 3 provider kinds).",
        discussion: "--json prints one JSON object: placed jobs, objective, bound, gap, seconds, peak memory, method, checker violations, and each stage's value, bound, gap and status."
    )

    @Option(parsing: .unconditional, help: "Jobs to generate.") var jobs: Int = 10_000
    @Option(parsing: .unconditional, help: "GPUs in the generated pool.") var gpus: Int = 100_000
    @Option(parsing: .unconditional, help: "Accelerator types (3–8; ignored with --realistic).") var types: Int = 4
    @Flag(help: "Feature-rich instance: 5 providers (own, cloud, community), NVIDIA and AMD models, unhealthy nodes, gangs over several nodes, every locality, quotas, budgets, alternative shapes, accelerator lists, memory minimums, allowed/denied providers, 4 priority tiers; requested GPUs ≈ 0.8 × the pool.") var realistic = false
    @Option(parsing: .unconditional, help: "Nodes of the --realistic pool (default about gpus / 8; node sizes scale).") var nodes: Int?
    @OptionGroup var planner: PlannerOptionGroup<Defaults>
    @OptionGroup var limit: TimeLimitOptions<Defaults>
    @OptionGroup var outputOptions: OutputOptions

    /// The defaults of `gpupool-bench plan`: max-utilization alone (its objective, GPUs placed,
    /// has a meaningful bound), heuristic placement.
    enum Defaults: PlannerDefaults, TimeLimitDefault {
        static var method: PlanningMethod { .heuristic }
        static var policies: [PlanningPolicy] { [.maxUtilization] }
        static var policyHelp: String { "Policies in priority order, e.g. priority,max-throughput,min-cost." }
        static var seconds: Double { 30 }
        static var help: String { "Wall-clock limit in seconds." }
    }

    func validate() throws {
        guard jobs >= 1, jobs <= 1_000_000 else { throw ValidationError("--jobs \(jobs): must be between 1 and 1,000,000") }
        guard gpus >= 1, gpus <= 10_000_000 else { throw ValidationError("--gpus \(gpus): must be between 1 and 10,000,000") }
        guard (3...8).contains(types) else { throw ValidationError("--types \(types): must be between 3 and 8") }
        if let nodes {
            guard realistic else { throw ValidationError("--nodes: only with --realistic") }
            guard nodes >= 1, nodes <= gpus else { throw ValidationError("--nodes \(nodes): must be between 1 and --gpus (\(gpus))") }
        }
    }

    func run() throws {
        let json = outputOptions.json
        let options = planner.options(timeLimit: limit.timeLimit)
        let r: PlannerBench.PlacementResult
        do {
            r = try PlannerBench.runPlacement(
                jobs: jobs, gpus: gpus, types: types, method: options.method, seed: options.seed, policies: options.policies,
                timeLimit: options.timeLimit, partitions: options.partitions, realistic: realistic, nodes: nodes)
        } catch { throw InputError(error.description) }
        let value: JSONText = .object([
            ("jobs", .integer(r.jobs)), ("gpus", .integer(r.gpus)), ("placed", .integer(r.placed)),
            ("objective", .number(r.objective)), ("bound", .number(r.bound)), ("gap", .number(r.gap)),
            ("seconds", .number(r.seconds)), ("peak_rss_mb", .number((r.peak_rss_mb * 10).rounded() / 10)),
            ("method", .string(r.method)), ("violations", .integer(r.violations)),
            ("policy", .string(r.policy)), ("realistic", .bool(r.realistic)),
            ("stages", .array(r.stages.map { stage in
                .object([("objective", .string(stage.objective)), ("value", .number(stage.value)), ("bound", .number(stage.bound)),
                         ("gap", .number(stage.gap)), ("status", .string(stage.status.rawValue))])
            })),
        ])
        if json { print(value.serialized) } else {
            print("\(r.jobs) jobs on \(r.gpus) GPUs (\(realistic ? "realistic" : "\(types) types"), \(r.policy)): placed \(r.placed), objective \(r.objective.map { String(format: "%.1f", $0) } ?? "–"), bound \(r.bound.map { String(format: "%.1f", $0) } ?? "–"), \(String(format: "%.3f", r.seconds)) s, peak RSS \(String(format: "%.0f", r.peak_rss_mb)) MiB, method \(r.method), checker violations \(r.violations)")
            for stage in r.stages {
                let bound = stage.bound.map { String(format: "%.4f", $0) } ?? "–"
                let gap = stage.gap.map { String(format: "%.3f %%", $0 * 100) } ?? "–"
                print("  stage \(stage.objective): value \(String(format: "%.4f", stage.value)), bound \(bound), gap \(gap), \(stage.status.rawValue)")
            }
        }
    }
}

/// `gpupool bench allocation`: the Gavel-shape fairness allocation LP.
struct BenchAllocationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocation",
        abstract: "Solve the Gavel-shape allocation (jobs on V100/P100/K80 with Gavel's throughputs).",
        discussion: "--json prints one JSON object: objective, bound, seconds, method and partitions."
    )

    @Option(parsing: .unconditional, help: "Jobs to generate.") var jobs: Int = 1024
    @Option(parsing: .unconditional, help: "Total GPUs, split evenly over the types.") var gpus: Int = 768
    @Option(parsing: .unconditional, help: "Accelerator types (3: V100, P100, K80).") var types: Int = 3
    @OptionGroup var planner: PlannerOptionGroup<Defaults>
    @Option(help: "Gavel simulation_throughputs.json (default: the subset shipped with the package).") var throughputs: String?
    @OptionGroup var outputOptions: OutputOptions

    /// The defaults of `gpupool-bench allocation`: max-min fairness, solved `auto`.
    enum Defaults: PlannerDefaults {
        static var method: PlanningMethod { .auto }
        static var policies: [PlanningPolicy] { [.maxMinFairness] }
        static var policyHelp: String { "Allocation policy (the first one listed is used)." }
    }

    func validate() throws {
        guard types == 3 else { throw ValidationError("--types \(types): Gavel's throughputs cover 3 types (V100, P100, K80)") }
        guard jobs >= 1, jobs <= 100_000 else { throw ValidationError("--jobs \(jobs): must be between 1 and 100,000") }
        guard gpus >= 3, gpus % 3 == 0 else { throw ValidationError("--gpus \(gpus): must be a positive multiple of 3") }
        guard !planner.policies.isEmpty else { throw ValidationError("--policy: give a policy") }
    }

    func run() throws {
        let json = outputOptions.json
        let options = planner.options(timeLimit: nil)
        let chosen = options.policies[0]
        let table: GavelThroughputs
        do {
            table = try throughputs.map { try GavelThroughputs.read(path: $0) } ?? DemoData.gavelThroughputs()
        } catch { throw InputError("\(throughputs ?? "shipped throughputs"): \(error)") }
        let r: PlannerBench.AllocationResult
        do {
            r = try PlannerBench.runAllocation(jobs: jobs, gpusPerType: gpus / 3, policy: chosen, throughputs: table, method: options.method, partitions: options.partitions, seed: options.seed)
        } catch { throw InputError(error.description) }
        let value: JSONText = .object([
            ("jobs", .integer(r.jobs)), ("gpus", .integer(r.gpus)), ("policy", .string(r.policy)),
            ("objective", .number(r.objective)), ("bound", .number(r.bound)), ("seconds", .number(r.seconds)),
            ("method", .string(r.method)), ("partitions", .integer(r.partitions)),
        ])
        if json { print(value.serialized) } else {
            print("\(r.jobs) jobs, \(r.gpus) GPUs, \(r.policy): objective \(String(format: "%.5f", r.objective)) in \(String(format: "%.3f", r.seconds)) s (\(r.method), \(r.partitions) partition(s))")
        }
    }
}
