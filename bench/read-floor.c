/* The floor of a full verify (bench/verify-bench.sh): every file named on standard input (one
 * path per line) read once with read(2) into a 256 KiB buffer, nothing done to the bytes, by
 * THREADS threads taking the next name in turn, so that many reads are in flight as in the
 * tool's --hash-jobs. Prints the files and bytes read and the wall time on standard error.
 *
 *   read-floor THREADS < paths
 *
 * Build: cc -O2 -pthread -o read-floor read-floor.c */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { BUFFER = 1 << 18, MAX_THREADS = 64 };

static char **paths;
static size_t count;
static atomic_size_t next_path;
static atomic_ullong total_bytes;

static void *reader(void *unused) {
  (void)unused;
  unsigned char *buffer = malloc(BUFFER);
  if (!buffer) return NULL;
  for (;;) {
    size_t index = atomic_fetch_add(&next_path, 1);
    if (index >= count) break;
    int fd = open(paths[index], O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOATIME);
    if (fd < 0) fd = open(paths[index], O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) continue;
    ssize_t got;
    unsigned long long bytes = 0;
    while ((got = read(fd, buffer, BUFFER)) > 0 || (got < 0 && errno == EINTR))
      if (got > 0) bytes += (unsigned long long)got;
    close(fd);
    atomic_fetch_add(&total_bytes, bytes);
  }
  free(buffer);
  return NULL;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 8;
  if (threads < 1 || threads > MAX_THREADS) {
    fprintf(stderr, "read-floor: THREADS must be 1 to %d\n", MAX_THREADS);
    return 2;
  }
  size_t capacity = 1 << 16;
  paths = malloc(capacity * sizeof *paths);
  char *line = NULL;
  size_t size = 0;
  ssize_t length;
  while (paths && (length = getline(&line, &size, stdin)) > 0) {
    if (line[length - 1] == '\n') line[length - 1] = 0;
    if (count == capacity) {
      capacity *= 2;
      char **grown = realloc(paths, capacity * sizeof *paths);
      if (!grown) return 2;
      paths = grown;
    }
    if (!(paths[count++] = strdup(line))) return 2;
  }
  if (!paths) return 2;
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  pthread_t ids[MAX_THREADS];
  for (int i = 0; i < threads; i++) pthread_create(&ids[i], NULL, reader, NULL);
  for (int i = 0; i < threads; i++) pthread_join(ids[i], NULL);
  clock_gettime(CLOCK_MONOTONIC, &end);
  fprintf(stderr, "read-floor: %zu files, %llu bytes, %.2f s with %d threads\n", count,
          (unsigned long long)atomic_load(&total_bytes),
          (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9, threads);
  return 0;
}
