#!/usr/bin/python3
"""A hostile peer for the tests of issue 13: run in place of `ssh` (`--ssh`), it ignores its
command line and speaks the agent protocol (docs/remote.md) on standard input and output the
way a compromised or broken agent could.

    hostile-agent.py SCENARIO [ARGUMENT]

Scenarios:
  one-sided N      a well-formed walk: area `partition-a` with N files, only on this side
  empty-chunks     announces a 16-byte mailboxes.db, then sends empty fileChunk frames forever
  group-lies       announces a group of two segments, and when it is opened sends members
                   that do not match its digest
  group-overfull   a group of two entries whose first member, once opened, claims three
  wrong-end        a walk of one directory whose `end` claims five segments
  flood-summaries  sends groups of segments without end and never a member or a detail
  long-paths       one segment of 4096 entries sharing a 60 KiB path prefix (small on the
                   wire, 240 MiB of paths decoded)
  big-detail       one segment whose detail is 2 MiB
  escapes          terminal escapes in its diagnostics, then an error frame with escapes and
                   a newline
  garbage          writes escapes instead of the agent's magic bytes
  hello-escapes    a hello with escapes in its tool version and another protocol version
  stderr-escapes   writes escapes to standard error and exits 255, as ssh does when it fails

The local side's areas are taken as `config` and `partition-default`; this side declares those
and `partition-a`.
"""

import hashlib
import struct
import sys

out = sys.stdout.buffer
inp = sys.stdin.buffer

ESCAPES = "\x1b[31mred\x1b[0m \x1b]0;owned\x07 \x9b2J"


def varint(value):
    result = bytearray()
    while value >= 0x80:
        result.append((value & 0x7F) | 0x80)
        value >>= 7
    result.append(value)
    return bytes(result)


def field(data):
    return varint(len(data)) + data


def string(text):
    return field(text.encode("utf-8"))


def frame(kind, payload):
    return struct.pack(">IB", len(payload), kind) + payload


HELLO, OPEN, OPENED, SUMMARY, ANSWER, DETAIL, END, ERROR, FILES, CHUNK, GROUP = range(1, 12)


def read_exact(count):
    data = b""
    while len(data) < count:
        more = inp.read(count - len(data))
        if not more:
            sys.exit(0)
        data += more
    return data


def read_frame():
    length, kind = struct.unpack(">IB", read_exact(5))
    return kind, read_exact(length)


def read_varint(data, position):
    value = 0
    shift = 0
    while True:
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if byte & 0x80 == 0:
            return value, position
        shift += 7


def send(*frames):
    for item in frames:
        out.write(item)
    out.flush()


def handshake(tool_version="0.0.0-hostile", version=None, diagnostics=()):
    """Magic, hello (the client's protocol version unless told), open, opened."""
    out.write(b"CYFOAGT\n")
    out.flush()
    read_exact(8)
    _, hello = read_frame()
    theirs, _ = read_varint(hello, 0)
    send(frame(HELLO, varint(version if version is not None else theirs) + string(tool_version)))
    if version is not None:
        return
    read_frame()  # open
    areas = [("config", "/x/config"), ("partition-a", "/x/a"), ("partition-default", "/x/spool")]
    payload = string("/x/imapd.conf") + b"\x00" + varint(len(areas))
    for name, path in areas:
        payload += string(name) + string(path)
    payload += varint(len(diagnostics)) + b"".join(string(text) for text in diagnostics)
    send(frame(OPENED, payload))


def mailbox_files(database_size=None):
    payload = string("/x/config/mailboxes.db")
    payload += b"\x00" if database_size is None else b"\x01" + varint(database_size)
    payload += string("/x/config/mailboxlist.txt") + b"\x00"
    payload += b"\x00\x00" + string("DELETED")
    return frame(FILES, payload)


def entry(path, kind, first, shared):
    """One entry as EntryEncoder writes it: a file of 1 byte, or a directory."""
    flags = 1 if first else 0
    data = varint(flags)
    if first:
        data += string("partition-a")
    data += varint(shared) + field(path[shared:])
    data += bytes([kind]) + varint(1 if kind == 1 else 0)
    data += varint(0o600) + varint(0) + varint(0) + varint(2 * 1_700_000_000) + varint(0)
    return data


class Summaries:
    """Writes summary frames (or, with GROUP, group frames: protocol 7), each path as a prefix
    shared with the previous one of the same kind."""

    def __init__(self, kind=SUMMARY):
        self.previous = None
        self.kind = kind

    def group(self, path, count, digest):
        """A group of the one segment `count`, `digest`."""
        return self.frame(path, count, hashlib.sha256(varint(count) + digest).digest(),
                          segments=1)

    def frame(self, path, count, digest, segments=None):
        if self.previous is None:
            payload = b"\x01" + string("partition-a")
            shared = 0
        else:
            payload = b"\x00"
            shared = 0
            while (shared < len(path) and shared < len(self.previous)
                   and path[shared] == self.previous[shared]):
                shared += 1
        payload += varint(shared) + field(path[shared:])
        if segments is not None:
            payload += varint(segments)
        payload += varint(count) + digest
        self.previous = path
        return frame(self.kind, payload)


class Segments:
    """The two summary streams of a walk (protocol 7): groups, and members of opened groups."""

    def __init__(self):
        self.groups = Summaries(GROUP)
        self.members = Summaries()


def segment(segments, entries_bytes, first_path, count):
    """Sends a group of one segment; when it is opened, the segment's summary; when that is
    asked for, the detail."""
    digest = hashlib.sha256(entries_bytes).digest()
    send(segments.groups.group(first_path, count, digest))
    kind, payload = read_frame()
    if kind != ANSWER or payload != b"\x02":
        return
    send(segments.members.frame(first_path, count, digest))
    kind, payload = read_frame()
    if kind == ANSWER and payload == b"\x01":
        send(frame(DETAIL, entries_bytes))


def one_sided(count):
    handshake()
    send(mailbox_files())
    summaries = Segments()
    segment(summaries, entry(b"", 2, True, 0), b"", 1)
    segments = 1
    index = 0
    while index < count:
        size = min(4096, count - index)
        data = bytearray()
        previous = b""
        for offset in range(size):
            path = b"f%07d" % (index + offset)
            shared = 0
            if offset > 0:
                while shared < len(path) and path[shared] == previous[shared]:
                    shared += 1
            data += entry(path, 1, offset == 0, shared)
            previous = path
        segment(summaries, bytes(data), b"f%07d" % index, size)
        segments += 1
        index += size
    send(frame(END, varint(segments) + varint(count + 1)))
    while True:
        read_frame()


def group_lies():
    """A group of two segments whose members, once it is opened, are not the ones announced."""
    handshake()
    send(mailbox_files())
    first, second, other = (hashlib.sha256(name).digest() for name in (b"a", b"b", b"c"))
    announced = hashlib.sha256(varint(1) + first + varint(1) + second).digest()
    send(Summaries(GROUP).frame(b"f0000000", 2, announced, segments=2))
    kind, payload = read_frame()
    if kind == ANSWER and payload == b"\x02":
        members = Summaries()
        send(members.frame(b"f0000000", 1, first), members.frame(b"f0000001", 1, other))
    while True:
        read_frame()


def group_overfull():
    """A group of two segments and two entries whose first member, once opened, claims three."""
    handshake()
    send(mailbox_files())
    first = hashlib.sha256(b"a").digest()
    send(Summaries(GROUP).frame(b"f0000000", 2, hashlib.sha256(b"g").digest(), segments=2))
    kind, payload = read_frame()
    if kind == ANSWER and payload == b"\x02":
        send(Summaries().frame(b"f0000000", 3, first))
    while True:
        read_frame()


def wrong_end():
    """A well-formed walk of one directory whose `end` claims five segments."""
    handshake()
    send(mailbox_files())
    segment(Segments(), entry(b"", 2, True, 0), b"", 1)
    send(frame(END, varint(5) + varint(1)))
    while True:
        read_frame()


def empty_chunks():
    handshake()
    send(mailbox_files(database_size=16))
    empty = frame(CHUNK, b"") * 4096
    while True:
        send(empty)


def flood_summaries():
    handshake()
    send(mailbox_files())
    groups = Summaries(GROUP)
    index = 0
    while True:
        path = b"f%07d" % index
        send(groups.group(path, 1, hashlib.sha256(path).digest()))
        index += 1


def long_paths():
    handshake()
    send(mailbox_files())
    prefix = b"d" * 60_000 + b"/"
    data = bytearray()
    for index in range(4096):
        path = prefix + b"f%04d" % index
        data += entry(path, 1, index == 0, 0 if index == 0 else len(prefix) + 1)
    segment(Segments(), bytes(data), prefix + b"f0000", 4096)
    while True:
        read_frame()


def big_detail():
    handshake()
    send(mailbox_files())
    first = entry(b"f0000000", 1, True, 0)
    data = first + b"\x00" * (2 << 20)
    segment(Segments(), data, b"f0000000", 1)
    while True:
        read_frame()


def escapes():
    handshake(diagnostics=["a diagnostic " + ESCAPES])
    send(mailbox_files())
    send(frame(ERROR, string("an error " + ESCAPES + "\nforged: CONSISTENT")))
    while True:
        read_frame()


def main():
    scenario = sys.argv[1]
    if scenario == "one-sided":
        one_sided(int(sys.argv[2]))
    elif scenario == "group-overfull":
        group_overfull()
    elif scenario == "wrong-end":
        wrong_end()
    elif scenario == "group-lies":
        group_lies()
    elif scenario == "empty-chunks":
        empty_chunks()
    elif scenario == "flood-summaries":
        flood_summaries()
    elif scenario == "long-paths":
        long_paths()
    elif scenario == "big-detail":
        big_detail()
    elif scenario == "escapes":
        escapes()
    elif scenario == "garbage":
        out.write(("Welcome " + ESCAPES + "\n").encode("utf-8"))
        out.flush()
        inp.read()
    elif scenario == "hello-escapes":
        handshake(tool_version="9.9 " + ESCAPES, version=99)
        inp.read()
    elif scenario == "stderr-escapes":
        sys.stderr.write("ssh: connect to host: " + ESCAPES + "\nforged: CONSISTENT\n")
        sys.exit(255)
    else:
        sys.exit("unknown scenario " + scenario)


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        sys.exit(0)
