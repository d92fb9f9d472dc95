import GPUPoolDomain
import GPUPoolPlanner

/// Settings of one simulated run (one policy).
public struct SimulationOptions: Sendable {
    /// The scheduling policy. ``PlanningPolicy/maxMinFairness`` and
    /// ``PlanningPolicy/maxMinFairnessAgnostic`` time-share the pool round by round (Gavel); the
    /// others re-plan only when something changed and keep running jobs where they are.
    public var policy: PlanningPolicy
    /// How the planner places jobs (`heuristic` keeps rounds fast; `auto` adds GLPK on small rounds).
    public var method: PlanningMethod
    /// Length of a scheduling round in seconds (Gavel: 360).
    public var roundSeconds: Double
    /// Seconds a job makes no progress after it starts, resumes or moves (checkpoint restore).
    public var restartDelaySeconds: Double
    /// Seed of every random choice (failures, planner tie-breaking).
    public var seed: UInt64
    /// How nodes fail and come back.
    public var failures: FailureModel
    /// Stop after this much simulated time (jobs still queued or running are reported as such).
    public var maxSimulatedSeconds: Double
    /// Wall-clock limit of each planner call in seconds.
    public var plannerTimeLimit: Double
    /// Relative throughputs for models a job does not state.
    public var throughputTable: ThroughputTable

    /// Creates options; defaults follow Gavel's simulator (6-minute rounds, heuristic placement).
    public init(
        policy: PlanningPolicy = .maxMinFairness, method: PlanningMethod = .heuristic, roundSeconds: Double = 360,
        restartDelaySeconds: Double = 0, seed: UInt64 = 1, failures: FailureModel = .none,
        maxSimulatedSeconds: Double = 365 * 86_400, plannerTimeLimit: Double = 10,
        throughputTable: ThroughputTable = .standard
    ) {
        self.policy = policy
        self.method = method
        self.roundSeconds = roundSeconds
        self.restartDelaySeconds = restartDelaySeconds
        self.seed = seed
        self.failures = failures
        self.maxSimulatedSeconds = maxSimulatedSeconds
        self.plannerTimeLimit = plannerTimeLimit
        self.throughputTable = throughputTable
    }

    /// Whether the policy time-shares GPUs by the allocation's time fractions each round.
    public var isTimeSharing: Bool { policy == .maxMinFairness || policy == .maxMinFairnessAgnostic }

    /// Problems with the options (empty when valid).
    public func problems() -> [String] {
        var problems: [String] = []
        if !(roundSeconds >= 1 && roundSeconds <= 86_400 * 30) { problems.append("round length \(roundSeconds) s must be between 1 s and 30 days") }
        if !(restartDelaySeconds >= 0 && restartDelaySeconds.isFinite) { problems.append("restart delay \(restartDelaySeconds) s must be a non-negative number") }
        if !(maxSimulatedSeconds > 0 && maxSimulatedSeconds <= 1e10) { problems.append("simulated time limit \(maxSimulatedSeconds) s must be in (0, 1e10]") }
        if !(plannerTimeLimit > 0 && plannerTimeLimit.isFinite) { problems.append("planner time limit \(plannerTimeLimit) s must be positive") }
        problems += failures.problems()
        return problems
    }
}
