import GPUPoolDomain
import Testing
@testable import GPUPoolSimulator

/// Parsing of clusters, CSV traces and scenario files, and their error messages.
struct InputTests {
    @Test func clusterSpec() throws {
        let pool = try ClusterSpec(parsing: "v100:6, p100:4", gpusPerNode: 4).pool()
        #expect(pool.nodes.map(\.gpuCount) == [4, 2, 4])
        #expect(pool.nodes.map(\.accelerator) == ["V100", "V100", "P100"])
        #expect(throws: SimulationError.self) { try ClusterSpec(parsing: "v100:x") }
        #expect(throws: SimulationError.self) { try ClusterSpec(parsing: "v100:4,V100:4") }
    }

    @Test func csvWithThroughputsAndJobTypes() throws {
        let text = """
            arrival,job,gpus,work,priority,tenant
            0,V100=2;K80=0.5,1,100,1,research
            30,ResNet-18 (batch size 128),2,500,,
            """
        let jobs = try TraceLoader.csv(text: text, fileName: "t.csv", throughputs: try DemoData.gavelThroughputs())
        #expect(jobs.count == 2)
        #expect(jobs[0].throughput == ["V100": 2, "K80": 0.5])
        #expect(jobs[0].priority == 1 && jobs[0].tenant == "research")
        #expect(jobs[1].jobType == "ResNet-18 (batch size 128)")
        #expect(jobs[1].throughput["V100"].map { $0 > 0 } == true)
        #expect(jobs[1].arrivalSeconds == 30 && jobs[1].totalSteps == 500 && jobs[1].tenant == "default")
    }

    @Test func csvErrorsNameLineAndColumn() throws {
        let text = "arrival,job,gpus,work\n-1,V100=1,1,10\n0,V100=1,0,10\n"
        do {
            _ = try TraceLoader.csv(text: text, fileName: "bad.csv", throughputs: nil)
            Issue.record("expected an error")
        } catch {
            #expect(error.problems.contains { $0.hasPrefix("bad.csv:2: column arrival") })
            #expect(error.problems.contains { $0.hasPrefix("bad.csv:3: column gpus") })
        }
        #expect(throws: SimulationError.self) { try TraceLoader.csv(text: "a,b\n1,2\n", fileName: "x.csv", throughputs: nil) }
    }

    @Test func scenarioYAMLSubset() throws {
        let text = """
            # comparison
            trace: jobs.csv
            cluster: v100:8,k80:8
            policies: [max-min-fairness, fifo]
            round: 600
            restart_delay: 20
            failures: scripted
            outages:
              - v100-0, 100, 200
            """
        let s = try Scenario.parse(text: text, fileName: "/tmp/s/scenario.yaml")
        #expect(s.trace == "/tmp/s/jobs.csv")
        #expect(s.cluster == "v100:8,k80:8")
        #expect(s.policies == [.maxMinFairness, .fifo])
        #expect(s.options.roundSeconds == 600 && s.options.restartDelaySeconds == 20)
        #expect(s.options.failures == .scripted([NodeOutage(node: "v100-0", start: 100, end: 200)]))
        do {
            _ = try Scenario.parse(text: "trace: a.trace\ncluster: v100:1\nround: -5\nbogus: 1\n", fileName: "s.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.problems.contains { $0.hasPrefix("s.yaml:3: round") })
            #expect(error.problems.contains { $0.contains("unknown key \"bogus\"") })
        }
    }

    @Test func simulatorRejectsJobsWithoutArrivalOrWork() throws {
        let pool = try ClusterSpec(parsing: "v100:1").pool()
        let job = Job(id: "x", tenant: "t", shape: JobShape(workers: 1))
        #expect(throws: SimulationError.self) { try Simulator(pool: pool, jobs: [job]) }
        #expect(throws: SimulationError.self) {
            try Simulator(pool: pool, jobs: []).run(options: SimulationOptions(roundSeconds: 0))
        }
    }
}
