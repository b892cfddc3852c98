#!/usr/bin/env bash
# start.sh: starts one real CORS middleware server (a "stack") on
# 127.0.0.1:PORT in the background, waits until the port answers, prints its
# PID on stdout and exits 0; stop it with stop.sh PID.
#
#   start.sh STACK PORT
#   STACK: flask express starlette starlette-wildcard fastapi nginx-reflect nginx-map
#
# Each server keeps its log (and nginx its whole prefix) in a run directory:
# $STACKS_RUN_DIR/STACK if that is set (the caller removes it), else a fresh
# temporary directory that stop.sh removes. The link
# ${TMPDIR:-/tmp}/corsim-stack.PID points to it. Exit 1 with a message on
# stderr (and the server's log) when the server does not come up in 15 s.
set -u
here=$(cd "$(dirname "$0")" && pwd)
prog=start.sh

usage() {
  echo "usage: $prog STACK PORT" >&2
  echo "stacks: flask express starlette starlette-wildcard fastapi nginx-reflect nginx-map" >&2
  exit 2
}
[ $# -eq 2 ] || usage
stack=$1
port=$2
case $port in
  ''|*[!0-9]*) echo "$prog: bad port '$port'" >&2; exit 2 ;;
esac

if [ -n "${STACKS_RUN_DIR:-}" ]; then
  run=$STACKS_RUN_DIR/$stack
  rm -rf "$run" && mkdir -p "$run" || exit 1
else
  run=$(mktemp -d "${TMPDIR:-/tmp}/corsim-stack-$stack.XXXXXX") || exit 1
fi
log=$run/server.log

# Debian's interpreter and packages only (not a pyenv/venv python3 on PATH),
# the stack's configuration from this script only (not from the caller's
# environment), and a fixed hash seed so that set-ordered headers
# (Werkzeug's Allow) do not change between runs.
# (an array, not a function: "$!" must be the server's own PID)
py=(env -u PYTHONPATH -u PYTHONHOME -u CORS_ORIGINS -u FRONTEND_ORIGINS
    -u ALLOW_ORIGINS_REGEX PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1)
python=/usr/bin/python3

case $stack in
  flask)
    "${py[@]}" $python -B -s "$here/flask/app.py" "$port" >"$log" 2>&1 </dev/null &
    ;;
  express)
    if [ ! -d "$here/express/node_modules/express" ]; then
      echo "$prog: express is not installed: run $here/install.sh" >&2; exit 1
    fi
    env NODE_ENV=production node "$here/express/server.js" "$port" >"$log" 2>&1 </dev/null &
    ;;
  starlette)
    "${py[@]}" $python -B -s "$here/starlette/app.py" "$port" >"$log" 2>&1 </dev/null &
    ;;
  starlette-wildcard)
    "${py[@]}" CORS_ORIGINS='["*"]' $python -B -s "$here/starlette/app.py" "$port" \
      >"$log" 2>&1 </dev/null &
    ;;
  fastapi)
    "${py[@]}" FRONTEND_ORIGINS="http://localhost:3000,https://moviesnow.com" \
       ALLOW_ORIGINS_REGEX='^https://.*\.moviesnow\.com$' \
       $python -B -s "$here/fastapi/app.py" "$port" >"$log" 2>&1 </dev/null &
    ;;
  nginx-reflect|nginx-map)
    conf=${stack#nginx-}
    mkdir -p "$run/conf" "$run/logs" "$run/tmp" || exit 1
    cp "$here/nginx/common.inc" "$here/nginx/http.inc" "$run/conf/" || exit 1
    sed "s/@PORT@/$port/g" "$here/nginx/$conf.conf" >"$run/conf/nginx.conf" || exit 1
    /usr/sbin/nginx -p "$run" -e "$run/logs/error.log" -c "$run/conf/nginx.conf" \
      -g "daemon off; pid $run/nginx.pid;" >"$log" 2>&1 </dev/null &
    ;;
  *)
    echo "$prog: unknown stack '$stack'" >&2
    usage
    ;;
esac
pid=$!
ln -sfn "$run" "${TMPDIR:-/tmp}/corsim-stack.$pid"

# alive PID: the process exists and is not a zombie
alive() {
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# listening PID PORT: PID itself holds the socket listening on 127.0.0.1:PORT
# (so that an older server already on that port is never taken for ours)
listening() {
  local hex inode
  hex=$(printf '0100007F:%04X' "$2")
  for inode in $(awk -v a="$hex" '$2 == a && $4 == "0A" { print $10 }' /proc/net/tcp); do
    find "/proc/$1/fd" -lname "socket:\[$inode\]" 2>/dev/null | grep -q . && return 0
  done
  return 1
}

# wait until the server listens and answers (any HTTP status will do)
for _ in $(seq 1 150); do
  if ! alive "$pid"; then
    echo "$prog: $stack exited before answering on port $port; its log:" >&2
    sed 's/^/  /' "$log" "$run/logs/error.log" >&2 2>/dev/null
    rm -f "${TMPDIR:-/tmp}/corsim-stack.$pid"
    [ -n "${STACKS_RUN_DIR:-}" ] || rm -rf "$run"
    exit 1
  fi
  if listening "$pid" "$port" &&
     curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
    echo "$pid"
    exit 0
  fi
  sleep 0.1
done
echo "$prog: $stack did not answer on port $port within 15 s; its log:" >&2
sed 's/^/  /' "$log" >&2
"$here/stop.sh" "$pid" >/dev/null 2>&1
exit 1
