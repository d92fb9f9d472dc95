/// Turns `DecodingError`s into short messages and coding paths into `nodes[3].gpuCount` strings.
enum DecodingMessages {
    /// `nodes[3].gpuCount` for a coding path.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var result = ""
        for key in codingPath {
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == String(index) {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return result
    }

    /// The coding path of a decoding error, or `nil` for other errors.
    static func codingPath(of error: any Error) -> [any CodingKey]? {
        guard let error = error as? DecodingError else { return nil }
        switch error {
        case .keyNotFound(_, let context), .typeMismatch(_, let context), .valueNotFound(_, let context),
             .dataCorrupted(let context):
            return context.codingPath
        @unknown default:
            return nil
        }
    }

    /// A one-line description of what is wrong, naming the field.
    static func describe(_ error: any Error) -> String {
        guard let decodingError = error as? DecodingError else {
            if let domain = error as? DomainError { return domain.problems.map(\.message).joined(separator: "; ") }
            return String(describing: error)
        }
        switch decodingError {
        case .keyNotFound(let key, _):
            return "missing required field \"\(key.stringValue)\""
        case .typeMismatch(let type, let context):
            return "\(fieldName(context.codingPath))expected \(typeName(type))"
        case .valueNotFound(let type, let context):
            return "\(fieldName(context.codingPath))expected \(typeName(type)), found null"
        case .dataCorrupted(let context):
            let detail = context.underlyingError.map { " (\(String(describing: $0)))" } ?? ""
            let text = context.debugDescription.isEmpty ? "invalid value" : context.debugDescription
            if text.hasPrefix("unknown ") { return text }
            return "\(fieldName(context.codingPath))\(text)\(detail)"
        @unknown default:
            return String(describing: decodingError)
        }
    }

    private static func fieldName(_ codingPath: [any CodingKey]) -> String {
        guard let last = codingPath.last(where: { $0.intValue == nil }) else { return "" }
        return "field \"\(last.stringValue)\": "
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "text"
        case is Int.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is Bool.Type: return "true or false"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") || name.hasPrefix("[") { return "a list" }
            if name.hasPrefix("Dictionary") { return "a mapping" }
            return "a mapping (\(name))"
        }
    }
}
