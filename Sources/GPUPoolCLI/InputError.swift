/// Bad input given to a command: printed as `error: <description>` with exit code 2.
struct InputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
