import Foundation
import GPUPoolModel
import GPUPoolTestSupport
import Synchronization
import Testing

@testable import GPUPoolSolver

/// `SolveProgress` through `Solver.solve` for every method: reports only when the incumbent or the
/// bound improves, both move only one way, incumbents are values of feasible points (never better
/// than the final answer's bound), and the last report is the answer.
@Suite("Solve progress")
struct SolveProgressTests {
    @Test(arguments: [SolveMethod.heuristic, .auto] + (Solver.hasExactSolver ? [SolveMethod.mip] : []))
    func reportsImproveAndEndAtTheAnswer(method: SolveMethod) throws {
        // Minimising assignment cost: 60 items on 8 bins.
        let program = try AutoBesideGLPKTests.assignmentModel(items: 60, bins: 8, seed: 5)
        let reports = Mutex<[SolveProgressReport]>([])
        let progress = SolveProgress { report in reports.withLock { $0.append(report) } }
        #expect(progress.lastReport == nil)
        let solution = try Solver.solve(program, options: SolveOptions(method: method, timeLimit: 5), cancellation: nil, progress: progress)
        let seen = reports.withLock { $0 }
        let objective = try #require(solution.objective, "\(method): \(solution.termination)")
        #expect(!seen.isEmpty)
        for (a, b) in zip(seen, seen.dropFirst()) {
            #expect(b.seconds >= a.seconds)
            if let x = a.incumbent { #expect(b.incumbent.map { $0 <= x } == true, "\(method): incumbent \(x) then \(b.incumbent ?? .nan)") }
            if let x = a.bound { #expect(b.bound.map { $0 >= x } == true, "\(method): bound \(x) then \(b.bound ?? .nan)") }
            #expect(a.incumbent != b.incumbent || a.bound != b.bound, "\(method): a report without a change")
        }
        let last = try #require(seen.last)
        #expect(last == progress.lastReport)
        #expect(abs((last.incumbent ?? .nan) - objective) < 1e-6 * max(1, abs(objective)))
        if let bound = solution.bestBound { #expect(last.bound == bound) }
        // No reported point beats what the solve proves about the optimum.
        if let bound = last.bound { for report in seen { if let x = report.incumbent { #expect(x >= bound - 1e-6 * max(1, abs(bound))) } } }
        #expect(progress.current.seconds >= last.seconds)
    }

    @Test(.enabled(if: BuildTraits.glpk, BuildTraits.needsGLPK))
    func anLPReportsItsOptimumAsIncumbentAndBound() throws {
        var model = Model()
        let x = model.addVariable(upper: 4)
        let y = model.addVariable(upper: 3)
        model.addConstraint(x + y <= 5)
        model.maximize(2 * x + y)
        let progress = SolveProgress()
        let solution = try Solver.solve(try model.lowered(), options: SolveOptions(), cancellation: nil, progress: progress)
        #expect(solution.termination == .optimal)
        #expect(progress.lastReport?.incumbent == 9)
        #expect(progress.lastReport?.bound == 9)
    }
}

@Suite("Solve progress as an AsyncSequence")
struct SolveProgressStreamTests {
    @Test func reportsStreamUntilTheSolveEnds() async throws {
        let program = try AutoBesideGLPKTests.assignmentModel(items: 40, bins: 6, seed: 9)
        let progress = SolveProgress()
        let reader = Task {
            var seen: [SolveProgressReport] = []
            for await report in progress.reports() { seen.append(report) }
            return seen
        }
        // Whenever the reader subscribes, `reports()` replays the latest report first, so it ends
        // with the final one either way.
        let solution = try await Solver.solveInBackground(program, options: SolveOptions(method: .heuristic, timeLimit: 2), progress: progress)
        let seen = await reader.value  // ends: the solve finished the stream
        #expect(!seen.isEmpty)
        #expect(seen.last == progress.lastReport)
        #expect(seen.last?.incumbent == solution.objective)
        var late: [SolveProgressReport] = []
        for await report in progress.reports() { late.append(report) }
        #expect(late == [progress.lastReport].compactMap { $0 })
    }
}

@Suite("Solve progress when the solve throws", .timeLimit(.minutes(10)))
struct SolveProgressThrowTests {
    @Test func theStreamEndsWhenTheSolveThrows() async throws {
        var model = Model()
        let x = model.addVariable(upper: 4)
        model.maximize(1 * x)
        let program = try model.lowered()
        let progress = SolveProgress()
        // Subscribed before the solve: without the close on a throw this stream would never end.
        let reports = progress.reports()
        let reader = Task { () -> Int in
            var count = 0
            for await _ in reports { count += 1 }
            return count
        }
        // A negative time limit is refused before the solve starts.
        #expect(throws: SolverError.self) {
            try Solver.solve(program, options: SolveOptions(timeLimit: -1), cancellation: nil, progress: progress)
        }
        #expect(await reader.value == 0)
    }
}
