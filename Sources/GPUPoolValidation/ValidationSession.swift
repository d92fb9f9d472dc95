import Foundation
import GPUPoolHeuristics
import GPUPoolModel
import GPUPoolPlanner
import GPUPoolSupport

/// One heuristic run (instance × heuristic × seed), verified and measured.
public struct TrialRecord: Sendable, Hashable, Codable {
    /// `feasible` (a verified point), `infeasible` (a point that failed verification: the heuristic
    /// lied), `no_solution`, `crashed`, `timed_out`, `bad_output`, `unsupported`.
    public var status: String
    public var instance: String
    public var family: String
    public var heuristic: String
    public var seed: UInt64
    public var sense: String
    /// The verified objective (recomputed by the harness), for a feasible point.
    public var objective: Double?
    /// The objective the heuristic claimed last (incumbent lines), whether or not it verified.
    public var claimed: Double?
    /// Wall-clock seconds of the run.
    public var seconds: Double
    public var reference: Reference
    /// Signed relative gap to the reference (positive = worse).
    public var gap: Double?
    /// A verified point beats a claimed optimum (or a claimed-infeasible instance has one).
    public var referenceBeaten: Bool
    public var timeToFeasible: Double?
    public var timeTo1Percent: Double?
    /// Seconds to reach a proven optimum (only when the reference is one).
    public var timeToOptimum: Double?
    /// Berthold's primal integral over the time limit, in seconds.
    public var primalIntegral: Double?
    /// Whether the gap is within the session's success gap.
    public var success: Bool
    /// Why the point failed verification, or why the run failed.
    public var message: String?
    /// The last lines of an external program's standard error.
    public var stderrTail: String?
    /// The verified incumbents over time (best so far).
    public var incumbents: [Incumbent]

    /// The `--json` line, keys in this stable order.
    public var json: JSONText {
        func opt(_ x: Double?) -> JSONText { .number(x) }
        return .object([
            ("record", .string("trial")), ("instance", .string(instance)), ("family", .string(family)),
            ("heuristic", .string(heuristic)), ("seed", .integer(Int(truncatingIfNeeded: seed))), ("sense", .string(sense)),
            ("status", .string(status)), ("objective", opt(objective)), ("claimed", opt(claimed)), ("seconds", .number(seconds)),
            ("reference", .object([
                ("kind", .string(reference.kind.rawValue)), ("objective", opt(reference.objective)), ("bound", opt(reference.bound)),
                ("gap", opt(reference.gap)), ("status", .string(reference.status)), ("source", .string(reference.source)),
            ])),
            ("gap", opt(gap)), ("reference_beaten", .bool(referenceBeaten)),
            ("time_to_feasible", opt(timeToFeasible)), ("time_to_1pct", opt(timeTo1Percent)), ("time_to_optimum", opt(timeToOptimum)),
            ("primal_integral", opt(primalIntegral)), ("success", .bool(success)),
            ("message", message.map(JSONText.string) ?? .null), ("stderr_tail", stderrTail.map(JSONText.string) ?? .null),
            ("incumbents", .array(incumbents.map { .array([.number($0.seconds), .number($0.objective)]) })),
        ])
    }
}

extension TrialRecord {
    /// The CSV header of ``csvRow``.
    public static let csvHeader = "instance,family,heuristic,seed,sense,status,objective,claimed,seconds,reference_kind,reference_objective,reference_bound,reference_source,gap,reference_beaten,time_to_feasible,time_to_1pct,time_to_optimum,primal_integral,success,message"

    /// One CSV line (RFC 4180 quoting; empty for absent values).
    public var csvRow: String {
        func q(_ s: String) -> String { s.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        func n(_ x: Double?) -> String { x.map { "\($0)" } ?? "" }
        return [q(instance), q(family), q(heuristic), "\(seed)", sense, status, n(objective), n(claimed), n(seconds),
                reference.kind.rawValue, n(reference.objective), n(reference.bound), reference.source, n(gap), "\(referenceBeaten)",
                n(timeToFeasible), n(timeTo1Percent), n(timeToOptimum), n(primalIntegral), "\(success)", q(message ?? "")].joined(separator: ",")
    }
}

/// Aggregate of one heuristic on one family over instances and seeds.
public struct HeuristicSummary: Sendable, Hashable {
    public var family: String
    public var heuristic: String
    public var trials: Int
    public var feasible: Int
    /// Trials whose point failed verification, crashed, hung or printed garbage.
    public var failed: Int
    public var successRate: Double
    public var meanGap: Double?
    /// Sample standard deviation of the gap over trials.
    public var gapSpread: Double?
    public var meanPrimalIntegral: Double?
    public var meanSeconds: Double
    public var referenceBeaten: Int

    public var json: JSONText {
        .object([
            ("record", .string("summary")), ("family", .string(family)), ("heuristic", .string(heuristic)),
            ("trials", .integer(trials)), ("feasible", .integer(feasible)), ("failed", .integer(failed)),
            ("success_rate", .number(successRate)), ("mean_gap", .number(meanGap)), ("gap_spread", .number(gapSpread)),
            ("mean_primal_integral", .number(meanPrimalIntegral)), ("mean_seconds", .number(meanSeconds)),
            ("reference_beaten", .integer(referenceBeaten)),
        ])
    }

    /// One summary per (family, heuristic), in first-seen order.
    public static func summarize(_ trials: [TrialRecord]) -> [HeuristicSummary] {
        var order: [String] = []
        var groups: [String: [TrialRecord]] = [:]
        for t in trials {
            let k = t.family + "\u{0}" + t.heuristic
            if groups[k] == nil { order.append(k) }
            groups[k, default: []].append(t)
        }
        return order.map { k in
            let ts = groups[k] ?? []
            let gaps = ts.compactMap(\.gap), pis = ts.compactMap(\.primalIntegral)
            let g = Measures.meanAndSpread(gaps)
            return HeuristicSummary(
                family: ts[0].family, heuristic: ts[0].heuristic, trials: ts.count,
                feasible: ts.filter { $0.status == "feasible" }.count,
                failed: ts.filter { !["feasible", "no_solution"].contains($0.status) }.count,
                successRate: Double(ts.filter(\.success).count) / Double(max(1, ts.count)),
                meanGap: g?.mean, gapSpread: g?.spread, meanPrimalIntegral: Measures.meanAndSpread(pis)?.mean,
                meanSeconds: ts.map(\.seconds).reduce(0, +) / Double(max(1, ts.count)),
                referenceBeaten: ts.filter(\.referenceBeaten).count)
        }
    }
}

/// A paired comparison of two heuristics over the instances both ran on.
public struct HeuristicComparison: Sendable, Hashable {
    public var first: String
    public var second: String
    /// Instances compared (both heuristics have a gap on them, mean over seeds).
    public var instances: Int
    /// Instances where the first heuristic's mean gap is smaller / larger.
    public var firstBetter: Int
    public var secondBetter: Int
    public var wilcoxon: Measures.Wilcoxon?

    public var json: JSONText {
        .object([
            ("record", .string("comparison")), ("first", .string(first)), ("second", .string(second)),
            ("instances", .integer(instances)), ("first_better", .integer(firstBetter)), ("second_better", .integer(secondBetter)),
            ("w_plus", .number(wilcoxon?.wPlus)), ("w_minus", .number(wilcoxon?.wMinus)),
            ("p_value", .number(wilcoxon?.pValue)), ("exact", wilcoxon.map { .bool($0.exact) } ?? .null),
        ])
    }

    /// Every pair of heuristics, in the order given: Wilcoxon signed-rank on the per-instance mean gaps.
    public static func compare(_ trials: [TrialRecord], heuristics: [String]) -> [HeuristicComparison] {
        var mean: [String: [String: Double]] = [:]  // heuristic → instance → mean gap
        var sums: [String: [String: (Double, Int)]] = [:]
        for t in trials { if let g = t.gap { let s = sums[t.heuristic, default: [:]][t.instance] ?? (0, 0); sums[t.heuristic, default: [:]][t.instance] = (s.0 + g, s.1 + 1) } }
        for (h, m) in sums { mean[h] = m.mapValues { $0.0 / Double($0.1) } }
        var out: [HeuristicComparison] = []
        for i in heuristics.indices {
            for j in heuristics.indices where j > i {
                let a = mean[heuristics[i]] ?? [:], b = mean[heuristics[j]] ?? [:]
                let common = a.keys.filter { b[$0] != nil }.sorted()
                let d = common.map { a[$0]! - b[$0]! }
                out.append(HeuristicComparison(
                    first: heuristics[i], second: heuristics[j], instances: common.count,
                    firstBetter: d.filter { $0 < -1e-12 }.count, secondBetter: d.filter { $0 > 1e-12 }.count,
                    wilcoxon: Measures.wilcoxon(d, zeroTolerance: 1e-12)))
            }
        }
        return out
    }
}

/// Runs several heuristics with several seeds on any problems, verifies every point, and measures
/// it against an exact or known reference.
///
/// ```swift
/// let session = ValidationSession(
///     heuristics: [BuiltinHeuristic(.tabu), CommandHeuristic(command: "python3 my.py")],
///     seeds: [1, 2, 3], timeLimit: 1, references: ReferenceSolver(timeLimit: 20, store: try ReferenceStore(path: "refs.sqlite")))
/// let (problems, _) = ValidationProblem.load(files: ["gap1.txt", "p0548.mps"])
/// for p in problems {
///     let reference = try session.reference(for: p)
///     for trial in session.trials(p, reference: reference) { print(trial.json.serialized) }
/// }
/// ```
public struct ValidationSession: Sendable {
    public var heuristics: [any ValidationHeuristic]
    public var seeds: [UInt64]
    /// Seconds per heuristic run.
    public var timeLimit: Double
    /// Exact references (GLPK); `nil` for known references only.
    public var references: ReferenceSolver?
    /// Known references by instance name (from `.solu` or OR-Library `optima.json` files); these
    /// take precedence over exact runs.
    public var known: [String: Reference]
    /// A trial succeeds when its gap is at most this (0: reaches the reference).
    public var successGap: Double
    /// Feasibility tolerance of the checks (relative, as `SolutionChecker`).
    public var tolerance: Double

    public init(heuristics: [any ValidationHeuristic], seeds: [UInt64] = [1], timeLimit: Double = 1,
                references: ReferenceSolver? = nil, known: [String: Reference] = [:], successGap: Double = 0, tolerance: Double = 1e-6) {
        self.heuristics = heuristics
        self.seeds = seeds
        self.timeLimit = timeLimit
        self.references = references
        self.known = known
        self.successGap = successGap
        self.tolerance = tolerance
    }

    /// Known references from an OR-Library `optima.json` (proven → optimum, else best-known with its bound).
    public static func references(from optima: KnownOptima) -> [String: Reference] {
        optima.entries.mapValues { e in
            Reference(kind: e.proven ? .optimum : .bestKnown, objective: e.reference, bound: e.bound, status: "known", source: "known")
        }
    }

    /// The reference of `problem`: a known one, else an exact one (when configured), else unknown.
    public func reference(for problem: ValidationProblem) throws(ValidationInputError) -> Reference {
        if let k = known[problem.instance] { return k }
        if let references { return try references.reference(for: problem) }
        return Reference(kind: .unknown, objective: nil, status: "none", source: "none")
    }

    /// Every heuristic with every seed on `problem`. Never throws: failures are trials.
    public func trials(_ problem: ValidationProblem, reference: Reference) -> [TrialRecord] {
        var out: [TrialRecord] = []
        for h in heuristics { for s in seeds { out.append(trial(problem, heuristic: h, seed: s, reference: reference)) } }
        return out
    }

    /// One run of `heuristic` on `problem`, verified and measured.
    public func trial(_ problem: ValidationProblem, heuristic: any ValidationHeuristic, seed: UInt64, reference: Reference) -> TrialRecord {
        var claims: [Incumbent] = []
        let start = ContinuousClock.now
        var status = "feasible", message: String?, tail: String?
        var objective: Double?
        do {
            let answer = try heuristic.solve(problem, timeLimit: timeLimit, seed: seed) { claims.append($0) }
            switch verify(problem, answer) {
            case let .success(v): objective = v
            case let .failure(f): status = f.kind; message = f.message
            }
        } catch let f as HeuristicFailure {
            status = f.kind; message = f.message; tail = f.stderrTail
        } catch {
            status = "crashed"; message = "\(error)"
        }
        let seconds = (ContinuousClock.now - start).seconds
        let maximize = problem.maximizes
        var record = TrialRecord(
            status: status, instance: problem.instance, family: problem.family, heuristic: heuristic.name, seed: seed,
            sense: problem.sense, objective: objective, claimed: claims.last?.objective, seconds: seconds, reference: reference,
            gap: nil, referenceBeaten: false, timeToFeasible: nil, timeTo1Percent: nil, timeToOptimum: nil, primalIntegral: nil,
            success: false, message: message, stderrTail: tail, incumbents: [])
        guard let objective else { return record }
        // Incumbent claims are capped at the verified final value, which is added if missing.
        var capped = claims.filter { $0.objective.isFinite && $0.seconds.isFinite }.map { c in
            Incumbent(objective: maximize ? min(c.objective, objective) : max(c.objective, objective), seconds: c.seconds)
        }
        if !capped.contains(where: { $0.objective == objective }) { capped.append(Incumbent(objective: objective, seconds: min(seconds, timeLimit))) }
        let steps = Measures.bestSoFar(capped, maximize: maximize)
        record.incumbents = steps
        record.timeToFeasible = steps.first?.seconds
        let tol = tolerance * max(1, abs(reference.objective ?? 0))
        if reference.kind == .infeasible { record.referenceBeaten = true }
        if let ref = reference.objective {
            let gap = Measures.signedGap(objective, reference: ref, maximize: maximize)
            record.gap = abs(gap) < 1e-12 ? 0 : gap
            let better = maximize ? objective - ref : ref - objective
            if reference.kind == .optimum && better > tol { record.referenceBeaten = true }
            record.timeTo1Percent = Measures.timeToGap(steps, reference: ref, maximize: maximize, target: 0.01)
            if reference.kind == .optimum {
                record.timeToOptimum = Measures.timeToGap(steps, reference: ref, maximize: maximize, target: 0, tolerance: tolerance)
            }
            let best = maximize ? max(ref, objective) : min(ref, objective)
            record.primalIntegral = Measures.primalIntegral(steps, reference: best, maximize: maximize, timeLimit: timeLimit)
            record.success = gap <= successGap + tolerance
        }
        return record
    }

    /// Checks `answer` against `problem` and recomputes its objective.
    func verify(_ problem: ValidationProblem, _ answer: HeuristicAnswer) -> Result<Double, HeuristicFailure> {
        func infeasible(_ why: String) -> Result<Double, HeuristicFailure> { .failure(HeuristicFailure(kind: "infeasible", message: why)) }
        switch answer {
        case .none:
            return .failure(HeuristicFailure(kind: "no_solution", message: "no point returned"))
        case let .plan(plan):
            guard let planning = problem.planning else { return infeasible("a plan for a problem that is not a planner instance") }
            return planning.verify(plan)
        case let .assignment(bins):
            guard let gap = problem.assignment else { return infeasible("an assignment for a program that is not a GAP problem") }
            guard bins.count == gap.itemCount else { return infeasible("assignment has \(bins.count) entries for \(gap.itemCount) items") }
            if let bad = bins.firstIndex(where: { $0 < -1 || $0 >= gap.binCount }) {
                return infeasible("item \(bad) assigned to bin \(bins[bad]), outside 0..<\(gap.binCount)")
            }
            let a = Assignment(binIndices: bins)
            let violations = gap.check(a)
            if let first = violations.first { return infeasible("\(violations.count) violation(s), first: \(first)") }
            return .success(gap.objective(of: a))
        case let .values(x):
            return checkProgram(problem, x)
        case let .namedValues(named):
            guard let program = try? problem.lowered() else { return infeasible("cannot lower the problem") }
            var index: [String: Int] = [:]
            for j in 0..<program.columnCount { index[program.columnName(j)] = j }
            var x = [Double](repeating: 0, count: program.columnCount)
            for (name, v) in named {
                guard let j = index[name] else { return infeasible("unknown column \(name)") }
                x[j] = v
            }
            return checkProgram(problem, x)
        }
    }

    private func checkProgram(_ problem: ValidationProblem, _ x: [Double]) -> Result<Double, HeuristicFailure> {
        guard let program = try? problem.lowered() else { return .failure(HeuristicFailure(kind: "infeasible", message: "cannot lower the problem")) }
        let check = SolutionChecker.check(program, values: x, tolerance: tolerance)
        if let first = check.violations.first {
            return .failure(HeuristicFailure(kind: "infeasible", message: "\(check.violations.count) violation(s), first: \(first)"))
        }
        return .success(check.objective)
    }
}
