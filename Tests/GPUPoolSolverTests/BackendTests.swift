import Foundation
import GPUPoolModel
import GPUPoolSupport
import Synchronization
import Testing

@testable import GPUPoolSolver

// A third backend beside GLPK and the heuristic: exhaustive enumeration of small pure-integer
// programs, written here from the protocol's documentation. It records what it was given.

/// What a test backend saw.
final class BackendLog: Sendable {
    private let state = Mutex<(calls: Int, warmStarts: [[Double]?])>((0, []))
    func record(_ options: SolveOptions) { state.withLock { $0.calls += 1; $0.warmStarts.append(options.warmStart) } }
    var calls: Int { state.withLock { $0.calls } }
    var warmStarts: [[Double]?] { state.withLock { $0.warmStarts } }
}

/// Row and bound violations of `x`, computed from the program's arrays (not `SolutionChecker`).
func violations(_ program: LinearProgram, _ x: [Double], tolerance: Double = 1e-6) -> Int {
    var bad = 0
    for j in 0..<program.columnCount where x[j] < program.columnLower[j] - tolerance || x[j] > program.columnUpper[j] + tolerance
        || (program.isInteger[j] && abs(x[j] - x[j].rounded()) > tolerance) { bad += 1 }
    var activity = [Double](repeating: 0, count: program.rowCount)
    let m = program.matrix
    for j in 0..<program.columnCount {
        for k in m.columnStarts[j]..<m.columnStarts[j + 1] { activity[Int(m.rowIndices[k])] += m.values[k] * x[j] }
    }
    for i in 0..<program.rowCount where activity[i] < program.rowLower[i] - tolerance || activity[i] > program.rowUpper[i] + tolerance { bad += 1 }
    return bad
}

/// Every integer point of a pure-integer program with finite bounds, best kept: exact.
struct EnumerationBackend: SolverBackend {
    let log = BackendLog()
    var name: String { "enumeration (test)" }
    var isExact: Bool { true }

    func solve(_ program: LinearProgram, options: SolveOptions, control: SolveControl) throws(SolverError) -> Solution {
        log.record(options)
        let n = program.columnCount
        guard program.isInteger.allSatisfy({ $0 }),
              program.columnLower.allSatisfy(\.isFinite), program.columnUpper.allSatisfy(\.isFinite) else {
            return Solution(termination: .otherError, primalStatus: .noSolution, solver: name, message: "enumeration takes bounded pure-integer programs only")
        }
        var x = program.columnLower
        var best: [Double]?
        var bestValue = 0.0
        func value(_ x: [Double]) -> Double { zip(program.objective, x).reduce(program.objectiveConstant) { $0 + $1.0 * $1.1 } }
        while true {
            if control.cancellation?.isCancelled == true {
                return Solution(termination: .interrupted, primalStatus: best == nil ? .noSolution : .feasiblePoint,
                                objective: best.map(value), values: best ?? [], solver: name)
            }
            if violations(program, x) == 0 {
                let v = value(x)
                if best == nil || (program.sense == .maximize ? v > bestValue : v < bestValue) {
                    best = x
                    bestValue = v
                    control.offer(incumbent: v, bound: nil)
                }
            }
            // Next point, odometer order.
            var j = 0
            while j < n && x[j] >= program.columnUpper[j] { x[j] = program.columnLower[j]; j += 1 }
            if j == n { break }
            x[j] += 1
        }
        guard let best else { return Solution(termination: .infeasible, primalStatus: .noSolution, solver: name) }
        return Solution(termination: .optimal, primalStatus: .feasiblePoint, objective: bestValue, bestBound: bestValue,
                        values: best, solver: name)
    }
}

/// Claims optimality for a point that breaks a row.
struct LyingBackend: SolverBackend {
    var name: String { "liar (test)" }
    var isExact: Bool { true }
    func solve(_ program: LinearProgram, options: SolveOptions, control: SolveControl) throws(SolverError) -> Solution {
        let x = program.columnUpper.map { $0.isFinite ? $0 : 1e6 }
        return Solution(termination: .optimal, primalStatus: .feasiblePoint, objective: 1e9, bestBound: 1e9, values: x, solver: name)
    }
}

/// A heuristic that says "optimal" and gives a bound, neither of which it can know.
struct OverclaimingHeuristic: SolverBackend {
    var name: String { "overclaiming heuristic (test)" }
    var isExact: Bool { false }
    func solve(_ program: LinearProgram, options: SolveOptions, control: SolveControl) throws(SolverError) -> Solution {
        let x = program.columnLower
        return Solution(termination: .optimal, primalStatus: .feasiblePoint, objective: 0, bestBound: 0, values: x, solver: name)
    }
}

/// Runs until cancelled.
struct WaitingBackend: SolverBackend {
    var name: String { "waits for cancellation (test)" }
    var isExact: Bool { true }
    func solve(_ program: LinearProgram, options: SolveOptions, control: SolveControl) throws(SolverError) -> Solution {
        let start = ContinuousClock.now
        while control.cancellation?.isCancelled != true && ContinuousClock.now - start < .seconds(60) { Thread.sleep(forTimeInterval: 0.005) }
        return Solution(termination: .interrupted, primalStatus: .noSolution, solver: name)
    }
}

@Suite("Solver backends: GLPK, the heuristic, and any other")
struct BackendTests {
    /// A random 0/1 program: 8 binaries, 3 ≤-rows with non-negative weights (x = 0 is feasible).
    static func binaryProgram(seed: UInt64) throws -> LinearProgram {
        var random = SeededGenerator(seed: seed)
        var model = Model(name: "binary-\(seed)")
        let x = model.addVariables(count: 8, kind: .binary, namePrefix: "x")
        for i in 0..<3 {
            let weights = x.map { ($0, Double(random.nextInt(in: 1...9))) }
            model.addConstraint(LinearExpression(terms: weights) <= Double(random.nextInt(in: 10...25)), name: "r\(i)")
        }
        model.maximize(LinearExpression(terms: x.map { ($0, Double(random.nextInt(in: 1...20))) }))
        return try model.lowered()
    }

    /// max over all 2⁸ points, written apart from the backend.
    static func optimum(_ program: LinearProgram) -> Double {
        var best = -Double.infinity
        for mask in 0..<(1 << program.columnCount) {
            let x = (0..<program.columnCount).map { Double((mask >> $0) & 1) }
            if violations(program, x) == 0 { best = max(best, zip(program.objective, x).reduce(0) { $0 + $1.0 * $1.1 }) }
        }
        return best
    }

    @Test("mip goes to the exact backend given, and its optimum is the true one")
    func exactMethodUsesTheBackend() throws {
        for seed in UInt64(1)...5 {
            let program = try Self.binaryProgram(seed: seed)
            let backend = EnumerationBackend()
            let solution = try Solver.solve(program, options: SolveOptions(method: .mip), backends: SolverBackends(exact: backend))
            #expect(backend.log.calls == 1)
            #expect(solution.solver == "enumeration (test)")
            #expect(solution.termination == .optimal)
            #expect(solution.objective == Self.optimum(program), "seed \(seed)")
            #expect(violations(program, solution.values) == 0)
        }
    }

    @Test("auto: the heuristic backend's verified point reaches the exact backend as its warm start")
    func autoPassesTheHeuristicPoint() throws {
        let program = try Self.binaryProgram(seed: 9)
        let backend = EnumerationBackend()
        let solution = try Solver.solve(program, options: SolveOptions(method: .auto, timeLimit: 5), backends: SolverBackends(exact: backend))
        #expect(backend.log.calls == 1)
        let warm = try #require(backend.log.warmStarts.first ?? nil, "no warm start given")
        #expect(violations(program, warm) == 0)
        #expect(solution.termination == .optimal)
        #expect(solution.objective == Self.optimum(program))
    }

    @Test("a backend's infeasible point is withheld, whatever it claims")
    func lyingBackendIsCaught() throws {
        let program = try Self.binaryProgram(seed: 2)
        let solution = try Solver.solve(program, options: SolveOptions(method: .mip), backends: SolverBackends(exact: LyingBackend()))
        #expect(!solution.hasSolution)
        #expect(solution.termination == .numericalError)
        #expect(solution.message?.contains("fails verification") == true, "\(solution.message ?? "")")
    }

    @Test("a heuristic backend cannot prove optimality or give a bound")
    func heuristicClaimsAreDropped() throws {
        let program = try Self.binaryProgram(seed: 3)
        let solution = try Solver.solve(program, options: SolveOptions(method: .heuristic), backends: SolverBackends(heuristic: OverclaimingHeuristic()))
        #expect(solution.termination == .locallySolved)
        #expect(solution.bestBound == nil)
        #expect(solution.hasSolution && solution.objective == 0)
    }

    @Test("without an exact backend: mip is unavailable, auto returns the heuristic's point and says why")
    func noExactBackend() throws {
        let program = try Self.binaryProgram(seed: 4)
        #expect(throws: SolverError.self) {
            try Solver.solve(program, options: SolveOptions(method: .mip), backends: SolverBackends(exact: nil))
        }
        let auto = try Solver.solve(program, options: SolveOptions(method: .auto, timeLimit: 2), backends: SolverBackends(exact: nil))
        #expect(auto.hasSolution)
        #expect(auto.termination != .optimal)
        #expect(violations(program, auto.values) == 0)
    }

    @Test("cancelling the task reaches the backend through its control")
    func cancellationReachesTheBackend() async throws {
        let program = try Self.binaryProgram(seed: 5)
        let task = Task {
            try await Solver.solveInBackground(program, options: SolveOptions(method: .mip), backends: SolverBackends(exact: WaitingBackend()))
        }
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.2)
            task.cancel()
        }
        let solution = try await task.value
        #expect(solution.termination == .interrupted)
        #expect(solution.seconds < 30 || solution.seconds == 0)
    }

    @Test("a session with another exact backend solves cold through it, edits and all")
    func sessionWithAnotherBackend() throws {
        let program = try Self.binaryProgram(seed: 6)
        let backend = EnumerationBackend()
        let session = try SolverSession(program, backends: SolverBackends(exact: backend))
        #expect(!session.isWarm)
        let first = try session.solve(options: SolveOptions(method: .mip))
        #expect(first.objective == Self.optimum(program))
        try session.apply([.rowBounds(row: 0, lower: -.infinity, upper: 5)])
        let second = try session.solve(options: SolveOptions(method: .mip))
        #expect(second.objective == Self.optimum(try program.applying([.rowBounds(row: 0, lower: -.infinity, upper: 5)])))
        #expect(backend.log.calls == 2)
        // The second solve was offered the first point when it still fitted.
        if let warm = backend.log.warmStarts.last ?? nil { #expect(violations(session.program, warm) == 0) }
    }

    #if GLPK
    @Test("the built-in backends answer as Solver's defaults do")
    func builtInsAgree() throws {
        let program = try Self.binaryProgram(seed: 7)
        let viaBackend = try Solver.solve(program, options: SolveOptions(method: .mip), backends: SolverBackends(exact: GLPKBackend()))
        let viaDefault = try Solver.solve(program, options: SolveOptions(method: .mip))
        #expect(viaBackend.objective == viaDefault.objective)
        #expect(viaBackend.objective == Self.optimum(program))
        #expect(viaBackend.solver == viaDefault.solver)
    }
    #endif
}
