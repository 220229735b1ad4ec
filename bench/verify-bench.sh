#!/usr/bin/env bash
# Benchmark: wall time and peak memory of `cyrus-failover verify` against rsync's own dry runs
# on the same consistent pair of spools, for each --hash-jobs given; one side alone (`manifest`)
# against rsync's sender alone (rsync -c into an empty directory hashes the source side only);
# and peak memory at two spool sizes (it must not grow with the number of messages). The full
# verify's floor is measured too: both sides' files read once by 16 threads. Two sides on
# one host are compared byte for byte (SameHostPairing), so no table row hashes both.
#
#   bench/verify-bench.sh [USERS] [MESSAGES_PER_USER] [HASH_JOBS...]
#       default 200 x 500 = 100,000 messages, hash jobs 1 2 4
#
# Environment:
#   BENCH_DIR   the file system for the spools (default /var/tmp; /dev/shm takes the disk out)
#   BUILD_PATH  swift build --build-path (default .build)
#   REPEAT      rounds (default 3). Each round runs every command once, in the table's order, so
#               that load from other processes falls on all of them alike; the median is shown,
#               then every run.
#   WARM=1      the page cache is never dropped, and every command runs once untimed before
#               the rounds: warm figures (CPU and system calls, not the disk).
# Otherwise the page cache is dropped before every run where the system allows it (root outside
# a container); where it cannot be, it is warm.
# Results go to standard output as a table; the work directory is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
source bench/common.sh
bench_setup bench 200 "$@"
trap 'rm -rf "$work"' EXIT
make_pair "$work"
mkdir "$work/empty"
small_users=$((users / 5 > 0 ? users / 5 : 1))
python3 bench/make-spool.py "$work/sp" "$small_users" "$per_user"
rsync -aH "$work/sp/" "$work/sf/"
files=$(find "$work/p" -type f | wc -l)
bytes=$(du -sb "$work/p" | cut -f1)
if [ "${WARM:-0}" = 1 ]; then
  cache="warm (WARM=1: never dropped, each command run once untimed first)"
elif sync && echo 3 >/proc/sys/vm/drop_caches 2>/dev/null; then
  cache="dropped before every run"
else
  cache="warm"
fi
echo "pair: $files files per side, $bytes bytes per side ($(nproc) cores, ${BENCH_DIR:-/var/tmp}, page cache $cache, $repeat rounds)"

sides=(--no-progress --primary "$work/p" --failover "$work/f")
add "rsync -a -n --delete" rsync -a -n --delete "$work/p/" "$work/f/"
add "rsync -a -n -c --delete" rsync -a -n -c --delete "$work/p/" "$work/f/"
add "rsync -a -n -c, one side (empty destination)" rsync -a -n -c "$work/p/" "$work/empty/"
# The floor of a full verify: every file of both sides read once, in path order, by 16 threads
# (bench/read-floor.c), nothing done to the bytes; cold, it is the disk's limit.
cc -O2 -pthread -o "$work/read-floor" bench/read-floor.c
(find "$work/p" -type f; find "$work/f" -type f) | LC_ALL=C sort >"$work/paths"
add "read both sides once (read-floor, 16 threads)" sh -c '"$1" 16 <"$2"' sh "$work/read-floor" "$work/paths"
add "verify --level meta" "$bin" verify --level meta "${sides[@]}"
for n in "${hash_jobs[@]}"; do
  add "verify --level guid --hash-jobs $n" "$bin" verify --level guid --hash-jobs "$n" "${sides[@]}"
  add "verify --level full --hash-jobs $n" "$bin" verify --level full --hash-jobs "$n" "${sides[@]}"
  add "manifest --level full --hash-jobs $n (one side)" \
    "$bin" manifest --level full --hash-jobs "$n" --instance "$work/p" --output /dev/null
done
add "verify --level full, $((small_users * per_user)) messages" "$bin" verify --no-progress --primary "$work/sp" --failover "$work/sf"
add "verify --level full, $((users * per_user)) messages" "$bin" verify --no-progress --primary "$work/p" --failover "$work/f"

declare -a runs peaks
if [ "${WARM:-0}" = 1 ]; then
  echo "warm-up: every command once, untimed" >&2
  for i in "${!commands[@]}"; do
    prepare_run "$i"
    "${argv[@]}" >/dev/null 2>&1 || true
  done
fi
for round in $(seq "$repeat"); do
  echo "round $round of $repeat" >&2
  for i in "${!commands[@]}"; do
    prepare_run "$i"
    /usr/bin/time -f "%e %M" -o "$work/time" "${argv[@]}" >/dev/null 2>"$work/err" || [ $? -le 1 ]
    read -r seconds kib <"$work/time"
    runs[i]="${runs[i]:-}$seconds "
    ((kib > ${peaks[i]:-0})) && peaks[i]=$kib
  done
done

declare -A medians
printf '%-50s %9s %12s   %s\n' "command" "median" "peak RSS" "runs (s)"
for i in "${!commands[@]}"; do
  medians[${labels[i]}]=$(median "${runs[i]}")
  printf '%-50s %7s s %8s KiB   %s\n' "${labels[i]}" "${medians[${labels[i]}]}" "${peaks[i]}" "${runs[i]}"
done
rsync_c=${medians["rsync -a -n -c --delete"]}
read_once=${medians["read both sides once (read-floor, 16 threads)"]}
rsync_side=${medians["rsync -a -n -c, one side (empty destination)"]}
for n in "${hash_jobs[@]}"; do
  full=${medians["verify --level full --hash-jobs $n"]}
  side=${medians["manifest --level full --hash-jobs $n (one side)"]}
  echo "--hash-jobs $n: verify --level full $(percent "$full" "$rsync_c") % of rsync -c," \
    "$(percent "$full" "$read_once") % of reading both sides once;" \
    "one side $(percent "$side" "$rsync_side") % of rsync -c's one side"
done
