"""An instance's files: the Debian-like root, its configuration and ROOT/instance.json.

A root holds two kinds of files:

- per instance (never copied between instances): ROOT/etc/ (imapd.conf, cyrus.conf, sasldb2),
  ROOT/instance.json (ports, users, paths), ROOT/run/ (master's pidfile and log, and
  ROOT/run/cyrus/{proc,lock,socket}, Debian's /run/cyrus);
- data (what a sync copies): the `areas` of instance.json, ROOT/var/lib/cyrus
  (configdirectory), ROOT/var/spool/cyrus/mail (partition-default) and ROOT/var/spool/sieve
  (sievedir).

imapd.conf is Debian 12's /etc/imapd.conf with every path moved under ROOT (shared/reference/
cyrus-3.6-observed.md), so an instance's runtime files stay out of its data areas as on Debian.
"""

import grp
import json
import os
import pwd
import socket
import subprocess

from . import InstanceError

FORMAT = 1
KIND_36 = "cyrus-3.6"
KIND_22 = "cyrus-2.2-generated"
CONFIG = "var/lib/cyrus"
SPOOL = "var/spool/cyrus/mail"
SIEVE = "var/spool/sieve"
HASHDIRS = "abcdefghijklmnopqrstuvwxyz"
DEFAULT_USERS = ("anna", "bert", "carla")
ADMIN = "cyrus"
PASSWORD = "fixture-secret"
REALM = "mail.example.org"
HOST = "127.0.0.1"
# sockaddr_un.sun_path is 108 bytes; imapd binds idlesocket's directory plus a name of its own.
SOCKET_PATH_LIMIT = 100
CYRUS_BIN = "/usr/lib/cyrus/bin"
MASTER = "/usr/sbin/cyrmaster"


class Instance:
    """One root and its instance.json, as read back (or as about to be written)."""

    def __init__(self, root, info):
        self.root = root
        self.info = info

    # --- paths ---------------------------------------------------------------------------
    @property
    def kind(self):
        return self.info["kind"]

    @property
    def imapd_conf(self):
        return os.path.join(self.root, "etc/imapd.conf")

    @property
    def cyrus_conf(self):
        return os.path.join(self.root, "etc/cyrus.conf")

    @property
    def pidfile(self):
        return os.path.join(self.root, "run/cyrus-master.pid")

    @property
    def master_log(self):
        return os.path.join(self.root, "run/master.log")

    @property
    def runtime(self):
        return os.path.join(self.root, "run/cyrus")

    def area(self, name):
        return self.info["areas"][name]

    @property
    def ports(self):
        return self.info["ports"]

    @property
    def users(self):
        return list(self.info["users"])

    @property
    def admin(self):
        return self.info["admin"]

    @property
    def password(self):
        return self.info["password"]

    # --- reading -------------------------------------------------------------------------
    @classmethod
    def load(cls, root):
        """Reads ROOT/instance.json and checks that ROOT's configuration is its own."""
        root = os.path.realpath(root)
        path = os.path.join(root, "instance.json")
        try:
            with open(path) as handle:
                info = json.load(handle)
        except FileNotFoundError:
            raise InstanceError(f"{root}: no instance.json (make one with `create`)", status=4)
        except (OSError, ValueError) as error:
            raise InstanceError(f"{path}: {error}", status=4)
        if info.get("format") != FORMAT or info.get("kind") not in (KIND_36, KIND_22):
            raise InstanceError(f"{path}: not an instance.json of format {FORMAT}", status=4)
        instance = cls(root, info)
        if instance.kind == KIND_36:
            instance.check_own_configuration()
        return instance

    def check_own_configuration(self):
        """Refuses a root whose etc/ names another root's paths: a root copied whole (etc/
        included) from another instance would otherwise serve, and change, that one's data."""
        if os.path.realpath(self.info["root"]) != self.root:
            raise InstanceError(
                f"{self.root}/instance.json was written for {self.info['root']}: this root's "
                "etc/ and instance.json came from another instance; copy only the data areas, "
                "and run `create --force` here to write this root's own configuration",
                status=4,
            )
        conf = read_imapd_conf(self.imapd_conf)
        for key, value in conf.items():
            if value.startswith("/") and key in PATH_KEYS and not inside(value, self.root):
                raise InstanceError(
                    f"{self.imapd_conf}: {key}: {value} is outside {self.root}", status=4
                )
        with open(self.cyrus_conf) as handle:
            for line in handle:
                if "cmd=" in line and f"-C {self.imapd_conf}" not in line:
                    raise InstanceError(
                        f"{self.cyrus_conf}: a cmd without `-C {self.imapd_conf}` would use "
                        f"the system's /etc/imapd.conf: {line.strip()}",
                        status=4,
                    )


PATH_KEYS = {
    "configdirectory", "proc_path", "mboxname_lockpath", "partition-default", "sievedir",
    "sasl_sasldb_path", "lmtpsocket", "idlesocket", "notifysocket",
}


def inside(path, root):
    path, root = os.path.realpath(path), os.path.realpath(root)
    return path == root or path.startswith(root.rstrip("/") + "/")


def read_imapd_conf(path):
    """`key: value` lines of an imapd.conf (comments and blank lines skipped)."""
    conf = {}
    with open(path) as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith("#") and ":" in line:
                key, _, value = line.partition(":")
                conf[key.strip()] = value.strip()
    return conf


# --- creating ----------------------------------------------------------------------------
def free_port():
    """A TCP port on 127.0.0.1 nothing listens on right now (bound to 0, read back, closed).
    Another process may take it before master binds it: `start` then says so."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def cyrus_ids():
    """The local cyrus user's uid and the mail group's gid, by name (never by number: the uid
    is whatever the install gave it)."""
    try:
        return pwd.getpwnam("cyrus").pw_uid, grp.getgrnam("mail").gr_gid
    except KeyError:
        raise InstanceError("no user cyrus or group mail here (install cyrus-imapd)")


def check_reachable(root, uid, gid):
    """Refuses a root that the cyrus user cannot reach (a parent made under umask 077)."""
    groups = set(os.getgrouplist("cyrus", gid))
    path = os.path.dirname(root)
    while True:
        info = os.stat(path)
        if not (info.st_mode & 0o001 or (info.st_uid == uid and info.st_mode & 0o100)
                or (info.st_gid in groups and info.st_mode & 0o010)):
            raise InstanceError(
                f"the cyrus user cannot reach {root}: {path} has mode {info.st_mode & 0o7777:o}")
        if path == "/":
            return
        path = os.path.dirname(path)


def imapd_conf_text(root):
    """Debian 12's /etc/imapd.conf (cyrus-imapd 3.6.1-4+deb12u5), relocated under ROOT; no
    partition-news, newsspool or httpmodules (no news or http services); SASL from a sasldb in
    etc/; the admin `cyrus`."""
    config, run = f"{root}/{CONFIG}", f"{root}/run/cyrus"
    return f"""# imapd.conf of a test instance (scripts/cyrus-instance.py), after Debian 12's
configdirectory: {config}
proc_path: {run}/proc
mboxname_lockpath: {run}/lock
defaultpartition: default
partition-default: {root}/{SPOOL}
altnamespace: no
unixhierarchysep: no
lmtp_downcase_rcpt: yes
allowanonymouslogin: no
popminpoll: 1
autocreate_quota: 0
umask: 077
sieveusehomedir: false
sievedir: {root}/{SIEVE}
hashimapspool: true
allowplaintext: yes
sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: {root}/etc/sasldb2
sasl_mech_list: PLAIN LOGIN
sasl_auto_transition: no
servername: {REALM}
admins: {ADMIN}
lmtpsocket: {run}/socket/lmtp
idlesocket: {run}/socket/idle
notifysocket: {run}/socket/notify
syslog_prefix: cyrus-instance
"""


def cyrus_conf_text(root, ports):
    """Services on 127.0.0.1 only. master does not pass its -C on: every cmd names this root's
    imapd.conf, or the service would read (and change) the system's /etc/imapd.conf."""
    conf = f"{root}/etc/imapd.conf"
    return f"""# cyrus.conf of a test instance (scripts/cyrus-instance.py): 127.0.0.1 only
START {{
  recover cmd="ctl_cyrusdb -C {conf} -r"
}}
SERVICES {{
  imap  cmd="imapd -C {conf}" listen="{HOST}:{ports['imap']}" prefork=0 maxchild=20
  lmtp  cmd="lmtpd -C {conf} -a" listen="{HOST}:{ports['lmtp']}" prefork=0 maxchild=20
  sieve cmd="timsieved -C {conf}" listen="{HOST}:{ports['sieve']}" prefork=0 maxchild=10
}}
EVENTS {{
}}
"""


def make_directory(path, mode, owner=None):
    """mkdir -p (new parts owned by root), then `mode` and `owner` on the last part only if it
    was new; an existing directory (data copied in) is left as it is."""
    if os.path.isdir(path):
        return False
    os.makedirs(path, exist_ok=True)
    os.chmod(path, mode)
    if owner:
        os.chown(path, *owner)
    return True


def make_data_directories(root, ids):
    """What Debian's cyrus-makedirs and postinst create (make-corpus.sh does the same), for
    the areas that do not exist yet: config directory with db, log, msg, proc, socket and the
    hash dirs a-z of user, quota and lock; the partition with a-z and stage.; sievedir with
    a-z; an empty user_deny.db. Existing areas (a copy) are not touched."""
    for parent in ("var", "var/lib", "var/spool"):
        make_directory(os.path.join(root, parent), 0o755)
    make_directory(os.path.join(root, "var/spool/cyrus"), 0o755, ids)
    config = os.path.join(root, CONFIG)
    if make_directory(config, 0o750, ids):
        for name in ("db", "log", "msg", "proc", "user", "quota", "lock"):
            make_directory(os.path.join(config, name), 0o700, ids)
        # Observed pitfall: without <configdirectory>/socket imapd loses its umask.
        make_directory(os.path.join(config, "socket"), 0o750, ids)
        for name in ("user", "quota", "lock"):
            for letter in HASHDIRS:
                make_directory(os.path.join(config, name, letter), 0o755, ids)
        deny = os.path.join(config, "user_deny.db")
        with open(deny, "w"):
            pass
        os.chmod(deny, 0o600)
        os.chown(deny, *ids)
    spool = os.path.join(root, SPOOL)
    if make_directory(spool, 0o750, ids):
        for name in list(HASHDIRS) + ["stage."]:
            make_directory(os.path.join(spool, name), 0o755, ids)
    sieve = os.path.join(root, SIEVE)
    if make_directory(sieve, 0o755, ids):
        for letter in HASHDIRS:
            make_directory(os.path.join(sieve, letter), 0o755, ids)


def make_runtime_directories(root, ids):
    """ROOT/run (root's, for master's pidfile) and ROOT/run/cyrus as Debian's tmpfiles.d makes
    /run/cyrus: proc, lock and socket for the services, owned by cyrus."""
    make_directory(os.path.join(root, "run"), 0o755)
    run = os.path.join(root, "run/cyrus")
    make_directory(run, 0o755, ids)
    for name, mode in (("proc", 0o700), ("lock", 0o700), ("socket", 0o750)):
        make_directory(os.path.join(run, name), mode, ids)


def write_file(path, text, mode, owner=None):
    with open(path, "w") as handle:
        handle.write(text)
    os.chmod(path, mode)
    if owner:
        os.chown(path, *owner)


def make_sasldb(root, users, ids):
    """etc/sasldb2 with every user and the admin, one password; readable by the services."""
    path = os.path.join(root, "etc/sasldb2")
    if os.path.exists(path):
        os.unlink(path)
    for user in [ADMIN] + list(users):
        subprocess.run(
            ["saslpasswd2", "-p", "-f", path, "-u", REALM, "-c", user],
            input=PASSWORD.encode(), check=True, stdout=subprocess.DEVNULL,
        )
    os.chown(path, *ids)
    os.chmod(path, 0o640)


def choose_ports(requested):
    """The ports asked for; a free one for each not given."""
    ports = {}
    for service in ("imap", "lmtp", "sieve"):
        ports[service] = requested.get(service) or free_port()
    if len(set(ports.values())) != len(ports):
        raise InstanceError(f"two services on one port: {ports}")
    return ports


def create(root, users, requested_ports, force=False):
    """Writes a Cyrus 3.6 instance at ROOT: etc/, run/, instance.json, and the data areas that
    do not exist yet (existing ones, copied from elsewhere, stay as they are). Returns the
    instance and whether its config directory is new (then its users have no INBOX yet)."""
    if os.geteuid() != 0:
        raise InstanceError("create must run as root (the areas are handed to cyrus:mail)")
    for user in users:
        if not user or not all(c.isalnum() or c in "-_" for c in user) or user == ADMIN:
            raise InstanceError(f"bad user name {user!r} (letters, digits, - and _; not {ADMIN})")
    os.makedirs(root, exist_ok=True)
    root = os.path.realpath(root)
    if not force and os.path.exists(os.path.join(root, "instance.json")):
        raise InstanceError(f"{root} already has an instance.json (--force writes it anew)")
    longest = os.path.join(root, "run/cyrus/socket/notify")
    if len(longest.encode()) > SOCKET_PATH_LIMIT:
        raise InstanceError(f"{root}: too long for Cyrus's unix sockets ({longest})")
    ids = cyrus_ids()
    os.chmod(root, 0o755)
    check_reachable(root, *ids)
    ports = choose_ports(requested_ports)
    make_directory(os.path.join(root, "etc"), 0o755)
    write_file(os.path.join(root, "etc/imapd.conf"), imapd_conf_text(root), 0o644)
    write_file(os.path.join(root, "etc/cyrus.conf"), cyrus_conf_text(root, ports), 0o644)
    make_sasldb(root, users, ids)
    make_runtime_directories(root, ids)
    fresh = not os.path.exists(os.path.join(root, CONFIG))
    make_data_directories(root, ids)
    info = {
        "format": FORMAT,
        "kind": KIND_36,
        "root": root,
        "host": HOST,
        "ports": ports,
        "admin": ADMIN,
        "users": list(users),
        "password": PASSWORD,
        "realm": REALM,
        "areas": {
            "config": os.path.join(root, CONFIG),
            "partition-default": os.path.join(root, SPOOL),
            "sieve": os.path.join(root, SIEVE),
        },
    }
    write_info(root, info)
    return Instance(root, info), fresh


def write_info(root, info):
    write_file(os.path.join(root, "instance.json"), json.dumps(info, indent=2) + "\n", 0o644)
