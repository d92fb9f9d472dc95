/// Reads and writes pool documents (YAML or JSON; see Docs/PoolFormat.md).
public enum PoolFile {
    /// The raw document: elements decoded one by one so every bad element is reported.
    private struct Document: Decodable {
        var providers: [LossyElement<Provider>]
        var nodes: [LossyElement<Node>]

        private enum CodingKeys: String, CodingKey, CaseIterable { case providers, nodes }

        init(from decoder: any Decoder) throws {
            try StrictDecoding.rejectUnknownKeys(in: decoder, known: CodingKeys.allCases.map(\.rawValue), what: "pool")
            let c = try decoder.container(keyedBy: CodingKeys.self)
            providers = try c.decodeIfPresent([LossyElement<Provider>].self, forKey: .providers) ?? []
            nodes = try c.decodeIfPresent([LossyElement<Node>].self, forKey: .nodes) ?? []
        }
    }

    /// Reads a pool from `path` (format by extension: `.yaml`, `.yml`, `.json`).
    ///
    /// - Parameter validate: also run ``Pool/validate()``; all decoding and validation problems are reported together.
    /// - Throws: ``DomainError`` listing every problem with file and line.
    public static func read(path: String, validate: Bool = true) throws -> Pool {
        guard let format = DocumentFormat(path: path) else {
            throw DomainError(problems: [Problem(file: path, item: "file", message: "unknown extension (use .yaml, .yml or .json)")])
        }
        return try parse(text: DocumentReader.readText(path: path), fileName: path, format: format, validate: validate)
    }

    /// Parses pool text. `fileName` is used in problem reports.
    public static func parse(text: String, fileName: String, format: DocumentFormat, validate: Bool = true) throws -> Pool {
        let parsed = try DocumentReader.parse(Document.self, text: text, fileName: fileName, format: format)
        let providers = LossyList(parsed.value.providers, kind: "provider", origin: parsed.origin)
        let nodes = LossyList(parsed.value.nodes, kind: "node", origin: parsed.origin)
        var origin = parsed.origin
            .renumbering(section: "providers", fileIndices: providers.fileIndices)
            .renumbering(section: "nodes", fileIndices: nodes.fileIndices)
        origin.undecodedIDs = providers.failedIDs
        let pool = Pool(providers: providers.values, nodes: nodes.values, origin: origin)
        var problems = providers.problems + nodes.problems
        if validate { problems += pool.problems() }
        if !problems.isEmpty { throw DomainError(problems: problems) }
        return pool
    }

    /// The pool as YAML or JSON text.
    public static func encode(_ pool: Pool, format: DocumentFormat) throws -> String {
        try DocumentReader.encode(pool, format: format, fileName: nil)
    }

    /// Writes the pool to `path` atomically, format by extension.
    public static func write(_ pool: Pool, to path: String) throws {
        guard let format = DocumentFormat(path: path) else {
            throw DomainError(problems: [Problem(file: path, item: "file", message: "unknown extension (use .yaml, .yml or .json)")])
        }
        try DocumentReader.write(DocumentReader.encode(pool, format: format, fileName: path), to: path)
    }
}
