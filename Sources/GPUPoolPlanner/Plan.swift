import Foundation

/// The result of planning: where every job of the workload runs, or why it does not, plus metrics.
///
/// Every job of the workload appears exactly once in ``jobs``, in workload order. A plan is
/// `Codable`; ``jsonData(pretty:)`` writes it with sorted keys so the same plan always gives the
/// same bytes, and ``decode(_:)`` reads it back (e.g. as the current plan for a re-plan).
public struct Plan: Sendable, Hashable, Codable {
    /// Version of the JSON layout.
    public static let currentFormatVersion = 1

    /// Version of the JSON layout this plan was written with.
    public var formatVersion: Int
    /// The policies in the order the planner applied them (see ``PlanningPolicy``).
    public var policies: [String]
    /// How the plan was computed, e.g. `"heuristic"`, `"exact (GLPK 5.0)"`, `"auto: heuristic within gap"`.
    public var method: String
    /// One entry per job of the workload, in workload order.
    public var jobs: [JobPlacement]
    /// Summary figures.
    public var metrics: PlanMetrics
    /// Objective value, bound, gap and status of each lexicographic stage, in order.
    public var stages: [PlanStage]
    /// The weakest stage's status: `optimal` only when every stage is proven optimal (`nil` only in
    /// plans written by versions before it existed).
    public var status: PlanStageStatus?
    /// The allocation (time fractions per accelerator) when a fairness policy computed one.
    public var allocation: Allocation?
    /// How the problem was decomposed (POP), or `nil` when it was solved whole.
    public var decomposition: String?
    /// Counts of kept, moved and queued jobs when this plan is a re-plan.
    public var replan: ReplanSummary?
    /// Remarks about how the input was interpreted (policy order changes, time limits reached …).
    public var notes: [String]

    /// Creates a plan.
    public init(
        policies: [String], method: String, jobs: [JobPlacement], metrics: PlanMetrics, stages: [PlanStage] = [],
        allocation: Allocation? = nil, decomposition: String? = nil, replan: ReplanSummary? = nil, notes: [String] = []
    ) {
        formatVersion = Self.currentFormatVersion
        self.policies = policies
        self.method = method
        self.jobs = jobs
        self.metrics = metrics
        self.stages = stages
        self.status = stages.allSatisfy { $0.status == .optimal } ? .optimal : .feasible
        self.allocation = allocation
        self.decomposition = decomposition
        self.replan = replan
        self.notes = notes
    }

    /// The entry of job `id`, if the plan has one.
    public func job(_ id: String) -> JobPlacement? { jobs.first { $0.job == id } }

    /// The placed jobs.
    public var placed: [JobPlacement] { jobs.filter { $0.status == .placed } }

    /// The unplaced jobs.
    public var unplaced: [JobPlacement] { jobs.filter { $0.status == .unplaced } }

    /// JSON with sorted keys (stable bytes for the same plan).
    public func jsonData(pretty: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads a plan written by ``jsonData(pretty:)``.
    /// - Throws: ``PlannerError/invalidInput(_:)`` saying what is wrong with the document.
    public static func decode(_ data: Data) throws(PlannerError) -> Plan {
        do {
            let plan = try JSONDecoder().decode(Plan.self, from: data)
            guard plan.formatVersion <= currentFormatVersion else {
                throw PlannerError.invalidInput(["plan format version \(plan.formatVersion) is newer than this planner understands (\(currentFormatVersion))"])
            }
            return plan
        } catch let error as PlannerError {
            throw error
        } catch let DecodingError.keyNotFound(key, context) {
            throw .invalidInput(["plan: missing field '\(key.stringValue)' at \(Self.path(context.codingPath))"])
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
                let DecodingError.dataCorrupted(context) {
            throw .invalidInput(["plan: \(context.debugDescription) at \(Self.path(context.codingPath))"])
        } catch {
            throw .invalidInput(["plan: \(error)"])
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
}

/// Whether a job runs in the plan.
public enum PlacementStatus: String, Sendable, Hashable, Codable {
    /// Every worker has a node and GPUs.
    case placed
    /// The job waits; ``JobPlacement/reason`` says why.
    case unplaced
}

/// The plan for one job.
public struct JobPlacement: Sendable, Hashable, Codable {
    /// The job's id.
    public var job: String
    /// The job's tenant.
    public var tenant: String
    /// Placed or not.
    public var status: PlacementStatus
    /// Index of the shape used: 0 is ``Job/shape``, 1… are ``Job/alternatives``. `nil` when unplaced.
    public var shape: Int?
    /// Accelerator model of every worker. `nil` when unplaced.
    public var accelerator: String?
    /// Node and GPU indices of each worker (empty when unplaced).
    public var workers: [WorkerPlacement]
    /// Price per hour of the GPUs used (0 when unplaced).
    public var costPerHour: Double
    /// Whole-gang steps/s on the chosen accelerator (estimate when the job did not state it).
    public var throughput: Double?
    /// Whether the job was pinned to its current placement.
    public var pinned: Bool
    /// Why the job is not placed. `nil` when placed.
    public var reason: UnplacedReason?
    /// Re-planning only: what happened to the job relative to the current plan.
    public var change: PlacementChange?

    /// Creates an entry.
    public init(
        job: String, tenant: String, status: PlacementStatus, shape: Int? = nil, accelerator: String? = nil,
        workers: [WorkerPlacement] = [], costPerHour: Double = 0, throughput: Double? = nil, pinned: Bool = false,
        reason: UnplacedReason? = nil, change: PlacementChange? = nil
    ) {
        self.job = job
        self.tenant = tenant
        self.status = status
        self.shape = shape
        self.accelerator = accelerator
        self.workers = workers
        self.costPerHour = costPerHour
        self.throughput = throughput
        self.pinned = pinned
        self.reason = reason
        self.change = change
    }

    /// Total GPUs used.
    public var gpuCount: Int { workers.reduce(0) { $0 + $1.gpus.count } }
}

/// One worker of a gang: its node and the GPU indices it uses there.
public struct WorkerPlacement: Sendable, Hashable, Codable {
    /// ``Node/id``.
    public var node: String
    /// GPU indices on the node (0-based, distinct, below the node's GPU count).
    public var gpus: [Int]

    /// Creates a worker placement.
    public init(node: String, gpus: [Int]) {
        self.node = node
        self.gpus = gpus
    }
}

/// Why a job was not placed.
public struct UnplacedReason: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The kind of reason.
    public var code: UnplacedReasonCode
    /// Specifics, e.g. which requirement no node meets.
    public var detail: String

    /// Creates a reason.
    public init(_ code: UnplacedReasonCode, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// `code: detail`.
    public var description: String { "\(code.rawValue): \(detail)" }
}

/// The kinds of reasons a job stays unplaced, from "can never run here" to "waits for capacity".
public enum UnplacedReasonCode: String, Sendable, Hashable, Codable, CaseIterable {
    /// No schedulable node meets the job's model, memory and provider requirements.
    case noEligibleNode = "no-eligible-node"
    /// Eligible nodes exist but even the empty pool could not hold the whole gang.
    case gangDoesNotFit = "gang-does-not-fit"
    /// The gang could fit in total, but not within one node/region/provider as its locality requires.
    case locality
    /// The tenant's GPU quota leaves no room for the job.
    case quota
    /// Every placement that fits costs more than the job's budget per hour.
    case budget
    /// Capacity the job could use went to jobs of a higher priority tier.
    case lowerPriority = "lower-priority"
    /// Capacity the job could use is taken by other jobs of the same or lower priority.
    case capacityExhausted = "capacity-exhausted"
    /// Re-planning: the job's node(s) failed or left the pool and no other placement was found.
    case displaced
}

/// What happened to a job in a re-plan, relative to the current plan.
public enum PlacementChange: String, Sendable, Hashable, Codable {
    /// Runs on exactly the same GPUs as before.
    case kept
    /// Ran before and now runs elsewhere (a migration).
    case moved
    /// Did not run before and is placed now.
    case started
    /// Ran before and is not placed now (preempted or displaced).
    case queued
    /// Did not run before and still waits.
    case waiting
}

/// Figures describing a plan.
public struct PlanMetrics: Sendable, Hashable, Codable {
    /// Jobs placed.
    public var placedJobs: Int
    /// Jobs not placed.
    public var unplacedJobs: Int
    /// GPUs used by placed jobs.
    public var usedGPUs: Int
    /// GPUs a plan could use: on schedulable nodes, less those held by outside work (``Node/gpusInUse``).
    public var schedulableGPUs: Int
    /// Price per hour of the GPUs in use (USD).
    public var costPerHour: Double
    /// `usedGPUs / schedulableGPUs` (0 for an empty pool).
    public var utilization: Double
    /// Sum of the placed jobs' throughputs (steps/s; mixes job types, so compare like with like).
    public var totalThroughput: Double
    /// Sum over placed jobs of throughput ÷ the job's best throughput (jobs-at-full-speed equivalents).
    public var normalizedThroughput: Double
    /// Sum over placed jobs of (GPUs of the preferred shape × throughput ÷ best throughput): GPUs' worth
    /// of work at each job's best speed — the quantity max-throughput maximises.
    public var effectiveGPUs: Double
    /// Mean over placed gangs of `Π P_i` over the nodes each uses (`nil` when nothing is placed).
    public var expectedAvailability: Double?
    /// Jain's index over all jobs of (normalised throughput ÷ weight), unplaced jobs counting 0
    /// (`nil` when nothing is placed).
    public var jainFairness: Double?
    /// Value of the primary (first) stage objective, in its natural sense (cost is reported positive).
    public var objective: Double?
    /// Best proven bound on the primary objective, when known.
    public var bound: Double?
    /// The plan's gap: the largest stage gap (``PlanStage/gap``); `nil` when some stage has no bound.
    public var gap: Double?
    /// Wall-clock seconds spent planning.
    public var solveSeconds: Double
    /// How the plan was computed (same as ``Plan/method``).
    public var method: String

    /// Creates metrics.
    public init(
        placedJobs: Int, unplacedJobs: Int, usedGPUs: Int, schedulableGPUs: Int, costPerHour: Double,
        utilization: Double, totalThroughput: Double, normalizedThroughput: Double, effectiveGPUs: Double = 0,
        expectedAvailability: Double?,
        jainFairness: Double?, objective: Double?, bound: Double?, gap: Double?, solveSeconds: Double, method: String
    ) {
        self.placedJobs = placedJobs
        self.unplacedJobs = unplacedJobs
        self.usedGPUs = usedGPUs
        self.schedulableGPUs = schedulableGPUs
        self.costPerHour = costPerHour
        self.utilization = utilization
        self.totalThroughput = totalThroughput
        self.normalizedThroughput = normalizedThroughput
        self.effectiveGPUs = effectiveGPUs
        self.expectedAvailability = expectedAvailability
        self.jainFairness = jainFairness
        self.objective = objective
        self.bound = bound
        self.gap = gap
        self.solveSeconds = solveSeconds
        self.method = method
    }
}

/// Whether a value is proven best (see Docs/Planning.md, "Status, bound and gap").
public enum PlanStageStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// A bound meets the value (relative gap ≤ 10⁻⁶): no feasible plan does better.
    case optimal
    /// A feasible value without such a proof; ``PlanStage/bound`` says how far it can be from the best.
    case feasible

    /// Reads `optimal` and `feasible`; statuses written by older versions (`time_limit`,
    /// `heuristic`, …) read as `feasible`, since they were never proofs.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = text == "optimal" ? .optimal : .feasible
    }
}

/// One stage of the lexicographic optimisation.
public struct PlanStage: Sendable, Hashable, Codable {
    /// What the stage optimises, e.g. `"max-utilization"`, `"min-cost"`, `"priority-tier-2"`.
    public var objective: String
    /// Achieved value (cost reported positive).
    public var value: Double
    /// A proven limit on the stage's value (an upper bound for `max-*` stages, a lower bound for
    /// `min-cost`) over the feasible plans that keep every earlier stage at least at this plan's
    /// value (less the lexicographic tolerance); `nil` when nothing is proven.
    public var bound: Double?
    /// `|bound − value| / max(1, |value|)`, when there is a bound.
    public var gap: Double?
    /// `"heuristic"`, `"GLPK 5.0"`, …
    public var solver: String
    /// `optimal` only when ``bound`` meets ``value``; otherwise `feasible`.
    public var status: PlanStageStatus

    /// Creates a stage record; ``gap`` is derived from value and bound.
    public init(objective: String, value: Double, bound: Double?, solver: String, status: PlanStageStatus) {
        self.objective = objective
        self.value = value
        self.bound = bound
        self.gap = StageProof.gap(value: value, bound: bound)
        self.solver = solver
        self.status = status
    }
}

/// Migration counts of a re-plan.
public struct ReplanSummary: Sendable, Hashable, Codable {
    /// Jobs that run on exactly the same GPUs as before (pinned included).
    public var kept: Int
    /// Jobs that ran before and run elsewhere now.
    public var moved: Int
    /// Jobs that ran before and are not placed now.
    public var queued: Int
    /// Jobs that did not run before and are placed now.
    public var started: Int
    /// Jobs that ran before on nodes that failed, left the pool or became unschedulable.
    public var displaced: Int
    /// Jobs of the current plan that are no longer in the workload (finished or withdrawn).
    public var departed: Int

    /// Creates a summary.
    public init(kept: Int, moved: Int, queued: Int, started: Int, displaced: Int, departed: Int) {
        self.kept = kept
        self.moved = moved
        self.queued = queued
        self.started = started
        self.displaced = displaced
        self.departed = departed
    }
}
