#!/usr/bin/env bash
# t_caps.sh: every cap on what grows (STYLE.md §8.6), tried at the cap and
# one past it through `corsim run` on generated vectors: header lines and
# header bytes of a captured answer (the simulator's max_headers and
# max_header_bytes for JSON headers, http_response's limits for raw
# answers), redirects (20), preflight-cache entries (chromium 1024,
# firefox 100, fetch 4096), the vector file size (VECTOR_MAX_FILE_BYTES)
# and JSON nesting (VECTOR_MAX_JSON_DEPTH). At the cap the case passes
# (exit 0, no diagnostic); past it the run gives the cap's own diagnostic
# and exit 3, or the limited behaviour the case expects (exit 0), never a
# crash or a hang. Prints TAP; needs $CORSIM.
set -u
cd "$(dirname "$0")/../.." || exit 1
export LC_ALL=C NO_COLOR=1
CORSIM=${CORSIM:-build/corsim}

if [ ! -x "$CORSIM" ]; then
  echo "1..1"
  echo "not ok 1 - caps: no corsim binary at '$CORSIM'"
  exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/corsim-caps.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

n=0
failed=0
# check NAME WANT_RC WANT_STDERR FILE: runs corsim on FILE (300 s at most);
# WANT_STDERR "" means no diagnostic at all, else a substring of stderr.
check() {
  local name=$1 want_rc=$2 want=$3 file=$4
  n=$((n + 1))
  timeout 300 "$CORSIM" run --format tap "$file" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  local good=1
  [ "$rc" -eq "$want_rc" ] || good=0
  if [ -z "$want" ]; then
    [ -s "$tmp/err" ] && good=0
  else
    grep -qF -- "$want" "$tmp/err" || good=0
  fi
  if [ "$good" -eq 1 ]; then
    echo "ok $n - $name"
  else
    failed=$((failed + 1))
    echo "not ok $n - $name"
    echo "# exit $rc (want $want_rc); stderr:"
    head -c 600 "$tmp/err" | sed 's/^/#   /'
    [ -n "$want" ] && echo "# wanted: $want"
    grep '^not ok' "$tmp/out" | head -n 3 | sed 's/^/#   /'
  fi
}

begin() { printf '{"format":"cors-vectors/1","suite":"caps","cases":[\n'; }
end() { printf ']}\n'; }
REQ='"origin":"https://app.example","url":"https://api.example/x"'

# ---- header lines of a JSON answer: the simulator's max_headers (256) -------
json_headers() { # COUNT
  begin
  printf '{"id":"h","title":"t","request":{%s},"responses":[{"status":200,"headers":[' "$REQ"
  printf '["Access-Control-Allow-Origin","*"]'
  for ((i = 1; i < $1; i++)); do printf ',["X-Pad-%d","v"]' "$i"; done
  printf ']}],"expect":{"outcome":"allowed"}}\n'
  end
}
json_headers 256 >"$tmp/h256.json"
json_headers 257 >"$tmp/h257.json"
check "json answer with 256 header lines: allowed" 0 "" "$tmp/h256.json"
check "json answer with 257 header lines: the limit" 3 \
  "GET https://api.example/x: the answer has 257 headers, more than the limit of 256" \
  "$tmp/h257.json"

# ---- header bytes of a JSON answer: max_header_bytes (262144) ---------------
json_bytes() { # TOTAL name+value bytes
  local pad=$(($1 - 28 - 5))
  begin
  printf '{"id":"b","title":"t","request":{%s},"responses":[{"status":200,"headers":[' "$REQ"
  printf '["Access-Control-Allow-Origin","*"],["X-Pad","'
  head -c "$pad" /dev/zero | tr '\0' 'a'
  printf '"]]}],"expect":{"outcome":"allowed"}}\n'
  end
}
json_bytes 262144 >"$tmp/b262144.json"
json_bytes 262145 >"$tmp/b262145.json"
check "json answer with 262144 header bytes: allowed" 0 "" "$tmp/b262144.json"
check "json answer with 262145 header bytes: the limit" 3 \
  "the answer has 262145 header bytes, more than the limit of 262144" \
  "$tmp/b262145.json"

# ---- the same for raw answers: http_response's limits -------------------------
raw_vector() { # HTTPFILE
  begin
  printf '{"id":"r","title":"t","request":{%s},"responses":[{"raw_file":"%s"}],"expect":{"outcome":"allowed"}}\n' \
    "$REQ" "$1"
  end
}
raw_headers() { # COUNT
  printf 'HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n'
  for ((i = 1; i < $1; i++)); do printf 'X-Pad-%d: v\r\n' "$i"; done
  printf 'Content-Length: 0\r\n\r\n'
}
raw_headers 255 >"$tmp/rh256.http" # + Content-Length: 256 lines
raw_headers 256 >"$tmp/rh257.http"
raw_vector rh256.http >"$tmp/rh256.json"
raw_vector rh257.http >"$tmp/rh257.json"
check "raw answer with 256 header lines: allowed" 0 "" "$tmp/rh256.json"
check "raw answer with 257 header lines: the limit" 3 \
  "invalid raw response in '$tmp/rh257.http': more than 256 header lines at byte" \
  "$tmp/rh257.json"

raw_bytes() { # TOTAL name+value bytes
  local pad=$(($1 - 28 - 5))
  printf 'HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nX-Pad: '
  head -c "$pad" /dev/zero | tr '\0' 'a'
  printf '\r\n\r\n'
}
raw_bytes 262144 >"$tmp/rb262144.http"
raw_bytes 262145 >"$tmp/rb262145.http"
raw_vector rb262144.http >"$tmp/rb262144.json"
raw_vector rb262145.http >"$tmp/rb262145.json"
check "raw answer with 262144 header bytes: allowed" 0 "" "$tmp/rb262144.json"
check "raw answer with 262145 header bytes: the limit" 3 \
  "more than 262144 header bytes at byte 262167" "$tmp/rb262145.json"

# ---- redirects: 20 are followed, the 21st is a network error ------------------
redirects() { # COUNT OUTCOME
  begin
  printf '{"id":"rd","title":"t","request":{"origin":"https://app.example","url":"https://api.example/r0"},"responses":['
  for ((i = 0; i < $1; i++)); do
    printf '{"url":"https://api.example/r%d","status":302,"headers":[["Location","https://api.example/r%d"],["Access-Control-Allow-Origin","*"]]},' \
      "$i" "$((i + 1))"
  done
  printf '{"url":"https://api.example/r%d","status":200,"headers":[["Access-Control-Allow-Origin","*"]]}' "$1"
  printf '],"expect":{"outcome":"%s"}}\n' "$2"
  end
}
redirects 20 allowed >"$tmp/rd20.json"
redirects 21 blocked >"$tmp/rd21.json"
check "20 redirects: followed, allowed" 0 "" "$tmp/rd20.json"
check "21 redirects: blocked by the redirect limit" 0 "" "$tmp/rd21.json"

# ---- preflight-cache entries ------------------------------------------------
# COUNT preflights for distinct URLs fill the cache; then the first URL is
# asked for again: still cached at the cap, evicted (least recently used
# first) one past it. Steps are 0.1 s apart, so no entry expires (max-age
# 600).
cache() { # BROWSER COUNT FINAL_PREFLIGHT
  begin
  printf '{"id":"c","title":"t","browser":"%s","steps":[' "$1"
  local opt='{"method":"OPTIONS","status":204,"headers":[["Access-Control-Allow-Origin","*"],["Access-Control-Allow-Methods","PUT"],["Access-Control-Max-Age","600"]]}'
  local put='{"method":"PUT","status":200,"headers":[["Access-Control-Allow-Origin","*"]]}'
  for ((i = 0; i < $2; i++)); do
    printf '{"at":%d.%d,"request":{"origin":"https://app.example","url":"https://api.example/c/%d","method":"PUT"},"responses":[%s,%s],"expect":{"outcome":"allowed","preflight":"sent"}},\n' \
      $((i / 10)) $((i % 10)) "$i" "$opt" "$put"
  done
  printf '{"at":%d.%d,"request":{"origin":"https://app.example","url":"https://api.example/c/0","method":"PUT"},"responses":[%s,%s],"expect":{"outcome":"allowed","preflight":"%s"}}' \
    $(($2 / 10)) $(($2 % 10)) "$opt" "$put" "$3"
  printf ']}\n'
  end
}
cache chromium 1024 cached >"$tmp/c-chromium-1024.json"
cache chromium 1025 sent >"$tmp/c-chromium-1025.json"
cache firefox 100 cached >"$tmp/c-firefox-100.json"
cache firefox 101 sent >"$tmp/c-firefox-101.json"
cache fetch 4096 cached >"$tmp/c-fetch-4096.json"
cache fetch 4097 sent >"$tmp/c-fetch-4097.json"
check "chromium cache with 1024 entries: the first is still cached" 0 "" "$tmp/c-chromium-1024.json"
check "chromium cache with 1025 entries: the first was evicted" 0 "" "$tmp/c-chromium-1025.json"
check "firefox cache with 100 entries: the first is still cached" 0 "" "$tmp/c-firefox-100.json"
check "firefox cache with 101 entries: the first was evicted" 0 "" "$tmp/c-firefox-101.json"
check "fetch cache with 4096 entries: the first is still cached" 0 "" "$tmp/c-fetch-4096.json"
check "fetch cache with 4097 entries: the first was evicted" 0 "" "$tmp/c-fetch-4097.json"

# ---- vector file size: VECTOR_MAX_FILE_BYTES (64 MiB) ---------------------------
MAX=$((64 * 1024 * 1024))
sized() { # TOTAL_BYTES: a valid one-case vector padded with spaces
  local head
  head=$(printf '{"format":"cors-vectors/1","cases":[{"id":"s","title":"t","request":{%s},"responses":[{"status":200,"headers":[["Access-Control-Allow-Origin","*"]]}],"expect":{"outcome":"allowed"}}]' "$REQ")
  printf '%s' "$head"
  head -c $(($1 - ${#head} - 2)) /dev/zero | tr '\0' ' '
  printf '}\n'
}
sized "$MAX" >"$tmp/size-at.json"
sized $((MAX + 1)) >"$tmp/size-past.json"
check "a vector file of exactly 64 MiB: loads" 0 "" "$tmp/size-at.json"
check "a vector file of 64 MiB + 1: the size limit" 3 \
  "corsim: '$tmp/size-past.json' is larger than 67108864 bytes" "$tmp/size-past.json"
rm -f "$tmp/size-at.json" "$tmp/size-past.json"

# ---- JSON nesting: VECTOR_MAX_JSON_DEPTH (64) ----------------------------------
# The document, `cases`, the case and `tags` are 4 levels; the rest are
# arrays inside tags[0]. At 64 the file is read and tags[0] is the wrong
# type; at 65 the nesting itself is the error.
nested() { # DEPTH
  local inner=$(($1 - 4))
  printf '{"format":"cors-vectors/1","cases":[{"id":"d","title":"t","tags":['
  for ((i = 0; i < inner; i++)); do printf '['; done
  for ((i = 0; i < inner; i++)); do printf ']'; done
  printf '],"request":{%s},"responses":[],"expect":{}}]}\n' "$REQ"
}
nested 64 >"$tmp/depth64.json"
nested 65 >"$tmp/depth65.json"
check "JSON nested 64 deep: read, tags[0] has the wrong type" 3 \
  "expected a string, got an array at cases[0].tags[0]" "$tmp/depth64.json"
check "JSON nested 65 deep: the nesting limit" 3 \
  "nesting deeper than 64 levels" "$tmp/depth65.json"

echo "1..$n"
[ "$failed" -eq 0 ]
