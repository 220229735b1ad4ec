#!/bin/sh
# make-bdb-fixture.sh — write a Berkeley DB BTREE or HASH file from `key<TAB>value` lines, as
# Cyrus 2.2–2.5's berkeley / berkeley-hash backends store them (raw bytes, no NUL terminator).
# For tests and corpora only: this is not part of verification.
#
# Usage: scripts/make-bdb-fixture.sh [-p PAGESIZE] btree|hash INPUT OUTPUT
#
#   INPUT   one record per line: the key runs to the first TAB, the value is the rest of the
#           line (it may contain more TABs). Every byte except LF is taken as is (CR, NUL and
#           bytes >= 0x80 included). A last line without LF is accepted. Keys must be unique.
#   OUTPUT  must not exist (db_load would add to an existing database).
#   -p      page size in bytes (default 4096, so the layout does not depend on the filesystem).
#
# The records go through `db5.3_load -T` (override with DB_LOAD=...). Its -T "printable" input
# is a key line then a value line; the only special characters are LF (record separator) and
# backslash: `\\` is one backslash and `\` + two hex digits is that byte (db_load(1)). So this
# script writes every `\` as `\\`, NUL as `\00` (to keep it off the pipe), and splits each line
# at its first TAB. db_load -T silently keeps the last of duplicate keys, so duplicates are
# refused here first. The file gets a random Berkeley DB file ID: output bytes differ per run.
set -eu

usage() { echo "usage: $0 [-p PAGESIZE] btree|hash INPUT OUTPUT" >&2; exit 2; }

pagesize=4096
while getopts p: opt; do
  case $opt in
    p) pagesize=$OPTARG ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 3 ] || usage
type=$1 input=$2 output=$3
case $type in btree|hash) ;; *) echo "$0: type must be btree or hash, not '$type'" >&2; exit 2 ;; esac
case $pagesize in ''|*[!0-9]*) echo "$0: bad page size '$pagesize'" >&2; exit 2 ;; esac
[ -f "$input" ] || { echo "$0: $input: no such file" >&2; exit 1; }
[ ! -e "$output" ] || { echo "$0: $output exists; refusing to add to it" >&2; exit 1; }

db_load=${DB_LOAD:-}
if [ -z "$db_load" ]; then
  for candidate in db5.3_load /usr/bin/db5.3_load db_load; do
    if command -v "$candidate" >/dev/null 2>&1; then db_load=$candidate; break; fi
  done
fi
[ -n "$db_load" ] || { echo "$0: db5.3_load not found (Debian: apt-get install db5.3-util)" >&2; exit 1; }

export LC_ALL=C
tmpdir=$(mktemp -d)
trap 'rm -rf "$tmpdir"' EXIT INT TERM

# The input with a final LF guaranteed, backslashes and NULs escaped for db_load -T.
{ cat "$input"; [ -z "$(tail -c 1 "$input")" ] || printf '\n'; } \
  | sed -e 's/\\/\\\\/g' -e 's/\x00/\\00/g' > "$tmpdir/escaped"

if bad=$(grep -n -v -m 1 "$(printf '\t')" "$tmpdir/escaped"); then
  echo "$0: $input:${bad%%:*}: no TAB between key and value" >&2
  exit 1
fi
dups=$(cut -f 1 "$tmpdir/escaped" | sort | uniq -d | head -n 3)
if [ -n "$dups" ]; then
  echo "$0: $input: duplicate keys (db_load -T would keep only the last):" >&2
  printf '%s\n' "$dups" >&2
  exit 1
fi

# First TAB of each line becomes LF: key line, value line.
sed -e 's/\t/\n/' "$tmpdir/escaped" > "$tmpdir/printable"

partial="$output.partial.$$"
if ! "$db_load" -T -t "$type" -c "db_pagesize=$pagesize" -f "$tmpdir/printable" "$partial"; then
  rm -f "$partial"
  exit 1
fi
mv "$partial" "$output"
