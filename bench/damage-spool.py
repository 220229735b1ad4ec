#!/usr/bin/env python3
"""Damages a bench failover (a copy of bench/make-spool.py's spool) in COUNT scattered places,
the kinds a repair meets: message files with one byte changed (size and mtime kept, so only
content hashing finds them), message files deleted, stray files added, and one mailbox's
cyrus.index with a byte changed. Deterministic (seeded). Prints JSON: the counts and the bytes
a repair must copy (the changed and deleted files, and the index).

Usage: damage-spool.py ROOT COUNT
"""
import json
import os
import random
import sys

root, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(11)
spool = f"{root}/var/spool/cyrus/mail/uuid"
boxes = sorted(
    os.path.join(spool, a, b, c)
    for a in os.listdir(spool) for b in os.listdir(f"{spool}/{a}") for c in os.listdir(f"{spool}/{a}/{b}"))
changed = count * 6 // 10
deleted = count * 3 // 10
stray = count - changed - deleted - 1
chosen = set()
def pick():
    while True:
        box = boxes[rng.randrange(len(boxes))]
        names = sorted(n for n in os.listdir(box) if n.endswith(".") and n[:-1].isdigit())
        path = f"{box}/{names[rng.randrange(len(names))]}"
        if path not in chosen:
            chosen.add(path)
            return path
to_copy = 0
def flip(path):
    stat = os.stat(path)
    with open(path, "r+b") as handle:
        handle.seek(stat.st_size // 2)
        byte = handle.read(1)
        handle.seek(stat.st_size // 2)
        handle.write(bytes([byte[0] ^ 0x20]))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return stat.st_size
for _ in range(changed):
    to_copy += flip(pick())
for _ in range(deleted):
    path = pick()
    to_copy += os.path.getsize(path)
    os.unlink(path)
for n in range(stray):
    box = boxes[rng.randrange(len(boxes))]
    with open(f"{box}/stray-{n}", "wb") as handle:
        handle.write(b"stray\n")
index = f"{boxes[rng.randrange(len(boxes))]}/cyrus.index"
to_copy += flip(index)
print(json.dumps({"changed": changed, "deleted": deleted, "stray": stray, "indexes": 1,
                  "bytes": to_copy}))
