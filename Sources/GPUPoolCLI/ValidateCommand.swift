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
        abstract: "Measure heuristics against known or exact optima on GAP files, MIP/LP files and generated instances.",
        discussion: """
            With OR-Library GAP files and one built-in heuristic, each problem runs the heuristic; with --exact also \
            the auto method (heuristic warm start + GLPK branch-and-cut) and plain GLPK branch-and-cut; --json prints \
            one JSON object per problem. With model files (.mps, .lp, .json, folders), --generate, several \
            --heuristic options, cmd: heuristics, --seeds or --references, every heuristic runs with every seed, \
            each point is verified, and --json prints trial, summary and comparison lines (see Docs/Validation.md). \
            Bad input (unknown file, malformed instance, a known-optimum entry that does not match) is reported as \
            `error: FILE: problem K: reason` on stderr; the other problems still run and the command exits 2 at the end.
            """
    )

    @Argument(help: "OR-Library GAP files (.txt, several problems per file), model files (.mps, .lp, .json) or folders of model files.")
    var files: [String] = []

    @Option(name: .customLong("generate"), help: "Seeded GAP instances TYPE:ITEMSxBINS[:COUNT], TYPE a–e (seeds from --seed), e.g. d:40x5:3. Repeatable.")
    var generate: [String] = []

    @Option(help: "Objective sense; without it, by file name (gap1–12 max, gapa–d min).")
    var sense: AssignmentSense?

    @Option(help: "Known optima: JSON (keys FILE-K, as ../shared/data/gap/optima.json) or MIPLIB .solu (=opt=/=best=/=inf= NAME VALUE).")
    var known: String?

    @Option(help: "Heuristic: tabu, regret, ratio, bestFit, localSearch, repair, or cmd:COMMAND (an external program). Repeatable.")
    var heuristic: [String] = []

    @Option(parsing: .unconditional, help: "Run every heuristic with seeds --seed … --seed+N−1.")
    var seeds: Int?

    @Option(help: "SQLite store of exact references (GLPK auto under --exact-time-limit), reused by later runs.")
    var references: String?

    @Option(name: .customLong("success-gap"), parsing: .unconditional, help: "A trial succeeds when its gap to the reference is at most this (fraction).")
    var successGap: Double = 0

    @Option(parsing: .unconditional, help: "Seconds beyond the time limit before an external heuristic is killed.")
    var grace: Double = 2

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

    @Option(help: "Write one CSV row per trial (general harness only).")
    var csv: String?

    enum Defaults: TimeLimitDefault {
        static var seconds: Double { 1 }
        static var help: String { "Heuristic time limit per problem, seconds." }
    }

    func validate() throws {
        try ArgumentCheck.positiveSeconds(exactTimeLimit, option: "--exact-time-limit")
        for h in heuristic where HeuristicSpec.parse(h) == nil {
            throw ValidationError("--heuristic \(h): not a heuristic (tabu, regret, ratio, bestFit, localSearch, repair, or cmd:COMMAND)")
        }
        if let seeds, seeds < 1 { throw ValidationError("--seeds \(seeds): must be at least 1") }
        for g in generate where Self.parseGenerate(g) == nil {
            throw ValidationError("--generate \(g): expected TYPE:ITEMSxBINS[:COUNT] with TYPE a–e, e.g. d:40x5:3")
        }
        if files.isEmpty && generate.isEmpty { throw ValidationError("give files or --generate") }
        guard grace >= 0, grace.isFinite else { throw ValidationError("--grace \(ArgumentCheck.text(grace)): must be a non-negative number of seconds") }
        guard successGap >= 0, successGap.isFinite else { throw ValidationError("--success-gap \(ArgumentCheck.text(successGap)): must be a non-negative fraction") }
    }

    static func parseGenerate(_ text: String) -> (type: GAPInstanceType, items: Int, bins: Int, count: Int)? {
        let parts = text.split(separator: ":").map(String.init)
        guard (2...3).contains(parts.count), let type = GAPInstanceType(rawValue: parts[0].lowercased()) else { return nil }
        let size = parts[1].lowercased().split(separator: "x")
        guard size.count == 2, let items = Int(size[0]), let bins = Int(size[1]), items >= 1, bins >= 1 else { return nil }
        let count = parts.count == 3 ? Int(parts[2]) : 1
        guard let count, count >= 1 else { return nil }
        return (type, items, bins, count)
    }

    /// Whether the run needs the general harness (trials) rather than the GAP table of old.
    var general: Bool {
        let gapOnly = files.allSatisfy { f in
            var dir: ObjCBool = false
            let isDir = FileManager.default.fileExists(atPath: f, isDirectory: &dir) && dir.boolValue
            return !isDir && !ValidationProblem.modelExtensions.contains(URL(fileURLWithPath: f).pathExtension.lowercased())
        }
        let single = heuristic.count <= 1 && heuristic.allSatisfy { AssignmentHeuristic.Method(rawValue: $0) != nil }
        return !gapOnly || !single || seeds != nil || references != nil || !generate.isEmpty || csv != nil
            || (known.map { $0.lowercased().hasSuffix(".solu") } ?? false)
    }

    func run() throws {
        if general { return try runGeneral() }
        let json = outputOptions.json
        let method = heuristic.first.flatMap(AssignmentHeuristic.Method.init(rawValue:)) ?? .tabu
        var run = ValidationRun(
            heuristic: AssignmentHeuristic(method: method, timeLimit: limit.timeLimit, seed: seed),
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

    private func warn(_ text: String) {
        FileHandle.standardError.write(Data("warning: \(text)\n".utf8))
    }

    /// Several heuristics (built-in, external), seeds, any problems, verified points, references.
    private func runGeneral() throws {
        let json = outputOptions.json
        var errors: [ValidationInputError] = []
        var (problems, loadErrors) = ValidationProblem.load(files: files, sense: sense)
        errors += loadErrors
        for g in generate {
            guard let spec = Self.parseGenerate(g) else { continue }
            do { problems += try ValidationProblem.generated(type: spec.type, items: spec.items, bins: spec.bins, count: spec.count, seed: seed) }
            catch { errors.append(error) }
        }
        for e in errors { report(e) }
        let hs = (heuristic.isEmpty ? ["tabu"] : heuristic).compactMap { HeuristicSpec.parse($0, grace: grace) }
        var known: [String: Reference] = [:]
        if let path = self.known {
            do {
                if path.lowercased().hasSuffix(".solu") {
                    known = try SoluFile.load(path: path)
                } else {
                    let optima = try KnownOptima.load(path: path)
                    known = ValidationSession.references(from: optima)
                    // An entry whose sense or size does not match its GAP problem: that problem is an error.
                    let check = ValidationRun(sense: sense, known: optima)
                    problems = problems.filter { p in
                        do throws(ValidationInputError) { _ = try check.knownReference(for: p); return true } catch {
                            errors.append(error); report(error); return false
                        }
                    }
                }
            } catch { throw InputError(error.description) }
        }
        var solver: ReferenceSolver?
        if exact || references != nil {
            var store: ReferenceStore?
            if let references {
                do { store = try ReferenceStore(path: references) } catch { throw InputError(error.description) }
            }
            solver = ReferenceSolver(timeLimit: exactTimeLimit, store: store)
        }
        let session = ValidationSession(
            heuristics: hs, seeds: (0..<(seeds ?? 1)).map { seed &+ UInt64($0) }, timeLimit: limit.timeLimit,
            references: solver, known: known, successGap: successGap)
        var trials: [TrialRecord] = []
        let progress = ProgressBar(total: problems.count, label: "validate")
        for p in problems {
            progress.step(p.instance)
            let reference: Reference
            do { reference = try session.reference(for: p) } catch {
                errors.append(error); report(error); continue
            }
            for t in session.trials(p, reference: reference) {
                trials.append(t)
                if !["feasible", "no_solution"].contains(t.status) {
                    warn("\(t.instance) \(t.heuristic) seed \(t.seed): \(t.status): \(t.message ?? "")"
                         + (t.stderrTail.map { "\n  stderr: " + $0.replacingOccurrences(of: "\n", with: "\n  stderr: ") } ?? ""))
                }
                if t.referenceBeaten {
                    warn("\(t.instance) \(t.heuristic) seed \(t.seed): verified objective \(t.objective ?? .nan) beats the claimed \(t.reference.kind.rawValue) \(t.reference.objective.map { "\($0)" } ?? "") (\(t.reference.source))")
                }
                if json { print(t.json.serialized) }
            }
        }
        progress.finish()
        let summaries = HeuristicSummary.summarize(trials)
        let comparisons = HeuristicComparison.compare(trials, heuristics: hs.map(\.name))
        if json {
            for s in summaries { print(s.json.serialized) }
            for c in comparisons { print(c.json.serialized) }
        } else {
            print(ValidationTable.render(summaries))
            if !comparisons.isEmpty { print(ValidationTable.render(comparisons)) }
        }
        if let path = report {
            try writeAtomically(ValidationHTMLReport.render(trials: trials, summaries: summaries, comparisons: comparisons, machine: MachineInfo.summary), to: path)
        }
        if let path = csv {
            try writeAtomically(([TrialRecord.csvHeader] + trials.map(\.csvRow)).joined(separator: "\n") + "\n", to: path)
        }
        if !errors.isEmpty { throw ExitCode(2) }
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

    static func render(_ summaries: [HeuristicSummary]) -> String {
        var rows = [["family", "heuristic", "trials", "feasible", "failed", "success %", "mean gap %", "gap sd %", "primal integral", "mean s", "beats ref"]]
        func pct(_ x: Double?) -> String { x.map { String(format: "%.3f", $0 * 100) } ?? "–" }
        for s in summaries {
            rows.append([s.family, s.heuristic, "\(s.trials)", "\(s.feasible)", "\(s.failed)", String(format: "%.0f", s.successRate * 100),
                         pct(s.meanGap), pct(s.gapSpread), s.meanPrimalIntegral.map { String(format: "%.4f", $0) } ?? "–",
                         String(format: "%.3f", s.meanSeconds), "\(s.referenceBeaten)"])
        }
        return TextTable.render(rows)
    }

    static func render(_ comparisons: [HeuristicComparison]) -> String {
        var rows = [["first", "second", "instances", "first better", "second better", "Wilcoxon p"]]
        for c in comparisons {
            rows.append([c.first, c.second, "\(c.instances)", "\(c.firstBetter)", "\(c.secondBetter)",
                         c.wilcoxon.map { String(format: "%.4g", $0.pValue) + ($0.exact ? "" : " (normal)") } ?? "–"])
        }
        return TextTable.render(rows)
    }
}
