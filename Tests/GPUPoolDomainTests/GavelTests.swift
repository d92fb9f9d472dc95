import Foundation
import Testing
@testable import GPUPoolDomain

@Suite("Gavel traces and throughputs")
struct GavelTests {
    @Test("all four shared traces parse with the README's job counts",
          .enabled(if: SharedData.gavelAvailable, "../shared/data/traces/gavel is absent; skipping shared trace test"),
          arguments: [("msr_seed0_103959.trace", 986), ("msr_seed0_11cb48.trace", 2000),
                      ("physical_max_min_fairness.trace", 96), ("physical_small_test.trace", 20)])
    func sharedTraces(file: String, jobs: Int) throws {
        let entries = try GavelTrace.read(path: SharedData.path("traces/gavel/\(file)"))
        #expect(entries.count == jobs)
        #expect(entries.allSatisfy { $0.scaleFactor >= 1 && $0.scaleFactor <= 64 && $0.totalSteps > 0 })
        let arrivals = entries.map(\.arrivalSeconds)
        #expect(arrivals == arrivals.sorted(), "trace rows are in arrival order")
    }

    @Test("7-column msr format fields",
          .enabled(if: SharedData.gavelAvailable, "../shared/data/traces/gavel is absent; skipping shared trace test"))
    func msrFields() throws {
        let entries = try GavelTrace.read(path: SharedData.path("traces/gavel/msr_seed0_103959.trace"))
        let first = try #require(entries.first)
        #expect(first.jobType == "Transformer (batch size 128)")
        #expect(first.stepsArgument == "-step")
        #expect(first.needsDataDirectory)
        #expect(first.totalSteps == 5_635_991)
        #expect(first.arrivalSeconds == 0)
        #expect(first.scaleFactor == 1)
        #expect(first.priorityWeight == 1)
        #expect(first.slo == nil)
        #expect(first.workingDirectory == nil)
        #expect(entries[1].scaleFactor == 4)
        #expect(entries[1].arrivalSeconds == 219_316)
        let big = try GavelTrace.read(path: SharedData.path("traces/gavel/msr_seed0_11cb48.trace"))
        #expect(big.map(\.scaleFactor).max() == 64)
    }

    @Test("10-column physical format fields",
          .enabled(if: SharedData.gavelAvailable, "../shared/data/traces/gavel is absent; skipping shared trace test"))
    func physicalFields() throws {
        let entries = try GavelTrace.read(path: SharedData.path("traces/gavel/physical_max_min_fairness.trace"))
        let first = try #require(entries.first)
        #expect(first.jobType == "ResNet-18 (batch size 128)")
        #expect(first.workingDirectory == "image_classification/cifar10")
        #expect(first.stepsArgument == "--num_steps")
        #expect(first.totalSteps == 925_982)
        #expect(first.scaleFactor == 4)
        #expect(first.priorityWeight == 1)
        #expect(first.slo == nil)
        #expect(first.family == "ResNet-18")
        #expect(Set(entries.map(\.scaleFactor)) == [1, 2, 4])
    }

    @Test("the shared throughputs JSON parses: 6 worker types, 83 job keys for v100",
          .enabled(if: SharedData.gavelAvailable, "../shared/data/traces/gavel is absent; skipping shared trace test"))
    func sharedThroughputs() throws {
        let matrix = try GavelThroughputs.read(path: SharedData.path("traces/gavel/simulation_throughputs.json"))
        #expect(Set(matrix.isolated.keys) == ["k80", "p100", "v100", "k80_unconsolidated", "p100_unconsolidated", "v100_unconsolidated"])
        #expect(matrix.isolated["v100"]?.count == 83)
        #expect(matrix.jobTypes().count == 26)
        let k80 = try #require(matrix.throughput(jobType: "ResNet-18 (batch size 16)", scaleFactor: 1, workerType: "k80"))
        #expect(abs(k80 - 4.795294551566172) < 1e-12)
        // K80 cannot run ResNet-50 (batch size 128) on 2 GPUs: the matrix says 0.
        #expect(matrix.throughput(jobType: "ResNet-50 (batch size 128)", scaleFactor: 2, workerType: "k80") == 0)
        // Scale 16 is not measured: linear from scale 8.
        let eight = try #require(matrix.throughput(jobType: "ResNet-50 (batch size 64)", scaleFactor: 8, workerType: "v100"))
        #expect(matrix.throughput(jobType: "ResNet-50 (batch size 64)", scaleFactor: 16, workerType: "v100") == eight * 2)
        #expect(matrix.throughput(jobType: "No such job", scaleFactor: 1, workerType: "v100") == nil)
    }

    @Test("makeJobs: gangs of scale-factor workers, Gavel throughputs, locality, tenants",
          .enabled(if: SharedData.gavelAvailable, "../shared/data/traces/gavel is absent; skipping shared trace test"))
    func makeJobs() throws {
        let entries = try GavelTrace.read(path: SharedData.path("traces/gavel/msr_seed0_11cb48.trace"))
        let matrix = try GavelThroughputs.read(path: SharedData.path("traces/gavel/simulation_throughputs.json"))
        let jobs = GavelTrace.makeJobs(entries, throughputs: matrix, tenants: .roundRobin(["a", "b"]))
        #expect(jobs.count == 2000)
        #expect(jobs[0].id == "job0000")
        #expect(Set(jobs.map(\.id)).count == 2000)
        #expect(jobs[0].tenant == "a" && jobs[1].tenant == "b")
        for (job, entry) in zip(jobs, entries) {
            #expect(job.shape.workers == entry.scaleFactor && job.shape.gpusPerWorker == 1)
            #expect(job.locality == (entry.scaleFactor <= 8 ? .node : .region))
            #expect(Set(job.throughput.keys).isSubset(of: ["V100", "P100", "K80"]))
        }
        let first = jobs[0]
        let v100 = try #require(first.throughput["V100"])
        #expect(v100 == matrix.throughput(jobType: entries[0].jobType, scaleFactor: 1, workerType: "v100"))
        #expect(abs(try #require(first.expectedDurationHours) - entries[0].totalSteps / v100 / 3600) < 1e-9)
        let byFamily = GavelTrace.makeJobs(Array(entries.prefix(3)), throughputs: matrix, tenants: .byFamily)
        #expect(byFamily.map(\.tenant) == entries.prefix(3).map(\.family))
        #expect(Workload(jobs: jobs).problems().isEmpty)
    }

    @Test("malformed trace lines are all reported with their line numbers")
    func malformedTrace() {
        let text = [
            "A (batch size 1)\tcmd\t-s\t1\t100\t0\t1",
            "too\tfew\tcolumns",
            "B\tcmd\t-s\t1\tmany\t0\t1",
            "C\tcmd\t-s\t1\t100\t0\t0",
            "D\tcmd\tdir\t-s\t1\t100\t1\t-2\t-1\t0",
            "E\tcmd\t-s\t2\t100\t0\t1",
        ].joined(separator: "\n")
        let error = expectDomainError { _ = try GavelTrace.parse(text: text, fileName: "t.trace") }
        #expect(error?.problems.map { $0.line ?? 0 } == [2, 3, 4, 5, 6])
        #expect(error?.problems[1].description == "t.trace:3: column total steps: is not a number: \"many\"")
    }

    @Test("job keys parse from Gavel's text form")
    func jobKeys() {
        let key = GavelThroughputs.JobKey(text: "('LM (batch size 20)', 4)")
        #expect(key == GavelThroughputs.JobKey(jobType: "LM (batch size 20)", scaleFactor: 4))
        #expect(key?.text == "('LM (batch size 20)', 4)")
        #expect(GavelThroughputs.JobKey(text: "('x', 0)") == nil)
        #expect(GavelThroughputs.JobKey(text: "x") == nil)
        #expect(GavelThroughputs.JobKey(text: "(', 1)") == nil)
    }

    @Test("malformed throughputs JSON names each bad entry")
    func malformedThroughputs() {
        let json = #"{"v100": {"('A', 1)": {"null": -1}, "bad key": {"null": 1}, "('B', 1)": {"x": [1, 2]}}, "p100": 5}"#
        let error = expectDomainError { _ = try GavelThroughputs.parse(data: Data(json.utf8), fileName: "t.json") }
        #expect(error?.problems.count == 4)
        #expect(expectDomainError { _ = try GavelThroughputs.parse(data: Data("[1,".utf8)) } != nil)
    }
}
