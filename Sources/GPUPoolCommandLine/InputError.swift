/// Bad input given to a command: printed as `error: <description>` with exit code 2.
public struct InputError: Error, CustomStringConvertible {
    /// One line per problem, naming the offending option, file or item.
    public let description: String
    /// An error with the given message.
    public init(_ description: String) { self.description = description }
}
