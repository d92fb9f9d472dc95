import Foundation
import GPUPoolTestSupport
import Testing
@testable import GPUPoolDomain

@Suite("Throughput estimates")
struct ThroughputTableTests {
    @Test("the shipped table loads, V100 is the 1.0 reference, every entry is sourced")
    func builtIn() throws {
        let table = try ThroughputTable.builtIn()
        #expect(table.reference == "V100")
        #expect(table.relativeSpeed(of: "V100") == 1)
        for (name, spec) in table.specs {
            #expect(spec.relativeThroughput > 0 && spec.relativeThroughput.isFinite, "\(name)")
            #expect(!spec.sources.isEmpty, "\(name) has no source")
            #expect(!spec.basis.isEmpty, "\(name) has no basis")
            #expect(spec.memoryGiB > 0, "\(name)")
            #expect(AcceleratorName.canonical(name) == name, "\(name) is not canonical")
        }
        #expect(ThroughputTable.estimateLabel.hasPrefix("ESTIMATE"))
        #expect(table == ThroughputTable.standard)
    }

    @Test("the table covers every catalog accelerator and every known name")
    func coverage() throws {
        let table = try ThroughputTable.builtIn()
        let required = ["H100", "H200", "A100-80GB", "A100", "A10", "A6000", "L40S", "L40", "L4", "RTX4090", "RTX3090",
                        "V100", "P100", "K80", "T4", "MI300X", "MI250X", "GH200", "B200", "RTX5090", "RTX3060",
                        "RTX4080", "RTX6000", "RTX6000-Ada", "A40", "A5000", "A4000"]
        for model in required { #expect(table.knows(model), "\(model) missing") }
        for model in AcceleratorName.known { #expect(table.knows(model), "\(model) is a known name without a spec") }
        #expect(table.specs["MI300X"]?.vendor == "AMD")
        #expect(table.relativeSpeed(of: "RTX 4090") == table.relativeSpeed(of: "RTX4090"))
        // Sanity of the ordering the estimates encode.
        let speed = { (model: String) in table.relativeSpeed(of: model) ?? 0 }
        #expect(speed("K80") < speed("V100") && speed("V100") < speed("A100") && speed("A100") < speed("H100"))
        #expect(speed("H100") < speed("H200") && speed("H200") < speed("B200"))
        #expect(speed("RTX3090") < speed("RTX4090"))
    }

    @Test("catalog accelerators in the shared files are all known to the table",
          .enabled(if: SharedData.supplyAvailable, "../shared/data/supply is absent; skipping shared catalog test"))
    func sharedCatalogModels() throws {
        let table = try ThroughputTable.builtIn()
        for file in ["lambda", "vast", "fluidstack"] {
            let catalog = try SkyPilotCatalog.read(path: SharedData.path("supply/\(file).csv"), providerID: file)
            for offer in catalog.offers { #expect(table.knows(offer.accelerator), "\(file): \(offer.catalogAcceleratorName)") }
        }
    }

    @Test("estimates: measured values win, nearest measured model is scaled, GPU counts scale linearly")
    func estimates() throws {
        let table = ThroughputTable(specs: [
            AcceleratorSpec(name: "V100", vendor: "NVIDIA", memoryGiB: 32, relativeThroughput: 1, basis: "ref"),
            AcceleratorSpec(name: "K80", vendor: "NVIDIA", memoryGiB: 12, relativeThroughput: 0.25, basis: "x"),
            AcceleratorSpec(name: "A100", vendor: "NVIDIA", memoryGiB: 40, relativeThroughput: 2, basis: "x"),
            AcceleratorSpec(name: "H100", vendor: "NVIDIA", memoryGiB: 80, relativeThroughput: 4, basis: "x"),
        ])
        let job = Job(id: "j", tenant: "t", shape: JobShape(workers: 4), throughput: ["V100": 10, "K80": 1])
        #expect(table.estimate(job: job, accelerator: "V100") == 10)
        #expect(table.estimate(job: job, accelerator: "K80") == 1)
        #expect(table.estimate(job: job, accelerator: "H100") == 40, "from V100 (closer than K80): 10 × 4/1")
        #expect(table.estimate(job: job, accelerator: "Unobtainium") == nil)
        // A shape with 2 GPUs instead of 4 halves a measured value.
        #expect(table.estimate(job: job, shape: JobShape(workers: 2), accelerator: "V100") == 5)
        // 8×A100 or 16×V100: the V100 measurement is for 16 GPUs.
        let alternative = Job(id: "k", tenant: "t", shape: JobShape(workers: 8, accelerators: ["A100"]),
                              alternatives: [JobShape(workers: 16, accelerators: ["V100"])], throughput: ["V100": 32])
        #expect(table.estimate(job: alternative, accelerator: "A100") == 32)  // 32 × 2/1 × 8/16
        #expect(table.estimate(job: alternative, accelerator: "H100") == nil, "no shape allows H100")
        // No measurements: GPUs × relative speed.
        let bare = Job(id: "b", tenant: "t", shape: JobShape(workers: 3))
        #expect(table.estimate(job: bare, accelerator: "A100") == 6)
    }

    @Test("overrides replace and add models; bad values are rejected")
    func overrides() throws {
        let table = try ThroughputTable.load(overrides: ["H100": 3.0, "Gaudi2": 2.5])
        #expect(table.relativeSpeed(of: "H100") == 3.0)
        #expect(table.specs["H100"]?.basis == "user override")
        #expect(table.relativeSpeed(of: "Gaudi2") == 2.5)
        #expect(table.specs["Gaudi2"]?.vendor == "Intel")
        let error = expectDomainError { _ = try ThroughputTable.load(overrides: ["H100": -1, "A100": .nan]) }
        #expect(error?.problems.count == 2)

        let directory = try TemporaryDirectory()
        let yaml = directory.path("o.yaml")
        try "relativeThroughput:\n  RTX 4090: 2.0\naccelerators:\n  - {name: X1, vendor: Acme, memoryGiB: 64, relativeThroughput: 5, basis: measured, sources: [lab]}\n"
            .write(toFile: yaml, atomically: true, encoding: .utf8)
        let fromFile = try ThroughputTable.load(overridesFile: yaml)
        #expect(fromFile.relativeSpeed(of: "RTX4090") == 2.0)
        #expect(fromFile.specs["X1"]?.vendor == "Acme")
        let bad = directory.path("bad.json")
        try #"{"relativeThroughput": {"H100": 0}}"#.write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(expectDomainError { _ = try ThroughputTable.load(overridesFile: bad) }?.problems.first?.file == bad)
    }

    @Test("accelerator names canonicalise and infer vendors")
    func names() {
        #expect(AcceleratorName.canonical("RTX 4090") == "RTX4090")
        #expect(AcceleratorName.canonical("RTX_4090") == "RTX4090")
        #expect(AcceleratorName.canonical("rtx4090") == "RTX4090")
        #expect(AcceleratorName.canonical("a100-80gb") == "A100-80GB")
        #expect(AcceleratorName.canonical("A100_SXM4_80GB") == "A100-80GB")
        #expect(AcceleratorName.canonical("RTXA6000") == "A6000")
        #expect(AcceleratorName.canonical("Tesla V100") == "V100")
        #expect(AcceleratorName.canonical("H100_SXM") == "H100")
        #expect(AcceleratorName.canonical("RTX6000-Ada") == "RTX6000-Ada")
        #expect(AcceleratorName.canonical("  Gaudi2 ") == "Gaudi2")
        #expect(AcceleratorName.inferredVendor("MI300X") == "AMD")
        #expect(AcceleratorName.inferredVendor("Gaudi2") == "Intel")
        #expect(AcceleratorName.inferredVendor("H100") == "NVIDIA")
    }
}
