import Foundation
import GPUPoolTestSupport
import Testing
@testable import GPUPoolDomain

@Suite("Pool and workload file formats")
struct FormatTests {
    static let poolYAML = """
        # a small pool
        providers:
          - id: dc
            kind: own
          - id: vast
            kind: community
            availability: 0.85
        nodes:
          - id: n1
            provider: dc
            accelerator: A100-80GB
            gpuCount: 8
            gpuMemoryGiB: 80
            interconnect: nvlink
            region: eu
            pricePerGPUHour: 1.1
          - id: n2
            provider: vast
            accelerator: RTX 4090
            gpuCount: 2
            gpuMemoryGiB: 24
            region: US, NA
            pricePerGPUHour: 0.35
            health: suspect

        """

    static let workloadYAML = """
        tenantQuotas:
          research: 16
        jobs:
          - id: train-llm
            tenant: research
            priority: 2
            shape: {workers: 2, gpusPerWorker: 4, accelerators: [A100-80GB, H100]}
            alternatives:
              - {workers: 8, gpusPerWorker: 1, accelerators: [RTX4090]}
            minGPUMemoryGiB: 20
            throughput: {A100-80GB: 10.5, rtx_4090: 4}
            locality: provider
            preferredRegion: eu
            deniedProviders: [crowd]
            budgetPerHour: 30
            expectedDurationHours: 12
            weight: 2
          - id: small
            tenant: product
            shape: {workers: 1}

        """

    @Test("YAML pool decodes with defaults and canonical names")
    func decodePoolYAML() throws {
        let pool = try PoolFile.parse(text: Self.poolYAML, fileName: "pool.yaml", format: .yaml)
        #expect(pool.providers.count == 2)
        #expect(pool.nodes[1].accelerator == "RTX4090")
        #expect(pool.nodes[1].vendor == "NVIDIA")
        #expect(pool.nodes[1].interconnect == .pcie)
        #expect(pool.nodes[1].health == .suspect)
        #expect(pool.nodes[0].health == .healthy)
        #expect(pool.effectiveAvailability(of: pool.nodes[0]) == 0.995)
        #expect(pool.effectiveAvailability(of: pool.nodes[1]) == 0.85)
        #expect(pool.totalGPUs == 10)
        #expect(pool.origin?.line(for: "nodes[1].gpuCount") == 20)
    }

    @Test("YAML workload decodes with defaults")
    func decodeWorkloadYAML() throws {
        let workload = try WorkloadFile.parse(text: Self.workloadYAML, fileName: "jobs.yaml", format: .yaml)
        let job = workload.jobs[0]
        #expect(job.shapes.count == 2)
        #expect(job.throughput == ["A100-80GB": 10.5, "RTX4090": 4])
        #expect(job.locality == .provider)
        #expect(job.allows(provider: "dc") && !job.allows(provider: "crowd"))
        let small = workload.jobs[1]
        #expect(small.priority == 0 && small.weight == 1 && small.locality == .any && small.shape.gpusPerWorker == 1)
        #expect(small.alternatives.isEmpty && small.deniedProviders.isEmpty && small.allowedProviders == nil)
        #expect(workload.tenantQuotas == ["research": 16])
    }

    @Test("pool and workload round-trip through YAML and JSON files", arguments: ["yaml", "yml", "json"])
    func roundTrip(ext: String) throws {
        let directory = try TemporaryDirectory()
        let pool = samplePool()
        try PoolFile.write(pool, to: directory.path("pool.\(ext)"))
        let readPool = try PoolFile.read(path: directory.path("pool.\(ext)"))
        #expect(readPool == pool)
        #expect(readPool.origin?.file == directory.path("pool.\(ext)"))

        let workload = try WorkloadFile.parse(text: Self.workloadYAML, fileName: "w.yaml", format: .yaml)
        try WorkloadFile.write(workload, to: directory.path("jobs.\(ext)"))
        let readWorkload = try WorkloadFile.read(path: directory.path("jobs.\(ext)"), against: readPool)
        #expect(readWorkload == workload)
    }

    @Test("YAML writer: readable output, tricky strings and numbers survive the round trip")
    func yamlWriter() throws {
        let pool = Pool(providers: [Provider(id: "dc", kind: .ownDataCenter, availability: 0.995)], nodes: [
            Node(id: "n1", provider: "dc", accelerator: "A100-80GB", gpuCount: 8, gpuMemoryGiB: 80, interconnect: .nvlink,
                 region: "US, NA", pricePerGPUHour: 1.1, availability: 0.00001),
        ])
        let text = try PoolFile.encode(pool, format: .yaml)
        #expect(text == """
            providers:
              - id: dc
                kind: own
                availability: 0.995
            nodes:
              - id: n1
                provider: dc
                accelerator: A100-80GB
                vendor: NVIDIA
                gpuCount: 8
                gpuMemoryGiB: 80
                interconnect: nvlink
                region: "US, NA"
                pricePerGPUHour: 1.1
                availability: 1.0e-05
                health: healthy

            """)
        #expect(try PoolFile.parse(text: text, fileName: "w.yaml", format: .yaml) == pool)

        let tricky = ["yes", "No", "123", "1.5", "1:30", "null", "~", " lead", "trail ", "a: b", "#hash", "x #y", "-dash",
                      "[x]", "{y}", "quote\"in", "back\\slash", "new\nline", "tab\tin", "é ü 漢字", "@at", "%pct", "*star",
                      "&amp", "!bang", "|pipe", ">gt", "'single'", "0x1F", ".inf", "y", "ends:", "1e5", "1_000"]
        let jobs = tricky.enumerated().map { index, name in
            Job(id: "job-\(index)-\(name)", tenant: name, shape: JobShape(workers: 1, accelerators: ["H100"]),
                throughput: ["H100": 1e20, "V100": 0.1 + 0.2], preferredRegion: name, deniedProviders: [name], jobType: name)
        }
        let workload = Workload(jobs: jobs, tenantQuotas: Dictionary(uniqueKeysWithValues: tricky.map { ($0, 3) }))
        let yaml = try WorkloadFile.encode(workload, format: .yaml)
        #expect(try WorkloadFile.parse(text: yaml, fileName: "t.yaml", format: .yaml, validate: false) == workload)
        let json = try WorkloadFile.encode(workload, format: .json)
        #expect(try WorkloadFile.parse(text: json, fileName: "t.json", format: .json, validate: false) == workload)
    }

    @Test("YAML syntax errors carry Yams' line")
    func yamlSyntaxLine() {
        let text = "providers:\n  - id: a\n    kind: own\n  - id: [b\n    kind: cloud\nnodes: []\n"
        let error = expectDomainError { _ = try PoolFile.parse(text: text, fileName: "bad.yaml", format: .yaml) }
        let problem = error?.problems.first
        #expect(problem?.file == "bad.yaml")
        #expect(problem?.line != nil)
        #expect((problem?.line ?? 0) >= 4)
        #expect(problem?.item == "YAML syntax")
    }

    @Test("JSON syntax errors carry the line")
    func jsonSyntaxLine() {
        let text = "{\n  \"providers\": [],\n  \"nodes\": [\n    {\"id\": \"a\",}\n  ]\n}\n"
        let error = expectDomainError { _ = try PoolFile.parse(text: text, fileName: "bad.json", format: .json) }
        #expect(error?.problems.first?.line == 4)
        #expect(error?.problems.first?.description.hasPrefix("bad.json:4: JSON syntax:") == true)
    }

    @Test("every undecodable item is reported, each at its own line, plus validation of the rest")
    func allDecodingProblems() {
        let text = """
            providers:
              - id: dc
                kind: owned
            nodes:
              - id: n1
                provider: dc
                accelerator: H100
                gpuCount: eight
                gpuMemoryGiB: 80
                region: eu
                pricePerGPUHour: 1
              - id: n2
                provider: dc
                accelerator: H100
                gpuMemoryGiB: 80
                region: eu
                pricePerGPUHour: 1
              - id: n3
                provider: dc
                accelerator: H100
                gpuCount: 8
                gpuMemoryGiB: 80
                region: eu
                pricePerGPUHour: 1
                availabilty: 0.9
              - id: n4
                provider: elsewhere
                accelerator: H100
                gpuCount: 8
                gpuMemoryGiB: 80
                region: eu
                pricePerGPUHour: 1

            """
        let error = expectDomainError { _ = try PoolFile.parse(text: text, fileName: "p.yaml", format: .yaml) }
        let lines = error?.problems.map(\.description) ?? []
        #expect(lines.count == 5, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("p.yaml:3: provider \"dc\":") && $0.contains("unknown provider kind \"owned\"") && $0.contains("own, cloud, community") })
        #expect(lines.contains { $0.hasPrefix("p.yaml:8: node \"n1\":") && $0.contains("gpuCount") && $0.contains("integer") })
        #expect(lines.contains { $0.hasPrefix("p.yaml:12: node \"n2\":") && $0.contains("missing required field \"gpuCount\"") })
        #expect(lines.contains { $0.hasPrefix("p.yaml:25: node \"n3\":") && $0.contains("did you mean \"availability\"") })
        #expect(lines.contains { $0.hasPrefix("p.yaml:27: node \"n4\":") && $0.contains("unknown provider \"elsewhere\"") })
        // n1..n3 reference "dc", whose own decoding failed: no second complaint about them.
        #expect(!lines.contains { $0.contains("unknown provider \"dc\"") })
    }

    @Test("JSON decoding problems are located through the line map")
    func jsonDecodingLines() {
        let text = """
            {
              "jobs": [
                {"id": "a", "tenant": "t", "shape": {"workers": 1}},
                {"id": "b", "tenant": "t",
                 "shape": {"workers": "two"}},
                {"id": "c", "shape": {"workers": 1}}
              ]
            }
            """
        let error = expectDomainError { _ = try WorkloadFile.parse(text: text, fileName: "w.json", format: .json) }
        let problems = error?.problems ?? []
        #expect(problems.count == 2)
        #expect(problems.first?.line == 5)
        #expect(problems.first?.item == "job \"b\"")
        #expect(problems.last?.line == 6)
        #expect(problems.last?.message == "missing required field \"tenant\"")
    }

    @Test("unknown top-level keys, unknown extensions, empty and missing files are errors")
    func documentLevelErrors() throws {
        let typo = expectDomainError { _ = try PoolFile.parse(text: "node: []\n", fileName: "p.yaml", format: .yaml) }
        #expect(typo?.problems.first?.message.contains("did you mean \"nodes\"") == true)
        #expect(typo?.problems.first?.line == 1)
        let ext = expectDomainError { _ = try PoolFile.read(path: "/tmp/pool.txt") }
        #expect(ext?.problems.first?.message.contains(".yaml") == true)
        let missing = expectDomainError { _ = try WorkloadFile.read(path: "/nonexistent/jobs.yaml") }
        #expect(missing?.problems.first?.message == "does not exist")
        let empty = expectDomainError { _ = try PoolFile.parse(text: "  \n", fileName: "e.yaml", format: .yaml) }
        #expect(empty?.problems.first?.message == "is empty")
        let notMapping = expectDomainError { _ = try PoolFile.parse(text: "- 1\n- 2\n", fileName: "l.yaml", format: .yaml) }
        #expect(notMapping?.problems.count == 1)
        let directory = try TemporaryDirectory()
        let binary = directory.path("bin.yaml")
        try Data([0xFF, 0xFE, 0x00, 0xC3]).write(to: URL(fileURLWithPath: binary))
        #expect(expectDomainError { _ = try PoolFile.read(path: binary) }?.problems.first?.message == "is not valid UTF-8 text")
    }

    @Test("writers refuse NaN in JSON and leave no partial file")
    func writerNaN() throws {
        let directory = try TemporaryDirectory()
        var pool = samplePool()
        pool.nodes[0].pricePerGPUHour = .nan
        let path = directory.path("pool.json")
        #expect(expectDomainError { try PoolFile.write(pool, to: path) } != nil)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("document format from extension")
    func formats() {
        #expect(DocumentFormat(path: "a/b.YAML") == .yaml)
        #expect(DocumentFormat(path: "x.yml") == .yaml)
        #expect(DocumentFormat(path: "x.json") == .json)
        #expect(DocumentFormat(path: "x.csv") == nil)
        #expect(DocumentFormat(path: "dir.yaml/file") == nil)
    }
}
