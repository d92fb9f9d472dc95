import CAllocator

/// Process-wide allocator settings for a server that takes large request bodies.
///
/// glibc's `malloc` raises its mmap threshold to the size of every large block that is freed (up to
/// 32 MiB), so after the first request-sized buffer (a 16 MiB body, the arrays of a model read from
/// it) the next ones come from the per-thread heaps, which keep the memory after it is freed.
/// Fixing the threshold stops that adjustment: blocks at least that large are mapped on allocation
/// and returned to the system when freed. `gpupool serve` calls this at start; a program that embeds
/// ``SolveService`` decides for its own process. Elsewhere than glibc it does nothing.
///
/// Measured with `scripts/service-memory.py` (60 bodies of 16 MiB, 40 one after another and 20 four
/// at a time): with real 16 MiB MPS models the server stayed at 324–446 MB after them without this
/// setting, and at 39 MB with it (start: 34 MB); see Docs/Service.md, Memory.
public enum AllocatorTuning {
    /// Maps blocks of `threshold` bytes or more (1 MiB by default) and returns them when freed.
    /// - Returns: whether the setting was applied (glibc only).
    @discardableResult
    public static func returnLargeBlocksToTheSystem(threshold: Int = 1 << 20) -> Bool {
        gpupool_set_mmap_threshold(Int32(clamping: threshold)) == 1
    }
}
