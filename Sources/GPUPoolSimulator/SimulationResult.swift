/// What happened to one job in a simulation.
public struct JobRecord: Sendable, Hashable, Codable {
    /// The job's id.
    public var id: String
    /// The job's tenant.
    public var tenant: String
    /// GPUs of the gang.
    public var gpus: Int
    /// Arrival time (s).
    public var arrival: Double
    /// First time the job ran (s), if it ever did.
    public var firstStart: Double?
    /// Completion time (s), if it completed.
    public var completion: Double?
    /// Steps completed.
    public var stepsDone: Double
    /// Steps required.
    public var totalSteps: Double
    /// Seconds the job needs alone on its fastest accelerator.
    public var isolatedSeconds: Double
    /// Times the job stopped running before completing (scheduler decisions and failures).
    public var preemptions: Int
    /// Times the job moved to other GPUs while running.
    public var migrations: Int
    /// Times a node failure interrupted the job.
    public var failureInterruptions: Int
    /// Seconds the job held GPUs, per accelerator model.
    public var secondsByAccelerator: [String: Double]
    /// Mean number of jobs competing for the pool (arrived, unfinished) during the job's lifetime.
    public var meanContention: Double
    /// Whether no shape of the job fits the pool even when every node is up (never schedulable).
    public var unschedulable: Bool
    /// Why the job did not complete (`nil` when it did): never schedulable, or the simulation
    /// stopped first. No job ends without either a completion or this reason.
    public var notCompletedReason: String?

    /// Job completion time (completion − arrival), if completed.
    public var jct: Double? { completion.map { $0 - arrival } }
    /// Queueing delay (first start − arrival), if the job ever ran.
    public var queueingDelay: Double? { firstStart.map { $0 - arrival } }

    /// Creates a record.
    public init(
        id: String, tenant: String, gpus: Int, arrival: Double, firstStart: Double? = nil, completion: Double? = nil,
        stepsDone: Double = 0, totalSteps: Double, isolatedSeconds: Double, preemptions: Int = 0, migrations: Int = 0,
        failureInterruptions: Int = 0, secondsByAccelerator: [String: Double] = [:], meanContention: Double = 0,
        unschedulable: Bool = false, notCompletedReason: String? = nil
    ) {
        self.id = id
        self.tenant = tenant
        self.gpus = gpus
        self.arrival = arrival
        self.firstStart = firstStart
        self.completion = completion
        self.stepsDone = stepsDone
        self.totalSteps = totalSteps
        self.isolatedSeconds = isolatedSeconds
        self.preemptions = preemptions
        self.migrations = migrations
        self.failureInterruptions = failureInterruptions
        self.secondsByAccelerator = secondsByAccelerator
        self.meanContention = meanContention
        self.unschedulable = unschedulable
        self.notCompletedReason = notCompletedReason
    }
}

/// The state of the pool over one interval of simulated time (one round, or several rounds in
/// which nothing changed).
public struct TimeSample: Sendable, Hashable, Codable {
    /// Interval start (s).
    public var start: Double
    /// Interval end (s).
    public var end: Double
    /// GPU-seconds jobs held ÷ GPU-seconds of nodes that were up.
    public var utilization: Double
    /// Jobs arrived and unfinished but not running at the interval start.
    public var queued: Int
    /// Jobs running at the interval start.
    public var running: Int
    /// GPUs on nodes up at the interval start.
    public var availableGPUs: Int

    /// Creates a sample.
    public init(start: Double, end: Double, utilization: Double, queued: Int, running: Int, availableGPUs: Int) {
        self.start = start
        self.end = end
        self.utilization = utilization
        self.queued = queued
        self.running = running
        self.availableGPUs = availableGPUs
    }
}

/// The outcome of simulating one policy.
public struct SimulationResult: Sendable, Hashable, Codable {
    /// The policy's name.
    public var policy: String
    /// One record per input job, in input order.
    public var jobs: [JobRecord]
    /// Pool state over time.
    public var timeline: [TimeSample]
    /// Wall-clock seconds of each planner call (allocation + placement).
    public var plannerSeconds: [Double]
    /// Scheduling rounds in which the planner ran.
    public var plannedRounds: Int
    /// Rounds simulated (including rounds in which nothing changed and the previous decision held).
    public var rounds: Int
    /// GPU-seconds held by jobs.
    public var busyGPUSeconds: Double
    /// GPU-seconds of nodes that were up.
    public var availableGPUSeconds: Double
    /// Price of the GPU time held by jobs (USD).
    public var cost: Double
    /// Node outages that began during the run.
    public var failures: Int
    /// Simulated time at which the run stopped (s).
    public var endTime: Double
    /// Whether the run stopped at the simulated-time limit with work left.
    public var truncated: Bool
    /// Conservation violations found by the end-of-run check (empty when consistent).
    public var violations: [String]
    /// Wall-clock seconds of the whole run.
    public var wallSeconds: Double

    /// Creates a result.
    public init(
        policy: String, jobs: [JobRecord], timeline: [TimeSample], plannerSeconds: [Double], plannedRounds: Int, rounds: Int,
        busyGPUSeconds: Double, availableGPUSeconds: Double, cost: Double, failures: Int, endTime: Double, truncated: Bool,
        violations: [String], wallSeconds: Double
    ) {
        self.policy = policy
        self.jobs = jobs
        self.timeline = timeline
        self.plannerSeconds = plannerSeconds
        self.plannedRounds = plannedRounds
        self.rounds = rounds
        self.busyGPUSeconds = busyGPUSeconds
        self.availableGPUSeconds = availableGPUSeconds
        self.cost = cost
        self.failures = failures
        self.endTime = endTime
        self.truncated = truncated
        self.violations = violations
        self.wallSeconds = wallSeconds
    }

    /// Summary figures (JCT percentiles, fairness, …).
    public var metrics: SimulationMetrics { SimulationMetrics(self) }
}
