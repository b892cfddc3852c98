#!/usr/bin/env bash
# t_formats.sh: validates the JUnit, SARIF, Markdown and HTML reports on
# real runs (the golden suite, the whole corpus, and hostile vectors
# written here): the JUnit XML with an XML parser (xmllint) plus
# structural assertions (the counts add up, every case is present), the
# SARIF against the OASIS SARIF 2.1.0 schema (reports/tests/sarif/), the
# Markdown's table and blocks, and the HTML in a real browser
# (reports/tests/html/check.js, Debian's Chromium through playwright-core).
# Prints TAP; a check whose tool is missing is a "# SKIP" line.
#
# $CORSIM is the program to run (default build/corsim). The node packages
# are installed with `npm ci` from the committed lock files when a
# node_modules folder is missing.
set -u
cd "$(dirname "$0")/../.."
export LC_ALL=C NO_COLOR=1
unset CLICOLOR_FORCE FORCE_COLOR

CORSIM=${CORSIM:-build/corsim}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
SUITE=reports/tests/suite.json

n=0
failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/corsim-formats.XXXXXX")
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
# same NAME WANT GOT: one test point from two values.
same() {
  if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1 (want $2, got $3)"; fi
}

if [ ! -x "$CORSIM" ]; then
  not_ok "corsim program '$CORSIM' is built"
  echo "1..$n"
  exit 1
fi
have() { command -v "$1" >/dev/null 2>&1; }

# ---- hostile vectors: markup, control bytes and invalid UTF-8 from the
# vector file and from the server's raw answer, and a file that does not
# load --------------------------------------------------------------------
mkdir -p "$tmp/hostile"
printf 'HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example\xff\xfe<script>]]>\r\nX-Bin: \xc3\x28 </pre></details>\r\nContent-Length: 0\r\n\r\n' \
  >"$tmp/hostile/answer.http"
cat >"$tmp/hostile/hostile.json" <<'EOF'
{
  "format": "cors-vectors/1",
  "suite": "hostile <b>bytes</b>",
  "cases": [
    {
      "id": "hostile-title-and-answer",
      "title": "<img src=x onerror=alert(1) id=pwned> ]]> </pre> | `x` \u0007 \u202e \ufffe",
      "spec": ["javascript:alert(1)", "fetch#cors-check\"><script>alert(1)</script>"],
      "tags": ["<b>bold</b>", "\" onmouseover=\"alert(1)"],
      "request": {"origin": "https://app.example", "url": "https://api.example/h",
                  "headers": [["X-Evil", "a\u0001b\u001b[31m</system-out>"]]},
      "responses": [
        {"method": "OPTIONS", "status": 204,
         "headers": [["Access-Control-Allow-Origin", "https://app.example"],
                     ["Access-Control-Allow-Headers", "x-evil"]]},
        {"raw_file": "answer.http"}
      ],
      "expect": {"outcome": "allowed"}
    },
    {
      "id": "hostile-json-headers",
      "title": "control bytes in captured header values \u0001\u001b",
      "browser": "firefox",
      "request": {"origin": "https://app.example", "url": "https://api.example/j"},
      "responses": [{"status": 200, "headers": [
        ["Access-Control-Allow-Origin", "https://app.example\u0001\u001b[2J"],
        ["X-A", "\u007f\u0085"]]}],
      "expect": {"outcome": "allowed"}
    },
    {
      "id": "hostile-missing-answer",
      "title": "<script>alert(2)</script>",
      "request": {"origin": "https://app.example", "url": "https://api.example/m", "method": "PUT"},
      "responses": [],
      "expect": {"outcome": "allowed"}
    }
  ]
}
EOF
printf '{"format": "cors-vectors/1", "suite": "x\\u0000<y>", "cases": []}\n' \
  >"$tmp/hostile/bad.json"

# ---- the runs ---------------------------------------------------------------
# run NAME EXPECTED_EXITS OPTIONS... PATHS...: every format into $tmp/NAME.*
run() {
  local name=$1 want=$2; shift 2
  "$CORSIM" run --format "junit:$tmp/$name.xml" --format "sarif:$tmp/$name.sarif" \
    --format "markdown:$tmp/$name.md" --format "html:$tmp/$name.html" \
    --format "json:$tmp/$name.json" "$@" >"$tmp/$name.stdout" 2>"$tmp/$name.stderr"
  local rc=$?
  case " $want " in
    *" $rc "*) ok "$name: corsim run exits $rc" ;;
    *) not_ok "$name: corsim run exits $rc, expected one of: $want"
       sed 's/^/# stderr: /' "$tmp/$name.stderr" | head -n 20 ;;
  esac
}
run suite "3" --deterministic "$SUITE"
# the corpus may hold failing cases while it is being written: any exit
# but a usage, live or write error will do for checking the formats
run corpus "0 1 3" vectors/
run hostile "1 3" "$tmp/hostile/hostile.json" "$tmp/hostile/bad.json"
"$CORSIM" run --deterministic --verbose --format "sarif:$tmp/verbose.sarif" \
  "$SUITE" >/dev/null 2>&1

# the JSON report's counts, for comparing
count_of() { jq -r ".summary.$2" "$tmp/$1.json"; }

# ---- JUnit ----------------------------------------------------------------
xpath() { xmllint --xpath "$2" "$tmp/$1.xml" 2>/dev/null; }
for name in suite corpus hostile; do
  if ! have xmllint; then
    skip "$name: junit parses as XML" "no xmllint (apt-get install libxml2-utils)"
    continue
  fi
  check "$name: junit parses as XML" xmllint --noout "$tmp/$name.xml"
  same "$name: junit root is <testsuites>" 1 "$(xpath "$name" 'count(/testsuites)')"
  same "$name: each testsuite's counts match its testcases" 0 \
    "$(xpath "$name" 'count(//testsuite[number(@tests) != count(testcase) or
        number(@failures) != count(testcase[failure]) or
        number(@errors) != count(testcase[error]) or
        number(@skipped) != count(testcase[skipped])])')"
  same "$name: every testcase has classname, name, time and a browser" 0 \
    "$(xpath "$name" 'count(//testcase[not(@classname) or not(@name) or
        not(@time) or not(@file)])')"
  if have jq; then
    cases=$(count_of "$name" cases)
    file_errors=$(count_of "$name" file_errors)
    same "$name: junit tests add up to the cases and unloaded files" \
      "$((cases + file_errors))" "$(xpath "$name" 'sum(//testsuite/@tests)')"
    same "$name: junit failures add up" "$(count_of "$name" failed)" \
      "$(xpath "$name" 'sum(//testsuite/@failures)')"
    same "$name: junit errors add up" "$(($(count_of "$name" errors) + file_errors))" \
      "$(xpath "$name" 'sum(//testsuite/@errors)')"
    same "$name: junit skipped add up" "$(count_of "$name" skipped)" \
      "$(xpath "$name" 'sum(//testsuite/@skipped)')"
    same "$name: one testsuite per file" "$(count_of "$name" files)" \
      "$(xpath "$name" 'count(//testsuite)')"
    # every case of the JSON report, by file and name, is a testcase
    jq -r '.results[] | [.file, .case + (if .browser == "fetch" then "" else " [" + .browser + "]" end)] | @tsv' \
      "$tmp/$name.json" | sort -u >"$tmp/$name.want"
    xmllint --xpath '//testcase[@name != "(load)"]' "$tmp/$name.xml" 2>/dev/null |
      sed -n 's/.* name="\([^"]*\)".* file="\([^"]*\)".*/\2\t\1/p' |
      sed 's/&quot;/"/g; s/&apos;/'"'"'/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g' |
      sort -u >"$tmp/$name.got"
    if [ "$name" = hostile ]; then
      same "$name: every case is a testcase" "$(wc -l <"$tmp/$name.want")" \
        "$(grep -c . "$tmp/$name.got")"
    else
      check "$name: every case is a testcase" diff "$tmp/$name.want" "$tmp/$name.got"
    fi
  fi
done
if have xmllint; then
  same "hostile: the server's bytes stay text in the XML" 0 \
    "$(xpath hostile 'count(//script | //b | //img)')"
fi

# ---- SARIF ----------------------------------------------------------------
npm_ready() { # npm_ready DIR: node_modules installed from the lock file
  [ -d "$1/node_modules" ] && return 0
  have npm || return 1
  (cd "$1" && npm ci --no-audit --no-fund --loglevel=error) >"$tmp/npm.log" 2>&1 ||
    { sed 's/^/# npm: /' "$tmp/npm.log" | tail -n 20; return 1; }
}
if ! have node; then
  skip "sarif: valid against the SARIF 2.1.0 schema" "no node"
elif ! npm_ready reports/tests/sarif; then
  not_ok "sarif: npm ci in reports/tests/sarif"
else
  check "sarif: suite, corpus, hostile and verbose reports are valid SARIF 2.1.0" \
    node reports/tests/sarif/validate.js "$tmp/suite.sarif" "$tmp/corpus.sarif" \
    "$tmp/hostile.sarif" "$tmp/verbose.sarif"
fi
if have jq; then
  for name in suite corpus hostile; do
    same "$name: one sarif result per failing or erroring case or file" \
      "$(($(count_of "$name" failed) + $(count_of "$name" errors) + $(count_of "$name" file_errors)))" \
      "$(jq '.runs[0].results | length' "$tmp/$name.sarif")"
    same "$name: every sarif case result points at a line of its file" 0 \
      "$(jq '[.runs[0].results[] | select(.properties.case != null) |
              select((.locations[0].physicalLocation.region.startLine // 0) < 1)] | length' \
         "$tmp/$name.sarif")"
  done
  same "verbose: sarif notes for the refusals the suite expects" 1 \
    "$(jq '[.runs[0].results[] | select(.level == "note")] | length' "$tmp/verbose.sarif")"
  same "suite: sarif rules have stable ids" \
    "CORSIM-MISMATCH CORSIM-VECTOR-ERROR CORS/MissingAllowOriginHeader" \
    "$(jq -r '[.runs[0].tool.driver.rules[].id] | join(" ")' "$tmp/suite.sarif")"
fi

# ---- Markdown -------------------------------------------------------------
for name in suite corpus hostile; do
  md="$tmp/$name.md"
  if LC_ALL=C grep -q $'[\001-\010\013-\037\177]' "$md"; then
    not_ok "$name: markdown holds no control byte"; else
    ok "$name: markdown holds no control byte"; fi
  if have jq; then
    bad=$(($(count_of "$name" failed) + $(count_of "$name" errors)))
    rows=$(($(count_of "$name" failed) + $(count_of "$name" errors) + $(count_of "$name" file_errors)))
    [ "$rows" -gt 250 ] && rows=250
    [ "$bad" -gt 50 ] && bad=50
    same "$name: markdown has a row per case not passed" "$rows" \
      "$(grep -cE '^\| (✅|❌|⚠️|⏭️) ' "$md")"
    same "$name: markdown has a details block per case not passed" "$bad" \
      "$(grep -c '^<details><summary>' "$md")"
    same "$name: markdown counts row" \
      "| $(count_of "$name" cases) | $(count_of "$name" passed) | $(count_of "$name" failed) | $(count_of "$name" errors) | $(count_of "$name" skipped) | $(count_of "$name" files) | $(count_of "$name" file_errors) |" \
      "$(sed -n 5p "$md")"
  fi
  # each table row has exactly six unescaped cell borders
  same "$name: markdown table rows keep their six columns" 0 \
    "$(grep -E '^\| (❌|⚠️) ' "$md" | sed 's/\\|//g' | awk -F'|' 'NF != 7' | wc -l)"
done
same "hostile: no raw markup in the markdown" 0 \
  "$(grep -cE '<(script|img|b>)' "$tmp/hostile.md")"

# ---- HTML in a browser ----------------------------------------------------
if ! have node; then
  skip "html: checked in Chromium" "no node"
elif [ ! -x "$CHROMIUM" ]; then
  skip "html: checked in Chromium" "no chromium at $CHROMIUM (apt-get install chromium)"
elif ! npm_ready reports/tests/html; then
  not_ok "html: npm ci in reports/tests/html"
else
  CHROMIUM=$CHROMIUM node reports/tests/html/check.js \
    --corpus "$tmp/corpus.html" --corpus-json "$tmp/corpus.json" \
    --suite "$tmp/suite.html" --suite-json "$tmp/suite.json" \
    --hostile "$tmp/hostile.html" >"$tmp/browser.out" 2>&1
  rc=$?
  lines=0
  while IFS= read -r line; do
    case $line in
      "ok - "*) ok "html: ${line#ok - }"; lines=$((lines + 1)) ;;
      "not ok - "*) not_ok "html: ${line#not ok - }"; lines=$((lines + 1)) ;;
      *) echo "# ${line#\# }" ;;
    esac
  done <"$tmp/browser.out"
  if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then not_ok "html: check.js exited $rc"; fi
  [ "$lines" -gt 0 ] || not_ok "html: check.js ran its checks"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
