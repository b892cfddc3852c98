#!/usr/bin/env bash
# t_stacks.sh: checks that the committed captures in vectors/servers/<stack>/
# are still what the real middleware servers answer: runs
# harness/tests/stacks/install.sh, starts each stack on a free loopback port,
# re-captures every file of its captures.tsv with the same curl command,
# compares each with the committed file apart from what varies from run to
# run (the Date header, the Server header's version string, nginx's version
# on its own error pages), and stops the server by its PID. One TAP line per
# capture; a stack that cannot be installed is skipped ("# SKIP"). Exits 1
# when any capture differs or a server does not start.
set -u
cd "$(dirname "$0")/../.." || exit 1
stacks_dir=harness/tests/stacks
all_stacks="flask express starlette starlette-wildcard fastapi nginx-reflect nginx-map"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/corsim-t-stacks.XXXXXX") || exit 1
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

# files STACK: the capture files named in the stack's manifest, in order
files() {
  awk -F'\t' '$1 !~ /^#/ && NF >= 3 { print $1 }' "vectors/servers/$1/captures.tsv"
}

free_port() {
  /usr/bin/python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# normalise FILE: what varies between two runs of the same server replaced
# by a fixed token; everything else, CRLFs and body included, kept
normalise() {
  sed -E -e 's/^([Dd]ate): .*\r$/\1: (date)\r/' \
         -e 's/^([Ss]erver): .*\r$/\1: (server)\r/' \
         -e 's#<center>nginx/[0-9.]+</center>#<center>nginx/(version)</center>#' "$1"
}

"$stacks_dir/install.sh" >"$tmp/install.log" 2>&1
install_rc=$?

for stack in $all_stacks; do
  mapfile -t caps < <(files "$stack")
  if ! why=$("$stacks_dir/install.sh" --check "$stack" 2>&1); then
    [ "$install_rc" -ne 0 ] && why="$why, and install.sh could not install it"
    for f in "${caps[@]}"; do skip "$stack/$f" "$why"; done
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
    for f in "${caps[@]}"; do not_ok "$stack/$f: the server did not start"; done
    diag <"$tmp/start.err"
    continue
  fi
  pids+=("$pid")
  out=$tmp/captures/$stack
  "$stacks_dir/capture.sh" "$stack" "$port" "$out" >/dev/null 2>"$tmp/capture.err"
  "$stacks_dir/stop.sh" "$pid" >/dev/null 2>&1
  pids=()
  for f in "${caps[@]}"; do
    committed=vectors/servers/$stack/$f
    if [ ! -s "$out/$f" ]; then
      not_ok "$stack/$f: no answer from the server"
      grep -F "'$f'" "$tmp/capture.err" | diag
    elif [ ! -f "$committed" ]; then
      not_ok "$stack/$f: not committed"
    elif cmp -s <(normalise "$committed") <(normalise "$out/$f"); then
      ok "$stack/$f"
    else
      not_ok "$stack/$f differs from the live server"
      diff <(normalise "$committed" | tr -d '\r') <(normalise "$out/$f" | tr -d '\r') |
        head -n 20 | diag
    fi
  done
done
echo "1..$n"
[ "$failed" -eq 0 ]
