"""Clients for what an instance serves: IMAP (imaplib), LMTP and ManageSieve (sockets).

Mailbox names are passed and shown as they are on the wire: the user's view (`INBOX.Sent`,
`user.bert.My Folder`, `shared.news`), non-ASCII in modified UTF-7 (`Entw&APw-rfe`). A name
given with non-ASCII characters is encoded first.
"""

import base64
import imaplib
import re
import socket

from . import InstanceError

TIMEOUT = 30  # seconds for any one network operation


def mutf7(name):
    """RFC 3501 5.1.3 modified UTF-7 of NAME (ASCII stays, `&` becomes `&-`)."""
    out, pending = [], []

    def flush():
        if pending:
            data = "".join(pending).encode("utf-16-be")
            out.append("&" + base64.b64encode(data).decode().rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    return "".join(out)


def quote(name):
    """An IMAP quoted string."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def ok(response, what):
    kind, data = response
    if kind != "OK":
        raise InstanceError(f"IMAP {what}: {kind} {data!r}", status=1)
    return data


class Imap:
    """A logged-in IMAP session on the instance (a context manager that logs out)."""

    def __init__(self, instance, user):
        self.user = user
        try:
            self.connection = imaplib.IMAP4(instance.info["host"], instance.ports["imap"],
                                            timeout=TIMEOUT)
        except OSError as error:
            raise InstanceError(
                f"{instance.root}: no IMAP on port {instance.ports['imap']} ({error}); "
                "is it started?", status=1)
        try:
            ok(self.connection.login(user, instance.password), f"LOGIN {user}")
        except imaplib.IMAP4.error as error:
            raise InstanceError(f"IMAP LOGIN {user}: {error}", status=1)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        try:
            self.connection.logout()
        except (imaplib.IMAP4.error, OSError):
            pass

    def command(self, name, *arguments, what=None):
        """A command imaplib has no method for (or whose quoting it gets wrong): untagged
        responses are collected by imaplib; returns its data."""
        imaplib.Commands.setdefault(name, ("AUTH", "SELECTED"))
        try:
            return ok(self.connection._simple_command(name, *arguments), what or name)
        except imaplib.IMAP4.error as error:
            raise InstanceError(f"IMAP {what or name}: {error}", status=1)

    def untagged(self, name):
        """Untagged responses of the last command named NAME (imaplib keeps them)."""
        return self.connection.untagged_responses.pop(name, [])

    def examine(self, mailbox):
        """EXAMINE (read-only: changes no \\Seen); False when refused (no right)."""
        kind, _ = self.connection.select(quote(mailbox), readonly=True)
        return kind == "OK"


def parse_list_line(line):
    """One LIST/LSUB response (bytes, or imaplib's (head, literal) tuple) into
    (attributes, delimiter, name)."""
    if isinstance(line, tuple):
        head, literal = line
        match = re.match(rb"\(([^)]*)\) (NIL|\"(?:[^\"\\]|\\.)*\") \{\d+\}$", head)
        if not match:
            raise InstanceError(f"unexpected LIST response {line!r}", status=1)
        return match.group(1).decode().split(), match.group(2).decode(), literal.decode()
    match = re.match(rb"\(([^)]*)\) (NIL|\"(?:[^\"\\]|\\.)*\") (.*)$", line)
    if not match:
        raise InstanceError(f"unexpected LIST response {line!r}", status=1)
    name = match.group(3).decode()
    if name.startswith('"'):
        name = re.sub(r"\\(.)", r"\1", name[1:-1])
    return match.group(1).decode().split(), match.group(2).decode(), name


def list_mailboxes(imap, command="LIST"):
    """LIST (or LSUB) "" "*" as [(name, sorted attributes)] sorted by name."""
    method = imap.connection.list if command == "LIST" else imap.connection.lsub
    data = ok(method('""', "*"), command)
    result = []
    for line in data:
        if line is None or line == b")":
            continue
        attributes, _, name = parse_list_line(line)
        result.append((name, sorted(attributes)))
    return sorted(result)


class LineClient:
    """A line protocol over TCP (LMTP, ManageSieve)."""

    def __init__(self, instance, service):
        try:
            self.socket = socket.create_connection(
                (instance.info["host"], instance.ports[service]), timeout=TIMEOUT)
        except OSError as error:
            raise InstanceError(
                f"{instance.root}: no {service} on port {instance.ports[service]} ({error}); "
                "is it started?", status=1)
        self.file = self.socket.makefile("rwb")

    def send(self, data):
        self.file.write(data)
        self.file.flush()

    def line(self, what):
        line = self.file.readline()
        if not line:
            raise InstanceError(f"{what}: connection closed", status=1)
        return line

    def close(self):
        try:
            self.file.close()
            self.socket.close()
        except OSError:
            pass


class Lmtp(LineClient):
    """LMTP to lmtpd -a (pre-authenticated: no AUTH, delivery to any mailbox)."""

    def __init__(self, instance):
        super().__init__(instance, "lmtp")
        self.reply("greeting")
        self.command(b"LHLO cyrus-instance.test", "LHLO")

    def reply(self, what):
        """The last line of a (multi-line) reply; raises unless 2xx or 3xx."""
        while True:
            line = self.line(what)
            if line[3:4] != b"-":
                if line[:1] not in b"23":
                    raise InstanceError(f"LMTP {what}: {line.decode(errors='replace').strip()}",
                                        status=1)
                return line

    def command(self, data, what):
        self.send(data + b"\r\n")
        return self.reply(what)

    def deliver(self, sender, recipients, message):
        """One transaction; [(recipient, reply line)] with one reply per recipient."""
        self.command(b"MAIL FROM:<%s>" % sender.encode(), "MAIL FROM")
        for recipient in recipients:
            self.command(b"RCPT TO:<%s>" % recipient.encode(), f"RCPT TO {recipient}")
        self.command(b"DATA", "DATA")
        lines = message.split(b"\r\n")
        self.send(b"\r\n".join(b"." + l if l.startswith(b".") else l for l in lines) + b".\r\n")
        replies = []
        for recipient in recipients:
            line = self.line(f"DATA for {recipient}")
            replies.append((recipient, line.decode(errors="replace").strip()))
        return replies

    def quit(self):
        try:
            self.command(b"QUIT", "QUIT")
        except (InstanceError, OSError):
            pass
        self.close()


class ManageSieve(LineClient):
    """RFC 5804 over plain TCP, AUTHENTICATE PLAIN (allowplaintext)."""

    def __init__(self, instance, user):
        super().__init__(instance, "sieve")
        self.response("greeting")
        token = base64.b64encode(f"\0{user}\0{instance.password}".encode())
        self.command(b'AUTHENTICATE "PLAIN" "%s"' % token, f"AUTHENTICATE {user}")

    def response(self, what):
        """Lines up to the OK; literals read whole. Raises on NO or BYE."""
        lines = []
        while True:
            line = self.line(what)
            literal = re.search(rb"\{(\d+)\+?\}\r\n$", line)
            if literal:
                data = self.file.read(int(literal.group(1)))
                lines.append((line, data, self.line(what)))
                continue
            if line.startswith((b"OK", b"NO", b"BYE")):
                if not line.startswith(b"OK"):
                    raise InstanceError(f"ManageSieve {what}: {line.decode().strip()}", status=1)
                return lines
            lines.append(line)

    def command(self, data, what):
        self.send(data + b"\r\n")
        return self.response(what)

    @staticmethod
    def string(text):
        data = text.encode()
        return b"{%d+}\r\n%s" % (len(data), data)

    def put(self, name, script):
        self.command(b"PUTSCRIPT %s %s" % (self.string(name), self.string(script)),
                     f"PUTSCRIPT {name}")

    def activate(self, name):
        self.command(b"SETACTIVE %s" % self.string(name), f"SETACTIVE {name}")

    def scripts(self):
        """[(name, active)] from LISTSCRIPTS."""
        result = []
        for line in self.command(b"LISTSCRIPTS", "LISTSCRIPTS"):
            if isinstance(line, tuple):
                name, rest = line[1].decode(), line[2]
            else:
                match = re.match(rb'"((?:[^"\\]|\\.)*)"(.*)', line)
                if not match:
                    continue
                name, rest = match.group(1).decode(), match.group(2)
            result.append((name, b"ACTIVE" in rest.upper()))
        return sorted(result)

    def get(self, name):
        for line in self.command(b"GETSCRIPT %s" % self.string(name), f"GETSCRIPT {name}"):
            if isinstance(line, tuple):
                return line[1]
        return b""

    def logout(self):
        try:
            self.command(b"LOGOUT", "LOGOUT")
        except InstanceError:
            pass
        self.close()
