/* tap.c: the TAP 14 report, one test point per case, streamed, with a
 * YAML diagnostic block under each point that did not pass and the plan
 * at the end.
 *
 *   TAP version 14
 *   ok 1 - reports/tests/suite.json simple-get-allowed
 *   not ok 2 - reports/tests/suite.json redirect-origin-kept [chromium]
 *     ---
 *     status: "fail"
 *     file: "reports/tests/suite.json"
 *     line: 60
 *     ...
 *     steps:
 *       - step: 0
 *         status: "fail"
 *         mismatches:
 *           - field: "request_headers.Origin"
 *             expected: "https://app.example"
 *             observed: "null"
 *     ...
 *   ok 3 - reports/tests/suite.json slow-case # SKIP waits for the cache model
 *   # 3 cases in 1 file: 1 passed, 1 failed, 0 errors, 1 skipped
 *   1..3
 *
 * A vector error is `not ok` with the message in the YAML block (the
 * description carries no directive: TAP has none for "error"). A file that
 * could not be loaded is a `not ok` point too. Only test points start with
 * "ok " or "not ok ": every other line is indented or a comment, since
 * make test counts those lines.
 *
 * Descriptions are terminal-escaped, which also doubles `\`, and `#` is
 * written `\#` as TAP 14 asks. YAML values are double-quoted scalars
 * (escape_yaml); a mismatch's expected/observed JSON text is written as
 * the JSON value itself, which YAML reads as the same value. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "escape.h"
#include "report.h"

struct tap_state {
  size_t points; /* test points written so far */
  struct escape_buf out;
  struct escape_buf tmp;
};

/* `s` escaped for a description: terminal-safe, `#` as `\#`. */
static void add_description_part(struct tap_state *st, const char *s) {
  escape_buf_reset(&st->tmp);
  escape_terminal_str(&st->tmp, s);
  if (st->tmp.failed) st->out.failed = true;
  const char *t = escape_buf_str(&st->tmp);
  for (size_t i = 0; i < st->tmp.len; i++) {
    if (t[i] == '#')
      escape_buf_puts(&st->out, "\\#");
    else
      escape_buf_add(&st->out, t + i, 1);
  }
}

/* key: "value" at `indent`; nothing for a NULL value. */
static void add_yaml_string(struct escape_buf *b, const char *indent,
                            const char *key, const char *value) {
  if (value == NULL) return;
  escape_buf_printf(b, "%s%s: \"", indent, key);
  escape_yaml(b, value, strlen(value));
  escape_buf_puts(b, "\"\n");
}

/* key: <the JSON text as a YAML flow value>. The text is parsed with
 * cJSON and printed back, so what is written is valid JSON (hence YAML)
 * on one line; a text that does not parse is written as a string. */
static void add_yaml_json(struct escape_buf *b, const char *indent,
                          const char *key, const char *json) {
  if (json == NULL) {
    escape_buf_printf(b, "%s%s: null\n", indent, key);
    return;
  }
  struct escape_buf clean;
  escape_buf_init(&clean);
  escape_json_text(&clean, json, strlen(json));
  cJSON *node = clean.failed
                    ? NULL
                    : cJSON_ParseWithLength(escape_buf_str(&clean), clean.len);
  escape_buf_release(&clean);
  char *text = node != NULL ? cJSON_PrintUnformatted(node) : NULL;
  cJSON_Delete(node);
  if (text == NULL) {
    add_yaml_string(b, indent, key, json);
    return;
  }
  escape_buf_printf(b, "%s%s: ", indent, key);
  escape_json_output(b, text, strlen(text), 0);
  escape_buf_puts(b, "\n");
  cJSON_free(text);
}

static void add_step_diagnostics(struct escape_buf *b,
                                 const struct step_result *s) {
  escape_buf_printf(b, "    - step: %zu\n", s->index);
  escape_buf_printf(b, "      at: %g\n", s->at);
  escape_buf_printf(b, "      status: \"%s\"\n", result_status_name(s->status));
  add_yaml_string(b, "      ", "error", s->error);
  if (s->mismatch_count != 0) {
    escape_buf_puts(b, "      mismatches:\n");
    for (size_t i = 0; i < s->mismatch_count; i++) {
      const struct result_mismatch *m = &s->mismatches[i];
      escape_buf_puts(b, "        - field: \"");
      escape_yaml(b, m->field != NULL ? m->field : "",
                  m->field != NULL ? strlen(m->field) : 0);
      escape_buf_puts(b, "\"\n");
      add_yaml_json(b, "          ", "expected", m->expected);
      add_yaml_json(b, "          ", "observed", m->observed);
    }
  }
  add_yaml_string(b, "      ", "console", s->console);
}

static void add_diagnostics(struct escape_buf *b, const struct case_result *c) {
  escape_buf_puts(b, "  ---\n");
  escape_buf_printf(b, "  status: \"%s\"\n", result_status_name(c->status));
  add_yaml_string(b, "  ", "file", c->file);
  if (c->line > 0) {
    escape_buf_printf(b, "  line: %d\n", c->line);
    escape_buf_printf(b, "  column: %d\n", c->column);
  }
  if (c->title != NULL && c->title[0] != '\0')
    add_yaml_string(b, "  ", "title", c->title);
  add_yaml_string(b, "  ", "browser", c->browser);
  add_yaml_string(b, "  ", "error", c->error);
  bool any = false;
  for (size_t i = 0; i < c->step_count; i++) {
    const struct step_result *s = &c->steps[i];
    if (s->status != RESULT_FAIL && s->status != RESULT_ERROR) continue;
    if (!any) escape_buf_puts(b, "  steps:\n");
    any = true;
    add_step_diagnostics(b, s);
  }
  escape_buf_puts(b, "  ...\n");
}

/* ---- the writer ---------------------------------------------------------- */

static void tap_release(struct report *r) {
  struct tap_state *st = r->state;
  if (st == NULL) return;
  escape_buf_release(&st->out);
  escape_buf_release(&st->tmp);
  free(st);
  r->state = NULL;
}

static int tap_begin(struct report *r, const struct run_info *info) {
  (void)info;
  struct tap_state *st = calloc(1, sizeof *st);
  if (st == NULL) return -1;
  escape_buf_init(&st->out);
  escape_buf_init(&st->tmp);
  r->state = st;
  escape_buf_puts(&st->out, "TAP version 14\n");
  return report_write_buf(r, &st->out);
}

static int tap_write_case(struct report *r, const struct case_result *c) {
  struct tap_state *st = r->state;
  if (st == NULL) return -1;
  struct escape_buf *b = &st->out;
  bool ok = c->status == RESULT_PASS || c->status == RESULT_SKIP;
  st->points++;
  escape_buf_printf(b, "%s %zu - ", ok ? "ok" : "not ok", st->points);
  add_description_part(st, c->file != NULL ? c->file : "-");
  escape_buf_puts(b, " ");
  if (c->case_id != NULL)
    add_description_part(st, c->case_id);
  else
    escape_buf_printf(b, "(case at line %d)", c->line);
  if (c->browser != NULL && strcmp(c->browser, "fetch") != 0) {
    escape_buf_puts(b, " [");
    add_description_part(st, c->browser);
    escape_buf_puts(b, "]");
  }
  if (c->status == RESULT_SKIP) {
    escape_buf_puts(b, " # SKIP");
    if (c->skip_reason != NULL) {
      escape_buf_puts(b, " ");
      escape_terminal_str(b, c->skip_reason);
    }
  }
  escape_buf_puts(b, "\n");
  if (!ok) add_diagnostics(b, c);
  return report_write_buf(r, b);
}

static int tap_write_file_error(struct report *r, const struct file_error *e) {
  struct tap_state *st = r->state;
  if (st == NULL) return -1;
  struct escape_buf *b = &st->out;
  st->points++;
  escape_buf_printf(b, "not ok %zu - ", st->points);
  add_description_part(st, e->file != NULL ? e->file : "-");
  escape_buf_puts(b, "\n  ---\n");
  add_yaml_string(b, "  ", "file", e->file);
  if (e->line > 0) {
    escape_buf_printf(b, "  line: %d\n", e->line);
    escape_buf_printf(b, "  column: %d\n", e->column);
  }
  add_yaml_string(b, "  ", "error", e->message != NULL ? e->message : "");
  escape_buf_puts(b, "  ...\n");
  return report_write_buf(r, b);
}

static int tap_end(struct report *r, const struct run_summary *s) {
  struct tap_state *st = r->state;
  if (st == NULL) return -1;
  struct escape_buf *b = &st->out;
  escape_buf_printf(b, "# %zu %s in %zu %s: %zu passed, %zu failed, %zu %s, "
                    "%zu skipped",
                    s->cases, s->cases == 1 ? "case" : "cases", s->files,
                    s->files == 1 ? "file" : "files", s->passed, s->failed,
                    s->errors, s->errors == 1 ? "error" : "errors",
                    s->skipped);
  if (s->file_errors != 0)
    escape_buf_printf(b, "; %zu %s", s->file_errors,
                      s->file_errors == 1 ? "file could not be loaded"
                                          : "files could not be loaded");
  if (!r->deterministic) escape_buf_printf(b, " (%.2f s)", s->seconds);
  escape_buf_printf(b, "\n1..%zu\n", st->points);
  int rc = report_write_buf(r, b);
  tap_release(r);
  return rc;
}

const struct report_writer report_writer_tap = {
    .name = "tap",
    .begin = tap_begin,
    .write_case = tap_write_case,
    .write_file_error = tap_write_file_error,
    .end = tap_end,
    .release = tap_release,
};
