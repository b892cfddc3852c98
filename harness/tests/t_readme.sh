#!/usr/bin/env bash
# t_readme.sh: runs every example of README.md (```console blocks: a line
# "$ COMMAND" and the output that follows) and checks the output is exact.
set -u
cd "$(dirname "$0")/../.."
n=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk -v dir="$tmp" '
  /^```console$/ { inblock = 1; k++; next }
  /^```$/ && inblock { inblock = 0; next }
  inblock && /^\$ / { sub(/^\$ /, ""); print > (dir "/" k ".cmd"); next }
  inblock { print > (dir "/" k ".out") }
' README.md
for cmd in "$tmp"/*.cmd; do
  [ -f "$cmd" ] || continue
  n=$((n + 1))
  want="${cmd%.cmd}.out"
  [ -f "$want" ] || : >"$want"
  got="$tmp/got"
  bash -c "$(cat "$cmd")" >"$got" 2>&1
  if diff -u "$want" "$got" >"$tmp/diff"; then
    echo "ok $n - README example: $(head -c 60 "$cmd")"
  else
    echo "not ok $n - README example: $(head -c 60 "$cmd")"
    sed 's/^/  # /' "$tmp/diff"
    fail=1
  fi
done
echo "1..$n"
[ "$n" -gt 0 ] && [ "$fail" -eq 0 ]
