import Foundation
import GPUPoolModel
import Testing
@testable import GPUPoolFormats

@Suite("ModelFile")
struct ModelFileTests {
    @Test("formats from extensions")
    func extensions() {
        #expect(ModelFormat(path: "a/b/model.mps") == .mps)
        #expect(ModelFormat(path: "MODEL.LP") == .lp)
        #expect(ModelFormat(path: "x.json") == .json)
        #expect(ModelFormat(path: "x.mps.gz") == nil)
        #expect(ModelFormat(path: "dir.lp/model") == nil)
        #expect(ModelFormat(path: ".lp") == nil)
    }

    @Test("formats from contents")
    func detection() throws {
        let program = try sampleProgram()
        for format in ModelFormat.allCases {
            let bytes = try ModelFile.encode(program, format: format).bytes
            let expected: ModelFormat = format == .fixedMPS ? .mps : format  // its names have no blanks
            #expect(ModelFormat.detect(bytes) == expected, "\(format)")
        }
        #expect(ModelFormat.detect(Array("hello".utf8)) == nil)
        #expect(ModelFormat.detect([]) == nil)
    }

    @Test("write and read every format through files, atomically")
    func files() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let program = try sampleProgram()
        for (name, format) in [("m.mps", ModelFormat.mps), ("m.lp", .lp), ("m.json", .json), ("m.txt", .fixedMPS)] {
            let path = directory.appendingPathComponent(name).path
            try "old contents that must disappear".write(toFile: path, atomically: false, encoding: .utf8)
            try ModelFile.write(program, to: path, format: name == "m.txt" ? format : nil)
            let back = try ModelFile.read(path: path, format: name == "m.txt" ? format : nil)
            #expect(try back.model.lowered().columnCount == program.columnCount, "\(name)")
            // The sample's objective constant is an RHS on the objective row in MPS, whose sign
            // readers disagree on: the one warning MPS files of it carry.
            #expect(back.warnings.allSatisfy { $0.message.contains("objective constant") }, "\(name): \(back.warnings)")
            #expect(back.warnings.count == (format == .lp || format == .json ? 0 : 1), "\(name): \(back.warnings)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(left == ["m.json", "m.lp", "m.mps", "m.txt"])  // no temporary files left behind
    }

    @Test("a .mps file in fixed columns is detected")
    func fixedDetection() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var model = Model()
        let x = model.addVariable(name: "my var")
        model.addConstraint(2 * x <= 3, name: "row 1")
        model.minimize(-1 * x)
        let path = directory.appendingPathComponent("f.mps").path
        try ModelFile.write(model, to: path, format: .fixedMPS)
        let back = try ModelFile.read(path: path).model.lowered()
        #expect(back.columnNames == ["my var"])
        #expect(back.rowNames == ["row 1"])
    }

    @Test("file errors say what is wrong")
    func fileErrors() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("none.mps").path
        #expect(throws: FormatError(file: missing, reason: "no such file")) { try ModelFile.read(path: missing) }
        #expect(throws: FormatError.self) { try ModelFile.read(path: directory.path) }
        let unknown = directory.appendingPathComponent("model.dat").path
        try "nothing".write(toFile: unknown, atomically: false, encoding: .utf8)
        do {
            _ = try ModelFile.read(path: unknown)
            Issue.record("read an unknown format")
        } catch {
            #expect(error.description.hasPrefix("\(unknown): cannot tell the model format"))
        }
        let program = try sampleProgram()
        #expect(throws: FormatError.self) { try ModelFile.write(program, to: directory.appendingPathComponent("x.dat").path) }
        #expect(throws: FormatError.self) {
            try ModelFile.write(program, to: directory.appendingPathComponent("no/such/dir/x.lp").path)
        }
    }

    @Test("writing an invalid model reports the model's problems")
    func invalidModel() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("never-written.lp").path
        var model = Model()
        model.addVariable(lower: 3, upper: 1, name: "x")
        do {
            try ModelFile.write(model, to: path)
            Issue.record("wrote an invalid model")
        } catch {
            #expect(error.reason.contains("lower bound 3.0 is above upper bound 1.0"))
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test("FormatError and FormatWarning descriptions")
    func descriptions() {
        #expect(FormatError(file: "a.mps", line: 3, reason: "bad").description == "a.mps:3: bad")
        #expect(FormatError(file: "a.mps", reason: "bad").description == "a.mps: bad")
        #expect(FormatWarning(file: "a.mps", line: 1, message: "note").description == "a.mps:1: note")
    }
}
