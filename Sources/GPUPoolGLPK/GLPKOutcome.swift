#if GLPK
import GPUPoolSupport
import CGLPK
import GPUPoolModel

/// Turns GLPK's return codes and statuses into a verified ``Solution``.
///
/// | GLPK (return code, status)                       | termination                         | point           |
/// |--------------------------------------------------|-------------------------------------|-----------------|
/// | simplex/interior 0, GLP_OPT                      | optimal                             | yes             |
/// | simplex 0, GLP_NOFEAS                            | infeasible                          | no              |
/// | simplex 0, GLP_UNBND                             | unbounded (MIP: infeasible_or_unbounded) | no         |
/// | GLP_ENOPFS (presolver)                           | infeasible                          | no              |
/// | GLP_ENODFS (presolver), not settled by re-solve  | infeasible_or_unbounded             | no              |
/// | interior GLP_ENOFEAS                             | infeasible_or_unbounded             | no              |
/// | GLP_EITLIM                                       | iteration_limit                     | if GLP_FEAS (LP)|
/// | GLP_ETMLIM                                       | time_limit                          | if GLP_FEAS     |
/// | intopt 0, GLP_OPT                                | optimal                             | yes             |
/// | intopt 0, GLP_NOFEAS                             | infeasible                          | no              |
/// | intopt GLP_EMIPGAP                               | optimal (within the gap)            | yes             |
/// | intopt GLP_ESTOP (interrupt)                     | interrupted                         | if GLP_FEAS     |
/// | intopt GLP_ESTOP (callback: absolute gap)        | optimal (within the gap)            | yes             |
/// | intopt GLP_ESTOP (callback: node / solution limit) | node_limit / solution_limit       | if GLP_FEAS     |
/// | simplex / interior abandoned (interrupt, clock)  | interrupted / time_limit            | no              |
/// | GLP_EFAIL (intopt), GLP_ESING/ECOND/EBADB, ENOCVG, EINSTAB | numerical_error           | if any          |
/// | shim error (GLPK misuse caught), EBOUND, EROOT, other | other_error                     | no              |
///
/// A point that fails ``SolutionChecker`` turns any of these into numerical_error without a point.
struct GLPKOutcome {
    var raw: GLPKRawResult
    var plan: GLPKPlan
    var options: SolveOptions

    private struct Verdict {
        var termination: TerminationStatus
        var detail: String?
        var keepsPoint: Bool
    }

    func solution(solver: String) -> Solution {
        var verdict = classify()
        var notes: [String] = []
        if let detail = verdict.detail { notes.append(detail) }
        notes.append(contentsOf: plan.notes)
        if let warm = warmStartNote() { notes.append(warm) }

        let program = plan.checkedProgram
        var point: VerifiedPoint?
        var pointIsGLPKs = false
        var activities: [Double] = []
        let hasGLPKPoint = verdict.keepsPoint && raw.solutionKind != Int32(CGLPK_SOLUTION_NONE)
        if hasGLPKPoint {
            let check = SolutionChecker.check(program, values: raw.values, tolerance: options.tolerance)
            let objectiveGap = abs(check.objective - raw.objective)
            if let worst = check.violations.first {
                verdict.termination = .numericalError
                notes.append("GLPK's point failed verification and is withheld: \(worst)")
            } else if !(objectiveGap <= options.tolerance * max(1, abs(check.objective))) {
                verdict.termination = .numericalError
                notes.append("GLPK's objective \(raw.objective) disagrees with the recomputed \(check.objective); point withheld")
            } else {
                point = VerifiedPoint(values: raw.values, objective: raw.objective)
                pointIsGLPKs = true
                activities = check.rowActivities
            }
        }
        if let warm = plan.warmStart, useWarmStart(warm, instead: point, termination: &verdict.termination, notes: &notes) {
            point = warm
            pointIsGLPKs = false
            activities = program.matrix.multiply(warm.values)
        }

        let lpDuals = pointIsGLPKs && verdict.termination == .optimal && !plan.branchAndCut
        return Solution(
            termination: verdict.termination,
            primalStatus: point == nil ? .noSolution : .feasiblePoint,
            objective: point?.objective,
            bestBound: bestBound(termination: verdict.termination, objective: point?.objective),
            values: point?.values ?? [],
            rowActivities: activities,
            duals: lpDuals ? raw.rowDuals : nil,
            reducedCosts: lpDuals ? raw.columnDuals : nil,
            seconds: raw.seconds, iterations: raw.iterations, nodes: raw.nodes, solver: solver,
            message: notes.isEmpty ? nil : notes.joined(separator: "; "),
            log: raw.log
        )
    }

    // MARK: Status

    private func classify() -> Verdict {
        if raw.error != Int32(CGLPK_OK) {
            return Verdict(termination: .otherError, detail: raw.message, keepsPoint: false)
        }
        if raw.abandoned {
            // The C shim left simplex or interior point part-way, at the interrupt or the clock.
            let phase = plan.branchAndCut ? "the root LP" : plan.algorithm == .interiorPoint ? "interior point" : "simplex"
            if raw.interrupted { return Verdict(termination: .interrupted, detail: "interrupted during \(phase)", keepsPoint: false) }
            return Verdict(termination: .timeLimit, detail: "time limit reached during \(phase)", keepsPoint: false)
        }
        if plan.branchAndCut && raw.mipReturn >= 0 { return classifyBranchAndCut() }
        if raw.lpReturn >= 0 {
            let lp = classifyLP()
            guard plan.branchAndCut, lp.termination == .optimal else { return lp }
            // The root LP was solved but branch-and-cut never started.
            return notStarted("branch-and-cut")
        }
        return notStarted(plan.branchAndCut ? "branch-and-cut" : "the LP solver")
    }

    private func notStarted(_ phase: String) -> Verdict {
        if raw.interrupted { return Verdict(termination: .interrupted, detail: "interrupted before \(phase) started", keepsPoint: false) }
        if raw.outOfTime { return Verdict(termination: .timeLimit, detail: "time limit reached before \(phase) started", keepsPoint: false) }
        return Verdict(termination: .otherError, detail: "\(phase) did not run", keepsPoint: false)
    }

    private func classifyLP() -> Verdict {
        let interior = plan.algorithm == .interiorPoint && !plan.branchAndCut && !raw.lpSettledBySimplex
            && plan.checkedProgram.rowCount > 0 && plan.checkedProgram.columnCount > 0
        let routine = interior ? "glp_interior" : "glp_simplex"
        let code = raw.lpReturn, status = GLPKCode.Status(rawValue: raw.lpStatus)
        let what = "\(routine) returned \(GLPKCode.returnName(code)) with \(GLPKCode.statusName(raw.lpStatus))"
        let presolved = raw.lpSettledBySimplex ? " (settled by simplex without presolve)" : ""
        switch GLPKCode.Return(rawValue: code) {
        case .ok:
            switch status {
            case .optimal: return Verdict(termination: .optimal, detail: nil, keepsPoint: true)
            case .noFeasible where interior:
                return Verdict(termination: .infeasibleOrUnbounded, detail: "\(what): no feasible primal/dual solution", keepsPoint: false)
            case .noFeasible: return Verdict(termination: .infeasible, detail: "no primal feasible solution\(presolved)", keepsPoint: false)
            case .unbounded:
                if plan.branchAndCut {
                    return Verdict(termination: .infeasibleOrUnbounded, detail: "LP relaxation is unbounded\(presolved)", keepsPoint: false)
                }
                return Verdict(termination: .unbounded, detail: "primal feasible and unbounded\(presolved)", keepsPoint: false)
            default: return Verdict(termination: .otherError, detail: what, keepsPoint: false)
            }
        case .iterationLimit:
            return Verdict(termination: .iterationLimit, detail: what, keepsPoint: status == .feasible && !plan.branchAndCut)
        case .timeLimit:
            return Verdict(termination: .timeLimit, detail: what, keepsPoint: status == .feasible && !plan.branchAndCut)
        case .noPrimalFeasible:
            return Verdict(termination: .infeasible, detail: "the LP presolver found no primal feasible solution", keepsPoint: false)
        case .noDualFeasible, .noFeasible:
            return Verdict(termination: .infeasibleOrUnbounded, detail: "\(what): no dual feasible solution", keepsPoint: false)
        case .badBasis, .singular, .illConditioned, .noConvergence, .instability:
            return Verdict(termination: .numericalError, detail: what, keepsPoint: false)
        default:
            return Verdict(termination: .otherError, detail: what, keepsPoint: false)
        }
    }

    private func classifyBranchAndCut() -> Verdict {
        let code = raw.mipReturn, status = GLPKCode.Status(rawValue: raw.mipStatus)
        let what = "glp_intopt returned \(GLPKCode.returnName(code)) with \(GLPKCode.statusName(raw.mipStatus))"
        let hasPoint = raw.solutionKind == Int32(CGLPK_SOLUTION_MIP)
        switch GLPKCode.Return(rawValue: code) {
        case .ok:
            switch status {
            case .optimal: return Verdict(termination: .optimal, detail: nil, keepsPoint: true)
            case .noFeasible: return Verdict(termination: .infeasible, detail: "no integer feasible solution", keepsPoint: false)
            default: return Verdict(termination: .otherError, detail: what, keepsPoint: false)
            }
        case .mipGap:
            let gap = options.relativeGap.map { " \($0)" } ?? ""
            return Verdict(termination: .optimal, detail: "stopped within the relative MIP gap\(gap)", keepsPoint: hasPoint)
        case .timeLimit:
            return Verdict(termination: .timeLimit, detail: hasPoint ? "time limit reached with an incumbent" : "time limit reached without an integer point", keepsPoint: hasPoint)
        case .stopped:
            // The callback's own stops; the interrupt and the clock come first, as they are checked first.
            if !raw.interrupted && !raw.outOfTime {
                if raw.absoluteGapReached {
                    let gap = options.absoluteGap.map { " \($0)" } ?? ""
                    return Verdict(termination: .optimal, detail: "stopped within the absolute MIP gap\(gap)", keepsPoint: hasPoint)
                }
                if raw.nodeLimitReached {
                    let limit = options.nodeLimit.map { " (\($0))" } ?? ""
                    return Verdict(termination: .nodeLimit, detail: hasPoint ? "node limit\(limit) reached with an incumbent" : "node limit\(limit) reached without an integer point", keepsPoint: hasPoint)
                }
                if raw.solutionLimitReached {
                    let limit = options.solutionLimit.map { " (\($0))" } ?? ""
                    return Verdict(termination: .solutionLimit, detail: "solution limit\(limit) reached", keepsPoint: hasPoint)
                }
            }
            if raw.outOfTime && !raw.interrupted {
                return Verdict(termination: .timeLimit, detail: hasPoint ? "time limit reached with an incumbent" : "time limit reached without an integer point", keepsPoint: hasPoint)
            }
            return Verdict(termination: raw.interrupted ? .interrupted : .otherError, detail: what, keepsPoint: hasPoint)
        case .noPrimalFeasible:
            return Verdict(termination: .infeasible, detail: "the MIP presolver found no feasible solution", keepsPoint: false)
        case .noDualFeasible:
            if raw.lpReturn == 0 && GLPKCode.Status(rawValue: raw.lpStatus) == .noFeasible {
                return Verdict(termination: .infeasible, detail: "the LP relaxation is infeasible", keepsPoint: false)
            }
            if raw.lpReturn == 0 && GLPKCode.Status(rawValue: raw.lpStatus) == .unbounded {
                return Verdict(termination: .infeasibleOrUnbounded, detail: "LP relaxation is unbounded", keepsPoint: false)
            }
            return Verdict(termination: .infeasibleOrUnbounded, detail: "the LP relaxation has no dual feasible solution (unbounded or infeasible)", keepsPoint: false)
        case .failed:
            return Verdict(termination: .numericalError, detail: what, keepsPoint: hasPoint)
        default:
            return Verdict(termination: .otherError, detail: what, keepsPoint: false)
        }
    }

    // MARK: Bound and warm start

    private func bestBound(termination: TerminationStatus, objective: Double?) -> Double? {
        let minimizing = plan.checkedProgram.sense == .minimize
        func clipped(_ bound: Double) -> Double {
            guard let objective else { return bound }
            return minimizing ? min(bound, objective) : max(bound, objective)
        }
        switch termination {
        case .optimal:
            if plan.branchAndCut && (GLPKCode.Return(rawValue: raw.mipReturn) == .mipGap || raw.absoluteGapReached) {
                // Stopped at the gap: only a bound the search reported is a proof, never the point itself.
                return raw.bound.map(clipped)
            }
            return objective
        case .timeLimit, .interrupted, .iterationLimit, .numericalError, .nodeLimit, .solutionLimit:
            guard plan.branchAndCut else { return nil }
            return raw.bound.map(clipped)
        default:
            return nil
        }
    }

    /// Whether the verified warm start should be reported instead of `point`, adjusting the status
    /// when GLPK's verdict contradicts a feasible point.
    private func useWarmStart(
        _ warm: VerifiedPoint, instead point: VerifiedPoint?, termination: inout TerminationStatus, notes: inout [String]
    ) -> Bool {
        switch termination {
        case .infeasible:
            notes.append("GLPK reported infeasible although the warm start is feasible; reporting the warm start")
            termination = .numericalError
            return true
        case .infeasibleOrUnbounded:
            notes.append("the warm start is feasible, so the program is unbounded; reporting the warm start")
            termination = .unbounded
            return true
        case .unbounded:
            notes.append("reporting the warm start as a feasible point of the unbounded program")
            return true
        case .optimal, .locallySolved:
            return false
        default:
            if let point {
                let better = plan.checkedProgram.sense == .minimize ? warm.objective < point.objective : warm.objective > point.objective
                guard better else { return false }
            }
            notes.append("reporting the verified warm start (GLPK found no better point)")
            return true
        }
    }

    private func warmStartNote() -> String? {
        guard plan.warmStart != nil else { return nil }
        switch raw.warmStart {
        case Int32(CGLPK_WARM_ACCEPTED): return "warm start accepted as the first incumbent"
        case Int32(CGLPK_WARM_NOT_BETTER): return "warm start offered; GLPK already had a point at least as good"
        case Int32(CGLPK_WARM_NOT_ASKED): return "warm start not needed (branch-and-cut asked for no heuristic point)"
        default: return nil
        }
    }
}
#endif
