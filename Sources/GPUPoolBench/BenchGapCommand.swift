import GPUPoolCommandLine
import GPUPoolSupport
import ArgumentParser
import Foundation
import GPUPoolFormats
import GPUPoolHeuristics
import GPUPoolModel
import GPUPoolSolver
import GPUPoolValidation

/// `gpupool bench gap FILE...`: the auto method against plain GLPK and `glpsol --cuts`, side by side.
struct BenchGapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gap",
        abstract: "Time auto (heuristic + warm-started GLPK), plain GLPK branch-and-cut and `glpsol --cuts` on GAP files.",
        discussion: "--json prints one JSON object per problem, then a summary object."
    )

    @Argument(help: "OR-Library GAP files.")
    var files: [String]

    @OptionGroup var limit: TimeLimitOptions<Defaults>

    @Flag(name: .customLong("no-glpsol"), help: "Skip the glpsol runs.")
    var noGlpsol = false

    @OptionGroup var outputOptions: OutputOptions

    enum Defaults: TimeLimitDefault {
        static var seconds: Double { 20 }
        static var help: String { "Limit per problem and solver, seconds." }
    }

    func run() throws {
        let json = outputOptions.json, timeLimit = limit.timeLimit
        let run = ValidationRun()
        let (problems, errors) = run.loadProblems(files: files)
        if let first = errors.first { throw InputError(first.description) }
        let glpsol = noGlpsol ? nil : Self.findGlpsol()
        var totals = (auto: 0.0, glpk: 0.0, glpsol: 0.0)
        var proven = (auto: 0, glpk: 0, glpsol: 0)
        var rows = [["instance", "auto s", "auto", "glpk s", "glpk", "glpsol s", "glpsol"]]
        let progress = ProgressBar(total: problems.count, label: "bench gap")
        for item in problems {
            progress.step(item.instance)
            let auto: AssignmentSolution, glpk: AssignmentSolution
            do {
                auto = try AssignmentSolver.solve(item.problem, method: .auto, heuristic: AssignmentHeuristic(method: .tabu, timeLimit: 1, seed: 1), timeLimit: timeLimit)
                glpk = try AssignmentSolver.solve(item.problem, method: .mip, timeLimit: timeLimit)
            } catch {
                throw InputError("\(item.instance): \(error.description)")
            }
            let stock = try glpsol.map { try Self.runGlpsol($0, problem: item.problem, timeLimit: timeLimit) }
            totals.auto += auto.seconds
            totals.glpk += glpk.seconds
            totals.glpsol += stock?.seconds ?? 0
            if auto.termination == .optimal { proven.auto += 1 }
            if glpk.termination == .optimal { proven.glpk += 1 }
            if stock?.optimal == true { proven.glpsol += 1 }
            if json {
                print(JSONText.object([
                    ("instance", .string(item.instance)),
                    ("auto", .object([("status", .string(auto.termination.rawValue)), ("objective", .number(auto.objective)), ("bound", .number(auto.bound)), ("seconds", .number(auto.seconds))])),
                    ("glpk", .object([("status", .string(glpk.termination.rawValue)), ("objective", .number(glpk.objective)), ("bound", .number(glpk.bound)), ("seconds", .number(glpk.seconds))])),
                    ("glpsol_cuts", stock.map { .object([("optimal", .bool($0.optimal)), ("seconds", .number($0.seconds))]) } ?? .null),
                ]).serialized)
            }
            rows.append([
                item.instance, String(format: "%.2f", auto.seconds), auto.termination.rawValue,
                String(format: "%.2f", glpk.seconds), glpk.termination.rawValue,
                stock.map { String(format: "%.2f", $0.seconds) } ?? "–", stock.map { $0.optimal ? "optimal" : "not proven" } ?? "–",
            ])
        }
        progress.finish()
        let n = problems.count
        let summary: JSONText = .object([
            ("problems", .integer(n)),
            ("auto_seconds", .number(totals.auto)), ("auto_proven", .integer(proven.auto)),
            ("glpk_seconds", .number(totals.glpk)), ("glpk_proven", .integer(proven.glpk)),
            ("glpsol_cuts_seconds", glpsol == nil ? .null : .number(totals.glpsol)),
            ("glpsol_cuts_proven", glpsol == nil ? .null : .integer(proven.glpsol)),
            ("auto_vs_glpsol_cuts", glpsol == nil || totals.glpsol == 0 ? .null : .number(totals.auto / totals.glpsol)),
            ("auto_vs_glpk", totals.glpk == 0 ? .null : .number(totals.auto / totals.glpk)),
            ("machine", .string(MachineInfo.summary)),
        ])
        if json {
            print(summary.serialized)
        } else {
            print(TextTable.render(rows))
            print(String(format: "total: auto %.1f s (%d/%d proven), GLPK %.1f s (%d/%d)", totals.auto, proven.auto, n, totals.glpk, proven.glpk, n)
                  + (glpsol == nil ? "" : String(format: ", glpsol --cuts %.1f s (%d/%d); auto/glpsol = %.2f", totals.glpsol, proven.glpsol, n, totals.glpsol > 0 ? totals.auto / totals.glpsol : 0)))
        }
    }

    static func findGlpsol() -> URL? { ProcessRunner.onPath("glpsol") }

    /// Writes the problem in glpsol's LP dialect and times `glpsol --cuts` on it (wall clock of the
    /// process, reading included: glpsol reads these small files in milliseconds).
    static func runGlpsol(_ glpsol: URL, problem: AssignmentProblem, timeLimit: Double) throws -> (seconds: Double, optimal: Bool) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gpupool-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("problem.lp").path
        do {
            let program = try problem.makeModel().lowered()
            let encoded = try LPWriter(dialect: .glpk).encode(program, file: path)
            try Data(encoded.bytes).write(to: URL(fileURLWithPath: path))
        } catch {
            throw InputError("cannot write the problem for glpsol: \(error)")
        }
        let (result, seconds) = try ProcessStats.time {
            try ProcessRunner.run(glpsol, ["--lp", path, "--cuts", "--tmlim", String(Int(timeLimit.rounded(.up)))])
        }
        let text = result.stdout
        return (seconds, text.contains("INTEGER OPTIMAL SOLUTION FOUND"))
    }
}
