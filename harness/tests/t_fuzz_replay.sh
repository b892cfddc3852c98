#!/usr/bin/env bash
# t_fuzz_replay.sh: replays every fuzz target's seeds and saved crash
# inputs (harness/fuzz/seeds/TARGET, harness/fuzz/regressions/TARGET; the
# vector corpus and the bad vectors for fuzz_vector) through the replay
# binaries that harness/fuzz/fuzz.mk builds, and prints TAP: one line for
# the seeds and one for the regressions of each target.
#
# It builds nothing. It takes $ASAN_BUILD/fuzz-replay (default
# build/asan/fuzz-replay: gcc + ASan + UBSan, made by `make test`) when
# there, else $BUILD/fuzz-replay. A missing binary is a failure: the
# Makefile must build them (`all: fuzz-replay`).
set -u
cd "$(dirname "$0")/../.." || exit 1
export LC_ALL=C
BUILD=${BUILD:-build}
ASAN_BUILD=${ASAN_BUILD:-build/asan}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

targets=(fuzz_http_response fuzz_vector fuzz_origin_url fuzz_console)
bin_dir=$BUILD/fuzz-replay
[ -d "$ASAN_BUILD/fuzz-replay" ] && bin_dir=$ASAN_BUILD/fuzz-replay

tmp=$(mktemp -d "${TMPDIR:-/tmp}/corsim-replay.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

echo "1..$((${#targets[@]} * 2))"
n=0
failed=0
# replay NAME BINARY DIR...: one TAP line; the directories that exist.
replay() {
  local name=$1 bin=$2
  shift 2
  n=$((n + 1))
  local dirs=()
  for d in "$@"; do [ -e "$d" ] && dirs+=("$d"); done
  if [ ! -x "$bin" ]; then
    echo "not ok $n - $name # no binary '$bin' (make fuzz-replay)"
    failed=$((failed + 1))
    return
  fi
  if [ "${#dirs[@]}" -eq 0 ]; then
    echo "ok $n - $name # SKIP no inputs"
    return
  fi
  { "$bin" "${dirs[@]}" >"$tmp/names" 2>"$tmp/err"; } 2>/dev/null
  local rc=$?
  local count
  count=$(wc -l <"$tmp/names")
  if [ "$rc" -eq 0 ]; then
    echo "ok $n - $name ($count inputs)"
  else
    echo "not ok $n - $name (exit $rc after $count inputs)"
    echo "# last input: $(tail -n 1 "$tmp/names")"
    grep -E 'property failed|ERROR: AddressSanitizer|runtime error|SUMMARY|#[0-9]+ .* in ' \
      "$tmp/err" | head -n 12 | sed 's/^/# /'
    failed=$((failed + 1))
  fi
}

for t in "${targets[@]}"; do
  extra=()
  [ "$t" = fuzz_vector ] && extra=(vectors harness/tests/bad-vectors)
  replay "fuzz-replay/$t: seeds" "$bin_dir/$t" "harness/fuzz/seeds/$t" "${extra[@]}"
  replay "fuzz-replay/$t: regressions" "$bin_dir/$t" "harness/fuzz/regressions/$t"
done
[ "$failed" -eq 0 ]
