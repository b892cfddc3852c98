#!/usr/bin/env bash
# make_seeds.sh: regenerates the seed corpora of harness/fuzz/seeds/ from
# the vector corpus (vectors/), the bad inputs (harness/tests/bad-http/)
# and the console messages corsim prints for the corpus. Run from anywhere
# with a built corsim (CORSIM, default build/corsim); needs jq. The seeds
# are checked in, so that a fresh clone replays them without this script.
#
#   seeds/fuzz_http_response/  each captured answer (.http files and the
#                              `raw` strings of the vectors) behind two
#                              control bytes: the chunk size, then the
#                              profile and request shape
#   seeds/fuzz_origin_url/     every URL and origin the vectors use, plus
#                              hand-picked hard ones (IPv6, IDNA, blob:,
#                              file:, ports, percent-encoding)
#   seeds/fuzz_console/        the console messages of every engine for the
#                              corpus, and the `console` expectations
#   fuzz_vector                needs no copy: it reads vectors/ and
#                              harness/tests/bad-vectors/ directly
set -eu
cd "$(dirname "$0")/../.."
CORSIM=${CORSIM:-build/corsim}
out=harness/fuzz/seeds
command -v jq >/dev/null || { echo "make_seeds.sh: needs jq" >&2; exit 1; }
[ -x "$CORSIM" ] || { echo "make_seeds.sh: no corsim at '$CORSIM'" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out/fuzz_http_response" "$out/fuzz_origin_url" "$out/fuzz_console"

# name_of TEXT: a stable file name for a seed (its checksum).
name_of() { printf '%s' "$1" | cksum | cut -d' ' -f1; }

# ---- HTTP answers -----------------------------------------------------------
# Three control prefixes per answer: whole/fetch/GET, 1-byte chunks/
# chromium/preflight, 7-byte chunks/firefox/credentials.
http_seed() { # FILE
  local base; base=$(cksum <"$1" | cut -d' ' -f1)
  printf '\000\000' | cat - "$1" >"$out/fuzz_http_response/$base-a"
  printf '\001\005' | cat - "$1" >"$out/fuzz_http_response/$base-b"
  printf '\007\012' | cat - "$1" >"$out/fuzz_http_response/$base-c"
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/corsim-seeds.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
while IFS= read -r f; do http_seed "$f"; done < <(
  find vectors harness/tests/bad-http -name '*.http' 2>/dev/null | sort)
i=0
while IFS= read -r -d '' raw; do
  i=$((i + 1))
  printf '%s' "$raw" >"$tmp/raw$i"
  http_seed "$tmp/raw$i"
done < <(find vectors -name '*.json' -print0 | sort -z |
         xargs -0 cat | jq -j '.. | objects | .raw? // empty | strings, "\u0000"' 2>/dev/null)

# ---- URLs and origins ------------------------------------------------------
{
  find vectors -name '*.json' -print0 | sort -z | xargs -0 cat |
    jq -r '.. | objects | (.url?, .origin?) // empty | strings' 2>/dev/null
  find vectors -name '*.json' -print0 | sort -z | xargs -0 cat |
    jq -r '.. | arrays | select(length == 2 and (.[0] | type) == "string" and
             ((.[0] | ascii_downcase) == "location" or
              (.[0] | ascii_downcase) == "access-control-allow-origin")) |
           .[1] | strings' 2>/dev/null
  cat <<'EOF'
https://[::1]:8443/a?b#c
http://[2001:db8::ff00:42:8329]/
https://xn--nxasmq6b.example/
https://ÉXAMPLE.com/%7e/./../x
https://a.example:443/
http://a.example:80/
https://a.example:0/
https://a.example:65535/
https://a.example:65536/
http://0x7f.1/
http://127.1/
http://192.168.0.257/
https://user:pass@a.example/
https://a.example/%zz%
blob:https://a.example/uuid
blob:null/uuid
file:///etc/passwd
file://host/share
data:text/plain,hi
about:blank
javascript:alert(1)
web+demo:/.//not-a-host/
non-spec:/.//p
HTTPS://A.EXAMPLE
https://a.example\path
https:a.example
//a.example/x
https://a.example/?q=1#frag
https://a..example/
https://.a.example/
https://a.example./
https://%41.example/
https://a.example:/
null
EOF
} | sort -u | while IFS= read -r u; do
  printf '%s' "$u" >"$out/fuzz_origin_url/$(name_of "$u")"
done

# ---- console messages --------------------------------------------------------
{
  "$CORSIM" run --browser all --format json vectors/ 2>/dev/null |
    jq -r '.. | objects | .console? // empty | strings' 2>/dev/null || true
  find vectors -name '*.json' -print0 | sort -z | xargs -0 cat |
    jq -r '.. | objects | .expect? // empty | .console? // empty | strings' \
      2>/dev/null
} | sort -u | while IFS= read -r m; do
  printf '%s' "$m" >"$out/fuzz_console/$(name_of "$m")"
done

for d in "$out"/*; do
  echo "make_seeds.sh: $(ls "$d" | wc -l) seeds in $d"
done
