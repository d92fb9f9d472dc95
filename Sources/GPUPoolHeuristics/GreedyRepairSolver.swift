import GPUPoolSupport
import GPUPoolModel

/// An LP-free primal heuristic for any ``LinearProgram`` with integer (0-1 or general) columns,
/// for when no exact solver is built in. It never claims optimality, and it says so plainly when
/// it found no feasible point.
///
/// Method (after Luteberget & Sartor's "feasibility jump"):
/// 1. Start every column at the bound its objective prefers (or at the warm start).
/// 2. Repair: pick a few violated rows; for each of their columns compute the value (a "jump"
///    to a breakpoint where one of its rows becomes satisfied, rounded for integer columns) that
///    most reduces the *weighted* total violation; make the best jump. When no jump helps, raise
///    the weights of the violated rows, so the search leaves the local minimum.
/// 3. On a feasible point: record it, improve it by single-column moves that keep every row
///    satisfied, then add an objective cut-off ("be better than the best") as a further weighted
///    row and repair again, until the limits.
///
/// Every reported point is verified with `SolutionChecker` against the row and column bounds
/// (and integrality) before it is returned. Continuous columns are moved the same way, which is
/// weaker than an LP; the heuristic suits models that are mostly integer.
public struct GreedyRepairSolver: LinearProgramSolver {
    /// `"heuristic:greedy-repair"`.
    public var name: String { "heuristic:greedy-repair" }

    /// Default iteration limit when the options set neither a time nor an iteration limit.
    public static let defaultIterationLimit = 200_000

    /// Without a time or an iteration limit, the search also ends once this many iterations pass
    /// without a better point after it found one: a stalled search on a small model otherwise ran
    /// all 200,000 iterations (a 4-column MIP took 9 s in a release build after finding its
    /// optimum in the first few hundred). At least 2,000, and 20 per column and row.
    public static func defaultStallLimit(columns: Int, rows: Int) -> Int {
        max(2_000, 20 * (columns + rows))
    }

    /// With a time limit (and no iteration limit) the search ends once this many iterations pass
    /// without a better point after it found one: 5 times ``defaultStallLimit(columns:rows:)``.
    /// A time limit is a limit, not a target: `x >= 1, x integer` under the service's 60 s default
    /// kept a core busy for all 58 s after finding x = 1 in its first iterations.
    public static func timedStallLimit(columns: Int, rows: Int) -> Int {
        5 * defaultStallLimit(columns: columns, rows: rows)
    }

    /// Stops the search from another thread (as at a time limit); `nil`: only the limits stop it.
    public var stop: SearchStop?

    /// Called on the searching thread with the objective of each better feasible point it finds
    /// (verified by ``SolutionChecker``); `nil` for none.
    public var onImprovement: (@Sendable (Double) -> Void)?

    /// A solver with no settings of its own (limits, seed and warm start come from `SolveOptions`).
    /// - Parameters:
    ///   - stop: a flag that ends the search early from another thread.
    ///   - onImprovement: see ``onImprovement``.
    public init(stop: SearchStop? = nil, onImprovement: (@Sendable (Double) -> Void)? = nil) {
        self.stop = stop
        self.onImprovement = onImprovement
    }

    /// Searches for a feasible, then a better, point within `options`' time and iteration limits
    /// (jumps count as iterations; without either limit ``defaultIterationLimit`` applies, and the
    /// search ends earlier once ``defaultStallLimit(columns:rows:)`` iterations bring no better point;
    /// with a time limit, once ``timedStallLimit(columns:rows:)`` do).
    /// - Throws: `SolverError.invalidModel` when the program does not validate,
    ///   `.invalidOptions` for bad limits or a warm start of the wrong length.
    public func solve(_ program: LinearProgram, options: SolveOptions) throws(SolverError) -> Solution {
        do { try program.validate() } catch { throw .invalidModel(error) }
        try options.validate(columnCount: program.columnCount)
        var search = JumpSearch(program: program, options: options)
        search.budget.stop = stop
        search.onImprovement = onImprovement
        return search.run()
    }
}

/// The state of one greedy-repair run.
private struct JumpSearch {
    let program: LinearProgram
    let options: SolveOptions
    let n: Int, m: Int
    let rows: RowMajorMatrix
    /// Objective in minimisation form.
    let cost: [Double]
    let lower: [Double], upper: [Double]
    let tolerance: Double

    var x: [Double]
    var activity: [Double]
    var weight: [Double]
    var rng: SeededGenerator
    var budget: SearchBudget

    /// Objective cut-off row `cost·x ≤ cutoff` (active once a feasible point is known).
    var cutoff = Double.infinity
    var cutoffWeight = 1.0
    var objectiveValue = 0.0

    var bestX: [Double]? = nil
    var bestObjective = Double.infinity
    /// Iterations without a better point after which the search ends (`nil`: only the limits).
    let stallLimit: Int?
    /// The iteration at which the best point was recorded.
    var improvedAt = 0
    var onImprovement: (@Sendable (Double) -> Void)?

    init(program: LinearProgram, options: SolveOptions) {
        self.program = program
        self.options = options
        n = program.columnCount
        m = program.rowCount
        rows = program.rows()
        let sign: Double = program.sense == .minimize ? 1 : -1
        cost = program.objective.map { sign * $0 }
        lower = program.columnLower
        upper = program.columnUpper
        tolerance = options.tolerance * 0.1
        rng = SeededGenerator(seed: options.seed)
        let iterations = options.iterationLimit
            ?? (options.timeLimit == nil ? GreedyRepairSolver.defaultIterationLimit : nil)
        budget = SearchBudget(timeLimit: options.timeLimit, iterationLimit: iterations)
        stallLimit = options.iterationLimit != nil ? nil
            : options.timeLimit == nil ? GreedyRepairSolver.defaultStallLimit(columns: n, rows: m)
            : GreedyRepairSolver.timedStallLimit(columns: n, rows: m)
        weight = [Double](repeating: 1, count: m)
        var x = [Double](repeating: 0, count: n)
        for j in 0..<n {
            if let start = options.warmStart {
                x[j] = Self.clamp(program.isInteger[j] ? start[j].rounded() : start[j], lower[j], upper[j])
            } else if cost[j] > 0, lower[j].isFinite {
                x[j] = lower[j]
            } else if cost[j] < 0, upper[j].isFinite {
                x[j] = upper[j]
            } else {
                x[j] = Self.clamp(0, lower[j], upper[j])
            }
        }
        self.x = x
        activity = program.matrix.multiply(x)
        objectiveValue = zip(cost, x).reduce(0) { $0 + $1.0 * $1.1 }
    }

    static func clamp(_ value: Double, _ lower: Double, _ upper: Double) -> Double {
        var v = value.isFinite ? value : 0
        if lower.isFinite { v = max(v, lower) }
        if upper.isFinite { v = min(v, upper) }
        return v
    }

    func clamp(_ value: Double, _ j: Int) -> Double { Self.clamp(value, lower[j], upper[j]) }

    @inline(__always) func violation(_ i: Int, _ value: Double) -> Double {
        let lo = program.rowLower[i], hi = program.rowUpper[i]
        if value < lo - tolerance * max(1, abs(lo)) { return lo - value }
        if value > hi + tolerance * max(1, abs(hi)) { return value - hi }
        return 0
    }

    var cutoffViolation: Double {
        cutoff.isFinite && objectiveValue > cutoff ? objectiveValue - cutoff : 0
    }

    func violatedRows() -> [Int] { (0..<m).filter { violation($0, activity[$0]) > 0 } }

    /// The best value for column `j` and how much it lowers the weighted violation.
    func bestJump(_ j: Int) -> (value: Double, gain: Double) {
        let column = program.matrix.column(j)
        let current = x[j]
        var candidates: [Double] = []
        if lower[j].isFinite { candidates.append(lower[j]) }
        if upper[j].isFinite { candidates.append(upper[j]) }
        let integral = program.isInteger[j]
        if !(integral && upper[j] - lower[j] <= 1) {
            func addBreakpoint(_ v: Double) {
                guard v.isFinite else { return }
                if integral {
                    candidates.append(clamp(v.rounded(.down), j))
                    candidates.append(clamp(v.rounded(.up), j))
                } else {
                    candidates.append(clamp(v, j))
                }
            }
            for (r, a) in zip(column.rows, column.values) where a != 0 {
                let i = Int(r)
                let rest = activity[i] - a * current
                addBreakpoint((program.rowLower[i] - rest) / a)
                addBreakpoint((program.rowUpper[i] - rest) / a)
                if candidates.count > 64 { break }
            }
            if cutoff.isFinite, cost[j] != 0 { addBreakpoint((cutoff - (objectiveValue - cost[j] * current)) / cost[j]) }
        }
        func weightedViolation(_ v: Double) -> Double {
            var total = 0.0
            for (r, a) in zip(column.rows, column.values) {
                let i = Int(r)
                total += weight[i] * violation(i, activity[i] + a * (v - current))
            }
            if cutoff.isFinite {
                let value = objectiveValue + cost[j] * (v - current)
                if value > cutoff { total += cutoffWeight * (value - cutoff) }
            }
            return total
        }
        let now = weightedViolation(current)
        var best = current, bestGain = 0.0, bestObjective = 0.0
        for v in candidates where v != current && v.isFinite {
            let gain = now - weightedViolation(v)
            let objectiveChange = cost[j] * (v - current)
            // Ties in violation go to the better objective.
            if gain > bestGain + 1e-12 || (abs(gain - bestGain) <= 1e-12 && gain > 0 && objectiveChange < bestObjective) {
                best = v; bestGain = gain; bestObjective = objectiveChange
            }
        }
        return (best, bestGain)
    }

    mutating func set(_ j: Int, _ value: Double) {
        let delta = value - x[j]
        guard delta != 0 else { return }
        let column = program.matrix.column(j)
        for (r, a) in zip(column.rows, column.values) { activity[Int(r)] += a * delta }
        objectiveValue += cost[j] * delta
        x[j] = value
    }

    /// Single-column moves in the objective's direction that keep every row satisfied.
    mutating func improve() {
        var improved = true
        var passes = 0
        while improved && passes < 50 && !budget.timeIsUp {
            improved = false
            passes += 1
            for j in 0..<n where cost[j] != 0 {
                let direction: Double = cost[j] > 0 ? -1 : 1
                var step = direction < 0 ? x[j] - lower[j] : upper[j] - x[j]
                guard step > 0 else { continue }
                let column = program.matrix.column(j)
                for (r, a) in zip(column.rows, column.values) where a != 0 {
                    let i = Int(r)
                    let change = a * direction  // activity change per unit step
                    let room = change > 0 ? program.rowUpper[i] - activity[i] : activity[i] - program.rowLower[i]
                    step = min(step, max(0, room) / abs(change))
                }
                if program.isInteger[j] { step = step.rounded(.down) }
                guard step.isFinite, step > 0 else { continue }
                set(j, x[j] + direction * step)
                improved = true
            }
        }
    }

    mutating func record() {
        let check = SolutionChecker.check(program, values: x, tolerance: options.tolerance)
        guard check.isFeasible else { return }
        let value = program.objectiveValue(x)
        let minimisation = program.sense == .minimize ? value : -value
        if minimisation < bestObjective {
            bestObjective = minimisation
            bestX = x
            improvedAt = budget.iterations
            onImprovement?(value)
        }
    }

    mutating func run() -> Solution {
        let integralObjective = (0..<n).allSatisfy { cost[$0] == 0 || (program.isInteger[$0] && cost[$0] == cost[$0].rounded()) }
        while budget.next() {
            if let stallLimit, bestX != nil, budget.iterations - improvedAt > stallLimit { break }
            var violated = violatedRows()
            if violated.isEmpty && cutoffViolation == 0 {
                improve()
                record()
                // Ask for a strictly better point next.
                let step = integralObjective ? 1 : max(1e-6, 1e-4 * abs(objectiveValue))
                cutoff = bestObjective.isFinite ? bestObjective - step : objectiveValue - step
                cutoffWeight = 1
                continue
            }
            // Columns of a few violated rows (and of the cut-off when it is violated).
            var columns: [Int] = []
            for _ in 0..<min(4, violated.count) {
                let pick = rng.nextInt(below: violated.count)
                let row = rows[violated[pick]]
                violated.swapAt(pick, violated.count - 1)
                violated.removeLast()
                columns.append(contentsOf: row.columns.map(Int.init))
            }
            if columns.isEmpty || cutoffViolation > 0 && rng.nextInt(below: 2) == 0 {
                for _ in 0..<32 {
                    let j = rng.nextInt(below: max(n, 1))
                    if n > 0, cost[j] != 0 { columns.append(j) }
                }
            }
            var bestColumn = -1, bestValue = 0.0, bestGain = 0.0
            for j in columns.prefix(256) {
                let (value, gain) = bestJump(j)
                if gain > bestGain + 1e-12 { bestColumn = j; bestValue = value; bestGain = gain }
            }
            if bestColumn >= 0 {
                set(bestColumn, bestValue)
            } else {
                // Local minimum of the weighted violation: make the violated rows weigh more.
                for i in 0..<m where violation(i, activity[i]) > 0 { weight[i] += 1 }
                if cutoffViolation > 0 { cutoffWeight += 1 }
            }
        }
        return solution()
    }

    func solution() -> Solution {
        let seconds = budget.elapsedSeconds
        if let bestX {
            let check = SolutionChecker.check(program, values: bestX, tolerance: options.tolerance)
            if check.isFeasible {
                return Solution(
                    termination: .locallySolved, primalStatus: .feasiblePoint, objective: check.objective,
                    values: bestX, rowActivities: check.rowActivities, seconds: seconds,
                    iterations: budget.iterations, solver: "heuristic:greedy-repair",
                    message: "greedy repair heuristic: verified feasible point; optimality not proven")
            }
        }
        let violated = violatedRows()
        let example = violated.first.map { " (e.g. row \(program.rowName($0)))" } ?? ""
        let termination: TerminationStatus = budget.stoppedByTime ? .timeLimit : .iterationLimit
        return Solution(
            termination: termination, primalStatus: .noSolution, seconds: seconds, iterations: budget.iterations,
            solver: "heuristic:greedy-repair",
            message: "greedy repair heuristic found no feasible point within its limits; \(violated.count) rows"
                + " still violated\(example). This proves nothing about the model's feasibility.")
    }
}
