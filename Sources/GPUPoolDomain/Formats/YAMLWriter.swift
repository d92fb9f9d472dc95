import GPUPoolSupport
import Foundation

/// Writes documents as readable block-style YAML: fields in a fixed, natural order (ids first), plain
/// decimal numbers (Yams' encoder writes `8e+1` for 80), scalar lists in flow style (`[A100, H100]`),
/// and strings quoted only when YAML would otherwise read them as something else.
///
/// Values go through `JSONEncoder` first, so the YAML holds exactly what the JSON form holds.
enum YAMLWriter {
    /// Field order for pool and workload documents; other keys follow alphabetically.
    static let keyOrder: [String: Int] = {
        let order = [
            "providers", "nodes", "jobs", "tenantQuotas",
            "id", "tenant", "provider", "kind", "name", "accelerator", "vendor", "gpuCount", "gpuMemoryGiB",
            "interconnect", "region", "zone", "pricePerGPUHour", "spotPricePerGPUHour", "availability", "health", "gpusInUse",
            "priority", "shape", "alternatives", "workers", "gpusPerWorker", "accelerators", "minGPUMemoryGiB",
            "throughput", "locality", "preferredRegion", "allowedProviders", "deniedProviders", "budgetPerHour",
            "expectedDurationHours", "weight", "arrivalSeconds", "totalSteps", "jobType",
        ]
        return Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
    }()

    /// A decoded JSON value. (`JSONSerialization` is avoided: it rounds some doubles on Linux.)
    private enum Tree: Decodable {
        case object([String: Tree])
        case array([Tree])
        case string(String)
        case integer(Int)
        case number(Double)
        case bool(Bool)
        case null

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let value = try? container.decode(Bool.self) { self = .bool(value) }
            else if let value = try? container.decode(Int.self) { self = .integer(value) }
            else if let value = try? container.decode(Double.self) { self = .number(value) }
            else if let value = try? container.decode(String.self) { self = .string(value) }
            else if let value = try? container.decode([Tree].self) { self = .array(value) }
            else { self = .object(try container.decode([String: Tree].self)) }
        }

        /// The tree as Foundation-style values for the writer below.
        var plain: Any {
            switch self {
            case .object(let entries): return entries.mapValues(\.plain)
            case .array(let items): return items.map(\.plain)
            case .string(let text): return text
            case .integer(let value): return YAMLNumber.integer(value)
            case .number(let value): return YAMLNumber.double(value)
            case .bool(let value): return YAMLNumber.bool(value)
            case .null: return NSNull()
            }
        }
    }

    private enum YAMLNumber {
        case integer(Int)
        case double(Double)
        case bool(Bool)
    }

    static func encode<T: Encodable>(_ value: T) throws -> String {
        let data = try JSONEncoder().encode(value)
        let tree = try JSONDecoder().decode(Tree.self, from: data).plain
        var output = ""
        if let mapping = tree as? [String: Any], !mapping.isEmpty {
            writeMapping(mapping, indent: 0, into: &output)
        } else if let list = tree as? [Any], !list.isEmpty {
            writeList(list, indent: 0, into: &output)
        } else {
            output = scalarOrEmpty(tree) + "\n"
        }
        return output
    }

    private static func sortedKeys(_ mapping: [String: Any]) -> [String] {
        mapping.keys.sorted { a, b in
            let rankA = keyOrder[a] ?? Int.max
            let rankB = keyOrder[b] ?? Int.max
            return rankA != rankB ? rankA < rankB : a < b
        }
    }

    /// Writes `key: value` lines at `indent`; the first line may already be prefixed (after `- `).
    private static func writeMapping(_ mapping: [String: Any], indent: Int, firstLinePrefixed: Bool = false,
                                     into output: inout String)
    {
        let pad = String(repeating: " ", count: indent)
        for (offset, key) in sortedKeys(mapping).enumerated() {
            let value = mapping[key] ?? NSNull()
            output += (offset == 0 && firstLinePrefixed ? "" : pad) + quoted(key) + ":"
            if let nested = value as? [String: Any], !nested.isEmpty {
                output += "\n"
                writeMapping(nested, indent: indent + 2, into: &output)
            } else if let list = value as? [Any], !list.isEmpty, !list.allSatisfy(isScalar) {
                output += "\n"
                writeList(list, indent: indent + 2, into: &output)
            } else {
                output += " " + scalarOrEmpty(value) + "\n"
            }
        }
    }

    private static func writeList(_ list: [Any], indent: Int, into output: inout String) {
        let pad = String(repeating: " ", count: indent)
        for item in list {
            if let mapping = item as? [String: Any], !mapping.isEmpty {
                output += pad + "- "
                writeMapping(mapping, indent: indent + 2, firstLinePrefixed: true, into: &output)
            } else if let nested = item as? [Any], !nested.isEmpty, !nested.allSatisfy(isScalar) {
                output += pad + "-\n"
                writeList(nested, indent: indent + 2, into: &output)
            } else {
                output += pad + "- " + scalarOrEmpty(item) + "\n"
            }
        }
    }

    private static func isScalar(_ value: Any) -> Bool {
        !(value is [String: Any]) && !(value is [Any])
    }

    /// A scalar, an empty collection (`{}` / `[]`) or a flow list of scalars.
    private static func scalarOrEmpty(_ value: Any) -> String {
        if let mapping = value as? [String: Any] {
            return mapping.isEmpty ? "{}" : "{" + sortedKeys(mapping).map { "\(quoted($0)): \(scalarOrEmpty(mapping[$0] ?? NSNull()))" }.joined(separator: ", ") + "}"
        }
        if let list = value as? [Any] { return "[" + list.map(scalarOrEmpty).joined(separator: ", ") + "]" }
        if let text = value as? String { return quoted(text) }
        if value is NSNull { return "null" }
        if let number = value as? YAMLNumber {
            switch number {
            case .integer(let integer): return String(integer)
            case .bool(let flag): return flag ? "true" : "false"
            case .double(let double): return format(double)
            }
        }
        return quoted(String(describing: value))
    }

    private static func format(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        var text = "\(value)"
        // YAML 1.1 floats need a dot: "1e-05" → "1.0e-05".
        if let exponent = text.firstIndex(where: { $0 == "e" || $0 == "E" }), !text[..<exponent].contains(".") {
            text.insert(contentsOf: ".0", at: exponent)
        }
        return text
    }

    /// The text as a plain scalar when YAML reads it back as the same string, else double-quoted.
    static func quoted(_ text: String) -> String {
        needsQuotes(text) ? doubleQuoted(text) : text
    }

    private static let reservedWords: Set<String> = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", ".nan", ".inf", "-.inf", "+.inf", "<<", "=",
    ]

    private static func needsQuotes(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return true }
        if reservedWords.contains(text.lowercased()) { return true }
        if Double(text.replacingOccurrences(of: "_", with: "")) != nil || Int(text) != nil { return true }
        if text.hasPrefix("0x") || text.hasPrefix("0o") || text.contains(where: { $0 == ":" }) && looksLikeSexagesimal(text) {
            return true
        }
        if " \t".unicodeScalars.contains(first) || " \t".unicodeScalars.contains(last) { return true }
        if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) { return true }
        if text.contains(": ") || text.contains(" #") || text.hasSuffix(":") { return true }
        return text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || $0 == "," || $0 == "[" || $0 == "]" || $0 == "{" || $0 == "}" }
    }

    /// YAML 1.1 reads `1:30` as the number 90.
    private static func looksLikeSexagesimal(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || $0 == ":" || $0 == "." || $0 == "-" || $0 == "+" || $0 == "_" }
    }

    /// A YAML double-quoted scalar: the package's JSON string escaper, whose output YAML reads as is.
    private static func doubleQuoted(_ text: String) -> String { JSONText.quoted(text) }
}
