/* Per-file content comparison, measured without the tool around it (bench/hash-bench.sh):
 * the files named on standard input (one path per line, a primary's and, after a tab, the
 * failover's copy) are read with read(2) into one 256 KiB buffer, as cyrus-failover's
 * ContentHasher does, and
 *   read     only read (both sides);
 *   sha256   SHA-256 of each side (OpenSSL's, which uses the SHA extensions like BoringSSL's);
 *   xxh3     XXH3-128 of each side (libxxhash, what rsync 3.2+ negotiates for -c);
 *   compare  the two sides read side by side and compared with memcmp (no digest at all).
 * Prints the CPU time (user + system) and wall time of the pass. Build: cc -O2 hash-bench.c
 * -lcrypto -lxxhash. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

enum { BUFFER = 1 << 18 };
static unsigned char a[BUFFER], b[BUFFER];

static double wall(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static double cpu(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

static ssize_t fill(int fd, unsigned char *buffer, size_t size) {
  size_t done = 0;
  while (done < size) {
    ssize_t got = read(fd, buffer + done, size - done);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return got < 0 ? -1 : (ssize_t)done;
    done += (size_t)got;
  }
  return (ssize_t)done;
}

/* One side's digest (mode 1 SHA-256, 2 XXH3-128) or a plain read (mode 0); 0 on success. */
static int digest(const char *path, int mode, unsigned long long *sink) {
  int fd = open(path, O_RDONLY | O_NOATIME);
  if (fd < 0) fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  EVP_MD_CTX *sha = mode == 1 ? EVP_MD_CTX_new() : NULL;
  XXH3_state_t *xxh = mode == 2 ? XXH3_createState() : NULL;
  if (sha) EVP_DigestInit_ex(sha, EVP_sha256(), NULL);
  if (xxh) XXH3_128bits_reset(xxh);
  ssize_t got;
  while ((got = read(fd, a, BUFFER)) > 0) {
    if (sha) EVP_DigestUpdate(sha, a, (size_t)got);
    if (xxh) XXH3_128bits_update(xxh, a, (size_t)got);
    *sink += a[0];
  }
  if (sha) {
    unsigned char out[32];
    EVP_DigestFinal_ex(sha, out, NULL);
    *sink += out[0];
    EVP_MD_CTX_free(sha);
  }
  if (xxh) {
    *sink += XXH3_128bits_digest(xxh).low64;
    XXH3_freeState(xxh);
  }
  close(fd);
  return got < 0 ? -1 : 0;
}

/* The two copies read side by side; 1 when they differ. */
static int compare(const char *left, const char *right) {
  int l = open(left, O_RDONLY), r = open(right, O_RDONLY);
  int differ = l < 0 || r < 0;
  while (!differ) {
    ssize_t x = fill(l, a, BUFFER), y = fill(r, b, BUFFER);
    if (x != y || x < 0 || memcmp(a, b, (size_t)x) != 0) differ = 1;
    if (x <= 0) break;
  }
  if (l >= 0) close(l);
  if (r >= 0) close(r);
  return differ;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: hash-bench read|sha256|xxh3|compare < pairs\n");
    return 2;
  }
  int mode = strcmp(argv[1], "sha256") == 0 ? 1 : strcmp(argv[1], "xxh3") == 0 ? 2
           : strcmp(argv[1], "compare") == 0 ? 3 : 0;
  static char line[8192];
  unsigned long long sink = 0, files = 0, differ = 0;
  double w = wall(), c = cpu();
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = 0;
    char *tab = strchr(line, '\t');
    if (!tab) continue;
    *tab = 0;
    if (mode == 3) {
      differ += (unsigned long long)compare(line, tab + 1);
    } else {
      if (digest(line, mode, &sink) || digest(tab + 1, mode, &sink)) differ++;
    }
    files++;
  }
  printf("%-8s %llu pairs, %.2f s CPU, %.2f s wall (%llu unreadable or different; %llu)\n", argv[1],
         files, cpu() - c, wall() - w, differ, sink & 1);
  return 0;
}
