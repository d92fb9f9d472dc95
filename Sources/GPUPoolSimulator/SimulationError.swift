/// Bad simulator input: every problem found, each naming the file, line or item it concerns.
public struct SimulationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One message per problem, e.g. `jobs.csv:4: column gpus: must be a whole number ≥ 1`.
    public var problems: [String]

    /// Creates an error from a non-empty list of problems.
    public init(_ problems: [String]) { self.problems = problems }

    /// Creates an error with one problem.
    public init(_ problem: String) { self.problems = [problem] }

    /// One line per problem.
    public var description: String { problems.joined(separator: "\n") }
}
