import Foundation
import GPUPoolDomain
import GPUPoolPlanner
import GPUPoolSupport
import GPUPoolWorkloads

/// A planner instance: a pool and a workload, judged under one policy's own objective
/// (``GPUPoolPlanner/PlanScore``). A heuristic answers with a plan; the harness checks it with
/// ``GPUPoolPlanner/PlanChecker`` (the hard rules: capacity, gangs, eligibility, memory, providers,
/// locality, quotas, budgets, health) and scores it itself.
public struct PlanningCase: Sendable {
    public var pool: Pool
    public var workload: Workload
    public var policy: PlanningPolicy

    /// - Throws: ``ValidationInputError`` when the policy has no scalar objective (see ``GPUPoolPlanner/PlanScore/scoredPolicies``).
    public init(pool: Pool, workload: Workload, policy: PlanningPolicy) throws(ValidationInputError) {
        guard PlanScore.scoredPolicies.contains(policy) else {
            throw ValidationInputError(file: policy.rawValue, problem: nil,
                                       message: "policy \(policy.rawValue) has no scalar objective of its own; planner instances take \(PlanScore.scoredPolicies.map(\.rawValue).joined(separator: ", "))")
        }
        self.pool = pool
        self.workload = workload
        self.policy = policy
    }

    /// The plan rules a heuristic's plan must keep. The planner's own promises about unplaced jobs
    /// (no idle job that fits, strict priorities, reason codes, an entry with a reason for every job)
    /// are about how it explains a plan, not about whether the plan can run, so they are not asked of
    /// other heuristics: a job a plan does not mention is unplaced.
    public static let hardRules: Set<PlanViolation.Kind> = Set(PlanViolation.Kind.allCases)
        .subtracting([.idleJobFits, .priority, .reason, .inconsistentEntry, .missingJob])

    /// The instance as an external program reads it: `{"policy": …, "pool": …, "workload": …}` in the
    /// documented pool and workload formats (Docs/PoolFormat.md), keys sorted.
    public func instanceJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        struct Document: Encodable {
            var policy: String
            var pool: Pool
            var workload: Workload
        }
        return try encoder.encode(Document(policy: policy.rawValue, pool: pool, workload: workload))
    }

    /// A plan from a list of placements (jobs not listed are unplaced), as external heuristics give it.
    public func plan(from placements: [WorkerAssignment]) -> Plan {
        let nodes = Dictionary(pool.nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var byJob: [String: WorkerAssignment] = [:]
        for p in placements where byJob[p.job] == nil { byJob[p.job] = p }
        var entries: [JobPlacement] = []
        for job in workload.jobs {
            guard let p = byJob[job.id] else {
                entries.append(JobPlacement(job: job.id, tenant: job.tenant, status: .unplaced,
                                            reason: UnplacedReason(.capacityExhausted, "not placed by the heuristic")))
                continue
            }
            let cost = p.workers.reduce(0.0) { $0 + (nodes[$1.node]?.pricePerGPUHour ?? 0) * Double($1.gpus.count) }
            entries.append(JobPlacement(job: job.id, tenant: job.tenant, status: .placed, shape: p.shape,
                                        accelerator: p.workers.first.flatMap { nodes[$0.node]?.accelerator },
                                        workers: p.workers, costPerHour: cost))
        }
        // Placements of jobs the workload does not have are kept, so that the checker names them.
        for p in placements where !workload.jobs.contains(where: { $0.id == p.job }) {
            entries.append(JobPlacement(job: p.job, tenant: "?", status: .placed, shape: p.shape, workers: p.workers))
        }
        let used = entries.reduce(0) { $0 + $1.gpuCount }
        return Plan(policies: [policy.rawValue], method: "external", jobs: entries, metrics: PlanMetrics(
            placedJobs: entries.filter { $0.status == .placed }.count, unplacedJobs: entries.filter { $0.status == .unplaced }.count,
            usedGPUs: used, schedulableGPUs: pool.nodes.reduce(0) { $0 + $1.freeGPUs }, costPerHour: entries.reduce(0) { $0 + $1.costPerHour },
            utilization: 0, totalThroughput: 0, normalizedThroughput: 0, expectedAvailability: nil, jainFairness: nil,
            objective: nil, bound: nil, gap: nil, solveSeconds: 0, method: "external"))
    }

    /// Checks `plan` against the hard rules and scores it; the failure names the first broken rule.
    public func verify(_ plan: Plan) -> Result<Double, HeuristicFailure> {
        let broken = PlanChecker.check(plan, pool: pool, workload: workload).filter { Self.hardRules.contains($0.kind) }
        if let first = broken.first {
            return .failure(HeuristicFailure(kind: "infeasible", message: "\(broken.count) violation(s), first: \(first)"))
        }
        do throws(PlannerError) {
            return .success(try PlanScore.value(of: plan, policy: policy, pool: pool, workload: workload))
        } catch {
            return .failure(HeuristicFailure(kind: "infeasible", message: "cannot score the plan: \(error.description)"))
        }
    }
}

/// One job's placement as an external heuristic states it: the shape index (0 = preferred) and the
/// node and GPU indices of every worker.
public struct WorkerAssignment: Sendable, Hashable, Codable {
    public var job: String
    public var shape: Int
    public var workers: [WorkerPlacement]

    public init(job: String, shape: Int = 0, workers: [WorkerPlacement]) {
        self.job = job
        self.shape = shape
        self.workers = workers
    }
}

extension ValidationProblem {
    /// A planner instance built in memory.
    /// - Parameters:
    ///   - name: the instance name (default `plan`).
    ///   - family: the family in summaries (default `plan-POLICY`).
    public init(planning: PlanningCase, name: String? = nil, family: String? = nil) {
        let label = name ?? "plan"
        self.init(content: .planning(planning), file: label, instance: label, family: family ?? "plan-\(planning.policy.rawValue)")
    }

    /// The planner instance, or `nil`.
    public var planning: PlanningCase? {
        if case let .planning(p) = content { return p }
        return nil
    }

    /// Seeded feature-rich pools and workloads (the planner's benchmark generator,
    /// `WorkloadGenerator.generateRealistic`), each judged under `policy`. Instance `k` (from 1) uses seed
    /// `seed + k - 1` and is named `planNODESn-JOBSj-POLICY-sSEED`.
    public static func generatedPlanning(
        nodes: Int, jobs: Int, policy: PlanningPolicy, count: Int = 1, seed: UInt64 = 1
    ) throws(ValidationInputError) -> [ValidationProblem] {
        let family = "plan\(nodes)n-\(jobs)j-\(policy.rawValue)"
        guard (1...100_000).contains(nodes), (1...100_000).contains(jobs) else {
            throw ValidationInputError(file: family, problem: nil, message: "nodes and jobs must be between 1 and 100000")
        }
        var out: [ValidationProblem] = []
        for k in 0..<max(0, count) {
            let s = seed &+ UInt64(k)
            do {
                let (pool, workload) = try WorkloadGenerator.generateRealistic(jobs: jobs, gpus: nodes * 8, nodes: nodes, seed: s)
                let planning = try PlanningCase(pool: pool, workload: workload, policy: policy)
                out.append(ValidationProblem(planning: planning, name: "\(family)-s\(s)", family: family))
            } catch let error as ValidationInputError {
                throw error
            } catch {
                throw ValidationInputError(file: family, problem: k + 1, message: "\(error)")
            }
        }
        return out
    }

    /// A planner instance from a pool file and a workload file (Docs/PoolFormat.md), judged under `policy`,
    /// named `POOL+JOBS-POLICY`.
    public static func planning(poolFile: String, workloadFile: String, policy: PlanningPolicy) throws(ValidationInputError) -> ValidationProblem {
        let pool: Pool, workload: Workload
        do {
            pool = try PoolFile.read(path: poolFile)
            workload = try WorkloadFile.read(path: workloadFile, against: pool, requireFit: false)
        } catch {
            throw ValidationInputError(file: poolFile, problem: nil, message: "\(error)")
        }
        let base = { (path: String) in URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent }
        let name = "\(base(poolFile))+\(base(workloadFile))-\(policy.rawValue)"
        return ValidationProblem(planning: try PlanningCase(pool: pool, workload: workload, policy: policy), name: name,
                                 family: "plan-\(policy.rawValue)")
    }
}

/// The planner's own search as a heuristic on planner instances (`--heuristic planner`): the greedy
/// placement with local improvement (`PlanningMethod.heuristic`) under the instance's policy.
public struct PlannerHeuristic: ValidationHeuristic {
    public var name: String { "planner" }

    public init() {}

    public func solve(_ problem: ValidationProblem, timeLimit: Double, seed: UInt64, report: (Incumbent) -> Void) throws -> HeuristicAnswer {
        guard let planning = problem.planning else { return .none }
        let options = PlannerOptions(policies: [planning.policy], method: .heuristic, timeLimit: timeLimit, seed: seed)
        let start = ContinuousClock.now
        let plan = try Planner(options: options).plan(pool: planning.pool, workload: planning.workload)
        if let value = try? PlanScore.value(of: plan, policy: planning.policy, pool: planning.pool, workload: planning.workload) {
            report(Incumbent(objective: value, seconds: (ContinuousClock.now - start).seconds))
        }
        return .plan(plan)
    }
}
