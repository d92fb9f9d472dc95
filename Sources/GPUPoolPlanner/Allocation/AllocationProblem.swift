/// The allocation LP's data in dense per-job, per-accelerator form.
///
/// `x[j][k]` is the fraction of time job `j` runs on accelerator `k`; running there takes
/// `scale[j][k]` GPUs and yields `throughput[j][k]` steps/s (0: not eligible).
struct AllocationProblem: Sendable {
    enum Objective: Sendable {
        /// Gavel's weighted max-min fairness on normalised throughput.
        case maxMinFairness
        /// Total normalised throughput weighted by reference GPUs.
        case maxThroughput
    }

    var jobIDs: [String]
    var capacity: [Double]
    var scale: [[Double]]
    var throughput: [[Double]]
    var weight: [Double]
    /// Throughput of each job on an equal share of the pool (the normalisation), > 0 for eligible jobs.
    var normalizer: [Double]

    var jobCount: Int { jobIDs.count }
    var typeCount: Int { capacity.count }

    /// Normalised throughput per unit of time on `k`: `throughput / normalizer`.
    func rate(_ j: Int, _ k: Int) -> Double {
        normalizer[j] > 0 ? throughput[j][k] / normalizer[j] : 0
    }

    /// Whether job `j` can run anywhere.
    func isEligible(_ j: Int) -> Bool { normalizer[j] > 0 }

    /// Builds the problem from a planning instance. `agnostic` replaces every throughput by the
    /// same value (accelerators treated as equal).
    static func make(instance: PlanningInstance, agnostic: Bool) -> AllocationProblem {
        let typeCount = instance.accelerators.count
        var capacity = [Double](repeating: 0, count: typeCount)
        for node in instance.nodes where node.usable { capacity[node.accelerator] += Double(max(0, node.free)) }
        // Accelerators for which the job has an eligible node group.
        var scale: [[Double]] = []
        var throughput: [[Double]] = []
        for (j, job) in instance.jobs.enumerated() {
            var s = [Double](repeating: 0, count: typeCount)
            var t = [Double](repeating: 0, count: typeCount)
            let usable = job.shapes.indices.map { instance.eligibleAccelerators(job: j, shape: $0) }
            for k in 0..<typeCount {
                for shape in job.shapes.indices where s[k] == 0 && job.shapes[shape].allows(k) {
                    guard usable[shape][k] else { continue }
                    s[k] = Double(job.shapes[shape].gpus)
                    t[k] = agnostic ? 1 : job.throughput[shape][k]
                }
            }
            scale.append(s)
            throughput.append(t)
        }
        return make(
            jobIDs: instance.jobs.map(\.id), capacity: capacity, scale: scale, throughput: throughput,
            weight: instance.jobs.map(\.weight))
    }

    /// Builds the problem and its equal-share normalisation from raw arrays.
    static func make(jobIDs: [String], capacity: [Double], scale: [[Double]], throughput: [[Double]], weight: [Double]) -> AllocationProblem {
        // Equal share: every job gets the same fraction of time on each accelerator, sized so that
        // all jobs together exactly use the pool (capped at all of the time).
        let demand = scale.reduce(0.0) { sum, row in sum + (row.filter { $0 > 0 }.min() ?? 0) }
        var share = capacity.map { demand > 0 ? $0 / demand : 0 }
        let total = share.reduce(0, +)
        if total > 1 { share = share.map { $0 / total } }
        var normalizer: [Double] = []
        for j in jobIDs.indices {
            var value = 0.0
            for k in capacity.indices where scale[j][k] > 0 { value += throughput[j][k] * share[k] }
            if value <= 0 {
                // Eligible only where the equal share is empty: normalise by its best rate.
                value = capacity.indices.filter { scale[j][$0] > 0 }.map { throughput[j][$0] }.max() ?? 0
            }
            normalizer.append(value)
        }
        return AllocationProblem(
            jobIDs: jobIDs, capacity: capacity, scale: scale, throughput: throughput, weight: weight, normalizer: normalizer)
    }

    /// The objective value of `x` and each job's normalised throughput.
    func evaluate(_ x: [[Double]], objective: Objective) -> (value: Double, normalized: [Double]) {
        var normalized = [Double](repeating: 0, count: jobCount)
        for j in 0..<jobCount {
            var v = 0.0
            for k in 0..<typeCount where x[j][k] > 0 { v += rate(j, k) * x[j][k] }
            normalized[j] = v
        }
        switch objective {
        case .maxMinFairness:
            var t = Double.infinity
            for j in 0..<jobCount where isEligible(j) { t = min(t, normalized[j] / weight[j]) }
            return (t.isFinite ? t : 0, normalized)
        case .maxThroughput:
            var total = 0.0
            for j in 0..<jobCount { total += weight[j] * normalized[j] }
            return (total, normalized)
        }
    }

    /// Scales `x` down so that every row holds exactly (guards against solver round-off).
    func repaired(_ x: [[Double]]) -> [[Double]] {
        var x = x.map { $0.map { max(0, $0) } }
        for j in 0..<jobCount {
            for k in 0..<typeCount where scale[j][k] <= 0 { x[j][k] = 0 }
            let sum = x[j].reduce(0, +)
            if sum > 1 { x[j] = x[j].map { $0 / sum } }
        }
        for k in 0..<typeCount {
            var used = 0.0
            for j in 0..<jobCount { used += scale[j][k] * x[j][k] }
            if used > capacity[k], used > 0 {
                let f = capacity[k] / used
                for j in 0..<jobCount { x[j][k] *= f }
            }
        }
        return x
    }
}
