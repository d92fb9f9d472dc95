/// Slurm host lists: `gpu-[01-03,07],login1` ↔ `gpu-01 gpu-02 gpu-03 gpu-07 login1`.
public enum SlurmHostlist {
    /// Expands a host list. Ranges keep their zero padding (`[01-03]`). Malformed brackets are an error
    /// message; more than `limit` names is an error too (a typo like `[1-99999999]` must not eat memory).
    public static func expand(_ list: String, limit: Int = 100_000) -> Result<[String], HostlistError> {
        var result: [String] = []
        for part in splitTopLevel(list) where !part.isEmpty {
            guard let open = part.firstIndex(of: "[") else { result.append(part); continue }
            guard let close = part[open...].firstIndex(of: "]") else { return .failure(HostlistError(list: list, reason: "unclosed [")) }
            let prefix = String(part[..<open])
            let suffixPart = String(part[part.index(after: close)...])
            // Suffixes may hold further brackets (`a[1-2]b[3-4]`): expand them recursively.
            let suffixes: [String]
            switch expand(suffixPart.isEmpty ? "" : suffixPart, limit: limit) {
            case let .success(values): suffixes = values.isEmpty ? [""] : values
            case let .failure(error): return .failure(error)
            }
            for range in part[part.index(after: open)..<close].split(separator: ",") {
                let bounds = range.split(separator: "-", omittingEmptySubsequences: false)
                guard bounds.count == 1 || bounds.count == 2, let low = Int(bounds[0]), let high = Int(bounds.last!), low <= high, low >= 0 else {
                    return .failure(HostlistError(list: list, reason: "bad range \"\(range)\""))
                }
                let width = bounds[0].count
                guard result.count + (high - low + 1) * suffixes.count <= limit else {
                    return .failure(HostlistError(list: list, reason: "more than \(limit) hosts"))
                }
                for value in low...high {
                    var digits = String(value)
                    if digits.count < width { digits = String(repeating: "0", count: width - digits.count) + digits }
                    for suffix in suffixes { result.append(prefix + digits + suffix) }
                }
            }
        }
        return .success(result)
    }

    /// Splits at commas outside `open`…`close` pairs (`gpu-[01-03],login1`; `gpu:a100:2(IDX:0,2),gpu:t4:1`),
    /// each part trimmed.
    static func splitTopLevel(_ text: String, open: Character = "[", close: Character = "]") -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            switch character {
            case open: depth += 1; current.append(character)
            case close: depth -= 1; current.append(character)
            case "," where depth == 0: parts.append(current); current = ""
            default: current.append(character)
            }
        }
        parts.append(current)
        return parts.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    public struct HostlistError: Error, Sendable, CustomStringConvertible {
        public var list: String
        public var reason: String
        public var description: String { "host list \"\(list)\": \(reason)" }
    }
}
