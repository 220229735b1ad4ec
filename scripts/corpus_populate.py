#!/usr/bin/env python3
"""Fill a throwaway Cyrus 3.6 instance with fixture data over IMAP, LMTP and ManageSieve.

Called by make-corpus.sh; stdlib only. Internal dates of APPENDed messages are fixed; LMTP
deliveries get the server's clock. What it creates is listed in corpora/README.md.
"""
import argparse
import base64
import imaplib
import socket
import sys

p = argparse.ArgumentParser()
p.add_argument("--imap", type=int, required=True)
p.add_argument("--lmtp", type=int, required=True)
p.add_argument("--sieve", type=int, required=True)
p.add_argument("--password", required=True)
p.add_argument("--realm", required=True)
args = p.parse_args()
HOST = "127.0.0.1"
imaplib.Commands.setdefault("SETMETADATA", ("AUTH", "SELECTED"))


def ok(resp, what):
    typ, data = resp
    if typ != "OK":
        sys.exit("IMAP %s failed: %s %r" % (what, typ, data))
    return data


def login(user):
    c = imaplib.IMAP4(HOST, args.imap)
    ok(c.login(user, args.password), "login " + user)
    return c


def q(name):
    return '"%s"' % name


def message(n, subject, sender, to, body, date):
    return (
        "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\n"
        "Message-ID: <fixture-%d@example.org>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n\r\n%s" % (sender, to, subject, date, n, body)
    ).encode()


def filler(label, size):
    """Highly compressible body of about `size` bytes."""
    line = "%s: the quick brown fox jumps over the lazy dog 0123456789\r\n" % label
    return line * (size // len(line) + 1)


counter = [0]


def append(c, mailbox, subject, size=0, flags="", day=1, owner="x"):
    counter[0] += 1
    n = counter[0]
    date = "%02d-Jan-2024 %02d:%02d:00 +0000" % (day, 8 + n % 10, n % 60)
    hdr_date = "Mon, %d Jan 2024 %02d:%02d:00 +0000" % (day, 8 + n % 10, n % 60)
    body = "Message %d for %s.\r\n" % (n, owner) + (filler(subject, size) if size else "")
    msg = message(n, subject, "sender@example.org", owner + "@example.org", body, hdr_date)
    ok(c.append(q(mailbox), flags or None, '"%s"' % date, msg), "append " + mailbox)


# --- admin: users, folders, shared mailbox, ACLs, quota ---------------------------------------
adm = login("cyrus")
mailboxes = [
    "user.anna", "user.anna.Sent", "user.anna.Archive", "user.anna.Archive.2023",
    "user.anna.Entw&APw-rfe", "user.anna.Projects",
    "user.bert", "user.bert.Sent", "user.bert.My Folder", "user.bert.Old Stuff",
    "user.carla", "user.carla.Projects", "user.carla.Projects.Alpha", "user.carla.Temp",
    "shared.announcements",
]
for m in mailboxes:
    ok(adm.create(q(m)), "create " + m)
ok(adm.setacl("shared.announcements", "cyrus", "lrswipkxtecda"), "setacl")
ok(adm.setacl("shared.announcements", "anyone", "lrs"), "setacl")
ok(adm.setacl("shared.announcements", "anna", "lrswi"), "setacl")
ok(adm._simple_command("SETQUOTA", "user.carla", "(STORAGE 5120 MESSAGE 100)"), "setquota")
for i in range(3):
    append(adm, "shared.announcements", "Announcement %d" % (i + 1), size=300 * i, day=2,
           owner="all")

# --- users: messages with fixed internal dates, \Seen, expunges, subscriptions, ACLs ---------
anna = login("anna")
for i in range(6):
    append(anna, "INBOX", "Hello anna %d" % i, size=200 * i, day=3,
           flags="(\\Seen)" if i < 3 else "", owner="anna")
append(anna, "INBOX", "Big attachment", size=1_200_000, day=4, flags="(\\Seen \\Flagged)",
       owner="anna")
append(anna, "INBOX.Sent", "Re: hello", size=500, day=4, flags="(\\Seen)", owner="anna")
append(anna, "INBOX.Archive.2023", "Old report", size=4000, day=1, flags="(\\Seen)", owner="anna")
append(anna, "INBOX.Entw&APw-rfe", "Draft letter", size=100, day=5, flags="(\\Draft)",
       owner="anna")
for i in range(2):
    append(anna, "INBOX.Projects", "Project note %d" % i, size=1000, day=5, owner="anna")
ok(anna.select("INBOX"), "select")
ok(anna.store("2,5", "+FLAGS", "(\\Deleted)"), "store")
ok(anna.expunge(), "expunge")
ok(anna.setacl("INBOX.Projects", "bert", "lrs"), "setacl")
ok(anna._simple_command("SETMETADATA", "INBOX", '(/private/comment "anna\'s inbox")'),
   "setmetadata")
append(anna, "shared.announcements", "Posted by anna", size=100, day=6, owner="all")
for m in ["INBOX", "INBOX.Sent", "INBOX.Archive", "INBOX.Entw&APw-rfe", "shared.announcements"]:
    ok(anna.subscribe(q(m)), "subscribe " + m)
anna.logout()

bert = login("bert")
for i in range(4):
    append(bert, "INBOX", "Hello bert %d" % i, size=100 * i, day=3,
           flags="(\\Seen)" if i % 2 else "", owner="bert")
append(bert, "INBOX.My Folder", "Very big log", size=1_600_000, day=4, flags="(\\Seen)",
       owner="bert")
append(bert, "INBOX.Old Stuff", "To be deleted", size=100, day=1, owner="bert")
for m in ["INBOX", "INBOX.Sent", "INBOX.My Folder", "INBOX.Old Stuff", "shared.announcements",
          "user.anna.Projects"]:
    ok(bert.subscribe(q(m)), "subscribe " + m)
# non-owner seen state: goes to bert's seen.db, not to the index
ok(bert.select("shared.announcements"), "select")
ok(bert.store("1:2", "+FLAGS", "(\\Seen)"), "store")
ok(bert.select("user.anna.Projects"), "select")
ok(bert.store("1", "+FLAGS", "(\\Seen)"), "store")
ok(bert.select("INBOX"), "select")
ok(bert.delete(q("INBOX.Old Stuff")), "delete")  # delete_mode delayed: DELETED.user.bert...
ok(bert.setacl(q("INBOX.My Folder"), "carla", "lr"), "setacl")
bert.logout()

carla = login("carla")
for i in range(3):
    append(carla, "INBOX", "Hello carla %d" % i, size=50 * i, day=3, owner="carla")
append(carla, "INBOX.Projects.Alpha", "Alpha spec", size=2000, day=5, flags="(\\Seen)",
       owner="carla")
append(carla, "INBOX.Temp", "Temporary", size=10, day=5, owner="carla")
for m in ["INBOX", "INBOX.Projects.Alpha", "INBOX.Temp"]:
    ok(carla.subscribe(q(m)), "subscribe " + m)
ok(carla._simple_command("RENAME", "INBOX.Temp", "INBOX.Projects.Beta"), "rename")
ok(carla.setacl("INBOX", "anyone", "p"), "setacl")
ok(carla.select("shared.announcements"), "select")
ok(carla.store("3", "+FLAGS", "(\\Seen)"), "store")
carla.logout()


# --- ManageSieve: a script for anna ----------------------------------------------------------
def sieve_put(user, name, script):
    s = socket.create_connection((HOST, args.sieve), timeout=10)
    f = s.makefile("rwb")

    def response():
        lines = []
        while True:
            line = f.readline()
            if not line:
                sys.exit("sieve: connection closed")
            lines.append(line)
            if line.startswith((b"OK", b"NO", b"BYE")):
                if not line.startswith(b"OK"):
                    sys.exit("sieve: %r" % lines)
                return lines

    response()
    token = base64.b64encode(("\0%s\0%s" % (user, args.password)).encode()).decode()
    f.write(b'AUTHENTICATE "PLAIN" "%s"\r\n' % token.encode()); f.flush(); response()
    data = script.encode()
    f.write(b'PUTSCRIPT "%s" {%d+}\r\n%s\r\n' % (name.encode(), len(data), data)); f.flush()
    response()
    f.write(b'SETACTIVE "%s"\r\n' % name.encode()); f.flush(); response()
    f.write(b"LOGOUT\r\n"); f.flush()
    s.close()


sieve_put("anna", "filter", 'require ["fileinto"];\r\n'
          'if header :contains "subject" "report" {\r\n  fileinto "INBOX.Archive";\r\n}\r\n')


# --- LMTP: multi-recipient deliveries (single-instance store hard-links the file) ------------
def lmtp(rcpts, subject, size=0):
    counter[0] += 1
    body = "Delivered by LMTP to %s.\r\n" % ", ".join(rcpts) + (filler(subject, size) if size else "")
    msg = message(counter[0], subject, "list@example.org", "team@example.org", body,
                  "Tue, 9 Jan 2024 12:00:00 +0000")
    s = socket.create_connection((HOST, args.lmtp), timeout=10)
    f = s.makefile("rwb")

    def reply():
        while True:
            line = f.readline()
            if not line:
                sys.exit("lmtp: connection closed")
            if line[3:4] != b"-":
                if line[:1] not in b"23":
                    sys.exit("lmtp: %r" % line)
                return line

    reply()
    f.write(b"LHLO fixture.example.org\r\n"); f.flush(); reply()
    f.write(b"MAIL FROM:<list@example.org>\r\n"); f.flush(); reply()
    for r in rcpts:
        f.write(b"RCPT TO:<%s>\r\n" % r.encode()); f.flush(); reply()
    f.write(b"DATA\r\n"); f.flush(); reply()
    lines = msg.split(b"\r\n")
    f.write(b"\r\n".join(b"." + l if l.startswith(b".") else l for l in lines) + b"\r\n.\r\n")
    f.flush()
    for _ in rcpts:
        reply()
    f.write(b"QUIT\r\n"); f.flush(); reply()
    s.close()


lmtp(["anna", "bert", "carla"], "Team meeting", size=3000)
lmtp(["bert", "carla"], "Quarterly dump", size=1_100_000)
lmtp(["anna"], "Monthly report")  # filed into INBOX.Archive by anna's sieve script

# A seen change by the owner after delivery
anna = login("anna")
ok(anna.select("INBOX"), "select")
typ, data = anna.search(None, "SUBJECT", '"Team meeting"')
ok(anna.store(data[0].decode().split()[-1], "+FLAGS", "(\\Seen)"), "store")
anna.logout()
adm.logout()
print("populated: %d messages" % counter[0])
