#!/usr/bin/env bash
# t_audit.sh: tests `corsim audit` against the real CORS middleware servers
# of harness/tests/stacks/: installs what they need (install.sh), starts
# each stack on a free loopback port (start.sh; stopped by PID, also from
# the trap), runs every audit of harness/tests/audit/audits.txt and checks
# its exit code, the exact findings ("class origin" lines, against
# harness/tests/audit/NAME.expected), the JSON report's shape, that the SARIF
# report is valid SARIF 2.1.0 (reports/tests/sarif/validate.js, or a
# structural check without node), and that the --save vectors pass under
# `corsim run` (exit 0). Also: usage errors give exit 2, an unreachable
# port exit 4 with a message naming the server. A stack that cannot be
# installed is a "# SKIP". Prints TAP; exits 1 on any failure.
#
# $CORSIM is the program to run (default build/corsim).
#
# To see what an audit finds now (and, after checking every line, to
# update its .expected):
#   pid=$(harness/tests/stacks/start.sh flask 18080)
#   build/corsim audit http://127.0.0.1:18080/public-api --allow https://myapp.com
#   harness/tests/stacks/stop.sh "$pid"
set -u
cd "$(dirname "$0")/../.." || exit 1
export LC_ALL=C NO_COLOR=1
CORSIM=${CORSIM:-build/corsim}
stacks_dir=harness/tests/stacks
audit_dir=harness/tests/audit
py=/usr/bin/python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/corsim-t-audit.XXXXXX") || exit 1
pids=()
cleanup() {
  if [ "${#pids[@]}" -gt 0 ]; then
    "$stacks_dir/stop.sh" "${pids[@]}" >/dev/null 2>&1
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

n=0
failed=0
ok()     { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
skip()   { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
diag()   { sed 's/^/# /'; }
finish() { echo "1..$n"; [ "$failed" -eq 0 ]; exit $?; }

free_port() {
  "$py" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# ---- the command exists ---------------------------------------------------
if ! "$CORSIM" audit --help >"$tmp/help.out" 2>&1; then
  not_ok "'$CORSIM audit --help' works (is audit_main wired in harness/main.c?)"
  diag <"$tmp/help.out"
  finish
fi
ok "audit --help"

# ---- usage errors and an unreachable server --------------------------------
# expect_exit NAME CODE GREP COMMAND...: exit code and a stderr substring
expect_exit() {
  local name=$1 want=$2 grep=$3 got
  shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  got=$?
  if [ "$got" -ne "$want" ]; then
    not_ok "$name (exit $got, want $want)"
    diag <"$tmp/err"
  elif ! grep -qF -- "$grep" "$tmp/err"; then
    not_ok "$name: stderr lacks '$grep'"
    diag <"$tmp/err"
  else
    ok "$name"
  fi
}
expect_exit "usage: no --allow" 2 "audit needs --allow" \
  "$CORSIM" audit http://127.0.0.1:9/x
expect_exit "usage: --allow with a path" 2 \
  "invalid --allow 'https://myapp.com/': an origin has no path; did you mean 'https://myapp.com'?" \
  "$CORSIM" audit http://127.0.0.1:9/x --allow https://myapp.com/
expect_exit "usage: unknown format" 2 "unknown audit format 'xml'" \
  "$CORSIM" audit http://127.0.0.1:9/x --allow https://myapp.com --format xml
closed=$(free_port)
expect_exit "unreachable port: exit 4" 4 \
  "cannot audit 'http://127.0.0.1:$closed/api': 127.0.0.1:$closed: cannot connect" \
  "$CORSIM" audit "http://127.0.0.1:$closed/api" --allow https://myapp.com \
    --connect-timeout 2
if [ -s "$tmp/out" ]; then
  not_ok "unreachable port: no report on stdout"
else
  ok "unreachable port: no report on stdout"
fi

# ---- the stacks -------------------------------------------------------------
"$stacks_dir/install.sh" >"$tmp/install.log" 2>&1
install_rc=$?

# findings FILE.json: the "class origin" lines of a JSON report, sorted
findings() {
  "$py" - "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
for f in sorted(f["class"] + " " + f["origin"] for f in d["findings"]):
    print(f)
EOF
}

# shape FILE.json: the JSON report has the documented members
shape() {
  "$py" - "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "corsim-audit/1", d["format"]
assert isinstance(d["target"], str) and isinstance(d["probes"], int) and d["probes"] > 0
for f in d["findings"]:
    for k in ("class", "severity", "origin", "url", "browsers", "evidence", "fix"):
        assert k in f, (k, f.get("class"))
    assert f["severity"] in ("high", "medium", "low", "info"), f["severity"]
    assert f["browsers"], f["class"]
    ev = f["evidence"]
    if ev is None:  # nothing was sent: the browser refused first
        assert f["class"] == "lint-refused-before-request", f["class"]
        continue
    assert set(ev["request"]) >= {"method", "url", "headers"}, ev["request"]
    assert set(ev["response"]) >= {"status", "headers"}, ev["response"]
    assert f["class"].startswith("lint-") == f["lint"], f["class"]
    assert f["fix"], f["class"]
EOF
}

# sarif_shape FILE...: what validate.js checks beyond the schema, without node
sarif_shape() {
  "$py" - "$@" <<'EOF'
import json, sys
for path in sys.argv[1:]:
    d = json.load(open(path))
    assert d["version"] == "2.1.0"
    run = d["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(ids) == len(set(ids)), ids
    for r in run["tool"]["driver"]["rules"]:
        assert r["help"]["text"] and r["properties"]["security-severity"], r["id"]
    for res in run["results"]:
        assert ids[res["ruleIndex"]] == res["ruleId"], res["ruleId"]
        assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("http")
EOF
}

mkdir -p "$tmp/save"
sarifs=()
saves=()
stacks=$(awk '$1 !~ /^#/ && NF >= 3 { print $2 }' "$audit_dir/audits.txt" | awk '!seen[$0]++')
for stack in $stacks; do
  mapfile -t lines < <(awk -v s="$stack" '$1 !~ /^#/ && $2 == s' "$audit_dir/audits.txt")
  if ! why=$("$stacks_dir/install.sh" --check "$stack" 2>&1); then
    [ "$install_rc" -ne 0 ] && why="$why, and install.sh could not install it"
    for line in "${lines[@]}"; do
      read -r name _ <<<"$line"
      skip "audit $name" "$why"
    done
    continue
  fi
  pid=""
  for _ in 1 2 3; do   # another program may take the free port first
    port=$(free_port)
    if pid=$(STACKS_RUN_DIR="$tmp/run" "$stacks_dir/start.sh" "$stack" "$port" 2>"$tmp/start.err"); then
      break
    fi
    pid=""
  done
  if [ -z "$pid" ]; then
    not_ok "$stack: the server did not start"
    diag <"$tmp/start.err"
    continue
  fi
  pids+=("$pid")
  for line in "${lines[@]}"; do
    read -r -a words <<<"$line"
    name=${words[0]}
    path=${words[2]}
    opts=("${words[@]:3}")
    url="http://127.0.0.1:$port$path"
    expected=$audit_dir/$name.expected
    if [ ! -f "$expected" ]; then
      not_ok "audit $name: $expected is missing"
      continue
    fi
    want=0
    grep -qv '^lint-' "$expected" && want=1
    "$CORSIM" audit "$url" "${opts[@]}" --format json -o "$tmp/$name.json" \
      --save "$tmp/save/$name" >"$tmp/$name.out" 2>"$tmp/$name.err"
    got=$?
    if [ "$got" -ne "$want" ]; then
      not_ok "audit $name: exit $got, want $want"
      diag <"$tmp/$name.err"
      continue
    fi
    if ! findings "$tmp/$name.json" >"$tmp/$name.found" 2>"$tmp/$name.perr"; then
      not_ok "audit $name: the JSON report does not parse"
      diag <"$tmp/$name.perr"
      continue
    fi
    if diff -u "$expected" "$tmp/$name.found" >"$tmp/$name.diff"; then
      ok "audit $name: $(wc -l <"$expected") findings as expected, exit $want"
    else
      not_ok "audit $name: findings differ from $expected"
      diag <"$tmp/$name.diff"
    fi
    if shape "$tmp/$name.json" >"$tmp/$name.shape" 2>&1; then
      ok "audit $name: JSON report shape"
    else
      not_ok "audit $name: JSON report shape"
      diag <"$tmp/$name.shape"
    fi
    if [ -s "$expected" ]; then
      saves+=("$name")
    elif [ -e "$tmp/save/$name" ]; then
      not_ok "audit $name: --save wrote vectors without findings"
    fi
    "$CORSIM" audit "$url" "${opts[@]}" --format sarif -o "$tmp/$name.sarif" \
      >/dev/null 2>"$tmp/$name.serr"
    if [ "$?" -eq "$want" ] && [ -s "$tmp/$name.sarif" ]; then
      sarifs+=("$tmp/$name.sarif")
    else
      not_ok "audit $name: the SARIF report"
      diag <"$tmp/$name.serr"
    fi
    if [ "$name" = flask-public-api ]; then
      # the text report names the finding, its evidence and the fix
      "$CORSIM" audit "$url" "${opts[@]}" >"$tmp/$name.txt" 2>&1
      if grep -q '^high origin-reflected$' "$tmp/$name.txt" &&
         grep -q '^              Access-Control-Allow-Origin: https://evil.example' "$tmp/$name.txt" &&
         grep -q "@cross_origin(origins='\*', supports_credentials=False)" "$tmp/$name.txt"; then
        ok "audit $name: text report"
      else
        not_ok "audit $name: text report"
        head -n 40 "$tmp/$name.txt" | diag
      fi
    fi
  done
  "$stacks_dir/stop.sh" "$pid" >/dev/null 2>&1
  pids=()
done

# ---- the SARIF reports --------------------------------------------------------
if [ "${#sarifs[@]}" -eq 0 ]; then
  skip "audit SARIF reports are valid SARIF 2.1.0" "no audit ran"
elif command -v node >/dev/null 2>&1 && [ -d reports/tests/sarif/node_modules/ajv-draft-04 ]; then
  if node reports/tests/sarif/validate.js "${sarifs[@]}" >"$tmp/sarif.out" 2>&1; then
    ok "audit SARIF reports are valid SARIF 2.1.0 (${#sarifs[@]} files, schema)"
  else
    not_ok "audit SARIF reports are valid SARIF 2.1.0"
    grep -v '^ok' "$tmp/sarif.out" | head -n 40 | diag
  fi
else
  if sarif_shape "${sarifs[@]}" >"$tmp/sarif.out" 2>&1; then
    ok "audit SARIF reports are well formed (${#sarifs[@]} files, structural: no schema validator)"
  else
    not_ok "audit SARIF reports are well formed"
    diag <"$tmp/sarif.out"
  fi
fi

# ---- the --save vectors replay as they were decided --------------------------
for name in "${saves[@]}"; do
  if "$CORSIM" run "$tmp/save/$name" >"$tmp/run.out" 2>&1; then
    ok "audit $name: --save vectors pass under corsim run"
  else
    not_ok "audit $name: --save vectors pass under corsim run"
    grep -v PASS "$tmp/run.out" | head -n 20 | diag
  fi
done
finish
