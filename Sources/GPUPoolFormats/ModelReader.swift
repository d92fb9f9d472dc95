/// A reader of one model file format: bytes in, ``ReadResult`` out. Readers parse bytes directly
/// (no per-line strings); text and files are read through the same path.
public protocol ModelReader: Sendable {
    /// Reads a model given as bytes; `file` names it in errors.
    func read(_ bytes: [UInt8], file: String) throws(FormatError) -> ReadResult
}

extension ModelReader {
    /// Reads a model given as a string.
    public func read(text: String, file: String = "<input>") throws(FormatError) -> ReadResult {
        try read(Array(text.utf8), file: file)
    }

    /// Reads the model file at `path`.
    public func read(contentsOf path: String) throws(FormatError) -> ReadResult {
        try read(FileBytes.read(path), file: path)
    }
}

/// Runs a parse over the bytes' buffer, carrying its typed error out of the closure.
func withBytes<T>(
    _ bytes: [UInt8], _ body: (UnsafeBufferPointer<UInt8>) throws(FormatError) -> T
) throws(FormatError) -> T {
    let result: Result<T, FormatError> = bytes.withUnsafeBufferPointer { buffer in
        do throws(FormatError) {
            return .success(try body(buffer))
        } catch {
            return .failure(error)
        }
    }
    return try result.get()
}
