import GPUPoolCommandLine
import GPUPoolSupport
import ArgumentParser
import Foundation
import GPUPoolFormats
import GPUPoolModel
import GPUPoolSolver

/// `gpupool solve FILE`: read a model, solve it, print the result.
struct SolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "Solve an LP/MIP model from an MPS, CPLEX LP or JSON file.",
        discussion: """
            Bad input (unreadable file, parse error, NaN, contradictory bounds, bad flag) prints one line \
            `error: FILE:LINE: reason` on stderr and exits with code 2. Every solver outcome, infeasible \
            included, exits 0. What the reader ignored or decided by convention (a second RHS/RANGES/BOUNDS \
            set, text after ENDATA/End, …) is reported: one `warning: FILE:LINE: message` line each on \
            stderr, or the `warnings` array with --json. --json prints exactly one JSON object on stdout.
            """
    )

    @Argument(help: "The model file (.mps, .lp, .json).")
    var file: String

    @Option(help: "File format; without it, taken from the file name.")
    var format: ModelFormat?

    @Option(help: "Solve method.")
    var method: SolveMethod = .auto

    @Option(name: .customLong("time-limit"), parsing: .unconditional, help: "Wall-clock limit in seconds.")
    var timeLimit: Double?

    @Option(name: .customLong("mip-gap"), parsing: .unconditional, help: "Relative MIP gap at which to stop.")
    var mipGap: Double?

    @Option(name: .customLong("absolute-gap"), parsing: .unconditional, help: "Absolute MIP gap at which to stop: |incumbent - bound| <= this.")
    var absoluteGap: Double?

    @Option(name: .customLong("node-limit"), parsing: .unconditional, help: "Branch-and-cut stops once this many nodes exist (status node_limit).")
    var nodeLimit: Int?

    @Option(name: .customLong("solution-limit"), parsing: .unconditional, help: "Branch-and-cut stops after this many improving integer points (status solution_limit); 1 asks for any feasible point.")
    var solutionLimit: Int?

    @OptionGroup var outputOptions: OutputOptions

    @Flag(help: "Echo the solver's log on stderr.")
    var verbose = false

    @Option(help: "Also write the JSON result to this file.")
    var output: String?

    @Flag(help: "Print a line on stderr each time the best point or the bound improves (seconds, incumbent, bound, gap).")
    var progress = false

    private var options: SolveOptions {
        SolveOptions(method: method, timeLimit: timeLimit, relativeGap: mipGap, absoluteGap: absoluteGap,
                     nodeLimit: nodeLimit, solutionLimit: solutionLimit, verbose: verbose)
    }

    func validate() throws {
        do { try options.validate(columnCount: 0) } catch { throw ValidationError(error.description) }
    }

    /// One line per report: `progress 0.412 s  incumbent 1234  bound 1200  gap 2.83 %`.
    static func progressPrinter() -> SolveProgress {
        SolveProgress { report in
            func number(_ value: Double?) -> String { value.map { String(format: "%.10g", $0) } ?? "-" }
            var line = String(format: "progress %.3f s", report.seconds) + "  incumbent \(number(report.incumbent))  bound \(number(report.bound))"
            if let x = report.incumbent, let b = report.bound {
                line += String(format: "  gap %.2f %%", 100 * abs(x - b) / max(1e-9, abs(x)))
            }
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    func run() throws {
        let json = outputOptions.json
        let (program, warnings) = try ModelLoader.load(file, format: format)
        let solution: Solution
        do {
            solution = try Solver.solve(program, options: options, cancellation: nil, progress: progress ? Self.progressPrinter() : nil)
        } catch {
            throw InputError("\(file): \(error.description)")
        }
        if verbose && !solution.log.isEmpty { FileHandle.standardError.write(Data(solution.log.utf8)) }
        let report = SolutionReport(program: program, solution: solution, warnings: warnings)
        let result = report.json.serialized
        if let output { try writeAtomically(result + "\n", to: output) }
        if json {
            print(result)
        } else {
            if !warnings.isEmpty {
                FileHandle.standardError.write(Data(warnings.map { "warning: \($0)\n" }.joined().utf8))
            }
            print(report.text)
        }
    }
}

/// Reads and lowers a model file, turning every failure into an `InputError` naming the file.
/// The reader's warnings come back with the program; callers must show them.
enum ModelLoader {
    static func load(_ path: String, format: ModelFormat?) throws -> (program: LinearProgram, warnings: [FormatWarning]) {
        let read: ReadResult
        do {
            read = try ModelFile.read(path: path, format: format)
        } catch {
            throw InputError(error.description)
        }
        do {
            return (try read.model.lowered(), read.warnings)
        } catch {
            throw InputError("\(path): \(error.description)")
        }
    }
}
