#!/usr/bin/env python3
"""Give a corpus tarball's members owner and group *names*, so that extraction maps them.

A tarball packed with `tar --numeric-owner` stores only numbers: extracted on another machine,
its files belong to whoever has that number there (issue 9: `cyrus` is 104 on one machine, 103 on
the next, and 104 is `sshd`). With names stored, GNU tar running as root gives each file the
*local* uid and gid of its name, whatever their numbers.

Usage: corpus-owner-names.py IN.tar.gz OUT.tar.gz UID=NAME... [--group GID=NAME...]
Only uname/gname change: every other header field (numbers, modes, mtimes, link targets, hard
links) and every byte of content are copied as they are. make-corpus.sh now packs with names
itself; this script converted the tarball made before it did (104=cyrus, 0=root; 8=mail, 0=root).
"""
import gzip
import sys
import tarfile


def parse(pairs):
    out = {}
    for pair in pairs:
        number, _, name = pair.partition("=")
        if not number.isdigit() or not name:
            sys.exit(f"corpus-owner-names: expected NUMBER=NAME, got {pair!r}")
        out[int(number)] = name
    return out


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    source, target = argv[1], argv[2]
    rest = argv[3:]
    split = rest.index("--group") if "--group" in rest else len(rest)
    users, groups = parse(rest[:split]), parse(rest[split + 1:])
    with tarfile.open(source, "r:gz") as tin:
        members = tin.getmembers()
        unknown = sorted({m.uid for m in members} - users.keys()) + sorted(
            {m.gid for m in members} - groups.keys())
        if unknown:
            sys.exit(f"corpus-owner-names: no name given for ids {unknown}")
        # gzip -n: no name or timestamp in the gzip header, as make-corpus.sh packs.
        with open(target, "wb") as raw, gzip.GzipFile(
                fileobj=raw, mode="wb", compresslevel=9, mtime=0, filename="") as zipped:
            with tarfile.open(fileobj=zipped, mode="w", format=tarfile.GNU_FORMAT) as tout:
                for member in members:
                    member.uname = users[member.uid]
                    member.gname = groups[member.gid]
                    data = tin.extractfile(member) if member.isreg() else None
                    tout.addfile(member, data)


if __name__ == "__main__":
    main(sys.argv)
