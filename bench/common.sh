# Shared by the bench/*-bench.sh scripts (sourced, not run): arguments, the release build, the
# table of commands, the consistent spool pair and medians.
#
#   bench_setup NAME DEFAULT_USERS "$@"   sets users, per_user, hash_jobs, repeat, bin, work
#                                         (a fresh directory under BENCH_DIR, default /var/tmp)
#   add LABEL COMMAND...                  one row of the table (labels[], commands[])
#   make_pair DIR                         DIR/p from bench/make-spool.py, DIR/f copied by rsync -aH
#   prepare_run I                         argv = command I; the page cache dropped where allowed
#                                         (never with WARM=1)
#   median "1.2 0.9 1.1"                  the median of the runs
#   percent A B                           100 * A / B, rounded
#   cleanup_on_exit                       at exit: the sshd of start_sshd stopped, $work removed
#   start_sshd [PREFIX...]                a throwaway sshd on 127.0.0.1 (sshd_pid, port, ssh_cmd)
#   agent_wrapper                         $work/agent: the agent under GNU time, its peak RSS
#                                         (KiB) in $work/agent.rss after each run

bench_setup() {
  local name=$1 default_users=$2
  shift 2
  users=${1:-$default_users}
  per_user=${2:-500}
  shift $(($# < 2 ? $# : 2))
  hash_jobs=("$@")
  [ ${#hash_jobs[@]} -eq 0 ] && hash_jobs=(1 2 4)
  repeat=${REPEAT:-3}
  [ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
  local build=(swift build -c release --build-path "${BUILD_PATH:-.build}")
  "${build[@]}" >&2
  bin="$("${build[@]}" --show-bin-path)/cyrus-failover"
  work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/cyrus-failover-$name.XXXXXX")
  labels=()
  commands=()
}

add() {
  labels+=("$1")
  shift
  local IFS=$'\x1f'
  commands+=("$*")
}

make_pair() {
  echo "generating $users x $per_user messages" >&2
  python3 bench/make-spool.py "$1/p" "$users" "$per_user"
  rsync -aH "$1/p/" "$1/f/"
}

prepare_run() {
  IFS=$'\x1f' read -r -a argv <<<"${commands[$1]}"
  [ "${WARM:-0}" = 1 ] && return
  sync
  echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true
}

median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

percent() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0f", 100 * a / b}'; }

# cleanup_on_exit: stops the sshd start_sshd started (if it did) and removes $work when the
# script exits, however it exits.
cleanup_on_exit() {
  sshd_pid=
  trap bench_cleanup EXIT
}
bench_cleanup() {
  [ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null
  rm -rf "$work"
}

# start_sshd [PREFIX...]: a throwaway sshd on a free loopback port of 127.0.0.1, keys only, its
# files in $work/ssh; PREFIX (e.g. taskset -c 1) runs in front of it. Sets sshd_pid (the
# caller's cleanup kills it), port, and ssh_cmd (the --ssh value that reaches it as root).
start_sshd() {
  mkdir -p /run/sshd "$work/ssh"
  ssh-keygen -q -t ed25519 -N "" -f "$work/ssh/host_key"
  ssh-keygen -q -t ed25519 -N "" -f "$work/ssh/user_key"
  cp "$work/ssh/user_key.pub" "$work/ssh/authorized_keys"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat >"$work/ssh/sshd_config" <<CONF
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
  echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$work/ssh/host_key.pub")" >"$work/ssh/known_hosts"
  "$@" /usr/sbin/sshd -D -e -f "$work/ssh/sshd_config" 2>"$work/ssh/sshd.log" &
  sshd_pid=$!
  sleep 1
  ssh_cmd="ssh -F /dev/null -p $port -i $work/ssh/user_key -o IdentitiesOnly=yes -o UserKnownHostsFile=$work/ssh/known_hosts"
}

# agent_wrapper: writes $work/agent, to give as --remote-command: runs $bin under GNU time, so
# that the agent's peak RSS (KiB) is in $work/agent.rss once the run is over.
agent_wrapper() {
  cat >"$work/agent" <<WRAP
#!/bin/sh
exec /usr/bin/time -o "$work/agent.rss" -f %M "$bin" "\$@"
WRAP
  chmod +x "$work/agent"
}
