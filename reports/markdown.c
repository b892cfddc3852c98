/* markdown.c: the GitHub-flavoured Markdown summary for a pull-request
 * comment or $GITHUB_STEP_SUMMARY: the counts, a table of the cases that
 * did not pass, and a collapsed <details> block per such case with its
 * decision and trace.
 *
 *   ## corsim report
 *
 *   | cases | ✅ passed | ❌ failed | ⚠️ errors | ⏭️ skipped | files | not loaded |
 *   | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
 *   | 7 | 4 | 1 | 2 | 0 | 1 | 0 |
 *
 *   ### Not passed
 *
 *   | | file | case | browser | what differs |
 *   | :-- | :-- | :-- | :-- | :-- |
 *   | ❌ fail | reports/x.json:20 | redirect-origin | chromium | request\_headers.Origin: expected ... |
 *
 *   <details><summary>❌ redirect-origin [chromium] (reports/x.json:20)</summary>
 *
 *   the Origin after a cross-origin redirect
 *
 *   spec: [fetch#http-redirect-fetch](https://fetch.spec.whatwg.org/#http-redirect-fetch)
 *
 *   <pre>
 *   step 1 (at 300 s): fail
 *     decision: ...
 *   </pre>
 *
 *   </details>
 *
 * The counts are known only at the end, so begin writes the heading and
 * end writes the rest; the rows and blocks are kept until then. Caps keep
 * the comment within what GitHub accepts (a comment holds 65536
 * characters): at most MARKDOWN_MAX_ROWS rows and MARKDOWN_MAX_DETAILS
 * blocks, then one line says how many were left out.
 *
 * Escaping. In table cells and paragraphs, text from vectors and servers
 * is first made terminal-safe (escape_terminal: control and invalid bytes
 * as \xNN, `\` doubled, so no raw newline can end a row), then Markdown's
 * punctuation is backslash-escaped (`|` included, which GitHub honours
 * inside tables), and `<`, `>`, `&` become entities so no HTML gets in.
 * In <summary> and <pre>, which GitHub reads as raw HTML blocks, the text
 * goes through escape_xml instead; `</pre>` cannot end the block early
 * because its `<` is an entity. */
#include <stdlib.h>
#include <string.h>

#include "describe.h"
#include "escape.h"
#include "report.h"

#define MARKDOWN_MAX_ROWS 250
#define MARKDOWN_MAX_DETAILS 50

struct markdown_state {
  size_t rows, details;            /* written into the buffers */
  size_t rows_left_out, details_left_out;
  struct escape_buf table;   /* the rows of the "Not passed" table */
  struct escape_buf blocks;  /* the <details> blocks */
  struct escape_buf out;
  struct escape_buf tmp;
};

/* Markdown text that renders as `s` itself: see the file comment. */
static void md_text(struct markdown_state *st, struct escape_buf *b,
                    const char *s, size_t len) {
  /* what can start emphasis, code, a link, strikethrough, maths or end a
   * table cell anywhere in a line (line-start markers such as `#` or `-`
   * never arise: every text is written after something of ours) */
  static const char punct[] = "`*_[]|~$";
  escape_buf_reset(&st->tmp);
  escape_terminal(&st->tmp, s, len);
  if (st->tmp.failed) b->failed = true;
  const char *t = escape_buf_str(&st->tmp);
  for (size_t i = 0; i < st->tmp.len; i++) {
    char ch = t[i];
    if (ch == '\\') {
      /* escape_terminal's own escapes (\\, \xNN, \u{...}) already read
       * as themselves in Markdown: `\\` is one backslash, and `\x` is a
       * backslash and an x */
      size_t n = t[i + 1] == '\\' ? 2 : 1;
      escape_buf_add(b, t + i, n);
      i += n - 1;
    } else if (ch == '<') {
      escape_buf_puts(b, "&lt;");
    } else if (ch == '>') {
      escape_buf_puts(b, "&gt;");
    } else if (ch == '&') {
      escape_buf_puts(b, "&amp;");
    } else if (strchr(punct, ch) != NULL) {
      escape_buf_add(b, "\\", 1);
      escape_buf_add(b, &ch, 1);
    } else {
      escape_buf_add(b, &ch, 1);
    }
  }
  escape_buf_reset(&st->tmp);
}

static void md_str(struct markdown_state *st, struct escape_buf *b,
                   const char *s) {
  if (s != NULL) md_text(st, b, s, strlen(s));
}

static void html_str(struct escape_buf *b, const char *s) {
  if (s != NULL) escape_xml(b, s, strlen(s), false);
}

/* A link target: only https URLs; bytes that could end the link are
 * percent-encoded. False when `url` is no https URL. */
static bool add_md_url(struct escape_buf *b, const char *url) {
  if (strncmp(url, "https://", 8) != 0) return false;
  for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
    if (*p <= 0x20 || *p >= 0x7f || strchr("()<>[]\"'`|\\", *p) != NULL)
      escape_buf_printf(b, "%%%02X", *p);
    else
      escape_buf_add(b, (const char *)p, 1);
  }
  return true;
}

static const char *status_mark(enum result_status s) {
  switch (s) {
  case RESULT_PASS: return "\xe2\x9c\x85";                 /* ✅ */
  case RESULT_FAIL: return "\xe2\x9d\x8c";                 /* ❌ */
  case RESULT_ERROR: return "\xe2\x9a\xa0\xef\xb8\x8f";    /* ⚠️ */
  case RESULT_SKIP: return "\xe2\x8f\xad\xef\xb8\x8f";     /* ⏭️ */
  }
  return "?";
}

/* ---- the rows and blocks ------------------------------------------------- */

static void add_row(struct markdown_state *st, const struct case_result *c) {
  struct escape_buf *b = &st->table;
  escape_buf_printf(b, "| %s %s | ", status_mark(c->status),
                    result_status_name(c->status));
  md_str(st, b, c->file != NULL ? c->file : "-");
  if (c->line > 0) escape_buf_printf(b, ":%d", c->line);
  escape_buf_puts(b, " | ");
  if (c->case_id != NULL && c->case_id[0] != '\0')
    md_str(st, b, c->case_id);
  else
    escape_buf_printf(b, "(case at line %d)", c->line);
  escape_buf_puts(b, " | ");
  md_str(st, b, c->browser != NULL ? c->browser : "fetch");
  escape_buf_puts(b, " | ");
  struct escape_buf line;
  escape_buf_init(&line);
  if (c->status == RESULT_ERROR) {
    describe_case_error(&line, c);
    md_text(st, b, escape_buf_str(&line), line.len);
  } else {
    bool first = true;
    for (size_t i = 0; i < c->step_count; i++) {
      const struct step_result *s = &c->steps[i];
      for (size_t k = 0; s->status == RESULT_FAIL && k < s->mismatch_count;
           k++) {
        escape_buf_reset(&line);
        if (c->step_count > 1) escape_buf_printf(&line, "step %zu: ", s->index);
        describe_mismatch(&line, &s->mismatches[k]);
        if (!first) escape_buf_puts(b, "<br>");
        md_text(st, b, escape_buf_str(&line), line.len);
        first = false;
      }
    }
    if (first) escape_buf_puts(b, "the expectation does not hold");
  }
  if (line.failed) b->failed = true;
  escape_buf_release(&line);
  escape_buf_puts(b, " |\n");
  st->rows++;
}

static void add_spec_links(struct markdown_state *st, struct escape_buf *b,
                           const struct case_result *c) {
  if (c->spec_count == 0) return;
  escape_buf_puts(b, "spec:");
  for (size_t i = 0; i < c->spec_count; i++) {
    char url[512];
    const char *anchor = c->spec[i] != NULL ? c->spec[i] : "";
    size_t n = corsim_anchor_url(anchor, url, sizeof url);
    escape_buf_puts(b, i == 0 ? " " : ", ");
    size_t mark = b->len;
    escape_buf_puts(b, "[");
    md_str(st, b, anchor);
    escape_buf_puts(b, "](");
    if (n < sizeof url && add_md_url(b, url)) {
      escape_buf_puts(b, ")");
    } else { /* no link: the anchor as text */
      b->len = mark;
      if (b->data != NULL) b->data[mark] = '\0';
      md_str(st, b, anchor);
    }
  }
  escape_buf_puts(b, "\n\n");
}

static void add_block(struct markdown_state *st, const struct case_result *c) {
  struct escape_buf *b = &st->blocks;
  struct escape_buf raw;
  escape_buf_init(&raw);
  escape_buf_printf(b, "<details><summary>%s ", status_mark(c->status));
  describe_case_name(&raw, c);
  escape_buf_printf(&raw, " (%s", c->file != NULL ? c->file : "-");
  if (c->line > 0) escape_buf_printf(&raw, ":%d", c->line);
  escape_buf_puts(&raw, ")");
  html_str(b, escape_buf_str(&raw));
  escape_buf_puts(b, "</summary>\n\n");
  if (c->title != NULL && c->title[0] != '\0') {
    escape_buf_puts(b, "**");
    md_str(st, b, c->title);
    escape_buf_puts(b, "**\n\n");
  }
  add_spec_links(st, b, c);
  escape_buf_reset(&raw);
  if (c->error != NULL) escape_buf_printf(&raw, "error: %s\n", c->error);
  for (size_t i = 0; i < c->step_count; i++) {
    const struct step_result *s = &c->steps[i];
    if (s->status == RESULT_FAIL || s->status == RESULT_ERROR)
      describe_step(&raw, c, s, "");
  }
  escape_buf_puts(b, "<pre>\n");
  html_str(b, escape_buf_str(&raw));
  escape_buf_puts(b, "</pre>\n\n</details>\n\n");
  if (raw.failed) b->failed = true;
  escape_buf_release(&raw);
  st->details++;
}

/* ---- the writer ---------------------------------------------------------- */

static void markdown_release(struct report *r) {
  struct markdown_state *st = r->state;
  if (st == NULL) return;
  escape_buf_release(&st->table);
  escape_buf_release(&st->blocks);
  escape_buf_release(&st->out);
  escape_buf_release(&st->tmp);
  free(st);
  r->state = NULL;
}

static int markdown_begin(struct report *r, const struct run_info *info) {
  (void)info;
  struct markdown_state *st = calloc(1, sizeof *st);
  if (st == NULL) return -1;
  escape_buf_init(&st->table);
  escape_buf_init(&st->blocks);
  escape_buf_init(&st->out);
  escape_buf_init(&st->tmp);
  r->state = st;
  escape_buf_puts(&st->out, "## corsim report\n\n");
  return report_write_buf(r, &st->out);
}

static int markdown_write_case(struct report *r, const struct case_result *c) {
  struct markdown_state *st = r->state;
  if (st == NULL) return -1;
  if (c->status != RESULT_FAIL && c->status != RESULT_ERROR) return 0;
  if (st->rows < MARKDOWN_MAX_ROWS)
    add_row(st, c);
  else
    st->rows_left_out++;
  if (st->details < MARKDOWN_MAX_DETAILS)
    add_block(st, c);
  else
    st->details_left_out++;
  return st->table.failed || st->blocks.failed ? -1 : 0;
}

static int markdown_write_file_error(struct report *r,
                                     const struct file_error *e) {
  struct markdown_state *st = r->state;
  if (st == NULL) return -1;
  if (st->rows >= MARKDOWN_MAX_ROWS) {
    st->rows_left_out++;
    return 0;
  }
  struct escape_buf *b = &st->table;
  escape_buf_printf(b, "| %s error | ", status_mark(RESULT_ERROR));
  md_str(st, b, e->file != NULL ? e->file : "-");
  if (e->line > 0) escape_buf_printf(b, ":%d", e->line);
  escape_buf_puts(b, " | (file not loaded) | | ");
  md_str(st, b, e->message != NULL ? e->message : "cannot load");
  escape_buf_puts(b, " |\n");
  st->rows++;
  return b->failed ? -1 : 0;
}

static int markdown_end(struct report *r, const struct run_summary *s) {
  struct markdown_state *st = r->state;
  if (st == NULL) return -1;
  struct escape_buf *b = &st->out;
  escape_buf_printf(b,
                    "| cases | %s passed | %s failed | %s errors | %s skipped "
                    "| files | not loaded |\n"
                    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
                    "| %zu | %zu | %zu | %zu | %zu | %zu | %zu |\n\n",
                    status_mark(RESULT_PASS), status_mark(RESULT_FAIL),
                    status_mark(RESULT_ERROR), status_mark(RESULT_SKIP),
                    s->cases, s->passed, s->failed, s->errors, s->skipped,
                    s->files, s->file_errors);
  if (!r->deterministic) escape_buf_printf(b, "Ran in %.2f s.\n\n", s->seconds);
  if (st->rows == 0 && st->rows_left_out == 0) {
    escape_buf_printf(b, "%s All %zu %s passed%s.\n", status_mark(RESULT_PASS),
                      s->passed, s->passed == 1 ? "case" : "cases",
                      s->skipped != 0 ? " (the skipped ones aside)" : "");
  } else {
    escape_buf_puts(b, "### Not passed\n\n"
                       "| | file | case | browser | what differs |\n"
                       "| :-- | :-- | :-- | :-- | :-- |\n");
    escape_buf_add(b, escape_buf_str(&st->table), st->table.len);
    if (st->rows_left_out != 0)
      escape_buf_printf(b, "\n%zu more not shown; see the full report.\n",
                        st->rows_left_out);
    escape_buf_puts(b, "\n");
    escape_buf_add(b, escape_buf_str(&st->blocks), st->blocks.len);
    if (st->details_left_out != 0)
      escape_buf_printf(b, "The details of %zu more cases are left out.\n",
                        st->details_left_out);
  }
  if (st->table.failed || st->blocks.failed) b->failed = true;
  int rc = report_write_buf(r, b);
  markdown_release(r);
  return rc;
}

const struct report_writer report_writer_markdown = {
    .name = "markdown",
    .begin = markdown_begin,
    .write_case = markdown_write_case,
    .write_file_error = markdown_write_file_error,
    .end = markdown_end,
    .release = markdown_release,
};
