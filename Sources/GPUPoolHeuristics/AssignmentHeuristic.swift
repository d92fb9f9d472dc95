/// A heuristic for ``AssignmentProblem``s, with its limits and seed.
///
/// ```swift
/// let result = AssignmentHeuristic(method: .tabu, timeLimit: 1, seed: 7).solve(problem)
/// if result.feasible { print(result.objective) }
/// ```
///
/// Every result is checked with the problem's independent ``AssignmentProblem/check(_:)`` before it
/// is returned: the assignment never exceeds a capacity or uses an ineligible bin. Items it could
/// not place are listed in ``HeuristicResult/unplaced`` with the reason.
///
/// Determinism: with the same problem, method, seed and initial assignment the searches make the
/// same moves. They count iterations and read the clock only every few iterations, so a run that
/// ends on ``iterationLimit`` is exactly reproducible; a run that ends on ``timeLimit`` stops at a
/// point that depends on the machine's speed.
public struct AssignmentHeuristic: Sendable, Hashable {
    /// The available heuristics.
    public enum Method: String, Sendable, Codable, CaseIterable {
        /// Martello–Toth regret greedy, best of four desirability measures, plus improving shifts.
        case regret
        /// Greedy over (item, bin) pairs by decreasing saving per unit of relative capacity.
        case ratio
        /// Best-fit decreasing: largest items first, each into the fullest bin it fits.
        case bestFit
        /// Best construction, then descent with shifts, swaps and ejection chains.
        case localSearch
        /// Best construction, then tabu search with shifts and swaps under an adaptive capacity
        /// penalty (strategic oscillation), then a descent polish.
        case tabu
    }

    /// Which heuristic to run.
    public var method: Method
    /// Wall-clock limit in seconds (`nil` = none), for the whole run: 3 % of it is kept for the
    /// steps after the search, and once it is up the constructions skip their optional variants
    /// (very large problems, beyond about a million (item, bin) pairs, may still take longer).
    public var timeLimit: Double?
    /// Iteration limit of the searches (`nil` = none): tabu iterations, or descent passes.
    public var iterationLimit: Int?
    /// Seed of the random choices (ties, tabu tenures, perturbations).
    public var seed: UInt64
    /// A starting point, e.g. the previous plan when re-planning. Placements that are out of range,
    /// ineligible or do not fit any more are dropped (in item order) and re-planned.
    public var initialAssignment: Assignment?

    /// A heuristic configuration. The default (tabu, 1 s) suits problems up to a few thousand items.
    public init(
        method: Method = .tabu, timeLimit: Double? = 1, iterationLimit: Int? = nil, seed: UInt64 = 0,
        initialAssignment: Assignment? = nil
    ) {
        self.method = method
        self.timeLimit = timeLimit
        self.iterationLimit = iterationLimit
        self.seed = seed
        self.initialAssignment = initialAssignment
    }

    /// Runs the heuristic on `problem`.
    public func solve(_ problem: AssignmentProblem) -> HeuristicResult {
        let instance = SearchInstance(problem)
        var budget = SearchBudget(timeLimit: timeLimit, iterationLimit: iterationLimit)
        let start = Construction.warmStart(instance, initialAssignment)
        var state: SearchState
        var bound = -Double.infinity
        switch method {
        case .regret:
            let constructions = Self.constructions(instance, start, all: false, budget: budget)
            state = constructions.best
            bound = constructions.bound
        case .ratio:
            state = Construction.ratio(instance, from: start)
            Construction.finishOptional(instance, &state)
        case .bestFit:
            state = Construction.bestFit(instance, from: start)
            Construction.finishOptional(instance, &state)
        case .localSearch:
            let constructions = Self.constructions(instance, start, budget: budget)
            state = constructions.best
            bound = constructions.bound
            LocalSearch.descend(instance, &state, budget: &budget)
        case .tabu:
            let constructions = Self.constructions(instance, start, budget: budget)
            bound = constructions.bound
            let search = TabuSearch(instance: instance, seed: seed)
            // Start from the Lagrangian-priced regret solution, the one closest to the LP optimum,
            // even when it misses a few items: the search places them.
            let (found, feasible) = search.run(
                from: constructions.priced ?? constructions.best, budget: &budget,
                stopAt: Self.provablyOptimalCost(bound, instance))
            state = found
            if !feasible {
                Repair.makeWithinCapacity(instance, &state)
                if Self.isBetter(constructions.best, than: state, instance) { state = constructions.best }
            }
            // A short descent in feasible space: cheap, and it also places what it can of what is missing.
            var polish = budget.finalPhase(iterations: 5)
            LocalSearch.descend(instance, &state, budget: &polish, chains: false)
        }
        Construction.finishOptional(instance, &state)
        return Self.result(problem, instance, state, method: method, budget: budget, bound: bound)
    }

    /// The largest cost that the Lagrangian bound proves optimal (minimisation form): with
    /// whole-number costs any cost below the bound rounded up, otherwise the bound itself.
    static func provablyOptimalCost(_ bound: Double, _ instance: SearchInstance) -> Double {
        guard bound.isFinite, instance.impossible.isEmpty else { return -.infinity }
        if instance.integralCosts { return (bound - 1e-6 * max(1, abs(bound))).rounded(.up) + 0.5 }
        return bound + 1e-9 * max(1, abs(bound))
    }

    // MARK: Steps

    /// Fewer missing mandatory items first, then lower cost.
    static func isBetter(_ a: SearchState, than b: SearchState, _ instance: SearchInstance) -> Bool {
        let missingA = a.missingCount(instance), missingB = b.missingCount(instance)
        if missingA != missingB { return missingA < missingB }
        return a.cost < b.cost - 1e-9 * max(1, abs(b.cost))
    }

    /// The outcome of the constructions: the best one (fewest missing items, then cost), the
    /// regret solution under Lagrangian prices and the Lagrangian lower bound (minimisation form).
    struct Constructions {
        var best: SearchState
        var priced: SearchState?
        var bound: Double
    }

    /// Runs the constructions, most useful first, skipping the rest once the time is up: the
    /// regret heuristic with saving per capacity (its cost aims the subgradient steps), the
    /// Lagrangian prices and the priced regret, then the other regret measures and, when `all`
    /// is set, ratio greedy and best fit.
    static func constructions(
        _ instance: SearchInstance, _ start: SearchState, all: Bool = true, budget: SearchBudget
    ) -> Constructions {
        var best: SearchState? = nil
        func consider(_ built: SearchState) -> SearchState {
            var state = built
            Construction.improveByShifts(instance, &state)
            Construction.finishOptional(instance, &state)
            if best == nil || isBetter(state, than: best!, instance) { best = state }
            return state
        }
        _ = consider(Construction.regret(instance, from: start, measure: .savingPerCapacity))
        var priced: SearchState? = nil
        var bound = -Double.infinity
        if !budget.timeIsUp {
            let upper = best.flatMap { $0.missingCount(instance) == 0 ? $0.cost : nil } ?? .infinity
            let lagrangian = LagrangianGuide.prices(instance, upperBound: upper, budget: budget)
            bound = lagrangian.bound
            priced = consider(Construction.regret(instance, from: start, measure: .pricedCost, prices: lagrangian.prices))
        }
        for measure in [Desirability.cost, .demand, .relativeDemand] where !budget.timeIsUp {
            _ = consider(Construction.regret(instance, from: start, measure: measure))
        }
        if all && !budget.timeIsUp { _ = consider(Construction.ratio(instance, from: start)) }
        if all && !budget.timeIsUp { _ = consider(Construction.bestFit(instance, from: start)) }
        return Constructions(best: best ?? start, priced: priced, bound: bound)
    }

    /// Converts, verifies and explains the final state.
    static func result(
        _ problem: AssignmentProblem, _ instance: SearchInstance, _ state: SearchState, method: Method,
        budget: SearchBudget, bound: Double
    ) -> HeuristicResult {
        var assignment = Assignment(bins: state.binOf.map { bin in
            bin >= 0 && Int(bin) < instance.realBinCount ? Int(bin) : nil
        })
        // Never report a broken assignment: the independent checker has the last word.
        var dropped = false
        for violation in problem.check(assignment) {
            switch violation {
            case let .binOutOfRange(item, _), let .ineligible(item, _):
                assignment.bins[item] = nil
                dropped = true
            case let .capacityExceeded(bin, _, _, _):
                if let item = assignment.bins.lastIndex(where: { $0 == bin }) {
                    assignment.bins[item] = nil
                    dropped = true
                }
            case .mandatoryUnassigned, .wrongItemCount:
                break
            }
        }
        if dropped {
            // Unreachable unless a search has a bug; repeat until the checker agrees.
            while case let .capacityExceeded(bin, _, _, _)? = problem.check(assignment).first(where: {
                if case .capacityExceeded = $0 { return true } else { return false }
            }) {
                guard let item = assignment.bins.lastIndex(where: { $0 == bin }) else { break }
                assignment.bins[item] = nil
            }
        }
        var unplaced: [UnplacedItem] = []
        for item in 0..<problem.itemCount where assignment.bins[item] == nil {
            let reason: UnplacedReason
            if let known = instance.impossible[item] {
                reason = known
            } else {
                reason = problem.isMandatory(item: item) ? .capacityExhausted : .leftOutByChoice
            }
            unplaced.append(UnplacedItem(item: item, reason: reason))
        }
        let violations = problem.check(assignment)
        let objective = problem.objective(of: assignment)
        // The bound is in minimisation form; only meaningful when every item can be placed somewhere.
        let reportedBound: Double? = bound.isFinite && instance.impossible.isEmpty
            ? (problem.sense == .minimize ? bound : -bound) : nil
        let minimisationCost = problem.sense == .minimize ? objective : -objective
        let proven = violations.isEmpty && bound.isFinite && minimisationCost <= provablyOptimalCost(bound, instance)
        return HeuristicResult(
            assignment: assignment,
            objective: objective,
            feasible: violations.isEmpty,
            bound: reportedBound,
            provenOptimal: proven,
            unplaced: unplaced,
            seconds: budget.elapsedSeconds,
            iterations: budget.iterations,
            name: method.rawValue,
            stoppedByTimeLimit: budget.stoppedByTime)
    }
}
