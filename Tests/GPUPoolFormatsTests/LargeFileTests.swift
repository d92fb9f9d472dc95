import GPUPoolModel
import Testing
@testable import GPUPoolFormats

@Suite("Large files")
struct LargeFileTests {
    /// Free MPS with `columns` columns of `perColumn` entries each over `rows` rows (two entries a
    /// line), built as bytes so that generating it stays cheap in debug builds.
    static func generate(rows: Int, columns: Int, perColumn: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(columns * perColumn * 16 + rows * 24)
        func put(_ s: String) { out.append(contentsOf: s.utf8) }
        let rowNames = (0..<rows).map { Array("r\($0)".utf8) }
        put("NAME BIG\nROWS\n N obj\n")
        for i in 0..<rows { put(" L "); out += rowNames[i]; out.append(0x0A) }
        put("COLUMNS\n")
        var state: UInt64 = 7
        for j in 0..<columns {
            let column = Array(" x\(j) ".utf8)
            out += column
            put("obj 1\n")
            var k = 0
            while k < perColumn {
                out += column
                for pair in 0..<2 where k < perColumn {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    // Distinct rows within a column: stride through the rows from a random start.
                    let r = (Int(truncatingIfNeeded: state >> 33) % (rows / perColumn)) * perColumn + k
                    out += rowNames[r % rows]
                    out.append(0x20)
                    out.append(UInt8(ascii: "1") + UInt8(k % 9))
                    if pair == 0 { out.append(0x20) }
                    k += 1
                }
                out.append(0x0A)
            }
        }
        put("RHS\n")
        for i in stride(from: 0, to: rows, by: 1) { put(" RHS "); out += rowNames[i]; put(" 100\n") }
        put("ENDATA\n")
        return out
    }

    @Test("a generated free-MPS file with a million nonzeros reads and lowers (not timed)")
    func millionNonzeros() throws {
        let bytes = Self.generate(rows: 50_000, columns: 100_000, perColumn: 10)
        let program = try MPSReader().read(bytes, file: "big.mps").model.lowered()
        #expect(program.columnCount == 100_000)
        #expect(program.rowCount == 50_000)
        #expect(program.matrix.nonzeroCount == 1_000_000)
        #expect(program.objective.allSatisfy { $0 == 1 })
        #expect(program.rowUpper.allSatisfy { $0 == 100 })
    }
}
