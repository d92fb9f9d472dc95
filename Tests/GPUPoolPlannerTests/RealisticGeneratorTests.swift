import GPUPoolDomain
import GPUPoolPlanner
import GPUPoolWorkloads
import Testing

@Suite("Feature-rich benchmark generator")
struct RealisticGeneratorTests {
    @Test func deterministicPerSeedAndEveryFeaturePresent() throws {
        let (pool, workload) = try WorkloadGenerator.generateRealistic(jobs: 1500, gpus: 15_000, seed: 4)
        let (pool2, workload2) = try WorkloadGenerator.generateRealistic(jobs: 1500, gpus: 15_000, seed: 4)
        #expect(pool == pool2 && workload == workload2)
        let (other, otherWorkload) = try WorkloadGenerator.generateRealistic(jobs: 1500, gpus: 15_000, seed: 5)
        #expect(other != pool && otherWorkload != workload)

        // Pool: exact GPU count, ~gpus/8 nodes, 5 providers of every kind, both vendors, unhealthy nodes.
        #expect(pool.totalGPUs == 15_000)
        #expect(pool.nodes.count > 15_000 / 10 && pool.nodes.count < 15_000 / 6)
        #expect(pool.providers.count == 5 && Set(pool.providers.map(\.kind)).count == 3)
        #expect(Set(pool.nodes.map(\.vendor)) == ["NVIDIA", "AMD"])
        #expect(pool.nodes.contains { !$0.isSchedulable } && pool.nodes.contains { $0.health == .suspect })
        #expect(pool.nodes.contains { $0.availability != nil } && pool.providers.contains { $0.availability != nil })
        #expect(pool.nodes.contains { $0.spotPricePerGPUHour != nil } && pool.nodes.contains { $0.zone != nil })
        #expect(Set(pool.nodes.map(\.gpuCount)).count >= 4)

        // Workload: every locality, gangs over several nodes, every restriction kind.
        let jobs = workload.jobs
        for locality in Locality.allCases { #expect(jobs.contains { $0.locality == locality }) }
        #expect(jobs.contains { $0.shape.workers > 1 && ($0.shape.totalGPUs ?? 0) > 16 })
        #expect(!workload.tenantQuotas.isEmpty && Set(jobs.map(\.tenant)).count > workload.tenantQuotas.count)
        #expect(jobs.contains { $0.budgetPerHour != nil })
        #expect(jobs.contains { !$0.alternatives.isEmpty })
        #expect(jobs.contains { $0.shape.accelerators != nil })
        #expect(jobs.contains { $0.minGPUMemoryGiB > 0 })
        #expect(jobs.contains { $0.allowedProviders != nil } && jobs.contains { !$0.deniedProviders.isEmpty })
        #expect(jobs.contains { $0.preferredRegion != nil } && jobs.contains { $0.throughput.values.contains(0) })
        #expect(Set(jobs.map(\.priority)).count >= 3)
        let requested = jobs.reduce(0) { $0 + ($1.shape.totalGPUs ?? 0) }
        let load = Double(requested) / Double(pool.totalGPUs)
        #expect(load > 0.6 && load < 1.0)

        // Valid input.
        #expect(pool.problems().isEmpty && workload.problems(against: pool).isEmpty)
        #expect(throws: PlannerError.self) { try WorkloadGenerator.generateRealistic(jobs: 10, gpus: 10, nodes: 11) }
    }

    @Test func plansPassTheChecker() throws {
        let (pool, workload) = try WorkloadGenerator.generateRealistic(jobs: 300, gpus: 3000, seed: 9)
        for policies in [[PlanningPolicy.minCost], [.priority, .maxThroughput, .minCost], [.maxMinFairness], [.fifo]] {
            let plan = try Planner(options: PlannerOptions(policies: policies, method: .heuristic, heuristicStarts: 2))
                .plan(pool: pool, workload: workload)
            #expect(PlanChecker.check(plan, pool: pool, workload: workload).isEmpty)
            #expect(plan.metrics.placedJobs > 150)
        }
    }

    @Test func nodesOptionScalesNodeSizes() throws {
        let (pool, _) = try WorkloadGenerator.generateRealistic(jobs: 10, gpus: 8000, nodes: 2000, seed: 2)
        #expect(pool.totalGPUs == 8000)
        #expect(pool.nodes.count > 1500 && pool.nodes.count < 2600)
    }
}
