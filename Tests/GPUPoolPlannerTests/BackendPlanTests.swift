import GPUPoolDomain
import GPUPoolModel
import GPUPoolPlanner
import GPUPoolSolver
import Synchronization
import Testing

/// The planner takes its solvers from `PlannerOptions.backends`: a wrapper that counts its calls
/// stands in for a third backend, and the plans it gives still match the exhaustive optimum.
@Suite("Planner with the solver backends it is given")
struct BackendPlanTests {
    typealias S = TestSupport

    /// Forwards to another backend, counting calls.
    struct CountingBackend: SolverBackend {
        let inner: any SolverBackend
        let calls = Calls()
        final class Calls: Sendable {
            private let count = Atomic<Int>(0)
            func add() { count.add(1, ordering: .relaxed) }
            var value: Int { count.load(ordering: .relaxed) }
        }
        var name: String { "counting(\(inner.name))" }
        var isExact: Bool { inner.isExact }
        func solve(_ program: LinearProgram, options: SolveOptions, control: SolveControl) throws(SolverError) -> Solution {
            calls.add()
            return try inner.solve(program, options: options, control: control)
        }
    }

    @Test("exact plans go through the given exact backend and match brute force", .enabled(if: Solver.hasExactSolver, "needs GLPK"),
          arguments: [[PlanningPolicy.maxUtilization], [.priority, .maxThroughput, .minCost]])
    func exactThroughTheBackend(policies: [PlanningPolicy]) throws {
        let inner = try #require(SolverBackends.builtInExact)
        let counting = CountingBackend(inner: inner)
        let options = PlannerOptions(policies: policies, method: .exact, timeLimit: 20, backends: SolverBackends(exact: counting))
        let plan = try Planner(options: options).plan(pool: PolicyTests.pool, workload: PolicyTests.workload)
        #expect(counting.calls.value > 0, "the planner never called the backend")
        #expect(PlanChecker.check(plan, pool: PolicyTests.pool, workload: PolicyTests.workload).isEmpty)
        let objectives: [S.Objective] = policies == [.maxUtilization]
            ? [.utilization] : [.tier(1), .tier(0), .throughput, .utilization, .cost]
        let best = S.bruteForceBest(objectives, pool: PolicyTests.pool, workload: PolicyTests.workload)
        let got = S.vector(objectives, plan: plan, pool: PolicyTests.pool, workload: PolicyTests.workload)
        #expect(S.compare(got, best) == 0, "plan \(got), optimum \(best)")
    }

    @Test("the fairness allocation LP goes through the given backend", .enabled(if: Solver.hasExactSolver, "needs GLPK"))
    func allocationThroughTheBackend() throws {
        let counting = CountingBackend(inner: try #require(SolverBackends.builtInExact))
        let options = PlannerOptions(policies: [.maxMinFairness], method: .auto, timeLimit: 20, backends: SolverBackends(exact: counting))
        let plan = try Planner(options: options).plan(pool: PolicyTests.pool, workload: PolicyTests.workload)
        #expect(counting.calls.value > 0)
        #expect(PlanChecker.check(plan, pool: PolicyTests.pool, workload: PolicyTests.workload).isEmpty)
    }

    @Test("no exact backend: exact is refused naming why, auto plans with the heuristic")
    func withoutAnExactBackend() throws {
        let none = SolverBackends(exact: nil)
        #expect(throws: PlannerError.self) {
            try Planner(options: PlannerOptions(policies: [.maxUtilization], method: .exact, backends: none))
                .plan(pool: PolicyTests.pool, workload: PolicyTests.workload)
        }
        let plan = try Planner(options: PlannerOptions(policies: [.maxUtilization], method: .auto, backends: none))
            .plan(pool: PolicyTests.pool, workload: PolicyTests.workload)
        #expect(PlanChecker.check(plan, pool: PolicyTests.pool, workload: PolicyTests.workload).isEmpty)
    }
}
