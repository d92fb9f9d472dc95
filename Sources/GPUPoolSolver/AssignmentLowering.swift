import GPUPoolHeuristics
import GPUPoolModel

/// An ``AssignmentProblem`` as a 0-1 model, with the map between assignments and columns.
///
/// Columns: `x[item, bin]` (binary) for each eligible pair, then one slack `u[item] ∈ [0, 1]` per
/// optional item. Rows: `Σ_bin x[item, bin] (+ u[item]) = 1` per item, then
/// `Σ_item demand·x ≤ capacity` per bin and dimension. The slack carries the item's penalty in the
/// objective (added when minimising, subtracted when maximising).
struct AssignmentLowering {
    let problem: AssignmentProblem
    private(set) var model: Model
    /// Column of `x[item, bin]` at `item * binCount + bin`, or -1 for an ineligible pair.
    private(set) var column: [Int32]
    /// Slack column per item, or -1 for a mandatory item.
    private(set) var slack: [Int32]

    init(_ problem: AssignmentProblem) {
        self.problem = problem
        let items = problem.itemCount, bins = problem.binCount, dims = problem.dimensionCount
        var model = Model(name: problem.name)
        var column = [Int32](repeating: -1, count: items * bins)
        var pairs = 0
        for i in 0..<items { for b in 0..<bins where problem.isEligible(item: i, bin: b) {
            column[i * bins + b] = Int32(pairs)
            pairs += 1
        } }
        model.addVariables(count: pairs, kind: .binary)
        var slack = [Int32](repeating: -1, count: items)
        for i in 0..<items where !problem.isMandatory(item: i) {
            slack[i] = Int32(model.addVariable(lower: 0, upper: 1).index)
        }
        var objective = [Double](repeating: 0, count: model.variableCount)
        let penaltySign: Double = problem.sense == .minimize ? 1 : -1
        var starts = [0], cols = [Int32](), coefs = [Double](), lower = [Double](), upper = [Double]()
        for i in 0..<items {
            for b in 0..<bins where column[i * bins + b] >= 0 {
                cols.append(column[i * bins + b])
                coefs.append(1)
                objective[Int(column[i * bins + b])] = problem.cost(item: i, bin: b)
            }
            if slack[i] >= 0 {
                cols.append(slack[i])
                coefs.append(1)
                objective[Int(slack[i])] = penaltySign * (problem.unassignedPenalty(item: i) ?? 0)
            }
            starts.append(cols.count)
            lower.append(1)
            upper.append(1)
        }
        for b in 0..<bins {
            for k in 0..<dims {
                for i in 0..<items where column[i * bins + b] >= 0 {
                    let d = problem.demand(item: i, bin: b, dimension: k)
                    if d != 0 {
                        cols.append(column[i * bins + b])
                        coefs.append(d)
                    }
                }
                starts.append(cols.count)
                lower.append(-.infinity)
                upper.append(problem.capacity(bin: b, dimension: k))
            }
        }
        model.addConstraints(rowStarts: starts, columns: cols, coefficients: coefs, lower: lower, upper: upper)
        model.setObjective(problem.sense == .minimize ? .minimize : .maximize, coefficients: objective)
        self.model = model
        self.column = column
        self.slack = slack
    }

    /// The column vector of an assignment (for warm starts).
    func point(for assignment: Assignment) -> [Double] {
        var x = [Double](repeating: 0, count: model.variableCount)
        let bins = problem.binCount
        for i in 0..<problem.itemCount {
            if i < assignment.bins.count, let b = assignment.bins[i], b >= 0, b < bins, column[i * bins + b] >= 0 {
                x[Int(column[i * bins + b])] = 1
            } else if slack[i] >= 0 {
                x[Int(slack[i])] = 1
            }
        }
        return x
    }

    /// The assignment a column vector encodes (`x > 0.5`).
    func assignment(from values: [Double]) -> Assignment {
        let bins = problem.binCount
        var result = [Int?](repeating: nil, count: problem.itemCount)
        for i in 0..<problem.itemCount {
            for b in 0..<bins where column[i * bins + b] >= 0 && values[Int(column[i * bins + b])] > 0.5 {
                result[i] = b
                break
            }
        }
        return Assignment(bins: result)
    }
}
