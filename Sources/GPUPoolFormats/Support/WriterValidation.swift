import GPUPoolModel

extension LinearProgram {
    /// What every writer checks first: a program that does not validate is not written, and the
    /// error names the destination.
    func validateForWriting(file: String) throws(FormatError) {
        do {
            try validate()
        } catch {
            throw FormatError(file: file, reason: "cannot write: \(error)")
        }
    }
}
