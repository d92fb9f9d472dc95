/// One GPU instance type offered in one region, read from a SkyPilot catalog row.
public struct SkyPilotOffer: Codable, Sendable, Hashable {
    /// Provider id the catalog was imported for.
    public var providerID: String
    /// The provider's instance/offer name, e.g. `gpu_8x_h100_sxm5`.
    public var instanceType: String
    /// Canonical accelerator model (see ``AcceleratorName``), refined by memory (`A100` with 80 GB → `A100-80GB`).
    public var accelerator: String
    /// The `AcceleratorName` text as it appears in the file.
    public var catalogAcceleratorName: String
    /// Vendor from GpuInfo's `Manufacturer`, else inferred from the model name.
    public var vendor: String
    /// GPUs per instance.
    public var gpuCount: Int
    /// Memory per GPU in GiB (see ``SkyPilotCatalog/MemoryConvention``).
    public var gpuMemoryGiB: Double
    /// Inferred GPU-to-GPU interconnect (see ``SkyPilotCatalog/inferInterconnect(instanceType:accelerator:gpuCount:)``).
    public var interconnect: Interconnect
    /// Host vCPUs, if given.
    public var vCPUs: Double?
    /// Host memory in GiB, if given.
    public var hostMemoryGiB: Double?
    /// On-demand price of the whole instance, USD/hour.
    public var pricePerHour: Double
    /// Spot price of the whole instance, USD/hour; `nil` when empty or `0.00` (not offered).
    public var spotPricePerHour: Double?
    /// Region (free text in marketplace catalogs; normalised "State, CC, Continent" with empty parts dropped).
    public var region: String
    /// Availability zone, if the catalog has the column.
    public var zone: String?
    /// 1-based line of the row in the source file.
    public var line: Int

    /// On-demand price per GPU-hour (`pricePerHour / gpuCount`).
    public var pricePerGPUHour: Double { pricePerHour / Double(max(gpuCount, 1)) }
    /// Spot price per GPU-hour, if offered.
    public var spotPricePerGPUHour: Double? { spotPricePerHour.map { $0 / Double(max(gpuCount, 1)) } }
}
