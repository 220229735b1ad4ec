#!/usr/bin/env bash
# Benchmark: two builds of cyrus-failover, A and B, on the same pair in alternating runs: did a
# change make verify faster? This machine's speed drifts by a third within minutes, so two
# builds timed one after the other, each in its own script run, compare the drift more than
# the builds. Here every round runs A then B (then the next level) back to back, and the
# answer is the median over the rounds of B / A within each round, for wall time and for CPU
# time (user + system).
#
#   BUILD_A=DIR BUILD_B=DIR bench/ab-bench.sh [USERS] [MESSAGES_PER_USER] [CHANGED_PER_MILLE]
#       default 400 x 500 = 200,000 messages; 10 per mille (1 %) added and as many removed
#       before the incremental runs
#
# BUILD_A and BUILD_B are release build directories (`swift build -c release --build-path DIR`
# of each commit; this script builds neither). Environment: LEVELS (default "meta incremental
# full"), ROUNDS (default 10), WARM (default 1: the page cache is dropped before each run only
# with WARM=0), BENCH_DIR, PAIR (as bench/incremental-bench.sh: the spools are kept there and
# each run changes them by another CHANGED_PER_MILLE), SCRUB (--scrub for incremental).
#
# For incremental, each build fills its own digest cache first (a build with another cache
# format would otherwise read everything), then the pair is changed and both caches are saved,
# and put back before every incremental run: both builds see the same change every round.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
source bench/common.sh
: "${BUILD_A:?BUILD_A: the release build directory of the first build}"
: "${BUILD_B:?BUILD_B: the release build directory of the second build}"
bin_a="$BUILD_A/release/cyrus-failover"
bin_b="$BUILD_B/release/cyrus-failover"
for bin in "$bin_a" "$bin_b"; do
  [ -x "$bin" ] || { echo "ab-bench: no $bin (swift build -c release --build-path …)" >&2; exit 2; }
done
users=${1:-400}
per_user=${2:-500}
per_mille=${3:-10}
rounds=${ROUNDS:-10}
levels=(${LEVELS:-meta incremental full})
work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/cyrus-failover-ab.XXXXXX")
trap 'rm -rf "$work"' EXIT
pair=${PAIR:-$work/pair}
mkdir -p "$pair"
[ -d "$pair/f" ] || make_pair "$pair"
sides=(--no-progress --primary "$pair/p" --failover "$pair/f")
scrub=(${SCRUB:+--scrub "$SCRUB"})

if [[ " ${levels[*]} " == *" incremental "* ]]; then
  # Files changed less than 2 s before a walk are not cached (racily clean): let the pair settle.
  sleep 3
  for build in a b; do
    bin_var=bin_$build
    mkdir -m 700 "$work/cache-$build"
    "${!bin_var}" verify --level incremental --cache "$work/cache-$build" "${scrub[@]}" \
      "${sides[@]}" >/dev/null || [ $? -le 1 ]
  done
  changed=$((users * per_user * per_mille / 1000))
  python3 bench/mutate-spool.py "$pair/p" "$changed" "$changed"
  python3 bench/mutate-spool.py "$pair/f" "$changed" "$changed"
  sleep 3
  for build in a b; do mv "$work/cache-$build" "$work/cache-$build.saved"; done
fi

echo "pair: $(find "$pair/p" -type f | wc -l) files a side; $(nproc) cores; $rounds rounds;" \
  "page cache $([ "${WARM:-1}" = 1 ] && echo warm || echo dropped before each run)"
echo "A: $BUILD_A"
echo "B: $BUILD_B"

# One run of verify at LEVEL with BUILD (a or b): prints its wall and CPU seconds. The command
# exits 0 (consistent) or 1 (differences, as after the change); 2, an error, ends the script.
run() {
  local level=$1 build=$2 bin_var=bin_$2
  local args=(verify --level "$level")
  if [ "$level" = incremental ]; then
    rm -rf "$work/cache-$build"
    cp -a "$work/cache-$build.saved" "$work/cache-$build"
    args+=(--cache "$work/cache-$build" "${scrub[@]}")
  fi
  sync
  [ "${WARM:-1}" = 1 ] || echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true
  /usr/bin/time -f "%e %U %S" -o "$work/time" "${!bin_var}" "${args[@]}" "${sides[@]}" \
    >/dev/null 2>"$work/err" || [ $? -le 1 ] || { cat "$work/err" >&2; exit 2; }
  tail -1 "$work/time" | awk '{printf "%s %.2f\n", $1, $2 + $3}'
}

: >"$work/runs"
for round in $(seq "$rounds"); do
  echo "round $round of $rounds" >&2
  for level in "${levels[@]}"; do
    for build in a b; do
      printf '%s %s %s ' "$round" "$level" "$build" >>"$work/runs"
      run "$level" "$build" >>"$work/runs"
    done
  done
done

python3 - "$work/runs" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    round_, level, build, wall, cpu = line.split()
    runs.setdefault(level, {}).setdefault(int(round_), {})[build] = (float(wall), float(cpu))
print(f"{'level':12} {'A wall':>8} {'B wall':>8} {'A cpu':>8} {'B cpu':>8}   B / A in each round, median (wall, cpu)")
for level, by_round in runs.items():
    rounds = sorted(by_round)
    def med(build, field):
        return statistics.median(by_round[r][build][field] for r in rounds)
    # Times are in hundredths of a second: a tiny pair's 0.00 is counted as 0.01.
    wall = [max(by_round[r]["b"][0], 0.01) / max(by_round[r]["a"][0], 0.01) for r in rounds]
    cpu = [max(by_round[r]["b"][1], 0.01) / max(by_round[r]["a"][1], 0.01) for r in rounds]
    print(f"{level:12} {med('a', 0):7.2f}s {med('b', 0):7.2f}s {med('a', 1):7.2f}s {med('b', 1):7.2f}s"
          f"   {statistics.median(wall):.3f}, {statistics.median(cpu):.3f}"
          f"  (wall per round {min(wall):.2f}-{max(wall):.2f})")
PY
