import Dispatch
import Foundation
import GPUPoolModel
import Synchronization
import Testing

@testable import GPUPoolGLPK

#if GLPK
@Suite("GLPK robustness")
struct RobustnessTests {
    @Test("GLPK misuse is caught by the error hook, and the thread solves normally afterwards",
          arguments: [GLPKSelfTest.Misuse.rowIndexOutOfRange, .duplicateIndex])
    func errorHook(misuse: GLPKSelfTest.Misuse) throws {
        let caught = GLPKSelfTest.provoke(misuse)
        #expect(caught.code == GLPKSelfTest.glpkErrorCode)
        #expect(caught.message.contains("GLPK error"))
        #expect(caught.message.contains(misuse == .rowIndexOutOfRange ? "glp_set_row_name" : "glp_set_mat_row"), "\(caught.message)")
        // Same thread, straight after: GLPK's environment was freed and is recreated cleanly.
        let solution = try GLPKSolver().solve(TestModels.wyndor(), options: SolveOptions())
        #expect(solution.termination == .optimal)
        #expect(isClose(solution.objective, 36))
        let again = GLPKSelfTest.provoke(misuse)
        #expect(again.code == GLPKSelfTest.glpkErrorCode)
    }

    @Test("16 threads solving at once all get correct answers")
    func concurrentSolves() throws {
        let problems = (0..<16).map { TestModels.randomKnapsack(seed: UInt64(100 + $0), items: 35) }
        let programs = try problems.map { try TestModels.knapsack(values: $0.values, weights: $0.weights, capacity: $0.capacity) }
        let optima = problems.map { TestModels.knapsackOptimum(values: $0.values, weights: $0.weights, capacity: $0.capacity) }
        let results = Mutex<[Int: [Double]]>([:])
        let start = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        for k in 0..<16 {
            done.enter()
            let thread = Thread {
                start.wait()  // all threads begin together
                var objectives: [Double] = []
                for round in 0..<5 {
                    let options = SolveOptions(method: round % 2 == 0 ? .auto : .mip, presolve: round != 3)
                    let solution = try? GLPKSolver().solve(programs[k], options: options)
                    objectives.append(solution?.termination == .optimal ? solution?.objective ?? .nan : .nan)
                }
                results.withLock { $0[k] = objectives }
                done.leave()
            }
            thread.start()
        }
        for _ in 0..<16 { start.signal() }
        done.wait()
        let found = results.withLock { $0 }
        for k in 0..<16 {
            let objectives = found[k] ?? []
            #expect(objectives.count == 5 && objectives.allSatisfy { isClose($0, Double(optima[k])) }, "problem \(k): \(objectives) vs \(optima[k])")
        }
    }

    @Test("repeated solves, errors included, stay correct")
    func repeatedSolves() throws {
        // Resident memory over this loop is checked in a separate process by the CLI tests
        // (`gpupool bench memory`): here other tests allocate in parallel.
        let data = TestModels.randomKnapsack(seed: 9, items: 20)
        let mip = try TestModels.knapsack(values: data.values, weights: data.weights, capacity: data.capacity)
        let lp = try TestModels.wyndor()
        let solver = GLPKSolver()
        for _ in 0..<100 {
            #expect(try solver.solve(mip, options: SolveOptions()).termination == .optimal)
            #expect(try solver.solve(lp, options: SolveOptions(method: .dual)).termination == .optimal)
            #expect(GLPKSelfTest.provoke(.rowIndexOutOfRange).code == GLPKSelfTest.glpkErrorCode)
        }
    }

    @Test("oversized programs are refused with the limit named")
    func sizeLimits() throws {
        #expect(GLPKLimits.problems(rows: 10, columns: 10, nonzeros: 100).isEmpty)
        let issues = GLPKLimits.problems(rows: Int(Int32.max), columns: 5, nonzeros: 600_000_000)
        #expect(issues.count == 2)
        #expect(issues.map(\.message).joined().contains("rows: GLPK takes at most 100000000"))
        #expect(issues.map(\.message).joined().contains("nonzeros: GLPK takes at most 500000000"))
        #expect(GLPKLimits.maximumRows < Int(Int32.max) - 1 && GLPKLimits.maximumNonzeros < Int(Int32.max) - 1)
    }
}
#endif
