#!/usr/bin/env bash
# t_bad_vectors.sh: runs corsim on every harness/tests/bad-vectors/NAME.json
# and checks that its stderr and exit code are exactly NAME.expected (the
# diagnostics, then a last line "exit N"); prints TAP.
#
#   harness/tests/t_bad_vectors.sh            check (CORSIM: the binary)
#   harness/tests/t_bad_vectors.sh --update   rewrite every NAME.expected
#
# Run from anywhere: it works from the repository root, so the paths in the
# diagnostics read harness/tests/bad-vectors/NAME.json.
set -u
cd "$(dirname "$0")/../.." || exit 1
export LC_ALL=C NO_COLOR=1
CORSIM=${CORSIM:-build/corsim}
dir=harness/tests/bad-vectors

update=0
if [ "${1:-}" = "--update" ]; then
  update=1
elif [ $# -gt 0 ]; then
  echo "usage: $0 [--update]" >&2
  exit 2
fi
if [ ! -x "$CORSIM" ]; then
  echo "1..1"
  echo "not ok 1 - bad-vectors: no corsim binary at '$CORSIM'"
  exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/corsim-bad.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

files=("$dir"/*.json)
echo "1..${#files[@]}"
n=0
failed=0
for f in "${files[@]}"; do
  n=$((n + 1))
  name=$(basename "$f" .json)
  "$CORSIM" run --format json -o /dev/null "$f" >/dev/null 2>"$tmp/got"
  echo "exit $?" >>"$tmp/got"
  if [ "$update" -eq 1 ]; then
    cp "$tmp/got" "$dir/$name.expected"
    echo "ok $n - bad-vectors/$name # updated"
  elif [ ! -f "$dir/$name.expected" ]; then
    echo "not ok $n - bad-vectors/$name"
    echo "# missing $dir/$name.expected; got:"
    sed 's/^/#   /' "$tmp/got"
    failed=$((failed + 1))
  elif diff -u "$dir/$name.expected" "$tmp/got" >"$tmp/diff"; then
    echo "ok $n - bad-vectors/$name"
  else
    echo "not ok $n - bad-vectors/$name"
    sed 's/^/# /' "$tmp/diff"
    failed=$((failed + 1))
  fi
done
[ "$failed" -eq 0 ]
