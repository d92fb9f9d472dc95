import Foundation
import Testing

@Suite("Repeated solves")
struct MemoryTests {
    /// Measured in a separate `gpupool` process: the test runner's other tests allocate in parallel
    /// and would move its own resident set.
    @Test func repeatedSolvesKeepMemoryStable() throws {
        let out = try CLIRunner.bench(["memory", "--rounds", "300", "--json"])
        #expect(out.status == 0, "\(out.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let growth = try #require(result["growth_kb"] as? Int)
        #expect(growth < 4 * 1024, "resident memory grew by \(growth) kB over 300 rounds")
    }
}
