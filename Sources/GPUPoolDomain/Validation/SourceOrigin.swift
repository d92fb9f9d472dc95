/// Where a pool or workload came from: the file name and the line of each item, so that
/// validation problems found after decoding can still point at a line.
///
/// Paths use coding-key notation: `nodes[3]`, `nodes[3].gpuCount`, `jobs[0].shape.workers`,
/// `tenantQuotas.teamA`.
public struct SourceOrigin: Sendable, Hashable {
    /// File name as given to the reader.
    public var file: String
    /// 1-based line of each path found in the file.
    public var lines: [String: Int]
    /// Ids of items that failed to decode: their decoding problem is already reported, so references
    /// to them are not reported again as unknown.
    var undecodedIDs: Set<String> = []

    /// Creates an origin.
    public init(file: String, lines: [String: Int] = [:]) {
        self.file = file
        self.lines = lines
    }

    /// The line of `path`, or of its closest enclosing item when the path itself is not recorded.
    public func line(for path: String) -> Int? {
        var current = path
        while !current.isEmpty {
            if let line = lines[current] { return line }
            guard let cut = current.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            current = String(current[..<cut])
        }
        return nil
    }

    /// A problem located in this file at `path`.
    func problem(at path: String, item: String, message: String) -> Problem {
        Problem(file: file, line: line(for: path), item: item, message: message)
    }
}
