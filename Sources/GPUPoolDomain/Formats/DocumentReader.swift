import Foundation
import Yams

/// Reads text files and decodes YAML/JSON documents into `Decodable` values, turning every failure into a
/// ``DomainError`` whose problems carry the file name and, where it can be found, the line.
enum DocumentReader {
    /// Largest input file accepted.
    static let maxFileBytes = 64 * 1024 * 1024

    /// The file's text (UTF-8, BOM stripped).
    static func readText(path: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DomainError(problems: [Problem(file: path, item: "file", message: "does not exist")])
        }
        guard !isDirectory.boolValue else {
            throw DomainError(problems: [Problem(file: path, item: "file", message: "is a directory")])
        }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber,
           size.int64Value > Int64(maxFileBytes)
        {
            throw DomainError(problems: [Problem(file: path, item: "file", message: "larger than \(maxFileBytes / 1_048_576) MiB")])
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw DomainError(problems: [Problem(file: path, item: "file", message: "cannot be read: \(error.localizedDescription)")])
        }
        return try text(from: data, fileName: path)
    }

    /// Decodes UTF-8 bytes to text, stripping a byte-order mark.
    static func text(from data: Data, fileName: String) throws -> String {
        guard data.count <= maxFileBytes else {
            throw DomainError(problems: [Problem(file: fileName, item: "file", message: "larger than \(maxFileBytes / 1_048_576) MiB")])
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw DomainError(problems: [Problem(file: fileName, item: "file", message: "is not valid UTF-8 text")])
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text
    }

    /// A parsed document: the decoded value plus the line of every path in it.
    struct Parsed<T> {
        var value: T
        var origin: SourceOrigin
    }

    /// Decodes `text` as `format`, throwing a located ``DomainError`` on syntax or type errors.
    static func decode<T: Decodable>(_ type: T.Type, text: String, fileName: String, format: DocumentFormat) throws -> T {
        try parse(type, text: text, fileName: fileName, format: format).value
    }

    /// Decodes `text` and returns the value with its line map.
    static func parse<T: Decodable>(_ type: T.Type, text: String, fileName: String, format: DocumentFormat) throws -> Parsed<T> {
        if text.allSatisfy(\.isWhitespace) {
            throw DomainError(problems: [Problem(file: fileName, line: 1, item: "file", message: "is empty")])
        }
        switch format {
        case .json: return try parseJSON(type, text: text, fileName: fileName)
        case .yaml: return try parseYAML(type, text: text, fileName: fileName)
        }
    }

    private static func parseJSON<T: Decodable>(_ type: T.Type, text: String, fileName: String) throws -> Parsed<T> {
        let lines: [String: Int]
        do { lines = try JSONLineMap.scan(text) } catch {
            throw DomainError(problems: [Problem(file: fileName, line: error.line, item: "JSON syntax", message: error.message)])
        }
        let origin = SourceOrigin(file: fileName, lines: lines)
        do {
            let value = try JSONDecoder().decode(T.self, from: Data(text.utf8))
            return Parsed(value: value, origin: origin)
        } catch {
            throw DomainError(problems: [located(error, origin: origin)])
        }
    }

    private static func parseYAML<T: Decodable>(_ type: T.Type, text: String, fileName: String) throws -> Parsed<T> {
        if let line = YAMLLineMap.exceedsNesting(text) {
            throw DomainError(problems: [Problem(file: fileName, line: line, item: "YAML", message: "nesting too deep (more than \(JSONLineMap.maxDepth) levels)")])
        }
        let root: Yams.Node
        do {
            guard let composed = try Yams.compose(yaml: text) else {
                throw DomainError(problems: [Problem(file: fileName, line: 1, item: "file", message: "is empty")])
            }
            root = composed
        } catch let error as DomainError {
            throw error
        } catch {
            throw DomainError(problems: [yamlSyntaxProblem(error, text: text, fileName: fileName)])
        }
        let origin: SourceOrigin
        do { origin = SourceOrigin(file: fileName, lines: try YAMLLineMap.lines(of: root, sourceBytes: text.utf8.count)) } catch {
            throw DomainError(problems: [Problem(file: fileName, item: "YAML", message: error.message)])
        }
        do {
            let value = try YAMLDecoder().decode(T.self, from: YAMLLineMap.normalisingKeys(root))
            return Parsed(value: value, origin: origin)
        } catch {
            throw DomainError(problems: [located(error, origin: origin)])
        }
    }

    /// A problem for a decoding error, located through the line map.
    static func located(_ error: any Error, origin: SourceOrigin, item: String? = nil) -> Problem {
        if let codingPath = DecodingMessages.codingPath(of: error) {
            let path = DecodingMessages.path(codingPath)
            return origin.problem(at: path, item: item ?? (path.isEmpty ? "document" : path), message: DecodingMessages.describe(error))
        }
        if error is YamlError {
            return Problem(file: origin.file, item: item ?? "YAML", message: String(describing: error))
        }
        return Problem(file: origin.file, item: item ?? "document", message: DecodingMessages.describe(error))
    }

    /// A problem for a Yams syntax error, with the line from its mark (or byte offset).
    static func yamlSyntaxProblem(_ error: any Error, text: String, fileName: String) -> Problem {
        guard let yamlError = error as? YamlError else {
            return Problem(file: fileName, item: "YAML syntax", message: String(describing: error))
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return Problem(file: fileName, line: mark.line, item: "YAML syntax", message: detail)
        case .reader(let problem, let offset, _, _):
            let line = offset.map { lineNumber(atByteOffset: $0, in: text) }
            return Problem(file: fileName, line: line, item: "YAML syntax", message: problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return Problem(file: fileName, line: context.mark.line, item: "YAML mapping",
                           message: "duplicated keys: \(duplicates.joined(separator: ", "))")
        default:
            return Problem(file: fileName, item: "YAML", message: String(describing: yamlError))
        }
    }

    static func lineNumber(atByteOffset offset: Int, in text: String) -> Int {
        var line = 1
        for (position, byte) in text.utf8.enumerated() {
            if position >= offset { break }
            if byte == UInt8(ascii: "\n") { line += 1 }
        }
        return line
    }

    /// Writes `text` atomically (a reader never sees a half-written file).
    static func write(_ text: String, to path: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw DomainError(problems: [Problem(file: path, item: "file", message: "cannot be written: \(error.localizedDescription)")])
        }
    }

    /// Encodes a value as pretty JSON (sorted keys) or YAML.
    static func encode<T: Encodable>(_ value: T, format: DocumentFormat, fileName: String?) throws -> String {
        do {
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
            case .yaml:
                return try YAMLWriter.encode(value)
            }
        } catch {
            throw DomainError(problems: [Problem(file: fileName, item: "document", message: "cannot be encoded: \(DecodingMessages.describe(error))")])
        }
    }
}
