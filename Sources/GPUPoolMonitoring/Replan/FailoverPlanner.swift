import GPUPoolDomain
import GPUPoolPlanner
import GPUPoolTelemetry

/// What happened to one job in a failover re-plan.
public struct JobOutcome: Sendable, Hashable, Codable {
    /// The job's id.
    public var job: String
    /// Kept, moved, queued, started or waiting (see ``GPUPoolPlanner/PlacementChange``).
    public var change: PlacementChange
    /// Whether the job had a worker on a node that became unusable (draining, failed, lost).
    public var affected: Bool
    /// Why: the node problem for affected jobs, the planner's reason for queued ones.
    public var reason: String?

    /// Creates an outcome.
    public init(job: String, change: PlacementChange, affected: Bool, reason: String?) {
        self.job = job
        self.change = change
        self.affected = affected
        self.reason = reason
    }
}

/// The result of a failover re-plan.
public struct FailoverResult: Sendable {
    /// The new plan (every workload job exactly once).
    public var plan: Plan
    /// One outcome per job of the workload, in workload order.
    public var outcomes: [JobOutcome]
    /// Invariant violations found by ``FailoverInvariants`` (empty when the plan is sound).
    public var violations: [String]

    /// Jobs that had a worker on a node that became unusable.
    public var affected: Int { outcomes.filter(\.affected).count }
    /// Jobs that run on the same GPUs as before.
    public var kept: Int { outcomes.filter { $0.change == .kept }.count }
    /// Jobs that ran before and run elsewhere now.
    public var moved: Int { outcomes.filter { $0.change == .moved }.count }
    /// Jobs that ran before and wait now (each has a reason).
    public var queued: Int { outcomes.filter { $0.change == .queued }.count }
    /// Jobs of the previous plan that are missing from the new one (must be 0).
    public var lost: Int { violations.filter { $0.hasPrefix("lost:") }.count }
}

/// Re-plans after node health changed, touching only what must change.
///
/// - **cordoned** nodes keep their jobs (pinned) but get no new work;
/// - **draining** and **failed** nodes, and nodes missing from the pool, lose their jobs, which
///   the planner's incremental re-plan moves or queues with a reason;
/// - other jobs stay unless moving gains more than the planner's migration penalty.
///
/// Every result is checked against ``FailoverInvariants``: no job dropped, none left on an
/// unusable node, none newly placed on a cordoned node, every queued job with a reason.
public struct FailoverPlanner: Sendable {
    /// The planner used for the incremental re-plan.
    public var planner: Planner

    /// Creates a failover planner; the default options favour speed (heuristic placement).
    public init(planner: Planner = Planner(options: PlannerOptions(method: .heuristic, timeLimit: 10, heuristicStarts: 1))) {
        self.planner = planner
    }

    /// Re-plans `current` for `pool` (whose node health reflects the monitor) and `workload`.
    /// - Throws: ``MonitoringError/replan(_:)`` when the planner rejects the input.
    public func replan(current: Plan, pool: Pool, workload: Workload) throws(MonitoringError) -> FailoverResult {
        let cordoned = Set(pool.nodes.filter { $0.health == .cordoned }.map(\.id))
        let nodeByID = Dictionary(pool.nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var affectedReason: [String: String] = [:]
        var onCordoned = Set<String>()
        for entry in current.jobs where entry.status == .placed {
            for worker in entry.workers {
                guard let node = nodeByID[worker.node] else {
                    affectedReason[entry.job] = affectedReason[entry.job] ?? "node \(worker.node) left the pool"
                    continue
                }
                if node.health == .draining || node.health == .failed {
                    affectedReason[entry.job] = affectedReason[entry.job] ?? "node \(node.id) is \(node.health.rawValue)"
                } else if node.health == .cordoned {
                    onCordoned.insert(entry.job)
                }
            }
        }
        // Cordon = no new work: the planner sees cordoned nodes as schedulable under a provider
        // only their current jobs may use, and those jobs are pinned.
        var view = pool
        var viewWorkload = workload
        var options = planner.options
        if !cordoned.isEmpty {
            let fence = { (provider: String) in "cordoned:\(provider)" }
            var fenced = Set<String>()
            for k in view.nodes.indices where cordoned.contains(view.nodes[k].id) {
                let original = view.nodes[k].provider
                fenced.insert(original)
                view.nodes[k].provider = fence(original)
                view.nodes[k].health = .suspect
            }
            for provider in fenced.sorted() {
                let base = pool.provider(id: provider)
                view.providers.append(Provider(id: fence(provider), kind: base?.kind ?? .community, name: base?.name,
                                               availability: base?.availability))
            }
            let pinned = onCordoned.subtracting(affectedReason.keys)
            for k in viewWorkload.jobs.indices {
                let job = viewWorkload.jobs[k]
                for provider in fenced.sorted() {
                    if pinned.contains(job.id) {
                        // A pinned job keeps its placement: let it use the fenced provider too.
                        if var allowed = job.allowedProviders, allowed.contains(provider) {
                            allowed.append(fence(provider))
                            viewWorkload.jobs[k].allowedProviders = allowed
                        }
                        if job.deniedProviders.contains(provider) { viewWorkload.jobs[k].deniedProviders.append(fence(provider)) }
                    } else {
                        viewWorkload.jobs[k].deniedProviders.append(fence(provider))
                    }
                }
            }
            options.pinnedJobs.formUnion(pinned)
        }
        let plan: Plan
        do {
            plan = try Planner(options: options).replan(current: current, pool: view, workload: viewWorkload)
        } catch {
            throw .replan(error.description)
        }
        var outcomes: [JobOutcome] = []
        for entry in plan.jobs {
            let change = entry.change ?? (entry.status == .placed ? .started : .waiting)
            var reason = affectedReason[entry.job]
            if entry.status == .unplaced, let r = entry.reason { reason = reason.map { "\($0); \(r.description)" } ?? r.description }
            outcomes.append(JobOutcome(job: entry.job, change: change, affected: affectedReason[entry.job] != nil, reason: reason))
        }
        let violations = FailoverInvariants.check(previous: current, next: plan, pool: pool, workload: workload)
        return FailoverResult(plan: plan, outcomes: outcomes, violations: violations)
    }
}

/// The promises of a failover re-plan, checked independently of the planner.
public enum FailoverInvariants {
    /// Violations (empty when all hold):
    /// - `lost:` a job of the workload placed before is missing from the new plan;
    /// - `duplicate:` a job appears more than once;
    /// - `unusable:` a placed job uses a draining, failed or missing node;
    /// - `cordon:` a job is newly placed on a cordoned node;
    /// - `reason:` a queued job has no reason.
    public static func check(previous: Plan, next: Plan, pool: Pool, workload: Workload) -> [String] {
        var violations: [String] = []
        let nodeByID = Dictionary(pool.nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var seen: [String: Int] = [:]
        for entry in next.jobs { seen[entry.job, default: 0] += 1 }
        for (job, n) in seen.sorted(by: { $0.key < $1.key }) where n > 1 { violations.append("duplicate: job \(job) appears \(n) times") }
        let inWorkload = Set(workload.jobs.map(\.id))
        for job in workload.jobs where seen[job.id] == nil { violations.append("lost: job \(job.id) is missing from the new plan") }
        let previousByJob = Dictionary(previous.jobs.map { ($0.job, $0) }, uniquingKeysWith: { a, _ in a })
        for entry in next.jobs where inWorkload.contains(entry.job) {
            if entry.status == .placed {
                let before = Set((previousByJob[entry.job]?.status == .placed ? previousByJob[entry.job]?.workers : nil)?.map(\.node) ?? [])
                for worker in entry.workers {
                    guard let node = nodeByID[worker.node] else {
                        violations.append("unusable: job \(entry.job) is on node \(worker.node), which left the pool")
                        continue
                    }
                    if node.health == .draining || node.health == .failed {
                        violations.append("unusable: job \(entry.job) is on \(node.health.rawValue) node \(node.id)")
                    } else if node.health == .cordoned, !before.contains(node.id) {
                        violations.append("cordon: job \(entry.job) was newly placed on cordoned node \(node.id)")
                    }
                }
            } else if entry.reason == nil {
                violations.append("reason: queued job \(entry.job) has no reason")
            }
        }
        return violations
    }
}
