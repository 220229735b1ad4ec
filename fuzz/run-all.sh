#!/usr/bin/env bash
# fuzz/run-all.sh RUNS CAP_SECONDS [JOBS [TARGET[:RUNS]…]]: fuzz every target (or the TARGETs
# named) until it has executed RUNS inputs (libFuzzer's -runs; a TARGET:RUNS names its own, e.g.
# what it lacks of a campaign's total) or CAP_SECONDS have passed, JOBS targets
# at a time (default 2), slowest targets first so that the queue ends together. Each run resumes from fuzz/.work/TARGET/corpus
# and logs to fuzz/.work/TARGET/last.log. At the end a Markdown table goes to standard output:
# target, executions, seconds, executions a second, coverage (cov, ft), corpus size, peak RSS,
# outcome.
# A crash, hang or leak makes the outcome `FAILED` and the script exit 1; see fuzz/README.md.
# With FUZZ_MEMORY=1 (see run.sh) the runs are the memory pass, logged to last-memory.log.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export PATH="/opt/swift/usr/bin:$PATH"

if [[ $# -lt 2 ]]; then
  echo "usage: fuzz/run-all.sh RUNS CAP_SECONDS [JOBS [TARGET[:RUNS]…]]" >&2
  exit 2
fi
suffix=""
if [[ "${FUZZ_MEMORY:-0}" == 1 ]]; then suffix="-memory"; fi
runs="$1"
cap="$2"
jobs="${3:-2}"
shift $(($# < 3 ? $# : 3))

# Slowest first (measured executions a second, round 3 of 2026-12-04): the Remote decoders, then
# the database backends, then the small text parsers.
order=(remote-manifest remote-entries remote-frames berkeley-stream twoskip skiplist
  cyrus-index dump-json dump-text mailbox-entry imapd-conf flat dlist cyrus-header seen
  subscriptions quota entry-path acl)
listed="$(cut -f1 "$here/targets.txt" | sort)"
ordered="$(printf '%s\n' "${order[@]}" | sort)"
if [[ "$listed" != "$ordered" ]]; then
  echo "fuzz/run-all.sh: its order does not name exactly the targets of targets.txt" >&2
  exit 2
fi
for target in "${order[@]}"; do
  mkdir -p "$here/.work/$target"
  rm -f "$here/.work/$target/runs-wanted"
done
if [[ $# -gt 0 ]]; then
  chosen=()
  for target in "${order[@]}"; do
    for wanted in "$@"; do
      if [[ "${wanted%%:*}" == "$target" ]]; then
        chosen+=("$target")
        if [[ "$wanted" == *:* ]]; then
          own="${wanted#*:}"
          if ! [[ "$own" =~ ^[0-9]+$ ]]; then
            echo "fuzz/run-all.sh: not a number of runs: $wanted" >&2
            exit 2
          fi
          echo "$own" >"$here/.work/$target/runs-wanted"
        fi
      fi
    done
  done
  if [[ ${#chosen[@]} -ne $# ]]; then
    echo "fuzz/run-all.sh: not a target: $* (fuzz/run.sh list)" >&2
    exit 2
  fi
  order=("${chosen[@]}")
fi

# Build every target once, so that parallel runs do not wait on each other's build lock.
for target in "${order[@]}"; do
  "$here/run.sh" "$target" 0 -runs=0 >/dev/null 2>&1 || {
    echo "fuzz/run-all.sh: fuzz-$target does not build or replay its seeds (fuzz/run.sh $target 0 -runs=0)" >&2
    exit 2
  }
done

run_one() {
  local target="$1" log="$here/.work/$1/last$suffix.log" started ended status=0 wanted="$runs"
  if [[ -f "$here/.work/$1/runs-wanted" ]]; then wanted="$(cat "$here/.work/$1/runs-wanted")"; fi
  started=$(date +%s)
  "$here/run.sh" "$target" "$cap" -runs="$wanted" >"$log" 2>&1 || status=$?
  ended=$(date +%s)
  echo "$status $((ended - started))" >"$here/.work/$target/last$suffix.status"
}
export -f run_one
export here cap runs suffix
printf '%s\n' "${order[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one {}'

failed=0
echo "| target | executions | seconds | exec/s | cov | ft | corpus | peak RSS MiB | outcome |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
for target in "${order[@]}"; do
  log="$here/.work/$target/last$suffix.log"
  read -r status seconds <"$here/.work/$target/last$suffix.status"
  executions="$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | awk '{print $2}')"
  done_line="$(grep -E '^#[0-9]+\s+(DONE|INITED|pulse|NEW|REDUCE)' "$log" | tail -1)"
  cov="$(grep -o 'cov: [0-9]*' <<<"$done_line" | awk '{print $2}')"
  ft="$(grep -o 'ft: [0-9]*' <<<"$done_line" | awk '{print $2}')"
  corpus="$(find "$here/.work/$target/corpus" -type f | wc -l)"
  rate="$(grep -o 'exec/s: [0-9]*' "$log" | tail -1 | awk '{print $2}')"
  peak="$(grep -o 'peak_rss_mb: *[0-9]*' "$log" | awk '{print $2}')"
  if [[ "$status" == 0 ]]; then outcome=clean; else outcome="FAILED (exit $status, see $log)"; failed=1; fi
  echo "| $target | ${executions:-?} | $seconds | ${rate:-?} | ${cov:-?} | ${ft:-?} | $corpus | ${peak:-?} | $outcome |"
done
exit "$failed"
