/// One training/inference job: a gang of workers with requirements and preferences.
///
/// Omitted fields decode to defaults: `priority` 0, `alternatives` [], `minGPUMemoryGiB` 0,
/// `throughput` [:], `locality` `.any`, `deniedProviders` [], `weight` 1.
public struct Job: Codable, Sendable, Equatable {
    /// Unique identifier within the workload.
    public var id: String
    /// Tenant (team/user) the job belongs to; quotas and tenant fairness use it.
    public var tenant: String
    /// Priority tier; higher tiers are placed first.
    public var priority: Int
    /// Preferred gang shape.
    public var shape: JobShape
    /// Alternative shapes, any one of which satisfies the job (e.g. 8×A100 or 16×V100).
    public var alternatives: [JobShape]
    /// Minimum memory per GPU (GiB).
    public var minGPUMemoryGiB: Double
    /// Measured steps/s of the WHOLE gang per canonical accelerator model (Gavel semantics), for the
    /// shape that would run on that model. A value of 0 means the job cannot run on that model. Missing models are estimated with ``ThroughputTable/estimate(job:accelerator:)``.
    public var throughput: [String: Double]
    /// Where the gang's workers may be spread.
    public var locality: Locality
    /// Soft preference: region to favour when possible.
    public var preferredRegion: String?
    /// If set, only these provider ids may host the job.
    public var allowedProviders: [String]?
    /// Provider ids that must not host the job.
    public var deniedProviders: [String]
    /// Maximum cost per hour of the whole gang (USD), if limited.
    public var budgetPerHour: Double?
    /// Expected run time in hours, if known.
    public var expectedDurationHours: Double?
    /// Fairness weight w_j (default 1).
    public var weight: Double
    /// Arrival time in seconds since trace start (FIFO order), if known.
    public var arrivalSeconds: Double?
    /// Total steps the job must run (Gavel `total_steps`), if known.
    public var totalSteps: Double?
    /// Model/job type, e.g. `"ResNet-50 (batch size 64)"`.
    public var jobType: String?

    /// Creates a job.
    public init(
        id: String, tenant: String, priority: Int = 0, shape: JobShape, alternatives: [JobShape] = [],
        minGPUMemoryGiB: Double = 0, throughput: [String: Double] = [:], locality: Locality = .any,
        preferredRegion: String? = nil, allowedProviders: [String]? = nil, deniedProviders: [String] = [],
        budgetPerHour: Double? = nil, expectedDurationHours: Double? = nil, weight: Double = 1,
        arrivalSeconds: Double? = nil, totalSteps: Double? = nil, jobType: String? = nil
    ) {
        self.id = id
        self.tenant = tenant
        self.priority = priority
        self.shape = shape
        self.alternatives = alternatives
        self.minGPUMemoryGiB = minGPUMemoryGiB
        self.throughput = throughput
        self.locality = locality
        self.preferredRegion = preferredRegion
        self.allowedProviders = allowedProviders
        self.deniedProviders = deniedProviders
        self.budgetPerHour = budgetPerHour
        self.expectedDurationHours = expectedDurationHours
        self.weight = weight
        self.arrivalSeconds = arrivalSeconds
        self.totalSteps = totalSteps
        self.jobType = jobType
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case id, tenant, priority, shape, alternatives, minGPUMemoryGiB, throughput, locality, preferredRegion
        case allowedProviders, deniedProviders, budgetPerHour, expectedDurationHours, weight, arrivalSeconds
        case totalSteps, jobType
    }

    /// Decodes a job with the documented defaults; accelerator names in `throughput` are canonicalised.
    public init(from decoder: any Decoder) throws {
        try StrictDecoding.rejectUnknownKeys(in: decoder, known: CodingKeys.allCases.map(\.rawValue), what: "job")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let rawThroughput = try c.decodeIfPresent([String: Double].self, forKey: .throughput) ?? [:]
        var throughput: [String: Double] = [:]
        for (model, value) in rawThroughput { throughput[AcceleratorName.canonical(model)] = value }
        self.init(
            id: try c.decode(String.self, forKey: .id),
            tenant: try c.decode(String.self, forKey: .tenant),
            priority: try c.decodeIfPresent(Int.self, forKey: .priority) ?? 0,
            shape: try c.decode(JobShape.self, forKey: .shape),
            alternatives: try c.decodeIfPresent([JobShape].self, forKey: .alternatives) ?? [],
            minGPUMemoryGiB: try c.decodeIfPresent(Double.self, forKey: .minGPUMemoryGiB) ?? 0,
            throughput: throughput,
            locality: try c.decodeIfPresent(Locality.self, forKey: .locality) ?? .any,
            preferredRegion: try c.decodeIfPresent(String.self, forKey: .preferredRegion),
            allowedProviders: try c.decodeIfPresent([String].self, forKey: .allowedProviders),
            deniedProviders: try c.decodeIfPresent([String].self, forKey: .deniedProviders) ?? [],
            budgetPerHour: try c.decodeIfPresent(Double.self, forKey: .budgetPerHour),
            expectedDurationHours: try c.decodeIfPresent(Double.self, forKey: .expectedDurationHours),
            weight: try c.decodeIfPresent(Double.self, forKey: .weight) ?? 1,
            arrivalSeconds: try c.decodeIfPresent(Double.self, forKey: .arrivalSeconds),
            totalSteps: try c.decodeIfPresent(Double.self, forKey: .totalSteps),
            jobType: try c.decodeIfPresent(String.self, forKey: .jobType)
        )
    }

    /// The preferred shape followed by the alternatives.
    public var shapes: [JobShape] { [shape] + alternatives }

    /// Whether the job may run on nodes of this provider (allow list and deny list).
    public func allows(provider: String) -> Bool {
        if deniedProviders.contains(provider) { return false }
        if let allowedProviders { return allowedProviders.contains(provider) }
        return true
    }

    /// Whether a node is eligible for at least one worker of `shape`: provider allowed, model allowed,
    /// enough memory per GPU, at least `gpusPerWorker` GPUs, and a measured throughput on the model that
    /// is not 0 (0 means the job cannot run there, e.g. out of memory in Gavel's matrix).
    /// Health is not checked here.
    public func isEligible(_ node: Node, for shape: JobShape) -> Bool {
        allows(provider: node.provider) && shape.allows(accelerator: node.accelerator)
            && node.gpuMemoryGiB >= minGPUMemoryGiB && node.gpuCount >= shape.gpusPerWorker
            && throughput[node.accelerator] != 0
    }
}
