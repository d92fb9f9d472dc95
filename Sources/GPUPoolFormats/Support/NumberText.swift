import Foundation

/// Number formatting for writers: the shortest text that reads back as the same `Double`.
enum NumberText {
    /// Shortest round-trip text; integral values below 10^15 are written without a point.
    static func shortest(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))  // also turns -0.0 into "0"
        }
        return value.description  // Swift prints the shortest text that round-trips
    }

    /// Text at most `width` characters long: the shortest exact text when it fits, otherwise the
    /// most precise `%g` form that fits. `exact` tells whether reading it back gives `value`.
    static func fitting(_ value: Double, width: Int) -> (text: String, exact: Bool) {
        let exactText = shortest(value)
        if exactText.utf8.count <= width { return (exactText, true) }
        for precision in stride(from: 16, through: 1, by: -1) {
            var text = String(format: "%.\(precision)g", value)
            if text.utf8.count > width, text.contains("e") {
                text = compactExponent(text)
            }
            if text.utf8.count <= width {
                return (text, Double(text) == value)
            }
        }
        return (exactText, true)  // cannot happen for finite values and width ≥ 7
    }

    /// `1.5e+07` → `1.5e7`, `2e-05` → `2e-5`: saves characters in fixed-width fields.
    private static func compactExponent(_ text: String) -> String {
        guard let e = text.firstIndex(of: "e") else { return text }
        let mantissa = text[..<e]
        var exponent = text[text.index(after: e)...]
        var sign = ""
        if exponent.first == "+" { exponent = exponent.dropFirst() } else if exponent.first == "-" {
            sign = "-"
            exponent = exponent.dropFirst()
        }
        while exponent.count > 1, exponent.first == "0" { exponent = exponent.dropFirst() }
        return "\(mantissa)e\(sign)\(exponent)"
    }
}
