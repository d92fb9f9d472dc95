import GPUPoolDomain
import GPUPoolPlanner
import GPUPoolSolver
import Testing

@Suite("Re-planning")
struct ReplanTests {
    typealias S = TestSupport

    static let pool = Pool(providers: [S.provider("p")], nodes: [
        S.node("a", gpus: 4), S.node("b", gpus: 4), S.node("c", gpus: 4),
    ])
    static let workload = Workload(jobs: [
        S.job("j1", gpusPerWorker: 4, locality: .node), S.job("j2", gpusPerWorker: 2, locality: .node),
        S.job("j3", gpusPerWorker: 2, locality: .node), S.job("j4", gpusPerWorker: 4, locality: .node),
        S.job("j5", gpusPerWorker: 3, locality: .node),
    ])

    static var methods: [PlanningMethod] { Solver.hasExactSolver ? [.heuristic, .exact] : [.heuristic] }

    @Test(arguments: methods)
    func unchangedInputKeepsEveryJob(_ method: PlanningMethod) throws {
        let planner = S.planner([.maxUtilization], method: method)
        let first = try planner.plan(pool: Self.pool, workload: Self.workload)
        let again = try planner.replan(current: first, pool: Self.pool, workload: Self.workload)
        #expect(again.replan == ReplanSummary(kept: first.placed.count, moved: 0, queued: 0, started: 0, displaced: 0, departed: 0))
        #expect(again.placed.map(\.workers) == first.placed.map(\.workers))
    }

    @Test(arguments: methods)
    func failedNodeMovesOrQueuesItsJobs(_ method: PlanningMethod) throws {
        let planner = S.planner([.maxUtilization], method: method)
        let first = try planner.plan(pool: Self.pool, workload: Self.workload)
        #expect(first.placed.count == 4)   // 12 GPUs: both 4-GPU and both 2-GPU jobs; the 3-GPU job waits
        let lostNode = try #require(first.placed.first { $0.gpuCount == 4 }?.workers.first?.node)
        var broken = Self.pool
        broken.nodes = broken.nodes.map { $0.id == lostNode ? S.node($0.id, gpus: 4, health: .failed) : $0 }
        let second = try planner.replan(current: first, pool: broken, workload: Self.workload)
        #expect(PlanChecker.check(second, pool: broken, workload: Self.workload).isEmpty)
        let summary = try #require(second.replan)
        #expect(summary.displaced == 1)
        #expect(summary.kept == 3)
        // Only 8 GPUs remain: the displaced 4-GPU job cannot be moved anywhere and is queued, not dropped.
        #expect(summary.moved + summary.queued == 1)
        #expect(second.jobs.count == Self.workload.jobs.count)
        let displaced = second.jobs.first { $0.change == .queued }
        #expect(displaced?.reason?.code == .displaced)
        #expect(second.placed.allSatisfy { !$0.workers.contains { $0.node == lostNode } })
    }

    @Test func newCapacityStartsWaitingJobsWithoutMovingOthers() throws {
        let planner = S.planner([.maxUtilization])
        let first = try planner.plan(pool: Self.pool, workload: Self.workload)
        var grown = Self.pool
        grown.nodes.append(S.node("d", gpus: 4))
        let second = try planner.replan(current: first, pool: grown, workload: Self.workload)
        #expect(second.replan?.kept == 4)
        #expect(second.replan?.started == 1)
        #expect(second.replan?.moved == 0)
        #expect(second.placed.count == 5)
    }

    @Test(arguments: methods)
    func migrationPenaltyKeepsJobsOnSlowerNodes(_ method: PlanningMethod) throws {
        // A job runs on a V100; an H100 appears. With a large penalty it stays, without it it moves.
        let pool = Pool(providers: [S.provider("p")], nodes: [S.node("old", accelerator: "V100", memory: 16)])
        let workload = Workload(jobs: [S.job("j", gpusPerWorker: 2, throughput: ["V100": 1, "H100": 1.5])])
        let first = try S.planner([.maxThroughput], method: method).plan(pool: pool, workload: workload)
        var grown = pool
        grown.nodes.append(S.node("new", accelerator: "H100"))
        let sticky = try S.planner([.maxThroughput], method: method, penalty: 1.0).replan(current: first, pool: grown, workload: workload)
        #expect(sticky.replan?.kept == 1)
        let eager = try S.planner([.maxThroughput], method: method, penalty: 0).replan(current: first, pool: grown, workload: workload)
        #expect(eager.replan?.moved == 1)
        #expect(eager.job("j")?.workers.first?.node == "new")
    }

    @Test func pinnedJobsStayAndDepartedJobsAreCounted() throws {
        let planner = S.planner([.maxUtilization])
        let first = try planner.plan(pool: Self.pool, workload: Self.workload)
        let pinnedID = try #require(first.placed.first?.job)
        // One job leaves, a high-value newcomer arrives; the pinned job must not move.
        var workload = Self.workload
        let leaving = try #require(first.placed.last?.job)
        workload.jobs.removeAll { $0.id == leaving }
        workload.jobs.append(S.job("new", gpusPerWorker: 4, locality: .node))
        let second = try S.planner([.maxUtilization], pinned: [pinnedID]).replan(current: first, pool: Self.pool, workload: workload)
        #expect(second.job(pinnedID)?.pinned == true)
        #expect(second.job(pinnedID)?.workers == first.job(pinnedID)?.workers)
        #expect(second.replan?.departed == 1)
        #expect(PlanChecker.check(second, pool: Self.pool, workload: workload).isEmpty)
    }

    @Test func planSurvivesAJSONRoundTrip() throws {
        let first = try S.planner([.maxUtilization]).plan(pool: Self.pool, workload: Self.workload)
        let data = try first.jsonData()
        let decoded = try Plan.decode(data)
        #expect(decoded == first)
        #expect(try decoded.jsonData() == data)
        #expect(throws: PlannerError.self) { try Plan.decode(Data("{\"jobs\": 3}".utf8)) }
    }
}

import Foundation
