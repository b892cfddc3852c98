/* test_reports.c: unit tests of the report writers and escape.c: each
 * writer formats hand-built case results into a memory stream, and the
 * tests check the lines, the JSON parsed back, TAP numbering, escaping of
 * hostile bytes and that a write error is reported. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../../harness/testing/check.h"
#include "../escape.h"
#include "../report.h"
#include "capture.h"

/* ---- fixtures ------------------------------------------------------------ */

/* The strings a decision owns are `char *`; the pool gives writable
 * copies and frees them all at once. */
struct pool {
  char *items[64];
  size_t count;
};

static char *S(struct pool *p, const char *s) {
  char *copy = strdup(s);
  if (copy != NULL && p->count < 64) p->items[p->count++] = copy;
  return copy;
}

static void pool_release(struct pool *p) {
  for (size_t i = 0; i < p->count; i++) free(p->items[i]);
  p->count = 0;
}

static const char *const fixture_tags[] = {"redirect", "origin"};
static const char *const fixture_spec[] = {"fetch#http-redirect-fetch"};

struct fixture {
  struct pool pool;
  struct corsim_trace_entry trace[3];
  struct corsim_hop hops[2];
  struct corsim_owned_header preflight_headers[2];
  struct corsim_owned_header request_headers[3];
  char *exposed[2];
  struct corsim_decision allowed; /* the passing step */
  struct corsim_decision redirected; /* the failing step */
  struct result_mismatch mismatches[2];
  struct step_result pass_steps[1];
  struct step_result fail_steps[2];
  struct step_result error_steps[1];
  struct case_result pass, fail, error, step_error, skip;
  struct file_error file_error;
};

static void fixture_init(struct fixture *f) {
  memset(f, 0, sizeof *f);
  struct pool *p = &f->pool;

  f->trace[0] = (struct corsim_trace_entry){"fetch#main-fetch", "12",
                                            CORSIM_TRACE_INFO,
                                            S(p, "cross-origin, mode cors")};
  f->trace[1] = (struct corsim_trace_entry){
      "fetch#http-redirect-fetch", "14", CORSIM_TRACE_NOTE,
      S(p, "redirect to another origin: the Origin becomes 'null'")};
  f->trace[2] = (struct corsim_trace_entry){
      "fetch#concept-cors-check", "4", CORSIM_TRACE_PASS,
      S(p, "Access-Control-Allow-Origin '*' matches")};
  f->hops[0] = (struct corsim_hop){S(p, "GET"), S(p, "https://api.example/old"),
                                   S(p, "https://app.example"), 302, true,
                                   true};
  f->hops[1] = (struct corsim_hop){S(p, "GET"), S(p, "https://cdn.example/new"),
                                   S(p, "null"), 200, true, true};
  f->preflight_headers[0] =
      (struct corsim_owned_header){S(p, "Access-Control-Request-Method"),
                                   S(p, "PUT")};
  f->preflight_headers[1] = (struct corsim_owned_header){S(p, "Origin"),
                                                         S(p, "null")};
  f->request_headers[0] = (struct corsim_owned_header){S(p, "Origin"),
                                                       S(p, "null")};
  f->request_headers[1] = (struct corsim_owned_header){S(p, "X-A"), S(p, "1")};
  f->request_headers[2] = (struct corsim_owned_header){S(p, "x-a"), S(p, "2")};
  f->exposed[0] = S(p, "content-type");
  f->exposed[1] = S(p, "x-bin\xff");

  f->allowed.outcome = CORSIM_OUTCOME_ALLOWED;
  f->allowed.response_type = CORSIM_RESPONSE_CORS;
  f->allowed.status = 200;
  f->allowed.has_request = true;
  f->allowed.request_headers = f->request_headers;
  f->allowed.request_header_count = 1;
  f->allowed.exposed_headers = f->exposed;
  f->allowed.exposed_header_count = 1;
  f->allowed.trace = f->trace;
  f->allowed.trace_count = 1;

  f->redirected = f->allowed;
  f->redirected.outcome = CORSIM_OUTCOME_BLOCKED;
  f->redirected.blocked_reason = CORSIM_BLOCKED_CORS;
  f->redirected.cors_error = CORSIM_CORS_ERROR_ALLOW_ORIGIN_MISMATCH;
  f->redirected.failed_parameter = S(p, "https://app.example");
  f->redirected.response_type = CORSIM_RESPONSE_ERROR;
  f->redirected.status = 0;
  f->redirected.preflight = CORSIM_PREFLIGHT_SENT;
  f->redirected.has_preflight_request = true;
  f->redirected.preflight_request_headers = f->preflight_headers;
  f->redirected.preflight_request_header_count = 2;
  f->redirected.request_header_count = 3;
  f->redirected.exposed_header_count = 2;
  f->redirected.hops = f->hops;
  f->redirected.hop_count = 2;
  f->redirected.trace_count = 3;

  f->mismatches[0] = (struct result_mismatch){
      "request_headers.Origin", S(p, "\"https://app.example\""),
      S(p, "\"null\"")};
  f->mismatches[1] = (struct result_mismatch){
      "exposed_headers", S(p, "[\"x-a\"]"), S(p, "[\"content-type\"]")};

  f->pass_steps[0] = (struct step_result){.index = 0,
                                          .status = RESULT_PASS,
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
      .decision = &f->redirected,
      .mismatches = f->mismatches,
      .mismatch_count = 2,
      .console = "Access to fetch at 'https://cdn.example/new' has been "
                 "blocked by CORS policy"};
  f->fail = f->pass;
  f->fail.case_id = "redirect-origin";
  f->fail.title = "the Origin after a cross-origin redirect";
  f->fail.browser = "chromium";
  f->fail.tags = fixture_tags;
  f->fail.tag_count = 2;
  f->fail.spec = fixture_spec;
  f->fail.spec_count = 1;
  f->fail.line = 20;
  f->fail.column = 7;
  f->fail.status = RESULT_FAIL;
  f->fail.steps = f->fail_steps;
  f->fail.step_count = 2;

  f->error = f->pass;
  f->error.case_id = "broken";
  f->error.title = NULL;
  f->error.status = RESULT_ERROR;
  f->error.error = "unknown field 'expcet'";
  f->error.steps = NULL;
  f->error.step_count = 0;

  f->error_steps[0] = (struct step_result){
      .index = 0,
      .status = RESULT_ERROR,
      .error = "no captured response answers 'OPTIONS https://api.example/'"};
  f->step_error = f->pass;
  f->step_error.case_id = "no-answer";
  f->step_error.status = RESULT_ERROR;
  f->step_error.steps = f->error_steps;
  f->step_error.step_count = 1;

  f->skip = f->pass;
  f->skip.case_id = "later";
  f->skip.status = RESULT_SKIP;
  f->skip.skip_reason = "not modelled yet";
  f->skip.steps = NULL;
  f->skip.step_count = 0;

  f->file_error = (struct file_error){"reports/bad.json", 3, 5,
                                      "expected ',' or '}'"};
}

static void fixture_release(struct fixture *f) { pool_release(&f->pool); }

static const struct run_info fixture_info = {"0.1.0-test", "run", true};

static struct run_summary fixture_summary(void) {
  struct run_summary s = {0};
  s.cases = 5;
  s.passed = 1;
  s.failed = 1;
  s.errors = 2;
  s.skipped = 1;
  s.steps = 5;
  s.files = 2;
  s.file_errors = 1;
  s.seconds = 0.21;
  return s;
}

/* Runs the whole fixture through one writer: every kind of result. */
static int run_all(struct capture *c, struct fixture *f) {
  const struct report_writer *w = c->r.writer;
  struct run_summary s = fixture_summary();
  if (w->begin(&c->r, &fixture_info) != 0) return -1;
  if (w->write_case(&c->r, &f->pass) != 0) return -1;
  if (w->write_case(&c->r, &f->fail) != 0) return -1;
  if (w->write_case(&c->r, &f->error) != 0) return -1;
  if (w->write_case(&c->r, &f->step_error) != 0) return -1;
  if (w->write_case(&c->r, &f->skip) != 0) return -1;
  if (w->write_file_error(&c->r, &f->file_error) != 0) return -1;
  return w->end(&c->r, &s);
}

static bool starts_with(const char *s, const char *prefix) {
  return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

static size_t count_prefix_lines(const char *text, const char *prefix) {
  size_t n = 0, plen = strlen(prefix);
  for (const char *line = text; line != NULL && *line != '\0';) {
    if (strncmp(line, prefix, plen) == 0) n++;
    line = strchr(line, '\n');
    if (line != NULL) line++;
  }
  return n;
}

/* ---- registry ------------------------------------------------------------ */

TEST(registry_finds_every_listed_writer) {
  const char *const *names = report_writer_names();
  size_t n = 0;
  for (; names[n] != NULL; n++) {
    const struct report_writer *w = report_writer_find(names[n]);
    ASSERT_NOT_NULL(w);
    ASSERT_STR_EQ(w->name, names[n]);
    ASSERT_TRUE(w->begin && w->write_case && w->write_file_error && w->end &&
                w->release);
  }
  ASSERT_EQ_INT(n, 7);
  ASSERT_NULL(report_writer_find("xml"));
  ASSERT_NULL(report_writer_find(NULL));
  ASSERT_STR_EQ(report_writer_find("text")->name, "text");
}

TEST(result_status_names) {
  ASSERT_STR_EQ(result_status_name(RESULT_PASS), "pass");
  ASSERT_STR_EQ(result_status_name(RESULT_FAIL), "fail");
  ASSERT_STR_EQ(result_status_name(RESULT_ERROR), "error");
  ASSERT_STR_EQ(result_status_name(RESULT_SKIP), "skip");
}

TEST(report_release_is_safe_twice) {
  struct capture c;
  ASSERT_EQ_INT(capture_open(&c, "json"), 0);
  ASSERT_EQ_INT(c.r.writer->begin(&c.r, &fixture_info), 0);
  ASSERT_NOT_NULL(c.r.state);
  report_release(&c.r);
  ASSERT_NULL(c.r.state);
  report_release(&c.r);
  capture_close(&c);
  free(c.text);
}

/* ---- escaping ------------------------------------------------------------ */

static char *esc_terminal(const char *s, size_t len) {
  struct escape_buf b;
  escape_buf_init(&b);
  escape_terminal(&b, s, len);
  escape_buf_add(&b, "", 0);
  return b.data;
}

TEST(escape_terminal_control_bytes_and_esc) {
  const char in[] = "a\033[31mred\r\n\t\x7f" "b";
  char *out = esc_terminal(in, sizeof in - 1);
  ASSERT_STR_EQ(out, "a\\x1b[31mred\\x0d\\x0a\\x09\\x7fb");
  ASSERT_NULL(strchr(out, '\033'));
  free(out);
}

TEST(escape_terminal_backslash_and_quotes) {
  char *out = esc_terminal("\\x1b \"q\" 'q'", 12);
  ASSERT_STR_EQ(out, "\\\\x1b \"q\" 'q'");
  free(out);
}

TEST(escape_terminal_invalid_utf8) {
  /* stray continuation, lone lead, overlong '/', surrogate, past
   * U+10FFFF, truncated sequence at the end */
  const char in[] = "\x80|\xc3|\xc0\xaf|\xed\xa0\x80|\xf4\x90\x80\x80|\xe2\x82";
  char *out = esc_terminal(in, sizeof in - 1);
  ASSERT_STR_EQ(out, "\\x80|\\xc3|\\xc0\\xaf|\\xed\\xa0\\x80|"
                     "\\xf4\\x90\\x80\\x80|\\xe2\\x82");
  free(out);
}

TEST(escape_terminal_keeps_visible_utf8_and_marks_invisible) {
  /* é, €, 😀 kept; U+200B, U+202E (bidi override), U+009B (C1 CSI) and
   * U+FEFF marked */
  const char in[] = "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80|\xe2\x80\x8b|"
                    "\xe2\x80\xae|\xc2\x9b|\xef\xbb\xbf";
  char *out = esc_terminal(in, sizeof in - 1);
  ASSERT_STR_EQ(out, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80|\\u{200b}|"
                     "\\u{202e}|\\u{009b}|\\u{feff}");
  free(out);
}

TEST(escape_terminal_null_and_embedded_nul) {
  struct escape_buf b;
  escape_buf_init(&b);
  escape_terminal_str(&b, NULL);
  escape_terminal(&b, "a\0b", 3);
  ASSERT_STR_EQ(escape_buf_str(&b), "(null)a\\x00b");
  escape_buf_release(&b);
}

TEST(escape_utf8_decode_boundaries) {
  unsigned long cp = 0;
  ASSERT_EQ_INT(escape_utf8_decode((const unsigned char *)"\xf4\x8f\xbf\xbf", 4,
                                   &cp), 4);
  ASSERT_EQ_INT(cp, 0x10ffff);
  ASSERT_EQ_INT(escape_utf8_decode((const unsigned char *)"\xed\x9f\xbf", 3,
                                   &cp), 3);
  ASSERT_EQ_INT(cp, 0xd7ff);
  ASSERT_EQ_INT(escape_utf8_decode((const unsigned char *)"\xe0\x80\x80", 3,
                                   &cp), 0);
  ASSERT_EQ_INT(escape_utf8_decode((const unsigned char *)"\xf0\x80\x80\x80",
                                   4, &cp), 0);
  ASSERT_EQ_INT(escape_utf8_decode((const unsigned char *)"\xc2\x41", 2, &cp),
                0);
  ASSERT_EQ_INT(escape_utf8_decode((const unsigned char *)"\xff", 1, &cp), 0);
  ASSERT_EQ_INT(escape_utf8_decode((const unsigned char *)"", 0, &cp), 0);
}

TEST(escape_utf8_replaces_only_invalid_bytes) {
  char *out = escape_utf8_dup("ok \xc3\xa9 \xff\xfe \033 \"q\"");
  ASSERT_STR_EQ(out, "ok \xc3\xa9 \\xff\\xfe \033 \"q\"");
  free(out);
  out = escape_utf8_dup("");
  ASSERT_STR_EQ(out, "");
  free(out);
  ASSERT_NULL(escape_utf8_dup(NULL));
}

TEST(escape_json_output_script_end_and_separators) {
  struct escape_buf b;
  escape_buf_init(&b);
  const char in[] = "[\"</script>\",\"a\xe2\x80\xa8" "b\",\"\x7f\","
                    "\"\xf3\xa0\x81\x81\",\"<a/>\"]";
  escape_json_output(&b, in, sizeof in - 1, ESCAPE_JSON_HTML);
  ASSERT_STR_EQ(escape_buf_str(&b),
                "[\"<\\/script>\",\"a\\u2028b\",\"\\u007f\","
                "\"\\udb40\\udc41\",\"<a/>\"]");
  cJSON *back = cJSON_Parse(escape_buf_str(&b));
  ASSERT_NOT_NULL(back);
  ASSERT_STR_EQ(cJSON_GetArrayItem(back, 0)->valuestring, "</script>");
  ASSERT_STR_EQ(cJSON_GetArrayItem(back, 1)->valuestring, "a\xe2\x80\xa8" "b");
  cJSON_Delete(back);
  escape_buf_reset(&b);
  escape_json_output(&b, "\"</\"", 4, 0);
  ASSERT_STR_EQ(escape_buf_str(&b), "\"</\"");
  escape_buf_release(&b);
}

TEST(escape_json_text_parses_to_the_utf8_escape) {
  struct escape_buf b;
  escape_buf_init(&b);
  const char in[] = "{\"k\xff\":\"v\xc0\"}";
  escape_json_text(&b, in, sizeof in - 1);
  cJSON *back = cJSON_Parse(escape_buf_str(&b));
  ASSERT_NOT_NULL(back);
  ASSERT_NOT_NULL(cJSON_GetObjectItemCaseSensitive(back, "k\\xff"));
  ASSERT_STR_EQ(cJSON_GetObjectItemCaseSensitive(back, "k\\xff")->valuestring,
                "v\\xc0");
  cJSON_Delete(back);
  escape_buf_release(&b);
}

TEST(escape_yaml_scalar) {
  struct escape_buf b;
  escape_buf_init(&b);
  const char in[] = "a\"b\\c\033d\ne\xc2\x85\xe2\x80\x8b\xff";
  escape_yaml(&b, in, sizeof in - 1);
  ASSERT_STR_EQ(escape_buf_str(&b),
                "a\\\"b\\\\c\\x1bd\\x0ae\\x85\\u200b\\\\xff");
  escape_buf_release(&b);
}

TEST(escape_xml_text_and_attribute) {
  struct escape_buf b;
  escape_buf_init(&b);
  const char in[] = "<a href=\"x\">&'\t\n\001\xef\xbf\xbe\xff</a>";
  escape_xml(&b, in, sizeof in - 1, false);
  ASSERT_STR_EQ(escape_buf_str(&b),
                "&lt;a href=&quot;x&quot;&gt;&amp;&apos;\t\n\\x01\\u{fffe}"
                "\\xff&lt;/a&gt;");
  escape_buf_reset(&b);
  escape_xml(&b, "a\tb\r\nc", 6, true);
  ASSERT_STR_EQ(escape_buf_str(&b), "a&#9;b&#13;&#10;c");
  escape_buf_release(&b);
}

TEST(escape_buf_printf_grows) {
  struct escape_buf b;
  escape_buf_init(&b);
  ASSERT_STR_EQ(escape_buf_str(&b), "");
  for (int i = 0; i < 1000; i++) escape_buf_printf(&b, "%04d,", i);
  ASSERT_EQ_INT(b.len, 5000);
  ASSERT_TRUE(strncmp(b.data + 4995, "0999,", 5) == 0);
  ASSERT_FALSE(b.failed);
  escape_buf_release(&b);
}

/* ---- text ---------------------------------------------------------------- */

TEST(text_lines_for_each_status) {
  struct fixture f;
  fixture_init(&f);
  struct capture c;
  ASSERT_EQ_INT(capture_open(&c, "text"), 0);
  ASSERT_EQ_INT(run_all(&c, &f), 0);
  capture_close(&c);
  const char *t = c.text;
  ASSERT_TRUE(starts_with(t, "reports/x.json (writers)\n"
                         "  PASS  simple-get  a simple GET is allowed\n"
                         "  FAIL  redirect-origin [chromium]  the Origin "
                         "after a cross-origin redirect\n"
                         "        at reports/x.json:20:7\n"
                         "        step 1 (at 300 s): fail\n"
                         "          decision: outcome blocked, cors_error "
                         "AllowOriginMismatch, failed_parameter "
                         "'https://app.example', preflight sent, status 0\n"));
  ASSERT_NOT_NULL(strstr(t, "\n          request_headers.Origin: expected "
                            "\"https://app.example\", observed \"null\"\n"));
  ASSERT_NOT_NULL(strstr(t, "\n          exposed_headers: expected "
                            "[\"x-a\"], observed [\"content-type\"]\n"));
  ASSERT_NOT_NULL(strstr(t, "\n          console: Access to fetch at "));
  ASSERT_NOT_NULL(strstr(t, "\n          redirect chain:\n"
                            "            0  GET https://api.example/old -> "
                            "302  Origin: https://app.example  CORS ok\n"
                            "            1  GET https://cdn.example/new -> "
                            "200  Origin: null  CORS ok\n"));
  ASSERT_NOT_NULL(strstr(t, "\n          trace:\n"
                            "             1  info  fetch#main-fetch step 12"
                            "           cross-origin, mode cors\n"
                            "             2  note  fetch#http-redirect-fetch "
                            "step 14  redirect to another origin"));
  ASSERT_NOT_NULL(strstr(t, "\n             3  pass  fetch#concept-cors-check"
                            " step 4    Access-Control-Allow-Origin '*' "
                            "matches\n"));
  /* step 0 passed: not shown without verbose */
  ASSERT_NULL(strstr(t, "\n        step 0"));
  ASSERT_NOT_NULL(strstr(t, "\n  ERROR broken: unknown field 'expcet'\n"));
  ASSERT_NOT_NULL(strstr(t, "\n  ERROR no-answer: step 0: no captured "
                            "response answers 'OPTIONS https://api.example/'"
                            "\n"));
  ASSERT_NOT_NULL(strstr(t, "\n  SKIP  later  a simple GET is allowed  # "
                            "not modelled yet\n"));
  ASSERT_NOT_NULL(strstr(t, "\n\nERROR reports/bad.json:3:5: expected ',' or "
                            "'}'\n"));
  ASSERT_NOT_NULL(strstr(t, "\n\nnot passed:\n"
                            "  FAIL   reports/x.json redirect-origin "
                            "[chromium]\n"
                            "  ERROR  reports/x.json broken\n"
                            "  ERROR  reports/x.json no-answer\n"
                            "  ERROR  reports/bad.json\n"
                            "\n"
                            "5 cases in 2 files: 1 passed, 1 failed, 2 "
                            "errors, 1 skipped; 1 file could not be loaded\n"));
  ASSERT_NULL(strchr(t, '\033'));
  free(c.text);
  fixture_release(&f);
}

TEST(text_verbose_shows_passing_trace_and_timing) {
  struct fixture f;
  fixture_init(&f);
  struct capture c;
  ASSERT_EQ_INT(capture_open(&c, "text"), 0);
  c.r.verbose = true;
  c.r.deterministic = false;
  struct run_summary s = {0};
  s.cases = s.passed = s.files = s.steps = 1;
  s.seconds = 0.214;
  ASSERT_EQ_INT(c.r.writer->begin(&c.r, &fixture_info), 0);
  ASSERT_EQ_INT(c.r.writer->write_case(&c.r, &f.pass), 0);
  ASSERT_EQ_INT(c.r.writer->end(&c.r, &s), 0);
  capture_close(&c);
  ASSERT_STR_EQ(c.text, "reports/x.json (writers)\n"
                        "  PASS  simple-get  a simple GET is allowed\n"
                        "        step 0: pass\n"
                        "          decision: outcome allowed, preflight none, "
                        "status 200\n"
                        "          trace:\n"
                        "             1  info  fetch#main-fetch step 12  "
                        "cross-origin, mode cors\n"
                        "\n"
                        "1 case in 1 file: 1 passed, 0 failed, 0 errors, 0 "
                        "skipped (0.21 s)\n");
  free(c.text);
  fixture_release(&f);
}

TEST(text_colour_only_when_asked) {
  struct fixture f;
  fixture_init(&f);
  struct capture c;
  ASSERT_EQ_INT(capture_open(&c, "text"), 0);
  c.r.color = true;
  ASSERT_EQ_INT(run_all(&c, &f), 0);
  capture_close(&c);
  ASSERT_NOT_NULL(strstr(c.text, "  \033[32mPASS\033[0m  simple-get"));
  ASSERT_NOT_NULL(strstr(c.text, "  \033[31mFAIL\033[0m  redirect-origin"));
  ASSERT_NOT_NULL(strstr(c.text, "\033[1;31mERROR\033[0m reports/bad.json"));
  ASSERT_NOT_NULL(strstr(c.text, "\033[33mSKIP\033[0m  later"));
  free(c.text);
  fixture_release(&f);
}

TEST(text_escapes_hostile_bytes) {
  struct fixture f;
  fixture_init(&f);
  f.fail.case_id = "id\033]0;pwned\007";
  f.fail.title = "t\xff\xe2\x80\xae";
  f.mismatches[0].observed = f.trace[0].text;
  strcpy(f.trace[0].text, "x\033[2J");
  f.hops[1].url[0] = '\033';
  struct capture c;
  ASSERT_EQ_INT(capture_open(&c, "text"), 0);
  ASSERT_EQ_INT(run_all(&c, &f), 0);
  capture_close(&c);
  ASSERT_NULL(strchr(c.text, '\033'));
  ASSERT_NULL(strchr(c.text, '\007'));
  ASSERT_NOT_NULL(strstr(c.text, "FAIL  id\\x1b]0;pwned\\x07 [chromium]  "
                                 "t\\xff\\u{202e}\n"));
  ASSERT_NOT_NULL(strstr(c.text, "observed x\\x1b[2J\n"));
  ASSERT_NOT_NULL(strstr(c.text, "1  GET \\x1bttps://cdn.example/new"));
  free(c.text);
  fixture_release(&f);
}

/* ---- json ---------------------------------------------------------------- */

static const char *const result_keys[] = {
    "file", "suite", "case", "title", "step", "browser", "tags", "spec",
    "status", "at", "observed", "mismatches", "error", "console", "trace",
    "hops", "line", "column", "skip_reason"};
static const char *const observed_keys[] = {
    "outcome", "cors_error", "failed_parameter", "preflight",
    "preflight_request_headers", "request_headers", "exposed_headers",
    "status", "blocked_reason", "response_type"};

static const cJSON *get(const cJSON *o, const char *key) {
  return cJSON_GetObjectItemCaseSensitive(o, key);
}

TEST(json_parses_back_with_every_field) {
  struct fixture f;
  fixture_init(&f);
  struct capture c;
  ASSERT_EQ_INT(capture_open(&c, "json"), 0);
  ASSERT_EQ_INT(run_all(&c, &f), 0);
  capture_close(&c);
  cJSON *doc = cJSON_Parse(c.text);
  ASSERT_NOT_NULL(doc);
  ASSERT_STR_EQ(get(doc, "format")->valuestring, "corsim-report/1");
  ASSERT_STR_EQ(get(doc, "version")->valuestring, "0.1.0-test");
  const cJSON *results = get(doc, "results");
  /* pass: 1 step, fail: 2 steps, case error: 1, step error: 1, skip: 1 */
  ASSERT_EQ_INT(cJSON_GetArraySize(results), 6);
  const cJSON *item;
  cJSON_ArrayForEach(item, results) {
    for (size_t i = 0; i < sizeof result_keys / sizeof *result_keys; i++)
      if (get(item, result_keys[i]) == NULL)
        CHECK_FAIL_("result lacks '%s'", result_keys[i]);
  }
  const cJSON *fail = cJSON_GetArrayItem(results, 2);
  ASSERT_STR_EQ(get(fail, "case")->valuestring, "redirect-origin");
  ASSERT_EQ_INT(get(fail, "step")->valueint, 1);
  ASSERT_STR_EQ(get(fail, "status")->valuestring, "fail");
  ASSERT_STR_EQ(get(fail, "browser")->valuestring, "chromium");
  ASSERT_EQ_INT(get(fail, "at")->valueint, 300);
  ASSERT_STR_EQ(cJSON_GetArrayItem(get(fail, "tags"), 1)->valuestring,
                "origin");
  ASSERT_STR_EQ(cJSON_GetArrayItem(get(fail, "spec"), 0)->valuestring,
                "fetch#http-redirect-fetch");
  ASSERT_TRUE(cJSON_IsNull(get(fail, "error")));
  ASSERT_NOT_NULL(get(fail, "console")->valuestring);

  const cJSON *obs = get(fail, "observed");
  for (size_t i = 0; i < sizeof observed_keys / sizeof *observed_keys; i++)
    if (get(obs, observed_keys[i]) == NULL)
      CHECK_FAIL_("observed lacks '%s'", observed_keys[i]);
  ASSERT_STR_EQ(get(obs, "outcome")->valuestring, "blocked");
  ASSERT_STR_EQ(get(obs, "cors_error")->valuestring, "AllowOriginMismatch");
  ASSERT_STR_EQ(get(obs, "failed_parameter")->valuestring,
                "https://app.example");
  ASSERT_STR_EQ(get(obs, "preflight")->valuestring, "sent");
  ASSERT_STR_EQ(get(get(obs, "preflight_request_headers"),
                    "Access-Control-Request-Method")->valuestring, "PUT");
  ASSERT_STR_EQ(get(get(obs, "request_headers"), "X-A")->valuestring, "1, 2");
  ASSERT_NULL(get(get(obs, "request_headers"), "x-a"));
  ASSERT_STR_EQ(cJSON_GetArrayItem(get(obs, "exposed_headers"), 1)->valuestring,
                "x-bin\\xff");
  ASSERT_EQ_INT(get(obs, "status")->valueint, 0);
  ASSERT_STR_EQ(get(obs, "blocked_reason")->valuestring, "cors");
  ASSERT_STR_EQ(get(obs, "response_type")->valuestring, "error");

  const cJSON *mm = cJSON_GetArrayItem(get(fail, "mismatches"), 0);
  ASSERT_STR_EQ(get(mm, "field")->valuestring, "request_headers.Origin");
  ASSERT_STR_EQ(get(mm, "expected")->valuestring, "https://app.example");
  ASSERT_STR_EQ(get(mm, "observed")->valuestring, "null");
  mm = cJSON_GetArrayItem(get(fail, "mismatches"), 1);
  ASSERT_TRUE(cJSON_IsArray(get(mm, "expected")));
  ASSERT_STR_EQ(cJSON_GetArrayItem(get(mm, "expected"), 0)->valuestring, "x-a");

  const cJSON *tr = cJSON_GetArrayItem(get(fail, "trace"), 2);
  ASSERT_STR_EQ(get(tr, "anchor")->valuestring, "fetch#concept-cors-check");
  ASSERT_STR_EQ(get(tr, "step")->valuestring, "4");
  ASSERT_STR_EQ(get(tr, "kind")->valuestring, "pass");
  ASSERT_NOT_NULL(get(tr, "text")->valuestring);
  const cJSON *hop = cJSON_GetArrayItem(get(fail, "hops"), 1);
  ASSERT_STR_EQ(get(hop, "method")->valuestring, "GET");
  ASSERT_STR_EQ(get(hop, "url")->valuestring, "https://cdn.example/new");
  ASSERT_EQ_INT(get(hop, "status")->valueint, 200);
  ASSERT_STR_EQ(get(hop, "origin")->valuestring, "null");
  ASSERT_TRUE(cJSON_IsTrue(get(hop, "cors_checked")));
  ASSERT_TRUE(cJSON_IsTrue(get(hop, "cors_ok")));

  /* the passing step: no preflight, cors_error null */
  const cJSON *pass = cJSON_GetArrayItem(results, 0);
  ASSERT_STR_EQ(get(pass, "status")->valuestring, "pass");
  ASSERT_TRUE(cJSON_IsNull(get(get(pass, "observed"), "cors_error")));
  ASSERT_TRUE(cJSON_IsNull(get(get(pass, "observed"),
                               "preflight_request_headers")));
  ASSERT_TRUE(cJSON_IsNull(get(get(pass, "observed"), "blocked_reason")));
  ASSERT_EQ_INT(cJSON_GetArraySize(get(pass, "hops")), 0);

  /* a case-level error: one result with step null */
  const cJSON *err = cJSON_GetArrayItem(results, 3);
  ASSERT_STR_EQ(get(err, "case")->valuestring, "broken");
  ASSERT_TRUE(cJSON_IsNull(get(err, "step")));
  ASSERT_TRUE(cJSON_IsNull(get(err, "observed")));
  ASSERT_STR_EQ(get(err, "status")->valuestring, "error");
  ASSERT_STR_EQ(get(err, "error")->valuestring, "unknown field 'expcet'");
  const cJSON *serr = cJSON_GetArrayItem(results, 4);
  ASSERT_EQ_INT(get(serr, "step")->valueint, 0);
  ASSERT_STR_EQ(get(serr, "status")->valuestring, "error");
  const cJSON *skip = cJSON_GetArrayItem(results, 5);
  ASSERT_STR_EQ(get(skip, "status")->valuestring, "skip");
  ASSERT_STR_EQ(get(skip, "skip_reason")->valuestring, "not modelled yet");

  const cJSON *fe = cJSON_GetArrayItem(get(doc, "file_errors"), 0);
  ASSERT_STR_EQ(get(fe, "file")->valuestring, "reports/bad.json");
  ASSERT_EQ_INT(get(fe, "line")->valueint, 3);
  ASSERT_EQ_INT(get(fe, "column")->valueint, 5);
  ASSERT_STR_EQ(get(fe, "message")->valuestring, "expected ',' or '}'");

  const cJSON *sum = get(doc, "summary");
  ASSERT_EQ_INT(get(sum, "cases")->valueint, 5);
  ASSERT_EQ_INT(get(sum, "passed")->valueint, 1);
  ASSERT_EQ_INT(get(sum, "failed")->valueint, 1);
  ASSERT_EQ_INT(get(sum, "errors")->valueint, 2);
  ASSERT_EQ_INT(get(sum, "skipped")->valueint, 1);
  ASSERT_EQ_INT(get(sum, "steps")->valueint, 5);
  ASSERT_EQ_INT(get(sum, "files")->valueint, 2);
  ASSERT_EQ_INT(get(sum, "file_errors")->valueint, 1);
  ASSERT_NULL(get(sum, "seconds")); /* deterministic */
  cJSON_Delete(doc);
  free(c.text);
  fixture_release(&f);
}

TEST(json_one_result_per_line) {
  struct fixture f;
  fixture_init(&f);
  struct capture c;
  ASSERT_EQ_INT(capture_open(&c, "json"), 0);
  ASSERT_EQ_INT(run_all(&c, &f), 0);
  capture_close(&c);
  ASSERT_TRUE(starts_with(c.text, "{\"format\":\"corsim-report/1\",\"version\":"
                              "\"0.1.0-test\",\"command\":\"run\","
                              "\"results\":[\n{\"file\":"));
  ASSERT_EQ_INT(count_prefix_lines(c.text, "{\"file\":"), 7); /* 6 + 1 */
  /* every result line is a JSON object on its own */
  size_t parsed = 0;
  for (char *line = strstr(c.text, "\n{\"file\":\"reports/x.json\""); line;
       line = strstr(line + 1, "\n{\"file\":\"reports/x.json\"")) {
    char *end = strchr(line + 1, '\n');
    ASSERT_NOT_NULL(end);
    size_t len = (size_t)(end - line - 1);
    if (line[len] == ',') len--;
    cJSON *one = cJSON_ParseWithLength(line + 1, len);
    ASSERT_NOT_NULL(one);
    cJSON_Delete(one);
    parsed++;
  }
  ASSERT_EQ_INT(parsed, 6);
  ASSERT_TRUE(strstr(c.text, "\n],\"summary\":{\"cases\":5,") != NULL);
  ASSERT_EQ_INT(c.text[c.len - 1], '\n');
  free(c.text);
  fixture_release(&f);
}

TEST(json_empty_run_is_valid) {
  struct capture c;
  ASSERT_EQ_INT(capture_open(&c, "json"), 0);
  struct run_summary s = {0};
  ASSERT_EQ_INT(c.r.writer->begin(&c.r, NULL), 0);
  ASSERT_EQ_INT(c.r.writer->end(&c.r, &s), 0);
  capture_close(&c);
  cJSON *doc = cJSON_Parse(c.text);
  ASSERT_NOT_NULL(doc);
  ASSERT_EQ_INT(cJSON_GetArraySize(get(doc, "results")), 0);
  ASSERT_EQ_INT(cJSON_GetArraySize(get(doc, "file_errors")), 0);
  ASSERT_STR_EQ(get(doc, "version")->valuestring, CORSIM_VERSION);
  cJSON_Delete(doc);
  free(c.text);
}

TEST(json_escapes_hostile_bytes) {
  struct fixture f;
  fixture_init(&f);
  f.fail.title = "</script><script>alert(\"x\")</script>";
  f.fail.case_id = "q\"uote\\";
  f.fail_steps[1].console = "esc \033[31m sep \xe2\x80\xa8 bad \xff\xfe";
  f.mismatches[0].expected = S(&f.pool, "\"v\xff\"");
  f.mismatches[0].observed = S(&f.pool, "not json \xc0");
  struct capture c;
  ASSERT_EQ_INT(capture_open(&c, "json"), 0);
  ASSERT_EQ_INT(run_all(&c, &f), 0);
  capture_close(&c);
  ASSERT_NULL(strstr(c.text, "</"));
  ASSERT_NULL(strchr(c.text, '\033'));
  ASSERT_NULL(strstr(c.text, "\xe2\x80\xa8"));
  for (size_t i = 0; i < c.len; i++)
    if ((unsigned char)c.text[i] >= 0x80) {
      unsigned long cp;
      size_t n = escape_utf8_decode((const unsigned char *)c.text + i,
                                    c.len - i, &cp);
      if (n == 0) CHECK_FAIL_("invalid UTF-8 at byte %zu", i);
      i += n - 1;
    }
  cJSON *doc = cJSON_Parse(c.text);
  ASSERT_NOT_NULL(doc);
  const cJSON *fail = cJSON_GetArrayItem(get(doc, "results"), 2);
  ASSERT_STR_EQ(get(fail, "title")->valuestring,
                "</script><script>alert(\"x\")</script>");
  ASSERT_STR_EQ(get(fail, "case")->valuestring, "q\"uote\\");
  ASSERT_STR_EQ(get(fail, "console")->valuestring,
                "esc \033[31m sep \xe2\x80\xa8 bad \\xff\\xfe");
  const cJSON *mm = cJSON_GetArrayItem(get(fail, "mismatches"), 0);
  ASSERT_STR_EQ(get(mm, "expected")->valuestring, "v\\xff");
  ASSERT_STR_EQ(get(mm, "observed")->valuestring, "not json \\xc0");
  cJSON_Delete(doc);
  free(c.text);
  fixture_release(&f);
}

/* ---- tap ----------------------------------------------------------------- */

TEST(tap_numbering_plan_and_directives) {
  struct fixture f;
  fixture_init(&f);
  f.fail.file = "reports/x#1.json";
  struct capture c;
  ASSERT_EQ_INT(capture_open(&c, "tap"), 0);
  ASSERT_EQ_INT(run_all(&c, &f), 0);
  capture_close(&c);
  const char *t = c.text;
  ASSERT_TRUE(starts_with(t, "TAP version 14\nok 1 - reports/x.json simple-get\n"
                         "not ok 2 - reports/x\\#1.json redirect-origin "
                         "[chromium]\n  ---\n"));
  ASSERT_NOT_NULL(strstr(t, "\nnot ok 3 - reports/x.json broken\n  ---\n"));
  ASSERT_NOT_NULL(strstr(t, "\nnot ok 4 - reports/x.json no-answer\n  ---\n"));
  ASSERT_NOT_NULL(strstr(t, "\nok 5 - reports/x.json later # SKIP not "
                            "modelled yet\n"));
  ASSERT_NOT_NULL(strstr(t, "\nnot ok 6 - reports/bad.json\n  ---\n"
                            "  file: \"reports/bad.json\"\n  line: 3\n"
                            "  column: 5\n"
                            "  error: \"expected ',' or '}'\"\n  ...\n"));
  ASSERT_EQ_INT(count_prefix_lines(t, "ok "), 2);
  ASSERT_EQ_INT(count_prefix_lines(t, "not ok "), 4);
  ASSERT_EQ_INT(count_prefix_lines(t, "  ---"), 4);
  ASSERT_EQ_INT(count_prefix_lines(t, "  ..."), 4);
  size_t len = strlen(t);
  ASSERT_TRUE(len > 5 && strcmp(t + len - 5, "1..6\n") == 0);
  ASSERT_NOT_NULL(strstr(t, "\n# 5 cases in 2 files: 1 passed, 1 failed, 2 "
                            "errors, 1 skipped; 1 file could not be loaded\n"
                            "1..6\n"));
  free(c.text);
  fixture_release(&f);
}

TEST(tap_yaml_block_of_a_failure) {
  struct fixture f;
  fixture_init(&f);
  struct capture c;
  ASSERT_EQ_INT(capture_open(&c, "tap"), 0);
  ASSERT_EQ_INT(run_all(&c, &f), 0);
  capture_close(&c);
  ASSERT_NOT_NULL(strstr(c.text,
      "not ok 2 - reports/x.json redirect-origin [chromium]\n"
      "  ---\n"
      "  status: \"fail\"\n"
      "  file: \"reports/x.json\"\n"
      "  line: 20\n"
      "  column: 7\n"
      "  title: \"the Origin after a cross-origin redirect\"\n"
      "  browser: \"chromium\"\n"
      "  steps:\n"
      "    - step: 1\n"
      "      at: 300\n"
      "      status: \"fail\"\n"
      "      mismatches:\n"
      "        - field: \"request_headers.Origin\"\n"
      "          expected: \"https://app.example\"\n"
      "          observed: \"null\"\n"
      "        - field: \"exposed_headers\"\n"
      "          expected: [\"x-a\"]\n"
      "          observed: [\"content-type\"]\n"
      "      console: \"Access to fetch at 'https://cdn.example/new' has "
      "been blocked by CORS policy\"\n"
      "  ...\n"));
  ASSERT_NOT_NULL(strstr(c.text,
      "not ok 3 - reports/x.json broken\n"
      "  ---\n"
      "  status: \"error\"\n"
      "  file: \"reports/x.json\"\n"
      "  line: 5\n"
      "  column: 5\n"
      "  browser: \"fetch\"\n"
      "  error: \"unknown field 'expcet'\"\n"
      "  ...\n"));
  ASSERT_NOT_NULL(strstr(c.text,
      "  steps:\n"
      "    - step: 0\n"
      "      at: 0\n"
      "      status: \"error\"\n"
      "      error: \"no captured response answers 'OPTIONS "
      "https://api.example/'\"\n"
      "  ...\n"));
  free(c.text);
  fixture_release(&f);
}

TEST(tap_escapes_descriptions_and_yaml) {
  struct fixture f;
  fixture_init(&f);
  f.fail.case_id = "a\nok 99 - fake";
  f.fail_steps[1].console = "line1\nnot ok 98 - fake \"q\" \033 \xff";
  f.mismatches[0].observed = S(&f.pool, "\"v\xff\\u001b\"");
  struct capture c;
  ASSERT_EQ_INT(capture_open(&c, "tap"), 0);
  ASSERT_EQ_INT(run_all(&c, &f), 0);
  capture_close(&c);
  ASSERT_NULL(strchr(c.text, '\033'));
  ASSERT_EQ_INT(count_prefix_lines(c.text, "ok "), 2);
  ASSERT_EQ_INT(count_prefix_lines(c.text, "not ok "), 4);
  ASSERT_NOT_NULL(strstr(c.text, "not ok 2 - reports/x.json a\\x0aok 99 - "
                                 "fake [chromium]\n"));
  ASSERT_NOT_NULL(strstr(c.text, "      console: \"line1\\x0anot ok 98 - "
                                 "fake \\\"q\\\" \\x1b \\\\xff\"\n"));
  ASSERT_NOT_NULL(strstr(c.text, "          observed: \"v\\\\xff\\u001b\"\n"));
  free(c.text);
  fixture_release(&f);
}

/* ---- write errors -------------------------------------------------------- */

/* Every writer reports a full disk: /dev/full unbuffered fails the first
 * write, whichever call makes it. */
TEST(write_error_returns_minus_one) {
  const char *const *names = report_writer_names();
  for (size_t i = 0; names[i] != NULL; i++) {
    struct fixture f;
    fixture_init(&f);
    struct report r = {0};
    r.writer = report_writer_find(names[i]);
    r.deterministic = true;
    r.out = fopen("/dev/full", "w");
    ASSERT_NOT_NULL(r.out);
    setvbuf(r.out, NULL, _IONBF, 0);
    int rc = r.writer->begin(&r, &fixture_info);
    if (rc == 0) rc = r.writer->write_case(&r, &f.fail);
    if (rc != -1) CHECK_FAIL_("writer '%s' returned %d", names[i], rc);
    struct run_summary s = {0};
    ASSERT_EQ_INT(r.writer->end(&r, &s), -1);
    ASSERT_NULL(r.state);
    report_release(&r);
    fclose(r.out);
    fixture_release(&f);
  }
}

TEST(write_error_on_end_frees_state) {
  const char *const *names = report_writer_names();
  for (size_t i = 0; names[i] != NULL; i++) {
    struct report r = {0};
    r.writer = report_writer_find(names[i]);
    r.out = fopen("/dev/full", "w");
    ASSERT_NOT_NULL(r.out);
    r.deterministic = true;
    /* buffered: begin may or may not fail; end must, and free state */
    (void)r.writer->begin(&r, &fixture_info);
    struct run_summary s = {0};
    ASSERT_EQ_INT(r.writer->end(&r, &s), -1);
    ASSERT_NULL(r.state);
    fclose(r.out);
  }
}
