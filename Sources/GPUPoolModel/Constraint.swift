/// A linear constraint `lower ≤ expression ≤ upper`, produced by `<=`, `>=` and `==`
/// between expressions, variables and numbers, or by ``init(_:in:)`` for a range.
///
/// Swift's comparison operators do not chain, so a ranged row `lo ≤ e ≤ hi` is written
/// `LinearConstraint(e, in: lo...hi)` (or `model.addConstraint(e, in: lo...hi)`).
public struct LinearConstraint: Sendable {
    /// The variable part; its constant is moved into the bounds.
    public var expression: LinearExpression
    /// Lower bound on the expression (`-.infinity` for none).
    public var lower: Double
    /// Upper bound on the expression (`.infinity` for none).
    public var upper: Double

    /// `lower ≤ expression ≤ upper`; the expression's constant moves into the bounds.
    public init(_ expression: LinearExpression, lower: Double, upper: Double) {
        var e = expression
        let shift = e.constant
        e.constant = 0
        self.expression = e
        self.lower = lower - shift
        self.upper = upper - shift
    }

    /// `range.lowerBound ≤ expression ≤ range.upperBound`.
    public init(_ expression: LinearExpression, in range: ClosedRange<Double>) {
        self.init(expression, lower: range.lowerBound, upper: range.upperBound)
    }
}

public func <= (lhs: LinearExpression, rhs: LinearExpression) -> LinearConstraint {
    LinearConstraint(lhs - rhs, lower: -.infinity, upper: 0)
}
public func >= (lhs: LinearExpression, rhs: LinearExpression) -> LinearConstraint {
    LinearConstraint(lhs - rhs, lower: 0, upper: .infinity)
}
public func == (lhs: LinearExpression, rhs: LinearExpression) -> LinearConstraint {
    LinearConstraint(lhs - rhs, lower: 0, upper: 0)
}
public func <= (lhs: LinearExpression, rhs: Double) -> LinearConstraint {
    LinearConstraint(lhs, lower: -.infinity, upper: rhs)
}
public func >= (lhs: LinearExpression, rhs: Double) -> LinearConstraint {
    LinearConstraint(lhs, lower: rhs, upper: .infinity)
}
public func == (lhs: LinearExpression, rhs: Double) -> LinearConstraint {
    LinearConstraint(lhs, lower: rhs, upper: rhs)
}
public func <= (lhs: Double, rhs: LinearExpression) -> LinearConstraint { rhs >= lhs }
public func >= (lhs: Double, rhs: LinearExpression) -> LinearConstraint { rhs <= lhs }
public func == (lhs: Double, rhs: LinearExpression) -> LinearConstraint { rhs == lhs }
public func <= (lhs: Variable, rhs: Double) -> LinearConstraint { LinearExpression(lhs) <= rhs }
public func >= (lhs: Variable, rhs: Double) -> LinearConstraint { LinearExpression(lhs) >= rhs }
public func == (lhs: Variable, rhs: Double) -> LinearConstraint { LinearExpression(lhs) == rhs }
public func <= (lhs: Variable, rhs: Variable) -> LinearConstraint { LinearExpression(lhs) <= LinearExpression(rhs) }
public func >= (lhs: Variable, rhs: Variable) -> LinearConstraint { LinearExpression(lhs) >= LinearExpression(rhs) }
public func <= (lhs: LinearExpression, rhs: Variable) -> LinearConstraint { lhs <= LinearExpression(rhs) }
public func >= (lhs: LinearExpression, rhs: Variable) -> LinearConstraint { lhs >= LinearExpression(rhs) }
public func == (lhs: LinearExpression, rhs: Variable) -> LinearConstraint { lhs == LinearExpression(rhs) }
public func <= (lhs: Variable, rhs: LinearExpression) -> LinearConstraint { LinearExpression(lhs) <= rhs }
public func >= (lhs: Variable, rhs: LinearExpression) -> LinearConstraint { LinearExpression(lhs) >= rhs }
public func == (lhs: Variable, rhs: LinearExpression) -> LinearConstraint { LinearExpression(lhs) == rhs }

/// A handle to a row of one ``Model``.
public struct ConstraintRef: Hashable, Sendable {
    /// Identity of the model that holds the row.
    public let modelID: UInt64
    /// Zero-based row index (also the row of the lowered ``LinearProgram``).
    public let index: Int
}

/// Whether the objective is minimized or maximized.
public enum ObjectiveSense: String, Sendable, Hashable, Codable {
    case minimize
    case maximize
}
