/// Sanity limits applied by validation, so absurd input is reported instead of overflowing or
/// exhausting memory downstream.
public enum DomainLimits {
    /// Most GPUs one node may have.
    public static let maxGPUsPerNode = 4096
    /// Most workers in one gang.
    public static let maxWorkers = 100_000
    /// Most GPUs one gang may request in total.
    public static let maxGangGPUs = 1_000_000
    /// Largest memory per GPU, in GiB.
    public static let maxGPUMemoryGiB = 16_384.0
    /// Largest price per GPU-hour, in USD.
    public static let maxPricePerGPUHour = 1_000_000.0
}
