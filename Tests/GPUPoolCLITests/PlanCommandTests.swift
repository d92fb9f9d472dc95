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

    @Test func textOutputTablesPlacedUnplacedAndStages() throws {
        let poolPath = try CLIRunner.temporaryFile("pool.yaml", contents: Self.pool)
        let jobsPath = try CLIRunner.temporaryFile("jobs.yaml", contents: Self.jobs + """

              - id: huge
                tenant: b
                shape: {workers: 4, gpusPerWorker: 4}
            """)
        let out = try CLIRunner.run(["plan", "--pool", poolPath, "--jobs", jobsPath, "--policy", "min-cost", "--method", "heuristic"])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func section(_ title: String) -> [String] {
            guard let start = lines.firstIndex(of: title) else { return [] }
            return Array(lines[(start + 1)...].prefix { !$0.isEmpty })
        }
        let placed = section("placed (2):")
        #expect(placed.count == 4, "\(out.stdout)")                 // header, rule, two jobs
        #expect(placed.first?.split(separator: " ", omittingEmptySubsequences: true) == ["job", "tenant", "shape", "GPUs", "nodes", "cost/h"])
        let train = try #require(placed.first { $0.hasPrefix("train ") })
        #expect(train.contains(" a ") && train.contains("2×4 A100-80GB") && train.contains("n1×8") && train.hasSuffix("12.00"))
        #expect(placed.contains { $0.hasPrefix("small ") && $0.contains("1×2 V100") && $0.contains("n2×2") })
        let unplaced = section("unplaced (1):")
        #expect(unplaced.count == 3 && unplaced[2].hasPrefix("huge ") && unplaced[2].contains("gang-does-not-fit"), "\(out.stdout)")
        let stages = section("stages:")
        #expect(stages.first?.split(separator: " ") == ["objective", "value", "bound", "gap", "solver", "status"])
        #expect(stages.contains { $0.hasPrefix("max-utilization ") } && stages.contains { $0.hasPrefix("min-cost ") })
        #expect(out.stdout.hasPrefix("method: ") && out.stdout.contains("placed 2 of 3 jobs, 10 of 12 GPUs"))
    }

    @Test func reportWritesSelfContainedHTML() throws {
        let poolPath = try CLIRunner.temporaryFile("pool.yaml", contents: Self.pool)
        let jobsPath = try CLIRunner.temporaryFile("jobs.yaml", contents: Self.jobs)
        let report = (poolPath as NSString).deletingLastPathComponent + "/plan.html"
        let out = try CLIRunner.run(["plan", "--pool", poolPath, "--jobs", jobsPath, "--json", "--report", report])
        #expect(out.status == 0, "\(out.stderr)")
        // --json output is still the plan alone.
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect((plan["jobs"] as? [[String: Any]])?.count == 2)
        let html = try String(contentsOfFile: report, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<svg") && html.contains("</html>"))
        #expect(html.contains(">train<") && html.contains(">small<") && html.contains("n1×8"))
        #expect(!html.contains("http://") && !html.contains("https://"))
        // No temporary file is left beside it.
        let siblings = try FileManager.default.contentsOfDirectory(atPath: (report as NSString).deletingLastPathComponent)
        #expect(siblings.sorted() == ["plan.html", "pool.yaml"] || siblings.sorted() == ["jobs.yaml", "plan.html", "pool.yaml"])

        let bad = try CLIRunner.run(["plan", "--pool", poolPath, "--jobs", jobsPath, "--report", "/no/such/dir/plan.html"])
        #expect(bad.status == 2 && bad.stderr.contains("/no/such/dir/plan.html: cannot write"), "\(bad.stderr)")
    }

    /// The Docs/PoolFormat.md example through the CLI: exit 0 with the never-fitting job unplaced and its
    /// true reason — the same plan the library gives (PlannerTruthTests.docsExampleReportsTheNeverFittingJob).
    @Test func docsExamplePlansWithTheNeverFittingJobUnplaced() throws {
        let text = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent("Docs/PoolFormat.md"), encoding: .utf8)
        func block(_ kind: String) throws -> String {
            let start = try #require(text.range(of: "```yaml \(kind)\n")).upperBound
            return String(text[start..<(try #require(text.range(of: "```", range: start..<text.endIndex))).lowerBound])
        }
        let poolPath = try CLIRunner.temporaryFile("pool.yaml", contents: try block("pool"))
        let jobsPath = try CLIRunner.temporaryFile("jobs.yaml", contents: try block("workload"))
        let out = try CLIRunner.run(["plan", "--pool", poolPath, "--jobs", jobsPath, "--json"])
        #expect(out.status == 0, "\(out.stderr)")
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let jobs = try #require(plan["jobs"] as? [[String: Any]])
        let finetune = try #require(jobs.first { $0["job"] as? String == "llm-finetune" })
        #expect(finetune["status"] as? String == "unplaced")
        #expect((finetune["reason"] as? [String: Any])?["code"] as? String == "gang-does-not-fit", "\(finetune)")
        let notebook = try #require(jobs.first { $0["job"] as? String == "notebook" })
        #expect((notebook["workers"] as? [[String: Any]])?.compactMap { $0["node"] as? String } == ["vast-4090-1"], "\(notebook)")
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
