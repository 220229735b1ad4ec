"""Mail into an instance over LMTP, as an MTA would hand it to Cyrus.

Several recipients of one message go in one LMTP transaction, so Cyrus's single-instance
store hard-links one file into each mailbox (what `rsync -H` must keep). Each message has a
Message-ID of its own (a random token), printed on standard output, one per line.
"""

import email.utils
import time
import uuid

from . import InstanceError, wire


def filler(size, label):
    """A body of about SIZE bytes (compressible text lines)."""
    line = f"{label}: the quick brown fox jumps over the lazy dog 0123456789\r\n"
    return line * (size // len(line) + 1) if size > 0 else ""


def message(recipients, subject, size, sequence):
    message_id = f"<{uuid.uuid4().hex}.{sequence}@cyrus-instance.test>"
    headers = (
        "From: sender@example.org\r\n"
        f"To: {', '.join(r + '@example.org' for r in recipients)}\r\n"
        f"Subject: {subject}\r\n"
        f"Date: {email.utils.formatdate(usegmt=True)}\r\n"
        f"Message-ID: {message_id}\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n"
        "\r\n"
    )
    body = f"Delivered by cyrus-instance.py to {', '.join(recipients)}.\r\n"
    body += filler(size - len(headers) - len(body), subject)
    return message_id, (headers + body).encode()


def recipient(user, folder, realm):
    """`user+folder@realm`: lmtpd files into INBOX.folder (lmtpd -a may post anywhere)."""
    local = f"{user}+{folder}" if folder else user
    if any(c in local for c in ' "\\'):
        local = '"' + local.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{local}@{realm}"


def deliver(instance, users, count, folder, size, subject, interval):
    """COUNT messages to USERS (one transaction each); returns their Message-IDs. Raises when
    lmtpd refuses a recipient or a message (nothing is retried)."""
    if count < 1:
        raise InstanceError("--count must be at least 1")
    rcpts = [recipient(u, folder, instance.info["realm"]) for u in users]
    ids = []
    lmtp = wire.Lmtp(instance)
    try:
        for n in range(1, count + 1):
            if n > 1 and interval > 0:
                time.sleep(interval)
            message_id, data = message(users, subject or f"Delivery {n}", size, n)
            for rcpt, reply in lmtp.deliver("sender@example.org", rcpts, data):
                if not reply.startswith("2"):
                    raise InstanceError(f"LMTP refused {message_id} for {rcpt}: {reply}",
                                        status=1)
            ids.append(message_id)
            print(message_id, flush=True)
    finally:
        lmtp.quit()
    return ids
