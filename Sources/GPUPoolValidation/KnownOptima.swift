import Foundation

/// A known optimum (or best-known value) of one problem, as in `../shared/data/gap/optima.json`.
public struct KnownOptimum: Sendable, Hashable, Codable {
    /// Best objective found by the reference solver.
    public var optimum: Double
    /// Proven bound, when known.
    public var bound: Double?
    /// Whether ``optimum`` is proven optimal.
    public var proven: Bool
    /// Best value reported in the literature, where the reference solver did not prove optimality.
    public var bestKnown: Double?
    /// `"max"` or `"min"`.
    public var sense: String?
    /// Agents (bins) and jobs (items), to catch a file that does not match the problem.
    public var m: Int?
    public var n: Int?

    public init(optimum: Double, bound: Double? = nil, proven: Bool, bestKnown: Double? = nil, sense: String? = nil, m: Int? = nil, n: Int? = nil) {
        self.optimum = optimum
        self.bound = bound
        self.proven = proven
        self.bestKnown = bestKnown
        self.sense = sense
        self.m = m
        self.n = n
    }

    enum CodingKeys: String, CodingKey {
        case optimum, bound, proven, sense, m, n
        case bestKnown = "best_known"
    }

    /// The value to compare against: the proven optimum, else the best-known value, else the optimum.
    public var reference: Double { proven ? optimum : (bestKnown ?? optimum) }
}

/// Known optima keyed `FILE-K` (file name without extension, problem number from 1).
public struct KnownOptima: Sendable {
    public var entries: [String: KnownOptimum]

    public init(entries: [String: KnownOptimum] = [:]) { self.entries = entries }

    /// Reads an `optima.json` file.
    /// - Throws: ``ValidationInputError`` naming the file and the entry that could not be read.
    public static func load(path: String) throws(ValidationInputError) -> KnownOptima {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ValidationInputError(file: path, problem: nil, message: "cannot read known optima: \(error.localizedDescription)")
        }
        do {
            return KnownOptima(entries: try JSONDecoder().decode([String: KnownOptimum].self, from: data))
        } catch let DecodingError.keyNotFound(key, context) {
            throw ValidationInputError(file: path, problem: nil, message: "entry \(context.codingPath.first?.stringValue ?? "?") lacks \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let where_ = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw ValidationInputError(file: path, problem: nil, message: "\(where_): \(context.debugDescription)")
        } catch {
            throw ValidationInputError(file: path, problem: nil, message: "not a known-optima JSON object: \(error)")
        }
    }

    /// The entry for problem `index` (1-based) of the file at `path`.
    public subscript(file path: String, problem index: Int) -> KnownOptimum? {
        entries[Self.key(file: path, problem: index)]
    }

    /// `FILE-K` for a path: `../gap/gap3.txt`, 2 → `gap3-2`.
    public static func key(file path: String, problem index: Int) -> String {
        "\(family(of: path))-\(index)"
    }

    /// The file name without directory and extension: the family a problem belongs to.
    public static func family(of path: String) -> String {
        let name = URL(fileURLWithPath: path).lastPathComponent
        guard let dot = name.firstIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }
}

/// Bad input to the harness, naming the file and, when known, the problem.
public struct ValidationInputError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var problem: Int?
    public var message: String

    public init(file: String, problem: Int?, message: String) {
        self.file = file
        self.problem = problem
        self.message = message
    }

    public var description: String {
        if let problem { return "\(file): problem \(problem): \(message)" }
        return "\(file): \(message)"
    }
}
