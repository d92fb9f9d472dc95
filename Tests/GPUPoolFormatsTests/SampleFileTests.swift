import Foundation
import GPUPoolModel
import Testing
@testable import GPUPoolFormats

/// The example files GLPK ships (package glpk-utils, `/usr/share/doc/glpk-utils/examples`), some
/// possibly gzip-compressed. Tests that need them skip when they are absent.
enum GLPKExamples {
    static let directory = "/usr/share/doc/glpk-utils/examples"

    static var available: Bool {
        ["alloy.mps", "alloy.mps.gz"].contains { FileManager.default.fileExists(atPath: "\(directory)/\($0)") }
    }

    static let missingMessage: Comment = "GLPK's example files are absent (install glpk-utils)"

    /// A readable path of example `name`, unpacking `name.gz` into `scratch` when needed.
    static func path(_ name: String, scratch: URL) throws -> String {
        let plain = "\(directory)/\(name)"
        if FileManager.default.fileExists(atPath: plain) { return plain }
        let packed = plain + ".gz"
        let target = scratch.appendingPathComponent(name).path
        let (status, output) = try run("/bin/gzip", ["-dc", packed])
        guard status == 0 else { throw FormatError(file: packed, reason: "gzip failed") }
        try Data(output.utf8).write(to: URL(fileURLWithPath: target))
        return target
    }
}

@Suite("GLPK's and glpsol's own files", .enabled(if: GLPKExamples.available, GLPKExamples.missingMessage))
struct SampleFileTests {
    /// Fixed MPS with `$` comments in ROWS (alloy, furnace, icecream; furnace's run past column
    /// 61), blank column names on continuation lines (all four) and blank set names (plan).
    @Test("GLPK's fixed-MPS examples read, detected as fixed, without warnings", arguments: [
        ("alloy.mps", 21, 20), ("furnace.mps", 17, 18), ("icecream.mps", 16, 27), ("plan.mps", 7, 7),
    ])
    func fixedExamples(name: String, rows: Int, columns: Int) throws {
        let scratch = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let path = try GLPKExamples.path(name, scratch: scratch)
        let bytes = try FileBytes.read(path)
        #expect(MPSDialect.detect(bytes) == .fixed)
        let result = try ModelFile.read(path: path)
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        let p = try result.model.lowered()
        #expect(p.rowCount == rows)
        #expect(p.columnCount == columns)
    }

    @Test("plan.mps: the RHS, RANGES and BOUNDS continuation lines all count")
    func planSets() throws {
        let scratch = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let p = try ModelFile.read(path: try GLPKExamples.path("plan.mps", scratch: scratch)).model.lowered()
        let row = { (name: String) in try #require(p.rowNames.firstIndex(of: name)) }
        #expect(p.rowLower[try row("YIELD")] == 2000)
        #expect(p.rowUpper[try row("MG")] == 30)
        #expect(p.rowLower[try row("AL")] == 1500)
        #expect(p.rowLower[try row("SI")] == 250)  // L row, RHS 300, range 50
        #expect(p.columnUpper == [200, 2500, 800, 700, 1500, .infinity, .infinity])
        #expect(p.columnLower == [0, 0, 400, 100, 0, 0, 0])
    }

    @Test("plan.lp and plan.mps are the same model (the ranged row split in two)")
    func planLP() throws {
        let scratch = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let lp = try ModelFile.read(path: try GLPKExamples.path("plan.lp", scratch: scratch))
        #expect(lp.warnings.isEmpty, "\(lp.warnings)")
        let a = try lp.model.lowered()
        let b = try ModelFile.read(path: try GLPKExamples.path("plan.mps", scratch: scratch)).model.lowered()
        // plan.lp writes the ranged row SI of plan.mps as two rows, si1 and si2.
        #expect(a.columnCount == b.columnCount && a.rowCount == b.rowCount + 1)
        #expect(a.matrix.nonzeroCount == b.matrix.nonzeroCount + 7)
        #expect(a.columnLower == b.columnLower)
        #expect(a.columnUpper == b.columnUpper)
        #expect(a.objective == b.objective)
    }

    @Test("the LP glpsol writes for an empty model (`End` only) reads as an empty model",
          .enabled(if: GLPSOL.available, "glpsol is not installed at /usr/bin/glpsol"))
    func glpsolEmptyModel() throws {
        let scratch = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let mps = scratch.appendingPathComponent("empty.mps").path
        let lp = scratch.appendingPathComponent("empty.lp").path
        try "NAME empty\nROWS\n N obj\nCOLUMNS\nENDATA\n".write(toFile: mps, atomically: false, encoding: .utf8)
        let (status, _) = try run(GLPSOL.path, ["--freemps", mps, "--wlp", lp, "--check"])
        #expect(status == 0)
        let result = try ModelFile.read(path: lp)
        let p = try result.model.lowered()
        #expect(p.columnCount == 0 && p.rowCount == 0)
        #expect(p.name == "empty")
        #expect(result.warnings.isEmpty)
    }
}
