import Testing
@testable import GPUPoolModel

@Suite("Model building")
struct ModelBuildingTests {
    @Test func operatorsBuildExpectedRows() throws {
        var m = Model()
        let x = m.addVariable(lower: 0, upper: 4, name: "x")
        let y = m.addVariable(kind: .integer, name: "y")
        m.addConstraint(2 * x + y - 3 <= 5, name: "c1")
        m.addConstraint(x >= y, name: "c2")
        m.addConstraint(x + y + x == 2, name: "c3")
        m.addConstraint(x - y, in: -1...1, name: "ranged")
        m.maximize(3 * x + 4 * y + 7)
        let p = try m.lowered()
        #expect(p.columnCount == 2 && p.rowCount == 4)
        #expect(p.rowLower == [-.infinity, 0, 2, -1])
        #expect(p.rowUpper == [8, .infinity, 2, 1])
        #expect(p.objective == [3, 4] && p.objectiveConstant == 7 && p.sense == .maximize)
        #expect(p.isInteger == [false, true])
        // x appears twice in c3: the entries are summed to 2.
        let rows = p.rows()
        #expect(Array(rows[2].columns) == [0, 1] && Array(rows[2].values) == [2, 1])
        #expect(Array(rows[1].values) == [1, -1])
    }

    @Test func lowersToCanonicalCSC() throws {
        var m = Model()
        let v = m.addVariables(count: 3)
        m.addConstraint(v[2] + v[0] - v[0] + v[1] <= 1)   // v0 cancels: dropped
        m.addConstraint(0 * v[2] + 5 * v[0] >= 0)          // explicit zero: dropped
        m.addConstraint(v[2] + v[2] == 2)                  // duplicate: summed
        let p = try m.lowered()
        #expect(p.matrix.columnStarts == [0, 1, 2, 4])
        #expect(p.matrix.rowIndices == [1, 0, 0, 2])
        #expect(p.matrix.values == [5, 1, 1, 2])
        try p.validate()
    }

    @Test func binaryBoundsAreClampedAndFixedKept() throws {
        var m = Model()
        m.addVariable(lower: -3, upper: 7, kind: .binary)
        m.addVariable(lower: 2, upper: 2)
        let p = try m.lowered()
        #expect(p.columnLower == [0, 2] && p.columnUpper == [1, 2])
    }

    @Test func sumsOverSequences() throws {
        var m = Model()
        let xs = m.addVariables(count: 5, upper: 1)
        m.addConstraint(xs.sum() <= 3)
        m.addConstraint(xs.map { 2.0 * $0 }.sum() >= 1)
        m.minimize(LinearExpression(terms: xs.enumerated().map { ($1, Double($0)) }))
        let p = try m.lowered()
        #expect(p.matrix.nonzeroCount == 10)
        #expect(p.objective == [0, 1, 2, 3, 4])
    }

    @Test func bulkRowsMatchOperatorRows() throws {
        var a = Model(), b = Model()
        let xa = a.addVariables(count: 4)
        b.addVariables(count: 4)
        a.addConstraint(xa[0] + 2 * xa[3] <= 5)
        a.addConstraint(xa[1] - xa[2], in: 0...1)
        b.addConstraints(rowStarts: [0, 2, 4], columns: [0, 3, 1, 2], coefficients: [1, 2, 1, -1], lower: [-.infinity, 0], upper: [5, 1])
        let pa = try a.lowered(), pb = try b.lowered()
        #expect(pa.matrix == pb.matrix && pa.rowLower == pb.rowLower && pa.rowUpper == pb.rowUpper)
    }

    @Test func bulkRejectsMalformedArrays() {
        var m = Model()
        m.addVariables(count: 2)
        let r = m.addConstraints(rowStarts: [0, 2], columns: [0, 5], coefficients: [1, 1], lower: [0], upper: [1])
        #expect(r.isEmpty)
        #expect(throws: ModelValidationError.self) { try m.lowered() }
        #expect(m.validationIssues().first?.message.contains("column 5") == true)
    }
}

@Suite("Validation names the offending item")
struct ValidationTests {
    private func issues(_ build: (inout Model) -> Void) -> [String] {
        var m = Model()
        build(&m)
        return m.validationIssues().map(\.description)
    }

    @Test func nanCoefficientNamesRowAndColumn() {
        let found = issues { m in
            let x = m.addVariable(name: "x")
            m.addConstraint(Double.nan * x <= 1, name: "cap")
        }
        #expect(found == ["row 'cap' (#0), column 'x' (#0): coefficient is nan"])
    }

    @Test func infiniteObjectiveAndCrossedBounds() {
        let found = issues { m in
            let x = m.addVariable(lower: 3, upper: 1, name: "x")
            m.addVariable(lower: 0.5, upper: 2, kind: .integer, name: "k")
            m.addConstraint(LinearConstraint(LinearExpression(x), lower: .nan, upper: 1))
            m.minimize(Double.infinity * x)
        }
        #expect(found.contains { $0.hasPrefix("column 'x' (#0): objective coefficient is inf") })
        #expect(found.contains { $0.hasPrefix("column 'x' (#0): lower bound 3.0 is above upper bound 1.0") })
        #expect(found.contains { $0.hasPrefix("column 'k' (#1): integer variable has fractional bounds") })
        #expect(found.contains { $0.hasPrefix("row #0: bound is NaN") })
    }

    @Test func variablesOfAnotherModelAreReported() {
        var other = Model()
        let foreign = other.addVariable()
        let found = issues { m in
            let x = m.addVariable()
            m.addConstraint(x + foreign <= 1, name: "mixed")
            m.addConstraint(foreign <= 1, name: "alien")
        }
        #expect(found.count == 2)
        #expect(found.allSatisfy { $0.contains("another model") })
    }

    @Test func badAndDuplicateNames() {
        let found = issues { m in
            m.addVariable(name: "x")
            m.addVariable(name: "x")
            m.addVariable(name: String(repeating: "a", count: 256))
            m.addVariable(name: "tab\there")
        }
        #expect(found.count == 3)
        #expect(found[0].contains("duplicate name (also #0)"))
        #expect(found[1].contains("256 bytes"))
        #expect(found[2].contains("control character"))
    }

    @Test func issuesAreCappedForHugeModels() {
        var m = Model()
        let x = m.addVariables(count: 1000)
        m.setObjective(.minimize, coefficients: Array(repeating: .nan, count: 1000))
        _ = x
        do {
            _ = try m.lowered()
            Issue.record("expected a validation error")
        } catch {
            #expect(error.issues.count == ModelValidationError.maximumReported)
            #expect(error.totalCount == 1000)
            #expect(error.description.contains("and 900 more problems"))
        }
    }

    @Test func programValidationCatchesBrokenCSC() {
        let bad = LinearProgram(
            sense: .minimize, objective: [1, 1],
            matrix: SparseMatrix(rowCount: 1, columnCount: 2, columnStarts: [0, 2, 2], rowIndices: [0, 0], values: [1, 1]),
            rowLower: [0], rowUpper: [1], columnLower: [0, 0], columnUpper: [1, 1], isInteger: [false, false])
        #expect(throws: ModelValidationError.self) { try bad.validate() }
        let outOfRange = LinearProgram(
            sense: .minimize, objective: [1],
            matrix: SparseMatrix(rowCount: 1, columnCount: 1, columnStarts: [0, 1], rowIndices: [3], values: [1]),
            rowLower: [0], rowUpper: [1], columnLower: [0], columnUpper: [1], isInteger: [false])
        #expect(throws: ModelValidationError.self) { try outOfRange.validate() }
    }
}

@Suite("Solution checker")
struct SolutionCheckerTests {
    private func program() throws -> LinearProgram {
        var m = Model()
        let x = m.addVariable(lower: 0, upper: 10, name: "x")
        let y = m.addVariable(lower: 0, upper: 10, kind: .integer, name: "y")
        m.addConstraint(x + y <= 4, name: "cap")
        m.maximize(x + 2 * y + 1)
        return try m.lowered()
    }

    @Test func feasiblePointPassesAndObjectiveIsRecomputed() throws {
        let check = SolutionChecker.check(try program(), values: [1, 3])
        #expect(check.isFeasible && check.objective == 8 && check.rowActivities == [4])
    }

    @Test func reportsWorstViolationsFirst() throws {
        let check = SolutionChecker.check(try program(), values: [-1, 6.5])
        #expect(!check.isFeasible)
        #expect(check.violations.map(\.kind) == [.row, .columnBound, .integrality])
        #expect(check.violations[0].name == "cap" && check.maximumRowViolation == 1.5)
        #expect(check.maximumIntegralityViolation == 0.5)
    }

    @Test func toleranceIsRelativeToBound() throws {
        #expect(SolutionChecker.check(try program(), values: [1, 3.000001]).isFeasible)
        #expect(!SolutionChecker.check(try program(), values: [1.01, 3]).isFeasible)
    }

    @Test func wrongLengthAndNaNAreViolations() throws {
        #expect(!SolutionChecker.check(try program(), values: [1]).isFeasible)
        #expect(SolutionChecker.check(try program(), values: [.nan, 1]).violations.first?.kind == .nonFinite)
    }
}
