/// Reads and writes workload documents (YAML or JSON; see Docs/PoolFormat.md).
public enum WorkloadFile {
    private struct Document: Decodable {
        var jobs: [LossyElement<Job>]
        var tenantQuotas: [String: Int]

        private enum CodingKeys: String, CodingKey, CaseIterable { case jobs, tenantQuotas }

        init(from decoder: any Decoder) throws {
            try StrictDecoding.rejectUnknownKeys(in: decoder, known: CodingKeys.allCases.map(\.rawValue), what: "workload")
            let c = try decoder.container(keyedBy: CodingKeys.self)
            jobs = try c.decodeIfPresent([LossyElement<Job>].self, forKey: .jobs) ?? []
            tenantQuotas = try c.decodeIfPresent([String: Int].self, forKey: .tenantQuotas) ?? [:]
        }
    }

    /// Reads a workload from `path` (format by extension: `.yaml`, `.yml`, `.json`).
    ///
    /// - Parameters:
    ///   - pool: when given, validation also checks provider references and whether each gang can fit.
    ///   - validate: run ``Workload/validate(against:throughputTable:requireFit:)``; all problems are reported together.
    ///   - requireFit: with a pool, whether a job that can never fit is an error (`false` for planning:
    ///     the planner reports such a job unplaced with its reason).
    /// - Throws: ``DomainError`` listing every problem with file and line.
    public static func read(path: String, against pool: Pool? = nil, validate: Bool = true,
                            throughputTable: ThroughputTable = .standard, requireFit: Bool = true) throws -> Workload
    {
        guard let format = DocumentFormat(path: path) else {
            throw DomainError(problems: [Problem(file: path, item: "file", message: "unknown extension (use .yaml, .yml or .json)")])
        }
        return try parse(text: DocumentReader.readText(path: path), fileName: path, format: format, against: pool,
                         validate: validate, throughputTable: throughputTable, requireFit: requireFit)
    }

    /// Parses workload text. `fileName` is used in problem reports.
    public static func parse(text: String, fileName: String, format: DocumentFormat, against pool: Pool? = nil,
                             validate: Bool = true, throughputTable: ThroughputTable = .standard,
                             requireFit: Bool = true) throws -> Workload
    {
        let parsed = try DocumentReader.parse(Document.self, text: text, fileName: fileName, format: format)
        let jobs = LossyList(parsed.value.jobs, kind: "job", origin: parsed.origin)
        let origin = parsed.origin.renumbering(section: "jobs", fileIndices: jobs.fileIndices)
        let workload = Workload(jobs: jobs.values, tenantQuotas: parsed.value.tenantQuotas, origin: origin)
        var problems = jobs.problems
        if validate { problems += workload.problems(against: pool, throughputTable: throughputTable, requireFit: requireFit) }
        if !problems.isEmpty { throw DomainError(problems: problems) }
        return workload
    }

    /// The workload as YAML or JSON text.
    public static func encode(_ workload: Workload, format: DocumentFormat) throws -> String {
        try DocumentReader.encode(workload, format: format, fileName: nil)
    }

    /// Writes the workload to `path` atomically, format by extension.
    public static func write(_ workload: Workload, to path: String) throws {
        guard let format = DocumentFormat(path: path) else {
            throw DomainError(problems: [Problem(file: path, item: "file", message: "unknown extension (use .yaml, .yml or .json)")])
        }
        try DocumentReader.write(DocumentReader.encode(workload, format: format, fileName: path), to: path)
    }
}
