/* fuzz_vector.c: fuzzes the vector loader (vector.c, jsonloc.c, the
 * diagnostics) and the runner: the input is a vector file, loaded from
 * memory, and every case that loaded runs captured through run_case under
 * its own profile (compared with its expect) and under the next profile
 * (decide only).
 *
 * The file has no path, so a `raw_file` is a diagnostic and never opens a
 * file. Properties besides memory safety: every diagnostic and every step
 * error is one non-empty line, and a load that says "clean" reported no
 * diagnostic. */
#include <stdbool.h>
#include <string.h>

#include "../run.h"
#include "../vector.h"
#include "fuzz.h"

static bool one_line(const char *s) {
  return s[0] != '\0' && strchr(s, '\n') == NULL && strchr(s, '\r') == NULL;
}

static void on_diag(void *ctx, const char *line) {
  size_t *count = ctx;
  (*count)++;
  FUZZ_ASSERT(one_line(line), "diagnostic is empty or not one line");
}

static void run_one(const struct vector_file *f, const struct vector_case *c,
                    enum corsim_profile profile, bool compare) {
  struct run_options opts;
  memset(&opts, 0, sizeof opts);
  opts.no_compare = !compare;
  struct run_case rc;
  if (run_case(f, c, profile, &opts, &rc) != 0) return;
  for (size_t s = 0; s < rc.result.step_count; s++)
    if (rc.result.steps[s].error != NULL)
      FUZZ_ASSERT(one_line(rc.result.steps[s].error),
                  "step error is empty or not one line");
  run_case_release(&rc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  size_t diags = 0;
  struct vector_file f;
  int rc = vector_load_memory(NULL, (const char *)data, size, on_diag, &diags,
                              &f);
  if (rc == -2) return 0;
  FUZZ_ASSERT((rc == 0) == (diags == 0), "return code disagrees with diagnostics");
  FUZZ_ASSERT(f.diagnostic_count == diags, "diagnostic_count is wrong");
  if (f.error == NULL) {
    for (size_t i = 0; i < f.case_count; i++) {
      const struct vector_case *c = &f.cases[i];
      run_one(&f, c, c->profile, true);
      run_one(&f, c, (enum corsim_profile)((c->profile + 1) % CORSIM_PROFILE_COUNT),
              false);
    }
  }
  vector_file_release(&f);
  return 0;
}
