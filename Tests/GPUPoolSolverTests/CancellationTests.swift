import Foundation
import GPUPoolModel
import Testing

@testable import GPUPoolSolver

/// A solve is stopped by its caller: from another thread through `SolveCancellation`, or by cancelling
/// the task that awaits `Solver.solveInBackground`. Each model here would run for a minute.
@Suite("Cancelling a solve", .serialized)
struct CancellationTests {
    static func hardModel() throws -> LinearProgram {
        try AutoBesideGLPKTests.assignmentModel(items: 200, bins: 20, seed: 3)
    }

    @Test(arguments: [SolveMethod.heuristic, .auto] + (Solver.hasExactSolver ? [SolveMethod.mip] : []))
    func cancelFromAnotherThread(method: SolveMethod) throws {
        let program = try Self.hardModel()
        let cancellation = SolveCancellation()
        DispatchQueue(label: "test.cancel").asyncAfter(deadline: .now() + 0.5) { cancellation.cancel() }
        // `interrupted`, not `time_limit`, is the proof that the cancellation stopped the solve
        // (its 60-s limit is far away); no wall-clock assertion, so a busy machine cannot flake it.
        let result = try Solver.solve(program, options: SolveOptions(method: method, timeLimit: 60), cancellation: cancellation)
        #expect(result.termination == .interrupted, "\(method): \(result.termination) \(result.message ?? "")")
        if result.hasSolution { #expect(SolutionChecker.check(program, values: result.values, tolerance: 1e-6).violations.isEmpty) }
    }

    @Test func cancellingTheTaskStopsABackgroundSolve() async throws {
        let program = try Self.hardModel()
        let task = Task { try await Solver.solveInBackground(program, options: SolveOptions(method: .auto, timeLimit: 60)) }
        // Cancelled whether or not the solve has started yet: either way it must end `interrupted`.
        try await Task.sleep(for: .milliseconds(500))
        task.cancel()
        let result = try await task.value
        #expect(result.termination == .interrupted, "\(result.termination) \(result.message ?? "")")
        if result.hasSolution { #expect(SolutionChecker.check(program, values: result.values, tolerance: 1e-6).violations.isEmpty) }
    }

    @Test func aBackgroundSolveThatIsNotCancelledFinishes() async throws {
        var model = Model()
        let x = model.addVariable(upper: 4, kind: .integer)
        let y = model.addVariable(upper: 6, kind: .integer)
        model.addConstraint(3 * x + 2 * y <= 18)
        model.maximize(3 * x + 5 * y)
        let result = try await Solver.solveInBackground(try model.lowered(), options: SolveOptions(method: .auto, timeLimit: 10))
        #expect(result.hasSolution && result[y] == 6)
        if Solver.hasExactSolver { #expect(result.termination == .optimal && result.objective == 36) }
    }

    @Test func aCancelledTokenStopsTheSolveAtOnce() throws {
        let cancellation = SolveCancellation()
        cancellation.cancel()
        let result = try Solver.solve(try Self.hardModel(), options: SolveOptions(method: .auto, timeLimit: 60), cancellation: cancellation)
        #expect(result.termination == .interrupted)
    }
}
