import Foundation
@testable import GPUPoolTelemetry
import GPUPoolHistory
import GPUPoolDomain
import GPUPoolPlanner
import GRDB
import Testing
@testable import GPUPoolMonitoring

@Suite("History store")
struct HistoryTests {
    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("gpupool-history-\(UUID().uuidString).sqlite").path
    }

    @Test func walModeAndRoundTrip() throws {
        let store = try HistoryStore(path: temporaryPath())
        #expect(try store.journalMode() == "wal")
        try store.register(pool: Fixtures.pool, at: 0)
        let samples = (0..<100).map { TelemetrySample(node: "dc-0", gpu: $0 % 8, timestamp: Double($0), metrics: GPUMetrics(temperatureC: 50, utilizationPct: 40)) }
        #expect(try store.record(samples: samples) == 100)
        #expect(try store.sampleCount() == 100)
        let events = [
            HealthEvent(timestamp: 5, node: "dc-0", kind: .transition, from: .healthy, to: .suspect, reason: "hot"),
            HealthEvent(timestamp: 6, node: "dc-0", gpu: 2, kind: .jobFault, from: .suspect, to: .suspect, reason: "XID 13", jobs: ["a", "b"]),
        ]
        try store.record(events: events)
        #expect(try store.events() == events)
        #expect(try store.events(since: 6) == [events[1]])
        let plan = try FailoverPlanner().planner.plan(pool: Fixtures.pool, workload: Fixtures.workload)
        try store.record(plan: plan, at: 0)
        #expect(try store.plans().map(\.plan) == [plan])
    }

    @Test func abortedTransactionLeavesCommittedDataIntact() throws {
        let path = temporaryPath()
        let store = try HistoryStore(path: path)
        try store.record(samples: [TelemetrySample(node: "n", gpu: 0, timestamp: 1, metrics: GPUMetrics(temperatureC: 40))])
        struct Crash: Error {}
        #expect(throws: (any Error).self) {
            try store.database.write { db in
                try db.execute(sql: "INSERT INTO samples(node, gpu, ts) VALUES ('n', 1, 2)")
                try db.execute(sql: "INSERT INTO samples(node, gpu, ts) VALUES ('n', 2, 3)")
                throw Crash()   // dies mid-write: the transaction rolls back
            }
        }
        #expect(try store.sampleCount() == 1)
        // A second connection (another process's view) sees exactly the committed data.
        let other = try DatabaseQueue(path: path)
        #expect(try other.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM samples") } == 1)
        #expect(try other.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    }

    @Test func uncommittedWritesAreInvisibleToReaders() throws {
        let path = temporaryPath()
        let store = try HistoryStore(path: path)
        try store.record(samples: [TelemetrySample(node: "n", gpu: 0, timestamp: 1, metrics: GPUMetrics())])
        let reader = try DatabaseQueue(path: path)
        try store.database.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN")
            try db.execute(sql: "INSERT INTO samples(node, gpu, ts) VALUES ('n', 1, 2)")
            // Mid-write: a reader still sees only the committed row (WAL snapshot).
            #expect(try reader.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM samples") } == 1)
            try db.execute(sql: "ROLLBACK")
        }
        #expect(try store.sampleCount() == 1)
    }

    @Test func compactionDownsamplesAndKeepsAverages() throws {
        let store = try HistoryStore(path: temporaryPath())
        let samples = (0..<120).map { TelemetrySample(node: "dc-0", gpu: 0, timestamp: Double($0), metrics: GPUMetrics(temperatureC: Double($0 % 2 == 0 ? 50 : 70), utilizationPct: 60)) }
        try store.record(samples: samples)
        #expect(try store.compact(before: 60, bucketSeconds: 30) == 60)
        #expect(try store.sampleCount() == 60)
        #expect(try store.rollupCount() == 2)
        let avg = try store.database.read { try Double.fetchOne($0, sql: "SELECT AVG(temperature_avg) FROM sample_rollups") }
        #expect(avg == 60)
        try store.register(pool: Fixtures.pool, at: 0)
        let usage = try store.usage(by: .node, since: 0, until: 120)
        #expect(usage.first { $0.key == "dc-0" }?.measuredUtilizationPct == 60)
        #expect(usage.first { $0.key == "dc-0" }?.samples == 120)
        #expect(try store.compact(before: 120, bucketSeconds: 30, dropRollupsBefore: 30) == 60)
        #expect(try store.rollupCount() == 3)
    }

    @Test func availabilityWithPrior() throws {
        let store = try HistoryStore(path: temporaryPath())
        try store.register(pool: Fixtures.pool, at: 0)
        let day = 86_400.0
        // dc-0 is down for 12 of 48 hours; the other nodes stay up.
        try store.record(events: [
            HealthEvent(timestamp: day, node: "dc-0", kind: .transition, from: .healthy, to: .failed, reason: "lost"),
            HealthEvent(timestamp: day + 12 * 3600, node: "dc-0", kind: .transition, from: .failed, to: .healthy, reason: "back"),
        ])
        let report = try store.availability(pool: Fixtures.pool, asOf: 2 * day, priorWeightHours: 24)
        let own = try #require(report.provider("own"))
        #expect(own.prior == 0.995)
        #expect(abs(own.observedHours - 4 * 48) < 1e-9 && abs(own.upHours - (4 * 48 - 12)) < 1e-9)
        #expect(abs(own.estimate - (0.995 * 24 + 180) / (24 + 192)) < 1e-12)
        let dc0 = try #require(report.node("dc-0"))
        #expect(dc0.failures == 1)
        #expect(abs(dc0.estimate - (own.estimate * 24 + 36) / 72) < 1e-12)
        let dc1 = try #require(report.node("dc-1"))
        #expect(dc1.estimate > dc0.estimate)
        // A node never seen starts at its provider's estimate (the prior), not at a blind default.
        var grown = Fixtures.pool
        grown.nodes.append(Node(id: "dc-new", provider: "own", accelerator: "A100-80GB", gpuCount: 8, gpuMemoryGiB: 80, region: "eu", pricePerGPUHour: 1))
        let again = try store.availability(pool: grown, asOf: 2 * day)
        #expect(again.node("dc-new")?.estimate == again.provider("own")?.estimate)
        #expect(again.node("dc-new")?.observedHours == 0)
        // Feeds P_i back into the pool.
        let planning = grown.withAvailability(from: again)
        #expect(planning.nodes.first { $0.id == "dc-0" }?.availability == again.node("dc-0")?.estimate)
        #expect(planning.effectiveAvailability(of: planning.nodes[0]) < 0.995)
    }

    @Test func usageByTenantAndProviderFromPlans() throws {
        let store = try HistoryStore(path: temporaryPath())
        try store.register(pool: Fixtures.pool, at: 0)
        let plan = try FailoverPlanner().planner.plan(pool: Fixtures.pool, workload: Fixtures.workload)
        try store.record(plan: plan, at: 0)
        let byTenant = try store.usage(by: .tenant, since: 0, until: 3600)
        #expect(abs(byTenant.reduce(0) { $0 + $1.gpuHours } - Double(plan.metrics.usedGPUs)) < 1e-9)
        #expect(abs(byTenant.reduce(0) { $0 + $1.cost } - plan.metrics.costPerHour) < 1e-6)
        let byProvider = try store.usage(by: .provider, since: 1800, until: 3600)
        #expect(abs(byProvider.reduce(0) { $0 + $1.gpuHours } - Double(plan.metrics.usedGPUs) / 2) < 1e-9)
        #expect(throws: HistoryError.self) { try store.usage(by: .node, since: 10, until: 0) }
    }
}
