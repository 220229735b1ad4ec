#!/usr/bin/env python3
"""cyrus-instance.py: real Cyrus 3.6 instances for tests, one root each (Python 3 stdlib).

  create ROOT [--users anna,bert,...] [--imap-port N] [--lmtp-port N] [--sieve-port N]
              [--free-ports] [--force] [--no-inboxes]
  start ROOT [--timeout S] [--stop-with PID]
  stop ROOT [--retry QUIT/30/TERM/10/KILL/5]
  status ROOT                       pid ROOT
  deliver ROOT USER[,USER...] [--count N] [--folder F] [--size BYTES] [--subject S]
              [--interval S]
  imap ROOT USER ACTION ARGS... [-- ACTION ARGS...]
  sieve ROOT USER NAME FILE [--activate]
  sieve-list ROOT USER              (logs in over ManageSieve: 3.6 then moves sievedir
                                    scripts into user.USER.#sieve)
  state ROOT [--users a,b] [--no-content] [--no-modseq] [--output FILE]
  create-22 ROOT [make-corpus-22.py options]

ROOT is laid out like a Debian 12 host (etc/, var/lib/cyrus, var/spool/cyrus/mail,
var/spool/sieve, run/), with ROOT/instance.json naming its ports, users and data areas.
`start`, `stop`, `status` are the service commands a sync calls for this instance. Exit
status: 0 done; 1 Cyrus refused or a wait ran out (the reason on standard error); 2 bad
usage or environment; `status`/`pid`: 3 stopped, `status`: 1 left-overs, 4 not an instance.
Details: corpora/README.md, "Test instances".
"""

import argparse
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the repository (root runs the tests)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cyrusinstance import InstanceError, actions, deliver, layout, legacy22, service, state, wire  # noqa: E402


def csv(text):
    return [part for part in text.split(",") if part]


def parser():
    p = argparse.ArgumentParser(
        prog="cyrus-instance.py", description=__doc__.split("\n", 2)[2],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = p.add_subparsers(dest="command", required=True)

    c = commands.add_parser("create", help="write a Cyrus 3.6 instance at ROOT")
    c.add_argument("root")
    c.add_argument("--users", type=csv, default=list(layout.DEFAULT_USERS))
    for service_name in ("imap", "lmtp", "sieve"):
        c.add_argument(f"--{service_name}-port", type=int)
    c.add_argument("--free-ports", action="store_true",
                   help="pick free ports (the default for every port not given)")
    c.add_argument("--force", action="store_true",
                   help="write etc/ and instance.json anew over an existing instance")
    c.add_argument("--no-inboxes", action="store_true",
                   help="do not start the new instance once to create the users' INBOXes")

    c = commands.add_parser("start", help="start master; wait until every service answers")
    c.add_argument("root")
    c.add_argument("--timeout", type=float, default=60)
    c.add_argument("--stop-with", type=int, metavar="PID",
                   help="stop the instance when process PID ends (a test's own pid)")
    c = commands.add_parser("watch")  # internal: the process --stop-with leaves behind
    c.add_argument("root")
    c.add_argument("--owner", type=int, required=True)
    c.add_argument("--owner-start", type=int, required=True)
    c.add_argument("--master", type=int, required=True)
    c = commands.add_parser("stop", help="stop master; wait until no process of it is left")
    c.add_argument("root")
    c.add_argument("--retry", default=service.DEFAULT_RETRY,
                   help="SIGNAL/SECONDS/... as start-stop-daemon (default %(default)s)")
    for name in ("status", "pid"):
        commands.add_parser(name).add_argument("root")

    c = commands.add_parser("deliver", help="deliver generated mail over LMTP")
    c.add_argument("root")
    c.add_argument("users", type=csv, help="one recipient, or several (one transaction)")
    c.add_argument("--count", type=int, default=1)
    c.add_argument("--folder", help="into INBOX.FOLDER (user+FOLDER); as on any Cyrus, only "
                   "when the folder grants anyone the right p, else lmtpd files it into INBOX")
    c.add_argument("--size", type=int, default=0, help="message size in bytes, about")
    c.add_argument("--subject")
    c.add_argument("--interval", type=float, default=0, help="seconds between messages")

    c = commands.add_parser("imap", help="change the instance over IMAP",
                            description=actions.__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("root")
    c.add_argument("user")
    c.add_argument("actions", nargs=argparse.REMAINDER)

    c = commands.add_parser("sieve", help="upload a Sieve script over ManageSieve")
    c.add_argument("root")
    c.add_argument("user")
    c.add_argument("name")
    c.add_argument("file", help="the script (- for standard input)")
    c.add_argument("--activate", action="store_true")

    c = commands.add_parser("sieve-list", help="list a user's Sieve scripts over ManageSieve")
    c.add_argument("root")
    c.add_argument("user")

    c = commands.add_parser("state", help="what the instance serves, as JSON",
                            description=state.__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("root")
    c.add_argument("--users", type=csv)
    c.add_argument("--no-content", action="store_true",
                   help="no Message-ID and SHA-1 (no BODY.PEEK[] fetch)")
    c.add_argument("--no-modseq", action="store_true",
                   help="no HIGHESTMODSEQ and MODSEQ (for data another Cyrus version wrote)")
    c.add_argument("--output", help="write the JSON here instead of standard output")

    c = commands.add_parser("create-22", help="a generated Cyrus 2.2 root (no server)",
                            description=legacy22.__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("root")
    c.add_argument("options", nargs=argparse.REMAINDER,
                   help="passed to make-corpus-22.py (--variant NAME, --dump-format ...)")
    return p


def main(argv):
    args = parser().parse_args(argv)
    if args.command == "create":
        ports = {"imap": args.imap_port, "lmtp": args.lmtp_port, "sieve": args.sieve_port}
        instance, fresh = layout.create(args.root, args.users, ports, args.force)
        if fresh and instance.users and not args.no_inboxes:
            service.make_inboxes(instance, 60)
        print(instance.root)
        return 0
    if args.command == "create-22":
        legacy22.create(args.root, args.options)
        return 0
    instance = layout.Instance.load(args.root)
    if args.command == "start":
        status = service.start(instance, args.timeout)
        if args.stop_with and status == 0:
            service.spawn_watcher(instance, os.path.abspath(__file__), args.stop_with)
        return status
    if args.command == "watch":
        return service.watch(instance, args.owner, args.owner_start, args.master)
    if args.command == "stop":
        return service.stop(instance, args.retry)
    if args.command == "status":
        code, text = service.status(instance)
        print(f"{instance.root}: {text}")
        return code
    if args.command == "pid":
        pid = service.master_pid(instance)
        if pid is None:
            return service.STOPPED
        print(pid)
        return 0
    if args.command == "deliver":
        deliver.deliver(instance, args.users, args.count, args.folder, args.size, args.subject,
                        args.interval)
        return 0
    if args.command == "imap":
        for line in actions.run(instance, args.user, actions.split_actions(args.actions)):
            print(line)
        return 0
    if args.command == "sieve":
        script = sys.stdin.read() if args.file == "-" else open(args.file).read()
        client = wire.ManageSieve(instance, args.user)
        try:
            client.put(args.name, script)
            if args.activate:
                client.activate(args.name)
        finally:
            client.logout()
        return 0
    if args.command == "sieve-list":
        client = wire.ManageSieve(instance, args.user)
        try:
            for name, active in client.scripts():
                print(f"{name}\t{'active' if active else 'inactive'}")
        finally:
            client.logout()
        return 0
    if args.command == "state":
        if instance.kind != layout.KIND_36:
            raise InstanceError(f"{instance.root}: a generated Cyrus 2.2 root serves nothing; "
                                "import it into a 3.6 instance and read that one")
        text = state.dumps(state.collect(instance, args.users, not args.no_content,
                                         not args.no_modseq))
        if args.output:
            with open(args.output, "w") as handle:
                handle.write(text)
        else:
            sys.stdout.write(text)
        return 0
    raise AssertionError(args.command)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except InstanceError as error:
        print(f"cyrus-instance: {error}", file=sys.stderr)
        sys.exit(error.status)
    except KeyboardInterrupt:
        sys.exit(130)
