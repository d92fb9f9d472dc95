/// One list element decoded on its own, so a bad element does not hide the problems of the others.
struct LossyElement<T: Decodable>: Decodable {
    var value: T?
    var error: (any Error)?
    /// The element's `id` field when it could be read even though the element failed.
    var id: String?

    init(from decoder: any Decoder) throws {
        do {
            value = try T(from: decoder)
        } catch {
            self.error = error
            let container = try? decoder.container(keyedBy: AnyCodingKey.self)
            id = (try? container?.decodeIfPresent(String.self, forKey: AnyCodingKey("id"))) ?? nil
        }
    }
}

/// Splits decoded elements into values and problems, remembering each kept value's index in the file.
struct LossyList<T: Decodable> {
    var values: [T] = []
    var fileIndices: [Int] = []
    var problems: [Problem] = []
    var failedIDs: Set<String> = []

    init(_ elements: [LossyElement<T>], kind: String, origin: SourceOrigin) {
        for (index, element) in elements.enumerated() {
            if let value = element.value {
                values.append(value)
                fileIndices.append(index)
            } else if let error = element.error {
                let item = ProblemCollector.itemName(kind, id: element.id ?? "", index: index)
                problems.append(DocumentReader.located(error, origin: origin, item: item))
                if let id = element.id { failedIDs.insert(id) }
            }
        }
    }
}

extension SourceOrigin {
    /// The same origin with `section[i]` paths renumbered to the positions of the kept elements, so that
    /// problems found after dropping undecodable elements still point at the right lines.
    func renumbering(section: String, fileIndices: [Int]) -> SourceOrigin {
        var newIndexOf: [Int: Int] = [:]
        for (newIndex, fileIndex) in fileIndices.enumerated() { newIndexOf[fileIndex] = newIndex }
        let prefix = "\(section)["
        var renumbered: [String: Int] = [:]
        for (path, line) in lines {
            let rest = path.dropFirst(prefix.count)
            guard path.hasPrefix(prefix), let close = rest.firstIndex(of: "]"), let fileIndex = Int(rest[..<close]) else {
                renumbered[path] = line
                continue
            }
            if let newIndex = newIndexOf[fileIndex] { renumbered["\(prefix)\(newIndex)\(rest[close...])"] = line }
        }
        var copy = self
        copy.lines = renumbered
        return copy
    }
}
