import GPUPoolDomain
import GPUPoolPlanner
import GPUPoolWorkloads
import GPUPoolSolver
import Testing

@Suite("Determinism, generators, decomposition, input errors")
struct DeterminismTests {
    typealias S = TestSupport

    @Test func sameSeedSamePlanBytes() throws {
        let (pool, workload) = try WorkloadGenerator.generate(jobs: 400, gpus: 600, types: 4, seed: 11)
        let (pool2, workload2) = try WorkloadGenerator.generate(jobs: 400, gpus: 600, types: 4, seed: 11)
        #expect(pool == pool2 && workload == workload2)
        let options = PlannerOptions(policies: [.priority, .maxThroughput, .minCost], method: .heuristic, heuristicStarts: 1)
        var a = try Planner(options: options).plan(pool: pool, workload: workload)
        var b = try Planner(options: options).plan(pool: pool2, workload: workload2)
        a.metrics.solveSeconds = 0
        b.metrics.solveSeconds = 0
        #expect(try a.jsonData() == b.jsonData())
        let (other, _) = try WorkloadGenerator.generate(jobs: 400, gpus: 600, types: 4, seed: 12)
        #expect(other != pool)
    }

    @Test func generatorProducesTheAdvertisedMix() throws {
        let (pool, workload) = try WorkloadGenerator.generate(jobs: 2000, gpus: 4000, types: 6, seed: 7)
        #expect(pool.totalGPUs == 4000)
        #expect(Set(pool.nodes.map(\.accelerator)).count == 6)
        #expect(Set(pool.providers.map(\.kind)).count == 3)
        let single = Double(workload.jobs.filter { $0.shape.totalGPUs == 1 }.count) / 2000
        #expect(single >= 0.55 && single <= 0.85)
        #expect(workload.jobs.allSatisfy { ($0.shape.totalGPUs ?? 0) <= 64 })
        #expect(workload.jobs.contains { $0.shape.totalGPUs == 64 })
        #expect(pool.problems().isEmpty && workload.problems(against: pool).isEmpty)
        #expect(throws: PlannerError.self) { try WorkloadGenerator.generate(jobs: 10, gpus: 10, types: 9) }
    }

    @Test func popDecompositionIsFeasibleAndSaysSo() throws {
        let (pool, workload) = try WorkloadGenerator.generate(jobs: 600, gpus: 1200, types: 4, seed: 3)
        let whole = try S.planner([.maxUtilization]).plan(pool: pool, workload: workload)
        let pop = try S.planner([.maxUtilization], partitions: 4).plan(pool: pool, workload: workload)
        #expect(pop.decomposition?.contains("4 partitions") == true)
        #expect(pop.method.hasPrefix("POP k=4"))
        #expect(PlanChecker.check(pop, pool: pool, workload: workload).isEmpty)
        #expect(Double(pop.metrics.usedGPUs) >= 0.9 * Double(whole.metrics.usedGPUs))
        let again = try S.planner([.maxUtilization], partitions: 4).plan(pool: pool, workload: workload)
        #expect(again.jobs == pop.jobs)
    }

    @Test func autoReachesTheGapTargetOnASmallInstance() throws {
        let (pool, workload) = try WorkloadGenerator.generate(jobs: 120, gpus: 400, types: 4, seed: 5)
        let plan = try S.planner([.maxUtilization], method: .auto, timeLimit: 20).plan(pool: pool, workload: workload)
        #expect(PlanChecker.check(plan, pool: pool, workload: workload).isEmpty)
        let gap = try #require(plan.metrics.gap)
        let objective = try #require(plan.metrics.objective)
        let bound = try #require(plan.metrics.bound)
        #expect(objective <= bound + 1e-9)
        // Only the LP bound (with GLPK) is tight enough to certify 1 %; the counting bound is weaker.
        if Solver.hasExactSolver { #expect(gap <= 0.01) }
    }

    @Test func invalidInputListsEveryProblem() {
        let pool = Pool(providers: [S.provider("p")], nodes: [S.node("a"), S.node("a"), S.node("b", provider: "nope")])
        let workload = Workload(jobs: [
            S.job("x", workers: 0), S.job("x"), S.job("y", gpusPerWorker: -2), S.job("z", weight: .nan),
        ])
        do {
            _ = try S.planner([.maxUtilization]).plan(pool: pool, workload: workload)
            Issue.record("expected an error")
        } catch let PlannerError.invalidInput(problems) {
            let text = problems.joined(separator: "\n")
            for needle in ["duplicate", "nope", "workers", "gpusPerWorker", "weight"] {
                #expect(text.contains(needle), "missing '\(needle)' in:\n\(text)")
            }
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(throws: PlannerError.self) {
            try Planner(options: PlannerOptions(timeLimit: -1, partitions: 0)).plan(pool: Pool(providers: [], nodes: []), workload: Workload(jobs: []))
        }
    }

    @Test func emptyInputsGiveEmptyPlans() throws {
        let plan = try S.planner([.maxUtilization]).plan(pool: Pool(providers: [], nodes: []), workload: Workload(jobs: []))
        #expect(plan.jobs.isEmpty && plan.metrics.utilization == 0)
        let none = try S.planner([.maxMinFairness]).plan(pool: Pool(providers: [], nodes: []),
                                                          workload: Workload(jobs: [S.job("a")]))
        #expect(none.job("a")?.reason?.code == .noEligibleNode)
    }

    @Test func exactRefusesWithoutSolverOrWhenTooLarge() throws {
        let (pool, workload) = try WorkloadGenerator.generate(jobs: 200, gpus: 400, types: 3, seed: 1)
        let options = PlannerOptions(policies: [.maxUtilization], method: .exact, maxExactVariables: 10)
        #expect(throws: PlannerError.self) { try Planner(options: options).plan(pool: pool, workload: workload) }
    }
}
