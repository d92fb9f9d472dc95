import Foundation
import GPUPoolDomain
import GPUPoolPlanner
import GPUPoolTelemetry

/// The monitoring loop: poll telemetry files → attribute samples to nodes → apply the health
/// policy → re-plan around nodes whose usability changed → record (optionally) in a history.
///
/// `gpupool monitor` drives it from the command line; a service can drive it the same way. Each
/// ``poll(files:)`` reads only what was appended to the files since the previous poll.
public struct MonitorSession {
    /// The pool as declared (the health policy's view is ``HealthMonitor/applied(to:)``).
    public let pool: Pool
    /// The plan in force: the starting plan, or the latest re-plan.
    public private(set) var plan: Plan
    /// The jobs re-planned on a failover.
    public let workload: Workload
    /// The health policy and its per-node state.
    public private(set) var monitor: HealthMonitor
    /// Samples accepted so far.
    public private(set) var samples = 0
    /// Malformed telemetry lines skipped so far.
    public private(set) var skippedLines = 0
    /// Readings that could not be attributed to a pool node.
    public private(set) var unattributed = 0
    /// Every failover re-plan so far, oldest first.
    public private(set) var replans: [FailoverResult] = []
    /// Every health event so far, oldest first.
    public var events: [HealthEvent] { monitor.events }

    private let recorder: (any MonitorRecorder)?
    private let parser: TelemetryParser
    private let failover = FailoverPlanner()
    private var processedLines: [String: Int] = [:]
    private var recordedEvents = 0
    private var registered = false

    /// What one poll found that is new.
    public struct PollOutcome: Sendable {
        /// Malformed lines, as `file:line: message`.
        public var issues: [String] = []
        /// Health events raised by this poll.
        public var events: [HealthEvent] = []
        /// The re-plan this poll caused, if any.
        public var replan: FailoverResult?
    }

    /// A session watching `pool` under `plan`; `recorder`, when given, receives the pool, the
    /// plans, the samples and the events.
    public init(pool: Pool, plan: Plan, workload: Workload, rules: HealthRules = HealthRules(),
                recorder: (any MonitorRecorder)? = nil, parser: TelemetryParser = TelemetryParser()) {
        self.pool = pool
        self.plan = plan
        self.workload = workload
        monitor = HealthMonitor(rules: rules, pool: pool)
        monitor.setAllocations(from: plan)
        self.recorder = recorder
        self.parser = parser
    }

    /// Reads what is new in `files`, feeds the policy, and re-plans when a node's usability
    /// changed (schedulable → cordoned → unusable, either way).
    /// - Throws: ``MonitoringError/unreadable(path:reason:)`` for a file that cannot be read,
    ///   ``MonitoringError/replan(_:)`` when re-planning fails, ``MonitoringError/recording(_:)``
    ///   when the recorder fails. Nothing of the failing poll is kept half-recorded in the session.
    public mutating func poll(files: [String]) throws(MonitoringError) -> PollOutcome {
        var outcome = PollOutcome()
        var batch: [TelemetrySample] = []
        var lines = processedLines
        var skipped = 0, unknown = 0
        let nodeIDs = Set(pool.nodes.map(\.id))
        for file in files {
            let result: TelemetryParseResult
            do { result = try parser.parse(contentsOf: file) } catch {
                guard case let .unreadable(path, reason) = error else { throw .unreadable(path: file, reason: "\(error)") }
                throw .unreadable(path: path, reason: reason)
            }
            let done = lines[file] ?? 0
            for issue in result.issues where issue.line > done {
                outcome.issues.append("\(file):\(issue.line): \(issue.message)")
                skipped += 1
            }
            let modified = ((try? FileManager.default.attributesOfItem(atPath: file))?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            for record in result.records where record.line > done {
                guard let node = Self.node(for: record, file: file, nodes: nodeIDs, pool: pool),
                      let sample = record.sample(node: node, fallbackTimestamp: modified)
                else { unknown += 1; continue }
                batch.append(sample)
            }
            lines[file] = result.lineCount
        }
        batch.sort { $0.timestamp < $1.timestamp }
        if let recorder, !registered {
            let start = batch.first?.timestamp ?? 0
            do {
                try recorder.register(pool: pool, at: start)
                _ = try recorder.record(plan: plan, at: start, kind: "plan")
            } catch { throw .recording("\(error)") }
            registered = true
        }
        processedLines = lines
        skippedLines += skipped
        unattributed += unknown
        let usabilityBefore = monitor.applied(to: pool).nodes.map { Self.usability($0.health) }
        let eventsBefore = monitor.events.count
        monitor.ingest(batch)
        if let last = batch.last?.timestamp { monitor.advance(to: last) }
        samples += batch.count
        let degraded = monitor.applied(to: pool)
        let usabilityAfter = degraded.nodes.map { Self.usability($0.health) }
        if usabilityAfter != usabilityBefore
            || (replans.isEmpty && usabilityAfter.contains { $0 != 0 } && recordedEvents == 0 && !batch.isEmpty) {
            let result: FailoverResult
            do { result = try failover.replan(current: plan, pool: degraded, workload: workload) } catch {
                throw .replan("\(error)")
            }
            replans.append(result)
            outcome.replan = result
            plan = result.plan
            monitor.setAllocations(from: plan)
            if let recorder {
                do { _ = try recorder.record(plan: plan, at: monitor.now ?? 0, kind: "replan") } catch { throw .recording("\(error)") }
            }
        }
        outcome.events = Array(monitor.events[eventsBefore...])
        if let recorder {
            do {
                _ = try recorder.record(samples: batch)
                try recorder.record(events: Array(monitor.events[recordedEvents...]))
            } catch { throw .recording("\(error)") }
        }
        recordedEvents = monitor.events.count
        return outcome
    }

    /// 0 schedulable, 1 cordoned (keeps its jobs, takes no new ones), 2 unusable.
    static func usability(_ h: HealthState) -> Int { h.isSchedulable ? 0 : h == .cordoned ? 1 : 2 }

    /// The pool node a record belongs to: its host name (or its first label), else the file's
    /// stem (`node.prom`), else its directory (`node/…`); in a one-node pool, that node.
    public static func node(for record: TelemetryRecord, file: String, nodes: Set<String>, pool: Pool) -> String? {
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

    /// Files named directly, and the regular files inside named directories (sorted, hidden
    /// files skipped).
    /// - Throws: ``MonitoringError/unreadable(path:reason:)`` for a path that does not exist or
    ///   a directory that cannot be listed.
    public static func expand(_ paths: [String]) throws(MonitoringError) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw .unreadable(path: path, reason: "no such file or directory")
            }
            if isDirectory.boolValue {
                guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
                    throw .unreadable(path: path, reason: "cannot list the directory")
                }
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

    /// Jobs rebuilt from a plan's placed entries (same gang shape, same accelerator), and how
    /// many unplaced jobs could not be rebuilt (a plan does not record their shapes).
    public static func workload(from plan: Plan) -> (workload: Workload, notRebuilt: Int) {
        var jobs: [Job] = []
        for entry in plan.jobs where entry.status == .placed && !entry.workers.isEmpty {
            let perWorker = entry.workers[0].gpus.count
            jobs.append(Job(id: entry.job, tenant: entry.tenant,
                            shape: JobShape(workers: entry.workers.count, gpusPerWorker: max(1, perWorker),
                                            accelerators: entry.accelerator.map { [$0] })))
        }
        return (Workload(jobs: jobs), plan.jobs.filter { $0.status != .placed }.count)
    }
}
