/// Escaping for text placed in HTML, shared by every report the package writes (plan, validation,
/// simulation), so a name that holds markup renders as text everywhere.
public enum HTMLText {
    /// `text` safe for element content and for single- or double-quoted attribute values:
    /// `&`, `<`, `>`, `"` and `'` become entities; everything else is kept as is.
    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return text
        }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
