#!/usr/bin/env bash
# `cyrus-failover repair` on the bench pair (bench/make-spool.py) with DAMAGED scattered
# differences on the failover, against a full pass 2 (`rsync -aH --delete` of the whole pair)
# in the same run. Reports: what repair moved (bytes on the wire against the damaged files'
# size), how long the primary was stopped (from the procedure's JSON log) against the full
# pass 2, and the run's wall time and peak memory.
#
# Usage: bench/repair-bench.sh [USERS [MESSAGES_PER_USER [DAMAGED]]]
#   defaults 400 500 100: 200,000 messages, 100 differences.
# The damage (seeded, bench/damage-spool.py): message files with one byte changed (size and
# mtime kept: only content hashing finds them), message files deleted, stray files added, and
# one mailbox's cyrus.index changed (what Cyrus rewrites in place: copied in a stop).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
users=${1:-400}
per_user=${2:-500}
damaged=${3:-100}
bench_setup repair "$users" "$users" "$per_user"
make_pair "$work"
python3 bench/damage-spool.py "$work/f" "$damaged" > "$work/damage.json"
state="$work/service"
echo running > "$state"
log="$work/repair.jsonl"
/usr/bin/time -f "%e s wall, %M KiB peak" -o "$work/repair.time" \
  "$bin" repair --primary "$work/p" --failover "$work/f" \
  --primary-stop "sh -c 'echo stopped > $state'" \
  --primary-start "sh -c 'echo running > $state'" --primary-status "grep -q running $state" \
  --state-dir "$work/state" --lock "$work/lock" --log "$log" --execute --format json \
  > "$work/repair.json" 2> "$work/repair.err" || { tail -20 "$work/repair.err"; exit 1; }
# A full pass 2 of the whole (now equal) pair, as sync's second pass would run it.
full_start=$(date +%s.%N)
for area in var/lib/cyrus var/spool/cyrus/mail; do
  rsync -aH --delete --delete-after "$work/p/$area/" "$work/f/$area/"
done
full_end=$(date +%s.%N)
python3 - "$log" "$work/repair.json" "$work/damage.json" "$full_start" "$full_end" \
  "$work/repair.time" <<'PY'
import json, sys
log, report, damage, full_start, full_end, timing = sys.argv[1:]
events = [json.loads(line) for line in open(log)]
steps = {}
for e in events:
    if e["event"] in ("step-start", "step-end") and e.get("step"):
        steps.setdefault(e["step"], {})[e["event"]] = e["time"]
document = json.load(open(report))
damage = json.load(open(damage))
sent = moved = files = 0
for round in document["rounds"]:
    for step in round.get("steps", []):
        stats = step.get("rsync") or {}
        sent += stats.get("bytesSent", 0)
        moved += stats.get("transferredBytes", 0)
        files += stats.get("transferredFiles", 0)
full = float(full_end) - float(full_start)
print(f"damage: {damage['changed']} changed, {damage['deleted']} deleted, "
      f"{damage['stray']} stray files, {damage['indexes']} cyrus.index; "
      f"{damage['bytes']} bytes to copy")
print(f"repair rounds: {len(document['rounds'])}, verdict after: "
      f"{document['rounds'][-1].get('verdict')}, left: {len(document.get('remaining', []))} findings")
print(f"rsync moved {files} files, {moved} bytes; {sent} bytes sent "
      f"({sent / max(damage['bytes'], 1):.2f}x the damaged files)")
if "window.stop" in steps and "window.wait-running" in steps:
    stop = steps["window.wait-running"]["step-end"] - steps["window.stop"]["step-start"]
    print(f"primary stopped: {stop:.2f} s; full pass 2 (rsync -aH --delete, whole pair): "
          f"{full:.2f} s; ratio {stop / full:.3f}")
else:
    print(f"primary not stopped; full pass 2: {full:.2f} s")
print("repair:", open(timing).read().strip())
PY
rm -rf "$work"
