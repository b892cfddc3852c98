/* test_preflight.c: whole fetches that need a CORS preflight
 * (preflight.c): when one is sent, its exact wire headers, the order in
 * which its answer is validated per profile, the CDP names of each
 * refusal, and how Access-Control-Max-Age is read. */
#include <string.h>

#include "../../harness/testing/check.h"
#include "fixture.h"

static const char *const APP = "https://app.example";
static const char *const API = "https://api.example/x";

/* A PUT with two unsafe headers, answered by `preflight` then `actual`
 * (NULL: no actual answer is scripted). */
static enum corsim_status put_case(enum corsim_profile p,
                                   enum corsim_credentials cred,
                                   int preflight_status, const char *preflight,
                                   const char *actual,
                                   struct corsim_decision *d,
                                   struct fx_server *s) {
  struct corsim_browser *b = fx_browser(p);
  if (b == NULL) return CORSIM_NO_MEMORY;
  fx_server_init(s);
  fx_answer(s, preflight_status, preflight);
  if (actual != NULL) fx_answer(s, 200, actual);
  struct corsim_header h[] = {FX_H("X-Custom", "1"),
                              FX_H("Content-Type", "application/json")};
  struct corsim_request r = fx_request(APP, API, "PUT");
  r.credentials = cred;
  r.headers = FX_LIST(h);
  struct corsim_error e;
  enum corsim_status st = fx_fetch(b, 0, &r, s, d, &e);
  corsim_browser_free(b);
  return st;
}

#define PREFLIGHT_REFUSED(d, err, param)                          \
  do {                                                            \
    ASSERT_EQ_INT((d).outcome, CORSIM_OUTCOME_BLOCKED);           \
    ASSERT_EQ_INT((d).blocked_reason, CORSIM_BLOCKED_CORS);       \
    ASSERT_STR_EQ(corsim_cors_error_name((d).cors_error), (err)); \
    ASSERT_STR_EQ((d).failed_parameter, (param));                 \
    ASSERT_TRUE((d).failed_on_preflight);                         \
    ASSERT_EQ_INT((d).preflight, CORSIM_PREFLIGHT_SENT);          \
    ASSERT_FALSE((d).has_request);                                \
  } while (0)

static const char *const GOOD =
    "Access-Control-Allow-Origin: https://app.example\n"
    "Access-Control-Allow-Methods: PUT\n"
    "Access-Control-Allow-Headers: X-Custom, content-type";
static const char *const ACTUAL_OK =
    "Access-Control-Allow-Origin: https://app.example";

TEST(preflight_wire_headers_in_order) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(put_case(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_INCLUDE, 204,
                         "Access-Control-Allow-Origin: https://app.example\n"
                         "Access-Control-Allow-Credentials: true\n"
                         "Access-Control-Allow-Methods: PUT\n"
                         "Access-Control-Allow-Headers: X-Custom, content-type",
                         "Access-Control-Allow-Origin: https://app.example\n"
                         "Access-Control-Allow-Credentials: true",
                         &d, &s),
                CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  ASSERT_EQ_INT(s.sent_count, 2);
  const struct fx_sent *p = &s.sent[0];
  ASSERT_TRUE(p->is_preflight);
  ASSERT_FALSE(p->include_credentials); /* never, even for include */
  ASSERT_STR_EQ(p->method, "OPTIONS");
  ASSERT_STR_EQ(p->url, "https://api.example/x");
  ASSERT_EQ_INT(p->header_count, 4);
  ASSERT_STR_EQ(p->headers[0], "Accept: */*");
  ASSERT_STR_EQ(p->headers[1], "Access-Control-Request-Method: PUT");
  ASSERT_STR_EQ(p->headers[2],
                "Access-Control-Request-Headers: content-type,x-custom");
  ASSERT_STR_EQ(p->headers[3], "Origin: https://app.example");
  /* the decision keeps the same preflight */
  ASSERT_TRUE(d.has_preflight_request);
  ASSERT_EQ_INT(d.preflight_request_header_count, 4);
  ASSERT_STR_EQ(d.preflight_request_headers[2].name,
                "Access-Control-Request-Headers");
  ASSERT_STR_EQ(d.preflight_request_headers[2].value, "content-type,x-custom");
  corsim_decision_release(&d);
}

TEST(preflight_then_the_actual_request) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(put_case(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_INCLUDE, 200,
                         "Access-Control-Allow-Origin: https://app.example\n"
                         "Access-Control-Allow-Credentials: true\n"
                         "Access-Control-Allow-Methods: PUT\n"
                         "Access-Control-Allow-Headers: x-custom,content-type",
                         "Access-Control-Allow-Origin: https://app.example\n"
                         "Access-Control-Allow-Credentials: true",
                         &d, &s),
                CORSIM_OK);
  ASSERT_EQ_INT(d.preflight, CORSIM_PREFLIGHT_SENT);
  ASSERT_EQ_INT(d.status, 200);
  const struct fx_sent *a = &s.sent[1];
  ASSERT_FALSE(a->is_preflight);
  ASSERT_TRUE(a->include_credentials);
  ASSERT_STR_EQ(a->method, "PUT");
  ASSERT_EQ_INT(a->header_count, 4);
  ASSERT_STR_EQ(a->headers[0], "X-Custom: 1");
  ASSERT_STR_EQ(a->headers[1], "Content-Type: application/json");
  ASSERT_STR_EQ(a->headers[2], "Accept: */*");
  ASSERT_STR_EQ(a->headers[3], "Origin: https://app.example");
  ASSERT_EQ_INT(d.hop_count, 1);
  ASSERT_STR_EQ(d.hops[0].method, "PUT");
  ASSERT_TRUE(d.hops[0].cors_ok);
  corsim_decision_release(&d);
}

TEST(preflight_not_sent_for_a_simple_request) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 200, ACTUAL_OK);
  struct corsim_header h[] = {FX_H("Content-Type", "text/plain;charset=UTF-8")};
  struct corsim_request r = fx_request(APP, API, "POST");
  r.headers = FX_LIST(h);
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.preflight, CORSIM_PREFLIGHT_NONE);
  ASSERT_FALSE(d.has_preflight_request);
  ASSERT_EQ_INT(s.sent_count, 1);
  ASSERT_FALSE(s.sent[0].is_preflight);
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

TEST(preflight_for_the_use_cors_preflight_flag) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  /* no Access-Control-Allow-Methods: the request's method is taken (7.4) */
  fx_answer(&s, 200, ACTUAL_OK);
  fx_answer(&s, 200, ACTUAL_OK);
  struct corsim_request r = fx_request(APP, API, "GET");
  r.use_cors_preflight = true;
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  ASSERT_EQ_INT(d.preflight, CORSIM_PREFLIGHT_SENT);
  ASSERT_EQ_INT(s.sent[0].header_count, 3);
  ASSERT_STR_EQ(s.sent[0].headers[1], "Access-Control-Request-Method: GET");
  ASSERT_STR_EQ(s.sent[0].headers[2], "Origin: https://app.example");
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

TEST(preflight_for_a_non_normalized_method_is_case_sensitive) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 200,
            "Access-Control-Allow-Origin: *\n"
            "Access-Control-Allow-Methods: PATCH");
  struct corsim_request r = fx_request(APP, API, "patch");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_STR_EQ(s.sent[0].headers[1], "Access-Control-Request-Method: patch");
  PREFLIGHT_REFUSED(d, "MethodDisallowedByPreflightResponse", "patch");
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

TEST(preflight_author_headers_never_go_on_the_preflight) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(put_case(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_OMIT, 200,
                         GOOD, ACTUAL_OK, &d, &s),
                CORSIM_OK);
  ASSERT_FALSE(fx_sent_has(&s.sent[0], "X-Custom: 1"));
  ASSERT_FALSE(fx_sent_has(&s.sent[0], "Content-Type: application/json"));
  corsim_decision_release(&d);
}

/* ---- refusals and their CDP names
 * --------------------------------------------- */

TEST(preflight_missing_allow_origin) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(put_case(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_OMIT, 200,
                         "Access-Control-Allow-Methods: PUT", NULL, &d, &s),
                CORSIM_OK);
  PREFLIGHT_REFUSED(d, "PreflightMissingAllowOriginHeader", NULL);
  ASSERT_EQ_INT(s.sent_count, 1);
  corsim_decision_release(&d);
}

TEST(preflight_allow_origin_mismatch_and_multiple) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(
      put_case(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_OMIT, 200,
               "Access-Control-Allow-Origin: https://x.example", NULL, &d, &s),
      CORSIM_OK);
  PREFLIGHT_REFUSED(d, "PreflightAllowOriginMismatch", "https://x.example");
  corsim_decision_release(&d);
  ASSERT_EQ_INT(put_case(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_OMIT, 200,
                         "Access-Control-Allow-Origin: a,b", NULL, &d, &s),
                CORSIM_OK);
  PREFLIGHT_REFUSED(d, "PreflightMultipleAllowOriginValues", "a,b");
  corsim_decision_release(&d);
  ASSERT_EQ_INT(put_case(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_OMIT, 200,
                         "Access-Control-Allow-Origin: nonsense", NULL, &d, &s),
                CORSIM_OK);
  PREFLIGHT_REFUSED(d, "PreflightInvalidAllowOriginValue", "nonsense");
  corsim_decision_release(&d);
}

TEST(preflight_credentials_refusals) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(put_case(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_INCLUDE, 200,
                         "Access-Control-Allow-Origin: *", NULL, &d, &s),
                CORSIM_OK);
  PREFLIGHT_REFUSED(d, "PreflightWildcardOriginNotAllowed", NULL);
  corsim_decision_release(&d);
  ASSERT_EQ_INT(put_case(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_INCLUDE, 200,
                         "Access-Control-Allow-Origin: https://app.example\n"
                         "Access-Control-Allow-Credentials: yes",
                         NULL, &d, &s),
                CORSIM_OK);
  PREFLIGHT_REFUSED(d, "PreflightInvalidAllowCredentials", "yes");
  corsim_decision_release(&d);
}

TEST(preflight_status_not_ok) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(put_case(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_OMIT, 404,
                         GOOD, NULL, &d, &s),
                CORSIM_OK);
  PREFLIGHT_REFUSED(d, "PreflightInvalidStatus", NULL);
  ASSERT_EQ_INT(d.failed_response_status, 404);
  ASSERT_TRUE(fx_trace_has(&d, CORSIM_TRACE_FAIL, "fetch#ok-status"));
  corsim_decision_release(&d);
}

TEST(preflight_check_order_cors_check_before_status) {
  /* both the CORS check and the status fail: the standard, Chromium and
   * Firefox report the CORS check; WebKit the status */
  struct corsim_decision d;
  struct fx_server s;
  static const enum corsim_profile cors_first[] = {
      CORSIM_PROFILE_FETCH, CORSIM_PROFILE_CHROMIUM, CORSIM_PROFILE_FIREFOX};
  for (size_t i = 0; i < 3; i++) {
    ASSERT_EQ_INT(put_case(cors_first[i], CORSIM_CREDENTIALS_OMIT, 500,
                           "Content-Type: text/html", NULL, &d, &s),
                  CORSIM_OK);
    PREFLIGHT_REFUSED(d, "PreflightMissingAllowOriginHeader", NULL);
    corsim_decision_release(&d);
  }
  ASSERT_EQ_INT(put_case(CORSIM_PROFILE_WEBKIT, CORSIM_CREDENTIALS_OMIT, 500,
                         "Content-Type: text/html", NULL, &d, &s),
                CORSIM_OK);
  PREFLIGHT_REFUSED(d, "PreflightInvalidStatus", NULL);
  ASSERT_EQ_INT(d.failed_response_status, 500);
  corsim_decision_release(&d);
}

TEST(preflight_redirect_is_disallowed) {
  struct corsim_decision d;
  struct fx_server s;
  static const enum corsim_profile all[] = {
      CORSIM_PROFILE_FETCH, CORSIM_PROFILE_CHROMIUM, CORSIM_PROFILE_FIREFOX,
      CORSIM_PROFILE_WEBKIT};
  /* WebKit checks the status first and a redirect is one more status
   * that is not ok; Firefox CORS-checks the redirect answer first (this
   * one has no ACAO) */
  static const char *const want[] = {
      "PreflightDisallowedRedirect", "PreflightDisallowedRedirect",
      "PreflightMissingAllowOriginHeader", "PreflightInvalidStatus"};
  for (size_t i = 0; i < 4; i++) {
    ASSERT_EQ_INT(put_case(all[i], CORSIM_CREDENTIALS_OMIT, 302,
                           "Location: https://api.example/y", NULL, &d, &s),
                  CORSIM_OK);
    PREFLIGHT_REFUSED(d, want[i], NULL);
    ASSERT_EQ_INT(s.sent_count, 1); /* never followed */
    corsim_decision_release(&d);
  }
  /* a 3xx without Location is only a status that is not ok */
  ASSERT_EQ_INT(put_case(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_OMIT, 302,
                         GOOD, NULL, &d, &s),
                CORSIM_OK);
  PREFLIGHT_REFUSED(d, "PreflightInvalidStatus", NULL);
  corsim_decision_release(&d);
}

TEST(preflight_unparsable_allow_methods) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(put_case(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_OMIT, 200,
                         "Access-Control-Allow-Origin: *\n"
                         "Access-Control-Allow-Methods: PUT, P(T\n"
                         "Access-Control-Allow-Headers: a(b",
                         NULL, &d, &s),
                CORSIM_OK);
  PREFLIGHT_REFUSED(d, "InvalidAllowMethodsPreflightResponse", NULL);
  ASSERT_STR_EQ(d.detail, "P(T");
  corsim_decision_release(&d);
}

TEST(preflight_unparsable_allow_headers) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(put_case(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_OMIT, 200,
                         "Access-Control-Allow-Origin: *\n"
                         "Access-Control-Allow-Methods: PUT\n"
                         "Access-Control-Allow-Headers: x-custom, {x}",
                         NULL, &d, &s),
                CORSIM_OK);
  PREFLIGHT_REFUSED(d, "InvalidAllowHeadersPreflightResponse", NULL);
  ASSERT_STR_EQ(d.detail, "{x}");
  corsim_decision_release(&d);
}

TEST(preflight_method_checked_before_headers) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(put_case(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_OMIT, 200,
                         "Access-Control-Allow-Origin: *\n"
                         "Access-Control-Allow-Methods: GET, put",
                         NULL, &d, &s),
                CORSIM_OK);
  PREFLIGHT_REFUSED(d, "MethodDisallowedByPreflightResponse", "PUT");
  corsim_decision_release(&d);
}

TEST(preflight_first_disallowed_header_in_sorted_order) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 200,
            "Access-Control-Allow-Origin: *\n"
            "Access-Control-Allow-Headers: CONTENT-TYPE");
  struct corsim_header h[] = {FX_H("X-B", "1"), FX_H("X-A", "1"),
                              FX_H("Content-Type", "application/json")};
  struct corsim_request r = fx_request(APP, API, "POST");
  r.headers = FX_LIST(h);
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_STR_EQ(s.sent[0].headers[2],
                "Access-Control-Request-Headers: content-type,x-a,x-b");
  PREFLIGHT_REFUSED(d, "HeaderDisallowedByPreflightResponse", "x-a");
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

TEST(preflight_wildcards_without_credentials) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(put_case(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_OMIT, 200,
                         "Access-Control-Allow-Origin: *\n"
                         "Access-Control-Allow-Methods: *\n"
                         "Access-Control-Allow-Headers: *",
                         "Access-Control-Allow-Origin: *", &d, &s),
                CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  corsim_decision_release(&d);
}

TEST(preflight_wildcards_are_names_with_credentials) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(put_case(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_INCLUDE, 200,
                         "Access-Control-Allow-Origin: https://app.example\n"
                         "Access-Control-Allow-Credentials: true\n"
                         "Access-Control-Allow-Methods: *\n"
                         "Access-Control-Allow-Headers: *",
                         NULL, &d, &s),
                CORSIM_OK);
  PREFLIGHT_REFUSED(d, "MethodDisallowedByPreflightResponse", "PUT");
  corsim_decision_release(&d);
  ASSERT_EQ_INT(put_case(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_INCLUDE, 200,
                         "Access-Control-Allow-Origin: https://app.example\n"
                         "Access-Control-Allow-Credentials: true\n"
                         "Access-Control-Allow-Methods: PUT\n"
                         "Access-Control-Allow-Headers: *",
                         NULL, &d, &s),
                CORSIM_OK);
  PREFLIGHT_REFUSED(d, "HeaderDisallowedByPreflightResponse", "content-type");
  corsim_decision_release(&d);
}

/* A GET with Authorization answered by a preflight allowing `*`. */
static enum corsim_status authorization_case(enum corsim_profile p,
                                             const char *acah,
                                             struct corsim_decision *d,
                                             struct fx_server *s) {
  static char text[256];
  struct corsim_browser *b = fx_browser(p);
  if (b == NULL) return CORSIM_NO_MEMORY;
  fx_server_init(s);
  snprintf(text, sizeof text,
           "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Headers: %s",
           acah);
  fx_answer(s, 200, text);
  fx_answer(s, 200, "Access-Control-Allow-Origin: *");
  struct corsim_header h[] = {FX_H("Authorization", "Bearer t")};
  struct corsim_request r = fx_request(APP, API, "GET");
  r.headers = FX_LIST(h);
  struct corsim_error e;
  enum corsim_status st = fx_fetch(b, 0, &r, s, d, &e);
  corsim_browser_free(b);
  return st;
}

TEST(preflight_star_does_not_cover_authorization_in_the_standard) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(authorization_case(CORSIM_PROFILE_FETCH, "*", &d, &s),
                CORSIM_OK);
  ASSERT_STR_EQ(s.sent[0].headers[2],
                "Access-Control-Request-Headers: authorization");
  PREFLIGHT_REFUSED(d, "HeaderDisallowedByPreflightResponse", "authorization");
  corsim_decision_release(&d);
  ASSERT_EQ_INT(
      authorization_case(CORSIM_PROFILE_FETCH, "*, Authorization", &d, &s),
      CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  corsim_decision_release(&d);
}

TEST(preflight_star_covers_authorization_in_the_engines) {
  struct corsim_decision d;
  struct fx_server s;
  static const enum corsim_profile engines[] = {
      CORSIM_PROFILE_CHROMIUM, CORSIM_PROFILE_FIREFOX, CORSIM_PROFILE_WEBKIT};
  for (size_t i = 0; i < 3; i++) {
    ASSERT_EQ_INT(authorization_case(engines[i], "*", &d, &s), CORSIM_OK);
    ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
    ASSERT_TRUE(fx_trace_has(&d, CORSIM_TRACE_NOTE, "browsers#top-box"));
    corsim_decision_release(&d);
  }
}

TEST(preflight_passes_then_the_actual_response_fails) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(put_case(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_OMIT, 200,
                         GOOD, "Content-Type: text/plain", &d, &s),
                CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_BLOCKED);
  ASSERT_STR_EQ(corsim_cors_error_name(d.cors_error),
                "MissingAllowOriginHeader");
  ASSERT_FALSE(d.failed_on_preflight);
  ASSERT_EQ_INT(d.preflight, CORSIM_PREFLIGHT_SENT);
  ASSERT_TRUE(d.has_request);
  corsim_decision_release(&d);
}

TEST(preflight_chromium_safelists_lower_case_methods) {
  /* "get" normalizes to GET anyway; "Head" too; a lower-case "post" sent
   * by an engine that compares case-insensitively needs no preflight */
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_CHROMIUM);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 200, ACTUAL_OK);
  struct corsim_request r = fx_request(APP, API, "post");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.preflight, CORSIM_PREFLIGHT_NONE);
  ASSERT_STR_EQ(s.sent[0].method, "POST");
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

/* ---- Access-Control-Max-Age
 * --------------------------------------------------- */

static double max_age(enum corsim_profile p, const char *v1, const char *v2,
                      bool *cacheable) {
  struct sim_arena a;
  sim_arena_init(&a, sim_default_allocator());
  struct corsim_header h[2];
  size_t n = 0;
  if (v1 != NULL) {
    h[n].name = "Access-Control-Max-Age";
    h[n].name_len = 22;
    h[n].value = v1;
    h[n].value_len = strlen(v1);
    n++;
  }
  if (v2 != NULL) {
    h[n].name = "access-control-max-age";
    h[n].name_len = 22;
    h[n].value = v2;
    h[n].value_len = strlen(v2);
    n++;
  }
  struct corsim_header_list l = {h, n};
  const char *how = NULL;
  double age =
      sim_preflight_max_age(sim_profile_get(p), &a, &l, cacheable, &how);
  sim_arena_release(&a);
  return age;
}

#define AGE_IS(p, v1, v2, want, want_cacheable)                       \
  do {                                                                \
    bool c_ = !(want_cacheable);                                      \
    double got_ = max_age((p), (v1), (v2), &c_);                      \
    if (got_ != (double)(want))                                       \
      CHECK_FAIL_("max-age %s: %g != %g", #v1, got_, (double)(want)); \
    ASSERT_EQ_INT(c_, (want_cacheable));                              \
  } while (0)

TEST(preflight_max_age_fetch_profile) {
  enum corsim_profile p = CORSIM_PROFILE_FETCH;
  AGE_IS(p, NULL, NULL, 5, true);
  AGE_IS(p, "600", NULL, 600, true);
  AGE_IS(p, "0", NULL, 0, true);
  AGE_IS(p, "abc", NULL, 5, true);
  AGE_IS(p, "-1", NULL, 5, true);
  AGE_IS(p, "1.5", NULL, 5, true);
  AGE_IS(p, "", NULL, 5, true);
  AGE_IS(p, "10", "20", 5, true); /* two headers: failure, the default */
  AGE_IS(p, "99999999999999999999", NULL, 2147483648.0, true);
}

TEST(preflight_max_age_chromium_profile) {
  enum corsim_profile p = CORSIM_PROFILE_CHROMIUM;
  AGE_IS(p, NULL, NULL, 5, true);
  AGE_IS(p, "86400", NULL, 7200, true);
  AGE_IS(p, "7199", NULL, 7199, true);
  AGE_IS(p, "abc", NULL, 5, true);
  AGE_IS(p, "99999999999999999999", NULL, 5, true);
  AGE_IS(p, "-1", NULL, 0, false);
  AGE_IS(p, "0", NULL, 0, false);
}

TEST(preflight_max_age_firefox_profile) {
  enum corsim_profile p = CORSIM_PROFILE_FIREFOX;
  AGE_IS(p, NULL, NULL, 5, true);
  AGE_IS(p, "100000", NULL, 86400, true);
  AGE_IS(p, "99999999999999999999", NULL, 86400, true);
  AGE_IS(p, "abc", NULL, 0, false);
  AGE_IS(p, "-1", NULL, 0, false);
  AGE_IS(p, "+5", NULL, 0, false);
  AGE_IS(p, "0", NULL, 0, false);
}

TEST(preflight_max_age_webkit_profile) {
  enum corsim_profile p = CORSIM_PROFILE_WEBKIT;
  AGE_IS(p, NULL, NULL, 5, true);
  AGE_IS(p, "1000", NULL, 600, true);
  AGE_IS(p, "+5", NULL, 5, true);
  AGE_IS(p, "0", NULL, 0, true);
  AGE_IS(p, "-1", NULL, -1, true);
  AGE_IS(p, "abc", NULL, 5, true);
  AGE_IS(p, "99999999999999999999", NULL, 5, true);
}
