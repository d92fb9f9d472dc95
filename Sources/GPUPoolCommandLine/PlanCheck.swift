import GPUPoolDomain
import GPUPoolPlanner

/// Every plan a command prints has passed the independent checker: a violation is a planner bug,
/// reported as an internal error with the first three violations.
public func requirePassesChecker(_ plan: Plan, pool: Pool, workload: Workload, what: String = "the plan") throws {
    let violations = PlanChecker.check(plan, pool: pool, workload: workload)
    guard violations.isEmpty else {
        throw InputError("internal error: \(what) failed the independent checker: \(violations.prefix(3).map { "\($0)" }.joined(separator: "; "))")
    }
}
