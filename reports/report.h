/* report.h: the result model the runner produces and the report writers
 * consume, and the writer interface. Writers only format a finished
 * result; they never compute a verdict (STYLE.md §8.3). */
#ifndef CORSIM_REPORT_H
#define CORSIM_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../simulator/corsim.h"

enum result_status {
  RESULT_PASS,
  RESULT_FAIL,
  RESULT_ERROR, /* a vector error: neither pass nor fail */
  RESULT_SKIP
};

const char *result_status_name(enum result_status status); /* "pass" */

/* One expect field whose observed value differs. `expected` and
 * `observed` are JSON texts ("\"blocked\"", "[\"x-a\"]", "null", "200"). */
struct result_mismatch {
  const char *field; /* "outcome", "preflight_request_headers.Origin", ... */
  char *expected;
  char *observed;
};

/* One step of a case run under one profile. */
struct step_result {
  size_t index;
  enum result_status status;
  double at;
  const struct corsim_request *request;   /* NULL when the step did not load */
  const struct corsim_decision *decision; /* NULL on error or skip */
  const struct result_mismatch *mismatches;
  size_t mismatch_count;
  const char *error;   /* vector error message, NULL when none */
  const char *console; /* the profile's console message, NULL when none */
};

struct case_result {
  const char *file;  /* the vector file as given */
  const char *suite;
  const char *case_id;
  const char *title;
  const char *browser; /* profile name: "fetch", "chromium", ... */
  const char *const *tags;
  size_t tag_count;
  const char *const *spec;
  size_t spec_count;
  int line, column; /* where the case starts in the file */
  enum result_status status; /* worst of its steps (error > fail > pass) */
  const char *error; /* case-level vector error, NULL when none */
  const char *skip_reason; /* RESULT_SKIP: why (the skip file's reason), or NULL */
  const struct step_result *steps;
  size_t step_count;
  double seconds; /* wall time the case took; 0 when not measured */
  /* --browser all: the same case decided by the other profiles, not
   * compared with `expect` (their status is informational) */
  const struct case_result *const *others;
  size_t other_count;
};

/* A file that could not be loaded at all (unreadable, bad JSON). */
struct file_error {
  const char *file;
  int line, column;
  const char *message;
};

struct run_info {
  const char *version;
  const char *command; /* "run" */
  bool deterministic;  /* no timings (golden output) */
};

struct run_summary {
  size_t cases, passed, failed, errors, skipped;
  size_t steps;
  size_t files, file_errors;
  double seconds; /* wall time; not printed when deterministic */
};

struct report {
  const struct report_writer *writer;
  FILE *out;
  bool color;   /* ANSI colour (text only): the CLI decides */
  bool verbose; /* trace for passing cases too */
  bool deterministic;
  bool quiet;   /* text: only failures and the summary */
  void *state;  /* the writer's own */
};

/* The calls, in order: begin once, then write_case / write_file_error as
 * results arrive (each is written and flushed before it returns, so a
 * crash later loses nothing already written), then end once. Each returns
 * 0, or -1 when writing failed or memory ran out (the CLI exits 5). The
 * writer keeps its own state in r->state: begin allocates it, end frees it
 * even when end fails. A caller that stops early, without end, calls
 * report_release() instead (harmless after end too). */
struct report_writer {
  const char *name; /* "text", "json", "junit", ... */
  int (*begin)(struct report *r, const struct run_info *info);
  int (*write_case)(struct report *r, const struct case_result *result);
  int (*write_file_error)(struct report *r, const struct file_error *e);
  int (*end)(struct report *r, const struct run_summary *summary);
  void (*release)(struct report *r); /* frees r->state, sets it NULL */
};

/* NULL when no writer has that name. */
const struct report_writer *report_writer_find(const char *name);
/* The writer names, NULL-terminated, for --help. */
const char *const *report_writer_names(void);

/* Frees what the writer still holds (r->state) when a run stops before
 * end(). Safe to call more than once and after end(). */
void report_release(struct report *r);

/* For the writers: writes the whole of `b` to r->out and flushes, then
 * empties `b`. Returns -1 when `b` ran out of memory or the write or the
 * flush failed. */
struct escape_buf;
int report_write_buf(struct report *r, struct escape_buf *b);

/* The writers (one file each); use report_writer_find() to pick one. */
extern const struct report_writer report_writer_text; /* text.c */
extern const struct report_writer report_writer_json; /* json.c */
extern const struct report_writer report_writer_tap;  /* tap.c */
extern const struct report_writer report_writer_junit;    /* junit.c */
extern const struct report_writer report_writer_sarif;    /* sarif.c */
extern const struct report_writer report_writer_markdown; /* markdown.c */
extern const struct report_writer report_writer_html;     /* html.c */

#endif /* CORSIM_REPORT_H */
