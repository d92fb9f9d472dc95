/// An affine expression `Σ aⱼ·xⱼ + constant` over the variables of one model.
///
/// Build it with ordinary operators (`2 * x + y - 3`) or, for many terms, with
/// ``init(terms:constant:)`` and ``Swift/Sequence/sum()``. Terms are stored as parallel
/// arrays; repeated variables are kept as separate terms and summed when the model is lowered.
public struct LinearExpression: Sendable {
    /// Column indices of the terms.
    package private(set) var columns: [Int32]
    /// Coefficients of the terms, parallel to ``columns``.
    package private(set) var coefficients: [Double]
    /// The constant term.
    public var constant: Double
    /// The model whose variables appear here: `0` for none yet, ``LinearExpression/mixedModels`` when
    /// variables of different models were combined (reported when the expression is used).
    package private(set) var modelID: UInt64

    /// Marker for an expression that mixes variables of different models.
    public static let mixedModels: UInt64 = .max

    /// A constant expression.
    public init(_ constant: Double = 0) {
        columns = []
        coefficients = []
        self.constant = constant
        modelID = 0
    }

    /// The expression `1 · variable`.
    public init(_ variable: Variable) {
        columns = [Int32(truncatingIfNeeded: variable.index)]
        coefficients = [1]
        constant = 0
        modelID = variable.modelID
    }

    /// An expression from `(variable, coefficient)` pairs.
    public init<S: Sequence>(terms: S, constant: Double = 0) where S.Element == (Variable, Double) {
        self.init(constant)
        for (variable, coefficient) in terms { add(coefficient, variable) }
    }

    /// Number of stored terms (repeated variables count once per occurrence).
    public var termCount: Int { columns.count }

    /// Adds `coefficient · variable` in place.
    public mutating func add(_ coefficient: Double, _ variable: Variable) {
        columns.append(Int32(truncatingIfNeeded: variable.index))
        coefficients.append(coefficient)
        merge(modelID: variable.modelID)
        if variable.index > Int(Int32.max) { modelID = Self.mixedModels }
    }

    /// Adds `scale · other` in place.
    public mutating func add(_ other: LinearExpression, scale: Double = 1) {
        columns.append(contentsOf: other.columns)
        if scale == 1 {
            coefficients.append(contentsOf: other.coefficients)
        } else {
            coefficients.append(contentsOf: other.coefficients.lazy.map { $0 * scale })
        }
        constant += scale * other.constant
        merge(modelID: other.modelID)
    }

    /// Reserves room for `count` more terms.
    public mutating func reserveCapacity(_ count: Int) {
        columns.reserveCapacity(columns.count + count)
        coefficients.reserveCapacity(coefficients.count + count)
    }

    /// Evaluates the expression at a point given by column values.
    public func value(at values: [Double]) -> Double {
        var total = constant
        for k in columns.indices { total += coefficients[k] * values[Int(columns[k])] }
        return total
    }

    private mutating func merge(modelID other: UInt64) {
        if other == 0 || other == modelID { return }
        modelID = modelID == 0 ? other : Self.mixedModels
    }
}

// MARK: - Operators

extension Variable {
    public static prefix func - (v: Variable) -> LinearExpression { -1 * v }
    public static func * (lhs: Double, rhs: Variable) -> LinearExpression {
        var e = LinearExpression()
        e.add(lhs, rhs)
        return e
    }
    public static func * (lhs: Variable, rhs: Double) -> LinearExpression { rhs * lhs }
    public static func + (lhs: Variable, rhs: Variable) -> LinearExpression { LinearExpression(lhs) + rhs }
    public static func - (lhs: Variable, rhs: Variable) -> LinearExpression { LinearExpression(lhs) - rhs }
    public static func + (lhs: Variable, rhs: Double) -> LinearExpression { LinearExpression(lhs) + rhs }
    public static func - (lhs: Variable, rhs: Double) -> LinearExpression { LinearExpression(lhs) - rhs }
    public static func + (lhs: Double, rhs: Variable) -> LinearExpression { LinearExpression(rhs) + lhs }
    public static func - (lhs: Double, rhs: Variable) -> LinearExpression { lhs - LinearExpression(rhs) }
}

extension LinearExpression {
    public static prefix func - (e: LinearExpression) -> LinearExpression { -1 * e }

    public static func * (lhs: Double, rhs: LinearExpression) -> LinearExpression {
        var e = LinearExpression(0)
        e.add(rhs, scale: lhs)
        return e
    }
    public static func * (lhs: LinearExpression, rhs: Double) -> LinearExpression { rhs * lhs }
    public static func / (lhs: LinearExpression, rhs: Double) -> LinearExpression { (1 / rhs) * lhs }

    public static func + (lhs: LinearExpression, rhs: LinearExpression) -> LinearExpression {
        var e = lhs
        e.add(rhs)
        return e
    }
    public static func - (lhs: LinearExpression, rhs: LinearExpression) -> LinearExpression {
        var e = lhs
        e.add(rhs, scale: -1)
        return e
    }
    public static func + (lhs: LinearExpression, rhs: Variable) -> LinearExpression {
        var e = lhs
        e.add(1, rhs)
        return e
    }
    public static func - (lhs: LinearExpression, rhs: Variable) -> LinearExpression {
        var e = lhs
        e.add(-1, rhs)
        return e
    }
    public static func + (lhs: Variable, rhs: LinearExpression) -> LinearExpression { rhs + lhs }
    public static func - (lhs: Variable, rhs: LinearExpression) -> LinearExpression { LinearExpression(lhs) - rhs }
    public static func + (lhs: LinearExpression, rhs: Double) -> LinearExpression {
        var e = lhs
        e.constant += rhs
        return e
    }
    public static func - (lhs: LinearExpression, rhs: Double) -> LinearExpression { lhs + (-rhs) }
    public static func + (lhs: Double, rhs: LinearExpression) -> LinearExpression { rhs + lhs }
    public static func - (lhs: Double, rhs: LinearExpression) -> LinearExpression { -rhs + lhs }

    public static func += (lhs: inout LinearExpression, rhs: LinearExpression) { lhs.add(rhs) }
    public static func += (lhs: inout LinearExpression, rhs: Variable) { lhs.add(1, rhs) }
    public static func += (lhs: inout LinearExpression, rhs: Double) { lhs.constant += rhs }
    public static func -= (lhs: inout LinearExpression, rhs: LinearExpression) { lhs.add(rhs, scale: -1) }
    public static func -= (lhs: inout LinearExpression, rhs: Variable) { lhs.add(-1, rhs) }
    public static func -= (lhs: inout LinearExpression, rhs: Double) { lhs.constant -= rhs }
}

extension Sequence where Element == LinearExpression {
    /// The sum of the expressions.
    public func sum() -> LinearExpression {
        var total = LinearExpression()
        for e in self { total.add(e) }
        return total
    }
}

extension Sequence where Element == Variable {
    /// The sum of the variables, each with coefficient 1.
    public func sum() -> LinearExpression {
        var total = LinearExpression()
        total.reserveCapacity(underestimatedCount)
        for v in self { total.add(1, v) }
        return total
    }
}
