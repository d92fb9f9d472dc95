import Foundation
import GPUPoolModel
import Testing
@testable import GPUPoolFormats

/// Readers never guess: every ignored or ambiguous construct is an error naming the line or a
/// warning that reaches the caller (see Docs/Solving.md, "Reading model files").
@Suite("MPS reader: sets, missing headers, warnings")
struct ReaderWarningTests {
    static func read(_ text: String, dialect: MPSDialect = .free) throws -> ReadResult {
        try MPSReader(dialect: dialect).read(text: text, file: "t.mps")
    }

    // MARK: (a) second RHS / RANGES / BOUNDS sets

    @Test("the issue's example: a second BOUNDS set is ignored with a warning naming it and its line")
    func secondBoundsSet() throws {
        let text = "ROWS\n N obj\nCOLUMNS\n x obj 1\nBOUNDS\n UP BND1 x 4\n LO BND2 x -5\nENDATA\n"
        let result = try Self.read(text)
        let p = try result.model.lowered()
        #expect(p.columnLower == [0])
        #expect(p.columnUpper == [4])
        #expect(result.warnings.count == 1)
        let warning = try #require(result.warnings.first)
        #expect(warning.line == 7)
        #expect(warning.message.contains("set 'BND2'"))
        #expect(warning.message.contains("'BND1' from line 6"))
        #expect(warning.description.hasPrefix("t.mps:7: BOUNDS: "))
    }

    @Test("second RHS, RANGES and BOUNDS sets: the first is used, one warning per ignored set")
    func secondSetsEverySection() throws {
        let text = """
            ROWS
             N obj
             L a
             G b
            COLUMNS
             x obj 1 a 1
             x b 1
            RHS
             R1 a 4
             R1 b 1
             R2 a 9
             R2 b 3
             R3 a 7
            RANGES
             G1 a 2
             G2 a 5
            BOUNDS
             UP B1 x 3
             LO B2 x -5
             UP B2 x 8
            ENDATA
            """
        let result = try Self.read(text)
        let p = try result.model.lowered()
        #expect(p.rowLower == [2, 1])
        #expect(p.rowUpper == [4, .infinity])
        #expect(p.columnLower == [0])
        #expect(p.columnUpper == [3])
        let shown = result.warnings.map { "\($0.line ?? 0) \($0.message)" }
        #expect(result.warnings.map(\.line) == [11, 13, 16, 19], "\(shown)")
        #expect(result.warnings[0].message.contains("RHS: set 'R2' ignored (2 line(s)"), "\(shown)")
        #expect(result.warnings[1].message.contains("set 'R3'"), "\(shown)")
        #expect(result.warnings[2].message.contains("RANGES: set 'G2'"), "\(shown)")
        #expect(result.warnings[3].message.contains("BOUNDS: set 'B2' ignored (2 line(s)"), "\(shown)")
    }

    @Test("a line without a set name continues the set of the line before")
    func omittedSetNameContinues() throws {
        let result = try Self.read("ROWS\n N obj\n L a\n L b\nCOLUMNS\n x obj 1 a 1\n x b 1\nRHS\n R1 a 4\n b 2\nENDATA\n")
        #expect(try result.model.lowered().rowUpper == [4, 2])
        #expect(result.warnings.isEmpty)
    }

    @Test("fixed MPS: blank set names on continuation lines belong to the set above (GLPK's plan.mps)")
    func fixedContinuationSets() throws {
        let line = MPSReaderTests.fixedLine
        let text = [
            "NAME          CONT", "ROWS", line(["N", "COST"]), line(["L", "A"]), line(["L", "B"]),
            "COLUMNS",
            line([nil, "X", "COST", "1.0", "A", "1.0"]), line([nil, nil, "B", "1.0"]),
            line([nil, "Y", "COST", "-1.0", "B", "1.0"]),
            "RHS", line([nil, "RHS1", "A", "4.0"]), line([nil, nil, "B", "6.0"]),
            "BOUNDS", line(["UP", "BND1", "X", "3.0"]), line(["UP", nil, "Y", "5.0"]),
            "ENDATA",
        ].joined(separator: "\n")
        #expect(MPSDialect.detect(Array(text.utf8)) == .fixed)
        let result = try Self.read(text, dialect: .fixed)
        let p = try result.model.lowered()
        #expect(p.columnNames == ["X", "Y"])
        #expect(p.matrix.nonzeroCount == 3)
        #expect(p.rowUpper == [4, 6])
        #expect(p.columnUpper == [3, 5])
        #expect(result.warnings.isEmpty, "\(result.warnings)")
    }

    @Test("lines of an ignored set are still checked")
    func ignoredSetLinesAreChecked() {
        let error = mpsError("ROWS\n N obj\n L a\nCOLUMNS\n x obj 1 a 1\nRHS\n R1 a 4\n R2 nope 9\nENDATA\n")
        #expect(error?.line == 8)
        #expect(error?.reason.contains("'nope'") == true)
        let number = mpsError("ROWS\n N obj\nCOLUMNS\n x obj 1\nBOUNDS\n UP B1 x 4\n UP B2 x nan\nENDATA\n")
        #expect(number?.line == 7)
    }

    // MARK: (b) missing section headers

    @Test("bound lines without their BOUNDS header are an error at FILE:LINE", arguments: [
        ("ROWS\n N obj\n L c\nCOLUMNS\n x obj 1 c 1\nRHS\n RHS c 4\n UP BND x 4\nENDATA\n", MPSDialect.free, 8),
        ("ROWS\n N obj\n L c\nCOLUMNS\n x obj 1 c 1\nRHS\n RHS c 4\n MI BND x\nENDATA\n", .free, 8),
        ("ROWS\n N obj\n L c\nCOLUMNS\n x obj 1 c 1\nRANGES\n RNG c 4\n LO BND x -1\nENDATA\n", .free, 8),
        ("ROWS\n N obj\n L c\nCOLUMNS\n x obj 1 c 1\n UP BND x 4\nENDATA\n", .free, 6),
        ("ROWS\n N obj\n L c\nCOLUMNS\n x obj 1 c 1\n FR BND x\nENDATA\n", .free, 6),
        (["ROWS", MPSReaderTests.fixedLine(["N", "obj"]), MPSReaderTests.fixedLine(["L", "c"]), "COLUMNS",
          MPSReaderTests.fixedLine([nil, "x", "obj", "1", "c", "1"]), "RHS", MPSReaderTests.fixedLine([nil, "RHS", "c", "4"]),
          MPSReaderTests.fixedLine(["UP", "BND", "x", "4"]), "ENDATA"].joined(separator: "\n"), .fixed, 8),
    ])
    func missingBoundsHeader(text: String, dialect: MPSDialect, line: Int) {
        let error = mpsError(text, dialect: dialect)
        #expect(error?.line == line, "\(error?.description ?? "")")
        #expect(error?.reason.contains("BOUNDS header missing") == true, "\(error?.description ?? "")")
        #expect(error?.description.hasPrefix("t.mps:\(line): ") == true)
    }

    @Test("a column named like a section (a lost RHS header) is reported")
    func keywordColumn() throws {
        let result = try Self.read("ROWS\n N obj\n L c\nCOLUMNS\n x obj 1 c 1\n RHS c 4\nENDATA\n")
        #expect(try result.model.lowered().columnNames == ["x", "RHS"])
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.line == 6)
        #expect(result.warnings.first?.message.contains("'RHS'") == true)
    }

    // MARK: Other constructs decided by convention

    @Test("free MPS: a bound line that reads two ways is an error")
    func ambiguousBoundLine() {
        let error = mpsError("ROWS\n N obj\nCOLUMNS\n x obj 1\n 5 obj 1\nBOUNDS\n FR x 5\nENDATA\n")
        #expect(error?.line == 7)
        #expect(error?.reason.contains("reads both") == true)
    }

    @Test("conventions where readers differ are reported", arguments: [
        // objective constant from RHS on the objective row (glpsol reads +v)
        ("ROWS\n N obj\nCOLUMNS\n x obj 1\nRHS\n RHS obj 3\nENDATA\n", 6, "objective constant"),
        // an INTORG column with only a lower bound (glpsol keeps the upper bound 1)
        ("ROWS\n N obj\nCOLUMNS\n M 'MARKER' 'INTORG'\n x obj 1\n M 'MARKER' 'INTEND'\nBOUNDS\n LO BND x 2\nENDATA\n", 8, "only a lower bound"),
        // RHS and RANGES entries of extra N rows
        ("ROWS\n N obj\n N spare\nCOLUMNS\n x obj 1\nRHS\n RHS spare 4\nENDATA\n", 3, "1 COLUMNS/RHS/RANGES entries"),
        // text after ENDATA
        ("ROWS\n N obj\nCOLUMNS\n x obj 1\nENDATA\n\n* comment\nmore text\n", 8, "after ENDATA"),
    ])
    func conventionWarnings(text: String, line: Int, fragment: String) throws {
        let result = try Self.read(text)
        #expect(result.warnings.count == 1, "\(result.warnings)")
        #expect(result.warnings.first?.line == line, "\(result.warnings)")
        #expect(result.warnings.first?.message.contains(fragment) == true, "\(result.warnings)")
    }

    @Test("fixed MPS: `$` comments in field 3 of ROWS and BOUNDS, text past column 72 is reported, columns 62-72 must be blank")
    func fixedCommentsAndWideLines() throws {
        let line = MPSReaderTests.fixedLine
        let pad = { (s: String) in s.padding(toLength: 72, withPad: " ", startingAt: 0) }
        let text = [
            "ROWS", line(["N", "COST", "$ the cost, a comment running past column 61 like furnace.mps"]),
            line(["L", "LIM", "$ Zinc Maximum"]),
            "COLUMNS", line([nil, "X", "COST", "1.0", "LIM", "1.0"]), pad(line([nil, "Y", "LIM", "1.0"])) + "SEQ00010",
            "RHS", line([nil, "RHS", "LIM", "4.0"]),
            "BOUNDS", line(["UP", "BND", "X", "3.0", "$ a comment"]),
            "ENDATA",
        ].joined(separator: "\n")
        #expect(MPSDialect.detect(Array(text.utf8)) == .fixed)
        let result = try Self.read(text, dialect: .fixed)
        let p = try result.model.lowered()
        #expect(p.columnNames == ["X", "Y"])
        #expect(p.columnUpper == [3, .infinity])
        #expect(result.warnings.count == 1, "\(result.warnings)")
        #expect(result.warnings.first?.line == 6)
        #expect(result.warnings.first?.message.contains("column 73") == true)

        let wide = mpsError("ROWS\n" + line(["N", "COST"]) + "\n" + line(["L", "LIM"]).padding(toLength: 64, withPad: " ", startingAt: 0) + "X\nENDATA\n", dialect: .fixed)
        #expect(wide?.line == 3)
        #expect(wide?.reason.contains("columns 62-72") == true)
    }

    @Test("a QUADOBJ section after ENDATA (COIN-OR's QP layout) is an error, not ignored text")
    func quadraticAfterEnd() {
        let error = mpsError("NAME qp\nROWS\n N obj\nCOLUMNS\n x obj 1\nENDATA\nNAME qp\nQUADOBJ\n x x 2\nENDATA\n")
        #expect(error?.line == 8)
        #expect(error?.reason.contains("QUADOBJ") == true)
    }

    @Test("fixed MPS: a blank column name needs a column above it")
    func blankColumnWithoutPrevious() {
        let error = mpsError("ROWS\n N  obj\nCOLUMNS\n              obj       1\nENDATA\n", dialect: .fixed)
        #expect(error?.line == 4)
        #expect(error?.reason.contains("previous column") == true)
    }
}

@Suite("ModelFile.read reports the dialect it chose")
struct DialectChoiceTests {
    @Test("a file that reads as fixed and as free MPS into different models is read as fixed, with a warning")
    func ambiguousDialect() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // As fixed MPS the RHS line is set 'R 5' with A = 1; as free MPS it is two pairs,
        // R = 5 and A = 1. Both read, into different models.
        let line = MPSReaderTests.fixedLine
        let text = [
            "ROWS", line(["N", "COST"]), line(["L", "R"]), line(["L", "A"]),
            "COLUMNS", line([nil, "X", "COST", "1", "R", "1"]), line([nil, "X", "A", "1"]),
            "RHS", line([nil, "R 5", "A", "1"]),
            "ENDATA",
        ].joined(separator: "\n")
        let path = directory.appendingPathComponent("m.mps").path
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let result = try ModelFile.read(path: path)
        #expect(try result.model.lowered().rowUpper == [0, 1])
        #expect(result.warnings.count == 1, "\(result.warnings)")
        #expect(result.warnings.first?.message.contains("read as fixed MPS") == true)
        let free = try ModelFile.read(path: path, format: .mps)
        #expect(try free.model.lowered().rowUpper == [5, 1])
        #expect(free.warnings.isEmpty)
    }

    @Test("a file that reads the same either way is read without a word")
    func sameEitherWay() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let line = MPSReaderTests.fixedLine
        let text = [
            "ROWS", line(["N", "COST"]), line(["L", "A"]), line(["L", "B"]),
            "COLUMNS", line([nil, "X", "COST", "1", "A", "1"]), line([nil, "X", "B", "1"]),
            "RHS", line([nil, nil, "A", "1", "B", "2"]),
            "ENDATA",
        ].joined(separator: "\n")
        let path = directory.appendingPathComponent("m.mps").path
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let plain = try ModelFile.read(path: path)
        #expect(plain.warnings.isEmpty, "\(plain.warnings)")
        #expect(try plain.model.lowered().rowUpper == [1, 2])
    }
}
