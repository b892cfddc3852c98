#!/usr/bin/env bash
# t_live.sh: live mode end to end, speaking TAP: `corsim check` against the
# hostile server (every misbehaviour ends with exit 4 or a note, within its
# deadline + 1 s), TLS against the replay server with a certificate made
# here (accepted with --cacert, refused without), verdicts and fixes,
# --save whose vector file `corsim run` passes, the replay differential over
# the whole corpus (live answers must decide exactly as captured ones), and
# a real Flask-CORS server when python3-flask-cors is installed.
#
# Builds nothing: make builds $BUILD/servers/{replay,hostile} (servers.mk).
# Every server is started here on 127.0.0.1 and stopped by its PID on exit.
set -u
cd "$(dirname "$0")/../.."
export LC_ALL=C NO_COLOR=1
BUILD=${BUILD:-build}
CORSIM=${CORSIM:-$BUILD/corsim}
SERVERS=$BUILD/servers
tmp=$(mktemp -d "${TMPDIR:-/tmp}/corsim-live.XXXXXX")
pids=()

cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT

n=0
failures=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; failures=$((failures + 1)); }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
finish() { echo "1..$n"; [ "$failures" -eq 0 ]; exit $?; }

# start NAME COMMAND...: runs a server that prints its port on its first
# line; sets $port (empty when it did not start within 10 s).
start() {
  local name=$1
  shift
  "$@" >"$tmp/$name.port" 2>"$tmp/$name.err" &
  pids+=($!)
  port=
  for _ in $(seq 100); do
    port=$(head -n 1 "$tmp/$name.port" 2>/dev/null)
    [ -n "$port" ] && return 0
    sleep 0.1
  done
  echo "# $name did not start: $(head -c 300 "$tmp/$name.err")"
  return 1
}

# run_check NAME EXPECTED_EXIT SECONDS_MAX PATTERN ARGS...: runs corsim
# check; passes when the exit code, the time taken and a line of its
# output (stdout + stderr) match.
run_check() {
  local name=$1 want=$2 max=$3 pattern=$4
  shift 4
  local t0 t1 rc ms
  t0=$(date +%s%N)
  "$CORSIM" check "$@" >"$tmp/out" 2>&1
  rc=$?
  t1=$(date +%s%N)
  ms=$(((t1 - t0) / 1000000))
  if [ "$rc" -ne "$want" ]; then
    not_ok "$name: exit $rc, expected $want"
    sed 's/^/# /' "$tmp/out" | head -n 20
  elif [ "$ms" -gt $((max * 1000)) ]; then
    not_ok "$name: took ${ms} ms, more than ${max} s"
  elif ! grep -qF -- "$pattern" "$tmp/out"; then
    not_ok "$name: no line with '$pattern'"
    sed 's/^/# /' "$tmp/out" | head -n 20
  else
    ok "$name (${ms} ms)"
  fi
}

if ! "$CORSIM" check --help 2>/dev/null | grep -q "usage: corsim check"; then
  skip "corsim check" "'$CORSIM check' is not wired into main.c yet"
  finish
fi

# ---- usage ----------------------------------------------------------------------------
run_check "usage: no --origin" 2 5 "check needs --origin" https://api.example/
run_check "usage: bad --resolve" 2 5 "invalid --resolve 'x:1': expected HOST:PORT:ADDR[:PORT2]" \
  https://api.example/ --origin https://app.example --resolve x:1
run_check "usage: bad --max-time" 2 5 "option '--max-time' needs a number of seconds, not 'soon'" \
  https://api.example/ --origin https://app.example --max-time soon
run_check "usage: not http" 2 5 "check needs an http or https URL" \
  ftp://api.example/ --origin https://app.example
run_check "usage: missing CA file" 2 5 "cannot load CA certificates from '$tmp/none.pem'" \
  https://api.example/ --origin https://app.example --cacert "$tmp/none.pem"

if [ ! -x "$SERVERS/hostile" ] || [ ! -x "$SERVERS/replay" ]; then
  skip "live servers" "$SERVERS/hostile and $SERVERS/replay are not built (include harness/tests/servers/servers.mk)"
  finish
fi

# ---- the hostile server: every case ends within its deadline + 1 s ---------------------
if start hostile "$SERVERS/hostile"; then
  H=127.0.0.1:$port
  fast=(--origin https://app.example --connect-timeout 1 --tls-timeout 1
        --first-byte-timeout 1 --max-time 2)
  run_check "hostile: a normal answer" 0 3 "fetch: allowed (status 200)" "http://$H/ok" "${fast[@]}"
  run_check "hostile: silent after the request" 4 2 \
    "corsim: $H: no response headers within 1 s (first-byte deadline)" "http://$H/stall-headers" "${fast[@]}"
  run_check "hostile: one byte a second" 4 3 \
    "corsim: $H: response headers incomplete after 2 s (whole-response deadline)" "http://$H/dribble" "${fast[@]}"
  run_check "hostile: silent after the headers (decided on them)" 0 3 \
    "the body did not end within 2 s (whole-response deadline); the decision uses the headers" \
    "http://$H/stall-body" "${fast[@]}"
  run_check "hostile: 1 MiB of headers" 4 3 \
    "corsim: $H: response headers too large: more than 262144 header bytes at byte" \
    "http://$H/huge-headers" "${fast[@]}"
  run_check "hostile: 100000 header lines" 4 3 \
    "corsim: $H: response headers too large: more than 256 header lines at byte" \
    "http://$H/many-headers" "${fast[@]}"
  run_check "hostile: endless chunked body (body cap)" 0 3 \
    "stopped reading the body after" "http://$H/endless-body" "${fast[@]}"
  run_check "hostile: another protocol" 4 3 \
    "corsim: $H: invalid HTTP response: HPE_INVALID_CONSTANT at byte 0: Expected HTTP/" \
    "http://$H/garbage" "${fast[@]}"
  run_check "hostile: binary bytes" 4 3 \
    "corsim: $H: invalid HTTP response: HPE_INVALID_CONSTANT at byte 0" "http://$H/binary" "${fast[@]}"
  run_check "hostile: reset inside the headers" 4 3 \
    "corsim: $H: connection reset by peer while reading headers" "http://$H/reset-headers" "${fast[@]}"
  run_check "hostile: reset inside the body (decided on the headers)" 0 3 \
    "connection reset by peer while reading the body; the decision uses the headers" \
    "http://$H/reset-body" "${fast[@]}"
  run_check "hostile: closes without answering" 4 3 \
    "corsim: $H: connection closed by the server before any response" "http://$H/close" "${fast[@]}"
  run_check "hostile: closes inside the headers" 4 3 \
    "corsim: $H: connection closed by the server while reading headers (after 27 bytes)" \
    "http://$H/close-headers" "${fast[@]}"
  run_check "hostile: endless 100 Continue" 4 3 \
    "corsim: $H: response headers too large: more than" "http://$H/interim-flood" "${fast[@]}"
  run_check "hostile: TLS ClientHello never answered" 4 2 \
    "corsim: $H: no TLS handshake within 1 s (TLS handshake deadline)" "https://$H/" "${fast[@]}"
  run_check "hostile: --resolve names both" 4 2 \
    "corsim: api.example:443 via $H: no TLS handshake within 1 s (TLS handshake deadline)" \
    https://api.example/ --resolve "api.example:443:127.0.0.1:$port" "${fast[@]}"
  run_check "hostile: a host name (looked up with a deadline)" 0 3 "fetch: allowed (status 200)" \
    "http://localhost:$port/ok" "${fast[@]}"
  "$CORSIM" check "http://$H/endless-body" "${fast[@]}" --save "$tmp/cut" >"$tmp/out" 2>&1
  if [ -f "$tmp/cut/127.0.0.1-get-1.json" ] &&
     "$CORSIM" run "$tmp/cut/127.0.0.1-get-1.json" >"$tmp/run" 2>&1; then
    ok "hostile: --save of a body cut short loads back and passes"
  else
    not_ok "hostile: --save of a body cut short loads back and passes"
    sed 's/^/# /' "$tmp/out" "$tmp/run" 2>/dev/null | head -n 20
  fi
  closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null)
  if [ -n "$closed" ]; then
    run_check "no server on the port" 4 2 \
      "corsim: 127.0.0.1:$closed: cannot connect: connection refused" "http://127.0.0.1:$closed/" "${fast[@]}"
  fi
else
  not_ok "hostile server starts"
fi

# ---- TLS, verdicts, fixes and --save against the replay server ----------------------------
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/key.pem" -out "$tmp/cert.pem" \
  -days 2 -subj /CN=api.example \
  -addext subjectAltName=DNS:api.example,IP:127.0.0.1 >/dev/null 2>&1 ||
  not_ok "openssl makes a test certificate"

mkdir -p "$tmp/fixture"
printf 'HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example\r\nContent-Type: text/plain\r\nX-Secret: 1\r\nContent-Length: 2\r\n\r\nok' \
  >"$tmp/fixture/allowed.http"
cat >"$tmp/fixture/server.json" <<'EOF'
{
  "format": "cors-vectors/1",
  "suite": "t-live-fake-server",
  "cases": [
    {"id": "allowed", "title": "a listed origin",
     "request": {"origin": "https://app.example", "url": "https://api.example/allowed"},
     "responses": [{"url": "https://api.example/allowed", "raw_file": "allowed.http"}],
     "expect": {"outcome": "allowed"}},
    {"id": "no-acao", "title": "no CORS headers",
     "request": {"origin": "https://app.example", "url": "https://api.example/no-acao"},
     "responses": [{"status": 200, "headers": [["Content-Type", "text/plain"]]}],
     "expect": {"outcome": "blocked"}},
    {"id": "put", "title": "a preflighted PUT",
     "request": {"origin": "https://app.example", "url": "https://api.example/put", "method": "PUT",
                 "headers": [["X-Token", "t"]]},
     "responses": [
       {"method": "OPTIONS", "url": "https://api.example/put", "status": 204,
        "headers": [["Access-Control-Allow-Origin", "https://app.example"],
                    ["Access-Control-Allow-Methods", "PUT"],
                    ["Access-Control-Allow-Headers", "x-token"]]},
       {"method": "PUT", "url": "https://api.example/put", "status": 200,
        "headers": [["Access-Control-Allow-Origin", "https://app.example"]]}],
     "expect": {"outcome": "allowed"}},
    {"id": "put-bad", "title": "the preflight does not list the header",
     "request": {"origin": "https://app.example", "url": "https://api.example/put-bad", "method": "PUT"},
     "responses": [
       {"method": "OPTIONS", "url": "https://api.example/put-bad", "status": 204,
        "headers": [["Access-Control-Allow-Origin", "https://app.example"],
                    ["Access-Control-Allow-Methods", "PUT"],
                    ["Access-Control-Allow-Headers", "content-type"]]}],
     "expect": {"outcome": "blocked"}},
    {"id": "auth", "title": "OPTIONS behind authentication, with the CORS headers",
     "request": {"origin": "https://app.example", "url": "https://api.example/auth", "method": "DELETE"},
     "responses": [
       {"method": "OPTIONS", "url": "https://api.example/auth", "status": 401,
        "headers": [["Access-Control-Allow-Origin", "https://app.example"],
                    ["WWW-Authenticate", "Bearer"]]}],
     "expect": {"outcome": "blocked"}},
    {"id": "auth-bare", "title": "OPTIONS behind authentication, no CORS headers",
     "request": {"origin": "https://app.example", "url": "https://api.example/auth-bare", "method": "DELETE"},
     "responses": [
       {"method": "OPTIONS", "url": "https://api.example/auth-bare", "status": 401,
        "headers": [["WWW-Authenticate", "Bearer"]]}],
     "expect": {"outcome": "blocked"}}
  ]
}
EOF

if [ -s "$tmp/cert.pem" ] &&
   start replay-fixture "$SERVERS/replay" --cert "$tmp/cert.pem" --key "$tmp/key.pem" \
     "$tmp/fixture/server.json"; then
  to=(--resolve "api.example:443:127.0.0.1:$port" --origin https://app.example --max-time 5)
  tls=("${to[@]}" --cacert "$tmp/cert.pem")
  run_check "tls: trusted with --cacert" 0 5 "fetch: allowed (status 200)" \
    https://api.example/allowed "${tls[@]}"
  run_check "tls: refused without it" 4 5 \
    "corsim: api.example:443 via 127.0.0.1:$port: TLS handshake failed: certificate verify failed (self-signed certificate)" \
    https://api.example/allowed "${to[@]}"
  run_check "tls: --insecure" 0 5 "fetch: allowed (status 200)" \
    https://api.example/allowed "${to[@]}" --insecure
  run_check "tls: another host name" 4 5 "certificate verify failed (hostname mismatch)" \
    https://other.example/allowed --resolve "other.example:443:127.0.0.1:$port" \
    --origin https://app.example --cacert "$tmp/cert.pem"
  run_check "verdict: exposed headers" 0 5 "exposed headers: content-length, content-type" \
    https://api.example/allowed "${tls[@]}"
  run_check "verdict: no Access-Control-Allow-Origin" 1 5 \
    "fix: send Access-Control-Allow-Origin: https://app.example (or *) on this response; it came back 200 without one" \
    https://api.example/no-acao "${tls[@]}"
  run_check "verdict: the console message" 1 5 \
    "console: Access to fetch at 'https://api.example/no-acao' from origin 'https://app.example' has been blocked by CORS policy" \
    https://api.example/no-acao "${tls[@]}" --browser chromium
  run_check "verdict: a preflighted PUT" 0 5 "preflight: sent" \
    https://api.example/put -X PUT -H 'X-Token: t' "${tls[@]}"
  run_check "verdict: a header the preflight does not list" 1 5 \
    "fix: add 'x-token' to Access-Control-Allow-Headers on the OPTIONS response" \
    https://api.example/put-bad -X PUT -H 'X-Token: t' "${tls[@]}"
  run_check "verdict: OPTIONS behind authentication" 1 5 \
    "fix: answer OPTIONS with 200 or 204 (status 401 now), without requiring authentication" \
    https://api.example/auth -X DELETE "${tls[@]}"
  run_check "verdict: OPTIONS behind authentication, no CORS headers" 1 5 \
    "the preflight came back 401 without it; and answer OPTIONS before any authentication check" \
    https://api.example/auth-bare -X DELETE "${tls[@]}"
  "$CORSIM" check https://api.example/no-acao "${tls[@]}" --browser all >"$tmp/all" 2>&1
  rc=$?
  if [ "$rc" -eq 1 ] && [ "$(grep -cE '^(fetch|chromium|firefox|webkit): blocked by CORS: MissingAllowOriginHeader$' "$tmp/all")" -eq 4 ]; then
    ok "--browser all: four verdicts"
  else
    not_ok "--browser all: four verdicts (exit $rc)"
    sed 's/^/# /' "$tmp/all" | head -n 20
  fi

  # --save: the live answers become a vector that `corsim run` passes
  save=$tmp/saved
  for spec in "allowed|GET||api.example-get-1" "no-acao|GET||api.example-get-2" \
              "put|PUT|X-Token: t|api.example-put-1" "auth|DELETE||api.example-delete-1"; do
    IFS='|' read -r path method header base <<<"$spec"
    args=(https://api.example/$path -X "$method" "${tls[@]}" --save "$save")
    [ -n "$header" ] && args+=(-H "$header")
    "$CORSIM" check "${args[@]}" >"$tmp/out" 2>&1
    if [ ! -f "$save/$base.json" ] || ! grep -qF "saved $save/$base.json" "$tmp/out"; then
      not_ok "--save $path writes $base.json"
      sed 's/^/# /' "$tmp/out" | head -n 20
    elif "$CORSIM" run "$save/$base.json" >"$tmp/run" 2>&1; then
      ok "--save $path: corsim run passes $base.json"
    else
      not_ok "--save $path: corsim run passes $base.json"
      sed 's/^/# /' "$tmp/run" | head -n 20
    fi
  done
  if cmp -s "$save/api.example-get-1.1.http" "$tmp/fixture/allowed.http"; then
    ok "--save keeps the bytes as received"
  else
    not_ok "--save keeps the bytes as received"
  fi
  if [ -f "$save/api.example-put-1.2.http" ] && grep -qE '"method":[[:space:]]*"OPTIONS"' "$save/api.example-put-1.json"; then
    ok "--save keeps the preflight and the request"
  else
    not_ok "--save keeps the preflight and the request"
  fi
else
  not_ok "replay server with TLS starts"
fi

# ---- the replay differential over the corpus -----------------------------------------------
find vectors -name '*.json' | LC_ALL=C sort >"$tmp/corpus.list"
if [ -s "$tmp/cert.pem" ] &&
   start replay-corpus "$SERVERS/replay" --cert "$tmp/cert.pem" --key "$tmp/key.pem" \
     $(cat "$tmp/corpus.list"); then
  RP=$port
  if [ -x "$BUILD/test-harness" ]; then
    CHECK_NO_FORK=1 CORSIM_REPLAY_PORT=$RP CORSIM_REPLAY_LIST="$tmp/corpus.list" \
      timeout 300 "$BUILD/test-harness" live_replay_differential >"$tmp/diff" 2>&1
    summary=$(grep -o 'live_replay_differential: [0-9]* steps, [0-9]* differ' "$tmp/diff")
    if grep -q '^ok 1 - live_replay_differential' "$tmp/diff" && grep -q ', 0 differ' "$tmp/diff"; then
      ok "replay differential: live answers decide as captured ones ($summary)"
    else
      not_ok "replay differential: live answers decide as captured ones ($summary)"
      grep -v '^ok' "$tmp/diff" | sed 's/^/# /' | head -n 40
    fi
  else
    skip "replay differential" "$BUILD/test-harness not built"
  fi
  # The same through the CLI, once `corsim run --live --replay` exists.
  "$CORSIM" run --deterministic --format tap vectors/ >"$tmp/captured.tap" 2>/dev/null
  "$CORSIM" run --deterministic --live --replay --insecure --resolve "*:*:127.0.0.1:$RP" --format tap vectors/ \
    >"$tmp/live.tap" 2>"$tmp/live.err"
  rc=$?
  if [ "$rc" -eq 2 ] && grep -q "unknown option" "$tmp/live.err"; then
    skip "run --live --replay equals captured mode" "'corsim run --live --replay' is not wired yet"
  elif diff -u "$tmp/captured.tap" "$tmp/live.tap" >"$tmp/tap.diff"; then
    ok "run --live --replay equals captured mode"
  else
    not_ok "run --live --replay equals captured mode (exit $rc)"
    head -n 30 "$tmp/tap.diff" | sed 's/^/# /'
  fi
  # the same with 4 cases at a time: results in input order
  "$CORSIM" run -j 4 --deterministic --live --replay --insecure --resolve "*:*:127.0.0.1:$RP" --format tap vectors/ \
    >"$tmp/live4.tap" 2>"$tmp/live4.err"
  if diff -u "$tmp/captured.tap" "$tmp/live4.tap" >"$tmp/tap4.diff"; then
    ok "run -j 4 --live --replay equals captured mode, in input order"
  else
    not_ok "run -j 4 --live --replay equals captured mode"
    head -n 30 "$tmp/tap4.diff" | sed 's/^/# /'
  fi
else
  not_ok "replay server with the corpus starts"
fi

# ---- a real server: Flask-CORS -----------------------------------------------------------------
py=
for p in /usr/bin/python3 python3; do
  if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import flask, flask_cors' 2>/dev/null; then
    py=$p
    break
  fi
done
if [ -z "$py" ]; then
  skip "flask-cors: listed origin allowed" "python3-flask-cors is not installed"
  skip "flask-cors: other origin refused" "python3-flask-cors is not installed"
elif [ ! -s "$tmp/cert.pem" ]; then
  skip "flask-cors" "no test certificate"
else
  cat >"$tmp/app.py" <<'EOF'
import sys
from flask import Flask
from flask_cors import CORS
from werkzeug.serving import make_server

app = Flask(__name__)
CORS(app, origins=["https://app.example"])

@app.route("/api")
def api():
    return "ok"

server = make_server("127.0.0.1", 0, app, ssl_context=(sys.argv[1], sys.argv[2]))
print(server.port, flush=True)
server.serve_forever()
EOF
  if start flask "$py" "$tmp/app.py" "$tmp/cert.pem" "$tmp/key.pem"; then
    real=(--resolve "api.example:443:127.0.0.1:$port" --cacert "$tmp/cert.pem" --browser all)
    "$CORSIM" check https://api.example/api --origin https://app.example "${real[@]}" >"$tmp/out" 2>&1
    rc=$?
    if [ "$rc" -eq 0 ] && [ "$(grep -cE '^(fetch|chromium|firefox|webkit): allowed \(status 200\)$' "$tmp/out")" -eq 4 ]; then
      ok "flask-cors: listed origin allowed in all four browsers"
    else
      not_ok "flask-cors: listed origin allowed in all four browsers (exit $rc)"
      sed 's/^/# /' "$tmp/out" | head -n 20
    fi
    "$CORSIM" check https://api.example/api --origin https://evil.example "${real[@]}" >"$tmp/out" 2>&1
    rc=$?
    if [ "$rc" -eq 1 ] && [ "$(grep -cE '^(fetch|chromium|firefox|webkit): blocked by CORS: MissingAllowOriginHeader$' "$tmp/out")" -eq 4 ]; then
      ok "flask-cors: other origin refused (MissingAllowOriginHeader) in all four"
    else
      not_ok "flask-cors: other origin refused (MissingAllowOriginHeader) in all four (exit $rc)"
      sed 's/^/# /' "$tmp/out" | head -n 20
    fi
  else
    not_ok "flask-cors server starts"
  fi
fi

finish
