"""start, stop, status and pid of an instance's master: the service commands a sync calls.

Exit statuses follow LSB's init-script status codes: `status` is 0 running, 1 not running
but something is left (a stale pidfile or processes of the instance without their master),
3 stopped, 4 unknown (not an instance root). `start` and `stop` exit 0 when the instance ends
up running (stopped), also when it already was; 1 when it could not get there (the reason on
standard error); 2 on a usage or environment error. A generated Cyrus 2.2 root (`create-22`)
has no server: its start and stop are no-ops that exit 0, its status is 3.
"""

import os
import signal
import socket
import subprocess
import sys
import time

from . import InstanceError, actions, layout, processes

RUNNING, LEFTOVERS, STOPPED = 0, 1, 3
DEFAULT_RETRY = "QUIT/30/TERM/10/KILL/5"  # Debian's init script (start-stop-daemon --retry)


def log(message):
    print(f"cyrus-instance: {message}", file=sys.stderr)


def master_pid(instance):
    """The live master named by the pidfile, or None."""
    try:
        with open(instance.pidfile) as handle:
            pid = int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pid if processes.is_master(pid, instance.imapd_conf) else None


def instance_processes(instance, master=None):
    directories = [instance.area("config"), instance.runtime]
    return processes.instance_processes(
        instance.imapd_conf, master, directories, layout.CYRUS_BIN
    )


def status(instance):
    """(code, text) for `status`."""
    if instance.kind == layout.KIND_22:
        return STOPPED, "stopped (a generated Cyrus 2.2 root has no server)"
    master = master_pid(instance)
    if master:
        return RUNNING, f"running (master pid {master})"
    left = instance_processes(instance)
    if left:
        return LEFTOVERS, f"master not running, processes of the instance remain: {left}"
    if os.path.exists(instance.pidfile):
        return LEFTOVERS, f"master not running, stale pidfile {instance.pidfile}"
    return STOPPED, "stopped"


def greeting(port, prefix, timeout=2.0):
    """The first line a server sends on 127.0.0.1:PORT, if it starts with PREFIX."""
    try:
        with socket.create_connection((layout.HOST, port), timeout=timeout) as connection:
            line = connection.makefile("rb").readline()
    except OSError:
        return None
    return line if line.startswith(prefix) else None


def log_tail(instance, lines=20):
    try:
        with open(instance.master_log, errors="replace") as handle:
            return "".join(handle.readlines()[-lines:]).strip() or "(empty)"
    except OSError:
        return "(no log)"


def check_ports_free(instance):
    for service, port in sorted(instance.ports.items()):
        holders = processes.listeners(port)
        if holders:
            raise InstanceError(
                f"{service} port {port} is taken (listening: pid {holders}); "
                "`create --force` picks new ports",
                status=1,
            )


def start(instance, timeout):
    """Starts master in daemon mode and waits until it serves IMAP, LMTP and ManageSieve on
    its own sockets (a greeting on the port alone could come from another instance)."""
    if instance.kind == layout.KIND_22:
        log(f"{instance.root}: a generated Cyrus 2.2 root, nothing to start")
        return 0
    code, text = status(instance)
    if code == RUNNING:
        log(f"{instance.root}: already {text}")
        return 0
    if code == LEFTOVERS and instance_processes(instance):
        raise InstanceError(f"{instance.root}: {text}; run `stop` first", status=1)
    if os.geteuid() != 0:
        raise InstanceError("start must run as root (master binds as root, runs as cyrus)")
    check_ports_free(instance)
    if os.path.exists(instance.pidfile):
        os.unlink(instance.pidfile)
    with open(instance.master_log, "ab") as log_file:
        # -d: master forks and its first process exits at once. Its own standard streams go to
        # the log, never to our caller's pipes (a test reading our output to the end would
        # wait for master's exit); a session of its own, so that no terminal signal reaches it.
        launcher = subprocess.run(
            [layout.MASTER, "-C", instance.imapd_conf, "-M", instance.cyrus_conf,
             "-p", instance.pidfile, "-d"],
            stdin=subprocess.DEVNULL, stdout=log_file, stderr=log_file,
            start_new_session=True, close_fds=True, cwd="/",
            env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C", "TZ": "UTC"},
            timeout=timeout,
        )
    if launcher.returncode != 0:
        raise InstanceError(
            f"master exited {launcher.returncode}; {instance.master_log}:\n{log_tail(instance)}",
            status=1,
        )
    deadline = time.monotonic() + timeout
    waiting = "pidfile"
    while time.monotonic() < deadline:
        master = master_pid(instance)
        if master:
            waiting = ready(instance, master)
            if waiting is None:
                log(f"{instance.root}: running (master pid {master}, ports {instance.ports})")
                return 0
        elif waiting != "pidfile":
            break  # master was there and is gone
        time.sleep(0.05)
    raise InstanceError(
        f"{instance.root}: master did not serve within {timeout}s (waiting for {waiting}); "
        f"{instance.master_log}:\n{log_tail(instance)}",
        status=1,
    )


def ready(instance, master):
    """None when every service answers on a socket master holds; else what is missing."""
    for service, prefix in (("imap", b"* OK"), ("lmtp", b"220"), ("sieve", b'"IMPLEMENTATION"')):
        port = instance.ports[service]
        if not processes.holds_socket(master, processes.listening_inodes(port)):
            return f"{service} socket on port {port}"
        if greeting(port, prefix) is None:
            return f"{service} greeting on port {port}"
    return None


def parse_retry(text):
    """`QUIT/30/TERM/10/KILL/5` into [(signal, seconds)]."""
    parts = text.split("/")
    if len(parts) % 2:
        raise InstanceError(f"--retry {text}: signal/seconds pairs expected")
    schedule = []
    for name, seconds in zip(parts[::2], parts[1::2]):
        try:
            schedule.append((signal.Signals["SIG" + name.upper()], float(seconds)))
        except (KeyError, ValueError):
            raise InstanceError(f"--retry {text}: bad pair {name}/{seconds}")
    return schedule


def stop(instance, retry):
    """Signals master along the schedule (graceful QUIT first, as Debian's init script) until
    master and every process of the instance have exited; removes the pidfile master leaves
    (it runs as cyrus by then and cannot delete a file in root's run/)."""
    if instance.kind == layout.KIND_22:
        log(f"{instance.root}: a generated Cyrus 2.2 root, nothing to stop")
        return 0
    schedule = parse_retry(retry)
    master = master_pid(instance)
    left = instance_processes(instance, master)
    if not master and not left:
        remove_pidfile(instance)
        log(f"{instance.root}: not running")
        return 0
    if os.geteuid() != 0:
        raise InstanceError("stop must run as root (master and its services run as cyrus)")
    started = time.monotonic()
    for number, seconds in schedule:
        targets = [master] if master and processes.alive(master) else left
        if number == signal.SIGKILL:
            targets = left  # a KILL reaches every straggler, not only master
        for pid in targets:
            try:
                os.kill(pid, number)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + seconds
        while True:
            left = instance_processes(instance, master)
            if not left or time.monotonic() >= deadline:
                break
            time.sleep(0.05)
        if not left:
            remove_pidfile(instance)
            log(f"{instance.root}: stopped in {time.monotonic() - started:.2f}s "
                f"({number.name} was the last signal)")
            return 0
    raise InstanceError(
        f"{instance.root}: processes of the instance remain after {retry}: {left}", status=1
    )


def remove_pidfile(instance):
    try:
        os.unlink(instance.pidfile)
    except FileNotFoundError:
        pass


def make_inboxes(instance, timeout):
    """Starts a new instance once to CREATE every user's INBOX as the admin, and stops it.
    Debian's autocreate_quota: 0 would create an INBOX at the user's first login, but lmtpd
    refuses mail for a user without one (autocreate_post is off), and a state read must not
    create mailboxes: so every user has an INBOX from the start."""
    start(instance, timeout)
    try:
        actions.run(instance, instance.admin,
                    [["create", f"user.{user}"] for user in instance.users])
    finally:
        stop(instance, DEFAULT_RETRY)


def spawn_watcher(instance, script, owner):
    """A detached `watch` process that stops the instance when process OWNER ends (a test
    that crashed before its clean-up could stop master), and ends itself when master does."""
    subprocess.Popen(
        [sys.executable, script, "watch", instance.root, "--owner", str(owner),
         "--owner-start", str(processes.start_time(owner)),
         "--master", str(master_pid(instance))],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True, close_fds=True, cwd="/",
    )


def watch(instance, owner, owner_start, master, interval=0.5):
    """The loop of `watch`: returns once master is gone, stopping it first if OWNER is."""
    while processes.is_master(master, instance.imapd_conf):
        if processes.start_time(owner) != owner_start:
            log(f"{instance.root}: process {owner} is gone; stopping the instance")
            return stop(instance, "TERM/10/KILL/5")
        time.sleep(interval)
    return 0
