"""Optional parts of a generated Cyrus 2.2 instance (make-corpus-22.py --sieve, --berkeley-caches).

Both are what a Debian cyrus22 host holds besides mail, and what a 3.6 failover has to deal
with after a copy (docs/formats/upgrade-22-to-36.md):

  --sieve            alice's Sieve script as 2.2's timsieved leaves it after PUTSCRIPT and
                     SETACTIVE [2.2.13 cyrus/timsieved/actions.c:100-140, 330-440, 600-625]:
                     sievedir/a/alice/filter.script (the source), filter.bc (bytecode version 3,
                     emitted here as 2.2.13's sieve/bc_generate.c and bc_emit.c emit it) and the
                     symlink defaultbc -> filter.bc
  --berkeley-caches  deliver.db and tls_sessions.db as Berkeley DB BTREE files without records
                     (duplicate_db and tlscache_db are berkeley-nosync in 2.2's imapd.conf, §4.7)

Written from the 2.2.13 sources, never run through a 2.2 binary (none runs on Debian 12).
"""

import os
import struct

# The script: it files messages whose subject contains "report" into INBOX.Archive.
SIEVE_SOURCE = (
    'require "fileinto";\r\n'
    'if header :contains "subject" "report" {\r\n'
    '  fileinto "INBOX.Archive";\r\n'
    "}\r\n"
)
SIEVE_USER = "alice"
SIEVE_NAME = "filter"

# sieve/bytecode.h at 2.2.13: the version and the enum values this script uses.
BYTECODE_MAGIC = b"CyrSBytecode"
BYTECODE_VERSION = 0x03
B_FILEINTO, B_IF, B_JUMP = 4, 6, 16  # enum bytecode
BC_HEADER = 9  # enum bytecode_comps
B_ASCIICASEMAP, B_CONTAINS = 29, 37  # enum bytecode_tags
NO_RELATION = -1  # bc_relation_generate: "comparator has no relational field"


def _int(value):
    return struct.pack(">i", value)


def _string(text):
    """A length, then the bytes padded with at least one NUL to four bytes (align_string)."""
    data = text.encode()
    return _int(len(data)) + data + b"\0" * (4 - len(data) % 4)


def _string_list(start, items):
    """bc_stringlist_emit at file offset `start`: count, the absolute end offset, the strings."""
    body = b"".join(_string(item) for item in items)
    return _int(len(items)) + _int(start + 8 + len(body)) + body


def sieve_bytecode():
    """SIEVE_SOURCE as 2.2.13 compiles it: IF (end of test, in words), the HEADER test (match
    type, relation, comparator, header names, keys), a JUMP past the then-block (in words) and
    FILEINTO. `require` emits nothing."""
    out = BYTECODE_MAGIC + _int(BYTECODE_VERSION)
    test_start = len(out) + 8  # after B_IF and the word for the test's end
    test = _int(BC_HEADER) + _int(B_CONTAINS) + _int(NO_RELATION) + _int(B_ASCIICASEMAP)
    test += _string_list(test_start + len(test), ["subject"])
    test += _string_list(test_start + len(test), ["report"])
    test_end = test_start + len(test)
    then = _int(B_FILEINTO) + _string("INBOX.Archive")
    after_then = test_end + 8 + len(then)
    out += _int(B_IF) + _int(test_end // 4) + test + _int(B_JUMP) + _int(after_then // 4) + then
    assert len(out) == after_then
    return out


def write_sieve(tree, sievedir, mtime, file_mode):
    """The user's sieve directory (0755, cyrus_mkdir), the script and its bytecode (the umask's
    0600) and defaultbc, a relative symlink."""
    directory = f"{sievedir}/{SIEVE_USER[0]}/{SIEVE_USER}"
    tree.dir(directory, 0o755)
    tree.file(f"{directory}/{SIEVE_NAME}.script", SIEVE_SOURCE.encode(), mtime, file_mode)
    tree.file(f"{directory}/{SIEVE_NAME}.bc", sieve_bytecode(), mtime, file_mode)
    link = os.path.join(tree.root, directory, "defaultbc")
    os.symlink(f"{SIEVE_NAME}.bc", link)
    os.utime(link, (mtime, mtime), follow_symlinks=False)


def write_berkeley_caches(tree, config, mtime, file_mode, berkeley_btree):
    """deliver.db and tls_sessions.db: empty BTREEs, each with its own fixed file ID."""
    for name in ("deliver.db", "tls_sessions.db"):
        tree.file(f"{config}/{name}", berkeley_btree({}, name), mtime, file_mode)
