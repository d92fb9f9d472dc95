/// Errors of the monitoring history; each names the database file or the offending value.
public enum HistoryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An input value is invalid (a time range, a bucket size, a prior weight).
    case invalidInput(String)
    /// The database could not be opened, read or written.
    case database(String)

    /// One line per problem.
    public var description: String {
        switch self {
        case let .invalidInput(message): message
        case let .database(message): "history database: \(message)"
        }
    }
}
