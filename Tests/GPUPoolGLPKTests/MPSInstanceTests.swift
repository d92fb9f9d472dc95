import Foundation
import GPUPoolTestSupport
import GPUPoolFormats
import GPUPoolModel
import Testing

@testable import GPUPoolGLPK

#if GLPK
/// The shared Netlib/MIPLIB instances (`../shared/data/mps`, see its README), solved end to end:
/// MPS reader → lowered program → GLPK, against the HiGHS reference values in `optima.json`.
@Suite("GLPK on the shared MPS instances", .enabled(if: SharedMPS.isPresent, "../shared/data/mps is absent; shared MPS instance tests skipped"))
struct MPSInstanceTests {
    @Test("reaches the reference optimum", arguments: SharedMPS.cases(where: { $0.expectsOptimum }))
    func optimum(_ instance: SharedMPS.Instance) throws {
        let program = try SharedMPS.program(instance.name)
        let solution = try GLPKSolver().solve(program, options: SolveOptions(timeLimit: 60))
        let reference = try #require(instance.reference)
        #expect(solution.termination == .optimal, "\(instance.name): \(solution.termination) \(solution.message ?? "")")
        #expect(isClose(solution.objective, reference, relative: 1e-6), "\(instance.name): \(solution.objective.map(String.init(describing:)) ?? "nil") vs \(reference)")
        expectVerified(solution, program)
    }

    @Test("reports infeasibility", arguments: SharedMPS.cases(where: { $0.expectsInfeasible }))
    func infeasible(_ instance: SharedMPS.Instance) throws {
        let program = try SharedMPS.program(instance.name)
        let solution = try GLPKSolver().solve(program, options: SolveOptions(timeLimit: 60))
        #expect([.infeasible, .infeasibleOrUnbounded].contains(solution.termination), "\(instance.name): \(solution.termination) \(solution.message ?? "")")
        #expect(solution.primalStatus == .noSolution)
    }

    /// optima.json records glpsol's verdict on gas11 as infeasible, but glpsol's default output is
    /// "PROBLEM HAS NO DUAL FEASIBLE SOLUTION" (infeasible or unbounded), and GLPK's exact-arithmetic
    /// simplex (`glpsol --freemps gas11.mps --exact`) proves it unbounded.
    @Test("gas11 is unbounded", .enabled(if: SharedMPS.cases(where: { $0.name == "gas11" }).count == 1, "gas11 is not in optima.json"),
          arguments: [SolveMethod.auto, .simplex, .dual, .interior])
    func gas11(method: SolveMethod) throws {
        let program = try SharedMPS.program("gas11")
        for presolve in [true, false] {
            let solution = try GLPKSolver().solve(program, options: SolveOptions(method: method, presolve: presolve))
            #expect(solution.termination == .unbounded, "\(method), presolve \(presolve): \(solution.termination) \(solution.message ?? "")")
        }
    }
}

/// Locates and describes `../shared/data/mps`.
enum SharedMPS {
    struct Instance: Sendable, CustomTestStringConvertible {
        var name: String
        var reference: Double?
        var referenceStatus: String
        var glpsolStatus: String
        var glpsolSeconds: Double?

        var testDescription: String { name }

        /// Optimal per the reference, and quick for GLPK (or unreadable by glpsol, whose reader is
        /// stricter than ours; those files are tiny).
        var expectsOptimum: Bool {
            guard referenceStatus == "optimal", reference != nil else { return false }
            if glpsolStatus == "read-error" { return true }
            return ["OPTIMAL", "INTEGER OPTIMAL"].contains(glpsolStatus) && (glpsolSeconds ?? .infinity) <= 10
        }

        /// Infeasible per the reference.
        var expectsInfeasible: Bool { referenceStatus == "infeasible" }
    }

    static let directory: URL? = {
        let candidates = [
            TestPaths.sharedData.appendingPathComponent("mps"),
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("../shared/data/mps"),
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("optima.json").path) }?.standardizedFileURL
    }()

    static var isPresent: Bool { directory != nil }

    static func cases(where include: (Instance) -> Bool) -> [Instance] {
        guard let directory,
              let data = try? Data(contentsOf: directory.appendingPathComponent("optima.json")),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [] }
        return root.keys.sorted().compactMap { name -> Instance? in
            guard let entry = root[name] as? [String: Any] else { return nil }
            let glpsol = entry["glpsol"] as? [String: Any] ?? [:]
            let instance = Instance(
                name: name, reference: entry["reference"] as? Double,
                referenceStatus: entry["reference_status"] as? String ?? "",
                glpsolStatus: glpsol["status"] as? String ?? "", glpsolSeconds: glpsol["seconds"] as? Double
            )
            return include(instance) ? instance : nil
        }
    }

    static func program(_ name: String) throws -> LinearProgram {
        let directory = try #require(directory)
        let path = directory.appendingPathComponent("\(name).mps").path
        return try MPSReader().read(contentsOf: path).model.lowered()
    }
}
#endif
