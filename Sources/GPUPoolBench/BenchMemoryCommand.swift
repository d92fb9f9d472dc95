import GPUPoolCommandLine
import GPUPoolSupport
import ArgumentParser
import Foundation
import GPUPoolModel
import GPUPoolSolver

/// `gpupool bench memory`: resident memory across a long loop of solves (leak check).
///
/// Runs in its own process so that nothing else moves the resident set: tests call it rather
/// than measuring inside a test runner whose other tests allocate in parallel.
struct BenchMemoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory",
        abstract: "Solve a small MIP and an LP repeatedly and report how resident memory grows.",
        discussion: "--json prints one JSON object: resident memory before and after, and the growth."
    )

    @Option(parsing: .unconditional, help: "Rounds to measure (after 50 warm-up rounds); each round solves one MIP and one LP.")
    var rounds: Int = 300

    @Option(name: .customLong("max-growth-kb"), parsing: .unconditional,
            help: "Fail (exit 1) when resident memory grows by more than this many kB: the leak check CI runs.")
    var maxGrowthKB: Int?

    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        guard (1...1_000_000).contains(rounds) else { throw ValidationError("--rounds \(rounds): must be between 1 and 1,000,000") }
        if let maxGrowthKB, maxGrowthKB < 0 { throw ValidationError("--max-growth-kb \(maxGrowthKB): must not be negative") }
    }

    func run() throws {
        let json = outputOptions.json
        let (mip, lp) = try Self.models()
        func round() throws {
            let a = try Solver.solve(mip, options: SolveOptions(method: .auto, iterationLimit: Solver.hasExactSolver ? nil : 2_000))
            let b = try Solver.solve(lp, options: SolveOptions(method: Solver.hasExactSolver ? .dual : .heuristic, iterationLimit: Solver.hasExactSolver ? nil : 2_000))
            guard a.hasSolution, b.hasSolution || !Solver.hasExactSolver else {
                throw InputError("a benchmark solve failed: \(a.termination.rawValue), \(b.termination.rawValue)")
            }
        }
        for _ in 0..<50 { try round() }
        let before = ProcessStats.residentMiB
        for _ in 0..<rounds { try round() }
        let after = ProcessStats.residentMiB
        let value: JSONText = .object([
            ("rounds", .integer(rounds)), ("solver", .string(Solver.exactSolverName ?? "heuristic")),
            ("rss_before_mb", .number(before)), ("rss_after_mb", .number(after)),
            ("growth_kb", .integer(Int(((after - before) * 1024).rounded()))),
        ])
        print(json ? value.serialized : "\(rounds) rounds: resident \(before) → \(after) MiB")
        let growth = Int(((after - before) * 1024).rounded())
        if let maxGrowthKB, growth > maxGrowthKB {
            FileHandle.standardError.write(Data("resident memory grew by \(growth) kB over \(rounds) rounds (limit \(maxGrowthKB) kB)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// A 20-item knapsack and a two-variable LP.
    static func models() throws -> (LinearProgram, LinearProgram) {
        var knapsack = Model(name: "knapsack")
        let items = knapsack.addVariables(count: 20, kind: .binary)
        let values = (0..<20).map { Double(10 + ($0 * 7) % 13) }, weights = (0..<20).map { Double(3 + ($0 * 5) % 11) }
        knapsack.addConstraint(LinearExpression(terms: zip(items, weights).map { ($0, $1) }) <= 50)
        knapsack.maximize(LinearExpression(terms: zip(items, values).map { ($0, $1) }))
        var small = Model(name: "wyndor")
        let x = small.addVariable(upper: 4), y = small.addVariable(upper: 6)
        small.addConstraint(3 * x + 2 * y <= 18)
        small.maximize(3 * x + 5 * y)
        do { return (try knapsack.lowered(), try small.lowered()) } catch { throw InputError(error.description) }
    }
}
