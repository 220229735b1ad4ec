#!/usr/bin/env bash
# Benchmark: `verify --level incremental` after a day's change, against `--level meta` and
# `--level full` on the same pair in the same rounds (issue 14: incremental ≤ 1.2× meta and
# ≤ 0.1× full), with the page cache warm and dropped; and incremental's peak memory at two
# spool sizes (the digest cache is streamed: it must not grow with the number of messages).
#
#   bench/incremental-bench.sh [USERS] [MESSAGES_PER_USER] [CHANGED_PER_MILLE]
#       default 400 x 500 = 200,000 messages, 10 per mille (1 %) added and as many removed
#
# Steps: a consistent pair (bench/make-spool.py, rsync -aH); one incremental run fills both
# sides' caches; bench/mutate-spool.py then adds and removes the same messages on both sides;
# the caches are saved, and put back before every incremental run, so each one sees the same
# change. Environment: BENCH_DIR, BUILD_PATH, REPEAT (as the other scripts), SCRUB (--scrub,
# default the tool's), MODES ("warm cold", default both), PAIR (a directory to keep the spools
# in, DIR/p, DIR/f and the smaller DIR/sp, DIR/sf, made when missing and reused next time: each
# run changes them by another CHANGED_PER_MILLE). Results on standard output; the work directory
# is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
source bench/common.sh
per_mille=${3:-10}
bench_setup incremental 400 "${1:-}" "${2:-}"
trap 'rm -rf "$work"' EXIT
pair=${PAIR:-$work}
mkdir -p "$pair"
[ -d "$pair/f" ] || make_pair "$pair"
small_users=$((users / 5 > 0 ? users / 5 : 1))
if [ ! -d "$pair/sf" ]; then
  python3 bench/make-spool.py "$pair/sp" "$small_users" "$per_user"
  rsync -aH "$pair/sp/" "$pair/sf/"
fi
# Files changed less than 2 s before a walk are not cached (racily clean): let the pair settle.
sleep 3
scrub=(${SCRUB:+--scrub "$SCRUB"})
for small in "" s; do
  mkdir -m 700 "$work/${small}cache"
  "$bin" verify --no-progress --level incremental --cache "$work/${small}cache" "${scrub[@]}" \
    --primary "$pair/${small}p" --failover "$pair/${small}f" >/dev/null || [ $? -le 1 ]
done
messages=$((users * per_user))
changed=$((messages * per_mille / 1000))
small_changed=$((small_users * per_user * per_mille / 1000))
python3 bench/mutate-spool.py "$pair/p" "$changed" "$changed"
python3 bench/mutate-spool.py "$pair/f" "$changed" "$changed"
python3 bench/mutate-spool.py "$pair/sp" "$small_changed" "$small_changed"
python3 bench/mutate-spool.py "$pair/sf" "$small_changed" "$small_changed"
cp -a "$work/cache" "$work/cache.saved"
cp -a "$work/scache" "$work/scache.saved"
files=$(find "$pair/p" -type f | wc -l)
bytes=$(du -sb "$pair/p" | cut -f1)
echo "pair: $files files, $bytes bytes per side; $changed messages added and $changed removed per side" \
  "($per_mille per mille); $(nproc) cores, ${BENCH_DIR:-/var/tmp}, $repeat rounds"

sides=(--no-progress --primary "$pair/p" --failover "$pair/f")
add "verify --level meta" "$bin" verify --level meta "${sides[@]}"
add "verify --level incremental" "$bin" verify --level incremental --cache "$work/cache" "${scrub[@]}" "${sides[@]}"
add "verify --level full" "$bin" verify --level full "${sides[@]}"
add "verify --level incremental, $((small_users * per_user)) messages" \
  "$bin" verify --level incremental --cache "$work/scache" "${scrub[@]}" --no-progress --primary "$pair/sp" --failover "$pair/sf"

declare -A medians
for mode in ${MODES:-warm cold}; do
  declare -a runs=() cpus=() peaks=()
  for round in $(seq "$repeat"); do
    echo "$mode round $round of $repeat" >&2
    for i in "${!commands[@]}"; do
      rm -rf "$work/cache" "$work/scache"
      cp -a "$work/cache.saved" "$work/cache"
      cp -a "$work/scache.saved" "$work/scache"
      IFS=$'\x1f' read -r -a argv <<<"${commands[$i]}"
      sync
      if [ "$mode" = cold ]; then echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true; fi
      /usr/bin/time -f "%e %U %S %M" -o "$work/time" "${argv[@]}" >/dev/null 2>"$work/err" || [ $? -le 1 ]
      # /usr/bin/time writes "Command exited with non-zero status 1" first for exit 1.
      read -r seconds user system kib < <(tail -1 "$work/time")
      runs[i]="${runs[i]:-}$seconds "
      cpus[i]="${cpus[i]:-}$(awk -v u="$user" -v s="$system" 'BEGIN {printf "%.2f", u + s}') "
      ((kib > ${peaks[i]:-0})) && peaks[i]=$kib
    done
  done
  echo
  echo "page cache $mode"
  printf '%-52s %9s %12s   %s\n' "command" "median" "peak RSS" "runs (s)"
  for i in "${!commands[@]}"; do
    medians[$mode:${labels[i]}]=$(median "${runs[i]}")
    printf '%-52s %7s s %8s KiB   %s\n' "${labels[i]}" "${medians[$mode:${labels[i]}]}" "${peaks[i]}" "${runs[i]}"
  done
  # The machine's speed can drift between rounds; the ratio within each round is steadier
  # (the commands of a round run one after the other).
  per_round=$(paste -d ' ' <(tr ' ' '\n' <<<"${runs[1]}" | grep .) \
    <(tr ' ' '\n' <<<"${runs[0]}" | grep .) | awk '{printf "%.2f ", $1 / $2}')
  echo "$mode: incremental / meta in each round: ${per_round}(median $(median "$per_round"))"
  per_round_cpu=$(paste -d ' ' <(tr ' ' '\n' <<<"${cpus[1]}" | grep .) \
    <(tr ' ' '\n' <<<"${cpus[0]}" | grep .) | awk '{printf "%.2f ", $1 / ($2 > 0 ? $2 : 0.01)}')
  echo "$mode: the same in CPU time (user + system): ${per_round_cpu}(median $(median "$per_round_cpu"))"
  meta=${medians["$mode:verify --level meta"]}
  incremental=${medians["$mode:verify --level incremental"]}
  full=${medians["$mode:verify --level full"]}
  echo "$mode: incremental / meta $(awk -v a="$incremental" -v b="$meta" 'BEGIN {printf "%.2f", a / b}')" \
    "(target <= 1.2); incremental / full $(awk -v a="$incremental" -v b="$full" 'BEGIN {printf "%.3f", a / b}')" \
    "(target <= 0.1)"
done
# What the incremental run read, from its own counters.
rm -rf "$work/cache" && cp -a "$work/cache.saved" "$work/cache"
"$bin" verify --no-progress --stats --level incremental --cache "$work/cache" "${scrub[@]}" \
  --primary "$pair/p" --failover "$pair/f" 2>&1 >/dev/null | grep "digest cache" || true
