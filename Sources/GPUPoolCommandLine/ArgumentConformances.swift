import ArgumentParser
import GPUPoolModel
import GPUPoolPlanner

// The planner's closed sets and the solve methods as option values, shared by `gpupool` and `gpupool-bench`. The
// libraries know nothing of argument-parser, so the conformances live here.

/// `--method auto|exact|heuristic`.
extension PlanningMethod: ExpressibleByArgument {}

/// `solve --method auto|simplex|dual|interior|mip|heuristic` (case ignored).
extension SolveMethod: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

/// A policy name: `min-cost`, `max-utilization`, … (case, `_` and the library's aliases accepted).
extension PlanningPolicy: ExpressibleByArgument {
    public init?(argument: String) {
        guard let policy = try? PlanningPolicy(name: argument) else { return nil }
        self = policy
    }
}

extension PlanningPolicy {
    /// Throws when a policy is listed twice (`--policy min-cost,min-cost`), as `PlanningPolicy.list` does.
    public static func checkUnique(_ policies: [PlanningPolicy], option: String) throws(ValidationError) {
        var seen: Set<PlanningPolicy> = []
        for policy in policies where !seen.insert(policy).inserted {
            throw ValidationError("\(option): policy '\(policy.rawValue)' is listed twice")
        }
    }
}
