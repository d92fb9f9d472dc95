/// The last pass of every placement: strict priorities, then work conservation.
///
/// An exact model stopped by its time or gap limit, a heuristic, or a POP decomposition can leave
/// a job idle that fits, or a lower-tier job where a higher-tier one would fit. Both are repaired
/// here, so the promises of Docs/Planning.md hold for every plan, not only for proven ones. Each
/// repair is a lexicographic improvement: the stages before the first cost or availability stage
/// only grow when a job is added (and a higher tier outranks every lower one), and
/// ``PlanningPolicy/effectiveOrder(_:)`` puts max-utilization before those stages.
struct WorkConservation {
    let instance: PlanningInstance
    let terms: [StageTerm]
    let context: TermContext
    let migrationPenalty: Double
    let fifo: Bool
    let byPriority: Bool

    struct Result {
        var decisions: [PlacementDecision?]
        /// Jobs a higher-tier job displaced (each re-placed elsewhere if it still fitted).
        var displaced: Int
        /// Jobs placed by the final fill.
        var filled: Int
    }

    func run(_ decisions: [PlacementDecision?]) -> Result {
        var placer = GreedyPlacer(instance: instance, terms: terms, context: context, firstFit: fifo,
                                  migrationPenalty: migrationPenalty)
        for (j, decision) in decisions.enumerated() { if let decision { placer.commit(j, decision) } }
        let order = JobOrdering.order(instance: instance, terms: terms, context: context, fifo: fifo, byPriority: byPriority)
        var displaced = 0
        var evicted: [Int: PlacementDecision] = [:]
        if byPriority {
            let tiers = Set(instance.jobs.map(\.priority)).sorted(by: >)
            for tier in tiers.dropLast() {
                // The capacity this tier would have if no job of a lower tier were placed.
                var withoutLower = placer
                for i in placer.decisions.indices where placer.decisions[i] != nil && instance.jobs[i].priority < tier {
                    withoutLower.release(i)
                }
                for j in order where instance.jobs[j].priority == tier && placer.decisions[j] == nil {
                    guard let target = withoutLower.bestCandidate(for: j).0 else { continue }
                    if let placed = promote(j, toward: target.decision, in: &placer, evicted: &evicted) {
                        displaced += placed.evicted
                        withoutLower.commit(j, placed.decision)
                    }
                }
            }
        }
        // Displaced jobs first try exactly where they were (their old GPUs may still be free).
        for (j, old) in evicted.sorted(by: { $0.key < $1.key }) where placer.decisions[j] == nil {
            if fits(old, job: j, in: placer) { placer.commit(j, old) }
        }
        let before = placer.decisions.lazy.filter { $0 != nil }.count
        placer.place(order: order)
        let filled = placer.decisions.lazy.filter { $0 != nil }.count - before
        return Result(decisions: placer.decisions, displaced: displaced, filled: filled)
    }

    /// Places job `j`, which fits once every job of a lower tier is removed (at `target`): first by
    /// evicting the lower-tier jobs on the nodes of `target`, else also those of its tenant, else
    /// every lower-tier job.
    private func promote(
        _ j: Int, toward target: PlacementDecision, in placer: inout GreedyPlacer, evicted: inout [Int: PlacementDecision]
    ) -> (decision: PlacementDecision, evicted: Int)? {
        let tier = instance.jobs[j].priority
        let lower = placer.decisions.indices.filter { placer.decisions[$0] != nil && instance.jobs[$0].priority < tier }
        let nodes = Set(target.parts.map(\.node))
        let tenant = instance.jobs[j].tenant
        let onNodes = lower.filter { i in placer.decisions[i]!.parts.contains { nodes.contains($0.node) } }
        let ofTenant = Set(onNodes).union(lower.filter { instance.jobs[$0].tenant == tenant }).sorted()
        for victims in [onNodes, ofTenant, lower] {
            var trial = placer
            for i in victims { trial.release(i) }
            guard let candidate = trial.bestCandidate(for: j).0 else { continue }
            for i in victims { if let d = placer.decisions[i] { evicted[i] = d } }
            trial.commit(j, candidate.decision)
            placer = trial
            return (candidate.decision, victims.count)
        }
        return nil
    }

    private func fits(_ decision: PlacementDecision, job j: Int, in placer: GreedyPlacer) -> Bool {
        let shape = instance.jobs[j].shapes[decision.shape]
        for part in decision.parts where placer.index.free[part.node] < part.workers * shape.gpusPerWorker { return false }
        return placer.tenantRemaining[instance.jobs[j].tenant] >= shape.gpus
    }
}
