// The checker is deliberately written from the problem's definition alone: it shares no code
// with the heuristics (their internal instance, load bookkeeping or tolerances), so a bug there
// cannot hide itself here.

extension AssignmentProblem {
    /// Relative tolerance of the capacity check: a load may exceed its capacity by at most
    /// `capacityTolerance × max(1, |capacity|)` (absorbs floating-point summation error).
    public static let capacityTolerance = 1e-9

    /// Objective value of `assignment`: the sum of the costs (profits) of assigned items plus,
    /// when minimising, the penalties of unassigned optional items (minus them when maximising).
    ///
    /// Mandatory unassigned items and out-of-range or ineligible placements contribute nothing;
    /// use ``check(_:)`` to find those.
    public func objective(of assignment: Assignment) -> Double {
        var total = 0.0
        let sign: Double = sense == .minimize ? 1 : -1
        for item in 0..<min(itemCount, assignment.bins.count) {
            if let bin = assignment.bins[item] {
                if bin >= 0, bin < binCount, eligible[item * binCount + bin] {
                    total += costs[item * binCount + bin]
                }
            } else if let penalty = penalties[item] {
                total += sign * penalty
            }
        }
        return total
    }

    /// Every violation of `assignment` against this problem (empty when it is feasible):
    /// item count, bin range, eligibility, mandatory items left out and capacity per bin
    /// and dimension (with ``capacityTolerance``).
    public func check(_ assignment: Assignment) -> [AssignmentViolation] {
        guard assignment.bins.count == itemCount else {
            return [.wrongItemCount(expected: itemCount, found: assignment.bins.count)]
        }
        var violations: [AssignmentViolation] = []
        var loads = [[Double]](repeating: [Double](repeating: 0, count: dimensionCount), count: binCount)
        for item in 0..<itemCount {
            guard let bin = assignment.bins[item] else {
                if penalties[item] == nil { violations.append(.mandatoryUnassigned(item: item)) }
                continue
            }
            guard bin >= 0, bin < binCount else {
                violations.append(.binOutOfRange(item: item, bin: bin))
                continue
            }
            if !isEligible(item: item, bin: bin) { violations.append(.ineligible(item: item, bin: bin)) }
            for dimension in 0..<dimensionCount {
                loads[bin][dimension] += demand(item: item, bin: bin, dimension: dimension)
            }
        }
        for bin in 0..<binCount {
            for dimension in 0..<dimensionCount {
                let limit = capacity(bin: bin, dimension: dimension)
                let load = loads[bin][dimension]
                if load > limit + Self.capacityTolerance * max(1, abs(limit)) {
                    violations.append(.capacityExceeded(bin: bin, dimension: dimension, load: load, capacity: limit))
                }
            }
        }
        return violations
    }

    /// Whether `assignment` satisfies every constraint (``check(_:)`` is empty).
    public func isFeasible(_ assignment: Assignment) -> Bool { check(assignment).isEmpty }
}
