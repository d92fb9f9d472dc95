@testable import GPUPoolPlanner
import GPUPoolDomain
import GPUPoolSupport
import GPUPoolWorkloads
import Testing

/// The shortcuts the placement search takes must answer exactly what the long way answers:
/// eligibility per accelerator from group kinds against asking every group, and the skip test
/// on upper bounds against `Lexicographic.compare` on vectors below them.
@Suite("Search shortcuts agree with the long way")
struct SearchPruningTests {
    @Test(arguments: [UInt64(1), 2, 3])
    func eligibleAcceleratorsMatchesEveryGroup(seed: UInt64) throws {
        let (pool, workload) = try WorkloadGenerator.generateRealistic(jobs: 300, gpus: 2_400, nodes: 300, seed: seed)
        let instance = try InstanceBuilder.build(pool: pool, workload: workload, options: PlannerOptions(), current: nil).instance
        #expect(instance.groupKinds.count <= instance.groups.count)
        var differing = 0
        for j in instance.jobs.indices {
            let anyShape = instance.accelerators.indices.map { k in
                instance.jobs[j].shapes.indices.contains { s in
                    instance.groups.indices.contains { instance.groups[$0].accelerator == k && instance.eligible(job: j, shape: s, group: $0) }
                }
            }
            if instance.eligibleAccelerators(job: j) != anyShape { differing += 1 }
            for s in instance.jobs[j].shapes.indices {
                let fast = instance.eligibleAccelerators(job: j, shape: s)
                let slow = instance.accelerators.indices.map { k in
                    instance.groups.indices.contains { instance.groups[$0].accelerator == k && instance.eligible(job: j, shape: s, group: $0) }
                }
                if fast != slow { differing += 1 }
                // Not vacuous: the generator's jobs are restricted in model, memory and provider.
            }
        }
        #expect(differing == 0)
        let restricted = instance.jobs.indices.filter { j in instance.eligibleAccelerators(job: j, shape: 0).contains(false) }
        #expect(!restricted.isEmpty)
    }

    @Test func cannotExceedNeverHidesABetterVector() {
        var rng = SeededGenerator(seed: 7)
        let tolerance = 1e-7
        var skipped = 0, kept = 0
        func value() -> Double {
            // Magnitudes from 0 to 10^4, both signs, and values within the tolerance of each other.
            let base = [0.0, 1, -1, 12.5, -3_000, 9_999][rng.nextInt(below: 6)]
            return base + Double(rng.nextInt(below: 5) - 2) * [0, 1e-9, 1e-8, 1e-7, 1e-6, 0.5][rng.nextInt(below: 6)] * max(1, abs(base))
        }
        for _ in 0..<20_000 {
            let n = 1 + rng.nextInt(below: 4)
            let current = (0..<n).map { _ in value() }
            let upper = (0..<n).map { i in rng.nextInt(below: 3) == 0 ? current[i] : value() }
            guard Lexicographic.cannotExceed(upper, current, tolerance: tolerance) else { kept += 1; continue }
            skipped += 1
            // Vectors below the upper bound, entry by entry: at it, a hair below, or far below.
            for _ in 0..<8 {
                let below = upper.map { u in u - [0, 1e-9 * max(1, abs(u)), 1e-7 * max(1, abs(u)), 1, 1_000][rng.nextInt(below: 5)] }
                #expect(Lexicographic.compare(below, current, tolerance: tolerance) <= 0, "upper \(upper), current \(current), below \(below)")
            }
        }
        #expect(skipped > 1_000 && kept > 1_000)
    }

    /// The pair exchange's lazy merge of per-model streams must list exactly the groups where a
    /// placed job would score strictly better (allowed model, a node as large as its gang, memory,
    /// provider, budget), best first and ties by group index: the list the exchange sorted before.
    static let exchangeCases: [(seed: UInt64, terms: [StageTerm])] = [
        (1, [.utilization, .cost]),
        (2, [.availability]),
        (3, [.tier(3), .tier(2), .throughput, .cost]),
        (4, [.cost, .availability]),
    ]

    @Test(arguments: exchangeCases)
    func betterGroupsListsEveryBetterGroupBestFirst(seed: UInt64, terms: [StageTerm]) throws {
        let (pool, workload) = try WorkloadGenerator.generateRealistic(jobs: 400, gpus: 2_400, nodes: 300, seed: seed)
        let instance = try InstanceBuilder.build(pool: pool, workload: workload, options: PlannerOptions(), current: nil).instance
        let context = TermContext(instance: instance, share: [])
        var placer = GreedyPlacer(instance: instance, terms: terms, context: context)
        placer.place(order: Array(instance.jobs.indices))
        var listed = 0, acrossModels = 0, checked = 0
        for a in instance.jobs.indices {
            guard let decision = placer.decisions[a], decision.parts.count == 1 else { continue }
            let job = instance.jobs[a]
            let shape = job.shapes[decision.shape]
            let current = placer.vector(of: decision, job: a, withKeepBonus: true)
            // The long way: every group, scored and filtered on its own, then sorted.
            var expected: [(group: Int, vector: [Double])] = []
            for (g, group) in instance.groups.enumerated() where shape.allows(group.accelerator) {
                let cost = group.pricePerGPU * Double(shape.gpus)
                let vector = terms.map {
                    context.value($0, job: a, priority: job.priority, gpus: shape.gpus, referenceGPUs: job.referenceGPUs,
                                  shape: decision.shape, accelerator: group.accelerator, costPerHour: cost,
                                  logAvailability: group.logAvailability)
                }
                guard Lexicographic.compare(vector, current, tolerance: 1e-7) > 0, group.maxNodeGPUs >= shape.gpus,
                      instance.eligible(job: a, shape: decision.shape, group: g) else { continue }
                if let budget = job.budgetPerHour, cost > budget + 1e-9 { continue }
                expected.append((g, vector))
            }
            expected.sort { Lexicographic.compare($0.vector, $1.vector) > 0 || (Lexicographic.compare($0.vector, $1.vector) == 0 && $0.group < $1.group) }
            let ranked = placer.rankedGroupsByAccelerator.map { $0.filter { instance.groups[$0].maxNodeGPUs >= shape.gpus } }
            var better = GreedyPlacer.BetterGroups(placer: placer, ranked: ranked, job: a, shape: decision.shape, current: current)
            var lazy: [Int] = []
            while let g = better.next(placer: placer) { lazy.append(g) }
            #expect(lazy == expected.map(\.group), "job \(a)")
            checked += 1
            listed += lazy.count
            if Set(lazy.map { instance.groups[$0].accelerator }).count > 1 { acrossModels += 1 }
        }
        // Not vacuous: jobs with better groups, some of them on more than one model.
        #expect(checked > 100 && listed > 100)
        if terms.contains(.cost) || terms.contains(.availability) { #expect(acrossModels > 0) }
    }
}
