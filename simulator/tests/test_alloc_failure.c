/* test_alloc_failure.c: failure injection (STYLE.md §8.8 point 7): whole
 * scenarios run with an allocator that fails its 1st, 2nd, ... Nth
 * allocation. Each run whose injected failure happened must return
 * CORSIM_NO_MEMORY with "out of memory", never crash or give another
 * status; every run must free all it allocated; the first run that meets
 * no failure must decide exactly as a run without injection. */
#include <stdio.h>
#include <string.h>

#include "../../harness/testing/check.h"
#include "fixture.h"

/* BUG (preflight.c:180, 224, 249, 269, 353): sim_cors_preflight_fetch
 * returns CORSIM_NO_MEMORY without sim_fail(), so corsim_browser_fetch
 * returns NO_MEMORY while err->status stays OK and err->message "" (seen
 * failing allocation 7 of blocked_cases, 17 of other_paths). Fix: make each
 * `return CORSIM_NO_MEMORY;` there `return sim_fail(f->err,
 * CORSIM_NO_MEMORY, "out of memory");`. Set this to 1 once fixed. */
#define CHECK_OOM_MESSAGE 1

/* What a scenario decided, compared between runs. */
struct outcome {
  int steps;
  int outcome[8], preflight[8], cors_error[8], status[8];
  size_t hops[8], cache[8], exposed[8];
};

typedef enum corsim_status (*scenario_fn)(const struct corsim_allocator *a,
                                          struct outcome *o,
                                          struct corsim_error *err);

/* One fetch of a scenario: records the decision and releases it. */
static enum corsim_status step(struct corsim_browser *b, double at,
                               const struct corsim_request *r,
                               struct fx_server *s, struct outcome *o,
                               struct corsim_error *err) {
  struct corsim_decision d;
  enum corsim_status st = fx_fetch(b, at, r, s, &d, err);
  if (st != CORSIM_OK) return st;
  int k = o->steps++;
  if (k < 8) {
    o->outcome[k] = (int)d.outcome;
    o->preflight[k] = (int)d.preflight;
    o->cors_error[k] = (int)d.cors_error;
    o->status[k] = d.status;
    o->hops[k] = d.hop_count;
    o->exposed[k] = d.exposed_header_count;
    o->cache[k] = corsim_browser_cache_size(b, at);
  }
  corsim_decision_release(&d);
  return CORSIM_OK;
}

static enum corsim_status new_browser(const struct corsim_allocator *a,
                                      enum corsim_profile p, size_t max_cache,
                                      struct corsim_browser **b,
                                      struct corsim_error *err) {
  struct corsim_options opt;
  memset(&opt, 0, sizeof opt);
  opt.profile = p;
  opt.allocator = a;
  opt.max_cache_entries = max_cache;
  return corsim_browser_new(&opt, b, err);
}

#define STEP(at, r, s)                    \
  do {                                    \
    st = step(b, (at), (r), (s), o, err); \
    if (st != CORSIM_OK) goto done;       \
  } while (0)

/* A preflighted PUT stores entries; a second is served from the cache; a
 * third after expiry preflights again. */
static enum corsim_status put_with_cache(enum corsim_profile p,
                                         const struct corsim_allocator *a,
                                         struct outcome *o,
                                         struct corsim_error *err) {
  struct corsim_browser *b = NULL;
  enum corsim_status st = new_browser(a, p, 0, &b, err);
  if (st != CORSIM_OK) return st;
  struct fx_server s;
  struct corsim_header h[] = {FX_H("X-A", "1"),
                              FX_H("Content-Type", "application/json")};
  struct corsim_request r =
      fx_request("https://app.example", "https://api.example/x", "PUT");
  r.headers = FX_LIST(h);
  static const char *const allow =
      "Access-Control-Allow-Origin: https://app.example\n"
      "Access-Control-Allow-Methods: PUT, DELETE\n"
      "Access-Control-Allow-Headers: x-a, content-type\n"
      "Access-Control-Max-Age: 60";
  for (int i = 0; i < 3; i++) {
    fx_server_init(&s);
    fx_answer_preflight(&s, 204, allow);
    fx_answer(&s, 200,
              "Access-Control-Allow-Origin: https://app.example\n"
              "Access-Control-Expose-Headers: x-b\nX-B: 1");
    STEP(i == 2 ? 100.0 : (double)i, &r, &s);
  }
  fx_server_init(&s);
  fx_answer_preflight(&s, 204, allow);
  fx_answer(&s, 200, "Access-Control-Allow-Origin: https://app.example");
  r.method = "DELETE";
  STEP(101, &r, &s);
done:
  corsim_browser_free(b);
  return st;
}

static enum corsim_status put_cache_fetch(const struct corsim_allocator *a,
                                          struct outcome *o,
                                          struct corsim_error *err) {
  return put_with_cache(CORSIM_PROFILE_FETCH, a, o, err);
}

static enum corsim_status put_cache_chromium(const struct corsim_allocator *a,
                                             struct outcome *o,
                                             struct corsim_error *err) {
  return put_with_cache(CORSIM_PROFILE_CHROMIUM, a, o, err);
}

static enum corsim_status put_cache_firefox(const struct corsim_allocator *a,
                                            struct outcome *o,
                                            struct corsim_error *err) {
  return put_with_cache(CORSIM_PROFILE_FIREFOX, a, o, err);
}

/* A POST redirected 303 to a third origin (tainted, method rewritten), then
 * 307 once more, answered with exposed headers. */
static enum corsim_status redirect_chain(const struct corsim_allocator *a,
                                         struct outcome *o,
                                         struct corsim_error *err) {
  struct corsim_browser *b = NULL;
  enum corsim_status st = new_browser(a, CORSIM_PROFILE_FETCH, 0, &b, err);
  if (st != CORSIM_OK) return st;
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 303,
            "Access-Control-Allow-Origin: *\n"
            "Location: https://other.example/a?x=1#f");
  fx_answer(&s, 307, "Access-Control-Allow-Origin: null\nLocation: ../b");
  fx_answer(&s, 200,
            "Access-Control-Allow-Origin: null\n"
            "Access-Control-Expose-Headers: *\nX-A: 1\nX-B: 2");
  struct corsim_header h[] = {FX_H("Content-Type", "text/plain"),
                              FX_H("Accept-Language", "en")};
  struct corsim_request r =
      fx_request("https://app.example", "https://api.example/start", "POST");
  r.headers = FX_LIST(h);
  STEP(0, &r, &s);
  /* a loop that hits the redirect limit */
  fx_server_init(&s);
  fx_answer(&s, 302, "Access-Control-Allow-Origin: *\nLocation: /loop");
  s.repeat_last = true;
  r.method = "GET";
  STEP(1, &r, &s);
done:
  corsim_browser_free(b);
  return st;
}

/* Refusals: a missing Access-Control-Allow-Origin; a preflight whose
 * actual response fails (the cache is cleared); a header refused by the
 * preflight; a mismatch needing the URL parser; a type error. */
static enum corsim_status blocked_cases(const struct corsim_allocator *a,
                                        struct outcome *o,
                                        struct corsim_error *err) {
  struct corsim_browser *b = NULL;
  enum corsim_status st = new_browser(a, CORSIM_PROFILE_FETCH, 0, &b, err);
  if (st != CORSIM_OK) return st;
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 500, "Content-Type: text/html");
  struct corsim_request r =
      fx_request("https://app.example", "https://api.example/x", "GET");
  STEP(0, &r, &s);
  fx_server_init(&s);
  fx_answer_preflight(&s, 204,
                      "Access-Control-Allow-Origin: *\n"
                      "Access-Control-Allow-Methods: PUT\n"
                      "Access-Control-Max-Age: 30");
  fx_answer(&s, 200, "Access-Control-Allow-Origin: https://nope.example");
  r.method = "PUT";
  STEP(1, &r, &s);
  fx_server_init(&s);
  fx_answer_preflight(&s, 204,
                      "Access-Control-Allow-Origin: *\n"
                      "Access-Control-Allow-Methods: PUT");
  struct corsim_header h[] = {FX_H("X-Secret", "1")};
  r.headers = FX_LIST(h);
  STEP(2, &r, &s);
  fx_server_init(&s);
  fx_answer(&s, 200, "Access-Control-Allow-Origin: app.example");
  r = fx_request("https://app.example", "https://api.example/y", "GET");
  STEP(3, &r, &s);
  r = fx_request("https://app.example", "https://u:p@api.example/", "GET");
  STEP(4, &r, &s);
done:
  corsim_browser_free(b);
  return st;
}

/* WebKit caches a preflight that failed its header check (per-URL shape). */
static enum corsim_status webkit_failed_preflight(
    const struct corsim_allocator *a, struct outcome *o,
    struct corsim_error *err) {
  struct corsim_browser *b = NULL;
  enum corsim_status st = new_browser(a, CORSIM_PROFILE_WEBKIT, 0, &b, err);
  if (st != CORSIM_OK) return st;
  struct fx_server s;
  fx_server_init(&s);
  fx_answer_preflight(&s, 204,
                      "Access-Control-Allow-Origin: *\n"
                      "Access-Control-Allow-Methods: PUT, PATCH\n"
                      "Access-Control-Allow-Headers: x-a");
  struct corsim_header h[] = {FX_H("X-A", "1"), FX_H("X-B", "1")};
  struct corsim_request r =
      fx_request("https://app.example", "https://api.example/x", "PUT");
  r.headers = FX_LIST(h);
  STEP(0, &r, &s);
  fx_server_init(&s);
  fx_answer(&s, 200, "Access-Control-Allow-Origin: *");
  r.headers.count = 1;
  STEP(1, &r, &s);
done:
  corsim_browser_free(b);
  return st;
}

/* Other paths: no-cors opaque, same-origin basic, data:, mixed content,
 * Chromium's local network access, and a Firefox cache with an eviction. */
static enum corsim_status other_paths(const struct corsim_allocator *a,
                                      struct outcome *o,
                                      struct corsim_error *err) {
  struct corsim_browser *b = NULL;
  enum corsim_status st = new_browser(a, CORSIM_PROFILE_CHROMIUM, 0, &b, err);
  if (st != CORSIM_OK) return st;
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 200, "X-A: 1");
  fx_answer(&s, 200, "X-A: 1\nSet-Cookie: a=b");
  struct corsim_request r =
      fx_request("https://app.example", "https://api.example/x", "GET");
  r.mode = CORSIM_MODE_NO_CORS;
  STEP(0, &r, &s);
  r = fx_request("https://app.example", "https://app.example/self", "GET");
  STEP(1, &r, &s);
  r = fx_request("https://app.example", "data:text/plain,hello", "GET");
  STEP(2, &r, &s);
  r = fx_request("https://app.example", "http://api.example/", "GET");
  STEP(3, &r, &s);
  r = fx_request("https://app.example", "http://127.0.0.1:9/x", "GET");
  STEP(4, &r, &s);
  corsim_browser_free(b);
  b = NULL;
  st = new_browser(a, CORSIM_PROFILE_FIREFOX, 1, &b, err);
  if (st != CORSIM_OK) return st;
  static const char *const urls[] = {"https://api.example/1",
                                     "https://api.example/2"};
  for (int i = 0; i < 2; i++) {
    fx_server_init(&s);
    fx_answer_preflight(&s, 204,
                        "Access-Control-Allow-Origin: *\n"
                        "Access-Control-Allow-Methods: PUT");
    fx_answer(&s, 200, "Access-Control-Allow-Origin: *");
    r = fx_request("https://app.example", urls[i], "PUT");
    STEP(5 + i, &r, &s);
  }
done:
  corsim_browser_free(b);
  return st;
}

/* Runs `fn` failing allocation 1, 2, ... until a run meets no failure.
 * Returns NULL when every run behaved, else what went wrong. */
static const char *torture(scenario_fn fn, size_t *runs) {
  static char why[512];
  struct fx_alloc fa;
  struct outcome base, got;
  struct corsim_error err;
  memset(&base, 0, sizeof base);
  memset(&err, 0, sizeof err);
  fx_alloc_init(&fa, 0);
  enum corsim_status st = fn(&fa.allocator, &base, &err);
  if (st != CORSIM_OK) {
    snprintf(why, sizeof why, "the run without failures returned %s: %s",
             corsim_status_name(st), err.message);
    return why;
  }
  if (fa.allocs != fa.frees) {
    snprintf(why, sizeof why, "no failure: %zu allocations, %zu frees",
             fa.allocs, fa.frees);
    return why;
  }
  size_t total = fa.calls;
  for (size_t n = 1; n <= total + 1; n++) {
    memset(&got, 0, sizeof got);
    memset(&err, 0, sizeof err);
    fx_alloc_init(&fa, n);
    st = fn(&fa.allocator, &got, &err);
    *runs = n;
    if (fa.allocs != fa.frees) {
      snprintf(why, sizeof why,
               "failing allocation %zu: %zu allocations, %zu frees", n,
               fa.allocs, fa.frees);
      return why;
    }
    bool failed = fa.calls >= n;
    if (!failed) {
      if (st != CORSIM_OK || memcmp(&got, &base, sizeof got) != 0) {
        snprintf(why, sizeof why,
                 "run %zu met no failure but decided otherwise (%s)", n,
                 corsim_status_name(st));
        return why;
      }
      return n == total + 1 ? NULL : "the allocation count changed";
    }
    if (st != CORSIM_NO_MEMORY) {
      snprintf(why, sizeof why,
               "failing allocation %zu of %zu: status %s, not NO_MEMORY (%s)",
               n, total, corsim_status_name(st), err.message);
      return why;
    }
    if (CHECK_OOM_MESSAGE && (err.status != CORSIM_NO_MEMORY ||
                              strcmp(err.message, "out of memory") != 0)) {
      snprintf(why, sizeof why, "failing allocation %zu: message '%s'", n,
               err.message);
      return why;
    }
  }
  return "no run without a failure";
}

#define TORTURE(fn)                                     \
  do {                                                  \
    size_t runs_ = 0;                                   \
    const char *why_ = torture((fn), &runs_);           \
    if (why_ != NULL) CHECK_FAIL_("%s: %s", #fn, why_); \
    ASSERT_TRUE(runs_ > 10);                            \
  } while (0)

TEST(alloc_failure_preflighted_put_with_cache_fetch) {
  TORTURE(put_cache_fetch);
}

TEST(alloc_failure_preflighted_put_with_cache_chromium) {
  TORTURE(put_cache_chromium);
}

TEST(alloc_failure_preflighted_put_with_cache_firefox) {
  TORTURE(put_cache_firefox);
}

TEST(alloc_failure_redirect_chain) { TORTURE(redirect_chain); }

TEST(alloc_failure_blocked_cases) { TORTURE(blocked_cases); }

TEST(alloc_failure_webkit_failed_preflight) {
  TORTURE(webkit_failed_preflight);
}

TEST(alloc_failure_other_paths) { TORTURE(other_paths); }

TEST(alloc_failure_browser_new) {
  struct fx_alloc fa;
  for (size_t n = 1; n <= 2; n++) {
    fx_alloc_init(&fa, n);
    struct corsim_options o;
    memset(&o, 0, sizeof o);
    o.allocator = &fa.allocator;
    struct corsim_browser *b = (struct corsim_browser *)&fa; /* not NULL */
    struct corsim_error e;
    memset(&e, 0, sizeof e);
    ASSERT_EQ_INT(corsim_browser_new(&o, &b, &e), CORSIM_NO_MEMORY);
    ASSERT_NULL(b);
    ASSERT_STR_EQ(e.message, "out of memory");
    ASSERT_EQ_INT(fa.allocs, fa.frees);
  }
  fx_alloc_init(&fa, 3);
  struct corsim_options o;
  memset(&o, 0, sizeof o);
  o.allocator = &fa.allocator;
  struct corsim_browser *b = NULL;
  ASSERT_EQ_INT(corsim_browser_new(&o, &b, NULL), CORSIM_OK);
  ASSERT_EQ_INT(fa.calls, 2);
  corsim_browser_free(b);
  ASSERT_EQ_INT(fa.allocs, fa.frees);
}

TEST(alloc_failure_scenarios_decide_as_expected) {
  /* the scenarios themselves, so that torture runs compare real work */
  struct fx_alloc fa;
  struct outcome o;
  struct corsim_error e;
  memset(&o, 0, sizeof o);
  fx_alloc_init(&fa, 0);
  ASSERT_EQ_INT(put_cache_fetch(&fa.allocator, &o, &e), CORSIM_OK);
  ASSERT_EQ_INT(o.steps, 4);
  ASSERT_EQ_INT(o.preflight[0], CORSIM_PREFLIGHT_SENT);
  ASSERT_EQ_INT(o.preflight[1], CORSIM_PREFLIGHT_CACHED);
  ASSERT_EQ_INT(o.preflight[2], CORSIM_PREFLIGHT_SENT);
  ASSERT_EQ_INT(o.preflight[3], CORSIM_PREFLIGHT_CACHED);
  ASSERT_EQ_INT(o.exposed[0], 1);
  memset(&o, 0, sizeof o);
  ASSERT_EQ_INT(redirect_chain(&fa.allocator, &o, &e), CORSIM_OK);
  ASSERT_EQ_INT(o.outcome[0], CORSIM_OUTCOME_ALLOWED);
  ASSERT_EQ_INT(o.hops[0], 3);
  ASSERT_EQ_INT(o.exposed[0], 4);
  ASSERT_EQ_INT(o.outcome[1], CORSIM_OUTCOME_BLOCKED);
  ASSERT_EQ_INT(o.hops[1], 21);
  memset(&o, 0, sizeof o);
  ASSERT_EQ_INT(blocked_cases(&fa.allocator, &o, &e), CORSIM_OK);
  ASSERT_EQ_INT(o.steps, 5);
  ASSERT_EQ_INT(o.cors_error[0], CORSIM_CORS_ERROR_MISSING_ALLOW_ORIGIN_HEADER);
  ASSERT_EQ_INT(o.cors_error[1], CORSIM_CORS_ERROR_ALLOW_ORIGIN_MISMATCH);
  ASSERT_EQ_INT(o.cache[1], 0);
  ASSERT_EQ_INT(o.cors_error[2],
                CORSIM_CORS_ERROR_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE);
  ASSERT_EQ_INT(o.cors_error[3], CORSIM_CORS_ERROR_INVALID_ALLOW_ORIGIN_VALUE);
  ASSERT_EQ_INT(o.outcome[4], CORSIM_OUTCOME_BLOCKED);
  memset(&o, 0, sizeof o);
  ASSERT_EQ_INT(webkit_failed_preflight(&fa.allocator, &o, &e), CORSIM_OK);
  ASSERT_EQ_INT(o.outcome[0], CORSIM_OUTCOME_BLOCKED);
  ASSERT_EQ_INT(o.cache[0], 1);
  ASSERT_EQ_INT(o.preflight[1], CORSIM_PREFLIGHT_CACHED);
  memset(&o, 0, sizeof o);
  ASSERT_EQ_INT(other_paths(&fa.allocator, &o, &e), CORSIM_OK);
  ASSERT_EQ_INT(o.steps, 7);
  ASSERT_EQ_INT(o.outcome[0], CORSIM_OUTCOME_OPAQUE);
  ASSERT_EQ_INT(o.outcome[1], CORSIM_OUTCOME_ALLOWED);
  ASSERT_EQ_INT(o.outcome[2], CORSIM_OUTCOME_ALLOWED);
  ASSERT_EQ_INT(o.outcome[3], CORSIM_OUTCOME_BLOCKED);
  ASSERT_EQ_INT(o.outcome[4], CORSIM_OUTCOME_BLOCKED);
  ASSERT_EQ_INT(o.cache[6], 1);
  ASSERT_EQ_INT(fa.allocs, fa.frees);
}
