@testable import GPUPoolPlanner
import GPUPoolDomain
import GPUPoolModel
import GPUPoolSolver
import GPUPoolSupport
import GPUPoolWorkloads
import Testing

/// The relaxation-induced neighbourhood search that runs before each stage's MIP on large
/// placement models (Docs/Planning.md, "How auto and exact spend the time").
@Suite("Neighbourhood search")
struct NeighbourhoodSearchTests {
    /// A random 0-1 program with mixed rows (≤, ≥, ranged, equal), small enough to enumerate.
    static func randomProgram(_ rng: inout SeededGenerator, columns: Int, rows: Int) -> LinearProgram {
        var starts = [0]
        var indices: [Int32] = []
        var values: [Double] = []
        for _ in 0..<columns {
            for r in 0..<rows where rng.nextInt(below: 3) > 0 {
                indices.append(Int32(r))
                values.append(Double(rng.nextInt(below: 9)) - 3)
            }
            starts.append(indices.count)
        }
        var lower: [Double] = []
        var upper: [Double] = []
        for _ in 0..<rows {
            switch rng.nextInt(below: 4) {
            case 0: lower.append(-.infinity); upper.append(Double(rng.nextInt(below: 8)))
            case 1: lower.append(Double(rng.nextInt(below: 5)) - 4); upper.append(.infinity)
            case 2: let l = Double(rng.nextInt(below: 6)) - 3; lower.append(l); upper.append(l + Double(rng.nextInt(below: 5)))
            default: let v = Double(rng.nextInt(below: 5)) - 2; lower.append(v); upper.append(v)
            }
        }
        return LinearProgram(
            sense: .maximize, objective: (0..<columns).map { _ in Double(rng.nextInt(below: 11)) - 3 },
            matrix: SparseMatrix(rowCount: rows, columnCount: columns, columnStarts: starts, rowIndices: indices, values: values),
            rowLower: lower, rowUpper: upper,
            columnLower: Array(repeating: 0, count: columns), columnUpper: Array(repeating: 1, count: columns),
            isInteger: Array(repeating: true, count: columns))
    }

    /// Every 0-1 point of `program`, as bits of an integer.
    static func points(_ columns: Int) -> [[Double]] {
        (0..<(1 << columns)).map { bits in (0..<columns).map { Double((bits >> $0) & 1) } }
    }

    /// The restricted program is the original with the fixed columns substituted: checked by
    /// enumerating every 0-1 assignment of the free columns, which must be feasible for the
    /// restricted program exactly when the lifted point is feasible for the original, with the
    /// same objective up to the fixed part.
    @Test func restrictedProgramIsTheOriginalWithColumnsFixed() {
        var rng = SeededGenerator(seed: 11)
        var compared = 0
        var feasibleSeen = 0
        for _ in 0..<300 {
            let columns = 4 + rng.nextInt(below: 5)
            let program = Self.randomProgram(&rng, columns: columns, rows: 2 + rng.nextInt(below: 4))
            // A feasible point to fix at, found by enumeration (skip programs without one).
            guard let fixed = Self.points(columns).first(where: { SolutionChecker.check(program, values: $0).isFeasible }) else { continue }
            let free = (0..<columns).filter { _ in rng.nextInt(below: 2) == 0 }
            guard !free.isEmpty else { continue }
            let sub = RelaxationNeighbourhood.restricted(program, to: free, fixedAt: fixed)
            #expect(sub.columnCount == free.count)
            let fixedObjective = (0..<columns).filter { !free.contains($0) }.reduce(0) { $0 + program.objective[$1] * fixed[$1] }
            for subPoint in Self.points(free.count) {
                var lifted = fixed
                for (i, c) in free.enumerated() { lifted[c] = subPoint[i] }
                let original = SolutionChecker.check(program, values: lifted)
                let restricted = SolutionChecker.check(sub, values: subPoint)
                #expect(original.isFeasible == restricted.isFeasible, "free \(free), point \(lifted)")
                #expect(abs(original.objective - (restricted.objective + fixedObjective)) < 1e-9)
                compared += 1
                if original.isFeasible { feasibleSeen += 1 }
            }
        }
        // Not vacuous: many assignments compared, feasible ones among them.
        #expect(compared > 2_000)
        #expect(feasibleSeen > 200)
    }

    /// On feature-rich pools the search returns a point that the stage's program accepts and that
    /// beats the heuristic's, or nothing; on these seeds it does improve.
    @Test(arguments: [UInt64(1), 2])
    func searchImprovesAndStaysFeasible(seed: UInt64) throws {
        guard Solver.hasExactSolver else { return }
        let (pool, workload) = try WorkloadGenerator.generateRealistic(jobs: 200, gpus: 800, nodes: 100, seed: seed)
        let options = PlannerOptions(policies: [.maxThroughput], method: .heuristic, timeLimit: nil)
        let instance = try InstanceBuilder.build(pool: pool, workload: workload, options: options, current: nil).instance
        let terms = [StageTerm.throughput]
        let context = TermContext(instance: instance, share: [])
        let runner = PlacementRunner(terms: terms, context: context, options: options, fifo: false, byPriority: false)
        let greedy = runner.heuristic(instance, deadline: nil)
        let built = PlacementModel(instance: instance, terms: terms, context: context, migrationPenalty: options.migrationPenalty)
        var optionsByJob = [[Int]](repeating: [], count: instance.jobs.count)
        for (i, option) in built.options.enumerated() { optionsByJob[option.job].append(i) }
        let incumbent = try #require(ExactPlacement.encode(greedy.decisions, built: built, optionsByJob: optionsByJob))
        var model = built.model
        model.setObjective(.maximize, coefficients: built.objectives[0])
        let program = try model.lowered()
        #expect(program.columnCount >= 2_000, "the model is smaller than the size the planner searches from")
        let relaxed = try Solver.solve(program, options: SolveOptions(method: .simplex))
        #expect(relaxed.termination == .optimal)
        let found = try #require(RelaxationNeighbourhood.search(
            program, incumbent: incumbent, relaxed: relaxed.values, timeLimit: 20, backends: .standard))
        let check = SolutionChecker.check(program, values: found.point)
        #expect(check.isFeasible, "\(check.violations.prefix(3))")
        let start = SolutionChecker.check(program, values: incumbent).objective
        #expect(abs(check.objective - found.objective) < 1e-6)
        #expect(found.objective > start)
        // The LP optimum bounds every point of the program.
        let lpValue = try #require(relaxed.objective)
        #expect(found.objective <= lpValue + 1e-6)
        // The point decodes into placements within every node's free GPUs.
        let decisions = ExactPlacement.decode(found.point, built: built, instance: instance)
        var used = [Int](repeating: 0, count: instance.nodes.count)
        for (j, decision) in decisions.enumerated() {
            guard let decision else { continue }
            let shape = instance.jobs[j].shapes[decision.shape]
            #expect(decision.parts.reduce(0) { $0 + $1.workers } == shape.workers)
            for part in decision.parts { used[part.node] += part.workers * shape.gpusPerWorker }
        }
        #expect(instance.nodes.indices.allSatisfy { used[$0] <= max(0, instance.nodes[$0].free) })
    }

    /// Through the public API on a pool large enough for the search (100 nodes, min-cost: a cost
    /// stage after a cost-blind utilisation stage): auto is never worse than the heuristic stage
    /// by stage in lexicographic order, every stage has a bound that its value does not pass, and
    /// the plan passed the planner's own checker (Planner refuses to return one that fails).
    @Test func autoPlanIsNoWorseThanTheHeuristic() throws {
        guard Solver.hasExactSolver else { return }
        let (pool, workload) = try WorkloadGenerator.generateRealistic(jobs: 200, gpus: 800, nodes: 100, seed: 4)
        let heuristic = try Planner(options: PlannerOptions(policies: [.minCost], method: .heuristic, timeLimit: 30))
            .plan(pool: pool, workload: workload)
        let auto = try Planner(options: PlannerOptions(policies: [.minCost], method: .auto, timeLimit: 6))
            .plan(pool: pool, workload: workload)
        #expect(auto.stages.map(\.objective) == ["max-utilization", "min-cost"])
        #expect(heuristic.stages.map(\.objective) == auto.stages.map(\.objective))
        // Maximised form: utilisation as is, cost negated.
        let a = [auto.stages[0].value, -auto.stages[1].value]
        let h = [heuristic.stages[0].value, -heuristic.stages[1].value]
        #expect(Lexicographic.compare(a, h, tolerance: 1e-6) >= 0, "auto \(a) against heuristic \(h)")
        for stage in auto.stages {
            let bound = try #require(stage.bound, "stage \(stage.objective) has no bound")
            #expect(stage.objective == "min-cost" ? bound <= stage.value + 1e-6 : bound >= stage.value - 1e-6)
        }
    }

    /// Re-planning keeps jobs where they are (the model's keep columns and migration bonus): after
    /// a node fails, the search's starts and points still make a plan the checker accepts, every
    /// job is listed once, and no job stays on the failed node.
    @Test func replanAfterANodeFailureWithTheSearch() throws {
        guard Solver.hasExactSolver else { return }
        let (pool, workload) = try WorkloadGenerator.generateRealistic(jobs: 200, gpus: 800, nodes: 100, seed: 5)
        let planner = Planner(options: PlannerOptions(policies: [.maxThroughput], method: .auto, timeLimit: 4))
        let first = try planner.plan(pool: pool, workload: workload)
        let busiest = try #require(Dictionary(grouping: first.placed.flatMap(\.workers), by: \.node).max { $0.value.count < $1.value.count }?.key)
        var broken = pool
        for i in broken.nodes.indices where broken.nodes[i].id == busiest { broken.nodes[i].health = .failed }
        let second = try planner.replan(current: first, pool: broken, workload: workload)
        #expect(PlanChecker.check(second, pool: broken, workload: workload).isEmpty)
        #expect(second.jobs.count == workload.jobs.count)
        #expect(second.placed.allSatisfy { !$0.workers.contains { $0.node == busiest } })
        let summary = try #require(second.replan)
        #expect(summary.displaced >= 1)
        #expect(summary.kept + summary.moved + summary.started >= first.placed.count - summary.displaced)
    }
}
