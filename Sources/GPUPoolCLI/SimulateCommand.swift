import GPUPoolCommandLine
import GPUPoolSupport
import ArgumentParser
import Foundation
import GPUPoolDomain
import GPUPoolPlanner
import GPUPoolSimulator

/// `gpupool simulate`: replay a job trace on a pool under one or more policies.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Replay a job trace on a pool under scheduling policies (discrete-event, round-based).",
        discussion: """
            Give --scenario FILE, or --trace with --pool or --cluster. Every policy sees the same arrivals and the same \
            node failures. The planner runs every round (--round seconds, Gavel: 360). Traces: Gavel .trace (7 or 10 \
            columns) or .csv with columns arrival,job,gpus,work[,priority,tenant] (see Docs/PolicyComparison.md). \
            --json prints one JSON object per policy.
            """
    )

    @Option(help: "Scenario file (flat YAML or JSON; see Docs/PolicyComparison.md).")
    var scenario: String?

    @Option(help: "Job trace: Gavel .trace or simple .csv.")
    var trace: String?

    @Option(help: "Gavel simulation_throughputs.json (default: next to the trace).")
    var throughputs: String?

    @Option(help: "Pool file (YAML or JSON, planner format).")
    var pool: String?

    @Option(
        help: CommaList<String>.help("Cluster as MODEL:GPUS, e.g. v100:36,p100:36,k80:36."),
        transform: CommaList.parse
    )
    var cluster: [CommaList<String>] = []

    @Option(name: .customLong("gpus-per-node"), parsing: .unconditional, help: "GPUs per node for --cluster.")
    var gpusPerNode: Int = 4

    @Option(
        parsing: .upToNextOption,
        help: CommaList<PlanningPolicy>.help(
            "Policies to compare.", default: "max-min-fairness,max-min-fairness-agnostic, or the scenario's",
            repeating: "Repeat the option, list several after it, or separate them with commas."),
        transform: CommaList.parse
    )
    var policy: [CommaList<PlanningPolicy>] = []

    @Option(help: "Placement method of each round; without it, heuristic or the scenario's.")
    var method: Method?

    @Option(parsing: .unconditional, help: "Seed (failures and planner tie-breaking).")
    var seed: UInt64?

    @Option(parsing: .unconditional, help: "Round length in seconds.")
    var round: Double?

    @Option(name: .customLong("restart-delay"), parsing: .unconditional, help: "Seconds without progress after a job resumes or moves.")
    var restartDelay: Double?

    @Option(help: "Node failures, availability drawn from P_i (scripted outages need a scenario file); without it, none or the scenario's.")
    var failures: Failures?

    @Option(name: .customLong("mean-repair"), parsing: .unconditional, help: "Mean repair time in seconds for --failures availability.")
    var meanRepair: Double = 3600

    @Option(parsing: .unconditional, help: "Availability P_i of --cluster nodes.")
    var availability: Double?

    @OptionGroup var outputOptions: OutputOptions

    @Option(help: "Write a self-contained HTML report here.")
    var report: String?

    /// `--method`: the placement methods a simulation round can use.
    enum Method: String, CaseIterable, ExpressibleByArgument {
        case auto, heuristic
        var planningMethod: PlanningMethod { self == .auto ? .auto : .heuristic }
    }

    /// `--failures`: the failure models that need no scenario file.
    enum Failures: String, CaseIterable, ExpressibleByArgument {
        case never = "none", availability
    }

    /// The policies in the order given.
    var policies: [PlanningPolicy] { policy.flattened() }

    func validate() throws {
        if scenario != nil {
            guard trace == nil, pool == nil, cluster.isEmpty else {
                throw ValidationError("--scenario cannot be combined with --trace, --pool or --cluster")
            }
        } else {
            guard trace != nil else { throw ValidationError("give --scenario FILE, or --trace TRACE with --pool POOL or --cluster SPEC") }
            guard (pool == nil) != cluster.isEmpty else { throw ValidationError("give exactly one of --pool and --cluster") }
        }
        try PlanningPolicy.checkUnique(policies, option: "--policy")
        let problems = applied(to: SimulationOptions()).problems()
        if !problems.isEmpty { throw ValidationError(problems.joined(separator: "\n")) }
    }

    /// `options` with what the flags set.
    private func applied(to options: SimulationOptions) -> SimulationOptions {
        var options = options
        if let method { options.method = method.planningMethod }
        if let seed { options.seed = seed }
        if let round { options.roundSeconds = round }
        if let restartDelay { options.restartDelaySeconds = restartDelay }
        switch failures {
        case nil: break
        case .never?: options.failures = .none
        case .availability?: options.failures = .availability(meanRepairSeconds: meanRepair)
        }
        return options
    }

    func run() throws {
        let json = outputOptions.json
        let (inputs, policies, options, source) = try setUp()
        let bar = ProgressBar(total: policies.count * 100, label: "simulate")
        var lastStep = -1
        let results: [SimulationResult]
        do {
            results = try PolicyComparison.run(pool: inputs.pool, jobs: inputs.jobs, policies: policies, options: options) { index, fraction in
                let step = index * 100 + Int(fraction * 99)
                while lastStep < step {
                    lastStep += 1
                    bar.step(policies[index].rawValue)
                }
            }
        } catch {
            bar.finish()
            throw InputError(error.description)
        }
        bar.finish()
        for r in results where !r.violations.isEmpty {
            throw InputError("internal error: \(r.policy) failed the conservation check: \(r.violations.prefix(3).joined(separator: "; "))")
        }
        if let report {
            let subtitle = "\(source); \(inputs.jobs.count) jobs, \(inputs.pool.totalGPUs) GPUs; round \(Int(options.roundSeconds)) s, "
                + "method \(options.method.rawValue), seed \(options.seed); \(MachineInfo.summary)"
            try writeAtomically(SimulationReport.html(results: results, title: "GPUPool policy comparison", subtitle: subtitle), to: report)
        }
        if json {
            for r in results { print(Self.json(r).serialized) }
        } else {
            print(Self.table(results))
        }
    }

    static func json(_ r: SimulationResult) -> JSONText {
        let m = r.metrics
        return .object([
            ("policy", .string(r.policy)), ("jobs", .integer(m.jobs)), ("completed", .integer(m.completed)),
            ("avg_jct_s", .number(m.averageJCT)), ("p99_jct_s", .number(m.p99JCT)), ("makespan_s", .number(m.makespan)),
            ("utilization", .number(m.utilization)), ("cost", .number(m.cost)), ("jain", .number(m.jainFairness)),
            ("migrations", .integer(m.migrations)), ("planner_p99_s", .number(m.plannerP99)), ("wall_seconds", .number(r.wallSeconds)),
            ("unschedulable", .integer(m.unschedulable)), ("unfinished", .integer(m.unfinished)),
            ("not_completed", .array(r.jobs.filter { $0.completion == nil }.map { record in
                .object([("job", .string(record.id)), ("reason", .string(record.notCompletedReason ?? "unknown"))])
            })),
        ])
    }

    static func table(_ results: [SimulationResult]) -> String {
        func h(_ s: Double?) -> String { s.map { String(format: "%.2f", $0 / 3600) } ?? "-" }
        func f(_ v: Double?, _ d: Int) -> String { v.map { String(format: "%.\(d)f", $0) } ?? "-" }
        var rows = [["policy", "completed", "avg JCT h", "p50 h", "p99 h", "queueing h", "makespan h", "util", "cost $",
                     "Jain", "FTF ρ", "migr", "preempt", "planner p99 ms", "wall s"]]
        for r in results {
            let m = r.metrics
            rows.append([r.policy, "\(m.completed)/\(m.jobs)", h(m.averageJCT), h(m.p50JCT), h(m.p99JCT), h(m.averageQueueingDelay),
                         h(m.makespan), f(m.utilization, 3), f(m.cost, 0), f(m.jainFairness, 3), f(m.meanFinishTimeFairness, 2),
                         "\(m.migrations)", "\(m.preemptions)", f(m.plannerP99.map { $0 * 1000 }, 1), f(r.wallSeconds, 1)])
        }
        var text = TextTable.render(rows)
        let unschedulable = results.first?.metrics.unschedulable ?? 0
        if unschedulable > 0 { text += "\n\(unschedulable) job(s) can never fit the pool and were not run." }
        // Every job that did not complete is named with its reason (the first few per policy).
        for r in results {
            let missing = r.jobs.filter { $0.completion == nil }
            guard !missing.isEmpty else { continue }
            text += "\n\(r.policy): \(missing.count) job(s) did not complete:"
            for record in missing.prefix(5) { text += "\n  \(record.id): \(record.notCompletedReason ?? "unknown")" }
            if missing.count > 5 { text += "\n  … and \(missing.count - 5) more (see --json)" }
        }
        return text
    }

    private func setUp() throws -> (SimulationInputs, [PlanningPolicy], SimulationOptions, String) {
        var options = SimulationOptions()
        var policies: [PlanningPolicy] = [.maxMinFairness, .maxMinFairnessAgnostic]
        let inputs: SimulationInputs
        let source: String
        do {
            if let scenario {
                let s = try Scenario.read(path: scenario)
                inputs = try SimulationInputs.load(trace: s.trace, throughputs: throughputs ?? s.throughputs, pool: s.pool, cluster: s.cluster,
                                                   gpusPerNode: s.gpusPerNode, availability: availability ?? s.availability)
                options = s.options
                policies = s.policies
                source = "scenario \(scenario)"
            } else {
                // validate() made sure of --trace and of exactly one of --pool and --cluster.
                let trace = trace ?? "", cluster: [String] = self.cluster.flattened()
                let spec = cluster.isEmpty ? nil : cluster.joined(separator: ",")
                inputs = try SimulationInputs.load(trace: trace, throughputs: throughputs, pool: pool, cluster: spec,
                                                   gpusPerNode: gpusPerNode, availability: availability)
                source = "trace \(trace) on \(pool ?? spec ?? "")"
            }
        } catch {
            // Reading the scenario, trace and pool throws SimulationError only.
            throw InputError(error.description)
        }
        if !policy.isEmpty { policies = self.policies }
        options = applied(to: options)
        // The scenario file's own settings are checked here; the flags were checked by validate().
        let problems = options.problems()
        if !problems.isEmpty { throw InputError(problems.joined(separator: "\n")) }
        return (inputs, policies, options, source)
    }
}
