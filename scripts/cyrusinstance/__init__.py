"""Real Cyrus 3.6 test instances, driven by scripts/cyrus-instance.py (stdlib only).

Modules: `layout` (an instance's files: create, instance.json), `service` (start, stop,
status: master and its processes), `wire` (IMAP, LMTP, ManageSieve clients), `actions`
(changes over IMAP), `deliver` (mail over LMTP), `state` (what an instance serves, as JSON),
`legacy22` (a generated Cyrus 2.2 root).
"""


class InstanceError(Exception):
    """Cannot do what was asked (bad root, Cyrus refused, timeout): exit status 2 unless a
    command says otherwise; the message names what to look at."""

    def __init__(self, message, status=2):
        super().__init__(message)
        self.status = status
