/// The demand side: jobs plus per-tenant GPU quotas.
public struct Workload: Codable, Sendable, Equatable {
    /// All jobs; ids are unique.
    public var jobs: [Job]
    /// Maximum GPUs each tenant may hold at once; tenants not listed are unlimited.
    public var tenantQuotas: [String: Int]
    /// Where the workload was read from, used to point validation errors at lines. Not encoded; ignored by `==`.
    public var origin: SourceOrigin?

    /// Creates a workload.
    public init(jobs: [Job], tenantQuotas: [String: Int] = [:], origin: SourceOrigin? = nil) {
        self.jobs = jobs
        self.tenantQuotas = tenantQuotas
        self.origin = origin
    }

    private enum CodingKeys: String, CodingKey, CaseIterable { case jobs, tenantQuotas }

    /// Decodes a workload; `tenantQuotas` may be omitted.
    public init(from decoder: any Decoder) throws {
        try StrictDecoding.rejectUnknownKeys(in: decoder, known: CodingKeys.allCases.map(\.rawValue), what: "workload")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        jobs = try c.decodeIfPresent([Job].self, forKey: .jobs) ?? []
        tenantQuotas = try c.decodeIfPresent([String: Int].self, forKey: .tenantQuotas) ?? [:]
        origin = nil
    }

    /// Equality of jobs and quotas (the origin is ignored).
    public static func == (a: Workload, b: Workload) -> Bool { a.jobs == b.jobs && a.tenantQuotas == b.tenantQuotas }

    /// The distinct tenants, sorted.
    public var tenants: [String] { Array(Set(jobs.map(\.tenant))).sorted() }
}
