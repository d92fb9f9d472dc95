import GPUPoolDomain
import GPUPoolPlanner
import Testing
@testable import GPUPoolSimulator

/// Hand-computable traces: every JCT below is worked out in the comments.
struct TinyTraceTests {
    static func job(_ id: String, arrival: Double, work: Double, gpus: Int = 1, throughput: [String: Double]) -> Job {
        Job(id: id, tenant: "t", shape: JobShape(workers: gpus), throughput: throughput, arrivalSeconds: arrival, totalSteps: work)
    }

    @Test func fifoRunsJobsBackToBack() throws {
        // One V100 GPU, rounds of 360 s. A (720 steps at 1 step/s) runs 0…720; B waits and runs 720…1080.
        let pool = try ClusterSpec(parsing: "v100:1").pool()
        let jobs = [Self.job("a", arrival: 0, work: 720, throughput: ["V100": 1]),
                    Self.job("b", arrival: 0, work: 360, throughput: ["V100": 1])]
        let result = try Simulator(pool: pool, jobs: jobs).run(options: SimulationOptions(policy: .fifo, roundSeconds: 360))
        #expect(result.jobs.map(\.jct) == [720, 1080])
        #expect(result.jobs.map(\.queueingDelay) == [0, 720])
        #expect(result.violations.isEmpty)
        let m = result.metrics
        #expect(m.averageJCT == 900)
        #expect(m.makespan == 1080)
        #expect(m.utilization == 1)
        // 1080 GPU-seconds at 2.48 USD per GPU-hour.
        #expect(abs(m.cost - 1080.0 / 3600 * 2.48) < 1e-9)
    }

    @Test func arrivalsWaitForTheNextRound() throws {
        // B arrives at 100 while the pool is idle; it starts at the next round (360) and runs 200 s.
        let pool = try ClusterSpec(parsing: "v100:1").pool()
        let jobs = [Self.job("b", arrival: 100, work: 400, throughput: ["V100": 2])]
        let result = try Simulator(pool: pool, jobs: jobs).run(options: SimulationOptions(policy: .fifo, roundSeconds: 360))
        #expect(result.jobs[0].firstStart == 360)
        #expect(result.jobs[0].completion == 560)
        #expect(result.jobs[0].jct == 460)
    }

    @Test func failureStopsAndRestartDelaysTheJob() throws {
        // A needs 720 s on the only V100. The node is down 100…500: A keeps 100 s of progress, the
        // round at 360 finds the node down, the round at 720 resumes A after a 50 s restart delay,
        // and the remaining 620 s end at 720 + 50 + 620 = 1390.
        let pool = try ClusterSpec(parsing: "v100:1").pool()
        let jobs = [Self.job("a", arrival: 0, work: 720, throughput: ["V100": 1])]
        let schedule = FailureSchedule(outages: [NodeOutage(node: "v100-0", start: 100, end: 500)])
        let result = try Simulator(pool: pool, jobs: jobs, failures: schedule)
            .run(options: SimulationOptions(policy: .fifo, roundSeconds: 360, restartDelaySeconds: 50))
        let a = result.jobs[0]
        #expect(a.completion == 1390)
        #expect(a.failureInterruptions == 1)
        #expect(a.preemptions == 1)
        #expect(result.metrics.failuresSurvived == 1)
        #expect(result.failures == 1)
        // The last round ends at 1440: up GPU-seconds 1440 − 400 down; held 100 + 670.
        #expect(result.endTime == 1440)
        #expect(abs(result.availableGPUSeconds - 1040) < 1e-9)
        #expect(abs(result.busyGPUSeconds - 770) < 1e-9)
        #expect(result.violations.isEmpty)
    }

    @Test func maxMinFairnessTimeSharesOneGPU() throws {
        // Two equal jobs (720 steps at 1 step/s) share one GPU 50/50: rounds alternate A, B, A, B,
        // so A completes at 1080 and B at 1440.
        let pool = try ClusterSpec(parsing: "v100:1").pool()
        let jobs = [Self.job("a", arrival: 0, work: 720, throughput: ["V100": 1]),
                    Self.job("b", arrival: 0, work: 720, throughput: ["V100": 1])]
        let result = try Simulator(pool: pool, jobs: jobs).run(options: SimulationOptions(policy: .maxMinFairness, roundSeconds: 360))
        #expect(result.jobs.map(\.completion) == [1080, 1440])
        #expect(result.jobs.map(\.preemptions) == [1, 1])
        #expect(result.violations.isEmpty)
    }

    @Test func heterogeneityAwarePlacementUsesTheFasterModel() throws {
        // A runs 4× faster on V100, B equally fast everywhere: max-throughput puts A on the V100
        // (720 steps / 4 = 180 s) and B on the K80 (360 s).
        let pool = try ClusterSpec(parsing: "v100:1,k80:1").pool()
        let jobs = [Self.job("a", arrival: 0, work: 720, throughput: ["V100": 4, "K80": 1]),
                    Self.job("b", arrival: 0, work: 360, throughput: ["V100": 1, "K80": 1])]
        let result = try Simulator(pool: pool, jobs: jobs).run(options: SimulationOptions(policy: .maxThroughput, roundSeconds: 360))
        #expect(result.jobs.map(\.jct) == [180, 360])
        #expect(result.jobs[0].secondsByAccelerator == ["V100": 180])
    }

    @Test func jobsThatCanNeverFitAreReportedNotRun() throws {
        let pool = try ClusterSpec(parsing: "v100:2").pool()
        let jobs = [Self.job("big", arrival: 0, work: 10, gpus: 8, throughput: ["V100": 1]),
                    Self.job("ok", arrival: 0, work: 10, throughput: ["V100": 1])]
        let result = try Simulator(pool: pool, jobs: jobs).run(options: SimulationOptions(policy: .fifo))
        #expect(result.jobs[0].unschedulable)
        #expect(result.jobs[0].firstStart == nil)
        #expect(result.metrics.completed == 1)
        #expect(result.metrics.unschedulable == 1)
    }
}
