/* capture.h: a report writer run into memory, for the writers' unit tests
 * (test_reports.c, test_formats.c). */
#ifndef CORSIM_REPORTS_TESTS_CAPTURE_H
#define CORSIM_REPORTS_TESTS_CAPTURE_H

#include <stddef.h>

#include "../report.h"

/* A report into a memory stream; capture_close() ends it, and `text` then
 * holds what the writer wrote (free it with free()). */
struct capture {
  char *text;
  size_t len;
  struct report r;
};

/* Opens a capture for the writer named `writer`, deterministic. 0 or -1. */
int capture_open(struct capture *c, const char *writer);
void capture_close(struct capture *c);

#endif /* CORSIM_REPORTS_TESTS_CAPTURE_H */
