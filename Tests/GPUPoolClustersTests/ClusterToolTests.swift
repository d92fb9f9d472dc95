import Foundation
import GPUPoolClusters
import GPUPoolDomain
import GPUPoolPlanner
import GPUPoolSupport
import GPUPoolTestSupport
import GPUPoolWorkloads
import Testing

/// The emitted files checked by the real tools: Kubernetes' own schemas (kubernetes-validate from PyPI,
/// offline) and a real Slurm controller (`sbatch --test-only`), with an inventory read back from it.
/// `.ci/run` installs both and sets GPUPOOL_REQUIRE_CLUSTER_TOOLS=1, so in CI a missing tool fails instead of skipping.
@Suite("Emitted files against kubernetes-validate and slurmctld", .serialized)
struct ClusterToolTests {
    static let required = ProcessInfo.processInfo.environment["GPUPOOL_REQUIRE_CLUSTER_TOOLS"] == "1"

    static var kubernetesValidate: URL? {
        let candidates = [ProcessInfo.processInfo.environment["GPUPOOL_KUBERNETES_VALIDATE"],
                          NSHomeDirectory() + "/.cache/gpupool/manifest-check-venv/bin/kubernetes-validate"]
        return candidates.compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0) }.map(URL.init(fileURLWithPath:))
    }

    static var hasSlurm: Bool { ProcessRunner.onPath("slurmctld") != nil || FileManager.default.isExecutableFile(atPath: "/usr/sbin/slurmctld") }

    /// Skips (or fails in CI) when a tool is missing; returns whether to go on.
    static func need(_ present: Bool, _ what: String) -> Bool {
        if present { return true }
        if required { Issue.record("\(what) is missing but GPUPOOL_REQUIRE_CLUSTER_TOOLS=1") }
        return false
    }

    @Test("kubernetes-validate --strict accepts every emitted manifest, and rejects a broken one")
    func manifestsPassKubernetesSchemas() throws {
        guard Self.need(Self.kubernetesValidate != nil, "kubernetes-validate (scripts/check-manifests.sh installs it)"), let tool = Self.kubernetesValidate else { return }
        let directory = try TemporaryDirectory(label: "k8s-emit")
        var files: [String] = []
        for seed in [1, 2] as [UInt64] {
            let (plan, pool, _, inventory) = try EmissionTests.scenario(seed: seed)
            let emission = try KubernetesManifests(namespace: "gpupool-\(seed)").emit(plan: plan, pool: pool, inventory: inventory)
            for file in emission.files {
                let path = directory.path("\(seed)-\(file.name)")
                try file.contents.write(toFile: path, atomically: true, encoding: .utf8)
                files.append(path)
            }
        }
        let demo = try ClusterDemo.inventory(.kubernetes)
        let demoPool = try demo.pool()
        let demoPlan = try Planner(options: PlannerOptions(method: .heuristic, timeLimit: 5)).plan(pool: demoPool, workload: ClusterDemo.workload(against: demoPool))
        for file in try KubernetesManifests().emit(plan: demoPlan, pool: demoPool, inventory: demo).files {
            let path = directory.path("demo-\(file.name)")
            try file.contents.write(toFile: path, atomically: true, encoding: .utf8)
            files.append(path)
        }
        #expect(files.count > 10)
        let result = try ProcessRunner.run(tool, ["--strict"] + files, timeout: 300)
        #expect(result.status == 0, "\(result.stdout.suffix(2000))\(result.stderr.suffix(2000))")
        #expect(result.stdout.components(separatedBy: " passed for resource ").count - 1 >= files.count)
        // The check can fail: a misspelt field in one manifest is refused.
        let broken = directory.path("broken.yaml")
        try String(contentsOfFile: files[0], encoding: .utf8).replacingOccurrences(of: "nodeSelector:", with: "nodeSelectr:")
            .write(toFile: broken, atomically: true, encoding: .utf8)
        let refused = try ProcessRunner.run(tool, ["--strict", broken], timeout: 120)
        #expect(refused.status != 0)
    }

    @Test("a pool becomes a Slurm cluster, is read back through scontrol, planned, and every script passes sbatch --test-only")
    func slurmRoundTrip() throws {
        guard Self.need(Self.hasSlurm, "slurmctld (scripts/slurm-test-controller.sh install)") else { return }
        let (pool, workload) = try WorkloadGenerator.generateRealistic(jobs: 60, gpus: 200, nodes: 30, seed: 7)
        let directory = try TemporaryDirectory(label: "slurm")
        // slurm.conf node lines from the pool: one partition per provider and one holding every node.
        func gresType(_ node: Node) -> String { node.accelerator.lowercased().replacingOccurrences(of: "-", with: "_") }
        var fragment = pool.nodes.map { node in
            "NodeName=\(node.id) CPUs=128 RealMemory=512000 Gres=gpu:\(gresType(node)):\(node.gpuCount)"
        }
        for provider in pool.providers {
            let members = pool.nodes.filter { $0.provider == provider.id }.map(\.id)
            if !members.isEmpty { fragment.append("PartitionName=\(provider.id) Nodes=\(members.joined(separator: ",")) MaxTime=INFINITE State=UP") }
        }
        fragment.append("PartitionName=all Nodes=ALL Default=YES MaxTime=INFINITE State=UP")
        let controller = try SlurmTestController(directory: directory, nodeLines: fragment)
        defer { controller.stop() }
        let slurm = controller.run
        let drained = pool.nodes[0].id
        let drain = try slurm("scontrol", ["update", "nodename=\(drained)", "state=drain", "reason=gpu xid 79"])
        #expect(drain.status == 0, "\(drain.stderr)")

        // Read the cluster back as scontrol prints it.
        let listing = try slurm("scontrol", ["-d", "-o", "show", "node"])
        try #require(listing.status == 0, "\(listing.stderr)")
        let inventory = try SlurmInventory.parse(nodes: listing.stdout, nodesFile: "scontrol")
        let imported = try inventory.pool()
        #expect(imported.nodes.count == pool.nodes.count)
        for node in pool.nodes {
            let back = try #require(imported.nodes.first { $0.id == node.id }, "\(node.id) lost")
            #expect(back.accelerator == node.accelerator && back.gpuCount == node.gpuCount, "\(node.id)")
            #expect(back.health == (node.id == drained ? .cordoned : .healthy), "\(node.id): \(back.health)")
            #expect(inventory.node(named: node.id)?.partitions.contains(node.provider) == true)
        }

        // Plan the workload on what Slurm reported, emit, and ask Slurm about every script.
        let plan = try Planner(options: PlannerOptions(method: .heuristic, timeLimit: 5)).plan(pool: imported, workload: workload)
        #expect(plan.placed.count >= 10)
        #expect(!plan.placed.contains { $0.workers.contains { $0.node == drained } })
        let emission = try SlurmBatchScripts().emit(plan: plan, pool: imported, inventory: inventory)
        var rejected: [String] = []
        for file in emission.files {
            let path = directory.path(file.name)
            try file.contents.write(toFile: path, atomically: true, encoding: .utf8)
            let answer = try slurm("sbatch", ["--test-only", path])
            if answer.status != 0 || !answer.stderr.contains("to start at") { rejected.append("\(file.name): \(answer.stderr)") }
        }
        #expect(rejected.isEmpty, "\(rejected.prefix(5))")
        #expect(emission.files.count == plan.placed.count)
        // The check can fail: one GPU more than the node has is refused.
        let first = try #require(emission.files.first)
        let greedy = first.contents.split(separator: "\n").map { line -> String in
            guard line.hasPrefix("#SBATCH --gres=gpu:"), let count = Int(line.split(separator: ":").last!) else { return String(line) }
            return line.dropLast(String(count).count) + "4097"
        }.joined(separator: "\n")
        try greedy.write(toFile: directory.path("greedy.sbatch"), atomically: true, encoding: .utf8)
        #expect(try slurm("sbatch", ["--test-only", directory.path("greedy.sbatch")]).status != 0)
    }

    @Test("the validation harness's Slurm example (Docs/validation-cluster/slurm) passes sbatch, its merge chained by afterok")
    func validationClusterScriptsPassSbatch() throws {
        guard Self.need(Self.hasSlurm, "slurmctld (scripts/slurm-test-controller.sh install)") else { return }
        let directory = try TemporaryDirectory(label: "slurm-validate")
        let controller = try SlurmTestController(directory: directory, nodeLines: [
            "NodeName=cpu-[1-4] CPUs=4 RealMemory=16000",
            "PartitionName=batch Nodes=ALL Default=YES MaxTime=INFINITE State=UP",
        ])
        defer { controller.stop() }
        let scripts = TestPaths.package("Docs/validation-cluster/slurm")
        for name in ["validate-array.sbatch", "validate-merge.sbatch"] {
            let answer = try controller.run("sbatch", ["--test-only", "\(scripts)/\(name)"])
            #expect(answer.status == 0 && answer.stderr.contains("to start at"), "\(name): \(answer.stderr)")
        }
        // submit.sh's chain: the array held (so nothing runs), the merge submitted after it with afterok.
        let array = try controller.run("sbatch", ["--parsable", "--hold", "--chdir", directory.path(""), "\(scripts)/validate-array.sbatch"])
        try #require(array.status == 0, "\(array.stderr)")
        let id = array.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ";")[0]
        let merge = try controller.run("sbatch", ["--test-only", "--dependency=afterok:\(id)", "\(scripts)/validate-merge.sbatch"])
        #expect(merge.status == 0, "\(merge.stderr)")
        let queue = try controller.run("squeue", ["--noheader", "--format=%i %t %r"])
        #expect(queue.stdout.contains("PD"), "\(queue.stdout)")
        _ = try controller.run("scancel", [String(id)])
    }
}

/// A throw-away slurmctld on loopback (scripts/slurm-test-controller.sh) with the given node and
/// partition lines, and the Slurm commands pointed at it.
struct SlurmTestController {
    let directory: TemporaryDirectory
    private let script = TestPaths.package("scripts/slurm-test-controller.sh")

    init(directory: TemporaryDirectory, nodeLines: [String]) throws {
        self.directory = directory
        try (nodeLines.joined(separator: "\n") + "\n").write(toFile: directory.path("nodes.conf"), atomically: true, encoding: .utf8)
        let start = try ProcessRunner.run(URL(fileURLWithPath: "/bin/bash"), [script, "start", directory.path("ctl"), directory.path("nodes.conf")], timeout: 120)
        guard start.status == 0 else {
            throw DomainError(problems: [Problem(item: "slurmctld", message: "did not start: \(start.stderr.suffix(1500))")])
        }
    }

    /// `tool arguments…` with SLURM_CONF set to this controller.
    func run(_ tool: String, _ arguments: [String]) throws -> ProcessRunner.Output {
        var environment = ProcessInfo.processInfo.environment
        environment["SLURM_CONF"] = directory.path("ctl/slurm.conf")
        let path = ["/usr/bin/\(tool)", "/usr/sbin/\(tool)"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? tool
        return try ProcessRunner.run(URL(fileURLWithPath: path), arguments, environment: environment, timeout: 60)
    }

    func stop() {
        _ = try? ProcessRunner.run(URL(fileURLWithPath: "/bin/bash"), [script, "stop", directory.path("ctl")], timeout: 60)
    }
}
