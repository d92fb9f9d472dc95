import GPUPoolCommandLine
import GPUPoolSupport
import ArgumentParser
import Foundation
import GPUPoolDomain
import GPUPoolHistory
import GPUPoolMonitoring
import GPUPoolTelemetry
import GPUPoolPlanner

/// `gpupool monitor`: telemetry → health policy → failover re-plan (→ history).
struct MonitorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Ingest telemetry, apply the health policy, re-plan around unhealthy nodes, print events and the new plan.",
        discussion: """
            Samples are attributed to pool nodes by the host name they report, else by the file name (node.prom), \
            else by the directory name (node/…); in a one-node pool everything belongs to that node. Samples without \
            a timestamp get the file's modification time. Without --workload the jobs are rebuilt from the plan \
            (placed jobs keep their shape and accelerator; unplaced ones cannot be rebuilt and are left out). \
            --json prints one JSON object: samples, events, node states, re-plans and the new plan.
            """
    )

    @Option(help: "The pool (YAML or JSON).")
    var pool: String

    @Option(help: "The current plan (JSON written by the planner).")
    var plan: String

    @Option(help: "The workload (YAML or JSON); default: rebuilt from the plan.")
    var workload: String?

    @Option(
        parsing: .upToNextOption,
        help: "Telemetry files or directories (all files inside). Repeat the option or list several after it (paths are never split at commas)."
    )
    var telemetry: [String]

    @Option(help: "Telemetry format.")
    var format: TelemetryFormat = .auto

    @Option(help: "Health rules (YAML).")
    var rules: String?

    @Option(help: "History database (SQLite) to record samples, events and plans in.")
    var db: String?

    @Option(help: "Write the new plan to this file.")
    var output: String?

    @OptionGroup var outputOptions: OutputOptions

    @Flag(help: "Keep reading the telemetry files as they grow (poll every --interval seconds; stop with Ctrl-C).")
    var follow = false

    @Option(parsing: .unconditional, help: "Polling interval for --follow, in seconds.")
    var interval: Double = 2

    func validate() throws {
        guard !telemetry.isEmpty else { throw ValidationError("--telemetry: give at least one file or directory") }
        try ArgumentCheck.positiveSeconds(interval, option: "--interval")
    }

    func run() throws {
        let json = outputOptions.json
        let pool: Pool
        do { pool = try PoolFile.read(path: self.pool) } catch { throw InputError("\(error)") }
        let current: Plan
        guard let planData = FileManager.default.contents(atPath: plan) else { throw InputError("\(plan): cannot be read") }
        do { current = try Plan.decode(planData) } catch { throw InputError("\(plan): \(error.description)") }
        let jobs: Workload
        if let workload {
            do { jobs = try WorkloadFile.read(path: workload, against: pool, requireFit: false) } catch { throw InputError("\(error)") }
        } else {
            let rebuilt = MonitorSession.workload(from: current)
            jobs = rebuilt.workload
            if rebuilt.notRebuilt > 0 {
                FileHandle.standardError.write(Data("note: \(rebuilt.notRebuilt) unplaced jobs cannot be rebuilt from the plan; pass --workload to keep them\n".utf8))
            }
        }
        let healthRules: HealthRules
        do { healthRules = try rules.map { try HealthRules.read(path: $0) } ?? HealthRules() } catch { throw InputError("\(error)") }
        let files: [String]
        do { files = try MonitorSession.expand(telemetry) } catch { throw InputError(error.description) }
        let store: HistoryStore?
        do { store = try db.map { try HistoryStore(path: $0) } } catch { throw InputError("\(error)") }

        var session = MonitorSession(pool: pool, plan: current, workload: jobs, rules: healthRules, recorder: store,
                                     parser: TelemetryParser(format: format))
        func poll() throws -> MonitorSession.PollOutcome {
            let outcome: MonitorSession.PollOutcome
            do { outcome = try session.poll(files: files) } catch { throw InputError(error.description) }
            for issue in outcome.issues { FileHandle.standardError.write(Data((issue + "\n").utf8)) }
            return outcome
        }
        _ = try poll()
        if follow {
            if !json { print(MonitorReport.summaryText(session)) }
            while true {
                Thread.sleep(forTimeInterval: interval)
                let outcome = try poll()
                if !json { for e in outcome.events { print(e.description) } }
                if let output, !outcome.events.isEmpty { try writeAtomically(MonitorReport.planJSON(session) + "\n", to: output) }
            }
        }
        if let output { try writeAtomically(MonitorReport.planJSON(session) + "\n", to: output) }
        print(json ? MonitorReport.summaryJSON(session).serialized : MonitorReport.summaryText(session))
    }
}


/// The text and JSON summaries of a monitoring session, as `gpupool monitor` prints them.
enum MonitorReport {
    static func planJSON(_ session: MonitorSession) -> String {
        (try? session.plan.jsonData(pretty: true)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func summaryJSON(_ session: MonitorSession) -> JSONText {
        let planValue: JSONText = (try? session.plan.jsonData(pretty: false))
            .flatMap { try? JSONSerialization.jsonObject(with: $0) }.map(json) ?? .null
        return .object([
            ("samples", .integer(session.samples)),
            ("skipped_lines", .integer(session.skippedLines)),
            ("unattributed_samples", .integer(session.unattributed)),
            ("events", .array(session.events.map(json))),
            ("states", .object(session.monitor.states.map { ($0.node, .string($0.state.rawValue)) })),
            ("replans", .array(session.replans.map { r in
                .object([
                    ("affected", .integer(r.affected)), ("kept", .integer(r.kept)), ("moved", .integer(r.moved)),
                    ("queued", .integer(r.queued)), ("lost", .integer(r.lost)),
                    ("jobs", .array(r.outcomes.filter { $0.affected || $0.change == .moved || $0.change == .queued }.map { o in
                        .object([("job", .string(o.job)), ("change", .string(o.change.rawValue)),
                                 ("reason", o.reason.map(JSONText.string) ?? .null)])
                    })),
                    ("violations", .array(r.violations.map(JSONText.string))),
                ])
            })),
            ("plan", planValue),
        ])
    }

    static func summaryText(_ session: MonitorSession) -> String {
        let events = session.events, plan = session.plan
        var lines: [String] = ["\(session.samples) samples read; \(session.skippedLines) malformed lines skipped; \(session.unattributed) samples not attributed to a pool node"]
        if events.isEmpty { lines.append("no health events") }
        for e in events { lines.append(e.description) }
        let unhealthy = session.monitor.states.filter { $0.state != .healthy }
        lines.append(unhealthy.isEmpty ? "all nodes healthy" : "nodes: " + unhealthy.map { "\($0.node) \($0.state.rawValue)" }.joined(separator: ", "))
        for r in session.replans {
            lines.append("re-plan: \(r.affected) affected, \(r.kept) kept, \(r.moved) moved, \(r.queued) queued, \(r.lost) lost")
            for o in r.outcomes where o.affected || o.change == .moved || o.change == .queued {
                lines.append("  \(o.job): \(o.change.rawValue)\(o.reason.map { " (\($0))" } ?? "")")
            }
            for v in r.violations { lines.append("  VIOLATION \(v)") }
        }
        lines.append("plan: \(plan.metrics.placedJobs) placed, \(plan.metrics.unplacedJobs) unplaced, \(plan.metrics.usedGPUs) GPUs, $\(String(format: "%.2f", plan.metrics.costPerHour))/h")
        return lines.joined(separator: "\n")
    }

    static func json(_ e: HealthEvent) -> JSONText {
        var pairs: [(String, JSONText)] = [("timestamp", .number(e.timestamp)), ("node", .string(e.node))]
        if let gpu = e.gpu { pairs.append(("gpu", .integer(gpu))) }
        pairs += [("kind", .string(e.kind.rawValue)), ("from", .string(e.from.rawValue)), ("to", .string(e.to.rawValue)),
                  ("reason", .string(e.reason))]
        if !e.jobs.isEmpty { pairs.append(("jobs", .array(e.jobs.map(JSONText.string)))) }
        return .object(pairs)
    }

    /// Converts a Foundation JSON object (sorted keys) into a `JSONText`.
    static func json(_ any: Any) -> JSONText {
        switch any {
        case let d as [String: Any]: return .object(d.keys.sorted().map { ($0, json(d[$0] as Any)) })
        case let a as [Any]: return .array(a.map(json))
        case let s as String: return .string(s)
        case let n as NSNumber:
            if String(cString: n.objCType) == "c" { return .bool(n.boolValue) }
            return .number(n.doubleValue)
        default: return .null
        }
    }
}
