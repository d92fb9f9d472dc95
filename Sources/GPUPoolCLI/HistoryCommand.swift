import GPUPoolCommandLine
import GPUPoolSupport
import ArgumentParser
import Foundation
import GPUPoolDomain
import GPUPoolHistory
import GPUPoolMonitoring
import GPUPoolTelemetry

/// `gpupool history --db PATH (events|availability|utilization)`.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Report from the monitoring history: health events, availability estimates, utilisation and cost.",
        discussion: """
            --since/--until take seconds since 1970, an ISO 8601 time (2026-07-14T08:00:00Z), or a duration \
            (30m, 24h, 7d) counted back from the newest record. --json prints one JSON object: the events, the \
            availability estimates of providers and nodes, or the utilisation rows.
            """
    )

    enum Report: String, ExpressibleByArgument, CaseIterable { case events, availability, utilization }

    @Option(help: "The history database.")
    var db: String

    @Argument(help: "The report.")
    var report: Report

    @Option(help: "Start of the window.", transform: HistoryTime.parse)
    var since: HistoryTime?

    @Option(help: "End of the window (default: the newest record).", transform: HistoryTime.parse)
    var until: HistoryTime?

    @Option(help: "Grouping of the utilization report.")
    var by: UsageGrouping = .node

    @Option(help: "The pool file (default: the nodes registered in the database).")
    var pool: String?

    @Option(name: .customLong("prior-hours"), parsing: .unconditional, help: "Weight of the availability prior, in hours of observation.")
    var priorHours: Double = 24

    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        guard priorHours > 0, priorHours.isFinite else { throw ValidationError("--prior-hours \(ArgumentCheck.text(priorHours)): must be positive") }
    }

    func run() throws {
        let json = outputOptions.json
        guard FileManager.default.fileExists(atPath: db) else { throw InputError("\(db): no such history database") }
        let store: HistoryStore
        do { store = try HistoryStore(path: db) } catch { throw InputError("\(error)") }
        do {
            let newest = try store.latestTime() ?? 0
            let start = since?.seconds(newest: newest) ?? -Double.greatestFiniteMagnitude
            let end = until?.seconds(newest: newest) ?? newest
            switch report {
            case .events:
                let events = try store.events(since: start).filter { $0.timestamp <= end }
                if json {
                    print(JSONText.object([("events", .array(events.map(MonitorReport.json)))]).serialized)
                } else {
                    print(events.isEmpty ? "no events" : events.map(\.description).joined(separator: "\n"))
                }
            case .availability:
                let pool: Pool = try self.pool.map { path in
                    do { return try PoolFile.read(path: path) } catch { throw InputError("\(error)") }
                } ?? store.registeredPool()
                let r = try store.availability(pool: pool, asOf: end, priorWeightHours: priorHours)
                func rows(_ list: [AvailabilityEstimate]) -> JSONText {
                    .array(list.map { e in
                        .object([("id", .string(e.id)), ("provider", .string(e.provider)), ("observed_hours", .number(e.observedHours)),
                                 ("up_hours", .number(e.upHours)), ("failures", .integer(e.failures)), ("prior", .number(e.prior)),
                                 ("estimate", .number(e.estimate))])
                    })
                }
                if json {
                    print(JSONText.object([("prior_hours", .number(priorHours)), ("providers", rows(r.providers)), ("nodes", rows(r.nodes))]).serialized)
                } else {
                    var table = [["id", "provider", "observed h", "up h", "failures", "prior", "estimate"]]
                    for e in r.providers + r.nodes {
                        table.append([e.id, e.provider, String(format: "%.1f", e.observedHours), String(format: "%.1f", e.upHours),
                                      String(e.failures), String(format: "%.4f", e.prior), String(format: "%.4f", e.estimate)])
                    }
                    print(TextTable.render(table))
                }
            case .utilization:
                guard end >= start else { throw InputError("--since is after --until") }
                let lower = start == -Double.greatestFiniteMagnitude ? -1e300 : start
                let rows = try store.usage(by: by, since: lower, until: end)
                if json {
                    print(JSONText.object([("by", .string(by.rawValue)), ("rows", .array(rows.map { r in
                        .object([("key", .string(r.key)), ("gpu_hours", .number(r.gpuHours)), ("cost", .number(r.cost)),
                                 ("measured_utilization_pct", .number(r.measuredUtilizationPct)), ("samples", .integer(r.samples))])
                    }))]).serialized)
                } else {
                    var table = [[by.rawValue, "GPU-hours", "cost $", "measured util %", "samples"]]
                    for r in rows {
                        table.append([r.key, String(format: "%.2f", r.gpuHours), String(format: "%.2f", r.cost),
                                      r.measuredUtilizationPct.map { String(format: "%.1f", $0) } ?? "-", String(r.samples)])
                    }
                    print(rows.isEmpty ? "no usage in the window" : TextTable.render(table))
                }
            }
        } catch let error as HistoryError {
            throw InputError(error.description)
        }
    }
}

/// A `--since`/`--until` time: seconds since 1970, an ISO 8601 time, or a duration (`30m`, `24h`,
/// `7d`) counted back from the newest record of the history.
enum HistoryTime {
    case absolute(Double)
    case beforeNewest(Double)

    /// The time in seconds since 1970, given the newest record's.
    func seconds(newest: Double) -> Double {
        switch self {
        case let .absolute(t): t
        case let .beforeNewest(d): newest - d
        }
    }

    static func parse(_ text: String) throws -> HistoryTime {
        if let v = Double(text), v.isFinite { return .absolute(v) }
        if let unit = text.last, let n = Double(text.dropLast()), n.isFinite, n >= 0 {
            let scale: Double? = ["s": 1, "m": 60, "h": 3600, "d": 86_400][unit]
            if let scale { return .beforeNewest(n * scale) }
        }
        let iso = ISO8601DateFormatter()
        if let d = iso.date(from: text) { return .absolute(d.timeIntervalSince1970) }
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = iso.date(from: text) { return .absolute(d.timeIntervalSince1970) }
        throw ValidationError("expected seconds since 1970, an ISO 8601 time or a duration like 24h")
    }
}
