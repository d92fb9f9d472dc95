import GPUPoolSupport
import Foundation
import GPUPoolDomain
import GPUPoolSolver

/// Plans which job runs where in a heterogeneous GPU pool.
///
/// ```swift
/// let planner = Planner(options: PlannerOptions(policies: [.priority, .maxThroughput, .minCost]))
/// let plan = try planner.plan(pool: pool, workload: workload)
/// print(plan.metrics.utilization, plan.unplaced.map(\.reason))
/// ```
///
/// Two levels, as in Gavel: for fairness policies an **allocation** LP first decides the fraction
/// of time each job should get on each accelerator model; the **placement** then decides which
/// worker goes to which node and GPUs now, honouring gangs, locality, eligibility, memory, quotas
/// and budgets, and preferring for each job the accelerators its allocation favours. Placement
/// is solved by a scalable heuristic, an exact MIP through the model API (GLPK), or both
/// (``PlanningMethod``), optionally POP-decomposed (``PlannerOptions/partitions``).
///
/// Every plan is verified by ``PlanChecker`` before it is returned; a plan that fails the check
/// is never returned (``PlannerError/planFailedCheck(_:)``).
public struct Planner: Sendable {
    /// The settings used by every call.
    public var options: PlannerOptions

    /// Creates a planner.
    public init(options: PlannerOptions = PlannerOptions()) {
        self.options = options
    }

    /// Plans `workload` on an empty `pool`.
    /// - Throws: ``PlannerError`` for invalid input (every problem listed), an unavailable exact
    ///   solver, or a solver failure.
    public func plan(pool: Pool, workload: Workload) throws(PlannerError) -> Plan {
        try run(pool: pool, workload: workload, current: nil)
    }

    /// Re-plans after the pool or workload changed, starting from `current`.
    ///
    /// Jobs whose current placement is still valid stay unless moving gains more than the
    /// migration penalty (``PlannerOptions/migrationPenalty``); pinned jobs
    /// (``PlannerOptions/pinnedJobs`` or ``JobPlacement/pinned``) stay whatever it costs. Jobs
    /// whose nodes failed, left or became unschedulable are moved, or queued with reason
    /// ``UnplacedReasonCode/displaced``; no job is dropped silently. ``Plan/replan`` counts
    /// kept, moved, queued and started jobs.
    public func replan(current: Plan, pool: Pool, workload: Workload) throws(PlannerError) -> Plan {
        try run(pool: pool, workload: workload, current: current)
    }

    /// Only the allocation level: time fractions per job and accelerator under `policy`
    /// (``PlanningPolicy/maxMinFairness``, ``PlanningPolicy/maxMinFairnessAgnostic`` or
    /// ``PlanningPolicy/maxThroughput``), POP-decomposed when ``PlannerOptions/partitions`` > 1.
    public func allocate(pool: Pool, workload: Workload, policy: PlanningPolicy = .maxMinFairness) throws(PlannerError) -> Allocation {
        guard policy.needsAllocation || policy == .maxThroughput else {
            throw .invalidInput(["policy \(policy.rawValue) has no allocation level; use max-min-fairness, max-min-fairness-agnostic or max-throughput"])
        }
        let built = try InstanceBuilder.build(pool: pool, workload: workload, options: options, current: nil)
        return try AllocationRunner.run(
            instance: built.instance, policy: policy, method: options.method, partitions: options.partitions,
            seed: options.seed, timeLimit: options.timeLimit, backends: options.backends).allocation
    }

    // MARK: -

    private func run(pool: Pool, workload: Workload, current: Plan?) throws(PlannerError) -> Plan {
        let clock = ContinuousClock()
        let started = clock.now
        // The search gets 90 % of the limit: the reasons for unplaced jobs, the metrics and the plan
        // check run after it (about 0.3 s at 10,000 jobs).
        let deadline = options.timeLimit.map { started.advanced(by: .clamped(seconds: $0 * 0.9)) }
        let built = try InstanceBuilder.build(pool: pool, workload: workload, options: options, current: current)
        let instance = built.instance
        var notes = built.notes

        let policies = PlanningPolicy.effectiveOrder(options.policies)
        if policies != options.policies {
            notes.append("policies applied in the order \(policies.map(\.rawValue).joined(separator: ", "))")
        }
        let fifo = policies.contains(.fifo)
        if fifo && policies.contains(where: { $0 != .fifo && $0 != .priority && $0 != .maxUtilization }) {
            notes.append("fifo is a fixed baseline algorithm; the other policies only break no ties")
        }
        let priorityActive = policies.contains(.priority)
        let tiers = Array(Set(instance.jobs.map(\.priority))).sorted(by: >)
        let terms = StageTerm.terms(for: fifo ? policies.filter { $0 == .priority || $0 == .fifo } : policies, tiers: tiers)

        // Allocation level.
        var allocation: Allocation?
        var share: [[Double]] = []
        if let fair = policies.first(where: \.needsAllocation), !instance.jobs.isEmpty {
            let left = deadline.map { max(0.5, ($0 - clock.now).seconds / 2) }
            let output = try AllocationRunner.run(
                instance: instance, policy: fair, method: options.method, partitions: options.partitions,
                seed: options.seed, timeLimit: left, backends: options.backends)
            allocation = output.allocation
            share = output.fractions
        }
        let context = TermContext(instance: instance, share: share)

        // Placement level.
        let runner = PlacementRunner(terms: terms, context: context, options: options, fifo: fifo, byPriority: priorityActive)
        let outcome = try runner.run(instance, deadline: deadline)
        notes += outcome.notes

        // Reasons for the unplaced jobs, against the capacity and quota the plan leaves.
        let explainer = UnplacedReasons(instance: instance, originalQuota: instance.tenantQuota,
                                        decisions: outcome.decisions, priorityActive: priorityActive)
        var reasons: [Int: UnplacedReason] = [:]
        for j in instance.jobs.indices where outcome.decisions[j] == nil { reasons[j] = explainer.reason(job: j) }

        let assembler = PlanAssembler(built: built, pool: pool, workload: workload)
        let entries = assembler.entries(decisions: outcome.decisions, reasons: reasons, replanning: current != nil)

        // Stage records: values recomputed from the decisions, without the migration bonus.
        let values = StageValues.values(of: outcome.decisions, instance: instance, terms: terms, context: context, migrationPenalty: 0)
        var stages: [PlanStage] = []
        for (t, term) in terms.enumerated() {
            let sign = term.reportsNegated ? -1.0 : 1.0
            // A bound below the value reached (solver round-off) proves nothing beyond the value.
            // `+ 0` turns the -0 of a negated zero cost into 0 (the tables printed "-0.00").
            let bound = outcome.stageBounds[t].map { max($0, values[t]) * sign + 0 }
            let value = values[t] * sign + 0
            stages.append(PlanStage(objective: term.name, value: value, bound: bound, solver: outcome.solver,
                                    status: StageProof.status(value: value, bound: bound)))
        }
        let provenAll = stages.allSatisfy { $0.status == .optimal }
        let method = outcome.method + " — " + Self.ending(outcome.stageEnds, proven: provenAll)
        let gaps = stages.map(\.gap)
        let planGap = gaps.contains(where: { $0 == nil }) ? nil : gaps.compactMap { $0 }.max()
        let seconds = (clock.now - started).seconds
        let metrics = PlanAssembler.metrics(
            entries: entries, pool: pool, workload: workload, table: options.throughputTable,
            objective: stages.first?.value, bound: stages.first?.bound, gap: stages.isEmpty ? 0 : planGap,
            seconds: seconds, method: method)

        var replan: ReplanSummary?
        if current != nil {
            let count = { (change: PlacementChange) in entries.filter { $0.change == change }.count }
            replan = ReplanSummary(
                kept: count(.kept), moved: count(.moved), queued: count(.queued), started: count(.started),
                displaced: built.displaced.count, departed: built.departed)
        }
        let plan = Plan(
            policies: policies.map(\.rawValue), method: method, jobs: entries, metrics: metrics, stages: stages,
            allocation: allocation, decomposition: outcome.decomposition, replan: replan, notes: notes)
        let violations = PlanChecker.check(plan, pool: pool, workload: workload)
        if !violations.isEmpty { throw .planFailedCheck(violations) }
        return plan
    }

    /// The method line's ending: what stopped the search (see Docs/Planning.md).
    static func ending(_ ends: [StageEnd], proven: Bool) -> String {
        if proven { return "optimal" }
        let weakest = ends.max { $0.weakness < $1.weakness } ?? .heuristic
        switch weakest {
        case .optimal, .gapLimit: return "gap limit"
        case .timeLimit: return "time limit"
        case .heuristic: return "heuristic"
        case .solverTrouble: return "solver trouble (see notes)"
        }
    }
}
