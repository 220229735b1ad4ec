#!/usr/bin/env bash
# CPU time of one side's walk against rsync's per file: `manifest --level meta --hash-jobs 1`
# (one side) and `rsync -a -n --delete` of the whole local pair (both sides), by `perf stat -e
# task-clock`, page cache warm, in alternating rounds; medians and every run.
#
#   bench/walk-cpu-bench.sh [USERS [MESSAGES_PER_USER]] [OTHER_BINARY...]
#       default 400 x 500 = 200,000 messages; OTHER_BINARY: another build to compare with
# Environment: BENCH_DIR, BUILD_PATH, REPEAT (default 5), as for the other bench scripts.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v perf >/dev/null || { apt-get update -qq && apt-get install -y -qq linux-perf >/dev/null; }
source bench/common.sh
users=${1:-400}
per_user=${2:-500}
others=("${@:3}")
bench_setup walk-cpu "$users" "$users" "$per_user"
repeat=${REPEAT:-5}
trap 'rm -rf "$work"' EXIT
make_pair "$work"
task_clock() { perf stat -x, -e task-clock "$@" 2>&1 >/dev/null | grep task-clock | cut -d, -f1; }
declare -A runs
programs=("$bin" "${others[@]}" rsync)
for _ in $(seq "$repeat"); do
  for program in "${programs[@]}"; do
    if [ "$program" = rsync ]; then
      t=$(task_clock rsync -a -n --delete "$work/p/" "$work/f/")
    else
      t=$(task_clock "$program" manifest --level meta --hash-jobs 1 --instance "$work/p" --output /dev/null)
    fi
    runs[$program]="${runs[$program]:-}$t "
  done
done
echo "$(find "$work/p" -type f | wc -l) files per side; task-clock in ms, median of $repeat"
for program in "${programs[@]}"; do
  label="manifest --level meta --hash-jobs 1 ($program)"
  [ "$program" = rsync ] && label="rsync -a -n --delete (both sides)"
  printf '%-70s %10s   %s\n' "$label" "$(median "${runs[$program]}")" "${runs[$program]}"
done
