import Foundation
import GPUPoolDomain
import GPUPoolPlanner
import GRDB
import GPUPoolMonitoring
import GPUPoolTelemetry

/// Monitoring history in SQLite (through GRDB): samples (with downsampling and retention),
/// health events, plans and re-plans with their job placements, and the nodes seen.
///
/// The database runs in WAL mode and every write is one transaction, so a crash mid-write loses
/// nothing that was committed and leaves no half-written batch behind.
///
/// ```swift
/// let store = try HistoryStore(path: "history.sqlite")
/// try store.register(pool: pool, at: t0)
/// try store.record(samples: samples)
/// try store.record(events: monitor.events)
/// let estimates = try store.availability(pool: pool, asOf: now)
/// let planningPool = pool.withAvailability(from: estimates)
/// ```
public final class HistoryStore: Sendable {
    /// The GRDB connection pool (WAL).
    public let database: DatabasePool
    /// The file.
    public let path: String

    /// Opens (creating if needed) the history database at `path`.
    /// - Throws: ``HistoryError/database(_:)`` naming the file.
    public init(path: String) throws(HistoryError) {
        self.path = path
        do {
            var config = Configuration()
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            database = try DatabasePool(path: path, configuration: config)
            try Self.migrator.migrate(database)
        } catch {
            throw .database("\(path): \(error)")
        }
    }

    /// SQLite's journal mode (`"wal"`).
    public func journalMode() throws(HistoryError) -> String {
        try read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    private static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE nodes(
                    id TEXT PRIMARY KEY, provider TEXT NOT NULL, provider_kind TEXT NOT NULL,
                    provider_availability REAL, gpu_count INTEGER NOT NULL, price_per_gpu_hour REAL NOT NULL,
                    first_seen REAL NOT NULL);
                CREATE TABLE samples(
                    node TEXT NOT NULL, gpu INTEGER NOT NULL, ts REAL NOT NULL,
                    temperature_c REAL, power_w REAL, utilization_pct REAL, memory_used_mib REAL,
                    memory_total_mib REAL, xid INTEGER, ecc_corrected INTEGER, ecc_uncorrected INTEGER);
                CREATE INDEX samples_ts ON samples(ts);
                CREATE TABLE sample_rollups(
                    node TEXT NOT NULL, gpu INTEGER NOT NULL, bucket REAL NOT NULL, seconds REAL NOT NULL,
                    count INTEGER NOT NULL, temperature_avg REAL, temperature_max REAL, power_avg REAL,
                    power_max REAL, utilization_avg REAL, memory_used_avg REAL,
                    PRIMARY KEY(node, gpu, bucket));
                CREATE TABLE health_events(
                    id INTEGER PRIMARY KEY AUTOINCREMENT, ts REAL NOT NULL, node TEXT NOT NULL, gpu INTEGER,
                    kind TEXT NOT NULL, from_state TEXT NOT NULL, to_state TEXT NOT NULL, reason TEXT NOT NULL,
                    jobs TEXT NOT NULL);
                CREATE INDEX health_events_node_ts ON health_events(node, ts);
                CREATE TABLE plans(
                    id INTEGER PRIMARY KEY AUTOINCREMENT, ts REAL NOT NULL, kind TEXT NOT NULL,
                    placed INTEGER NOT NULL, queued INTEGER NOT NULL, moved INTEGER NOT NULL, json TEXT NOT NULL);
                CREATE TABLE placements(
                    plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE, job TEXT NOT NULL,
                    tenant TEXT NOT NULL, node TEXT NOT NULL, gpus INTEGER NOT NULL, cost_per_hour REAL NOT NULL,
                    change TEXT);
                CREATE INDEX placements_plan ON placements(plan_id);
                """)
        }
        return m
    }

    // MARK: Writing

    /// Records the pool's nodes (first sighting kept; provider data refreshed).
    public func register(pool: Pool, at time: Double) throws(HistoryError) {
        try write { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO nodes(id, provider, provider_kind, provider_availability, gpu_count, price_per_gpu_hour, first_seen)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET provider = excluded.provider, provider_kind = excluded.provider_kind,
                    provider_availability = excluded.provider_availability, gpu_count = excluded.gpu_count,
                    price_per_gpu_hour = excluded.price_per_gpu_hour
                """)
            for node in pool.nodes {
                let provider = pool.provider(of: node)
                try statement.execute(arguments: [
                    node.id, node.provider, (provider?.kind ?? .community).rawValue, provider?.availability,
                    node.gpuCount, node.pricePerGPUHour, time,
                ])
            }
        }
    }

    /// Stores samples in one transaction. Returns how many were stored.
    @discardableResult
    public func record(samples: [TelemetrySample]) throws(HistoryError) -> Int {
        try write { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO samples(node, gpu, ts, temperature_c, power_w, utilization_pct, memory_used_mib,
                    memory_total_mib, xid, ecc_corrected, ecc_uncorrected) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for s in samples {
                let m = s.metrics
                statement.setUncheckedArguments([
                    s.node, s.gpu, s.timestamp, m.temperatureC, m.powerW, m.utilizationPct, m.memoryUsedMiB,
                    m.memoryTotalMiB, m.xid, m.eccCorrected, m.eccUncorrected,
                ])
                try statement.execute()
            }
            return samples.count
        }
    }

    /// Stores health events in one transaction.
    public func record(events: [HealthEvent]) throws(HistoryError) {
        try write { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO health_events(ts, node, gpu, kind, from_state, to_state, reason, jobs) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for e in events {
                try statement.execute(arguments: [
                    e.timestamp, e.node, e.gpu, e.kind.rawValue, e.from.rawValue, e.to.rawValue, e.reason,
                    e.jobs.joined(separator: ","),
                ])
            }
        }
    }

    /// Stores a plan (or re-plan) and its placements; returns the plan's row id.
    @discardableResult
    public func record(plan: Plan, at time: Double, kind: String = "plan") throws(HistoryError) -> Int64 {
        let json = (try? plan.jsonData(pretty: false)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return try write { db in
            let moved = plan.jobs.filter { $0.change == .moved }.count
            try db.execute(sql: "INSERT INTO plans(ts, kind, placed, queued, moved, json) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [time, kind, plan.metrics.placedJobs, plan.metrics.unplacedJobs, moved, json])
            let id = db.lastInsertedRowID
            let statement = try db.cachedStatement(sql: """
                INSERT INTO placements(plan_id, job, tenant, node, gpus, cost_per_hour, change) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for entry in plan.jobs where entry.status == .placed {
                let total = max(1, entry.gpuCount)
                for worker in entry.workers {
                    try statement.execute(arguments: [
                        id, entry.job, entry.tenant, worker.node, worker.gpus.count,
                        entry.costPerHour * Double(worker.gpus.count) / Double(total), entry.change?.rawValue,
                    ])
                }
            }
            return id
        }
    }

    /// Downsampling and retention: raw samples older than `cutoff` are averaged into
    /// `bucketSeconds` rollups per node and GPU and deleted; rollups older than `dropBefore`
    /// (if given) are deleted. One transaction. Returns the number of raw samples compacted.
    @discardableResult
    public func compact(before cutoff: Double, bucketSeconds: Double = 60, dropRollupsBefore dropBefore: Double? = nil) throws(HistoryError) -> Int {
        guard bucketSeconds > 0, bucketSeconds.isFinite, cutoff.isFinite else {
            throw .invalidInput("compaction needs a finite cutoff and a positive bucket (got \(cutoff), \(bucketSeconds) s)")
        }
        return try write { db in
            try db.execute(sql: """
                INSERT INTO sample_rollups(node, gpu, bucket, seconds, count, temperature_avg, temperature_max,
                    power_avg, power_max, utilization_avg, memory_used_avg)
                SELECT node, gpu, CAST(ts / ?1 AS INTEGER) * ?1 AS b, ?1, COUNT(*), AVG(temperature_c),
                    MAX(temperature_c), AVG(power_w), MAX(power_w), AVG(utilization_pct), AVG(memory_used_mib)
                FROM samples WHERE ts < ?2 GROUP BY node, gpu, b
                ON CONFLICT(node, gpu, bucket) DO UPDATE SET
                    temperature_avg = (temperature_avg * count + excluded.temperature_avg * excluded.count) / (count + excluded.count),
                    temperature_max = MAX(temperature_max, excluded.temperature_max),
                    power_avg = (power_avg * count + excluded.power_avg * excluded.count) / (count + excluded.count),
                    power_max = MAX(power_max, excluded.power_max),
                    utilization_avg = (utilization_avg * count + excluded.utilization_avg * excluded.count) / (count + excluded.count),
                    memory_used_avg = (memory_used_avg * count + excluded.memory_used_avg * excluded.count) / (count + excluded.count),
                    count = count + excluded.count
                """, arguments: [bucketSeconds, cutoff])
            try db.execute(sql: "DELETE FROM samples WHERE ts < ?", arguments: [cutoff])
            let removed = db.changesCount
            if let dropBefore { try db.execute(sql: "DELETE FROM sample_rollups WHERE bucket < ?", arguments: [dropBefore]) }
            return removed
        }
    }

    // MARK: Reading

    /// Raw samples stored (not yet compacted).
    public func sampleCount() throws(HistoryError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM samples") ?? 0 }
    }

    /// Rollup rows stored.
    public func rollupCount() throws(HistoryError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sample_rollups") ?? 0 }
    }

    /// Health events with `ts ≥ since`, optionally of one node, in time order.
    public func events(since: Double = -.infinity, node: String? = nil) throws(HistoryError) -> [HealthEvent] {
        try read { db in
            var sql = "SELECT ts, node, gpu, kind, from_state, to_state, reason, jobs FROM health_events WHERE ts >= ?"
            var arguments: StatementArguments = [since.isFinite ? since : -1e300]
            if let node { sql += " AND node = ?"; arguments += [node] }
            sql += " ORDER BY ts, id"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                let jobs: String = row["jobs"]
                return HealthEvent(
                    timestamp: row["ts"], node: row["node"], gpu: row["gpu"],
                    kind: HealthEvent.Kind(rawValue: row["kind"]) ?? .transition,
                    from: HealthState(rawValue: row["from_state"]) ?? .healthy,
                    to: HealthState(rawValue: row["to_state"]) ?? .healthy, reason: row["reason"],
                    jobs: jobs.isEmpty ? [] : jobs.split(separator: ",").map(String.init))
            }
        }
    }

    /// Plans stored: id, time, kind, and the plan itself.
    public func plans() throws(HistoryError) -> [(id: Int64, time: Double, kind: String, plan: Plan)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, ts, kind, json FROM plans ORDER BY ts, id").compactMap { row in
                let json: String = row["json"]
                guard let plan = try? Plan.decode(Data(json.utf8)) else { return nil }
                return (row["id"], row["ts"], row["kind"], plan)
            }
        }
    }

    // MARK: -

    func read<T>(_ body: (Database) throws -> T) throws(HistoryError) -> T {
        do { return try database.read(body) } catch { throw .database("\(path): \(error)") }
    }

    func write<T>(_ body: (Database) throws -> T) throws(HistoryError) -> T {
        do { return try database.write(body) } catch let error as HistoryError { throw error } catch { throw .database("\(path): \(error)") }
    }
}

extension HistoryStore {
    /// The newest time recorded (samples, rollups, events, plans), if any.
    public func latestTime() throws(HistoryError) -> Double? {
        try read { db in
            try Double.fetchOne(db, sql: """
                SELECT MAX(t) FROM (SELECT MAX(ts) AS t FROM samples UNION ALL SELECT MAX(bucket + seconds) FROM sample_rollups
                UNION ALL SELECT MAX(ts) FROM health_events UNION ALL SELECT MAX(ts) FROM plans)
                """)
        }
    }

    /// The providers and nodes registered so far, as a pool (accelerator details are not stored:
    /// nodes read `"unknown"`). Enough for availability and usage reports without the pool file.
    public func registeredPool() throws(HistoryError) -> Pool {
        try read { db in
            var providers: [String: Provider] = [:]
            var nodes: [Node] = []
            for row in try Row.fetchAll(db, sql: "SELECT * FROM nodes ORDER BY rowid") {
                let provider: String = row["provider"]
                let kind = ProviderKind(rawValue: row["provider_kind"]) ?? .community
                providers[provider] = providers[provider] ?? Provider(id: provider, kind: kind, availability: row["provider_availability"])
                nodes.append(Node(id: row["id"], provider: provider, accelerator: "unknown", vendor: "unknown",
                                  gpuCount: row["gpu_count"], gpuMemoryGiB: 0, region: "unknown",
                                  pricePerGPUHour: row["price_per_gpu_hour"]))
            }
            return Pool(providers: providers.values.sorted { $0.id < $1.id }, nodes: nodes)
        }
    }
}

/// A monitoring session records its pool, plans, samples and events in the history database.
extension HistoryStore: MonitorRecorder {}
