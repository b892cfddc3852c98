#!/usr/bin/env bash
# t_purity.sh: checks that libcorsim is pure (STYLE.md §8.9): its objects
# call only an allow-list of libc string, memory and format functions
# (malloc and free only in alloc.o), hold no writable data, and export only
# corsim_ and sim_ names; and that corsim.h compiles on its own. Prints
# TAP, one line per check and per object; exits 1 when any check fails.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
CC=${CC:-cc}

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
  n=$((n + 1))
  failed=$((failed + 1))
  echo "not ok $n - $1"
  shift
  for line in "$@"; do echo "#   $line"; done
}

# libc functions that do no I/O and touch no global state, and what the
# compiler itself may call for them.
ALLOWED="memcpy memmove memset memcmp memchr strlen strcmp strncmp strchr
strrchr strstr vsnprintf snprintf __stack_chk_fail _GLOBAL_OFFSET_TABLE_"
ALLOWED_CHK="memcpy memmove memset snprintf vsnprintf"

lib="$BUILD/libcorsim.a"
objs=()
for o in "$BUILD"/simulator/*.o; do
  [ -f "$o" ] && objs+=("$o")
done
srcs=(simulator/*.c)
if [ ! -f "$lib" ] || [ "${#objs[@]}" -eq 0 ]; then
  not_ok "the library is built in $BUILD" "missing $lib or $BUILD/simulator/*.o: run make first"
  echo "1..$n"
  exit 1
fi
if [ "${#objs[@]}" -eq "${#srcs[@]}" ]; then
  ok "one object per simulator/*.c (${#objs[@]})"
else
  not_ok "one object per simulator/*.c" "${#srcs[@]} sources, ${#objs[@]} objects in $BUILD/simulator"
fi

# The library's own symbols may be called from any of its objects.
declare -A own=()
for s in $(nm -g --defined-only "$lib" 2>/dev/null | awk 'NF == 3 { print $3 }'); do
  own[$s]=1
done

is_allowed() { # symbol object
  local s=$1 base=$2 a
  case "$s" in
    __asan_* | __ubsan_* | __sanitizer_* | __tsan_* | __msan_* | __lsan_*) return 0 ;;
  esac
  for a in $ALLOWED; do [ "$s" = "$a" ] && return 0; done
  for a in $ALLOWED_CHK; do [ "$s" = "__${a}_chk" ] && return 0; done
  if [ "$s" = malloc ] || [ "$s" = free ]; then
    [ "$base" = alloc.o ] && return 0
    return 1
  fi
  [ -n "${own[$s]:-}" ]
}

# (1) undefined symbols of each object
for o in "${objs[@]}"; do
  base=$(basename "$o")
  bad=()
  for s in $(nm -u "$o" | awk '{ print $NF }'); do
    is_allowed "$s" "$base" || bad+=("$s")
  done
  if [ "${#bad[@]}" -eq 0 ]; then
    ok "$base calls only allowed functions"
  else
    not_ok "$base calls only allowed functions" \
      "not allowed in the pure library: ${bad[*]}"
  fi
done

# (2) no writable data: no non-empty .data, .bss or TLS section
# (read-only .rodata and relocation-only .data.rel.ro* are fine). A
# sanitizer build adds its own instrumentation data, so it is skipped there.
sanitized=0
if nm -u "${objs[0]}" | grep -q '__asan_init\|__ubsan_'; then sanitized=1; fi
for o in "${objs[@]}"; do
  base=$(basename "$o")
  if [ "$sanitized" -eq 1 ]; then
    n=$((n + 1))
    echo "ok $n - $base has no writable data # SKIP sanitizer build"
    continue
  fi
  writable=$(size -A "$o" | awk '
    $1 ~ /^\.(data|bss|tdata|tbss)/ && $1 !~ /^\.data\.rel\.ro/ && $2 > 0 {
      printf "%s (%d bytes) ", $1, $2 }')
  common=$(nm "$o" | awk '$2 == "C" { printf "%s ", $3 }')
  if [ -z "$writable$common" ]; then
    ok "$base has no writable data"
  else
    not_ok "$base has no writable data" "writable: $writable${common:+common: $common}"
  fi
done

# (3) every global symbol the library defines is corsim_ or sim_
others=$(nm -g --defined-only "$lib" | awk 'NF == 3 { print $3 }' |
  grep -vE '^(corsim_|sim_)' | sort -u | tr '\n' ' ')
if [ -z "$others" ]; then
  ok "every global symbol of libcorsim.a starts with corsim_ or sim_"
else
  not_ok "every global symbol of libcorsim.a starts with corsim_ or sim_" \
    "other names: $others"
fi

# (4) the public header compiles on its own, with the project's warnings
if command -v "$CC" >/dev/null 2>&1; then
  if out=$(echo '#include "simulator/corsim.h"' | "$CC" -std=c11 -Wall -Wextra \
      -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
      -Wwrite-strings -Wformat=2 -Wcast-qual -Wundef -fsyntax-only -I. \
      -x c - 2>&1); then
    ok "corsim.h compiles on its own"
  else
    not_ok "corsim.h compiles on its own" "$out"
  fi
fi

echo "1..$n"
[ "$failed" -eq 0 ]
