#!/usr/bin/env bash
# stop.sh: stops a server that start.sh started, by its PID: SIGTERM, then
# SIGKILL after 5 s, and removes its run directory when start.sh made it.
#
#   stop.sh PID...
set -u

# alive PID: the process exists and is not a zombie (a server that start.sh
# left behind is reaped by init, possibly late)
alive() {
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

[ $# -ge 1 ] || { echo "usage: stop.sh PID..." >&2; exit 2; }
rc=0
for pid in "$@"; do
  case $pid in
    ''|*[!0-9]*) echo "stop.sh: bad pid '$pid'" >&2; rc=2; continue ;;
  esac
  link=${TMPDIR:-/tmp}/corsim-stack.$pid
  if [ ! -L "$link" ]; then
    echo "stop.sh: $pid was not started by start.sh" >&2
    rc=1
    continue
  fi
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 50); do
    alive "$pid" || break
    sleep 0.1
  done
  if alive "$pid"; then
    kill -KILL "$pid" 2>/dev/null
  fi
  run=$(readlink "$link")
  rm -f "$link"
  # remove the run directory only when start.sh made it (mktemp); a
  # $STACKS_RUN_DIR belongs to the caller
  case $run in
    "${TMPDIR:-/tmp}"/corsim-stack-*.??????) rm -rf "$run" ;;
  esac
done
exit "$rc"
