import GPUPoolModel
import Testing

@testable import GPUPoolGLPK

#if GLPK
/// The mapping from GLPK's codes to a verified ``Solution``, fed with results as the C shim
/// would return them (some of these outcomes cannot be provoked reliably through GLPK itself).
@Suite("GLPK outcome mapping")
struct OutcomeTests {
    let program: LinearProgram
    let mip: LinearProgram

    init() throws {
        program = try TestModels.wyndor()
        mip = try TestModels.knapsack(values: [10, 13, 7], weights: [4, 6, 3], capacity: 8)
    }

    func raw(
        lp: (Int32, Int32) = (-1, -1), mip: (Int32, Int32) = (-1, -1), kind: Int32 = 0, objective: Double = 0,
        bound: Double? = nil, values: [Double] = [], warm: Int32 = 0, interrupted: Bool = false
    ) -> GLPKRawResult {
        GLPKRawResult(
            error: 0, message: "", lpReturn: lp.0, lpStatus: lp.1, lpSettledBySimplex: false,
            mipReturn: mip.0, mipStatus: mip.1, interrupted: interrupted, outOfTime: false, solutionKind: kind,
            objective: objective, bound: bound, iterations: 3, nodes: 0, warmStart: warm, values: values,
            rowDuals: [0, 0, 0], columnDuals: values.map { _ in 0 }, log: "", seconds: 0.01
        )
    }

    func solution(_ raw: GLPKRawResult, _ program: LinearProgram, _ options: SolveOptions = SolveOptions()) throws -> Solution {
        let plan = try GLPKPlan(program: program, options: options, tuning: GLPKTuning())
        return GLPKOutcome(raw: raw, plan: plan, options: options).solution(solver: "GLPK test")
    }

    @Test("an 'optimal' point that breaks a row is withheld as a numerical error")
    func unverifiedPoint() throws {
        // x = 3 breaks plant1 (x ≤ 4 holds) … and plant3: 3·3 + 2·6 = 21 > 18.
        let s = try solution(raw(lp: (0, 5), kind: 1, objective: 39, values: [3, 6]), program)
        #expect(s.termination == .numericalError)
        #expect(s.primalStatus == .noSolution && s.values.isEmpty && s.objective == nil && s.duals == nil)
        #expect(s.message?.contains("failed verification") == true && s.message?.contains("plant3") == true)
    }

    @Test("an objective that disagrees with the point is a numerical error")
    func wrongObjective() throws {
        let s = try solution(raw(lp: (0, 5), kind: 1, objective: 40, values: [2, 6]), program)
        #expect(s.termination == .numericalError && s.primalStatus == .noSolution)
    }

    @Test("a verified LP optimum keeps duals; the bound is the objective")
    func optimalLP() throws {
        let s = try solution(raw(lp: (0, 5), kind: 1, objective: 36, values: [2, 6]), program)
        #expect(s.termination == .optimal && s.primalStatus == .feasiblePoint)
        #expect(s.bestBound == 36 && s.duals != nil && s.rowActivities == [2, 12, 18])
    }

    @Test("GLPK's LP codes map to terminations",
          arguments: [
              (Int32(0), Int32(4), TerminationStatus.infeasible),      // 0, GLP_NOFEAS
              (0, 6, .unbounded),                                      // 0, GLP_UNBND
              (0, 3, .otherError),                                     // 0, GLP_INFEAS (never final)
              (10, 1, .infeasible),                                    // GLP_ENOPFS
              (11, 1, .infeasibleOrUnbounded),                         // GLP_ENODFS
              (8, 3, .iterationLimit),                                 // GLP_EITLIM
              (9, 1, .timeLimit),                                      // GLP_ETMLIM
              (2, 1, .numericalError),                                 // GLP_ESING
              (5, 1, .otherError),                                     // GLP_EFAIL
          ])
    func lpCodes(code: Int32, status: Int32, expected: TerminationStatus) throws {
        let s = try solution(raw(lp: (code, status)), program)
        #expect(s.termination == expected)
        #expect(s.primalStatus == .noSolution)
    }

    @Test("GLPK's branch-and-cut codes map to terminations",
          arguments: [
              (Int32(0), Int32(4), TerminationStatus.infeasible),      // 0, GLP_NOFEAS
              (10, 1, .infeasible),                                    // GLP_ENOPFS
              (11, 1, .infeasibleOrUnbounded),                         // GLP_ENODFS
              (9, 1, .timeLimit),                                      // GLP_ETMLIM, no incumbent
              (12, 1, .otherError),                                    // GLP_EROOT
          ])
    func mipCodes(code: Int32, status: Int32, expected: TerminationStatus) throws {
        let s = try solution(raw(mip: (code, status)), mip)
        #expect(s.termination == expected)
        #expect(s.primalStatus == .noSolution)
    }

    @Test("time limit with an incumbent keeps the point and a bound no better than it")
    func timeLimitWithIncumbent() throws {
        // Maximizing: the bound is an upper bound; one below the incumbent (stale) is clipped to it.
        let s = try solution(raw(mip: (9, 2), kind: 3, objective: 17, bound: 16, values: [1, 0, 1]), mip)
        #expect(s.termination == .timeLimit && s.primalStatus == .feasiblePoint)
        #expect(s.objective == 17 && s.bestBound == 17 && s.duals == nil)
        let open = try solution(raw(mip: (9, 2), kind: 3, objective: 17, bound: 22.5, values: [1, 0, 1]), mip)
        #expect(open.objective == 17 && open.bestBound == 22.5)
        #expect(isClose(open.relativeGap, 5.5 / 17))
    }

    @Test("a relative-gap stop is optimal within the gap and reports the bound")
    func mipGap() throws {
        let s = try solution(raw(mip: (14, 2), kind: 3, objective: 17, bound: 17.5, values: [1, 0, 1]), mip, SolveOptions(relativeGap: 0.05))
        #expect(s.termination == .optimal && s.bestBound == 17.5)
        #expect(s.message?.contains("gap") == true)
    }

    @Test("an interrupt keeps the incumbent")
    func interrupted() throws {
        let s = try solution(raw(mip: (13, 2), kind: 3, objective: 17, bound: 20, values: [1, 0, 1], interrupted: true), mip)
        #expect(s.termination == .interrupted && s.primalStatus == .feasiblePoint && s.bestBound == 20)
    }

    @Test("GLPK's 'infeasible' against a verified warm start is a numerical error carrying the warm start")
    func contradictedByWarmStart() throws {
        let options = SolveOptions(warmStart: [1, 0, 1])
        let s = try solution(raw(mip: (0, 4)), mip, options)
        #expect(s.termination == .numericalError && s.primalStatus == .feasiblePoint && s.values == [1, 0, 1])
        let unknown = try solution(raw(mip: (11, 1)), mip, options)
        #expect(unknown.termination == .unbounded && unknown.values == [1, 0, 1])
    }

    @Test("a shim error is other_error with GLPK's message")
    func shimError() throws {
        var r = raw()
        r.error = GLPKSelfTest.glpkErrorCode
        r.message = "GLPK error: glp_set_mat_col: duplicate row indices not allowed"
        let s = try solution(r, program)
        #expect(s.termination == .otherError && s.message?.contains("duplicate row indices") == true)
    }
}
#endif
