import GPUPoolModel
import Synchronization
import Testing

@testable import GPUPoolGLPK

#if GLPK
/// `GLPKSolver.onProgress` against knapsack optima computed by dynamic programming: every incumbent
/// GLPK reports is a value some point reaches (never past the optimum), every bound is a bound
/// (never short of it), both only improve, and a proven solve's last incumbent is the optimum —
/// with and without the MIP presolver, in both senses, with an objective constant (which the
/// presolved problem GLPK's callback sees must carry).
@Suite("GLPK branch-and-cut progress")
struct GLPKProgressTests {
    @Test(arguments: [(1 as UInt64, true), (2, false), (3, true), (4, false), (5, true), (6, true)])
    func reportsAreTrueToTheOptimum(seed: UInt64, presolve: Bool) throws {
        let k = TestModels.randomKnapsack(seed: seed, items: 40)
        let optimum = Double(TestModels.knapsackOptimum(values: k.values, weights: k.weights, capacity: k.capacity))
        let constant = 17.25
        for maximize in [true, false] {
            var program = try TestModels.knapsack(values: k.values, weights: k.weights, capacity: k.capacity)
            program.objectiveConstant = constant
            // Minimising the negated values has optimum −optimum (+ the constant).
            if !maximize {
                program.sense = .minimize
                program.objective = program.objective.map { -$0 }
            }
            let best = maximize ? optimum + constant : -optimum + constant
            let reports = Mutex<[GLPKProgress]>([])
            let solver = GLPKSolver(onProgress: { report in reports.withLock { $0.append(report) } })
            let solution = try solver.solve(program, options: SolveOptions(method: .mip, presolve: presolve, cuts: false))
            let seen = reports.withLock { $0 }
            let label = "seed \(seed) presolve \(presolve) maximize \(maximize)"
            #expect(solution.termination == .optimal, "\(label): \(solution.termination)")
            #expect(abs((solution.objective ?? .nan) - best) < 1e-6, "\(label): objective \(solution.objective ?? .nan) vs \(best)")
            #expect(!seen.isEmpty, "\(label): no progress reported")
            let incumbents = seen.compactMap(\.incumbent)
            let bounds = seen.compactMap(\.bound)
            #expect(!incumbents.isEmpty, "\(label): no incumbent reported; \(seen) \(solution.nodes) \(solution.message ?? "")")
            let better: (Double, Double) -> Bool = maximize ? { $0 >= $1 - 1e-9 } : { $0 <= $1 + 1e-9 }
            for value in incumbents { #expect(better(best, value), "\(label): incumbent \(value) beyond the optimum \(best)") }
            for value in bounds { #expect(better(value, best), "\(label): bound \(value) short of the optimum \(best)") }
            for (a, b) in zip(incumbents, incumbents.dropFirst()) { #expect(better(b, a), "\(label): incumbent went from \(a) to \(b)") }
            if let last = incumbents.last { #expect(abs(last - best) < 1e-6, "\(label): last incumbent \(last) vs optimum \(best)") }
        }
    }
}
#endif
