/* test_main_fetch.c: the browser object and the fetch entry point
 * (main_fetch.c): statuses other than OK and their messages (BAD_TIME,
 * NO_ANSWER and RESPONDER from the responder, LIMIT, BAD_REQUEST), the
 * decision's lifecycle, the trace, and the cache-mode request headers. */
#include <string.h>

#include "../../harness/testing/check.h"
#include "fixture.h"

static const char *const APP = "https://app.example";
static const char *const API = "https://api.example/x";

static bool decision_is_empty(const struct corsim_decision *d) {
  static const struct corsim_decision zero;
  return memcmp(d, &zero, sizeof zero) == 0;
}

TEST(fetch_time_must_not_go_back) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 200, "Access-Control-Allow-Origin: *");
  struct corsim_request r = fx_request(APP, API, "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 10, &r, &s, &d, &e), CORSIM_OK);
  corsim_decision_release(&d);
  ASSERT_EQ_INT(fx_fetch(b, 5, &r, &s, &d, &e), CORSIM_BAD_TIME);
  ASSERT_EQ_INT(e.status, CORSIM_BAD_TIME);
  ASSERT_STR_EQ(e.message, "virtual time went back from 10 to 5");
  ASSERT_TRUE(decision_is_empty(&d));
  ASSERT_EQ_INT(s.sent_count, 1);
  /* the same instant is fine, and the error is reset per call */
  fx_answer(&s, 200, "Access-Control-Allow-Origin: *");
  ASSERT_EQ_INT(fx_fetch(b, 10, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(e.status, CORSIM_OK);
  ASSERT_STR_EQ(e.message, "");
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

TEST(fetch_no_answer_keeps_the_responders_message) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  fx_fail(&s, CORSIM_NO_ANSWER, "vectors/x.json: no response for GET /x");
  struct corsim_request r = fx_request(APP, API, "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_NO_ANSWER);
  ASSERT_EQ_INT(e.status, CORSIM_NO_ANSWER);
  ASSERT_STR_EQ(e.message, "vectors/x.json: no response for GET /x");
  ASSERT_TRUE(decision_is_empty(&d));
  corsim_browser_free(b);
}

TEST(fetch_responder_failure_without_a_message) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  fx_fail(&s, CORSIM_RESPONDER, NULL);
  struct corsim_request r = fx_request(APP, API, "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_RESPONDER);
  ASSERT_STR_EQ(e.message, "GET https://api.example/x: the responder failed");
  corsim_browser_free(b);
}

TEST(fetch_no_answer_for_the_preflight) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s); /* nothing scripted */
  struct corsim_request r = fx_request(APP, API, "DELETE");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_NO_ANSWER);
  ASSERT_STR_EQ(e.message,
                "no scripted answer for OPTIONS https://api.example/x");
  ASSERT_EQ_INT(s.sent_count, 1);
  ASSERT_TRUE(s.sent[0].is_preflight);
  ASSERT_EQ_INT(corsim_browser_cache_size(b, 0), 0);
  corsim_browser_free(b);
}

TEST(fetch_invalid_answer_status_is_a_responder_error) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  static const int bad[] = {0, 42, 99, 1000, -200};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct fx_server s;
    fx_server_init(&s);
    fx_answer(&s, bad[i], "Access-Control-Allow-Origin: *");
    struct corsim_request r = fx_request(APP, API, "GET");
    struct corsim_decision d;
    struct corsim_error e;
    ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_RESPONDER);
    if (bad[i] == 42)
      ASSERT_STR_EQ(e.message,
                    "GET https://api.example/x: answer status 42 "
                    "is not a valid HTTP status");
  }
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 999, "Access-Control-Allow-Origin: *");
  struct corsim_request r = fx_request(APP, API, "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.status, 999);
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

/* A browser with small header caps. */
static struct corsim_browser *capped(size_t headers, size_t bytes) {
  struct corsim_options o;
  memset(&o, 0, sizeof o);
  o.max_headers = headers;
  o.max_header_bytes = bytes;
  struct corsim_browser *b = NULL;
  if (corsim_browser_new(&o, &b, NULL) != CORSIM_OK) return NULL;
  return b;
}

TEST(fetch_too_many_headers_is_a_limit) {
  struct corsim_browser *b = capped(3, 0);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 200, "Access-Control-Allow-Origin: *\nA: 1\nB: 2\nC: 3");
  struct corsim_request r = fx_request(APP, API, "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_LIMIT);
  ASSERT_STR_EQ(e.message,
                "GET https://api.example/x: the answer has 4 "
                "headers, more than the limit of 3");
  ASSERT_TRUE(decision_is_empty(&d));
  fx_server_init(&s);
  fx_answer(&s, 200, "Access-Control-Allow-Origin: *\nA: 1\nB: 2");
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

TEST(fetch_too_many_header_bytes_is_a_limit) {
  /* "Access-Control-Allow-Origin" + "*" is 28 bytes */
  struct corsim_browser *b = capped(0, 28);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 200, "Access-Control-Allow-Origin: *");
  struct corsim_request r = fx_request(APP, API, "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  corsim_decision_release(&d);
  fx_server_init(&s);
  fx_answer(&s, 200, "Access-Control-Allow-Origin: *\nX:");
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_LIMIT);
  fx_server_init(&s);
  fx_answer(&s, 200, "Access-Control-Allow-Origin: **");
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_LIMIT);
  ASSERT_STR_EQ(e.message,
                "GET https://api.example/x: the answer has 29 "
                "header bytes, more than the limit of 28");
  corsim_browser_free(b);
}

TEST(fetch_limit_applies_to_the_preflight_too) {
  struct corsim_browser *b = capped(1, 0);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 204,
            "Access-Control-Allow-Origin: *\n"
            "Access-Control-Allow-Methods: PUT");
  struct corsim_request r = fx_request(APP, API, "PUT");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_LIMIT);
  ASSERT_STR_EQ(e.message,
                "OPTIONS https://api.example/x: the answer has 2 "
                "headers, more than the limit of 1");
  corsim_browser_free(b);
}

TEST(fetch_missing_arguments) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  struct corsim_request r = fx_request(APP, API, "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(corsim_browser_fetch(NULL, 0, &r, fx_respond, &s, &d, &e),
                CORSIM_BAD_REQUEST);
  ASSERT_STR_EQ(e.message, "missing browser, request or responder");
  ASSERT_EQ_INT(corsim_browser_fetch(b, 0, NULL, fx_respond, &s, &d, &e),
                CORSIM_BAD_REQUEST);
  ASSERT_EQ_INT(corsim_browser_fetch(b, 0, &r, NULL, &s, &d, NULL),
                CORSIM_BAD_REQUEST);
  ASSERT_TRUE(decision_is_empty(&d));
  corsim_browser_free(b);
}

TEST(fetch_bad_page_origin) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  struct corsim_request r = fx_request("app.example", API, "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_BAD_REQUEST);
  ASSERT_STR_EQ(e.message,
                "the page origin 'app.example' is not a serialized "
                "origin (missing scheme (not an absolute URL))");
  ASSERT_EQ_INT(s.sent_count, 0);
  corsim_browser_free(b);
}

TEST(fetch_null_origin_and_method_defaults) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 200, "Access-Control-Allow-Origin: *");
  struct corsim_request r = fx_request(NULL, API, NULL);
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_STR_EQ(d.origin, "null");
  ASSERT_STR_EQ(s.sent[0].method, "GET");
  ASSERT_TRUE(fx_sent_has(&s.sent[0], "Origin: null"));
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

TEST(fetch_decision_release_is_idempotent) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 200, "");
  struct corsim_request r = fx_request(APP, API, "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_NOT_NULL(d.arena_);
  corsim_decision_release(&d);
  ASSERT_TRUE(decision_is_empty(&d));
  corsim_decision_release(&d);
  corsim_decision_release(NULL);
  corsim_browser_free(b);
  corsim_browser_free(NULL);
}

TEST(fetch_browser_new_without_options) {
  struct corsim_browser *b = NULL;
  ASSERT_EQ_INT(corsim_browser_new(NULL, &b, NULL), CORSIM_OK);
  ASSERT_NOT_NULL(b);
  ASSERT_EQ_INT(corsim_browser_cache_size(b, 0), 0);
  corsim_browser_free(b);
}

TEST(fetch_trace_starts_with_the_page_origin) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 200, "Access-Control-Allow-Origin: *");
  struct corsim_request r = fx_request(APP, API, "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_TRUE(d.trace_count >= 3);
  ASSERT_STR_EQ(d.trace[0].anchor, "html#concept-origin");
  ASSERT_EQ_INT(d.trace[0].kind, CORSIM_TRACE_INFO);
  ASSERT_STR_EQ(d.trace[0].text, "the page's origin is https://app.example");
  for (size_t i = 0; i < d.trace_count; i++) {
    ASSERT_NOT_NULL(d.trace[i].anchor);
    ASSERT_NOT_NULL(d.trace[i].step);
    ASSERT_NOT_NULL(d.trace[i].text);
    ASSERT_NULL(strchr(d.trace[i].text, '\n'));
  }
  ASSERT_TRUE(
      fx_trace_has(&d, CORSIM_TRACE_INFO, "fetch#concept-http-network-fetch"));
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

TEST(fetch_cache_modes_add_request_headers) {
  struct {
    enum corsim_cache_mode mode;
    const char *want[2];
  } cases[] = {
      {CORSIM_CACHE_NO_STORE, {"Pragma: no-cache", "Cache-Control: no-cache"}},
      {CORSIM_CACHE_RELOAD, {"Pragma: no-cache", "Cache-Control: no-cache"}},
      {CORSIM_CACHE_NO_CACHE, {"Cache-Control: max-age=0", NULL}},
      {CORSIM_CACHE_DEFAULT, {NULL, NULL}},
      {CORSIM_CACHE_FORCE_CACHE, {NULL, NULL}},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
    ASSERT_NOT_NULL(b);
    struct fx_server s;
    fx_server_init(&s);
    fx_answer(&s, 200, "");
    struct corsim_request r = fx_request(APP, "https://app.example/same", NULL);
    r.cache = cases[i].mode;
    struct corsim_decision d;
    struct corsim_error e;
    ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
    size_t want = 1; /* Accept */
    for (size_t k = 0; k < 2; k++)
      if (cases[i].want[k] != NULL) {
        ASSERT_STR_EQ(s.sent[0].headers[want], cases[i].want[k]);
        want++;
      }
    ASSERT_EQ_INT(s.sent[0].header_count, want);
    corsim_decision_release(&d);
    corsim_browser_free(b);
  }
}

TEST(fetch_preflight_cache_is_per_browser) {
  struct corsim_browser *a = fx_browser(CORSIM_PROFILE_FETCH);
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(a);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  fx_answer_preflight(&s, 204,
                      "Access-Control-Allow-Origin: *\n"
                      "Access-Control-Allow-Methods: PUT\n"
                      "Access-Control-Max-Age: 60");
  fx_answer(&s, 200, "Access-Control-Allow-Origin: *");
  struct corsim_request r = fx_request(APP, API, "PUT");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(a, 0, &r, &s, &d, &e), CORSIM_OK);
  corsim_decision_release(&d);
  ASSERT_EQ_INT(corsim_browser_cache_size(a, 1), 1);
  ASSERT_EQ_INT(corsim_browser_cache_size(b, 1), 0);
  corsim_browser_free(a);
  corsim_browser_free(b);
}

/* corsim_options.no_trace: the same decision, and no trace at all. */
TEST(no_trace_decides_the_same_without_a_trace) {
  for (int pass = 0; pass < 2; pass++) {
    struct corsim_options o;
    memset(&o, 0, sizeof o);
    o.no_trace = pass == 1;
    struct corsim_browser *b = NULL;
    ASSERT_EQ_INT(corsim_browser_new(&o, &b, NULL), CORSIM_OK);
    struct fx_server s;
    fx_server_init(&s);
    fx_answer(&s, 204,
              "Access-Control-Allow-Origin: https://app.example\n"
              "Access-Control-Allow-Methods: PUT");
    fx_answer(&s, 200, "Content-Type: text/plain");
    struct corsim_request r;
    memset(&r, 0, sizeof r);
    r.origin = "https://app.example";
    r.url = "https://api.example/x";
    r.method = "PUT";
    struct corsim_decision d;
    struct corsim_error e;
    memset(&e, 0, sizeof e);
    ASSERT_EQ_INT(corsim_browser_fetch(b, 0, &r, fx_respond, &s, &d, &e),
                  CORSIM_OK);
    ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_BLOCKED);
    ASSERT_STR_EQ(corsim_cors_error_name(d.cors_error),
                  "MissingAllowOriginHeader");
    ASSERT_EQ_INT(d.preflight, CORSIM_PREFLIGHT_SENT);
    if (pass == 1)
      ASSERT_EQ_INT(d.trace_count, 0);
    else
      ASSERT_TRUE(d.trace_count > 5);
    corsim_decision_release(&d);
    corsim_browser_free(b);
  }
}
