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

swift build --package-path "$here" -c release --product "fuzz-$target" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing -Xswiftc -use-ld=lld \
  2>&1 | grep -v '^\[' || true
binary="$here/.build/release/fuzz-$target"
[[ -x "$binary" ]] || { echo "build of fuzz-$target failed" >&2; exit 2; }

# -rss_limit_mb: the issue's bound on peak memory (64 MiB) plus the sanitizer's own overhead.
exec "$binary" "$work/$target/corpus" "$work/$target/seeds" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=512 -max_len=262144 \
  -artifact_prefix="$work/$target/artifacts/" -print_final_stats=1 "$@"
