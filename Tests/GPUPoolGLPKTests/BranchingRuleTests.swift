import GPUPoolModel
import Testing

@testable import GPUPoolGLPK

#if GLPK
/// Pseudo-cost branching is swapped for Driebeck–Tomlin on large programs (GLPKTuning's
/// `pseudoCostColumnLimit` says why); every other rule is passed to GLPK as asked.
@Suite("GLPK branching rule by program size")
struct BranchingRuleTests {
    /// A 0-1 knapsack row with `columns` columns.
    static func knapsack(columns: Int) -> LinearProgram {
        LinearProgram(
            sense: .maximize, objective: (0..<columns).map { Double($0 % 7 + 1) },
            matrix: SparseMatrix(rowCount: 1, columnCount: columns, columnStarts: Array(0...columns),
                                 rowIndices: Array(repeating: 0, count: columns), values: (0..<columns).map { Double($0 % 5 + 1) }),
            rowLower: [-.infinity], rowUpper: [Double(columns)],
            columnLower: Array(repeating: 0, count: columns), columnUpper: Array(repeating: 1, count: columns),
            isInteger: Array(repeating: true, count: columns))
    }

    static func branching(columns: Int, _ rule: GLPKTuning.Branching) throws -> Int32 {
        let tuning = GLPKTuning(branching: rule)
        let plan = try GLPKPlan(program: knapsack(columns: columns), options: SolveOptions(method: .mip), tuning: tuning)
        return GLPKCall.settings(plan: plan, options: SolveOptions(method: .mip), tuning: tuning, interrupt: nil).branching
    }

    @Test func pseudoCostUpToTheLimitThenDriebeckTomlin() throws {
        let limit = GLPKTuning.pseudoCostColumnLimit
        #expect(try Self.branching(columns: 10, .pseudoCost) == 5)               // GLP_BR_PCH
        #expect(try Self.branching(columns: limit, .pseudoCost) == 5)
        #expect(try Self.branching(columns: limit + 1, .pseudoCost) == 4)        // GLP_BR_DTH
        for rule in GLPKTuning.Branching.allCases where rule != .pseudoCost {
            #expect(try Self.branching(columns: limit + 1, rule) == Self.branching(columns: 10, rule))
        }
    }
}
#endif
