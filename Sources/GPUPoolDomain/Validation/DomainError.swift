import Foundation

/// One problem found in a pool, workload or input file.
public struct Problem: Sendable, Hashable, CustomStringConvertible {
    /// The file the data came from, or `nil` for data built in memory.
    public var file: String?
    /// 1-based line in `file`, when known.
    public var line: Int?
    /// The offending item, e.g. `node "n3"`, `job "j7" shape`, `row 12 column Price`.
    public var item: String
    /// What is wrong.
    public var message: String

    /// Creates a problem.
    public init(file: String? = nil, line: Int? = nil, item: String, message: String) {
        self.file = file
        self.line = line
        self.item = item
        self.message = message
    }

    /// `FILE:LINE: item: message` (file and line omitted when unknown).
    public var description: String {
        var prefix = ""
        if let file {
            prefix = file
            if let line { prefix += ":\(line)" }
            prefix += ": "
        } else if let line {
            prefix = "line \(line): "
        }
        return "\(prefix)\(item): \(message)"
    }
}

/// Every problem found in the input at once, so users can fix them all in one pass.
public struct DomainError: Error, Sendable, Hashable, CustomStringConvertible {
    /// All problems, in the order found.
    public var problems: [Problem]

    /// Creates an error from a non-empty list of problems.
    public init(problems: [Problem]) { self.problems = problems }

    /// One line per problem: `FILE:LINE: item: message`.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

extension DomainError: LocalizedError {
    /// Same as ``description``, so `localizedDescription` lists every problem.
    public var errorDescription: String? { description }
}
