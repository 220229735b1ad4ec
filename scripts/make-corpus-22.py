#!/usr/bin/env python3
"""make-corpus-22.py: write a complete Cyrus 2.2 instance tree, for tests.

Usage: scripts/make-corpus-22.py [--variant NAME]... [--dump-format upstream|debian]
                                [--sieve] [--berkeley-caches] OUT
       scripts/make-corpus-22.py --list-variants

OUT (must not exist, or be an empty directory) becomes a root laid out like a Debian
cyrus22 host: etc/imapd.conf, var/lib/cyrus (configdirectory), var/spool/cyrus/mail
(partition-default, hashimapspool) and var/spool/sieve (sievedir). Give OUT to
`cyrus-failover verify --primary OUT` or `--failover OUT`.

Written from the documented formats (shared/reference/cyrus-formats.md, checked against
cyrusimap/cyrus-imapd at tag cyrus-imapd-2.2.13), never with our Swift code:

  mailboxes.db      Berkeley DB BTREE (mboxlist_db: berkeley), key = internal name, value
                    "mbtype SP partition SP acl" (§3.1, §4.4), loaded with db5.3_load -T
  mailboxlist.txt   2.2's `ctl_mboxlist -d`: "name TAB partition TAB acl" (§2.2), or with
                    --dump-format debian the patched "name TAB 0 SP partition TAB acl" (§2.3);
                    always the consistent instance's list (variants leave it as dumped)
  cyrus.header      magic, "quotaroot TAB uniqueid", user flag names, ACL (§6.1)
  cyrus.index       minor version 6: 76-byte header, 60-byte records, big-endian (§7.1, §7.2);
                    expunged messages are gone from it and their files unlinked (§7.4)
  cyrus.cache       generation number, then per message ten length-prefixed items (§7.5)
  <uid>.            the messages (CRLF lines), mtime = internal date
  user/H/U.seen     skiplist 1.2 (§4.2), key = mailbox uniqueid, value
                    "1 lastread lastuid lastchange seenuids" (§8.3); alice's has a log section
  user/H/U.sub      flat, "name TAB LF" sorted (§9.3)
  quota/H/user.U    quotalegacy "used LF limit LF" (bytes, KiB) (§10.1)
  --sieve, --berkeley-caches: alice's Sieve script, Berkeley deliver.db and tls_sessions.db
                    (corpus22_extras.py)

Every byte is a function of the arguments: two runs with the same arguments give identical
trees (contents, modes, mtimes), so a primary and a failover made by two runs differ only by
the variants chosen. db5.3_load gives each file a random 20-byte file ID (inode, device,
time); it is replaced by a fixed one. Run as root where a `cyrus` user and a `mail` group
exist, the Cyrus trees (config directory, spool, sievedir) are owned by them by name, as a 2.2 host's are, so that this
machine's Cyrus tools can open them whatever their numeric ids (--owner changes the names);
otherwise, and for etc/ and var/ itself, owners are those of the user running the script.

Variants (repeatable; each changes one thing against the consistent instance, as if this
tree were a failover on which that one thing differs):
"""

import argparse
import grp
import hashlib
import os
import pwd
import shutil
import struct
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the repository (root runs the tests)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus22_extras  # noqa: E402

VARIANTS = {
    "consistent": "nothing changed (the default)",
    "seen-changed": "alice's .seen: one more logged transaction marks user.alice UID 5 seen",
    "sub-removed": "bob's .sub: the subscription to shared.news removed",
    "sub-stale": "alice's .sub: also user.alice.Old, a mailbox deleted since (the entry stays)",
    "message-missing": "user.bob: message file 3. removed (its index record kept)",
    "message-changed": "user.bob: one byte of message file 1. changed, same size",
    "index-flags-changed": "user.alice: UID 4 gets \\Answered in cyrus.index (counters kept right)",
    "index-truncated": "user.alice: cyrus.index cut in the middle of its last record",
    "mailbox-missing": "user.carol.Trash left out of mailboxes.db (spool and dump kept)",
    "quota-changed": "quota root user.carol: limit 2048 KiB becomes 4096 KiB",
    "acl-changed": "user.bob: alice's rights lrs become lrsw in mailboxes.db and cyrus.header",
}

__doc__ += "".join(f"  {name:20} {text}\n" for name, text in VARIANTS.items())

T0 = 1104537600  # 2005-01-01 00:00:00 UTC: the base of every time in the tree
CONFIG = "var/lib/cyrus"
SPOOL = "var/spool/cyrus/mail"
SIEVE = "var/spool/sieve"
FILE_MODE = 0o600  # Debian's Cyrus runs with umask 077
DIR_MODE = 0o700


# --- the instance, as data ----------------------------------------------------------------


class Message:
    """One appended message: UID, flags, and what its file holds."""

    def __init__(self, uid, internaldate, sender, recipient, subject, lines, flags=0, user_flags=0):
        self.uid = uid
        self.internaldate = internaldate
        self.sender = sender
        self.recipient = recipient
        self.subject = subject
        self.lines = lines
        self.system_flags = flags
        self.user_flags = user_flags
        self.last_updated = internaldate


# System flags, all versions [2.2.13 cyrus/imap/mailbox.h:203-206]; \Seen is not among them
# in 2.2: seen state lives only in the seen database.
ANSWERED, FLAGGED, DELETED, DRAFT = 1 << 0, 1 << 1, 1 << 2, 1 << 3


class Mailbox:
    """One mailboxes.db entry with its spool directory."""

    def __init__(self, name, acl, created, quotaroot="", flag_names=()):
        self.name = name
        self.acl = acl  # [(identifier, rights)], in stored order
        self.uidvalidity = created
        self.quotaroot = quotaroot
        self.flag_names = list(flag_names)
        self.messages = []  # live records, ascending UID
        self.last_uid = 0
        self.last_appenddate = 0
        self.generation = 0  # 2.2 bumps it at each expunge, which rewrites cache and index

    @property
    def uniqueid(self):
        return make_uniqueid(self.name, self.uidvalidity)

    def acl_text(self):
        return "".join(f"{ident}\t{rights}\t" for ident, rights in self.acl)

    def append(self, sender, recipient, subject, lines, flags=0, user_flags=0):
        self.last_uid += 1
        date = self.uidvalidity + self.last_uid * 86400 + 3600
        self.messages.append(
            Message(self.last_uid, date, sender, recipient, subject, lines, flags, user_flags)
        )
        self.last_appenddate = date

    def expunge(self, *uids):
        """2.2 removes the records and unlinks the files (§7.4); one pass, one generation."""
        self.messages = [m for m in self.messages if m.uid not in uids]
        self.generation += 1


def make_uniqueid(name, uidvalidity):
    """mailbox_make_uniqueid [2.2.13 cyrus/imap/mailbox.c:247-258]: the name hashed to 32 bits
    (times 251 plus each char, modulo a prime; C `char` is signed on the Debian ports that
    matter), then the uidvalidity, both as 8 hex digits. The unsigned long arithmetic is that of
    a 64-bit host."""
    prime = 2147484043
    value = 0
    for byte in name.encode():
        value = (value * 251 + (byte - 256 if byte >= 128 else byte)) % prime
    return f"{value:08x}{uidvalidity & 0xFFFFFFFF:08x}"


def build_instance():
    """The consistent instance: three users, their folders, one shared folder."""
    owner = lambda user: [(user, "lrswipcda")]  # 2.2 rights string (§2.9)
    boxes = []

    def box(name, acl, hours, quotaroot="", flags=()):
        mailbox = Mailbox(name, acl, T0 + hours * 3600, quotaroot, flags)
        boxes.append(mailbox)
        return mailbox

    alice = box("user.alice", owner("alice"), 1, "user.alice", ("$Label1", "NonJunk"))
    for uid in range(1, 8):
        alice.append("bob", "alice", f"Status report {uid}", 3 + uid)
    alice.messages[0].system_flags = ANSWERED
    alice.messages[1].system_flags = FLAGGED
    alice.messages[3].user_flags = 1 << 0  # $Label1
    alice.messages[4].user_flags = (1 << 0) | (1 << 1)  # $Label1 NonJunk
    alice.messages[5].system_flags = DELETED  # marked, not yet expunged
    alice.expunge(3, 7)  # the last UID gone too: last_uid stays 7

    sent = box("user.alice.Sent", owner("alice"), 2, "user.alice")
    sent.append("alice", "bob", "Re: Status report 1", 5, ANSWERED)
    sent.append("alice", "carol", "Lunch", 2)
    archive = box("user.alice.Archive", owner("alice"), 3, "user.alice")
    archive.append("carol", "alice", "Old minutes", 12)
    year = box("user.alice.Archive.2004", owner("alice"), 4, "user.alice")
    year.append("bob", "alice", "Budget 2004", 20, FLAGGED)
    year.append("bob", "alice", "Budget 2004, final", 22)
    box("user.alice.Drafts", owner("alice"), 5, "user.alice")  # empty
    drafts = box("user.alice.Entw&APw-rfe", owner("alice"), 6, "user.alice")  # "Entwürfe"
    drafts.append("alice", "bob", "Draft", 4, DRAFT)

    bob = box("user.bob", owner("bob") + [("alice", "lrs")], 7)  # no quota root
    for uid in range(1, 6):
        bob.append("carol", "bob", f"Build {uid} finished", 6 + 2 * uid)
    bob.messages[3].system_flags = FLAGGED | ANSWERED
    bob.expunge(2)
    folder = box("user.bob.My Folder", owner("bob"), 8)
    folder.append("alice", "bob", "Photos", 30)

    carol = box("user.carol", owner("carol"), 9, "user.carol")
    for uid in range(1, 4):
        carol.append("alice", "carol", f"Question {uid}", 7)
    trash = box("user.carol.Trash", owner("carol"), 10, "user.carol")
    trash.append("bob", "carol", "Spam?", 9, DELETED)
    trash.append("bob", "carol", "Spam!", 9, DELETED | FLAGGED)

    news = box("shared.news", [("anyone", "lrs"), ("cyrus", "lrswipcda")], 11)
    news.append("cyrus", "all", "Welcome", 8)
    news.append("cyrus", "all", "Maintenance window", 10)

    quotas = {"user.alice": 10240, "user.carol": 2048}  # KiB
    seen = {
        # user → [(mailbox, lastuid, seenuids)]: a 2.2 seen database holds the owner's seen
        # state too (§8.4); ranges may span expunged UIDs.
        "alice": [
            ("user.alice", 7, "1:4"),
            ("user.alice.Sent", 2, "1:2"),
            ("user.alice.Archive", 1, "1"),
            ("user.bob", 5, "1"),  # bob's INBOX, shared with her
        ],
        "bob": [("user.bob", 5, "1:3"), ("shared.news", 2, "1:2"), ("user.bob.My Folder", 1, "1")],
        "carol": [("user.carol", 3, "1:2"), ("user.carol.Trash", 2, "1:2")],
    }
    # alice's file also has a log: these transactions follow the checkpointed records.
    seen_log = {
        "alice": [
            [("user.alice.Sent", 2, "1:2")],  # re-read: replaced by an equal record
            [("user.alice.Archive.2004", 2, "1")],  # a key new since the checkpoint
        ]
    }
    subscriptions = {
        "alice": [
            "user.alice", "user.alice.Sent", "user.alice.Archive", "user.alice.Archive.2004",
            "user.alice.Entw&APw-rfe", "user.bob", "shared.news",
        ],
        "bob": ["user.bob", "user.bob.My Folder", "shared.news"],
        "carol": ["user.carol", "user.carol.Trash"],
    }
    return {
        "mailboxes": boxes,
        "quotas": quotas,
        "seen": seen,
        "seen_log": seen_log,
        "subscriptions": subscriptions,
        "omit_from_db": set(),
        "damage": [],  # (variant, mailbox) done on the files after writing
    }


def apply_variant(instance, variant):
    """Changes the instance model (or schedules a file change) for one variant."""
    boxes = {m.name: m for m in instance["mailboxes"]}
    if variant == "consistent":
        return
    if variant == "seen-changed":
        instance["seen_log"].setdefault("alice", []).append([("user.alice", 7, "1:5")])
    elif variant == "sub-removed":
        instance["subscriptions"]["bob"].remove("shared.news")
    elif variant == "sub-stale":
        instance["subscriptions"]["alice"].append("user.alice.Old")
    elif variant == "index-flags-changed":
        record = next(m for m in boxes["user.alice"].messages if m.uid == 4)
        record.system_flags |= ANSWERED
        record.last_updated += 600
    elif variant == "mailbox-missing":
        instance["omit_from_db"].add("user.carol.Trash")
    elif variant == "quota-changed":
        instance["quotas"]["user.carol"] = 4096
    elif variant == "acl-changed":
        bob = boxes["user.bob"]
        bob.acl = [(ident, "lrsw" if ident == "alice" else rights) for ident, rights in bob.acl]
    elif variant in ("message-missing", "message-changed"):
        instance["damage"].append((variant, "user.bob"))
    elif variant == "index-truncated":
        instance["damage"].append((variant, "user.alice"))
    else:
        raise SystemExit(f"unknown variant {variant!r} (see --list-variants)")


# --- paths ------------------------------------------------------------------------------


def dir_hash(name):
    """dir_hash_c without fulldirhash (§5.1): the first letter, lowercased; 'q' if none."""
    first = name[:1].lower()
    return first if "a" <= first <= "z" and first else "q"


def mailbox_directory(name):
    """mailbox_hash_mbox with hashimapspool (§5.1): H(part after the first dot)/name, dots
    as slashes."""
    index = name.split(".", 1)[1] if "." in name else name
    return dir_hash(index) + "/" + name.replace(".", "/")


def quota_path(root):
    """quotalegacy (§10.1): quota/H(part after the first dot)/root."""
    part = root.split(".", 1)[1] if "." in root else root
    return f"quota/{dir_hash(part)}/{root}"


# --- byte formats -------------------------------------------------------------------------


def be32(*values):
    return b"".join(struct.pack(">I", v & 0xFFFFFFFF) for v in values)


def pad4(data):
    return data + b"\0" * (-len(data) % 4)


def rfc822_date(t):
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    g = time.gmtime(t)
    return (
        f"{days[g.tm_wday]}, {g.tm_mday} {months[g.tm_mon - 1]} {g.tm_year}"
        f" {g.tm_hour:02d}:{g.tm_min:02d}:{g.tm_sec:02d} +0000"
    )


def message_parts(mailbox, message):
    """The message file (CRLF lines, as Cyrus stores them), its header size and body lines."""
    address = lambda user: f"{user}@example.org"
    sent = message.internaldate - 120
    msgid = f"<{mailbox.uidvalidity}.{message.uid}@example.org>"
    header = (
        f"Return-Path: <{address(message.sender)}>\r\n"
        f"Received: from mail.example.org by mail.example.org (Cyrus v2.2.13-Debian-2.2.13-14)"
        f" with LMTPA; {rfc822_date(message.internaldate)}\r\n"
        f"Message-ID: {msgid}\r\n"
        f"Date: {rfc822_date(sent)}\r\n"
        f"From: {address(message.sender)}\r\n"
        f"To: {address(message.recipient)}\r\n"
        f"Subject: {message.subject}\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n"
        "Content-Transfer-Encoding: 7bit\r\n"
        "\r\n"
    ).encode()
    body = b"".join(
        f"Line {n} of message {message.uid} in {mailbox.name}.\r\n".encode()
        for n in range(1, message.lines + 1)
    )
    return header + body, len(header), message.lines, sent, msgid


def cache_entry(mailbox, message, text, header_size, lines, sent, msgid):
    """One message's cyrus.cache entry: ten items, each a u32 length then the data padded to
    four bytes [2.2.13 cyrus/imap/message.c:1717-1790, 2399-2420] (§7.5)."""
    content = len(text) - header_size
    addr = lambda user: f'((NIL NIL "{user}" "example.org"))'
    envelope = (
        f'("{rfc822_date(sent)}" "{message.subject}" {addr(message.sender)} {addr(message.sender)}'
        f' {addr(message.sender)} {addr(message.recipient)} NIL NIL NIL "{msgid}")'
    )
    part = f'"TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" {content} {lines}'
    bodystructure = f"({part} NIL NIL NIL)"
    body = f"({part})"
    # Part 0 (header) and part 1 (the text) of a single-part message, then the leaf's 0.
    section = be32(2, 0, header_size, header_size, content, 0xFFFF0000)
    section += be32(0, header_size, header_size, content, 0, 0)
    search = lambda user: f"<{user}@example.org>"
    items = [
        envelope.encode(), bodystructure.encode(), body.encode(), section, b"",
        search(message.sender).encode(), search(message.recipient).encode(), b"", b"",
        f'"{message.subject}"'.encode(),
    ]
    return b"".join(be32(len(item)) + pad4(item) for item in items)


def header_file(mailbox):
    """cyrus.header, 2.2 text form [2.2.13 cyrus/imap/mailbox.c:1081-1140] (§6.1)."""
    magic = (
        b"\xa1\x02\x8b\x0dCyrus mailbox header\n"
        b'"The best thing about this system was that it had lots of goals."\n'
        b"\t--Jim Morris on Andrew\n"
    )
    flags = "".join(name + " " for name in mailbox.flag_names)
    return magic + (
        f"{mailbox.quotaroot}\t{mailbox.uniqueid}\n{flags}\n{mailbox.acl_text()}\n"
    ).encode()


def index_and_cache(mailbox, files):
    """cyrus.index minor 6 and cyrus.cache [2.2.13 cyrus/imap/mailbox.h:163-206,
    mailbox.c:1170-1260] (§7.1, §7.2). `files` maps UID → message bytes."""
    header_size_bytes, record_size = 76, 60
    cache = struct.pack(">I", mailbox.generation)
    records = b""
    used = deleted = answered = flagged = 0
    for message in mailbox.messages:
        text, header_size, lines, sent, msgid = message_parts(mailbox, message)
        files[message.uid] = text
        offset = len(cache)
        cache += cache_entry(mailbox, message, text, header_size, lines, sent, msgid)
        sentdate = sent - sent % 86400  # the Date: header's day
        user_flags = [message.user_flags, 0, 0, 0]
        records += be32(
            message.uid, message.internaldate, sentdate, len(text), header_size,
            header_size,  # content_offset: equal to header_size
            offset, message.last_updated, message.system_flags, *user_flags, lines,
            2,  # cache_version: MAILBOX_CACHE_MINOR_VERSION
        )
        used += len(text)
        deleted += bool(message.system_flags & DELETED)
        answered += bool(message.system_flags & ANSWERED)
        flagged += bool(message.system_flags & FLAGGED)
    header = be32(
        mailbox.generation, 0, 6, header_size_bytes, record_size, len(mailbox.messages),
        mailbox.last_appenddate, mailbox.last_uid,
        0,  # reserved for 64-bit quota: zero in upstream 2.2
        used, 0, mailbox.uidvalidity, deleted, answered, flagged,
        1,  # pop3_new_uidl, set by mailbox_create
        0, 0, 0,  # leaked_cache_records (an expunge compacts the cache), two spares
    )
    assert len(header) == header_size_bytes and len(records) == record_size * len(mailbox.messages)
    return header + records, cache, used


def seen_value(lastread, lastuid, lastchange, uids):
    """seen_db.c 2.2: "%d %d %d %d %s" [2.2.13 cyrus/imap/seen_db.c:368] (§8.3)."""
    return f"1 {lastread} {lastuid} {lastchange} {uids}".encode()


class Skiplist:
    """A skiplist 1.2 file [2.2.13 cyrus/lib/cyrusdb_skiplist.c] (§4.2), built the way Cyrus
    builds one: a checkpoint (DUMMY and INORDER records, logstart at their end), then logged
    transactions (ADD, DELETE, COMMIT) whose stores rewrite forward pointers in place."""

    MAXLEVEL = 20
    INORDER, ADD, DELETE, COMMIT, DUMMY = 1, 2, 4, 255, 257
    HEADER = 48

    def __init__(self, records, stamp):
        self.data = bytearray(self.HEADER)
        self.curlevel = 1
        self.stamp = stamp
        self.dummy = self._node(self.DUMMY, b"", b"", self.MAXLEVEL)
        nodes = [self._node(self.INORDER, k, v, self._level(k)) for k, v in sorted(records.items())]
        # Link the checkpointed records level by level.
        for level in range(self.MAXLEVEL):
            previous = self.dummy
            for node in nodes:
                if self._levels(node) > level:
                    self._set_forward(previous, level, node)
                    previous = node
        self.curlevel = max([1] + [self._levels(n) for n in nodes])
        self.listsize = len(nodes)
        self.logstart = len(self.data)

    def _level(self, key):
        """A level for a key, 1…MAXLEVEL with probability one half per step (randlvl), drawn
        from the key so that runs repeat."""
        bits = int.from_bytes(hashlib.sha1(key).digest()[:4], "big")
        level = 1
        while bits & 1 and level < self.MAXLEVEL:
            level += 1
            bits >>= 1
        return level

    def _node(self, kind, key, value, level):
        offset = len(self.data)
        self.data += be32(kind, len(key)) + pad4(key) + be32(len(value)) + pad4(value)
        self.data += be32(*([0] * level)) + be32(0xFFFFFFFF)
        return offset

    def _pointers_at(self, node):
        keylen = struct.unpack_from(">I", self.data, node + 4)[0]
        at = node + 8 + len(pad4(b"\0" * keylen))
        datalen = struct.unpack_from(">I", self.data, at)[0]
        return at + 4 + len(pad4(b"\0" * datalen))

    def _levels(self, node):
        at, count = self._pointers_at(node), 0
        while struct.unpack_from(">I", self.data, at + 4 * count)[0] != 0xFFFFFFFF:
            count += 1
        return count

    def _forward(self, node, level):
        return struct.unpack_from(">I", self.data, self._pointers_at(node) + 4 * level)[0]

    def _set_forward(self, node, level, target):
        struct.pack_into(">I", self.data, self._pointers_at(node) + 4 * level, target)

    def _key(self, node):
        keylen = struct.unpack_from(">I", self.data, node + 4)[0]
        return bytes(self.data[node + 8 : node + 8 + keylen])

    def _find(self, key):
        """The last node before `key` at each level (find_node), and the candidate."""
        update, node = [self.dummy] * self.MAXLEVEL, self.dummy
        for level in reversed(range(self.curlevel)):
            while (nxt := self._forward(node, level)) and _signed(self._key(nxt)) < _signed(key):
                node = nxt
            update[level] = node
        return update, self._forward(node, 0)

    def transaction(self, stores):
        """Logs one transaction of stores (key, value): an existing key as DELETE of its node
        then an ADD of equal height taking over its pointers, a new key as an ADD (mystore)."""
        for key, value in stores:
            update, found = self._find(key)
            if found and self._key(found) == key:
                level = self._levels(found)
                old = [self._forward(found, i) for i in range(level)]
                self.data += be32(self.DELETE, found)
                node = self._node(self.ADD, key, value, level)
                for i in range(level):
                    self._set_forward(node, i, old[i])
            else:
                level = self._level(key)
                self.curlevel = max(self.curlevel, level)
                node = self._node(self.ADD, key, value, level)
                for i in range(level):
                    self._set_forward(node, i, self._forward(update[i], i))
            for i in range(level):
                self._set_forward(update[i], i, node)
        self.data += be32(self.COMMIT)

    def bytes(self):
        # listsize is only rewritten at checkpoint and recovery in 2.2, never by a logged store.
        header = b"\xa1\x02\x8b\x0dskiplist file\0\0\0" + be32(
            1, 2, self.MAXLEVEL, self.curlevel, self.listsize, self.logstart, self.stamp
        )
        self.data[0 : self.HEADER] = header
        return bytes(self.data)


def _signed(key):
    """skiplist's default compare: bytewise on signed char."""
    return [b - 256 if b >= 128 else b for b in key]


def berkeley_btree(records, name="mailboxes.db"):
    """A file as Cyrus 2.2's berkeley backends store it (mailboxes.db; `name` also makes the
    file's fixed ID): a BTREE of raw keys and values without NUL (§4.4), through `db5.3_load -T`. Its input is a key line then a value line;
    only LF and backslash are special (a backslash is written twice)."""
    loader = os.environ.get("DB_LOAD") or shutil.which("db5.3_load") or shutil.which("db_load")
    if not loader:
        raise SystemExit("db5.3_load not found (Debian: apt-get install db5.3-util)")
    lines = b""
    for key, value in sorted(records.items()):
        for item in (key, value):
            if b"\n" in item or b"\0" in item:
                raise SystemExit(f"{item!r}: LF or NUL cannot go through db_load -T here")
            lines += item.replace(b"\\", b"\\\\") + b"\n"
    with tempfile.TemporaryDirectory() as scratch:
        source = os.path.join(scratch, "records")
        target = os.path.join(scratch, "mailboxes.db")
        with open(source, "wb") as handle:
            handle.write(lines)
        subprocess.run(
            [loader, "-T", "-t", "btree", "-c", "db_pagesize=4096", "-f", source, target],
            check=True,
        )
        with open(target, "rb") as handle:
            data = handle.read()
    # The meta page's file ID (offset 52, 20 bytes) is random per run; db_load also leaves a
    # copy of it in the unused part of the leaf page. Replace every copy by a fixed ID.
    file_id = data[52:72]
    fixed = hashlib.sha1(f"cyrus-failover make-corpus-22 {name}".encode()).digest()
    if file_id != b"\0" * 20:
        data = data.replace(file_id, fixed)
    return data


# --- writing the tree ---------------------------------------------------------------------


class Tree:
    def __init__(self, root):
        self.root = root

    def dir(self, relative, mode=DIR_MODE):
        path = os.path.join(self.root, relative)
        os.makedirs(path, exist_ok=True)
        os.chmod(path, mode)

    def file(self, relative, data, mtime, mode=FILE_MODE):
        path = os.path.join(self.root, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)
        os.chmod(path, mode)
        os.utime(path, (mtime, mtime))


IMAPD_CONF = """\
# Cyrus IMAP 2.2 (Debian cyrus22) configuration, written by scripts/make-corpus-22.py
configdirectory: /var/lib/cyrus
defaultpartition: default
partition-default: /var/spool/cyrus/mail
sievedir: /var/spool/sieve
altnamespace: no
unixhierarchysep: no
hashimapspool: true
admins: cyrus
allowanonymouslogin: no
popminpoll: 1
autocreatequota: 0
umask: 077
sendmail: /usr/sbin/sendmail
sasl_pwcheck_method: saslauthd
sasl_mech_list: PLAIN
lmtpsocket: /var/run/cyrus/socket/lmtp
idlesocket: /var/run/cyrus/socket/idle
notifysocket: /var/run/cyrus/socket/notify
mboxlist_db: berkeley
seenstate_db: skiplist
subscription_db: flat
quota_db: quotalegacy
annotation_db: skiplist
duplicate_db: berkeley-nosync
tlscache_db: berkeley-nosync
ptscache_db: berkeley
"""


def write_instance(instance, root, dump_format, dumped, extras=()):
    """Writes the tree. `dumped` are the mailboxes mailboxlist.txt lists: those of the
    consistent instance, whatever the variants (the procedure dumps before the copy).
    `extras`: "sieve", "berkeley-caches" (corpus22_extras.py)."""
    tree = Tree(root)
    stamp = T0 + 30 * 86400  # when the databases were last written
    tree.dir("etc", 0o755)
    tree.file("etc/imapd.conf", IMAPD_CONF.encode(), stamp, 0o644)
    for area in ("var", "var/lib", "var/spool", "var/spool/cyrus"):
        tree.dir(area, 0o755)
    tree.dir(CONFIG, 0o750)
    letters = "abcdefghijklmnopqrstuvwxyz"
    # As Debian's cyrus-makedirs: hash directories, stage./, the runtime places.
    for sub in ("user", "quota"):
        for letter in letters:
            tree.dir(f"{CONFIG}/{sub}/{letter}")
    for sub in ("db", "socket", "proc", "log", "msg"):
        tree.dir(f"{CONFIG}/{sub}")
    tree.file(f"{CONFIG}/db/skipstamp", be32(stamp), stamp)  # runtime (§4.2)
    tree.dir(SPOOL, 0o750)
    tree.dir(f"{SPOOL}/stage.")
    for letter in letters:
        tree.dir(f"{SPOOL}/{letter}")
    tree.dir(SIEVE, 0o750)
    for letter in letters:
        tree.dir(f"{SIEVE}/{letter}")

    # The spool: per mailbox header, index, cache and message files.
    used_by_root = {}
    sizes = {}
    for mailbox in instance["mailboxes"]:
        directory = f"{SPOOL}/{mailbox_directory(mailbox.name)}"
        tree.dir(directory)
        files = {}
        index, cache, used = index_and_cache(mailbox, files)
        for uid, text in files.items():
            date = next(m.internaldate for m in mailbox.messages if m.uid == uid)
            tree.file(f"{directory}/{uid}.", text, date)
        changed = max([mailbox.uidvalidity] + [m.last_updated for m in mailbox.messages])
        tree.file(f"{directory}/cyrus.header", header_file(mailbox), mailbox.uidvalidity)
        tree.file(f"{directory}/cyrus.index", index, changed)
        tree.file(f"{directory}/cyrus.cache", cache, changed)
        if mailbox.quotaroot:
            used_by_root[mailbox.quotaroot] = used_by_root.get(mailbox.quotaroot, 0) + used
        sizes[mailbox.name] = (directory, index)

    # mailboxes.db and its dump.
    entries = {
        m.name.encode(): f"0 default {m.acl_text()}".encode()
        for m in instance["mailboxes"]
        if m.name not in instance["omit_from_db"]
    }
    tree.file(f"{CONFIG}/mailboxes.db", berkeley_btree(entries), stamp)
    dump = ""
    for mailbox in sorted(dumped, key=lambda m: m.name.encode()):
        if dump_format == "debian":
            dump += f"{mailbox.name}\t0 default\t{mailbox.acl_text()}\n"
        else:
            dump += f"{mailbox.name}\tdefault\t{mailbox.acl_text()}\n"
    tree.file(f"{CONFIG}/mailboxlist.txt", dump.encode(), stamp, 0o644)
    if "sieve" in extras:
        corpus22_extras.write_sieve(tree, SIEVE, stamp - 7 * 86400, FILE_MODE)
    if "berkeley-caches" in extras:
        corpus22_extras.write_berkeley_caches(tree, CONFIG, stamp, FILE_MODE, berkeley_btree)

    # Seen state, subscriptions, quota.
    ids = {m.name: m.uniqueid for m in instance["mailboxes"]}
    for user, records in instance["seen"].items():
        def value(name, lastuid, uids, moment):
            return ids[name].encode(), seen_value(moment, lastuid, moment, uids)

        base = dict(value(n, u, s, stamp - 86400) for n, u, s in records)
        skiplist = Skiplist(base, stamp - 86400)
        for step, transaction in enumerate(instance["seen_log"].get(user, []), 1):
            moment = stamp - 86400 + 60 * step
            skiplist.transaction([value(n, u, s, moment) for n, u, s in transaction])
        tree.file(f"{CONFIG}/user/{dir_hash(user)}/{user}.seen", skiplist.bytes(), stamp)
    for user, names in instance["subscriptions"].items():
        text = b"".join(name.encode() + b"\t\n" for name in sorted(names, key=str.encode))
        tree.file(f"{CONFIG}/user/{dir_hash(user)}/{user}.sub", text, stamp)
    for root_name, limit in instance["quotas"].items():
        text = f"{used_by_root.get(root_name, 0)}\n{limit}\n".encode()
        tree.file(f"{CONFIG}/{quota_path(root_name)}", text, stamp)

    # Changes to files that no model change makes.
    for variant, name in instance["damage"]:
        directory, index = sizes[name]
        path = os.path.join(root, directory)
        if variant == "message-missing":
            os.unlink(os.path.join(path, "3."))
        elif variant == "message-changed":
            file = os.path.join(path, "1.")
            data = bytearray(open(file, "rb").read())
            data[data.rindex(b"Line ")] ^= 0x20  # "Line" becomes "line": same size
            stat = os.stat(file)
            with open(file, "r+b") as handle:
                handle.write(data)
            os.utime(file, (stat.st_mtime, stat.st_mtime))
        elif variant == "index-truncated":
            file = os.path.join(path, "cyrus.index")
            stat = os.stat(file)
            os.truncate(file, len(index) - 30)
            os.utime(file, (stat.st_mtime, stat.st_mtime))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n", 2)[2], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", nargs="?", help="the root to write (new or empty directory)")
    parser.add_argument("--variant", action="append", default=[], choices=sorted(VARIANTS),
                        metavar="NAME",
                        help="a difference to build in (repeatable)")
    parser.add_argument("--dump-format", choices=["upstream", "debian"], default="upstream",
                        help="mailboxlist.txt as upstream 2.2.13 or Debian >= 2.2.13-3 dumps it")
    parser.add_argument("--sieve", action="store_true",
                        help="alice's Sieve script in sievedir, as 2.2's timsieved leaves it")
    parser.add_argument("--berkeley-caches", action="store_true",
                        help="deliver.db and tls_sessions.db as (empty) Berkeley DB files")
    parser.add_argument("--owner", default="cyrus:mail", metavar="USER:GROUP",
                        help="names owning the Cyrus trees when run as root (default cyrus:mail)")
    parser.add_argument("--list-variants", action="store_true", help="list the variants")
    args = parser.parse_args()
    if args.list_variants:
        for name, text in VARIANTS.items():
            print(f"{name}\t{text}")
        return
    if not args.out:
        parser.error("OUT is required")
    if os.path.exists(args.out) and (not os.path.isdir(args.out) or os.listdir(args.out)):
        parser.error(f"{args.out} exists and is not an empty directory")
    os.makedirs(args.out, exist_ok=True)
    instance = build_instance()
    for variant in args.variant:
        apply_variant(instance, variant)
    dumped = build_instance()["mailboxes"]
    extras = [name for name, on in (("sieve", args.sieve),
                                    ("berkeley-caches", args.berkeley_caches)) if on]
    write_instance(instance, os.path.abspath(args.out), args.dump_format, dumped, extras)
    give_to_owner(os.path.abspath(args.out), args.owner)


def give_to_owner(root, owner):
    """As root, hands the Cyrus trees (config directory, spool, sievedir) to USER:GROUP by name."""
    if os.geteuid() != 0:
        return
    user, _, group = owner.partition(":")
    try:
        uid = pwd.getpwnam(user).pw_uid
        gid = grp.getgrnam(group or "mail").gr_gid
    except KeyError:
        return  # no such user here (Cyrus not installed): the files stay the caller's
    for tree in ("var/lib/cyrus", "var/spool/cyrus", "var/spool/sieve"):
        for directory, names, files in os.walk(os.path.join(root, tree)):
            os.lchown(directory, uid, gid)
            for name in names + files:
                os.lchown(os.path.join(directory, name), uid, gid)


if __name__ == "__main__":
    main()
