import Foundation

/// Allocation without an LP solver.
///
/// Max-min fairness is a maximum concurrent flow: job `j` must receive `λ·w_j` units of normalised
/// throughput; one unit through accelerator `k` uses `scale/rate` GPUs of `k` and `1/rate` of the
/// job's time. The Garg–Könemann multiplicative-weights algorithm (Fleischer's phase variant) finds
/// a `(1 − ε)³`-optimal feasible flow and, from its lengths, a proven upper bound on `λ`.
/// Max-throughput is a fractional transportation problem, filled greedily by value per GPU.
enum AllocationHeuristic {
    struct Result {
        var x: [[Double]]
        var objective: Double
        var bound: Double?
        var solver: String
    }

    /// - Parameter deadline: when max-min fairness's phases stop (the flow found so far, scaled to
    ///   be feasible, is returned with its bound); `nil` runs them to the end.
    static func solve(_ problem: AllocationProblem, objective: AllocationProblem.Objective, epsilon: Double = 0.05,
                      deadline: ContinuousClock.Instant? = nil) -> Result {
        switch objective {
        case .maxMinFairness: return concurrentFlow(problem, epsilon: epsilon, deadline: deadline)
        case .maxThroughput: return greedyThroughput(problem)
        }
    }

    // MARK: Max-min fairness

    static func concurrentFlow(_ p: AllocationProblem, epsilon eps: Double, deadline: ContinuousClock.Instant? = nil) -> Result {
        let jobs = (0..<p.jobCount).filter { j in p.isEligible(j) && (0..<p.typeCount).contains { p.scale[j][$0] > 0 && p.rate(j, $0) > 0 } }
        let empty = [[Double]](repeating: [Double](repeating: 0, count: p.typeCount), count: p.jobCount)
        guard !jobs.isEmpty else { return Result(x: empty, objective: 0, bound: 0, solver: "heuristic: trivial") }
        let types = (0..<p.typeCount).filter { p.capacity[$0] > 0 }
        // Resources: accelerators 0..<T, then each job's time T + position.
        let T = p.typeCount
        let m = Double(types.count + jobs.count)
        var capacity = p.capacity
        capacity.append(contentsOf: repeatElement(1.0, count: jobs.count))
        let delta = (1 + eps) / pow((1 + eps) * m, 1 / eps)
        var length = capacity.map { $0 > 0 ? delta / $0 : .infinity }

        // Scale demands so that the optimum lies in [1, J]: each job alone can get z_j.
        var alone = [Double](repeating: 0, count: jobs.count)
        for (position, j) in jobs.enumerated() {
            let options = (0..<T).filter { p.scale[j][$0] > 0 && p.capacity[$0] > 0 }.sorted { p.rate(j, $0) > p.rate(j, $1) }
            var time = 1.0
            var z = 0.0
            for k in options where time > 0 {
                let x = min(time, p.capacity[k] / p.scale[j][k])
                z += x * p.rate(j, k)
                time -= x
            }
            alone[position] = z
        }
        // Upper bounds on t: every job alone, and all GPUs at each job's best rate per GPU.
        var upper = zip(jobs, alone).map { $1 / p.weight[$0] }.min() ?? 0
        var gpuNeed = 0.0
        for j in jobs {
            let bestPerGPU = (0..<T).filter { p.scale[j][$0] > 0 && p.capacity[$0] > 0 }.map { p.rate(j, $0) / p.scale[j][$0] }.max() ?? 0
            if bestPerGPU > 0 { gpuNeed += p.weight[j] / bestPerGPU }
        }
        let totalCapacity = types.reduce(0.0) { $0 + p.capacity[$1] }
        if gpuNeed > 0 { upper = min(upper, totalCapacity / gpuNeed) }
        guard upper > 0 else { return Result(x: empty, objective: 0, bound: 0, solver: "heuristic: trivial") }
        // Demands at the upper bound put the optimum λ* in (0, 1]: few phases.
        let demandScale = upper
        let demand = jobs.map { p.weight[$0] * demandScale }

        // Each job's usable accelerators in flat arrays (the phases below visit every job thousands
        // of times): the GPUs and the job time one unit of normalised throughput takes there.
        var first = [Int](repeating: 0, count: jobs.count + 1)
        // `limit` is the most one step may route there: the whole accelerator or the job's whole time.
        var typeOf: [Int] = [], gpuUse: [Double] = [], timeUse: [Double] = [], limit: [Double] = []
        for (position, j) in jobs.enumerated() {
            first[position] = typeOf.count
            for k in types where p.scale[j][k] > 0 && p.rate(j, k) > 0 {
                let r = p.rate(j, k)
                typeOf.append(k)
                gpuUse.append(p.scale[j][k] / r)
                timeUse.append(1 / r)
                limit.append(min(capacity[k] / (p.scale[j][k] / r), capacity[T + position] / (1 / r)))
            }
        }
        first[jobs.count] = typeOf.count

        var flow = [Double](repeating: 0, count: jobs.count * T)
        var dual = capacity.indices.reduce(0.0) { $0 + (capacity[$1].isFinite && capacity[$1] > 0 ? capacity[$1] * length[$1] : 0) }
        var bestBound = Double.infinity
        var phases = 0
        // Any flow divided by its worst congestion (below) is feasible, so the phases may stop at
        // the deadline: the result is then further from the optimum, and its bound still holds.
        var stopped = false
        let jobCount = jobs.count
        // The phases touch only these arrays: unchecked access (every index below is in range by
        // construction: `first` spans `typeOf`, whose entries are accelerators < T).
        first.withUnsafeBufferPointer { first in
        typeOf.withUnsafeBufferPointer { typeOf in
        gpuUse.withUnsafeBufferPointer { gpuUse in
        timeUse.withUnsafeBufferPointer { timeUse in
        limit.withUnsafeBufferPointer { limit in
        demand.withUnsafeBufferPointer { demand in
        capacity.withUnsafeBufferPointer { capacity in
        length.withUnsafeMutableBufferPointer { length in
        flow.withUnsafeMutableBufferPointer { flow in
            while dual < 1 && phases < 100_000 {
                if let deadline, phases > 0, ContinuousClock.now >= deadline {
                    stopped = true
                    break
                }
                phases += 1
                // Weak duality with the lengths at the start of the phase: λ* ≤ D(ℓ)/α(ℓ), where
                // α(ℓ) = Σ_j d_j·(cheapest path of j). It holds for any phase's lengths, so it is
                // taken in the first phases and then every sixteenth: it costs as much as routing,
                // and over thousands of phases the lengths move little from one to the next.
                if phases <= 4 || phases % 16 == 0 {
                    var alpha = 0.0
                    for position in 0..<jobCount {
                        var cheapest = Double.infinity
                        let timeLength = length[T + position]
                        for i in first[position]..<first[position + 1] {
                            cheapest = min(cheapest, length[typeOf[i]] * gpuUse[i] + timeLength * timeUse[i])
                        }
                        if cheapest.isFinite { alpha += demand[position] * cheapest }
                    }
                    if alpha > 0 { bestBound = min(bestBound, dual / alpha) }
                }
                for position in 0..<jobCount {
                    var remaining = demand[position]
                    let time = T + position
                    while remaining > 1e-15 && dual < 1 {
                        var best = -1
                        var bestCost = Double.infinity
                        for i in first[position]..<first[position + 1] {
                            let cost = length[typeOf[i]] * gpuUse[i] + length[time] * timeUse[i]
                            if cost < bestCost { bestCost = cost; best = i }
                        }
                        guard best >= 0 else { break }
                        let k = typeOf[best], gpus = gpuUse[best], hours = timeUse[best]
                        let amount = min(remaining, limit[best])
                        flow[position * T + k] += amount
                        remaining -= amount
                        let gpuGrowth = length[k] * eps * amount * gpus / capacity[k]
                        let timeGrowth = length[time] * eps * amount * hours / capacity[time]
                        length[k] += gpuGrowth
                        length[time] += timeGrowth
                        dual += gpuGrowth * capacity[k] + timeGrowth * capacity[time]
                    }
                }
            }
        } } } } } } } } }
        // Make the flow feasible exactly: divide by the worst congestion.
        var x = empty
        for (position, j) in jobs.enumerated() {
            for k in 0..<T where flow[position * T + k] > 0 { x[j][k] = flow[position * T + k] / p.rate(j, k) }
        }
        var congestion = 0.0
        for k in types {
            var used = 0.0
            for j in jobs { used += p.scale[j][k] * x[j][k] }
            congestion = max(congestion, used / p.capacity[k])
        }
        for j in jobs { congestion = max(congestion, x[j].reduce(0, +)) }
        if congestion > 0 { x = x.map { $0.map { $0 / congestion } } }
        x = p.repaired(x)
        // Give idle capacity to the jobs that can use it, without lowering anyone.
        x = fillIdleCapacity(p, x)
        let value = p.evaluate(x, objective: .maxMinFairness).value
        let bound = bestBound.isFinite ? max(value, bestBound * demandScale) : nil
        let name = String(format: "heuristic: Garg-Koenemann concurrent flow (eps %.2f, %d phases", eps, phases)
            + (stopped ? ", stopped at the time limit)" : ")")
        return Result(x: x, objective: value, bound: bound, solver: name)
    }

    /// Hands leftover accelerator capacity to jobs with leftover time, best rate per GPU first.
    static func fillIdleCapacity(_ p: AllocationProblem, _ x: [[Double]]) -> [[Double]] {
        var x = x
        var free = p.capacity
        for k in 0..<p.typeCount { for j in 0..<p.jobCount { free[k] -= p.scale[j][k] * x[j][k] } }
        var pairs: [(j: Int, k: Int, value: Double)] = []
        for j in 0..<p.jobCount where p.isEligible(j) {
            for k in 0..<p.typeCount where p.scale[j][k] > 0 && p.rate(j, k) > 0 {
                pairs.append((j, k, p.rate(j, k) / p.scale[j][k]))
            }
        }
        pairs.sort { ($0.value, -$0.j, -$0.k) > ($1.value, -$1.j, -$1.k) }
        for pair in pairs where free[pair.k] > 1e-12 {
            let time = 1 - x[pair.j].reduce(0, +)
            guard time > 1e-12 else { continue }
            let add = min(time, free[pair.k] / p.scale[pair.j][pair.k])
            x[pair.j][pair.k] += add
            free[pair.k] -= add * p.scale[pair.j][pair.k]
        }
        return p.repaired(x)
    }

    // MARK: Max-throughput

    static func greedyThroughput(_ p: AllocationProblem) -> Result {
        let empty = [[Double]](repeating: [Double](repeating: 0, count: p.typeCount), count: p.jobCount)
        let x = fillIdleCapacity(p, empty)
        // Bound: every GPU at the best value per GPU any job offers on its accelerator.
        var bound = 0.0
        for k in 0..<p.typeCount {
            var best = 0.0
            for j in 0..<p.jobCount where p.scale[j][k] > 0 { best = max(best, p.weight[j] * p.rate(j, k) / p.scale[j][k]) }
            bound += best * p.capacity[k]
        }
        var byJob = 0.0
        for j in 0..<p.jobCount {
            byJob += p.weight[j] * ((0..<p.typeCount).map { p.rate(j, $0) }.max() ?? 0)
        }
        let value = p.evaluate(x, objective: .maxThroughput).value
        return Result(x: x, objective: value, bound: max(value, min(bound, byJob)), solver: "heuristic: greedy by throughput per GPU")
    }
}
