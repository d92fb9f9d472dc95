import GPUPoolDomain
@testable import GPUPoolTelemetry
import GPUPoolHistory
import GPUPoolPlanner
import Testing
@testable import GPUPoolMonitoring

@Suite("Health policy")
struct HealthPolicyTests {
    let pool = Fixtures.pool

    func sample(_ node: String = "dc-0", gpu: Int = 0, at t: Double, temp: Double = 60, util: Double? = 90, xid: Int? = nil,
                eccUncorrected: Int? = nil) -> TelemetrySample
    {
        TelemetrySample(node: node, gpu: gpu, timestamp: t,
                        metrics: GPUMetrics(temperatureC: temp, utilizationPct: util, xid: xid, eccUncorrected: eccUncorrected))
    }

    @Test func temperatureHysteresisAndReturnToService() {
        var m = HealthMonitor(rules: HealthRules(escalateAfterSeconds: 10_000, cleanSeconds: 300), pool: pool)
        m.ingest(sample(at: 0, temp: 70))
        #expect(m.state(of: "dc-0") == .healthy)
        let warn = m.ingest(sample(at: 10, temp: 86))
        #expect(warn.map(\.to) == [.suspect])
        #expect(warn[0].reason.contains("temperature 86"))
        // 82 °C is below warn (85) but within the 5 °C hysteresis: still a finding, no recovery.
        for t in stride(from: 20.0, through: 400, by: 10) { m.ingest(sample(at: t, temp: 82)) }
        #expect(m.state(of: "dc-0") == .suspect)
        let critical = m.ingest(sample(at: 410, temp: 93))
        #expect(critical.map(\.to) == [.cordoned])
        // Cools to 78 °C (clear): clean period starts; back to service 300 s later, not before.
        m.ingest(sample(at: 420, temp: 78))
        for t in stride(from: 430.0, through: 700, by: 10) { #expect(m.ingest(sample(at: t, temp: 70)).isEmpty) }
        let back = m.ingest(sample(at: 730, temp: 70))
        #expect(back.map(\.to) == [.healthy])
        #expect(back[0].reason.contains("clean"))
        #expect(m.events.filter { $0.kind == .transition }.map(\.to) == [.suspect, .cordoned, .healthy])
    }

    @Test func persistingProblemEscalatesStepByStep() {
        var m = HealthMonitor(rules: HealthRules(escalateAfterSeconds: 100, cleanSeconds: 300), pool: pool)
        for t in stride(from: 0.0, through: 400, by: 10) { m.ingest(sample(at: t, temp: 88)) }
        #expect(m.events.map(\.to) == [.suspect, .cordoned, .draining])
        #expect(m.events.map(\.timestamp) == [0, 100, 200])
        #expect(m.events[1].reason.contains("persisted"))
    }

    @Test func seriousXIDDrainsAtOnceAndCountsOnce() {
        var m = HealthMonitor(pool: pool)
        m.ingest(sample(at: 0, xid: 0))
        #expect(m.ingest(sample(at: 10, xid: 79)).map(\.to) == [.draining])
        // DCGM repeats the last XID: no new event.
        #expect(m.ingest(sample(at: 20, xid: 79)).isEmpty)
        #expect(m.state(of: "dc-0") == .draining)
    }

    @Test func jobLevelXIDBlamesTheJobNotTheNode() {
        var m = HealthMonitor(rules: HealthRules(jobLevelRepeats: 2), pool: pool)
        let plan = Plan(policies: [], method: "test", jobs: [
            JobPlacement(job: "j1", tenant: "t", status: .placed, shape: 0, accelerator: "A100-80GB", workers: [WorkerPlacement(node: "dc-0", gpus: [0])]),
        ], metrics: PlanMetrics(placedJobs: 1, unplacedJobs: 0, usedGPUs: 1, schedulableGPUs: 40, costPerHour: 0, utilization: 0,
                                totalThroughput: 0, normalizedThroughput: 0, expectedAvailability: nil, jainFairness: nil,
                                objective: nil, bound: nil, gap: nil, solveSeconds: 0, method: "test"))
        m.setAllocations(from: plan)
        let first = m.ingest(sample(at: 0, xid: 13))
        #expect(first.count == 1 && first[0].kind == .jobFault && first[0].jobs == ["j1"])
        #expect(m.state(of: "dc-0") == .healthy)
        m.ingest(sample(at: 10, xid: 0))
        let second = m.ingest(sample(at: 20, xid: 43))
        #expect(second.map(\.kind) == [.jobFault, .transition])
        #expect(m.state(of: "dc-0") == .suspect)
    }

    @Test func uncorrectedECCGrowthDrains() {
        var m = HealthMonitor(pool: pool)
        m.ingest(sample(at: 0, eccUncorrected: 2))
        #expect(m.ingest(sample(at: 10, eccUncorrected: 2)).isEmpty)
        #expect(m.ingest(sample(at: 20, eccUncorrected: 3)).map(\.to) == [.draining])
    }

    @Test func sustainedLowUtilisationOfAnAllocatedGPU() {
        var m = HealthMonitor(rules: HealthRules(lowUtilizationSeconds: 60), pool: pool)
        let plan = Plan(policies: [], method: "t", jobs: [
            JobPlacement(job: "j", tenant: "t", status: .placed, shape: 0, workers: [WorkerPlacement(node: "dc-0", gpus: [1])]),
        ], metrics: PlanMetrics(placedJobs: 1, unplacedJobs: 0, usedGPUs: 1, schedulableGPUs: 40, costPerHour: 0, utilization: 0,
                                totalThroughput: 0, normalizedThroughput: 0, expectedAvailability: nil, jainFairness: nil,
                                objective: nil, bound: nil, gap: nil, solveSeconds: 0, method: "t"))
        m.setAllocations(from: plan)
        for t in stride(from: 0.0, through: 50, by: 10) { m.ingest(sample(gpu: 1, at: t, util: 0)); m.ingest(sample(gpu: 2, at: t, util: 0)) }
        #expect(m.state(of: "dc-0") == .healthy)
        m.ingest(sample(gpu: 1, at: 60, util: 1))
        #expect(m.state(of: "dc-0") == .suspect)
        #expect(m.events.last?.reason.contains("GPU 1") == true)
    }

    @Test func staleTelemetryCordonsThenFailsAndRecovers() {
        var m = HealthMonitor(rules: HealthRules(staleAfterSeconds: 60, failAfterSeconds: 300, cleanSeconds: 120), pool: pool)
        m.advance(to: 0)
        m.ingest(sample(at: 0))
        m.advance(to: 59)
        #expect(m.state(of: "dc-0") == .healthy)
        m.advance(to: 60)
        #expect(m.state(of: "dc-0") == .cordoned)
        #expect(m.state(of: "dc-1") == .cordoned)   // never reported at all
        m.advance(to: 300)
        #expect(m.state(of: "dc-0") == .failed)
        for t in stride(from: 310.0, through: 430, by: 10) { m.ingest(sample(at: t)) }
        #expect(m.state(of: "dc-0") == .healthy)
        #expect(m.events.filter { $0.node == "dc-0" }.map(\.to) == [.cordoned, .failed, .healthy])
    }

    @Test func deterministicForTheSameSamples() {
        func run() -> [HealthEvent] {
            var m = HealthMonitor(pool: pool)
            for t in stride(from: 0.0, through: 3000, by: 30) {
                m.ingest(sample(at: t, temp: 60 + t / 60))
                m.advance(to: t)
            }
            return m.events
        }
        #expect(run() == run())
        #expect(!run().isEmpty)
    }

    @Test func rulesFromYAML() throws {
        let rules = try HealthRules.parse(yaml: """
            temperature: {warn: 80, critical: 90, hysteresis: 3}
            seriousXIDs: [79]
            cleanSeconds: 60
            """)
        #expect(rules.temperature == HealthRules.Threshold(warn: 80, critical: 90, hysteresis: 3))
        #expect(rules.seriousXIDs == [79] && rules.cleanSeconds == 60 && rules.staleAfterSeconds == 120)
        #expect(throws: MonitoringError.self) { try HealthRules.parse(yaml: "temprature: {warn: 1}", fileName: "r.yaml") }
        #expect(throws: MonitoringError.self) { try HealthRules.parse(yaml: "temperature: {warn: 90, critical: 80, hysteresis: 1}") }
        #expect(throws: MonitoringError.self) { try HealthRules.parse(yaml: "cleanSeconds: -5") }
        do {
            _ = try HealthRules.parse(yaml: "cleanSeconds: soon", fileName: "r.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("r.yaml") && error.description.contains("cleanSeconds"))
        }
    }
}
