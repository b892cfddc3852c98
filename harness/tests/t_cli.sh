#!/usr/bin/env bash
# t_cli.sh: the corsim command line: usage errors, --help, every exit code,
# several formats at once, --shard, --fail-fast, and SIGINT finishing the
# reports with what ran.
set -u
cd "$(dirname "$0")/../.."
C=${CORSIM:-build/corsim}
D=harness/tests/cli
tmp=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; fails=1; }
expect_exit() { # NAME WANT CMD...
  local name=$1 want=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok "$name: exit $want"; else bad "$name: exit $got, want $want" "$(head -c 300 "$tmp/err")"; fi
}

expect_exit "--help" 0 "$C" --help
grep -q "exit codes:" "$tmp/out" && ok "--help lists the exit codes" || bad "--help lists the exit codes"
expect_exit "--version" 0 "$C" --version
grep -q "^corsim [0-9]" "$tmp/out" && ok "--version prints the version" || bad "--version prints the version"
expect_exit "no command" 2 "$C"
expect_exit "unknown command" 2 "$C" frobnicate
expect_exit "unknown option" 2 "$C" run --frob $D/pass.json
grep -q "unknown option '--frob'" "$tmp/err" && ok "unknown option is named" || bad "unknown option is named" "$(cat "$tmp/err")"
expect_exit "no paths" 2 "$C" run
expect_exit "unknown format" 2 "$C" run --format yaml $D/pass.json
grep -q "unknown format 'yaml'; expected one of text, json" "$tmp/err" && ok "unknown format lists the formats" || bad "unknown format lists the formats" "$(cat "$tmp/err")"
expect_exit "two reports on stdout" 2 "$C" run --format text --format json $D/pass.json
expect_exit "bad --shard" 2 "$C" run --shard 3/2 $D/pass.json
expect_exit "unknown browser" 2 "$C" run --browser netscape $D/pass.json
expect_exit "all pass" 0 "$C" run $D/pass.json
expect_exit "a failure" 1 "$C" run $D/fail.json
expect_exit "a vector error wins over a failure" 3 "$C" run $D/fail.json harness/tests/bad-vectors/case-unknown-field.json
expect_exit "a missing file" 3 "$C" run $D/pass.json $tmp/nope.json
grep -q "cannot open '$tmp/nope.json'" "$tmp/err" && ok "a missing file is named" || bad "a missing file is named" "$(cat "$tmp/err")"
grep -q "PASS  simple-get-allowed" "$tmp/out" && ok "the other file still ran" || bad "the other file still ran"

# several formats at once; file reports land whole
expect_exit "json and junit files with text on stdout" 0 "$C" run --format text --format "json:$tmp/r.json" --format "junit:$tmp/r.xml" $D/pass.json
python3 -c "import json,sys; d=json.load(open('$tmp/r.json')); sys.exit(0 if d['summary']['cases']==2 else 1)" && ok "the json file is whole" || bad "the json file is whole"
grep -q "<testsuites" "$tmp/r.xml" && grep -q "</testsuites>" "$tmp/r.xml" && ok "the junit file is whole" || bad "the junit file is whole"
ls "$tmp" | grep -q '\.tmp\.' && bad "no temporary report left" || ok "no temporary report left"
expect_exit "-o names the file" 0 "$C" run --format json -o "$tmp/o.json" $D/pass.json
[ -s "$tmp/o.json" ] && ok "-o wrote the file" || bad "-o wrote the file"

# --shard: the slices add up to the whole, and do not overlap
total=$("$C" run --format json vectors/ 2>/dev/null | python3 -c "import json,sys; print(json.load(sys.stdin)['summary']['cases'])")
sum=0
: >"$tmp/ids"
for i in 1 2 3; do
  "$C" run --format json --shard $i/3 vectors/ 2>/dev/null | python3 -c "
import json,sys
d=json.load(sys.stdin)
for r in d['results']: print(r['file'], r['case'])
" | sort -u >>"$tmp/ids"
done
if [ "$(sort "$tmp/ids" | uniq -d | wc -l)" -eq 0 ] && [ "$(sort -u "$tmp/ids" | wc -l)" -eq "$total" ]; then
  ok "--shard 1/3 2/3 3/3 cover the $total cases once each"
else
  bad "--shard slices" "total $total, got $(sort -u "$tmp/ids" | wc -l) unique, $(sort "$tmp/ids" | uniq -d | wc -l) twice"
fi

# -j N: the same report, in input order
"$C" run --deterministic --browser all --format json vectors/ >"$tmp/j1.json" 2>/dev/null
"$C" run -j 4 --deterministic --browser all --format json vectors/ >"$tmp/j4.json" 2>/dev/null
cmp -s "$tmp/j1.json" "$tmp/j4.json" && ok "-j 4 gives the serial report, byte for byte" || bad "-j 4 gives the serial report" "$(diff "$tmp/j1.json" "$tmp/j4.json" | head -5)"
expect_exit "bad -j" 2 "$C" run -j 0 $D/pass.json

# --fail-fast stops after the first failing case
"$C" run --fail-fast --format json $D/fail.json >"$tmp/ff.json" 2>/dev/null
python3 -c "import json,sys; d=json.load(open('$tmp/ff.json')); sys.exit(0 if d['summary']['cases']==1 else 1)" && ok "--fail-fast stops after the failure" || bad "--fail-fast stops after the failure" "$(head -c 300 "$tmp/ff.json")"

# SIGINT during a live step that never ends: the report is finished with what ran
python3 - "$tmp/port" <<'PY' &
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(8)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
conns = []
end = time.time() + 30
s.settimeout(1)
while time.time() < end:
    try:
        c, _ = s.accept(); conns.append(c)
    except socket.timeout:
        pass
PY
pids+=($!)
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")
"$C" run --format "json:$tmp/int.json" --resolve "stall.example:8080:127.0.0.1:$port" --max-time 20 $D/live-stall.json >/dev/null 2>"$tmp/int.err" &
cp=$!
sleep 1.5
kill -INT $cp
wait $cp
rc=$?
[ "$rc" -eq 130 ] && ok "SIGINT: exit 130" || bad "SIGINT: exit $rc, want 130" "$(cat "$tmp/int.err")"
python3 -c "import json,sys; d=json.load(open('$tmp/int.json')); sys.exit(0 if any(r['case']=='before-the-stall' for r in d['results']) else 1)" && ok "SIGINT: the json report is whole and holds the case that ran" || bad "SIGINT: the json report" "$(head -c 300 "$tmp/int.json" 2>&1)"

echo "1..$n"
exit $fails
