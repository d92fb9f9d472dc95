@testable import GPUPoolPlanner
import GPUPoolSupport
import Testing

/// The placer's free-capacity index against a plain scan of the nodes, under random changes of
/// free GPUs: best fit (fewest free GPUs that still hold a demand), largest, worker capacity and
/// the per-group totals and the largest free count below a limit must agree after every change. Groups of up to 63 GPUs per node take the
/// index's bitmask path, larger ones its scan.
@Suite("Free-capacity index")
struct FreeCapacityIndexTests {
    /// Nodes with `sizes[i]` GPUs, `groups` groups of one accelerator, dealt round-robin.
    static func instance(sizes: [Int], groups: Int) -> PlanningInstance {
        var nodes: [NodeRecord] = []
        for (i, size) in sizes.enumerated() {
            let g = i % groups
            nodes.append(NodeRecord(
                id: "n\(i)", accelerator: 0, region: 0, regionName: 0, provider: 0, gpuCount: size, free: size,
                memoryGiB: 80, pricePerGPU: Double(g + 1), logAvailability: 0, usable: true))
        }
        var instance = PlanningInstance(accelerators: ["A100"], regions: ["r"], providers: ["p"], tenants: [],
                                        tenantQuota: [], nodes: nodes, jobs: [])
        instance.buildGroups()
        return instance
    }

    @Test(arguments: [(seed: UInt64(1), maxGPUs: 8), (seed: 2, maxGPUs: 16), (seed: 3, maxGPUs: 63), (seed: 4, maxGPUs: 64), (seed: 5, maxGPUs: 96)])
    func agreesWithAScanUnderRandomChanges(seed: UInt64, maxGPUs: Int) {
        var rng = SeededGenerator(seed: seed)
        let sizes = (0..<60).map { _ in 1 + rng.nextInt(below: maxGPUs) }
        let instance = Self.instance(sizes: sizes, groups: 4)
        var index = FreeCapacityIndex(instance: instance)
        var free = sizes
        for step in 0..<3_000 {
            let n = rng.nextInt(below: sizes.count)
            free[n] = rng.nextInt(below: sizes[n] + 1)
            index.setFree(n, free[n])
            let g = instance.nodes[n].group
            let members = instance.groups[g].nodes
            let need = rng.nextInt(below: maxGPUs + 2)
            let excluded = (0..<rng.nextInt(below: 3)).map { _ in members[rng.nextInt(below: members.count)] }
            let open = members.filter { !excluded.contains($0) && free[$0] >= max(need, 1) }

            let fit = index.bestFit(group: g, atLeast: need, excluding: excluded)
            let fewest = open.map { free[$0] }.min()
            #expect(fit?.free == fewest, "step \(step): best fit \(String(describing: fit)), scan \(String(describing: fewest))")
            if let fit { #expect(free[fit.node] == fit.free && open.contains(fit.node), "step \(step)") }

            let big = index.largest(group: g, atLeast: need, excluding: excluded)
            let most = open.map { free[$0] }.max()
            #expect(big?.free == most, "step \(step): largest \(String(describing: big)), scan \(String(describing: most))")
            if let big { #expect(free[big.node] == big.free && open.contains(big.node), "step \(step)") }

            // The largest free count below a limit (where the pair exchange's node walk starts).
            let limit = rng.nextInt(below: maxGPUs + 2)
            let below = members.map { free[$0] }.filter { $0 < limit }.max()
            #expect(index.largestFree(group: g, below: limit) == below, "step \(step): below \(limit)")

            let gpw = 1 + rng.nextInt(below: 8)
            #expect(index.workerCapacity(group: g, gpusPerWorker: gpw) == members.reduce(0) { $0 + free[$1] / gpw })
            #expect(index.groupFree[g] == members.reduce(0) { $0 + free[$1] })
            #expect(index.groupMaxFree[g] == members.map { free[$0] }.max())
        }
    }
}
