import Foundation
import Testing

@Suite("gpupool-bench plan reports every stage")
struct BenchPlanStagesTests {
    /// `--json` lists each lexicographic stage in the plan's order with value, bound, gap and status:
    /// the first is the primary objective the summary fields report, each gap is
    /// |bound − value| / max(1, |value|) as Docs/Planning.md defines it, and `optimal` only where the
    /// bound meets the value. The text output prints one line per stage.
    @Test func jsonAndTextListTheStages() throws {
        let arguments = ["plan", "--realistic", "--jobs", "40", "--gpus", "160", "--nodes", "20", "--method", "heuristic",
                         "--policy", "priority,max-throughput,min-cost"]
        let out = try CLIRunner.bench(arguments + ["--json"])
        #expect(out.status == 0, "\(out.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let stages = try #require(report["stages"] as? [[String: Any]])
        let names = stages.compactMap { $0["objective"] as? String }
        // Tiers first (the generator draws four), then the policies' terms.
        #expect(names.first?.hasPrefix("priority-tier-") == true, "\(names)")
        #expect(names.contains("max-throughput") && names.contains("min-cost"), "\(names)")
        let first = try #require(stages.first)
        #expect(first["value"] as? Double == report["objective"] as? Double)
        for stage in stages {
            let value = try #require(stage["value"] as? Double)
            guard let bound = stage["bound"] as? Double else {
                #expect(stage["gap"] is NSNull && stage["status"] as? String == "feasible", "\(stage)")
                continue
            }
            let gap = try #require(stage["gap"] as? Double)
            #expect(abs(gap - abs(bound - value) / max(1, abs(value))) <= 1e-9, "\(stage)")
            if stage["status"] as? String == "optimal" { #expect(gap <= 1e-6, "\(stage)") }
        }

        let text = try CLIRunner.bench(arguments)
        #expect(text.status == 0, "\(text.stderr)")
        for name in names { #expect(text.stdout.contains("  stage \(name): value "), "\(name) in \(text.stdout)") }
    }
}
