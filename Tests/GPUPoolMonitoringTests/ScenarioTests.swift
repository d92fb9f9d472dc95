import GPUPoolDomain
@testable import GPUPoolTelemetry
import GPUPoolHistory
import GPUPoolPlanner
import Testing
@testable import GPUPoolMonitoring

@Suite("Fault scenarios: no job lost")
struct ScenarioTests {
    let runner = ScenarioRunner(
        pool: Fixtures.pool, workload: Fixtures.workload,
        rules: HealthRules(staleAfterSeconds: 60, failAfterSeconds: 180, escalateAfterSeconds: 120, cleanSeconds: 300))

    func busiestNode(_ plan: Plan) -> String {
        var count: [String: Int] = [:]
        for e in plan.placed { for w in e.workers { count[w.node, default: 0] += w.gpus.count } }
        return count.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? "dc-0"
    }

    func check(_ report: ScenarioReport) {
        #expect(report.violations.isEmpty, "\(report.violations)")
        let ids = Set(Fixtures.workload.jobs.map(\.id))
        #expect(Set(report.finalPlan.jobs.map(\.job)) == ids)
        for replan in report.replans {
            #expect(replan.result.lost == 0)
            #expect(replan.result.outcomes.count == ids.count)
            for o in replan.result.outcomes where o.change == .queued { #expect(o.reason != nil) }
        }
    }

    @Test func nodeLoss() throws {
        let initial = try runner.failover.planner.plan(pool: runner.pool, workload: runner.workload)
        let victim = busiestNode(initial)
        let report = try runner.run(FaultScenario(name: "node loss", faults: [.nodeLoss(node: victim, at: 100)], duration: 600), initial: initial)
        check(report)
        #expect(report.finalStates[victim] == .failed)
        #expect(!report.replans.isEmpty)
        let affected = report.replans.flatMap(\.result.outcomes).filter(\.affected)
        #expect(!affected.isEmpty)
        #expect(affected.allSatisfy { $0.change == .moved || $0.change == .queued })
        #expect(!report.finalPlan.placed.contains { $0.workers.contains { $0.node == victim } })
    }

    @Test func providerOutage() throws {
        let report = try runner.run(FaultScenario(name: "outage", faults: [.providerOutage(provider: "cloud", from: 50, to: 400)], duration: 1000))
        check(report)
        // Cloud nodes fail during the outage and return to service afterwards.
        let cl0 = report.events.filter { $0.node == "cl-0" }.map(\.to)
        #expect(cl0.contains(.failed) && cl0.last == .healthy)
    }

    @Test func slowThermalDegradation() throws {
        let initial = try runner.failover.planner.plan(pool: runner.pool, workload: runner.workload)
        let victim = busiestNode(initial)
        let report = try runner.run(FaultScenario(name: "thermal", faults: [.thermalDegradation(node: victim, from: 0, degreesPerMinute: 3)], duration: 1200), initial: initial)
        check(report)
        let path = report.events.filter { $0.node == victim && $0.kind == .transition }.map(\.to)
        #expect(Array(path.prefix(3)) == [.suspect, .cordoned, .draining])
        #expect(!report.finalPlan.placed.contains { $0.workers.contains { $0.node == victim } })
    }

    @Test func flappingNodeDoesNotFlapHealth() throws {
        let report = try runner.run(FaultScenario(name: "flapping", faults: [.flapping(node: "dc-1", from: 0, to: 600, period: 20)], duration: 1500))
        check(report)
        let path = report.events.filter { $0.node == "dc-1" && $0.kind == .transition }.map(\.to)
        // Cordoned once, escalated while it kept flapping, back only after a clean period: no ping-pong.
        #expect(path.filter { $0 == .healthy }.count == 1)
        #expect(path.last == .healthy)
        #expect(path.count <= 4)
    }

    @Test func telemetryGapCordonsWithoutLosingJobs() throws {
        let report = try runner.run(FaultScenario(name: "gap", faults: [.telemetryGap(node: "dc-2", from: 100, to: 220)], duration: 800))
        check(report)
        let path = report.events.filter { $0.node == "dc-2" }.map(\.to)
        #expect(path.first == .cordoned)
        #expect(path.last == .healthy)
    }

    @Test func cordonKeepsJobsAndBlocksNewWork() throws {
        let planner = FailoverPlanner()
        let plan = try planner.planner.plan(pool: Fixtures.pool, workload: Fixtures.workload)
        let node = busiestNode(plan)
        var degraded = Fixtures.pool
        for k in degraded.nodes.indices where degraded.nodes[k].id == node { degraded.nodes[k].health = .cordoned }
        let result = try planner.replan(current: plan, pool: degraded, workload: Fixtures.workload)
        #expect(result.violations.isEmpty, "\(result.violations)")
        for entry in plan.placed where entry.workers.contains(where: { $0.node == node }) {
            #expect(result.plan.job(entry.job)?.change == .kept)
        }
        #expect(result.affected == 0 && result.lost == 0)
    }

    @Test func invariantsCatchADroppedJob() throws {
        let plan = try FailoverPlanner().planner.plan(pool: Fixtures.pool, workload: Fixtures.workload)
        var broken = plan
        broken.jobs.removeFirst()
        let violations = FailoverInvariants.check(previous: plan, next: broken, pool: Fixtures.pool, workload: Fixtures.workload)
        #expect(violations.contains { $0.hasPrefix("lost:") })
    }
}
