import Foundation
import Testing

@Suite("gpupool-bench build --write")
struct BenchBuildWriteTests {
    /// The written model is the one the benchmark builds: `gpupool solve` reads it back with the
    /// sizes `build --json` reports, and a path that cannot be written is an error naming it.
    @Test func writesTheLoweredModelForOtherSolvers() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gpupool-bench-write-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("fac3.mps").path

        let built = try CLIRunner.bench(["build", "--size", "3", "--write", path, "--json"])
        #expect(built.status == 0, "\(built.stderr)")
        let sizes = try #require(try JSONSerialization.jsonObject(with: Data(built.stdout.utf8)) as? [String: Any])
        // Rows and columns counted from the file's sections (free MPS: the name is the first field).
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var section = "", rows = 0, columns = Set<Substring>()
        for line in text.split(separator: "\n") {
            if !line.hasPrefix(" ") { section = String(line.split(separator: " ").first ?? ""); continue }
            let fields = line.split(separator: " ")
            if section == "ROWS", fields.first != "N" { rows += 1 }
            if section == "COLUMNS", let name = fields.first, name != "MARKER", fields.count > 1, fields[1] != "'MARKER'" { columns.insert(name) }
        }
        #expect(rows == sizes["constraints"] as? Int)
        #expect(columns.count == sizes["variables"] as? Int)

        // `gpupool solve` reads it back (exit 2 would be a malformed file).
        let solved = try CLIRunner.run(["solve", path, "--method", "heuristic", "--time-limit", "1", "--json"])
        #expect(solved.status == 0 || solved.status == 1, "\(solved.stderr)")
        #expect((try? JSONSerialization.jsonObject(with: Data(solved.stdout.utf8))) is [String: Any], "\(solved.stdout.prefix(300))")

        let refused = try CLIRunner.bench(["build", "--size", "3", "--write", dir.appendingPathComponent("missing/fac3.mps").path])
        #expect(refused.status != 0 && refused.stderr.contains("missing/fac3.mps"), "\(refused.stderr)")
    }
}
