import Foundation
import GPUPoolClusters
import GPUPoolDomain
import Testing

@Suite("Slurm inventory")
struct SlurmInventoryTests {
    static let siteMapping = AcceleratorMapping(products: ["quadro": "Quadro-P1000"], memoryGiB: ["m60": 8, "rtx2080": 8, "Quadro-P1000": 4])

    @Test func realMultiLineListingNeedsMemoryForUnknownModels() throws {
        // Slurm 17.11 `scontrol show node -d` of a real site (Fixtures/README.md): m60, rtx2080 and quadro are
        // not in GPUPool's table, and Slurm does not report GPU memory: an error per node, with its line.
        do {
            _ = try SlurmInventory.read(nodesFile: ClusterFixtures.path("slurm-show-node.txt"))
            Issue.record("accepted without memory for unknown GPUs")
        } catch let error as DomainError {
            #expect(error.problems.map(\.item) == ["node \"cortex-01\"", "node \"dumfries-002\"", "node \"cricket\""])
            #expect(error.problems.map(\.line) == [1, 22, 64])
            #expect(error.problems.allSatisfy { $0.message.contains("memory per GPU") })
        }
        let inventory = try SlurmInventory.read(nodesFile: ClusterFixtures.path("slurm-show-node.txt"), mapping: Self.siteMapping)
        let byName = Dictionary(uniqueKeysWithValues: inventory.nodes.map { ($0.name, $0) })
        #expect(byName.keys.sorted() == ["cortex-01", "cricket", "dumfries-002"])
        #expect(byName["cortex-01"]?.gpuCount == 8 && byName["cortex-01"]?.gpusInUse == 8 && byName["cortex-01"]?.gresType == "m60")
        #expect(byName["cortex-01"]?.partitions == ["short", "killable"])
        #expect(byName["dumfries-002"]?.gpusInUse == 4 && byName["dumfries-002"]?.health == .healthy)
        #expect(byName["cricket"]?.accelerator == "Quadro-P1000" && byName["cricket"]?.gpusInUse == 0 && byName["cricket"]?.gpuCount == 1)
        // oxygen-04 (Gres=(null), IDLE+DRAIN) has no GPUs: left out, and said so.
        #expect(inventory.warnings.contains { $0.message.contains("without GPU GRES") && $0.message.contains("oxygen-04") })
        #expect(inventory.warnings.contains { $0.item == "node \"cortex-01\"" && $0.message.contains("unknown accelerator \"m60\"") })
    }

    @Test func realOneLineListingOfSlurm2205() throws {
        // `scontrol -d -o show node` of Debian's slurmctld 22.05.8 (the shipped demo listing).
        let inventory = try ClusterDemo.inventory(.slurm)
        #expect(inventory.nodes.count == 9)
        let byName = Dictionary(uniqueKeysWithValues: inventory.nodes.map { ($0.name, $0) })
        #expect(byName["dgx-a100-01"]?.accelerator == "A100-80GB" && byName["dgx-a100-01"]?.gpuMemoryGiB == 80)
        #expect(byName["dgx-a100-01"]?.interconnect == .nvlink && byName["t4-01"]?.interconnect == .pcie)
        #expect(byName["hgx-h100-02"]?.health == .cordoned)  // drained
        #expect(byName["hgx-h100-01"]?.health == .healthy)  // IDLE+CLOUD+POWERED_DOWN takes work
        #expect(byName["t4-01"]?.partitions == ["inference"])
        #expect(inventory.nodes.allSatisfy { $0.gpusInUse == 0 })
        #expect(inventory.warnings.isEmpty)
    }

    @Test func realSinfoJSONOf2205() throws {
        let inventory = try SlurmInventory.read(nodesFile: ClusterFixtures.path("slurm-sinfo-22.05.json"))
        #expect(inventory.nodes.count == 9)
        #expect(inventory.node(named: "hgx-h100-02")?.health == .cordoned)
        #expect(inventory.node(named: "dgx-a100-03")?.gresType == "a100_80gb")
        #expect(inventory.node(named: "dgx-a100-03")?.features == ["nvlink", "sxm4"])
    }

    @Test func realNodeJSONOf2411SplitsTwoGPUTypes() throws {
        // slurmrestd / `scontrol show node --json` of Slurm 24.11: one node with gpu:fake1:1 and gpu:fake2:1.
        let mapping = AcceleratorMapping(memoryGiB: ["fake1": 16, "fake2": 24])
        let inventory = try SlurmInventory.read(nodesFile: ClusterFixtures.path("slurm-nodes.json"), mapping: mapping)
        #expect(inventory.nodes.map(\.name) == ["host1:fake1", "host1:fake2"])
        #expect(inventory.nodes.allSatisfy { $0.hostname == "host1" && $0.gpuCount == 1 && $0.gpusInUse == 0 && $0.partitions == ["debug"] })
        #expect(inventory.warnings.contains { $0.message.contains("2 GPU types") })
    }

    @Test func squeueFillsUseOnlyWhereTheListingIsSilent() throws {
        let nodes = """
            NodeName=g[1] Gres=gpu:a100:8 State=MIXED Partitions=gpu
            NodeName=g2 Gres=gpu:a100:8 State=MIXED Partitions=gpu
            NodeName=g3 Gres=gpu:a100:8 GresUsed=gpu:a100:2(IDX:0-1) State=MIXED Partitions=gpu
            """.replacingOccurrences(of: "g[1]", with: "g1")
        let jobs = """
            {"jobs": [
              {"job_id": 1, "job_state": "RUNNING", "nodes": "g[1-2]", "gres_detail": ["gpu:a100:4(IDX:0-3)", "gpu:a100:1(IDX:0)"]},
              {"job_id": 2, "job_state": ["RUNNING"], "nodes": "g3", "tres_alloc_str": "cpu=4,gres/gpu=3"},
              {"job_id": 3, "job_state": "PENDING", "nodes": "", "tres_alloc_str": "gres/gpu=8"}
            ]}
            """
        let inventory = try SlurmInventory.parse(nodes: nodes, nodesFile: "n.txt", jobs: jobs, jobsFile: "q.json")
        #expect(inventory.nodes.map(\.gpusInUse) == [4, 1, 2])
        // The listing's own figure wins, and the disagreement is a warning.
        #expect(inventory.warnings.contains { $0.item == "node \"g3\"" && $0.message.contains("running jobs hold 3 GPUs") })
        // The real 21.08 squeue fixture holds no GPUs: nothing changes, nothing fails.
        let real = try ClusterFixtures.text("slurm-squeue.json")
        let unchanged = try SlurmInventory.parse(nodes: nodes, nodesFile: "n.txt", jobs: real, jobsFile: "q.json")
        #expect(unchanged.nodes.map(\.gpusInUse) == [0, 0, 2])
    }

    @Test(arguments: [
        ("IDLE", HealthState.healthy), ("MIXED", .healthy), ("ALLOCATED", .healthy), ("IDLE+CLOUD+POWERED_DOWN", .healthy),
        ("IDLE+DRAIN", .cordoned), ("MIXED+DRAIN", .cordoned), ("DRAINED", .cordoned), ("DOWN", .failed),
        ("IDLE*", .failed), ("DOWN+DRAIN", .failed), ("MAINT", .cordoned), ("FUTURE", .cordoned), ("WEIRD", .cordoned),
    ])
    func states(state: String, health: HealthState) throws {
        let inventory = try SlurmInventory.parse(nodes: "NodeName=n1 Gres=gpu:h100:8 State=\(state)", nodesFile: "n.txt")
        #expect(inventory.nodes.first?.health == health)
    }

    @Test func malformedListingsAreErrorsWithLines() {
        func message(_ text: String, mapping: AcceleratorMapping = AcceleratorMapping()) -> String {
            do { _ = try SlurmInventory.parse(nodes: text, nodesFile: "n.txt", mapping: mapping); return "accepted" } catch { return "\(error)" }
        }
        #expect(message("").contains("no NodeName= records"))
        #expect(message("NodeName=a Gres=gpu:h100:8\nthis is not scontrol").contains("n.txt:2: line: not `Key=Value` fields"))
        #expect(message("NodeName=a Gres=gpu:h100:eight").contains("n.txt:1: node \"a\": cannot read Gres"))
        #expect(message("NodeName=a Gres=gpu:4").contains("GRES gpu:4 has no type"))
        #expect(message("NodeName=a Gres=gpu:4", mapping: AcceleratorMapping(nodes: ["a": "V100"])) == "accepted")
        #expect(message("{\"nodes\": 3}").contains("not `scontrol show node --json` or `sinfo --json` output"))
        #expect(message("{\"nodes\": [{\"gres\": \"gpu:h100:1\"}]}").contains("node #1: has no name"))
    }

    @Test func hostlists() throws {
        #expect(try SlurmHostlist.expand("gpu-[01-03,07],login1").get() == ["gpu-01", "gpu-02", "gpu-03", "gpu-07", "login1"])
        #expect(try SlurmHostlist.expand("a[1-2]b[3-4]").get() == ["a1b3", "a1b4", "a2b3", "a2b4"])
        #expect(try SlurmHostlist.expand("n[9-10]").get() == ["n9", "n10"])
        #expect(throws: SlurmHostlist.HostlistError.self) { try SlurmHostlist.expand("n[1-").get() }
        #expect(throws: SlurmHostlist.HostlistError.self) { try SlurmHostlist.expand("n[5-2]").get() }
        #expect(throws: SlurmHostlist.HostlistError.self) { try SlurmHostlist.expand("n[1-99999999]").get() }
    }
}
