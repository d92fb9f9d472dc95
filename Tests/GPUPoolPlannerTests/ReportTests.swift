import GPUPoolDomain
import GPUPoolPlanner
import Testing

@Suite("Readable reports")
struct ReportTests {
    typealias S = TestSupport

    @Test func summaryAndComparisonNameTheFigures() throws {
        let pool = Pool(providers: [S.provider("p")], nodes: [S.node("a", gpus: 4, price: 1.5)])
        let workload = Workload(jobs: [S.job("fits", gpusPerWorker: 2), S.job("too-big", gpusPerWorker: 8, locality: .node)])
        let plan = try S.planner([.minCost]).plan(pool: pool, workload: workload)
        let text = plan.summary()
        #expect(text.contains("placed 1 of 2 jobs, 2 of 4 GPUs (50.0%)"))
        #expect(text.contains("cost 3.00/h"))
        #expect(text.contains("unplaced (gang-does-not-fit): 1 — too-big"))
        #expect(text.contains("policies: max-utilization > min-cost"))
        let table = Plan.comparison([("min-cost", plan), ("again", plan)])
        let lines = table.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("policy") && lines[1].hasPrefix("min-cost") && lines[1].contains("1/2"))
        #expect(Set(lines.map(\.count)).count == 1)   // aligned columns
    }
}
