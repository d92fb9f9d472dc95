/// One linear objective of the lexicographic sequence, always maximised.
enum StageTerm: Sendable, Hashable {
    /// GPUs placed of the jobs whose priority is exactly this tier.
    case tier(Int)
    /// GPUs placed.
    case utilization
    /// The job's reference GPUs (preferred shape) × throughput of the chosen shape and accelerator
    /// ÷ the job's best throughput: "best-accelerator GPU equivalents" of useful work.
    case throughput
    /// Minus the price per hour of the GPUs used.
    case cost
    /// `Σ log P` over the nodes each placed gang uses (≤ 0).
    case availability
    /// GPUs placed × the allocation's time fraction for the chosen accelerator.
    case allocationShare

    /// Display name used in plan stage reports.
    var name: String {
        switch self {
        case let .tier(p): return "priority-tier-\(p)"
        case .utilization: return "max-utilization"
        case .throughput: return "max-throughput"
        case .cost: return "min-cost"
        case .availability: return "max-availability"
        case .allocationShare: return "allocation-share"
        }
    }

    /// Whether the reported objective is the negation of the maximised term (costs).
    var reportsNegated: Bool { self == .cost }

    /// The terms for an effective policy order; `tiers` lists the distinct priorities, highest first.
    static func terms(for policies: [PlanningPolicy], tiers: [Int]) -> [StageTerm] {
        var terms: [StageTerm] = []
        for policy in policies {
            switch policy {
            case .priority:
                // One tier alone says nothing beyond utilisation; keep the stage count small.
                if tiers.count > 1 { terms.append(contentsOf: tiers.map { .tier($0) }) }
            case .maxUtilization: terms.append(.utilization)
            case .maxThroughput: terms.append(.throughput)
            case .minCost: terms.append(.cost)
            case .maxAvailability: terms.append(.availability)
            case .maxMinFairness, .maxMinFairnessAgnostic: terms.append(.allocationShare)
            case .fifo: terms.append(.utilization)
            }
        }
        var unique: [StageTerm] = []
        for t in terms where !unique.contains(t) { unique.append(t) }
        return unique
    }
}

/// Per-job values the terms need, computed once.
struct TermContext: Sendable {
    /// `throughputRatio[j][s][k]`: throughput of shape s of job j on accelerator k ÷ the job's best.
    var throughputRatio: [[[Double]]]
    /// `share[j][k]`: the allocation's time fraction of job j on accelerator k (empty without allocation).
    var share: [[Double]]

    init(throughputRatio: [[[Double]]], share: [[Double]]) {
        self.throughputRatio = throughputRatio
        self.share = share
    }

    init(instance: PlanningInstance, share: [[Double]]) {
        throughputRatio = instance.jobs.indices.map { j in
            let job = instance.jobs[j]
            // best(j): over the shapes and the models with a schedulable eligible node (Docs/Planning.md).
            var best = 0.0
            for s in job.shapes.indices {
                for (k, usable) in instance.eligibleAccelerators(job: j, shape: s).enumerated() where usable {
                    best = max(best, job.throughput[s][k])
                }
            }
            if best <= 0 { best = 1 }
            return job.throughput.map { row in row.map { min(1, max(0, $0 / best)) } }
        }
        self.share = share
    }

    /// Value of a placement of job `j` (shape gpus `gpus`, accelerator `k`) under `term`, given the
    /// summed price per hour and summed log-availability of the nodes it uses.
    func value(
        _ term: StageTerm, job j: Int, priority: Int, gpus: Int, referenceGPUs: Int, shape s: Int,
        accelerator k: Int, costPerHour: Double, logAvailability: Double
    ) -> Double {
        switch term {
        case let .tier(p): return priority == p ? Double(gpus) : 0
        case .utilization: return Double(gpus)
        case .throughput: return Double(referenceGPUs) * throughputRatio[j][s][k]
        case .cost: return -costPerHour
        case .availability: return logAvailability
        case .allocationShare: return share.isEmpty ? 0 : Double(gpus) * share[j][k]
        }
    }
}

/// Lexicographic comparison of term vectors with a relative tolerance per entry.
enum Lexicographic {
    /// `-1` if `a` is worse than `b`, `1` if better, `0` if equal within `tolerance`.
    static func compare(_ a: [Double], _ b: [Double], tolerance: Double = 1e-9) -> Int {
        for i in 0..<min(a.count, b.count) {
            let scale = max(1, abs(a[i]), abs(b[i]))
            if a[i] > b[i] + tolerance * scale { return 1 }
            if a[i] < b[i] - tolerance * scale { return -1 }
        }
        return 0
    }

    /// Whether no vector that is entry by entry at most `upper` can compare better than `current`
    /// under ``compare(_:_:tolerance:)`` with the same tolerance: then a search may skip every
    /// option that `upper` bounds. Exact, not a heuristic cut: an entry within the tolerance
    /// passes to the next one, as `compare` does, and the first entry clearly below decides.
    static func cannotExceed(_ upper: [Double], _ current: [Double], tolerance: Double) -> Bool {
        for i in 0..<min(upper.count, current.count) {
            let scale = max(1, abs(current[i]))
            if upper[i] > current[i] + tolerance * scale { return false }
            if upper[i] < current[i] - tolerance * max(scale, abs(upper[i])) { return true }
        }
        return true
    }
}
