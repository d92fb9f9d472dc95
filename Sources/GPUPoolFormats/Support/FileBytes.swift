import Foundation

/// Whole-file reads and atomic writes with errors that name the file.
enum FileBytes {
    static func read(_ path: String) throws(FormatError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw FormatError(file: path, reason: "no such file")
        }
        if isDirectory.boolValue { throw FormatError(file: path, reason: "is a directory, not a model file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FormatError(file: path, reason: "cannot read the file (permission denied?)")
        }
        return [UInt8](data)
    }

    /// Writes through a temporary file in the same directory and renames it over `path`, so a
    /// crash or full disk never leaves a half-written model behind.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(FormatError) {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw FormatError(file: path, reason: "cannot write the file: \(error.localizedDescription)")
        }
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether the text starts with the UTF-8 byte order mark some editors write (skipped by readers).
    var hasUTF8ByteOrderMark: Bool { count >= 3 && self[0] == 0xEF && self[1] == 0xBB && self[2] == 0xBF }
}
