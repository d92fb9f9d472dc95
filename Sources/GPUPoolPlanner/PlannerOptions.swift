import GPUPoolDomain
import GPUPoolSolver

/// How placements are computed.
public enum PlanningMethod: String, Sendable, Hashable, Codable, CaseIterable {
    /// Heuristic first; then, when an exact solver is built in and the instance is small enough,
    /// the exact model warm-started from the heuristic, until the gap target or the time limit.
    case auto
    /// The exact MIP through the model API (needs GLPK); fails for instances over
    /// ``PlannerOptions/maxExactVariables``.
    case exact
    /// The greedy placement plus local improvement only (scales to 10,000 jobs × 100,000 GPUs).
    case heuristic
}

/// Settings of a planning run.
public struct PlannerOptions: Sendable {
    /// Policies in lexicographic order (see ``PlanningPolicy`` for how the order is normalised).
    public var policies: [PlanningPolicy]
    /// Exact, heuristic or both.
    public var method: PlanningMethod
    /// Wall-clock limit for the whole run in seconds (`nil`: none; the heuristic always finishes).
    public var timeLimit: Double?
    /// `auto` stops improving a stage once its value is within this relative gap of its bound
    /// (default 0.5 %).
    public var targetGap: Double
    /// Later stages may lose at most this relative amount of an earlier stage's optimum.
    public var lexicographicTolerance: Double
    /// POP decomposition: split jobs and nodes randomly into this many parts, solve each part
    /// alone, combine (1: no decomposition). Unplaced jobs then get one more greedy pass over the
    /// whole pool's leftover capacity.
    public var partitions: Int
    /// Seed for every random choice (POP partitions, generators); same seed, same plan.
    public var seed: UInt64
    /// Re-planning: a job that stays where it is counts this fraction more in every stage's
    /// objective than the same job moved, so moves happen only for a larger gain.
    public var migrationPenalty: Double
    /// Re-planning: jobs that must stay exactly where the current plan has them.
    public var pinnedJobs: Set<String>
    /// Relative throughputs used where a job does not state its throughput on a model.
    public var throughputTable: ThroughputTable
    /// Largest exact placement model (variables) `exact` and `auto` will build.
    public var maxExactVariables: Int
    /// Rounds of the heuristic's local improvement.
    public var improvementRounds: Int
    /// Greedy runs with different job orders (multi-start); the best is kept. Large instances
    /// get fewer (at most 20,000 / jobs), so the work grows at most linearly with the jobs.
    public var heuristicStarts: Int
    /// Optional soft time cap for the heuristic's extra starts and improvement passes (`nil`: only
    /// ``timeLimit`` applies). Plans are reproducible for a seed unless a time cap cuts the search.
    public var heuristicSeconds: Double?
    /// The solvers of the exact model, the allocation LP and the LP bounds (GLPK when built in);
    /// with `exact: nil`, `auto` plans with the heuristic only and `exact` is refused, as in a build
    /// without GLPK. See `SolverBackend`.
    public var backends: SolverBackends
    /// With a time limit, placement MIPs from this many variables get a relaxation-induced
    /// neighbourhood search before each stage's branch-and-cut (Docs/Planning.md, "How auto and
    /// exact spend the time"); 0: every model, `Int.max`: none. Smaller models are solved by
    /// branch-and-cut alone within a second or two.
    public var neighbourhoodSearchVariables = 2_000

    /// Creates options; the defaults are priority tiers, then utilisation, then cost, solved `auto`.
    public init(
        policies: [PlanningPolicy] = [.priority, .maxUtilization, .minCost], method: PlanningMethod = .auto,
        timeLimit: Double? = 30, targetGap: Double = 0.005, lexicographicTolerance: Double = 1e-6,
        partitions: Int = 1, seed: UInt64 = 1, migrationPenalty: Double = 0.1, pinnedJobs: Set<String> = [],
        throughputTable: ThroughputTable = .standard, maxExactVariables: Int = 60_000, improvementRounds: Int = 2,
        heuristicStarts: Int = 6, heuristicSeconds: Double? = nil, backends: SolverBackends = .standard
    ) {
        self.policies = policies
        self.method = method
        self.timeLimit = timeLimit
        self.targetGap = targetGap
        self.lexicographicTolerance = lexicographicTolerance
        self.partitions = partitions
        self.seed = seed
        self.migrationPenalty = migrationPenalty
        self.pinnedJobs = pinnedJobs
        self.throughputTable = throughputTable
        self.maxExactVariables = maxExactVariables
        self.improvementRounds = improvementRounds
        self.heuristicStarts = heuristicStarts
        self.heuristicSeconds = heuristicSeconds
        self.backends = backends
    }

    /// Problems with the options themselves (empty when valid).
    func problems() -> [String] {
        var problems: [String] = []
        if let t = timeLimit, !(t >= 0) || !t.isFinite { problems.append("time limit \(t) must be a non-negative number of seconds") }
        if !(targetGap >= 0) || !targetGap.isFinite { problems.append("target gap \(targetGap) must be a non-negative number") }
        if !(lexicographicTolerance >= 0) || !(lexicographicTolerance < 1) {
            problems.append("lexicographic tolerance \(lexicographicTolerance) must be in [0, 1)")
        }
        if partitions < 1 || partitions > 4096 { problems.append("partitions \(partitions) must be between 1 and 4096") }
        if !(migrationPenalty >= 0) || !migrationPenalty.isFinite { problems.append("migration penalty \(migrationPenalty) must be a non-negative number") }
        if maxExactVariables < 0 || maxExactVariables > 50_000_000 {
            problems.append("maxExactVariables \(maxExactVariables) must be in 0...50000000")
        }
        if improvementRounds < 0 { problems.append("improvementRounds \(improvementRounds) must be non-negative") }
        if neighbourhoodSearchVariables < 0 { problems.append("neighbourhoodSearchVariables \(neighbourhoodSearchVariables) must be non-negative") }
        if heuristicStarts < 1 || heuristicStarts > 1000 { problems.append("heuristicStarts \(heuristicStarts) must be in 1...1000") }
        if let h = heuristicSeconds, !(h >= 0) || !h.isFinite { problems.append("heuristicSeconds \(h) must be a non-negative number") }
        return problems
    }
}
