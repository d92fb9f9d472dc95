/// A value of the Python-literal subset used in SkyPilot's `GpuInfo` column
/// (`{'Gpus': [{'Name': 'H100', 'Count': 8.0, …}], 'TotalGpuMemoryInMiB': 81920}`).
enum PythonLiteral: Equatable {
    case dict([String: PythonLiteral])
    case list([PythonLiteral])
    case string(String)
    case number(Double)
    case bool(Bool)
    case none

    struct SyntaxError: Error {
        var message: String
    }

    static let maxDepth = 32

    /// Parses a Python literal (dicts, lists, tuples, quoted strings, numbers, True/False/None).
    static func parse(_ text: String) throws(SyntaxError) -> PythonLiteral {
        var parser = Parser(bytes: Array(text.utf8))
        let value = try parser.parseValue(depth: 0)
        parser.skipSpace()
        guard parser.index == parser.bytes.count else { throw SyntaxError(message: "unexpected text after the value") }
        return value
    }

    subscript(key: String) -> PythonLiteral? {
        if case .dict(let entries) = self { return entries[key] }
        return nil
    }

    var doubleValue: Double? {
        if case .number(let value) = self { return value }
        if case .string(let text) = self { return Double(text) }
        return nil
    }

    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var listValue: [PythonLiteral]? {
        if case .list(let items) = self { return items }
        return nil
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
        }

        mutating func parseValue(depth: Int) throws(SyntaxError) -> PythonLiteral {
            guard depth <= PythonLiteral.maxDepth else { throw SyntaxError(message: "nested too deeply") }
            skipSpace()
            guard index < bytes.count else { throw SyntaxError(message: "unexpected end") }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var entries: [String: PythonLiteral] = [:]
                while true {
                    skipSpace()
                    if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .dict(entries) }
                    let key = try parseValue(depth: depth + 1)
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw SyntaxError(message: "expected ':'") }
                    index += 1
                    let value = try parseValue(depth: depth + 1)
                    switch key {
                    case .string(let name): entries[name] = value
                    case .number(let number): entries[String(number)] = value
                    default: throw SyntaxError(message: "unsupported dict key")
                    }
                    skipSpace()
                    guard index < bytes.count else { throw SyntaxError(message: "unterminated dict") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "}") { index += 1; return .dict(entries) }
                    throw SyntaxError(message: "expected ',' or '}'")
                }
            case UInt8(ascii: "["), UInt8(ascii: "("):
                let close = bytes[index] == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: ")")
                index += 1
                var items: [PythonLiteral] = []
                while true {
                    skipSpace()
                    if index < bytes.count, bytes[index] == close { index += 1; return .list(items) }
                    items.append(try parseValue(depth: depth + 1))
                    skipSpace()
                    guard index < bytes.count else { throw SyntaxError(message: "unterminated list") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == close { index += 1; return .list(items) }
                    throw SyntaxError(message: "expected ',' or a closing bracket")
                }
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                let quote = bytes[index]
                index += 1
                var text: [UInt8] = []
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                        text.append(bytes[index + 1])
                        index += 2
                        continue
                    }
                    index += 1
                    if byte == quote { return .string(String(decoding: text, as: UTF8.self)) }
                    text.append(byte)
                }
                throw SyntaxError(message: "unterminated string")
            default:
                let start = index
                while index < bytes.count {
                    let byte = bytes[index]
                    let isWordByte = (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                        || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                        || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                        || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
                        || byte == UInt8(ascii: "_")
                    if !isWordByte { break }
                    index += 1
                }
                let word = String(decoding: bytes[start..<index], as: UTF8.self)
                switch word {
                case "True": return .bool(true)
                case "False": return .bool(false)
                case "None": return .none
                case "": throw SyntaxError(message: "unexpected character")
                default:
                    guard let number = Double(word) else { throw SyntaxError(message: "unexpected word \"\(word)\"") }
                    return .number(number)
                }
            }
        }
    }
}
