/// One GPU entry of a Slurm GRES string: `gpu:a100:8(S:0-1)` → type `a100`, count 8.
struct SlurmGPUGres: Hashable {
    /// The GRES type, `nil` for typeless `gpu:4`.
    var type: String?
    var count: Int

    /// The GPU entries of a GRES string (`gpu:a100:4(S:0),vmem:2G,gpu:t4:2`); other GRES are skipped.
    /// `nil` when a GPU entry has no readable count.
    static func parse(_ text: String) -> [SlurmGPUGres]? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed == "(null)" || trimmed == "N/A" { return [] }
        var result: [SlurmGPUGres] = []
        for entry in SlurmHostlist.splitTopLevel(trimmed, open: "(", close: ")") where !entry.isEmpty {
            // Drop `(S:0-1)` / `(IDX:0-3)` annotations.
            let bare = entry.split(separator: "(", maxSplits: 1).first.map(String.init) ?? entry
            let fields = bare.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard fields.first == "gpu" else { continue }
            switch fields.count {
            case 2:
                guard let count = Int(fields[1]) else { return nil }
                result.append(SlurmGPUGres(type: nil, count: count))
            case 3:
                guard let count = Int(fields[2]) else { return nil }
                result.append(SlurmGPUGres(type: fields[1], count: count))
            case 1:
                result.append(SlurmGPUGres(type: nil, count: 1))
            default:
                return nil
            }
        }
        return result
    }

    /// `gres/gpu=4` (or `gres/gpu:a100=4`) in a TRES string like `cpu=8,mem=64G,gres/gpu=4`, by type
    /// (`nil` key: untyped total).
    static func tres(_ text: String) -> [String?: Int] {
        var result: [String?: Int] = [:]
        for entry in text.split(separator: ",") {
            let pair = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, pair[0].hasPrefix("gres/gpu"), let value = Int(pair[1]) else { continue }
            let type = pair[0] == "gres/gpu" ? nil : String(pair[0].dropFirst("gres/gpu:".count))
            result[type] = value
        }
        return result
    }
}
