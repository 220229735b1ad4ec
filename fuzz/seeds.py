#!/usr/bin/env python3
"""seeds.py TARGET OUT: write the seed inputs of one fuzz target into OUT.

Seeds come from corpora/ (the single cyrusdb files, the example pair in example.tar.gz, read
in place with tarfile), from scripts/make-corpus-22.py's Cyrus 2.2 instance (made once into
fuzz/.work/corpus22), from corpora/damaged/ (every input that ever crashed a target), and for
the remote targets from a saved manifest of the example primary (fuzz/.work/example.cfm, made
by run.sh with the debug build of the tool when it is there). Targets whose first input byte
picks a variant get each seed once per variant.
"""
import hashlib
import os
import pathlib
import struct
import sys
import tarfile

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent
CORPORA = REPO / "corpora"
WORK = HERE / ".work"

VARIANTS = {"skiplist": 2, "flat": 2, "mailbox-entry": 2, "dump-text": 5, "cyrus-index": 2,
            "subscriptions": 2}


# The two files the remote-frames target offers (fuzz-remote-frames/main.swift), so that a seed
# can answer "the one offered" (protocol 7) with digests that match.
OFFERED_DATABASE = b"fuzz: the offered mailboxes.db"
OFFERED_DUMP = b"fuzz: the offered mailboxlist.txt"


def varint(value):
    out = b""
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out += bytes([byte | 0x80])
        else:
            return out + bytes([byte])


def field(data):
    return varint(len(data)) + data


def frame(kind, payload):
    return struct.pack(">I", len(payload)) + bytes([kind]) + payload


def offered_frames():
    """An `open` that offers both files, then a `mailboxFiles` that answers both as offered."""
    def digest(data):
        return varint(len(data)) + hashlib.sha256(data).digest()
    open_payload = (field(b"/etc/imapd.conf") + b"\0" + b"\0" + b"\0" + varint(0) + b"\0"
                    + varint(10) + b"\1" + digest(OFFERED_DATABASE) + b"\1" + digest(OFFERED_DUMP))
    files_payload = (field(b"/var/lib/cyrus/mailboxes.db") + b"\3" + digest(OFFERED_DATABASE)
                     + field(b"/var/lib/cyrus/mailboxlist.txt") + b"\3" + digest(OFFERED_DUMP)
                     + b"\0\1" + field(b"DELETED"))
    # Two groups of segments (protocol 7), the second's key a prefix shared with the first's.
    groups = (frame(0x0B, b"\1" + field(b"partition-default") + varint(0) + field(b"user/anna")
                    + varint(3) + varint(120) + hashlib.sha256(b"a").digest())
              + frame(0x0B, b"\0" + varint(5) + field(b"bert") + varint(1) + varint(7)
                      + hashlib.sha256(b"b").digest()))
    return frame(0x02, open_payload) + frame(0x09, files_payload) + groups


def example_members():
    """(name, bytes) of every regular file in the example pair."""
    with tarfile.open(CORPORA / "example.tar.gz") as tar:
        for member in tar.getmembers():
            if member.isfile():
                yield member.name, tar.extractfile(member).read()


def corpus22_files():
    root = WORK / "corpus22"
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                yield str(path.relative_to(root)), path.read_bytes()


def all_files():
    yield from ((p.name, p.read_bytes()) for p in sorted((CORPORA / "cyrusdb").iterdir()))
    yield from example_members()
    yield from corpus22_files()


def magic(data, kind):
    return {"skiplist": data[4:17] == b"skiplist file", "twoskip": data[4:16] == b"twoskip file"}[kind]


def show_lines():
    """key TAB value lines of the cyrusdb show files."""
    for path in sorted((CORPORA / "cyrusdb").glob("*.show.txt")):
        for line in path.read_bytes().splitlines():
            if b"\t" in line:
                yield path.name, line


def seeds(target):
    files = list(all_files())
    if target == "imapd-conf":
        return [d for n, d in files if n.endswith("imapd.conf")]
    if target in ("skiplist", "twoskip"):
        return [d for n, d in files if magic(d, target)]
    if target == "flat":
        return [d for n, d in files if n.endswith(".sub") or n.endswith("flat.db")]
    if target == "subscriptions":
        return [d for n, d in files if n.endswith(".sub") or n.endswith("sub.flat.db")]
    if target == "dlist":
        return [l.split(b"\t", 1)[1] for n, l in show_lines() if b"%(" in l]
    if target == "mailbox-entry":
        return [l for n, l in show_lines() if n.startswith("mailboxes")]
    if target == "dump-text":
        return [d for n, d in files if n.endswith("mailboxlist.txt") and not d.startswith(b"{")]
    if target == "dump-json":
        return [d for n, d in files if n.endswith("mailboxlist.txt") and d.startswith(b"{")]
    if target == "cyrus-header":
        return [d for n, d in files if n.endswith("cyrus.header")]
    if target == "cyrus-index":
        return [d for n, d in files if n.endswith("cyrus.index") or n.endswith("cyrus.expunge")]
    if target == "seen":
        return [l.split(b"\t", 1)[1] for n, l in show_lines() if ".seen." in n]
    if target == "quota":
        return [d for n, d in files if "quota" in n and len(d) < 4096 and b"\0" not in d]
    if target == "acl":
        return [b"anna\tlrswipkxtecdan\tanyone\tp\t", b"fred\tlrswipcda\t-bob\tr\t", b"cyrus\t0123\t"]
    if target == "entry-path":
        names = [n.split("/", 1)[-1].encode() for n, _ in files]
        return names[:2000]
    if target in ("remote-manifest", "remote-frames", "remote-entries"):
        manifest = WORK / "example.cfm"
        if not manifest.is_file():
            return []
        data = manifest.read_bytes()
        if target == "remote-manifest":
            return [data]
        frames = data[len(b"CYFOMAN\n"):]
        if target == "remote-frames":
            return [frames, offered_frames()]
        return [frames[i:i + 4096] for i in range(0, min(len(frames), 65536), 4096)]
    if target == "berkeley-stream":
        out = b""
        for _, line in list(show_lines())[:50]:
            key, value = line.split(b"\t", 1)
            out += b"R" + struct.pack(">II", len(key), len(value)) + key + value
        return [out + b"E" + struct.pack(">Q", 50)]
    raise SystemExit(f"unknown target {target}")


def main():
    target, out = sys.argv[1], pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    found = seeds(target)
    damaged = CORPORA / "damaged" / target
    if damaged.is_dir():
        found += [p.read_bytes() for p in sorted(damaged.iterdir()) if p.is_file()]
    count = VARIANTS.get(target, 1)
    written = 0
    for data in found:
        for choice in range(count):
            seed = (bytes([choice]) if count > 1 else b"") + data
            (out / hashlib.sha1(seed).hexdigest()).write_bytes(seed)
            written += 1
    print(f"{target}: {written} seeds in {out}")


if __name__ == "__main__":
    main()
