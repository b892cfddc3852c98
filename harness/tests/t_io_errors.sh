#!/usr/bin/env bash
# t_io_errors.sh: reports that cannot be written (STYLE.md §8.8 item 7):
# a missing or non-directory parent, a file size limit standing in for a
# full disk, standard output on /dev/full, and device files as report
# targets. Each must give exit 5 with a message naming the path, and leave
# no partial report and no PATH.tmp.PID behind; an older report at the
# same path must survive untouched; a device named as the target must
# still be that device afterwards. Prints TAP; needs $CORSIM.
#
# Device files are made with mknod inside a temporary directory (root
# only; skipped otherwise), never in /dev: a report "written whole, then
# renamed into place" over /dev/null would replace the machine's /dev/null.
set -u
cd "$(dirname "$0")/../.." || exit 1
export LC_ALL=C NO_COLOR=1
CORSIM=${CORSIM:-build/corsim}
VEC=vectors/simple/methods.json

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
  n=$((n + 1))
  failed=$((failed + 1))
  echo "not ok $n - $1"
  shift
  for line in "$@"; do echo "# $line"; done
}
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

if [ ! -x "$CORSIM" ]; then
  echo "1..1"
  echo "not ok 1 - io-errors: no corsim binary at '$CORSIM'"
  exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/corsim-io.XXXXXX") || exit 1
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

# leftovers DIR: the names in DIR that a failed write may not leave.
leftovers() { ls -A "$1" 2>/dev/null | grep -E '\.tmp\.[0-9]+$' | tr '\n' ' '; }

# expect_fail NAME WANT_STDERR_SUBSTRING CMD...: exit 5 and the message.
expect_fail() {
  local name=$1 want=$2
  shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ "$rc" -eq 5 ] && grep -qF -- "$want" "$tmp/err"; then
    ok "$name"
  else
    not_ok "$name" "exit $rc (want 5), stderr:" "$(cat "$tmp/err")" \
      "wanted a line containing: $want"
  fi
}

echo "1..18"

# ---- a directory that does not exist, a parent that is a file ------------
expect_fail "missing directory: exit 5 and the path" \
  "corsim: cannot write report '$tmp/missing/r.json': No such file or directory" \
  "$CORSIM" run --format "json:$tmp/missing/r.json" "$VEC"
[ ! -e "$tmp/missing" ] && ok "missing directory: nothing created" ||
  not_ok "missing directory: nothing created" "$(ls -la "$tmp/missing")"

: >"$tmp/plainfile"
expect_fail "parent is a file: exit 5 and the path" \
  "corsim: cannot write report '$tmp/plainfile/r.json': Not a directory" \
  "$CORSIM" run -o "$tmp/plainfile/r.json" "$VEC"

# ---- a read-only directory (root writes anyway) ----------------------------
mkdir -p "$tmp/ro"
chmod 555 "$tmp/ro"
if [ "$(id -u)" -eq 0 ]; then
  skip "read-only directory: exit 5" "root ignores directory permissions"
  skip "read-only directory: no leftovers" "root ignores directory permissions"
else
  expect_fail "read-only directory: exit 5" \
    "corsim: cannot write report '$tmp/ro/r.json': Permission denied" \
    "$CORSIM" run --format "tap:$tmp/ro/r.json" "$VEC"
  [ -z "$(ls -A "$tmp/ro")" ] && ok "read-only directory: no leftovers" ||
    not_ok "read-only directory: no leftovers" "$(ls -A "$tmp/ro")"
fi
chmod 755 "$tmp/ro"

# ---- a full disk: the file size limit makes write() fail with EFBIG --------
# (SIGXFSZ ignored, so the write fails instead of killing the process.)
mkdir -p "$tmp/full"
echo "old report" >"$tmp/full/r.json"
limited() { bash -c 'trap "" XFSZ; ulimit -f 4; exec "$@"' limited "$@"; }
expect_fail "file size limit: exit 5 and the path" \
  "corsim: cannot write report '$tmp/full/r.json': File too large" \
  limited "$CORSIM" run --format "json:$tmp/full/r.json" "$VEC"
[ "$(cat "$tmp/full/r.json")" = "old report" ] &&
  ok "file size limit: the old report is untouched" ||
  not_ok "file size limit: the old report is untouched" \
    "$(head -c 200 "$tmp/full/r.json")"
[ -z "$(leftovers "$tmp/full")" ] && ok "file size limit: no PATH.tmp.PID left" ||
  not_ok "file size limit: no PATH.tmp.PID left" "$(leftovers "$tmp/full")"

# Two reports, the second one fails: the first is still written whole.
expect_fail "two reports, one too big: exit 5" \
  "corsim: cannot write report '$tmp/full/big.json'" \
  limited "$CORSIM" run --format "tap:$tmp/full/small.tap" \
    --format "json:$tmp/full/big.json" vectors/simple/header-budget.json
grep -q '^1\.\.' "$tmp/full/small.tap" 2>/dev/null &&
  ok "two reports, one too big: the other is written whole" ||
  not_ok "two reports, one too big: the other is written whole" \
    "$(head -c 300 "$tmp/full/small.tap" 2>&1)"

# ---- a report that cannot be opened must not leave the others behind ------
expect_fail "second output cannot open: exit 5" \
  "corsim: cannot write report '$tmp/missing/b.json'" \
  "$CORSIM" run --format "json:$tmp/a.json" --format "json:$tmp/missing/b.json" "$VEC"
[ ! -e "$tmp/a.json" ] && ok "second output cannot open: no empty first report" ||
  not_ok "second output cannot open: no empty first report" \
    "$tmp/a.json exists with $(wc -c <"$tmp/a.json") bytes"

# ---- standard output on a full device --------------------------------------
if [ -c /dev/full ]; then
  expect_fail "stdout on /dev/full: exit 5" \
    "corsim: cannot write the report to standard output: No space left on device" \
    bash -c '"$0" run --format json "$1" >/dev/full' "$CORSIM" "$VEC"
else
  skip "stdout on /dev/full: exit 5" "no /dev/full"
fi

# ---- device files named as the report --------------------------------------
# A report to a device is written to the device; it cannot be renamed into
# place. Copies of /dev/null (1,3) and /dev/full (1,7) stand in for them.
if mknod "$tmp/null" c 1 3 2>/dev/null && mknod "$tmp/fulldev" c 1 7 2>/dev/null; then
  "$CORSIM" run --format json -o "$tmp/null" "$VEC" >/dev/null 2>"$tmp/err"
  rc=$?
  [ "$rc" -eq 0 ] && ok "-o a null device: exit 0" ||
    not_ok "-o a null device: exit 0" "exit $rc" "$(cat "$tmp/err")"
  [ -c "$tmp/null" ] && ok "-o a null device: still a device" ||
    not_ok "-o a null device: still a device" \
      "replaced by: $(ls -la "$tmp/null")" \
      "fix: harness/main.c open_output: write straight to a path that exists and is not a regular file"
  expect_fail "-o a full device: exit 5" \
    "corsim: cannot write report '$tmp/fulldev': No space left on device" \
    "$CORSIM" run --format json -o "$tmp/fulldev" "$VEC"
  [ -c "$tmp/fulldev" ] && ok "-o a full device: still a device" ||
    not_ok "-o a full device: still a device" "replaced by: $(ls -la "$tmp/fulldev")"
  [ -z "$(leftovers "$tmp")" ] && ok "devices: no PATH.tmp.PID left" ||
    not_ok "devices: no PATH.tmp.PID left" "$(leftovers "$tmp")"
else
  for t in "-o a null device: exit 0" "-o a null device: still a device" \
           "-o a full device: exit 5" "-o a full device: still a device" \
           "devices: no PATH.tmp.PID left"; do
    skip "$t" "mknod not permitted"
  done
fi

[ "$failed" -eq 0 ]
