/* trace.c: the step-by-step explanation of a decision: each step of the
 * algorithms that decides something appends one entry (anchor, step
 * number, kind, what it looked at and what it found). */
#include <string.h>

#include "sim.h"

void sim_trace(struct sim_fetch *f, enum corsim_trace_kind kind,
               const char *anchor, const char *step, const char *fmt, ...) {
  struct corsim_decision *d = f->out;
  if (f->browser->options.no_trace) return;
  if (d->trace_count == f->trace_cap) {
    size_t cap = f->trace_cap ? f->trace_cap * 2 : 16;
    struct corsim_trace_entry *n = sim_arena_alloc(f->arena, cap * sizeof *n);
    if (n == NULL) return; /* the arena remembers the failure */
    if (d->trace_count) memcpy(n, d->trace, d->trace_count * sizeof *n);
    d->trace = n;
    f->trace_cap = cap;
  }
  va_list ap;
  va_start(ap, fmt);
  char *text = sim_arena_vprintf(f->arena, fmt, ap);
  va_end(ap);
  if (text == NULL) return;
  struct corsim_trace_entry *e = &d->trace[d->trace_count++];
  e->anchor = anchor;
  e->step = step;
  e->kind = kind;
  e->text = text;
}
