#!/usr/bin/env bash
# t_bad_http.sh: feeds every malformed captured answer in
# harness/tests/bad-http/NAME.http to `corsim explain URL --origin O
# --response NAME.http` and checks that its stderr and exit code are
# exactly NAME.expected (the diagnostic, then a last line "exit N");
# prints TAP.
#
#   harness/tests/t_bad_http.sh            check (CORSIM: the binary)
#   harness/tests/t_bad_http.sh --update   rewrite every NAME.expected
#
# It works from the repository root, so the paths in the diagnostics read
# harness/tests/bad-http/NAME.http.
set -u
cd "$(dirname "$0")/../.." || exit 1
export LC_ALL=C NO_COLOR=1
CORSIM=${CORSIM:-build/corsim}
dir=harness/tests/bad-http

update=0
if [ "${1:-}" = "--update" ]; then
  update=1
elif [ $# -gt 0 ]; then
  echo "usage: $0 [--update]" >&2
  exit 2
fi
if [ ! -x "$CORSIM" ]; then
  echo "1..1"
  echo "not ok 1 - bad-http: no corsim binary at '$CORSIM'"
  exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/corsim-bad-http.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

files=("$dir"/*.http)
echo "1..${#files[@]}"
n=0
failed=0
for f in "${files[@]}"; do
  n=$((n + 1))
  name=$(basename "$f" .http)
  timeout 30 "$CORSIM" explain https://api.example/x --origin https://app.example \
    --response "$f" >/dev/null 2>"$tmp/got"
  echo "exit $?" >>"$tmp/got"
  if [ "$update" -eq 1 ]; then
    cp "$tmp/got" "$dir/$name.expected"
    echo "ok $n - bad-http/$name # updated"
  elif [ ! -f "$dir/$name.expected" ]; then
    echo "not ok $n - bad-http/$name"
    echo "# missing $dir/$name.expected; got:"
    sed 's/^/#   /' "$tmp/got"
    failed=$((failed + 1))
  elif cmp -s "$dir/$name.expected" "$tmp/got"; then
    echo "ok $n - bad-http/$name"
  else
    echo "not ok $n - bad-http/$name"
    diff -u "$dir/$name.expected" "$tmp/got" | sed 's/^/# /'
    failed=$((failed + 1))
  fi
done
[ "$failed" -eq 0 ]
