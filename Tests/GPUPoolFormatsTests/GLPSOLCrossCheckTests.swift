import Foundation
import GPUPoolModel
import Testing
@testable import GPUPoolFormats

/// Files written by the writers must be read by GLPK 5.0's `glpsol` and mean the same model.
@Suite(
    "Cross-check with glpsol",
    .enabled(if: GLPSOL.available, "glpsol is not installed at /usr/bin/glpsol"),
    .enabled(if: SharedData.available, SharedData.missingMessage)
)
struct GLPSOLCrossCheckTests {
    @Test("glpsol --lp --check accepts the GLPK-dialect LP of every shared file")
    func lpAcceptedEverywhere() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for url in SharedData.mpsFiles {
            let program = try MPSReader().read(contentsOf: url.path).model.lowered()
            let path = directory.appendingPathComponent(url.deletingPathExtension().lastPathComponent + ".lp").path
            try FileBytes.writeAtomically(try LPWriter(dialect: .glpk).encode(program).bytes, to: path)
            let (status, output) = try run(GLPSOL.path, ["--lp", path, "--check"])
            #expect(status == 0, "\(url.lastPathComponent): \(output.suffix(300))")
        }
    }

    @Test("the standard dialect is glpsol-readable when there are no ranges and no constant")
    func standardLPAccepted() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var checked = 0
        for url in SharedData.mpsFiles {
            let program = try MPSReader().read(contentsOf: url.path).model.lowered()
            let ranged = zip(program.rowLower, program.rowUpper).contains { $0.isFinite && $1.isFinite && $0 != $1 }
            guard !ranged && program.objectiveConstant == 0 else { continue }
            let path = directory.appendingPathComponent("m.lp").path
            try ModelFile.write(program, to: path)
            let (status, output) = try run(GLPSOL.path, ["--lp", path, "--check"])
            #expect(status == 0, "\(url.lastPathComponent): \(output.suffix(300))")
            checked += 1
        }
        #expect(checked > 30)
    }

    @Test("glpsol finds the same optimum in our free MPS, fixed MPS and LP as in the original", arguments: [
        "afiro", "adlittle", "blending", "e226", "israel", "small_mip", "standata",
    ])
    func sameOptimum(name: String) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = SharedData.file("\(name).mps").path
        let program = try MPSReader().read(contentsOf: original).model.lowered()
        let reference = try #require(try GLPSOL.objective(["--freemps", original]))

        let free = directory.appendingPathComponent("free.mps").path
        try ModelFile.write(program, to: free)
        #expect(try GLPSOL.objective(["--freemps", free]).map { GLPSOL.close($0, reference) } == true)

        let fixed = directory.appendingPathComponent("fixed.mps").path
        try ModelFile.write(program, to: fixed, format: .fixedMPS)
        #expect(try GLPSOL.objective(["--mps", fixed]).map { GLPSOL.close($0, reference) } == true)

        // glpsol ignores the constant comment (so it reports the objective without the constant c)
        // and reads the MPS constant with the opposite sign (its reference is that objective - c).
        let lp = directory.appendingPathComponent("glpk.lp").path
        try FileBytes.writeAtomically(try LPWriter(dialect: .glpk).encode(program).bytes, to: lp)
        let lpObjective = try #require(try GLPSOL.objective(["--lp", lp]))
        #expect(GLPSOL.close(lpObjective, reference + program.objectiveConstant), "\(lpObjective) vs \(reference)")
    }

    /// glpsol ignores the constant comment of GLPK-dialect LP, so it reports the optimum without
    /// the constant; adding our constant must give HiGHS's reference optimum (optima.json).
    @Test("our reading of the files reproduces HiGHS's reference optima (solved by glpsol)", arguments: [
        "afiro", "adlittle", "blending", "chip", "e226", "israel", "sctest", "silly-names", "standata", "small_mip", "flugpl",
    ])
    func referenceOptimum(name: String) throws {
        let reference = try #require(SharedData.optima[name]?["reference"] as? Double)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let program = try MPSReader().read(contentsOf: SharedData.file("\(name).mps").path).model.lowered()
        let path = directory.appendingPathComponent("m.lp").path
        try FileBytes.writeAtomically(try LPWriter(dialect: .glpk).encode(program).bytes, to: path)
        let objective = try #require(try GLPSOL.objective(["--lp", path]))
        #expect(GLPSOL.close(objective + program.objectiveConstant, reference), "\(objective) + \(program.objectiveConstant) vs \(reference)")
    }

    @Test("LPReader reads what glpsol --wlp writes, for every shared file glpsol reads")
    func readsGLPSOLOutput() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var compared = 0
        for url in SharedData.mpsFiles {
            let path = directory.appendingPathComponent("w.lp").path
            let (status, _) = try run(GLPSOL.path, ["--freemps", url.path, "--wlp", path, "--check"])
            guard status == 0 else { continue }  // sctest and silly-names: glpsol cannot read them
            let original = try MPSReader().read(contentsOf: url.path).model.lowered()
            let fromGLPK = try LPReader().read(contentsOf: path).model.lowered()
            // glpsol adds a slack column `~r_i` per ranged row and renames names LP cannot hold.
            let slacks = fromGLPK.columnNames.filter { $0?.hasPrefix("~r_") == true }.count
            let name = url.lastPathComponent
            #expect(fromGLPK.rowCount == original.rowCount, "\(name)")
            #expect(fromGLPK.columnCount == original.columnCount + slacks, "\(name)")
            #expect(fromGLPK.matrix.nonzeroCount == original.matrix.nonzeroCount + slacks, "\(name)")
            #expect(fromGLPK.objective.filter { $0 != 0 }.sorted() == original.objective.filter { $0 != 0 }.sorted(), "\(name)")
            #expect(fromGLPK.isInteger.filter { $0 }.count == original.isInteger.filter { $0 }.count, "\(name)")
            compared += 1
        }
        #expect(compared >= 40)
    }

    @Test("a maximization in GLPK-dialect LP means the same to glpsol")
    func maximization() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var model = Model(name: "max")
        let x = model.addVariable(lower: 0, upper: 4, name: "x")
        let y = model.addVariable(kind: .integer, name: "y")
        model.addConstraint(x + 2 * y <= 14, name: "c1")
        model.addConstraint(3 * x - y >= 0, name: "c2")
        model.addConstraint(x - y, in: -2...2, name: "band")
        model.maximize(3 * x + 4 * y)
        let path = directory.appendingPathComponent("max.lp").path
        try FileBytes.writeAtomically(try LPWriter(dialect: .glpk).encode(try model.lowered()).bytes, to: path)
        let objective = try #require(try GLPSOL.objective(["--lp", path]))
        #expect(GLPSOL.close(objective, 32))  // x = 4, y = 5
    }
}

enum GLPSOL {
    static let path = "/usr/bin/glpsol"
    static let available = FileManager.default.isExecutableFile(atPath: path)

    /// The objective value glpsol reports (from its `-o` report), or nil when it found none.
    static func objective(_ arguments: [String]) throws -> Double? {
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("glpsol-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: report) }
        let (status, _) = try run(path, arguments + ["--tmlim", "60", "-o", report])
        guard status == 0, let text = try? String(contentsOfFile: report, encoding: .utf8) else { return nil }
        // "Objective:  COST = -464.7531429 (MINimum)"
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Objective:") }),
              let equals = line.firstIndex(of: "=")
        else { return nil }
        let rest = line[line.index(after: equals)...].split(separator: " ").first.map(String.init) ?? ""
        return Double(rest)
    }

    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-6 * max(1, abs(b)) }
}
