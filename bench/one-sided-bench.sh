#!/usr/bin/env bash
# Benchmark for issue 13's last condition: a subtree only one side has (a stale directory of a
# million files left on the failover, or one the failover lacks) must cost a remote verify no
# more memory than a local one. Before a15fb84 the pairing queued such a subtree whole whenever
# a side was remote (479 MB against 26 MB locally for 1M files).
#
#   bench/one-sided-bench.sh [FILES] [USERS] [MESSAGES_PER_USER]
#       default 1,000,000 files in the one-sided subtree (1,000 directories of 1,000 empty
#       files), beside a consistent pair of 20 x 50 messages
#
# Measures peak RSS (GNU time's %M) of `verify --level meta` with the subtree on the failover
# and then on the primary, each with both sides local and with the failover over ssh on
# 127.0.0.1 (a throwaway sshd, as in bench/remote-bench.sh); over ssh also the agent's own peak,
# through a wrapper given as --remote-command. Every run must end with exit 1 (the subtree is a
# difference) and the same finding counts locally and over ssh.
# Environment: BENCH_DIR, BUILD_PATH as for the other bench scripts. Run as root (sshd).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
files=${1:-1000000}
bench_setup one-sided-bench 20 "${2:-20}" "${3:-50}"
cleanup_on_exit

start_sshd
# The agent's peak RSS, written where this script reads it after each run.
agent_wrapper

make_pair "$work"
# The one-sided subtree, made once and moved between the sides: "stale" sorts before "uuid",
# so the other side has to pass all of it before its own next entry.
echo "making $files files in the one-sided subtree" >&2
python3 - "$work/stale" "$files" <<'PY'
import os, sys
root, files = sys.argv[1], int(sys.argv[2])
per_dir = 1000
for start in range(0, files, per_dir):
    directory = f"{root}/d{start // per_dir:06d}"
    os.makedirs(directory)
    for n in range(start, min(start + per_dir, files)):
        os.close(os.open(f"{directory}/m{n:07d}", os.O_CREAT | os.O_WRONLY, 0o600))
PY
spool=var/spool/cyrus/mail
echo "pair: $(find "$work/p" -type f | wc -l) files per side; one-sided subtree: $files files"

rss() { awk '{v = $1} END {print v}' "$1"; }
run() {
  local label=$1 side=$2 where=$3
  shift 3
  local status=0 agent="-"
  rm -f "$work/agent.rss"
  /usr/bin/time -o "$work/verify.rss" -f %M "$bin" verify --level meta --no-progress \
    --primary "$work/p" "$@" >"$work/out" 2>"$work/err" || status=$?
  if [ "$status" -ne 1 ]; then
    echo "$label: exit $status, expected 1 (differences found)" >&2
    tail -5 "$work/err" >&2
    exit 2
  fi
  [ -f "$work/agent.rss" ] && agent="$(($(rss "$work/agent.rss") / 1024))"
  local summary
  summary=$(grep -h "cyrus-failover verify:" "$work/out" | head -1)
  printf '| %s | %s | %s | %s | %s | %s |\n' "$side" "$where" \
    "$(($(rss "$work/verify.rss") / 1024))" "$agent" "$(grep -c . "$work/out")" "$summary"
}

echo
echo "| subtree on | failover | verify peak RSS MiB | agent peak RSS MiB | output lines | summary |"
echo "|---|---|---:|---:|---:|---|"
mv "$work/stale" "$work/f/$spool/stale"
run "failover, local" failover local --failover "$work/f"
run "failover, ssh" failover "over ssh" --failover "127.0.0.1:$work/f" --ssh "$ssh_cmd" --remote-command "$work/agent"
mv "$work/f/$spool/stale" "$work/p/$spool/stale"
run "primary, local" primary local --failover "$work/f"
run "primary, ssh" primary "over ssh" --failover "127.0.0.1:$work/f" --ssh "$ssh_cmd" --remote-command "$work/agent"
