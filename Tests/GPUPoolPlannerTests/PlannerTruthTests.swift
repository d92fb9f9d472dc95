import Foundation
import GPUPoolDomain
import GPUPoolPlanner
import GPUPoolSolver
import Testing

/// Regressions for the claims a plan makes (Docs/Planning.md): proofs, order, reasons.
@Suite("Planner claims")
struct PlannerTruthTests {
    /// A 3-node, 3-job pool on which the min-cost stage after max-throughput used to end
    /// `numerical_error`: GLPK's incumbent objective (of the node LP, before rounding its integer
    /// columns) disagreed with the rounded point's objective by 1e-6 relative.
    static let threeNodePool = """
    {"providers": [{"id": "dc", "kind": "own"}, {"id": "cl", "kind": "cloud"}, {"id": "cm", "kind": "community"}],
     "nodes": [
      {"id": "n0", "provider": "cl", "accelerator": "H100", "gpuCount": 1, "gpuMemoryGiB": 80, "region": "r2", "pricePerGPUHour": 1.541, "availability": 0.863},
      {"id": "n1", "provider": "cl", "accelerator": "A100-80GB", "gpuCount": 4, "gpuMemoryGiB": 80, "region": "r1", "pricePerGPUHour": 0.821, "availability": 0.93},
      {"id": "n2", "provider": "dc", "accelerator": "RTX4090", "gpuCount": 1, "gpuMemoryGiB": 24, "region": "r2", "pricePerGPUHour": 0.8, "availability": 0.988}]}
    """
    static let threeJobs = """
    {"jobs": [
      {"id": "j0", "tenant": "a", "shape": {"workers": 2, "gpusPerWorker": 2}, "locality": "node",
       "throughput": {"RTX4090": 7.41, "A100-80GB": 8.37, "MI300X": 5.73}, "priority": 1, "alternatives": [{"workers": 1, "gpusPerWorker": 2}]},
      {"id": "j1", "tenant": "b", "shape": {"workers": 1, "gpusPerWorker": 2}, "locality": "node",
       "throughput": {"MI300X": 9.58, "RTX4090": 5.43, "H100": 5.93}, "alternatives": [{"workers": 1, "gpusPerWorker": 2}]},
      {"id": "j2", "tenant": "b", "shape": {"workers": 2, "gpusPerWorker": 4}, "locality": "region",
       "throughput": {"H100": 18.36, "A100-80GB": 13.07, "MI300X": 9.38}, "priority": 1}]}
    """

    static func threeNode() throws -> (Pool, Workload) {
        let pool = try PoolFile.parse(text: threeNodePool, fileName: "pool.json", format: .json)
        let workload = try WorkloadFile.parse(text: threeJobs, fileName: "jobs.json", format: .json, against: pool, requireFit: false)
        return (pool, workload)
    }

    @Test(.enabled(if: Solver.hasExactSolver, "needs GLPK: proves optimality with the exact method"),
          arguments: ["max-throughput,min-cost", "priority,max-throughput,min-cost"])
    func minCostAfterThroughputIsProvenNotNumericalError(_ policies: String) throws {
        let (pool, workload) = try Self.threeNode()
        for method in [PlanningMethod.exact, .auto] {
            let plan = try Planner(options: PlannerOptions(policies: PlanningPolicy.list(policies), method: method)).plan(pool: pool, workload: workload)
            #expect(plan.status == .optimal, "\(method): \(plan.method) \(plan.notes)")
            #expect(plan.stages.allSatisfy { $0.status == .optimal && $0.gap == 0 })
            #expect(!plan.notes.contains { $0.contains("numerical") })
            #expect(plan.method.hasSuffix("— optimal"))
            #expect(plan.metrics.gap == 0)
        }
    }

    @Test func utilizationComesBeforeCostAndAvailability() {
        let order = { (list: [PlanningPolicy]) in
            PlanningPolicy.effectiveOrder(list)
        }
        #expect(order([.maxThroughput, .minCost]) == [.maxThroughput, .maxUtilization, .minCost])
        #expect(order([.maxMinFairness, .maxAvailability]) == [.maxMinFairness, .maxUtilization, .maxAvailability])
        #expect(order([.minCost, .maxUtilization]) == [.maxUtilization, .minCost])
        #expect(order([.priority, .maxThroughput, .minCost]) == [.priority, .maxThroughput, .maxUtilization, .minCost])
        #expect(order([.maxThroughput]) == [.maxThroughput, .maxUtilization])
        #expect(order([.fifo]) == [.fifo])
    }

    /// A stage stopped by the MIP gap is `feasible` with its gap, never `optimal`.
    @Test func gapLimitedStageIsFeasible() throws {
        let pool = Pool(providers: [TestSupport.provider("c")], nodes: (0..<6).map {
            TestSupport.node("n\($0)", provider: "c", accelerator: $0 % 2 == 0 ? "A100" : "V100", gpus: 8, region: "r", price: 1 + Double($0) / 10)
        })
        let workload = Workload(jobs: (0..<14).map { i in
            TestSupport.job("j\(i)", workers: 1 + i % 3, gpusPerWorker: 1 + i % 4, throughput: ["A100": Double(3 + i % 5), "V100": Double(2 + i % 3)])
        })
        let plan = try Planner(options: PlannerOptions(policies: [.maxThroughput, .minCost], method: .heuristic)).plan(pool: pool, workload: workload)
        for stage in plan.stages {
            if stage.status == .optimal { #expect(stage.gap.map { $0 <= 1e-6 } == true, "\(stage)") }
            if let bound = stage.bound, let gap = stage.gap {
                #expect(abs(gap - abs(bound - stage.value) / max(1, abs(stage.value))) < 1e-12)
            }
        }
        #expect(plan.status == (plan.stages.allSatisfy { $0.status == .optimal } ? .optimal : .feasible))
        // Later heuristic stages have no proof: no bound, feasible.
        #expect(plan.stages.dropFirst().allSatisfy { $0.bound == nil && $0.status == .feasible })
        #expect(plan.metrics.gap == nil)
        #expect(plan.method.hasSuffix("— heuristic"))
    }

    /// The Docs/PoolFormat.md example: one job can never fit (16 GPUs of one model are needed,
    /// each allowed model has 8); the library reports it unplaced with the true reason.
    @Test func docsExampleReportsTheNeverFittingJob() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Docs/PoolFormat.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        func block(_ kind: String) -> String {
            let start = text.range(of: "```yaml \(kind)\n")!.upperBound
            return String(text[start..<text.range(of: "```", range: start..<text.endIndex)!.lowerBound])
        }
        let pool = try PoolFile.parse(text: block("pool"), fileName: "pool.yaml", format: .yaml)
        #expect(throws: (any Error).self) { try WorkloadFile.parse(text: block("workload"), fileName: "jobs.yaml", format: .yaml, against: pool) }
        let workload = try WorkloadFile.parse(text: block("workload"), fileName: "jobs.yaml", format: .yaml, against: pool, requireFit: false)
        let plan = try Planner().plan(pool: pool, workload: workload)
        #expect(plan.job("llm-finetune")?.reason?.code == .gangDoesNotFit)
        #expect(plan.job("notebook")?.status == .placed)
        #expect(plan.job("notebook")?.workers.map(\.node) == ["vast-4090-1"])
    }
}
