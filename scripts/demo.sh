#!/usr/bin/env bash
# One command: set up, build, and verify the shipped example pair (corpora/example.tar.gz:
# a primary made by a real Cyrus 3.6 and a failover copied from it the way the Univention
# procedure does, with plain `rsync -a`).
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
echo "demo: exit status $status (0 consistent, 1 differences found, 2 error)" >&2
# The example failover was made by the seed's procedure, so differences are expected: the demo
# succeeds when the tool ran and reported them (1), and fails on an error (2).
[ "$status" -le 1 ]
