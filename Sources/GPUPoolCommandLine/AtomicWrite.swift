import Foundation

/// Writes `text` to `path` atomically: a temporary file beside it, then a rename, so a reader
/// never sees half a file and a failure leaves any previous file untouched.
public func writeAtomically(_ text: String, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    do {
        try Data(text.utf8).write(to: url, options: .atomic)
    } catch {
        throw InputError("\(path): cannot write: \(error.localizedDescription)")
    }
}
