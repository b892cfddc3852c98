#!/usr/bin/env bash
# capture.sh: captures a live stack's answers byte for byte, one curl per
# line of vectors/servers/STACK/captures.tsv, the request a browser sends.
#
#   capture.sh STACK PORT OUTDIR [FILE...]
#
# captures.tsv: one capture per line, tab-separated: the file name (.http),
# the method, the path, then one column per request header ("Name: value");
# '#' starts a comment line. Each line runs
#   curl -si --raw -X METHOD -H 'Name: value'... http://127.0.0.1:PORT/PATH > OUTDIR/FILE
# (curl adds Host, User-Agent and "Accept: */*" itself, as a browser's fetch
# sends Accept: */*). With FILE arguments, only those lines. Prints one line
# per capture written; exits 1 if any curl failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
[ $# -ge 3 ] || { echo "usage: capture.sh STACK PORT OUTDIR [FILE...]" >&2; exit 2; }
stack=$1 port=$2 out=$3
shift 3
manifest=$root/vectors/servers/$stack/captures.tsv
[ -f "$manifest" ] || { echo "capture.sh: no manifest '$manifest'" >&2; exit 2; }
mkdir -p "$out" || exit 1

wanted() {
  [ $# -eq 1 ] && return 0
  local f=$1; shift
  local w
  for w in "$@"; do [ "$w" = "$f" ] && return 0; done
  return 1
}

rc=0
while IFS=$'\t' read -r -a col; do
  [ "${#col[@]}" -eq 0 ] && continue
  case ${col[0]} in '#'*|'') continue ;; esac
  if [ "${#col[@]}" -lt 3 ]; then
    echo "capture.sh: $manifest: short line for '${col[0]}'" >&2
    rc=1
    continue
  fi
  file=${col[0]} method=${col[1]} path=${col[2]}
  wanted "$file" "$@" || continue
  args=(-si --raw --max-time 5 -X "$method")
  for h in "${col[@]:3}"; do
    args+=(-H "$h")
  done
  if curl "${args[@]}" "http://127.0.0.1:$port$path" >"$out/$file"; then
    echo "captured $file"
  else
    echo "capture.sh: curl failed for '$file' (exit $?)" >&2
    rc=1
  fi
done <"$manifest"
exit "$rc"
