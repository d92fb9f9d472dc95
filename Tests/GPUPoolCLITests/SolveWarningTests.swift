import Foundation
import Testing

/// The reader's warnings reach the user: the `warnings` array of `gpupool solve --json`, one
/// `warning: FILE:LINE: message` line each on stderr in text mode.
@Suite("gpupool solve: reader warnings")
struct SolveWarningTests {
    /// min x with x in [0, 4] from set BND1; BND2's lower bound -5 is ignored (HiGHS would give -5).
    static let twoBoundSets = "NAME two\nROWS\n N obj\nCOLUMNS\n x obj 1\nBOUNDS\n UP BND1 x 4\n LO BND2 x -5\nENDATA\n"

    @Test func warningsInJSON() throws {
        let path = try CLIRunner.temporaryFile("two.mps", contents: Self.twoBoundSets)
        let out = try CLIRunner.run(["solve", path, "--json", "--method", "heuristic"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.isEmpty, "--json keeps the warnings in the object: \(out.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let warnings = try #require(result["warnings"] as? [[String: Any]])
        #expect(warnings.count == 1)
        #expect(warnings.first?["file"] as? String == path)
        #expect(warnings.first?["line"] as? Int == 8)
        #expect((warnings.first?["message"] as? String)?.contains("set 'BND2'") == true)
        #expect(result["objective"] as? Double == 0)
    }

    @Test func noWarningsIsAnEmptyArray() throws {
        let out = try CLIRunner.run(["solve", "Examples/factory.lp", "--json", "--method", "heuristic"])
        #expect(out.status == 0, "\(out.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect((result["warnings"] as? [Any])?.isEmpty == true)
    }

    @Test func warningsOnStderrInTextMode() throws {
        let path = try CLIRunner.temporaryFile("two.mps", contents: Self.twoBoundSets + "trailing text\n")
        let out = try CLIRunner.run(["solve", path, "--method", "heuristic"])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(out.stderr)")
        #expect(lines.first?.hasPrefix("warning: \(path):8: BOUNDS: set 'BND2' ignored") == true, "\(out.stderr)")
        #expect(lines.last?.hasPrefix("warning: \(path):10: ") == true, "\(out.stderr)")
        #expect(out.stdout.contains("status"))
        #expect(!out.stdout.contains("warning"))
    }

    @Test func missingBoundsHeaderIsOneErrorLine() throws {
        let path = try CLIRunner.temporaryFile("nobounds.mps", contents: "ROWS\n N obj\n L c\nCOLUMNS\n x obj 1 c 1\nRHS\n RHS c 4\n UP BND x 4\nENDATA\n")
        let out = try CLIRunner.run(["solve", path, "--json"])
        #expect(out.status == 2)
        let lines = out.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(out.stderr)")
        #expect(lines.first?.hasPrefix("error: \(path):8: ") == true, "\(out.stderr)")
        #expect(out.stderr.contains("BOUNDS header"))
    }
}
