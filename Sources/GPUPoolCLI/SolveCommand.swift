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
            stderr, or the `warnings` array with --json.
            """
    )

    @Argument(help: "The model file (.mps, .lp, .json).")
    var file: String

    @Option(help: "File format: mps, fixed-mps, lp, json (default: from the file name).")
    var format: ModelFormatOption?

    @Option(help: "auto, simplex, dual, interior, mip or heuristic.")
    var method: SolveMethodOption = .init(.auto)

    @Option(name: .customLong("time-limit"), help: "Wall-clock limit in seconds.")
    var timeLimit: Double?

    @Option(name: .customLong("mip-gap"), help: "Relative MIP gap at which to stop.")
    var mipGap: Double?

    @Flag(help: "Print exactly one JSON object on stdout.")
    var json = false

    @Flag(help: "Echo the solver's log on stderr.")
    var verbose = false

    @Option(help: "Also write the JSON result to this file.")
    var output: String?

    func run() throws {
        let options = SolveOptions(method: method.value, timeLimit: timeLimit, relativeGap: mipGap, verbose: verbose)
        do { try options.validate(columnCount: 0) } catch { throw InputError(error.description) }
        let (program, warnings) = try ModelLoader.load(file, format: format?.value)
        let solution: Solution
        do {
            solution = try Solver.solve(program, options: options)
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

struct ModelFormatOption: ExpressibleByArgument {
    let value: ModelFormat
    init?(argument: String) {
        switch argument.lowercased() {
        case "mps", "free-mps": value = .mps
        case "fixed-mps": value = .fixedMPS
        case "lp": value = .lp
        case "json": value = .json
        default: return nil
        }
    }
    static var allValueStrings: [String] { ["mps", "fixed-mps", "lp", "json"] }
}

struct SolveMethodOption: ExpressibleByArgument {
    let value: SolveMethod
    init(_ value: SolveMethod) { self.value = value }
    init?(argument: String) {
        guard let m = SolveMethod(rawValue: argument.lowercased()) else { return nil }
        value = m
    }
    var defaultValueDescription: String { value.rawValue }
    static var allValueStrings: [String] { SolveMethod.allCases.map(\.rawValue) }
}
