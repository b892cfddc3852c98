/* report.c: the table of report writers, looked up by name as curl looks
 * up its --write-out variables, the names of result statuses, and the one
 * function through which every writer puts bytes out. */
#include "report.h"

#include <string.h>

#include "escape.h"

/* One row per writer, in the order --help lists them; text is the
 * default. */
static const struct report_writer *const writers[] = {
    &report_writer_text,
    &report_writer_json,
    &report_writer_tap,
    &report_writer_junit,
    &report_writer_sarif,
    &report_writer_markdown,
    &report_writer_html,
};

#define WRITER_COUNT (sizeof writers / sizeof writers[0])

static const char *const writer_names[WRITER_COUNT + 1] = {
    "text",
    "json",
    "tap",
    "junit",
    "sarif",
    "markdown",
    "html",
    NULL,
};

const struct report_writer *report_writer_find(const char *name) {
  if (name == NULL) return NULL;
  for (size_t i = 0; i < WRITER_COUNT; i++)
    if (strcmp(writers[i]->name, name) == 0) return writers[i];
  return NULL;
}

const char *const *report_writer_names(void) { return writer_names; }

int report_write_buf(struct report *r, struct escape_buf *b) {
  int rc = 0;
  if (b->failed) rc = -1;
  else if (b->len != 0 && fwrite(b->data, 1, b->len, r->out) != b->len)
    rc = -1;
  if (fflush(r->out) != 0 || ferror(r->out)) rc = -1;
  escape_buf_reset(b);
  return rc;
}

void report_release(struct report *r) {
  if (r == NULL) return;
  if (r->writer != NULL && r->writer->release != NULL)
    r->writer->release(r);
  r->state = NULL;
}

const char *result_status_name(enum result_status status) {
  switch (status) {
  case RESULT_PASS: return "pass";
  case RESULT_FAIL: return "fail";
  case RESULT_ERROR: return "error";
  case RESULT_SKIP: return "skip";
  }
  return "unknown";
}
