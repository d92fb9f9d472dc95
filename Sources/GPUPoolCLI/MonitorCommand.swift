import ArgumentParser
import Foundation
import GPUPoolDomain
import GPUPoolMonitoring
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
            (placed jobs keep their shape and accelerator; unplaced ones cannot be rebuilt and are left out).
            """
    )

    @Option(help: "The pool (YAML or JSON).")
    var pool: String

    @Option(help: "The current plan (JSON written by the planner).")
    var plan: String

    @Option(help: "The workload (YAML or JSON); default: rebuilt from the plan.")
    var workload: String?

    @Option(parsing: .upToNextOption, help: "Telemetry files or directories (all files inside).")
    var telemetry: [String]

    @Option(help: "Telemetry format: auto, nvidia-smi-csv, dmon or dcgm.")
    var format: TelemetryFormatOption = .init(.auto)

    @Option(help: "Health rules (YAML).")
    var rules: String?

    @Option(help: "History database (SQLite) to record samples, events and plans in.")
    var db: String?

    @Option(help: "Write the new plan to this file.")
    var output: String?

    @Flag(help: "Print one JSON object.")
    var json = false

    @Flag(help: "Keep reading the telemetry files as they grow (poll every --interval seconds; stop with Ctrl-C).")
    var follow = false

    @Option(help: "Polling interval for --follow, in seconds.")
    var interval: Double = 2

    func run() throws {
        guard !telemetry.isEmpty else { throw InputError("--telemetry: give at least one file or directory") }
        guard interval > 0, interval.isFinite else { throw InputError("--interval \(interval): must be a positive number of seconds") }
        let pool: Pool
        do { pool = try PoolFile.read(path: self.pool) } catch { throw InputError("\(error)") }
        let current: Plan
        guard let planData = FileManager.default.contents(atPath: plan) else { throw InputError("\(plan): cannot be read") }
        do { current = try Plan.decode(planData) } catch { throw InputError("\(plan): \(error.description)") }
        let jobs: Workload
        if let workload {
            do { jobs = try WorkloadFile.read(path: workload, against: pool, requireFit: false) } catch { throw InputError("\(error)") }
        } else {
            jobs = MonitorSupport.workload(from: current)
        }
        let healthRules: HealthRules
        do { healthRules = try rules.map { try HealthRules.read(path: $0) } ?? HealthRules() } catch { throw InputError("\(error)") }
        let files = try MonitorSupport.expand(telemetry)
        let store: HistoryStore?
        do { store = try db.map { try HistoryStore(path: $0) } } catch { throw InputError("\(error)") }

        var session = MonitorSession(pool: pool, plan: current, workload: jobs, rules: healthRules, store: store,
                                     parser: TelemetryParser(format: format.value))
        try session.poll(files: files)
        if follow {
            if !json { print(session.summaryText()) }
            while true {
                Thread.sleep(forTimeInterval: interval)
                let before = session.events.count
                try session.poll(files: files)
                if !json { for e in session.events[before...] { print(e.description) } }
                if let output, session.events.count > before { try writeAtomically(session.planJSON() + "\n", to: output) }
            }
        }
        if let output { try writeAtomically(session.planJSON() + "\n", to: output) }
        print(json ? session.summaryJSON().serialized : session.summaryText())
    }
}

/// The state of one `monitor` run: what was read, the policy, the plan in force.
struct MonitorSession {
    let pool: Pool
    var plan: Plan
    let workload: Workload
    var monitor: HealthMonitor
    let store: HistoryStore?
    let parser: TelemetryParser
    let failover = FailoverPlanner()
    var processedLines: [String: Int] = [:]
    var samples = 0
    var skippedLines = 0
    var unattributed = 0
    var replans: [FailoverResult] = []
    var events: [HealthEvent] { monitor.events }
    private var recordedEvents = 0
    private var registered = false

    init(pool: Pool, plan: Plan, workload: Workload, rules: HealthRules, store: HistoryStore?, parser: TelemetryParser) {
        self.pool = pool
        self.plan = plan
        self.workload = workload
        monitor = HealthMonitor(rules: rules, pool: pool)
        monitor.setAllocations(from: plan)
        self.store = store
        self.parser = parser
    }

    /// Reads what is new in the files, feeds the policy, re-plans if node usability changed.
    mutating func poll(files: [String]) throws {
        var batch: [TelemetrySample] = []
        let nodeIDs = Set(pool.nodes.map(\.id))
        for file in files {
            let result: TelemetryParseResult
            do { result = try parser.parse(contentsOf: file) } catch { throw InputError(error.description) }
            let done = processedLines[file] ?? 0
            for issue in result.issues where issue.line > done {
                FileHandle.standardError.write(Data("\(file):\(issue.line): \(issue.message)\n".utf8))
                skippedLines += 1
            }
            let modified = ((try? FileManager.default.attributesOfItem(atPath: file))?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            for record in result.records where record.line > done {
                guard let node = MonitorSupport.node(for: record, file: file, nodes: nodeIDs, pool: pool),
                      let sample = record.sample(node: node, fallbackTimestamp: modified)
                else { unattributed += 1; continue }
                batch.append(sample)
            }
            processedLines[file] = result.lineCount
        }
        batch.sort { $0.timestamp < $1.timestamp }
        if let store, !registered {
            do { try store.register(pool: pool, at: batch.first?.timestamp ?? 0); try store.record(plan: plan, at: batch.first?.timestamp ?? 0, kind: "plan") } catch {
                throw InputError(error.description)
            }
            registered = true
        }
        let usabilityBefore = monitor.applied(to: pool).nodes.map { MonitorSupport.usability($0.health) }
        monitor.ingest(batch)
        if let last = batch.last?.timestamp { monitor.advance(to: last) }
        samples += batch.count
        let degraded = monitor.applied(to: pool)
        let usabilityAfter = degraded.nodes.map { MonitorSupport.usability($0.health) }
        if usabilityAfter != usabilityBefore || (replans.isEmpty && usabilityAfter.contains { $0 != 0 } && recordedEvents == 0 && !batch.isEmpty) {
            let result: FailoverResult
            do { result = try failover.replan(current: plan, pool: degraded, workload: workload) } catch { throw InputError(error.description) }
            replans.append(result)
            plan = result.plan
            monitor.setAllocations(from: plan)
            if let store { do { try store.record(plan: plan, at: monitor.now ?? 0, kind: "replan") } catch { throw InputError(error.description) } }
        }
        if let store {
            do {
                try store.record(samples: batch)
                try store.record(events: Array(monitor.events[recordedEvents...]))
            } catch { throw InputError(error.description) }
        }
        recordedEvents = monitor.events.count
    }

    func planJSON() -> String {
        (try? plan.jsonData(pretty: true)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    func summaryJSON() -> JSONValue {
        let planValue: JSONValue = (try? plan.jsonData(pretty: false)).flatMap { try? JSONSerialization.jsonObject(with: $0) }.map(MonitorSupport.json) ?? .null
        return .object([
            ("samples", .integer(samples)),
            ("skipped_lines", .integer(skippedLines)),
            ("unattributed_samples", .integer(unattributed)),
            ("events", .array(events.map(MonitorSupport.json))),
            ("states", .object(monitor.states.map { ($0.node, .string($0.state.rawValue)) })),
            ("replans", .array(replans.map { r in
                .object([
                    ("affected", .integer(r.affected)), ("kept", .integer(r.kept)), ("moved", .integer(r.moved)),
                    ("queued", .integer(r.queued)), ("lost", .integer(r.lost)),
                    ("jobs", .array(r.outcomes.filter { $0.affected || $0.change == .moved || $0.change == .queued }.map { o in
                        .object([("job", .string(o.job)), ("change", .string(o.change.rawValue)),
                                 ("reason", o.reason.map(JSONValue.string) ?? .null)])
                    })),
                    ("violations", .array(r.violations.map(JSONValue.string))),
                ])
            })),
            ("plan", planValue),
        ])
    }

    func summaryText() -> String {
        var lines: [String] = ["\(samples) samples read; \(skippedLines) malformed lines skipped; \(unattributed) samples not attributed to a pool node"]
        if events.isEmpty { lines.append("no health events") }
        for e in events { lines.append(e.description) }
        let unhealthy = monitor.states.filter { $0.state != .healthy }
        lines.append(unhealthy.isEmpty ? "all nodes healthy" : "nodes: " + unhealthy.map { "\($0.node) \($0.state.rawValue)" }.joined(separator: ", "))
        for r in replans {
            lines.append("re-plan: \(r.affected) affected, \(r.kept) kept, \(r.moved) moved, \(r.queued) queued, \(r.lost) lost")
            for o in r.outcomes where o.affected || o.change == .moved || o.change == .queued {
                lines.append("  \(o.job): \(o.change.rawValue)\(o.reason.map { " (\($0))" } ?? "")")
            }
            for v in r.violations { lines.append("  VIOLATION \(v)") }
        }
        lines.append("plan: \(plan.metrics.placedJobs) placed, \(plan.metrics.unplacedJobs) unplaced, \(plan.metrics.usedGPUs) GPUs, $\(String(format: "%.2f", plan.metrics.costPerHour))/h")
        return lines.joined(separator: "\n")
    }
}

enum MonitorSupport {
    static func usability(_ h: HealthState) -> Int { h.isSchedulable ? 0 : h == .cordoned ? 1 : 2 }

    /// Files named directly, and the regular files inside named directories (sorted).
    static func expand(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw InputError("\(path): no such file or directory") }
            if isDirectory.boolValue {
                guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { throw InputError("\(path): cannot list the directory") }
                for name in names.sorted() where !name.hasPrefix(".") {
                    let full = (path as NSString).appendingPathComponent(name)
                    var sub: ObjCBool = false
                    if FileManager.default.fileExists(atPath: full, isDirectory: &sub), !sub.boolValue { files.append(full) }
                }
            } else {
                files.append(path)
            }
        }
        return files
    }

    /// The pool node a record belongs to: its host name, else the file's stem, else its directory.
    static func node(for record: TelemetryRecord, file: String, nodes: Set<String>, pool: Pool) -> String? {
        if let host = record.hostname {
            if nodes.contains(host) { return host }
            if let short = host.split(separator: ".").first.map(String.init), nodes.contains(short) { return short }
        }
        let url = URL(fileURLWithPath: file)
        let stem = url.deletingPathExtension().lastPathComponent
        if nodes.contains(stem) { return stem }
        let directory = url.deletingLastPathComponent().lastPathComponent
        if nodes.contains(directory) { return directory }
        return pool.nodes.count == 1 ? pool.nodes[0].id : nil
    }

    /// Jobs rebuilt from a plan's placed entries: same gang shape, same accelerator.
    static func workload(from plan: Plan) -> Workload {
        var jobs: [Job] = []
        for entry in plan.jobs where entry.status == .placed && !entry.workers.isEmpty {
            let perWorker = entry.workers[0].gpus.count
            jobs.append(Job(id: entry.job, tenant: entry.tenant,
                            shape: JobShape(workers: entry.workers.count, gpusPerWorker: max(1, perWorker),
                                            accelerators: entry.accelerator.map { [$0] })))
        }
        let left = plan.jobs.filter { $0.status != .placed }.count
        if left > 0 {
            FileHandle.standardError.write(Data("note: \(left) unplaced jobs cannot be rebuilt from the plan; pass --workload to keep them\n".utf8))
        }
        return Workload(jobs: jobs)
    }

    static func json(_ e: HealthEvent) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("timestamp", .number(e.timestamp)), ("node", .string(e.node))]
        if let gpu = e.gpu { pairs.append(("gpu", .integer(gpu))) }
        pairs += [("kind", .string(e.kind.rawValue)), ("from", .string(e.from.rawValue)), ("to", .string(e.to.rawValue)),
                  ("reason", .string(e.reason))]
        if !e.jobs.isEmpty { pairs.append(("jobs", .array(e.jobs.map(JSONValue.string)))) }
        return .object(pairs)
    }

    /// Converts a Foundation JSON object (sorted keys) into a `JSONValue`.
    static func json(_ any: Any) -> JSONValue {
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
