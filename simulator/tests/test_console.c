/* test_console.c: the console message each engine prints for a refused
 * fetch (console.c), word for word as research/browsers.md §4-6 records
 * them, and truncation into a small buffer. */
#include <string.h>

#include "../../harness/testing/check.h"
#include "fixture.h"

static const char *const APP = "https://app.example";
static const char *const API = "https://api.example/x";

/* A fetch of `method` with `headers` (one unsafe header when `unsafe`),
 * answered by `first` (status 200) and then `second` (NULL: none), under
 * profile `p`. The decision is left in *d. */
static enum corsim_status refuse(enum corsim_profile p, const char *method,
                                 enum corsim_credentials cred, bool unsafe,
                                 int first_status, const char *first,
                                 const char *second, struct corsim_request *r,
                                 struct corsim_decision *d) {
  static struct corsim_header h[] = {FX_H("X-Custom", "1")};
  struct corsim_browser *b = fx_browser(p);
  if (b == NULL) return CORSIM_NO_MEMORY;
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, first_status, first);
  if (second != NULL) fx_answer(&s, 200, second);
  *r = fx_request(APP, API, method);
  r->credentials = cred;
  if (unsafe) r->headers = FX_LIST(h);
  struct corsim_error e;
  enum corsim_status st = fx_fetch(b, 0, r, &s, d, &e);
  corsim_browser_free(b);
  return st;
}

#define MESSAGE_IS(p, r, d, want)                                           \
  do {                                                                      \
    char buf_[1024];                                                        \
    size_t n_ = corsim_console_message((p), &(r), &(d), buf_, sizeof buf_); \
    ASSERT_STR_EQ(buf_, (want));                                            \
    ASSERT_EQ_INT(n_, strlen(want));                                        \
  } while (0)

#define CHROMIUM_LEAD                                       \
  "Access to fetch at 'https://api.example/x' from origin " \
  "'https://app.example' has been blocked by CORS policy: "

TEST(console_chromium_missing_allow_origin_worked_example) {
  struct corsim_request r;
  struct corsim_decision d;
  ASSERT_EQ_INT(refuse(CORSIM_PROFILE_CHROMIUM, "GET", CORSIM_CREDENTIALS_OMIT,
                       false, 200, "", NULL, &r, &d),
                CORSIM_OK);
  MESSAGE_IS(CORSIM_PROFILE_CHROMIUM, r, d,
             CHROMIUM_LEAD
             "No 'Access-Control-Allow-Origin' header is present "
             "on the requested resource.");
  /* the fetch profile speaks Chromium's words */
  MESSAGE_IS(CORSIM_PROFILE_FETCH, r, d,
             CHROMIUM_LEAD
             "No 'Access-Control-Allow-Origin' header is present "
             "on the requested resource.");
  corsim_decision_release(&d);
}

TEST(console_chromium_preflight_prefix) {
  struct corsim_request r;
  struct corsim_decision d;
  ASSERT_EQ_INT(
      refuse(CORSIM_PROFILE_CHROMIUM, "PUT", CORSIM_CREDENTIALS_OMIT, false,
             200, "Access-Control-Allow-Methods: PUT", NULL, &r, &d),
      CORSIM_OK);
  MESSAGE_IS(CORSIM_PROFILE_CHROMIUM, r, d,
             CHROMIUM_LEAD
             "Response to preflight request doesn't pass access "
             "control check: No 'Access-Control-Allow-Origin' "
             "header is present on the requested resource.");
  corsim_decision_release(&d);
  ASSERT_EQ_INT(
      refuse(CORSIM_PROFILE_CHROMIUM, "PUT", CORSIM_CREDENTIALS_OMIT, false,
             403, "Access-Control-Allow-Origin: *", NULL, &r, &d),
      CORSIM_OK);
  MESSAGE_IS(CORSIM_PROFILE_CHROMIUM, r, d,
             CHROMIUM_LEAD
             "Response to preflight request doesn't pass access "
             "control check: It does not have HTTP ok status.");
  corsim_decision_release(&d);
}

TEST(console_chromium_method_and_header_need_no_prefix) {
  struct corsim_request r;
  struct corsim_decision d;
  ASSERT_EQ_INT(
      refuse(CORSIM_PROFILE_CHROMIUM, "PUT", CORSIM_CREDENTIALS_OMIT, false,
             200, "Access-Control-Allow-Origin: *", NULL, &r, &d),
      CORSIM_OK);
  MESSAGE_IS(CORSIM_PROFILE_CHROMIUM, r, d,
             CHROMIUM_LEAD
             "Method PUT is not allowed by "
             "Access-Control-Allow-Methods in preflight "
             "response.");
  corsim_decision_release(&d);
  ASSERT_EQ_INT(
      refuse(CORSIM_PROFILE_CHROMIUM, "GET", CORSIM_CREDENTIALS_OMIT, true, 200,
             "Access-Control-Allow-Origin: *", NULL, &r, &d),
      CORSIM_OK);
  MESSAGE_IS(CORSIM_PROFILE_CHROMIUM, r, d,
             CHROMIUM_LEAD
             "Request header field x-custom is not allowed by "
             "Access-Control-Allow-Headers in preflight "
             "response.");
  corsim_decision_release(&d);
}

TEST(console_chromium_mismatch_and_credentials) {
  struct corsim_request r;
  struct corsim_decision d;
  ASSERT_EQ_INT(
      refuse(CORSIM_PROFILE_CHROMIUM, "GET", CORSIM_CREDENTIALS_OMIT, false,
             200, "Access-Control-Allow-Origin: https://other.example", NULL,
             &r, &d),
      CORSIM_OK);
  MESSAGE_IS(CORSIM_PROFILE_CHROMIUM, r, d,
             CHROMIUM_LEAD
             "The 'Access-Control-Allow-Origin' header has a "
             "value 'https://other.example' that is not equal "
             "to the supplied origin. Have the server send the "
             "header with a valid value.");
  corsim_decision_release(&d);
  ASSERT_EQ_INT(
      refuse(CORSIM_PROFILE_CHROMIUM, "GET", CORSIM_CREDENTIALS_INCLUDE, false,
             200, "Access-Control-Allow-Origin: https://app.example", NULL, &r,
             &d),
      CORSIM_OK);
  MESSAGE_IS(CORSIM_PROFILE_CHROMIUM, r, d,
             CHROMIUM_LEAD
             "The value of the 'Access-Control-Allow-Credentials' "
             "header in the response is '' which must be 'true' "
             "when the request's credentials mode is "
             "'include'.");
  corsim_decision_release(&d);
  ASSERT_EQ_INT(
      refuse(CORSIM_PROFILE_CHROMIUM, "GET", CORSIM_CREDENTIALS_INCLUDE, false,
             200, "Access-Control-Allow-Origin: *", NULL, &r, &d),
      CORSIM_OK);
  MESSAGE_IS(CORSIM_PROFILE_CHROMIUM, r, d,
             CHROMIUM_LEAD
             "The value of the 'Access-Control-Allow-Origin' "
             "header in the response must not be the wildcard "
             "'*' when the request's credentials mode is "
             "'include'.");
  corsim_decision_release(&d);
}

TEST(console_chromium_hint_encodes_non_printable_bytes) {
  struct corsim_request r;
  struct corsim_decision d;
  ASSERT_EQ_INT(refuse(CORSIM_PROFILE_CHROMIUM, "GET", CORSIM_CREDENTIALS_OMIT,
                       false, 200, "", NULL, &r, &d),
                CORSIM_OK);
  char hint[] = "a\x01\xc3\xa9";
  d.cors_error = CORSIM_CORS_ERROR_INVALID_ALLOW_ORIGIN_VALUE;
  d.failed_parameter = hint;
  MESSAGE_IS(CORSIM_PROFILE_CHROMIUM, r, d,
             CHROMIUM_LEAD
             "The 'Access-Control-Allow-Origin' header contains "
             "the invalid value 'a\\u0001\\u00C3\\u00A9'. Have "
             "the server send the header with a valid value.");
  d.failed_parameter = NULL;
  corsim_decision_release(&d);
}

TEST(console_chromium_redirected_from) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_CHROMIUM);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 302,
            "Access-Control-Allow-Origin: *\n"
            "Location: https://cdn.example/y");
  fx_answer(&s, 200, "");
  struct corsim_request r = fx_request(APP, API, "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  MESSAGE_IS(CORSIM_PROFILE_CHROMIUM, r, d,
             "Access to fetch at 'https://cdn.example/y' (redirected from "
             "'https://api.example/x') from origin 'https://app.example' has "
             "been blocked by CORS policy: No 'Access-Control-Allow-Origin' "
             "header is present on the requested resource.");
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

TEST(console_chromium_renderer_refusals) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_CHROMIUM);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  struct corsim_request r = fx_request(APP, API, "GET");
  r.mode = CORSIM_MODE_SAME_ORIGIN;
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  MESSAGE_IS(CORSIM_PROFILE_CHROMIUM, r, d,
             "Fetch API cannot load https://api.example/x. Request mode is "
             "\"same-origin\" but the URL's origin is not same as the request "
             "origin https://app.example.");
  corsim_decision_release(&d);
  r.mode = CORSIM_MODE_NO_CORS;
  r.redirect = CORSIM_REDIRECT_ERROR;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  MESSAGE_IS(CORSIM_PROFILE_CHROMIUM, r, d,
             "Fetch API cannot load https://api.example/x. Request mode is "
             "\"no-cors\" but the redirect mode is not \"follow\".");
  corsim_decision_release(&d);
  r = fx_request(APP, "ftp://api.example/x", "GET");
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  MESSAGE_IS(CORSIM_PROFILE_CHROMIUM, r, d,
             "Fetch API cannot load ftp://api.example/x. URL scheme \"ftp\" is "
             "not supported.");
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

TEST(console_chromium_mixed_content_and_local_network) {
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_CHROMIUM);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  struct corsim_request r = fx_request(APP, "http://api.example/x", "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  MESSAGE_IS(CORSIM_PROFILE_CHROMIUM, r, d,
             "Mixed Content: The page at 'https://app.example/' was loaded "
             "over HTTPS, but requested an insecure resource "
             "'http://api.example/x'. This request has been blocked; the "
             "content must be served over HTTPS.");
  corsim_decision_release(&d);
  r.url = "http://localhost:8080/x";
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  MESSAGE_IS(CORSIM_PROFILE_CHROMIUM, r, d,
             "Access to fetch at 'http://localhost:8080/x' from origin "
             "'https://app.example' has been blocked by CORS policy: "
             "Permission was denied for this request to access the "
             "`loopback` address space.");
  corsim_decision_release(&d);
  corsim_browser_free(b);
}

TEST(console_chromium_prints_nothing_for_a_type_error) {
  struct corsim_request r;
  struct corsim_decision d;
  ASSERT_EQ_INT(refuse(CORSIM_PROFILE_CHROMIUM, "TRACE",
                       CORSIM_CREDENTIALS_OMIT, false, 200, "", NULL, &r, &d),
                CORSIM_OK);
  ASSERT_EQ_INT(d.blocked_reason, CORSIM_BLOCKED_TYPE_ERROR);
  char buf[64] = "untouched";
  ASSERT_EQ_INT(
      corsim_console_message(CORSIM_PROFILE_CHROMIUM, &r, &d, buf, sizeof buf),
      0);
  ASSERT_STR_EQ(buf, "");
  corsim_decision_release(&d);
}

#define FIREFOX_LEAD                                                        \
  "Cross-Origin Request Blocked: The Same Origin Policy disallows reading " \
  "the remote resource at "

TEST(console_firefox_missing_allow_origin_with_status) {
  struct corsim_request r;
  struct corsim_decision d;
  ASSERT_EQ_INT(refuse(CORSIM_PROFILE_FIREFOX, "GET", CORSIM_CREDENTIALS_OMIT,
                       false, 200, "", NULL, &r, &d),
                CORSIM_OK);
  MESSAGE_IS(CORSIM_PROFILE_FIREFOX, r, d,
             FIREFOX_LEAD
             "https://api.example/x. (Reason: CORS header "
             "\xe2\x80\x98"
             "Access-Control-Allow-Origin"
             "\xe2\x80\x99 missing). Status code: 200.");
  corsim_decision_release(&d);
}

TEST(console_firefox_wildcard_with_credentials_quotes_the_url) {
  struct corsim_request r;
  struct corsim_decision d;
  ASSERT_EQ_INT(
      refuse(CORSIM_PROFILE_FIREFOX, "GET", CORSIM_CREDENTIALS_INCLUDE, false,
             200, "Access-Control-Allow-Origin: *", NULL, &r, &d),
      CORSIM_OK);
  MESSAGE_IS(CORSIM_PROFILE_FIREFOX, r, d,
             FIREFOX_LEAD
             "\xe2\x80\x98https://api.example/x\xe2\x80\x99. "
             "(Reason: Credential is not supported if the CORS "
             "header \xe2\x80\x98"
             "Access-Control-Allow-Origin"
             "\xe2\x80\x99 is \xe2\x80\x98*\xe2\x80\x99).");
  corsim_decision_release(&d);
}

TEST(console_firefox_counts_allow_origin_lines) {
  struct corsim_request r;
  struct corsim_decision d;
  ASSERT_EQ_INT(
      refuse(CORSIM_PROFILE_FIREFOX, "GET", CORSIM_CREDENTIALS_OMIT, false, 200,
             "Access-Control-Allow-Origin: https://app.example\n"
             "Access-Control-Allow-Origin: https://app.example",
             NULL, &r, &d),
      CORSIM_OK);
  MESSAGE_IS(CORSIM_PROFILE_FIREFOX, r, d,
             FIREFOX_LEAD
             "https://api.example/x. (Reason: Multiple CORS "
             "header \xe2\x80\x98"
             "Access-Control-Allow-Origin"
             "\xe2\x80\x99 not allowed).");
  corsim_decision_release(&d);
  ASSERT_EQ_INT(
      refuse(CORSIM_PROFILE_FIREFOX, "GET", CORSIM_CREDENTIALS_OMIT, false, 200,
             "Access-Control-Allow-Origin: https://a, https://b", NULL, &r, &d),
      CORSIM_OK);
  MESSAGE_IS(CORSIM_PROFILE_FIREFOX, r, d,
             FIREFOX_LEAD
             "https://api.example/x. (Reason: CORS header "
             "\xe2\x80\x98"
             "Access-Control-Allow-Origin"
             "\xe2\x80\x99 does not match \xe2\x80\x98"
             "https://a, https://b\xe2\x80\x99).");
  corsim_decision_release(&d);
}

TEST(console_firefox_preflight_refusals) {
  struct corsim_request r;
  struct corsim_decision d;
  ASSERT_EQ_INT(
      refuse(CORSIM_PROFILE_FIREFOX, "GET", CORSIM_CREDENTIALS_OMIT, true, 200,
             "Access-Control-Allow-Origin: *", NULL, &r, &d),
      CORSIM_OK);
  MESSAGE_IS(CORSIM_PROFILE_FIREFOX, r, d,
             FIREFOX_LEAD
             "https://api.example/x. (Reason: header "
             "\xe2\x80\x98x-custom\xe2\x80\x99 is not allowed "
             "according to header \xe2\x80\x98"
             "Access-Control-Allow-Headers\xe2\x80\x99 from CORS "
             "preflight response).");
  corsim_decision_release(&d);
  ASSERT_EQ_INT(
      refuse(CORSIM_PROFILE_FIREFOX, "PUT", CORSIM_CREDENTIALS_OMIT, false, 500,
             "Access-Control-Allow-Origin: *", NULL, &r, &d),
      CORSIM_OK);
  MESSAGE_IS(CORSIM_PROFILE_FIREFOX, r, d,
             FIREFOX_LEAD
             "https://api.example/x. (Reason: CORS preflight "
             "response did not succeed). Status code: 500.");
  corsim_decision_release(&d);
  ASSERT_EQ_INT(
      refuse(CORSIM_PROFILE_FIREFOX, "PUT", CORSIM_CREDENTIALS_OMIT, false, 200,
             "Access-Control-Allow-Origin: *\n"
             "Access-Control-Allow-Methods: GET, {PUT}",
             NULL, &r, &d),
      CORSIM_OK);
  MESSAGE_IS(CORSIM_PROFILE_FIREFOX, r, d,
             FIREFOX_LEAD
             "https://api.example/x. (Reason: invalid token "
             "\xe2\x80\x98{PUT}\xe2\x80\x99 in CORS header "
             "\xe2\x80\x98"
             "Access-Control-Allow-Methods"
             "\xe2\x80\x99).");
  corsim_decision_release(&d);
}

#define WEBKIT_TAIL                                                      \
  "\nFetch API cannot load https://api.example/x due to access control " \
  "checks."

TEST(console_webkit_messages) {
  struct corsim_request r;
  struct corsim_decision d;
  ASSERT_EQ_INT(refuse(CORSIM_PROFILE_WEBKIT, "GET", CORSIM_CREDENTIALS_OMIT,
                       false, 404, "", NULL, &r, &d),
                CORSIM_OK);
  MESSAGE_IS(CORSIM_PROFILE_WEBKIT, r, d,
             "Origin https://app.example is not allowed by "
             "Access-Control-Allow-Origin. Status code: 404" WEBKIT_TAIL);
  corsim_decision_release(&d);
  ASSERT_EQ_INT(
      refuse(CORSIM_PROFILE_WEBKIT, "PUT", CORSIM_CREDENTIALS_OMIT, false, 200,
             "Access-Control-Allow-Origin: *", NULL, &r, &d),
      CORSIM_OK);
  MESSAGE_IS(
      CORSIM_PROFILE_WEBKIT, r, d,
      "Method PUT is not allowed by Access-Control-Allow-Methods." WEBKIT_TAIL);
  corsim_decision_release(&d);
  ASSERT_EQ_INT(refuse(CORSIM_PROFILE_WEBKIT, "PUT", CORSIM_CREDENTIALS_OMIT,
                       false, 401, "", NULL, &r, &d),
                CORSIM_OK);
  MESSAGE_IS(
      CORSIM_PROFILE_WEBKIT, r, d,
      "Preflight response is not successful. Status code: 401" WEBKIT_TAIL);
  corsim_decision_release(&d);
  ASSERT_EQ_INT(
      refuse(CORSIM_PROFILE_WEBKIT, "GET", CORSIM_CREDENTIALS_INCLUDE, false,
             200, "Access-Control-Allow-Origin: https://app.example", NULL, &r,
             &d),
      CORSIM_OK);
  MESSAGE_IS(CORSIM_PROFILE_WEBKIT, r, d,
             "Credentials flag is true, but Access-Control-Allow-Credentials "
             "is not \"true\"." WEBKIT_TAIL);
  corsim_decision_release(&d);
}

TEST(console_webkit_comma_means_more_than_one_origin) {
  struct corsim_request r;
  struct corsim_decision d;
  ASSERT_EQ_INT(
      refuse(CORSIM_PROFILE_WEBKIT, "GET", CORSIM_CREDENTIALS_OMIT, false, 200,
             "Access-Control-Allow-Origin: https://a,https://b", NULL, &r, &d),
      CORSIM_OK);
  MESSAGE_IS(CORSIM_PROFILE_WEBKIT, r, d,
             "Access-Control-Allow-Origin cannot contain more than one "
             "origin." WEBKIT_TAIL);
  corsim_decision_release(&d);
}

TEST(console_nothing_for_an_allowed_fetch) {
  struct corsim_request r;
  struct corsim_decision d;
  ASSERT_EQ_INT(
      refuse(CORSIM_PROFILE_CHROMIUM, "GET", CORSIM_CREDENTIALS_OMIT, false,
             200, "Access-Control-Allow-Origin: *", NULL, &r, &d),
      CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  char buf[16] = "x";
  for (int p = 0; p < CORSIM_PROFILE_COUNT; p++) {
    ASSERT_EQ_INT(
        corsim_console_message((enum corsim_profile)p, &r, &d, buf, sizeof buf),
        0);
    ASSERT_STR_EQ(buf, "");
  }
  ASSERT_EQ_INT(corsim_console_message(CORSIM_PROFILE_CHROMIUM, &r, NULL, buf,
                                       sizeof buf),
                0);
  corsim_decision_release(&d);
}

TEST(console_truncation_returns_the_needed_length) {
  struct corsim_request r;
  struct corsim_decision d;
  ASSERT_EQ_INT(refuse(CORSIM_PROFILE_CHROMIUM, "GET", CORSIM_CREDENTIALS_OMIT,
                       false, 200, "", NULL, &r, &d),
                CORSIM_OK);
  static const char full[] = CHROMIUM_LEAD
      "No 'Access-Control-Allow-Origin' header is present on "
      "the requested resource.";
  char buf[16];
  memset(buf, '#', sizeof buf);
  size_t n = corsim_console_message(CORSIM_PROFILE_CHROMIUM, &r, &d, buf, 10);
  ASSERT_EQ_INT(n, strlen(full));
  ASSERT_STR_EQ(buf, "Access to");
  ASSERT_EQ_INT(buf[10], '#'); /* nothing written past the size */
  ASSERT_EQ_INT(
      corsim_console_message(CORSIM_PROFILE_CHROMIUM, &r, &d, NULL, 0),
      strlen(full));
  char exact[sizeof full];
  ASSERT_EQ_INT(corsim_console_message(CORSIM_PROFILE_CHROMIUM, &r, &d, exact,
                                       sizeof exact),
                strlen(full));
  ASSERT_STR_EQ(exact, full);
  char one_short[sizeof full - 1];
  corsim_console_message(CORSIM_PROFILE_CHROMIUM, &r, &d, one_short,
                         sizeof one_short);
  ASSERT_EQ_INT(strlen(one_short), sizeof full - 2);
  ASSERT_MEM_EQ(one_short, full, sizeof full - 2);
  corsim_decision_release(&d);
}

/* ---- reading a console message back (advice.c) ------------------------------
 */

/* Reads back the message `p` prints for a PUT refused by the preflight's
 * method check; returns what it was read as (COUNT when unreadable). */
static enum corsim_cors_error read_back_method_refusal(
    enum corsim_profile p, enum corsim_profile *by) {
  struct corsim_request r;
  struct corsim_decision d;
  if (refuse(p, "PUT", CORSIM_CREDENTIALS_OMIT, false, 200,
             "Access-Control-Allow-Origin: *", NULL, &r, &d) != CORSIM_OK)
    return CORSIM_CORS_ERROR_COUNT;
  char buf[1024];
  struct corsim_console_info info;
  bool ok = corsim_console_message(p, &r, &d, buf, sizeof buf) > 0 &&
            corsim_console_parse(buf, &info);
  corsim_decision_release(&d);
  if (!ok) return CORSIM_CORS_ERROR_COUNT;
  *by = info.engine;
  return info.cors_error;
}

TEST(console_parse_reads_back_what_chromium_and_webkit_print) {
  static const enum corsim_profile engines[] = {CORSIM_PROFILE_CHROMIUM,
                                                CORSIM_PROFILE_WEBKIT};
  for (size_t i = 0; i < 2; i++) {
    enum corsim_profile by = CORSIM_PROFILE_FETCH;
    ASSERT_EQ_INT(read_back_method_refusal(engines[i], &by),
                  CORSIM_CORS_ERROR_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE);
    ASSERT_EQ_INT(by, engines[i]);
  }
}

/* Regression test (fixed: advice.c:334): the Firefox phrase "in CORS header
 * 'Access-Control-Allow-Methods'" (CORSInvalidAllowMethod) comes before
 * "Did not find method in CORS header" (CORSMethodNotFound, line 342) and
 * is a substring of it, so Firefox's method refusal reads back as
 * InvalidAllowMethodsPreflightResponse. Fix: match "' in CORS header
 * 'Access-Control-Allow-Methods'" (with the closing quote of the token),
 * or move the line-342 entry above line 334. */

TEST(console_parse_reads_back_what_firefox_prints) {
  enum corsim_profile by = CORSIM_PROFILE_FETCH;
  ASSERT_EQ_INT(read_back_method_refusal(CORSIM_PROFILE_FIREFOX, &by),
                CORSIM_CORS_ERROR_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE);
  ASSERT_EQ_INT(by, CORSIM_PROFILE_FIREFOX);
}


TEST(console_parse_of_the_chromium_worked_example) {
  struct corsim_console_info info;
  ASSERT_TRUE(corsim_console_parse(
      CHROMIUM_LEAD
      "No 'Access-Control-Allow-Origin' header is present on "
      "the requested resource.",
      &info));
  ASSERT_EQ_INT(info.engine, CORSIM_PROFILE_CHROMIUM);
  ASSERT_EQ_INT(info.cors_error, CORSIM_CORS_ERROR_MISSING_ALLOW_ORIGIN_HEADER);
  ASSERT_FALSE(info.is_preflight);
  ASSERT_STR_EQ(info.url, "https://api.example/x");
  ASSERT_STR_EQ(info.origin, "https://app.example");
  ASSERT_FALSE(
      corsim_console_parse("Uncaught TypeError: x is undefined", &info));
}

TEST(console_advice_for_every_cors_error) {
  for (int e = 0; e < CORSIM_CORS_ERROR_COUNT; e++) {
    const struct corsim_advice *a =
        corsim_cors_error_advice((enum corsim_cors_error)e);
    ASSERT_NOT_NULL(a);
    ASSERT_NOT_NULL(a->meaning);
    ASSERT_TRUE(a->meaning[0] != '\0');
    ASSERT_NOT_NULL(a->fix);
    ASSERT_NOT_NULL(a->anchor);
    char url[256];
    corsim_anchor_url(a->anchor, url, sizeof url);
    ASSERT_TRUE(strncmp(url, "https://", 8) == 0 ||
                strncmp(url, "research/", 9) == 0);
  }
}
