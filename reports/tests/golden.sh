#!/usr/bin/env bash
# golden.sh: runs corsim on the fixed suite reports/tests/suite.json in
# every report format and diffs each output against reports/tests/golden/
# (STYLE.md §8.8 point 3); prints TAP. With --update it rewrites the golden
# files instead (make golden), for review with git diff.
#
#   bash reports/tests/golden.sh            # compare (make test, via t_golden.sh)
#   bash reports/tests/golden.sh --update   # regenerate
#
# $CORSIM is the program to run (default build/corsim). Output is made
# deterministic with --deterministic (no timings), LC_ALL=C and NO_COLOR.
# Besides the diffs it checks the exit code (the suite holds a failing
# case and vector errors, so 3), that the JSON parses and has one result
# per line, that the TAP plan matches its test points and its YAML blocks
# parse, that the JUnit XML parses (xmllint, when installed) and the SARIF
# is JSON of version 2.1.0, and that no output holds a raw ESC byte. The
# deeper checks of JUnit, SARIF, Markdown and HTML are in t_formats.sh.
set -u
cd "$(dirname "$0")/../.."
export LC_ALL=C NO_COLOR=1
unset CLICOLOR_FORCE FORCE_COLOR

CORSIM=${CORSIM:-build/corsim}
SUITE=reports/tests/suite.json
GOLDEN=reports/tests/golden
EXPECTED_EXIT=3 # worst of: a failing case (1), vector errors (3)

update=0
case "${1:-}" in
  --update) update=1 ;;
  "") ;;
  *) echo "usage: golden.sh [--update]" >&2; exit 2 ;;
esac

# name | extra options | golden file
runs=(
  "text||suite.txt"
  "text-verbose|--verbose|suite.verbose.txt"
  "json||suite.json"
  "tap||suite.tap"
  "junit||suite.xml"
  "sarif||suite.sarif"
  "markdown||suite.md"
  "html||suite.html"
)

n=0
failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/corsim-golden.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
# check NAME COMMAND...: one test point from a command's status.
check() {
  local name=$1; shift
  if "$@" >"$tmp/check.out" 2>&1; then ok "$name"; else
    not_ok "$name"; sed 's/^/# /' "$tmp/check.out" | head -n 40; fi
}

if [ ! -x "$CORSIM" ]; then
  not_ok "corsim program '$CORSIM' is built"
  echo "1..$n"
  exit 1
fi

for run in "${runs[@]}"; do
  IFS='|' read -r name opts file <<<"$run"
  format=${name%%-*}
  out="$tmp/$file"
  # shellcheck disable=SC2086 # $opts is a word list on purpose
  "$CORSIM" run --deterministic --format "$format" $opts "$SUITE" \
    >"$out" 2>"$tmp/$file.stderr"
  rc=$?
  if [ "$rc" -eq "$EXPECTED_EXIT" ]; then ok "$name: exit code $rc"; else
    not_ok "$name: exit code $rc, expected $EXPECTED_EXIT"
    sed 's/^/# stderr: /' "$tmp/$file.stderr" | head -n 20
  fi

  if [ "$update" -eq 1 ]; then
    mkdir -p "$GOLDEN"
    cp "$out" "$GOLDEN/$file"
    ok "$name: updated $GOLDEN/$file"
  elif [ ! -f "$GOLDEN/$file" ]; then
    not_ok "$name: $GOLDEN/$file exists (make golden creates it)"
  elif diff -u "$GOLDEN/$file" "$out" >"$tmp/diff"; then
    ok "$name: output matches $GOLDEN/$file"
  else
    not_ok "$name: output differs from $GOLDEN/$file (make golden, then review git diff)"
    sed 's/^/# /' "$tmp/diff" | head -n 80
  fi

  if grep -q $'\033' "$out"; then not_ok "$name: no raw ESC byte"; else
    ok "$name: no raw ESC byte"; fi
done

# The JSON report parses, and has one result per line.
json="$tmp/suite.json"
if command -v jq >/dev/null 2>&1; then
  check "json: parses, format corsim-report/1" \
    jq -e '.format == "corsim-report/1" and (.results | type == "array")' "$json"
  check "json: one result line per result" bash -c '
    want=$(jq ".results | length" "$1")
    got=$(awk "NR > 1 && /^\]/ { exit } NR > 1 && /^\{/ { n++ } END { print n + 0 }" "$1")
    [ "$want" = "$got" ] || { echo "results $want, lines $got"; exit 1; }' _ "$json"
elif command -v python3 >/dev/null 2>&1; then
  check "json: parses" python3 -m json.tool "$json"
  skip "json: one result line per result" "no jq"
else
  skip "json: parses" "no jq or python3"
  skip "json: one result line per result" "no jq or python3"
fi

# The TAP report: the plan covers every test point, the YAML blocks parse.
tap="$tmp/suite.tap"
check "tap: plan matches test points" bash -c '
  points=$(grep -cE "^(ok|not ok) [0-9]+ " "$1")
  plan=$(sed -n "s/^1\.\.\([0-9][0-9]*\)$/\1/p" "$1")
  head -n 1 "$1" | grep -qx "TAP version 14" || { echo "no TAP version line"; exit 1; }
  [ "$points" = "$plan" ] || { echo "points $points, plan $plan"; exit 1; }' _ "$tap"
if command -v python3 >/dev/null 2>&1 && python3 -c 'import yaml' 2>/dev/null; then
  check "tap: YAML diagnostics parse" python3 -c '
import sys, yaml
block, blocks = None, 0
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if line == "  ---": block = []
    elif line == "  ..." and block is not None:
        if not isinstance(yaml.safe_load("\n".join(block)), dict):
            sys.exit("a YAML block is not a mapping")
        block, blocks = None, blocks + 1
    elif block is not None: block.append(line[2:])
if block is not None: sys.exit("unterminated YAML block")
if blocks == 0: sys.exit("no YAML block")' "$tap"
else
  skip "tap: YAML diagnostics parse" "no python3 yaml"
fi

# The JUnit report parses as XML; the SARIF report is JSON, version 2.1.0.
if command -v xmllint >/dev/null 2>&1; then
  check "junit: parses as XML" xmllint --noout "$tmp/suite.xml"
else
  skip "junit: parses as XML" "no xmllint"
fi
if command -v jq >/dev/null 2>&1; then
  check "sarif: parses, version 2.1.0" \
    jq -e '.version == "2.1.0" and (.runs[0].results | type == "array")' \
    "$tmp/suite.sarif"
else
  skip "sarif: parses, version 2.1.0" "no jq"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
