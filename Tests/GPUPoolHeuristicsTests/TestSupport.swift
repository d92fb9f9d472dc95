import GPUPoolSupport
import Foundation
import GPUPoolTestSupport
@testable import GPUPoolHeuristics

/// Package root, found from this file's location.
let packageRoot = TestPaths.packageRoot
/// The shared OR-Library GAP files (`../shared/data/gap` from the package root).
let gapDirectory = TestPaths.sharedData.appendingPathComponent("gap")
let gapDataPresent = FileManager.default.fileExists(atPath: gapDirectory.appendingPathComponent("gap1.txt").path)

/// Optimum by enumerating every assignment, with its own feasibility test (no shared code with
/// the heuristics or the problem's checker). Returns the best objective in the problem's sense,
/// or nil when no assignment is feasible.
func bruteForceOptimum(_ p: AssignmentProblem) -> Double? {
    let n = p.itemCount, m = p.binCount, d = p.dimensionCount
    // Choice per item: 0..<m a bin, m = unassigned.
    var choice = [Int](repeating: 0, count: n)
    var best: Double? = nil
    func better(_ a: Double, _ b: Double?) -> Bool {
        guard let b else { return true }
        return p.sense == .minimize ? a < b - 1e-9 : a > b + 1e-9
    }
    while true {
        var ok = true
        var load = [Double](repeating: 0, count: m * d)
        var value = 0.0
        for i in 0..<n {
            let c = choice[i]
            if c == m {
                guard let penalty = p.unassignedPenalty(item: i) else { ok = false; break }
                value += p.sense == .minimize ? penalty : -penalty
            } else {
                guard p.isEligible(item: i, bin: c) else { ok = false; break }
                value += p.cost(item: i, bin: c)
                for k in 0..<d { load[c * d + k] += p.demand(item: i, bin: c, dimension: k) }
            }
        }
        if ok {
            for b in 0..<m { for k in 0..<d where load[b * d + k] > p.capacity(bin: b, dimension: k) + 1e-9 { ok = false } }
        }
        if ok && better(value, best) { best = value }
        // Next combination (odometer over m + 1 choices).
        var i = 0
        while i < n {
            choice[i] += 1
            if choice[i] <= m { break }
            choice[i] = 0
            i += 1
        }
        if i == n { break }
    }
    return best
}

/// A small random problem with integer data, some ineligible pairs, optional items and `d` dimensions.
func tinyProblem(seed: UInt64, items: Int, bins: Int, dimensions: Int, sense: AssignmentSense) throws -> AssignmentProblem {
    var rng = SeededGenerator(seed: seed)
    var costs = [[Double]](repeating: [], count: bins)
    var demands = [[[Double]]](repeating: [[Double]](repeating: [], count: bins), count: dimensions)
    var eligible = [[Bool]](repeating: [], count: bins)
    for b in 0..<bins {
        for _ in 0..<items {
            costs[b].append(Double(rng.nextInt(in: 1...30)))
            eligible[b].append(rng.nextInt(below: 5) != 0)
        }
        for k in 0..<dimensions { for _ in 0..<items { demands[k][b].append(Double(rng.nextInt(in: 1...10))) } }
    }
    let capacities = (0..<dimensions).map { _ in (0..<bins).map { _ in Double(rng.nextInt(in: 8...20)) } }
    let penalties: [Double?] = (0..<items).map { _ in rng.nextInt(below: 3) == 0 ? Double(rng.nextInt(in: 5...40)) : nil }
    return try AssignmentProblem(
        name: "tiny-\(seed)", sense: sense, costs: costs, demands: demands, capacities: capacities,
        eligible: eligible, unassignedPenalties: penalties)
}
