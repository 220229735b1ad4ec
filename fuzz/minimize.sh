#!/usr/bin/env bash
# fuzz/minimize.sh TARGET ARTIFACT "what broke": minimize a crash (or hang) that fuzz/run.sh
# left in fuzz/.work/TARGET/artifacts/, keep it in corpora/damaged/TARGET/ named by its SHA-1,
# and log it in corpora/damaged/LOG.md. Run after building TARGET with fuzz/run.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="$1"
artifact="$2"
what="${3:-crash}"
binary="$here/.build/release/fuzz-$target"
[[ -x "$binary" ]] || { echo "build it first: fuzz/run.sh $target 1" >&2; exit 2; }
small="$here/.work/$target/minimized"
"$binary" -minimize_crash=1 -max_total_time=120 -timeout=10 -exact_artifact_path="$small" \
  "$artifact" || true
[[ -s "$small" ]] || cp "$artifact" "$small"
keep="$here/../corpora/damaged/$target"
mkdir -p "$keep"
name="$(sha1sum "$small" | cut -c1-40)"
cp "$small" "$keep/$name"
printf '| %s | %s | %s | %s | (fill in) |\n' "$target" "$name" "$(date -u +%F)" "$what" \
  >>"$here/../corpora/damaged/LOG.md"
echo "kept $keep/$name ($(stat -c %s "$keep/$name") bytes)"
