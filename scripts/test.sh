#!/usr/bin/env bash
# One command: set up (Debian packages, build) and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
swift build --build-tests >&2
swift test --skip-build "$@"
