#!/usr/bin/env bash
# bench.sh: `make bench`: prints corsim's speed and memory figures, each
# next to a baseline measured in the same run, and the targets they are
# held to. Nothing here asserts a time: the exit code is 0 unless a tool
# is missing or the generated suite does not pass.
#
#   captured pipeline   corsim run --format json on 100 files x 1,000 steps
#                       vs cJSON_Parse alone on the same bytes
#   stages              load / run_case / corsim_browser_fetch alone
#   memory              peak RSS of a 1,000,000-step run (the suite 10 times)
#   start-up            one small vector, median of 200 runs, vs --version
#   HTTP parsing        http_response_parse vs llhttp alone, MB/s
#   instructions        callgrind Ir of the pipeline vs parse alone on 2
#                       files (steady when the machine is busy); the hot spots
#   live mode           corsim run against a local nginx vs wrk alone
#
# Times are CPU time (user + sys) of the measured process, the best of 3,
# so that a shared machine disturbs them less than wall time would.
# Environment: BUILD (default build), CC (default cc), BENCH_FILES (100),
# BENCH_STEPS (1000), BENCH_CALLGRIND=0 to skip callgrind, BENCH_QUICK=1 for
# a 10-file smoke run.
set -eu
cd "$(dirname "$0")/../.."
export LC_ALL=C NO_COLOR=1
BUILD=${BUILD:-build}
CC=${CC:-cc}
FILES=${BENCH_FILES:-100}
STEPS=${BENCH_STEPS:-1000}
if [ "${BENCH_QUICK:-0}" = 1 ]; then FILES=10; fi
CORSIM=$BUILD/corsim
out=$BUILD/bench
mkdir -p "$out"

for f in "$CORSIM" "$BUILD/libcorsim.a"; do
  [ -e "$f" ] || { echo "bench.sh: '$f' is missing; run 'make all' first" >&2; exit 1; }
done

# ---- the bench programs, linked with the objects of $BUILD -------------------
FLAGS="-std=c11 -O2 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
  -Wmissing-prototypes -Wwrite-strings -Wformat=2 -Wcast-qual -Wundef \
  -D_POSIX_C_SOURCE=200809L -I/usr/share/include/llhttp"
HARNESS_OBJ=$(ls "$BUILD"/harness/*.o | grep -v '/main\.o$')
LIBS="-lcjson -lssl -lcrypto -lm"
build_prog() { # NAME OBJECTS...
  local name=$1
  shift
  if [ ! -x "$out/$name" ] || [ "harness/bench/$name.c" -nt "$out/$name" ] ||
     [ "$BUILD/libcorsim.a" -nt "$out/$name" ]; then
    # shellcheck disable=SC2086
    $CC $FLAGS -o "$out/$name" "harness/bench/$name.c" "$@"
  fi
}
build_prog gen_suite
build_prog rusage
# shellcheck disable=SC2086
build_prog bench_stages $HARNESS_OBJ "$BUILD"/reports/*.o "$BUILD"/llhttp/*.o \
  "$BUILD/libcorsim.a" $LIBS
# shellcheck disable=SC2086
build_prog bench_http "$BUILD/harness/http_response.o" "$BUILD"/llhttp/*.o

suite=$out/suite-$FILES-$STEPS
if [ ! -d "$suite" ] || [ harness/bench/gen_suite.c -nt "$suite" ]; then
  rm -rf "$suite"
  "$out/gen_suite" "$suite" "$FILES" "$STEPS"
fi
total=$((FILES * STEPS))
bytes=$(cat "$suite"/*.json | wc -c)

# cpu_of FILE: user + sys from a rusage line.
cpu_of() { awk '{ printf "%.6f", $3 + $5 }' "$1"; }
rss_of() { awk '{ print $7 }' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
best_run() { # best CPU of 3 runs of COMMAND (stdout discarded) -> seconds; RSS in $out/last.rss
  local best="" i
  for i in 1 2 3; do
    "$out/rusage" -o "$out/ru" "$@" >/dev/null 2>"$out/err" || {
      echo "bench.sh: '$*' failed:" >&2
      head -n 5 "$out/err" >&2
      exit 1
    }
    local t
    t=$(cpu_of "$out/ru")
    rss_of "$out/ru" >"$out/last.rss"
    if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
  done
  echo "$best"
}
stage() { awk -v s="$1" '$2 == s { print $4 }' "$out/stages"; }

echo "corsim bench: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(date -u +%Y-%m-%d)"
echo "suite: $FILES files x $STEPS steps = $total steps, $bytes bytes ($suite)"
echo

# ---- captured pipeline vs parse alone ----------------------------------------
"$out/bench_stages" -r 3 "$suite" >"$out/stages"
parse=$(stage parse)
load=$(stage load)
runc=$(stage run)
decide=$(stage decide)
pipe=$(best_run "$CORSIM" run --format json "$suite")
pipe_rss=$(cat "$out/last.rss")

printf '%-34s %10s %14s %12s\n' "figure" "cpu s" "steps/s" "x parse"
printf '%-34s %10.3f %14s %12s\n' "cJSON_Parse alone (baseline)" "$parse" "-" "1.00"
printf '%-34s %10.3f %14s %12s\n' "vector_load_memory" "$load" "$(rate $total "$load")" "$(ratio "$load" "$parse")"
printf '%-34s %10.3f %14s %12s\n' "run_case (decide+compare+console)" "$runc" "$(rate $total "$runc")" "$(ratio "$runc" "$parse")"
printf '%-34s %10.3f %14s %12s\n' "corsim_browser_fetch alone" "$decide" "$(rate $total "$decide")" "$(ratio "$decide" "$parse")"
printf '%-34s %10.3f %14s %12s\n' "corsim run --format json (whole)" "$pipe" "$(rate $total "$pipe")" "$(ratio "$pipe" "$parse")"
echo "targets: whole run <= 2.00 x parse; >= 200000 steps/s; decision >= 2000000 steps/s"
echo

# ---- memory ---------------------------------------------------------------------
args=()
for ((i = 0; i < 10; i++)); do args+=("$suite"); done
"$out/rusage" -o "$out/ru" "$CORSIM" run --format json "${args[@]}" >/dev/null 2>"$out/err" || {
  echo "bench.sh: the 10x run failed:" >&2
  head -n 5 "$out/err" >&2
  exit 1
}
big=$(cpu_of "$out/ru")
big_rss=$(rss_of "$out/ru")
printf 'peak RSS: %d KiB for %d steps; %d KiB for %d steps (the suite 10 times), %.2f s cpu (target < 65536 KiB)\n' \
  "$pipe_rss" "$total" "$big_rss" $((total * 10)) "$big"
echo

# ---- start-up ----------------------------------------------------------------------
small=vectors/simple/methods.json
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine -N --warmup 10 --runs 200 --export-json "$out/startup.json" \
    "$CORSIM --version" "$CORSIM run --format json $small" >/dev/null 2>&1
  base_ms=$(jq '.results[0].median * 1000' "$out/startup.json")
  start_ms=$(jq '.results[1].median * 1000' "$out/startup.json")
  how="hyperfine, median of 200"
else
  med() { # COMMAND...: median wall ms of 200 runs
    local i t0 t1
    for ((i = 0; i < 200; i++)); do
      t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N)
      echo $(((t1 - t0) / 1000))
    done | sort -n | awk '{ a[NR] = $1 } END { printf "%.3f", a[int(NR / 2)] / 1000 }'
  }
  base_ms=$(med "$CORSIM" --version)
  start_ms=$(med "$CORSIM" run --format json "$small")
  how="date +%s%N loop, median of 200"
fi
printf 'start-up: %s end to end %.2f ms; corsim --version %.2f ms (baseline); ratio %s (%s; target < 5 ms)\n' \
  "$small" "$start_ms" "$base_ms" "$(ratio "$start_ms" "$base_ms")" "$how"
echo

# ---- HTTP parsing ------------------------------------------------------------------
"$out/bench_http" -t 0.5 vectors >"$out/http" 2>/dev/null
ll=$(awk '$2 == "llhttp" { print $8 }' "$out/http")
ours=$(awk '$2 == "http_response" { print $8 }' "$out/http")
printf 'HTTP parsing (%d captured answers of vectors/): llhttp alone %s MB/s, http_response_parse %s MB/s, ratio %s\n' \
  "$(find vectors -name '*.http' | wc -l)" "$ll" "$ours" "$(ratio "$ours" "$ll")"
echo

# ---- instruction counts --------------------------------------------------------------
if [ "${BENCH_CALLGRIND:-1}" != 0 ] && command -v valgrind >/dev/null 2>&1; then
  cg=$out/cg
  rm -rf "$cg"
  mkdir -p "$cg/suite"
  cp "$suite/suite-0000.json" "$suite/suite-0001.json" "$cg/suite/"
  irs() { # OUTFILE COMMAND...: total Ir
    local o=$1
    shift
    valgrind --tool=callgrind --callgrind-out-file="$o" "$@" >/dev/null 2>"$o.log"
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$o.log"
  }
  ir_pipe=$(irs "$cg/pipe.out" "$CORSIM" run --format json "$cg/suite")
  ir_parse=$(irs "$cg/parse.out" "$out/bench_stages" -r 1 -s parse "$cg/suite")
  ir_load=$(irs "$cg/load.out" "$out/bench_stages" -r 1 -s load "$cg/suite")
  ir_decide=$(irs "$cg/decide.out" "$out/bench_stages" -r 1 -s decide "$cg/suite")
  # bench_stages loads the files once before any stage: subtract that.
  ir_setup=$(irs "$cg/setup.out" "$out/bench_stages" -r 1 -s none "$cg/suite")
  n=$((2 * STEPS))
  per() { awk -v a="$1" -v b="$ir_setup" -v n="$n" 'BEGIN { printf "%.0f", (a - b) / n }'; }
  echo "instructions (callgrind, 2 files = $n steps; Ir per step):"
  echo "  cJSON_Parse alone $(per "$ir_parse"), load $(per "$ir_load"), decision $(per "$ir_decide"), whole run $((ir_pipe / n))"
  echo "  whole run / parse alone: $(awk -v a="$ir_pipe" -v b="$ir_parse" -v s="$ir_setup" 'BEGIN { printf "%.2f", a / (b - s) }')"
  # hot FILE ROOT [DIRS]: our functions (in DIRS, a regex) by inclusive
  # Ir, as a share of ROOT's.
  hot() {
    callgrind_annotate --inclusive=yes --auto=no "$1" 2>/dev/null |
      grep -E "${3:-(reports|harness|simulator)}/[a-z_]+\.c:[a-z_0-9.]+" |
      sed -E 's#^ *([0-9,]+) .*((reports|harness|simulator)/[a-z_]+\.c:[a-z_0-9.]+).*#\1 \2#' |
      tr -d , | awk -v root="$2" '!seen[$2]++ { ir[NR] = $1; name[NR] = $2; if ($2 == root) base = $1 }
        END { n = 0; for (i = 1; i <= NR; i++) if (ir[i] != "" && base > 0 && ir[i] <= base && n < 12) {
                printf "    %5.1f%%  %s\n", 100 * ir[i] / base, name[i]; n++ } }'
  }
  echo "  hot spots of the whole run (inclusive, share of main.c:run):"
  hot "$cg/pipe.out" harness/main.c:run
  echo "  hot spots of the decision (inclusive, share of corsim_browser_fetch):"
  hot "$cg/decide.out" simulator/main_fetch.c:corsim_browser_fetch simulator
  echo
fi

# ---- live mode -------------------------------------------------------------------------
# corsim run on steps without captured answers, against a local nginx on
# 127.0.0.1 (a conf of our own, stopped at the end), vs wrk on the same
# nginx with one connection and Connection: close (corsim opens one
# connection per request). Wall time: this one waits on the network.
if command -v nginx >/dev/null 2>&1 && command -v wrk >/dev/null 2>&1; then
  ng=$(cd "$out" && pwd)/nginx
  rm -rf "$ng"
  mkdir -p "$ng/tmp"
  port=$((18000 + $$ % 1000))
  sed -e "s#@DIR@#$ng#g" -e "s#@PORT@#$port#g" >"$ng/nginx.conf" <<'CONF'
worker_processes 1;
daemon off;
pid @DIR@/nginx.pid;
error_log @DIR@/error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path @DIR@/tmp;
  proxy_temp_path @DIR@/tmp;
  fastcgi_temp_path @DIR@/tmp;
  uwsgi_temp_path @DIR@/tmp;
  scgi_temp_path @DIR@/tmp;
  default_type text/plain;
  server {
    listen 127.0.0.1:@PORT@;
    location / {
      if ($request_method = OPTIONS) {
        add_header Access-Control-Allow-Origin "http://app.example" always;
        add_header Access-Control-Allow-Methods "GET, PUT" always;
        add_header Access-Control-Allow-Headers "X-Req" always;
        add_header Access-Control-Max-Age "600" always;
        return 204;
      }
      add_header Access-Control-Allow-Origin "http://app.example" always;
      add_header Access-Control-Expose-Headers "X-Total" always;
      add_header X-Total 5 always;
      return 200 "ok\n";
    }
  }
}
CONF
  nginx -p "$ng" -c "$ng/nginx.conf" >"$ng/stdout" 2>&1 &
  ngx_pid=$!
  trap 'kill "$ngx_pid" 2>/dev/null' EXIT
  for ((i = 0; i < 50; i++)); do
    [ -s "$ng/nginx.pid" ] && break
    sleep 0.1
  done
  live=$out/live-suite
  rm -rf "$live"
  "$out/gen_suite" --live "$live" 1 2000
  best_wall=""
  live_cpu=0
  for i in 1 2 3; do
    t0=$(date +%s%N)
    "$out/rusage" -o "$out/ru" "$CORSIM" run --format json \
      --resolve "api.example:80:127.0.0.1:$port" "$live" >/dev/null 2>"$out/err" || {
      echo "bench.sh: the live run failed:" >&2
      head -n 5 "$out/err" >&2
      exit 1
    }
    t1=$(date +%s%N)
    w=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", (b - a) / 1e9 }')
    if [ -z "$best_wall" ] || awk -v a="$w" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then
      best_wall=$w
      live_cpu=$(cpu_of "$out/ru")
    fi
  done
  reqs=$(wrk -t1 -c1 -d3s -H "Connection: close" "http://127.0.0.1:$port/items/1" |
         awk '/Requests\/sec/ { print $2 }')
  kill "$ngx_pid" 2>/dev/null || true
  wait "$ngx_pid" 2>/dev/null || true
  trap - EXIT
  # The 2000 steps make 2286 requests: each preflighted PUT pair makes 3.
  printf 'live mode: 2000 steps (2286 requests) against nginx: %.3f s wall, %.3f s cpu, %s steps/s, %s requests/s; wrk alone %s requests/s (baseline); ratio %s\n' \
    "$best_wall" "$live_cpu" "$(rate 2000 "$best_wall")" "$(rate 2286 "$best_wall")" \
    "$reqs" "$(ratio "$(rate 2286 "$best_wall")" "$reqs")"
else
  echo "live mode: skipped (needs nginx and wrk: apt-get install nginx wrk)"
fi
