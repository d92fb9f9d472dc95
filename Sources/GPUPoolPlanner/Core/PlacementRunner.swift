import GPUPoolSupport
import Dispatch
import GPUPoolHeuristics
import GPUPoolSolver
import Synchronization

/// Runs the placement level: heuristic, exact or auto, whole or POP-decomposed.
struct PlacementRunner: Sendable {
    let terms: [StageTerm]
    let context: TermContext
    let options: PlannerOptions
    let fifo: Bool
    let byPriority: Bool

    struct Outcome: Sendable {
        var decisions: [PlacementDecision?]
        /// Per stage: value reached (maximised form) and bound when known.
        var stageBounds: [Double?]
        /// Per stage: how its search ended.
        var stageEnds: [StageEnd]
        var solver: String
        var method: String
        var decomposition: String?
        var notes: [String] = []
    }

    // MARK: Whole instance

    func run(_ instance: PlanningInstance, deadline: ContinuousClock.Instant?) throws(PlannerError) -> Outcome {
        var outcome = options.partitions > 1 && instance.jobs.count > 1
            ? try decomposed(instance, deadline: deadline)
            : try whole(instance, deadline: deadline, computeBound: true)
        let repair = WorkConservation(instance: instance, terms: terms, context: context,
                                      migrationPenalty: options.migrationPenalty, fifo: fifo, byPriority: byPriority)
            .run(outcome.decisions)
        outcome.decisions = repair.decisions
        if repair.displaced > 0 {
            outcome.notes.append("priority repair: \(repair.displaced) lower-tier job(s) made room for higher tiers")
        }
        if repair.filled > 0 {
            outcome.notes.append("work conservation: \(repair.filled) job(s) that fitted the leftover capacity were placed after the search")
        }
        return outcome
    }

    private func secondsLeft(_ deadline: ContinuousClock.Instant?) -> Double? {
        guard let deadline else { return nil }
        return max(0, (deadline - ContinuousClock.now).seconds)
    }

    /// Multi-start greedy: the policy order, then alternative orders, run in parallel; each run gets
    /// local improvement and make-room repair; the best term vector wins. The number of starts
    /// depends only on the instance size (so plans are reproducible); only the time limit (or
    /// ``PlannerOptions/heuristicSeconds``) can cut the search short.
    func heuristic(_ instance: PlanningInstance, deadline: ContinuousClock.Instant?) -> GreedyPlacer {
        let fresh = GreedyPlacer(instance: instance, terms: terms, context: context, firstFit: fifo,
                                 migrationPenalty: options.migrationPenalty)
        if fifo {
            var greedy = fresh
            greedy.keepCurrentPlacements()
            greedy.place(order: JobOrdering.order(instance: instance, terms: terms, context: context, fifo: true, byPriority: byPriority))
            return greedy
        }
        var limit = deadline ?? ContinuousClock.now.advanced(by: .seconds(86_400))
        if let soft = options.heuristicSeconds {
            limit = min(limit, ContinuousClock.now.advanced(by: .clamped(seconds: min(soft, 86_400))))
        }
        let until = limit
        let starts = max(1, min(options.heuristicStarts, 20_000 / max(1, instance.jobs.count)))
        let orders = JobOrdering.variants(instance: instance, terms: terms, context: context, byPriority: byPriority,
                                          seed: options.seed, count: starts)
        // The starts are independent: they run side by side on the machine's cores. The best term
        // vector wins, the earliest order on ties (as a run one after the other would pick); a start
        // that would begin after the time limit is skipped, except the first.
        let results = Mutex<[(placer: GreedyPlacer, vector: [Double])?]>(Array(repeating: nil, count: orders.count))
        DispatchQueue.concurrentPerform(iterations: orders.count) { i in
            if i > 0 && ContinuousClock.now >= until { return }
            let order = orders[i]
            var greedy = fresh
            greedy.keepCurrentPlacements()
            greedy.place(order: order)
            searchLocally(&greedy, order: order, until: until, settled: true)
            let vector = greedy.totalVector()
            results.withLock { $0[i] = (greedy, vector) }
        }
        var best: (placer: GreedyPlacer, vector: [Double])?
        for case let result? in results.withLock({ $0 })
        where best.map({ Lexicographic.compare(result.vector, $0.vector, tolerance: 1e-9) > 0 }) ?? true {
            best = result
        }
        return best?.placer ?? fresh
    }

    /// The heuristic's local search: re-placement rounds, then (unless the options turn it off
    /// with `improvementRounds` 0) pair exchange, make-room and one more round. Every move must
    /// improve the whole term vector. `settled`: the unplaced jobs were just tried (see `improve`).
    func searchLocally(_ placer: inout GreedyPlacer, order: [Int], until: ContinuousClock.Instant, settled: Bool) {
        let rounds = options.improvementRounds
        placer.improve(order: order, rounds: rounds, deadline: until, settled: settled)
        guard rounds > 0 else { return }
        let partners = max(2, min(16, 100_000 / max(1, placer.instance.jobs.count)))
        placer.exchange(order: order, deadline: until, partnersPerJob: partners)
        placer.makeRoom(order: order, deadline: until)
        placer.improve(order: order, rounds: 1, deadline: until)
    }

    /// `decisions` after the heuristic's local search (``searchLocally(_:order:until:settled:)``).
    func polished(_ decisions: [PlacementDecision?], instance: PlanningInstance, until: ContinuousClock.Instant) -> [PlacementDecision?] {
        var placer = GreedyPlacer(instance: instance, terms: terms, context: context, firstFit: false,
                                  migrationPenalty: options.migrationPenalty)
        for (j, decision) in decisions.enumerated() { if let decision { placer.commit(j, decision) } }
        let order = JobOrdering.order(instance: instance, terms: terms, context: context, fifo: false, byPriority: byPriority)
        searchLocally(&placer, order: order, until: until, settled: false)
        return placer.decisions
    }

    func whole(_ instance: PlanningInstance, deadline: ContinuousClock.Instant?, computeBound: Bool) throws(PlannerError) -> Outcome {
        let started = ContinuousClock.now
        // With an exact model to follow, the heuristic (its warm start) gets a third of the time.
        var heuristicDeadline = deadline
        if let deadline, !fifo, options.method != .heuristic, options.backends.exact != nil,
           PlacementModel.estimateColumns(instance: instance, terms: terms) <= options.maxExactVariables {
            heuristicDeadline = started + (deadline - started) / 3
        }
        let greedy = heuristic(instance, deadline: heuristicDeadline)
        let heuristicName = fifo ? "fifo (arrival order, first fit)" : "heuristic (greedy best fit + local improvement)"
        var outcome = Outcome(
            decisions: greedy.decisions, stageBounds: terms.map { _ in nil }, stageEnds: terms.map { _ in .heuristic },
            solver: "heuristic", method: heuristicName)
        if fifo {
            if computeBound, let first = terms.first {
                outcome.stageBounds[0] = AggregateBound.countingBound(instance: instance, term: first)
            }
            return outcome
        }
        switch options.method {
        case .heuristic:
            if computeBound, let first = terms.first {
                outcome.stageBounds[0] = AggregateBound.countingBound(instance: instance, term: first)
            }
            return outcome
        case .exact:
            guard options.backends.exact != nil else {
                throw .exactUnavailable(Solver.hasExactSolver
                    ? "the options' solver backends have no exact one (use method heuristic, or give an exact backend)"
                    : "this build has no GLPK (build with the GLPK trait and libglpk-dev, or use method heuristic)")
            }
            let columns = PlacementModel.estimateColumns(instance: instance, terms: terms)
            guard columns <= options.maxExactVariables else {
                throw .exactUnavailable("the placement MIP would have \(columns) variables, over the limit of \(options.maxExactVariables); use method auto or heuristic, or decompose (partitions)")
            }
            return try exact(instance, warm: greedy.decisions, deadline: deadline, method: "exact", base: outcome)
        case .auto:
            guard options.backends.exact != nil else {
                if computeBound, let first = terms.first {
                    outcome.stageBounds[0] = AggregateBound.countingBound(instance: instance, term: first)
                }
                outcome.notes.append("auto without an exact solver: heuristic only")
                return outcome
            }
            let values = StageValues.values(of: greedy.decisions, instance: instance, terms: terms, context: context,
                                            migrationPenalty: options.migrationPenalty)
            func gap(_ bound: Double?) -> Double? {
                bound.map { b in values.first.map { abs(b - $0) / max(1e-10, abs($0)) } ?? 0 }
            }
            // The counting bound is free; the LP bound only when it is needed and affordable.
            var bound: Double?
            if computeBound, let first = terms.first {
                // With kept jobs the objective includes the migration bonus, which only the LP counts.
                let hasKept = instance.jobs.contains { $0.current != nil }
                bound = hasKept ? nil : AggregateBound.countingBound(instance: instance, term: first)
                let counted = gap(bound).map { $0 <= options.targetGap } ?? false
                if !counted,
                   AggregateBound.columnEstimate(instance: instance) <= 4 * options.maxExactVariables,
                   let lp = AggregateBound.bound(instance: instance, term: first, context: context,
                                                 migrationPenalty: options.migrationPenalty, useLP: true, backends: options.backends,
                                                 timeLimit: secondsLeft(deadline).map { $0 / 4 }) {
                    bound = bound.map { min($0, lp) } ?? lp
                }
                outcome.stageBounds[0] = bound
            }
            let withinGap = gap(bound).map { $0 <= options.targetGap } ?? false
            if withinGap && terms.count == 1 {
                outcome.method = "auto: heuristic within \(options.targetGap * 100)% of the bound"
                outcome.stageEnds[0] = .gapLimit
                return outcome
            }
            let columns = PlacementModel.estimateColumns(instance: instance, terms: terms)
            guard columns <= options.maxExactVariables else {
                outcome.method = "auto: heuristic (placement MIP of \(columns) variables is over the limit of \(options.maxExactVariables))"
                return outcome
            }
            if let left = secondsLeft(deadline), left < 0.2 {
                outcome.method = "auto: heuristic (no time left for the exact model)"
                return outcome
            }
            var result = try exact(instance, warm: greedy.decisions, deadline: deadline, method: "auto: heuristic + exact", base: outcome)
            if let bound, let mipBound = result.stageBounds[0] { result.stageBounds[0] = min(bound, mipBound) }
            else if let bound { result.stageBounds[0] = bound }
            return result
        }
    }

    private func exact(
        _ instance: PlanningInstance, warm: [PlacementDecision?], deadline: ContinuousClock.Instant?, method: String, base: Outcome
    ) throws(PlannerError) -> Outcome {
        let result = try ExactPlacement.solve(
            instance: instance, terms: terms, context: context, migrationPenalty: options.migrationPenalty,
            warmStart: warm, tolerance: options.lexicographicTolerance, timeLimit: secondsLeft(deadline),
            relativeGap: options.method == .exact ? 1e-5 : max(1e-5, options.targetGap), backends: options.backends,
            neighbourhoodSearchVariables: options.neighbourhoodSearchVariables,
            polish: { decisions, until in polished(decisions, instance: instance, until: until) })
        var outcome = base
        // Keep whichever is lexicographically better (the MIP starts from the heuristic, so it
        // should never be worse; this guards against solver trouble).
        let heuristicValues = StageValues.values(of: warm, instance: instance, terms: terms, context: context, migrationPenalty: options.migrationPenalty)
        let exactValues = StageValues.values(of: result.decisions, instance: instance, terms: terms, context: context, migrationPenalty: options.migrationPenalty)
        if Lexicographic.compare(exactValues, heuristicValues, tolerance: 1e-7) >= 0 {
            outcome.decisions = result.decisions
        } else {
            outcome.notes.append("the exact model returned a worse point than the heuristic; the heuristic placement is kept")
        }
        outcome.stageBounds = result.stages.map(\.bound)
        outcome.stageEnds = result.stages.map(\.end)
        outcome.solver = result.solver
        for stage in result.stages {
            for note in stage.notes { outcome.notes.append("stage \(stage.term.name): \(note)") }
            if let detail = stage.detail { outcome.notes.append("stage \(stage.term.name): \(detail)") }
        }
        outcome.method = "\(method) (\(result.solver) branch-and-cut)"
        return outcome
    }

    // MARK: POP

    private func decomposed(_ instance: PlanningInstance, deadline: ContinuousClock.Instant?) throws(PlannerError) -> Outcome {
        let parts = min(options.partitions, instance.jobs.count)
        var rng = SeededGenerator(seed: options.seed)
        func shuffled(_ values: [Int]) -> [Int] {
            var v = values
            for i in stride(from: v.count - 1, to: 0, by: -1) { v.swapAt(i, rng.nextInt(below: i + 1)) }
            return v
        }
        var jobPart = [Int](repeating: 0, count: instance.jobs.count)
        for (position, j) in shuffled(Array(instance.jobs.indices)).enumerated() { jobPart[j] = position % parts }
        // Nodes of kept jobs go with their job; the rest are dealt per group so parts get similar mixes.
        var nodePart = [Int](repeating: -1, count: instance.nodes.count)
        var jobs = instance.jobs
        for (j, job) in jobs.enumerated() {
            guard let current = job.current else { continue }
            let nodes = current.workers.map(\.node)
            // Follow a node that already belongs to a part, so jobs sharing nodes stay together.
            let assigned = Set(nodes.map { nodePart[$0] }.filter { $0 >= 0 })
            if assigned.count > 1 {
                jobs[j].current = nil   // its nodes went to different parts: re-placed like a new job
                continue
            }
            if let part = assigned.first { jobPart[j] = part }
            for n in nodes { nodePart[n] = jobPart[j] }
        }
        var offset = 0
        for group in instance.groups {
            for n in shuffled(group.nodes) where nodePart[n] == -1 {
                nodePart[n] = offset % parts
                offset += 1
            }
        }
        // Quotas split in proportion to each part's demand.
        var demand = [[Int]](repeating: [Int](repeating: 0, count: instance.tenants.count), count: parts)
        for (j, job) in jobs.enumerated() { demand[jobPart[j]][job.tenant] += job.shapes.map(\.gpus).max() ?? 0 }
        var built: [(jobs: [Int], instance: PlanningInstance)] = []
        for p in 0..<parts {
            var sub = instance
            let members = jobs.indices.filter { jobPart[$0] == p }
            sub.jobs = members.map { jobs[$0] }
            for n in sub.nodes.indices where nodePart[n] != p {
                sub.nodes[n].usable = false
                sub.nodes[n].free = 0
            }
            sub.tenantQuota = instance.tenantQuota.indices.map { t in
                let quota = instance.tenantQuota[t]
                guard quota != Int.max else { return Int.max }
                let total = (0..<parts).reduce(0) { $0 + demand[$1][t] }
                return total > 0 ? Int((Double(quota) * Double(demand[p][t]) / Double(total)).rounded(.down)) : 0
            }
            sub.buildGroups()
            built.append((members, sub))
        }
        let results = Mutex<[Result<Outcome, PlannerError>?]>(Array(repeating: nil, count: parts))
        let runner = self
        let subinstances = built
        DispatchQueue.concurrentPerform(iterations: parts) { p in
            let subContext = TermContext(
                throughputRatio: subinstances[p].jobs.map { runner.context.throughputRatio[$0] },
                share: runner.context.share.isEmpty ? [] : subinstances[p].jobs.map { runner.context.share[$0] })
            let subRunner = PlacementRunner(terms: runner.terms, context: subContext, options: runner.options,
                                            fifo: runner.fifo, byPriority: runner.byPriority)
            let outcome: Result<Outcome, PlannerError>
            do throws(PlannerError) { outcome = .success(try subRunner.whole(subinstances[p].instance, deadline: deadline, computeBound: false)) }
            catch { outcome = .failure(error) }
            results.withLock { $0[p] = outcome }
        }
        var decisions = [PlacementDecision?](repeating: nil, count: instance.jobs.count)
        var methods = Set<String>()
        for (p, result) in results.withLock({ $0 }).enumerated() {
            guard let result else { continue }
            let outcome = try result.get()
            methods.insert(outcome.method)
            for (i, j) in subinstances[p].jobs.enumerated() { decisions[j] = outcome.decisions[i] }
        }
        // Combine, then one greedy pass over the leftover capacity of the whole pool.
        var merged = instance
        merged.jobs = jobs
        var greedy = GreedyPlacer(instance: merged, terms: terms, context: context, firstFit: fifo, migrationPenalty: options.migrationPenalty)
        for (j, decision) in decisions.enumerated() { if let decision { greedy.commit(j, decision) } }
        let before = greedy.decisions.lazy.filter { $0 != nil }.count
        greedy.place(order: JobOrdering.order(instance: merged, terms: terms, context: context, fifo: fifo, byPriority: byPriority))
        let spilled = greedy.decisions.lazy.filter { $0 != nil }.count - before
        var outcome = Outcome(
            decisions: greedy.decisions, stageBounds: terms.map { _ in nil }, stageEnds: terms.map { _ in .heuristic },
            solver: methods.sorted().joined(separator: "; "), method: "POP k=\(parts): " + methods.sorted().joined(separator: "; "))
        outcome.decomposition = "POP: jobs and nodes split at random (seed \(options.seed)) into \(parts) partitions solved independently; a greedy pass over the leftover capacity then placed \(spilled) more job(s)"
        if let first = terms.first {
            let useLP = options.backends.exact != nil && options.method != .heuristic
                && AggregateBound.columnEstimate(instance: merged) <= 20 * options.maxExactVariables
            outcome.stageBounds[0] = AggregateBound.bound(instance: merged, term: first, context: context,
                                                          migrationPenalty: options.migrationPenalty, useLP: useLP, backends: options.backends,
                                                          timeLimit: secondsLeft(deadline))
        }
        return outcome
    }
}

/// Stage values of a set of decisions (maximised form, migration bonus included as in the models).
enum StageValues {
    static func values(of decisions: [PlacementDecision?], instance: PlanningInstance, terms: [StageTerm], context: TermContext, migrationPenalty: Double) -> [Double] {
        let placer = GreedyPlacer(instance: instance, terms: terms, context: context, migrationPenalty: migrationPenalty)
        var total = [Double](repeating: 0, count: terms.count)
        for (j, decision) in decisions.enumerated() {
            guard let decision else { continue }
            let v = placer.vector(of: decision, job: j, withKeepBonus: true)
            for t in total.indices { total[t] += v[t] }
        }
        return total
    }
}
