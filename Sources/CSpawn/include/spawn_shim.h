#ifndef GPUPOOL_SPAWN_SHIM_H
#define GPUPOOL_SPAWN_SHIM_H

#include <spawn.h>

/// pipe2(fds, O_CLOEXEC): both ends close-on-exec from the start, so a child another thread
/// spawns meanwhile cannot inherit them (pipe() + fcntl() leaves that window open). Swift's Glibc
/// module does not import pipe2, a GNU extension. Returns 0, or -1 with errno set.
int gpupool_pipe_cloexec(int fds[2]);

/// posix_spawn_file_actions_addchdir_np (glibc 2.29): the child starts in `path`. Returns 0 or an
/// error number (ENOSYS where the C library lacks it).
int gpupool_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34): the child closes every descriptor from
/// `from` up, whatever was not marked close-on-exec. Returns 0 or an error number (ENOSYS where the
/// C library lacks it; the caller then relies on close-on-exec alone).
int gpupool_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);

#endif
