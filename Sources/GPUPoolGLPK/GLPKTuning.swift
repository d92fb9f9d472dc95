/// GLPK-specific choices that ``SolveOptions`` does not cover.
///
/// The defaults measured best here (GLPK 5.0, cuts on, MIP presolver on): on OR-Library gap8–12
/// (25 problems) pseudo-cost branching proved all optima in 12.4–12.7 s against 16–17 s with
/// GLPK's default Driebeck–Tomlin; on the shared MIPLIB instances pseudo-cost with best-projection
/// backtracking was fastest (1.3 s for the 11 solved) and the only pseudo-cost choice that found
/// an incumbent for sp150x300d within 30 s.
public struct GLPKTuning: Sendable, Hashable {
    /// How branch-and-cut picks the variable to branch on (GLPK's `br_tech`).
    public enum Branching: String, Sendable, Hashable, CaseIterable {
        /// First fractional variable.
        case firstFractional
        /// Last fractional variable.
        case lastFractional
        /// Most fractional variable.
        case mostFractional
        /// Driebeck–Tomlin heuristic (GLPK's default).
        case driebeckTomlin
        /// Hybrid pseudo-cost heuristic.
        case pseudoCost
    }

    /// Which open node branch-and-cut continues from (GLPK's `bt_tech`).
    public enum Backtracking: String, Sendable, Hashable, CaseIterable {
        /// Depth first.
        case depthFirst
        /// Breadth first.
        case breadthFirst
        /// Node with the best local bound.
        case bestBound
        /// Best projection heuristic (GLPK's default).
        case bestProjection
    }

    /// Branching rule for MIPs.
    public var branching: Branching
    /// Node selection for MIPs.
    public var backtracking: Backtracking
    /// Whether to run GLPK's feasibility pump before branching.
    public var feasibilityPump: Bool
    /// Most bytes of GLPK output kept in ``Solution/log`` (the tail is kept).
    public var logLimit: Int

    /// - Parameters:
    ///   - branching: branching rule (default: pseudo-cost; Driebeck–Tomlin on programs over
    ///     ``pseudoCostColumnLimit`` columns).
    ///   - backtracking: node selection (default: best projection).
    ///   - feasibilityPump: run the feasibility pump (default off).
    ///   - logLimit: bytes of log kept (default 1 MiB).
    public init(
        branching: Branching = .pseudoCost, backtracking: Backtracking = .bestProjection,
        feasibilityPump: Bool = false, logLimit: Int = 1 << 20
    ) {
        self.branching = branching
        self.backtracking = backtracking
        self.feasibilityPump = feasibilityPump
        self.logLimit = logLimit
    }

    /// Programs with more columns than this branch by Driebeck–Tomlin when pseudo-cost is asked for.
    ///
    /// Why: GLPK starts each column's pseudo-cost by strong branching, and does it on a full copy of
    /// the problem (copied, scaled, factorised, then up to 30 dual iterations) for every fractional
    /// column, down and up, without looking at the time limit. On a 39,000-column placement MIP one
    /// node took 7 s that way, so a 3.7 s limit ended after 11 s; Driebeck–Tomlin reads the same
    /// basis without copying anything.
    public static let pseudoCostColumnLimit = 5_000

    /// GLPK's `GLP_BR_*` value for a program with `columns` columns.
    func branchingCode(columns: Int) -> Int32 {
        branching == .pseudoCost && columns > Self.pseudoCostColumnLimit ? 4 : branchingCode
    }

    /// GLPK's `GLP_BR_*` value.
    var branchingCode: Int32 {
        switch branching {
        case .firstFractional: 1
        case .lastFractional: 2
        case .mostFractional: 3
        case .driebeckTomlin: 4
        case .pseudoCost: 5
        }
    }

    /// GLPK's `GLP_BT_*` value.
    var backtrackingCode: Int32 {
        switch backtracking {
        case .depthFirst: 1
        case .breadthFirst: 2
        case .bestBound: 3
        case .bestProjection: 4
        }
    }
}
