import Foundation
import GPUPoolDomain
import GPUPoolPlanner
import GPUPoolTelemetry
import GPUPoolTestSupport
import Testing
@testable import GPUPoolMonitoring

/// The monitoring loop as a library: files in, events and re-plans out, recorder called in order.
@Suite("MonitorSession")
struct MonitorSessionTests {
    /// Records what the session hands over, to check the order and the contents.
    final class Recorder: MonitorRecorder, @unchecked Sendable {
        var calls: [String] = []
        var samples = 0
        var failOnPlan = false
        func register(pool: Pool, at time: Double) throws { calls.append("register \(pool.nodes.count)") }
        func record(plan: Plan, at time: Double, kind: String) throws -> Int64 {
            if failOnPlan { throw MonitoringError.invalidInput("disk full") }
            calls.append(kind)
            return Int64(calls.count)
        }
        func record(samples: [TelemetrySample]) throws -> Int { self.samples += samples.count; calls.append("samples \(samples.count)"); return samples.count }
        func record(events: [HealthEvent]) throws { calls.append("events \(events.count)") }
    }

    static func startingPlan() throws -> Plan {
        try Planner(options: PlannerOptions(method: .heuristic, timeLimit: 10)).plan(pool: Fixtures.pool, workload: Fixtures.workload)
    }

    /// DCGM text with the host name of the node, so samples are attributed by host.
    static func dcgm(node: String, xid: Int, temperature: Double = 60) -> String {
        (0..<8).map { gpu in
            """
            DCGM_FI_DEV_GPU_TEMP{gpu="\(gpu)",UUID="GPU-\(node)-\(gpu)",Hostname="\(node)"} \(temperature)
            DCGM_FI_DEV_XID_ERRORS{gpu="\(gpu)",UUID="GPU-\(node)-\(gpu)",Hostname="\(node)"} \(gpu == 0 ? xid : 0)
            """
        }.joined(separator: "\n") + "\n"
    }

    @Test("a serious XID on a busy node drains it, moves its jobs, and only new lines count on the next poll")
    func xidDrainsAndReplans() throws {
        let dir = try TemporaryDirectory(label: "monitor")
        let plan = try Self.startingPlan()
        let victim = try #require(plan.jobs.first { $0.status == .placed }?.workers.first?.node)
        let file = dir.path("\(victim).prom")
        try Self.dcgm(node: victim, xid: 0).write(toFile: file, atomically: true, encoding: .utf8)
        let recorder = Recorder()
        var session = MonitorSession(pool: Fixtures.pool, plan: plan, workload: Fixtures.workload, recorder: recorder)
        let first = try session.poll(files: [file])
        #expect(first.replan == nil && first.events.isEmpty && first.issues.isEmpty)
        #expect(session.samples == 8)

        // Append a serious XID (79: GPU fell off the bus) and one malformed line.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((Self.dcgm(node: victim, xid: 79) + "DCGM_FI_DEV_GPU_TEMP{gpu=\"0\"} hot\n").utf8))
        try handle.close()
        let second = try session.poll(files: [file])
        #expect(session.samples == 16, "only the appended lines are new")
        #expect(second.issues.count == 1 && second.issues[0].hasPrefix(file + ":"))
        #expect(second.events.contains { $0.node == victim && $0.to == .draining })
        let replan = try #require(second.replan)
        #expect(replan.affected > 0)
        // Nothing runs on the drained node any more, and the plan in force is the re-plan.
        #expect(!session.plan.jobs.flatMap(\.workers).contains { $0.node == victim })
        #expect(session.replans.count == 1)
        #expect(recorder.calls.first == "register 6" && recorder.calls.dropFirst().first == "plan")
        #expect(recorder.calls.contains("replan") && recorder.samples == 16)
    }

    @Test("failures are typed and name the file; a failing recorder is reported, not swallowed")
    func failures() throws {
        let plan = try Self.startingPlan()
        var session = MonitorSession(pool: Fixtures.pool, plan: plan, workload: Fixtures.workload)
        #expect(throws: MonitoringError.unreadable(path: "/nonexistent/x.prom", reason: "no such file")) {
            try session.poll(files: ["/nonexistent/x.prom"])
        }
        #expect(throws: MonitoringError.self) { try MonitorSession.expand(["/nonexistent-dir"]) }
        let dir = try TemporaryDirectory(label: "monitor")
        try Self.dcgm(node: "dc-0", xid: 0).write(toFile: dir.path("dc-0.prom"), atomically: true, encoding: .utf8)
        let recorder = Recorder()
        recorder.failOnPlan = true
        var recorded = MonitorSession(pool: Fixtures.pool, plan: plan, workload: Fixtures.workload, recorder: recorder)
        #expect(throws: MonitoringError.recording("disk full")) {
            try recorded.poll(files: try MonitorSession.expand([dir.url.path]))
        }
    }

    @Test("jobs rebuilt from a plan keep shape and accelerator; unplaced ones are counted")
    func workloadFromPlan() throws {
        let plan = try Self.startingPlan()
        let rebuilt = MonitorSession.workload(from: plan)
        #expect(rebuilt.workload.jobs.count == plan.metrics.placedJobs)
        #expect(rebuilt.notRebuilt == plan.metrics.unplacedJobs)
        for job in rebuilt.workload.jobs {
            let entry = try #require(plan.jobs.first { $0.job == job.id })
            #expect(job.shape.workers == entry.workers.count)
            #expect(job.shape.gpusPerWorker * job.shape.workers == entry.workers.reduce(0) { $0 + $1.gpus.count })
        }
    }
}
