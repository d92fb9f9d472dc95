import GPUPoolCommandLine
import GPUPoolSupport
import ArgumentParser
import Foundation
import GPUPoolHeuristics
import GPUPoolValidation

/// `gpupool validate FILE...`: measure a heuristic against known or exact optima.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Measure a heuristic against known or exact optima on generalized-assignment files (OR-Library format).",
        discussion: """
            Each problem of each file runs the heuristic; with --exact also the auto method (heuristic warm start + \
            GLPK branch-and-cut) and plain GLPK branch-and-cut. Bad input (unknown file, malformed instance, a \
            known-optimum entry that does not match) is reported as `error: FILE: problem K: reason` on stderr; the \
            other problems still run and the command exits 2 at the end. --json prints one JSON object per problem.
            """
    )

    @Argument(help: "OR-Library GAP files (several problems per file).")
    var files: [String]

    @Option(help: "Objective sense; without it, by file name (gap1–12 max, gapa–d min).")
    var sense: AssignmentSense?

    @Option(help: "Known optima JSON (keys FILE-K, as ../shared/data/gap/optima.json).")
    var known: String?

    @Option(help: "Heuristic.")
    var heuristic: AssignmentHeuristic.Method = .tabu

    @OptionGroup var limit: TimeLimitOptions<Defaults>

    @Option(name: .customLong("exact-time-limit"), parsing: .unconditional, help: "Time limit of each exact run (auto, GLPK), seconds.")
    var exactTimeLimit: Double = 20

    @Option(parsing: .unconditional, help: "Seed of the heuristic.")
    var seed: UInt64 = 1

    @Flag(help: "Also run the auto method and plain GLPK branch-and-cut.")
    var exact = false

    @OptionGroup var outputOptions: OutputOptions

    @Option(help: "Write a self-contained HTML report (table + chart of gap vs time).")
    var report: String?

    enum Defaults: TimeLimitDefault {
        static var seconds: Double { 1 }
        static var help: String { "Heuristic time limit per problem, seconds." }
    }

    func validate() throws {
        try ArgumentCheck.positiveSeconds(exactTimeLimit, option: "--exact-time-limit")
    }

    func run() throws {
        let json = outputOptions.json
        var run = ValidationRun(
            heuristic: AssignmentHeuristic(method: heuristic, timeLimit: limit.timeLimit, seed: seed),
            exact: exact, exactTimeLimit: exactTimeLimit, sense: sense
        )
        if let known {
            do { run.known = try KnownOptima.load(path: known) } catch { throw InputError(error.description) }
        }
        let (problems, loadErrors) = run.loadProblems(files: files)
        var errors = loadErrors
        for e in loadErrors { report(e) }
        var records: [ValidationRecord] = []
        let progress = ProgressBar(total: problems.count, label: "validate")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        for item in problems {
            progress.step(item.instance)
            do {
                let record = try run.validate(item)
                records.append(record)
                if json, let line = try? encoder.encode(record) { print(String(decoding: line, as: UTF8.self)) }
            } catch {
                errors.append(error)
                report(error)
            }
        }
        progress.finish()
        if !json { print(ValidationTable.render(FamilySummary.summarize(records))) }
        if let path = report {
            try writeAtomically(ValidationHTMLReport.render(records: records, machine: MachineInfo.summary), to: path)
        }
        if !errors.isEmpty { throw ExitCode(2) }
    }

    private func report(_ error: ValidationInputError) {
        FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
    }
}

/// The text table of `gpupool validate`: one row per family.
enum ValidationTable {
    static func render(_ summaries: [FamilySummary]) -> String {
        var rows = [["family", "problems", "feasible", "mean gap %", "max gap %", "mean s", "proven", "auto s", "glpk s"]]
        for s in summaries {
            rows.append([
                s.family, "\(s.problems)", "\(s.feasible)",
                s.meanGap.map { String(format: "%.3f", $0 * 100) } ?? "–",
                s.maxGap.map { String(format: "%.3f", $0 * 100) } ?? "–",
                String(format: "%.3f", s.meanSeconds),
                s.proven.map { "\($0)/\(s.problems)" } ?? "–",
                s.autoSeconds.map { String(format: "%.1f", $0) } ?? "–",
                s.glpkSeconds.map { String(format: "%.1f", $0) } ?? "–",
            ])
        }
        return TextTable.render(rows)
    }
}
