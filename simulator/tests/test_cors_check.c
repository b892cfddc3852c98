/* test_cors_check.c: whole fetches through corsim_browser_fetch that end
 * in the CORS check (cors_check.c) and the response's tainting
 * (tainting.c): each outcome, its CDP name and failed parameter, and what
 * script can read. */
#include <string.h>

#include "../../harness/testing/check.h"
#include "fixture.h"

static const char *const APP = "https://app.example";
static const char *const API = "https://api.example/x";

/* One simple cross-origin GET answered 200 with `headers`. */
static enum corsim_status simple_get(enum corsim_profile p,
                                     enum corsim_credentials cred,
                                     const char *headers,
                                     struct corsim_decision *d,
                                     struct fx_server *s) {
  struct corsim_browser *b = fx_browser(p);
  if (b == NULL) return CORSIM_NO_MEMORY;
  fx_server_init(s);
  fx_answer(s, 200, headers);
  struct corsim_request r = fx_request(APP, API, "GET");
  r.credentials = cred;
  struct corsim_error e;
  enum corsim_status st = fx_fetch(b, 0, &r, s, d, &e);
  corsim_browser_free(b);
  return st;
}

#define BLOCKED_WITH(d, err, param)                               \
  do {                                                            \
    ASSERT_EQ_INT((d).outcome, CORSIM_OUTCOME_BLOCKED);           \
    ASSERT_EQ_INT((d).blocked_reason, CORSIM_BLOCKED_CORS);       \
    ASSERT_STR_EQ(corsim_cors_error_name((d).cors_error), (err)); \
    ASSERT_STR_EQ((d).failed_parameter, (param));                 \
    ASSERT_EQ_INT((d).status, 0);                                 \
    ASSERT_EQ_INT((d).response_type, CORSIM_RESPONSE_ERROR);      \
    ASSERT_EQ_INT((d).exposed_header_count, 0);                   \
  } while (0)

TEST(cors_check_matching_origin_is_allowed) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(
      simple_get(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_OMIT,
                 "Access-Control-Allow-Origin: https://app.example", &d, &s),
      CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  ASSERT_EQ_INT(d.blocked_reason, CORSIM_BLOCKED_NONE);
  ASSERT_EQ_INT(d.cors_error, CORSIM_CORS_ERROR_NONE);
  ASSERT_EQ_INT(d.response_type, CORSIM_RESPONSE_CORS);
  ASSERT_EQ_INT(d.status, 200);
  ASSERT_EQ_INT(d.preflight, CORSIM_PREFLIGHT_NONE);
  ASSERT_NULL(d.failed_parameter);
  ASSERT_EQ_INT(s.sent_count, 1);
  ASSERT_TRUE(fx_trace_has(&d, CORSIM_TRACE_PASS, "fetch#concept-cors-check"));
  corsim_decision_release(&d);
}

TEST(cors_check_missing_allow_origin) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(simple_get(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_OMIT,
                           "Content-Type: text/plain", &d, &s),
                CORSIM_OK);
  BLOCKED_WITH(d, "MissingAllowOriginHeader", NULL);
  ASSERT_FALSE(d.failed_on_preflight);
  ASSERT_EQ_INT(d.failed_response_status, 200);
  ASSERT_EQ_INT(d.allow_origin_lines, 0);
  ASSERT_TRUE(fx_trace_has(&d, CORSIM_TRACE_FAIL, "fetch#concept-cors-check"));
  corsim_decision_release(&d);
}

TEST(cors_check_wildcard_without_credentials_is_allowed) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(simple_get(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_SAME_ORIGIN,
                           "Access-Control-Allow-Origin: *", &d, &s),
                CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  /* same-origin credentials are not sent cross-origin */
  ASSERT_FALSE(s.sent[0].include_credentials);
  corsim_decision_release(&d);
}

TEST(cors_check_wildcard_with_credentials) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(simple_get(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_INCLUDE,
                           "Access-Control-Allow-Origin: *\n"
                           "Access-Control-Allow-Credentials: true",
                           &d, &s),
                CORSIM_OK);
  BLOCKED_WITH(d, "WildcardOriginNotAllowed", NULL);
  ASSERT_TRUE(s.sent[0].include_credentials);
  corsim_decision_release(&d);
}

TEST(cors_check_comma_list_is_multiple_values) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(simple_get(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_OMIT,
                           "Access-Control-Allow-Origin: https://app.example,"
                           "https://b.example",
                           &d, &s),
                CORSIM_OK);
  BLOCKED_WITH(d, "MultipleAllowOriginValues",
               "https://app.example,https://b.example");
  ASSERT_EQ_INT(d.allow_origin_lines, 1);
  corsim_decision_release(&d);
}

TEST(cors_check_two_lines_combine_into_multiple_values) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(simple_get(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_OMIT,
                           "Access-Control-Allow-Origin: https://app.example\n"
                           "access-control-allow-origin: https://app.example",
                           &d, &s),
                CORSIM_OK);
  BLOCKED_WITH(d, "MultipleAllowOriginValues",
               "https://app.example, https://app.example");
  ASSERT_EQ_INT(d.allow_origin_lines, 2);
  corsim_decision_release(&d);
}

TEST(cors_check_other_origin_is_a_mismatch) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(
      simple_get(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_OMIT,
                 "Access-Control-Allow-Origin: https://other.example", &d, &s),
      CORSIM_OK);
  BLOCKED_WITH(d, "AllowOriginMismatch", "https://other.example");
  corsim_decision_release(&d);
}

TEST(cors_check_comparison_is_byte_for_byte) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(
      simple_get(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_OMIT,
                 "Access-Control-Allow-Origin: HTTPS://APP.EXAMPLE", &d, &s),
      CORSIM_OK);
  BLOCKED_WITH(d, "AllowOriginMismatch", "HTTPS://APP.EXAMPLE");
  corsim_decision_release(&d);
  ASSERT_EQ_INT(
      simple_get(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_OMIT,
                 "Access-Control-Allow-Origin: https://app.example/", &d, &s),
      CORSIM_OK);
  BLOCKED_WITH(d, "AllowOriginMismatch", "https://app.example/");
  corsim_decision_release(&d);
}

TEST(cors_check_null_value_for_a_tuple_origin_is_a_mismatch) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(simple_get(CORSIM_PROFILE_CHROMIUM, CORSIM_CREDENTIALS_OMIT,
                           "Access-Control-Allow-Origin: null", &d, &s),
                CORSIM_OK);
  BLOCKED_WITH(d, "AllowOriginMismatch", "null");
  corsim_decision_release(&d);
}

TEST(cors_check_unparsable_value_is_invalid) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(simple_get(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_OMIT,
                           "Access-Control-Allow-Origin: app.example", &d, &s),
                CORSIM_OK);
  BLOCKED_WITH(d, "InvalidAllowOriginValue", "app.example");
  corsim_decision_release(&d);
  ASSERT_EQ_INT(
      simple_get(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_OMIT,
                 "Access-Control-Allow-Origin: https://caf\xc3\xa9", &d, &s),
      CORSIM_OK);
  BLOCKED_WITH(d, "InvalidAllowOriginValue", "https://caf\xc3\xa9");
  corsim_decision_release(&d);
}

TEST(cors_check_space_in_value_counts_as_multiple) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(
      simple_get(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_OMIT,
                 "Access-Control-Allow-Origin: https://a https://b", &d, &s),
      CORSIM_OK);
  BLOCKED_WITH(d, "MultipleAllowOriginValues", "https://a https://b");
  corsim_decision_release(&d);
}

TEST(cors_check_outer_whitespace_of_a_value_is_dropped) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(
      simple_get(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_OMIT,
                 "Access-Control-Allow-Origin:  \thttps://app.example "
                 "\t",
                 &d, &s),
      CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  corsim_decision_release(&d);
}

TEST(cors_check_null_value_allows_an_opaque_origin) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 200, "Access-Control-Allow-Origin: null");
  struct corsim_request r = fx_request("file:///home/me/page.html", API, NULL);
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  ASSERT_STR_EQ(d.origin, "null");
  ASSERT_TRUE(fx_sent_has(&s.sent[0], "Origin: null"));
  ASSERT_STR_EQ(s.sent[0].method, "GET");
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

TEST(cors_check_credentials_need_exactly_true) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(
      simple_get(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_INCLUDE,
                 "Access-Control-Allow-Origin: https://app.example", &d, &s),
      CORSIM_OK);
  BLOCKED_WITH(d, "InvalidAllowCredentials", NULL);
  corsim_decision_release(&d);
  ASSERT_EQ_INT(simple_get(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_INCLUDE,
                           "Access-Control-Allow-Origin: https://app.example\n"
                           "Access-Control-Allow-Credentials: TRUE",
                           &d, &s),
                CORSIM_OK);
  BLOCKED_WITH(d, "InvalidAllowCredentials", "TRUE");
  corsim_decision_release(&d);
  ASSERT_EQ_INT(simple_get(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_INCLUDE,
                           "Access-Control-Allow-Origin: https://app.example\n"
                           "Access-Control-Allow-Credentials: true",
                           &d, &s),
                CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  corsim_decision_release(&d);
}

TEST(cors_check_credentials_header_is_ignored_without_include) {
  struct corsim_decision d;
  struct fx_server s;
  ASSERT_EQ_INT(simple_get(CORSIM_PROFILE_FETCH, CORSIM_CREDENTIALS_OMIT,
                           "Access-Control-Allow-Origin: https://app.example\n"
                           "Access-Control-Allow-Credentials: nope",
                           &d, &s),
                CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  corsim_decision_release(&d);
}

TEST(cors_check_error_status_is_still_a_cors_error_with_a_note) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 500, "Content-Type: text/html");
  struct corsim_request r = fx_request(APP, API, "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  BLOCKED_WITH(d, "MissingAllowOriginHeader", NULL);
  ASSERT_EQ_INT(d.failed_response_status, 500);
  ASSERT_EQ_INT(d.hops[0].status, 500);
  ASSERT_TRUE(d.hops[0].cors_checked);
  ASSERT_FALSE(d.hops[0].cors_ok);
  ASSERT_TRUE(fx_trace_has(&d, CORSIM_TRACE_NOTE, "fetch#concept-cors-check"));
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

/* ---- the wire request of a simple CORS fetch --------------------------------
 */

TEST(cors_wire_request_of_a_simple_get) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 200, "Access-Control-Allow-Origin: *");
  struct corsim_header h[] = {FX_H("Accept-Language", " de "),
                              FX_H("Cookie", "a=b"),
                              FX_H("Content-Language", "en")};
  struct corsim_request r = fx_request(APP, "https://api.example/x#frag", NULL);
  r.headers = FX_LIST(h);
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(s.sent_count, 1);
  const struct fx_sent *w = &s.sent[0];
  ASSERT_STR_EQ(w->method, "GET");
  ASSERT_STR_EQ(w->url, "https://api.example/x"); /* no fragment */
  ASSERT_FALSE(w->is_preflight);
  ASSERT_EQ_INT(w->hop, 0);
  /* author headers (values normalized, forbidden ones dropped), then the
   * default Accept, then Origin */
  ASSERT_EQ_INT(w->header_count, 4);
  ASSERT_STR_EQ(w->headers[0], "Accept-Language: de");
  ASSERT_STR_EQ(w->headers[1], "Content-Language: en");
  ASSERT_STR_EQ(w->headers[2], "Accept: */*");
  ASSERT_STR_EQ(w->headers[3], "Origin: https://app.example");
  ASSERT_TRUE(
      fx_trace_has(&d, CORSIM_TRACE_NOTE, "fetch#forbidden-request-header"));
  ASSERT_STR_EQ(d.url, "https://api.example/x#frag");
  ASSERT_STR_EQ(d.initial_url, "https://api.example/x#frag");
  ASSERT_STR_EQ(d.origin, "https://app.example");
  ASSERT_TRUE(d.has_request);
  ASSERT_EQ_INT(d.request_header_count, 4);
  ASSERT_STR_EQ(
      fx_owned_header(d.request_headers, d.request_header_count, "origin"),
      "https://app.example");
  ASSERT_FALSE(d.has_preflight_request);
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

TEST(cors_author_accept_replaces_the_default) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 200, "Access-Control-Allow-Origin: *");
  struct corsim_header h[] = {FX_H("accept", "application/json")};
  struct corsim_request r = fx_request(APP, API, "GET");
  r.headers = FX_LIST(h);
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(s.sent[0].header_count, 2);
  ASSERT_STR_EQ(s.sent[0].headers[0], "accept: application/json");
  ASSERT_STR_EQ(s.sent[0].headers[1], "Origin: https://app.example");
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

/* ---- what script can read
 * ------------------------------------------------------- */

static void exposed_case(enum corsim_credentials cred, const char *aceh,
                         struct corsim_decision *d, enum corsim_status *st) {
  static char text[512];
  struct fx_server s;
  snprintf(text, sizeof text,
           "Access-Control-Allow-Origin: https://app.example\n"
           "Access-Control-Allow-Credentials: true\n"
           "%s\nX-A: 1\nX-B: 2\nX-C: 3\nContent-Type: text/plain\n"
           "Set-Cookie: s=1\nDate: today\nX-A: again",
           aceh);
  *st = simple_get(CORSIM_PROFILE_FETCH, cred, text, d, &s);
}

TEST(cors_exposed_headers_listed_names_and_safelisted) {
  struct corsim_decision d;
  enum corsim_status st;
  exposed_case(CORSIM_CREDENTIALS_OMIT,
               "Access-Control-Expose-Headers: x-a, X-B", &d, &st);
  ASSERT_EQ_INT(st, CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  ASSERT_EQ_INT(d.exposed_header_count, 3);
  ASSERT_STR_EQ(d.exposed_headers[0], "content-type");
  ASSERT_STR_EQ(d.exposed_headers[1], "x-a");
  ASSERT_STR_EQ(d.exposed_headers[2], "x-b");
  corsim_decision_release(&d);
}

TEST(cors_exposed_headers_star_without_credentials_is_every_name) {
  struct corsim_decision d;
  enum corsim_status st;
  exposed_case(CORSIM_CREDENTIALS_OMIT, "Access-Control-Expose-Headers: *", &d,
               &st);
  ASSERT_EQ_INT(st, CORSIM_OK);
  const char *want[] = {"access-control-allow-credentials",
                        "access-control-allow-origin",
                        "access-control-expose-headers",
                        "content-type",
                        "date",
                        "x-a",
                        "x-b",
                        "x-c"};
  ASSERT_EQ_INT(d.exposed_header_count, 8);
  for (size_t i = 0; i < 8; i++) ASSERT_STR_EQ(d.exposed_headers[i], want[i]);
  corsim_decision_release(&d);
}

TEST(cors_exposed_headers_star_with_credentials_is_a_name) {
  struct corsim_decision d;
  enum corsim_status st;
  exposed_case(CORSIM_CREDENTIALS_INCLUDE,
               "Access-Control-Expose-Headers: *, X-C", &d, &st);
  ASSERT_EQ_INT(st, CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  ASSERT_EQ_INT(d.exposed_header_count, 2);
  ASSERT_STR_EQ(d.exposed_headers[0], "content-type");
  ASSERT_STR_EQ(d.exposed_headers[1], "x-c");
  ASSERT_TRUE(
      fx_trace_has(&d, CORSIM_TRACE_NOTE,
                   "fetch#concept-response-cors-exposed-header-name-list"));
  corsim_decision_release(&d);
}

TEST(cors_exposed_headers_unparsable_list_exposes_only_safelisted) {
  struct corsim_decision d;
  enum corsim_status st;
  exposed_case(CORSIM_CREDENTIALS_OMIT,
               "Access-Control-Expose-Headers: X-A, x(b)", &d, &st);
  ASSERT_EQ_INT(st, CORSIM_OK);
  ASSERT_EQ_INT(d.exposed_header_count, 1);
  ASSERT_STR_EQ(d.exposed_headers[0], "content-type");
  corsim_decision_release(&d);
}

TEST(cors_same_origin_fetch_is_basic_and_exposes_all_but_set_cookie) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 204, "X-Z: 1\nSet-Cookie: a=b\nset-cookie2: c\nETag: \"e\"");
  struct corsim_request r = fx_request(APP, "https://app.example/data", "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  ASSERT_EQ_INT(d.response_type, CORSIM_RESPONSE_BASIC);
  ASSERT_EQ_INT(d.status, 204);
  ASSERT_EQ_INT(d.exposed_header_count, 2);
  ASSERT_STR_EQ(d.exposed_headers[0], "etag");
  ASSERT_STR_EQ(d.exposed_headers[1], "x-z");
  /* a same-origin GET carries no Origin, and same-origin credentials */
  ASSERT_FALSE(fx_sent_has(&s.sent[0], "Origin: https://app.example"));
  ASSERT_TRUE(s.sent[0].include_credentials);
  ASSERT_NULL(d.hops[0].origin_sent);
  ASSERT_FALSE(d.hops[0].cors_checked);
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

TEST(cors_same_origin_post_carries_origin) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 200, "");
  struct corsim_request r = fx_request(APP, "https://app.example/f", "post");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_STR_EQ(s.sent[0].method, "POST");
  ASSERT_TRUE(fx_sent_has(&s.sent[0], "Origin: https://app.example"));
  ASSERT_TRUE(
      fx_trace_has(&d, CORSIM_TRACE_INFO, "fetch#concept-method-normalize"));
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

/* ---- modes and gates before any request
 * ---------------------------------------- */

TEST(cors_no_cors_mode_gives_an_opaque_response) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 200, "X-A: 1");
  struct corsim_header h[] = {FX_H("X-Custom", "1"),
                              FX_H("Content-Type", "text/plain")};
  struct corsim_request r = fx_request(APP, API, "GET");
  r.mode = CORSIM_MODE_NO_CORS;
  r.headers = FX_LIST(h);
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_OPAQUE);
  ASSERT_EQ_INT(d.response_type, CORSIM_RESPONSE_OPAQUE);
  ASSERT_EQ_INT(d.status, 0);
  ASSERT_EQ_INT(d.exposed_header_count, 0);
  ASSERT_EQ_INT(d.preflight, CORSIM_PREFLIGHT_NONE);
  /* no Origin on a no-cors GET; the non-safelisted header is dropped */
  ASSERT_EQ_INT(s.sent[0].header_count, 2);
  ASSERT_STR_EQ(s.sent[0].headers[0], "Content-Type: text/plain");
  ASSERT_STR_EQ(s.sent[0].headers[1], "Accept: */*");
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

TEST(cors_no_cors_with_a_non_safelisted_method_is_a_type_error) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  struct corsim_request r = fx_request(APP, API, "PUT");
  r.mode = CORSIM_MODE_NO_CORS;
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_BLOCKED);
  ASSERT_EQ_INT(d.blocked_reason, CORSIM_BLOCKED_TYPE_ERROR);
  ASSERT_EQ_INT(d.cors_error, CORSIM_CORS_ERROR_NONE);
  ASSERT_EQ_INT(s.sent_count, 0);
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

TEST(cors_no_cors_without_redirect_follow) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  struct corsim_request r = fx_request(APP, API, "GET");
  r.mode = CORSIM_MODE_NO_CORS;
  r.redirect = CORSIM_REDIRECT_MANUAL;
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  BLOCKED_WITH(d, "NoCorsRedirectModeNotFollow", NULL);
  ASSERT_EQ_INT(s.sent_count, 0);
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

TEST(cors_same_origin_mode_refuses_a_cross_origin_url) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  struct corsim_request r = fx_request(APP, API, "GET");
  r.mode = CORSIM_MODE_SAME_ORIGIN;
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  BLOCKED_WITH(d, "DisallowedByMode", NULL);
  ASSERT_EQ_INT(s.sent_count, 0);
  ASSERT_EQ_INT(d.hop_count, 0);
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

TEST(cors_non_http_scheme_is_cors_disabled) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  struct corsim_request r = fx_request(APP, "ftp://api.example/x", "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  /* Chromium's renderer names the scheme as the failed parameter */
  BLOCKED_WITH(d, "CorsDisabledScheme", "ftp");
  ASSERT_EQ_INT(s.sent_count, 0);
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

TEST(cors_data_url_is_answered_by_the_browser) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  struct corsim_request r = fx_request(APP, "data:text/csv,a,b", "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  ASSERT_EQ_INT(d.response_type, CORSIM_RESPONSE_BASIC);
  ASSERT_EQ_INT(d.status, 200);
  ASSERT_EQ_INT(s.sent_count, 0);
  ASSERT_EQ_INT(d.exposed_header_count, 1);
  ASSERT_STR_EQ(d.exposed_headers[0], "content-type");
  ASSERT_TRUE(fx_trace_has(&d, CORSIM_TRACE_INFO, "fetch#data-url-processor"));
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

TEST(cors_mixed_content_is_blocked_before_any_request) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  struct corsim_request r = fx_request(APP, "http://api.example/x", "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_BLOCKED);
  ASSERT_EQ_INT(d.blocked_reason, CORSIM_BLOCKED_MIXED_CONTENT);
  ASSERT_EQ_INT(d.cors_error, CORSIM_CORS_ERROR_NONE);
  ASSERT_EQ_INT(s.sent_count, 0);
  corsim_decision_release(&d);
  /* loopback is potentially trustworthy: not mixed content */
  fx_answer(&s, 200, "Access-Control-Allow-Origin: *");
  r.url = "http://127.0.0.1:8080/x";
  ASSERT_EQ_INT(fx_fetch(b, 1, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  ASSERT_EQ_INT(s.sent_count, 1);
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

TEST(cors_bad_port_is_refused) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  struct corsim_request r = fx_request(APP, "https://api.example:6000/", "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_BLOCKED);
  ASSERT_EQ_INT(d.blocked_reason, CORSIM_BLOCKED_BAD_PORT);
  ASSERT_EQ_INT(s.sent_count, 0);
  ASSERT_TRUE(fx_trace_has(&d, CORSIM_TRACE_FAIL, "fetch#bad-port"));
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

TEST(cors_chromium_local_network_access) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_CHROMIUM);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  struct corsim_request r = fx_request(APP, "http://127.0.0.1:8080/", "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  BLOCKED_WITH(d, "LocalNetworkAccessPermissionDenied", NULL);
  ASSERT_STR_EQ(d.address_space, "loopback");
  corsim_decision_release(&d);
  r.origin = "http://app.example";
  r.url = "http://192.168.0.1/";
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  BLOCKED_WITH(d, "InsecureLocalNetwork", NULL);
  ASSERT_STR_EQ(d.address_space, "local");
  ASSERT_EQ_INT(s.sent_count, 0);
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

TEST(cors_local_network_access_only_in_chromium) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 200, "Access-Control-Allow-Origin: *");
  struct corsim_request r = fx_request(APP, "http://127.0.0.1:8080/", "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

/* ---- TypeErrors of fetch()
 * ------------------------------------------------------ */

static void type_error_case(const char *url, const char *method,
                            const struct corsim_header_list *h,
                            struct corsim_decision *d, size_t *sent,
                            enum corsim_status *st) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 200, "Access-Control-Allow-Origin: *");
  struct corsim_request r = fx_request(APP, url, method);
  if (h != NULL) r.headers = *h;
  struct corsim_error e;
  *st = b ? fx_fetch(b, 0, &r, &s, d, &e) : CORSIM_NO_MEMORY;
  *sent = s.sent_count;
  corsim_browser_free(b);
}

TEST(cors_type_errors_before_anything_is_sent) {
  struct corsim_decision d;
  size_t sent;
  enum corsim_status st;
  struct corsim_header bad_value[] = {FX_H("X-A", "a\r\nInjected: 1")};
  struct corsim_header bad_name[] = {FX_H("X A", "1")};
  struct corsim_header_list lv = FX_LIST(bad_value), ln = FX_LIST(bad_name);
  struct {
    const char *url, *method;
    const struct corsim_header_list *h;
    const char *anchor;
  } cases[] = {
      {"https://u:p@api.example/", "GET", NULL, "fetch#dom-request"},
      {"not a url", "GET", NULL, "fetch#dom-request"},
      {API, "TRACE", NULL, "fetch#forbidden-method"},
      {API, "GE T", NULL, "fetch#dom-request"},
      {API, "GET", &lv, "fetch#headers-validate"},
      {API, "GET", &ln, "fetch#headers-validate"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    type_error_case(cases[i].url, cases[i].method, cases[i].h, &d, &sent, &st);
    ASSERT_EQ_INT(st, CORSIM_OK);
    ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_BLOCKED);
    ASSERT_EQ_INT(d.blocked_reason, CORSIM_BLOCKED_TYPE_ERROR);
    ASSERT_EQ_INT(d.cors_error, CORSIM_CORS_ERROR_NONE);
    ASSERT_EQ_INT(sent, 0);
    ASSERT_TRUE(fx_trace_has(&d, CORSIM_TRACE_FAIL, cases[i].anchor));
    corsim_decision_release(&d);
  }
}

TEST(cors_chromium_joins_same_name_request_headers) {
  static const enum corsim_profile ps[] = {CORSIM_PROFILE_FETCH,
                                           CORSIM_PROFILE_CHROMIUM};
  for (size_t i = 0; i < 2; i++) {
    struct corsim_browser *b = fx_browser(ps[i]);
    ASSERT_NOT_NULL(b);
    struct fx_server s;
    fx_server_init(&s);
    fx_answer(&s, 200, "Access-Control-Allow-Origin: *");
    struct corsim_header h[] = {FX_H("Accept-Language", "de"),
                                FX_H("accept-language", "en")};
    struct corsim_request r = fx_request(APP, API, "GET");
    r.headers = FX_LIST(h);
    struct corsim_decision d;
    struct corsim_error e;
    ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
    ASSERT_EQ_INT(d.preflight, CORSIM_PREFLIGHT_NONE);
    if (ps[i] == CORSIM_PROFILE_CHROMIUM) {
      ASSERT_EQ_INT(s.sent[0].header_count, 3);
      ASSERT_STR_EQ(s.sent[0].headers[0], "Accept-Language: de, en");
      ASSERT_STR_EQ(s.sent[0].headers[1], "Accept: */*");
    } else {
      ASSERT_EQ_INT(s.sent[0].header_count, 4);
      ASSERT_STR_EQ(s.sent[0].headers[0], "Accept-Language: de");
      ASSERT_STR_EQ(s.sent[0].headers[1], "accept-language: en");
    }
    corsim_decision_release(&d);
    corsim_browser_free(b);
  }
}

TEST(cors_user_agent_is_unsafe_in_the_standard_and_replaced_in_chromium) {
  static const enum corsim_profile ps[] = {CORSIM_PROFILE_FETCH,
                                           CORSIM_PROFILE_CHROMIUM};
  static const int want[] = {CORSIM_PREFLIGHT_SENT, CORSIM_PREFLIGHT_NONE};
  for (size_t i = 0; i < 2; i++) {
    struct corsim_browser *b = fx_browser(ps[i]);
    ASSERT_NOT_NULL(b);
    struct fx_server s;
    fx_server_init(&s);
    fx_answer_preflight(&s, 204,
                        "Access-Control-Allow-Origin: *\n"
                        "Access-Control-Allow-Headers: user-agent");
    fx_answer(&s, 200, "Access-Control-Allow-Origin: *");
    struct corsim_header h[] = {FX_H("User-Agent", "bot/1")};
    struct corsim_request r = fx_request(APP, API, "GET");
    r.headers = FX_LIST(h);
    struct corsim_decision d;
    struct corsim_error e;
    ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
    ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
    ASSERT_EQ_INT(d.preflight, want[i]);
    ASSERT_EQ_INT(fx_sent_has(&s.sent[s.sent_count - 1], "User-Agent: bot/1"),
                  i == 0);
    corsim_decision_release(&d);
    corsim_browser_free(b);
  }
}
