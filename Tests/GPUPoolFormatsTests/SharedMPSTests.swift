import Foundation
import GPUPoolModel
import Testing
@testable import GPUPoolFormats

@Suite("Shared MPS files", .enabled(if: SharedData.available, SharedData.missingMessage))
struct SharedMPSTests {
    static func program(_ url: URL) throws -> LinearProgram {
        try MPSReader().read(contentsOf: url.path).model.lowered()
    }

    @Test("every valid shared file reads and lowers; sizes and integrality match optima.json")
    func everyFileReads() throws {
        let files = SharedData.mpsFiles
        #expect(files.count >= 40)
        let optima = SharedData.optima
        for url in files {
            let p = try Self.program(url)
            #expect(p.columnCount > 0 && p.rowCount > 0, "\(url.lastPathComponent)")
            let name = url.deletingPathExtension().lastPathComponent
            if let integer = optima[name]?["integer"] as? Bool, !["gesa2", "sp150x300d"].contains(name) {
                #expect(p.hasIntegerColumns == integer, "\(name)")
            }
        }
    }

    @Test("afiro: the Netlib sizes")
    func afiro() throws {
        let p = try Self.program(SharedData.file("afiro.mps"))
        #expect(p.rowCount == 27)
        #expect(p.columnCount == 32)
        #expect(p.matrix.nonzeroCount == 83)
        #expect(p.objectiveName == "COST")
    }

    @Test("e226: the objective constant is minus the objective's RHS (HiGHS convention)")
    func e226Constant() throws {
        let p = try Self.program(SharedData.file("e226.mps"))
        #expect(p.objectiveConstant == 7.113)
    }

    @Test("sctest and silly-names (valid files glpsol rejects) read")
    func oddButValid() throws {
        let sctest = try Self.program(SharedData.file("sctest.mps"))
        #expect(sctest.objectiveName == "*OBJ*")
        #expect(sctest.columnNames.contains("x(1)"))
        let silly = try Self.program(SharedData.file("silly-names.mps"))
        #expect(silly.columnNames == ["C0", "OBJSENSE", "RANGES", "RHS", "C1"])
        #expect(silly.sense == .minimize)
        #expect(silly.rowNames == ["R0"])
    }

    @Test("every bad file is rejected with a line and a reason", arguments: [
        ("garbage.mps", 2, "unknown section"),
        ("nan0.mps", 8, "'nan' is not a number"),
        ("nan1.mps", 9, "'nan' is not a number"),
        ("nan2.mps", 12, "'nan' is not a number"),
        ("comment.mps", 7, "3 fields"),
        ("warnings.mps", 12, "'R11'"),
    ])
    func badFiles(name: String, line: Int, fragment: String) {
        let path = SharedData.mpsDirectory.appendingPathComponent("bad/\(name)").path
        do {
            _ = try MPSReader().read(contentsOf: path)
            Issue.record("\(name) was read")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.reason.contains(fragment), "\(error)")
            #expect(error.description == "\(path):\(line): \(error.reason)")
        }
    }

    @Test("the bad folder holds no file these tests do not cover")
    func badFolderCovered() {
        let names = Set(SharedData.badFiles.map(\.lastPathComponent))
        #expect(names == ["garbage.mps", "nan0.mps", "nan1.mps", "nan2.mps", "comment.mps", "warnings.mps"])
    }

    @Test("fixed-MPS reading agrees with free-MPS reading where files keep to the columns")
    func fixedAgrees() throws {
        for name in ["afiro.mps", "adlittle.mps", "e226.mps", "small_mip.mps", "sctest.mps", "stair.mps"] {
            let url = SharedData.file(name)
            let fixed = try MPSReader(dialect: .fixed).read(contentsOf: url.path).model.lowered()
            #expect(fixed == (try Self.program(url)), "\(name)")
        }
    }
}
