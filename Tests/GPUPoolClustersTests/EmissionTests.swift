import Foundation
import GPUPoolClusters
import GPUPoolDomain
import GPUPoolPlanner
import GPUPoolWorkloads
import Testing
import Yams

/// The emitters against the plan they write, read back independently: Docs/Clusters.md says every placed
/// worker becomes one Job pinned to its node with its GPU count (Kubernetes) and every placed job one
/// script asking for exactly its nodes, tasks and GPUs (Slurm); unplaced jobs are never emitted.
@Suite("Emitted manifests and batch scripts")
struct EmissionTests {
    /// A feature-rich seeded pool and workload, planned, with an inventory that gives nodes taints,
    /// other hostnames, GRES types and partitions (one per provider, plus a shared one on some nodes).
    static func scenario(seed: UInt64) throws -> (Plan, Pool, Workload, ClusterInventory) {
        let (pool, workload) = try WorkloadGenerator.generateRealistic(jobs: 40, gpus: 240, nodes: 40, seed: seed)
        let plan = try Planner(options: PlannerOptions(method: .heuristic, timeLimit: 5, seed: seed)).plan(pool: pool, workload: workload)
        var nodes: [ClusterNode] = []
        for (i, node) in pool.nodes.enumerated() {
            let taints = i % 3 == 0 ? [NodeTaint(key: "nvidia.com/gpu", value: "present", effect: "NoSchedule"),
                                       NodeTaint(key: "soft", effect: "PreferNoSchedule")] : []
            nodes.append(ClusterNode(
                name: node.id, hostname: "host-\(i)", product: node.accelerator, accelerator: node.accelerator, vendor: node.vendor,
                gpuCount: node.gpuCount, gpuMemoryGiB: node.gpuMemoryGiB, region: node.region,
                resourceName: node.vendor == "AMD" ? "amd.com/gpu" : "nvidia.com/gpu", taints: taints,
                gresType: node.accelerator.lowercased().replacingOccurrences(of: "-", with: "_"),
                partitions: i % 2 == 0 ? [node.provider, "shared"] : [node.provider]))
        }
        return (plan, pool, workload, ClusterInventory(kind: .kubernetes, nodes: nodes))
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func kubernetesJobsMatchThePlan(seed: UInt64) throws {
        let (plan, pool, _, inventory) = try Self.scenario(seed: seed)
        #expect(!plan.placed.isEmpty)
        let emission = try KubernetesManifests(image: "busybox:1.36", command: "echo $GPUPOOL_WORKER_INDEX", namespace: "team-a")
            .emit(plan: plan, pool: pool, inventory: inventory)
        #expect(emission.files.count == plan.placed.count)
        #expect(Set(emission.unplaced.map(\.job)) == Set(plan.unplaced.map(\.job)))
        var names = Set<String>()
        for (entry, file) in zip(plan.placed, emission.files) {
            let documents = try Yams.load_all(yaml: file.contents).map { $0 as! [String: Any] }
            #expect(documents.count == entry.workers.count)
            var emitted: [String] = []
            for document in documents {
                let metadata = document["metadata"] as! [String: Any]
                let name = metadata["name"] as! String
                #expect(names.insert(name).inserted, "name \(name) used twice")
                #expect(name.count <= 63 && name.range(of: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", options: .regularExpression) != nil)
                #expect(metadata["namespace"] as? String == "team-a")
                #expect((metadata["annotations"] as! [String: String])["gpupool.io/job-id"] == entry.job)
                let pod = ((document["spec"] as! [String: Any])["template"] as! [String: Any])["spec"] as! [String: Any]
                let host = (pod["nodeSelector"] as! [String: String])["kubernetes.io/hostname"]!
                let clusterNode = try #require(inventory.nodes.first { $0.hostname == host })
                let container = (pod["containers"] as! [[String: Any]])[0]
                let limits = (container["resources"] as! [String: Any])["limits"] as! [String: Int]
                #expect(limits.keys.sorted() == [clusterNode.resourceName!])
                emitted.append("\(clusterNode.name)×\(limits.values.first!)")
                let tolerations = (pod["tolerations"] as? [[String: String]]) ?? []
                let expected = clusterNode.taints.filter { $0.effect != "PreferNoSchedule" }
                #expect(tolerations.map { $0["key"]! } == expected.map(\.key))
                #expect(container["image"] as? String == "busybox:1.36")
            }
            #expect(emitted.sorted() == entry.workers.map { "\($0.node)×\($0.gpus.count)" }.sorted())
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func slurmScriptsMatchThePlan(seed: UInt64) throws {
        let (plan, pool, _, inventory) = try Self.scenario(seed: seed)
        let emission = try SlurmBatchScripts(command: "python train.py", timeLimit: "01:00:00").emit(plan: plan, pool: pool, inventory: inventory)
        #expect(emission.files.count == plan.placed.count)
        var sawHeterogeneous = false
        for (entry, file) in zip(plan.placed, emission.files) {
            // Components are separated by `#SBATCH hetjob`; each asks for whole nodes × tasks × GRES.
            var components: [[String: String]] = [[:]]
            for line in file.contents.split(separator: "\n") where line.hasPrefix("#SBATCH ") {
                let option = line.dropFirst("#SBATCH ".count)
                if option == "hetjob" { components.append([:]); continue }
                let pair = option.split(separator: "=", maxSplits: 1).map(String.init)
                components[components.count - 1][pair[0]] = pair[1]
            }
            sawHeterogeneous = sawHeterogeneous || components.count > 1
            var workers: [String] = []
            let gpusPerWorker = entry.workers[0].gpus.count
            for component in components {
                let hosts = component["--nodelist"]!.split(separator: ",").map(String.init)
                #expect(Int(component["--nodes"]!) == hosts.count)
                let tasks = Int(component["--ntasks-per-node"]!)!
                let gres = component["--gres"]!.split(separator: ":")
                #expect(Int(gres[2]) == tasks * gpusPerWorker)
                #expect(component["--time"] == "01:00:00")
                for host in hosts {
                    let node = try #require(inventory.nodes.first { $0.hostname == host })
                    #expect(String(gres[1]) == node.gresType)
                    #expect(node.partitions.contains(component["--partition"]!))
                    workers += Array(repeating: node.name, count: tasks)
                }
            }
            #expect(workers.sorted() == entry.workers.map(\.node).sorted(), "\(entry.job)")
        }
        _ = sawHeterogeneous
    }

    /// Metrics the emitters never read: only the placements matter to them.
    static func metrics(placed: Int) -> PlanMetrics {
        PlanMetrics(placedJobs: placed, unplacedJobs: 0, usedGPUs: 0, schedulableGPUs: 0, costPerHour: 0, utilization: 0,
                    totalThroughput: 0, normalizedThroughput: 0, expectedAvailability: nil, jainFairness: nil, objective: nil,
                    bound: nil, gap: nil, solveSeconds: 0, method: "test")
    }

    @Test func unevenGangsBecomeHeterogeneousJobs() throws {
        let pool = Pool(providers: [Provider(id: "dc", kind: .ownDataCenter)], nodes: [
            Node(id: "a", provider: "dc", accelerator: "A100", gpuCount: 8, gpuMemoryGiB: 40, region: "r", pricePerGPUHour: 1),
            Node(id: "b", provider: "dc", accelerator: "A100", gpuCount: 8, gpuMemoryGiB: 40, region: "r", pricePerGPUHour: 1),
        ])
        let plan = Plan(
            policies: ["max-utilization"], method: "test",
            jobs: [JobPlacement(job: "j", tenant: "t", status: .placed, shape: 0, accelerator: "A100", workers: [
                WorkerPlacement(node: "a", gpus: [0, 1]), WorkerPlacement(node: "a", gpus: [2, 3]), WorkerPlacement(node: "b", gpus: [0, 1]),
            ], costPerHour: 6)],
            metrics: Self.metrics(placed: 1))
        let script = try #require(try SlurmBatchScripts(partition: "gpu").emit(plan: plan, pool: pool).files.first).contents
        #expect(script.contains("#SBATCH --nodelist=a\n#SBATCH --ntasks-per-node=2\n#SBATCH --gres=gpu:a100:4\n#SBATCH hetjob"))
        #expect(script.contains("#SBATCH --nodelist=b\n#SBATCH --ntasks-per-node=1\n#SBATCH --gres=gpu:a100:2"))
        #expect(script.contains("srun --het-group=0,1 "))
        // A worker on a node the pool does not have is an error, and nothing is emitted.
        var broken = plan
        broken.jobs[0].workers[2].node = "ghost"
        #expect(throws: DomainError.self) { try SlurmBatchScripts().emit(plan: broken, pool: pool) }
        #expect(throws: DomainError.self) { try KubernetesManifests().emit(plan: broken, pool: pool) }
    }

    @Test func idsBecomeValidDistinctNames() throws {
        let ids = ["Team A/run #1", "team-a-run-1", String(repeating: "x", count: 80), "Ölmodell", "a.b_c"]
        var seen = Set<String>()
        let pool = Pool(providers: [Provider(id: "dc", kind: .ownDataCenter)], nodes: [
            Node(id: "n", provider: "dc", accelerator: "H100", gpuCount: 8, gpuMemoryGiB: 80, region: "r", pricePerGPUHour: 1),
        ])
        let plan = Plan(
            policies: [], method: "test",
            jobs: ids.enumerated().map { i, id in
                JobPlacement(job: id, tenant: "Tenant \(i)", status: .placed, shape: 0, accelerator: "H100",
                             workers: [WorkerPlacement(node: "n", gpus: [i])], costPerHour: 1)
            },
            metrics: Self.metrics(placed: 5))
        let emission = try KubernetesManifests().emit(plan: plan, pool: pool)
        for file in emission.files {
            let document = try #require(try Yams.load(yaml: String(file.contents.split(separator: "---\n", maxSplits: 1)[1])) as? [String: Any])
            let metadata = document["metadata"] as! [String: Any]
            let name = metadata["name"] as! String
            #expect(seen.insert(name).inserted)
            #expect(name.count <= 63 && name.range(of: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", options: .regularExpression) != nil, "\(name)")
            for (_, value) in metadata["labels"] as! [String: String] {
                #expect(value.count <= 63 && value.range(of: "^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$", options: .regularExpression) != nil, "\(value)")
            }
        }
        #expect(Set(emission.files.map(\.name)).count == ids.count)
    }
}
