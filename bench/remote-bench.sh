#!/usr/bin/env bash
# Benchmark for issue 5: the failover reached over SSH on loopback (a throwaway sshd, as in the
# tests), on a consistent pair of synthetic spools. Measures, in the same run:
#   bytes on the wire:  verify --stats (protocol bytes both ways) vs rsync --stats (bytes sent + received)
#   wall time:          verify --level meta vs rsync -a -n --delete
#                       verify --level full vs rsync -a -n -c --delete
#
#   bench/remote-bench.sh [USERS] [MESSAGES_PER_USER]     (default 400 x 500 = 200,000 messages)
#
# Run as root (sshd). The work directory is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
users=${1:-400}
per_user=${2:-500}
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
swift build -c release >&2
bin="$(swift build -c release --show-bin-path)/cyrus-failover"
# BENCH_DIR picks the file system (default /var/tmp; /dev/shm takes the disk out of the measure).
work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/cyrus-failover-remote-bench.XXXXXX")
sshd_pid=
cleanup() { [ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# A throwaway sshd on a free loopback port, keys only.
mkdir -p /run/sshd "$work/ssh"
ssh-keygen -q -t ed25519 -N "" -f "$work/ssh/host_key"
ssh-keygen -q -t ed25519 -N "" -f "$work/ssh/user_key"
cp "$work/ssh/user_key.pub" "$work/ssh/authorized_keys"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$work/ssh/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $work/ssh/host_key
AuthorizedKeysFile $work/ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
PidFile $work/ssh/sshd.pid
CONF
echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$work/ssh/host_key.pub")" > "$work/ssh/known_hosts"
/usr/sbin/sshd -D -e -f "$work/ssh/sshd_config" 2>"$work/ssh/sshd.log" &
sshd_pid=$!
sleep 1
ssh_cmd="ssh -F /dev/null -p $port -i $work/ssh/user_key -o IdentitiesOnly=yes -o UserKnownHostsFile=$work/ssh/known_hosts"

measure() {  # label, command...: prints "label  seconds"; keeps stdout and stderr in $work/out, $work/err
  local label=$1; shift
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  local start end
  start=$(date +%s.%N)
  "$@" >"$work/out" 2>"$work/err" || [ $? -le 1 ]
  end=$(date +%s.%N)
  printf '%-52s %8.2f s\n' "$label" "$(echo "$end - $start" | bc)"
}
rsync_bytes() { awk '/^Total bytes sent/ {gsub(",", "", $4); s=$4} /^Total bytes received/ {gsub(",", "", $4); r=$4} END {print s + r}' "$work/out"; }
verify_bytes() { awk '/bytes sent/ {s=$4; r=$7} END {print s + r}' "$work/err"; }

echo "generating $users x $per_user messages" >&2
python3 bench/make-spool.py "$work/p" "$users" "$per_user"
rsync -aH "$work/p/" "$work/f/"
files=$(find "$work/p" -type f | wc -l)
bytes=$(du -sb "$work/p" | cut -f1)
echo "pair: $files files per side, $bytes bytes per side ($(nproc) cores), failover over ssh on 127.0.0.1"
remote=(--failover "127.0.0.1:$work/f" --ssh "$ssh_cmd" --remote-command "$bin" --no-progress --stats)

measure "rsync -a -n --delete --stats (over ssh)" rsync -a -n --delete --stats -e "$ssh_cmd" "$work/p/" "127.0.0.1:$work/f/"
rsync_meta_bytes=$(rsync_bytes)
measure "cyrus-failover verify --level meta (over ssh)" "$bin" verify --level meta --primary "$work/p" "${remote[@]}"
meta_bytes=$(verify_bytes); grep -h "cyrus-failover verify:" "$work/out" || true
measure "rsync -a -n -c --delete --stats (over ssh)" rsync -a -n -c --delete --stats -e "$ssh_cmd" "$work/p/" "127.0.0.1:$work/f/"
rsync_full_bytes=$(rsync_bytes)
measure "cyrus-failover verify --level full (over ssh)" "$bin" verify --level full --primary "$work/p" "${remote[@]}"
full_bytes=$(verify_bytes); grep -h "cyrus-failover verify:" "$work/out" || true
echo "bytes on the wire: rsync -n $rsync_meta_bytes, rsync -n -c $rsync_full_bytes,"\
  "verify meta $meta_bytes, verify full $full_bytes"
