/// Readings of one GPU at one moment. Every field is optional: a reading the source did not
/// report (or reported as `[N/A]`, `[Not Supported]` or a DCGM blank sentinel) is `nil`, never 0.
public struct GPUMetrics: Sendable, Hashable, Codable {
    /// GPU core temperature (°C).
    public var temperatureC: Double?
    /// Memory (HBM) temperature (°C).
    public var memoryTemperatureC: Double?
    /// Power draw (W).
    public var powerW: Double?
    /// Enforced power limit (W).
    public var powerLimitW: Double?
    /// GPU (SM) utilisation (%).
    public var utilizationPct: Double?
    /// Memory-controller utilisation (%).
    public var memoryUtilizationPct: Double?
    /// Framebuffer memory in use (MiB).
    public var memoryUsedMiB: Double?
    /// Framebuffer memory free (MiB).
    public var memoryFreeMiB: Double?
    /// Total framebuffer memory (MiB).
    public var memoryTotalMiB: Double?
    /// SM clock (MHz).
    public var smClockMHz: Double?
    /// Memory clock (MHz).
    public var memoryClockMHz: Double?
    /// The last XID error code reported (0: none).
    public var xid: Int?
    /// Corrected (single-bit) ECC errors, aggregate counter when the source has it, else volatile.
    public var eccCorrected: Int?
    /// Uncorrected (double-bit) ECC errors, aggregate counter when the source has it, else volatile.
    public var eccUncorrected: Int?
    /// Rows remapped because of correctable errors.
    public var remappedRowsCorrectable: Int?
    /// Rows remapped because of uncorrectable errors.
    public var remappedRowsUncorrectable: Int?
    /// A row remap is pending (GPU reset needed).
    public var remappedRowsPending: Bool?
    /// A row remap failed (the GPU should be replaced).
    public var remappedRowsFailure: Bool?

    /// Creates metrics; every reading defaults to absent.
    public init(
        temperatureC: Double? = nil, memoryTemperatureC: Double? = nil, powerW: Double? = nil, powerLimitW: Double? = nil,
        utilizationPct: Double? = nil, memoryUtilizationPct: Double? = nil, memoryUsedMiB: Double? = nil,
        memoryFreeMiB: Double? = nil, memoryTotalMiB: Double? = nil, smClockMHz: Double? = nil,
        memoryClockMHz: Double? = nil, xid: Int? = nil, eccCorrected: Int? = nil, eccUncorrected: Int? = nil,
        remappedRowsCorrectable: Int? = nil, remappedRowsUncorrectable: Int? = nil,
        remappedRowsPending: Bool? = nil, remappedRowsFailure: Bool? = nil
    ) {
        self.temperatureC = temperatureC
        self.memoryTemperatureC = memoryTemperatureC
        self.powerW = powerW
        self.powerLimitW = powerLimitW
        self.utilizationPct = utilizationPct
        self.memoryUtilizationPct = memoryUtilizationPct
        self.memoryUsedMiB = memoryUsedMiB
        self.memoryFreeMiB = memoryFreeMiB
        self.memoryTotalMiB = memoryTotalMiB
        self.smClockMHz = smClockMHz
        self.memoryClockMHz = memoryClockMHz
        self.xid = xid
        self.eccCorrected = eccCorrected
        self.eccUncorrected = eccUncorrected
        self.remappedRowsCorrectable = remappedRowsCorrectable
        self.remappedRowsUncorrectable = remappedRowsUncorrectable
        self.remappedRowsPending = remappedRowsPending
        self.remappedRowsFailure = remappedRowsFailure
    }

    /// Whether no reading is present at all.
    public var isEmpty: Bool { self == GPUMetrics() }
}
