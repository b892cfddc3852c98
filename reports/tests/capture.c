/* capture.c: a report writer run into memory (see capture.h). */

#include <stdio.h>
#include <string.h>

#include "capture.h"

int capture_open(struct capture *c, const char *writer) {
  memset(c, 0, sizeof *c);
  c->r.writer = report_writer_find(writer);
  c->r.out = open_memstream(&c->text, &c->len);
  c->r.deterministic = true;
  return c->r.writer != NULL && c->r.out != NULL ? 0 : -1;
}

void capture_close(struct capture *c) {
  report_release(&c->r);
  if (c->r.out != NULL) fclose(c->r.out);
  c->r.out = NULL;
}
