#include "allocator.h"

#include <stdlib.h>  // defines __GLIBC__ on glibc systems

#if defined(__GLIBC__)
#include <malloc.h>
int gpupool_set_mmap_threshold(int bytes) { return mallopt(M_MMAP_THRESHOLD, bytes); }
#else
int gpupool_set_mmap_threshold(int bytes) { (void)bytes; return -1; }
#endif
