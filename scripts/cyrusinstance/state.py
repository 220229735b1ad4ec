"""What an instance serves over IMAP (and ManageSieve), as one deterministic JSON document.

Read-only: EXAMINE and BODY.PEEK, so reading changes no \\Seen and no \\Recent. Two instances
that serve the same mail give byte-identical documents (keys sorted, lists in a fixed order),
so a faithful copy compares equal with `==`. The principals are the admin and the users
(instance.json's, or --users). Included, and nothing else:

  users.P            null for a user without INBOX (logging in would create it), else:
  users.P.list       LIST "" "*" as P: [{name, attributes}] by name (names as P sees them)
  users.P.lsub       LSUB "" "*" as P, the same way
  users.P.sieve      ManageSieve LISTSCRIPTS as P: [{name, active, sha1 of GETSCRIPT}]
                     (not for the admin); [] without logging in when P has no mailbox
                     user.P.#sieve, since timsieved creates it at login (3.6 keeps the
                     scripts there; the compiled ones are in sievedir, which this does not
                     see: a copy without sievedir serves the same state, files mail otherwise)
  mailboxes.NAME     every mailbox any principal lists (internal name: user.anna.Sent):
    acl              GETACL as the admin: {identifier: rights}
    quotaroots       GETQUOTAROOT as the admin: [root names]
    readable         whether a principal has the right r (false: nothing below); the
                     messages are read as the owner, else as the first (admin, then users by
                     name) with r and a seen database, else as the first with r: the same
                     answers whoever reads, \\Seen apart
    mailboxid        the uniqueid (RFC 8474 MAILBOXID of EXAMINE)
    uidvalidity, uidnext, highestmodseq (unless --no-modseq)
    messages         [{uid, flags (without \\Seen and \\Recent, sorted), size (RFC822.SIZE),
                     internaldate (seconds since the epoch), modseq (unless --no-modseq),
                     message_id, sha1 (of BODY.PEEK[]; both unless --no-content)}] by UID
    seen             {principal: UIDs that principal sees \\Seen, as a sequence set} for
                     every principal with the right r (owner: the index's \\Seen; others:
                     their seen database; "" unasked for one without a seen database)
  quotas             {root: {resource: [usage, limit]}} for every root named above

Writes nothing: a principal without a seen database is not made to EXAMINE others'
mailboxes (Cyrus would create one), save when no other principal may read a mailbox; then
that principal's empty seen database is created (for a shared mailbox only the admin may
read: add the admin's rights in the scenario and it happens once, on both sides alike).
Cyrus itself binds a socket <configdirectory>/socket/idle.<pid> per imapd while it runs.

Left out: \\Recent (it belongs to a session), annotations and METADATA, mailboxes that
no principal may read (their messages; DELETED.* holds of a delayed delete, unless the admin
has rights on them), and which file a message lives in.
"""

import email.parser
import hashlib
import json
import re
from datetime import datetime

from . import InstanceError, seendb, wire

FORMAT = "cyrus-instance-state 1"
TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|\(|\)|[^\s()]+')


def tokens(data):
    """IMAP atoms and quoted strings (unquoted), parentheses as themselves."""
    result = []
    for token in TOKEN.findall(data):
        if token.startswith(b'"'):
            token = re.sub(rb"\\(.)", rb"\1", token[1:-1])
        result.append(token.decode())
    return result


def sequence_set(uids):
    """Sorted UIDs as an IMAP sequence set: 1:3,5,9 (empty string for none)."""
    parts, uids = [], sorted(uids)
    i = 0
    while i < len(uids):
        j = i
        while j + 1 < len(uids) and uids[j + 1] == uids[j] + 1:
            j += 1
        parts.append(str(uids[i]) if i == j else f"{uids[i]}:{uids[j]}")
        i = j + 1
    return ",".join(parts)


def internal_name(principal, admin, name):
    """The internal name of a mailbox as PRINCIPAL lists it (altnamespace off, `.`)."""
    if principal != admin:
        if name == "INBOX":
            return f"user.{principal}"
        if name.startswith("INBOX."):
            return f"user.{principal}{name[5:]}"
    return name


def view_name(principal, admin, internal):
    if principal != admin:
        own = f"user.{principal}"
        if internal == own:
            return "INBOX"
        if internal.startswith(own + "."):
            return "INBOX" + internal[len(own):]
    return internal


def owner_of(internal):
    parts = internal.split(".")
    return parts[1] if parts[0] == "user" and len(parts) > 1 else None


def epoch(internaldate):
    return int(datetime.strptime(internaldate.strip(), "%d-%b-%Y %H:%M:%S %z").timestamp())


FETCH_ITEM = re.compile(
    rb"UID (\d+)|FLAGS \(([^)]*)\)|RFC822\.SIZE (\d+)|INTERNALDATE \"([^\"]*)\"|MODSEQ \((\d+)\)")


def fetch_summaries(imap, items):
    """UID FETCH 1:* ITEMS as {uid: {flags, size, internaldate, modseq}}."""
    kind, data = imap.connection.uid("FETCH", "1:*", f"({items})")
    if kind != "OK":
        raise InstanceError(f"UID FETCH as {imap.user}: {kind} {data!r}", status=1)
    result = {}
    for line in data:
        if not isinstance(line, bytes) or b"UID " not in line:
            continue
        fields = {}
        for match in FETCH_ITEM.finditer(line):
            uid, flags, size, date, modseq = match.groups()
            if uid:
                fields["uid"] = int(uid)
            elif flags is not None:
                fields["flags"] = flags.decode().split()
            elif size:
                fields["size"] = int(size)
            elif date:
                fields["internaldate"] = epoch(date.decode())
            elif modseq:
                fields["modseq"] = int(modseq)
        result[fields.pop("uid")] = fields
    return result


def fetch_contents(imap):
    """UID FETCH 1:* BODY.PEEK[] as {uid: (message_id, sha1)}."""
    kind, data = imap.connection.uid("FETCH", "1:*", "(UID BODY.PEEK[])")
    if kind != "OK":
        raise InstanceError(f"UID FETCH BODY.PEEK[] as {imap.user}: {kind} {data!r}", status=1)
    result = {}
    for item in data:
        if not isinstance(item, tuple):
            continue
        match = re.search(rb"UID (\d+)", item[0])
        if not match:
            raise InstanceError(f"FETCH response without UID: {item[0]!r}", status=1)
        body = item[1]
        header = email.parser.BytesHeaderParser().parsebytes(body)
        message_id = " ".join(str(header.get("Message-ID", "")).split()) or None
        result[int(match.group(1))] = (message_id, hashlib.sha1(body).hexdigest())
    return result


def examine_codes(imap):
    """UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ, MAILBOXID of the last EXAMINE (imaplib files each
    response code under its own name)."""
    codes = {}
    for code in ("UIDVALIDITY", "UIDNEXT", "HIGHESTMODSEQ"):
        values = imap.connection.untagged_responses.get(code)
        if values:
            codes[code.lower()] = int(values[-1])
    values = imap.connection.untagged_responses.get("MAILBOXID")
    if values:
        codes["mailboxid"] = values[-1].decode().strip("()")
    return codes


class Collector:
    """Reads one instance's state with one IMAP session per principal."""

    def __init__(self, instance, users, content, modseq):
        self.instance = instance
        self.admin = instance.admin
        self.users = sorted(users)
        self.principals = [self.admin] + self.users
        self.content = content
        self.modseq = modseq
        self.sessions = {}
        self.seen_databases = seendb.SeenDatabases(instance, self.session)

    def session(self, principal):
        if principal not in self.sessions:
            imap = wire.Imap(self.instance, principal)
            self.sessions[principal] = imap
            if self.modseq:
                imap.command("ENABLE", "CONDSTORE")
        return self.sessions[principal]

    def close(self):
        for imap in self.sessions.values():
            imap.__exit__(None, None, None)

    def collect(self):
        users, visible = {}, {}
        for principal in self.principals:
            if principal != self.admin and f"user.{principal}" not in visible:
                # Logging in would create the INBOX (autocreate_quota: 0, as on Debian).
                users[principal] = None
                continue
            imap = self.session(principal)
            listed = wire.list_mailboxes(imap, "LIST")
            users[principal] = {
                "list": [{"name": n, "attributes": a} for n, a in listed],
                "lsub": [{"name": n, "attributes": a}
                         for n, a in wire.list_mailboxes(imap, "LSUB")],
            }
            for name, attributes in listed:
                if not {"\\Noselect", "\\NonExistent"} & set(attributes):
                    internal = internal_name(principal, self.admin, name)
                    visible.setdefault(internal, []).append(principal)
            if principal != self.admin:
                # timsieved creates user.P.#sieve at login: only read where it exists.
                has_scripts = f"user.{principal}.#sieve" in visible
                users[principal]["sieve"] = self.sieve(principal) if has_scripts else []
        mailboxes, roots = {}, set()
        for internal in sorted(visible):
            mailbox = self.mailbox(internal, visible[internal])
            roots.update(mailbox["quotaroots"])
            mailboxes[internal] = mailbox
        return {
            "format": FORMAT,
            "options": {"content": self.content, "modseq": self.modseq},
            "principals": self.principals,
            "users": users,
            "mailboxes": mailboxes,
            "quotas": self.quotas(sorted(roots)),
        }

    def readers(self, internal, listed_by):
        owner = owner_of(internal)
        order = ([owner] if owner in self.users else []) + [self.admin] + self.users
        result = []
        for principal in order:
            if principal in listed_by and principal not in result:
                result.append(principal)
        return result

    def mailbox(self, internal, listed_by):
        admin = self.session(self.admin)
        record = {"acl": self.acl(admin, internal), "quotaroots": self.quotaroots(admin, internal),
                  "readable": False}
        owner = owner_of(internal)
        # EXAMINE by a non-owner opens (and creates) that principal's seen database, even
        # when refused: only those with the right r examine, and one without a seen database
        # sees nothing \Seen here, which is recorded without asking.
        allowed = [p for p in self.readers(internal, listed_by)
                   if "r" in self.myrights(p, internal)]
        quiet = [p for p in allowed if p == owner or self.seen_databases.exists(p) is not False]
        seen = {p: "" for p in allowed if p not in quiet}
        for principal in quiet or allowed[:1]:
            imap = self.session(principal)
            if not imap.examine(view_name(principal, self.admin, internal)):
                continue
            items = "UID FLAGS" if record["readable"] else "UID FLAGS RFC822.SIZE INTERNALDATE"
            if self.modseq and not record["readable"]:
                items += " MODSEQ"
            summaries = fetch_summaries(imap, items)
            seen[principal] = sequence_set(
                uid for uid, s in summaries.items() if "\\Seen" in s["flags"])
            if not record["readable"]:
                record.update(self.messages(imap, summaries))
        record["seen"] = seen
        return record

    def myrights(self, principal, internal):
        imap = self.session(principal)
        name = wire.quote(view_name(principal, self.admin, internal))
        imap.command("MYRIGHTS", name, what=f"MYRIGHTS {internal} as {principal}")
        words = []
        for line in imap.untagged("MYRIGHTS"):
            words = tokens(line)
        return words[-1] if len(words) > 1 else ""

    def messages(self, imap, summaries):
        codes = examine_codes(imap)
        result = {"readable": True, "mailboxid": codes.get("mailboxid"),
                  "uidvalidity": codes.get("uidvalidity"), "uidnext": codes.get("uidnext")}
        if self.modseq:
            result["highestmodseq"] = codes.get("highestmodseq")
        contents = fetch_contents(imap) if self.content and summaries else {}
        messages = []
        for uid in sorted(summaries):
            s = summaries[uid]
            message = {
                "uid": uid,
                "flags": sorted(f for f in s["flags"] if f not in ("\\Seen", "\\Recent")),
                "size": s["size"],
                "internaldate": s["internaldate"],
            }
            if self.modseq:
                message["modseq"] = s.get("modseq")
            if self.content:
                message["message_id"], message["sha1"] = contents.get(uid, (None, None))
            messages.append(message)
        result["messages"] = messages
        return result

    def acl(self, admin, internal):
        data = admin.command("GETACL", wire.quote(internal), what=f"GETACL {internal}")
        words = []
        for line in admin.untagged("ACL"):
            words = tokens(line)[1:]
        return dict(zip(words[::2], words[1::2]))

    def quotaroots(self, admin, internal):
        admin.command("GETQUOTAROOT", wire.quote(internal), what=f"GETQUOTAROOT {internal}")
        admin.untagged("QUOTA")
        roots = []
        for line in admin.untagged("QUOTAROOT"):
            roots += tokens(line)[1:]
        return sorted(roots)

    def quotas(self, roots):
        admin = self.session(self.admin)
        result = {}
        for root in roots:
            admin.command("GETQUOTA", wire.quote(root), what=f"GETQUOTA {root}")
            for line in admin.untagged("QUOTA"):
                words = [w for w in tokens(line) if w not in ("(", ")")]
                resources = words[1:]
                result[words[0]] = {
                    resources[i]: [int(resources[i + 1]), int(resources[i + 2])]
                    for i in range(0, len(resources) - 2, 3)
                }
        return result

    def sieve(self, principal):
        client = wire.ManageSieve(self.instance, principal)
        try:
            return [
                {"name": name, "active": active,
                 "sha1": hashlib.sha1(client.get(name)).hexdigest()}
                for name, active in client.scripts()
            ]
        finally:
            client.logout()


def collect(instance, users=None, content=True, modseq=True):
    """The state document of a running instance."""
    collector = Collector(instance, instance.users if users is None else users, content, modseq)
    try:
        return collector.collect()
    finally:
        collector.close()


def dumps(document):
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
