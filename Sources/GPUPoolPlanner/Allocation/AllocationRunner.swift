import GPUPoolSupport
import Dispatch
import GPUPoolSolver
import GPUPoolHeuristics
import Synchronization

/// Solves the allocation level: exactly through the LP when a solver is built in, by the
/// concurrent-flow heuristic otherwise; whole or POP-decomposed.
enum AllocationRunner {
    struct Output {
        var allocation: Allocation
        /// `x[j][k]` per instance job.
        var fractions: [[Double]]
    }

    static func run(
        instance: PlanningInstance, policy: PlanningPolicy, method: PlanningMethod, partitions: Int, seed: UInt64,
        timeLimit: Double?, backends: SolverBackends = .standard
    ) throws(PlannerError) -> Output {
        let clock = ContinuousClock()
        let started = clock.now
        let objective: AllocationProblem.Objective = policy == .maxThroughput ? .maxThroughput : .maxMinFairness
        let problem = AllocationProblem.make(instance: instance, agnostic: policy == .maxMinFairnessAgnostic)
        let useLP = backends.exact != nil && method != .heuristic
        let parts = max(1, min(partitions, problem.jobCount))
        var x: [[Double]]
        var bound: Double?
        var solver: String
        if parts == 1 {
            (x, bound, solver) = try solveWhole(problem, objective: objective, useLP: useLP, timeLimit: timeLimit, backends: backends)
        } else {
            // POP: random job partitions, each with 1/parts of every accelerator's capacity.
            var rng = SeededGenerator(seed: seed)
            var order = Array(0..<problem.jobCount)
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.nextInt(below: i + 1)) }
            let subproblems: [(jobs: [Int], problem: AllocationProblem)] = (0..<parts).map { p in
                let jobs = stride(from: p, to: order.count, by: parts).map { order[$0] }
                var sub = problem
                sub.jobIDs = jobs.map { problem.jobIDs[$0] }
                sub.scale = jobs.map { problem.scale[$0] }
                sub.throughput = jobs.map { problem.throughput[$0] }
                sub.weight = jobs.map { problem.weight[$0] }
                sub.normalizer = jobs.map { problem.normalizer[$0] }
                sub.capacity = problem.capacity.map { $0 / Double(parts) }
                return (jobs, sub)
            }
            let results = Mutex<[Result<([[Double]], Double?, String), PlannerError>?]>(Array(repeating: nil, count: parts))
            DispatchQueue.concurrentPerform(iterations: parts) { p in
                let outcome: Result<([[Double]], Double?, String), PlannerError>
                do throws(PlannerError) {
                    outcome = .success(try solveWhole(subproblems[p].problem, objective: objective, useLP: useLP, timeLimit: timeLimit, backends: backends))
                } catch {
                    outcome = .failure(error)
                }
                results.withLock { $0[p] = outcome }
            }
            x = [[Double]](repeating: [Double](repeating: 0, count: problem.typeCount), count: problem.jobCount)
            solver = ""
            for (p, outcome) in results.withLock({ $0 }).enumerated() {
                guard let outcome else { continue }
                let (subX, _, name) = try outcome.get()
                solver = name
                for (i, j) in subproblems[p].jobs.enumerated() { x[j] = subX[i] }
            }
            x = problem.repaired(x)
            bound = nil
            solver = "POP k=\(parts) (seed \(seed)) × \(solver)"
        }
        let (value, normalized) = problem.evaluate(x, objective: objective)
        let seconds = (clock.now - started).seconds
        let allocation = Allocation(
            policy: policy.rawValue, method: solver, objective: value, bound: bound, seconds: seconds, partitions: parts,
            accelerators: instance.accelerators, capacities: problem.capacity.map { Int($0.rounded()) },
            jobs: problem.jobIDs.indices.map { JobAllocation(job: problem.jobIDs[$0], fractions: x[$0], normalizedThroughput: normalized[$0]) })
        return Output(allocation: allocation, fractions: x)
    }

    private static func solveWhole(
        _ problem: AllocationProblem, objective: AllocationProblem.Objective, useLP: Bool, timeLimit: Double?,
        backends: SolverBackends
    ) throws(PlannerError) -> ([[Double]], Double?, String) {
        if useLP {
            let result = try AllocationLP.solve(problem, objective: objective, timeLimit: timeLimit, backends: backends)
            return (result.x, result.bound, result.solver)
        }
        let deadline = timeLimit.map { ContinuousClock.now.advanced(by: .clamped(seconds: $0)) }
        let result = AllocationHeuristic.solve(problem, objective: objective, deadline: deadline)
        return (result.x, result.bound, result.solver)
    }
}
