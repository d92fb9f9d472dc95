/// GLPK 5.0's status and return codes, mirrored from `glpk.h` (the C shim asserts at compile time
/// that they still match), so that the mapping to ``TerminationStatus`` reads as words.
enum GLPKCode {
    /// `glp_get_status`, `glp_ipt_status`, `glp_mip_status`.
    enum Status: Int32 {
        case undefined = 1, feasible, infeasible, noFeasible, optimal, unbounded

        var name: String {
            switch self {
            case .undefined: "GLP_UNDEF"
            case .feasible: "GLP_FEAS"
            case .infeasible: "GLP_INFEAS"
            case .noFeasible: "GLP_NOFEAS"
            case .optimal: "GLP_OPT"
            case .unbounded: "GLP_UNBND"
            }
        }
    }

    /// Return codes of `glp_simplex`, `glp_interior` and `glp_intopt`.
    enum Return: Int32 {
        case ok = 0
        case badBasis = 0x01, singular, illConditioned, badBounds, failed, objectiveLowerLimit,
            objectiveUpperLimit, iterationLimit, timeLimit, noPrimalFeasible, noDualFeasible, rootNotOptimal,
            stopped, mipGap, noFeasible, noConvergence, instability, invalidData, outOfRange

        var name: String {
            switch self {
            case .ok: "0"
            case .badBasis: "GLP_EBADB"
            case .singular: "GLP_ESING"
            case .illConditioned: "GLP_ECOND"
            case .badBounds: "GLP_EBOUND"
            case .failed: "GLP_EFAIL"
            case .objectiveLowerLimit: "GLP_EOBJLL"
            case .objectiveUpperLimit: "GLP_EOBJUL"
            case .iterationLimit: "GLP_EITLIM"
            case .timeLimit: "GLP_ETMLIM"
            case .noPrimalFeasible: "GLP_ENOPFS"
            case .noDualFeasible: "GLP_ENODFS"
            case .rootNotOptimal: "GLP_EROOT"
            case .stopped: "GLP_ESTOP"
            case .mipGap: "GLP_EMIPGAP"
            case .noFeasible: "GLP_ENOFEAS"
            case .noConvergence: "GLP_ENOCVG"
            case .instability: "GLP_EINSTAB"
            case .invalidData: "GLP_EDATA"
            case .outOfRange: "GLP_ERANGE"
            }
        }
    }

    /// `"GLP_ETMLIM"` for a known code, the number otherwise.
    static func returnName(_ code: Int32) -> String { Return(rawValue: code)?.name ?? "return code \(code)" }
    /// `"GLP_OPT"` for a known status, the number otherwise.
    static func statusName(_ code: Int32) -> String { Status(rawValue: code)?.name ?? "status \(code)" }
}
