import GPUPoolDomain
import GPUPoolPlanner
import GPUPoolWorkloads
import GPUPoolSolver
import Testing

@Suite("Allocation level (Gavel LP)")
struct AllocationTests {
    typealias S = TestSupport

    /// Two types of one 1-GPU node each; job "fast" gains 4× on A100, job "flat" nothing.
    static let pool = Pool(providers: [S.provider("p")], nodes: [
        S.node("a", accelerator: "A100", gpus: 1), S.node("v", accelerator: "V100", gpus: 1, memory: 16),
    ])
    static let workload = Workload(jobs: [
        S.job("fast", throughput: ["A100": 4, "V100": 1]),
        S.job("flat", throughput: ["A100": 1, "V100": 1], weight: 2),
    ])

    /// Fairness level `t` of an allocation, recomputed from its fractions (normalised by the equal share).
    func fairness(_ allocation: Allocation) -> Double {
        allocation.jobs.map { entry in
            entry.normalizedThroughput / (Self.workload.jobs.first { $0.id == entry.job }?.weight ?? 1)
        }.min() ?? 0
    }

    /// The best `t` on a fine grid over all feasible fractions (the reference).
    func gridOptimum() -> Double {
        // Equal share: 2 GPUs for 2 GPUs of demand → half the time on each type.
        let normFast = 0.5 * 4 + 0.5 * 1, normFlat = 0.5 * 1 + 0.5 * 1
        var best = 0.0
        let steps = 40
        for a in 0...steps { for b in 0...(steps - a) { for c in 0...(steps - a) where a + c <= steps { for d in 0...(steps - b) where b + d <= steps && c + d <= steps {
            let (xfa, xfv, xla, xlv) = (Double(a) / Double(steps), Double(b) / Double(steps), Double(c) / Double(steps), Double(d) / Double(steps))
            let t = min((4 * xfa + xfv) / normFast, (xla + xlv) / normFlat / 2)
            best = max(best, t)
        } } } }
        return best
    }

    @Test func exactLPIsAtLeastTheGridOptimumAndFeasible() throws {
        let reference = gridOptimum()
        let method: PlanningMethod = Solver.hasExactSolver ? .auto : .heuristic
        let allocation = try S.planner([.maxMinFairness], method: method).allocate(pool: Self.pool, workload: Self.workload)
        #expect(allocation.accelerators.sorted() == ["A100", "V100"])
        for job in allocation.jobs { #expect(job.fractions.reduce(0, +) <= 1 + 1e-9) }
        for (k, capacity) in allocation.capacities.enumerated() {
            #expect(allocation.jobs.reduce(0) { $0 + $1.fractions[k] } <= Double(capacity) + 1e-9)
        }
        #expect(abs(fairness(allocation) - allocation.objective) < 1e-9)
        if Solver.hasExactSolver {
            #expect(allocation.objective >= reference - 1e-9)
            #expect(allocation.objective <= reference + 0.05)   // the grid is 1/40 fine
            if let bound = allocation.bound { #expect(bound >= allocation.objective - 1e-7) }
        } else {
            #expect(allocation.objective >= 0.85 * reference)
        }
        // Heterogeneity-aware: the job that gains from A100 gets most of it.
        let fast = try #require(allocation.jobs.first { $0.job == "fast" })
        let a100 = try #require(allocation.accelerators.firstIndex(of: "A100"))
        #expect(fast.fractions[a100] > 0.5)
    }

    @Test func heuristicAllocationIsPositive() throws {
        let throughputs = try DemoData.gavelThroughputs()
        let (pool, workload) = try WorkloadGenerator.gavelAllocationInstance(jobs: 48, gpusPerType: 12, throughputs: throughputs, seed: 5)
        let heuristic = try S.planner([.maxMinFairness], method: .heuristic).allocate(pool: pool, workload: workload)
        #expect(heuristic.method.contains("Garg-Koenemann"))
        #expect(heuristic.objective > 0)
    }

    @Test(.enabled(if: Solver.hasExactSolver, "needs GLPK: compares the heuristic and POP with the exact LP"))
    func heuristicAndPOPAgainstTheExactLP() throws {
        let throughputs = try DemoData.gavelThroughputs()
        let (pool, workload) = try WorkloadGenerator.gavelAllocationInstance(jobs: 48, gpusPerType: 12, throughputs: throughputs, seed: 5)
        let heuristic = try S.planner([.maxMinFairness], method: .heuristic).allocate(pool: pool, workload: workload)
        let exact = try S.planner([.maxMinFairness], method: .auto).allocate(pool: pool, workload: workload)
        #expect(heuristic.objective <= exact.objective + 1e-7)
        #expect(heuristic.objective >= 0.8 * exact.objective)
        if let bound = heuristic.bound { #expect(bound >= exact.objective - 1e-6) }
        // POP: feasible, not better than the whole LP.
        let pop = try S.planner([.maxMinFairness], method: .auto, partitions: 4).allocate(pool: pool, workload: workload)
        #expect(pop.partitions == 4 && pop.method.hasPrefix("POP"))
        #expect(pop.objective <= exact.objective + 1e-7)
        #expect(pop.objective >= 0.5 * exact.objective)
        // Agnostic baseline is not better at heterogeneity-aware fairness.
        let agnostic = try S.planner([.maxMinFairnessAgnostic], method: .auto)
            .allocate(pool: pool, workload: workload, policy: .maxMinFairnessAgnostic)
        #expect(agnostic.policy == "max-min-fairness-agnostic")
        #expect(agnostic.jobs.allSatisfy { $0.fractions.reduce(0, +) <= 1 + 1e-9 })
    }

    @Test func fairnessPlanRealisesTheAllocation() throws {
        let throughputs = try DemoData.gavelThroughputs()
        let (pool, workload) = try WorkloadGenerator.gavelAllocationInstance(jobs: 40, gpusPerType: 8, throughputs: throughputs, seed: 2)
        let plan = try S.planner([.maxMinFairness]).plan(pool: pool, workload: workload)
        #expect(plan.allocation != nil)
        #expect(plan.policies == ["max-min-fairness", "max-utilization"])
        #expect(PlanChecker.check(plan, pool: pool, workload: workload).isEmpty)
        // Each placed job runs on an accelerator its allocation gives time on.
        let allocation = try #require(plan.allocation)
        for entry in plan.placed {
            guard let share = allocation.jobs.first(where: { $0.job == entry.job }),
                  let k = allocation.accelerators.firstIndex(of: entry.accelerator ?? "") else { continue }
            if share.fractions.reduce(0, +) > 0.99 { #expect(share.fractions[k] > 0) }
        }
        #expect(plan.metrics.usedGPUs == 24)
    }
}
