/* test_har.c: unit tests of `corsim har` (har.c), run in-process: the
 * recorded HARs (harness/tests/har/recorded/, or the directory in
 * $CORSIM_HAR_DIR that t_har.sh has just recorded) are explained with the
 * CorsError and the console message that Chromium itself reported, every
 * allowed entry is allowed, Playwright's gaps are said, the Firefox HAR
 * agrees with Chromium's ground truth; every messy HAR gives valid JSON;
 * --save writes a vector file whose every case passes; usage errors. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "../har.h"
#include "../run.h"
#include "../testing/check.h"
#include "../vector.h"

#define RECORDED "harness/tests/har/recorded"
#define MESSY "harness/tests/har/messy"

/* ---- helpers ------------------------------------------------------------- */

static char *read_all(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  size_t cap = 65536, len = 0;
  char *s = malloc(cap);
  while (s) {
    if (len + 1 == cap) {
      char *n = realloc(s, cap * 2);
      if (n == NULL) {
        free(s);
        s = NULL;
        break;
      }
      s = n;
      cap *= 2;
    }
    size_t got = fread(s + len, 1, cap - len - 1, f);
    if (got == 0) break;
    len += got;
  }
  fclose(f);
  if (s) s[len] = '\0';
  return s;
}

struct ran {
  int code;
  char *out; /* standard output */
  char *err; /* standard error */
};

/* Runs har_main with `args` (NULL-terminated, after "corsim har"),
 * capturing both streams. */
static struct ran run_har(const char *const *args) {
  struct ran r = {-1, NULL, NULL};
  char *argv[32];
  int argc = 0;
  argv[argc++] = (char *)(uintptr_t) "corsim";
  argv[argc++] = (char *)(uintptr_t) "har";
  for (size_t i = 0; args[i] && argc < 31; i++)
    argv[argc++] = (char *)(uintptr_t)args[i];
  argv[argc] = NULL;
  char out_path[] = "/tmp/corsim-test-har-out.XXXXXX";
  char err_path[] = "/tmp/corsim-test-har-err.XXXXXX";
  int fo = mkstemp(out_path), fe = mkstemp(err_path);
  if (fo < 0 || fe < 0) return r;
  fflush(stdout);
  fflush(stderr);
  int saved_out = dup(1), saved_err = dup(2);
  dup2(fo, 1);
  dup2(fe, 2);
  r.code = har_main(argc, argv);
  fflush(stdout);
  fflush(stderr);
  dup2(saved_out, 1);
  dup2(saved_err, 2);
  close(saved_out);
  close(saved_err);
  close(fo);
  close(fe);
  r.out = read_all(out_path);
  r.err = read_all(err_path);
  unlink(out_path);
  unlink(err_path);
  return r;
}

static void ran_release(struct ran *r) {
  free(r->out);
  free(r->err);
}

static const char *dir_of_recording(void) {
  const char *d = getenv("CORSIM_HAR_DIR");
  return d && d[0] ? d : RECORDED;
}

static cJSON *load_json(const char *path) {
  char *s = read_all(path);
  if (s == NULL) return NULL;
  cJSON *j = cJSON_Parse(s);
  free(s);
  return j;
}

static const char *jstr(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The report of `har` under chromium, as JSON: from $CORSIM_HAR_JSON when
 * t_har.sh ran the corsim binary on it, else made here. */
static cJSON *report_of(const char *har, const char *env) {
  const char *given = env ? getenv(env) : NULL;
  if (given && given[0]) return load_json(given);
  const char *args[] = {har, "--browser", "chromium", "--format", "json", NULL};
  struct ran r = run_har(args);
  cJSON *j = r.out ? cJSON_Parse(r.out) : NULL;
  if (r.code != 0) fprintf(stderr, "  har exited %d: %s\n", r.code, r.err ? r.err : "");
  ran_release(&r);
  return j;
}

/* The path of a URL ("/no-acao?xhr"), for matching across recordings. */
static const char *path_of(const char *url) {
  const char *p = strstr(url, "://");
  p = p ? strchr(p + 3, '/') : NULL;
  return p ? p : url;
}

/* The network entry of the Chromium recording (console.json) for a
 * request: same method and path, not a preflight. */
static const cJSON *network_for(const cJSON *console, const char *method,
                                const char *url) {
  const cJSON *net = cJSON_GetObjectItemCaseSensitive(console, "network");
  const cJSON *n;
  cJSON_ArrayForEach(n, net) {
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(n, "preflight"))) continue;
    const char *m = jstr(n, "method"), *u = jstr(n, "url");
    if (m && u && strcmp(m, method) == 0 && strcmp(path_of(u), path_of(url)) == 0)
      return n;
  }
  return NULL;
}

static bool console_has(const cJSON *console, const char *text) {
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(console, "console");
  const cJSON *m;
  cJSON_ArrayForEach(m, list) {
    const char *t = jstr(m, "text");
    if (t && text && strcmp(t, text) == 0) return true;
  }
  return false;
}

static const cJSON *first_decision(const cJSON *request) {
  const cJSON *ds = cJSON_GetObjectItemCaseSensitive(request, "decisions");
  return cJSON_GetArrayItem(ds, 0);
}

static int count_api_requests(const cJSON *console) {
  const char *api = jstr(console, "api");
  const cJSON *net = cJSON_GetObjectItemCaseSensitive(console, "network");
  const cJSON *n;
  int k = 0;
  cJSON_ArrayForEach(n, net) {
    const char *u = jstr(n, "url");
    if (api && u && strncmp(u, api, strlen(api)) == 0 &&
        !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(n, "preflight")))
      k++;
  }
  return k;
}

/* ---- the recorded HARs ---------------------------------------------------- */

/* Every failed request of the DevTools-shaped HAR is explained with the
 * CorsError Chromium reported and the console message it printed; every
 * allowed one is allowed; every CORS console message is accounted for. */
TEST(har_check_chromium_devtools) {
  char har[1024], con[1024];
  snprintf(har, sizeof har, "%s/chromium-devtools.har", dir_of_recording());
  snprintf(con, sizeof con, "%s/chromium.console.json", dir_of_recording());
  cJSON *console = load_json(con);
  cJSON *report = report_of(har, "CORSIM_HAR_JSON");
  ASSERT_NOT_NULL(console);
  ASSERT_NOT_NULL(report);
  const cJSON *requests = cJSON_GetObjectItemCaseSensitive(report, "requests");
  ASSERT_EQ_INT(cJSON_GetArraySize(requests), count_api_requests(console));
  int failed = 0, allowed = 0, bad = 0, consoles = 0;
  const cJSON *r;
  cJSON_ArrayForEach(r, requests) {
    const char *method = jstr(r, "method"), *url = jstr(r, "url");
    const cJSON *n = network_for(console, method, url);
    const cJSON *d = first_decision(r);
    if (n == NULL || d == NULL) {
      fprintf(stderr, "  %s %s: not in the recording's network log\n", method, url);
      bad++;
      continue;
    }
    const char *cors = jstr(n, "corsError");
    const char *param = jstr(n, "failedParameter");
    if (cors && cors[0]) {
      failed++;
      const char *got = jstr(d, "cors_error");
      const char *msg = jstr(d, "console");
      if (strcmp(jstr(d, "verdict"), "explained") != 0 || got == NULL ||
          strcmp(got, cors) != 0) {
        fprintf(stderr, "  %s %s: Chromium said %s, corsim %s (%s)\n", method, url,
                cors, got ? got : "null", jstr(d, "verdict"));
        bad++;
      }
      if (param && param[0] &&
          (jstr(d, "failed_parameter") == NULL ||
           strcmp(jstr(d, "failed_parameter"), param) != 0)) {
        fprintf(stderr, "  %s %s: Chromium's failedParameter '%s', corsim's '%s'\n",
                method, url, param,
                jstr(d, "failed_parameter") ? jstr(d, "failed_parameter") : "null");
        bad++;
      }
      if (!console_has(console, msg)) {
        fprintf(stderr, "  %s %s: corsim's console message is not one Chromium "
                        "printed:\n    %s\n", method, url, msg ? msg : "(none)");
        bad++;
      } else {
        consoles++;
      }
    } else {
      allowed++;
      if (strcmp(jstr(d, "verdict"), "agree") != 0 ||
          strcmp(jstr(d, "outcome"), "allowed") != 0) {
        fprintf(stderr, "  %s %s: Chromium allowed it, corsim: %s %s\n", method, url,
                jstr(d, "outcome") ? jstr(d, "outcome") : "-", jstr(d, "verdict"));
        bad++;
      }
    }
  }
  /* and every CORS message Chromium printed was produced by corsim */
  const cJSON *m;
  int printed = 0;
  cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(console, "console")) {
    const char *t = jstr(m, "text");
    if (t && strstr(t, "blocked by CORS policy")) printed++;
  }
  cJSON_Delete(console);
  cJSON_Delete(report);
  ASSERT_EQ_INT(bad, 0);
  ASSERT_TRUE(failed >= 6);
  ASSERT_TRUE(allowed >= 5);
  ASSERT_EQ_INT(consoles, printed);
}

/* Playwright's HAR: allowed entries allowed; refused ones have no answer
 * in the HAR, and the report says so instead of guessing. */
TEST(har_check_chromium_playwright) {
  char har[1024], con[1024];
  snprintf(har, sizeof har, "%s/chromium-playwright.har", dir_of_recording());
  snprintf(con, sizeof con, "%s/chromium.console.json", dir_of_recording());
  cJSON *console = load_json(con);
  cJSON *report = report_of(har, "CORSIM_HAR_PLAYWRIGHT_JSON");
  ASSERT_NOT_NULL(console);
  ASSERT_NOT_NULL(report);
  const cJSON *requests = cJSON_GetObjectItemCaseSensitive(report, "requests");
  ASSERT_EQ_INT(cJSON_GetArraySize(requests), count_api_requests(console));
  int bad = 0;
  const cJSON *r;
  cJSON_ArrayForEach(r, requests) {
    const char *method = jstr(r, "method"), *url = jstr(r, "url");
    const cJSON *n = network_for(console, method, url);
    const cJSON *d = first_decision(r);
    const char *cors = n ? jstr(n, "corsError") : NULL;
    const char *verdict = d ? jstr(d, "verdict") : NULL;
    const char *error = d ? jstr(d, "error") : NULL;
    bool ok = n && verdict &&
              (cors && cors[0] ? strcmp(verdict, "undecided") == 0 && error &&
                                     strstr(error, "Playwright") != NULL
                               : strcmp(verdict, "agree") == 0);
    if (!ok) {
      fprintf(stderr, "  %s %s: verdict %s (%s)\n", method, url,
              verdict ? verdict : "-", error ? error : "");
      bad++;
    }
  }
  cJSON_Delete(console);
  cJSON_Delete(report);
  ASSERT_EQ_INT(bad, 0);
}

/* The real Firefox HAR (a recording of its own, other ports): the entries
 * Firefox recorded as failed (status 0) are explained, nothing disagrees,
 * and each decision is the one Chromium reported for the same scenario
 * (none of these scenarios differs between the engines). */
TEST(har_check_firefox) {
  char har[1024], con[1024];
  snprintf(har, sizeof har, "%s/firefox.har", dir_of_recording());
  snprintf(con, sizeof con, "%s/chromium.console.json", dir_of_recording());
  if (access(har, R_OK) != 0) {
    fprintf(stderr, "  # no %s: skipped\n", har);
    return;
  }
  cJSON *console = load_json(con);
  const char *args[] = {har, "--format", "json", NULL};
  struct ran ran = run_har(args);
  cJSON *report = ran.out ? cJSON_Parse(ran.out) : NULL;
  ASSERT_EQ_INT(ran.code, 0);
  ran_release(&ran);
  ASSERT_NOT_NULL(console);
  ASSERT_NOT_NULL(report);
  ASSERT_STR_EQ(jstr(report, "primary"), "firefox");
  const cJSON *requests = cJSON_GetObjectItemCaseSensitive(report, "requests");
  ASSERT_EQ_INT(cJSON_GetArraySize(requests), count_api_requests(console));
  int bad = 0, explained = 0;
  const cJSON *r;
  cJSON_ArrayForEach(r, requests) {
    const char *method = jstr(r, "method"), *url = jstr(r, "url");
    const cJSON *n = network_for(console, method, url);
    const cJSON *d = first_decision(r);
    const cJSON *rec = cJSON_GetObjectItemCaseSensitive(r, "recorded");
    const char *verdict = d ? jstr(d, "verdict") : "";
    if (n == NULL || d == NULL || strcmp(verdict, "disagree") == 0 ||
        strcmp(verdict, "undecided") == 0) {
      fprintf(stderr, "  %s %s: %s\n", method, url, verdict);
      bad++;
      continue;
    }
    const char *cors = jstr(n, "corsError");
    const char *got = jstr(d, "cors_error");
    if (strcmp(jstr(rec, "outcome"), "failed") == 0) {
      explained += strcmp(verdict, "explained") == 0;
      if (strcmp(verdict, "explained") != 0) bad++;
    }
    bool same = cors && cors[0] ? got && strcmp(got, cors) == 0
                                : strcmp(jstr(d, "outcome"), "allowed") == 0;
    if (!same) {
      fprintf(stderr, "  %s %s: Chromium said '%s', corsim for Firefox '%s'\n",
              method, url, cors ? cors : "", got ? got : jstr(d, "outcome"));
      bad++;
    }
  }
  cJSON_Delete(console);
  cJSON_Delete(report);
  ASSERT_EQ_INT(bad, 0);
  /* the two refused preflights at least (how Firefox records the refused
   * redirect hop depends on timing) */
  if (explained < 2) fprintf(stderr, "  only %d failures explained\n", explained);
  ASSERT_TRUE(explained >= 2);
}

/* ---- messy HARs: valid JSON reports, never a crash -------------------------- */

TEST(har_messy_json_reports) {
  static const char *const names[] = {
      "cached-preflight", "disagree", "duplicates", "from-cache",
      "missing-fields", "no-origin", "non-http", "not-a-har", "not-json",
      "orphan-preflight", "redirects", "sanitized", "truncated", "unsorted",
      "websocket"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    char path[256];
    snprintf(path, sizeof path, MESSY "/%s.har", names[i]);
    const char *args[] = {path, "--format", "json", "--browser", "all", NULL};
    struct ran r = run_har(args);
    cJSON *j = r.out ? cJSON_Parse(r.out) : NULL;
    if (j == NULL) fprintf(stderr, "  %s: not JSON:\n%s\n", path, r.out ? r.out : "");
    bool has_summary = j && cJSON_GetObjectItemCaseSensitive(j, "summary");
    cJSON_Delete(j);
    int code = r.code;
    ran_release(&r);
    ASSERT_TRUE(has_summary);
    ASSERT_TRUE(code == 0 || code == 1 || code == 3);
  }
}

/* A truncated file: a located syntax error, and the entries before it. */
TEST(har_truncated_keeps_entries) {
  const char *args[] = {MESSY "/truncated.har", "--format", "json", NULL};
  struct ran r = run_har(args);
  cJSON *j = r.out ? cJSON_Parse(r.out) : NULL;
  ASSERT_EQ_INT(r.code, 3);
  ASSERT_NOT_NULL(r.err);
  ASSERT_NOT_NULL(strstr(r.err, "truncated.har:16:56: invalid JSON"));
  ran_release(&r);
  ASSERT_NOT_NULL(j);
  ASSERT_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "requests")), 2);
  const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "errors"), 0);
  ASSERT_EQ_INT(cJSON_GetObjectItemCaseSensitive(e, "line")->valueint, 16);
  cJSON_Delete(j);
}

/* ---- --save: the vector file runs and passes -------------------------------- */

static void check_saved(int *check_failed_, const char *har, const char *name) {
  char dir[] = "/tmp/corsim-test-har-save.XXXXXX";
  ASSERT_NOT_NULL(mkdtemp(dir));
  const char *args[] = {har, "--browser", "chromium", "--save", dir, NULL};
  struct ran r = run_har(args);
  ASSERT_EQ_INT(r.code, 0);
  ran_release(&r);
  char path[512];
  snprintf(path, sizeof path, "%s/%s.json", dir, name);
  struct vector_file vf;
  ASSERT_EQ_INT(vector_load_file(path, NULL, NULL, &vf), 0);
  size_t steps = 0;
  bool all_pass = vf.case_count == 1;
  for (size_t i = 0; i < vf.case_count; i++) {
    struct run_case rc;
    if (run_case(&vf, &vf.cases[i], vf.cases[i].profile, NULL, &rc) != 0) {
      all_pass = false;
      continue;
    }
    steps += rc.result.step_count;
    if (rc.result.status != RESULT_PASS) all_pass = false;
    run_case_release(&rc);
  }
  vector_file_release(&vf);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "  cannot remove %s\n", dir);
  ASSERT_TRUE(all_pass);
  ASSERT_TRUE(steps >= 5);
}

TEST(har_save_devtools_runs) {
  check_saved(check_failed_, RECORDED "/chromium-devtools.har", "chromium-devtools");
}

TEST(har_save_playwright_runs) {
  check_saved(check_failed_, RECORDED "/chromium-playwright.har", "chromium-playwright");
}

/* ---- the command line ------------------------------------------------------- */

TEST(har_usage_errors) {
  const char *none[] = {NULL};
  const char *bad_browser[] = {RECORDED "/firefox.har", "--browser", "chrome", NULL};
  const char *bad_format[] = {RECORDED "/firefox.har", "--format", "xml", NULL};
  const char *bad_origin[] = {RECORDED "/firefox.har", "--origin", "not a url", NULL};
  const char *missing[] = {"harness/tests/har/no-such.har", NULL};
  const char *help[] = {"--help", NULL};
  struct ran r = run_har(none);
  ASSERT_EQ_INT(r.code, 2);
  ASSERT_STR_EQ(r.err, "corsim: har needs a HAR file; try 'corsim har --help'\n");
  ran_release(&r);
  r = run_har(bad_browser);
  ASSERT_EQ_INT(r.code, 2);
  ran_release(&r);
  r = run_har(bad_format);
  ASSERT_EQ_INT(r.code, 2);
  ran_release(&r);
  r = run_har(bad_origin);
  ASSERT_EQ_INT(r.code, 2);
  ran_release(&r);
  r = run_har(missing);
  ASSERT_EQ_INT(r.code, 3);
  ASSERT_NOT_NULL(strstr(r.err, "cannot open 'harness/tests/har/no-such.har'"));
  ran_release(&r);
  r = run_har(help);
  ASSERT_EQ_INT(r.code, 0);
  ASSERT_TRUE(strncmp(r.out, "usage: corsim har", 17) == 0);
  ran_release(&r);
}

/* --origin overrides what the HAR says; --credentials include turns the
 * '*' answer into a refusal. */
TEST(har_origin_and_credentials_options) {
  const char *args[] = {MESSY "/no-origin.har", "--origin", "https://app.example",
                        "--format", "json", NULL};
  struct ran r = run_har(args);
  cJSON *j = r.out ? cJSON_Parse(r.out) : NULL;
  ran_release(&r);
  ASSERT_NOT_NULL(j);
  ASSERT_STR_EQ(jstr(j, "page_origin"), "https://app.example");
  ASSERT_STR_EQ(jstr(j, "page_origin_source"), "--origin");
  cJSON_Delete(j);
  const char *creds[] = {MESSY "/disagree.har", "--credentials", "include",
                         "--format", "json", NULL};
  r = run_har(creds);
  j = r.out ? cJSON_Parse(r.out) : NULL;
  ran_release(&r);
  ASSERT_NOT_NULL(j);
  const cJSON *star =
      cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "requests"), 1);
  ASSERT_STR_EQ(jstr(first_decision(star), "cors_error"), "WildcardOriginNotAllowed");
  ASSERT_STR_EQ(jstr(first_decision(star), "verdict"), "explained");
  cJSON_Delete(j);
}
