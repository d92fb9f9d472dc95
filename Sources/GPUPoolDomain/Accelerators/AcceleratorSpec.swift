/// Published figures and the throughput estimate for one accelerator model.
public struct AcceleratorSpec: Codable, Sendable, Hashable {
    /// Canonical model name (see ``AcceleratorName``).
    public var name: String
    /// Vendor, e.g. `"NVIDIA"`, `"AMD"`.
    public var vendor: String
    /// Memory per GPU in GiB (the common SKU).
    public var memoryGiB: Double
    /// Dense (no sparsity) FP16/BF16 tensor TFLOPS from the vendor datasheet, if published.
    public var denseFP16TFLOPS: Double?
    /// Estimated training throughput relative to the reference model (V100 = 1.0). An ESTIMATE.
    public var relativeThroughput: Double
    /// How `relativeThroughput` was derived (e.g. "MLPerf Training v3.1 ratio", "dense BF16 TFLOPS ratio, discounted").
    public var basis: String
    /// Where the figures come from (datasheet titles, MLPerf round and benchmark).
    public var sources: [String]
    /// Caveats, if any.
    public var note: String?

    /// Creates a spec.
    public init(
        name: String, vendor: String, memoryGiB: Double, denseFP16TFLOPS: Double? = nil,
        relativeThroughput: Double, basis: String, sources: [String] = [], note: String? = nil
    ) {
        self.name = name
        self.vendor = vendor
        self.memoryGiB = memoryGiB
        self.denseFP16TFLOPS = denseFP16TFLOPS
        self.relativeThroughput = relativeThroughput
        self.basis = basis
        self.sources = sources
        self.note = note
    }
}
