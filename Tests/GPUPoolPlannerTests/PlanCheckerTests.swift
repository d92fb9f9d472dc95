import GPUPoolDomain
import GPUPoolPlanner
import Testing

@Suite("Independent plan checker")
struct PlanCheckerTests {
    typealias S = TestSupport

    static let pool = Pool(providers: [S.provider("p"), S.provider("q")], nodes: [
        S.node("a", provider: "p", accelerator: "A100", gpus: 4, region: "east", price: 2),
        S.node("b", provider: "p", accelerator: "V100", gpus: 4, memory: 16, region: "west", price: 1),
        S.node("c", provider: "q", accelerator: "A100", gpus: 4, region: "east", price: 2),
        S.node("dead", provider: "q", accelerator: "A100", gpus: 4, region: "east", health: .failed),
    ])
    static let workload = Workload(
        jobs: [
            S.job("gang", tenant: "x", workers: 2, gpusPerWorker: 2, locality: .region),
            S.job("small", tenant: "y", accelerators: ["A100"], memory: 40, budget: 3, denied: ["q"]),
        ],
        tenantQuotas: ["x": 4])

    func plan(_ entries: [JobPlacement]) -> Plan {
        Plan(policies: [], method: "hand-made", jobs: entries, metrics: PlanMetrics(
            placedJobs: 0, unplacedJobs: 0, usedGPUs: 0, schedulableGPUs: 0, costPerHour: 0, utilization: 0,
            totalThroughput: 0, normalizedThroughput: 0, expectedAvailability: nil, jainFairness: nil, objective: nil,
            bound: nil, gap: nil, solveSeconds: 0, method: "hand-made"))
    }

    func placed(_ job: String, _ tenant: String, _ workers: [(String, [Int])], accelerator: String = "A100") -> JobPlacement {
        JobPlacement(job: job, tenant: tenant, status: .placed, shape: 0, accelerator: accelerator,
                     workers: workers.map { WorkerPlacement(node: $0.0, gpus: $0.1) })
    }

    func kinds(_ entries: [JobPlacement]) -> Set<PlanViolation.Kind> {
        Set(PlanChecker.check(plan(entries), pool: Self.pool, workload: Self.workload).map(\.kind))
    }

    @Test func validPlanPasses() {
        #expect(kinds([placed("gang", "x", [("a", [0, 1]), ("a", [2, 3])]), placed("small", "y", [("a", [])])]) == [.gang])
        #expect(kinds([placed("gang", "x", [("a", [0, 1]), ("a", [2, 3])]),
                       JobPlacement(job: "small", tenant: "y", status: .unplaced, reason: UnplacedReason(.capacityExhausted, "full"))]).isEmpty)
    }

    @Test func catchesHandMadeViolations() {
        let waiting = JobPlacement(job: "small", tenant: "y", status: .unplaced, reason: UnplacedReason(.budget, "x"))
        // GPU used twice and index out of range.
        #expect(kinds([placed("gang", "x", [("a", [0, 1]), ("a", [1, 7])]), waiting]) == [.capacity])
        // Missing worker (all or nothing).
        #expect(kinds([placed("gang", "x", [("a", [0, 1])]), waiting]) == [.gang])
        // Workers in two regions.
        #expect(kinds([placed("gang", "x", [("a", [0, 1]), ("c", [0, 1])]), waiting]) == [.locality])
        // Mixed accelerators (and regions).
        #expect(kinds([placed("gang", "x", [("a", [0, 1]), ("b", [0, 1])]), waiting]).contains(.eligibility))
        // Failed node.
        #expect(kinds([placed("gang", "x", [("dead", [0, 1]), ("dead", [2, 3])]), waiting]) == [.unschedulableNode])
        // Unknown node.
        #expect(kinds([placed("gang", "x", [("zz", [0, 1]), ("zz", [2, 3])]), waiting]) == [.unknownNode])
        let gang = placed("gang", "x", [("a", [0, 1]), ("a", [2, 3])])
        // Memory (V100 16 GiB < 40), model (V100 not allowed).
        #expect(kinds([gang, placed("small", "y", [("b", [0])], accelerator: "V100")]) == [.memory, .eligibility])
        // Denied provider q.
        #expect(kinds([gang, placed("small", "y", [("c", [0])])]) == [.provider])
        // Missing job, unknown job, duplicate, unplaced without reason.
        #expect(kinds([gang]) == [.missingJob])
        #expect(kinds([gang, waiting, JobPlacement(job: "ghost", tenant: "z", status: .unplaced)]) == [.unknownJob])
        #expect(kinds([gang, waiting, waiting]) == [.duplicateJob])
        #expect(kinds([gang, JobPlacement(job: "small", tenant: "y", status: .unplaced)]) == [.inconsistentEntry])
    }

    @Test func catchesQuotaAndBudget() {
        var workload = Self.workload
        workload.tenantQuotas["x"] = 3
        let entries = [placed("gang", "x", [("a", [0, 1]), ("a", [2, 3])]),
                       JobPlacement(job: "small", tenant: "y", status: .unplaced, reason: UnplacedReason(.budget, "x"))]
        #expect(PlanChecker.check(plan(entries), pool: Self.pool, workload: workload).map(\.kind) == [.quota])
        workload.jobs[1].budgetPerHour = 1.5
        let pricey = [entries[0], placed("small", "y", [("a", [3])])]
        let found = PlanChecker.check(plan(pricey), pool: Self.pool, workload: workload).map(\.kind)
        #expect(found.contains(.budget) && found.contains(.capacity))
    }
}
