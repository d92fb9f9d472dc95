import GPUPoolDomain
import GPUPoolPlanner

/// Runs several policies on the same jobs and the same failures, one after the other.
public enum PolicyComparison {
    /// Simulates each policy in `policies` with `options` (its ``SimulationOptions/policy`` replaced).
    ///
    /// The failure schedule is drawn once from `options.failures` and the seed, so every policy sees
    /// the same outages, and the jobs are the same, so every policy sees the same arrivals.
    /// - Parameter progress: called with (policy index, fraction of that policy's jobs finished).
    /// - Throws: ``SimulationError`` for invalid input.
    public static func run(
        pool: Pool, jobs: [Job], policies: [PlanningPolicy], options: SimulationOptions,
        progress: ((Int, Double) -> Void)? = nil
    ) throws(SimulationError) -> [SimulationResult] {
        let schedule = try FailureSchedule.make(model: options.failures, pool: pool, horizon: options.maxSimulatedSeconds, seed: options.seed)
        let simulator = try Simulator(pool: pool, jobs: jobs, failures: schedule)
        var results: [SimulationResult] = []
        for (index, policy) in policies.enumerated() {
            var o = options
            o.policy = policy
            results.append(try simulator.run(options: o, progress: progress.map { report in { report(index, $0) } }))
        }
        return results
    }
}
