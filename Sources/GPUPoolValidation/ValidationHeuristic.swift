import Foundation
import GPUPoolFormats
import GPUPoolHeuristics
import GPUPoolModel
import GPUPoolPlanner
import GPUPoolSupport

/// A point in time at which a heuristic held a solution of a given objective value.
public struct Incumbent: Sendable, Hashable, Codable {
    /// The objective value the heuristic claims.
    public var objective: Double
    /// Seconds since the heuristic started.
    public var seconds: Double

    public init(objective: Double, seconds: Double) {
        self.objective = objective
        self.seconds = seconds
    }
}

/// What a heuristic hands back: a point the harness verifies itself (it never trusts a claimed
/// objective), or nothing.
public enum HeuristicAnswer: Sendable, Hashable {
    /// A GAP assignment: bin index (0-based) per item, -1 for unassigned.
    case assignment([Int])
    /// Values of a program's columns, in column order.
    case values([Double])
    /// Values of a program's columns by name (columns not named are taken as 0).
    case namedValues([String: Double])
    /// A plan of a planner instance (jobs it leaves out count as unplaced).
    case plan(Plan)
    /// No point found.
    case none
}

/// A heuristic the harness can measure: any Swift type conforming to this protocol.
///
/// `solve` gets the problem, the time limit in seconds and a seed; it may call `report` each time
/// it finds a better incumbent (for the time-to-target measures and the primal integral), and
/// returns its final point. The harness verifies that point (``SolutionChecker`` for programs,
/// `AssignmentProblem.check` for GAP) and recomputes its objective; incumbent claims better than
/// the verified final value are capped to it. A thrown error is recorded as a crash.
///
/// ```swift
/// struct FirstBin: ValidationHeuristic {
///     var name: String { "first-bin" }
///     func solve(_ problem: ValidationProblem, timeLimit: Double, seed: UInt64,
///                report: (Incumbent) -> Void) throws -> HeuristicAnswer {
///         guard let gap = problem.assignment else { return .none }
///         let answer = [Int](repeating: 0, count: gap.itemCount)   // everything on bin 0: rejected when it overflows
///         report(Incumbent(objective: gap.objective(of: Assignment(binIndices: answer)), seconds: 0))
///         return .assignment(answer)
///     }
/// }
/// let session = ValidationSession(heuristics: [FirstBin(), BuiltinHeuristic(.tabu)], seeds: [1, 2, 3])
/// ```
public protocol ValidationHeuristic: Sendable {
    /// The name in reports.
    var name: String { get }
    /// Solves `problem` within `timeLimit` seconds.
    func solve(_ problem: ValidationProblem, timeLimit: Double, seed: UInt64, report: (Incumbent) -> Void) throws -> HeuristicAnswer
}

/// The built-in heuristics: `AssignmentHeuristic` methods on GAP problems, and the greedy-repair
/// search (`GreedyRepairSolver`) on general programs (and on GAP problems' MIP models when the
/// method is `repair`).
public struct BuiltinHeuristic: ValidationHeuristic {
    /// A GAP method, or `nil` for greedy repair.
    public var method: AssignmentHeuristic.Method?

    public init(_ method: AssignmentHeuristic.Method?) { self.method = method }

    /// `tabu`, `regret`, …, or `repair`; `nil` for an unknown name.
    public init?(name: String) {
        if name == "repair" { method = nil; return }
        guard let m = AssignmentHeuristic.Method(rawValue: name) else { return nil }
        method = m
    }

    public var name: String { method?.rawValue ?? "repair" }

    public func solve(_ problem: ValidationProblem, timeLimit: Double, seed: UInt64, report: (Incumbent) -> Void) throws -> HeuristicAnswer {
        if let method, let gap = problem.assignment {
            let r = AssignmentHeuristic(method: method, timeLimit: timeLimit, seed: seed).solve(gap)
            guard r.feasible else { return .none }
            report(Incumbent(objective: r.objective, seconds: r.seconds))
            return .assignment(r.assignment.binIndices)
        }
        if problem.planning != nil {
            throw HeuristicFailure(kind: "unsupported", message: "\(name) does not plan pools; use planner or cmd:COMMAND for planner instances")
        }
        if let method, problem.assignment == nil {
            throw HeuristicFailure(kind: "unsupported", message: "\(method.rawValue) solves GAP problems only; use repair for general programs")
        }
        let program = try problem.lowered()
        let start = ContinuousClock.now
        let seen = Improvements()
        let solver = GreedyRepairSolver(onImprovement: { value in seen.add(Incumbent(objective: value, seconds: (ContinuousClock.now - start).seconds)) })
        let solution = try solver.solve(program, options: SolveOptions(method: .heuristic, timeLimit: timeLimit, seed: seed))
        for i in seen.all { report(i) }
        return solution.hasSolution ? .values(solution.values) : .none
    }

    private final class Improvements: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [Incumbent] = []
        func add(_ i: Incumbent) { lock.lock(); list.append(i); lock.unlock() }
        var all: [Incumbent] { lock.lock(); defer { lock.unlock() }; return list }
    }
}

/// Why a heuristic run gave no usable point.
public struct HeuristicFailure: Error, Sendable, CustomStringConvertible {
    /// `crashed`, `timed_out`, `bad_output`, `infeasible`, `no_solution`, `unsupported` (a GAP-only
    /// built-in heuristic on a general program).
    public var kind: String
    public var message: String
    /// The last lines of the program's standard error, for external programs.
    public var stderrTail: String?

    public init(kind: String, message: String, stderrTail: String? = nil) {
        self.kind = kind
        self.message = message
        self.stderrTail = stderrTail
    }

    public var description: String { "\(kind): \(message)" }
}

/// Any program, in any language, run through the documented command protocol:
///
/// 1. the harness writes the instance to a private temporary file — free MPS for an LP/MIP,
///    the `AssignmentProblem` JSON (flat item-major layout) for GAP;
/// 2. it runs `COMMAND INSTANCE --time-limit S --seed K` through `/bin/sh -c "exec COMMAND …"` (so
///    `COMMAND` is a program with arguments, e.g. `python3 my.py`; write a script for anything more),
///    killing it (SIGKILL, with its process group where it leads one) at `S + grace` seconds;
/// 3. it reads standard output as JSON lines: any number of `{"incumbent": v, "seconds": t}`, then
///    the solution, `{"values": {"NAME": value, …}}` for a program or `{"assignment": [bin per item]}`
///    for GAP (0-based bins, -1 unassigned); `{"values": null}` / `{"assignment": null}` for none.
///
/// A non-zero exit, a kill at the time limit or unreadable output is a ``HeuristicFailure`` (with
/// the last lines of standard error); a point that fails verification is recorded as infeasible.
public struct CommandHeuristic: ValidationHeuristic {
    /// The command, run by `/bin/sh -c` with the arguments appended.
    public var command: String
    /// Seconds beyond the time limit before the program is killed.
    public var grace: Double
    public var name: String

    public init(command: String, grace: Double = 2, name: String? = nil) {
        self.command = command
        self.grace = grace
        self.name = name ?? "cmd:\(command)"
    }

    public func solve(_ problem: ValidationProblem, timeLimit: Double, seed: UInt64, report: (Incumbent) -> Void) throws -> HeuristicAnswer {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gpupool-heuristic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: dir) }
        let instance: URL
        let planning = problem.planning
        switch problem.content {
        case let .planning(p):
            instance = dir.appendingPathComponent("instance.json")
            try p.instanceJSON().write(to: instance)
        case let .assignment(gap):
            instance = dir.appendingPathComponent("instance.json")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try encoder.encode(gap).write(to: instance)
        case let .program(program):
            instance = dir.appendingPathComponent("instance.mps")
            try ModelFile.write(program, to: instance.path, format: .mps)
        }
        let output = try ProcessRunner.run(
            URL(fileURLWithPath: "/bin/sh"),
            ["-c", "exec " + command + " \"$@\"", "sh", instance.path, "--time-limit", Self.number(timeLimit), "--seed", String(seed)],
            timeout: timeLimit + grace)
        let tail = Self.tail(output.stderr)
        if output.timedOut {
            throw HeuristicFailure(kind: "timed_out", message: "killed at \(Self.number(timeLimit + grace)) s (time limit + grace)", stderrTail: tail)
        }
        guard output.status == 0 else {
            throw HeuristicFailure(kind: "crashed", message: "exit status \(output.status)", stderrTail: tail)
        }
        var answer: HeuristicAnswer?
        for raw in output.stdout.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("{") else { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw HeuristicFailure(kind: "bad_output", message: "not a JSON object: \(line.prefix(80))", stderrTail: tail)
            }
            if let v = object["incumbent"] {
                guard let value = (v as? NSNumber)?.doubleValue, let t = (object["seconds"] as? NSNumber)?.doubleValue else {
                    throw HeuristicFailure(kind: "bad_output", message: "incumbent line needs numbers \"incumbent\" and \"seconds\": \(line.prefix(80))", stderrTail: tail)
                }
                report(Incumbent(objective: value, seconds: t))
            } else if let planning, let p = object["placements"] {
                if p is NSNull { answer = HeuristicAnswer.none; continue }
                guard let data = try? JSONSerialization.data(withJSONObject: p),
                      let list = try? JSONDecoder().decode([WorkerAssignment].self, from: data) else {
                    throw HeuristicFailure(kind: "bad_output", message: "\"placements\" must be a list of {\"job\", \"shape\", \"workers\": [{\"node\", \"gpus\"}]}", stderrTail: tail)
                }
                answer = .plan(planning.plan(from: list))
            } else if let a = object["assignment"] {
                if a is NSNull { answer = HeuristicAnswer.none; continue }
                guard let bins = a as? [NSNumber] else {
                    throw HeuristicFailure(kind: "bad_output", message: "\"assignment\" must be an array of bin indices", stderrTail: tail)
                }
                answer = .assignment(bins.map { $0.intValue })
            } else if let v = object["values"] {
                if v is NSNull { answer = HeuristicAnswer.none; continue }
                guard let dict = v as? [String: Any] else {
                    throw HeuristicFailure(kind: "bad_output", message: "\"values\" must be an object of numbers by column name", stderrTail: tail)
                }
                var named: [String: Double] = [:]
                for (k, x) in dict {
                    guard let n = (x as? NSNumber)?.doubleValue else {
                        throw HeuristicFailure(kind: "bad_output", message: "value of \(k) is not a number", stderrTail: tail)
                    }
                    named[k] = n
                }
                answer = .namedValues(named)
            }
        }
        guard let answer else {
            throw HeuristicFailure(kind: "bad_output", message: "no {\"values\": …}, {\"assignment\": …} or {\"placements\": …} line on standard output", stderrTail: tail)
        }
        return answer
    }

    static func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x) }

    static func tail(_ text: String, lines: Int = 10) -> String? {
        let ls = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let kept = ls.suffix(lines + 1).joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return kept.isEmpty ? nil : String(kept.suffix(2000))
    }
}

/// Parses `--heuristic` values: a built-in name (`tabu`, `regret`, `ratio`, `bestFit`,
/// `localSearch`, `repair`) or `cmd:COMMAND`.
public enum HeuristicSpec {
    public static func parse(_ text: String, grace: Double = 2) -> (any ValidationHeuristic)? {
        if text == "planner" { return PlannerHeuristic() }
        if text.hasPrefix("cmd:") {
            let command = String(text.dropFirst(4)).trimmingCharacters(in: .whitespaces)
            return command.isEmpty ? nil : CommandHeuristic(command: command, grace: grace)
        }
        return BuiltinHeuristic(name: text)
    }
}
