import GPUPoolSupport
import GPUPoolModel
import Testing
@testable import GPUPoolFormats

@Suite("Number and name helpers")
struct SupportTests {
    @Test("decimal parsing agrees with Swift's correctly rounded conversion")
    func decimals() {
        var g = RobustnessTests.Generator(seed: 99)
        let fixed = ["0", "-0", "1", "0.1", "0.30000000000000004", "1e308", "2.2250738585072014e-308", "4.9e-324",
                     "123456789012345678901234567890", "0.000001", ".5", "5.", "-.5e-3", "9007199254740993", "1E22", "1e23"]
        var samples = fixed
        for _ in 0..<3000 {
            let digits = String((0..<Int.random(in: 1...20, using: &g)).map { _ in Character(String(Int.random(in: 0...9, using: &g))) })
            let point = Int.random(in: 0...digits.count, using: &g)
            var text = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            if text.hasPrefix(".") && Bool.random(using: &g) { text = "0" + text }
            if Bool.random(using: &g) { text += "e\(Int.random(in: -330...310, using: &g))" }
            if Bool.random(using: &g) { text = "-" + text }
            samples.append(text)
        }
        for text in samples {
            #expect(DecimalNumber.parse(text) == Double(text), "\(text)")
        }
        for bad in ["", "-", "+", ".", "e5", "1e", "1e+", "nan", "inf", "0x10", "1,5", "1.2.3", " 1", "1 "] {
            #expect(DecimalNumber.parse(bad) == nil, "\(bad)")
        }
        #expect(DecimalNumber.parse("1.5D+03") == 1500)
    }

    @Test("shortest number text reads back exactly")
    func numberText() {
        for v in [0.1, 1.0 / 3, -2.5e-300, 1e15, 123456789012345.0, -0.0, Double.leastNonzeroMagnitude, 1.7976931348623157e308] {
            #expect(Double(NumberText.shortest(v)) == v)
        }
        #expect(NumberText.shortest(3) == "3")
        #expect(NumberText.shortest(-0.0) == "0")
        let third = NumberText.fitting(1.0 / 3, width: 12)
        #expect(third.text.utf8.count <= 12 && !third.exact)
        #expect(NumberText.fitting(1e-300 / 3, width: 12).text.utf8.count <= 12)
        #expect(NumberText.fitting(2.5, width: 12) == ("2.5", true))
    }

    @Test("the name table finds what it stored, through growth")
    func nameTable() {
        var table = NameTable(capacity: 4)
        for k in 0..<5000 { #expect(table.insert("name\(k)") == (k, true)) }
        #expect(table.insert("name17") == (17, false))
        #expect(table.find("name4999") == 4999)
        #expect(table.find("nope") == nil)
        #expect(table.string(1234) == "name1234")
    }

    @Test("an empty model survives every format", arguments: ModelFormat.allCases)
    func emptyModel(format: ModelFormat) throws {
        let program = try Model().lowered()
        let back = try ModelFile.decode(try ModelFile.encode(program, format: format).bytes, format: format).model.lowered()
        #expect(back.columnCount == 0 && back.rowCount == 0)
    }

    @Test("a UTF-8 byte order mark is skipped", arguments: ModelFormat.allCases)
    func byteOrderMark(format: ModelFormat) throws {
        let bytes = try ModelFile.encode(try sampleProgram(), format: format).bytes
        let back = try ModelFile.decode([0xEF, 0xBB, 0xBF] + bytes, format: format).model.lowered()
        #expect(back.columnCount == 7)
    }
}
