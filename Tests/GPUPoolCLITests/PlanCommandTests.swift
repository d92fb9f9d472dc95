import Foundation
import Testing

@Suite("gpupool plan, demo, validate")
struct PlanCommandTests {
    private static let pool = """
    providers:
      - id: dc
        kind: own
    nodes:
      - id: n1
        provider: dc
        accelerator: A100-80GB
        gpuCount: 8
        gpuMemoryGiB: 80
        interconnect: nvlink
        region: eu
        pricePerGPUHour: 1.5
      - id: n2
        provider: dc
        accelerator: V100
        gpuCount: 4
        gpuMemoryGiB: 32
        interconnect: pcie
        region: eu
        pricePerGPUHour: 0.5
    """

    private static let jobs = """
    jobs:
      - id: train
        tenant: a
        shape: {workers: 2, gpusPerWorker: 4}
        locality: node
      - id: small
        tenant: b
        shape: {workers: 1, gpusPerWorker: 2}
    """

    @Test func plansAndWritesJSON() throws {
        let poolPath = try CLIRunner.temporaryFile("pool.yaml", contents: Self.pool)
        let jobsPath = try CLIRunner.temporaryFile("jobs.yaml", contents: Self.jobs)
        let outPath = (poolPath as NSString).deletingLastPathComponent + "/plan.json"
        let out = try CLIRunner.run(["plan", "--pool", poolPath, "--jobs", jobsPath, "--policy", "min-cost", "--json", "--output", outPath])
        #expect(out.status == 0, "\(out.stderr)")
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let jobs = try #require(plan["jobs"] as? [[String: Any]])
        #expect(jobs.count == 2)
        #expect(jobs.allSatisfy { $0["status"] as? String == "placed" })
        // The 8-GPU gang must sit on the one node that holds it.
        let train = try #require(jobs.first { $0["job"] as? String == "train" })
        let workers = try #require(train["workers"] as? [[String: Any]])
        #expect(Set(workers.compactMap { $0["node"] as? String }) == ["n1"])
        #expect(FileManager.default.fileExists(atPath: outPath))

        // Re-planning from that plan keeps both jobs where they are.
        let again = try CLIRunner.run(["plan", "--pool", poolPath, "--jobs", jobsPath, "--policy", "min-cost", "--current", outPath])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("re-plan: kept 2"))
    }

    @Test func badInputListsEveryProblemAndWritesNothing() throws {
        let poolPath = try CLIRunner.temporaryFile("pool.yaml", contents: Self.pool + "\n  - id: n1\n    provider: nowhere\n    accelerator: A100-80GB\n    gpuCount: -2\n    gpuMemoryGiB: 80\n    region: eu\n    pricePerGPUHour: 1\n")
        let jobsPath = try CLIRunner.temporaryFile("jobs.yaml", contents: Self.jobs)
        let outPath = (poolPath as NSString).deletingLastPathComponent + "/plan.json"
        let out = try CLIRunner.run(["plan", "--pool", poolPath, "--jobs", jobsPath, "--output", outPath])
        #expect(out.status == 2)
        let lines = out.stderr.split(separator: "\n")
        #expect(lines.count >= 3, "\(out.stderr)")            // duplicate id, unknown provider, negative count
        #expect(lines.allSatisfy { $0.hasPrefix("error: \(poolPath):") })
        #expect(!FileManager.default.fileExists(atPath: outPath))
    }

    @Test func unknownPolicyIsAnError() throws {
        let poolPath = try CLIRunner.temporaryFile("pool.yaml", contents: Self.pool)
        let jobsPath = try CLIRunner.temporaryFile("jobs.yaml", contents: Self.jobs)
        let out = try CLIRunner.run(["plan", "--pool", poolPath, "--jobs", jobsPath, "--policy", "cheapest"])
        #expect(out.status == 2 && out.stderr.contains("cheapest"))
    }

    @Test func demoComparesPolicies() throws {
        let out = try CLIRunner.run(["demo", "--json", "--method", "heuristic", "--policies", "min-cost,max-availability"])
        #expect(out.status == 0, "\(out.stderr)")
        let rows = out.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(rows.count == 2)
        let cost = rows.compactMap { $0["cost_per_hour"] as? Double }
        let availability = rows.compactMap { $0["expected_availability"] as? Double }
        #expect(cost.count == 2 && availability.count == 2)
        // Each policy wins on its own objective (placements being equal, as the demo fits).
        if rows[0]["placed"] as? Int == rows[1]["placed"] as? Int {
            #expect(cost[0] <= cost[1] + 1e-9)
            #expect(availability[1] >= availability[0] - 1e-9)
        }
    }

    @Test(.enabled(if: CLIRunner.hasSharedData, "needs ../shared/data (absent)"))
    func validateReportsJSONLinesAndHTML() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gpupool-val-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let report = dir.appendingPathComponent("report.html").path
        let out = try CLIRunner.run(["validate", "../shared/data/gap/gap1.txt", "--known", "../shared/data/gap/optima.json",
                                     "--heuristic", "regret", "--json", "--report", report])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n")
        #expect(lines.count == 5)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["instance"] as? String == "gap1-1" && first["known"] as? Double == 336)
        #expect((first["heuristic"] as? [String: Any])?["assignment"] is [Int])
        #expect(try String(contentsOfFile: report, encoding: .utf8).contains("<svg"))
    }

    @Test func validateBadFileStillRunsOthersAndExitsTwo() throws {
        let good = try CLIRunner.temporaryFile("ok.txt", contents: "1\n2 2\n1 2\n2 1\n1 1\n1 1\n2 2\n")
        let out = try CLIRunner.run(["validate", "/no/such.txt", good, "--heuristic", "regret", "--sense", "max"])
        #expect(out.status == 2)
        #expect(out.stderr.contains("error: /no/such.txt"))
        #expect(out.stdout.contains("ok"))
    }
}
