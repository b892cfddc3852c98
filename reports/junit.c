/* junit.c: the JUnit XML report that CI systems read (GitHub Actions test
 * reporters such as dorny/test-reporter and mikepenz/action-junit-report,
 * GitLab, Jenkins, Azure DevOps): one <testsuite> per vector file, one
 * <testcase> per case.
 *
 *   <?xml version="1.0" encoding="UTF-8"?>
 *   <testsuites name="corsim">
 *     <testsuite name="reports/x.json" tests="3" failures="1" errors="1"
 *                skipped="0" time="0.004">
 *       <properties><property name="suite" value="writers"/></properties>
 *       <testcase classname="reports.x" name="redirect-origin [chromium]"
 *                 time="0.001" file="reports/x.json" line="20">
 *         <properties>
 *           <property name="browser" value="chromium"/>
 *           <property name="spec" value="fetch#http-redirect-fetch"/>
 *           <property name="tags" value="redirect origin"/>
 *           <property name="title" value="..."/>
 *         </properties>
 *         <failure message="step 1: request_headers.Origin: expected ..."
 *                  type="mismatch">step 1 (at 300 s): fail
 *     decision: ...
 *     trace: ...</failure>
 *         <system-out>step 1: Access to fetch at ...</system-out>
 *       </testcase>
 *     </testsuite>
 *   </testsuites>
 *
 * A vector error is <error type="vector-error">, a skipped case
 * <skipped message="reason"/>, and a file that could not be loaded a
 * testsuite of its own holding one testcase named "(load)" with an
 * <error>. Properties sit first in a testcase, as pytest writes them;
 * readers that know only the Ant schema skip them.
 *
 * A <testsuite> carries its counts in its attributes, so the cases of one
 * file are buffered (files arrive one after another) and the element is
 * written when the file changes, at a file error, or at end. The root
 * element is written at begin and so carries no counts: readers add up
 * the testsuites. Times are seconds with three decimals; with
 * r->deterministic a testcase says time="0" and a testsuite no time.
 *
 * Everything from a vector or a server goes through escape_xml(), which
 * writes the bytes XML 1.0 cannot carry (even as character references) as
 * the text \xNN, so no answer can break the document. */
#include <stdlib.h>
#include <string.h>

#include "describe.h"
#include "escape.h"
#include "report.h"

struct junit_state {
  char *file;  /* the file whose cases are buffered, or NULL */
  char *suite; /* its suite name, or NULL */
  size_t tests, failures, errors, skipped;
  double seconds;
  struct escape_buf cases; /* the <testcase> elements of `file` */
  struct escape_buf out;   /* what goes out next */
  struct escape_buf tmp;   /* raw text before it is escaped */
};

static void xml(struct escape_buf *b, const char *s, bool attribute) {
  if (s != NULL) escape_xml(b, s, strlen(s), attribute);
}

/* Escapes what `tmp` holds into `b` and empties `tmp`. */
static void xml_tmp(struct junit_state *st, struct escape_buf *b,
                    bool attribute) {
  if (st->tmp.failed) b->failed = true;
  escape_xml(b, escape_buf_str(&st->tmp), st->tmp.len, attribute);
  escape_buf_reset(&st->tmp);
}

/* ` name="value"`, the value escaped. */
static void add_attr(struct escape_buf *b, const char *name, const char *value) {
  escape_buf_printf(b, " %s=\"", name);
  xml(b, value, true);
  escape_buf_puts(b, "\"");
}

static void add_time(struct report *r, struct escape_buf *b, double seconds) {
  if (r->deterministic || seconds < 0) seconds = 0;
  if (seconds == 0)
    escape_buf_puts(b, " time=\"0\"");
  else
    escape_buf_printf(b, " time=\"%.3f\"", seconds);
}

/* "reports/tests/suite.json" -> "reports.tests.suite": the file path as a
 * Java-like class name, which CI reporters group by. */
static void add_classname(struct junit_state *st, struct escape_buf *b,
                          const char *file) {
  if (file == NULL) file = "-";
  while (file[0] == '.' && file[1] == '/') file += 2;
  while (file[0] == '/') file++;
  size_t len = strlen(file);
  if (len > 5 && strcmp(file + len - 5, ".json") == 0) len -= 5;
  for (size_t i = 0; i < len; i++)
    escape_buf_add(&st->tmp, file[i] == '/' ? "." : file + i, 1);
  escape_buf_puts(b, " classname=\"");
  xml_tmp(st, b, true);
  escape_buf_puts(b, "\"");
}

/* A property whose value is a list, joined by spaces. */
static void add_list_property(struct junit_state *st, struct escape_buf *b,
                              const char *name, const char *const *items,
                              size_t count) {
  for (size_t i = 0; i < count; i++) {
    if (i != 0) escape_buf_puts(&st->tmp, " ");
    if (items[i] != NULL) escape_buf_puts(&st->tmp, items[i]);
  }
  escape_buf_printf(b, "        <property name=\"%s\" value=\"", name);
  xml_tmp(st, b, true);
  escape_buf_puts(b, "\"/>\n");
}

static void add_property(struct escape_buf *b, const char *indent,
                         const char *name, const char *value) {
  escape_buf_printf(b, "%s<property name=\"%s\"", indent, name);
  add_attr(b, "value", value);
  escape_buf_puts(b, "/>\n");
}

/* The <failure> or <error> body: every step that did not pass, in full. */
static void add_steps_text(struct junit_state *st, struct escape_buf *b,
                           const struct case_result *c) {
  for (size_t i = 0; i < c->step_count; i++) {
    const struct step_result *s = &c->steps[i];
    if (s->status == RESULT_FAIL || s->status == RESULT_ERROR)
      describe_step(&st->tmp, c, s, "");
  }
  xml_tmp(st, b, false);
}

static void render_case(struct report *r, struct junit_state *st,
                        const struct case_result *c) {
  struct escape_buf *b = &st->cases;
  escape_buf_puts(b, "    <testcase");
  add_classname(st, b, c->file);
  describe_case_name(&st->tmp, c);
  escape_buf_puts(b, " name=\"");
  xml_tmp(st, b, true);
  escape_buf_puts(b, "\"");
  add_time(r, b, c->seconds);
  add_attr(b, "file", c->file != NULL ? c->file : "-");
  if (c->line > 0) escape_buf_printf(b, " line=\"%d\"", c->line);
  escape_buf_puts(b, ">\n      <properties>\n");
  add_property(b, "        ", "browser", c->browser != NULL ? c->browser : "fetch");
  if (c->spec_count != 0)
    add_list_property(st, b, "spec", c->spec, c->spec_count);
  if (c->tag_count != 0)
    add_list_property(st, b, "tags", c->tags, c->tag_count);
  if (c->title != NULL && c->title[0] != '\0')
    add_property(b, "        ", "title", c->title);
  escape_buf_puts(b, "      </properties>\n");

  switch (c->status) {
  case RESULT_PASS:
    break;
  case RESULT_FAIL:
    describe_case_problem(&st->tmp, c);
    escape_buf_puts(b, "      <failure message=\"");
    xml_tmp(st, b, true);
    escape_buf_puts(b, "\" type=\"mismatch\">");
    add_steps_text(st, b, c);
    escape_buf_puts(b, "</failure>\n");
    break;
  case RESULT_ERROR:
    describe_case_error(&st->tmp, c);
    escape_buf_puts(b, "      <error message=\"");
    xml_tmp(st, b, true);
    escape_buf_puts(b, "\" type=\"vector-error\">");
    if (c->error != NULL) {
      /* a case-level error already says where */
      xml(b, c->error, false);
    } else {
      add_steps_text(st, b, c);
    }
    escape_buf_puts(b, "</error>\n");
    break;
  case RESULT_SKIP:
    escape_buf_puts(b, "      <skipped");
    if (c->skip_reason != NULL) add_attr(b, "message", c->skip_reason);
    escape_buf_puts(b, "/>\n");
    break;
  }

  bool any_console = false;
  for (size_t i = 0; i < c->step_count; i++)
    if (c->steps[i].console != NULL) {
      if (c->step_count > 1)
        escape_buf_printf(&st->tmp, "step %zu: ", c->steps[i].index);
      escape_buf_puts(&st->tmp, c->steps[i].console);
      escape_buf_puts(&st->tmp, "\n");
      any_console = true;
    }
  if (any_console) {
    escape_buf_puts(b, "      <system-out>");
    xml_tmp(st, b, false);
    escape_buf_puts(b, "</system-out>\n");
  }
  escape_buf_puts(b, "    </testcase>\n");
}

/* Writes the buffered testsuite, if any, and forgets it. */
static int flush_suite(struct report *r, struct junit_state *st) {
  if (st->file == NULL) return 0;
  struct escape_buf *b = &st->out;
  escape_buf_puts(b, "  <testsuite");
  add_attr(b, "name", st->file);
  escape_buf_printf(b, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
                       "skipped=\"%zu\"",
                    st->tests, st->failures, st->errors, st->skipped);
  if (!r->deterministic) escape_buf_printf(b, " time=\"%.3f\"", st->seconds);
  escape_buf_puts(b, ">\n");
  if (st->suite != NULL) {
    escape_buf_puts(b, "    <properties>\n");
    add_property(b, "      ", "suite", st->suite);
    escape_buf_puts(b, "    </properties>\n");
  }
  escape_buf_add(b, escape_buf_str(&st->cases), st->cases.len);
  if (st->cases.failed) b->failed = true;
  escape_buf_puts(b, "  </testsuite>\n");
  escape_buf_reset(&st->cases);
  free(st->file);
  free(st->suite);
  st->file = st->suite = NULL;
  st->tests = st->failures = st->errors = st->skipped = 0;
  st->seconds = 0;
  return report_write_buf(r, b);
}

/* Starts buffering the testsuite of `file`; -1 when out of memory. */
static int start_suite(struct junit_state *st, const char *file,
                       const char *suite) {
  st->file = strdup(file != NULL ? file : "-");
  st->suite = suite != NULL ? strdup(suite) : NULL;
  if (st->file == NULL || (suite != NULL && st->suite == NULL)) return -1;
  return 0;
}

/* ---- the writer ---------------------------------------------------------- */

static void junit_release(struct report *r) {
  struct junit_state *st = r->state;
  if (st == NULL) return;
  free(st->file);
  free(st->suite);
  escape_buf_release(&st->cases);
  escape_buf_release(&st->out);
  escape_buf_release(&st->tmp);
  free(st);
  r->state = NULL;
}

static int junit_begin(struct report *r, const struct run_info *info) {
  struct junit_state *st = calloc(1, sizeof *st);
  if (st == NULL) return -1;
  escape_buf_init(&st->cases);
  escape_buf_init(&st->out);
  escape_buf_init(&st->tmp);
  r->state = st;
  escape_buf_puts(&st->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  escape_buf_puts(&st->out, "<!-- corsim ");
  xml(&st->out, info != NULL && info->version != NULL ? info->version
                                                       : CORSIM_VERSION,
      false);
  escape_buf_puts(&st->out, ": CORS test vectors, one testsuite per file -->\n"
                            "<testsuites name=\"corsim\">\n");
  return report_write_buf(r, &st->out);
}

static int junit_write_case(struct report *r, const struct case_result *c) {
  struct junit_state *st = r->state;
  if (st == NULL) return -1;
  const char *file = c->file != NULL ? c->file : "-";
  if (st->file != NULL && strcmp(st->file, file) != 0 &&
      flush_suite(r, st) != 0)
    return -1;
  if (st->file == NULL && start_suite(st, file, c->suite) != 0) return -1;
  st->tests++;
  if (c->status == RESULT_FAIL) st->failures++;
  if (c->status == RESULT_ERROR) st->errors++;
  if (c->status == RESULT_SKIP) st->skipped++;
  if (c->seconds > 0) st->seconds += c->seconds;
  render_case(r, st, c);
  return st->cases.failed || st->tmp.failed ? -1 : 0;
}

static int junit_write_file_error(struct report *r, const struct file_error *e) {
  struct junit_state *st = r->state;
  if (st == NULL) return -1;
  if (flush_suite(r, st) != 0) return -1;
  if (start_suite(st, e->file, NULL) != 0) return -1;
  st->tests = st->errors = 1;
  struct escape_buf *b = &st->cases;
  escape_buf_puts(b, "    <testcase");
  add_classname(st, b, e->file);
  escape_buf_puts(b, " name=\"(load)\"");
  add_time(r, b, 0);
  add_attr(b, "file", e->file != NULL ? e->file : "-");
  if (e->line > 0) escape_buf_printf(b, " line=\"%d\"", e->line);
  escape_buf_puts(b, ">\n      <error message=\"");
  xml(b, e->message != NULL ? e->message : "cannot load", true);
  escape_buf_puts(b, "\" type=\"vector-error\">");
  escape_buf_puts(&st->tmp, e->file != NULL ? e->file : "-");
  if (e->line > 0) escape_buf_printf(&st->tmp, ":%d:%d", e->line, e->column);
  escape_buf_printf(&st->tmp, ": %s",
                    e->message != NULL ? e->message : "cannot load");
  xml_tmp(st, b, false);
  escape_buf_puts(b, "</error>\n    </testcase>\n");
  return flush_suite(r, st);
}

static int junit_end(struct report *r, const struct run_summary *s) {
  (void)s;
  struct junit_state *st = r->state;
  if (st == NULL) return -1;
  int rc = flush_suite(r, st);
  if (rc == 0) {
    escape_buf_puts(&st->out, "</testsuites>\n");
    rc = report_write_buf(r, &st->out);
  }
  junit_release(r);
  return rc;
}

const struct report_writer report_writer_junit = {
    .name = "junit",
    .begin = junit_begin,
    .write_case = junit_write_case,
    .write_file_error = junit_write_file_error,
    .end = junit_end,
    .release = junit_release,
};
