/// How one lexicographic stage ended, before its proof is judged from value and bound.
///
/// The plan's ``PlanStage/status`` is `optimal` only when a bound meets the value (see
/// Docs/Planning.md); this records *why* the search stopped, for the plan's method line.
enum StageEnd: String, Sendable, Hashable {
    /// The exact model was solved to the end of its search.
    case optimal
    /// The exact model stopped within the relative MIP gap asked for.
    case gapLimit = "gap limit"
    /// The time limit stopped the exact model (its best point and bound are kept).
    case timeLimit = "time limit"
    /// No exact model ran for this stage: the heuristic's value stands.
    case heuristic
    /// The exact solver failed (numerical trouble) and the previous point was kept.
    case solverTrouble = "solver trouble"

    /// Ranking for "the weakest stage": a plan ends as its weakest stage ended.
    var weakness: Int {
        switch self {
        case .optimal: 0
        case .gapLimit: 1
        case .timeLimit: 2
        case .heuristic: 3
        case .solverTrouble: 4
        }
    }
}

/// Proof judgement shared by the planner and its tests: the relative gap of a stage and whether
/// it proves the value optimal.
enum StageProof {
    /// Gap at or below which a bound proves a value optimal (relative to `max(1, |value|)`).
    static let optimalityGap = 1e-6

    /// `|bound − value| / max(1, |value|)`, or `nil` without a bound.
    static func gap(value: Double, bound: Double?) -> Double? {
        guard let bound, bound.isFinite, value.isFinite else { return nil }
        return abs(bound - value) / max(1, abs(value))
    }

    /// `"optimal"` when the bound meets the value, else `"feasible"`.
    static func status(value: Double, bound: Double?) -> PlanStageStatus {
        guard let gap = gap(value: value, bound: bound), gap <= optimalityGap else { return .feasible }
        return .optimal
    }
}
