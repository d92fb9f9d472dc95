/// Renders rows as an aligned text table (first row is the header; first column left-aligned).
enum TextTable {
    static func render(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        var widths = header.map(\.count)
        for row in rows { for (k, cell) in row.enumerated() where k < widths.count { widths[k] = max(widths[k], cell.count) } }
        func line(_ row: [String]) -> String {
            row.enumerated().map { k, cell in
                let pad = String(repeating: " ", count: max(0, widths[k] - cell.count))
                return k == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        var out = [line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out.append(contentsOf: rows.dropFirst().map(line))
        return out.joined(separator: "\n")
    }
}
