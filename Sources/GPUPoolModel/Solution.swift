import GPUPoolSupport

/// Why the solver stopped (JuMP's termination status). Read it together with ``PrimalStatus``:
/// a time limit can come with or without a feasible point.
public enum TerminationStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Proven optimal (for MIPs: within the requested relative gap).
    case optimal
    /// Proven infeasible.
    case infeasible
    /// Proven unbounded.
    case unbounded
    /// Infeasible or unbounded; the solver could not tell which.
    case infeasibleOrUnbounded = "infeasible_or_unbounded"
    /// Stopped at the time limit.
    case timeLimit = "time_limit"
    /// Stopped at the iteration limit.
    case iterationLimit = "iteration_limit"
    /// Stopped at the node limit (``SolveOptions/nodeLimit``).
    case nodeLimit = "node_limit"
    /// Stopped after finding as many improving points as ``SolveOptions/solutionLimit`` allows.
    case solutionLimit = "solution_limit"
    /// Stopped because the caller asked it to.
    case interrupted
    /// Numerical trouble, or a reported point failed verification.
    case numericalError = "numerical_error"
    /// Finished without proof, e.g. a heuristic that found a point but no bound.
    case locallySolved = "locally_solved"
    /// Something else went wrong; see ``Solution/message``.
    case otherError = "other_error"
}

/// Whether the solution carries a point, and what is known of it.
public enum PrimalStatus: String, Sendable, Hashable, Codable {
    /// ``Solution/values`` is a point that satisfies every constraint within tolerance.
    case feasiblePoint = "feasible_point"
    /// There is no point.
    case noSolution = "no_solution"
}

/// Whether a solve returned dual values (MathOpt's dual status, reduced to what GLPK reports).
public enum DualStatus: String, Sendable, Hashable, Codable {
    /// ``Solution/duals`` and ``Solution/reducedCosts`` are the duals of the returned LP optimum.
    case feasiblePoint = "feasible_point"
    /// There are no duals.
    case noSolution = "no_solution"
}

/// The result of a solve.
public struct Solution: Sendable, Hashable {
    /// Why the solver stopped.
    public var termination: TerminationStatus
    /// Whether ``values`` is a verified feasible point.
    public var primalStatus: PrimalStatus
    /// Objective value of the point (with the objective constant); `nil` without a point.
    public var objective: Double?
    /// Best proven bound on the optimum (equals ``objective`` for a solved LP); `nil` when unknown.
    public var bestBound: Double?
    /// Column values (empty without a point).
    public var values: [Double]
    /// Row activities `A·x` (empty without a point).
    public var rowActivities: [Double]
    /// Row duals of an LP, by row index (`nil` for MIPs and when not available); see
    /// ``dual(of:)`` for their meaning and sign.
    public var duals: [Double]?
    /// Reduced costs of an LP, by column index (`nil` for MIPs and when not available); see
    /// ``reducedCost(of:)``.
    public var reducedCosts: [Double]?
    /// Wall-clock seconds spent in the solver.
    public var seconds: Double
    /// Simplex or interior-point iterations, when known.
    public var iterations: Int
    /// Branch-and-bound nodes, when known.
    public var nodes: Int
    /// Which solver produced this (e.g. `"GLPK 5.0"`, `"heuristic:tabu"`).
    public var solver: String
    /// A human-readable explanation of non-optimal outcomes or of the method used.
    public var message: String?
    /// The solver's own log, when captured.
    public var log: String

    public init(
        termination: TerminationStatus, primalStatus: PrimalStatus, objective: Double? = nil,
        bestBound: Double? = nil, values: [Double] = [], rowActivities: [Double] = [],
        duals: [Double]? = nil, reducedCosts: [Double]? = nil, seconds: Double = 0,
        iterations: Int = 0, nodes: Int = 0, solver: String, message: String? = nil, log: String = ""
    ) {
        self.termination = termination
        self.primalStatus = primalStatus
        self.objective = objective
        self.bestBound = bestBound
        self.values = values
        self.rowActivities = rowActivities
        self.duals = duals
        self.reducedCosts = reducedCosts
        self.seconds = seconds
        self.iterations = iterations
        self.nodes = nodes
        self.solver = solver
        self.message = message
        self.log = log
    }

    /// Whether a point is available.
    public var hasSolution: Bool { primalStatus == .feasiblePoint }

    /// Relative gap `|objective − bound| / max(1e-10, |objective|)`, when both are known.
    public var relativeGap: Double? {
        guard let objective, let bestBound, objective.isFinite, bestBound.isFinite else { return nil }
        return abs(objective - bestBound) / max(1e-10, abs(objective))
    }

    /// The value of a variable in the point; `nil` when there is no point (infeasible, time limit
    /// without an incumbent, …) or the variable is not a column of the solved model. A host process
    /// must not stop because a solve found nothing, so this never traps.
    public subscript(variable: Variable) -> Double? {
        guard hasSolution, values.indices.contains(variable.index) else { return nil }
        return values[variable.index]
    }

    /// Whether ``duals`` and ``reducedCosts`` are there: GLPK's duals of a solved LP (simplex or
    /// interior point); none for MIPs, the heuristics, or an LP that ended without an optimum.
    public var dualStatus: DualStatus { duals != nil && reducedCosts != nil ? .feasiblePoint : .noSolution }

    /// The dual value (shadow price) of a constraint: the rate at which the objective changes per
    /// unit increase of the constraint's active bound, in the model's own sense — so a binding
    /// `≤` row of a maximisation has a dual ≥ 0 and one of a minimisation ≤ 0, and a row that is not
    /// binding has 0. `nil` without duals (``dualStatus``) or for a constraint of another model.
    /// (GLPK's convention, `glp_get_row_dual`; tested against finite differences of re-solves.)
    public func dual(of constraint: ConstraintRef) -> Double? {
        guard let duals, duals.indices.contains(constraint.index) else { return nil }
        return duals[constraint.index]
    }

    /// The reduced cost of a variable: the rate at which the objective changes per unit increase
    /// of the variable's active bound when it sits at that bound (`cⱼ − yᵀAⱼ`); 0 for a basic
    /// variable. `nil` without duals or for a variable of another model.
    public func reducedCost(of variable: Variable) -> Double? {
        guard let reducedCosts, reducedCosts.indices.contains(variable.index) else { return nil }
        return reducedCosts[variable.index]
    }

    /// The value of an expression at the point; `nil` when there is no point or the expression
    /// names a column the solved model does not have.
    public func value(of expression: LinearExpression) -> Double? {
        guard hasSolution, expression.columns.allSatisfy({ values.indices.contains(Int($0)) }) else { return nil }
        return expression.value(at: values)
    }
}
