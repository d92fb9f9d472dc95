import GPUPoolDomain
import GPUPoolPlanner
import Testing
@testable import GPUPoolSimulator

/// Policy-level behaviour on small heterogeneous inputs, and the HTML report.
struct PolicyBehaviourTests {
    /// Two V100 and two K80 GPUs; two jobs 4× faster on V100, two indifferent, all arriving at 0.
    static func heterogeneous() throws -> (Pool, [Job]) {
        let pool = try ClusterSpec(parsing: "v100:2,k80:2", gpusPerNode: 1).pool()
        let jobs = (0..<4).map { i in
            TinyTraceTests.job("j\(i)", arrival: 0, work: 2880, throughput: i < 2 ? ["V100": 4, "K80": 1] : ["V100": 1, "K80": 1])
        }
        return (pool, jobs)
    }

    @Test func heterogeneityAwareFairnessBeatsAgnostic() throws {
        let (pool, jobs) = try Self.heterogeneous()
        let results = try PolicyComparison.run(pool: pool, jobs: jobs, policies: [.maxMinFairness, .maxMinFairnessAgnostic],
                                               options: SimulationOptions())
        let aware = try #require(results[0].metrics.averageJCT)
        let agnostic = try #require(results[1].metrics.averageJCT)
        #expect(aware < agnostic)
        // The aware run gives the V100 time to the jobs that gain from it.
        let v100Fans = results[0].jobs.prefix(2)
        #expect(v100Fans.allSatisfy { ($0.secondsByAccelerator["V100"] ?? 0) > ($0.secondsByAccelerator["K80"] ?? 0) })
        #expect(results.allSatisfy { $0.violations.isEmpty })
    }

    @Test func gangsNeedOneModel() throws {
        // 6 GPUs exist in total, but no model has 6: the 6-GPU gang is never schedulable.
        let pool = try ClusterSpec(parsing: "v100:4,k80:2").pool()
        var job = TinyTraceTests.job("wide", arrival: 0, work: 10, gpus: 6, throughput: ["V100": 1, "K80": 1])
        job.locality = .region
        let result = try Simulator(pool: pool, jobs: [job]).run(options: SimulationOptions(policy: .maxMinFairness))
        #expect(result.jobs[0].unschedulable)
        #expect(result.metrics.unschedulable == 1)
        #expect(!result.truncated)
    }

    @Test func reportIsSelfContained() throws {
        let (pool, jobs) = try Self.heterogeneous()
        let results = try PolicyComparison.run(pool: pool, jobs: jobs, policies: [.maxMinFairness, .fifo], options: SimulationOptions())
        let html = SimulationReport.html(results: results, title: "T <&>", subtitle: "s")
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("T &lt;&amp;&gt;"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 4)
        #expect(html.contains("max-min-fairness") && html.contains("fifo"))
        #expect(!html.contains("http://") || html.components(separatedBy: "http://").dropFirst().allSatisfy { $0.hasPrefix("www.w3.org/2000/svg") })
        #expect(!html.contains("https://") && !html.contains("<script"))
    }
}
