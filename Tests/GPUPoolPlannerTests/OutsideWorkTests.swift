import Foundation
import GPUPoolDomain
import GPUPoolPlanner
import Testing

/// `gpusInUse` (Docs/PoolFormat.md): GPUs held by work the planner does not plan (running pods, Slurm
/// jobs) are the node's indices 0..<gpusInUse; no plan uses them and the free capacity is the rest.
@Suite("GPUs held by outside work")
struct OutsideWorkTests {
    static let provider = Provider(id: "dc", kind: .ownDataCenter)

    static func node(_ id: String, gpus: Int = 8, inUse: Int, health: HealthState = .healthy) -> Node {
        Node(id: id, provider: "dc", accelerator: "A100", gpuCount: gpus, gpuMemoryGiB: 40, region: "r",
             pricePerGPUHour: 1, health: health, gpusInUse: inUse)
    }

    static func job(_ id: String, workers: Int, gpus: Int, priority: Int = 0) -> Job {
        Job(id: id, tenant: "t", priority: priority, shape: JobShape(workers: workers, gpusPerWorker: gpus), locality: .any)
    }

    @Test(arguments: [PlanningMethod.heuristic, .auto])
    func plansLeaveHeldGPUsAlone(method: PlanningMethod) throws {
        let pool = Pool(providers: [Self.provider], nodes: [Self.node("a", inUse: 6), Self.node("b", inUse: 3), Self.node("c", inUse: 0)])
        // 2 + 5 + 8 = 15 free GPUs: a 5-GPU worker fits only on b or c, an 8-GPU one only on c.
        let workload = Workload(jobs: [
            Self.job("big", workers: 1, gpus: 8, priority: 1), Self.job("mid", workers: 1, gpus: 5),
            Self.job("small", workers: 1, gpus: 2), Self.job("extra", workers: 1, gpus: 1),
        ])
        let plan = try Planner(options: PlannerOptions(policies: [.maxUtilization], method: method, timeLimit: 10)).plan(pool: pool, workload: workload)
        #expect(PlanChecker.check(plan, pool: pool, workload: workload).isEmpty)
        let held = ["a": 6, "b": 3, "c": 0]
        for entry in plan.placed {
            for worker in entry.workers { #expect(worker.gpus.allSatisfy { $0 >= held[worker.node]! }, "\(entry.job) on \(worker.node): \(worker.gpus)") }
        }
        #expect(plan.metrics.usedGPUs == 15 && plan.metrics.schedulableGPUs == 15)
        #expect(plan.placed.count == 3)
        let idle = try #require(plan.unplaced.first)
        #expect(idle.reason?.code == .capacityExhausted)
    }

    @Test func aJobThatFitsOnlyIfHeldGPUsWereFreeIsUnplaced() throws {
        let pool = Pool(providers: [Self.provider], nodes: [Self.node("a", inUse: 1)])
        let workload = Workload(jobs: [Self.job("whole", workers: 1, gpus: 8)])
        let plan = try Planner(options: PlannerOptions(method: .heuristic, timeLimit: 5)).plan(pool: pool, workload: workload)
        #expect(plan.placed.isEmpty)
        #expect(plan.unplaced.first?.reason?.code == .gangDoesNotFit)
        #expect(PlanChecker.check(plan, pool: pool, workload: workload).isEmpty)
    }

    @Test func theCheckerRefusesAPlanOnHeldGPUs() throws {
        let pool = Pool(providers: [Self.provider], nodes: [Self.node("a", inUse: 4)])
        let workload = Workload(jobs: [Self.job("j", workers: 1, gpus: 2)])
        var plan = try Planner(options: PlannerOptions(method: .heuristic, timeLimit: 5)).plan(pool: pool, workload: workload)
        #expect(plan.placed.first?.workers.first?.gpus == [4, 5])
        plan.jobs[0].workers[0].gpus = [3, 4]
        let violations = PlanChecker.check(plan, pool: pool, workload: workload)
        #expect(violations.contains { $0.kind == .capacity && $0.message.contains("held by work outside the plan") })
    }

    @Test func aCurrentPlacementOnHeldGPUsIsReplanned() throws {
        let before = Pool(providers: [Self.provider], nodes: [Self.node("a", inUse: 0), Self.node("b", inUse: 0)])
        let workload = Workload(jobs: [Self.job("j", workers: 1, gpus: 4)])
        let planner = Planner(options: PlannerOptions(method: .heuristic, timeLimit: 5))
        let current = try planner.plan(pool: before, workload: workload)
        let node = try #require(current.placed.first?.workers.first?.node)
        // A pod now runs on the job's GPUs of that node: the job cannot stay on them.
        let after = Pool(providers: [Self.provider], nodes: [Self.node(node, inUse: 6), Self.node(node == "a" ? "b" : "a", inUse: 0)])
        let replanned = try planner.replan(current: current, pool: after, workload: workload)
        #expect(PlanChecker.check(replanned, pool: after, workload: workload).isEmpty)
        let worker = try #require(replanned.placed.first?.workers.first)
        #expect(worker.node != node || worker.gpus.allSatisfy { $0 >= 6 })
    }

    @Test func validationAndFilesKeepTheField() throws {
        let bad = Pool(providers: [Self.provider], nodes: [Self.node("a", inUse: 9), Self.node("b", inUse: -1)])
        let problems = bad.problems().map(\.description)
        #expect(problems.contains { $0.contains("node \"a\"") && $0.contains("gpusInUse must be between 0 and gpuCount (8), got 9") })
        #expect(problems.contains { $0.contains("node \"b\"") && $0.contains("got -1") })
        let good = Pool(providers: [Self.provider], nodes: [Self.node("a", inUse: 3), Self.node("b", inUse: 0)])
        let yaml = try PoolFile.encode(good, format: .yaml)
        #expect(yaml.contains("gpusInUse: 3") && yaml.components(separatedBy: "gpusInUse").count == 2)
        #expect(try PoolFile.parse(text: yaml, fileName: "p.yaml", format: .yaml) == good)
        let json = try PoolFile.encode(good, format: .json)
        #expect(try PoolFile.parse(text: json, fileName: "p.json", format: .json) == good)
        #expect(throws: DomainError.self) {
            try PoolFile.parse(text: "providers: [{id: dc, kind: own}]\nnodes:\n  - {id: a, provider: dc, accelerator: A100, gpuCount: 2, gpuMemoryGiB: 40, region: r, pricePerGPUHour: 1, gpusInUse: 3}\n",
                               fileName: "p.yaml", format: .yaml)
        }
    }

    @Test func jobsMayNameModelsOnlyThePoolKnows() throws {
        // An imported cluster brings models GPUPool's table does not know (AWS A10G, MIG slices).
        let pool = Pool(providers: [Self.provider], nodes: [
            Node(id: "g", provider: "dc", accelerator: "A10G", gpuCount: 4, gpuMemoryGiB: 24, region: "r", pricePerGPUHour: 1),
            Node(id: "m", provider: "dc", accelerator: "A100-MIG-1g.5gb", gpuCount: 7, gpuMemoryGiB: 5, region: "r", pricePerGPUHour: 0.2),
        ])
        let workload = Workload(jobs: [
            Job(id: "a", tenant: "t", shape: JobShape(workers: 1, gpusPerWorker: 2, accelerators: ["A10G"]), throughput: ["A10G": 3]),
            Job(id: "b", tenant: "t", shape: JobShape(workers: 3, gpusPerWorker: 1, accelerators: ["A100-MIG-1g.5gb"])),
        ])
        let plan = try Planner(options: PlannerOptions(method: .heuristic, timeLimit: 5)).plan(pool: pool, workload: workload)
        #expect(plan.placed.count == 2)
        #expect(PlanChecker.check(plan, pool: pool, workload: workload).isEmpty)
        // A model neither the pool nor the table knows is still an error naming the job.
        let typo = Workload(jobs: [Job(id: "c", tenant: "t", shape: JobShape(workers: 1, accelerators: ["A10GG"]))])
        #expect(throws: PlannerError.self) { try Planner(options: PlannerOptions(method: .heuristic)).plan(pool: pool, workload: typo) }
    }
}
