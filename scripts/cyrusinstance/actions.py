"""Changes over IMAP, as a user (or the admin) would make them: `imap ROOT USER ACTION…`.

Several actions run in one session when separated by `--`. Each action:

  create MAILBOX                     delete MAILBOX             rename OLD NEW
  subscribe MAILBOX                  unsubscribe MAILBOX
  store MAILBOX UIDS OP FLAG...      OP: +FLAGS, -FLAGS or FLAGS (UID STORE; e.g. +FLAGS '\\Seen')
  expunge MAILBOX UIDS               \\Deleted on those UIDs, then UID EXPUNGE
  append MAILBOX [--flags F,F] [--size BYTES] [--subject TEXT] [--date INTERNALDATE]
                                     prints the new message's UID (APPENDUID)
  setacl MAILBOX IDENTIFIER RIGHTS   deleteacl MAILBOX IDENTIFIER
  setquota QUOTAROOT RESOURCE LIMIT [RESOURCE LIMIT...]   (the admin; e.g. STORAGE 5120)

MAILBOX is the user's view (INBOX, INBOX.Sent, user.bert.Shared, shared.news).
"""

import imaplib
import re
import time

from . import InstanceError, deliver, wire

ARITY = {
    "create": 1, "delete": 1, "rename": 2, "subscribe": 1, "unsubscribe": 1, "expunge": 2,
    "setacl": 3, "deleteacl": 2,
}


def split_actions(words):
    """ACTION ARGS [-- ACTION ARGS]... into lists."""
    actions, current = [], []
    for word in words:
        if word == "--":
            if current:
                actions.append(current)
            current = []
        else:
            current.append(word)
    if current:
        actions.append(current)
    if not actions:
        raise InstanceError("imap: no action given")
    for action in actions:
        check(action)
    return actions


def check(action):
    name, arguments = action[0], action[1:]
    if name in ARITY:
        if len(arguments) != ARITY[name]:
            raise InstanceError(f"imap {name}: {ARITY[name]} argument(s) expected, got {arguments}")
    elif name == "store":
        if len(arguments) < 3 or arguments[2].upper().removesuffix(".SILENT") not in (
            "+FLAGS", "-FLAGS", "FLAGS"):
            raise InstanceError(f"imap store: MAILBOX UIDS +FLAGS|-FLAGS|FLAGS FLAG..., got "
                                f"{arguments}")
    elif name == "append":
        if not arguments:
            raise InstanceError("imap append: MAILBOX expected")
        append_options(arguments[1:])
    elif name == "setquota":
        if len(arguments) < 3 or len(arguments) % 2 == 0:
            raise InstanceError("imap setquota: QUOTAROOT RESOURCE LIMIT [RESOURCE LIMIT...]")
    else:
        raise InstanceError(f"imap: unknown action {name!r}")


def append_options(words):
    options = {"flags": "", "size": 0, "subject": "Appended", "date": None}
    keys = {"--flags": "flags", "--size": "size", "--subject": "subject", "--date": "date"}
    if len(words) % 2:
        raise InstanceError(f"imap append: options come in pairs, got {words}")
    for key, value in zip(words[::2], words[1::2]):
        if key not in keys:
            raise InstanceError(f"imap append: unknown option {key}")
        options[keys[key]] = int(value) if key == "--size" else value
    return options


def select(imap, mailbox):
    wire.ok(imap.connection.select(wire.quote(wire.mutf7(mailbox))), f"SELECT {mailbox}")


def run(instance, user, actions):
    """Carries out the actions in order in one session; returns what they print."""
    printed = []
    with wire.Imap(instance, user) as imap:
        for action in actions:
            printed += perform(imap, action[0], action[1:])
    return printed


def perform(imap, name, arguments):
    c = imap.connection
    names = [wire.quote(wire.mutf7(a)) for a in arguments[:2]]
    if name == "create":
        wire.ok(c.create(names[0]), f"CREATE {arguments[0]}")
    elif name == "delete":
        wire.ok(c.delete(names[0]), f"DELETE {arguments[0]}")
    elif name == "rename":
        imap.command("RENAME", names[0], names[1], what=f"RENAME {arguments}")
    elif name == "subscribe":
        wire.ok(c.subscribe(names[0]), f"SUBSCRIBE {arguments[0]}")
    elif name == "unsubscribe":
        wire.ok(c.unsubscribe(names[0]), f"UNSUBSCRIBE {arguments[0]}")
    elif name == "store":
        select(imap, arguments[0])
        flags = "(" + " ".join(arguments[3:]) + ")"
        wire.ok(c.uid("STORE", arguments[1], arguments[2], flags), f"UID STORE {arguments}")
    elif name == "expunge":
        select(imap, arguments[0])
        wire.ok(c.uid("STORE", arguments[1], "+FLAGS.SILENT", "(\\Deleted)"), "UID STORE")
        imap.command("UID", "EXPUNGE", arguments[1], what=f"UID EXPUNGE {arguments}")
    elif name == "setacl":
        imap.command("SETACL", names[0], wire.quote(arguments[1]), wire.quote(arguments[2]),
                     what=f"SETACL {arguments}")
    elif name == "deleteacl":
        imap.command("DELETEACL", names[0], wire.quote(arguments[1]),
                     what=f"DELETEACL {arguments}")
    elif name == "setquota":
        limits = " ".join(arguments[1:])
        imap.command("SETQUOTA", names[0], f"({limits})", what=f"SETQUOTA {arguments}")
    elif name == "append":
        return [append(imap, arguments[0], append_options(arguments[1:]))]
    return []


def append(imap, mailbox, options):
    """APPEND; returns the UID Cyrus gave it (APPENDUID, RFC 4315)."""
    c = imap.connection
    _, data = deliver.message([imap.user], options["subject"], options["size"], 1)
    flags = "(" + " ".join(f for f in options["flags"].split(",") if f) + ")"
    date = wire.quote(options["date"]) if options["date"] else imaplib.Time2Internaldate(
        time.time())
    response = wire.ok(c.append(wire.quote(wire.mutf7(mailbox)), flags, date, data),
                       f"APPEND {mailbox}")
    match = re.search(rb"APPENDUID \d+ (\d+)", b" ".join(r for r in response if r))
    if not match:
        raise InstanceError(f"APPEND {mailbox}: no APPENDUID in {response!r}", status=1)
    return match.group(1).decode()
