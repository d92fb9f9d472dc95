import Yams

/// Line of every key and list element in a composed YAML tree, with guards against documents that
/// would exhaust the stack or memory (deep nesting, alias "billion laughs" expansion).
enum YAMLLineMap {
    /// Most tree nodes visited (after alias expansion) before the document is refused.
    static let maxNodes = 5_000_000

    struct TooLarge: Error {
        var message: String
    }

    /// Path → 1-based line for every mapping key and sequence element.
    ///
    /// Without aliases a document cannot hold more values than it has bytes, so more visited values than
    /// `sourceBytes` (or ``maxNodes``) means alias expansion, which is refused before it can exhaust memory.
    static func lines(of root: Yams.Node, sourceBytes: Int) throws(TooLarge) -> [String: Int] {
        let limit = min(maxNodes, sourceBytes + 16)
        var lines: [String: Int] = [:]
        var visited = 0
        // Explicit stack instead of recursion: the tree's depth comes from the input.
        var stack: [(node: Yams.Node, path: String, depth: Int)] = [(root, "", 0)]
        while let (node, path, depth) = stack.popLast() {
            visited += 1
            if visited > limit { throw TooLarge(message: "document expands to more than \(limit) values (alias expansion)") }
            if depth > JSONLineMap.maxDepth { throw TooLarge(message: "nesting deeper than \(JSONLineMap.maxDepth) levels") }
            if let line = node.mark?.line, lines[path] == nil { lines[path] = line }
            switch node {
            case .mapping(let mapping):
                for (key, value) in mapping {
                    let name = key.scalar?.string ?? "?"
                    let child = path.isEmpty ? name : "\(path).\(name)"
                    if let line = key.mark?.line, lines[child] == nil { lines[child] = line }
                    stack.append((value, child, depth + 1))
                }
            case .sequence(let sequence):
                for (offset, element) in sequence.enumerated() {
                    stack.append((element, "\(path)[\(offset)]", depth + 1))
                }
            default:
                break
            }
        }
        return lines
    }

    /// The tree with every mapping key re-created as an implicitly tagged scalar.
    ///
    /// Yams looks keys up by building an implicitly tagged node from the key text and compares resolved tags,
    /// so a quoted key that looks like another type (`"123"`, `"yes"`, `".inf"`) could never be found.
    /// Recursion depth is bounded: ``lines(of:sourceBytes:)`` has already refused documents deeper than 64.
    static func normalisingKeys(_ node: Yams.Node) -> Yams.Node {
        switch node {
        case .mapping(let mapping):
            var pairs: [(Yams.Node, Yams.Node)] = []
            pairs.reserveCapacity(mapping.count)
            for (key, value) in mapping {
                let newKey = key.scalar.map { Yams.Node($0.string, mapping.tag.copy(with: .implicit)) } ?? key
                pairs.append((newKey, normalisingKeys(value)))
            }
            return .mapping(Yams.Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark))
        case .sequence(let sequence):
            return .sequence(Yams.Node.Sequence(sequence.map(normalisingKeys), sequence.tag, sequence.style, sequence.mark))
        default:
            return node
        }
    }

    /// Conservative pre-check before handing text to the (recursive) YAML composer, returning the line where
    /// nesting gets too deep. Flow brackets are counted everywhere, even inside quotes and comments, so the
    /// check can only over-estimate depth; block nesting needs a wider indentation prefix (spaces, `-`, `?`,
    /// `:`) for each level, so bounding that prefix bounds block depth.
    static func exceedsNesting(_ text: String) -> Int? {
        var line = 1
        var flowDepth = 0
        var atLineStart = true
        var prefix = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\n") {
                line += 1
                atLineStart = true
                prefix = 0
                continue
            }
            if atLineStart {
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
                    prefix += 1
                    if prefix > 4 * JSONLineMap.maxDepth { return line }
                    continue
                default:
                    atLineStart = false
                }
            }
            switch byte {
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                flowDepth += 1
                if flowDepth > JSONLineMap.maxDepth { return line }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                flowDepth = max(0, flowDepth - 1)
            default:
                break
            }
        }
        return nil
    }
}
