/// Finds the line of every key and array element in JSON text, and the line of the first syntax error.
///
/// Foundation's `JSONDecoder` reports no positions, so this small scanner walks the text once to give
/// problems found later (decoding or validation) a line number. Nesting is limited to ``maxDepth``.
package struct JSONLineMap {
    /// Deepest nesting accepted (pool/workload documents need about 6).
    static let maxDepth = 64

    package struct SyntaxError: Error {
        package var line: Int
        package var message: String
    }

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private(set) var lines: [String: Int] = [:]

    /// Scans `text`, returning path → line, or throwing the first syntax error.
    package static func scan(_ text: String) throws(SyntaxError) -> [String: Int] {
        var scanner = JSONLineMap(bytes: Array(text.utf8))
        try scanner.parseDocument()
        return scanner.lines
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func parseDocument() throws(SyntaxError) {
        try parseValue(path: "", depth: 0)
        skipWhitespace()
        if index < bytes.count { throw fail("unexpected text after the end of the JSON document") }
    }

    private func fail(_ message: String) -> SyntaxError { SyntaxError(line: line, message: message) }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\n"): line += 1; index += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): index += 1
            default: return
            }
        }
    }

    private mutating func record(_ path: String) {
        if lines[path] == nil { lines[path] = line }
    }

    private mutating func parseValue(path: String, depth: Int) throws(SyntaxError) {
        guard depth <= Self.maxDepth else { throw fail("nesting deeper than \(Self.maxDepth) levels") }
        skipWhitespace()
        guard index < bytes.count else { throw fail("unexpected end of file") }
        record(path)
        switch bytes[index] {
        case UInt8(ascii: "{"): try parseObject(path: path, depth: depth)
        case UInt8(ascii: "["): try parseArray(path: path, depth: depth)
        case UInt8(ascii: "\""): _ = try parseString()
        case UInt8(ascii: "t"): try expectLiteral("true")
        case UInt8(ascii: "f"): try expectLiteral("false")
        case UInt8(ascii: "n"): try expectLiteral("null")
        default: try parseNumber()
        }
    }

    private mutating func parseObject(path: String, depth: Int) throws(SyntaxError) {
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a quoted field name") }
            let key = try parseString()
            let child = path.isEmpty ? key : "\(path).\(key)"
            record(child)
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':' after field name \"\(key)\"") }
            index += 1
            try parseValue(path: child, depth: depth + 1)
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of file inside an object") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return }
            throw fail("expected ',' or '}' in an object")
        }
    }

    private mutating func parseArray(path: String, depth: Int) throws(SyntaxError) {
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return }
        var element = 0
        while true {
            try parseValue(path: "\(path)[\(element)]", depth: depth + 1)
            element += 1
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of file inside a list") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return }
            throw fail("expected ',' or ']' in a list")
        }
    }

    /// Parses a string starting at the opening quote; returns its text (escapes other than `\"`,
    /// `\\`, `\/` are kept verbatim, which is enough to name fields).
    private mutating func parseString() throws(SyntaxError) -> String {
        index += 1
        var scalars: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: scalars, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count else { throw fail("unterminated string") }
                let next = bytes[index + 1]
                if next == UInt8(ascii: "\"") || next == UInt8(ascii: "\\") || next == UInt8(ascii: "/") {
                    scalars.append(next)
                } else {
                    scalars.append(byte)
                    scalars.append(next)
                }
                index += 2
            case UInt8(ascii: "\n"):
                throw fail("line break inside a string")
            default:
                scalars.append(byte)
                index += 1
            }
        }
        throw fail("unterminated string")
    }

    private mutating func expectLiteral(_ word: String) throws(SyntaxError) {
        let expected = Array(word.utf8)
        guard index + expected.count <= bytes.count, Array(bytes[index..<(index + expected.count)]) == expected else {
            throw fail("unexpected character (expected \(word))")
        }
        index += expected.count
    }

    private mutating func parseNumber() throws(SyntaxError) {
        let start = index
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                 UInt8(ascii: "e"), UInt8(ascii: "E"):
                index += 1
            default:
                if index == start {
                    let shown = String(decoding: [bytes[index]], as: UTF8.self)
                    throw fail("unexpected character '\(shown)'")
                }
                return
            }
        }
        if index == start { throw fail("unexpected end of file") }
    }
}
