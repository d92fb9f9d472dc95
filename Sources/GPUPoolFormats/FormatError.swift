/// A file that cannot be read or written, with where and why.
///
/// ``description`` is `FILE:LINE: reason`, or `FILE: reason` when no line applies (a missing
/// file, a model-wide problem), so a command-line tool can print `error: \(error)`.
public struct FormatError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file (path or a label such as `<input>` for in-memory data).
    public var file: String
    /// One-based line number, when the problem is on a line.
    public var line: Int?
    /// What is wrong, in words; for JSON it starts with the JSON path (`constraints[3].terms[1].variable: …`).
    public var reason: String

    /// Creates an error for `file`, optionally at `line`.
    public init(file: String, line: Int? = nil, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    /// `FILE:LINE: reason`, or `FILE: reason` without a line.
    public var description: String {
        if let line { return "\(file):\(line): \(reason)" }
        return "\(file): \(reason)"
    }
}

/// Something a reader or writer accepted but wants the user to know (an ignored row, a
/// convention applied, a name replaced). Same layout as ``FormatError``.
public struct FormatWarning: Sendable, Hashable, CustomStringConvertible {
    /// The file (path or label).
    public var file: String
    /// One-based line number, when the warning is about a line.
    public var line: Int?
    /// The message.
    public var message: String

    /// Creates a warning for `file`, optionally at `line`.
    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `FILE:LINE: message`, or `FILE: message` without a line.
    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
