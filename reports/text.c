/* text.c: the report people read in a terminal or a CI log (the default
 * format): one line per case under a header line per file, the details of
 * what went wrong under a failing case, a recap and a summary line.
 *
 *   reports/x.json (writers)
 *     PASS  simple-get  a simple GET is allowed
 *     FAIL  redirect-origin [chromium]  the Origin after a cross-origin redirect
 *           at reports/x.json:20:7
 *           step 1 (at 300 s): fail
 *             decision: outcome allowed, preflight none, status 200
 *             request_headers.Origin: expected "https://app.example", observed "null"
 *             console: ...
 *             redirect chain:
 *               0  GET https://api.example/old -> 302  Origin: https://app.example  CORS ok
 *               1  GET https://cdn.example/new -> 200  Origin: null  CORS ok
 *             trace:
 *                1  info  fetch#main-fetch step 12           cross-origin, mode cors
 *                2  note  fetch#http-redirect-fetch step 14  the Origin becomes 'null'
 *     ERROR no-answer: step 0: no captured response answers 'OPTIONS ...'
 *
 *   ERROR reports/bad.json:3:5: expected ',' or '}'
 *
 *   not passed:
 *     FAIL   reports/x.json redirect-origin [chromium]
 *     ERROR  reports/x.json no-answer
 *     ERROR  reports/bad.json
 *
 *   3 cases in 2 files: 1 passed, 1 failed, 1 error, 0 skipped; 1 file could not be loaded (0.01 s)
 *
 * The trace and the redirect chain of a passing step are shown only with
 * r->verbose; colour only with r->color; no timing with r->deterministic.
 * Each case is built in memory and written with one write and a flush.
 * Everything from a vector or a server goes through escape_terminal(). */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report.h"

#define GREEN "32"
#define RED "31"
#define YELLOW "33"
#define BOLD "1"
#define BOLD_RED "1;31"

/* The widest anchor column before the text goes out of line. */
#define ANCHOR_COLUMN_MAX 44

struct text_state {
  char *last_file;         /* the file of the last header line, or NULL */
  bool wrote_any;          /* a group (file header or file error) is out */
  bool last_was_file_error;
  struct escape_buf out;   /* the block being built */
  struct escape_buf recap; /* one line per case that did not pass */
};

static struct text_state *state_of(struct report *r) { return r->state; }

static void colour(struct report *r, struct escape_buf *b, const char *code) {
  if (r->color) escape_buf_printf(b, "\033[%sm", code);
}

static void colour_off(struct report *r, struct escape_buf *b) {
  if (r->color) escape_buf_puts(b, "\033[0m");
}

static const char *status_word(enum result_status s) {
  switch (s) {
  case RESULT_PASS: return "PASS";
  case RESULT_FAIL: return "FAIL";
  case RESULT_ERROR: return "ERROR";
  case RESULT_SKIP: return "SKIP";
  }
  return "?";
}

static const char *status_colour(enum result_status s) {
  switch (s) {
  case RESULT_PASS: return GREEN;
  case RESULT_FAIL: return RED;
  case RESULT_ERROR: return BOLD_RED;
  case RESULT_SKIP: return YELLOW;
  }
  return BOLD;
}

/* "PASS  ", "ERROR ": the word coloured, padded so that ids line up. */
static void add_status(struct report *r, struct escape_buf *b,
                       enum result_status s) {
  const char *word = status_word(s);
  colour(r, b, status_colour(s));
  escape_buf_puts(b, word);
  colour_off(r, b);
  escape_buf_printf(b, "%*s", (int)(6 - strlen(word)), "");
}

static bool is_default_browser(const char *browser) {
  return browser == NULL || strcmp(browser, "fetch") == 0;
}

/* The case as people name it: its id (or where it starts when it has
 * none) and the browser when it is not the plain Fetch Standard. */
static void add_case_name(struct escape_buf *b, const struct case_result *c) {
  if (c->case_id != NULL)
    escape_terminal_str(b, c->case_id);
  else
    escape_buf_printf(b, "(case at line %d)", c->line);
  if (!is_default_browser(c->browser)) {
    escape_buf_puts(b, " [");
    escape_terminal_str(b, c->browser);
    escape_buf_puts(b, "]");
  }
}

static void add_location(struct escape_buf *b, const char *file, int line,
                         int column) {
  escape_terminal_str(b, file != NULL ? file : "-");
  if (line > 0) escape_buf_printf(b, ":%d:%d", line, column);
}

/* ---- begin --------------------------------------------------------------- */

static void text_release(struct report *r) {
  struct text_state *st = state_of(r);
  if (st == NULL) return;
  free(st->last_file);
  escape_buf_release(&st->out);
  escape_buf_release(&st->recap);
  free(st);
  r->state = NULL;
}

static int text_begin(struct report *r, const struct run_info *info) {
  (void)info;
  struct text_state *st = calloc(1, sizeof *st);
  if (st == NULL) return -1;
  escape_buf_init(&st->out);
  escape_buf_init(&st->recap);
  r->state = st;
  return 0;
}

/* ---- one case ------------------------------------------------------------ */

/* Starts a new group with a header line when the file changes. */
static int add_file_header(struct report *r, struct text_state *st,
                           const struct case_result *c) {
  const char *file = c->file != NULL ? c->file : "-";
  if (st->last_file != NULL && strcmp(st->last_file, file) == 0 &&
      !st->last_was_file_error)
    return 0;
  char *copy = strdup(file);
  if (copy == NULL) return -1;
  free(st->last_file);
  st->last_file = copy;
  if (st->wrote_any) escape_buf_puts(&st->out, "\n");
  colour(r, &st->out, BOLD);
  escape_terminal_str(&st->out, file);
  colour_off(r, &st->out);
  if (c->suite != NULL) {
    escape_buf_puts(&st->out, " (");
    escape_terminal_str(&st->out, c->suite);
    escape_buf_puts(&st->out, ")");
  }
  escape_buf_puts(&st->out, "\n");
  st->wrote_any = true;
  st->last_was_file_error = false;
  return 0;
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

static const char *trace_kind_colour(enum corsim_trace_kind k) {
  switch (k) {
  case CORSIM_TRACE_FAIL: return RED;
  case CORSIM_TRACE_NOTE: return YELLOW;
  case CORSIM_TRACE_PASS: return GREEN;
  case CORSIM_TRACE_INFO: break;
  }
  return NULL;
}

/* "fetch#cors-check step 4", escaped, into `b`. */
static void add_anchor(struct escape_buf *b, const struct corsim_trace_entry *e) {
  escape_terminal_str(b, e->anchor != NULL ? e->anchor : "-");
  if (e->step != NULL && e->step[0] != '\0') {
    escape_buf_puts(b, " step ");
    escape_terminal_str(b, e->step);
  }
}

/* The trace, one numbered entry per line, anchors in a column. */
static void add_trace(struct report *r, struct escape_buf *b,
                      const struct corsim_decision *d, const char *indent) {
  if (d->trace_count == 0) return;
  escape_buf_printf(b, "%strace:\n", indent);
  int num_width = d->trace_count >= 100 ? 3 : 2;
  size_t anchor_width = 0;
  struct escape_buf anchor;
  escape_buf_init(&anchor);
  for (size_t i = 0; i < d->trace_count; i++) {
    escape_buf_reset(&anchor);
    add_anchor(&anchor, &d->trace[i]);
    if (anchor.len > anchor_width && anchor.len <= ANCHOR_COLUMN_MAX)
      anchor_width = anchor.len;
  }
  for (size_t i = 0; i < d->trace_count; i++) {
    const struct corsim_trace_entry *e = &d->trace[i];
    const char *kc = trace_kind_colour(e->kind);
    escape_buf_printf(b, "%s  %*zu  ", indent, num_width, i + 1);
    if (kc != NULL) colour(r, b, kc);
    escape_buf_puts(b, trace_kind_word(e->kind));
    if (kc != NULL) colour_off(r, b);
    escape_buf_puts(b, "  ");
    escape_buf_reset(&anchor);
    add_anchor(&anchor, e);
    escape_buf_add(b, escape_buf_str(&anchor), anchor.len);
    if (anchor.failed) b->failed = true;
    if (e->text != NULL && e->text[0] != '\0') {
      size_t pad = anchor.len < anchor_width ? anchor_width - anchor.len : 0;
      escape_buf_printf(b, "%*s  ", (int)pad, "");
      escape_terminal_str(b, e->text);
    }
    escape_buf_puts(b, "\n");
  }
  escape_buf_release(&anchor);
}

/* The request chain, hop by hop, when the fetch was redirected. */
static void add_hops(struct escape_buf *b, const struct corsim_decision *d,
                     const char *indent) {
  if (d->hop_count < 2) return;
  escape_buf_printf(b, "%sredirect chain:\n", indent);
  for (size_t i = 0; i < d->hop_count; i++) {
    const struct corsim_hop *h = &d->hops[i];
    escape_buf_printf(b, "%s  %zu  ", indent, i);
    escape_terminal_str(b, h->method != NULL ? h->method : "GET");
    escape_buf_puts(b, " ");
    escape_terminal_str(b, h->url);
    if (h->status != 0)
      escape_buf_printf(b, " -> %d", h->status);
    else
      escape_buf_puts(b, " -> no answer");
    escape_buf_puts(b, "  Origin: ");
    if (h->origin_sent != NULL)
      escape_terminal_str(b, h->origin_sent);
    else
      escape_buf_puts(b, "(not sent)");
    if (!h->cors_checked)
      escape_buf_puts(b, "  no CORS check\n");
    else
      escape_buf_puts(b, h->cors_ok ? "  CORS ok\n" : "  CORS failed\n");
  }
}

/* The decision in one line, in the vector format's words, so that a
 * mismatch on one field can be read next to the others. */
static void add_observed(struct escape_buf *b, const struct corsim_decision *d,
                         const char *indent) {
  escape_buf_printf(b, "%sdecision: outcome %s", indent,
                    corsim_outcome_name(d->outcome));
  if (d->cors_error != CORSIM_CORS_ERROR_NONE)
    escape_buf_printf(b, ", cors_error %s",
                      corsim_cors_error_name(d->cors_error));
  else if (d->blocked_reason != CORSIM_BLOCKED_NONE)
    escape_buf_printf(b, ", blocked_reason %s",
                      corsim_blocked_reason_name(d->blocked_reason));
  if (d->failed_parameter != NULL) {
    escape_buf_puts(b, ", failed_parameter '");
    escape_terminal_str(b, d->failed_parameter);
    escape_buf_puts(b, "'");
  }
  escape_buf_printf(b, ", preflight %s, status %d\n",
                    corsim_preflight_name(d->preflight), d->status);
}

/* One step's verdict in a few words, for the side-by-side table. */
static void add_verdict(struct escape_buf *b, const struct step_result *s) {
  const struct corsim_decision *d = s->decision;
  if (d == NULL) {
    escape_buf_puts(b, s->status == RESULT_SKIP ? "skipped" : "error");
    return;
  }
  escape_buf_puts(b, corsim_outcome_name(d->outcome));
  if (d->cors_error != CORSIM_CORS_ERROR_NONE)
    escape_buf_printf(b, " %s", corsim_cors_error_name(d->cors_error));
  else if (d->blocked_reason != CORSIM_BLOCKED_NONE)
    escape_buf_printf(b, " %s", corsim_blocked_reason_name(d->blocked_reason));
  escape_buf_printf(b, ", preflight %s, status %d",
                    corsim_preflight_name(d->preflight), d->status);
}

static bool same_verdict(const struct step_result *a,
                         const struct step_result *b) {
  const struct corsim_decision *x = a->decision, *y = b->decision;
  if (x == NULL || y == NULL) return x == y;
  return x->outcome == y->outcome && x->cors_error == y->cors_error &&
         x->blocked_reason == y->blocked_reason &&
         x->preflight == y->preflight && x->status == y->status;
}

/* --browser all: where the other engines decide otherwise, step by step,
 * side by side, with the trace entry where they part. */
static void add_engines(struct escape_buf *b, const struct case_result *c) {
  if (c->other_count == 0) return;
  for (size_t i = 0; i < c->step_count; i++) {
    bool differ = false;
    for (size_t k = 0; k < c->other_count; k++)
      if (i < c->others[k]->step_count &&
          !same_verdict(&c->steps[i], &c->others[k]->steps[i]))
        differ = true;
    if (!differ) continue;
    escape_buf_printf(b, "        step %zu: the engines disagree\n", i);
    escape_buf_printf(b, "          %-9s ", c->browser);
    add_verdict(b, &c->steps[i]);
    escape_buf_puts(b, "\n");
    for (size_t k = 0; k < c->other_count; k++) {
      const struct case_result *o = c->others[k];
      if (i >= o->step_count) continue;
      escape_buf_printf(b, "          %-9s ", o->browser);
      add_verdict(b, &o->steps[i]);
      escape_buf_puts(b, "\n");
      /* the first trace entry that differs from the case's own */
      const struct corsim_decision *d0 = c->steps[i].decision;
      const struct corsim_decision *d1 = o->steps[i].decision;
      if (d0 == NULL || d1 == NULL || same_verdict(&c->steps[i], &o->steps[i]))
        continue;
      for (size_t t = 0; t < d1->trace_count; t++) {
        if (t < d0->trace_count &&
            strcmp(d0->trace[t].text, d1->trace[t].text) == 0)
          continue;
        escape_buf_printf(b, "                    why: %s%s%s: ",
                          d1->trace[t].anchor, d1->trace[t].step[0] ? " step " : "",
                          d1->trace[t].step);
        escape_terminal_str(b, d1->trace[t].text);
        escape_buf_puts(b, "\n");
        break;
      }
    }
  }
}

/* What a step did, for a failing step or in verbose mode. */
static void add_step(struct report *r, struct escape_buf *b,
                     const struct case_result *c, const struct step_result *s,
                     const struct step_result *error_shown) {
  const char *in1 = "        ", *in2 = "          ";
  bool failing = s->status == RESULT_FAIL;
  if (s->status == RESULT_ERROR) {
    if (s == error_shown || s->error == NULL) return;
    escape_buf_printf(b, "%sstep %zu: ", in1, s->index);
    colour(r, b, BOLD_RED);
    escape_buf_puts(b, "error");
    colour_off(r, b);
    escape_buf_puts(b, ": ");
    escape_terminal_str(b, s->error);
    escape_buf_puts(b, "\n");
    return;
  }
  if (!failing && !(r->verbose && s->status == RESULT_PASS)) return;
  escape_buf_printf(b, "%sstep %zu", in1, s->index);
  if (c->step_count > 1) escape_buf_printf(b, " (at %g s)", s->at);
  escape_buf_puts(b, failing ? ": fail\n" : ": pass\n");
  if (s->decision != NULL) add_observed(b, s->decision, in2);
  for (size_t i = 0; i < s->mismatch_count; i++) {
    const struct result_mismatch *m = &s->mismatches[i];
    escape_buf_puts(b, in2);
    escape_terminal_str(b, m->field);
    escape_buf_puts(b, ": expected ");
    escape_terminal_str(b, m->expected);
    escape_buf_puts(b, ", observed ");
    escape_terminal_str(b, m->observed);
    escape_buf_puts(b, "\n");
  }
  if (s->console != NULL) {
    escape_buf_printf(b, "%sconsole: ", in2);
    escape_terminal_str(b, s->console);
    escape_buf_puts(b, "\n");
  }
  if (s->decision != NULL) {
    add_hops(b, s->decision, in2);
    add_trace(r, b, s->decision, in2);
  }
}

/* The first step with an error, whose message goes on the ERROR line. */
static const struct step_result *first_error_step(const struct case_result *c) {
  for (size_t i = 0; i < c->step_count; i++)
    if (c->steps[i].status == RESULT_ERROR && c->steps[i].error != NULL)
      return &c->steps[i];
  return NULL;
}

static void add_recap(struct text_state *st, const struct case_result *c) {
  struct escape_buf *b = &st->recap;
  escape_buf_printf(b, "  %-6s ", status_word(c->status));
  escape_terminal_str(b, c->file);
  escape_buf_puts(b, " ");
  add_case_name(b, c);
  escape_buf_puts(b, "\n");
}

static int text_write_case(struct report *r, const struct case_result *c) {
  struct text_state *st = state_of(r);
  if (st == NULL) return -1;
  struct escape_buf *b = &st->out;
  /* --quiet: passing cases are counted, not printed */
  if (r->quiet && c->status == RESULT_PASS) return 0;
  if (add_file_header(r, st, c) != 0) return -1;

  const struct step_result *error_step = NULL;
  escape_buf_puts(b, "  ");
  add_status(r, b, c->status);
  add_case_name(b, c);
  if (c->status == RESULT_ERROR) {
    escape_buf_puts(b, ": ");
    if (c->error != NULL) {
      escape_terminal_str(b, c->error);
    } else if ((error_step = first_error_step(c)) != NULL) {
      escape_buf_printf(b, "step %zu: ", error_step->index);
      escape_terminal_str(b, error_step->error);
    } else {
      escape_buf_puts(b, "vector error");
    }
  } else if (c->title != NULL) {
    escape_buf_puts(b, "  ");
    escape_terminal_str(b, c->title);
  }
  if (c->status == RESULT_SKIP && c->skip_reason != NULL) {
    escape_buf_puts(b, "  # ");
    escape_terminal_str(b, c->skip_reason);
  }
  escape_buf_puts(b, "\n");

  if (c->status == RESULT_FAIL && c->line > 0) {
    escape_buf_puts(b, "        at ");
    add_location(b, c->file, c->line, c->column);
    escape_buf_puts(b, "\n");
  }
  if (c->status != RESULT_SKIP)
    for (size_t i = 0; i < c->step_count; i++)
      add_step(r, b, c, &c->steps[i], error_step);
  add_engines(b, c);

  if (c->status == RESULT_FAIL || c->status == RESULT_ERROR)
    add_recap(st, c);
  if (st->recap.failed) b->failed = true;
  return report_write_buf(r, b);
}

/* ---- file errors --------------------------------------------------------- */

static int text_write_file_error(struct report *r, const struct file_error *e) {
  struct text_state *st = state_of(r);
  if (st == NULL) return -1;
  struct escape_buf *b = &st->out;
  if (st->wrote_any && !st->last_was_file_error) escape_buf_puts(b, "\n");
  colour(r, b, BOLD_RED);
  escape_buf_puts(b, "ERROR");
  colour_off(r, b);
  escape_buf_puts(b, " ");
  add_location(b, e->file, e->line, e->column);
  escape_buf_puts(b, ": ");
  escape_terminal_str(b, e->message);
  escape_buf_puts(b, "\n");
  st->wrote_any = true;
  st->last_was_file_error = true;

  escape_buf_printf(&st->recap, "  %-6s ", "ERROR");
  escape_terminal_str(&st->recap, e->file);
  escape_buf_puts(&st->recap, "\n");
  if (st->recap.failed) b->failed = true;
  return report_write_buf(r, b);
}

/* ---- end ----------------------------------------------------------------- */

/* "3 passed", coloured when not zero. */
static void add_count(struct report *r, struct escape_buf *b, size_t n,
                      const char *one, const char *many, const char *code) {
  if (n != 0) colour(r, b, code);
  escape_buf_printf(b, "%zu %s", n, n == 1 ? one : many);
  if (n != 0) colour_off(r, b);
}

static int text_end(struct report *r, const struct run_summary *s) {
  struct text_state *st = state_of(r);
  if (st == NULL) return -1;
  struct escape_buf *b = &st->out;
  if (st->wrote_any) escape_buf_puts(b, "\n");
  if (st->recap.len != 0) {
    escape_buf_puts(b, "not passed:\n");
    escape_buf_add(b, escape_buf_str(&st->recap), st->recap.len);
    escape_buf_puts(b, "\n");
  }
  if (st->recap.failed) b->failed = true;
  escape_buf_printf(b, "%zu %s in %zu %s: ", s->cases,
                    s->cases == 1 ? "case" : "cases", s->files,
                    s->files == 1 ? "file" : "files");
  add_count(r, b, s->passed, "passed", "passed", GREEN);
  escape_buf_puts(b, ", ");
  add_count(r, b, s->failed, "failed", "failed", RED);
  escape_buf_puts(b, ", ");
  add_count(r, b, s->errors, "error", "errors", BOLD_RED);
  escape_buf_puts(b, ", ");
  add_count(r, b, s->skipped, "skipped", "skipped", YELLOW);
  if (s->file_errors != 0) {
    escape_buf_puts(b, "; ");
    add_count(r, b, s->file_errors, "file could not be loaded",
              "files could not be loaded", BOLD_RED);
  }
  if (!r->deterministic) escape_buf_printf(b, " (%.2f s)", s->seconds);
  escape_buf_puts(b, "\n");
  int rc = report_write_buf(r, b);
  text_release(r);
  return rc;
}

const struct report_writer report_writer_text = {
    .name = "text",
    .begin = text_begin,
    .write_case = text_write_case,
    .write_file_error = text_write_file_error,
    .end = text_end,
    .release = text_release,
};
