/* gen_suite.c: writes a synthetic vector suite for `make bench`: FILES
 * files of STEPS steps each, drawn in turn from corpus-like cases: a
 * simple GET, a preflighted PUT followed by a preflight-cache hit, a
 * cross-origin redirect, a credentialed GET answered by a `raw` HTTP
 * answer, a GET refused for a missing Allow-Origin, and a DELETE refused
 * by its preflight; the browser rotates over the four profiles.
 *
 *   gen_suite DIR [FILES [STEPS]]          (defaults 100 and 1000)
 *   gen_suite --live DIR [FILES [STEPS]]   steps without `responses`
 *
 * Every case passes, so `corsim run` on the suite exits 0 and the run
 * measures the whole pipeline on the success path. With --live the steps
 * (a simple GET, and a preflighted PUT followed by a cache hit) ask
 * http://api.example/ and expect the answers of the nginx configuration
 * that bench.sh writes. Output is the same on every run. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const BROWSERS[] = {"fetch", "chromium", "firefox",
                                       "webkit"};

#define ORIGIN "https://app.example"
#define ACAO_APP "[\"Access-Control-Allow-Origin\",\"" ORIGIN "\"]"

static void simple_get(FILE *f, size_t file, size_t i, const char *browser) {
  fprintf(f,
          "{\"id\":\"get-%zu-%zu\",\"title\":\"a simple GET, allowed\","
          "\"tags\":[\"simple\"],\"browser\":\"%s\","
          "\"request\":{\"origin\":\"" ORIGIN "\",\"url\":\"https://api.example/"
          "items/%zu?page=%zu\"},"
          "\"responses\":[{\"status\":200,\"headers\":[" ACAO_APP
          ",[\"Content-Type\",\"application/json\"],[\"Vary\",\"Origin\"],"
          "[\"Access-Control-Expose-Headers\",\"X-Total\"],[\"X-Total\",\"%zu\"]]}],"
          "\"expect\":{\"outcome\":\"allowed\",\"status\":200,\"preflight\":\"none\","
          "\"exposed_headers\":[\"content-type\",\"x-total\"]}}",
          file, i, browser, i, file, i);
}

static void preflight_then_cached(FILE *f, size_t file, size_t i,
                                  const char *browser) {
  const char *put = "{\"method\":\"PUT\",\"status\":200,\"headers\":[" ACAO_APP
                    ",[\"Access-Control-Allow-Credentials\",\"true\"]]}";
  fprintf(f,
          "{\"id\":\"put-%zu-%zu\",\"title\":\"a preflighted PUT, then a cache "
          "hit\",\"tags\":[\"preflight\",\"cache\"],\"browser\":\"%s\",\"steps\":["
          "{\"at\":0,\"request\":{\"origin\":\"" ORIGIN "\",\"url\":\"https://"
          "api.example/users/%zu\",\"method\":\"PUT\",\"headers\":[[\"X-Req\",\"%zu\"],"
          "[\"Content-Type\",\"application/json\"]],\"credentials\":\"include\"},"
          "\"responses\":[{\"method\":\"OPTIONS\",\"status\":204,\"headers\":[" ACAO_APP
          ",[\"Access-Control-Allow-Credentials\",\"true\"],"
          "[\"Access-Control-Allow-Methods\",\"GET, PUT\"],"
          "[\"Access-Control-Allow-Headers\",\"X-Req, Content-Type\"],"
          "[\"Access-Control-Max-Age\",\"600\"]]},%s],"
          "\"expect\":{\"outcome\":\"allowed\",\"preflight\":\"sent\","
          "\"preflight_request_headers\":{\"Access-Control-Request-Method\":\"PUT\","
          "\"Access-Control-Request-Headers\":\"content-type,x-req\"}}},"
          "{\"at\":10,\"request\":{\"origin\":\"" ORIGIN "\",\"url\":\"https://"
          "api.example/users/%zu\",\"method\":\"PUT\",\"headers\":[[\"X-Req\",\"%zu\"],"
          "[\"Content-Type\",\"application/json\"]],\"credentials\":\"include\"},"
          "\"responses\":[%s],\"expect\":{\"outcome\":\"allowed\","
          "\"preflight\":\"cached\",\"status\":200}}]}",
          file, i, browser, i, i, put, i, i, put);
}

static void redirect(FILE *f, size_t file, size_t i, const char *browser) {
  fprintf(f,
          "{\"id\":\"redirect-%zu-%zu\",\"title\":\"a cross-origin redirect\","
          "\"tags\":[\"redirect\"],\"browser\":\"%s\","
          "\"request\":{\"origin\":\"" ORIGIN "\",\"url\":\"https://api.example/"
          "old/%zu\"},\"responses\":["
          "{\"url\":\"https://api.example/old/%zu\",\"status\":302,\"headers\":"
          "[[\"Location\",\"https://cdn.example/new/%zu\"],"
          "[\"Access-Control-Allow-Origin\",\"*\"]]},"
          "{\"url\":\"https://cdn.example/new/%zu\",\"status\":200,\"headers\":"
          "[[\"Access-Control-Allow-Origin\",\"*\"],[\"Content-Length\",\"2\"]]}],"
          "\"expect\":{\"outcome\":\"allowed\",\"status\":200}}",
          file, i, browser, i, i, i, i);
}

static void raw_answer(FILE *f, size_t file, size_t i, const char *browser) {
  fprintf(f,
          "{\"id\":\"raw-%zu-%zu\",\"title\":\"a credentialed GET answered by raw "
          "bytes\",\"tags\":[\"raw\",\"credentials\"],\"browser\":\"%s\","
          "\"request\":{\"origin\":\"" ORIGIN "\",\"url\":\"https://api.example/"
          "me/%zu\",\"credentials\":\"include\"},"
          "\"responses\":[{\"raw\":\"HTTP/1.1 200 OK\\r\\nDate: Mon, 01 Dec 2025 "
          "09:00:00 GMT\\r\\nContent-Type: application/json\\r\\n"
          "Access-Control-Allow-Origin: " ORIGIN "\\r\\n"
          "Access-Control-Allow-Credentials: true\\r\\nVary: Origin\\r\\n"
          "Content-Length: 13\\r\\n\\r\\n{\\\"id\\\": %5zu}\"}],"
          "\"expect\":{\"outcome\":\"allowed\",\"status\":200}}",
          file, i, browser, i, i % 100000);
}

static void missing_acao(FILE *f, size_t file, size_t i, const char *browser) {
  fprintf(f,
          "{\"id\":\"blocked-%zu-%zu\",\"title\":\"no Allow-Origin: blocked\","
          "\"tags\":[\"blocked\"],\"browser\":\"%s\","
          "\"request\":{\"origin\":\"" ORIGIN "\",\"url\":\"https://api.example/"
          "private/%zu\"},\"responses\":[{\"status\":404,\"headers\":"
          "[[\"Content-Type\",\"text/html\"]]}],"
          "\"expect\":{\"outcome\":\"blocked\",\"cors_error\":"
          "\"MissingAllowOriginHeader\",\"status\":0}}",
          file, i, browser, i);
}

static void preflight_refused(FILE *f, size_t file, size_t i,
                              const char *browser) {
  fprintf(f,
          "{\"id\":\"delete-%zu-%zu\",\"title\":\"DELETE not in Allow-Methods\","
          "\"tags\":[\"preflight\",\"blocked\"],\"browser\":\"%s\","
          "\"request\":{\"origin\":\"" ORIGIN "\",\"url\":\"https://api.example/"
          "items/%zu\",\"method\":\"DELETE\"},\"responses\":[{\"method\":"
          "\"OPTIONS\",\"status\":204,\"headers\":[" ACAO_APP
          ",[\"Access-Control-Allow-Methods\",\"GET, POST\"]]}],"
          "\"expect\":{\"outcome\":\"blocked\",\"cors_error\":"
          "\"MethodDisallowedByPreflightResponse\",\"preflight\":\"sent\"}}",
          file, i, browser, i);
}

/* ---- live steps: no captured answers ------------------------------------- */

#define LIVE_ORIGIN "http://app.example"

static void live_get(FILE *f, size_t file, size_t i) {
  fprintf(f,
          "{\"id\":\"live-get-%zu-%zu\",\"title\":\"a simple GET to the live "
          "server\",\"request\":{\"origin\":\"" LIVE_ORIGIN "\",\"url\":"
          "\"http://api.example/items/%zu\"},\"expect\":{\"outcome\":\"allowed\","
          "\"status\":200,\"exposed_headers\":[\"content-length\",\"content-type\","
          "\"x-total\"]}}",
          file, i, i);
}

static void live_put(FILE *f, size_t file, size_t i) {
#define LIVE_PUT                                                             \
  "{\"origin\":\"" LIVE_ORIGIN "\",\"url\":\"http://api.example/users/%zu\","   \
  "\"method\":\"PUT\",\"headers\":[[\"X-Req\",\"1\"]]}"
  fprintf(f, "{\"id\":\"live-put-%zu-%zu\",\"title\":\"a preflighted PUT, "
             "then a cache hit\",\"steps\":[{\"at\":0,\"request\":",
          file, i);
  fprintf(f, LIVE_PUT, i);
  fputs(",\"expect\":{\"outcome\":\"allowed\",\"preflight\":\"sent\"}},"
        "{\"at\":1,\"request\":", f);
  fprintf(f, LIVE_PUT, i);
  fputs(",\"expect\":{\"outcome\":\"allowed\",\"preflight\":\"cached\"}}]}",
        f);
}

static int write_file(const char *dir, size_t file, size_t steps, bool live) {
  char path[4096];
  snprintf(path, sizeof path, "%s/suite-%04zu.json", dir, file);
  FILE *f = fopen(path, "w");
  if (f == NULL) {
    fprintf(stderr, "gen_suite: cannot write '%s': %s\n", path,
            strerror(errno));
    return -1;
  }
  fprintf(f, "{\"format\":\"cors-vectors/1\",\"suite\":\"bench-%04zu\","
             "\"cases\":[\n",
          file);
  size_t done = 0;
  for (size_t i = 0; done < steps; i++) {
    const char *browser = BROWSERS[(i + file) % 4];
    unsigned kind = (unsigned)(i % 6);
    if (kind == 1 && steps - done < 2) kind = 0;
    if (i > 0) fputs(",\n", f);
    if (live) {
      if (kind == 1) {
        live_put(f, file, i);
        done += 2;
      } else {
        live_get(f, file, i);
        done += 1;
      }
      continue;
    }
    switch (kind) {
      case 0: simple_get(f, file, i, browser); done += 1; break;
      case 1: preflight_then_cached(f, file, i, browser); done += 2; break;
      case 2: redirect(f, file, i, browser); done += 1; break;
      case 3: raw_answer(f, file, i, browser); done += 1; break;
      case 4: missing_acao(f, file, i, browser); done += 1; break;
      default: preflight_refused(f, file, i, browser); done += 1; break;
    }
  }
  fputs("\n]}\n", f);
  if (fclose(f) != 0) {
    fprintf(stderr, "gen_suite: cannot write '%s': %s\n", path,
            strerror(errno));
    return -1;
  }
  return 0;
}

int main(int argc, char **argv) {
  bool live = argc > 1 && strcmp(argv[1], "--live") == 0;
  if (live) {
    argv++;
    argc--;
  }
  if (argc < 2 || argc > 4) {
    fprintf(stderr, "usage: gen_suite [--live] DIR [FILES [STEPS]]\n");
    return 2;
  }
  size_t files = argc > 2 ? strtoul(argv[2], NULL, 10) : 100;
  size_t steps = argc > 3 ? strtoul(argv[3], NULL, 10) : 1000;
  if (mkdir(argv[1], 0755) != 0 && errno != EEXIST) {
    fprintf(stderr, "gen_suite: cannot create '%s': %s\n", argv[1],
            strerror(errno));
    return 1;
  }
  for (size_t i = 0; i < files; i++)
    if (write_file(argv[1], i, steps, live) != 0) return 1;
  return 0;
}
