#ifndef CYRUS_FAILOVER_CSPAWN_H
#define CYRUS_FAILOVER_CSPAWN_H

#include <spawn.h>
#include <sys/types.h>

/// glibc's posix_spawn extensions and pipe2, which Swift's Glibc module does not show (they
/// need _GNU_SOURCE). Each returns what the wrapped call returns.

/// posix_spawn_file_actions_addchdir_np (glibc 2.29+): the child's working directory.
int cspawn_addchdir(posix_spawn_file_actions_t *actions, const char *directory);

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34+): close every descriptor >= from.
int cspawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);

/// pipe2(fds, O_CLOEXEC): both ends close at exec, atomically.
int cspawn_pipe_cloexec(int fds[2]);

/// getpwnam_r: the user and primary group of the account `name`. Returns 0, ENOENT when there is
/// no such account, or the errno of the lookup.
int cspawn_lookup_user(const char *name, uid_t *uid, gid_t *gid);

/// Puts a sandbox on the calling process, for a child that is about to read untrusted input
/// (the Berkeley DB reader), in this order: no core file (RLIMIT_CORE 0), no byte written to any
/// file (RLIMIT_FSIZE 0: SIGXFSZ), `address_space_bytes` of address space (RLIMIT_AS),
/// `cpu_seconds` of CPU time (RLIMIT_CPU: SIGXCPU, SIGKILL 5 s later), not dumpable (no ptrace
/// by other processes of the same user), no new privileges through exec; then, when
/// `change_identity` is not 0, no supplementary groups, `gid` and `uid` as real, effective and
/// saved ids, checked, and setuid(0) checked to fail. Returns 0, or the errno of the first step
/// that failed, which `*failed_step` names: the process is then half sandboxed and must exit.
int cspawn_enter_sandbox(unsigned long long address_space_bytes, unsigned long long cpu_seconds,
                         int change_identity, uid_t uid, gid_t gid, const char **failed_step);

#endif
