/// Errors of the monitoring module; each names the offending file, item or value.
public enum MonitoringError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A file could not be read.
    case unreadable(path: String, reason: String)
    /// A rules document is invalid (every problem listed).
    case invalidRules([String])
    /// An input value is invalid (e.g. an unknown node, a negative duration).
    case invalidInput(String)
    /// Re-planning failed.
    case replan(String)
    /// The session's recorder (e.g. the history database) failed.
    case recording(String)

    /// One line per problem.
    public var description: String {
        switch self {
        case let .unreadable(path, reason): "\(path): \(reason)"
        case let .invalidRules(problems): problems.joined(separator: "\n")
        case let .invalidInput(message): message
        case let .replan(message): "re-plan: \(message)"
        case let .recording(message): message
        }
    }
}
