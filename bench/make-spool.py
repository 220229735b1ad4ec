#!/usr/bin/env python3
"""Writes a synthetic Cyrus 3.6-shaped instance for benchmarks: ROOT/etc/imapd.conf, a config
directory and a uuid-layout spool with USERS x MESSAGES message files of 1-16 KiB.

Only the shape matters here (directory fan-out, file count, sizes); correctness tests use the
real-Cyrus corpus in corpora/. Usage: make-spool.py ROOT USERS MESSAGES_PER_USER
"""
import hashlib
import os
import random
import struct
import sys
import zlib

root, users, per_user = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(42)
os.makedirs(f"{root}/etc", exist_ok=True)
with open(f"{root}/etc/imapd.conf", "w") as conf:
    conf.write("configdirectory: /var/lib/cyrus\npartition-default: /var/spool/cyrus/mail\n"
               "hashimapspool: true\nsievedir: /var/spool/sieve\n")
config = f"{root}/var/lib/cyrus"
for sub in ("db", "socket", "proc", "quota/a", "user/a"):
    os.makedirs(f"{config}/{sub}", exist_ok=True)
records = []
body = (b"Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 300)
alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
for user in range(users):
    uid = "".join(rng.choice(alphabet) for _ in range(24))
    name = f"u{user:06d}"
    # A 3.6 N record in a flat mailboxes.db (flat needs no escaping for these bytes).
    records.append((b"Nuser\x1f" + name.encode(),
                    b"%(T e I " + uid.encode() + b" P default V 1 M 1 A %(" + name.encode() + b" lrswipkxtecdan))"))
    box = f"{root}/var/spool/cyrus/mail/uuid/{uid[0]}/{uid[1]}/{uid}"
    os.makedirs(box, exist_ok=True)
    with open(f"{box}/cyrus.header", "wb") as header:
        header.write(b"\xa1\x02\x8b\x0dCyrus mailbox header\n\"The best thing about this system was that it had lots of goals.\"\n"
                     b"\t--Jim Morris on Andrew\n%(T e N user." + name.encode() + b" I " + uid.encode() + b")\n")
    index_records = b""
    total = 0
    for message in range(1, per_user + 1):
        size = rng.randint(1024, 16384)
        content = b"Subject: %d/%d\r\n\r\n" % (user, message) + body[:size]
        with open(f"{box}/{message}.", "wb") as handle:
            handle.write(content)
        total += len(content)
        # A cyrus.index minor-17 record (cyrus-formats.md section 7.2), big endian, CRC last.
        record = struct.pack(">IIIIIIIII16xII", message, 1700000000, 1700000000, len(content), 20, 1700000000,
                             0, 1700000000, 0, 0, 0) + hashlib.sha1(content).digest() + struct.pack(">QQQI", 1, 0, 1, 0)
        index_records += record + struct.pack(">I", zlib.crc32(record))
    # The minor-17 header (section 7.1): counters that agree with the records, CRC last.
    header = struct.pack(">IIIIIIIIQIIIIIIIQQIIIIIIIIIIIQI16x", 1, 0, 17, 160, 112, per_user, 1700000000, per_user,
                         total, 0, 1, 0, 0, 0, 0, 0, 1, 0, per_user, 0, 0, 0, 0, 0, 0, 0, 0, 0, per_user, 1, 0)
    with open(f"{box}/cyrus.index", "wb") as index:
        index.write(header + struct.pack(">I", zlib.crc32(header)) + index_records)
with open(f"{config}/mailboxes.db", "wb") as db:
    for key, value in sorted(records):
        db.write(key + b"\t" + value + b"\n")
