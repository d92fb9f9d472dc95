/// The model file formats GPUPool reads and writes.
public enum ModelFormat: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Free MPS (`.mps`). Reading a `.mps` file through ``ModelFile`` without a format detects
    /// fixed MPS too (see ``MPSDialect/detect(_:)``).
    case mps
    /// Fixed-column MPS.
    case fixedMPS = "fixed-mps"
    /// CPLEX LP (`.lp`).
    case lp
    /// GPUPool JSON (`.json`), see `Docs/ModelJSONFormat.md`.
    case json

    /// The name used on command lines: `mps`, `fixed-mps`, `lp`, `json`.
    public var description: String { rawValue }

    /// The format a path's extension names (`.mps`, `.lp`, `.json`, any case), or `nil`.
    public init?(path: String) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "mps": self = .mps
        case "lp": self = .lp
        case "json": self = .json
        default: return nil
        }
    }

    /// A guess from the contents: `{` starts JSON; `NAME`/`ROWS` at the start of a line means MPS
    /// (fixed when ``MPSDialect/detect(_:)`` says so); `Minimize`/`Maximize` (or `\` comments)
    /// means LP. `nil` when none fits.
    public static func detect(_ bytes: [UInt8]) -> ModelFormat? {
        var k = 0
        while k < bytes.count, [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains(bytes[k]) { k += 1 }
        guard k < bytes.count else { return nil }
        if bytes[k] == UInt8(ascii: "{") { return .json }
        // First meaningful line, skipping MPS `*` comments and LP `\` comments.
        var lineStart = 0
        while lineStart < bytes.count {
            var end = lineStart
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            let line = String(decoding: bytes[lineStart..<end], as: UTF8.self)
            lineStart = end + 1
            let trimmed = line.strippingCharacters(in: " \t\r")
            if trimmed.isEmpty || line.hasPrefix("*") || trimmed.hasPrefix("\\") { continue }
            let word = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map { $0.uppercased() } ?? ""
            if ["NAME", "ROWS", "OBJSENSE"].contains(word) {
                return MPSDialect.detect(bytes) == .fixed ? .fixedMPS : .mps
            }
            if ["MINIMIZE", "MAXIMIZE", "MINIMISE", "MAXIMISE", "MINIMUM", "MAXIMUM", "MIN", "MAX"].contains(word) {
                return .lp
            }
            return nil
        }
        return nil
    }
}
