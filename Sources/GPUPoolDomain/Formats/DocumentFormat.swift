/// The two text formats for pool, workload and plan documents.
public enum DocumentFormat: String, Sendable, CaseIterable {
    /// YAML 1.1 (parsed with Yams).
    case yaml
    /// JSON.
    case json

    /// The format implied by a path's extension: `.yaml`/`.yml` → YAML, `.json` → JSON, otherwise `nil`.
    public init?(path: String) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: ".") else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "yaml", "yml": self = .yaml
        case "json": self = .json
        default: return nil
        }
    }
}
