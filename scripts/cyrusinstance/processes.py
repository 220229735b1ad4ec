"""Which processes belong to an instance, read from /proc (Linux).

A process belongs to the instance when it names the instance's imapd.conf in its arguments
(master and every service run with `-C ROOT/etc/imapd.conf`), when it descends from the
instance's master, or when it is a Cyrus program holding a file of the instance's config
directory or run/cyrus open (a service left behind by a killed master, whose title Cyrus may
have rewritten). Zombies do not count: an exited master waits as a zombie until init reaps it,
and kill(pid, 0) still succeeds on it.
"""

import os


def pids():
    for name in os.listdir("/proc"):
        if name.isdigit():
            yield int(name)


def stat_after_name(pid):
    """The fields of /proc/PID/stat after the command name (state first), or None when the
    process is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            text = handle.read()
    except OSError:
        return None
    return text[text.rfind(b")") + 2:].split()


def stat_fields(pid):
    """(state, ppid), or None when the process is gone."""
    fields = stat_after_name(pid)
    return None if fields is None else (fields[0].decode(), int(fields[1]))


def start_time(pid):
    """Field 22 of /proc/PID/stat (clock ticks after boot), to tell a pid given to another
    process from the one first seen; None when gone."""
    fields = stat_after_name(pid)
    return None if fields is None else int(fields[19])


def alive(pid):
    """Running, sleeping or stopped: neither gone nor a zombie."""
    fields = stat_fields(pid)
    return fields is not None and fields[0] not in ("Z", "X", "x")


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return [part.decode(errors="replace") for part in handle.read().split(b"\0") if part]
    except OSError:
        return []


def names_config(arguments, conf):
    return any(a == "-C" and b == conf for a, b in zip(arguments, arguments[1:]))


def is_master(pid, conf):
    """Whether PID is a live master started with this imapd.conf (a pidfile may name a pid
    that another program has since been given)."""
    arguments = cmdline(pid)
    return (
        alive(pid)
        and bool(arguments)
        and os.path.basename(arguments[0]) in ("cyrmaster", "master")
        and names_config(arguments, conf)
    )


def descends_from(pid, ancestor, parents):
    seen = set()
    while pid not in seen and pid > 1:
        seen.add(pid)
        pid = parents.get(pid, 0)
        if pid == ancestor:
            return True
    return False


def open_files(pid):
    """Targets of the process's file descriptors (paths, `socket:[inode]`, ...)."""
    try:
        names = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return
    for name in names:
        try:
            yield os.readlink(f"/proc/{pid}/fd/{name}")
        except OSError:
            continue


def holds_file_under(pid, directories):
    return any(
        target == d or target.startswith(d + "/")
        for target in open_files(pid) for d in directories
    )


def is_cyrus_program(pid, binaries):
    try:
        exe = os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return False
    return exe.startswith(binaries.rstrip("/") + "/")


def instance_processes(conf, master, directories, binaries):
    """Live pids of the instance (see the module's comment), sorted."""
    live, parents = [], {}
    for pid in pids():
        fields = stat_fields(pid)
        if fields is None or fields[0] in ("Z", "X", "x"):
            continue
        live.append(pid)
        parents[pid] = fields[1]
    found = []
    for pid in live:
        if pid == os.getpid():
            continue
        if (
            names_config(cmdline(pid), conf)
            or (master and (pid == master or descends_from(pid, master, parents)))
            or (is_cyrus_program(pid, binaries) and holds_file_under(pid, directories))
        ):
            found.append(pid)
    return sorted(found)


def listening_inodes(port, host_hex="0100007F"):
    """Inodes of TCP sockets listening on 127.0.0.1:PORT (or on every address)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as handle:
                next(handle)
                for line in handle:
                    fields = line.split()
                    address, state, inode = fields[1], fields[3], fields[9]
                    host, _, port_hex = address.partition(":")
                    if state == "0A" and int(port_hex, 16) == port:
                        if host in (host_hex, "00000000", "0" * 32):
                            inodes.add(inode)
        except OSError:
            continue
    return inodes


def holds_socket(pid, inodes):
    """Whether PID has one of these socket inodes open."""
    return any(
        target.startswith("socket:[") and target[8:-1] in inodes for target in open_files(pid)
    )


def listeners(port):
    """Pids holding a socket that listens on PORT (for an error message)."""
    inodes = listening_inodes(port)
    if not inodes:
        return []
    return sorted(pid for pid in pids() if holds_socket(pid, inodes))
