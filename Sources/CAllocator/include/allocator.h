#ifndef GPUPOOL_ALLOCATOR_H
#define GPUPOOL_ALLOCATOR_H

/// Fixes glibc's mmap threshold at `bytes` (which also stops its dynamic adjustment): blocks at
/// least that large are mapped when allocated and unmapped when freed. Returns 1 when applied,
/// 0 when refused, -1 where the C library is not glibc.
int gpupool_set_mmap_threshold(int bytes);

#endif
