/// Errors of the telemetry parsers. A malformed line is not an error: it is reported in
/// ``TelemetryParseResult`` with its line number, so one bad line never hides the rest of a file.
public enum TelemetryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A file could not be read.
    case unreadable(path: String, reason: String)

    /// One line naming the file and the reason.
    public var description: String {
        switch self {
        case let .unreadable(path, reason): "\(path): \(reason)"
        }
    }
}
