#!/usr/bin/env bash
# Benchmark for issue 13 (memory) and issue 14 (bytes on the wire): mailboxes.db and
# mailboxlist.txt at their limit, 1 GiB each (`MailboxFiles.sizeLimit`). Before issue 13 an
# agent's two files were held in memory whole (3.17 GB peak); they now go to an unnamed
# temporary file a 4 MiB chunk at a time, and since protocol 7 a file that is the same on both
# sides does not cross the wire at all.
#
#   bench/mailbox-files-bench.sh [MIB]      default 1024 (each file MIB mebibytes)
#
# On a small consistent pair (20 x 50 messages) the failover's two files are replaced by MIB of
# random bytes each; `verify --level meta` runs with the failover local and over ssh on
# 127.0.0.1 (a throwaway sshd; the agent's own peak through a wrapper). Then the same random
# files are given to the primary too, and the ssh run is repeated: the files are then the same
# on both sides. Shown per run: exit status (1: the random files are differences, or 2 if a
# side cannot be read), peak RSS of verify and of the agent (GNU time's %M), bytes received
# from the agent (--stats) and wall seconds.
# Environment: BENCH_DIR, BUILD_PATH as for the other bench scripts. Run as root (sshd).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
mib=${1:-1024}
bench_setup mailbox-files-bench 20 20 50
cleanup_on_exit

start_sshd
agent_wrapper
make_pair "$work"
config=var/lib/cyrus
echo "making two files of $mib MiB of random bytes" >&2
head -c "$((mib << 20))" /dev/urandom >"$work/big.db"
head -c "$((mib << 20))" /dev/urandom >"$work/big.txt"
cp "$work/big.db" "$work/f/$config/mailboxes.db"
cp "$work/big.txt" "$work/f/$config/mailboxlist.txt"

rss() { awk '{v = $1} END {print v}' "$1"; }
run() {
  local label=$1
  shift
  local status=0 agent="-" received="-"
  rm -f "$work/agent.rss"
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -o "$work/verify.rss" -f %M "$bin" verify --level meta --no-progress --stats \
    --primary "$work/p" "$@" >"$work/out" 2>"$work/err" || status=$?
  end=$(date +%s.%N)
  [ -f "$work/agent.rss" ] && agent="$(($(rss "$work/agent.rss") / 1024))"
  received=$(grep -o '[0-9]* bytes received' "$work/err" | head -1 | cut -d' ' -f1 || true)
  printf '| %s | %s | %s | %s | %s | %.1f |\n' "$label" "$status" \
    "$(($(rss "$work/verify.rss") / 1024))" "$agent" "${received:--}" "$(echo "$end - $start" | bc)"
}

echo "pair: $(find "$work/p" -type f | wc -l) files per side; mailboxes.db and mailboxlist.txt $mib MiB each ($(nproc) cores)"
echo
echo "| run | exit | verify peak RSS MiB | agent peak RSS MiB | bytes received | seconds |"
echo "|---|---:|---:|---:|---:|---:|"
remote=(--failover "127.0.0.1:$work/f" --ssh "$ssh_cmd" --remote-command "$work/agent")
run "failover's files random, local" --failover "$work/f"
run "failover's files random, over ssh" "${remote[@]}"
cp "$work/big.db" "$work/p/$config/mailboxes.db"
cp "$work/big.txt" "$work/p/$config/mailboxlist.txt"
run "same random files on both sides, over ssh" "${remote[@]}"
