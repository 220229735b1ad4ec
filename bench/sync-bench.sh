#!/usr/bin/env bash
# The stopped window of `cyrus-failover sync --execute` against the seed's bare pass 2
# (`rsync -aH --delete` of the same change), on the bench pair (bench/make-spool.py).
#
# Usage: bench/sync-bench.sh [USERS [MESSAGES_PER_USER [ADDED [DELETED]]]]
#   defaults 400 500 2000 500: 200,000 messages, about 1 % added and 0.25 % deleted.
# Between the two passes the change is made by the primary's stop command (a wrapper: the
# change, its end time, then "stopped"); the window is measured from the end of the change
# (the stop proper) to the confirmed start, from the procedure's own JSON log. The bare pass 2
# copies the same change (the same seeded script) onto a second copy of the failover.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
users=${1:-400}
per_user=${2:-500}
added=${3:-2000}
deleted=${4:-500}
bench_setup sync "$users" "$users" "$per_user"
make_pair "$work"
rsync -aH "$work/f/" "$work/bare/"
rsync -aH "$work/p/" "$work/p-before/"
state="$work/service"
echo running > "$state"
cat > "$work/stop.sh" <<SCRIPT
#!/bin/sh
python3 bench/mutate-spool.py "$work/p" $added $deleted
date +%s.%N > "$work/change-ended"
echo stopped > "$state"
SCRIPT
chmod +x "$work/stop.sh"
log="$work/sync.jsonl"
/usr/bin/time -f "%e s wall, %M KiB peak" -o "$work/sync.time" \
  "$bin" sync --primary "$work/p" --failover "$work/f" --primary-stop "$work/stop.sh" \
  --primary-start "sh -c 'echo running > $state'" --primary-status "grep -q running $state" \
  --state-dir "$work/state" --lock "$work/lock" --log "$log" --execute --format json \
  > "$work/sync.json" 2> "$work/sync.err" || { tail -20 "$work/sync.err"; exit 1; }
# The same change on the bare copy's source side is already made (p is changed); the bare
# pass 2 copies it, area by area, as the seed's second pass does.
bare_start=$(date +%s.%N)
for area in var/lib/cyrus var/spool/cyrus/mail; do
  rsync -aH --delete --delete-after "$work/p/$area/" "$work/bare/$area/"
done
bare_end=$(date +%s.%N)
python3 - "$log" "$work/change-ended" "$bare_start" "$bare_end" "$work/sync.time" <<'PY'
import json, sys
log, changed, bare_start, bare_end, timing = sys.argv[1:]
change_end = float(open(changed).read())
events = [json.loads(line) for line in open(log)]
steps = {}
for e in events:
    if e["event"] in ("step-start", "step-end") and e.get("step"):
        steps.setdefault(e["step"], {})[e["event"]] = e["time"]
confirmed = steps["window.wait-running"]["step-end"]
window = confirmed - change_end
bare = float(bare_end) - float(bare_start)
print(f"window (stop → start confirmed, without the change): {window:.2f} s")
print(f"bare rsync -aH --delete pass 2 of the same change:    {bare:.2f} s")
print(f"ratio: {window / bare:.2f}x")
print("share of the window:")
order = ["window.wait-stopped", "window.dump", "pass2.config", "pass2.partition-default",
         "pass2.sieve", "window.manifest", "window.start", "window.wait-running"]
for step in order:
    if step in steps and "step-start" in steps[step] and "step-end" in steps[step]:
        took = steps[step]["step-end"] - steps[step]["step-start"]
        print(f"  {step:28s} {took:6.2f} s  {100 * took / window:5.1f} %")
print("sync:", open(timing).read().strip())
PY
rm -rf "$work"
