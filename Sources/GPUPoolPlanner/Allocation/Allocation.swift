import GPUPoolSupport

/// The allocation level (Gavel): the fraction of time each job should get on each accelerator
/// model, from an LP over aggregate capacities. The placement then realises it.
public struct Allocation: Sendable, Hashable, Codable {
    /// The policy the LP optimised, e.g. `"max-min-fairness"`.
    public var policy: String
    /// How it was solved, e.g. `"GLPK 5.0 simplex"`, `"heuristic: Garg-Koenemann (eps 0.05)"`,
    /// with `"POP k=4"` in front when decomposed.
    public var method: String
    /// The LP objective: the fairness level `t` (1 = every job gets its equal-share throughput,
    /// scaled by its weight), or the total normalised throughput.
    public var objective: Double
    /// A proven upper bound on the objective, when known.
    public var bound: Double?
    /// Wall-clock seconds.
    public var seconds: Double
    /// POP partitions used (1: solved whole).
    public var partitions: Int
    /// Accelerator models, in the order of ``JobAllocation/fractions``.
    public var accelerators: [String]
    /// Schedulable GPUs of each accelerator model.
    public var capacities: [Int]
    /// One entry per job considered, in workload order.
    public var jobs: [JobAllocation]

    /// Creates an allocation.
    public init(
        policy: String, method: String, objective: Double, bound: Double?, seconds: Double, partitions: Int,
        accelerators: [String], capacities: [Int], jobs: [JobAllocation]
    ) {
        self.policy = policy
        self.method = method
        self.objective = objective
        self.bound = bound
        self.seconds = seconds
        self.partitions = partitions
        self.accelerators = accelerators
        self.capacities = capacities
        self.jobs = jobs
    }
}

/// One job's time fractions.
public struct JobAllocation: Sendable, Hashable, Codable {
    /// The job's id.
    public var job: String
    /// Fraction of time on each accelerator of ``Allocation/accelerators`` (sum ≤ 1).
    public var fractions: [Double]
    /// Throughput under this allocation ÷ throughput on an equal share of the pool.
    public var normalizedThroughput: Double

    /// Creates an entry.
    public init(job: String, fractions: [Double], normalizedThroughput: Double) {
        self.job = job
        self.fractions = fractions
        self.normalizedThroughput = normalizedThroughput
    }
}
