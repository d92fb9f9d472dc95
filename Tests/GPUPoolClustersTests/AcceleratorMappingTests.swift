import GPUPoolClusters
import GPUPoolDomain
import Testing

@Suite("Accelerator mapping")
struct AcceleratorMappingTests {
    /// Product labels and GRES types seen on real clusters (GPU Feature Discovery spellings, Slurm sites),
    /// with the model Docs/Clusters.md says they map to.
    @Test(arguments: [
        ("NVIDIA-A100-SXM4-80GB", "A100-80GB"), ("NVIDIA-A100-80GB-PCIe", "A100-80GB"), ("NVIDIA-A100-SXM4-40GB", "A100"),
        ("NVIDIA-H100-80GB-HBM3", "H100"), ("Tesla-T4", "T4"), ("Tesla-V100-SXM2-16GB", "V100"), ("NVIDIA-A30", "A30"),
        ("AMD_Instinct_MI300X_OAM", "MI300X"), ("a100_80gb", "A100-80GB"), ("nvidia_a100-pcie-40gb", "A100"), ("h100", "H100"),
        ("NVIDIA-GeForce-RTX-4090", "RTX4090"), ("NVIDIA-L40S", "L40S"),
    ])
    func builtInRules(product: String, model: String) {
        let resolution = AcceleratorMapping.builtIn(product)
        if model == "A30" {
            // Not in the table: kept as written (without the vendor word) and flagged unknown.
            #expect(resolution.accelerator == "A30" && !resolution.known)
        } else {
            #expect(resolution.accelerator == model, "\(product)")
            #expect(resolution.known)
        }
    }

    @Test func unknownProductsStayUnknown() {
        // A vGPU profile, AWS's A10G (not an A10), a MIG slice, a Quadro: never mapped to a nearby known model.
        #expect(AcceleratorMapping.builtIn("NVIDIA-A16-4Q") == .init(accelerator: "A16-4Q", known: false, source: "unknown"))
        #expect(AcceleratorMapping.builtIn("NVIDIA-A10G").accelerator == "A10G")
        #expect(!AcceleratorMapping.builtIn("NVIDIA-A10G").known)
        #expect(AcceleratorMapping.builtIn("NVIDIA-A100-SXM4-40GB-MIG-1g.5gb").accelerator == "A100-MIG-1g.5gb")
        #expect(AcceleratorMapping.builtIn("Quadro-RTX-8000").known == false)
    }

    @Test func mappingFileWins() throws {
        let mapping = try AcceleratorMapping.parse(text: """
            products: {NVIDIA-A16-4Q: A16, m60: M60}
            nodes: {gpu-07: A100-80GB}
            memoryGiB: {M60: 8}
            prices: {A100-80GB: 1.1}
            """, fileName: "map.yaml")
        #expect(mapping.resolve(product: "NVIDIA-A16-4Q", node: "x").accelerator == "A16")
        #expect(mapping.resolve(product: "M60", node: "x").accelerator == "M60")  // case-insensitive key
        #expect(mapping.resolve(product: "Tesla-T4", node: "gpu-07").accelerator == "A100-80GB")
        #expect(mapping.memory(of: "M60") == 8)
        #expect(mapping.memory(of: "H100") == ThroughputTable.standard.specs["H100"]?.memoryGiB)
        #expect(mapping.prices["A100-80GB"] == 1.1)
    }

    @Test func badMappingFilesNameTheProblem() {
        #expect(throws: DomainError.self) { try AcceleratorMapping.parse(text: "product: {a: b}", fileName: "m.yaml") }
        do {
            _ = try AcceleratorMapping.parse(text: "memoryGiB: {M60: -1}\nprices: {H100: .nan}", fileName: "m.yaml")
            Issue.record("accepted")
        } catch let error as DomainError {
            #expect(error.description.contains("m.yaml: memoryGiB \"M60\": must be a number > 0"))
            #expect(error.description.contains("prices \"H100\""))
        } catch { Issue.record("\(error)") }
    }
}
