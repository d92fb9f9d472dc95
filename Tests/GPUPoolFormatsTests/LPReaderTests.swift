import GPUPoolModel
import Testing
@testable import GPUPoolFormats

@Suite("LP reader")
struct LPReaderTests {
    static func lower(_ text: String) throws -> LinearProgram {
        try LPReader().read(text: text, file: "t.lp").model.lowered()
    }

    @Test("objective, constraint forms, bounds, generals, binaries")
    func everyForm() throws {
        let text = """
            \\ a comment
            Maximize
             profit: 3 x + 2y - z + 4.5 \\ a constant term
               + 0 w
            Subject To
             c1: x + y <= 4
             c2: x + 3 y >= 2
             c3: -x + z = 1
             c4: x - y =< 10
             c5: x - y => -10
             c6: 2 x < 8
             c7: 2 y > -8
             r1: -1 <= x + y <= 5
             r2: 5 >= x - z >= -5
             c8: 2 x + 3 - y <= 7
             x + z >= -inf
             3 >= y
            Bounds
             x <= 3
             -2 <= y <= 6
             z free
             w >= -inf
             w <= +Infinity
             b = 1
            Generals
             z
            Binaries
             b
            End
            """
        let p = try Self.lower(text)
        #expect(p.sense == .maximize)
        #expect(p.objectiveName == "profit")
        #expect(p.columnNames == ["x", "y", "z", "w", "b"])
        #expect(p.objective == [3, 2, -1, 0, 0])
        #expect(p.objectiveConstant == 4.5)
        #expect(p.rowNames == ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "r1", "r2", "c8", nil, nil])
        let inf = Double.infinity
        let lower: [Double] = [-inf, 2, 1, -inf, -10, -inf, -8, -1, -5, -inf, -inf, -inf]
        let upper: [Double] = [4, inf, 1, 10, inf, 8, inf, 5, 5, 4, inf, 3]
        #expect(p.rowLower == lower)
        #expect(p.rowUpper == upper)
        #expect(p.columnLower == [0, -2, -.infinity, -.infinity, 1])
        #expect(p.columnUpper == [3, 6, .infinity, .infinity, 1])
        #expect(p.isInteger == [false, false, true, false, true])
    }

    @Test("keyword spellings", arguments: [
        "minimize\nobj: x\nsubject to\nc: x >= 1\nend",
        "MINIMISE\n x\nSUCH THAT\n x >= 1\nEND",
        "Min\n x\nst\n x >= 1\nEnd",
        "minimum\n x\ns.t.\n x >= 1\nbound\n x <= 5\ngeneral\n x\nend",
        "Minimize\n x\nST.\n x >= 1\nintegers\n x\nbinary\n y\nEnd",
    ])
    func spellings(text: String) throws {
        let p = try Self.lower(text)
        #expect(p.sense == .minimize)
        #expect(p.rowLower == [1])
    }

    @Test("a binary keeps explicit bounds inside [0, 1]")
    func binaryBounds() throws {
        let p = try Self.lower("Minimize\n x + y\nSubject To\n x + y >= 0\nBounds\n -5 <= x <= 5\n y >= 1\nBinary\n x\n y\nEnd")
        #expect(p.columnLower == [0, 1])
        #expect(p.columnUpper == [1, 1])
    }

    @Test("a later bound overrides an earlier one")
    func boundOverride() throws {
        let p = try Self.lower("Minimize\n x\nSubject To\n x >= 0\nBounds\n x <= 4\n x <= 6\n x >= -2\nEnd")
        #expect(p.columnLower == [-2])
        #expect(p.columnUpper == [6])
    }

    @Test("glpsol's comments carry the model name and the objective constant")
    func glpsolComments() throws {
        let text = """
            \\* Problem: EXAMPLE *\\

            Minimize
             obj: + COL01 + 2 COL05
            \\* constant term = -7.113 *\\

            Subject To
             ROW04: + 2.8 COL04 - 1.2 COL05 - ~r_4 = 1.8

            Bounds
             0 <= ~r_4 <= 3.2
             0 <= COL05 <= 4

            Generals
             COL04

            End
            """
        let p = try Self.lower(text)
        #expect(p.name == "EXAMPLE")
        #expect(p.objectiveConstant == -7.113)
        #expect(p.columnNames == ["COL01", "COL05", "COL04", "~r_4"])
        #expect(p.isInteger == [false, false, true, false])
    }

    @Test("errors name the line", arguments: [
        ("Subject To\n x >= 1\nEnd", 1, "Minimize or Maximize"),
        ("Minimize\n x\nSubject To\n x >= 1\n", 5, "without End"),
        ("Minimize\n x\nSubject To\n c: x + y\nEnd", 5, "expected <=, >= or ="),
        ("Minimize\n x\nSubject To\n c: x >= 1 + y\nEnd", 4, "after the right-hand side"),
        ("Minimize\n x\nSubject To\n c: x >= y\nEnd", 4, "expected a number"),
        ("Minimize\n x\nSubject To\n c: 1 <= x >= 0\nEnd", 4, "two <= or two >="),
        ("Minimize\n x\nSubject To\n c: x >= 1\n c: x <= 2\nEnd", 5, "used twice"),
        ("Minimize\n x\nSubject To\n c: 5 <= x <= 1\nEnd", 4, "no value satisfies"),
        ("Minimize\n x\nSubject To\n c: x >= 1\nBounds\n x <= -1\nEnd", 6, "explicit lower bound"),
        ("Minimize\n x\nSubject To\n c: x >= 1\nBounds\n -x <= 1\nEnd", 6, "expected a number"),
        ("Minimize\n x\nSubject To\n c: x >= 1\nBounds\n x <= 1.5\nGenerals\n x\nEnd", 6, "fractional"),
        ("Minimize\n x + [ x ^ 2 ]\nSubject To\n x >= 1\nEnd", 2, "quadratic"),
        ("Minimize\n x\nSubject To\n x >= 1\nSemi-Continuous\n x\nEnd", 6, "semi-continuous"),
        ("Minimize\n x\nSubject To\n x >= 1\nsemi\n x\nEnd", 6, "semi-continuous"),
        ("Minimize\n x\nSubject To\n x >= 1\nSOS\n s1: x:1\nEnd", 6, "special ordered sets"),
        ("Minimize\n x\nSubject To\n x >= 1\nMaximize\n x\nEnd", 5, "second objective"),
        ("Minimize\n x\nSubject To\n x >= 1\nSubject To\n x >= 2\nEnd", 5, "second"),
        ("Minimize\n x + inf y\nSubject To\n x >= 1\nEnd", 2, "infinite"),
        ("Minimize\n x\nSubject To\n x >= 1e999\nEnd", 4, "out of range"),
        ("Minimize\n x\nSubject To\n x >= 1\u{07}\nEnd", 4, "control character"),
        ("Minimize\n x +\nSubject To\n x >= 1\nEnd", 3, "after the sign"),
    ])
    func errors(text: String, line: Int, fragment: String) {
        let error = lpError(text)
        #expect(error?.line == line, "\(error?.description ?? "")")
        #expect(error?.reason.lowercased().contains(fragment.lowercased()) == true, "\(error?.description ?? "")")
    }

    @Test("nothing after End is read; text there is reported")
    func afterEnd() throws {
        let result = try LPReader().read(text: "Minimize\n x\nSubject To\n x >= 1\nEnd\nthis is not LP at all ]]]\n\n more", file: "t.lp")
        #expect(try result.model.lowered().rowCount == 1)
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.line == 6)
        #expect(result.warnings.first?.message.contains("after End") == true)
        #expect(try LPReader().read(text: "Minimize\n x\nEnd\n\\ a comment\n").warnings.isEmpty)
    }

    @Test("an empty model: just End (as glpsol writes it), or an objective section without terms", arguments: [
        "End\n", "\\* Problem: empty *\\\n\n\\* WARNING: PROBLEM HAS NO ROWS/COLUMNS *\\\n\nEnd\n",
        "Minimize\nEnd\n", "Maximize\n obj:\nEnd", "min\n obj:\nst\nbounds\nbin\ngen\nsemi\nend\n",
    ])
    func emptyModel(text: String) throws {
        let result = try LPReader().read(text: text, file: "t.lp")
        let p = try result.model.lowered()
        #expect(p.columnCount == 0)
        #expect(p.rowCount == 0)
        #expect(result.warnings.isEmpty)
        if text.contains("Problem: empty") { #expect(p.name == "empty") }
    }

    @Test("an empty semi-continuous or SOS section is accepted (HiGHS writes `semi` in every MIP file)", arguments: [
        "semi", "semis", "semi-continuous", "Semi-Continuous", "SOS",
    ])
    func emptySemiSection(header: String) throws {
        let text = "min\n obj: x + 2 y\nst\n c1: x + y >= 1.5\nbounds\n x <= 4\nbin\n y\ngen\n\(header)\nend\n"
        let result = try LPReader().read(text: text, file: "t.lp")
        let p = try result.model.lowered()
        #expect(p.columnNames == ["x", "y"])
        #expect(p.isInteger == [false, true])
        #expect(result.warnings.isEmpty)
    }

    @Test("a bound that replaces an earlier one counts, with a warning naming both lines")
    func replacedBound() throws {
        let result = try LPReader().read(text: "Minimize\n x\nSubject To\n c: x >= -10\nBounds\n x <= 4\n x >= -2\n x >= -5\n -1 <= y <= 1\nEnd\n", file: "t.lp")
        let p = try result.model.lowered()
        #expect(p.columnLower == [-5, -1])
        #expect(p.columnUpper == [4, 1])
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.line == 8)
        #expect(result.warnings.first?.message.contains("line 7") == true)
    }
}
