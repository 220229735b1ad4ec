#ifndef CYRUS_FAILOVER_CSPAWN_H
#define CYRUS_FAILOVER_CSPAWN_H

#include <spawn.h>

/// glibc's posix_spawn extensions and pipe2, which Swift's Glibc module does not show (they
/// need _GNU_SOURCE). Each returns what the wrapped call returns.

/// posix_spawn_file_actions_addchdir_np (glibc 2.29+): the child's working directory.
int cspawn_addchdir(posix_spawn_file_actions_t *actions, const char *directory);

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34+): close every descriptor >= from.
int cspawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);

/// pipe2(fds, O_CLOEXEC): both ends close at exec, atomically.
int cspawn_pipe_cloexec(int fds[2]);

#endif
