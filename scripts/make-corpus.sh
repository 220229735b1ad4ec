#!/bin/bash
# make-corpus.sh - build real Cyrus 3.6 fixture data for cyrus-failover.
#
# Builds a throwaway Cyrus instance (Debian 12 cyrus-imapd) in a temp dir laid out like a real
# root, fills it over IMAP, LMTP and ManageSieve (scripts/corpus_populate.py), dumps the mailbox
# list as the UCS failover procedure does, stops it cleanly and then writes:
#   OUT/cyrusdb/...            single real database files and text dumps (for the parsers)
#   OUT/example.tar.gz         primary/ (copied with hard links) and failover/ (copied the seed's
#                              way: rsync -a --delete, no -H)
#   OUT/example.expected.txt   the differences a verifier must report between the two
# Run as root. Options: --out DIR (default: corpora/ next to this script), --keep (keep work dir).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out="$here/../corpora"
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "make-corpus.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "make-corpus.sh: must run as root" >&2; exit 2; }
id cyrus >/dev/null 2>&1 || { echo "make-corpus.sh: no user cyrus (install cyrus-imapd)" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)

BIN=/usr/lib/cyrus/bin
start_time=$(date +%s)
umask 077
export LC_ALL=C TZ=UTC

WORK=$(mktemp -d /tmp/cyrus-corpus.XXXXXX)
chmod 755 "$WORK"
ROOT=$WORK/root
CONFIG=$ROOT/var/lib/cyrus
SPOOL=$ROOT/var/spool/cyrus/mail
SIEVE=$ROOT/var/spool/sieve
CONF=$ROOT/etc/imapd.conf
MASTER_PID=""
touch "$WORK/start.marker"

cleanup() {
  local rc=$?
  if [ -n "$MASTER_PID" ] && kill -0 "$MASTER_PID" 2>/dev/null; then
    kill -TERM "$MASTER_PID" 2>/dev/null || true
    wait "$MASTER_PID" 2>/dev/null || true
  fi
  if [ "$keep" = 1 ]; then
    echo "make-corpus.sh: work dir kept: $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

as_cyrus() { runuser -u cyrus -- "$@"; }
log() { printf '[%4ds] %s\n' $(( $(date +%s) - start_time )) "$*" >&2; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
IMAP_PORT=$(free_port); LMTP_PORT=$(free_port); SIEVE_PORT=$(free_port)
REALM=mail.example.org
PASSWORD=fixture-secret

# --- 1. the throwaway root, laid out like Debian's ------------------------------------------
log "work dir $WORK"
mkdir -p "$ROOT/etc" "$ROOT/var/lib" "$ROOT/var/spool/cyrus"
chmod 755 "$ROOT" "$ROOT/etc" "$ROOT/var" "$ROOT/var/lib" "$ROOT/var/spool" "$ROOT/var/spool/cyrus"
chown cyrus:mail "$ROOT/var/spool/cyrus"

# Debian 12's /etc/imapd.conf settings, relocated; proc, lock and sockets stay in the
# configdirectory (upstream defaults) instead of Debian's /run/cyrus, so the example shows the
# runtime entries a verifier must skip.
cat > "$CONF" <<EOF
# imapd.conf of a throwaway fixture instance (scripts/make-corpus.sh), after Debian 12's file
configdirectory: $CONFIG
defaultpartition: default
partition-default: $SPOOL
altnamespace: no
unixhierarchysep: no
lmtp_downcase_rcpt: yes
allowanonymouslogin: no
popminpoll: 1
autocreate_quota: 0
umask: 077
sieveusehomedir: false
sievedir: $SIEVE
hashimapspool: true
allowplaintext: yes
sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: $ROOT/etc/sasldb2
sasl_mech_list: PLAIN LOGIN
sasl_auto_transition: no
servername: $REALM
admins: cyrus
lmtpsocket: $CONFIG/socket/lmtp
idlesocket: $CONFIG/socket/idle
notifysocket: $CONFIG/socket/notify
syslog_prefix: cyrus-fixture
EOF
# master does not pass its -C to the services: every cmd names the config itself, or it would
# use (and change) the system instance's /etc/imapd.conf.
cat > "$ROOT/etc/cyrus.conf" <<EOF
# cyrus.conf of a throwaway fixture instance (scripts/make-corpus.sh): 127.0.0.1 only
START {
  recover cmd="ctl_cyrusdb -C $CONF -r"
}
SERVICES {
  imap  cmd="imapd -C $CONF" listen="127.0.0.1:$IMAP_PORT" prefork=0 maxchild=10
  lmtp  cmd="lmtpd -C $CONF -a" listen="127.0.0.1:$LMTP_PORT" prefork=0 maxchild=10
  sieve cmd="timsieved -C $CONF" listen="127.0.0.1:$SIEVE_PORT" prefork=0 maxchild=10
}
EVENTS {
}
EOF
chmod 644 "$CONF" "$ROOT/etc/cyrus.conf"

# What Debian's cyrus-makedirs (/usr/lib/cyrus/bin/makedirs) creates, without chattr; it runs
# under umask 022 (hash dirs 755).
umask 022
HASHDIRS="a b c d e f g h i j k l m n o p q r s t u v w x y z"
mkdir -p "$CONFIG"; chmod 750 "$CONFIG"
for d in db proc socket log msg user quota lock; do mkdir -p "$CONFIG/$d"; chmod 700 "$CONFIG/$d"; done
chmod 750 "$CONFIG/socket"
for d in user quota lock; do for h in $HASHDIRS; do mkdir -p "$CONFIG/$d/$h"; done; done
mkdir -p "$SPOOL"; chmod 750 "$SPOOL"
for h in $HASHDIRS; do mkdir -p "$SPOOL/$h"; done
mkdir -p "$SPOOL/stage."
mkdir -p "$SIEVE"; chmod 755 "$SIEVE"
for h in $HASHDIRS; do mkdir -p "$SIEVE/$h"; chmod 755 "$SIEVE/$h"; done
touch "$CONFIG/user_deny.db"; chmod 600 "$CONFIG/user_deny.db"  # as Debian's cyrus-common.postinst
chown -R cyrus:mail "$CONFIG" "$SPOOL" "$SIEVE"
umask 077

for u in cyrus anna bert carla; do
  printf '%s' "$PASSWORD" | saslpasswd2 -p -f "$ROOT/etc/sasldb2" -u "$REALM" -c "$u"
done
chown cyrus:mail "$ROOT/etc/sasldb2"; chmod 640 "$ROOT/etc/sasldb2"

# --- 2. run master, populate, dump, stop -----------------------------------------------------
log "starting master (imap $IMAP_PORT, lmtp $LMTP_PORT, sieve $SIEVE_PORT)"
"$BIN/master" -C "$CONF" -M "$ROOT/etc/cyrus.conf" -p "$WORK/master.pid" -D \
  >"$WORK/master.log" 2>&1 &
MASTER_PID=$!
python3 - "$IMAP_PORT" "$LMTP_PORT" "$SIEVE_PORT" <<'EOF'
import socket, sys, time
deadline = time.time() + 30
for port in map(int, sys.argv[1:]):
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close(); break
        except OSError:
            if time.time() > deadline: sys.exit("master did not open port %d" % port)
            time.sleep(0.2)
EOF

log "populating"
python3 "$here/corpus_populate.py" --imap "$IMAP_PORT" --lmtp "$LMTP_PORT" \
  --sieve "$SIEVE_PORT" --password "$PASSWORD" --realm "$REALM"

log "ctl_mboxlist -d > configdirectory/mailboxlist.txt (as cyrus, instance running, as the seed)"
as_cyrus sh -c "umask 077; '$BIN/ctl_mboxlist' -C '$CONF' -d > '$CONFIG/mailboxlist.txt'"

log "stopping master (SIGTERM, wait)"
kill -TERM "$MASTER_PID"
wait "$MASTER_PID" || true
MASTER_PID=""
if pgrep -u cyrus -f "$ROOT/etc/imapd.conf" >/dev/null; then
  echo "make-corpus.sh: cyrus processes of the instance still running" >&2; exit 1
fi

# --- 3. the pair: primary (with hard links) and failover (the seed's rsync) ----------------
PAIR=$WORK/pair
mkdir -p "$PAIR/primary"
chmod 755 "$PAIR" "$PAIR/primary"
rsync -aH "$ROOT/" "$PAIR/primary/"
rm -f "$PAIR/primary/etc/sasldb2"
sed -i "s#$ROOT##g" "$PAIR/primary/etc/imapd.conf" "$PAIR/primary/etc/cyrus.conf"
sed -i '/^sasl_sasldb_path:/d' "$PAIR/primary/etc/imapd.conf"

F=$PAIR/failover
mkdir -p "$F/var/lib/cyrus" "$F/var/spool/cyrus" "$F/var/spool/sieve"
chmod 755 "$F" "$F/var" "$F/var/lib" "$F/var/spool"
cp -a "$PAIR/primary/etc" "$F/etc"
# The seed (Univention, section 4): two plain rsync runs, no -H.
rsync -a --delete --delete-after "$PAIR/primary/var/lib/cyrus/" "$F/var/lib/cyrus/"
rsync -a --delete --delete-after "$PAIR/primary/var/spool/cyrus/" "$F/var/spool/cyrus/"
# Not in the seed: Debian's sievedir lies outside both trees; copied the same way so the
# example's only difference is the broken hard links.
rsync -a --delete --delete-after "$PAIR/primary/var/spool/sieve/" "$F/var/spool/sieve/"

# --- 4. corpora/cyrusdb: single files from scratch copies ------------------------------------
log "writing $out/cyrusdb"
DB=$out/cyrusdb
rm -rf "$DB"; mkdir -p "$DB"; chmod 755 "$DB"
S=$WORK/scratch
mkdir -p "$S"; chmod 755 "$S"
cp -a "$CONFIG" "$S/config"
chown cyrus:mail "$S"
uuid_of() {  # dbname (e.g. user.bert) -> uniqueid, from the real dump
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]]["uniqueid"])' \
    "$CONFIG/mailboxlist.txt" "$1"
}
uuid_dir() { echo "uuid/${1:0:1}/${1:1:1}/$1"; }
bert=$(uuid_of user.bert); anna=$(uuid_of user.anna)

put() { install -m 644 -o root -g root "$1" "$DB/$2"; }
put "$S/config/mailboxes.db" mailboxes.twoskip.db
put "$CONFIG/mailboxlist.txt" mailboxlist.txt
put "$S/config/user/$(uuid_dir "$bert")/seen.db" bert.seen.twoskip.db
put "$S/config/user/$(uuid_dir "$bert")/sub.db" bert.sub.flat.db
put "$S/config/user/$(uuid_dir "$anna")/sub.db" anna.sub.flat.db
put "$S/config/quota/c/user.carla" quota.user.carla
put "$SPOOL/$(uuid_dir "$anna")/cyrus.header" anna-INBOX.cyrus.header
put "$SPOOL/$(uuid_dir "$anna")/cyrus.index" anna-INBOX.cyrus.index
put "$S/config/annotations.db" annotations.twoskip.db

for b in skiplist flat; do
  as_cyrus "$BIN/cvt_cyrusdb" -C "$CONF" "$S/config/mailboxes.db" twoskip "$S/mailboxes.$b.db" "$b"
  put "$S/mailboxes.$b.db" "mailboxes.$b.db"
done
# cyr_dbtool may rewrite what it opens (skiplist header recovery): dump throwaway copies.
show() {  # file backend name
  local t="$S/show.$3"
  cp "$1" "$t"; chown cyrus:mail "$t"
  as_cyrus "$BIN/cyr_dbtool" -C "$CONF" "$t" "$2" show > "$DB/$3.show.txt"
  chmod 644 "$DB/$3.show.txt"
}
show "$DB/mailboxes.twoskip.db" twoskip mailboxes.twoskip
show "$DB/mailboxes.skiplist.db" skiplist mailboxes.skiplist
show "$DB/mailboxes.flat.db" flat mailboxes.flat
show "$DB/bert.seen.twoskip.db" twoskip bert.seen.twoskip
show "$DB/bert.sub.flat.db" flat bert.sub.flat
show "$DB/anna.sub.flat.db" flat anna.sub.flat
show "$DB/annotations.twoskip.db" twoskip annotations.twoskip
echo "ready $(date -u +%Y-%m-%dT%H:%M:%SZ) $(dpkg-query -W -f='${Package} ${Version}' cyrus-imapd)" \
  > "$DB/READY"
chmod 644 "$DB/READY"

# --- 5. example.tar.gz and example.expected.txt ---------------------------------------------
log "packing example.tar.gz"
# Owners are stored by name as well as number, and extracted by name: the cyrus user's uid is
# whatever the install gave it, on this machine and on the next (issue 9).
tar -C "$PAIR" --sort=name --format=gnu --warning=no-file-ignored \
  -cf - primary failover | gzip -n -9 > "$out/example.tar.gz"
python3 "$here/corpus_expected.py" "$PAIR" > "$out/example.expected.txt"
# The tarball must give the same answer as the directories it was made from.
mkdir "$WORK/check"
tar -C "$WORK/check" -xzpf "$out/example.tar.gz" --same-owner
python3 "$here/corpus_expected.py" "$WORK/check" | cmp - "$out/example.expected.txt"
chmod 644 "$out/example.tar.gz" "$out/example.expected.txt"
size=$(stat -c %s "$out/example.tar.gz")
log "example.tar.gz: $size bytes"
[ "$size" -lt 2000000 ] || { echo "make-corpus.sh: example.tar.gz too large" >&2; exit 1; }
# The system instance must be untouched (a service without -C would have used /etc/imapd.conf).
touched=$(find /var/lib/cyrus /var/spool/cyrus /var/spool/sieve /run/cyrus /run/cyrus-master.pid -newer "$WORK/start.marker" 2>/dev/null || true)
[ -z "$touched" ] || { echo "make-corpus.sh: the system instance was touched:" >&2; echo "$touched" >&2; exit 1; }
log "done in $(( $(date +%s) - start_time ))s"
