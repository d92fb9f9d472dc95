import Foundation
import GPUPoolModel
import GPUPoolSupport
import GPUPoolTestSupport
import Testing

@testable import GPUPoolGLPK

#if GLPK

// Oracle tests for `GLPKSession`, written from its documentation: after every batch of edits a
// warm session solve must agree with a cold `GLPKSolver` solve of the same edited program, and
// its point must be feasible by a check written here (not the package's `SolutionChecker`).

// MARK: - Helpers

/// Seeded randomness for the session oracles.
struct SessionRandom {
    var g: SeededGenerator
    init(seed: UInt64) { g = SeededGenerator(seed: seed) }
    mutating func int(_ r: ClosedRange<Int>) -> Int { g.nextInt(in: r) }
    mutating func chance(_ p: Double) -> Bool { g.nextDouble() < p }
    mutating func pick<T>(_ xs: [T]) -> T { xs[g.nextInt(below: xs.count)] }
    mutating func distinct(_ count: Int, of n: Int) -> [Int] {
        var xs = Array(0..<n)
        if n > 1 { for i in stride(from: n - 1, to: 0, by: -1) { xs.swapAt(i, g.nextInt(in: 0...i)) } }
        return Array(xs.prefix(count))
    }
    mutating func nonzero(_ bound: Int) -> Double { Double(chance(0.5) ? int(1...bound) : -int(1...bound)) }
}

/// The dense matrix of `program` (rows × columns), read from its CSC arrays.
func denseMatrix(_ program: LinearProgram) -> [[Double]] {
    var a = Array(repeating: Array(repeating: 0.0, count: program.columnCount), count: program.rowCount)
    let m = program.matrix
    for j in 0..<program.columnCount {
        for k in m.columnStarts[j]..<m.columnStarts[j + 1] { a[Int(m.rowIndices[k])][j] += m.values[k] }
    }
    return a
}

/// Every way `x` fails `program` (bounds, rows, integrality, within `tolerance` scaled by the
/// bound's size), checked here from the dense matrix.
func feasibilityProblems(_ program: LinearProgram, _ x: [Double], tolerance: Double = 1e-6) -> [String] {
    guard x.count == program.columnCount else { return ["\(x.count) values for \(program.columnCount) columns"] }
    var out: [String] = []
    func slack(_ b: Double) -> Double { tolerance * max(1, abs(b)) }
    for j in 0..<program.columnCount {
        if !x[j].isFinite { out.append("x\(j) = \(x[j])") }
        if x[j] < program.columnLower[j] - slack(program.columnLower[j]) { out.append("x\(j) = \(x[j]) < \(program.columnLower[j])") }
        if x[j] > program.columnUpper[j] + slack(program.columnUpper[j]) { out.append("x\(j) = \(x[j]) > \(program.columnUpper[j])") }
        if program.isInteger[j] && abs(x[j] - x[j].rounded()) > tolerance { out.append("x\(j) = \(x[j]) not integral") }
    }
    let a = denseMatrix(program)
    for i in 0..<program.rowCount {
        let activity = zip(a[i], x).reduce(0.0) { $0 + $1.0 * $1.1 }
        if activity < program.rowLower[i] - slack(program.rowLower[i]) { out.append("row \(i): \(activity) < \(program.rowLower[i])") }
        if activity > program.rowUpper[i] + slack(program.rowUpper[i]) { out.append("row \(i): \(activity) > \(program.rowUpper[i])") }
    }
    return out
}

func objectiveAt(_ program: LinearProgram, _ x: [Double]) -> Double {
    zip(program.objective, x).reduce(program.objectiveConstant) { $0 + $1.0 * $1.1 }
}

func sameValue(_ a: Double?, _ b: Double?, relative: Double = 1e-6) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return abs(a - b) <= relative * max(1, abs(a), abs(b))
}


/// Random programs that stay feasible and bounded: every column has finite bounds, and a
/// reference point `x0` is kept inside every column and row bound through the edits.
struct FeasibleProgramWalk {
    var program: LinearProgram
    var x0: [Double]
    var r: SessionRandom
    let mip: Bool
    var serial = 0

    init(seed: UInt64, mip: Bool, rows: ClosedRange<Int> = 2...6, columns: ClosedRange<Int> = 3...8) throws {
        var r = SessionRandom(seed: seed)
        self.mip = mip
        let m = r.int(rows), n = r.int(columns)
        var lower: [Double] = [], upper: [Double] = [], x0: [Double] = [], isInteger: [Bool] = []
        for _ in 0..<n {
            let (l, u, x) = Self.box(&r, mip: mip)
            lower.append(l)
            upper.append(u)
            x0.append(x)
            isInteger.append(mip && r.chance(0.6))
        }
        var a = Array(repeating: Array(repeating: 0.0, count: n), count: m)
        for i in 0..<m { for j in 0..<n where r.chance(0.55) { a[i][j] = r.nonzero(6) } }
        var rowLower: [Double] = [], rowUpper: [Double] = []
        for i in 0..<m {
            let activity = zip(a[i], x0).reduce(0.0) { $0 + $1.0 * $1.1 }
            let (l, u) = Self.rowBounds(around: activity, &r)
            rowLower.append(l)
            rowUpper.append(u)
        }
        var starts = [0], rowIndices: [Int32] = [], values: [Double] = []
        for j in 0..<n {
            for i in 0..<m where a[i][j] != 0 {
                rowIndices.append(Int32(i))
                values.append(a[i][j])
            }
            starts.append(values.count)
        }
        let objective = (0..<n).map { _ in Double(r.int(-6...6)) }
        program = LinearProgram(
            sense: r.chance(0.5) ? .minimize : .maximize, objective: objective, objectiveConstant: Double(r.int(-5...5)),
            matrix: SparseMatrix(rowCount: m, columnCount: n, columnStarts: starts, rowIndices: rowIndices, values: values),
            rowLower: rowLower, rowUpper: rowUpper, columnLower: lower, columnUpper: upper, isInteger: isInteger)
        self.x0 = x0
        self.r = r
        try program.validate()
    }

    /// Finite column bounds and a point inside; integral for a MIP.
    static func box(_ r: inout SessionRandom, mip: Bool) -> (Double, Double, Double) {
        let step = mip ? 1.0 : 0.5
        let l = Double(r.int(-6...2)) * step
        let u = l + Double(r.int(1...10)) * step
        let x = l + Double(r.int(0...Int((u - l) / step))) * step
        return (l, u, x)
    }

    /// Row bounds containing `activity`: ≤, ≥, a range, or (rarely) an equality.
    static func rowBounds(around activity: Double, _ r: inout SessionRandom) -> (Double, Double) {
        let s1 = Double(r.int(0...6)), s2 = Double(r.int(0...6))
        switch r.int(0...6) {
        case 0, 1: return (-.infinity, activity + s1)
        case 2, 3: return (activity - s1, .infinity)
        case 4, 5: return (activity - s1, activity + s2)
        default: return (activity, activity)
        }
    }

    func activity(_ program: LinearProgram, row i: Int) -> Double {
        zip(denseMatrix(program)[i], x0).reduce(0.0) { $0 + $1.0 * $1.1 }
    }

    /// A random valid edit of one of `kinds` (0 column bounds, 1 row bounds, 2 cost, 3 constant,
    /// 4 sense, 5 integrality, 6 coefficient, 7 add row, 8 add column, 9 delete rows, 10 delete
    /// columns) for `state`, keeping `x0` within the column bounds. Row bounds are fixed after the
    /// batch.
    mutating func edit(kinds: [Int], state: LinearProgram) -> ProgramEdit? {
        let m = state.rowCount, n = state.columnCount
        switch r.pick(kinds) {
        case 0:
            guard n > 0 else { return nil }
            let j = r.int(0...n - 1)
            let step = mip ? 1.0 : 0.5
            let l = x0[j] - Double(r.int(0...4)) * step, u = x0[j] + Double(r.int(0...4)) * step
            return .columnBounds(column: j, lower: l, upper: u)
        case 1:
            guard m > 0 else { return nil }
            let i = r.int(0...m - 1)
            let (l, u) = Self.rowBounds(around: activity(state, row: i), &r)
            return .rowBounds(row: i, lower: l, upper: u)
        case 2:
            guard n > 0 else { return nil }
            return .objectiveCoefficient(column: r.int(0...n - 1), value: Double(r.int(-6...6)))
        case 3:
            return .objectiveConstant(Double(r.int(-9...9)))
        case 4:
            return .sense(r.chance(0.5) ? .minimize : .maximize)
        case 5:
            guard mip, n > 0 else { return nil }
            return .integrality(column: r.int(0...n - 1), isInteger: r.chance(0.6))
        case 6:
            guard m > 0, n > 0 else { return nil }
            return .coefficient(row: r.int(0...m - 1), column: r.int(0...n - 1), value: r.chance(0.3) ? 0 : r.nonzero(6))
        case 7:
            guard m < 10 else { return nil }
            let columns = r.distinct(r.int(1...max(1, n)), of: n)
            let values = columns.map { _ in r.nonzero(6) }
            let activity = zip(columns, values).reduce(0.0) { $0 + x0[$1.0] * $1.1 }
            let (l, u) = Self.rowBounds(around: activity, &r)
            serial += 1
            return .addRow(.init(lower: l, upper: u, columns: columns, values: values, name: "added_row_\(serial)"))
        case 8:
            guard n < 12 else { return nil }
            let (l, u, x) = Self.box(&r, mip: mip)
            let rows = r.distinct(r.int(0...m), of: m)
            serial += 1
            x0.append(x)
            return .addColumn(.init(objective: Double(r.int(-6...6)), lower: l, upper: u, isInteger: mip && r.chance(0.6),
                                    rows: rows, values: rows.map { _ in r.nonzero(6) }, name: "added_col_\(serial)"))
        case 9:
            guard m > 1 else { return nil }
            return .deleteRows(r.distinct(r.int(1...min(2, m - 1)), of: m))
        default:
            guard n > 2 else { return nil }
            let gone = r.distinct(r.int(1...min(2, n - 2)), of: n)
            x0 = x0.enumerated().filter { !gone.contains($0.offset) }.map(\.element)
            return .deleteColumns(gone)
        }
    }

    /// A batch of `count` valid edits for the current program, followed by row-bound edits that
    /// put `x0` back inside every row; returns the batch and the edited program.
    mutating func batch(_ count: Int, kinds: [Int]) throws -> ([ProgramEdit], LinearProgram) {
        var edits: [ProgramEdit] = []
        var state = program
        var attempts = 0
        while edits.count < count && attempts < 100 {
            attempts += 1
            guard let e = edit(kinds: kinds, state: state) else { continue }
            edits.append(e)
            state = try state.applying([e])
        }
        for i in 0..<state.rowCount {
            let act = activity(state, row: i)
            if act < state.rowLower[i] || act > state.rowUpper[i] {
                let fix = ProgramEdit.rowBounds(row: i, lower: min(state.rowLower[i], act), upper: max(state.rowUpper[i], act))
                edits.append(fix)
                state = try state.applying([fix])
            }
        }
        return (edits, state)
    }
}

/// Compares a session solve with a cold solve of the same program; returns a description of
/// every disagreement (empty when they agree).
func disagreements(session s: Solution, cold c: Solution, program: LinearProgram, expectFeasible: Bool) -> [String] {
    var out: [String] = []
    if s.termination != c.termination { out.append("termination \(s.termination) (session) vs \(c.termination) (cold) [\(s.message ?? "")]") }
    if expectFeasible && s.termination != .optimal { out.append("session \(s.termination) on a feasible bounded program [\(s.message ?? "")]") }
    if s.termination == .optimal && c.termination == .optimal {
        if !sameValue(s.objective, c.objective) { out.append("objective \(s.objective ?? .nan) (session) vs \(c.objective ?? .nan) (cold)") }
    }
    if s.hasSolution {
        let problems = feasibilityProblems(program, s.values)
        if !problems.isEmpty { out.append("session point infeasible: \(problems.prefix(3).joined(separator: "; "))") }
        if !sameValue(s.objective, objectiveAt(program, s.values)) {
            out.append("session objective \(s.objective ?? .nan) but cᵀx + k = \(objectiveAt(program, s.values))")
        }
    } else if s.termination == .optimal {
        out.append("optimal without a point")
    }
    return out
}

// MARK: - Tests

@Suite("GLPKSession against cold solves")
struct SessionOracleTests {
    /// Every edit kind; integrality only in the MIP walk.
    static let allKinds = Array(0...10)

    func run(seed: UInt64, mip: Bool, rounds: Int, kinds: [Int], method: SolveMethod = .auto) throws -> [String] {
        var walk = try FeasibleProgramWalk(seed: seed, mip: mip)
        let session = try GLPKSession(walk.program)
        var failures: [String] = []
        var solves = 0, edits = 0, used = 0, rebuilt = 0
        let options = SolveOptions(method: method)
        for round in 0...rounds {
            var batch: [ProgramEdit] = []
            if round > 0 {
                let (b, edited) = try walk.batch(walk.r.int(1...5), kinds: kinds)
                batch = b
                try session.apply(batch)
                edits += batch.count
                walk.program = edited
            }
            if session.program != walk.program { failures.append("round \(round): session.program differs from applying(\(batch))") }
            let warm = try session.solveReporting(options: options)
            solves += 1
            if warm.warmBasis == .used { used += 1 }
            if warm.warmBasis == .rebuilt { rebuilt += 1 }
            let cold = try GLPKSolver().solve(walk.program, options: options)
            let problems = disagreements(session: warm.solution, cold: cold, program: walk.program, expectFeasible: true)
            if !problems.isEmpty { failures.append("seed \(seed) round \(round) edits \(batch): \(problems.joined(separator: "; "))") }
            if round == 0 && warm.warmBasis != .none { failures.append("seed \(seed): first solve reports warm basis \(warm.warmBasis)") }
            if !mip && round > 0 && warm.warmBasis == .none { failures.append("seed \(seed) round \(round): LP re-solve kept no basis") }
        }
        let stats = session.statistics
        if stats.solves != solves || stats.edits != edits || stats.warmSolves != used || stats.basisRebuilds != rebuilt || stats.reloads != 0 {
            failures.append("seed \(seed): statistics \(stats), counted solves \(solves) edits \(edits) used \(used) rebuilt \(rebuilt)")
        }
        return failures
    }

    @Test("LP: random edit rounds agree with cold solves", arguments: [SolveMethod.auto, .dual])
    func linearPrograms(method: SolveMethod) throws {
        var failures: [String] = []
        for seed in UInt64(1)...40 {
            failures += try run(seed: seed, mip: false, rounds: 4, kinds: Self.allKinds, method: method)
        }
        #expect(failures.isEmpty, "\(failures.count) failures:\n\(failures.prefix(8).joined(separator: "\n"))")
    }

    @Test("MIP: random edit rounds agree with cold solves")
    func mixedIntegerPrograms() throws {
        var failures: [String] = []
        for seed in UInt64(101)...160 {
            failures += try run(seed: seed, mip: true, rounds: 4, kinds: Self.allKinds)
        }
        #expect(failures.isEmpty, "\(failures.count) failures:\n\(failures.prefix(8).joined(separator: "\n"))")
    }

    @Test("LP: bound-only rounds keep the basis and cost no more iterations than cold solves")
    func boundChangesStayWarm() throws {
        var totalWarm = 0, totalCold = 0, totalColdPresolved = 0
        var failures: [String] = []
        for seed in UInt64(300)...309 {
            var walk = try FeasibleProgramWalk(seed: seed, mip: false, rows: 20...25, columns: 25...30)
            let session = try GLPKSession(walk.program)
            _ = try session.solve(options: SolveOptions(method: .dual))
            for round in 1...5 {
                let (batch, edited) = try walk.batch(walk.r.int(1...4), kinds: [0, 0, 1])
                let structural = batch.contains { $0.isStructural }
                #expect(!structural)
                try session.apply(batch)
                walk.program = edited
                let warm = try session.solveReporting(options: SolveOptions(method: .dual))
                if warm.warmBasis != .used { failures.append("seed \(seed) round \(round): warm basis \(warm.warmBasis) after \(batch)") }
                let cold = try GLPKSolver().solve(edited, options: SolveOptions(method: .dual, presolve: false))
                let coldPresolved = try GLPKSolver().solve(edited, options: SolveOptions(method: .dual))
                let problems = disagreements(session: warm.solution, cold: cold, program: edited, expectFeasible: true)
                if !problems.isEmpty { failures.append("seed \(seed) round \(round): \(problems.joined(separator: "; "))") }
                totalWarm += warm.solution.iterations
                totalCold += cold.iterations
                totalColdPresolved += coldPresolved.iterations
            }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        #expect(totalWarm > 0 || totalCold == 0)
        #expect(totalWarm <= totalCold, "warm \(totalWarm) iterations against cold \(totalCold)")
        #expect(totalWarm <= totalColdPresolved, "warm \(totalWarm) iterations against cold with presolve \(totalColdPresolved)")
    }

    @Test("LP: deleting rows and columns keeps solves right (basis used or rebuilt)")
    func deletions() throws {
        var failures: [String] = []
        var outcomes: [GLPKWarmBasis: Int] = [:]
        for seed in UInt64(400)...429 {
            var walk = try FeasibleProgramWalk(seed: seed, mip: false, rows: 5...8, columns: 5...8)
            let session = try GLPKSession(walk.program)
            _ = try session.solve()
            for round in 1...3 {
                let (batch, edited) = try walk.batch(1, kinds: round == 2 ? [10] : [9])
                try session.apply(batch)
                walk.program = edited
                let warm = try session.solveReporting()
                outcomes[warm.warmBasis, default: 0] += 1
                if warm.warmBasis == .none { failures.append("seed \(seed) round \(round): no basis after \(batch)") }
                let cold = try GLPKSolver().solve(edited, options: SolveOptions())
                let problems = disagreements(session: warm.solution, cold: cold, program: edited, expectFeasible: true)
                if !problems.isEmpty { failures.append("seed \(seed) round \(round) \(batch): \(problems.joined(separator: "; "))") }
            }
            #expect(session.statistics.warmSolves + session.statistics.basisRebuilds == 3)
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        // Deleting a basic row throws the basis away, so some rebuilds must happen.
        #expect(outcomes[.rebuilt, default: 0] > 0, "\(outcomes)")
    }

    // MARK: Brute force

    /// The optimum of a binary program by enumeration; `nil` when infeasible.
    static func bruteForce(_ program: LinearProgram) -> Double? {
        let n = program.columnCount
        precondition(n <= 12)
        var best: Double?
        for mask in 0..<(1 << n) {
            let x = (0..<n).map { Double((mask >> $0) & 1) }
            guard feasibilityProblems(program, x, tolerance: 1e-9).isEmpty else { continue }
            let value = objectiveAt(program, x)
            if let b = best {
                best = program.sense == .minimize ? min(b, value) : max(b, value)
            } else {
                best = value
            }
        }
        return best
    }

    /// A random 0-1 program (not necessarily feasible) with integer coefficients.
    static func binaryProgram(_ r: inout SessionRandom) -> LinearProgram {
        let n = r.int(2...6), m = r.int(1...4)
        var starts = [0], rows: [Int32] = [], values: [Double] = []
        for _ in 0..<n {
            for i in 0..<m where r.chance(0.6) {
                rows.append(Int32(i))
                values.append(r.nonzero(5))
            }
            starts.append(values.count)
        }
        var rowLower: [Double] = [], rowUpper: [Double] = []
        for _ in 0..<m {
            let v = Double(r.int(-3...6))
            switch r.int(0...3) {
            case 0: rowLower.append(-.infinity); rowUpper.append(v)
            case 1: rowLower.append(v); rowUpper.append(.infinity)
            case 2: rowLower.append(v); rowUpper.append(v + Double(r.int(0...3)))
            default: rowLower.append(v); rowUpper.append(v)
            }
        }
        return LinearProgram(
            sense: r.chance(0.5) ? .minimize : .maximize, objective: (0..<n).map { _ in Double(r.int(-9...9)) },
            objectiveConstant: Double(r.int(-3...3)),
            matrix: SparseMatrix(rowCount: m, columnCount: n, columnStarts: starts, rowIndices: rows, values: values),
            rowLower: rowLower, rowUpper: rowUpper, columnLower: Array(repeating: 0, count: n),
            columnUpper: Array(repeating: 1, count: n), isInteger: Array(repeating: true, count: n))
    }

    static func binaryEdit(_ p: LinearProgram, _ r: inout SessionRandom, serial: inout Int) -> ProgramEdit? {
        let m = p.rowCount, n = p.columnCount
        switch r.int(0...9) {
        case 0:
            let b = r.pick([(0.0, 0.0), (1, 1), (0, 1), (0, 1)])
            return .columnBounds(column: r.int(0...n - 1), lower: b.0, upper: b.1)
        case 1:
            guard m > 0 else { return nil }
            let v = Double(r.int(-3...8))
            return .rowBounds(row: r.int(0...m - 1), lower: r.chance(0.5) ? -.infinity : v - Double(r.int(0...3)), upper: v)
        case 2: return .objectiveCoefficient(column: r.int(0...n - 1), value: Double(r.int(-9...9)))
        case 3: return .objectiveConstant(Double(r.int(-5...5)))
        case 4: return .sense(r.chance(0.5) ? .minimize : .maximize)
        case 5:
            guard m > 0 else { return nil }
            return .coefficient(row: r.int(0...m - 1), column: r.int(0...n - 1), value: r.chance(0.3) ? 0 : r.nonzero(5))
        case 6:
            guard m < 6 else { return nil }
            let columns = r.distinct(r.int(1...n), of: n)
            serial += 1
            return .addRow(.init(lower: -.infinity, upper: Double(r.int(0...6)), columns: columns, values: columns.map { _ in r.nonzero(5) },
                                 name: "brute_row_\(serial)"))
        case 7:
            guard n < 8 else { return nil }
            let rows = r.distinct(r.int(0...m), of: m)
            return .addColumn(.init(objective: Double(r.int(-9...9)), lower: 0, upper: 1, isInteger: true, rows: rows,
                                    values: rows.map { _ in r.nonzero(5) }))
        case 8:
            guard m > 1 else { return nil }
            return .deleteRows([r.int(0...m - 1)])
        default:
            guard n > 2 else { return nil }
            return .deleteColumns(r.distinct(r.int(1...2), of: n))
        }
    }

    @Test("tiny 0-1 programs: every re-solve matches brute force")
    func bruteForceBinaries() throws {
        var failures: [String] = []
        var infeasibleSeen = 0, feasibleSeen = 0
        for seed in UInt64(500)...579 {
            var r = SessionRandom(seed: seed)
            var program = Self.binaryProgram(&r)
            try program.validate()
            let session = try GLPKSession(program)
            var serial = 0
            for round in 0...5 {
                var batch: [ProgramEdit] = []
                if round > 0 {
                    var attempts = 0
                    let size = r.int(1...4)
                    while batch.count < size && attempts < 50 {
                        attempts += 1
                        let state = try program.applying(batch)
                        if let e = Self.binaryEdit(state, &r, serial: &serial) {
                            if case let .deleteColumns(gone) = e, state.columnCount - gone.count < 2 { continue }
                            batch.append(e)
                        }
                    }
                    try session.apply(batch)
                    program = try program.applying(batch)
                }
                let solution = try session.solve()
                let expected = Self.bruteForce(program)
                if let expected {
                    feasibleSeen += 1
                    if solution.termination != .optimal || !sameValue(solution.objective, expected) {
                        failures.append("seed \(seed) round \(round) edits \(batch): \(solution.termination) \(solution.objective ?? .nan), brute force \(expected)")
                    }
                    let problems = feasibilityProblems(program, solution.values)
                    if !problems.isEmpty { failures.append("seed \(seed) round \(round): point \(solution.values): \(problems)") }
                } else {
                    infeasibleSeen += 1
                    if solution.termination != .infeasible || solution.hasSolution {
                        failures.append("seed \(seed) round \(round) edits \(batch): \(solution.termination) \(solution.objective ?? .nan) on an infeasible program")
                    }
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) failures:\n\(failures.prefix(8).joined(separator: "\n"))")
        #expect(infeasibleSeen > 0 && feasibleSeen > 0, "feasible \(feasibleSeen), infeasible \(infeasibleSeen)")
    }

    // MARK: Invalid edits

    @Test("invalid edits throw invalidModel, name the edit, and leave the session as it was")
    func invalidEdits() throws {
        var failures: [String] = []
        for seed in UInt64(600)...629 {
            var walk = try FeasibleProgramWalk(seed: seed, mip: seed % 2 == 0)
            let session = try GLPKSession(walk.program)
            let first = try session.solve()
            // Good structural and bound edits before the bad one must not reach GLPK either.
            let (good, afterGood) = try walk.batch(walk.r.int(1...4), kinds: [0, 1, 2, 6, 7, 8])
            let n = afterGood.columnCount, m = afterGood.rowCount
            let bad: [ProgramEdit] = [
                .columnBounds(column: n, lower: 0, upper: 1),
                .rowBounds(row: 0, lower: 2, upper: 1),
                .objectiveCoefficient(column: 0, value: .nan),
                .deleteRows([0, 0]),
                .deleteColumns([n]),
                .addRow(.init(lower: 0, upper: 1, columns: [0, 0], values: [1, 1])),
                .addColumn(.init(upper: 1, rows: [m], values: [1])),
                .addColumn(.init(lower: 0, upper: 1.5, isInteger: true)),
                .coefficient(row: 0, column: 0, value: .nan),
                .addRow(.init(lower: 0, upper: 1, columns: [0], values: [])),
            ]
            let badEdit = bad[Int(seed) % bad.count]
            let before = session.program
            let statsBefore = session.statistics
            do {
                try session.apply(good + [badEdit])
                failures.append("seed \(seed): \(badEdit) accepted")
            } catch let error {
                guard case let .invalidModel(detail) = error else {
                    failures.append("seed \(seed): \(badEdit) threw \(error), not invalidModel")
                    continue
                }
                if !messageNamesEdit(detail.description, good.count + 1) {
                    failures.append("seed \(seed): message does not name edit \(good.count + 1): \(detail.description)")
                }
            }
            if session.program != before { failures.append("seed \(seed): session.program changed by a failed batch") }
            if session.statistics.edits != statsBefore.edits { failures.append("seed \(seed): edits counted \(statsBefore.edits) → \(session.statistics.edits)") }
            // The loaded problem is unchanged too: the next solve is the first one again.
            let again = try session.solve()
            let cold = try GLPKSolver().solve(before, options: SolveOptions())
            let problems = disagreements(session: again, cold: cold, program: before, expectFeasible: true)
            if !problems.isEmpty { failures.append("seed \(seed) after a failed batch: \(problems.joined(separator: "; "))") }
            if !sameValue(again.objective, first.objective) { failures.append("seed \(seed): objective \(first.objective ?? .nan) → \(again.objective ?? .nan) with no edits") }
            // And the good edits alone still work afterwards.
            try session.apply(good)
            walk.program = try before.applying(good)
            let edited = try session.solve()
            let coldEdited = try GLPKSolver().solve(walk.program, options: SolveOptions())
            let later = disagreements(session: edited, cold: coldEdited, program: walk.program, expectFeasible: false)
            if !later.isEmpty { failures.append("seed \(seed) good edits after the failure: \(later.joined(separator: "; "))") }
        }
        #expect(failures.isEmpty, "\(failures.count) failures:\n\(failures.prefix(8).joined(separator: "\n"))")
    }

    @Test("an invalid program is refused when the session is made")
    func invalidProgram() throws {
        var walk = try FeasibleProgramWalk(seed: 1, mip: false)
        walk.program.columnLower[0] = 5
        walk.program.columnUpper[0] = 1
        #expect(throws: SolverError.self) { _ = try GLPKSession(walk.program) }
    }

    // MARK: Statistics

    @Test("statistics count solves, edits, warm solves and rebuilds")
    func statistics() throws {
        let program = try TestModels.wyndor()
        let session = try GLPKSession(program)
        #expect(session.statistics == GLPKSessionStatistics())
        let first = try session.solveReporting()
        #expect(first.warmBasis == .none)
        #expect(first.solution.termination == .optimal && sameValue(first.solution.objective, 36))
        try session.apply([.columnBounds(column: 0, lower: 0, upper: 3), .rowBounds(row: 2, lower: -.infinity, upper: 16)])
        try session.apply([.objectiveCoefficient(column: 1, value: 4)])
        #expect(session.statistics.edits == 3)
        #expect(session.statistics.solves == 1)
        let second = try session.solveReporting()
        #expect(second.warmBasis == .used)
        // max 3x + 4y, x ≤ 3, y ≤ 6, 3x + 2y ≤ 16 → x = 4/3, y = 6: 28.
        #expect(sameValue(second.solution.objective, 28), "\(second.solution.objective ?? .nan)")
        _ = try session.solve()
        let stats = session.statistics
        #expect(stats.solves == 3)
        #expect(stats.warmSolves == 2)
        #expect(stats.basisRebuilds == 0)
        #expect(stats.edits == 3)
        #expect(stats.reloads == 0)
        try session.apply([])
        #expect(session.statistics.edits == 3)
    }

    // MARK: Cancellation

    @Test("cancelling the task of an async solve returns promptly")
    func cancellation() async throws {
        let program = try TestModels.marketSplit(seed: 3, rows: 4, columns: 36)
        let session = try GLPKSession(program)
        let task = Task { try await session.solve(options: SolveOptions(timeLimit: 30)) }
        // Cancelled from a thread of its own and timed by the solve's own clock: a test that
        // sleeps on the cooperative pool measures how busy the pool is (other suites run
        // blocking solves on it), not how soon the solve stops.
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.3)
            task.cancel()
        }
        let solution = try await task.value
        #expect(solution.seconds < 5, "the solve ran \(solution.seconds) s after a cancel at 0.3 s")
        #expect([.interrupted, .optimal].contains(solution.termination), "\(solution.termination) \(solution.message ?? "")")
        if solution.hasSolution { #expect(feasibilityProblems(program, solution.values).isEmpty) }
        // The session still solves afterwards, and is not left interrupted.
        let next = try await session.solve(options: SolveOptions(timeLimit: 0.5))
        #expect([.timeLimit, .optimal].contains(next.termination), "\(next.termination) \(next.message ?? "")")
        if next.hasSolution { #expect(feasibilityProblems(program, next.values).isEmpty) }
    }
}

#endif
