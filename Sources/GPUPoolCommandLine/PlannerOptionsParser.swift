import GPUPoolPlanner

/// Shared parsing of planner flags.
public enum PlannerOptionsParser {
    /// Planner options from the `--policy`, `--method`, `--time-limit`, `--partitions` and `--seed`
    /// flags; each bad value is named in an ``InputError``.
    public static func options(policy: String?, method: String, timeLimit: Double, partitions: Int, seed: UInt64) throws -> PlannerOptions {
        guard let m = PlanningMethod(rawValue: method) else {
            throw InputError("--method \(method): unknown (known: \(PlanningMethod.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard timeLimit > 0, timeLimit.isFinite else { throw InputError("--time-limit \(timeLimit): must be a positive number of seconds") }
        guard (1...1024).contains(partitions) else { throw InputError("--partitions \(partitions): must be between 1 and 1024") }
        var options = PlannerOptions(method: m, timeLimit: timeLimit, partitions: partitions, seed: seed)
        if let policy {
            do { options.policies = try PlanningPolicy.list(policy) } catch { throw InputError("--policy \(policy): \(error.description)") }
        }
        return options
    }
}

