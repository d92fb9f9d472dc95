import Foundation
import GPUPoolSupport
import GPUPoolTestSupport
import Testing

/// `gpupool validate` on planner instances: generated feature-rich pools and a pool/workload pair,
/// the planner's search and an external program, every plan checked.
@Suite("validate: planner instances")
struct ValidatePlanningTests {
    @Test func generatedAndFileInstancesWithAnExternalHeuristic() throws {
        guard ProcessRunner.onPath("python3") != nil else { return }
        let directory = try TemporaryDirectory(label: "validate-plan")
        let pool = directory.path("pool.yaml")
        #expect(try CLIRunner.run([
            "pool", "import", "--slurm", "Sources/GPUPoolClusters/Resources/demo/slurm-nodes.txt", "-o", pool,
        ]).status == 0)
        let result = try CLIRunner.run([
            "validate", "--generate-plan", "10x20:2", "--pool", pool, "--workload", "Sources/GPUPoolClusters/Resources/demo/cluster-jobs.yaml",
            "--policy", "max-utilization", "--policy", "min-cost", "--heuristic", "planner",
            "--heuristic", "cmd:python3 Examples/heuristics/plan_first_fit.py", "--exact", "--exact-time-limit", "10", "--json",
            "--csv", directory.path("trials.csv"),
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let trials = lines.filter { $0["record"] as? String == "trial" }
        // (2 generated + 1 file) instances × 2 policies × 2 heuristics.
        #expect(trials.count == 12)
        #expect(trials.allSatisfy { $0["status"] as? String == "feasible" }, "\(trials.map { $0["status"] ?? "" })")
        #expect(Set(trials.compactMap { $0["family"] as? String }) == [
            "plan10n-20j-max-utilization", "plan10n-20j-min-cost", "plan-max-utilization", "plan-min-cost",
        ])
        #expect(trials.contains { $0["instance"] as? String == "pool+cluster-jobs-min-cost" })
        let csv = try String(contentsOfFile: directory.path("trials.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 13)
    }

    @Test func badPlannerOptionsAreExitTwo() throws {
        let unpaired = try CLIRunner.run(["validate", "--pool", "a.yaml"])
        #expect(unpaired.status == 2 && unpaired.stderr.contains("--pool and --workload pair up"))
        let fifo = try CLIRunner.run(["validate", "--generate-plan", "5x5", "--policy", "fifo"])
        #expect(fifo.status == 2 && fifo.stderr.contains("planner instances are judged under"))
        let bad = try CLIRunner.run(["validate", "--generate-plan", "5by5"])
        #expect(bad.status == 2 && bad.stderr.contains("expected NODESxJOBS[:COUNT]"))
        let missing = try CLIRunner.run(["validate", "--pool", "/nonexistent/pool.yaml", "--workload", "/nonexistent/jobs.yaml"])
        #expect(missing.status == 2 && missing.stderr.contains("/nonexistent/pool.yaml"))
    }
}
