import Foundation
import GPUPoolFormats
import GPUPoolModel
import GPUPoolSupport
import Testing

@testable import GPUPoolGLPK

#if GLPK
/// GLPK's shipped examples (glpk-utils), read by our readers and solved, against the optima
/// `glpsol --mps FILE` (or `--lp`) reports for them.
@Suite("GLPK's example files solve to glpsol's optima",
       .enabled(if: GLPKExampleFiles.available, "GLPK's example files are absent (install glpk-utils)"))
struct GLPKExampleTests {
    @Test(arguments: [
        ("alloy.mps", 2149.247891), ("furnace.mps", 2141.923551), ("icecream.mps", 962.8214691),
        ("plan.mps", 296.2166065), ("plan.lp", 296.2166065), ("samp1.mps", 24.33333333), ("samp2.mps", 24.33333333),
    ])
    func optimum(name: String, glpsol: Double) throws {
        let path = try GLPKExampleFiles.path(name)
        defer { GLPKExampleFiles.cleanUp(path) }
        let read = try ModelFile.read(path: path)
        #expect(read.warnings.isEmpty, "\(read.warnings)")
        let program = try read.model.lowered()
        let solution = try GLPKSolver().solve(program, options: SolveOptions(timeLimit: 60))
        #expect(solution.termination == .optimal, "\(name): \(solution.termination)")
        let objective = try #require(solution.objective)
        // glpsol prints 10 significant digits.
        #expect(abs(objective - glpsol) <= 1e-6 * max(1, abs(glpsol)), "\(name): \(objective) vs glpsol \(glpsol)")
    }
}

enum GLPKExampleFiles {
    static let directory = "/usr/share/doc/glpk-utils/examples"

    static var available: Bool {
        ["alloy.mps", "alloy.mps.gz"].contains { FileManager.default.fileExists(atPath: "\(directory)/\($0)") }
    }

    /// The example's path; a `.gz` copy is unpacked into a temporary file (see ``cleanUp(_:)``).
    static func path(_ name: String) throws -> String {
        let plain = "\(directory)/\(name)"
        if FileManager.default.fileExists(atPath: plain) { return plain }
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("glpk-example-\(UUID().uuidString)-\(name)")
        let unpacked = try ProcessRunner.run(URL(fileURLWithPath: "/bin/gzip"), ["-dc", plain + ".gz"], timeout: 120)
        guard unpacked.status == 0 else { throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: plain + ".gz"]) }
        let data = Data(unpacked.stdout.utf8)
        try data.write(to: target)
        return target.path
    }

    static func cleanUp(_ path: String) {
        if !path.hasPrefix(directory) { try? FileManager.default.removeItem(atPath: path) }
    }
}
#endif
