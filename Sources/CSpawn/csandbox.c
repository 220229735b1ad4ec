#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cspawn.h"

int cspawn_lookup_user(const char *name, uid_t *uid, gid_t *gid) {
  struct passwd entry;
  struct passwd *found = NULL;
  long size = sysconf(_SC_GETPW_R_SIZE_MAX);
  if (size <= 0 || size > 1 << 20) size = 1 << 14;
  char *buffer = malloc((size_t)size);
  if (buffer == NULL) return ENOMEM;
  int code = getpwnam_r(name, &entry, buffer, (size_t)size, &found);
  if (code == 0 && found == NULL) code = ENOENT;
  if (code == 0) {
    *uid = entry.pw_uid;
    *gid = entry.pw_gid;
  }
  free(buffer);
  return code;
}

/* Records the step that failed and returns its errno. */
static int failed(const char **step, const char *name) {
  int code = errno != 0 ? errno : EPERM;
  *step = name;
  return code;
}

static int limit(int resource, rlim_t soft, rlim_t hard) {
  struct rlimit value = {soft, hard};
  return setrlimit(resource, &value);
}

int cspawn_enter_sandbox(unsigned long long address_space_bytes, unsigned long long cpu_seconds,
                         int change_identity, uid_t uid, gid_t gid, const char **failed_step) {
  *failed_step = NULL;
  if (limit(RLIMIT_CORE, 0, 0) != 0) return failed(failed_step, "setrlimit(RLIMIT_CORE)");
  if (limit(RLIMIT_FSIZE, 0, 0) != 0) return failed(failed_step, "setrlimit(RLIMIT_FSIZE)");
  if (limit(RLIMIT_AS, address_space_bytes, address_space_bytes) != 0)
    return failed(failed_step, "setrlimit(RLIMIT_AS)");
  /* SIGXCPU at the soft limit; the kernel's SIGKILL at the hard one, 5 s later. */
  if (limit(RLIMIT_CPU, cpu_seconds, cpu_seconds + 5) != 0)
    return failed(failed_step, "setrlimit(RLIMIT_CPU)");
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return failed(failed_step, "prctl(PR_SET_DUMPABLE)");
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    return failed(failed_step, "prctl(PR_SET_NO_NEW_PRIVS)");
  if (!change_identity) return 0;
  if (setgroups(0, NULL) != 0) return failed(failed_step, "setgroups");
  if (setresgid(gid, gid, gid) != 0) return failed(failed_step, "setresgid");
  if (setresuid(uid, uid, uid) != 0) return failed(failed_step, "setresuid");
  /* The way back must be closed: every id is the new one, and root cannot be taken again. */
  uid_t ruid, euid, suid;
  gid_t rgid, egid, sgid;
  if (getresuid(&ruid, &euid, &suid) != 0 || getresgid(&rgid, &egid, &sgid) != 0)
    return failed(failed_step, "getresuid");
  errno = EPERM;
  if (ruid != uid || euid != uid || suid != uid || rgid != gid || egid != gid || sgid != gid)
    return failed(failed_step, "the identity after setresuid");
  if (getgroups(0, NULL) != 0) return failed(failed_step, "the groups after setgroups");
  if (uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
    errno = EPERM;
    return failed(failed_step, "setuid(0) after the drop succeeded");
  }
  return 0;
}
