import GPUPoolSupport
import GPUPoolModel
import GPUPoolSolver

/// Solves the placement MIP lexicographically: stage `t` maximises term `t` subject to every
/// earlier term staying within the tolerance of the value reached. Each stage is warm-started
/// from the previous stage's point (the first from the heuristic).
enum ExactPlacement {
    struct Result {
        var decisions: [PlacementDecision?]
        var stages: [StageOutcome]
        var solver: String
    }

    struct StageOutcome {
        var term: StageTerm
        var value: Double
        var bound: Double?
        var end: StageEnd
        /// The solver's own words when the stage did not end cleanly.
        var detail: String?
        /// What the stage did before its MIP (the neighbourhood search), for the plan's notes.
        var notes: [String] = []
    }

    /// Models up to this many columns get GLPK's cut generators (see `cuts` below).
    static let cutColumns = 5_000

    static func solve(
        instance: PlanningInstance, terms: [StageTerm], context: TermContext, migrationPenalty: Double,
        warmStart: [PlacementDecision?]?, tolerance: Double, timeLimit: Double?, relativeGap: Double = 1e-5,
        backends: SolverBackends = .standard, neighbourhoodSearchVariables: Int = 2_000,
        polish: ((_ decisions: [PlacementDecision?], _ deadline: ContinuousClock.Instant) -> [PlacementDecision?])? = nil
    ) throws(PlannerError) -> Result {
        let clock = ContinuousClock()
        let started = clock.now
        let built = PlacementModel(instance: instance, terms: terms, context: context, migrationPenalty: migrationPenalty)
        var model = built.model
        var optionsByJob = [[Int]](repeating: [], count: instance.jobs.count)
        for (i, option) in built.options.enumerated() { optionsByJob[option.job].append(i) }
        var point = warmStart.flatMap { encode($0, built: built, optionsByJob: optionsByJob) }
        let heuristicStart = point
        var stages: [StageOutcome] = []
        var solverName = backends.exact?.name ?? "exact"
        // Time a stage spends outside the solver's own clock (building, lowering, loading, checking).
        var overhead = 0.0
        // GLPK 5.0's cut generators (MIR above all) can take many seconds on large placement models
        // without looking at the time limit; small models get them, large ones branch without.
        let cuts = built.model.variableCount <= cutColumns
        // The stages' shared session (see below), the edits it has not seen yet and its objective.
        var session: SolverSession?
        var pendingEdits: [ProgramEdit] = []
        var sessionObjective: [Double] = []
        for (t, term) in terms.enumerated() {
            let objective = built.objectives[t]
            if objective.allSatisfy({ $0 == 0 }) {
                stages.append(StageOutcome(term: term, value: 0, bound: 0, end: .optimal))
                continue
            }
            /// A point's value on this stage's term.
            func worth(_ x: [Double]) -> Double { zip(objective, x).reduce(0) { $0 + $1.0 * $1.1 } }
            var stageLimit: Double?
            if let timeLimit {
                // Each stage gets an equal share of what is left, less what building and loading the
                // model cost the stage before (GLPK's clock starts after that).
                let left = timeLimit - (clock.now - started).seconds - overhead
                if left < 0.05 * timeLimit || left <= 0.02, let point {
                    // No time left: the stage keeps the point it has, without a proof.
                    stages.append(StageOutcome(term: term, value: worth(point), bound: nil, end: .timeLimit,
                                               detail: "no time left for the exact model"))
                    continue
                }
                stageLimit = max(0.02, left) / Double(terms.count - t)
            }
            let stageStarted = clock.now
            let share = stageLimit
            model.setObjective(.maximize, coefficients: objective)
            // Large models get a neighbourhood search before the stage's MIP (see
            // RelaxationNeighbourhood); it needs a point to start from and a time limit to share.
            let searches = stageLimit != nil && point != nil && built.model.variableCount >= neighbourhoodSearchVariables
            var notes: [String] = []
            // The optimum of the stage's LP relaxation, when the search solved it: a bound of its own.
            var relaxationBound: Double?
            let solution: Solution
            do throws(SolverError) {
                func lowered() throws(SolverError) -> LinearProgram {
                    do { return try model.lowered() } catch { throw .invalidModel(error) }
                }
                if let session {
                    // The stage before added its hold row; this stage changes the objective.
                    for c in objective.indices where objective[c] != sessionObjective[c] {
                        pendingEdits.append(.objectiveCoefficient(column: c, value: objective[c]))
                    }
                    try session.apply(pendingEdits)
                    pendingEdits = []
                    sessionObjective = objective
                } else if point != nil && backends.exactIsBuiltInGLPK && (t + 1 < terms.count || searches) {
                    // From the first stage with a point on (the one-shot solve then runs without
                    // the MIP presolver too), the stages share one session: each adds a row and
                    // changes the objective, and GLPK restarts from the stage before's basis. The
                    // search's LP is solved there too, so the MIP's root LP starts optimal.
                    session = try SolverSession(try lowered(), backends: backends)
                    sessionObjective = objective
                }
                var program: LinearProgram?
                func stageProgram() throws(SolverError) -> LinearProgram {
                    if let program { return program }
                    let made: LinearProgram
                    if let session { made = session.program } else { made = try lowered() }
                    program = made
                    return made
                }
                // The heuristic's local search, run from the stage before's point, moves jobs to
                // where this stage's term (and every later one) is better without giving up an
                // earlier term: a start that a cost-blind point is far from.
                if t > 0, searches, let polish, let current = point, let limit = stageLimit,
                   let polished = encode(polish(decode(current, built: built, instance: instance), clock.now.advanced(by: .clamped(seconds: limit / 4))),
                                         built: built, optionsByJob: optionsByJob),
                   worth(polished) > worth(current) + 1e-9 * max(1, abs(worth(current))),
                   SolutionChecker.check(try stageProgram(), values: polished).isFeasible {
                    notes.append("the heuristic's local search raised the start from \(Plan.fixed(worth(current), digits: 4)) to \(Plan.fixed(worth(polished), digits: 4))")
                    point = polished
                }
                // The stage before's MIP point keeps its stage's value but may have thrown away
                // later stages' (a tier's MIP drops throughput it does not see). The heuristic's
                // point is often still within every hold row: then the better of the two starts.
                if t > 0, let start = heuristicStart, let current = point, start != current,
                   worth(start) > worth(current) + 1e-9 * max(1, abs(worth(current))),
                   SolutionChecker.check(try stageProgram(), values: start).isFeasible {
                    notes.append("the heuristic's point, within every earlier stage's hold, starts the stage (\(Plan.fixed(worth(start), digits: 4)) against \(Plan.fixed(worth(current), digits: 4)))")
                    point = start
                }
                if searches, let limit = stageLimit, let current = point {
                    let program = try stageProgram()
                    // The search gets three quarters of the stage's share, the full MIP the rest: on
                    // large models the full MIP rarely improves a point within seconds, but it proves
                    // a start that is already optimal and gives the bound. (With half each, seed 3's
                    // priority,max-throughput,min-cost ended 1.1–4.3 % from its bounds; with three
                    // quarters, within 0.9 %.)
                    let searchShare = 0.75
                    let lpOptions = SolveOptions(method: .simplex, timeLimit: limit * searchShare)
                    let relaxed: Solution?
                    if let session { relaxed = try? session.solve(options: lpOptions) }
                    else { relaxed = try? Solver.solve(program, options: lpOptions, backends: backends) }
                    if let relaxed, relaxed.termination == .optimal {
                        if let value = relaxed.objective, value.isFinite { relaxationBound = value }
                        if let found = RelaxationNeighbourhood.search(
                            program, incumbent: current, relaxed: relaxed.values,
                            timeLimit: limit * searchShare - (clock.now - stageStarted).seconds, backends: backends) {
                            // A better start for the stage's full MIP, which still gives the bound.
                            notes.append("relaxation-induced neighbourhood search (\(found.freeColumns) columns left free) raised the start from \(Plan.fixed(worth(current), digits: 4)) to \(Plan.fixed(found.objective, digits: 4))")
                            point = found.point
                        }
                    }
                    // The full MIP gets what the search left of the stage's share, found or not.
                    stageLimit = max(0.05, limit - (clock.now - stageStarted).seconds)
                }
                let options = SolveOptions(method: .mip, timeLimit: stageLimit, relativeGap: relativeGap,
                                           cuts: cuts, nodePreprocessing: false, warmStart: point)
                if let session {
                    solution = try session.solve(options: options)
                } else {
                    solution = try Solver.solve(try lowered(), options: options, backends: backends)
                }
            } catch {
                throw .solverFailure("placement MIP: \(error)")
            }
            solverName = solution.solver
            if let share { overhead = max(0, (clock.now - stageStarted).seconds - share) }
            var values: [Double]
            if solution.hasSolution, point.map({ worth(solution.values) >= worth($0) - 1e-9 * max(1, abs(worth($0))) }) ?? true {
                values = solution.values
            } else if let point {
                // No point, or (should the solver drop its warm start) a worse one: the start stays.
                values = point
            } else {
                throw .solverFailure("placement MIP stage \(term.name) ended \(solution.termination.rawValue) without a point: \(solution.message ?? "")")
            }
            values = values.map { abs($0 - $0.rounded()) < 1e-6 ? $0.rounded() : $0 }
            let value = worth(values)
            let end: StageEnd
            switch solution.termination {
            case .optimal:
                // GLPK reports "optimal" also when it stopped within the MIP gap; only a bound that
                // meets the value is a proof (judged again by the planner from value and bound).
                let gap = solution.bestBound.flatMap { StageProof.gap(value: value, bound: $0) } ?? .infinity
                end = gap <= StageProof.optimalityGap ? .optimal : .gapLimit
            case .timeLimit, .interrupted, .iterationLimit: end = .timeLimit
            default: end = .solverTrouble
            }
            // A bound is kept only from a search that ended normally; after numerical trouble it is not trusted.
            var bound: Double? = end == .solverTrouble ? nil
                : solution.bestBound.flatMap { $0.isFinite && abs($0) < 1e300 ? max($0, value) : nil }
            // The LP relaxation's optimum bounds the stage too (the MIP's bound is normally below
            // it, but a short MIP may end before its root LP and leave none). An LP optimum below
            // the stage's own value is numerically inconsistent: it is dropped, not clamped.
            if end != .solverTrouble, let lp = relaxationBound, lp >= value - 1e-6 * max(1, abs(value)) {
                bound = max(value, min(bound ?? lp, lp))
            }
            if bound == nil && end == .optimal { bound = value }
            stages.append(StageOutcome(
                term: term, value: value, bound: bound, end: end,
                detail: end == .solverTrouble || !solution.hasSolution ? "\(solution.termination.rawValue): \(solution.message ?? "")" : nil,
                notes: notes))
            point = values
            // Hold this stage's value for the next stages.
            if t + 1 < terms.count {
                var starts = [0]
                var columns: [Int32] = []
                var coefficients: [Double] = []
                for (c, a) in objective.enumerated() where a != 0 { columns.append(Int32(c)); coefficients.append(a) }
                starts.append(columns.count)
                let floor = value - tolerance * max(1, abs(value)) - 1e-9
                model.addConstraints(rowStarts: starts, columns: columns, coefficients: coefficients, lower: [floor], upper: [.infinity])
                if session != nil {
                    pendingEdits.append(.addRow(ProgramEdit.NewRow(lower: floor, upper: .infinity, columns: columns.map(Int.init), values: coefficients)))
                }
            }
        }
        guard let point else { throw .solverFailure("placement MIP produced no point") }
        return Result(decisions: decode(point, built: built, instance: instance), stages: stages, solver: solverName)
    }

    /// The MIP point of a heuristic placement, or `nil` if some decision has no matching column.
    static func encode(_ decisions: [PlacementDecision?], built: PlacementModel, optionsByJob: [[Int]]) -> [Double]? {
        var x = [Double](repeating: 0, count: built.model.variableCount)
        let instance = built.instance
        for (j, decision) in decisions.enumerated() {
            guard let decision else { continue }
            let shape = instance.jobs[j].shapes[decision.shape]
            var matched = false
            for i in optionsByJob[j] {
                let option = built.options[i]
                if case .keep = option.kind {
                    if decision.kept { x[option.column] = 1; matched = true; break }
                    continue
                }
                guard !decision.kept, option.shape == decision.shape, option.accelerator == decision.accelerator else { continue }
                switch option.kind {
                case let .groupSingleGPU(group):
                    if shape.gpus == 1, let part = decision.parts.first, instance.nodes[part.node].group == group {
                        x[option.column] = 1; matched = true
                    }
                case let .node(n):
                    if decision.parts.count == 1, decision.parts[0].node == n { x[option.column] = 1; matched = true }
                case let .spread(nodes, workerColumns, usedColumns):
                    var positions: [(Int, Int)] = []
                    for part in decision.parts {
                        guard let p = nodes.firstIndex(of: part.node) else { break }
                        positions.append((p, part.workers))
                    }
                    guard positions.count == decision.parts.count else { continue }
                    x[option.column] = 1
                    for (p, workers) in positions {
                        x[workerColumns[p]] = Double(workers)
                        if !usedColumns.isEmpty { x[usedColumns[p]] = 1 }
                    }
                    matched = true
                case .keep: break
                }
                if matched { break }
            }
            if !matched { return nil }
        }
        return x
    }

    /// Decisions from a MIP point; one-GPU jobs chosen at group level get the tightest node left.
    static func decode(_ x: [Double], built: PlacementModel, instance: PlanningInstance) -> [PlacementDecision?] {
        var decisions = [PlacementDecision?](repeating: nil, count: instance.jobs.count)
        var used = [Int](repeating: 0, count: instance.nodes.count)
        var groupJobs: [(job: Int, shape: Int, accelerator: Int, group: Int)] = []
        for option in built.options where x[option.column] > 0.5 {
            let j = option.job
            guard decisions[j] == nil else { continue }
            let job = instance.jobs[j]
            switch option.kind {
            case .keep:
                guard let current = job.current else { continue }
                var perNode: [Int: Int] = [:]
                var order: [Int] = []
                for worker in current.workers {
                    if perNode[worker.node] == nil { order.append(worker.node) }
                    perNode[worker.node, default: 0] += 1
                }
                let gpw = job.shapes[current.shape].gpusPerWorker
                for n in order { used[n] += (perNode[n] ?? 0) * gpw }
                decisions[j] = PlacementDecision(
                    shape: current.shape, accelerator: current.accelerator,
                    parts: order.map { .init(node: $0, workers: perNode[$0] ?? 0) }, kept: true)
            case let .node(n):
                used[n] += job.shapes[option.shape].gpus
                decisions[j] = PlacementDecision(shape: option.shape, accelerator: option.accelerator,
                                                 parts: [.init(node: n, workers: job.shapes[option.shape].workers)])
            case let .spread(nodes, workerColumns, _):
                var parts: [PlacementDecision.NodePart] = []
                let gpw = job.shapes[option.shape].gpusPerWorker
                for (p, n) in nodes.enumerated() {
                    let w = Int(x[workerColumns[p]].rounded())
                    if w > 0 {
                        parts.append(.init(node: n, workers: w))
                        used[n] += w * gpw
                    }
                }
                decisions[j] = PlacementDecision(shape: option.shape, accelerator: option.accelerator, parts: parts)
            case let .groupSingleGPU(group):
                groupJobs.append((j, option.shape, option.accelerator, group))
                decisions[j] = PlacementDecision(shape: option.shape, accelerator: option.accelerator, parts: [])
            }
        }
        for item in groupJobs {
            var best: Int?
            for n in instance.groups[item.group].nodes {
                let left = instance.nodes[n].free - used[n]
                guard left >= 1 else { continue }
                if best.map({ left < instance.nodes[$0].free - used[$0] }) ?? true { best = n }
            }
            if let n = best {
                used[n] += 1
                decisions[item.job]?.parts = [.init(node: n, workers: 1)]
            } else {
                decisions[item.job] = nil
            }
        }
        return decisions
    }
}
