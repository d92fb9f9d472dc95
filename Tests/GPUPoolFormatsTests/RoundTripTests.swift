import Foundation
import GPUPoolModel
import Testing
@testable import GPUPoolFormats

@Suite("Round trips")
struct RoundTripTests {
    /// Writes `program` in `format`, reads it back and lowers it.
    static func roundTrip(_ program: LinearProgram, _ format: ModelFormat) throws -> (LinearProgram, EncodedModel) {
        let encoded = try ModelFile.encode(program, format: format)
        let back = try ModelFile.decode(encoded.bytes, format: format, file: "roundtrip.\(format)").model.lowered()
        return (back, encoded)
    }

    /// What the program looks like after `format` replaced names it cannot hold.
    static func expected(_ program: LinearProgram, _ format: ModelFormat) -> LinearProgram {
        switch format {
        case .json:
            return program
        case .lp:
            let names = WriterNames(program, format: "LP", file: "", columnWritable: LPWriter.isWritable,
                                    rowWritable: LPWriter.isWritable, objectiveDefault: "obj")
            return renamed(program, names, keepNilRows: true)
        case .mps, .fixedMPS:
            let writer = MPSTextWriter(program: program, dialect: format == .mps ? .free : .fixed, file: "")
            return renamed(program, writer.names, keepNilRows: false)
        }
    }

    @Test("the sample model survives every format", arguments: ModelFormat.allCases)
    func sample(format: ModelFormat) throws {
        let program = try sampleProgram()
        let (back, encoded) = try Self.roundTrip(program, format)
        var expected = Self.expected(program, format)
        if format == .fixedMPS {  // 0.30000000000000004 does not fit 12 characters
            #expect(encoded.warnings.contains { $0.message.contains("1 number(s) were shortened") })
            expected.rowUpper[4] = 0.3
        }
        #expect(back == expected, "\(encoded.text)")
        #expect(back.objectiveConstant == 7.113)
    }

    @Test("every shared file survives every format", .enabled(if: SharedData.available, SharedData.missingMessage),
          arguments: ModelFormat.allCases)
    func sharedFiles(format: ModelFormat) throws {
        for url in SharedData.mpsFiles {
            let program = try MPSReader().read(contentsOf: url.path).model.lowered()
            let (back, encoded) = try Self.roundTrip(program, format)
            #expect(back == Self.expected(program, format), "\(url.lastPathComponent) as \(format)")
            if format == .fixedMPS {
                #expect(!encoded.warnings.contains { $0.message.contains("shortened") }, "\(url.lastPathComponent)")
            }
        }
    }

    @Test("unnamed rows and columns: JSON keeps them unnamed, other formats name them")
    func unnamed() throws {
        var model = Model()
        let v = model.addVariables(count: 3, lower: -1, upper: 2)
        model.addConstraint(v[0] + v[1] - v[2] <= 1)
        model.addConstraint(2 * v[0] + v[2], in: 0...3)
        model.minimize(v[0] - v[1])
        let program = try model.lowered()
        let (json, _) = try Self.roundTrip(program, .json)
        #expect(json == program)
        let (lp, _) = try Self.roundTrip(program, .lp)
        #expect(lp.rowNames == [nil, nil])
        #expect(lp.columnNames == ["C1", "C2", "C3"])
        #expect(lp.objectiveName == nil)
        let (mps, _) = try Self.roundTrip(program, .mps)
        #expect(mps.columnNames == ["C1", "C2", "C3"])
        #expect(mps.rowNames == ["R1", "R2"])
        for back in [lp, mps] {
            #expect(back.matrix == program.matrix && back.rowLower == program.rowLower && back.rowUpper == program.rowUpper)
        }
    }

    @Test("names a format cannot hold are replaced, with a warning, and stay unique")
    func replacedNames() throws {
        var model = Model()
        let a = model.addVariable(name: "2nd")       // LP: starts with a digit
        let b = model.addVariable(name: "my var")     // free MPS and LP: blank
        let c = model.addVariable(name: "C1")         // collides with the generated name of column 0
        let d = model.addVariable(name: "end")        // LP keyword
        model.addConstraint(a + b + c + d >= 1, name: "a long row name")
        model.minimize(a + b + c + d)
        let program = try model.lowered()
        for format in [ModelFormat.lp, .mps, .fixedMPS] {
            let (back, encoded) = try Self.roundTrip(program, format)
            #expect(Set(back.columnNames.compactMap { $0 }).count == 4, "\(format)")
            #expect(back.columnNames.contains("C1"), "\(format)")
            #expect(encoded.warnings.contains { $0.message.contains("replaced") }, "\(format)")
            #expect(back == Self.expected(program, format), "\(format)")
        }
        let (fixed, _) = try Self.roundTrip(program, .fixedMPS)
        #expect(fixed.columnNames[1] == "my var")
    }

    @Test("ranged rows read back bit for bit")
    func exactRanges() throws {
        var model = Model()
        let x = model.addVariable(name: "x")
        let bounds: [ClosedRange<Double>] = [1.8...5.0, 0.1...0.3, -1e-9...1e9, 1e15...(1e15 + 2), -3.3...(-1.1), 0...1e-300]
        for (k, range) in bounds.enumerated() { model.addConstraint(LinearExpression(x), in: range, name: "r\(k)") }
        model.minimize(LinearExpression(x))
        let program = try model.lowered()
        for format in [ModelFormat.mps, .lp, .json] {
            let (back, encoded) = try Self.roundTrip(program, format)
            #expect(back.rowLower == program.rowLower, "\(format): \(encoded.text)")
            #expect(back.rowUpper == program.rowUpper, "\(format): \(back.rowUpper) \(encoded.text)")
        }
        // Fixed MPS has 12 characters per number: close, and a warning when not exact.
        let (fixed, encoded) = try Self.roundTrip(program, .fixedMPS)
        for i in 0..<program.rowCount {
            for (a, b) in [(fixed.rowLower[i], program.rowLower[i]), (fixed.rowUpper[i], program.rowUpper[i])] {
                #expect(abs(a - b) <= 1e-12 * max(1, abs(b)), "row \(i)")
            }
        }
        #expect(fixed.rowLower == program.rowLower)
        #expect(encoded.warnings.contains { $0.message.contains("ranged row") })
    }

    @Test("fixed MPS shortens long numbers with a warning")
    func fixedShortening() throws {
        var model = Model()
        let x = model.addVariable(name: "x")
        model.addConstraint(x <= 1.0 / 3.0, name: "c")
        model.minimize(LinearExpression(x))
        let encoded = try MPSWriter(dialect: .fixed).encode(try model.lowered())
        #expect(encoded.warnings.contains { $0.message.contains("1 number") })
        let back = try MPSReader(dialect: .fixed).read(encoded.bytes).model.lowered()
        #expect(abs(back.rowUpper[0] - 1.0 / 3.0) < 1e-9)
    }

    @Test("writers refuse invalid programs")
    func invalidProgram() throws {
        var program = try sampleProgram()
        program.columnLower[0] = 9  // above its upper bound 4
        for format in ModelFormat.allCases {
            #expect(throws: FormatError.self) { try ModelFile.encode(program, format: format) }
        }
    }
}
