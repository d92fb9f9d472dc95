import Foundation
import GPUPoolDomain
import GPUPoolPlanner

/// Discrete-event, round-based simulation of a GPU pool serving a job trace under one policy.
///
/// Time advances in scheduling rounds of ``SimulationOptions/roundSeconds``. At the start of a
/// round the simulator admits the jobs that arrived, applies node failures and repairs, and asks
/// the real ``Planner`` where the runnable jobs go:
/// - time-sharing policies (max-min fairness and its agnostic variant) get the allocation's time
///   fractions from ``Planner/allocate(pool:workload:policy:)`` (recomputed only when the set of
///   jobs or nodes changes); each round the (job, accelerator) pairs are ranked Gavel-style by
///   allocated ÷ received time share, the top pairs that fit the accelerator's capacity are chosen,
///   and ``Planner/replan(current:pool:workload:)`` places them (keeping jobs where they ran);
/// - other policies re-plan all runnable jobs with ``Planner/replan(current:pool:workload:)``
///   whenever a job arrives or completes or a node fails or comes back.
///
/// A placed job progresses at its whole-gang steps/s on the accelerator it got; it completes at the
/// exact instant its steps are done (its GPUs are reused from the next round). A job that resumes
/// or moves makes no progress for ``SimulationOptions/restartDelaySeconds``. A node failure stops
/// the jobs on it (their progress is kept, as from a checkpoint). Rounds in which nothing can change
/// are skipped in one step, so idle stretches of long traces cost nothing.
public struct Simulator: Sendable {
    /// The pool (node health is overridden by the failure schedule).
    public var pool: Pool
    /// The jobs; each needs ``Job/arrivalSeconds`` and ``Job/totalSteps``.
    public var jobs: [Job]
    /// The outages every policy sees.
    public var failures: FailureSchedule

    /// Creates a simulator.
    /// - Throws: ``SimulationError`` listing every job without a valid arrival or size, duplicate ids
    ///   and pool problems.
    public init(pool: Pool, jobs: [Job], failures: FailureSchedule = FailureSchedule(outages: [])) throws(SimulationError) {
        var problems = pool.problems().map(\.description)
        var seen = Set<String>()
        for (i, job) in jobs.enumerated() {
            let item = "job \(i + 1) \"\(job.id)\""
            if !seen.insert(job.id).inserted { problems.append("\(item): duplicate id") }
            if !(job.arrivalSeconds.map { $0 >= 0 && $0.isFinite } ?? false) { problems.append("\(item): needs an arrival time ≥ 0") }
            if !(job.totalSteps.map { $0 > 0 && $0.isFinite } ?? false) { problems.append("\(item): needs a total work (steps) > 0") }
            if job.shape.totalGPUs.map({ $0 < 1 }) ?? true { problems.append("\(item): needs at least 1 GPU") }
        }
        if !problems.isEmpty { throw SimulationError(Array(problems.prefix(1000))) }
        self.pool = pool
        self.jobs = jobs
        self.failures = failures
    }

    /// Runs the simulation.
    /// - Parameter progress: called after each round with the fraction of jobs finished.
    /// - Throws: ``SimulationError`` for invalid options or when the planner rejects its input.
    public func run(options: SimulationOptions, progress: ((Double) -> Void)? = nil) throws(SimulationError) -> SimulationResult {
        let problems = options.problems()
        if !problems.isEmpty { throw SimulationError(problems) }
        var engine = SimulationEngine(pool: pool, jobs: jobs, failures: failures, options: options)
        return try engine.run(progress: progress)
    }
}
