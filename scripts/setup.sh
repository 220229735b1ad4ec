#!/usr/bin/env bash
# Installs what cyrus-failover needs on Debian 12 (as root) and builds it.
# Debian packages: the real parts the tests use (libdb, rsync, OpenSSH, Cyrus 3.6; the SASL
# PLAIN mechanism and sasldb plugin by which test instances log their users in), and the
# packaging tools.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libdb-dev db5.3-util rsync openssh-client openssh-server cyrus-imapd cyrus-clients
  cyrus-admin sasl2-bin libsasl2-modules libsasl2-modules-db python3 libxml2 tar gzip
  # Packaging (packaging/build-deb.sh) and its tests: building and checking the .deb, a clean
  # Debian root to install it into, and what checks its man page, completions and systemd units.
  dpkg-dev binutils lintian mmdebstrap debian-archive-keyring systemd man-db zsh fish)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages: ${missing[*]} (run as root to install them)" >&2
    exit 2
  fi
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # Cyrus's postinst may try to start a service: there is none to start here, and the tests
  # start their own throwaway instances, so a failed start must not fail the install.
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || apt-get install -y -qq "${missing[@]}" >&2
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
  else
    echo "setup: no Swift 6 toolchain found (swift on PATH or /opt/swift/usr/bin)" >&2
    exit 2
  fi
fi
echo "setup: building ($(swift --version 2>&1 | head -1))" >&2
swift build -c "${BUILD_CONFIGURATION:-debug}" >&2
