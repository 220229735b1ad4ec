"""create-22 ROOT [make-corpus-22.py options]: a generated Cyrus 2.2 primary.

scripts/make-corpus-22.py writes the root (Berkeley DB mailboxes.db, 2.2 spool, seen and
subscription files; users alice, bob, carol; its etc/imapd.conf names the Debian paths
/var/lib/cyrus, /var/spool/cyrus/mail and /var/spool/sieve, read under ROOT like a chroot).
This adds ROOT/instance.json of kind cyrus-2.2-generated, so that the same service commands
work on it: no 2.2 server runs on Debian 12, so `start` and `stop` do nothing and exit 0, and
`status` says stopped (3). `state` refuses: the data is served only after a 3.6 failover
imported it.

A 3.6 failover ready to receive it is an ordinary instance with those users:
`create FAILOVER --users alice,bob,carol` writes its own etc/ (3.6 defaults: twoskip
mailboxes.db, uuid spool layout) and empty data areas; a sync then fills the areas and imports
the mailbox list with the failover's own ctl_mboxlist.
"""

import os
import subprocess
import sys

from . import InstanceError, layout

USERS_22 = ("alice", "bob", "carol")


def create(root, options):
    script = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                          "make-corpus-22.py")
    result = subprocess.run([sys.executable, script] + list(options) + [root])
    if result.returncode != 0:
        raise InstanceError(f"make-corpus-22.py exited {result.returncode}", status=result.returncode)
    root = os.path.realpath(root)
    layout.write_info(root, {
        "format": layout.FORMAT,
        "kind": layout.KIND_22,
        "root": root,
        "host": layout.HOST,
        "ports": {},
        "admin": layout.ADMIN,
        "users": list(USERS_22),
        "password": layout.PASSWORD,
        "realm": layout.REALM,
        "areas": {
            "config": os.path.join(root, layout.CONFIG),
            "partition-default": os.path.join(root, layout.SPOOL),
            "sieve": os.path.join(root, layout.SIEVE),
        },
    })
    print(root)
