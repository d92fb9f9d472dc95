import ArgumentParser
import GPUPoolCommandLine
import GPUPoolSupport
import Foundation
import GPUPoolFormats
import GPUPoolModel
import GPUPoolSolver

/// `gpupool-bench …`: the benchmarks whose figures go into README, kept out of the `gpupool`
/// product. Same subcommands, flags and JSON as the former `gpupool bench …`.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gpupool-bench",
        abstract: "GPUPool benchmarks (build with: swift build -c release --product gpupool-bench).",
        version: GPUPoolVersion.string,
        subcommands: [
            BenchBuildCommand.self, BenchGapCommand.self, BenchPlanCommand.self, BenchAllocationCommand.self,
            BenchTelemetryCommand.self, BenchReplanCommand.self, BenchServeCommand.self, BenchMemoryCommand.self, BenchResolveCommand.self,
        ]
    )

    /// Failures print `error: …` and exit 2, as in `gpupool`.
    static func main() async { await CommandMain.run(Self.self) }
}

/// `gpupool bench build --model fac --size N`: model-building and GLPK-loading speed.
struct BenchBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build a benchmark model through the public API, lower it and load it into GLPK (no solve).",
        discussion: "--json prints one JSON object: sizes, seconds and peak memory."
    )

    /// The benchmark models.
    enum Model: String, CaseIterable, ExpressibleByArgument {
        /// JuMP/PyOptInterface facility location.
        case fac
    }

    @Option(help: "Benchmark model (fac: JuMP/PyOptInterface facility location).")
    var model: Model = .fac

    @Option(parsing: .unconditional, help: "Model size N (fac-N has G = F = N).")
    var size: Int = 50

    @Option(help: ArgumentHelp("Also write the lowered model to this file (format from the extension: .mps, .lp, …), e.g. to solve it with glpsol beside GPUPool.", valueName: "file"))
    var write: String?

    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        guard (1...400).contains(size) else { throw ValidationError("--size \(size): must be between 1 and 400") }
    }

    func run() throws {
        let json = outputOptions.json
        let (built, buildSeconds) = ProcessStats.time { FacilityLocation.build(size: size) }
        let (loweredResult, lowerSeconds) = ProcessStats.time { Result { try built.lowered() } }
        let program = try loweredResult.get()
        if let write {
            do {
                for warning in try ModelFile.write(program, to: write) { FileHandle.standardError.write(Data("\(warning)\n".utf8)) }
            } catch {
                throw InputError(error.description)
            }
        }
        let loadSeconds: Double?
        do {
            loadSeconds = try Solver.loadIntoExactSolver(program)
        } catch {
            throw InputError(error.description)
        }
        let total = buildSeconds + lowerSeconds + (loadSeconds ?? 0)
        let result: JSONText = .object([
            ("model", .string("fac-\(size)")),
            ("variables", .integer(program.columnCount)),
            ("constraints", .integer(program.rowCount)),
            ("nonzeros", .integer(program.matrix.nonzeroCount)),
            ("build_seconds", .number(buildSeconds + lowerSeconds)),
            ("load_seconds", .number(loadSeconds)),
            ("seconds", .number(total)),
            ("peak_rss_mb", .number((ProcessStats.peakResidentMiB * 10).rounded() / 10)),
        ])
        if json {
            print(result.serialized)
        } else {
            print("fac-\(size): \(program.columnCount) variables, \(program.rowCount) constraints, \(program.matrix.nonzeroCount) nonzeros")
            print(String(format: "build + lower %.3f s, GLPK load %@, total %.3f s, peak RSS %.0f MiB",
                         buildSeconds + lowerSeconds, loadSeconds.map { String(format: "%.3f s", $0) } ?? "n/a (built without GLPK)",
                         total, ProcessStats.peakResidentMiB))
        }
    }
}
