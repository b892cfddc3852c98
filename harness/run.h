/* run.h: runs one loaded case under one profile against libcorsim and
 * compares each step's decision with its `expect`, producing the result
 * model the report writers format. */
#ifndef CORSIM_RUN_H
#define CORSIM_RUN_H

#include <stdbool.h>

#include "../reports/report.h"
#include "../simulator/corsim.h"
#include "vector.h"

/* Answers the steps that have no captured `responses` (live mode); NULL
 * when there is no live server: such steps are skipped. */
struct run_live {
  corsim_responder respond;
  void *ctx;
  /* called before each step (tests: the replay server's step tag), or NULL */
  void (*set_step)(void *ctx, const char *file, const char *case_id,
                   size_t step);
  bool all_steps; /* steps with `responses` ask the live server too */
};

struct run_options {
  const struct corsim_allocator *allocator; /* NULL: malloc */
  const struct run_live *live;
  bool no_compare; /* decide only: do not compare with `expect` */
  bool no_trace;   /* decide without the trace (reports that print none) */
};

/* Everything a case result points to; released in one call. */
struct run_case {
  struct case_result result;
  struct step_result *steps;
  struct corsim_decision *decisions;
  bool *has_decision;
  struct result_mismatch **mismatches; /* per step */
  char **messages;                     /* per step: error text */
  char **consoles;                     /* per step */
  size_t step_count;
  bool live_failed; /* a live server was unreachable, too slow or malformed */
};

/* Runs `c` of `file` under `profile`. Returns 0, or -1 when out of memory
 * (then nothing is left to release). A vector error, a failing expect and
 * a missing captured answer are results, not failures of this call.
 * Release `out` with run_case_release(). */
int run_case(const struct vector_file *file, const struct vector_case *c,
             enum corsim_profile profile, const struct run_options *opts,
             struct run_case *out);

void run_case_release(struct run_case *rc);

/* `corsim run --live`: adds to each step of `captured` a mismatch
 * "live.FIELD" wherever the live run of the same case decided otherwise.
 * Returns 0, or -1 when out of memory. */
int run_case_compare_live(struct run_case *captured,
                          const struct run_case *live);

#endif /* CORSIM_RUN_H */
