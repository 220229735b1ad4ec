"""Whether a principal has a seen database yet, looked up on disk (the state's one file read).

Cyrus 3.6 keeps non-owner seen state in the user's seen database (shared/reference/
cyrus-3.6-observed.md): `user/uuid/<c1>/<c2>/<INBOX uniqueid>/seen.db` in the config
directory, or `user/<h>/<name>.seen` for a principal without an INBOX (the admin) or with
legacy directories. An EXAMINE of someone else's mailbox creates it, even when refused; a
principal without one sees nothing \\Seen in others' mailboxes, so the state can say so
without asking.
"""

import os


def dir_hash(name):
    """dir_hash_c without fulldirhash: the first letter, lowercased; `q` if it is none."""
    first = name[:1].lower()
    return first if first and "a" <= first <= "z" else "q"


class SeenDatabases:
    """Answers `exists(principal)`: True, False, or None when the config directory cannot be
    read (not run as root): then the state asks Cyrus as it would otherwise."""

    def __init__(self, instance, session):
        self.config = instance.area("config")
        self.admin = instance.admin
        self.session = session  # principal → logged-in wire.Imap
        self.known = {}

    def exists(self, principal):
        if principal not in self.known:
            self.known[principal] = self.look(principal)
        return self.known[principal]

    def look(self, principal):
        if not os.access(os.path.join(self.config, "user"), os.R_OK | os.X_OK):
            return None
        paths = [os.path.join(self.config, "user", dir_hash(principal), principal + ".seen")]
        inbox = self.inbox_id(principal)
        if inbox:
            paths.append(os.path.join(self.config, "user/uuid", inbox[0], inbox[1], inbox,
                                      "seen.db"))
        return any(os.path.exists(path) for path in paths)

    def inbox_id(self, principal):
        """The uniqueid of the principal's INBOX (STATUS MAILBOXID as its owner), if any."""
        if principal == self.admin:
            return None
        imap = self.session(principal)
        kind, _ = imap.connection._simple_command("STATUS", "INBOX", "(MAILBOXID)")
        for line in imap.untagged("STATUS") if kind == "OK" else []:
            start = line.find(b"MAILBOXID (")
            if start >= 0:
                return line[start + 11:line.index(b")", start)].decode()
        return None
