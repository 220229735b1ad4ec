#!/usr/bin/env bash
# Benchmark: what comparing file contents costs per file, by function, on a consistent pair of
# bench spools with the page cache warm (issue 14, part 3): read only; SHA-256 of both sides
# (what verify --level full does); XXH3-128 of both sides (rsync -c's xxh128); and reading both
# copies side by side with memcmp (the alternative when both sides are on one host). Then the
# tool's own cost of SHA-256 on one side: manifest --level full against --level meta, one
# hashing thread.
#
#   bench/hash-bench.sh [USERS] [MESSAGES_PER_USER]      default 400 x 500
#
# Environment: BENCH_DIR, BUILD_PATH, REPEAT (as the other scripts), PAIR (a directory whose p/
# and f/ are a consistent pair to use, made there when missing and kept). Needs cc, libssl-dev
# and libxxhash-dev (installed when missing, as root).
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
for package in gcc libssl-dev libxxhash-dev time; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; fi
source bench/common.sh
bench_setup hash 400 "${1:-}" "${2:-}"
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/hash-bench" bench/hash-bench.c -lcrypto -lxxhash
pair=${PAIR:-$work}
mkdir -p "$pair"
[ -d "$pair/f" ] || make_pair "$pair"
(cd "$pair/p" && find . -type f | sort) | awk -v p="$pair/p/" -v f="$pair/f/" '{print p $0 "\t" f $0}' >"$work/pairs"
files=$(wc -l <"$work/pairs")
bytes=$(du -sb "$pair/p" | cut -f1)
echo "pair: $files files, $bytes bytes per side; $(nproc) cores; page cache warm; $repeat rounds"
# Warm both sides' pages once.
"$work/hash-bench" read <"$work/pairs" >/dev/null
for round in $(seq "$repeat"); do
  for mode in read sha256 xxh3 compare; do "$work/hash-bench" "$mode" <"$work/pairs"; done
  for level in meta full; do
    /usr/bin/time -f "manifest --level $level --hash-jobs 1 (one side): %e s wall, %U s user, %S s system, %M KiB" \
      "$bin" manifest --level "$level" --hash-jobs 1 --instance "$pair/p" --output /dev/null 2>&1 | grep manifest
  done
done
