import Foundation
import GPUPoolSupport
import GPUPoolTestSupport
import GPUPoolModel
import Testing
@testable import GPUPoolFormats

/// Reads MPS text and lowers it.
func lowerMPS(_ text: String, dialect: MPSDialect = .free) throws -> LinearProgram {
    try MPSReader(dialect: dialect).read(text: text, file: "t.mps").model.lowered()
}

/// The error reading `text` throws (records an issue when it reads fine).
func mpsError(_ text: String, dialect: MPSDialect = .free, sourceLocation: SourceLocation = #_sourceLocation) -> FormatError? {
    do {
        _ = try MPSReader(dialect: dialect).read(text: text, file: "t.mps")
        Issue.record("expected a FormatError", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

func lpError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> FormatError? {
    do {
        _ = try LPReader().read(text: text, file: "t.lp")
        Issue.record("expected a FormatError", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

func jsonError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> FormatError? {
    do {
        _ = try JSONModelReader().read(text: text, file: "m.json")
        Issue.record("expected a FormatError", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// A small model exercising every feature the formats carry.
func sampleProgram() throws -> LinearProgram {
    var model = Model(name: "sample")
    let x = model.addVariable(lower: 0, upper: 4, name: "x")
    let y = model.addVariable(lower: -.infinity, upper: .infinity, name: "y")
    let z = model.addVariable(lower: 1, upper: 10, kind: .integer, name: "z")
    let b = model.addVariable(kind: .binary, name: "b")
    let w = model.addVariable(lower: -5, upper: -1, name: "w")
    let f = model.addVariable(lower: 2.5, upper: 2.5, name: "f")
    let u = model.addVariable(lower: -.infinity, upper: 3, kind: .integer, name: "u")
    model.addConstraint(x + 2 * y <= 14, name: "c1")
    model.addConstraint(3 * x - y >= 0, name: "c2")
    model.addConstraint(x - y + z == 2, name: "c3")
    model.addConstraint(x + b + w, in: -1.5...7.25, name: "range")
    model.addConstraint(0.1 * x + 0.2 * u <= 0.30000000000000004, name: "tricky")
    model.addConstraint(f + u >= -3)
    model.objectiveName = "profit"
    model.maximize(3 * x + 4 * y - z + 0.5 * b + w + 7.113)
    return try model.lowered()
}

/// `program` with the names a writer put in the file (for formats that must replace some).
func renamed(_ program: LinearProgram, _ names: WriterNames, keepNilRows: Bool) -> LinearProgram {
    var copy = program
    copy.columnNames = names.columns
    copy.rowNames = (0..<program.rowCount).map { i in keepNilRows && program.rowNames[i] == nil ? nil : names.rows[i] }
    if !(keepNilRows && program.objectiveName == nil) { copy.objectiveName = names.objective }
    return copy
}

/// Runs a command; returns its exit status and standard output.
func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let out = try ProcessRunner.run(URL(fileURLWithPath: executable), arguments, timeout: 600)
    return (out.status, out.stdout)
}

/// A fresh temporary directory for one test.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("gpupool-formats-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
