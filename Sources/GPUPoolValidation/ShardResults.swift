import Foundation
import GPUPoolSupport

/// Which problems one process of a sharded validation run takes: every `count`-th, starting at
/// `index` (0-based, so that Slurm's `SLURM_ARRAY_TASK_ID` from `--array=0-N-1` and Kubernetes'
/// `JOB_COMPLETION_INDEX` can be passed as they are).
public struct Shard: Sendable, Hashable, Codable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// `I/N` with 0 ≤ I < N.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (0..<n).contains(i) else { return nil }
        self.init(index: i, count: n)
    }

    public static let whole = Shard(index: 0, count: 1)

    /// Whether problem `k` (0-based, in the run's problem order) belongs to this shard.
    public func owns(_ k: Int) -> Bool { k % count == index }

    public var description: String { "\(index)/\(count)" }
}

/// The results file of one shard (`gpupool validate … --shard I/N --results FILE`), JSON lines: a
/// header naming the shard and the run's configuration, then one line per input error and per
/// trial, each trial with its problem's position in the whole run. ``merge(_:)`` puts the shards
/// of one run back together in that order, so that the merged report is the one a single process
/// would have written.
public struct ShardResults: Sendable {
    public struct Header: Codable, Sendable, Equatable {
        public var format = "gpupool-validate-shard"
        public var version = 1
        public var shard: Shard
        /// Problems in the whole run (every shard loads the same list).
        public var problems: Int
        /// Heuristic names in the order of the command line (the comparisons' order).
        public var heuristics: [String]
        /// Everything that must be equal across the shards of one run (inputs, seeds, limits).
        public var configuration: [String: String]

        public init(shard: Shard, problems: Int, heuristics: [String], configuration: [String: String]) {
            self.shard = shard
            self.problems = problems
            self.heuristics = heuristics
            self.configuration = configuration
        }
    }

    /// One trial and the position of its problem in the whole run.
    public struct Entry: Codable, Sendable, Hashable {
        public var problem: Int
        public var trial: TrialRecord

        public init(problem: Int, trial: TrialRecord) {
            self.problem = problem
            self.trial = trial
        }
    }

    /// An input error (a bad file, a reference that could not be computed) at a problem position
    /// (`nil`: while loading, reported by shard 0 only).
    public struct ErrorEntry: Codable, Sendable, Hashable {
        public var problem: Int?
        public var message: String

        public init(problem: Int?, message: String) {
            self.problem = problem
            self.message = message
        }
    }

    public var header: Header
    public var trials: [Entry]
    public var errors: [ErrorEntry]

    public init(header: Header, trials: [Entry] = [], errors: [ErrorEntry] = []) {
        self.header = header
        self.trials = trials
        self.errors = errors
    }

    /// The file's text: the header line, the errors, the trials.
    public func serialized() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func line<T: Encodable>(_ kind: String, _ value: T) -> String {
            let body = (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
            return #"{"\#(kind)":\#(body)}"#
        }
        var lines = [line("header", header)]
        lines += errors.map { line("error", $0) }
        lines += trials.map { line("trial", $0) }
        return lines.joined(separator: "\n") + "\n"
    }

    private struct Line: Decodable {
        var header: Header?
        var error: ErrorEntry?
        var trial: Entry?
    }

    /// Reads a results file; a line that is not one of the three kinds is an error naming it.
    public static func read(path: String) throws(ValidationInputError) -> ShardResults {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ValidationInputError(file: path, problem: nil, message: "cannot read: \(error.localizedDescription)")
        }
        let decoder = JSONDecoder()
        var header: Header?
        var trials: [Entry] = []
        var errors: [ErrorEntry] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let where_ = "\(path):\(number + 1)"
            let line: Line
            do { line = try decoder.decode(Line.self, from: Data(trimmed.utf8)) } catch {
                throw ValidationInputError(file: where_, problem: nil, message: "not a shard results line (\(Self.reason(error)))")
            }
            if let h = line.header {
                guard header == nil else { throw ValidationInputError(file: where_, problem: nil, message: "a second header") }
                guard h.format == "gpupool-validate-shard", h.version == 1 else {
                    throw ValidationInputError(file: where_, problem: nil, message: "format \(h.format) version \(h.version), expected gpupool-validate-shard version 1")
                }
                header = h
            } else if let e = line.error {
                errors.append(e)
            } else if let t = line.trial {
                guard let h = header else { throw ValidationInputError(file: where_, problem: nil, message: "a trial before the header") }
                guard (0..<h.problems).contains(t.problem), h.shard.owns(t.problem) else {
                    throw ValidationInputError(file: where_, problem: nil, message: "problem \(t.problem) does not belong to shard \(h.shard) of \(h.problems) problems")
                }
                trials.append(t)
            } else {
                throw ValidationInputError(file: where_, problem: nil, message: "neither header, error nor trial")
            }
        }
        guard let header else { throw ValidationInputError(file: path, problem: nil, message: "no header line: not a shard results file") }
        return ShardResults(header: header, trials: trials, errors: errors)
    }

    private static func reason(_ error: any Error) -> String {
        if case let DecodingError.dataCorrupted(context) = error { return context.debugDescription }
        if case let DecodingError.keyNotFound(key, _) = error { return "missing \(key.stringValue)" }
        if case let DecodingError.typeMismatch(_, context) = error { return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))" }
        return "\(error)"
    }

    /// The shards of one run, put together: every shard 0..<N exactly once, the same configuration
    /// in each, trials in problem order (as a single process runs them), errors likewise.
    /// - Throws: naming the file, when shards are missing, repeated, or from different runs.
    public static func merge(_ files: [(path: String, results: ShardResults)]) throws(ValidationInputError) -> ShardResults {
        guard let first = files.first else { throw ValidationInputError(file: "merge", problem: nil, message: "no results files") }
        let n = first.results.header.shard.count
        var seen: [Int: String] = [:]
        for (path, r) in files {
            let h = r.header
            if h.shard.count != n || h.problems != first.results.header.problems {
                throw ValidationInputError(file: path, problem: nil, message: "shard \(h.shard) of \(h.problems) problems does not belong with \(first.path) (shard \(first.results.header.shard) of \(first.results.header.problems))")
            }
            if h.heuristics != first.results.header.heuristics || h.configuration != first.results.header.configuration {
                let keys = Set(h.configuration.keys).union(first.results.header.configuration.keys).sorted()
                    .filter { h.configuration[$0] != first.results.header.configuration[$0] }
                let what = h.heuristics != first.results.header.heuristics ? ["heuristics"] + keys : keys
                throw ValidationInputError(file: path, problem: nil, message: "another run's shard: \(what.joined(separator: ", ")) differ from \(first.path)")
            }
            if let other = seen[h.shard.index] {
                throw ValidationInputError(file: path, problem: nil, message: "shard \(h.shard) is also in \(other)")
            }
            seen[h.shard.index] = path
        }
        let missing = (0..<n).filter { seen[$0] == nil }
        guard missing.isEmpty else {
            throw ValidationInputError(file: "merge", problem: nil, message: "missing shard(s) \(missing.map { "\($0)/\(n)" }.joined(separator: ", ")) of \(n)")
        }
        var header = first.results.header
        header.shard = .whole
        // Stable: within a problem, trials keep their order (heuristic, then seed).
        let trials = files.flatMap(\.results.trials).enumerated()
            .sorted { ($0.element.problem, $0.offset) < ($1.element.problem, $1.offset) }.map(\.element)
        let errors = files.flatMap(\.results.errors).enumerated()
            .sorted { ($0.element.problem ?? -1, $0.offset) < ($1.element.problem ?? -1, $1.offset) }.map(\.element)
        return ShardResults(header: header, trials: trials, errors: errors)
    }
}
