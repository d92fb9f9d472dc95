import GPUPoolCommandLine
import GPUPoolSupport
import ArgumentParser
import Foundation
import GPUPoolDomain
import GPUPoolPlanner

/// `gpupool plan --pool POOL --jobs JOBS`: place jobs on a pool under chosen policies.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan which job runs where on a GPU pool.",
        discussion: """
            Policies (combine with commas, applied lexicographically): \(PlanningPolicy.allCases.map(\.rawValue).joined(separator: ", ")). \
            Every plan passes the independent plan checker before it is printed. Bad input (malformed files, unknown \
            accelerators, negative counts, duplicate ids, gangs that cannot fit) prints every problem as \
            `error: FILE:LINE: item: message` and exits 2; nothing is written. The text output lists the placed jobs \
            (nodes and GPUs), the unplaced jobs (reason) and the stages; `--report` writes the same as an offline HTML page \
            with the pool drawn GPU by GPU; `--json` prints the plan as one JSON object instead.
            """
    )

    @Option(help: "Pool file (YAML or JSON, see Docs/PoolFormat.md).")
    var pool: String

    @Option(help: "Workload file (YAML or JSON).")
    var jobs: String

    @OptionGroup var planner: PlannerOptionGroup<Defaults>

    @OptionGroup var limit: TimeLimitOptions<Defaults>

    @Option(help: "Current plan (JSON) to re-plan from with few migrations.")
    var current: String?

    @OptionGroup var outputOptions: OutputOptions

    @Option(help: "Also write the plan (JSON) to this file.")
    var output: String?

    @Option(help: "Also write a self-contained HTML report of the plan (pool drawing, tables) to this file.")
    var report: String?

    @OptionGroup var cluster: ClusterEmitOptions

    func run() throws {
        let json = outputOptions.json
        let options = planner.options(timeLimit: limit.timeLimit)
        let (pool, workload) = try PoolLoader.load(pool: self.pool, jobs: jobs)
        let planner = Planner(options: options)
        let plan: Plan
        do {
            if let current {
                let data: Data
                do { data = try Data(contentsOf: URL(fileURLWithPath: current)) } catch {
                    throw InputError("\(current): cannot read: \(error.localizedDescription)")
                }
                let previous: Plan
                do { previous = try Plan.decode(data) } catch { throw InputError("\(current): \(error.description)") }
                plan = try planner.replan(current: previous, pool: pool, workload: workload)
            } else {
                plan = try planner.plan(pool: pool, workload: workload)
            }
        } catch let error as PlannerError {
            throw InputError(error.description)
        }
        try requirePassesChecker(plan, pool: pool, workload: workload)
        let data: Data
        do { data = try plan.jsonData(pretty: !json) } catch { throw InputError("cannot encode the plan: \(error)") }
        let text = String(decoding: data, as: UTF8.self)
        let emission = try cluster.prepare(plan: plan, pool: pool)
        if let output { try writeAtomically(text + "\n", to: output) }
        if let report { try writeAtomically(PlanHTMLReport.render(plan: plan, pool: pool, workload: workload), to: report) }
        let emitted = try emission?.write() ?? []
        print(json ? text : PlanTextReport.render(plan, workload: workload))
        if !emitted.isEmpty {
            // With --json stdout holds the plan object only.
            if json { FileHandle.standardError.write(Data((emitted.joined(separator: "\n") + "\n").utf8)) } else { print("\n" + emitted.joined(separator: "\n")) }
        }
    }
}

extension PlanCommand {
    /// The defaults of `gpupool plan`: the planner's own.
    enum Defaults: PlannerDefaults, TimeLimitDefault {
        static var method: PlanningMethod { .auto }
        static var policies: [PlanningPolicy] { PlannerOptions().policies }
        static var policyHelp: String { "Policies in priority order." }
        static var seconds: Double { 30 }
        static var help: String { "Wall-clock limit in seconds." }
    }
}

/// Reads and validates a pool and a workload, reporting every problem of both.
enum PoolLoader {
    static func load(pool poolPath: String, jobs jobsPath: String) throws -> (Pool, Workload) {
        let pool: Pool
        do { pool = try PoolFile.read(path: poolPath) } catch { throw InputError(describe(error, file: poolPath)) }
        do {
            let workload = try WorkloadFile.read(path: jobsPath, against: pool, requireFit: false)
            return (pool, workload)
        } catch {
            throw InputError(describe(error, file: jobsPath))
        }
    }

    static func describe(_ error: any Error, file: String) -> String {
        if let e = error as? DomainError { return e.description }
        let text = "\(error)"
        return text.hasPrefix(file) ? text : "\(file): \(text)"
    }
}
