import GPUPoolSupport
import GPUPoolModel

/// An ``AssignmentProblem`` written as a 0-1 model, with the map between its columns and the
/// problem's items and bins.
///
/// Columns: one binary `x[i,b]` per eligible (item, bin) pair, item-major, then one binary
/// `out[i]` per optional item (1 = left unassigned, at its penalty). Rows: one `assign[i]` per
/// item, `Σ_b x[i,b] (+ out[i]) = 1`, then one `capacity[b,k]` per bin and dimension,
/// `Σ_i demand·x[i,b] ≤ capacity`. The objective is `Σ cost·x` plus (minimising) or minus
/// (maximising) `Σ penalty·out`. A mandatory item with no eligible bin gives an empty
/// `assign` row with bounds 1, which makes the model infeasible, as the problem is.
public struct AssignmentModel: Sendable {
    /// The model; lower it with `model.lowered()`.
    public var model: Model
    /// Number of items of the problem it came from.
    public let itemCount: Int
    /// Number of bins of the problem it came from.
    public let binCount: Int
    /// `pairColumn[item * binCount + bin]`: the column of `x[item, bin]`, or -1 when ineligible.
    let pairColumn: [Int32]
    /// `outColumn[item]`: the column of `out[item]`, or -1 for a mandatory item.
    let outColumn: [Int32]

    init(_ problem: AssignmentProblem) {
        let n = problem.itemCount, m = problem.binCount, d = problem.dimensionCount
        var model = Model(name: problem.name)
        var pairColumn = [Int32](repeating: -1, count: n * m)
        var outColumn = [Int32](repeating: -1, count: n)
        var objective: [Double] = []
        for item in 0..<n {
            for bin in 0..<m where problem.isEligible(item: item, bin: bin) {
                let variable = model.addVariable(kind: .binary, name: "x[\(item),\(bin)]")
                pairColumn[item * m + bin] = Int32(variable.index)
                objective.append(problem.cost(item: item, bin: bin))
            }
        }
        let sign: Double = problem.sense == .minimize ? 1 : -1
        for item in 0..<n {
            if let penalty = problem.unassignedPenalty(item: item) {
                let variable = model.addVariable(kind: .binary, name: "out[\(item)]")
                outColumn[item] = Int32(variable.index)
                objective.append(sign * penalty)
            }
        }

        // Assignment rows.
        var starts = [0], columns: [Int32] = [], coefficients: [Double] = []
        var names: [String?] = []
        for item in 0..<n {
            for bin in 0..<m where pairColumn[item * m + bin] >= 0 {
                columns.append(pairColumn[item * m + bin])
                coefficients.append(1)
            }
            if outColumn[item] >= 0 {
                columns.append(outColumn[item])
                coefficients.append(1)
            }
            starts.append(columns.count)
            names.append("assign[\(item)]")
        }
        model.addConstraints(
            rowStarts: starts, columns: columns, coefficients: coefficients,
            lower: [Double](repeating: 1, count: n), upper: [Double](repeating: 1, count: n), names: names)

        // Capacity rows.
        starts = [0]; columns = []; coefficients = []; names = []
        var upper: [Double] = []
        for bin in 0..<m {
            for k in 0..<d {
                for item in 0..<n where pairColumn[item * m + bin] >= 0 {
                    let demand = problem.demand(item: item, bin: bin, dimension: k)
                    guard demand != 0 else { continue }
                    columns.append(pairColumn[item * m + bin])
                    coefficients.append(demand)
                }
                starts.append(columns.count)
                names.append("capacity[\(bin),\(k)]")
                upper.append(problem.capacity(bin: bin, dimension: k))
            }
        }
        model.addConstraints(
            rowStarts: starts, columns: columns, coefficients: coefficients,
            lower: [Double](repeating: -.infinity, count: upper.count), upper: upper, names: names)
        model.setObjective(problem.sense == .minimize ? .minimize : .maximize, coefficients: objective)

        self.model = model
        self.itemCount = n
        self.binCount = m
        self.pairColumn = pairColumn
        self.outColumn = outColumn
    }

    /// The variable `x[item, bin]`, or `nil` when the pair is ineligible.
    public func variable(item: Int, bin: Int) -> Variable? {
        guard item >= 0, item < itemCount, bin >= 0, bin < binCount else { return nil }
        let column = pairColumn[item * binCount + bin]
        return column >= 0 ? model.variable(at: Int(column)) : nil
    }

    /// The variable `out[item]` of an optional item, or `nil` for a mandatory one.
    public func unassignedVariable(item: Int) -> Variable? {
        guard item >= 0, item < itemCount, outColumn[item] >= 0 else { return nil }
        return model.variable(at: Int(outColumn[item]))
    }

    /// Reads an assignment from column values (`x ≥ 0.5` counts as chosen; with several chosen
    /// bins the first wins, which the checker of the problem then does not see, so pass only
    /// points that satisfy the model).
    public func assignment(from values: [Double]) -> Assignment {
        var bins = [Int?](repeating: nil, count: itemCount)
        guard values.count == model.variableCount else { return Assignment(bins: bins) }
        for item in 0..<itemCount {
            for bin in 0..<binCount {
                let column = pairColumn[item * binCount + bin]
                if column >= 0, values[Int(column)] >= 0.5 {
                    bins[item] = bin
                    break
                }
            }
        }
        return Assignment(bins: bins)
    }

    /// Column values of an assignment, e.g. a warm start for an exact solver. Placements on
    /// ineligible or out-of-range bins are ignored (that item counts as unassigned).
    public func values(of assignment: Assignment) -> [Double] {
        var values = [Double](repeating: 0, count: model.variableCount)
        for item in 0..<min(itemCount, assignment.bins.count) {
            if let bin = assignment.bins[item], bin >= 0, bin < binCount, pairColumn[item * binCount + bin] >= 0 {
                values[Int(pairColumn[item * binCount + bin])] = 1
            } else if outColumn[item] >= 0 {
                values[Int(outColumn[item])] = 1
            }
        }
        return values
    }
}

extension AssignmentModel {
    /// A heuristic result in the shared `Solution` form, verified against the lowered model.
    ///
    /// A feasible result becomes a point (`.optimal` when the heuristic's bound proves it,
    /// `.locallySolved` otherwise) with the bound as `bestBound`; an infeasible one (mandatory
    /// items left out) becomes `.noSolution` with the unplaced items in the message.
    public func solution(from result: HeuristicResult) -> Solution {
        let solver = "heuristic:\(result.name)"
        let values = values(of: result.assignment)
        guard result.feasible, let program = try? model.lowered() else {
            let items = result.unplaced.prefix(5).map(\.description).joined(separator: "; ")
            return Solution(
                termination: result.stoppedByTimeLimit ? .timeLimit : .otherError, primalStatus: .noSolution,
                bestBound: result.bound, seconds: result.seconds, iterations: result.iterations, solver: solver,
                message: "heuristic found no feasible assignment; \(result.unplaced.count) items unplaced: \(items)")
        }
        let check = SolutionChecker.check(program, values: values)
        guard check.isFeasible else {
            return Solution(
                termination: .numericalError, primalStatus: .noSolution, seconds: result.seconds,
                iterations: result.iterations, solver: solver,
                message: "heuristic assignment failed verification: \(check.violations.first?.description ?? "")")
        }
        return Solution(
            termination: result.provenOptimal ? .optimal : .locallySolved, primalStatus: .feasiblePoint,
            objective: check.objective, bestBound: result.bound, values: values, rowActivities: check.rowActivities,
            seconds: result.seconds, iterations: result.iterations, solver: solver,
            message: result.provenOptimal ? "optimal: matches the Lagrangian bound" : "heuristic; optimality not proven")
    }
}

extension AssignmentProblem {
    /// The problem as a 0-1 model (see ``AssignmentModel`` for the layout).
    public func makeModel() -> Model { AssignmentModel(self).model }

    /// The problem as a 0-1 model together with the map between columns and (item, bin) pairs.
    public func makeAssignmentModel() -> AssignmentModel { AssignmentModel(self) }
}
