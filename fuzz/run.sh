#!/usr/bin/env bash
# fuzz/run.sh TARGET SECONDS [libFuzzer options…]: build one libFuzzer target (release, address
# sanitizer) and run it for SECONDS on one core, starting from its seeds (fuzz/seeds.py) and
# what earlier runs found (fuzz/.work/TARGET/corpus). A crash, hang (-timeout) or leak stops the
# run; minimize it into corpora/damaged/TARGET/ with fuzz/minimize.sh and it is replayed by
# DamagedInputReplayTests forever after. `fuzz/run.sh list` names the targets.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export PATH="/opt/swift/usr/bin:$PATH"

if [[ "${1:-}" == "list" || $# -lt 2 ]]; then
  cut -f1,3 "$here/targets.txt"
  [[ "${1:-}" == "list" ]] && exit 0
  echo "usage: fuzz/run.sh TARGET SECONDS [libFuzzer options…]" >&2
  exit 2
fi
target="$1"
seconds="$2"
shift 2
grep -q "^$target	" "$here/targets.txt" || { echo "no target $target (fuzz/run.sh list)" >&2; exit 2; }

work="$here/.work"
mkdir -p "$work/$target/corpus" "$work/$target/artifacts"
if [[ ! -d "$work/corpus22" ]]; then
  python3 "$here/../scripts/make-corpus-22.py" "$work/corpus22" >/dev/null 2>&1 || rm -rf "$work/corpus22"
fi
case "$target" in
  remote-*)
    tool="$here/../.build/debug/cyrus-failover"
    if [[ ! -f "$work/example.cfm" && -x "$tool" ]]; then
      rm -rf "$work/example" && mkdir -p "$work/example"
      tar -xzpf "$here/../corpora/example.tar.gz" --same-owner -C "$work/example"
      "$tool" manifest --instance "$work/example/primary" --output "$work/example.cfm" >/dev/null
    fi
    ;;
esac
rm -rf "$work/$target/seeds"
python3 "$here/seeds.py" "$target" "$work/$target/seeds"

# FUZZ_MEMORY=1 builds without AddressSanitizer (into .build-memory) and holds the run to the
# issue's 64 MiB: AddressSanitizer's own memory (a 256 MiB quarantine of freed blocks and a
# depot of every allocation's stack, which grows with the paths the fuzzer finds) is no measure
# of ours. With AddressSanitizer the RSS limit is libFuzzer's 2 GiB, and any single allocation
# over 64 MiB is a finding (-malloc_limit_mb).
if [[ "${FUZZ_MEMORY:-0}" == 1 ]]; then
  build_path="$here/.build-memory"
  sanitizers=fuzzer
  limits=(-rss_limit_mb=64)
else
  build_path="$here/.build"
  sanitizers=fuzzer,address
  limits=(-rss_limit_mb=2048 -malloc_limit_mb=64)
fi
swift build --package-path "$here" --build-path "$build_path" -c release --product "fuzz-$target" \
  -Xswiftc -sanitize="$sanitizers" -Xswiftc -enable-testing -Xswiftc -use-ld=lld \
  2>&1 | grep -v '^\[' || true
binary="$build_path/release/fuzz-$target"
[[ -x "$binary" ]] || { echo "build of fuzz-$target failed" >&2; exit 2; }

exec "$binary" "$work/$target/corpus" "$work/$target/seeds" \
  -max_total_time="$seconds" -timeout=10 "${limits[@]}" -max_len=262144 \
  -artifact_prefix="$work/$target/artifacts/" -print_final_stats=1 "$@"
