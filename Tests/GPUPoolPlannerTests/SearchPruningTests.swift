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
}
