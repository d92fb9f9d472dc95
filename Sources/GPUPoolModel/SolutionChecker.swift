/// One way a point breaks a program.
public struct Violation: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable { case columnBound = "column bound", row, integrality, nonFinite = "non-finite value" }
    public var kind: Kind
    /// Column or row index.
    public var index: Int
    /// Column or row name (generated when the model has none).
    public var name: String
    /// How far outside, in absolute terms.
    public var amount: Double
    /// Readable detail: the value and the bound it breaks.
    public var detail: String

    public var description: String { "\(kind.rawValue) \(name): \(detail) (off by \(amount))" }
}

/// What ``SolutionChecker`` found about a point.
public struct SolutionCheck: Sendable, Hashable {
    /// Largest column-bound violation (0 when none).
    public var maximumBoundViolation: Double
    /// Largest row violation (0 when none).
    public var maximumRowViolation: Double
    /// Largest distance of an integer column from an integer (0 when none).
    public var maximumIntegralityViolation: Double
    /// The objective recomputed from the point.
    public var objective: Double
    /// Row activities `A·x`.
    public var rowActivities: [Double]
    /// The worst violations beyond tolerance, worst first (at most 20).
    public var violations: [Violation]

    /// Whether the point satisfies everything within the tolerance it was checked with.
    public var isFeasible: Bool { violations.isEmpty }
}

/// Verifies any point against a program: bounds, rows, integrality, objective recomputed.
///
/// Used by tests and by every backend before it reports a point (OR-Tools' "verify every
/// solution"). Tolerances are relative to the size of the bound: a violation counts when it exceeds
/// `tolerance · max(1, |bound|)`; integrality uses `integralityTolerance` absolutely.
public enum SolutionChecker {
    public static func check(
        _ program: LinearProgram, values x: [Double], tolerance: Double = 1e-6, integralityTolerance: Double = 1e-5
    ) -> SolutionCheck {
        var found: [Violation] = []
        var worstBound = 0.0, worstRow = 0.0, worstInt = 0.0
        guard x.count == program.columnCount else {
            let v = Violation(kind: .nonFinite, index: 0, name: "point", amount: .infinity, detail: "has \(x.count) values for \(program.columnCount) columns")
            return SolutionCheck(maximumBoundViolation: .infinity, maximumRowViolation: .infinity, maximumIntegralityViolation: .infinity, objective: .nan, rowActivities: [], violations: [v])
        }
        func excess(_ value: Double, _ lo: Double, _ hi: Double) -> (Double, Double) {
            if value < lo { return (lo - value, lo) }
            if value > hi { return (value - hi, hi) }
            return (0, 0)
        }
        for j in 0..<program.columnCount {
            let v = x[j]
            guard v.isFinite else {
                found.append(Violation(kind: .nonFinite, index: j, name: program.columnName(j), amount: .infinity, detail: "value is \(v)"))
                worstBound = .infinity
                continue
            }
            let (amount, bound) = excess(v, program.columnLower[j], program.columnUpper[j])
            worstBound = max(worstBound, amount)
            if amount > tolerance * max(1, abs(bound)) {
                found.append(Violation(kind: .columnBound, index: j, name: program.columnName(j), amount: amount, detail: "value \(v) outside [\(program.columnLower[j]), \(program.columnUpper[j])]"))
            }
            if program.isInteger[j] {
                let frac = abs(v - v.rounded())
                worstInt = max(worstInt, frac)
                if frac > integralityTolerance {
                    found.append(Violation(kind: .integrality, index: j, name: program.columnName(j), amount: frac, detail: "value \(v) is not integral"))
                }
            }
        }
        let activity = program.matrix.multiply(x.map { $0.isFinite ? $0 : 0 })
        for i in 0..<program.rowCount {
            let (amount, bound) = excess(activity[i], program.rowLower[i], program.rowUpper[i])
            worstRow = max(worstRow, amount)
            if amount > tolerance * max(1, abs(bound)) {
                found.append(Violation(kind: .row, index: i, name: program.rowName(i), amount: amount, detail: "activity \(activity[i]) outside [\(program.rowLower[i]), \(program.rowUpper[i])]"))
            }
        }
        found.sort { $0.amount > $1.amount }
        return SolutionCheck(
            maximumBoundViolation: worstBound, maximumRowViolation: worstRow, maximumIntegralityViolation: worstInt,
            objective: program.objectiveValue(x), rowActivities: activity, violations: Array(found.prefix(20))
        )
    }
}
