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
            (30m, 24h, 7d) counted back from the newest record.
            """
    )

    enum Report: String, ExpressibleByArgument, CaseIterable { case events, availability, utilization }

    @Option(help: "The history database.")
    var db: String

    @Argument(help: "events, availability or utilization.")
    var report: Report

    @Option(help: "Start of the window.")
    var since: String?

    @Option(help: "End of the window (default: the newest record).")
    var until: String?

    @Option(help: "Group utilisation by node, provider or tenant.")
    var by: String = "node"

    @Option(help: "The pool file (default: the nodes registered in the database).")
    var pool: String?

    @Option(name: .customLong("prior-hours"), help: "Weight of the availability prior, in hours of observation.")
    var priorHours: Double = 24

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        guard FileManager.default.fileExists(atPath: db) else { throw InputError("\(db): no such history database") }
        let store: HistoryStore
        do { store = try HistoryStore(path: db) } catch { throw InputError("\(error)") }
        do {
            let newest = try store.latestTime() ?? 0
            let start = try since.map { try Self.time($0, newest: newest, option: "--since") } ?? -Double.greatestFiniteMagnitude
            let end = try until.map { try Self.time($0, newest: newest, option: "--until") } ?? newest
            switch report {
            case .events:
                let events = try store.events(since: start).filter { $0.timestamp <= end }
                if json {
                    print(JSONText.object([("events", .array(events.map(MonitorReport.json)))]).serialized)
                } else {
                    print(events.isEmpty ? "no events" : events.map(\.description).joined(separator: "\n"))
                }
            case .availability:
                guard priorHours > 0, priorHours.isFinite else { throw InputError("--prior-hours \(priorHours): must be positive") }
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
                guard let grouping = UsageGrouping(rawValue: by) else { throw InputError("--by \(by): use node, provider or tenant") }
                guard end >= start else { throw InputError("--since is after --until") }
                let lower = start == -Double.greatestFiniteMagnitude ? -1e300 : start
                let rows = try store.usage(by: grouping, since: lower, until: end)
                if json {
                    print(JSONText.object([("by", .string(by)), ("rows", .array(rows.map { r in
                        .object([("key", .string(r.key)), ("gpu_hours", .number(r.gpuHours)), ("cost", .number(r.cost)),
                                 ("measured_utilization_pct", .number(r.measuredUtilizationPct)), ("samples", .integer(r.samples))])
                    }))]).serialized)
                } else {
                    var table = [[by, "GPU-hours", "cost $", "measured util %", "samples"]]
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

    /// Seconds since 1970 from a number, an ISO 8601 time or a duration before `newest`.
    static func time(_ text: String, newest: Double, option: String) throws -> Double {
        if let v = Double(text), v.isFinite { return v }
        if let unit = text.last, let n = Double(text.dropLast()), n.isFinite, n >= 0 {
            let scale: Double? = ["s": 1, "m": 60, "h": 3600, "d": 86_400][unit]
            if let scale { return newest - n * scale }
        }
        let iso = ISO8601DateFormatter()
        if let d = iso.date(from: text) { return d.timeIntervalSince1970 }
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = iso.date(from: text) { return d.timeIntervalSince1970 }
        throw InputError("\(option) \(text): expected seconds since 1970, an ISO 8601 time or a duration like 24h")
    }
}
