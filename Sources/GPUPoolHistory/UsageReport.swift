import GRDB
import GPUPoolMonitoring
import GPUPoolTelemetry

/// How a usage report groups its rows.
public enum UsageGrouping: String, Sendable, Hashable, Codable, CaseIterable {
    /// Per node.
    case node
    /// Per provider.
    case provider
    /// Per tenant.
    case tenant
}

/// One row of a utilisation and cost report.
public struct UsageRow: Sendable, Hashable, Codable {
    /// Node, provider or tenant id.
    public var key: String
    /// GPU-hours allocated to jobs by the recorded plans within the window.
    public var gpuHours: Double
    /// Cost of those GPU-hours (USD).
    public var cost: Double
    /// Mean measured GPU utilisation (%) from telemetry in the window (nodes and providers), if any.
    public var measuredUtilizationPct: Double?
    /// Telemetry samples behind ``measuredUtilizationPct`` (raw plus rolled up).
    public var samples: Int

    /// Creates a row.
    public init(key: String, gpuHours: Double, cost: Double, measuredUtilizationPct: Double?, samples: Int) {
        self.key = key
        self.gpuHours = gpuHours
        self.cost = cost
        self.measuredUtilizationPct = measuredUtilizationPct
        self.samples = samples
    }
}

extension HistoryStore {
    /// Utilisation and cost per node, provider or tenant over `[since, until]`.
    ///
    /// Allocation comes from the recorded plans: each plan holds from its time until the next
    /// plan (or `until`). Measured utilisation averages raw samples and rollups in the window.
    public func usage(by grouping: UsageGrouping, since: Double, until: Double) throws(HistoryError) -> [UsageRow] {
        guard since.isFinite, until.isFinite, until >= since else {
            throw .invalidInput("usage report window [\(since), \(until)] is not a valid time range")
        }
        return try read { db in
            var providerOf: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, provider FROM nodes") { providerOf[row["id"]] = row["provider"] }
            func key(node: String, tenant: String) -> String {
                switch grouping {
                case .node: node
                case .provider: providerOf[node] ?? "unknown"
                case .tenant: tenant
                }
            }
            let plans = try Row.fetchAll(db, sql: "SELECT id, ts FROM plans WHERE ts <= ? ORDER BY ts, id", arguments: [until])
            var rows: [String: UsageRow] = [:]
            for (k, plan) in plans.enumerated() {
                let start: Double = plan["ts"]
                let end: Double = k + 1 < plans.count ? plans[k + 1]["ts"] : until
                let hours = max(0, min(end, until) - max(start, since)) / 3600
                guard hours > 0 else { continue }
                let id: Int64 = plan["id"]
                for p in try Row.fetchAll(db, sql: "SELECT tenant, node, gpus, cost_per_hour FROM placements WHERE plan_id = ?", arguments: [id]) {
                    let k = key(node: p["node"], tenant: p["tenant"])
                    var row = rows[k] ?? UsageRow(key: k, gpuHours: 0, cost: 0, measuredUtilizationPct: nil, samples: 0)
                    let gpus: Int = p["gpus"]
                    let cost: Double = p["cost_per_hour"]
                    row.gpuHours += Double(gpus) * hours
                    row.cost += cost * hours
                    rows[k] = row
                }
            }
            if grouping != .tenant {
                var sums: [String: (sum: Double, count: Int)] = [:]
                for r in try Row.fetchAll(db, sql: """
                    SELECT node, SUM(utilization_pct) AS s, COUNT(utilization_pct) AS n FROM samples
                    WHERE ts >= ? AND ts <= ? GROUP BY node
                    UNION ALL
                    SELECT node, SUM(utilization_avg * count), SUM(count) FROM sample_rollups
                    WHERE bucket >= ? AND bucket <= ? AND utilization_avg IS NOT NULL GROUP BY node
                    """, arguments: [since, until, since, until]) {
                    let k = key(node: r["node"], tenant: "")
                    let s: Double? = r["s"]
                    let n: Int = r["n"] ?? 0
                    var acc = sums[k] ?? (0, 0)
                    acc.sum += s ?? 0
                    acc.count += n
                    sums[k] = acc
                }
                for (k, acc) in sums where acc.count > 0 {
                    var row = rows[k] ?? UsageRow(key: k, gpuHours: 0, cost: 0, measuredUtilizationPct: nil, samples: 0)
                    row.measuredUtilizationPct = acc.sum / Double(acc.count)
                    row.samples = acc.count
                    rows[k] = row
                }
            }
            return rows.values.sorted { $0.key < $1.key }
        }
    }
}
