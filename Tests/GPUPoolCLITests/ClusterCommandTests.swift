import Foundation
import GPUPoolTestSupport
import Testing

/// `gpupool pool import`, `plan --emit` and `demo --cluster` as a user runs them.
@Suite("Cluster commands")
struct ClusterCommandTests {
    static let demo = "Sources/GPUPoolClusters/Resources/demo"

    @Test func importWritesAPoolThatPlans() throws {
        let directory = try TemporaryDirectory(label: "import")
        let pool = directory.path("pool.yaml")
        let imported = try CLIRunner.run([
            "pool", "import", "--kubernetes", "\(Self.demo)/kubernetes-nodes.json", "--pods", "\(Self.demo)/kubernetes-pods.json",
            "--provider", "k8s", "--price", "0.4", "-o", pool,
        ])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("kubernetes: 7 GPU node(s), 48 GPUs (8 in use), 4 model(s)"))
        #expect(imported.stderr.contains("warning: \(Self.demo)/kubernetes-nodes.json:"))
        #expect(imported.stderr.contains("node \"gpu-h100-2\": is not Ready"))
        let text = try String(contentsOfFile: pool, encoding: .utf8)
        #expect(text.contains("gpusInUse: 2") && text.contains("id: k8s") && text.contains("pricePerGPUHour: 0.4"))

        // Plan it and emit: the manifests go where the plan says, stale ones of an earlier run go away.
        let out = directory.path("k8s")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try "# GPUPool plan plan-old: job gone\n---\nkind: Job\n".write(toFile: "\(out)/gone.yaml", atomically: true, encoding: .utf8)
        try "not ours\n".write(toFile: "\(out)/mine.yaml", atomically: true, encoding: .utf8)
        let planned = try CLIRunner.run([
            "plan", "--pool", pool, "--jobs", "\(Self.demo)/cluster-jobs.yaml", "--method", "heuristic", "--time-limit", "5",
            "--emit", "kubernetes", out, "--kubernetes", "\(Self.demo)/kubernetes-nodes.json", "--image", "busybox:1.36",
        ])
        #expect(planned.status == 0, "\(planned.stderr)")
        #expect(planned.stdout.contains("manifest(s) to \(out):"))
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(!files.contains("gone.yaml") && files.contains("mine.yaml") && files.contains("UNPLACED.txt"))
        let unplaced = try String(contentsOfFile: "\(out)/UNPLACED.txt", encoding: .utf8)
        #expect(unplaced.contains("giant-pretrain: gang-does-not-fit"))
        #expect(!files.contains("giant-pretrain.yaml"))
        let manifest = try String(contentsOfFile: "\(out)/whisper-serve.yaml", encoding: .utf8)
        #expect(manifest.contains("image: busybox:1.36") && manifest.contains("kubernetes.io/hostname: \"gpu-t4-1\""))
    }

    @Test func slurmDemoAndJSON() throws {
        let directory = try TemporaryDirectory(label: "slurm-demo")
        let result = try CLIRunner.run(["demo", "--cluster", "slurm", "--emit-directory", directory.path("out"), "--json", "--method", "heuristic"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["cluster"] as? String == "slurm" && object["nodes"] as? Int == 9)
        let placed = try #require(object["placed"] as? [[String: String]])
        #expect(!placed.isEmpty)
        for entry in placed {
            let script = try String(contentsOfFile: directory.path("out/\(entry["file"]!)"), encoding: .utf8)
            #expect(script.hasPrefix("#!/bin/bash\n# GPUPool plan: job \(entry["job"]!)"))
            #expect(script.contains("#SBATCH --nodelist="))
        }
        #expect((object["unplaced"] as? [[String: String]])?.contains { $0["job"] == "mi300-llm" } == true)
    }

    @Test func badInputIsExitTwoNamingTheItem() throws {
        let directory = try TemporaryDirectory(label: "bad-import")
        let broken = directory.path("nodes.json")
        try "{\"items\": [{\"metadata\": {\"name\": \"x\"}, \"status\": {\"allocatable\": {\"nvidia.com/gpu\": \"2\"}}}]}"
            .write(toFile: broken, atomically: true, encoding: .utf8)
        let output = directory.path("pool.yaml")
        let result = try CLIRunner.run(["pool", "import", "--kubernetes", broken, "-o", output])
        #expect(result.status == 2)
        #expect(result.stderr.contains("error: \(broken):1: node \"x\": has 2 nvidia.com/gpu but no nvidia.com/gpu.product label"))
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(try CLIRunner.run(["pool", "import", "--slurm", "/nonexistent/nodes.txt"]).stderr.contains("cannot read"))
        #expect(try CLIRunner.run(["pool", "import", "--kubernetes", broken, "--slurm", broken]).status == 2)
        #expect(try CLIRunner.run(["pool", "import", "--slurm", "\(Self.demo)/slurm-nodes.txt", "-o", directory.path("pool.txt")]).status == 2)
        // --emit with a bad kind, or an emission that cannot be made, writes nothing (not even --output).
        let plan = directory.path("plan.json")
        let bad = try CLIRunner.run([
            "plan", "--pool", "Examples/pool.yaml", "--jobs", "Examples/workload.yaml", "--emit", "nomad", directory.path("x"),
        ])
        #expect(bad.status == 2 && bad.stderr.contains("--emit takes a kind and a directory"))
        let pool = directory.path("p.yaml")
        #expect(try CLIRunner.run(["pool", "import", "--slurm", "\(Self.demo)/slurm-nodes.txt", "-o", pool]).status == 0)
        let mismatch = try CLIRunner.run([
            "plan", "--pool", pool, "--jobs", "\(Self.demo)/cluster-jobs.yaml", "--method", "heuristic", "--output", plan,
            "--emit", "slurm", directory.path("s"), "--slurm", "\(Self.demo)/slurm-nodes.txt", "--mapping", directory.path("missing.yaml"),
        ])
        #expect(mismatch.status == 2)
        #expect(!FileManager.default.fileExists(atPath: plan) && !FileManager.default.fileExists(atPath: directory.path("s")))
    }

    @Test func importMergesCatalogsAndPools() throws {
        let lambda = TestPaths.shared("supply/lambda.csv")
        guard FileManager.default.fileExists(atPath: lambda) else {
            print("skipped: ../shared/data/supply is absent")
            return
        }
        let directory = try TemporaryDirectory(label: "import-merge")
        let first = directory.path("slurm.yaml")
        #expect(try CLIRunner.run(["pool", "import", "--slurm", "\(Self.demo)/slurm-nodes.txt", "-o", first]).status == 0)
        let merged = directory.path("merged.json")
        let result = try CLIRunner.run([
            "pool", "import", "--kubernetes", "\(Self.demo)/kubernetes-nodes.json", "--merge", first,
            "--skypilot", "lambda=\(lambda)", "--skypilot", "vast:community=\(TestPaths.shared("supply/vast.csv"))", "-o", merged,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: merged))) as? [String: Any])
        let providers = (object["providers"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
        #expect(providers == ["slurm", "kubernetes", "lambda", "vast"])
        let kinds = (object["providers"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } ?? []
        #expect(kinds == ["own", "own", "cloud", "community"])
        // The same provider twice is a validation error naming it; nothing is written.
        let twice = try CLIRunner.run(["pool", "import", "--merge", first, "--merge", first, "-o", directory.path("twice.yaml")])
        #expect(twice.status == 2 && twice.stderr.contains("duplicate"))
        #expect(!FileManager.default.fileExists(atPath: directory.path("twice.yaml")))
        #expect(try CLIRunner.run(["pool", "import", "--skypilot", "nonsense"]).status == 2)
    }

    @Test func jobsPlacedOutsideTheClusterAreListedNotEmitted() throws {
        let directory = try TemporaryDirectory(label: "outside")
        let slurmPool = directory.path("slurm.yaml")
        #expect(try CLIRunner.run(["pool", "import", "--slurm", "\(Self.demo)/slurm-nodes.txt", "-o", slurmPool]).status == 0)
        let merged = directory.path("merged.yaml")
        #expect(try CLIRunner.run([
            "pool", "import", "--kubernetes", "\(Self.demo)/kubernetes-nodes.json", "--pods", "\(Self.demo)/kubernetes-pods.json",
            "--merge", slurmPool, "-o", merged,
        ]).status == 0)
        let out = directory.path("k8s")
        let result = try CLIRunner.run([
            "plan", "--pool", merged, "--jobs", "\(Self.demo)/cluster-jobs.yaml", "--method", "heuristic", "--time-limit", "5",
            "--json", "--output", directory.path("plan.json"),
            "--emit", "kubernetes", out, "--kubernetes", "\(Self.demo)/kubernetes-nodes.json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory.path("plan.json")))) as? [String: Any])
        let placed = (plan["jobs"] as? [[String: Any]] ?? []).filter { $0["status"] as? String == "placed" }
        let kubernetesNodes = Set(["gpu-a100-1", "gpu-a100-2", "gpu-h100-1", "gpu-h100-2", "gpu-t4-1", "gpu-t4-2", "gpu-mi300x-1"])
        var inside = 0, elsewhere: [String] = []
        for job in placed {
            let nodes = (job["workers"] as? [[String: Any]] ?? []).compactMap { $0["node"] as? String }
            let id = job["job"] as! String
            if nodes.allSatisfy(kubernetesNodes.contains) {
                inside += 1
                #expect(FileManager.default.fileExists(atPath: "\(out)/\(id).yaml"), "\(id) not emitted")
            } else {
                elsewhere.append(id)
                #expect(!FileManager.default.fileExists(atPath: "\(out)/\(id).yaml"), "\(id) emitted for the wrong cluster")
            }
        }
        #expect(inside > 0 && !elsewhere.isEmpty)
        do {
            let listed = try String(contentsOfFile: "\(out)/OUTSIDE.txt", encoding: .utf8)
            for id in elsewhere { #expect(listed.contains("\(id): ")) }
            #expect(result.stderr.contains("placed on nodes outside this cluster"))
        }
    }
}
