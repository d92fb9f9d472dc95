import GPUPoolCommandLine
import GPUPoolSupport
import ArgumentParser
import Foundation
import GPUPoolPlanner
import GPUPoolHeuristics
import GPUPoolValidation
import Synchronization

/// `gpupool validate FILE...` (`run`, the default) and `gpupool validate merge RESULTS...`.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Measure heuristics against known or exact optima on GAP files, MIP/LP files and generated instances.",
        subcommands: [ValidateRunCommand.self, ValidateMergeCommand.self],
        defaultSubcommand: ValidateRunCommand.self
    )
}

/// `gpupool validate FILE...`: measure a heuristic against known or exact optima.
struct ValidateRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Measure heuristics against known or exact optima on GAP files, MIP/LP files and generated instances (the default of validate).",
        discussion: """
            With OR-Library GAP files and one built-in heuristic, each problem runs the heuristic; with --exact also \
            the auto method (heuristic warm start + GLPK branch-and-cut) and plain GLPK branch-and-cut; --json prints \
            one JSON object per problem. With model files (.mps, .lp, .json, folders), --generate, several \
            --heuristic options, cmd: heuristics, --seeds or --references, every heuristic runs with every seed, \
            each point is verified, and --json prints trial, summary and comparison lines (see Docs/Validation.md). \
            Bad input (unknown file, malformed instance, a known-optimum entry that does not match) is reported as \
            `error: FILE: problem K: reason` on stderr; the other problems still run and the command exits 2 at the end. \
            Across machines: --shard I/N runs problems I, I+N, I+2N, … and --results FILE keeps them for \
            `gpupool validate merge`; --jobs J runs J problems at a time on this machine. Planner instances \
            (--pool/--workload pairs, --generate-plan) are judged under each --policy: heuristics answer with a \
            plan, which PlanChecker verifies and the harness scores; the reference is the planner's exact method.
            """
    )

    @Argument(help: "OR-Library GAP files (.txt, several problems per file), model files (.mps, .lp, .json) or folders of model files.")
    var files: [String] = []

    @Option(name: .customLong("generate"), help: "Seeded GAP instances TYPE:ITEMSxBINS[:COUNT], TYPE a–e (seeds from --seed), e.g. d:40x5:3. Repeatable.")
    var generate: [String] = []

    @Option(help: "Objective sense; without it, by file name (gap1–12 max, gapa–d min).")
    var sense: AssignmentSense?

    @Option(name: .customLong("pool"), help: "Planner instance: a pool file (Docs/PoolFormat.md), paired in order with --workload. Repeatable.")
    var pools: [String] = []

    @Option(name: .customLong("workload"), help: "Planner instance: the workload file of the --pool at the same position. Repeatable.")
    var workloads: [String] = []

    @Option(name: .customLong("generate-plan"), help: "Seeded feature-rich planner instances NODESxJOBS[:COUNT] (the planner's benchmark generator; seeds from --seed), e.g. 30x60:5. Repeatable.")
    var generatePlan: [String] = []

    @Option(name: .customLong("policy"), help: "Policy planner instances are judged under: max-utilization, max-throughput, min-cost or max-availability. Repeatable (each instance under each).")
    var planPolicies: [PlanningPolicy] = []

    @Option(help: "Known optima: JSON (keys FILE-K, as ../shared/data/gap/optima.json) or MIPLIB .solu (=opt=/=best=/=inf= NAME VALUE).")
    var known: String?

    @Option(help: "Heuristic: tabu, regret, ratio, bestFit, localSearch, repair, planner (planner instances), or cmd:COMMAND (an external program). Repeatable.")
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

    @Option(help: "Run only problems I, I+N, I+2N, … of the run (0 ≤ I < N; general harness), e.g. 0/4 from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX.")
    var shard: String?

    @Option(help: "Write this process's trials as a results file for `gpupool validate merge` (general harness).")
    var results: String?

    @Option(parsing: .unconditional, help: "Problems run at a time on this machine (general harness). Times are then measured on shared cores.")
    var jobs: Int = 1

    enum Defaults: TimeLimitDefault {
        static var seconds: Double { 1 }
        static var help: String { "Heuristic time limit per problem, seconds." }
    }

    func validate() throws {
        try ArgumentCheck.positiveSeconds(exactTimeLimit, option: "--exact-time-limit")
        for h in heuristic where HeuristicSpec.parse(h) == nil {
            throw ValidationError("--heuristic \(h): not a heuristic (tabu, regret, ratio, bestFit, localSearch, repair, planner, or cmd:COMMAND)")
        }
        if let seeds, seeds < 1 { throw ValidationError("--seeds \(seeds): must be at least 1") }
        for g in generate where Self.parseGenerate(g) == nil {
            throw ValidationError("--generate \(g): expected TYPE:ITEMSxBINS[:COUNT] with TYPE a–e, e.g. d:40x5:3")
        }
        if files.isEmpty && generate.isEmpty && pools.isEmpty && generatePlan.isEmpty {
            throw ValidationError("give files, --generate, --pool/--workload or --generate-plan")
        }
        if pools.count != workloads.count {
            throw ValidationError("--pool and --workload pair up in order: \(pools.count) pool(s), \(workloads.count) workload(s)")
        }
        for g in generatePlan where Self.parseGeneratePlan(g) == nil {
            throw ValidationError("--generate-plan \(g): expected NODESxJOBS[:COUNT], e.g. 30x60:5")
        }
        for p in planPolicies where !PlanScore.scoredPolicies.contains(p) {
            throw ValidationError("--policy \(p.rawValue): planner instances are judged under \(PlanScore.scoredPolicies.map(\.rawValue).joined(separator: ", "))")
        }
        guard grace >= 0, grace.isFinite else { throw ValidationError("--grace \(ArgumentCheck.text(grace)): must be a non-negative number of seconds") }
        guard successGap >= 0, successGap.isFinite else { throw ValidationError("--success-gap \(ArgumentCheck.text(successGap)): must be a non-negative fraction") }
        if let shard, Shard(shard) == nil { throw ValidationError("--shard \(shard): expected I/N with 0 ≤ I < N, e.g. 0/4") }
        guard (1...256).contains(jobs) else { throw ValidationError("--jobs \(jobs): must be between 1 and 256") }
    }

    static func parseGeneratePlan(_ text: String) -> (nodes: Int, jobs: Int, count: Int)? {
        let parts = text.split(separator: ":").map(String.init)
        guard (1...2).contains(parts.count) else { return nil }
        let size = parts[0].lowercased().split(separator: "x")
        guard size.count == 2, let nodes = Int(size[0]), let jobs = Int(size[1]), (1...100_000).contains(nodes), (1...100_000).contains(jobs) else { return nil }
        let count = parts.count == 2 ? Int(parts[1]) : 1
        guard let count, (1...10_000).contains(count) else { return nil }
        return (nodes, jobs, count)
    }

    /// The policies planner instances are judged under (default max-throughput).
    var judgedUnder: [PlanningPolicy] { planPolicies.isEmpty ? [.maxThroughput] : planPolicies }

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
            || !pools.isEmpty || !generatePlan.isEmpty
            || shard != nil || results != nil || jobs > 1
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
        var errors: [ValidationInputError] = []
        var (problems, loadErrors) = ValidationProblem.load(files: files, sense: sense)
        errors += loadErrors
        for g in generate {
            guard let spec = Self.parseGenerate(g) else { continue }
            do { problems += try ValidationProblem.generated(type: spec.type, items: spec.items, bins: spec.bins, count: spec.count, seed: seed) }
            catch { errors.append(error) }
        }
        for (poolFile, workloadFile) in zip(pools, workloads) {
            for policy in judgedUnder {
                do { problems.append(try ValidationProblem.planning(poolFile: poolFile, workloadFile: workloadFile, policy: policy)) }
                catch { errors.append(error) }
            }
        }
        for g in generatePlan {
            guard let spec = Self.parseGeneratePlan(g) else { continue }
            for policy in judgedUnder {
                do { problems += try ValidationProblem.generatedPlanning(nodes: spec.nodes, jobs: spec.jobs, policy: policy, count: spec.count, seed: seed) }
                catch { errors.append(error) }
            }
        }
        for e in errors { report(e) }
        // Planner instances only: the planner's own search is the natural default heuristic.
        let onlyPlanning = !problems.isEmpty && problems.allSatisfy { $0.planning != nil }
        let hs = (heuristic.isEmpty ? [onlyPlanning ? "planner" : "tabu"] : heuristic).compactMap { HeuristicSpec.parse($0, grace: grace) }
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
        let part = shard.flatMap(Shard.init) ?? .whole
        var output = ShardResults(header: .init(shard: part, problems: problems.count, heuristics: hs.map(\.name), configuration: configurationKey))
        // Input errors found while loading belong to the whole run: shard 0 carries them.
        if part.index == 0 { output.errors = errors.map { .init(problem: nil, message: $0.description) } }
        let mine = problems.indices.filter(part.owns)
        let progress = ProgressBar(total: mine.count, label: "validate")
        let json = outputOptions.json
        let all = problems
        ParallelProblems.run(mine, jobs: jobs) { k -> ProblemOutcome in
            let p = all[k]
            do throws(ValidationInputError) {
                let reference = try session.reference(for: p)
                return ProblemOutcome(problem: k, instance: p.instance, trials: session.trials(p, reference: reference), error: nil)
            } catch {
                return ProblemOutcome(problem: k, instance: p.instance, trials: [], error: error)
            }
        } inOrder: { outcome in
            // Called in problem order, one at a time: the output is the same for any --jobs.
            progress.step(outcome.instance)
            if let error = outcome.error {
                errors.append(error)
                report(error)
                output.errors.append(.init(problem: outcome.problem, message: error.description))
            }
            for t in outcome.trials {
                output.trials.append(.init(problem: outcome.problem, trial: t))
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
        if let results {
            try writeAtomically(output.serialized(), to: results)
        }
        try ValidationOutput(json: json, report: report, csv: csv).emit(trials: output.trials.map(\.trial), heuristics: hs.map(\.name), trialsPrinted: true)
        if !errors.isEmpty { throw ExitCode(2) }
    }

    /// What must be equal across the shards of one run for their merge to be one run.
    private var configurationKey: [String: String] {
        [
            "files": files.joined(separator: "\u{1f}"), "generate": generate.joined(separator: "\u{1f}"),
            "pools": pools.joined(separator: "\u{1f}"), "workloads": workloads.joined(separator: "\u{1f}"),
            "generate_plan": generatePlan.joined(separator: "\u{1f}"), "policies": judgedUnder.map(\.rawValue).joined(separator: ","),
            "sense": sense.map { "\($0)" } ?? "", "known": known ?? "", "heuristics": heuristic.joined(separator: "\u{1f}"),
            "seeds": "\(seeds ?? 1)", "seed": "\(seed)", "time_limit": "\(limit.timeLimit)",
            "exact": "\(exact || references != nil)", "exact_time_limit": "\(exactTimeLimit)",
            "success_gap": "\(successGap)", "grace": "\(grace)",
        ]
    }
}

/// One problem's trials (or the error that stopped it), from a worker of ``ParallelProblems``.
struct ProblemOutcome: Sendable {
    var problem: Int
    var instance: String
    var trials: [TrialRecord]
    var error: ValidationInputError?
}

/// Runs `work` over `items` on `jobs` threads and hands the results to `inOrder` in the items'
/// order, each as soon as it and all before it are done.
enum ParallelProblems {
    static func run(_ items: [Int], jobs: Int, work: @escaping @Sendable (Int) -> ProblemOutcome, inOrder: (ProblemOutcome) -> Void) {
        guard jobs > 1, items.count > 1 else {
            for k in items { inOrder(work(k)) }
            return
        }
        let results = Mutex<[Int: ProblemOutcome]>([:])
        let next = Atomic<Int>(0)
        let ready = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        for w in 0..<min(jobs, items.count) {
            group.enter()
            // Threads of their own: each problem blocks its thread for its whole time limit.
            Thread.detachNewThread {
                defer { group.leave() }
                _ = w
                while true {
                    let i = next.add(1, ordering: .relaxed).oldValue
                    guard i < items.count else { return }
                    let outcome = work(items[i])
                    results.withLock { $0[i] = outcome }
                    ready.signal()
                }
            }
        }
        var i = 0
        while i < items.count {
            if let outcome = results.withLock({ $0.removeValue(forKey: i) }) {
                inOrder(outcome)
                i += 1
            } else {
                ready.wait()
            }
        }
        group.wait()
    }
}

/// The end of a general validation run, or of a merge: summaries, comparisons, report, CSV.
struct ValidationOutput {
    var json: Bool
    var report: String?
    var csv: String?

    /// - Parameter trialsPrinted: the trial lines were already printed as the trials ran.
    func emit(trials: [TrialRecord], heuristics: [String], trialsPrinted: Bool) throws {
        if json && !trialsPrinted { for t in trials { print(t.json.serialized) } }
        let summaries = HeuristicSummary.summarize(trials)
        let comparisons = HeuristicComparison.compare(trials, heuristics: heuristics)
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
    }
}

/// `gpupool validate merge RESULTS...`: the shards of one run as one report.
struct ValidateMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the results files of `gpupool validate --shard I/N --results FILE` into the report of one run.",
        discussion: """
            Every shard 0…N−1 of the same run must be given once (same inputs, heuristics, seeds and limits); \
            the merged trials are in the order a single process runs them, so --json, --report and --csv are \
            those of a single run. Input errors the shards met are repeated on stderr and make the exit status 2.
            """
    )

    @Argument(help: "Results files written by --results.")
    var files: [String]

    @OptionGroup var outputOptions: OutputOptions

    @Option(help: "Write a self-contained HTML report.")
    var report: String?

    @Option(help: "Write one CSV row per trial.")
    var csv: String?

    func validate() throws {
        if files.isEmpty { throw ValidationError("give the results files of every shard") }
    }

    func run() throws {
        var read: [(path: String, results: ShardResults)] = []
        for path in files {
            do { read.append((path, try ShardResults.read(path: path))) } catch { throw InputError(error.description) }
        }
        let merged: ShardResults
        do { merged = try ShardResults.merge(read) } catch { throw InputError(error.description) }
        for e in merged.errors { FileHandle.standardError.write(Data("error: \(e.message)\n".utf8)) }
        try ValidationOutput(json: outputOptions.json, report: report, csv: csv)
            .emit(trials: merged.trials.map(\.trial), heuristics: merged.header.heuristics, trialsPrinted: false)
        if !merged.errors.isEmpty { throw ExitCode(2) }
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
