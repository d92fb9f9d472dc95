/// Renders rows as an aligned plain-text table, for terminals and logs: the CLI's tables and the
/// planner's policy comparison share it.
public enum TextTable {
    /// The rows as aligned text; the first row is the header. Columns in `leftAligned` (by default
    /// the first) are left-aligned, the others right-aligned, two blanks apart; trailing blanks are
    /// trimmed. With `rule`, a line of dashes follows the header.
    public static func render(_ rows: [[String]], leftAligned: Set<Int> = [0], rule: Bool = true) -> String {
        guard let header = rows.first else { return "" }
        var widths = header.map(\.count)
        for row in rows { for (k, cell) in row.enumerated() where k < widths.count { widths[k] = max(widths[k], cell.count) } }
        func line(_ row: [String]) -> String {
            let text = row.enumerated().map { k, cell in
                let pad = String(repeating: " ", count: max(0, (k < widths.count ? widths[k] : 0) - cell.count))
                return leftAligned.contains(k) ? cell + pad : pad + cell
            }.joined(separator: "  ")
            guard let last = text.lastIndex(where: { $0 != " " }) else { return "" }
            return String(text[...last])
        }
        var out = [line(header)]
        if rule { out.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        out.append(contentsOf: rows.dropFirst().map(line))
        return out.joined(separator: "\n")
    }
}
