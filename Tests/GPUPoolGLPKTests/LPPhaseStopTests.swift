import Foundation
import GPUPoolModel
import GPUPoolSupport
import Testing

@testable import GPUPoolGLPK

#if GLPK
/// GLPK's simplex never looks at the interrupt flag and its interior point has no time limit; the
/// shim watches their progress output and abandons the phase. These tests use a transportation LP
/// that takes GLPK a few tenths of a second or more, stop it part-way, and check that the call returns in time and that the
/// thread (and a session) solve normally afterwards.
@Suite("Simplex and interior point stop part-way (interrupt, time limit)", .serialized)
struct LPPhaseStopTests {
    /// min Σ c·x over a balanced transportation problem, `size` sources × `size` sinks.
    static func transportation(size: Int, seed: UInt64) throws -> LinearProgram {
        var random = SeededGenerator(seed: seed)
        var model = Model(name: "transport-\(size)")
        let x = (0..<size).map { i in model.addVariables(count: size, lower: 0, namePrefix: "x\(i)_") }
        let supply = (0..<size).map { _ in Double(random.nextInt(in: 50...150)) }
        let total = supply.reduce(0, +)
        var demand = (0..<size).map { _ in Double(random.nextInt(in: 50...150)) }
        let scale = total / demand.reduce(0, +)
        demand = demand.map { $0 * scale }
        var cost = LinearExpression()
        for i in 0..<size {
            model.addConstraint(LinearExpression(terms: x[i].map { ($0, 1.0) }) <= supply[i], name: "s\(i)")
            for j in 0..<size { cost.add(Double(random.nextInt(in: 1...1000)), x[i][j]) }
        }
        for j in 0..<size {
            model.addConstraint(LinearExpression(terms: (0..<size).map { (x[$0][j], 1.0) }) >= demand[j] * 0.9, name: "d\(j)")
        }
        model.minimize(cost)
        return try model.lowered()
    }

    static let big: LinearProgram = try! transportation(size: 220, seed: 7)
    /// Big enough that loading it takes well under the 0.5 s before the interrupt, and simplex
    /// (primal or dual) takes well over.
    static let huge: LinearProgram = try! transportation(size: 400, seed: 7)

    /// Raises `interrupt` after `delay` seconds, from another thread.
    static func raise(_ interrupt: GLPKInterrupt, after delay: Double) {
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: delay)
            interrupt.request()
        }
    }

    // Timing bounds here are hang guards (a few seconds): the tests run beside other suites on
    // two cores, where a 0.1 s check can be seconds of wall clock late. The figures are in
    // Docs/Solving.md, measured on an idle machine.

    @Test("an interrupt stops simplex part-way; the solve returns without a point", arguments: [SolveMethod.simplex, .dual])
    func interruptSimplex(method: SolveMethod) throws {
        // Loaded before the clock starts (a session), so the interrupt lands inside simplex even
        // when the machine is busy.
        let session = try GLPKSession(Self.huge)
        _ = session.statistics
        let interrupt = GLPKInterrupt()
        Self.raise(interrupt, after: 0.3)
        let started = ContinuousClock.now
        let stopped = try session.solve(options: SolveOptions(method: method), interrupt: interrupt)
        let seconds = (ContinuousClock.now - started).seconds
        // If the LP finished first, the test proves nothing.
        try #require(stopped.termination != .optimal, "the LP was solved in \(seconds) s before the interrupt: make it bigger")
        #expect(stopped.termination == .interrupted, "\(stopped.termination) \(stopped.message ?? "")")
        #expect(stopped.message?.contains("interrupted during simplex") == true, "message: \(stopped.message ?? "")")
        #expect(seconds < 0.3 + 5, "returned after \(seconds) s")
        #expect(!stopped.hasSolution)
    }

    @Test("GLPKSolver: an interrupt during a solve frees the thread's environment; the thread solves normally afterwards")
    func interruptOnCallingThread() throws {
        let interrupt = GLPKInterrupt()
        Self.raise(interrupt, after: 0.5)
        let started = ContinuousClock.now
        let stopped = try GLPKSolver(interrupt: interrupt).solve(Self.huge, options: SolveOptions(method: .dual, presolve: false))
        let seconds = (ContinuousClock.now - started).seconds
        try #require(stopped.termination != .optimal, "the LP was solved in \(seconds) s before the interrupt: make it bigger")
        #expect(stopped.termination == .interrupted, "\(stopped.termination) \(stopped.message ?? "")")
        // Inside simplex on an idle machine; while loading when the machine is busy.
        #expect(stopped.message?.contains("interrupted") == true, "message: \(stopped.message ?? "")")
        #expect(seconds < 0.5 + 5, "returned after \(seconds) s")
        // Same thread, fresh environment: a small LP solves to its known optimum.
        let small = try TestModels.wyndor()
        let after = try GLPKSolver().solve(small, options: SolveOptions())
        #expect(after.termination == .optimal && abs((after.objective ?? 0) - 36) < 1e-9)
    }

    @Test("interior point keeps a time limit (GLPK's own has none)")
    func interiorTimeLimit() throws {
        let program = Self.huge
        let started = ContinuousClock.now
        let limited = try GLPKSolver().solve(program, options: SolveOptions(method: .interior, timeLimit: 0.5))
        let seconds = (ContinuousClock.now - started).seconds
        try #require(limited.termination != .optimal, "interior point finished in \(seconds) s within the limit: make the LP bigger")
        #expect(limited.termination == .timeLimit, "\(limited.termination) \(limited.message ?? "")")
        #expect(limited.message?.contains("time limit reached") == true, "\(limited.message ?? "")")
        // The call waits for GLPK until the limit plus a grace of 0.225 s, then leaves a set-up
        // phase (the ordering of A·Aᵀ took 5 s under load here) running on its own thread. The
        // solver's clock (from handing the program to GLPK) must keep the issue's 10 % + 0.5 s,
        // plus 1 s for a machine shared with other suites. The whole call also checks the
        // 160,000-column program before GLPK sees it, outside that clock; in a CI run beside other
        // suites it took 2.6 s: a hang guard only (before this, a loaded machine waited 5.6 s).
        #expect(limited.seconds <= 0.5 * 1.1 + 0.5 + 1, "GLPK's part took \(limited.seconds) s")
        #expect(seconds <= 0.5 + 30, "returned after \(seconds) s")
        // The thread left behind does not disturb the next solves, on this thread or another.
        let small = try Self.transportation(size: 20, seed: 5)
        let reference = try GLPKSolver().solve(small, options: SolveOptions(method: .simplex))
        let after = try GLPKSolver().solve(small, options: SolveOptions(method: .interior, timeLimit: 30))
        #expect(reference.termination == .optimal && after.termination == .optimal)
        #expect(abs((after.objective ?? 0) - (reference.objective ?? 1)) <= 1e-6 * max(1, abs(reference.objective ?? 1)))
    }

    @Test("a session's interior point keeps the time limit too, and its problem and basis")
    func sessionInteriorTimeLimit() throws {
        let session = try GLPKSession(Self.huge)
        let limited = try session.solve(options: SolveOptions(method: .interior, timeLimit: 0.5))
        try #require(limited.termination != .optimal, "interior point finished within the limit: make the LP bigger")
        #expect(limited.termination == .timeLimit, "\(limited.termination) \(limited.message ?? "")")
        #expect(limited.message?.contains("time limit reached") == true, "\(limited.message ?? "")")
        // Same bound as the one-shot solve above: GLPK's part within the issue's 10 % + 0.5 s,
        // plus 1 s for a machine shared with other suites (before, a set-up phase ran to its end).
        #expect(limited.seconds <= 0.5 * 1.1 + 0.5 + 1, "GLPK's part took \(limited.seconds) s")
        #expect(session.statistics.reloads == 0)

        // In a session of a small LP, interior point with a time limit (the one-shot copy) agrees
        // with simplex, and the simplex re-solve after it still starts from the kept basis.
        let small = try Self.transportation(size: 20, seed: 5)
        let kept = try GLPKSession(small)
        let first = try kept.solve(options: SolveOptions(method: .simplex))
        let interior = try kept.solve(options: SolveOptions(method: .interior, timeLimit: 30))
        let again = try kept.solveReporting(options: SolveOptions(method: .simplex))
        #expect(first.termination == .optimal && interior.termination == .optimal && again.solution.termination == .optimal)
        #expect(abs((interior.objective ?? 0) - (first.objective ?? 1)) <= 1e-6 * max(1, abs(first.objective ?? 1)))
        #expect(again.warmBasis == .used, "\(again.warmBasis)")
        #expect(again.solution.iterations == 0, "the kept basis was optimal already: \(again.solution.iterations) iterations")
    }

    @Test("an interrupt reaches interior point run on its own thread under a time limit")
    func interiorInterruptWithTimeLimit() throws {
        let interrupt = GLPKInterrupt()
        Self.raise(interrupt, after: 0.3)
        let started = ContinuousClock.now
        let stopped = try GLPKSolver(interrupt: interrupt).solve(Self.huge, options: SolveOptions(method: .interior, timeLimit: 60))
        let seconds = (ContinuousClock.now - started).seconds
        try #require(stopped.termination != .optimal, "interior point finished in \(seconds) s before the interrupt: make the LP bigger")
        #expect(stopped.termination == .interrupted, "\(stopped.termination) \(stopped.message ?? "")")
        // GLPK sees the flag at its next print: a hang guard (a set-up phase can take seconds).
        #expect(seconds < 30, "returned after \(seconds) s")
    }

    @Test("a session interrupted in simplex reloads its problem and then solves it as a cold solve does")
    func sessionAfterInterrupt() throws {
        let session = try GLPKSession(Self.big)
        _ = session.statistics   // loaded before the clock starts
        let interrupt = GLPKInterrupt()
        // Early, so that a fast machine cannot finish the LP first (the first check is at 0.1 s).
        Self.raise(interrupt, after: 0.05)
        let stopped = try session.solve(options: SolveOptions(method: .dual), interrupt: interrupt)
        try #require(stopped.termination != .optimal, "the LP was solved before the interrupt: make it bigger")
        #expect(stopped.termination == .interrupted)
        let smaller = try Self.transportation(size: 40, seed: 3)
        // A session on the small LP, edited: the problem survives, and agrees with cold solves.
        let small = try GLPKSession(smaller)
        let first = try small.solveReporting(options: SolveOptions(method: .dual))
        #expect(first.solution.termination == .optimal)
        let edits: [ProgramEdit] = [.rowBounds(row: 0, lower: -.infinity, upper: smaller.rowUpper[0] * 0.5),
                                    .objectiveCoefficient(column: 5, value: 0)]
        try small.apply(edits)
        let second = try small.solveReporting(options: SolveOptions(method: .dual))
        let cold = try GLPKSolver().solve(try smaller.applying(edits), options: SolveOptions())
        #expect(second.warmBasis == .used)
        #expect(cold.termination == .optimal, "\(cold.termination)")
        #expect(second.solution.termination == cold.termination)
        #expect(abs((second.solution.objective ?? .nan) - (cold.objective ?? .nan)) <= 1e-6 * max(1, abs(cold.objective ?? 1)))
        // The interrupted session reloads on its next solve.
        #expect(session.statistics.reloads == 0)
        let resumed = try session.solve(options: SolveOptions(method: .dual, timeLimit: 0.2))
        #expect(session.statistics.reloads == 1)
        #expect([.timeLimit, .optimal].contains(resumed.termination), "\(resumed.termination) \(resumed.message ?? "")")
    }
}
#endif
