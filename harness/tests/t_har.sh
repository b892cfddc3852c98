#!/usr/bin/env bash
# t_har.sh: tests `corsim har` end to end; prints TAP.
#
#   1. records real HARs when it can: headless Chromium driven by
#      playwright-core (harness/tests/har/recorder/record.js: Playwright's
#      recordHar, the same session in DevTools' HAR shape, and the console
#      messages and CorsErrors Chromium reported), and Firefox's own HAR
#      export (record-firefox.js). Without node, /usr/bin/chromium or a
#      working `npm ci`, it says so with a TAP SKIP and uses the committed
#      recordings in harness/tests/har/recorded/;
#   2. on every recording (committed and fresh): runs `corsim har
#      --browser chromium` and has test-harness's har_check_* tests assert
#      that every failed entry is explained with the CorsError and the
#      console message Chromium itself printed and every allowed entry is
#      allowed; saves the session with --save and runs the vector file
#      with `corsim run` (exit 0);
#   3. runs every harness/tests/har/messy/NAME.har and compares its report
#      (without the advice lines, whose wording is the simulator's) plus
#      stderr and the exit code with NAME.expected;
#   4. the usage errors.
#
#   harness/tests/t_har.sh            check (CORSIM, BUILD from the environment)
#   harness/tests/t_har.sh --update   rewrite every messy NAME.expected
set -u
cd "$(dirname "$0")/../.." || exit 1
export LC_ALL=C NO_COLOR=1
CORSIM=${CORSIM:-build/corsim}
BUILD=${BUILD:-build}
TESTS=${TEST_HARNESS:-$BUILD/test-harness}
recorder=harness/tests/har/recorder
recorded=harness/tests/har/recorded
messy=harness/tests/har/messy

update=0
if [ "${1:-}" = "--update" ]; then
  update=1
elif [ $# -gt 0 ]; then
  echo "usage: $0 [--update]" >&2
  exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/corsim-har.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; failed=$((failed + 1)); }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
# check NAME COMMAND...: one TAP line for a command, its output as comments
check() {
  local name=$1; shift
  if "$@" >"$tmp/out" 2>&1; then
    ok "$name"
  else
    notok "$name"
    sed 's/^/# /' "$tmp/out" | head -n 60
  fi
}

if ! "$CORSIM" har --help 2>/dev/null | grep -q '^usage: corsim har'; then
  echo "1..1"
  echo "not ok 1 - '$CORSIM har' is not a command (main.c must call har_main)"
  exit 1
fi

# ---- 1. record ---------------------------------------------------------------
dirs=("$recorded")
work=$BUILD/har-recorder
have_npm=0
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  why="node or npm is not installed"
elif [ "$update" -eq 1 ]; then
  why="--update rewrites the messy expectations only"
else
  mkdir -p "$work"
  cp "$recorder"/package.json "$recorder"/package-lock.json "$recorder"/*.js "$work"/
  if (cd "$work" && npm ci --no-audit --no-fund --loglevel=error) >"$tmp/npm" 2>&1; then
    have_npm=1
  else
    why="npm ci failed: $(tail -n 1 "$tmp/npm")"
  fi
fi
if [ "$have_npm" -eq 1 ] && [ -x /usr/bin/chromium ]; then
  # the fresh recording stays in $work/last for a look after a failure
  rm -rf "$work/last"
  if (cd "$work" && timeout 120 node record.js "$tmp/rec") >"$tmp/rec.log" 2>&1; then
    ok "record HARs with headless Chromium (Playwright and DevTools shapes)"
    dirs+=("$tmp/rec")
  else
    notok "record HARs with headless Chromium"
    sed 's/^/# /' "$tmp/rec.log" | head -n 40
  fi
else
  [ "$have_npm" -eq 1 ] && why="/usr/bin/chromium is not installed"
  skip "record HARs with headless Chromium" "$why; using the committed $recorded"
fi
if [ "$have_npm" -eq 1 ] && [ -x /usr/bin/firefox-esr ] && [ -d "$tmp/rec" ]; then
  # Firefox's auto-export is timing-dependent: a miss is a skip, not a failure
  if (cd "$work" && timeout 120 node record-firefox.js "$tmp/rec/firefox.har") \
       >"$tmp/ff.log" 2>&1; then
    ok "record a HAR with Firefox's own HAR export"
  else
    skip "record a HAR with Firefox's own HAR export" "$(tail -n 1 "$tmp/ff.log")"
  fi
else
  skip "record a HAR with Firefox's own HAR export" \
       "needs npm, /usr/bin/firefox-esr and a fresh recording"
fi

# ---- 2. the recordings ----------------------------------------------------------
for d in "${dirs[@]}"; do
  label=$([ "$d" = "$recorded" ] && echo "committed" || echo "fresh")
  if [ ! -f "$d/chromium-devtools.har" ]; then
    notok "$label recording: no $d/chromium-devtools.har"
    continue
  fi
  "$CORSIM" har "$d/chromium-devtools.har" --browser chromium --format json \
    >"$tmp/devtools.json" 2>"$tmp/err"
  rc=$?
  if [ "$rc" -eq 0 ]; then
    ok "$label: corsim har on Chromium's DevTools-shaped HAR exits 0"
  else
    notok "$label: corsim har on Chromium's DevTools-shaped HAR exits $rc"
    sed 's/^/# /' "$tmp/err"
  fi
  "$CORSIM" har "$d/chromium-playwright.har" --browser chromium --format json \
    >"$tmp/playwright.json" 2>"$tmp/err"
  rc=$?
  if [ "$rc" -eq 0 ]; then
    ok "$label: corsim har on Playwright's HAR exits 0"
  else
    notok "$label: corsim har on Playwright's HAR exits $rc"
    sed 's/^/# /' "$tmp/err"
  fi
  if [ -x "$TESTS" ]; then
    check "$label: every failed entry has Chromium's CorsError and console message, every allowed one is allowed" \
      env CORSIM_HAR_DIR="$d" CORSIM_HAR_JSON="$tmp/devtools.json" "$TESTS" har_check_chromium_devtools
    check "$label: Playwright's HAR: allowed entries allowed, refused ones said to have no answer" \
      env CORSIM_HAR_DIR="$d" CORSIM_HAR_PLAYWRIGHT_JSON="$tmp/playwright.json" "$TESTS" har_check_chromium_playwright
    if [ -f "$d/firefox.har" ]; then
      check "$label: Firefox's HAR: failures explained, decisions as Chromium reported them" \
        env CORSIM_HAR_DIR="$d" "$TESTS" har_check_firefox
    fi
  else
    notok "$label: no $TESTS to check the reports with"
  fi
  # the text report agrees too: no disagreement, nothing undecided
  if "$CORSIM" har "$d/chromium-devtools.har" --browser chromium 2>&1 |
       grep -q '^summary (chromium): .* 0 disagreements, 0 undecided'; then
    ok "$label: text report: 0 disagreements, 0 undecided"
  else
    notok "$label: text report: 0 disagreements, 0 undecided"
  fi
  for har in "$d"/*.har; do
    name=$(basename "$har" .har)
    out="$tmp/save-$label-$name"
    if "$CORSIM" har "$har" --save "$out" >/dev/null 2>"$tmp/err" &&
       "$CORSIM" run --quiet "$out/$name.json" >"$tmp/run" 2>&1; then
      ok "$label: $name: --save, then corsim run on the vector file exits 0"
    else
      notok "$label: $name: --save, then corsim run on the vector file exits 0"
      sed 's/^/# /' "$tmp/err" "$tmp/run" | head -n 40
    fi
  done
done

# ---- 3. messy HARs ------------------------------------------------------------------
# The report without the advice lines (their wording is the simulator's),
# then standard error, then "exit N".
for f in "$messy"/*.har; do
  name=$(basename "$f" .har)
  "$CORSIM" har "$f" >"$tmp/stdout" 2>"$tmp/stderr"
  rc=$?
  { grep -v -E '^ +(console|what failed|standard|fix): ' "$tmp/stdout"
    cat "$tmp/stderr"
    echo "exit $rc"; } >"$tmp/got"
  if [ "$update" -eq 1 ]; then
    cp "$tmp/got" "$messy/$name.expected"
    ok "messy/$name # updated"
  elif [ ! -f "$messy/$name.expected" ]; then
    notok "messy/$name: no $messy/$name.expected; got:"
    sed 's/^/#   /' "$tmp/got"
  elif diff -u "$messy/$name.expected" "$tmp/got" >"$tmp/diff"; then
    ok "messy/$name"
  else
    notok "messy/$name"
    sed 's/^/# /' "$tmp/diff"
  fi
done

# ---- 4. usage ------------------------------------------------------------------------
"$CORSIM" har >/dev/null 2>&1
[ $? -eq 2 ] && ok "no file: exit 2" || notok "no file: exit 2"
"$CORSIM" har "$recorded/firefox.har" --browser chrome >/dev/null 2>&1
[ $? -eq 2 ] && ok "unknown browser: exit 2" || notok "unknown browser: exit 2"
"$CORSIM" har "$tmp/no-such.har" >/dev/null 2>"$tmp/err"
[ $? -eq 3 ] && grep -q "cannot open" "$tmp/err" && ok "missing file: exit 3" ||
  notok "missing file: exit 3"

[ -d "$tmp/rec" ] && cp -r "$tmp/rec" "$work/last"
echo "1..$n"
[ "$failed" -eq 0 ]
