#!/usr/bin/env bash
# Benchmark: wall time and peak memory of `cyrus-failover verify` against rsync's own dry runs
# on the same consistent pair of spools, and peak memory at two spool sizes (it must not grow
# with the number of messages).
#
#   bench/verify-bench.sh [USERS] [MESSAGES_PER_USER]     (default 200 x 500 = 100,000 messages)
#
# Results go to standard output as a table; the work directory is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
users=${1:-200}
per_user=${2:-500}
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
swift build -c release >&2
bin="$(swift build -c release --show-bin-path)/cyrus-failover"
# BENCH_DIR picks the file system (default /var/tmp; /dev/shm takes the disk out of the measure).
work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/cyrus-failover-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

measure() {  # label, command...: prints "label  seconds  peak-KiB"
  local label=$1; shift
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || [ $? -le 1 ]
  read -r seconds kib < "$work/time"
  printf '%-44s %8s s %10s KiB\n' "$label" "$seconds" "$kib"
}

echo "generating $users x $per_user messages" >&2
python3 bench/make-spool.py "$work/p" "$users" "$per_user"
rsync -aH "$work/p/" "$work/f/"
files=$(find "$work/p" -type f | wc -l)
bytes=$(du -sb "$work/p" | cut -f1)
echo "pair: $files files per side, $bytes bytes per side ($(nproc) cores)"
measure "rsync -a -n --delete" rsync -a -n --delete "$work/p/" "$work/f/"
measure "rsync -a -n -c --delete" rsync -a -n -c --delete "$work/p/" "$work/f/"
measure "cyrus-failover verify --level meta" "$bin" verify --level meta --no-progress --primary "$work/p" --failover "$work/f"
measure "cyrus-failover verify --level guid" "$bin" verify --level guid --no-progress --primary "$work/p" --failover "$work/f"
measure "cyrus-failover verify --level full" "$bin" verify --level full --no-progress --primary "$work/p" --failover "$work/f"

small_users=$(( users / 5 > 0 ? users / 5 : 1 ))
python3 bench/make-spool.py "$work/sp" "$small_users" "$per_user"
rsync -aH "$work/sp/" "$work/sf/"
measure "verify --level full, $((small_users * per_user)) messages" "$bin" verify --no-progress --primary "$work/sp" --failover "$work/sf"
measure "verify --level full, $((users * per_user)) messages" "$bin" verify --no-progress --primary "$work/p" --failover "$work/f"
