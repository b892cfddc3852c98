/* test_formats.c: unit tests of the JUnit, SARIF, Markdown and HTML
 * writers and of the SVG sequence diagram: each formats hand-built case
 * results into a memory stream, and the tests check the structure (the
 * SARIF parsed back with cJSON), the counts, the escaping of hostile bytes
 * from vectors and servers, and the caps. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../../harness/testing/check.h"
#include "../escape.h"
#include "../report.h"
#include "capture.h"
#include "../svg.h"

/* ---- fixtures ------------------------------------------------------------ */

struct pool {
  char *items[96];
  size_t count;
};

static char *S(struct pool *p, const char *s) {
  char *copy = strdup(s);
  if (copy != NULL && p->count < 96) p->items[p->count++] = copy;
  return copy;
}

static void pool_release(struct pool *p) {
  for (size_t i = 0; i < p->count; i++) free(p->items[i]);
  p->count = 0;
}

static const char *const tags_redirect[] = {"redirect", "origin"};
static const char *const spec_redirect[] = {"fetch#http-redirect-fetch",
                                            "fetch#concept-cors-check"};

/* Five cases of reports/x.json (pass, fail, case error, step error,
 * skip), a blocked-as-expected case, and a file that did not load. */
struct fixture {
  struct pool pool;
  struct corsim_request request;
  struct corsim_trace_entry trace[3];
  struct corsim_hop hops[2];
  struct corsim_owned_header preflight_headers[3];
  struct corsim_owned_header request_headers[3];
  char *exposed[1];
  struct corsim_decision allowed, redirected, refused;
  struct result_mismatch mismatches[2];
  struct step_result pass_steps[1], fail_steps[2], error_steps[1],
      refused_steps[1];
  struct case_result pass, fail, error, step_error, skip;
  struct file_error file_error;
};

static void fixture_init(struct fixture *f) {
  memset(f, 0, sizeof *f);
  struct pool *p = &f->pool;
  f->request = (struct corsim_request){.origin = "https://app.example",
                                       .url = "https://api.example/old",
                                       .method = "PUT"};
  f->trace[0] = (struct corsim_trace_entry){"fetch#main-fetch", "12",
                                            CORSIM_TRACE_INFO,
                                            S(p, "cross-origin, mode cors")};
  f->trace[1] = (struct corsim_trace_entry){
      "fetch#http-redirect-fetch", "14", CORSIM_TRACE_NOTE,
      S(p, "redirect to another origin: the Origin becomes 'null'")};
  f->trace[2] = (struct corsim_trace_entry){
      "fetch#concept-cors-check", "4", CORSIM_TRACE_FAIL,
      S(p, "Access-Control-Allow-Origin 'https://app.example' is not 'null'")};
  f->hops[0] = (struct corsim_hop){S(p, "PUT"), S(p, "https://api.example/old"),
                                   S(p, "https://app.example"), 302, true,
                                   true};
  f->hops[1] = (struct corsim_hop){S(p, "PUT"), S(p, "https://cdn.example/new"),
                                   S(p, "null"), 200, true, false};
  f->preflight_headers[0] = (struct corsim_owned_header){
      S(p, "Access-Control-Request-Method"), S(p, "PUT")};
  f->preflight_headers[1] = (struct corsim_owned_header){
      S(p, "Access-Control-Request-Headers"), S(p, "x-a,x-b")};
  f->preflight_headers[2] = (struct corsim_owned_header){S(p, "Origin"),
                                                         S(p, "https://app.example")};
  f->request_headers[0] = (struct corsim_owned_header){S(p, "Accept"),
                                                       S(p, "*/*")};
  f->request_headers[1] = (struct corsim_owned_header){S(p, "X-B"), S(p, "2")};
  f->request_headers[2] = (struct corsim_owned_header){S(p, "Origin"),
                                                       S(p, "null")};
  f->exposed[0] = S(p, "content-type");

  f->allowed.outcome = CORSIM_OUTCOME_ALLOWED;
  f->allowed.response_type = CORSIM_RESPONSE_CORS;
  f->allowed.status = 200;
  f->allowed.origin = S(p, "https://app.example");
  f->allowed.initial_url = S(p, "https://api.example/old");
  f->allowed.has_request = true;
  f->allowed.request_headers = f->request_headers;
  f->allowed.request_header_count = 1;
  f->allowed.exposed_headers = f->exposed;
  f->allowed.exposed_header_count = 1;
  f->allowed.hops = f->hops;
  f->allowed.hop_count = 1;
  f->allowed.trace = f->trace;
  f->allowed.trace_count = 1;

  f->redirected = f->allowed;
  f->redirected.outcome = CORSIM_OUTCOME_BLOCKED;
  f->redirected.blocked_reason = CORSIM_BLOCKED_CORS;
  f->redirected.cors_error = CORSIM_CORS_ERROR_ALLOW_ORIGIN_MISMATCH;
  f->redirected.failed_parameter = S(p, "x-b");
  f->redirected.response_type = CORSIM_RESPONSE_ERROR;
  f->redirected.status = 0;
  f->redirected.preflight = CORSIM_PREFLIGHT_SENT;
  f->redirected.has_preflight_request = true;
  f->redirected.preflight_request_headers = f->preflight_headers;
  f->redirected.preflight_request_header_count = 3;
  f->redirected.request_header_count = 3;
  f->redirected.hop_count = 2;
  f->redirected.trace_count = 3;

  f->refused = f->allowed;
  f->refused.outcome = CORSIM_OUTCOME_BLOCKED;
  f->refused.blocked_reason = CORSIM_BLOCKED_CORS;
  f->refused.cors_error = CORSIM_CORS_ERROR_MISSING_ALLOW_ORIGIN_HEADER;
  f->refused.status = 0;
  f->refused.hops = f->hops + 1;

  f->mismatches[0] = (struct result_mismatch){
      "request_headers.Origin", S(p, "\"https://app.example\""),
      S(p, "\"null\"")};
  f->mismatches[1] = (struct result_mismatch){
      "outcome", S(p, "\"allowed\""), S(p, "\"blocked\"")};

  f->pass_steps[0] = (struct step_result){.index = 0,
                                          .status = RESULT_PASS,
                                          .request = &f->request,
                                          .decision = &f->allowed};
  f->pass = (struct case_result){.file = "reports/x.json",
                                 .suite = "writers",
                                 .case_id = "simple-get",
                                 .title = "a simple GET is allowed",
                                 .browser = "fetch",
                                 .line = 5,
                                 .column = 5,
                                 .status = RESULT_PASS,
                                 .steps = f->pass_steps,
                                 .step_count = 1};

  f->fail_steps[0] = f->pass_steps[0];
  f->fail_steps[1] = (struct step_result){
      .index = 1,
      .status = RESULT_FAIL,
      .at = 300,
      .request = &f->request,
      .decision = &f->redirected,
      .mismatches = f->mismatches,
      .mismatch_count = 2,
      .console = "Access to fetch at 'https://cdn.example/new' has been "
                 "blocked by CORS policy"};
  f->fail = f->pass;
  f->fail.case_id = "redirect-origin";
  f->fail.title = "the Origin after a cross-origin redirect";
  f->fail.browser = "chromium";
  f->fail.tags = tags_redirect;
  f->fail.tag_count = 2;
  f->fail.spec = spec_redirect;
  f->fail.spec_count = 2;
  f->fail.line = 20;
  f->fail.column = 7;
  f->fail.status = RESULT_FAIL;
  f->fail.steps = f->fail_steps;
  f->fail.step_count = 2;

  f->error = f->pass;
  f->error.case_id = "broken";
  f->error.title = "";
  f->error.status = RESULT_ERROR;
  f->error.error = "reports/x.json:31:7: unknown field 'expcet' at cases[2]";
  f->error.line = 30;
  f->error.steps = NULL;
  f->error.step_count = 0;

  f->error_steps[0] = (struct step_result){
      .index = 0,
      .status = RESULT_ERROR,
      .request = &f->request,
      .error = "no captured response answers the preflight OPTIONS "
               "https://api.example/old"};
  f->step_error = f->pass;
  f->step_error.case_id = "no-answer";
  f->step_error.line = 40;
  f->step_error.status = RESULT_ERROR;
  f->step_error.steps = f->error_steps;
  f->step_error.step_count = 1;

  f->skip = f->pass;
  f->skip.case_id = "later";
  f->skip.line = 50;
  f->skip.status = RESULT_SKIP;
  f->skip.skip_reason = "not modelled yet";
  f->skip.steps = NULL;
  f->skip.step_count = 0;

  f->refused_steps[0] = (struct step_result){
      .index = 0,
      .status = RESULT_PASS,
      .request = &f->request,
      .decision = &f->refused,
      .console = "No 'Access-Control-Allow-Origin' header is present"};

  f->file_error = (struct file_error){"reports/bad.json", 3, 5,
                                      "expected ',' or '}'"};
}

/* The refused case shares the pass case's fields; built apart because
 * struct copies would alias the decision. */
static struct case_result refused_case(struct fixture *f) {
  struct case_result c = f->pass;
  c.case_id = "missing-acao";
  c.title = "no Access-Control-Allow-Origin: refused";
  c.line = 60;
  c.steps = f->refused_steps;
  c.step_count = 1;
  return c;
}

static void fixture_release(struct fixture *f) { pool_release(&f->pool); }

static const struct run_info fixture_info = {"0.1.0-test", "run", true};

static struct run_summary fixture_summary(void) {
  struct run_summary s = {0};
  s.cases = 6;
  s.passed = 2;
  s.failed = 1;
  s.errors = 2;
  s.skipped = 1;
  s.steps = 6;
  s.files = 2;
  s.file_errors = 1;
  s.seconds = 0.21;
  return s;
}

/* Runs the whole fixture through the capture's writer. */
static int run_all(struct capture *c, struct fixture *f) {
  const struct report_writer *w = c->r.writer;
  struct run_summary s = fixture_summary();
  struct case_result refused = refused_case(f);
  if (w->begin(&c->r, &fixture_info) != 0) return -1;
  if (w->write_case(&c->r, &f->pass) != 0) return -1;
  if (w->write_case(&c->r, &f->fail) != 0) return -1;
  if (w->write_case(&c->r, &f->error) != 0) return -1;
  if (w->write_case(&c->r, &f->step_error) != 0) return -1;
  if (w->write_case(&c->r, &f->skip) != 0) return -1;
  if (w->write_case(&c->r, &refused) != 0) return -1;
  if (w->write_file_error(&c->r, &f->file_error) != 0) return -1;
  return w->end(&c->r, &s);
}

/* Runs the fixture through `writer` into `*text` (NULL on failure). */
static char *format_all(const char *writer, bool verbose, struct fixture *f) {
  struct capture c;
  if (capture_open(&c, writer) != 0) return NULL;
  c.r.verbose = verbose;
  int rc = run_all(&c, f);
  capture_close(&c);
  if (rc != 0) {
    free(c.text);
    return NULL;
  }
  return c.text;
}

static size_t count(const char *text, const char *needle) {
  size_t n = 0, len = strlen(needle);
  for (const char *p = strstr(text, needle); p != NULL; p = strstr(p + len, needle))
    n++;
  return n;
}

/* The line of `text` that contains `needle`, copied; NULL when none. */
static char *line_with(const char *text, const char *needle) {
  const char *hit = strstr(text, needle);
  if (hit == NULL) return NULL;
  const char *start = hit;
  while (start > text && start[-1] != '\n') start--;
  const char *end = strchr(hit, '\n');
  size_t len = end != NULL ? (size_t)(end - start) : strlen(start);
  char *line = malloc(len + 1);
  if (line != NULL) {
    memcpy(line, start, len);
    line[len] = '\0';
  }
  return line;
}

static bool valid_utf8(const char *s, size_t len) {
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)s[i] >= 0x80) {
      unsigned long cp;
      size_t n = escape_utf8_decode((const unsigned char *)s + i, len - i, &cp);
      if (n == 0) return false;
      i += n - 1;
    }
  return true;
}

/* No control byte but TAB and LF. */
static bool no_control_bytes(const char *s, size_t len) {
  for (size_t i = 0; i < len; i++) {
    unsigned char ch = (unsigned char)s[i];
    if ((ch < 0x20 && ch != '\t' && ch != '\n') || ch == 0x7f) return false;
  }
  return true;
}

/* Markup well-formed enough for a test: every `<` opens a tag, a comment
 * or a declaration, every `&` starts an entity. An XML parser reads the
 * whole file in t_formats.sh. */
static const char *first_bad_markup(const char *s) {
  for (const char *p = s; *p; p++) {
    if (*p == '<') {
      char n = p[1];
      if (!((n >= 'a' && n <= 'z') || n == '/' || n == '?' || n == '!'))
        return p;
    } else if (*p == '&') {
      static const char *const entities[] = {"&amp;", "&lt;", "&gt;",
                                             "&quot;", "&apos;", "&#"};
      bool known = false;
      for (size_t i = 0; i < 6 && !known; i++)
        known = strncmp(p, entities[i], strlen(entities[i])) == 0;
      if (!known) return p;
    }
  }
  return NULL;
}

/* Hostile bytes everywhere a vector or a server can put them. */
static void make_hostile(struct fixture *f) {
  f->fail.case_id = "id|`x`\n<b>&\"'\x01\x1b]]>";
  f->fail.title = "<img src=x onerror=alert(1) id=pwned> \xff\xfe \xef\xbf\xbe";
  f->fail_steps[1].console = "</pre></details><script>alert(1)</script>\x07";
  f->mismatches[0].observed = S(&f->pool, "\"v\xff\x02</system-out>\"");
  f->trace[2].text = S(&f->pool, "]]><!-- \xc2\x85 \xe2\x80\xae");
  f->hops[1].origin_sent = S(&f->pool, "<script>\x1b[2J");
}

/* ---- JUnit ----------------------------------------------------------------- */

TEST(junit_one_testsuite_per_file_with_counts) {
  struct fixture f;
  fixture_init(&f);
  char *t = format_all("junit", false, &f);
  ASSERT_NOT_NULL(t);
  ASSERT_TRUE(strncmp(t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39) == 0);
  ASSERT_NOT_NULL(strstr(t, "\n<testsuites name=\"corsim\">\n"));
  ASSERT_NOT_NULL(strstr(t, "\n  <testsuite name=\"reports/x.json\" tests=\"6\" "
                            "failures=\"1\" errors=\"2\" skipped=\"1\">\n"
                            "    <properties>\n"
                            "      <property name=\"suite\" value=\"writers\"/>\n"
                            "    </properties>\n"));
  ASSERT_NOT_NULL(strstr(t, "\n  <testsuite name=\"reports/bad.json\" tests=\"1\" "
                            "failures=\"0\" errors=\"1\" skipped=\"0\">\n"));
  ASSERT_EQ_INT(count(t, "<testcase "), 7);
  ASSERT_EQ_INT(count(t, "</testcase>"), 7);
  ASSERT_EQ_INT(count(t, "<testsuite "), 2);
  ASSERT_EQ_INT(count(t, "</testsuite>"), 2);
  size_t len = strlen(t);
  ASSERT_TRUE(len > 14 && strcmp(t + len - 14, "</testsuites>\n") == 0);
  free(t);
  fixture_release(&f);
}

TEST(junit_testcase_names_properties_and_failure) {
  struct fixture f;
  fixture_init(&f);
  char *t = format_all("junit", false, &f);
  ASSERT_NOT_NULL(t);
  ASSERT_NOT_NULL(strstr(t,
      "    <testcase classname=\"reports.x\" name=\"redirect-origin "
      "[chromium]\" time=\"0\" file=\"reports/x.json\" line=\"20\">\n"
      "      <properties>\n"
      "        <property name=\"browser\" value=\"chromium\"/>\n"
      "        <property name=\"spec\" value=\"fetch#http-redirect-fetch "
      "fetch#concept-cors-check\"/>\n"
      "        <property name=\"tags\" value=\"redirect origin\"/>\n"
      "        <property name=\"title\" value=\"the Origin after a "
      "cross-origin redirect\"/>\n"
      "      </properties>\n"
      "      <failure message=\"step 1: request_headers.Origin: expected "
      "&quot;https://app.example&quot;, observed &quot;null&quot; (and 1 "
      "more difference)\" type=\"mismatch\">step 1 (at 300 s): fail\n"
      "  decision: outcome blocked, cors_error AllowOriginMismatch, "
      "failed_parameter &apos;x-b&apos;, preflight sent, status 0\n"
      "  request_headers.Origin: expected &quot;https://app.example&quot;, "
      "observed &quot;null&quot;\n"
      "  outcome: expected &quot;allowed&quot;, observed &quot;blocked&quot;\n"
      "  console: Access to fetch at "));
  ASSERT_NOT_NULL(strstr(t, "  redirect chain:\n"
                            "    0  PUT https://api.example/old -&gt; 302  "
                            "Origin: https://app.example\n"));
  ASSERT_NOT_NULL(strstr(t, "  trace:\n"
                            "     1  info  fetch#main-fetch step 12           "
                            "cross-origin, mode cors\n"));
  ASSERT_NOT_NULL(strstr(t, "</failure>\n      <system-out>step 1: Access to "
                            "fetch at &apos;https://cdn.example/new&apos; has "
                            "been blocked by CORS policy\n</system-out>\n"));
  /* the passing step 0 of the failing case is not in the failure text */
  ASSERT_NULL(strstr(t, "step 0 (at 0 s): pass"));
  /* the default browser is not in the name; no properties left empty */
  ASSERT_NOT_NULL(strstr(t, "name=\"simple-get\" time=\"0\""));
  ASSERT_NULL(strstr(t, "value=\"\""));
  free(t);
  fixture_release(&f);
}

TEST(junit_errors_skips_and_file_errors) {
  struct fixture f;
  fixture_init(&f);
  char *t = format_all("junit", false, &f);
  ASSERT_NOT_NULL(t);
  ASSERT_NOT_NULL(strstr(t, "      <error message=\"reports/x.json:31:7: unknown "
                            "field &apos;expcet&apos; at cases[2]\" "
                            "type=\"vector-error\">reports/x.json:31:7: "
                            "unknown field &apos;expcet&apos; at cases[2]"
                            "</error>\n"));
  ASSERT_NOT_NULL(strstr(t, "      <error message=\"step 0: no captured response "
                            "answers the preflight OPTIONS "
                            "https://api.example/old\" type=\"vector-error\">"
                            "step 0: error\n  error: no captured response"));
  ASSERT_NOT_NULL(strstr(t, "name=\"later\" time=\"0\" file=\"reports/x.json\" "
                            "line=\"50\">\n"));
  ASSERT_NOT_NULL(strstr(t, "      <skipped message=\"not modelled yet\"/>\n"));
  ASSERT_NOT_NULL(strstr(t, "    <testcase classname=\"reports.bad\" "
                            "name=\"(load)\" time=\"0\" "
                            "file=\"reports/bad.json\" line=\"3\">\n"
                            "      <error message=\"expected &apos;,&apos; or "
                            "&apos;}&apos;\" type=\"vector-error\">"
                            "reports/bad.json:3:5: expected &apos;,&apos; or "
                            "&apos;}&apos;</error>\n"));
  /* the refusal that passed: its console message, no failure */
  char *line = line_with(t, "name=\"missing-acao\"");
  ASSERT_NOT_NULL(line);
  free(line);
  ASSERT_NOT_NULL(strstr(t, "<system-out>No &apos;Access-Control-Allow-Origin"
                            "&apos; header is present\n</system-out>"));
  ASSERT_EQ_INT(count(t, "<failure "), 1);
  ASSERT_EQ_INT(count(t, "<error "), 3);
  ASSERT_EQ_INT(count(t, "<skipped"), 1);
  free(t);
  fixture_release(&f);
}

TEST(junit_a_new_file_starts_a_new_testsuite) {
  struct fixture f;
  fixture_init(&f);
  struct capture c;
  ASSERT_EQ_INT(capture_open(&c, "junit"), 0);
  const struct report_writer *w = c.r.writer;
  struct case_result other = f.fail;
  other.file = "./vectors/y/z.json";
  other.suite = NULL;
  struct run_summary s = {0};
  ASSERT_EQ_INT(w->begin(&c.r, &fixture_info), 0);
  ASSERT_EQ_INT(w->write_case(&c.r, &f.pass), 0);
  ASSERT_EQ_INT(w->write_case(&c.r, &f.skip), 0);
  ASSERT_EQ_INT(w->write_case(&c.r, &other), 0);
  ASSERT_EQ_INT(w->end(&c.r, &s), 0);
  capture_close(&c);
  const char *first = strstr(c.text, "<testsuite name=\"reports/x.json\" tests=\"2\" "
                                     "failures=\"0\" errors=\"0\" skipped=\"1\">");
  const char *second = strstr(c.text, "<testsuite name=\"./vectors/y/z.json\" "
                                      "tests=\"1\" failures=\"1\" errors=\"0\" "
                                      "skipped=\"0\">\n    <testcase "
                                      "classname=\"vectors.y.z\"");
  ASSERT_NOT_NULL(first);
  ASSERT_NOT_NULL(second);
  ASSERT_TRUE(first < second);
  free(c.text);
  fixture_release(&f);
}

TEST(junit_times_unless_deterministic) {
  struct fixture f;
  fixture_init(&f);
  struct capture c;
  ASSERT_EQ_INT(capture_open(&c, "junit"), 0);
  c.r.deterministic = false;
  f.pass.seconds = 0.25;
  f.fail.seconds = 0.002;
  struct run_summary s = {0};
  ASSERT_EQ_INT(c.r.writer->begin(&c.r, &fixture_info), 0);
  ASSERT_EQ_INT(c.r.writer->write_case(&c.r, &f.pass), 0);
  ASSERT_EQ_INT(c.r.writer->write_case(&c.r, &f.fail), 0);
  ASSERT_EQ_INT(c.r.writer->end(&c.r, &s), 0);
  capture_close(&c);
  ASSERT_NOT_NULL(strstr(c.text, "skipped=\"0\" time=\"0.252\">\n"));
  ASSERT_NOT_NULL(strstr(c.text, "name=\"simple-get\" time=\"0.250\""));
  ASSERT_NOT_NULL(strstr(c.text, "name=\"redirect-origin [chromium]\" "
                                 "time=\"0.002\""));
  free(c.text);

  /* deterministic: testcase time 0, no testsuite time */
  char *t = format_all("junit", false, &f);
  ASSERT_NOT_NULL(t);
  ASSERT_NULL(strstr(t, "time=\"0.2"));
  ASSERT_NOT_NULL(strstr(t, "name=\"simple-get\" time=\"0\""));
  ASSERT_NULL(strstr(t, "skipped=\"1\" time="));
  free(t);
  fixture_release(&f);
}

TEST(junit_hostile_bytes_keep_the_xml_well_formed) {
  struct fixture f;
  fixture_init(&f);
  make_hostile(&f);
  char *t = format_all("junit", false, &f);
  ASSERT_NOT_NULL(t);
  size_t len = strlen(t);
  ASSERT_TRUE(no_control_bytes(t, len));
  ASSERT_TRUE(valid_utf8(t, len));
  const char *bad = first_bad_markup(t);
  if (bad != NULL) CHECK_FAIL_("bad markup at: %.40s", bad);
  ASSERT_NULL(strstr(t, "]]>"));
  ASSERT_NULL(strstr(t, "<script>"));
  ASSERT_NULL(strstr(t, "<b>"));
  ASSERT_NOT_NULL(strstr(t, "name=\"id|`x`&#10;&lt;b&gt;&amp;&quot;&apos;"
                            "\\x01\\x1b]]&gt; [chromium]\""));
  ASSERT_NOT_NULL(strstr(t, "\\xff\\xfe \\u{fffe}"));
  ASSERT_NOT_NULL(strstr(t, "observed &quot;v\\xff\\x02&lt;/system-out&gt;"
                            "&quot;"));
  ASSERT_EQ_INT(count(t, "<system-out>"), count(t, "</system-out>"));
  ASSERT_EQ_INT(count(t, "<testcase "), 7);
  free(t);
  fixture_release(&f);
}

TEST(junit_empty_run) {
  struct capture c;
  ASSERT_EQ_INT(capture_open(&c, "junit"), 0);
  struct run_summary s = {0};
  ASSERT_EQ_INT(c.r.writer->begin(&c.r, NULL), 0);
  ASSERT_EQ_INT(c.r.writer->end(&c.r, &s), 0);
  capture_close(&c);
  ASSERT_NOT_NULL(strstr(c.text, "<!-- corsim " CORSIM_VERSION ": "));
  ASSERT_NOT_NULL(strstr(c.text, "\n<testsuites name=\"corsim\">\n"
                                 "</testsuites>\n"));
  free(c.text);
}

/* ---- SARIF ----------------------------------------------------------------- */

static const cJSON *get(const cJSON *o, const char *key) {
  return cJSON_GetObjectItemCaseSensitive(o, key);
}

static const char *str(const cJSON *o, const char *key) {
  const cJSON *v = get(o, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

TEST(sarif_document_rules_and_results) {
  struct fixture f;
  fixture_init(&f);
  char *t = format_all("sarif", false, &f);
  ASSERT_NOT_NULL(t);
  cJSON *doc = cJSON_Parse(t);
  ASSERT_NOT_NULL(doc);
  ASSERT_STR_EQ(str(doc, "$schema"), "https://json.schemastore.org/sarif-2.1.0.json");
  ASSERT_STR_EQ(str(doc, "version"), "2.1.0");
  ASSERT_EQ_INT(cJSON_GetArraySize(get(doc, "runs")), 1);
  const cJSON *run = cJSON_GetArrayItem(get(doc, "runs"), 0);
  const cJSON *driver = get(get(run, "tool"), "driver");
  ASSERT_STR_EQ(str(driver, "name"), "corsim");
  ASSERT_STR_EQ(str(driver, "version"), "0.1.0-test");
  ASSERT_TRUE(strncmp(str(driver, "informationUri"), "https://", 8) == 0);
  const cJSON *rules = get(driver, "rules");
  /* the two fixed rules, then the refusals in the order seen */
  ASSERT_EQ_INT(cJSON_GetArraySize(rules), 4);
  ASSERT_STR_EQ(str(cJSON_GetArrayItem(rules, 0), "id"), "CORSIM-MISMATCH");
  ASSERT_STR_EQ(str(cJSON_GetArrayItem(rules, 1), "id"), "CORSIM-VECTOR-ERROR");
  ASSERT_STR_EQ(str(cJSON_GetArrayItem(rules, 2), "id"), "CORS/AllowOriginMismatch");
  ASSERT_STR_EQ(str(cJSON_GetArrayItem(rules, 3), "id"),
                "CORS/MissingAllowOriginHeader");
  const cJSON *rule;
  cJSON_ArrayForEach(rule, rules) {
    ASSERT_NOT_NULL(str(get(rule, "shortDescription"), "text"));
    ASSERT_NOT_NULL(str(get(rule, "fullDescription"), "text"));
    ASSERT_NOT_NULL(str(get(rule, "help"), "text"));
    ASSERT_NOT_NULL(str(get(rule, "defaultConfiguration"), "level"));
    /* the security hook: no rule is a security problem for now */
    ASSERT_NULL(get(get(rule, "properties"), "security-severity"));
  }
  const cJSON *acao = cJSON_GetArrayItem(rules, 3);
  ASSERT_STR_EQ(str(acao, "name"), "MissingAllowOriginHeader");
  ASSERT_STR_EQ(str(acao, "helpUri"), "https://fetch.spec.whatwg.org/#concept-cors-check");
  ASSERT_NOT_NULL(strstr(str(get(acao, "help"), "text"), "What to change: send "
                                                         "Access-Control-Allow-Origin"));
  ASSERT_STR_EQ(str(get(acao, "defaultConfiguration"), "level"), "note");

  /* fail, case error, step error, file error; not the pass, skip or the
   * expected refusal */
  const cJSON *results = get(run, "results");
  ASSERT_EQ_INT(cJSON_GetArraySize(results), 4);
  const cJSON *res;
  cJSON_ArrayForEach(res, results) {
    ASSERT_STR_EQ(str(res, "level"), "error");
    int index = get(res, "ruleIndex")->valueint;
    ASSERT_STR_EQ(str(cJSON_GetArrayItem(rules, index), "id"), str(res, "ruleId"));
  }
  const cJSON *fail = cJSON_GetArrayItem(results, 0);
  ASSERT_STR_EQ(str(fail, "ruleId"), "CORSIM-MISMATCH");
  ASSERT_STR_EQ(str(get(fail, "message"), "text"),
                "'redirect-origin [chromium]' does not hold:\n"
                "step 1: request_headers.Origin: expected \"https://app.example\", "
                "observed \"null\"\n"
                "step 1: outcome: expected \"allowed\", observed \"blocked\"\n"
                "step 1: the browser refused with AllowOriginMismatch: "
                "Access-Control-Allow-Origin names another origin than the "
                "page's (compared byte for byte: scheme, host, port, no "
                "trailing slash); fix: send the page's exact serialized origin "
                "in Access-Control-Allow-Origin (add it to the allowed list)");
  const cJSON *phys = get(cJSON_GetArrayItem(get(fail, "locations"), 0),
                          "physicalLocation");
  ASSERT_STR_EQ(str(get(phys, "artifactLocation"), "uri"), "reports/x.json");
  ASSERT_EQ_INT(get(get(phys, "region"), "startLine")->valueint, 20);
  ASSERT_EQ_INT(get(get(phys, "region"), "startColumn")->valueint, 7);
  ASSERT_STR_EQ(str(get(fail, "partialFingerprints"), "corsimCase/v1"),
                "reports/x.json#redirect-origin@chromium");
  const cJSON *props = get(fail, "properties");
  ASSERT_STR_EQ(str(props, "case"), "redirect-origin");
  ASSERT_STR_EQ(str(props, "browser"), "chromium");
  ASSERT_STR_EQ(str(props, "corsError"), "AllowOriginMismatch");
  ASSERT_EQ_INT(cJSON_GetArraySize(get(props, "tags")), 2);

  const cJSON *err = cJSON_GetArrayItem(results, 1);
  ASSERT_STR_EQ(str(err, "ruleId"), "CORSIM-VECTOR-ERROR");
  ASSERT_STR_EQ(str(get(err, "message"), "text"),
                "'broken' could not run: reports/x.json:31:7: unknown field "
                "'expcet' at cases[2]");
  ASSERT_NULL(get(get(err, "properties"), "title")); /* empty: left out */
  const cJSON *fe = cJSON_GetArrayItem(results, 3);
  ASSERT_STR_EQ(str(get(fe, "message"), "text"),
                "'reports/bad.json' could not be loaded: expected ',' or '}'");
  phys = get(cJSON_GetArrayItem(get(fe, "locations"), 0), "physicalLocation");
  ASSERT_STR_EQ(str(get(phys, "artifactLocation"), "uri"), "reports/bad.json");
  ASSERT_EQ_INT(get(get(phys, "region"), "startLine")->valueint, 3);
  cJSON_Delete(doc);
  free(t);
  fixture_release(&f);
}

TEST(sarif_verbose_reports_expected_refusals_as_notes) {
  struct fixture f;
  fixture_init(&f);
  char *t = format_all("sarif", true, &f);
  ASSERT_NOT_NULL(t);
  cJSON *doc = cJSON_Parse(t);
  ASSERT_NOT_NULL(doc);
  const cJSON *run = cJSON_GetArrayItem(get(doc, "runs"), 0);
  const cJSON *results = get(run, "results");
  ASSERT_EQ_INT(cJSON_GetArraySize(results), 5);
  const cJSON *note = cJSON_GetArrayItem(results, 3);
  ASSERT_STR_EQ(str(note, "ruleId"), "CORS/MissingAllowOriginHeader");
  ASSERT_EQ_INT(get(note, "ruleIndex")->valueint, 3);
  ASSERT_STR_EQ(str(note, "level"), "note");
  static const char want[] = "'missing-acao': refused with "
                              "MissingAllowOriginHeader, as expected: the "
                              "response has no";
  ASSERT_TRUE(strncmp(str(get(note, "message"), "text"), want,
                      sizeof want - 1) == 0);
  cJSON_Delete(doc);
  free(t);
  fixture_release(&f);
}

TEST(sarif_uris_are_percent_encoded) {
  struct fixture f;
  fixture_init(&f);
  struct capture c;
  ASSERT_EQ_INT(capture_open(&c, "sarif"), 0);
  struct case_result rel = f.fail, abs = f.fail;
  rel.file = "my dir/\xc3\xa4:x#1.json";
  abs.file = "/tmp/a b%.json";
  struct file_error nowhere = {NULL, 0, 0, NULL};
  struct run_summary s = {0};
  ASSERT_EQ_INT(c.r.writer->begin(&c.r, &fixture_info), 0);
  ASSERT_EQ_INT(c.r.writer->write_case(&c.r, &rel), 0);
  ASSERT_EQ_INT(c.r.writer->write_case(&c.r, &abs), 0);
  ASSERT_EQ_INT(c.r.writer->write_file_error(&c.r, &nowhere), 0);
  ASSERT_EQ_INT(c.r.writer->end(&c.r, &s), 0);
  capture_close(&c);
  ASSERT_NOT_NULL(strstr(c.text, "\"uri\":\"my%20dir/%C3%A4%3Ax%231.json\""));
  ASSERT_NOT_NULL(strstr(c.text, "\"uri\":\"file:///tmp/a%20b%25.json\""));
  cJSON *doc = cJSON_Parse(c.text);
  ASSERT_NOT_NULL(doc);
  const cJSON *results = get(cJSON_GetArrayItem(get(doc, "runs"), 0), "results");
  const cJSON *fe = cJSON_GetArrayItem(results, 2);
  const cJSON *phys = get(cJSON_GetArrayItem(get(fe, "locations"), 0),
                          "physicalLocation");
  ASSERT_STR_EQ(str(get(phys, "artifactLocation"), "uri"), "-");
  ASSERT_NULL(get(phys, "region")); /* no line: no region */
  cJSON_Delete(doc);
  free(c.text);
  fixture_release(&f);
}

TEST(sarif_hostile_bytes_stay_valid_json) {
  struct fixture f;
  fixture_init(&f);
  make_hostile(&f);
  char *t = format_all("sarif", true, &f);
  ASSERT_NOT_NULL(t);
  size_t len = strlen(t);
  ASSERT_TRUE(valid_utf8(t, len));
  ASSERT_TRUE(no_control_bytes(t, len));
  ASSERT_NULL(strstr(t, "\xe2\x80\xae")); /* bidi override as \u202e */
  cJSON *doc = cJSON_Parse(t);
  ASSERT_NOT_NULL(doc);
  const cJSON *fail = cJSON_GetArrayItem(
      get(cJSON_GetArrayItem(get(doc, "runs"), 0), "results"), 0);
  ASSERT_STR_EQ(str(get(fail, "properties"), "case"),
                "id|`x`\n<b>&\"'\x01\x1b]]>");
  ASSERT_NOT_NULL(strstr(str(get(fail, "message"), "text"),
                         "observed \"v\\xff\x02</system-out>\""));
  cJSON_Delete(doc);
  free(t);
  fixture_release(&f);
}

TEST(sarif_empty_run_is_valid) {
  struct capture c;
  ASSERT_EQ_INT(capture_open(&c, "sarif"), 0);
  struct run_summary s = {0};
  ASSERT_EQ_INT(c.r.writer->begin(&c.r, NULL), 0);
  ASSERT_EQ_INT(c.r.writer->end(&c.r, &s), 0);
  capture_close(&c);
  cJSON *doc = cJSON_Parse(c.text);
  ASSERT_NOT_NULL(doc);
  const cJSON *run = cJSON_GetArrayItem(get(doc, "runs"), 0);
  ASSERT_EQ_INT(cJSON_GetArraySize(get(run, "results")), 0);
  ASSERT_EQ_INT(cJSON_GetArraySize(get(get(get(run, "tool"), "driver"), "rules")), 2);
  ASSERT_STR_EQ(str(get(get(run, "tool"), "driver"), "version"), CORSIM_VERSION);
  cJSON_Delete(doc);
  free(c.text);
}

/* ---- Markdown -------------------------------------------------------------- */

TEST(markdown_counts_table_and_details) {
  struct fixture f;
  fixture_init(&f);
  char *t = format_all("markdown", false, &f);
  ASSERT_NOT_NULL(t);
  ASSERT_TRUE(strncmp(t, "## corsim report\n\n| cases | ", 28) == 0);
  ASSERT_NOT_NULL(strstr(t, "\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
                            "| 6 | 2 | 1 | 2 | 1 | 2 | 1 |\n\n"));
  ASSERT_NULL(strstr(t, "Ran in")); /* deterministic */
  ASSERT_NOT_NULL(strstr(t, "\n### Not passed\n\n| | file | case | browser | what "
                            "differs |\n| :-- | :-- | :-- | :-- | :-- |\n"));
  ASSERT_NOT_NULL(strstr(t, "| \xe2\x9d\x8c fail | reports/x.json:20 | "
                            "redirect-origin | chromium | step 1: "
                            "request\\_headers.Origin: expected "
                            "\"https://app.example\", observed \"null\"<br>"
                            "step 1: outcome: expected \"allowed\", observed "
                            "\"blocked\" |\n"));
  ASSERT_NOT_NULL(strstr(t, "| \xe2\x9a\xa0\xef\xb8\x8f error | reports/x.json:40 | "
                            "no-answer | fetch | step 0: no captured response"));
  ASSERT_NOT_NULL(strstr(t, "| \xe2\x9a\xa0\xef\xb8\x8f error | reports/bad.json:3 "
                            "| (file not loaded) | | expected ',' or '}' |\n"));
  /* rows: fail, two errors, the file error */
  ASSERT_EQ_INT(count(t, "\n| \xe2"), 4);
  ASSERT_EQ_INT(count(t, "<details>"), 3);
  ASSERT_EQ_INT(count(t, "</details>"), 3);
  ASSERT_NOT_NULL(strstr(t, "<details><summary>\xe2\x9d\x8c redirect-origin "
                            "[chromium] (reports/x.json:20)</summary>\n\n"
                            "**the Origin after a cross-origin redirect**\n\n"
                            "spec: [fetch#http-redirect-fetch](https://fetch."
                            "spec.whatwg.org/#http-redirect-fetch), "
                            "[fetch#concept-cors-check](https://fetch.spec."
                            "whatwg.org/#concept-cors-check)\n\n<pre>\n"
                            "step 1 (at 300 s): fail\n"));
  ASSERT_NOT_NULL(strstr(t, "</pre>\n\n</details>\n\n"));
  ASSERT_NULL(strstr(t, "simple-get")); /* passing cases are counted only */
  free(t);
  fixture_release(&f);
}

TEST(markdown_escapes_cells_and_blocks) {
  struct fixture f;
  fixture_init(&f);
  make_hostile(&f);
  static const char *const spec[] = {"javascript:alert(1)", "fetch#a)b"};
  f.fail.spec = spec;
  f.fail.spec_count = 2;
  char *t = format_all("markdown", false, &f);
  ASSERT_NOT_NULL(t);
  ASSERT_TRUE(valid_utf8(t, strlen(t)));
  ASSERT_TRUE(no_control_bytes(t, strlen(t)));
  char *row = line_with(t, "\xe2\x9d\x8c fail |");
  ASSERT_NOT_NULL(row);
  /* the id: | ` newline < & escaped, control bytes as \xNN */
  ASSERT_NOT_NULL(strstr(row, " | id\\|\\`x\\`\\x0a&lt;b&gt;&amp;\"'\\x01\\x1b\\]\\]&gt; | "));
  /* six cell borders, every other | escaped */
  size_t bars = 0;
  for (const char *p = row; *p; p++)
    if (*p == '|' && (p == row || p[-1] != '\\')) bars++;
  ASSERT_EQ_INT(bars, 6);
  free(row);
  ASSERT_NULL(strstr(t, "<script>"));
  ASSERT_NULL(strstr(t, "<b>"));
  ASSERT_NULL(strstr(t, "<img"));
  ASSERT_NOT_NULL(strstr(t, "console: &lt;/pre&gt;&lt;/details&gt;&lt;script&gt;"));
  ASSERT_EQ_INT(count(t, "<pre>"), count(t, "</pre>"));
  /* not an https URL: text, no link; a `)` in a link is encoded */
  ASSERT_NULL(strstr(t, "](javascript"));
  ASSERT_NOT_NULL(strstr(t, "spec: javascript:alert(1), [fetch#a)b]("
                            "https://fetch.spec.whatwg.org/#a%29b)"));
  free(t);
  fixture_release(&f);
}

TEST(markdown_all_passed) {
  struct fixture f;
  fixture_init(&f);
  struct capture c;
  ASSERT_EQ_INT(capture_open(&c, "markdown"), 0);
  c.r.deterministic = false;
  struct run_summary s = {0};
  s.cases = s.passed = s.files = s.steps = 1;
  s.seconds = 1.5;
  ASSERT_EQ_INT(c.r.writer->begin(&c.r, &fixture_info), 0);
  ASSERT_EQ_INT(c.r.writer->write_case(&c.r, &f.pass), 0);
  ASSERT_EQ_INT(c.r.writer->end(&c.r, &s), 0);
  capture_close(&c);
  ASSERT_NOT_NULL(strstr(c.text, "| 1 | 1 | 0 | 0 | 0 | 1 | 0 |\n\nRan in 1.50 s."
                                 "\n\n\xe2\x9c\x85 All 1 case passed.\n"));
  ASSERT_NULL(strstr(c.text, "Not passed"));
  free(c.text);
  fixture_release(&f);
}

TEST(markdown_caps_rows_and_details) {
  struct fixture f;
  fixture_init(&f);
  struct capture c;
  ASSERT_EQ_INT(capture_open(&c, "markdown"), 0);
  struct run_summary s = {0};
  s.cases = s.failed = 300;
  ASSERT_EQ_INT(c.r.writer->begin(&c.r, &fixture_info), 0);
  for (int i = 0; i < 300; i++)
    ASSERT_EQ_INT(c.r.writer->write_case(&c.r, &f.fail), 0);
  ASSERT_EQ_INT(c.r.writer->end(&c.r, &s), 0);
  capture_close(&c);
  ASSERT_EQ_INT(count(c.text, "\n| \xe2\x9d\x8c fail |"), 250);
  ASSERT_EQ_INT(count(c.text, "<details>"), 50);
  ASSERT_NOT_NULL(strstr(c.text, "\n50 more not shown; see the full report.\n"));
  ASSERT_NOT_NULL(strstr(c.text, "The details of 250 more cases are left out.\n"));
  ASSERT_TRUE(c.len < 200000);
  free(c.text);
  fixture_release(&f);
}

/* ---- HTML ------------------------------------------------------------------ */

TEST(html_one_self_contained_page) {
  struct fixture f;
  fixture_init(&f);
  char *t = format_all("html", false, &f);
  ASSERT_NOT_NULL(t);
  ASSERT_TRUE(strncmp(t, "<!DOCTYPE html>\n<html lang=\"en\">\n", 33) == 0);
  ASSERT_NOT_NULL(strstr(t, "<meta http-equiv=\"Content-Security-Policy\" "
                            "content=\"default-src 'none'; style-src "
                            "'unsafe-inline'; script-src 'unsafe-inline'; "
                            "img-src data:\">"));
  ASSERT_EQ_INT(count(t, "<script"), 1);
  ASSERT_EQ_INT(count(t, "<style"), 1);
  ASSERT_NULL(strstr(t, " src=\""));
  ASSERT_NULL(strstr(t, "<link rel=\"stylesheet\""));
  ASSERT_NULL(strstr(t, "href=\"http://"));
  ASSERT_EQ_INT(count(t, "<details class=\"item case "), 6);
  ASSERT_EQ_INT(count(t, "<section class=\"item file-error st-error\""), 1);
  /* a diagram for every step that ran, and one for each case without one */
  ASSERT_EQ_INT(count(t, "<svg class=\"sd\""), 7);
  ASSERT_NOT_NULL(strstr(t, "<details class=\"item case st-fail\" id=\"case-2\" "
                            "data-status=\"fail\" data-browser=\"chromium\" "
                            "data-search=\"redirect-origin the origin after a "
                            "cross-origin redirect reports/x.json\" open>"));
  ASSERT_NOT_NULL(strstr(t, "id=\"case-1\" data-status=\"pass\" "
                            "data-browser=\"fetch\""));
  ASSERT_NULL(strstr(t, "data-status=\"pass\" data-browser=\"fetch\" "
                        "data-search=\"simple-get a simple get is allowed "
                        "reports/x.json\" open>"));
  /* the summary and the filters after the cases, hidden form, counts */
  const char *main_end = strstr(t, "</main>");
  ASSERT_NOT_NULL(main_end);
  ASSERT_TRUE(strstr(t, "<section id=\"summary\"") > main_end);
  ASSERT_NOT_NULL(strstr(t, "<form id=\"filters\" hidden "));
  ASSERT_NOT_NULL(strstr(t, "<div class=\"count st-fail\"><span class=\"n\">1"
                            "</span><span class=\"l\">failed</span></div>"));
  ASSERT_NOT_NULL(strstr(t, "<option value=\"chromium\">chromium</option>"
                            "<option value=\"fetch\">fetch</option></select>"));
  ASSERT_NOT_NULL(strstr(t, "<option value=\"origin\">origin</option><option "
                            "value=\"redirect\">redirect</option></select>"));
  ASSERT_NOT_NULL(strstr(t, "value=\"error\" checked><span class=\"badge "
                            "st-error\">error</span> 3</label>"));
  size_t len = strlen(t);
  ASSERT_TRUE(len > 16 && strcmp(t + len - 16, "</body>\n</html>\n") == 0);
  free(t);
  fixture_release(&f);
}

TEST(html_case_details) {
  struct fixture f;
  fixture_init(&f);
  char *t = format_all("html", false, &f);
  ASSERT_NOT_NULL(t);
  /* spec links and trace links into the standard */
  ASSERT_NOT_NULL(strstr(t, "<p class=\"spec\">Spec: <a href=\"https://fetch.spec."
                            "whatwg.org/#http-redirect-fetch\"><code>fetch#"
                            "http-redirect-fetch</code></a>"));
  ASSERT_NOT_NULL(strstr(t, "<td class=\"anchor\"><a href=\"https://fetch.spec."
                            "whatwg.org/#concept-cors-check\"><code>fetch#"
                            "concept-cors-check step 4</code></a></td>"));
  ASSERT_NOT_NULL(strstr(t, "<tr class=\"k-fail\"><td class=\"n\">3</td>"));
  /* what differs */
  ASSERT_NOT_NULL(strstr(t, "<tr><td><code>request_headers.Origin</code></td>"
                            "<td class=\"exp\"><code>&quot;https://app.example"
                            "&quot;</code></td><td class=\"obs\"><code>&quot;"
                            "null&quot;</code></td></tr>"));
  /* the deciding headers: Origin, the failed parameter and the
   * Access-Control-Request-Headers that carries it; not Accept or ACRM */
  ASSERT_NOT_NULL(strstr(t, "<tr class=\"hl\" title=\"this header decided\">"
                            "<td><code>Access-Control-Request-Headers</code>"));
  ASSERT_NOT_NULL(strstr(t, "<tr class=\"hl\" title=\"this header decided\">"
                            "<td><code>X-B</code>"));
  ASSERT_NOT_NULL(strstr(t, "<tr class=\"hl\" title=\"this header decided\">"
                            "<td><code>Origin</code></td><td><code>null"));
  ASSERT_NOT_NULL(strstr(t, "<tr><td><code>Accept</code>"));
  ASSERT_NOT_NULL(strstr(t, "<tr><td><code>Access-Control-Request-Method</code>"));
  /* why and what to change, the console */
  ASSERT_NOT_NULL(strstr(t, "<div class=\"advice\"><p><b>Why:</b> "
                            "Access-Control-Allow-Origin names another origin"));
  ASSERT_NOT_NULL(strstr(t, "<p class=\"label\">Console (chromium)</p><pre "
                            "class=\"console\">Access to fetch at &apos;"));
  ASSERT_NOT_NULL(strstr(t, "<p class=\"verdict v-blocked\">blocked: "
                            "AllowOriginMismatch</p>"));
  /* errors and skips say why */
  ASSERT_NOT_NULL(strstr(t, "<p class=\"problem\">reports/x.json:31:7: unknown "
                            "field &apos;expcet&apos; at cases[2]</p>"));
  ASSERT_NOT_NULL(strstr(t, "<p class=\"problem\">not modelled yet</p>"));
  ASSERT_NOT_NULL(strstr(t, "skipped: not modelled yet</text>"));
  free(t);
  fixture_release(&f);
}

TEST(html_hostile_text_stays_text) {
  struct fixture f;
  fixture_init(&f);
  make_hostile(&f);
  static const char *const spec[] = {"javascript:alert(1)"};
  static const char *const tags[] = {"\" onmouseover=\"alert(1)"};
  f.fail.spec = spec;
  f.fail.spec_count = 1;
  f.fail.tags = tags;
  f.fail.tag_count = 1;
  f.fail.browser = "chromium\"><script>";
  char *t = format_all("html", false, &f);
  ASSERT_NOT_NULL(t);
  size_t len = strlen(t);
  ASSERT_TRUE(valid_utf8(t, len));
  ASSERT_TRUE(no_control_bytes(t, len));
  ASSERT_EQ_INT(count(t, "<script"), 1);
  ASSERT_NULL(strstr(t, "<img"));
  ASSERT_NULL(strstr(t, "<b>&"));
  ASSERT_NULL(strstr(t, "href=\"javascript"));
  ASSERT_NULL(strstr(t, "\" onmouseover"));
  ASSERT_NOT_NULL(strstr(t, "<code>javascript:alert(1)</code>"));
  ASSERT_NOT_NULL(strstr(t, "&lt;img src=x onerror=alert(1) id=pwned&gt;"));
  ASSERT_NOT_NULL(strstr(t, "data-tag=\"&quot; onmouseover=&quot;alert(1)\""));
  ASSERT_NOT_NULL(strstr(t, "&lt;/pre&gt;&lt;/details&gt;&lt;script&gt;"));
  /* the markup between <body> and our script */
  char *body = strstr(t, "<body>");
  char *script = strstr(t, "<script>");
  ASSERT_TRUE(body != NULL && script != NULL && body < script);
  *script = '\0';
  const char *bad = first_bad_markup(body);
  if (bad != NULL) CHECK_FAIL_("bad markup at: %.40s", bad);
  free(t);
  fixture_release(&f);
}

TEST(html_empty_run) {
  struct capture c;
  ASSERT_EQ_INT(capture_open(&c, "html"), 0);
  struct run_summary s = {0};
  ASSERT_EQ_INT(c.r.writer->begin(&c.r, NULL), 0);
  ASSERT_EQ_INT(c.r.writer->end(&c.r, &s), 0);
  capture_close(&c);
  ASSERT_NOT_NULL(strstr(c.text, "<p class=\"meta\">No case ran.</p>\n</main>"));
  ASSERT_NOT_NULL(strstr(c.text, "<meta name=\"generator\" content=\"corsim "
                                 CORSIM_VERSION "\">"));
  free(c.text);
}

/* ---- the sequence diagram -------------------------------------------------- */

static char *diagram(const struct case_result *c, const struct step_result *s) {
  struct escape_buf b;
  escape_buf_init(&b);
  svg_sequence_diagram(&b, c, s);
  if (b.failed) {
    escape_buf_release(&b);
    return NULL;
  }
  return b.data;
}

TEST(svg_preflight_hops_and_verdict) {
  struct fixture f;
  fixture_init(&f);
  char *t = diagram(&f.fail, &f.fail_steps[1]);
  ASSERT_NOT_NULL(t);
  ASSERT_TRUE(strncmp(t, "<svg class=\"sd\" xmlns=\"http://www.w3.org/2000/svg\" "
                         "viewBox=\"0 0 780 ", 67) == 0);
  ASSERT_NOT_NULL(strstr(t, "role=\"img\" aria-label=\"sequence diagram of step 1 "
                            "of redirect-origin [chromium]\""));
  /* the three lanes, with the page's origin and the server's */
  ASSERT_NOT_NULL(strstr(t, ">page</text>"));
  ASSERT_NOT_NULL(strstr(t, ">https://app.example</text>"));
  ASSERT_NOT_NULL(strstr(t, ">chromium</text>"));
  ASSERT_NOT_NULL(strstr(t, ">https://api.example</text>"));
  ASSERT_EQ_INT(count(t, "<line class=\"sd-life\""), 3);
  /* the call, the preflight and its answer, both hops, the verdict */
  ASSERT_NOT_NULL(strstr(t, ">fetch() PUT</text>"));
  ASSERT_NOT_NULL(strstr(t, ">mode cors, credentials omit</text>"));
  ASSERT_NOT_NULL(strstr(t, ">OPTIONS /old</text>"));
  ASSERT_NOT_NULL(strstr(t, ">Origin: https://app.example \xc2\xb7 ACRM PUT "
                            "\xc2\xb7 ACRH x-a,x-b</text>"));
  ASSERT_NOT_NULL(strstr(t, "<g class=\"sd-row sd-ok\">"));
  ASSERT_NOT_NULL(strstr(t, ">preflight passed \xe2\x9c\x93</text>"));
  ASSERT_NOT_NULL(strstr(t, ">PUT /old</text>"));
  ASSERT_NOT_NULL(strstr(t, ">302 \xe2\x86\x92 https://cdn.example/new \xc2\xb7 "
                            "CORS \xe2\x9c\x93</text>"));
  ASSERT_NOT_NULL(strstr(t, ">PUT https://cdn.example/new</text>"));
  ASSERT_NOT_NULL(strstr(t, ">Origin: null</text>"));
  ASSERT_NOT_NULL(strstr(t, "<g class=\"sd-row sd-bad\"><text class=\"sd-label\" "));
  ASSERT_NOT_NULL(strstr(t, ">200 \xc2\xb7 CORS \xe2\x9c\x97</text>"));
  ASSERT_NOT_NULL(strstr(t, ">\xe2\x9c\x97 network error</text>"));
  ASSERT_NOT_NULL(strstr(t, "<g class=\"sd-note sd-vbad\">"));
  ASSERT_NOT_NULL(strstr(t, ">verdict: blocked: AllowOriginMismatch</text>"));
  ASSERT_EQ_INT(count(t, "<path class=\"sd-head\""), 8);
  size_t len = strlen(t);
  ASSERT_TRUE(len > 6 && strcmp(t + len - 6, "</svg>") == 0);
  free(t);

  t = diagram(&f.pass, &f.pass_steps[0]);
  ASSERT_NOT_NULL(t);
  ASSERT_NULL(strstr(t, "OPTIONS"));
  ASSERT_NOT_NULL(strstr(t, ">Fetch Standard</text>"));
  ASSERT_NOT_NULL(strstr(t, "<g class=\"sd-note sd-vok\">"));
  ASSERT_NOT_NULL(strstr(t, ">verdict: allowed, status 200</text>"));
  free(t);
  fixture_release(&f);
}

TEST(svg_cache_hit_refusals_and_errors) {
  struct fixture f;
  fixture_init(&f);
  f.allowed.preflight = CORSIM_PREFLIGHT_CACHED;
  char *t = diagram(&f.pass, &f.pass_steps[0]);
  ASSERT_NOT_NULL(t);
  ASSERT_NOT_NULL(strstr(t, "<g class=\"sd-note sd-cache\">"));
  ASSERT_NOT_NULL(strstr(t, ">preflight cache hit: no OPTIONS sent</text>"));
  ASSERT_NULL(strstr(t, ">OPTIONS "));
  free(t);

  /* a preflight that failed: its status, the refusal, no hop */
  f.redirected.failed_on_preflight = true;
  f.redirected.failed_response_status = 403;
  f.redirected.hop_count = 0;
  t = diagram(&f.fail, &f.fail_steps[1]);
  ASSERT_NOT_NULL(t);
  ASSERT_NOT_NULL(strstr(t, ">403 \xc2\xb7 preflight refused \xe2\x9c\x97</text>"));
  ASSERT_NOT_NULL(strstr(t, ">AllowOriginMismatch</text>"));
  ASSERT_NULL(strstr(t, ">PUT "));
  free(t);

  /* refused before anything was sent */
  f.redirected.preflight = CORSIM_PREFLIGHT_NONE;
  t = diagram(&f.fail, &f.fail_steps[1]);
  ASSERT_NOT_NULL(t);
  ASSERT_NOT_NULL(strstr(t, ">refused before anything was sent</text>"));
  free(t);

  /* a vector error: the call, then a note */
  t = diagram(&f.step_error, &f.error_steps[0]);
  ASSERT_NOT_NULL(t);
  ASSERT_NOT_NULL(strstr(t, ">fetch() PUT</text>"));
  ASSERT_NOT_NULL(strstr(t, "<g class=\"sd-note sd-error\">"));
  ASSERT_NOT_NULL(strstr(t, ">vector error: no captured response answers the "
                            "preflight OPTIONS https://api.example/old</text>"));
  free(t);

  /* no step at all */
  struct escape_buf b;
  escape_buf_init(&b);
  svg_note_diagram(&b, &f.error, "error", "not run: unknown field");
  ASSERT_FALSE(b.failed);
  ASSERT_NOT_NULL(strstr(escape_buf_str(&b), ">not run: unknown field</text>"));
  ASSERT_NOT_NULL(strstr(escape_buf_str(&b), "aria-label=\"sequence diagram of "
                                             "broken (not run)\""));
  escape_buf_release(&b);
  fixture_release(&f);
}

TEST(svg_long_labels_are_cut_with_a_title) {
  struct fixture f;
  fixture_init(&f);
  char longurl[512];
  strcpy(longurl, "https://cdn.example/");
  for (int i = 0; i < 200; i++) strcat(longurl, i % 10 == 9 ? "/" : "\xc3\xa9");
  f.hops[1].url = S(&f.pool, longurl);
  f.hops[1].origin_sent = S(&f.pool, "<script>\x1b[2J&");
  char *t = diagram(&f.fail, &f.fail_steps[1]);
  ASSERT_NOT_NULL(t);
  ASSERT_NOT_NULL(strstr(t, "<text class=\"sd-label\" x=\"510\" y="));
  ASSERT_NOT_NULL(strstr(t, "\xe2\x80\xa6</text>"));
  ASSERT_NOT_NULL(strstr(t, "<title>PUT https://cdn.example/\xc3\xa9"));
  ASSERT_TRUE(valid_utf8(t, strlen(t)));
  ASSERT_NOT_NULL(strstr(t, ">Origin: &lt;script&gt;\\x1b[2J&amp;</text>"));
  ASSERT_NULL(strstr(t, "<script"));
  free(t);
  fixture_release(&f);
}
