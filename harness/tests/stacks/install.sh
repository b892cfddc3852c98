#!/usr/bin/env bash
# install.sh: installs what the stack servers need and is missing (Debian
# packages with apt-get, the Express app's npm packages with npm ci), or,
# with --check, only says whether a stack has what it needs. Quiet and quick
# when everything is present; run it as often as you like.
#
#   install.sh [STACK...]           install for these stacks (default: all)
#   install.sh --check STACK...     exit 0 if they can run, else 1 and what is missing
#
# Exit 0 when everything asked for is there afterwards, 1 otherwise (with a
# message on stderr and the tool's output in ${TMPDIR:-/tmp}/corsim-stacks-install.log).
set -u
here=$(cd "$(dirname "$0")" && pwd)
prog=install.sh
all_stacks="flask express starlette starlette-wildcard fastapi nginx-reflect nginx-map"
log=${TMPDIR:-/tmp}/corsim-stacks-install.log

# debs STACK: the Debian packages a stack needs (curl for start.sh's probe)
debs() {
  case $1 in
    flask) echo "curl python3-flask python3-flask-cors" ;;
    starlette|starlette-wildcard) echo "curl python3-starlette python3-uvicorn" ;;
    fastapi) echo "curl python3-fastapi python3-uvicorn" ;;
    nginx-reflect|nginx-map) echo "curl nginx" ;;
    express) echo "curl" ;;
    *) return 1 ;;
  esac
}

have_deb() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

have_node() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1
}

# express_ready: node_modules holds exactly what package-lock.json pins
express_ready() {
  have_node && [ -d "$here/express/node_modules" ] &&
    (cd "$here/express" && npm ls --omit=dev >/dev/null 2>&1)
}

# missing STACK: prints what the stack lacks, one word each
missing() {
  local p
  for p in $(debs "$1"); do
    have_deb "$p" || echo "$p"
  done
  if [ "$1" = express ]; then
    if ! have_node; then echo "nodejs npm"
    elif ! express_ready; then echo "node_modules"
    fi
  fi
}

check=0
if [ "${1:-}" = --check ]; then
  check=1
  shift
  [ $# -ge 1 ] || { echo "usage: $prog --check STACK..." >&2; exit 2; }
fi
stacks=${*:-$all_stacks}
for s in $stacks; do
  debs "$s" >/dev/null || { echo "$prog: unknown stack '$s'" >&2; exit 2; }
done

if [ "$check" -eq 1 ]; then
  rc=0
  for s in $stacks; do
    m=$(missing "$s" | tr '\n' ' ')
    if [ -n "$m" ]; then
      echo "$s: missing ${m% }"
      rc=1
    fi
  done
  exit "$rc"
fi

# ---- Debian packages ---------------------------------------------------
want=()
for s in $stacks; do
  for p in $(debs "$s"); do
    have_deb "$p" || want+=("$p")
  done
  if [ "$s" = express ] && ! have_node; then
    want+=(nodejs npm)
  fi
done
rc=0
if [ "${#want[@]}" -gt 0 ]; then
  mapfile -t want < <(printf '%s\n' "${want[@]}" | sort -u)
  echo "$prog: installing ${want[*]}" >&2
  # packages such as nginx start their service on installation unless
  # policy-rc.d says no: say no for the time of this install
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d &&
      made_policy=1
  fi
  {
    apt-get -o DPkg::Lock::Timeout=120 update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 \
        install -y -qq --no-install-recommends "${want[@]}"
  } >"$log" 2>&1 || {
    echo "$prog: apt-get could not install ${want[*]}; see $log" >&2
    rc=1
  }
  [ "$made_policy" -eq 1 ] && rm -f /usr/sbin/policy-rc.d
fi

# ---- npm packages of the Express app ------------------------------------
case " $stacks " in
  *" express "*)
    if have_node && ! express_ready; then
      echo "$prog: npm ci in $here/express" >&2
      (cd "$here/express" && npm ci --no-audit --no-fund --loglevel=error) >>"$log" 2>&1 || {
        echo "$prog: npm ci failed; see $log" >&2
        rc=1
      }
    fi
    ;;
esac

# ---- afterwards, everything asked for must be there ----------------------
for s in $stacks; do
  m=$(missing "$s" | tr '\n' ' ')
  if [ -n "$m" ]; then
    echo "$prog: $s still lacks ${m% }" >&2
    rc=1
  fi
done
exit "$rc"
