/* test_alloc_harness.c: failure injection (curl's torture test, sqlite's
 * malloc tests): loads and runs corpus suites while the Nth allocation
 * fails, for N = 1, 2, ... until a run needs fewer than N, and checks that
 * each run ends cleanly and frees everything.
 *
 * cJSON is routed through the failing allocator with cJSON_InitHooks
 * (the loader must then return -2), the library through
 * run_options.allocator (run_case must then return -1). A run that does
 * not report the failure must give exactly the results of a run without
 * one: an allocation failure may never turn into a wrong decision. Every
 * run must leave no allocation of the counted allocator alive; under ASan
 * LeakSanitizer also checks the allocations we cannot count (the loader's
 * arena and the runner use malloc directly). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../run.h"
#include "../testing/check.h"
#include "../vector.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define LEAK_CHECK() __lsan_do_recoverable_leak_check()
#else
#define LEAK_CHECK() 0
#endif

/* ---- the failing allocator ------------------------------------------------ */

/* One counter for every allocation we route: the `fail_at`th fails (0:
 * none does). `live` counts allocations not yet freed. */
struct failing {
  size_t calls;
  size_t fail_at;
  size_t failed;
  long live;
};

static struct failing counter; /* cJSON's hooks take no context */

static void *failing_malloc(size_t size) {
  counter.calls++;
  if (counter.fail_at != 0 && counter.calls == counter.fail_at) {
    counter.failed++;
    return NULL;
  }
  void *p = malloc(size);
  if (p != NULL) counter.live++;
  return p;
}

static void failing_free(void *p) {
  if (p == NULL) return;
  counter.live--;
  free(p);
}

static void *lib_alloc(void *ctx, size_t size) {
  (void)ctx;
  return failing_malloc(size);
}

static void lib_free(void *ctx, void *p) {
  (void)ctx;
  failing_free(p);
}

static const struct corsim_allocator failing_allocator = {lib_alloc, lib_free,
                                                          NULL};

static void arm(size_t fail_at) {
  counter.calls = 0;
  counter.fail_at = fail_at;
  counter.failed = 0;
}

static void hook_cjson(bool on) {
  if (on) {
    cJSON_Hooks hooks = {failing_malloc, failing_free};
    cJSON_InitHooks(&hooks);
  } else {
    cJSON_InitHooks(NULL);
  }
}

/* ---- what a clean run gives ----------------------------------------------- */

#define MAX_CASES 256
#define MAX_STEPS 64

struct outcome {
  size_t case_count;
  enum result_status status[MAX_CASES];
  size_t step_count[MAX_CASES];
  enum result_status steps[MAX_CASES][MAX_STEPS];
  enum corsim_outcome decided[MAX_CASES][MAX_STEPS];
};

static void note_case(struct outcome *o, size_t i, const struct run_case *rc) {
  o->status[i] = rc->result.status;
  o->step_count[i] = rc->result.step_count;
  for (size_t s = 0; s < rc->result.step_count && s < MAX_STEPS; s++) {
    o->steps[i][s] = rc->result.steps[s].status;
    o->decided[i][s] = rc->result.steps[s].decision
                           ? rc->result.steps[s].decision->outcome
                           : CORSIM_OUTCOME_BLOCKED;
  }
}

static bool same_case(const struct outcome *a, const struct outcome *b,
                      size_t i) {
  if (a->status[i] != b->status[i] || a->step_count[i] != b->step_count[i])
    return false;
  for (size_t s = 0; s < a->step_count[i] && s < MAX_STEPS; s++)
    if (a->steps[i][s] != b->steps[i][s] ||
        a->decided[i][s] != b->decided[i][s])
      return false;
  return true;
}

/* Loads `path` (cJSON through the counter when `hook` is set) and runs
 * every case (the library through the counter when `lib` is set). Returns
 * the loader's code; on -2 nothing ran. `oom_cases` counts run_case
 * calls that returned -1. */
static int load_and_run(const char *path, bool hook, bool lib,
                        struct outcome *o, size_t *oom_cases) {
  struct vector_file vf;
  hook_cjson(hook);
  int lr = vector_load_file(path, NULL, NULL, &vf);
  hook_cjson(false);
  *oom_cases = 0;
  if (lr == -2) return lr;
  /* With only cJSON failing, a load that went through is all there is to
   * see: the runner does not use cJSON on a passing suite. */
  if (hook && !lib && counter.failed > 0) {
    o->case_count = vf.case_count < MAX_CASES ? vf.case_count : MAX_CASES;
    vector_file_release(&vf);
    return lr;
  }
  o->case_count = vf.case_count < MAX_CASES ? vf.case_count : MAX_CASES;
  struct run_options opts;
  memset(&opts, 0, sizeof opts);
  opts.allocator = lib ? &failing_allocator : NULL;
  for (size_t i = 0; i < o->case_count; i++) {
    struct run_case rc;
    if (run_case(&vf, &vf.cases[i], vf.cases[i].profile, &opts, &rc) != 0) {
      (*oom_cases)++;
      o->status[i] = RESULT_ERROR;
      o->step_count[i] = (size_t)-1; /* never equal to a clean run */
      continue;
    }
    note_case(o, i, &rc);
    run_case_release(&rc);
  }
  vector_file_release(&vf);
  return lr;
}

/* The torture loop for one suite. `hook`: fail cJSON's allocations (the
 * loader); `lib`: fail the library's (the runner). */
static int torture(const char *path, bool hook, bool lib, size_t *runs) {
  static struct outcome clean, got;
  size_t oom = 0;
  arm(0);
  counter.live = 0;
  if (load_and_run(path, false, false, &clean, &oom) != 0 || oom != 0) {
    fprintf(stderr, "  %s does not load and run cleanly\n", path);
    return -1;
  }
  for (size_t n = 1;; n++) {
    arm(n);
    counter.live = 0;
    memset(&got, 0, sizeof got);
    int lr = load_and_run(path, hook, lib, &got, &oom);
    bool injected = counter.failed > 0;
    if (counter.live != 0) {
      fprintf(stderr, "  %s: failing allocation %zu leaves %ld block(s)\n",
              path, n, counter.live);
      return -1;
    }
    if (lr == -1 || (lr == -2 && !injected)) {
      fprintf(stderr, "  %s: failing allocation %zu: loader returned %d\n",
              path, n, lr);
      return -1;
    }
    if (lr == 0 && hook && !lib && injected) {
      fprintf(stderr,
              "  %s: failing allocation %zu failed and the loader returned 0\n",
              path, n);
      return -1;
    }
    if (lr == 0) {
      if (got.case_count != clean.case_count) {
        fprintf(stderr, "  %s: failing allocation %zu: %zu cases, not %zu\n",
                path, n, got.case_count, clean.case_count);
        return -1;
      }
      /* A case that did not report the failure must match the clean run. */
      size_t mismatched = 0;
      for (size_t i = 0; i < got.case_count; i++)
        if (got.step_count[i] != (size_t)-1 && !same_case(&clean, &got, i)) {
          fprintf(stderr,
                  "  %s: failing allocation %zu: case %zu gives another "
                  "result and no error\n",
                  path, n, i);
          mismatched++;
        }
      if (mismatched) return -1;
      if (injected && oom == 0) {
        fprintf(stderr,
                "  %s: failing allocation %zu failed, and every case ran as "
                "if it had not\n",
                path, n);
        return -1;
      }
    }
    if (!injected) {
      *runs = n;
      return 0;
    }
  }
}

#define SUITE "vectors/preflight-cache/entries.json"
#define CHECK_SUITE "vectors/cors-check/cors-check.json"

TEST(alloc_loader_cjson_fails) {
  size_t runs = 0;
  ASSERT_EQ_INT(torture(SUITE, true, false, &runs), 0);
  ASSERT_TRUE(runs > 100);
  ASSERT_EQ_INT(LEAK_CHECK(), 0);
}

TEST(alloc_run_case_library_fails) {
  size_t runs = 0;
  ASSERT_EQ_INT(torture(SUITE, false, true, &runs), 0);
  ASSERT_TRUE(runs > 100);
  ASSERT_EQ_INT(LEAK_CHECK(), 0);
}

TEST(alloc_run_case_library_fails_cors_check) {
  size_t runs = 0;
  ASSERT_EQ_INT(torture(CHECK_SUITE, false, true, &runs), 0);
  ASSERT_TRUE(runs > 100);
  ASSERT_EQ_INT(LEAK_CHECK(), 0);
}

/* The library's own entry points, outside the runner. */
TEST(alloc_browser_new_fails_cleanly) {
  struct corsim_options o;
  memset(&o, 0, sizeof o);
  o.allocator = &failing_allocator;
  for (size_t n = 1; n < 64; n++) {
    arm(n);
    counter.live = 0;
    struct corsim_browser *b = (struct corsim_browser *)&o; /* not NULL */
    struct corsim_error err;
    memset(&err, 0, sizeof err);
    enum corsim_status st = corsim_browser_new(&o, &b, &err);
    if (counter.failed == 0) {
      ASSERT_EQ_INT(st, CORSIM_OK);
      corsim_browser_free(b);
      ASSERT_EQ_INT(counter.live, 0);
      return;
    }
    ASSERT_EQ_INT(st, CORSIM_NO_MEMORY);
    ASSERT_NULL(b);
    ASSERT_STR_EQ(err.message, "out of memory");
    ASSERT_EQ_INT(counter.live, 0);
  }
  ASSERT_TRUE(false);
}
