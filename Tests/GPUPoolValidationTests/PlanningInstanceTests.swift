import Foundation
import GPUPoolDomain
import GPUPoolPlanner
import GPUPoolSupport
import GPUPoolTestSupport
import GPUPoolValidation
import Testing

/// Planner instances in the harness (Docs/Validation.md, "Planner instances"): any heuristic answers with
/// a plan, the harness checks it with PlanChecker's hard rules and scores it under the instance's policy.
@Suite("Planner instances in the validation harness")
struct PlanningInstanceTests {
    /// A small hand-made instance whose optimum is clear: 2 nodes × 4 GPUs, jobs of 4, 3, 2 and 2 GPUs,
    /// single workers (max utilization 8: 4+2+2 or 4+3… 3+… — 4 and 2+2 fill both nodes exactly).
    static func small(policy: PlanningPolicy) throws -> PlanningCase {
        let pool = Pool(providers: [Provider(id: "dc", kind: .ownDataCenter)], nodes: [
            Node(id: "a", provider: "dc", accelerator: "A100", gpuCount: 4, gpuMemoryGiB: 40, region: "r", pricePerGPUHour: 1),
            Node(id: "b", provider: "dc", accelerator: "A100", gpuCount: 4, gpuMemoryGiB: 40, region: "r", pricePerGPUHour: 2, gpusInUse: 0),
        ])
        let workload = Workload(jobs: [4, 3, 2, 2].enumerated().map { i, g in
            Job(id: "j\(i)", tenant: "t", shape: JobShape(workers: 1, gpusPerWorker: g))
        })
        return try PlanningCase(pool: pool, workload: workload, policy: policy)
    }

    /// A heuristic written here: places job j0 on node a and nothing else (feasible, poor).
    struct OnlyFirst: ValidationHeuristic {
        var name: String { "only-first" }
        func solve(_ problem: ValidationProblem, timeLimit: Double, seed: UInt64, report: (Incumbent) -> Void) throws -> HeuristicAnswer {
            guard let planning = problem.planning else { return .none }
            return .plan(planning.plan(from: [WorkerAssignment(job: "j0", workers: [WorkerPlacement(node: "a", gpus: [0, 1, 2, 3])])]))
        }
    }

    /// A heuristic that lies: every job on node a's GPU 0 (double-booked), with a fine claimed value.
    struct DoubleBooks: ValidationHeuristic {
        var name: String { "double-books" }
        func solve(_ problem: ValidationProblem, timeLimit: Double, seed: UInt64, report: (Incumbent) -> Void) throws -> HeuristicAnswer {
            guard let planning = problem.planning else { return .none }
            report(Incumbent(objective: 1000, seconds: 0))
            return .plan(planning.plan(from: planning.workload.jobs.map {
                WorkerAssignment(job: $0.id, workers: [WorkerPlacement(node: "a", gpus: Array(0..<($0.shape.gpusPerWorker)))])
            }))
        }
    }

    @Test func scoresAreRecomputedFromThePlacements() throws {
        let planning = try Self.small(policy: .maxUtilization)
        let plan = planning.plan(from: [
            WorkerAssignment(job: "j0", workers: [WorkerPlacement(node: "a", gpus: [0, 1, 2, 3])]),
            WorkerAssignment(job: "j2", workers: [WorkerPlacement(node: "b", gpus: [0, 1])]),
        ])
        // Written from the docs: utilization = GPUs placed; cost = Σ price × GPUs.
        #expect(try planning.verify(plan).get() == 6)
        let cost = try PlanningCase(pool: planning.pool, workload: planning.workload, policy: .minCost)
        #expect(try cost.verify(plan).get() == 4 * 1 + 2 * 2)
        let availability = try PlanningCase(pool: planning.pool, workload: planning.workload, policy: .maxAvailability)
        // Two gangs on own-data-center nodes (P = 0.995 each): Σ log P.
        #expect(abs(try availability.verify(plan).get() - 2 * log(0.995)) < 1e-12)
        #expect(throws: ValidationInputError.self) { try PlanningCase(pool: planning.pool, workload: planning.workload, policy: .fifo) }
        // A plan that does not mention a job leaves it unplaced (the planner's own entry-per-job promise
        // is not asked of other heuristics); listing a job twice is still refused.
        var partial = plan
        partial.jobs = plan.jobs.filter { $0.job == "j0" }
        #expect(try planning.verify(partial).get() == 4)
        partial.jobs.append(partial.jobs[0])
        #expect(throws: HeuristicFailure.self) { try planning.verify(partial).get() }
    }

    @Test func theHarnessVerifiesEveryPlanAndFindsTheOptimum() throws {
        let problem = ValidationProblem(planning: try Self.small(policy: .maxUtilization), name: "small")
        #expect(problem.sense == "max" && problem.family == "plan-max-utilization")
        let session = ValidationSession(heuristics: [PlannerHeuristic(), OnlyFirst(), DoubleBooks()], seeds: [1, 2], timeLimit: 2,
                                        references: ReferenceSolver(timeLimit: 10))
        let reference = try session.reference(for: problem)
        #expect(reference.kind == .optimum && reference.objective == 8 && reference.source == "planner")
        let trials = session.trials(problem, reference: reference)
        #expect(trials.count == 6)
        for trial in trials where trial.heuristic == "planner" { #expect(trial.status == "feasible" && trial.objective == 8 && trial.gap == 0) }
        for trial in trials where trial.heuristic == "only-first" { #expect(trial.status == "feasible" && trial.objective == 4 && trial.gap == 0.5) }
        for trial in trials where trial.heuristic == "double-books" {
            #expect(trial.status == "infeasible" && trial.objective == nil)
            #expect(trial.message?.contains("capacity") == true)
        }
    }

    @Test func minCostReferencesAreBestKnownNotOptima() throws {
        // min-cost comes after max-utilization: the planner's value is the cheapest plan of maximum
        // utilization; the empty plan costs less, so it must not be called an optimum.
        let problem = ValidationProblem(planning: try Self.small(policy: .minCost), name: "small-cost")
        let reference = try ReferenceSolver(timeLimit: 10).reference(for: problem)
        #expect(reference.kind == .bestKnown && reference.bound == nil)
        #expect(abs((reference.objective ?? 0) - (4 * 1 + 4 * 2)) < 1e-9)
        #expect(problem.sense == "min")
    }

    @Test func externalProgramsAnswerWithPlacements() throws {
        guard ProcessRunner.onPath("python3") != nil else { return }
        let script = TestPaths.package("Examples/heuristics/plan_first_fit.py")
        let problems = try ValidationProblem.generatedPlanning(nodes: 12, jobs: 24, policy: .maxUtilization, count: 2, seed: 3)
        #expect(problems.map(\.instance) == ["plan12n-24j-max-utilization-s3", "plan12n-24j-max-utilization-s4"])
        let session = ValidationSession(heuristics: [CommandHeuristic(command: "python3 \(script)"), PlannerHeuristic()], timeLimit: 2,
                                        references: ReferenceSolver(timeLimit: 10))
        for problem in problems {
            let reference = try session.reference(for: problem)
            for trial in session.trials(problem, reference: reference) {
                #expect(trial.status == "feasible", "\(trial.heuristic): \(trial.message ?? "")")
                if let objective = trial.objective, let best = reference.objective, reference.kind == .optimum {
                    #expect(objective <= best + 1e-9)
                }
            }
        }
        // A program that answers garbage placements is recorded as such, never trusted.
        let dir = try TemporaryDirectory(label: "plan-liar")
        let liar = dir.path("liar.py")
        try """
            import json, sys
            inst = json.load(open(sys.argv[1]))
            node = inst["pool"]["nodes"][0]["id"]
            print(json.dumps({"placements": [{"job": j["id"], "shape": 0, "workers": [{"node": node, "gpus": [0]}]} for j in inst["workload"]["jobs"]]}))
            """.write(toFile: liar, atomically: true, encoding: .utf8)
        let lied = ValidationSession(heuristics: [CommandHeuristic(command: "python3 \(liar)")], timeLimit: 2)
            .trials(problems[0], reference: Reference(kind: .unknown, objective: nil, status: "none", source: "test"))
        #expect(lied.first?.status == "infeasible")
    }

    @Test func referencesOfPlannerInstancesAreCached() throws {
        let dir = try TemporaryDirectory(label: "plan-refs")
        let store = try ReferenceStore(path: dir.path("refs.sqlite"))
        let problem = ValidationProblem(planning: try Self.small(policy: .maxUtilization), name: "small")
        let first = try ReferenceSolver(timeLimit: 10, store: store).reference(for: problem)
        #expect(try store.count() == 1)
        let second = try ReferenceSolver(timeLimit: 10, store: store).reference(for: problem)
        #expect(second.objective == first.objective && second.kind == first.kind)
        // Another policy on the same pool and workload is another instance.
        _ = try ReferenceSolver(timeLimit: 10, store: store).reference(for: ValidationProblem(planning: try Self.small(policy: .maxThroughput)))
        #expect(try store.count() == 2)
    }
}
