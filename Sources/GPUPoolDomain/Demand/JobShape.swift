/// A gang shape: `workers` workers with `gpusPerWorker` GPUs each, all placed or none.
public struct JobShape: Codable, Sendable, Hashable {
    /// Number of workers in the gang (all or nothing).
    public var workers: Int
    /// GPUs each worker needs, all on the worker's node.
    public var gpusPerWorker: Int
    /// Allowed canonical accelerator models; `nil` allows any model.
    public var accelerators: [String]?

    /// Creates a shape.
    public init(workers: Int, gpusPerWorker: Int = 1, accelerators: [String]? = nil) {
        self.workers = workers
        self.gpusPerWorker = gpusPerWorker
        self.accelerators = accelerators
    }

    private enum CodingKeys: String, CodingKey, CaseIterable { case workers, gpusPerWorker, accelerators }

    /// Decodes a shape; `gpusPerWorker` defaults to 1, accelerator names are canonicalised.
    public init(from decoder: any Decoder) throws {
        try StrictDecoding.rejectUnknownKeys(in: decoder, known: CodingKeys.allCases.map(\.rawValue), what: "shape")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        workers = try c.decode(Int.self, forKey: .workers)
        gpusPerWorker = try c.decodeIfPresent(Int.self, forKey: .gpusPerWorker) ?? 1
        accelerators = try c.decodeIfPresent([String].self, forKey: .accelerators)?.map(AcceleratorName.canonical)
    }

    /// GPUs of the whole gang (`workers × gpusPerWorker`), `nil` on overflow or negative sizes.
    public var totalGPUs: Int? {
        guard workers >= 0, gpusPerWorker >= 0 else { return nil }
        let (product, overflow) = workers.multipliedReportingOverflow(by: gpusPerWorker)
        return overflow ? nil : product
    }

    /// Whether a node with this accelerator model is eligible for the shape.
    public func allows(accelerator: String) -> Bool {
        guard let accelerators else { return true }
        return accelerators.contains(accelerator)
    }
}
