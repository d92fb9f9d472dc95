/// A JSON value with ordered object keys, so answers have a stable, documented layout (the same
/// layout as the CLI's `--json` output).
public enum JSONText: Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number; integral values print without a fraction, non-finite ones as `null`.
    case number(Double)
    /// An integer.
    case integer(Int)
    /// A string, escaped as JSON requires.
    case string(String)
    /// An array.
    case array([JSONText])
    /// An object whose members keep the given order.
    case object([(String, JSONText)])

    /// `.number(value)`, or `.null` for `nil` and non-finite values (JSON has no NaN/infinity).
    public static func number(_ value: Double?) -> JSONText {
        guard let value, value.isFinite else { return .null }
        return .number(value)
    }

    /// Compact serialization on one line.
    public var serialized: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .integer(i): out += String(i)
        case let .number(d):
            if !d.isFinite { out += "null" }
            else if d == d.rounded(), abs(d) < 1e15 { out += String(Int64(d)) }
            else { out += "\(d)" }
        case let .string(s): JSONText.writeString(s, to: &out)
        case let .array(items):
            out += "["
            for (k, item) in items.enumerated() {
                if k > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case let .object(pairs):
            out += "{"
            for (k, (key, value)) in pairs.enumerated() {
                if k > 0 { out += "," }
                JSONText.writeString(key, to: &out)
                out += ":"
                value.write(to: &out)
            }
            out += "}"
        }
    }

    /// `text` as a quoted JSON string. Quotes, backslashes, every control character (C0, DEL and
    /// C1) and the byte-order mark are escaped, so the output is plain printable text whatever the
    /// input holds. The result is also a valid YAML double-quoted scalar (YAML needs exactly these
    /// characters escaped), so the YAML writer uses it too.
    public static func quoted(_ text: String) -> String {
        var out = ""
        writeString(text, to: &out)
        return out
    }

    private static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) || scalar.value == 0xFEFF {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
