import GPUPoolDomain

/// A plan's value under one policy's own objective, recomputed from its placements — what the
/// validation harness scores a plan by (Docs/Validation.md, "Planner instances").
///
/// The objectives are the stage terms of Docs/Planning.md: `max-utilization` GPUs placed;
/// `max-throughput` the best-accelerator GPU equivalents of useful work; `min-cost` the price per hour
/// of the GPUs in use (reported positive, smaller is better); `max-availability` `Σ log P` over the
/// nodes of each placed gang (≤ 0). Policies without one scalar objective of their own (priority tiers,
/// fifo, the fairness policies) are not scored.
public enum PlanScore {
    /// The policies a plan can be scored under.
    public static let scoredPolicies: [PlanningPolicy] = [.maxUtilization, .maxThroughput, .minCost, .maxAvailability]

    /// Whether larger values are better under `policy`.
    public static func maximizes(_ policy: PlanningPolicy) -> Bool { policy != .minCost }

    /// The value of `plan` under `policy`.
    /// - Throws: ``PlannerError/invalidInput(_:)`` for a policy that is not scored, an invalid pool or
    ///   workload, or placements that name unknown jobs, shapes, nodes or models (check the plan with
    ///   ``PlanChecker`` first: this only scores).
    public static func value(of plan: Plan, policy: PlanningPolicy, pool: Pool, workload: Workload,
                             options: PlannerOptions = PlannerOptions()) throws(PlannerError) -> Double {
        let term: StageTerm
        switch policy {
        case .maxUtilization: term = .utilization
        case .maxThroughput: term = .throughput
        case .minCost: term = .cost
        case .maxAvailability: term = .availability
        default: throw .invalidInput(["policy \(policy.rawValue) has no scalar objective of its own (scored: \(scoredPolicies.map(\.rawValue).joined(separator: ", ")))"])
        }
        let built = try InstanceBuilder.build(pool: pool, workload: workload, options: options, current: nil)
        let instance = built.instance
        let position = Dictionary(workload.jobs.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let nodeIndex = Dictionary(instance.nodes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let modelIndex = Dictionary(instance.accelerators.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var decisions = [PlacementDecision?](repeating: nil, count: instance.jobs.count)
        var problems: [String] = []
        for entry in plan.placed {
            guard let p = position[entry.job], let j = built.jobIndex[p] else { problems.append("job \"\(entry.job)\": not in the workload"); continue }
            guard let s = entry.shape, s >= 0, s < instance.jobs[j].shapes.count else { problems.append("job \"\(entry.job)\": no valid shape index"); continue }
            var parts: [Int: Int] = [:]
            var order: [Int] = []
            var model: Int?
            for worker in entry.workers {
                guard let n = nodeIndex[worker.node] else { problems.append("job \"\(entry.job)\": unknown node \"\(worker.node)\""); break }
                if parts[n] == nil { order.append(n) }
                parts[n, default: 0] += 1
                model = model ?? instance.nodes[n].accelerator
            }
            guard let k = model ?? entry.accelerator.flatMap({ modelIndex[$0] }) else { continue }
            decisions[j] = PlacementDecision(shape: s, accelerator: k, parts: order.map { .init(node: $0, workers: parts[$0]!) })
        }
        if !problems.isEmpty { throw .invalidInput(problems) }
        let context = TermContext(instance: instance, share: [])
        let value = StageValues.values(of: decisions, instance: instance, terms: [term], context: context, migrationPenalty: 0)[0]
        return term.reportsNegated ? -value + 0 : value
    }
}
