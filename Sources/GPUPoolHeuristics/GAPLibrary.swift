import Foundation

/// Why a Beasley OR-Library GAP file could not be read.
public struct GAPFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// File name (or the name given to ``GAPLibrary/parse(text:fileName:sense:)``).
    public var file: String
    /// 1-based number of the problem being read, `nil` while reading the problem count.
    public var problem: Int?
    /// 1-based line of the offending token (or of the end of input); 0 when the file could not be read.
    public var line: Int
    /// 1-based position of the offending token among all tokens of the file.
    public var token: Int
    /// What is wrong.
    public var message: String

    /// A readable, one-line explanation.
    public var description: String {
        let problemPart = problem.map { ", problem \($0)" } ?? ""
        let position = line > 0 ? ", line \(line), token \(token)" : ""
        return "\(file)\(problemPart)\(position): \(message)"
    }
}

/// Reader and writer for Beasley's OR-Library generalized assignment files (`gap1.txt`…`gapd.txt`).
///
/// A file holds several problems: the count `P`, then per problem `m n`, the `m×n` cost matrix,
/// the `m×n` resource matrix and the `m` capacities (agents are bins, jobs are items).
/// Problems are named `STEM-K` (e.g. `gapd-3`), matching the keys of `optima.json`.
public enum GAPLibrary {
    /// The conventional sense of an OR-Library file: `gap1`–`gap12` maximise profit, the lettered
    /// files (`gapa`–`gapd`, and others) minimise cost. Unknown names give `.minimize`.
    public static func defaultSense(forFileName fileName: String) -> AssignmentSense {
        let stem = stem(of: fileName).lowercased()
        if stem.hasPrefix("gap"), let number = Int(stem.dropFirst(3)), (1...12).contains(number) { return .maximize }
        return .minimize
    }

    /// Reads every problem of the file at `url`.
    ///
    /// - Parameter sense: overrides ``defaultSense(forFileName:)``.
    /// - Throws: ``GAPFormatError`` naming file, problem, line and token.
    public static func read(contentsOf url: URL, sense: AssignmentSense? = nil) throws(GAPFormatError)
        -> [AssignmentProblem]
    {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: url))
        } catch {
            throw GAPFormatError(
                file: url.lastPathComponent, problem: nil, line: 0, token: 0,
                message: "cannot read file: \(error.localizedDescription)")
        }
        return try parse(bytes: bytes, fileName: url.lastPathComponent, sense: sense)
    }

    /// Parses the text of a GAP file.
    ///
    /// - Parameters:
    ///   - fileName: used in error messages, problem names and to pick the default sense.
    ///   - sense: overrides ``defaultSense(forFileName:)``.
    /// - Throws: ``GAPFormatError`` naming file, problem, line and token.
    public static func parse(text: String, fileName: String, sense: AssignmentSense? = nil) throws(GAPFormatError)
        -> [AssignmentProblem]
    {
        try parse(bytes: Array(text.utf8), fileName: fileName, sense: sense)
    }

    /// Parses the raw bytes of a GAP file (see ``parse(text:fileName:sense:)``).
    public static func parse(bytes: [UInt8], fileName: String, sense: AssignmentSense? = nil) throws(GAPFormatError)
        -> [AssignmentProblem]
    {
        let sense = sense ?? defaultSense(forFileName: fileName)
        var reader = TokenReader(bytes: bytes, file: fileName)
        let problemCount = try reader.count(what: "problem count", limit: 1_000_000)
        var problems: [AssignmentProblem] = []
        for index in 1...problemCount {
            reader.problem = index
            let bins = try reader.count(what: "number of agents m", limit: AssignmentProblem.maximumEntries)
            let items = try reader.count(what: "number of jobs n", limit: AssignmentProblem.maximumEntries)
            let (pairs, overflow) = bins.multipliedReportingOverflow(by: items)
            guard !overflow, pairs <= AssignmentProblem.maximumEntries else {
                throw reader.error("\(bins) agents × \(items) jobs exceeds the size limit")
            }
            // Refuse before allocating when the file cannot hold the data the header announces.
            guard reader.mayHold(tokens: 2 * pairs + bins) else {
                throw reader.error("truncated: header announces \(bins)×\(items) matrices and \(bins) capacities,"
                    + " but the file ends before them")
            }
            var costs = [Double](repeating: 0, count: pairs)
            var demands = [Double](repeating: 0, count: pairs)
            var capacities = [Double](repeating: 0, count: bins)
            for bin in 0..<bins {
                for item in 0..<items {
                    costs[item * bins + bin] = try reader.number(what: "cost of job \(item + 1) on agent \(bin + 1)")
                }
            }
            for bin in 0..<bins {
                for item in 0..<items {
                    let value = try reader.number(what: "resource of job \(item + 1) on agent \(bin + 1)")
                    guard value >= 0 else { throw reader.error("resource of job \(item + 1) on agent \(bin + 1) is negative (\(value))" ) }
                    demands[item * bins + bin] = value
                }
            }
            for bin in 0..<bins {
                let value = try reader.number(what: "capacity of agent \(bin + 1)")
                guard value >= 0 else { throw reader.error("capacity of agent \(bin + 1) is negative (\(value))" ) }
                capacities[bin] = value
            }
            do {
                problems.append(
                    try AssignmentProblem(
                        flatName: "\(stem(of: fileName))-\(index)", sense: sense, itemCount: items, binCount: bins,
                        dimensionCount: 1, costs: costs, demands: demands, capacities: capacities))
            } catch {
                throw reader.error(error.description)
            }
        }
        if reader.hasMoreTokens() {
            throw reader.error("unexpected data after the \(problemCount) problem(s) the file announces", next: true)
        }
        return problems
    }

    /// Writes problems in the OR-Library format (single resource dimension, every pair eligible,
    /// every item mandatory; the sense is not stored in the format).
    ///
    /// - Returns: `nil` when a problem does not fit the format.
    public static func format(_ problems: [AssignmentProblem]) -> String? {
        var out = "\(problems.count)\n"
        func number(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
        }
        for problem in problems {
            guard problem.dimensionCount == 1, !problem.eligible.contains(false),
                  !problem.penalties.contains(where: { $0 != nil }) else { return nil }
            let m = problem.binCount, n = problem.itemCount
            out += "\(m) \(n)\n"
            for bin in 0..<m { out += (0..<n).map { number(problem.cost(item: $0, bin: bin)) }.joined(separator: " ") + "\n" }
            for bin in 0..<m {
                out += (0..<n).map { number(problem.demand(item: $0, bin: bin, dimension: 0)) }.joined(separator: " ") + "\n"
            }
            out += (0..<m).map { number(problem.capacity(bin: $0, dimension: 0)) }.joined(separator: " ") + "\n"
        }
        return out
    }

    static func stem(of fileName: String) -> String {
        let base = fileName.split(separator: "/").last.map(String.init) ?? fileName
        if let dot = base.lastIndex(of: "."), dot != base.startIndex { return String(base[..<dot]) }
        return base
    }
}

/// Whitespace-separated numeric tokens with line and token positions for messages.
private struct TokenReader {
    let bytes: [UInt8]
    let file: String
    var position = 0
    var line = 1
    var tokenNumber = 0
    var tokenLine = 1
    var problem: Int?

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    func error(_ message: String, next: Bool = false) -> GAPFormatError {
        GAPFormatError(
            file: file, problem: problem, line: next ? line : tokenLine, token: next ? tokenNumber + 1 : tokenNumber,
            message: message)
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || (9...13).contains(byte) }

    private mutating func skipSpace() {
        while position < bytes.count, Self.isSpace(bytes[position]) {
            if bytes[position] == 10 { line += 1 }
            position += 1
        }
    }

    mutating func hasMoreTokens() -> Bool {
        skipSpace()
        return position < bytes.count
    }

    /// Whether at least `tokens` more tokens could fit in the remaining bytes (each needs ≥ 2 bytes
    /// with its separator, the last one 1).
    func mayHold(tokens: Int) -> Bool {
        let remaining = bytes.count - position
        return tokens <= remaining / 2 + 1
    }

    private mutating func nextToken(what: String) throws(GAPFormatError) -> String {
        skipSpace()
        guard position < bytes.count else {
            tokenNumber += 1
            tokenLine = line
            throw error("unexpected end of file, expected \(what)")
        }
        tokenNumber += 1
        tokenLine = line
        let start = position
        while position < bytes.count, !Self.isSpace(bytes[position]), position - start < 64 { position += 1 }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if position < bytes.count, !Self.isSpace(bytes[position]) {
            throw error("token too long, expected \(what) (starts \"\(text.prefix(20))…\")")
        }
        return text
    }

    mutating func number(what: String) throws(GAPFormatError) -> Double {
        let text = try nextToken(what: what)
        guard text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 43 || $0 == 45 || $0 == 46 || $0 == 101 || $0 == 69 }),
              let value = Double(text), value.isFinite
        else {
            throw error("expected \(what), found \"\(text.prefix(20))\"")
        }
        return value
    }

    mutating func count(what: String, limit: Int) throws(GAPFormatError) -> Int {
        let value = try number(what: what)
        guard value == value.rounded(), value >= 1, value <= Double(limit) else {
            throw error("\(what) must be a whole number between 1 and \(limit), found \(value)")
        }
        return Int(value)
    }
}
