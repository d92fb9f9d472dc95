import GPUPoolDomain
import GPUPoolPlanner
import GPUPoolSolver
import Testing

/// Each policy on a tiny instance against the exhaustive optimum.
@Suite("Policies against brute force")
struct PolicyTests {
    typealias S = TestSupport

    /// 12 GPUs on four nodes of three provider kinds; five jobs asking for 13 GPUs.
    static let pool = Pool(
        providers: [S.provider("own", .ownDataCenter), S.provider("cloud", .cloud), S.provider("comm", .community)],
        nodes: [
            S.node("n1", provider: "own", accelerator: "A100", gpus: 4, region: "r1", price: 2.0),
            S.node("n2", provider: "cloud", accelerator: "V100", gpus: 4, memory: 16, region: "r1", price: 0.5),
            S.node("n3", provider: "comm", accelerator: "V100", gpus: 2, memory: 16, region: "r2", price: 0.3),
            S.node("n4", provider: "comm", accelerator: "A100", gpus: 2, region: "r2", price: 1.0),
        ])

    static let workload = Workload(jobs: [
        S.job("j1", gpusPerWorker: 2, throughput: ["A100": 10, "V100": 4], locality: .node),
        S.job("j2", workers: 2, gpusPerWorker: 2, throughput: ["A100": 8, "V100": 6]),
        S.job("j3", throughput: ["A100": 2, "V100": 2]),
        S.job("j4", priority: 1, workers: 2, throughput: ["A100": 5, "V100": 1], locality: .region),
        S.job("j5", gpusPerWorker: 4, throughput: ["A100": 3, "V100": 3], locality: .node),
    ])

    static let cases: [(policies: [PlanningPolicy], objectives: [S.Objective])] = [
        ([.maxUtilization], [.utilization]),
        ([.minCost], [.utilization, .cost]),
        ([.maxThroughput], [.throughput, .utilization]),
        ([.maxAvailability], [.utilization, .availability]),
        ([.priority, .maxUtilization], [.tier(1), .tier(0), .utilization]),
        ([.priority, .maxThroughput, .minCost], [.tier(1), .tier(0), .throughput, .utilization, .cost]),
    ]

    @Test(arguments: cases.indices)
    func exactMatchesBruteForce(_ index: Int) throws {
        let (policies, objectives) = Self.cases[index]
        let best = S.bruteForceBest(objectives, pool: Self.pool, workload: Self.workload)
        let method: PlanningMethod = Solver.hasExactSolver ? .exact : .heuristic
        let plan = try S.planner(policies, method: method).plan(pool: Self.pool, workload: Self.workload)
        #expect(PlanChecker.check(plan, pool: Self.pool, workload: Self.workload).isEmpty)
        let got = S.vector(objectives, plan: plan, pool: Self.pool, workload: Self.workload)
        if Solver.hasExactSolver {
            #expect(S.compare(got, best) == 0, "policies \(policies): plan \(got), optimum \(best)")
        } else {
            #expect(S.compare(got, best) <= 0, "heuristic beat the exhaustive optimum: \(got) vs \(best)")
        }
    }

    @Test(arguments: cases.indices)
    func heuristicIsFeasibleAndNotBetterThanOptimum(_ index: Int) throws {
        let (policies, objectives) = Self.cases[index]
        let best = S.bruteForceBest(objectives, pool: Self.pool, workload: Self.workload)
        let plan = try S.planner(policies, method: .heuristic).plan(pool: Self.pool, workload: Self.workload)
        #expect(PlanChecker.check(plan, pool: Self.pool, workload: Self.workload).isEmpty)
        let got = S.vector(objectives, plan: plan, pool: Self.pool, workload: Self.workload)
        #expect(S.compare(got, best) <= 0)
        // The heuristic gets within 10 % of the optimal primary objective on this instance.
        let shortfall = best[0] - got[0]
        #expect(shortfall <= 0.1 * abs(best[0]) + 1e-9, "primary \(got[0]) vs optimum \(best[0])")
    }

    @Test func policiesReallyDiffer() throws {
        // Spare capacity: min-cost takes the cheap slow node, max-throughput the fast expensive one,
        // max-availability the own data center's node.
        let pool = Pool(
            providers: [S.provider("cloud", .cloud), S.provider("comm", .community), S.provider("own", .ownDataCenter)],
            nodes: [
                S.node("fast", provider: "cloud", accelerator: "A100", gpus: 4, price: 2),
                S.node("cheap", provider: "comm", accelerator: "V100", gpus: 4, memory: 16, price: 0.5),
                S.node("steady", provider: "own", accelerator: "A6000", gpus: 4, memory: 48, price: 1),
            ])
        let workload = Workload(jobs: [S.job("j", gpusPerWorker: 2, throughput: ["A100": 10, "V100": 2, "A6000": 4])])
        for method in [PlanningMethod.heuristic, .auto] {
            let cheap = try S.planner([.minCost], method: method).plan(pool: pool, workload: workload)
            let fast = try S.planner([.maxThroughput], method: method).plan(pool: pool, workload: workload)
            let steady = try S.planner([.maxAvailability], method: method).plan(pool: pool, workload: workload)
            #expect(cheap.placed.first?.workers.first?.node == "cheap")
            #expect(fast.placed.first?.workers.first?.node == "fast")
            #expect(steady.placed.first?.workers.first?.node == "steady")
            #expect(cheap.metrics.costPerHour == 1 && fast.metrics.costPerHour == 4)
            #expect(cheap.policies == ["max-utilization", "min-cost"])
            #expect(fast.policies == ["max-throughput", "max-utilization"])
        }
    }

    @Test func fifoTakesArrivalOrderWhileUtilizationPacks() throws {
        let pool = Pool(providers: [S.provider("p")], nodes: [S.node("n", gpus: 4)])
        let workload = Workload(jobs: [
            S.job("late-small", gpusPerWorker: 2, locality: .node, arrival: 2),
            S.job("first-big", gpusPerWorker: 3, locality: .node, arrival: 0),
            S.job("second-small", gpusPerWorker: 2, locality: .node, arrival: 1),
        ])
        let fifo = try S.planner([.fifo]).plan(pool: pool, workload: workload)
        #expect(fifo.placed.map(\.job) == ["first-big"])
        #expect(fifo.method.hasPrefix("fifo"))
        #expect(fifo.job("second-small")?.reason?.code == .capacityExhausted)
        let packed = try S.planner([.maxUtilization]).plan(pool: pool, workload: workload)
        #expect(Set(packed.placed.map(\.job)) == ["late-small", "second-small"])
    }

    @Test func higherTierWinsTheOnlyNode() throws {
        let pool = Pool(providers: [S.provider("p")], nodes: [S.node("n", gpus: 4)])
        let workload = Workload(jobs: [
            S.job("low-big", gpusPerWorker: 4, locality: .node),
            S.job("high-small", priority: 2, gpusPerWorker: 2, locality: .node),
        ])
        let plan = try S.planner([.priority, .maxUtilization]).plan(pool: pool, workload: workload)
        #expect(plan.placed.map(\.job) == ["high-small"])
        #expect(plan.job("low-big")?.reason?.code == .lowerPriority)
        // Without tiers, utilisation prefers the bigger job.
        let flat = try S.planner([.maxUtilization]).plan(pool: pool, workload: workload)
        #expect(flat.placed.map(\.job) == ["low-big"])
    }

    @Test func policyNamesParse() throws {
        #expect(try PlanningPolicy.list("min-cost, max_utilization,FIFO") == [.minCost, .maxUtilization, .fifo])
        #expect(throws: PlannerError.self) { try PlanningPolicy.list("min-cost,cheapest") }
        #expect(throws: PlannerError.self) { try PlanningPolicy.list("min-cost,min-cost") }
        #expect(throws: PlannerError.self) { try PlanningPolicy.list("") }
    }
}
