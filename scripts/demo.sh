#!/usr/bin/env bash
# One command: set up, build, and verify the shipped example pair (corpora/example.tar.gz:
# a primary made by a real Cyrus 3.6 and a failover copied from it the way the Univention
# procedure does, with plain `rsync -a`), then repair the copy of it and verify again.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
work=corpora/work
rm -rf "$work" && mkdir -p "$work"
# -p: the pair's modes, mtimes and hard links are part of the example. Owners are extracted by
# name (cyrus, mail, root), so each file gets this machine's ids for them, whatever they are.
tar -xzpf corpora/example.tar.gz -C "$work" --same-owner
bin="$(swift build --show-bin-path)/cyrus-failover"
echo "+ cyrus-failover verify --primary $work/primary --failover $work/failover" >&2
status=0
"$bin" verify --primary "$work/primary" --failover "$work/failover" "$@" || status=$?
echo "demo: verify exit status $status (0 consistent, 1 differences found, 2 error)" >&2
# The example failover was made by the seed's procedure, so differences are expected (1); an
# error (2) ends the demo.
[ "$status" -le 1 ] || exit "$status"

# Then the half that acts, on this scratch copy: repair exactly what differs and verify again.
# The example's primary is not a running Cyrus: its service commands say so ("status" false),
# and the state, lock and log stay inside the work directory.
repair=(
  "$bin" repair --primary "$work/primary" --failover "$work/failover"
  --primary-stop true --primary-start true --primary-status false
  --state-dir "$work/state" --lock "$work/lock" --log "$work/repair.jsonl"
)
echo >&2
echo "+ cyrus-failover repair … (the plan; nothing is changed without --execute)" >&2
"${repair[@]}"
echo >&2
echo "+ cyrus-failover repair … --execute" >&2
status=0
"${repair[@]}" --execute || status=$?
echo "demo: repair exit status $status (0 consistent at the end, 1 differences left, 2 error)" >&2
exit "$status"
