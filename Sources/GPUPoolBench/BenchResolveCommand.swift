import ArgumentParser
import Foundation
import GPUPoolCommandLine
import GPUPoolModel
import GPUPoolSolver
import GPUPoolSupport

/// `gpupool-bench resolve --model fac --size 25`: re-solving an LP after a few bound changes, warm
/// (a ``SolverSession`` keeps GLPK's problem and basis) against cold (a new solve of the edited
/// program).
struct BenchResolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Re-solve the LP relaxation of fac-N after changing 1 % of its bounds: warm session against a cold solve.",
        discussion: """
        Each round picks --fraction of the columns that have two finite bounds (seeded) and lowers \
        each one's upper bound to the middle of its lower bound and its current value, or of its \
        range when it sits at its lower bound: a capacity cut that moves part of the optimum. The \
        warm time is the session's apply + solve (dual simplex from the kept basis); the cold time \
        is Solver.solve on the edited program with the default method (primal simplex with \
        presolve). Both answers must agree (relative 1e-6), else the command fails. --json prints \
        {"model", "rounds", "changed_bounds", "cold_seconds", "warm_seconds", "ratio", ...}: the \
        medians over the rounds.
        """
    )

    @Option(help: "Benchmark model (fac: JuMP/PyOptInterface facility location).")
    var model: BenchBuildCommand.Model = .fac

    @Option(parsing: .unconditional, help: "Model size N (fac-N has G = F = N).")
    var size: Int = 25

    @Option(parsing: .unconditional, help: "Share of the columns whose bounds change per round.")
    var fraction: Double = 0.01

    @Option(parsing: .unconditional, help: "Rounds of changes; each is re-solved warm and cold.")
    var rounds: Int = 3

    @Option(parsing: .unconditional, help: "Seed of the column choice.")
    var seed: UInt64 = 1

    @Option(help: "Method of the warm re-solves: dual (the usual choice after bound changes, which keep the basis dual feasible) or simplex (primal).")
    var warmMethod: SolveMethod = .dual

    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        guard (1...200).contains(size) else { throw ValidationError("--size \(size): must be between 1 and 200") }
        guard fraction > 0 && fraction <= 1 else { throw ValidationError("--fraction \(fraction): must be in (0, 1]") }
        guard (1...100).contains(rounds) else { throw ValidationError("--rounds \(rounds): must be between 1 and 100") }
        guard [.dual, .simplex].contains(warmMethod) else { throw ValidationError("--warm-method \(warmMethod.rawValue): must be dual or simplex") }
    }

    func run() throws {
        guard Solver.hasExactSolver else { throw InputError("resolve needs GLPK; this build has none") }
        var program = try FacilityLocation.build(size: size).lowered()
        program.isInteger = Array(repeating: false, count: program.columnCount)   // the LP relaxation

        let session = try SolverSession(program)
        let (first, firstSeconds) = try ProcessStats.time { try session.solve(options: SolveOptions(method: .dual)) }
        guard first.termination == .optimal else { throw InputError("the first solve ended \(first.termination.rawValue)") }

        let candidates = program.columnLower.indices.filter { program.columnLower[$0].isFinite && program.columnUpper[$0].isFinite }
        let perRound = max(1, Int((fraction * Double(program.columnCount)).rounded()))
        var generator = SeededGenerator(seed: seed)
        var values = first.values
        var cold: [Double] = [], warm: [Double] = [], coldIterations: [Int] = [], warmIterations: [Int] = []
        for _ in 0..<rounds {
            let current = session.program
            let chosen = candidates.shuffled(using: &generator).prefix(perRound)
            let edits: [ProgramEdit] = chosen.map { j in
                let lower = current.columnLower[j], upper = current.columnUpper[j], value = values[j]
                let cut = value > lower + 1e-9 ? (lower + value) / 2 : (lower + upper) / 2
                return .columnBounds(column: j, lower: lower, upper: cut)
            }
            let edited = try current.applying(edits)
            let (coldSolution, coldSeconds) = try ProcessStats.time { try Solver.solve(edited) }
            let (warmSolution, warmSeconds) = try ProcessStats.time { () throws(SolverError) -> Solution in
                try session.apply(edits)
                return try session.solve(options: SolveOptions(method: warmMethod))
            }
            guard coldSolution.termination == warmSolution.termination else {
                throw InputError("cold solve ended \(coldSolution.termination.rawValue), warm \(warmSolution.termination.rawValue)")
            }
            if let a = coldSolution.objective, let b = warmSolution.objective, abs(a - b) > 1e-6 * max(1, abs(a)) {
                throw InputError("cold objective \(a) and warm \(b) disagree")
            }
            cold.append(coldSeconds)
            warm.append(warmSeconds)
            coldIterations.append(coldSolution.iterations)
            warmIterations.append(warmSolution.iterations)
            if warmSolution.hasSolution { values = warmSolution.values }
        }
        let coldMedian = Percentile.nearestRank(cold.sorted(), 0.5) ?? 0, warmMedian = Percentile.nearestRank(warm.sorted(), 0.5) ?? 0
        let result: JSONText = .object([
            ("model", .string("fac-\(size) LP relaxation")),
            ("variables", .integer(program.columnCount)),
            ("constraints", .integer(program.rowCount)),
            ("rounds", .integer(rounds)),
            ("warm_method", .string(warmMethod.rawValue)),
            ("changed_bounds", .integer(perRound)),
            ("first_solve_seconds", .number(firstSeconds)),
            ("cold_seconds", .number(coldMedian)),
            ("warm_seconds", .number(warmMedian)),
            ("ratio", .number(coldMedian / max(warmMedian, 1e-9))),
            ("cold_iterations", .integer(coldIterations.sorted()[coldIterations.count / 2])),
            ("warm_iterations", .integer(warmIterations.sorted()[warmIterations.count / 2])),
            ("solver", .string(Solver.exactSolverName ?? "none")),
        ])
        if outputOptions.json {
            print(result.serialized)
        } else {
            print("fac-\(size) LP relaxation: \(program.columnCount) variables, \(program.rowCount) constraints; \(perRound) bounds changed per round, \(rounds) rounds")
            print(String(format: "cold %.3f s (%d iterations), warm %.3f s (%d iterations): %.1f× faster warm",
                         coldMedian, coldIterations.sorted()[coldIterations.count / 2], warmMedian,
                         warmIterations.sorted()[warmIterations.count / 2], coldMedian / max(warmMedian, 1e-9)))
        }
    }
}
