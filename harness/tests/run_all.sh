#!/usr/bin/env bash
# run_all.sh: make test's driver: runs every test part (unit programs, the
# corpus, the t_*.sh scripts, then the sanitizer and valgrind passes), each
# speaking TAP, and ends with one line "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
export LC_ALL=C NO_COLOR=1
BUILD=${BUILD:-build}
ASAN=${ASAN_BUILD:-build/asan}
log=$(mktemp -d "${TMPDIR:-/tmp}/corsim-test.XXXXXX")
trap 'rm -rf "$log"' EXIT

total_pass=0
total_fail=0
failed_parts=()

# part NAME COMMAND...: runs one part, counts its "ok"/"not ok" lines.
part() {
  local name=$1; shift
  local out="$log/$(echo "$name" | tr ' /' '__').out"
  local start end rc p f
  start=$(date +%s.%N)
  "$@" >"$out" 2>&1
  rc=$?
  end=$(date +%s.%N)
  p=$(grep -cE '^ok ' "$out")
  f=$(grep -cE '^not ok ' "$out")
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1
    echo "not ok - $name exited $rc" >>"$out"
  fi
  total_pass=$((total_pass + p))
  total_fail=$((total_fail + f))
  printf '%-44s %5d passed %3d failed  %6.2fs\n' "$name" "$p" "$f" \
    "$(echo "$end - $start" | bc)"
  if [ "$f" -ne 0 ]; then
    failed_parts+=("$name")
    grep -E -B2 -A12 '^not ok ' "$out" | head -n 80 | sed 's/^/    /'
  fi
}

# corpus DIR BINARY: every case of the corpus must pass (exit 0); one TAP
# line per case from the JSON report.
corpus() {
  local bin=$1
  "$bin" run --format tap vectors/
}

part "unit: simulator" "$BUILD/test-simulator"
part "unit: harness" "$BUILD/test-harness"
part "unit: reports" "$BUILD/test-reports"
part "corpus: vectors/" corpus "$BUILD/corsim"
for t in harness/tests/t_*.sh reports/tests/t_*.sh simulator/tests/t_*.sh; do
  [ -f "$t" ] || continue
  part "script: $t" env CORSIM="$BUILD/corsim" BUILD="$BUILD" bash "$t"
done

if [ -x "$ASAN/corsim" ]; then
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  part "asan: simulator" "$ASAN/test-simulator"
  part "asan: harness" "$ASAN/test-harness"
  part "asan: reports" "$ASAN/test-reports"
  part "asan: corpus" corpus "$ASAN/corsim"
fi

if command -v valgrind >/dev/null 2>&1; then
  vg() { CHECK_NO_FORK=1 valgrind -q --error-exitcode=99 --leak-check=full \
           --errors-for-leak-kinds=definite,indirect "$@"; }
  part "valgrind: simulator" vg "$BUILD/test-simulator"
  part "valgrind: corpus" vg "$BUILD/corsim" run --format tap vectors/
fi

echo
if [ "${#failed_parts[@]}" -ne 0 ]; then
  echo "failing parts: ${failed_parts[*]}"
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
