import GPUPoolDomain
import GPUPoolPlanner
import Testing
@testable import GPUPoolSimulator

/// End-of-run invariants and reproducibility on a slice of Gavel's physical-cluster trace.
struct ConservationTests {
    /// 30 jobs of the shipped trace, arrivals spread 10 minutes apart, on 12 GPUs.
    static func inputs() throws -> (Pool, [Job]) {
        let entries = Array(try DemoData.gavelTrace().prefix(30))
        var jobs = try TraceLoader.gavel(entries: entries, throughputs: try DemoData.gavelThroughputs())
        for i in jobs.indices {
            jobs[i].arrivalSeconds = Double(i) * 600
            jobs[i].totalSteps = min(jobs[i].totalSteps ?? 1, 20_000)
        }
        return (try ClusterSpec(parsing: "v100:4,p100:4,k80:4").pool(availability: 0.9), jobs)
    }

    @Test(arguments: [PlanningPolicy.maxMinFairness, .maxMinFairnessAgnostic, .fifo, .maxThroughput, .minCost])
    func everyJobIsAccountedFor(policy: PlanningPolicy) throws {
        let (pool, jobs) = try Self.inputs()
        let options = SimulationOptions(policy: policy, restartDelaySeconds: 30, seed: 7, failures: .availability(meanRepairSeconds: 1800))
        let results = try PolicyComparison.run(pool: pool, jobs: jobs, policies: [policy], options: options)
        let result = try #require(results.first)
        #expect(result.violations.isEmpty, "\(result.violations)")
        let m = result.metrics
        #expect(m.completed + m.unfinished + m.unschedulable == jobs.count)
        #expect(m.completed == jobs.count, "with no time limit every schedulable job completes")
        #expect(result.busyGPUSeconds <= result.availableGPUSeconds + 1e-6)
        #expect(result.timeline.allSatisfy { $0.utilization <= 1 + 1e-9 })
        #expect(result.failures > 0, "availability 0.9 over hours of simulated time fails some node")
        for record in result.jobs {
            let held = record.secondsByAccelerator.values.reduce(0, +)
            let life = try #require(record.jct)
            #expect(held <= life + 1e-6, "job \(record.id) held GPUs longer than it existed")
        }
    }

    @Test func truncatedRunsLeaveJobsQueuedOrRunning() throws {
        let (pool, jobs) = try Self.inputs()
        let options = SimulationOptions(policy: .fifo, maxSimulatedSeconds: 3600)
        let result = try Simulator(pool: pool, jobs: jobs).run(options: options)
        let m = result.metrics
        #expect(result.truncated)
        #expect(m.unfinished > 0)
        #expect(m.completed + m.unfinished + m.unschedulable == jobs.count)
        #expect(result.violations.isEmpty)
    }

    @Test func sameSeedSameRun() throws {
        let (pool, jobs) = try Self.inputs()
        let options = SimulationOptions(seed: 3, failures: .availability(meanRepairSeconds: 1800))
        let a = try PolicyComparison.run(pool: pool, jobs: jobs, policies: [.maxMinFairness, .fifo], options: options)
        let b = try PolicyComparison.run(pool: pool, jobs: jobs, policies: [.maxMinFairness, .fifo], options: options)
        #expect(a.map(\.jobs) == b.map(\.jobs))
        #expect(a.map(\.timeline) == b.map(\.timeline))
        #expect(a.map(\.cost) == b.map(\.cost))
    }

    @Test func policiesShareFailures() throws {
        let (pool, _) = try Self.inputs()
        let model = FailureModel.availability(meanRepairSeconds: 1800)
        let one = try FailureSchedule.make(model: model, pool: pool, horizon: 86_400, seed: 5)
        let two = try FailureSchedule.make(model: model, pool: pool, horizon: 86_400, seed: 5)
        let other = try FailureSchedule.make(model: model, pool: pool, horizon: 86_400, seed: 6)
        #expect(one == two)
        #expect(one != other)
    }
}
