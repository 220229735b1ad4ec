#!/usr/bin/env bash
# Benchmark for issue 5: the failover reached over SSH on loopback (a throwaway sshd, as in the
# tests), on a consistent pair of synthetic spools. Measures, in the same run:
#   bytes on the wire:  verify --stats (protocol bytes both ways) vs rsync --stats (bytes sent + received)
#   wall time:          verify --level meta vs rsync -a -n --delete
#   peak RSS:           of each command (GNU time's %M, last round), and of the agent it started
#                       verify --level full --hash-jobs N (each N given) vs rsync -a -n -c --delete
#
#   bench/remote-bench.sh [USERS] [MESSAGES_PER_USER] [HASH_JOBS...]
#       default 400 x 500 = 200,000 messages, hash jobs 1 2 4
#
# Environment: BENCH_DIR, BUILD_PATH, REPEAT as for bench/verify-bench.sh (rounds of every
# command in turn, medians shown; the page cache dropped before every run where allowed).
#   CHANGED=N  the failover differs: bench/mutate-spool.py adds N message files to it and
#          removes N (a day of mail not yet synced), so the bytes show what differences cost
#          (verify then ends with exit 1).
#   PIN=1  two one-core "hosts" on one machine: the local side (verify, rsync's client) runs on
#          CPU 0, sshd and so the agent and rsync's remote half on CPU 1 (taskset). The disk
#          stays shared.
# Run as root (sshd). The work directory is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
bench_setup remote-bench 400 "$@"
cleanup_on_exit

local_cpu=()
remote_cpu=()
if [ "${PIN:-0}" = 1 ]; then
  local_cpu=(taskset -c 0)
  remote_cpu=(taskset -c 1)
fi
start_sshd "${remote_cpu[@]}"
# The agent's peak RSS, written where the run loop reads it (as in bench/one-sided-bench.sh).
agent_wrapper

make_pair "$work"
if [ "${CHANGED:-0}" -gt 0 ]; then
  python3 bench/mutate-spool.py "$work/f" "$CHANGED" "$CHANGED"
fi
files=$(find "$work/p" -type f | wc -l)
bytes=$(du -sb "$work/p" | cut -f1)
if sync && echo 3 >/proc/sys/vm/drop_caches 2>/dev/null; then cache="dropped before every run"; else cache="warm"; fi
pinned=""
[ "${PIN:-0}" = 1 ] && pinned=", local side on CPU 0, sshd and the agent on CPU 1"
changed=""
[ "${CHANGED:-0}" -gt 0 ] && changed=", failover changed by $CHANGED added and $CHANGED removed messages"
echo "pair: $files files per side, $bytes bytes per side ($(nproc) cores, ${BENCH_DIR:-/var/tmp}, page cache $cache, $repeat rounds), failover over ssh on 127.0.0.1$pinned$changed"
remote=(--failover "127.0.0.1:$work/f" --ssh "$ssh_cmd" --remote-command "$work/agent" --no-progress --stats)

add "rsync -a -n --delete --stats (over ssh)" rsync -a -n --delete --stats -e "$ssh_cmd" "$work/p/" "127.0.0.1:$work/f/"
add "verify --level meta (over ssh)" "$bin" verify --level meta --primary "$work/p" "${remote[@]}"
add "rsync -a -n -c --delete --stats (over ssh)" rsync -a -n -c --delete --stats -e "$ssh_cmd" "$work/p/" "127.0.0.1:$work/f/"
for n in "${hash_jobs[@]}"; do
  add "verify --level full --hash-jobs $n (over ssh)" "$bin" verify --level full --hash-jobs "$n" --primary "$work/p" "${remote[@]}"
done

declare -a runs
for round in $(seq "$repeat"); do
  echo "round $round of $repeat" >&2
  for i in "${!commands[@]}"; do
    prepare_run "$i"
    start=$(date +%s.%N)
    rm -f "$work/agent.rss"
    "${local_cpu[@]}" /usr/bin/time -o "$work/rss.$i" -f %M "${argv[@]}" >"$work/out.$i" 2>"$work/err.$i" || [ $? -le 1 ]
    end=$(date +%s.%N)
    [ -f "$work/agent.rss" ] && mv "$work/agent.rss" "$work/agent-rss.$i"
    runs[i]="${runs[i]:-}$(printf '%.2f' "$(echo "$end - $start" | bc)") "
  done
done

rsync_bytes() { awk '/^Total bytes sent/ {gsub(",", "", $4); s=$4} /^Total bytes received/ {gsub(",", "", $4); r=$4} END {print s + r}' "$work/out.$1"; }
verify_bytes() { awk '/bytes sent/ {s=$4; r=$7} END {print s + r}' "$work/err.$1"; }
declare -A medians
# Peak RSS of the last round, in MiB: the command, and the agent it started (if any).
peak() { awk '{v = $1} END {printf "%d", v / 1024}' "$1"; }
printf '%-50s %9s   %-14s %s\n' "command" "median" "peak RSS MiB" "runs (s)"
for i in "${!commands[@]}"; do
  medians[${labels[i]}]=$(median "${runs[i]}")
  rss="$(peak "$work/rss.$i")"
  [ -f "$work/agent-rss.$i" ] && rss="$rss (agent $(peak "$work/agent-rss.$i"))"
  printf '%-50s %7s s   %-14s %s\n' "${labels[i]}" "${medians[${labels[i]}]}" "$rss" "${runs[i]}"
  grep -h "cyrus-failover verify:" "$work/out.$i" || true
done
echo "bytes on the wire: rsync -n $(rsync_bytes 0), rsync -n -c $(rsync_bytes 2)," \
  "verify meta $(verify_bytes 1), verify full $(verify_bytes 3)"
rsync_c=${medians["rsync -a -n -c --delete --stats (over ssh)"]}
for n in "${hash_jobs[@]}"; do
  full=${medians["verify --level full --hash-jobs $n (over ssh)"]}
  echo "--hash-jobs $n: verify --level full $(percent "$full" "$rsync_c") % of rsync -c"
done
