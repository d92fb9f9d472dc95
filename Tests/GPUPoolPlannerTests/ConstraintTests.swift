import GPUPoolDomain
import GPUPoolPlanner
import GPUPoolWorkloads
import GPUPoolSolver
import Testing

/// Hard constraints: gangs, locality, quotas, budgets, health, eligibility.
@Suite("Hard constraints")
struct ConstraintTests {
    typealias S = TestSupport

    static var methods: [PlanningMethod] { Solver.hasExactSolver ? [.heuristic, .exact, .auto] : [.heuristic] }

    @Test(arguments: methods)
    func gangIsAllOrNothing(_ method: PlanningMethod) throws {
        // 3 workers × 4 GPUs but only two 4-GPU nodes (plus a smaller one): nothing may be placed.
        let pool = Pool(providers: [S.provider("p")], nodes: [S.node("a"), S.node("b"), S.node("c", gpus: 2)])
        let workload = Workload(jobs: [S.job("gang", workers: 3, gpusPerWorker: 4), S.job("single", gpusPerWorker: 2)])
        let plan = try S.planner([.maxUtilization], method: method).plan(pool: pool, workload: workload)
        #expect(plan.job("gang")?.status == .unplaced)
        #expect(plan.job("gang")?.workers.isEmpty == true)
        #expect(plan.job("gang")?.reason?.code == .gangDoesNotFit)
        #expect(plan.job("single")?.status == .placed)
        // With a third 4-GPU node the gang fits, all workers at once.
        let bigger = Pool(providers: pool.providers, nodes: pool.nodes + [S.node("d")])
        let placed = try S.planner([.maxUtilization], method: method).plan(pool: bigger, workload: workload)
        #expect(placed.job("gang")?.workers.count == 3)
        #expect(placed.job("gang")?.workers.allSatisfy { $0.gpus.count == 4 } == true)
    }

    @Test(arguments: methods)
    func localityIsHonoured(_ method: PlanningMethod) throws {
        let pool = Pool(
            providers: [S.provider("p"), S.provider("q")],
            nodes: [
                S.node("p1", provider: "p", region: "east"), S.node("p2", provider: "p", region: "west"),
                S.node("q1", provider: "q", region: "east"),
            ])
        let workload = Workload(jobs: [
            S.job("node-8", workers: 2, gpusPerWorker: 4, locality: .node),
            S.job("region-8", workers: 2, gpusPerWorker: 4, locality: .region),
            S.job("provider-8", workers: 2, gpusPerWorker: 4, locality: .provider),
        ])
        let plan = try S.planner([.maxUtilization], method: method).plan(pool: pool, workload: workload)
        #expect(PlanChecker.check(plan, pool: pool, workload: workload).isEmpty)
        // No node has 8 GPUs; no provider-region has two nodes ("east" at p and q are different regions).
        #expect(plan.job("node-8")?.reason?.code == .locality)
        #expect(plan.job("region-8")?.reason?.code == .locality)
        // Provider p has two nodes: the only placement.
        #expect(Set(plan.job("provider-8")?.workers.map(\.node) ?? []) == ["p1", "p2"])
    }

    @Test(arguments: methods)
    func tenantQuotaCapsGPUs(_ method: PlanningMethod) throws {
        let pool = Pool(providers: [S.provider("p")], nodes: [S.node("a", gpus: 8)])
        let workload = Workload(
            jobs: [
                S.job("a1", tenant: "a", gpusPerWorker: 3), S.job("a2", tenant: "a", gpusPerWorker: 3),
                S.job("b1", tenant: "b", gpusPerWorker: 2),
            ],
            tenantQuotas: ["a": 4])
        let plan = try S.planner([.maxUtilization], method: method).plan(pool: pool, workload: workload)
        let tenantA = plan.placed.filter { $0.tenant == "a" }.reduce(0) { $0 + $1.gpuCount }
        #expect(tenantA == 3)
        #expect(plan.unplaced.map(\.job) == ["a2"] || plan.unplaced.map(\.job) == ["a1"])
        #expect(plan.unplaced.first?.reason?.code == .quota)
        // A single job over the quota is reported as such even on an empty pool.
        let tooBig = Workload(jobs: [S.job("x", tenant: "a", gpusPerWorker: 6)], tenantQuotas: ["a": 4])
        #expect(try S.planner([.maxUtilization], method: method).plan(pool: pool, workload: tooBig).job("x")?.reason?.code == .quota)
    }

    @Test(arguments: methods)
    func budgetSteersOrBlocks(_ method: PlanningMethod) throws {
        let pool = Pool(providers: [S.provider("p")], nodes: [
            S.node("pricey", accelerator: "H100", price: 4), S.node("cheap", accelerator: "V100", memory: 16, price: 1),
        ])
        // Max-throughput would pick the H100, but the budget allows only the V100.
        let workload = Workload(jobs: [
            S.job("capped", gpusPerWorker: 2, throughput: ["H100": 10, "V100": 3], budget: 2.5),
            S.job("poor", gpusPerWorker: 2, budget: 1.5),
        ])
        let plan = try S.planner([.maxThroughput], method: method).plan(pool: pool, workload: workload)
        #expect(plan.job("capped")?.workers.first?.node == "cheap")
        #expect(plan.job("capped")?.costPerHour == 2)
        #expect(plan.job("poor")?.reason?.code == .budget)
    }

    @Test(arguments: methods)
    func unhealthyNodesAreNeverUsed(_ method: PlanningMethod) throws {
        let pool = Pool(providers: [S.provider("p")], nodes: [
            S.node("cordoned", health: .cordoned), S.node("draining", health: .draining),
            S.node("failed", health: .failed), S.node("suspect", gpus: 2, health: .suspect),
        ])
        let workload = Workload(jobs: [S.job("a", gpusPerWorker: 2), S.job("b", gpusPerWorker: 2), S.job("c", gpusPerWorker: 1)])
        let plan = try S.planner([.maxUtilization], method: method).plan(pool: pool, workload: workload)
        let used = Set(plan.placed.flatMap { $0.workers.map(\.node) })
        #expect(used == ["suspect"])
        #expect(plan.placed.count == 1)
        #expect(plan.metrics.schedulableGPUs == 2)
        let down = Pool(providers: pool.providers, nodes: Array(pool.nodes.prefix(3)))
        let none = try S.planner([.maxUtilization], method: method).plan(pool: down, workload: workload)
        #expect(none.unplaced.allSatisfy { $0.reason?.code == .noEligibleNode })
    }

    @Test func eligibilityModelsMemoryProviders() throws {
        let pool = Pool(providers: [S.provider("p"), S.provider("q")], nodes: [
            S.node("v100", provider: "p", accelerator: "V100", memory: 16),
            S.node("a100", provider: "q", accelerator: "A100", memory: 80),
        ])
        let workload = Workload(jobs: [
            S.job("needs-memory", memory: 40),
            S.job("only-v100", accelerators: ["V100"]),
            S.job("deny-q", accelerators: ["A100"], denied: ["q"]),
            S.job("allow-p", allowed: ["p"]),
            S.job("zero-throughput", accelerators: ["V100", "A100"], throughput: ["V100": 0, "A100": 0]),
        ])
        let plan = try S.planner([.maxUtilization]).plan(pool: pool, workload: workload)
        #expect(plan.job("needs-memory")?.workers.first?.node == "a100")
        #expect(plan.job("only-v100")?.workers.first?.node == "v100")
        #expect(plan.job("deny-q")?.reason?.code == .noEligibleNode)
        #expect(plan.job("allow-p")?.workers.first?.node == "v100")
        #expect(plan.job("zero-throughput")?.reason?.code == .noEligibleNode)
    }

    @Test func alternativeShapeIsUsedWhenThePreferredCannotRun() throws {
        let pool = Pool(providers: [S.provider("p")], nodes: [S.node("v", accelerator: "V100", gpus: 8, memory: 16)])
        let workload = Workload(jobs: [
            S.job("flex", workers: 1, gpusPerWorker: 4, accelerators: ["A100"],
                  alternatives: [JobShape(workers: 2, gpusPerWorker: 4, accelerators: ["V100"])]),
        ])
        let plan = try S.planner([.maxUtilization]).plan(pool: pool, workload: workload)
        #expect(plan.job("flex")?.shape == 1)
        #expect(plan.job("flex")?.accelerator == "V100")
        #expect(plan.job("flex")?.gpuCount == 8)
    }

    @Test func everyJobAppearsOnceWithAReason() throws {
        let (pool, workload) = try WorkloadGenerator.generate(jobs: 300, gpus: 400, types: 5, seed: 3)
        let plan = try S.planner([.priority, .maxUtilization, .minCost]).plan(pool: pool, workload: workload)
        #expect(plan.jobs.map(\.job) == workload.jobs.map(\.id))
        #expect(plan.unplaced.allSatisfy { $0.reason != nil && $0.workers.isEmpty })
        #expect(plan.placed.allSatisfy { $0.reason == nil })
        #expect(PlanChecker.check(plan, pool: pool, workload: workload).isEmpty)
        #expect(plan.metrics.placedJobs + plan.metrics.unplacedJobs == 300)
    }
}
