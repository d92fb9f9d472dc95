import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GPUPoolDomain
import GPUPoolPlanner
import GPUPoolWorkloads
import Testing

@Suite("HTML plan report")
struct PlanHTMLReportTests {
    typealias S = TestSupport

    private static let oddID = "a<b&\"c\""

    static func smallCase() throws -> (Plan, Pool, Workload) {
        let pool = Pool(
            providers: [S.provider("dc", .ownDataCenter), S.provider("cloud<1>")],
            nodes: [
                S.node("n1", provider: "dc", gpus: 8, price: 1.5),
                S.node("n2", provider: "dc", gpus: 4, price: 1),
                S.node("down", provider: "dc", gpus: 4, health: .failed),
                S.node("c1", provider: "cloud<1>", accelerator: "V100", gpus: 2, memory: 16, price: 0.5),
            ])
        let workload = Workload(
            jobs: [
                S.job(oddID, tenant: "t&1", workers: 2, gpusPerWorker: 4),
                S.job("small", tenant: "t2", gpusPerWorker: 2),
                S.job("huge", tenant: "t2", gpusPerWorker: 64, locality: .node),
                S.job("picky", tenant: "t2", accelerators: ["H100"]),
            ],
            tenantQuotas: ["t&1": 12])
        let plan = try S.planner([.minCost]).plan(pool: pool, workload: workload)
        return (plan, pool, workload)
    }

    @Test func showsEveryJobReasonAndStageEscaped() throws {
        let (plan, pool, workload) = try Self.smallCase()
        #expect(plan.placed.count == 2 && plan.unplaced.count == 2)
        let html = PlanHTMLReport.render(plan: plan, pool: pool, workload: workload)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<svg") && html.contains("</svg>"))
        // Every job, escaped; the raw id never appears.
        #expect(html.contains("a&lt;b&amp;&quot;c&quot;"))
        #expect(!html.contains(Self.oddID))
        #expect(!html.contains("cloud<1>") && html.contains("cloud&lt;1&gt;"))
        for id in ["small", "huge", "picky"] { #expect(html.contains(">\(id)<")) }
        // Unplaced reasons, code and detail.
        for entry in plan.unplaced {
            let reason = try #require(entry.reason)
            #expect(html.contains(reason.code.rawValue))
            #expect(html.contains(escaped(reason.detail)))
        }
        // The unschedulable node is labelled with its health; tooltips name the job.
        #expect(html.contains("FAILED"))
        #expect(html.contains("<title>a&lt;b&amp;&quot;c&quot; (tenant t&amp;1) — n"))
        // Tenant shares with the quota, and every stage.
        #expect(html.contains(">t&amp;1<") && html.contains(">12<"))
        for stage in plan.stages { #expect(html.contains(stage.objective) && html.contains(">\(stage.status.rawValue)<")) }
        // Self-contained: no network references, no scripts.
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"))
        try expectWellFormed(html)
    }

    @Test func stageGapIsComputedFromValueAndBound() throws {
        let (plan, pool, workload) = try Self.smallCase()
        var staged = plan
        staged.stages = [PlanStage(objective: "max-utilization", value: 90, bound: 100, solver: "GLPK", status: .feasible),
                         PlanStage(objective: "min-cost", value: 0.5, bound: 0.25, solver: "heuristic", status: .feasible)]
        let html = PlanHTMLReport.render(plan: staged, pool: pool, workload: workload)
        #expect(html.contains("<td>90.000</td><td>100.000</td><td>11.1%</td>"))   // 10 / 90
        #expect(html.contains("<td>0.500</td><td>0.250</td><td>25.0%</td>"))      // 0.25 / max(1, 0.5)
        #expect(html.contains("feasible (0 of 2 stages proven optimal)"))        // overall status
    }

    @Test func samePlanGivesSameBytes() throws {
        let (plan, pool, workload) = try Self.smallCase()
        #expect(PlanHTMLReport.render(plan: plan, pool: pool, workload: workload)
            == PlanHTMLReport.render(plan: plan, pool: pool, workload: workload))
    }

    @Test func largePoolIsDrawnCompactly() throws {
        // The `bench plan` pool of 100,000 GPUs (over 12,500 nodes), every other node held by one job.
        let (pool, _) = try WorkloadGenerator.generate(jobs: 0, gpus: 100_000)
        #expect(pool.nodes.count > 12_500)
        var jobs: [Job] = [], entries: [JobPlacement] = []
        for (i, node) in pool.nodes.enumerated() where i % 2 == 0 {
            let id = "job-\(i)"
            jobs.append(S.job(id, tenant: "t\(i % 5)", gpusPerWorker: node.gpuCount))
            entries.append(JobPlacement(job: id, tenant: "t\(i % 5)", status: .placed, shape: 0, accelerator: node.accelerator,
                                        workers: [WorkerPlacement(node: node.id, gpus: Array(0..<node.gpuCount))],
                                        costPerHour: node.pricePerGPUHour * Double(node.gpuCount)))
        }
        jobs.append(S.job("left-out", gpusPerWorker: 100_000))
        entries.append(JobPlacement(job: "left-out", tenant: "t", status: .unplaced,
                                    reason: UnplacedReason(.gangDoesNotFit, "needs 100000 GPUs")))
        let used = entries.reduce(0) { $0 + $1.gpuCount }
        let plan = Plan(policies: ["max-utilization"], method: "test", jobs: entries,
                        metrics: PlanMetrics(placedJobs: entries.count - 1, unplacedJobs: 1, usedGPUs: used, schedulableGPUs: pool.schedulableGPUs,
                                             costPerHour: 0, utilization: Double(used) / Double(pool.schedulableGPUs), totalThroughput: 0,
                                             normalizedThroughput: 0, expectedAvailability: nil, jainFairness: nil, objective: Double(used),
                                             bound: Double(pool.schedulableGPUs), gap: nil, solveSeconds: 0, method: "test"),
                        stages: [PlanStage(objective: "max-utilization", value: Double(used), bound: Double(pool.schedulableGPUs),
                                           solver: "test", status: .feasible)])
        // Size, not speed, is asserted here: rendering time is a benchmark figure, not a unit-test one.
        let html = PlanHTMLReport.render(plan: plan, pool: pool, workload: Workload(jobs: jobs))
        #expect(html.utf8.count < 12_000_000, "\(html.utf8.count) bytes")
        #expect(html.contains("one bar per node"))
        #expect(html.contains("job-0") && html.contains("left-out") && html.contains("gang-does-not-fit"))
        #expect(!html.contains("http://") && !html.contains("https://"))
    }

    // MARK: Helpers

    private func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }

    /// The page (without its doctype) parses as XML: every tag closed, every `&` an entity.
    private func expectWellFormed(_ html: String) throws {
        let body = html.replacingOccurrences(of: "<!DOCTYPE html>", with: "")
        let parser = XMLParser(data: Data(body.utf8))
        let ok = parser.parse()
        #expect(ok, "not well-formed: \(parser.parserError.map { "\($0)" } ?? "?") at line \(parser.lineNumber)")
    }
}
