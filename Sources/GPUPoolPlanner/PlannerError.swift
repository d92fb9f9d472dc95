/// Why planning could not produce a plan.
public enum PlannerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The pool, workload, current plan or options are invalid; one message per problem found.
    case invalidInput([String])
    /// The exact method was requested but no exact solver is built in, or the instance is too large for it.
    case exactUnavailable(String)
    /// A solver failed in a way the planner could not recover from.
    case solverFailure(String)
    /// The plan failed the independent checker (a planner bug); every violation is listed.
    case planFailedCheck([PlanViolation])

    /// A message naming every problem.
    public var description: String {
        switch self {
        case let .invalidInput(problems):
            return problems.count == 1 ? "invalid input: \(problems[0])"
                : "invalid input (\(problems.count) problems):\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        case let .exactUnavailable(message): return "exact planning unavailable: \(message)"
        case let .solverFailure(message): return "solver failure: \(message)"
        case let .planFailedCheck(violations):
            return "the plan failed the independent check (please report this):\n"
                + violations.map { "  - \($0)" }.joined(separator: "\n")
        }
    }
}
