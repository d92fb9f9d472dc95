import GPUPoolModel
import Testing
@testable import GPUPoolFormats

@Suite("MPS reader")
struct MPSReaderTests {
    /// A data line with fields at the fixed-MPS columns 2, 5, 15, 25, 40, 50.
    static func fixedLine(_ fields: [String?]) -> String {
        let starts = [1, 4, 14, 24, 39, 49]
        var line = ""
        for (k, field) in fields.enumerated() {
            guard let field else { continue }
            line += String(repeating: " ", count: max(0, starts[k] - line.count)) + field
        }
        return line
    }

    static let basic = ([
        "* a comment line", "NAME          TINY", "ROWS",
        fixedLine(["N", "COST"]), fixedLine(["L", "LIM1"]), fixedLine(["G", "LIM2"]), fixedLine(["E", "MYEQN"]),
        "COLUMNS",
        fixedLine([nil, "X1", "COST", "1.0", "LIM1", "1.0"]), fixedLine([nil, "X1", "LIM2", "1.0"]),
        fixedLine([nil, "X2", "COST", "2.0", "LIM1", "1.0"]), fixedLine([nil, "X2", "MYEQN", "-1.0"]),
        fixedLine([nil, "X3", "COST", "-1.0", "MYEQN", "1.0"]),
        "RHS",
        fixedLine([nil, "RHS", "LIM1", "4.0", "LIM2", "1.0"]), fixedLine([nil, "RHS", "MYEQN", "7.0"]),
        "BOUNDS",
        fixedLine(["UP", "BND", "X1", "4.0"]), fixedLine(["LO", "BND", "X2", "-1.0"]), fixedLine(["UP", "BND", "X2", "1.0"]),
        "ENDATA",
    ] as [String]).joined(separator: "\n")

    @Test("sections, bounds and the objective of a small file")
    func basicFile() throws {
        let p = try lowerMPS(Self.basic)
        #expect(p.name == "TINY")
        #expect(p.objectiveName == "COST")
        #expect(p.sense == .minimize)
        #expect(p.columnNames == ["X1", "X2", "X3"])
        #expect(p.rowNames == ["LIM1", "LIM2", "MYEQN"])
        #expect(p.objective == [1, 2, -1])
        #expect(p.rowLower == [-.infinity, 1, 7])
        #expect(p.rowUpper == [4, .infinity, 7])
        #expect(p.columnLower == [0, -1, 0])
        #expect(p.columnUpper == [4, 1, .infinity])
        #expect(p.matrix.nonzeroCount == 5)
        #expect(p.objectiveConstant == 0)
    }

    @Test("the same file in fixed MPS")
    func fixedFile() throws {
        #expect(try lowerMPS(Self.basic, dialect: .fixed) == lowerMPS(Self.basic))
    }

    @Test("OBJSENSE on one line or the next, in all spellings", arguments: [
        ("OBJSENSE MAX\n", ObjectiveSense.maximize), ("OBJSENSE\n    MAX\n", .maximize),
        ("OBJSENSE\n    MAXIMIZE\n", .maximize), ("OBJSENSE MINIMIZE\n", .minimize),
        ("OBJSENSE\n  MIN\n", .minimize), ("", .minimize), ("OBJSENSE    maximize\n", .maximize),
    ])
    func objectiveSense(header: String, sense: ObjectiveSense) throws {
        let text = "NAME s\n\(header)ROWS\n N obj\nCOLUMNS\n x obj 1\nENDATA\n"
        #expect(try lowerMPS(text).sense == sense)
    }

    @Test("a bad OBJSENSE value is an error with its line")
    func badSense() {
        let error = mpsError("NAME s\nOBJSENSE\n    UPWARDS\nROWS\n N obj\nENDATA\n")
        #expect(error?.line == 3)
        #expect(error?.reason.contains("UPWARDS") == true)
    }

    @Test("RHS on the objective row is minus the objective constant (HiGHS convention)")
    func objectiveConstant() throws {
        let p = try lowerMPS("ROWS\n N obj\n L c\nCOLUMNS\n x obj 1 c 1\nRHS\n RHS obj -7.113 c 2\nENDATA\n")
        #expect(p.objectiveConstant == 7.113)
        #expect(p.rowUpper == [2])
    }

    @Test("further N rows are dropped, with their entries, and a warning")
    func extraFreeRows() throws {
        let text = "ROWS\n N obj\n N spare\n G c\nCOLUMNS\n x obj 1 spare 5\n x c 1\nRHS\n RHS spare 3 c 1\nRANGES\n RNG spare 2\nENDATA\n"
        let result = try MPSReader().read(text: text, file: "t.mps")
        let p = try result.model.lowered()
        #expect(p.rowNames == ["c"])
        #expect(p.matrix.nonzeroCount == 1)
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.message.contains("'spare'") == true)
    }

    @Test("integer markers: [0, 1] by default, any BOUNDS entry cancels it")
    func integerMarkers() throws {
        let text = """
            ROWS
             N obj
             L c
            COLUMNS
             M1 'MARKER' 'INTORG'
             a obj 1 c 1
             b obj 1 c 1
             d obj 1 c 1
             e obj 1 c 1
             M2 'MARKER' 'INTEND'
             f obj 1 c 1
            RHS
             RHS c 10
            BOUNDS
             LO BND b 2
             UP BND d 7
             PL BND e
             LI BND f -3
            ENDATA
            """
        let p = try lowerMPS(text)
        #expect(p.isInteger == [true, true, true, true, true])
        #expect(p.columnLower == [0, 2, 0, 0, -3])
        #expect(p.columnUpper == [1, .infinity, 7, .infinity, .infinity])
    }

    @Test("an INTORG block left open ends with COLUMNS, with a warning")
    func openMarker() throws {
        let result = try MPSReader().read(text: "ROWS\n N obj\nCOLUMNS\n M 'MARKER' 'INTORG'\n x obj 1\nRHS\nENDATA\n")
        #expect(try result.model.lowered().isInteger == [true])
        #expect(result.warnings.first?.line == 4)
    }

    @Test("RANGES follow the sign rules for E, L and G rows")
    func ranges() throws {
        let text = """
            ROWS
             N obj
             E eneg
             E epos
             L l
             G g
            COLUMNS
             x obj 1 eneg 1
             x epos 1 l 1
             x g 1
            RHS
             RHS eneg 10 epos 10
             RHS l 10 g 10
            RANGES
             RNG eneg -4 epos 4
             RNG l -3 g -2
            ENDATA
            """
        let p = try lowerMPS(text)
        #expect(p.rowLower == [6, 10, 7, 10])
        #expect(p.rowUpper == [10, 14, 10, 12])
    }

    @Test("every bound type")
    func boundTypes() throws {
        let columns = (1...9).map { " c\($0) obj 1" }.joined(separator: "\n")
        let text = """
            ROWS
             N obj
            COLUMNS
            \(columns)
            BOUNDS
             UP BND c1 4
             LO BND c2 -2
             FX BND c3 3.5
             FR BND c4
             MI BND c5
             PL BND c6
             BV BND c7
             LI BND c8 2
             UI BND c9 9
            ENDATA
            """
        let p = try lowerMPS(text)
        #expect(p.columnLower == [0, -2, 3.5, -.infinity, -.infinity, 0, 0, 2, 0])
        #expect(p.columnUpper == [4, .infinity, 3.5, .infinity, .infinity, .infinity, 1, .infinity, 9])
        #expect(p.isInteger == [false, false, false, false, false, false, true, true, true])
    }

    @Test("a negative UP frees the default lower bound, with a warning; an explicit lower bound stays")
    func negativeUpper() throws {
        let text = "ROWS\n N obj\nCOLUMNS\n a obj 1\n b obj 1\nBOUNDS\n UP BND a -3\n LO BND b -5\n UP BND b -1\nENDATA\n"
        let result = try MPSReader().read(text: text, file: "t.mps")
        let p = try result.model.lowered()
        #expect(p.columnLower == [-.infinity, -5])
        #expect(p.columnUpper == [-3, -1])
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.line == 7)
    }

    @Test("semi-continuous bounds are rejected by name")
    func semiContinuous() {
        let error = mpsError("ROWS\n N obj\nCOLUMNS\n a obj 1\nBOUNDS\n SC BND a 5\nENDATA\n")
        #expect(error?.line == 6)
        #expect(error?.reason.contains("semi-continuous") == true)
    }

    @Test("free MPS: `$` after a complete record is a comment, other extra fields are errors")
    func trailingComments() throws {
        let good = """
            ROWS
             N  COST $objective
             G  R0 $first row
            COLUMNS
                C0 R0 1.0 COST -1.0 $two pairs
                C1 R0 1.0 $one pair
            RHS
                RHS R0 1.0 $comment
            BOUNDS
             UP BND C0 4 $comment
            ENDATA
            """
        let p = try lowerMPS(good)
        #expect(p.columnNames == ["C0", "C1"])
        #expect(p.columnUpper == [4, .infinity])
        let bad = mpsError("ROWS\n N COST\n G R1 *comment\nENDATA\n")
        #expect(bad?.line == 3)
        #expect(bad?.reason.contains("3 fields") == true)
    }

    @Test("free MPS: RHS and RANGES lines may leave out the set name")
    func omittedSetNames() throws {
        let p = try lowerMPS("ROWS\n N obj\n L a\n G b\nCOLUMNS\n x obj 1 a 1\n x b 1\nRHS\n a 4 b 1\nRANGES\n a 2\nENDATA\n")
        #expect(p.rowLower == [2, 1])
        #expect(p.rowUpper == [4, .infinity])
    }

    @Test("only the first RHS set is used; others are ignored with a warning")
    func secondRHSSet() throws {
        let result = try MPSReader().read(text: "ROWS\n N obj\n L a\nCOLUMNS\n x obj 1 a 1\nRHS\n R1 a 4\n R2 a 9\nENDATA\n")
        #expect(try result.model.lowered().rowUpper == [4])
        #expect(result.warnings.first?.line == 8)
    }

    @Test("fixed MPS: names with blanks, empty set names, `$` comments in field 3 and 5")
    func fixedColumns() throws {
        let text = [
            "NAME          FIXED", "ROWS", Self.fixedLine(["N", "COST"]), Self.fixedLine(["L", "LIM 1"]),
            "COLUMNS",
            Self.fixedLine([nil, "MY VAR", "COST", "1.0", "LIM 1", "2.0"]),
            Self.fixedLine([nil, "OTHER", "LIM 1", "1.0", "$ a comment"]),
            "RHS", Self.fixedLine([nil, nil, "LIM 1", "4.0"]),
            "BOUNDS", Self.fixedLine(["UP", nil, "MY VAR", "3.0"]),
            "ENDATA",
        ].joined(separator: "\n")
        let p = try lowerMPS(text, dialect: .fixed)
        #expect(p.columnNames == ["MY VAR", "OTHER"])
        #expect(p.rowNames == ["LIM 1"])
        #expect(p.rowUpper == [4])
        #expect(p.columnUpper == [3, .infinity])
        #expect(MPSDialect.detect(Array(text.utf8)) == .fixed)
        #expect(MPSDialect.detect(Array(Self.basic.utf8)) == .free)
    }

    @Test("fixed MPS: text between the fields names the column")
    func fixedStrayText() {
        let error = mpsError("ROWS\n N  COST\n L  LIMIT_LONG_NAME\nENDATA\n", dialect: .fixed)
        #expect(error?.line == 3)
        #expect(error?.reason.contains("column 13") == true)
    }

    @Test("columns may be named like sections (silly names)")
    func keywordNames() throws {
        let text = "NAME x\nOBJSENSE MIN\nROWS\n G R0\n N COST\nCOLUMNS\n C0 R0 -1 COST -1\n OBJSENSE R0 -1 COST -1\n RANGES R0 -1 COST -1\n RHS R0 -1 COST -1\nRHS\n DEMANDS R0 -1\nENDATA\n"
        #expect(try lowerMPS(text).columnNames == ["C0", "OBJSENSE", "RANGES", "RHS"])
    }

    @Test("Fortran exponents, CRLF line ends, tabs and text after ENDATA")
    func lexicalDetails() throws {
        let text = "ROWS\r\n N\tobj\r\n L\tc\r\nCOLUMNS\r\n x\tobj\t1.5D+01\tc\t2d0\r\nRHS\r\n RHS c 1E1\r\nENDATA\r\nIMPORTANCES\nx 2\n"
        let p = try lowerMPS(text)
        #expect(p.objective == [15])
        #expect(p.rowUpper == [10])
    }

    @Test("non-numbers in numeric fields are errors naming line and field", arguments: [
        ("nan", 5), ("NaN", 5), ("inf", 5), ("-Infinity", 5), ("1e999", 5), ("0x10", 5), ("1.2.3", 5), ("", 0),
    ])
    func badNumbers(text: String, line: Int) {
        guard line > 0 else { return }
        let error = mpsError("ROWS\n N obj\n L c\nCOLUMNS\n x obj \(text)\nENDATA\n")
        #expect(error?.line == line)
        #expect(error?.reason.contains("column 'x' in row 'obj'") == true)
        #expect(error?.reason.contains("'\(text)'") == true)
    }

    @Test("structural errors name the line", arguments: [
        ("ROWS\n N obj\nCOLUMNS\n x nope 1\nENDATA\n", 4, "'nope'"),
        ("ROWS\n N obj\n L c\nCOLUMNS\n x c 1\n x c 2\nENDATA\n", 6, "second entry"),
        ("ROWS\n N obj\n L c\nCOLUMNS\n x c 1\n y c 1\n x obj 2\nENDATA\n", 7, "line 5"),
        ("ROWS\n N obj\n L c\n L c\nENDATA\n", 4, "twice"),
        ("ROWS\n N obj\n X c\nENDATA\n", 3, "'X'"),
        ("ROWS\n N obj\nCOLUMNS\n x obj 1\nBOUNDS\n UP BND y 1\nENDATA\n", 6, "'y'"),
        ("ROWS\n N obj\nCOLUMNS\n x obj 1\nBOUNDS\n UP BND x 1\n UP BND x 2\nENDATA\n", 7, "line 6"),
        ("ROWS\n N obj\nCOLUMNS\n x obj 1\nBOUNDS\n LO BND x 5\n UP BND x 2\nENDATA\n", 7, "above"),
        ("ROWS\n N obj\nCOLUMNS\n x obj 1\nBOUNDS\n UI BND x 2.5\nENDATA\n", 6, "fractional"),
        ("ROWS\n N obj\n L c\nCOLUMNS\n x c 1\nRHS\n RHS c 1\n RHS c 2\nENDATA\n", 8, "second value"),
        ("ROWS\n N obj\nCOLUMNS\n x obj 1\nRANGES\n RNG obj 1\nENDATA\n", 6, "objective"),
        ("ROWS\n N obj\nCOLUMNS\n x obj 1\n", 4, "ENDATA"),
        ("ROWS\n N obj\nRHS\nCOLUMNS\nENDATA\n", 4, "after the RHS"),
        ("ROWS\n N obj\nCOLUMNS\n x obj 1\nROWS\nENDATA\n", 5, "second ROWS"),
        ("ROWS\n N obj\nQMATRIX\n x x 1\nENDATA\n", 3, "quadratic"),
        ("HELLO\n", 1, "unknown section"),
        ("ROWS\n N obj\u{01}\nENDATA\n", 2, "control character"),
        ("ROWS\n N obj\nCOLUMNS\n x obj 1 obj\nENDATA\n", 4, "4 fields"),
        ("ROWS\n N obj\nCOLUMNS\n M 'MARKER' 'INTEND'\nENDATA\n", 4, "INTEND"),
    ])
    func structuralErrors(text: String, line: Int, fragment: String) {
        let error = mpsError(text)
        #expect(error?.line == line, "\(error?.description ?? "")")
        #expect(error?.reason.contains(fragment) == true, "\(error?.description ?? "")")
        #expect(error?.description.hasPrefix("t.mps:\(line): ") == true)
    }

    @Test("names must be valid UTF-8")
    func invalidUTF8() {
        var bytes = Array("ROWS\n N obj\nCOLUMNS\n x".utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array(" obj 1\nENDATA\n".utf8)
        #expect(throws: FormatError.self) { try MPSReader().read(bytes) }
    }
}
