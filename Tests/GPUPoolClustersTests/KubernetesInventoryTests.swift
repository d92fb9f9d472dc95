import Foundation
import GPUPoolClusters
import GPUPoolDomain
import Testing

@Suite("Kubernetes inventory")
struct KubernetesInventoryTests {
    @Test func realGPUOperatorNode() throws {
        // kubectl output of an RKE2 node with the GPU Operator (Fixtures/README.md names the source).
        let inventory = try KubernetesInventory.read(nodesFile: ClusterFixtures.path("k8s-nvidia-nodes.json"))
        #expect(inventory.nodes.count == 1)
        let node = try #require(inventory.nodes.first)
        #expect(node.name == "nori" && node.hostname == "nori")
        #expect(node.product == "NVIDIA-A16-4Q" && node.accelerator == "A16-4Q")
        #expect(node.gpuCount == 1 && node.gpuMemoryGiB == 4 && node.health == .healthy && node.resourceName == "nvidia.com/gpu")
        // The unknown vGPU profile is a warning that names the node and its line, never silent.
        let warning = try #require(inventory.warnings.first)
        #expect(warning.item == "node \"nori\"" && warning.message.contains("unknown accelerator \"NVIDIA-A16-4Q\""))
        #expect(warning.line == 4)
        let pool = try inventory.pool()
        #expect(pool.nodes.map(\.id) == ["nori"])
    }

    @Test func realAMDNodeLabeller() throws {
        // The labels of ROCm's node labeller documentation, on a node object around them.
        let labels = try ClusterFixtures.text("k8s-amd-node-labels.txt").split(separator: "\n").map { line -> (String, String) in
            let pair = line.split(separator: "=", maxSplits: 1).map(String.init)
            return (pair[0], pair[1])
        }
        let labelJSON = labels.map { "\"\($0.0)\": \"\($0.1)\"" }.joined(separator: ", ")
        let text = """
            {"kind": "List", "items": [{"metadata": {"name": "mi300x-0", "labels": {\(labelJSON)}},
              "status": {"allocatable": {"amd.com/gpu": "8"}, "conditions": [{"type": "Ready", "status": "True"}]}}]}
            """
        let node = try #require(try KubernetesInventory.parse(nodes: text, nodesFile: "amd.json").nodes.first)
        #expect(node.accelerator == "MI300X" && node.vendor == "AMD" && node.gpuMemoryGiB == 192)
        #expect(node.resourceName == "amd.com/gpu" && node.interconnect == .nvlink)
    }

    @Test func demoClusterWithPods() throws {
        let inventory = try ClusterDemo.inventory(.kubernetes)
        let byName = Dictionary(uniqueKeysWithValues: inventory.nodes.map { ($0.name, $0) })
        #expect(byName.count == 7 && byName["cpu-1"] == nil)
        #expect(byName["gpu-a100-1"]?.accelerator == "A100-80GB" && byName["gpu-a100-1"]?.gpuMemoryGiB == 80)
        #expect(byName["gpu-h100-1"]?.accelerator == "H100" && byName["gpu-h100-1"]?.gpusInUse == 2)
        #expect(byName["gpu-t4-1"]?.gpusInUse == 2)  // two 1-GPU pods
        #expect(byName["gpu-a100-2"]?.gpusInUse == 0)  // its pod Succeeded: holds nothing
        #expect(byName["gpu-h100-2"]?.health == .failed && byName["gpu-h100-2"]?.gpusInUse == 4)
        #expect(byName["gpu-t4-2"]?.health == .cordoned)
        #expect(byName["gpu-a100-1"]?.taints == [NodeTaint(key: "nvidia.com/gpu", value: "present", effect: "NoSchedule")])
        #expect(byName["gpu-a100-1"]?.region == "eu-central" && byName["gpu-a100-1"]?.zone == "eu-central-a")
        let pool = try inventory.pool(options: InventoryOptions(providerID: "k8s", defaultPricePerGPUHour: 0.5))
        #expect(pool.providers.map(\.id) == ["k8s"])
        #expect(pool.nodes.first { $0.id == "gpu-h100-1" }?.freeGPUs == 6)
        #expect(pool.nodes.allSatisfy { $0.pricePerGPUHour == 0.5 })
    }

    @Test func podRequestsFollowKubernetesRules() throws {
        let nodes = """
            {"items": [{"metadata": {"name": "n1", "labels": {"nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3"}},
              "status": {"allocatable": {"nvidia.com/gpu": "8"}, "conditions": [{"type": "Ready", "status": "True"}]}}]}
            """
        // Two containers add up; an init container counts only when it asks for more than they do together;
        // a pending pod bound to the node holds its GPUs; an unbound one holds none.
        let pods = """
            {"items": [
              {"metadata": {"name": "a"}, "spec": {"nodeName": "n1", "containers": [
                 {"name": "c1", "resources": {"limits": {"nvidia.com/gpu": "1"}}},
                 {"name": "c2", "resources": {"requests": {"nvidia.com/gpu": "2"}}}]}, "status": {"phase": "Running"}},
              {"metadata": {"name": "b"}, "spec": {"nodeName": "n1", "initContainers": [
                 {"name": "i", "resources": {"limits": {"nvidia.com/gpu": "4"}}}],
                 "containers": [{"name": "c", "resources": {"limits": {"nvidia.com/gpu": "1"}}}]}, "status": {"phase": "Pending"}},
              {"metadata": {"name": "c"}, "spec": {"containers": [{"name": "c", "resources": {"limits": {"nvidia.com/gpu": "8"}}}]},
               "status": {"phase": "Pending"}}
            ]}
            """
        let inventory = try KubernetesInventory.parse(nodes: nodes, nodesFile: "n.json", pods: pods, podsFile: "p.json")
        #expect(inventory.nodes.first?.gpusInUse == 3 + 4)
    }

    @Test func malformedListingsAreErrorsNamingTheItem() {
        func message(_ nodes: String, pods: String? = nil) -> String {
            do {
                _ = try KubernetesInventory.parse(nodes: nodes, nodesFile: "n.json", pods: pods, podsFile: "p.json")
                return "accepted"
            } catch { return "\(error)" }
        }
        #expect(message("{\"items\": [\n{\"metadata\": \n}") .hasPrefix("n.json:3: JSON:"))
        #expect(message("[1, 2]").contains("not a Kubernetes Node list or object"))
        let noLabel = """
            {"items": [{"metadata": {"name": "x"}, "status": {"allocatable": {"nvidia.com/gpu": "2"}}}]}
            """
        #expect(message(noLabel).contains("node \"x\": has 2 nvidia.com/gpu but no nvidia.com/gpu.product label"))
        let badCount = """
            {"items": [{"metadata": {"name": "x", "labels": {"nvidia.com/gpu.product": "Tesla-T4"}},
              "status": {"allocatable": {"nvidia.com/gpu": "two"}}}]}
            """
        #expect(message(badCount).contains("n.json:1: node \"x\": nvidia.com/gpu allocatable \"two\" is not a whole number"))
        let good = """
            {"items": [{"metadata": {"name": "x", "labels": {"nvidia.com/gpu.product": "Tesla-T4"}},
              "status": {"allocatable": {"nvidia.com/gpu": "4"}, "conditions": [{"type": "Ready", "status": "True"}]}}]}
            """
        let badPod = """
            {"items": [{"metadata": {"name": "p", "namespace": "ns"}, "spec": {"nodeName": "x",
              "containers": [{"name": "c", "resources": {"limits": {"nvidia.com/gpu": "1.5"}}}]}, "status": {"phase": "Running"}}]}
            """
        #expect(message(good, pods: badPod).contains("p.json:1: pod \"ns/p\": container \"c\": nvidia.com/gpu \"1.5\" is not a whole number"))
        #expect(message(good, pods: "{\"items\": [}").hasPrefix("p.json:1: JSON:"))
    }

    @Test func migMixedStrategyIsAWarningNotGPUs() throws {
        let nodes = """
            {"items": [{"metadata": {"name": "m", "labels": {"nvidia.com/gpu.product": "NVIDIA-A100-SXM4-40GB"}},
              "status": {"allocatable": {"nvidia.com/gpu": "0", "nvidia.com/mig-1g.5gb": "7"},
                         "conditions": [{"type": "Ready", "status": "True"}]}}]}
            """
        let inventory = try KubernetesInventory.parse(nodes: nodes, nodesFile: "n.json")
        #expect(inventory.nodes.isEmpty)
        #expect(inventory.warnings.contains { $0.item == "node \"m\"" && $0.message.contains("MIG") })
    }
}
