/// Renders rows as an aligned text table (first row is the header). Columns in `leftAligned`
/// (by default the first) are left-aligned, the others right-aligned; trailing blanks are trimmed.
enum TextTable {
    static func render(_ rows: [[String]], leftAligned: Set<Int> = [0]) -> String {
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
        var out = [line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out.append(contentsOf: rows.dropFirst().map(line))
        return out.joined(separator: "\n")
    }
}
