/* Shim for Debian's libdb (Berkeley DB 5.3, package libdb-dev): db.h plus static inline
 * wrappers, because libdb's API is function-pointer members of DB, DBC and DB_ENV that are
 * awkward to call from Swift. Only the BerkeleyDB Swift module imports this. */
#ifndef CBERKELEYDB_SHIM_H
#define CBERKELEYDB_SHIM_H

#include <db.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef void (*cbdb_errcall_fn)(const DB_ENV *, const char *, const char *);
typedef void (*cbdb_msgcall_fn)(const DB_ENV *, const char *);

/* 0 when `path` is a regular file; EISDIR for a directory, ENODEV for any other kind (a FIFO
 * would block DB->open forever); errno when stat(2) fails. */
static inline int cbdb_check_regular_file(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) return errno;
  if (S_ISREG(st.st_mode)) return 0;
  return S_ISDIR(st.st_mode) ? EISDIR : ENODEV;
}

/* 0 when the open descriptor `fd` is a regular file; as cbdb_check_regular_file otherwise. */
static inline int cbdb_check_regular_descriptor(int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0) return errno;
  if (S_ISREG(st.st_mode)) return 0;
  return S_ISDIR(st.st_mode) ? EISDIR : ENODEV;
}

/* open(2) as libdb calls it, except that "/proc/self/fd/N" gives a copy of the descriptor N
 * this process holds (read-only requests only; anything else there is EACCES) instead of a new
 * open of its file, which the kernel would check against the process's permissions again. So a
 * process that opened a file and then gave up the privileges that let it (the Berkeley DB
 * reader's sandbox) can still hand the file to libdb, and libdb reads exactly the file that
 * was opened, not whatever a path names by then. */
static inline int cbdb_open_hook(const char *path, int flags, ...) {
  static const char prefix[] = "/proc/self/fd/";
  mode_t mode = 0;
  if (flags & O_CREAT) {
    va_list args;
    va_start(args, flags);
    mode = (mode_t)va_arg(args, int);
    va_end(args);
  }
  if (strncmp(path, prefix, sizeof prefix - 1) == 0) {
    const char *digits = path + sizeof prefix - 1;
    char *end = NULL;
    errno = 0;
    long fd = strtol(digits, &end, 10);
    if (*digits >= '0' && *digits <= '9' && end != NULL && *end == '\0' && errno == 0 &&
        fd >= 0 && fd <= INT_MAX) {
      if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC)) != 0) {
        errno = EACCES;
        return -1;
      }
      /* The copy shares the file offset with `fd` (and every other copy): libdb reads a file's
       * first page with read(2) right after opening it, so the offset goes back to 0 here. The
       * owners of `fd` read with pread(2), which leaves the offset alone. */
      int copy = fcntl((int)fd, F_DUPFD_CLOEXEC, 0);
      if (copy < 0) return -1;
      if (lseek(copy, 0, SEEK_SET) != 0) {
        int saved = errno;
        close(copy);
        errno = saved;
        return -1;
      }
      return copy;
    }
  }
  return open(path, flags, mode);
}

/* Makes libdb open files through cbdb_open_hook, for the whole process (libdb has one global
 * table of system calls). */
static inline int cbdb_install_open_hook(void) { return db_env_set_func_open(cbdb_open_hook); }

/* db_create without an environment: libdb makes a private one for the handle. */
static inline int cbdb_create(DB **db) { return db_create(db, NULL, 0); }

/* Routes libdb's error and informational messages (stderr and stdout by default) to callbacks;
 * `context` is stored in the handle's private DB_ENV and read back by cbdb_env_context. */
static inline void cbdb_route_messages(DB *db, void *context, cbdb_errcall_fn err,
                                       cbdb_msgcall_fn msg) {
  DB_ENV *env = db->get_env(db);
  if (env != NULL) env->app_private = context;
  db->set_errcall(db, err);
  db->set_msgcall(db, msg);
}

static inline void *cbdb_env_context(const DB_ENV *env) {
  return env == NULL ? NULL : env->app_private;
}

static inline int cbdb_set_pagesize(DB *db, u_int32_t pagesize) {
  return db->set_pagesize(db, pagesize);
}

static inline int cbdb_open(DB *db, const char *path, DBTYPE type, u_int32_t flags, int mode) {
  return db->open(db, NULL, path, NULL, type, flags, mode);
}

static inline int cbdb_close(DB *db) { return db->close(db, 0); }

static inline int cbdb_get_type(DB *db, DBTYPE *type) { return db->get_type(db, type); }

static inline int cbdb_get_pagesize(DB *db, u_int32_t *pagesize) {
  return db->get_pagesize(db, pagesize);
}

/* The meta page's page count (last_pgno + 1) and, for DB_HASH, bucket count (max_bucket + 1),
 * from DB->stat with DB_FAST_STAT: the meta page only, no traversal. buckets is 0 for other
 * access methods; both are 0 for DB_QUEUE and DB_HEAP, which this does not inspect. */
static inline int cbdb_meta_counts(DB *db, u_int32_t *pages, u_int32_t *buckets) {
  DBTYPE type;
  void *stat = NULL;
  int ret;
  *pages = 0;
  *buckets = 0;
  if ((ret = db->get_type(db, &type)) != 0) return ret;
  if (type != DB_BTREE && type != DB_RECNO && type != DB_HASH) return 0;
  if ((ret = db->stat(db, NULL, &stat, DB_FAST_STAT)) != 0) return ret;
  if (type == DB_HASH) {
    *pages = ((DB_HASH_STAT *)stat)->hash_pagecnt;
    *buckets = ((DB_HASH_STAT *)stat)->hash_buckets;
  } else {
    *pages = ((DB_BTREE_STAT *)stat)->bt_pagecnt;
  }
  free(stat);
  return 0;
}

/* The size in bytes of the file libdb has open for `db` (DB->fd, then fstat). */
static inline int cbdb_file_size(DB *db, int64_t *size) {
  int fd = -1;
  struct stat st;
  int ret;
  if ((ret = db->fd(db, &fd)) != 0) return ret;
  if (fstat(fd, &st) != 0) return errno;
  *size = (int64_t)st.st_size;
  return 0;
}

static inline int cbdb_put(DB *db, DBT *key, DBT *data, u_int32_t flags) {
  return db->put(db, NULL, key, data, flags);
}

static inline int cbdb_cursor(DB *db, DBC **cursor) { return db->cursor(db, NULL, cursor, 0); }

static inline int cbdb_cursor_get(DBC *cursor, DBT *key, DBT *data, u_int32_t flags) {
  return cursor->get(cursor, key, data, flags);
}

static inline int cbdb_cursor_close(DBC *cursor) { return cursor->close(cursor); }

#endif
