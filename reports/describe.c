/* describe.c: the plain-text phrases about a case result that the JUnit,
 * SARIF, Markdown and HTML writers share, so that a mismatch or a
 * decision reads the same in every report. The text is raw (server bytes
 * as they came); each writer escapes it for its format. */
#include "describe.h"

#include <string.h>

/* The widest anchor column before the text goes out of line. */
#define DESCRIBE_ANCHOR_COLUMN_MAX 44

static void puts_or(struct escape_buf *b, const char *s, const char *none) {
  escape_buf_puts(b, s != NULL ? s : none);
}

bool describe_is_default_browser(const char *browser) {
  return browser == NULL || strcmp(browser, "fetch") == 0;
}

void describe_case_name(struct escape_buf *b, const struct case_result *c) {
  if (c->case_id != NULL && c->case_id[0] != '\0')
    escape_buf_puts(b, c->case_id);
  else
    escape_buf_printf(b, "(case at line %d)", c->line);
  if (!describe_is_default_browser(c->browser))
    escape_buf_printf(b, " [%s]", c->browser);
}

void describe_mismatch(struct escape_buf *b, const struct result_mismatch *m) {
  puts_or(b, m->field, "?");
  escape_buf_puts(b, ": expected ");
  puts_or(b, m->expected, "null");
  escape_buf_puts(b, ", observed ");
  puts_or(b, m->observed, "null");
}

void describe_decision(struct escape_buf *b, const struct corsim_decision *d) {
  escape_buf_printf(b, "outcome %s", corsim_outcome_name(d->outcome));
  if (d->cors_error != CORSIM_CORS_ERROR_NONE)
    escape_buf_printf(b, ", cors_error %s",
                      corsim_cors_error_name(d->cors_error));
  else if (d->blocked_reason != CORSIM_BLOCKED_NONE)
    escape_buf_printf(b, ", blocked_reason %s",
                      corsim_blocked_reason_name(d->blocked_reason));
  if (d->failed_parameter != NULL)
    escape_buf_printf(b, ", failed_parameter '%s'", d->failed_parameter);
  escape_buf_printf(b, ", preflight %s, status %d",
                    corsim_preflight_name(d->preflight), d->status);
}

void describe_verdict(struct escape_buf *b, const struct corsim_decision *d) {
  switch (d->outcome) {
  case CORSIM_OUTCOME_ALLOWED:
    escape_buf_printf(b, "allowed, status %d", d->status);
    return;
  case CORSIM_OUTCOME_OPAQUE:
    escape_buf_puts(b, "opaque response");
    return;
  case CORSIM_OUTCOME_BLOCKED:
    break;
  }
  escape_buf_puts(b, "blocked");
  if (d->cors_error != CORSIM_CORS_ERROR_NONE)
    escape_buf_printf(b, ": %s", corsim_cors_error_name(d->cors_error));
  else if (d->blocked_reason != CORSIM_BLOCKED_NONE)
    escape_buf_printf(b, ": %s", corsim_blocked_reason_name(d->blocked_reason));
}

void describe_case_error(struct escape_buf *b, const struct case_result *c) {
  if (c->error != NULL) {
    escape_buf_puts(b, c->error);
    return;
  }
  for (size_t i = 0; i < c->step_count; i++)
    if (c->steps[i].status == RESULT_ERROR && c->steps[i].error != NULL) {
      escape_buf_printf(b, "step %zu: %s", c->steps[i].index,
                        c->steps[i].error);
      return;
    }
  escape_buf_puts(b, "vector error");
}

size_t describe_mismatch_count(const struct case_result *c) {
  size_t n = 0;
  for (size_t i = 0; i < c->step_count; i++) n += c->steps[i].mismatch_count;
  return n;
}

void describe_case_problem(struct escape_buf *b, const struct case_result *c) {
  switch (c->status) {
  case RESULT_PASS:
    return;
  case RESULT_ERROR:
    describe_case_error(b, c);
    return;
  case RESULT_SKIP:
    escape_buf_puts(b, c->skip_reason != NULL ? c->skip_reason : "skipped");
    return;
  case RESULT_FAIL:
    break;
  }
  for (size_t i = 0; i < c->step_count; i++) {
    const struct step_result *s = &c->steps[i];
    if (s->status != RESULT_FAIL) continue;
    if (c->step_count > 1) escape_buf_printf(b, "step %zu: ", s->index);
    if (s->mismatch_count == 0) {
      escape_buf_puts(b, "the expectation does not hold");
      return;
    }
    describe_mismatch(b, &s->mismatches[0]);
    size_t more = describe_mismatch_count(c) - 1;
    if (more != 0)
      escape_buf_printf(b, " (and %zu more %s)", more,
                        more == 1 ? "difference" : "differences");
    return;
  }
  escape_buf_puts(b, "the expectation does not hold");
}

void describe_anchor(struct escape_buf *b, const struct corsim_trace_entry *e) {
  puts_or(b, e->anchor, "-");
  if (e->step != NULL && e->step[0] != '\0')
    escape_buf_printf(b, " step %s", e->step);
}

static const char *trace_kind_word(enum corsim_trace_kind k) {
  switch (k) {
  case CORSIM_TRACE_INFO: return "info";
  case CORSIM_TRACE_PASS: return "pass";
  case CORSIM_TRACE_FAIL: return "FAIL";
  case CORSIM_TRACE_NOTE: return "note";
  }
  return "?";
}

void describe_step(struct escape_buf *b, const struct case_result *c,
                   const struct step_result *s, const char *indent) {
  escape_buf_printf(b, "%sstep %zu", indent, s->index);
  if (c->step_count > 1) escape_buf_printf(b, " (at %g s)", s->at);
  escape_buf_printf(b, ": %s\n", result_status_name(s->status));
  if (s->error != NULL) escape_buf_printf(b, "%s  error: %s\n", indent, s->error);
  const struct corsim_decision *d = s->decision;
  if (d != NULL) {
    escape_buf_printf(b, "%s  decision: ", indent);
    describe_decision(b, d);
    escape_buf_puts(b, "\n");
  }
  for (size_t i = 0; i < s->mismatch_count; i++) {
    escape_buf_printf(b, "%s  ", indent);
    describe_mismatch(b, &s->mismatches[i]);
    escape_buf_puts(b, "\n");
  }
  if (s->console != NULL)
    escape_buf_printf(b, "%s  console: %s\n", indent, s->console);
  if (d == NULL) return;
  if (d->hop_count > 1) {
    escape_buf_printf(b, "%s  redirect chain:\n", indent);
    for (size_t i = 0; i < d->hop_count; i++) {
      const struct corsim_hop *h = &d->hops[i];
      escape_buf_printf(b, "%s    %zu  %s %s -> ", indent, i,
                        h->method != NULL ? h->method : "GET",
                        h->url != NULL ? h->url : "-");
      if (h->status != 0)
        escape_buf_printf(b, "%d", h->status);
      else
        escape_buf_puts(b, "no answer");
      escape_buf_printf(b, "  Origin: %s\n",
                        h->origin_sent != NULL ? h->origin_sent
                                               : "(not sent)");
    }
  }
  if (d->trace_count != 0) {
    /* the anchors in a column, as the text report has them */
    struct escape_buf anchor;
    escape_buf_init(&anchor);
    size_t width = 0;
    for (size_t i = 0; i < d->trace_count; i++) {
      escape_buf_reset(&anchor);
      describe_anchor(&anchor, &d->trace[i]);
      if (anchor.len > width && anchor.len <= DESCRIBE_ANCHOR_COLUMN_MAX)
        width = anchor.len;
    }
    escape_buf_printf(b, "%s  trace:\n", indent);
    for (size_t i = 0; i < d->trace_count; i++) {
      const struct corsim_trace_entry *e = &d->trace[i];
      escape_buf_printf(b, "%s    %2zu  %s  ", indent, i + 1,
                        trace_kind_word(e->kind));
      escape_buf_reset(&anchor);
      describe_anchor(&anchor, e);
      escape_buf_add(b, escape_buf_str(&anchor), anchor.len);
      if (e->text != NULL && e->text[0] != '\0')
        escape_buf_printf(b, "%*s  %s",
                          (int)(anchor.len < width ? width - anchor.len : 0),
                          "", e->text);
      escape_buf_puts(b, "\n");
    }
    if (anchor.failed) b->failed = true;
    escape_buf_release(&anchor);
  }
}
