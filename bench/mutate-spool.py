#!/usr/bin/env python3
"""Changes a bench spool (bench/make-spool.py) the way a day of mail does: ADDED new message
files spread over the mailboxes (1-16 KiB, the next UIDs) and DELETED existing ones removed.
Deterministic (seeded), so two runs on two equal copies make the same change.

Usage: mutate-spool.py ROOT ADDED DELETED
"""
import os
import random
import sys

root, added, deleted = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(7)
spool = f"{root}/var/spool/cyrus/mail/uuid"
boxes = sorted(
    os.path.join(a, b, c)
    for a in os.listdir(spool) for b in os.listdir(f"{spool}/{a}") for c in os.listdir(f"{spool}/{a}/{b}"))
body = b"Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 300
for n in range(added):
    box = f"{spool}/{boxes[rng.randrange(len(boxes))]}"
    uids = [int(name[:-1]) for name in os.listdir(box) if name.endswith(".") and name[:-1].isdigit()]
    uid = max(uids, default=0) + 1
    with open(f"{box}/{uid}.", "wb") as message:
        message.write(b"Subject: added %d\r\n\r\n" % n + body[: rng.randrange(1024, 16384)])
removed = 0
while removed < deleted:
    box = f"{spool}/{boxes[rng.randrange(len(boxes))]}"
    names = sorted(name for name in os.listdir(box) if name.endswith(".") and name[:-1].isdigit())
    if names:
        os.unlink(f"{box}/{names[rng.randrange(len(names))]}")
        removed += 1
