import Foundation
import Testing

@Suite("gpupool-bench memory")
struct MemoryTests {
    /// The figures and the limit check, not a memory target: resident-set sizes move with the
    /// machine's load, so the leak check itself (`--max-growth-kb`) is a CI benchmark step, not an
    /// assertion of this unit test.
    @Test func reportsResidentMemoryAndEnforcesTheLimit() throws {
        let out = try CLIRunner.bench(["memory", "--rounds", "20", "--json"])
        #expect(out.status == 0, "\(out.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect(result["rounds"] as? Int == 20)
        #expect((result["rss_before_mb"] as? Double ?? 0) > 0 && (result["rss_after_mb"] as? Double ?? 0) > 0)
        #expect(result["growth_kb"] is Int)
        // A negative limit is bad input, named like every other.
        let negative = try CLIRunner.bench(["memory", "--rounds", "1", "--max-growth-kb", "-1"])
        #expect(negative.status == 2 && negative.stderr.contains("--max-growth-kb -1"), "\(negative.stderr)")
    }
}
