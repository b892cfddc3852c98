/* test_redirect.c: whole fetches that follow redirects (redirect.c):
 * tainted origins and `Origin: null`, method rewrites, Authorization
 * dropped across origins, the redirect limit, credentials in Location,
 * redirect modes, and Location resolution. */
#include <string.h>

#include "../../harness/testing/check.h"
#include "fixture.h"

static const char *const APP = "https://app.example";

/* Runs `r` against `s` on a fresh browser of profile `p` (max_redirects 0:
 * the default). */
static enum corsim_status run(enum corsim_profile p, size_t max_redirects,
                              const struct corsim_request *r,
                              struct fx_server *s, struct corsim_decision *d,
                              struct corsim_error *e) {
  struct corsim_options o;
  memset(&o, 0, sizeof o);
  o.profile = p;
  o.max_redirects = max_redirects;
  struct corsim_browser *b = NULL;
  enum corsim_status st = corsim_browser_new(&o, &b, e);
  if (st != CORSIM_OK) return st;
  st = fx_fetch(b, 0, r, s, d, e);
  corsim_browser_free(b);
  return st;
}

TEST(redirect_to_a_third_origin_taints_the_origin) {
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 302,
            "Access-Control-Allow-Origin: https://app.example\n"
            "Location: https://other.example/final");
  fx_answer(&s, 200, "Access-Control-Allow-Origin: null");
  struct corsim_request r = fx_request(APP, "https://api.example/r", "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(run(CORSIM_PROFILE_FETCH, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  ASSERT_EQ_INT(s.sent_count, 2);
  ASSERT_TRUE(fx_sent_has(&s.sent[0], "Origin: https://app.example"));
  ASSERT_TRUE(fx_sent_has(&s.sent[1], "Origin: null"));
  ASSERT_EQ_INT(s.sent[1].hop, 1);
  ASSERT_EQ_INT(d.hop_count, 2);
  ASSERT_STR_EQ(d.hops[0].url, "https://api.example/r");
  ASSERT_EQ_INT(d.hops[0].status, 302);
  ASSERT_STR_EQ(d.hops[0].origin_sent, "https://app.example");
  ASSERT_STR_EQ(d.hops[1].url, "https://other.example/final");
  ASSERT_STR_EQ(d.hops[1].origin_sent, "null");
  ASSERT_STR_EQ(d.initial_url, "https://api.example/r");
  ASSERT_STR_EQ(d.url, "https://other.example/final");
  ASSERT_TRUE(fx_trace_has(&d, CORSIM_TRACE_NOTE,
                           "fetch#concept-request-tainted-origin"));
  corsim_decision_release(&d);
}

TEST(redirect_tainted_origin_no_longer_matches_the_page) {
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 302,
            "Access-Control-Allow-Origin: *\n"
            "Location: https://other.example/final");
  fx_answer(&s, 200, "Access-Control-Allow-Origin: https://app.example");
  struct corsim_request r = fx_request(APP, "https://api.example/r", "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(run(CORSIM_PROFILE_FETCH, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_BLOCKED);
  ASSERT_STR_EQ(corsim_cors_error_name(d.cors_error), "AllowOriginMismatch");
  ASSERT_STR_EQ(d.failed_parameter, "https://app.example");
  ASSERT_TRUE(d.hops[0].cors_ok);
  ASSERT_FALSE(d.hops[1].cors_ok);
  corsim_decision_release(&d);
}

TEST(redirect_response_itself_must_pass_the_cors_check) {
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 301, "Location: https://api.example/next");
  struct corsim_request r = fx_request(APP, "https://api.example/r", "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(run(CORSIM_PROFILE_FETCH, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_BLOCKED);
  ASSERT_STR_EQ(corsim_cors_error_name(d.cors_error),
                "MissingAllowOriginHeader");
  ASSERT_EQ_INT(s.sent_count, 1);
  ASSERT_EQ_INT(d.failed_response_status, 301);
  corsim_decision_release(&d);
}

TEST(redirect_from_same_origin_to_cross_origin_is_not_tainted) {
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 307, "Location: https://api.example/data");
  fx_answer(&s, 200, "Access-Control-Allow-Origin: https://app.example");
  struct corsim_request r = fx_request(APP, "https://app.example/go", "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(run(CORSIM_PROFILE_FETCH, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  ASSERT_EQ_INT(d.response_type, CORSIM_RESPONSE_CORS);
  ASSERT_NULL(d.hops[0].origin_sent); /* a same-origin GET has none */
  ASSERT_FALSE(d.hops[0].cors_checked);
  ASSERT_STR_EQ(d.hops[1].origin_sent, "https://app.example");
  ASSERT_TRUE(d.hops[1].cors_checked);
  corsim_decision_release(&d);
}

TEST(redirect_back_to_the_page_origin_after_cross_origin) {
  /* app -> api -> app: the last hop is cross-origin in tainting terms
   * (the request stays CORS) and its origin is tainted */
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 302,
            "Access-Control-Allow-Origin: *\n"
            "Location: https://app.example/back");
  fx_answer(&s, 200, "Access-Control-Allow-Origin: null");
  struct corsim_request r = fx_request(APP, "https://api.example/r", "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(run(CORSIM_PROFILE_FETCH, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  ASSERT_EQ_INT(d.response_type, CORSIM_RESPONSE_CORS);
  ASSERT_TRUE(fx_sent_has(&s.sent[1], "Origin: null"));
  corsim_decision_release(&d);
}

TEST(redirect_303_turns_post_into_get_without_body_headers) {
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 303, "Access-Control-Allow-Origin: *\nLocation: /done");
  fx_answer(&s, 200, "Access-Control-Allow-Origin: *");
  struct corsim_header h[] = {FX_H("Content-Type", "text/plain"),
                              FX_H("Content-Language", "en"),
                              FX_H("Accept-Language", "de")};
  struct corsim_request r = fx_request(APP, "https://api.example/form", "POST");
  r.headers = FX_LIST(h);
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(run(CORSIM_PROFILE_FETCH, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  ASSERT_STR_EQ(s.sent[0].method, "POST");
  ASSERT_TRUE(fx_sent_has(&s.sent[0], "Content-Type: text/plain"));
  ASSERT_STR_EQ(s.sent[1].method, "GET");
  ASSERT_STR_EQ(s.sent[1].url, "https://api.example/done");
  ASSERT_EQ_INT(s.sent[1].header_count, 3);
  ASSERT_STR_EQ(s.sent[1].headers[0], "Accept-Language: de");
  ASSERT_STR_EQ(s.sent[1].headers[1], "Accept: */*");
  ASSERT_STR_EQ(s.sent[1].headers[2], "Origin: https://app.example");
  ASSERT_STR_EQ(d.hops[1].method, "GET");
  ASSERT_NULL(fx_owned_header(d.request_headers, d.request_header_count,
                              "content-type"));
  corsim_decision_release(&d);
}

TEST(redirect_method_rewrites_by_status) {
  struct {
    int status;
    const char *method, *want;
  } cases[] = {
      {301, "POST", "GET"},  {302, "POST", "GET"},  {303, "POST", "GET"},
      {303, "HEAD", "HEAD"}, {307, "POST", "POST"}, {308, "POST", "POST"},
      {302, "GET", "GET"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct fx_server s;
    fx_server_init(&s);
    char first[128];
    snprintf(first, sizeof first,
             "Access-Control-Allow-Origin: *\nLocation: /next");
    fx_answer(&s, cases[i].status, first);
    fx_answer(&s, 200, "Access-Control-Allow-Origin: *");
    struct corsim_request r =
        fx_request(APP, "https://api.example/a", cases[i].method);
    struct corsim_decision d;
    struct corsim_error e;
    ASSERT_EQ_INT(run(CORSIM_PROFILE_FETCH, 0, &r, &s, &d, &e), CORSIM_OK);
    ASSERT_EQ_INT(s.sent_count, 2);
    if (strcmp(s.sent[1].method, cases[i].want) != 0)
      CHECK_FAIL_("%d %s: second hop is %s, want %s", cases[i].status,
                  cases[i].method, s.sent[1].method, cases[i].want);
    corsim_decision_release(&d);
  }
}

TEST(redirect_across_origins_drops_authorization) {
  struct fx_server s;
  fx_server_init(&s);
  fx_answer_preflight(&s, 204,
                      "Access-Control-Allow-Origin: *\n"
                      "Access-Control-Allow-Headers: authorization");
  fx_answer(&s, 307,
            "Access-Control-Allow-Origin: *\n"
            "Location: https://other.example/y");
  fx_answer(&s, 200, "Access-Control-Allow-Origin: *");
  struct corsim_header h[] = {FX_H("Authorization", "Bearer secret")};
  struct corsim_request r = fx_request(APP, "https://api.example/x", "GET");
  r.headers = FX_LIST(h);
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(run(CORSIM_PROFILE_FETCH, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  /* preflight, actual with Authorization, then the new origin without it
   * (and so with no preflight: nothing unsafe is left) */
  ASSERT_EQ_INT(s.sent_count, 3);
  ASSERT_TRUE(s.sent[0].is_preflight);
  ASSERT_TRUE(fx_sent_has(&s.sent[1], "Authorization: Bearer secret"));
  ASSERT_FALSE(s.sent[2].is_preflight);
  ASSERT_STR_EQ(s.sent[2].url, "https://other.example/y");
  ASSERT_FALSE(fx_sent_has(&s.sent[2], "Authorization: Bearer secret"));
  ASSERT_NULL(fx_owned_header(d.request_headers, d.request_header_count,
                              "authorization"));
  corsim_decision_release(&d);
}

TEST(redirect_within_an_origin_keeps_authorization) {
  struct fx_server s;
  fx_server_init(&s);
  fx_answer_preflight(&s, 204,
                      "Access-Control-Allow-Origin: *\n"
                      "Access-Control-Allow-Headers: authorization");
  /* the new URL is a new cache key: a second preflight */
  fx_answer_preflight(&s, 204,
                      "Access-Control-Allow-Origin: *\n"
                      "Access-Control-Allow-Headers: authorization");
  fx_answer(&s, 307, "Access-Control-Allow-Origin: *\nLocation: /y");
  fx_answer(&s, 200, "Access-Control-Allow-Origin: *");
  struct corsim_header h[] = {FX_H("Authorization", "Bearer secret")};
  struct corsim_request r = fx_request(APP, "https://api.example/x", "GET");
  r.headers = FX_LIST(h);
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(run(CORSIM_PROFILE_FETCH, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  ASSERT_EQ_INT(s.sent_count, 4);
  ASSERT_TRUE(s.sent[2].is_preflight);
  const struct fx_sent *last = &s.sent[3];
  ASSERT_STR_EQ(last->url, "https://api.example/y");
  ASSERT_TRUE(fx_sent_has(last, "Authorization: Bearer secret"));
  corsim_decision_release(&d);
}

TEST(redirect_limit_is_twenty_by_default) {
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 302, "Access-Control-Allow-Origin: *\nLocation: /loop");
  s.repeat_last = true;
  struct corsim_request r = fx_request(APP, "https://api.example/loop", "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(run(CORSIM_PROFILE_FETCH, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_BLOCKED);
  ASSERT_EQ_INT(d.blocked_reason, CORSIM_BLOCKED_REDIRECT);
  ASSERT_EQ_INT(d.cors_error, CORSIM_CORS_ERROR_NONE);
  ASSERT_EQ_INT(s.sent_count, 21);
  ASSERT_EQ_INT(d.hop_count, 21);
  ASSERT_EQ_INT(s.sent[20].hop, 20);
  corsim_decision_release(&d);
}

TEST(redirect_limit_from_the_options) {
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 302, "Access-Control-Allow-Origin: *\nLocation: /loop");
  s.repeat_last = true;
  struct corsim_request r = fx_request(APP, "https://api.example/loop", "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(run(CORSIM_PROFILE_FETCH, 3, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.blocked_reason, CORSIM_BLOCKED_REDIRECT);
  ASSERT_EQ_INT(s.sent_count, 4);
  corsim_decision_release(&d);
  /* three redirects then an answer: allowed */
  fx_server_init(&s);
  for (int i = 0; i < 3; i++)
    fx_answer(&s, 302, "Access-Control-Allow-Origin: *\nLocation: /loop");
  fx_answer(&s, 200, "Access-Control-Allow-Origin: *");
  ASSERT_EQ_INT(run(CORSIM_PROFILE_FETCH, 3, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  ASSERT_EQ_INT(d.hop_count, 4);
  corsim_decision_release(&d);
}

TEST(redirect_to_a_url_with_credentials) {
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 302,
            "Access-Control-Allow-Origin: *\n"
            "Location: https://user:pw@other.example/");
  struct corsim_request r = fx_request(APP, "https://api.example/x", "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(run(CORSIM_PROFILE_FETCH, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_BLOCKED);
  ASSERT_EQ_INT(d.blocked_reason, CORSIM_BLOCKED_CORS);
  ASSERT_STR_EQ(corsim_cors_error_name(d.cors_error),
                "RedirectContainsCredentials");
  ASSERT_EQ_INT(s.sent_count, 1);
  corsim_decision_release(&d);
}

TEST(redirect_same_origin_with_credentials_in_location_is_followed) {
  /* a basic (same-origin) fetch may be redirected to its own origin with
   * credentials in the URL */
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 302, "Location: https://u:p@app.example/in");
  fx_answer(&s, 200, "");
  struct corsim_request r = fx_request(APP, "https://app.example/x", "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(run(CORSIM_PROFILE_FETCH, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  ASSERT_STR_EQ(s.sent[1].url, "https://u:p@app.example/in");
  corsim_decision_release(&d);
}

TEST(redirect_modes_error_and_manual) {
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 302, "Access-Control-Allow-Origin: *\nLocation: /next");
  struct corsim_request r = fx_request(APP, "https://api.example/x", "GET");
  r.redirect = CORSIM_REDIRECT_ERROR;
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(run(CORSIM_PROFILE_FETCH, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_BLOCKED);
  ASSERT_EQ_INT(d.blocked_reason, CORSIM_BLOCKED_REDIRECT);
  ASSERT_EQ_INT(s.sent_count, 1);
  corsim_decision_release(&d);
  fx_server_init(&s);
  fx_answer(&s, 302, "Access-Control-Allow-Origin: *\nLocation: /next");
  r.redirect = CORSIM_REDIRECT_MANUAL;
  ASSERT_EQ_INT(run(CORSIM_PROFILE_FETCH, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_OPAQUE);
  ASSERT_EQ_INT(d.response_type, CORSIM_RESPONSE_OPAQUEREDIRECT);
  ASSERT_EQ_INT(d.status, 0);
  ASSERT_EQ_INT(s.sent_count, 1);
  corsim_decision_release(&d);
}

TEST(redirect_to_a_non_http_scheme_is_a_network_error) {
  /* Chromium reports a plain network error, not CorsDisabledScheme, for a
   * CORS request too (measured, vectors/redirects/location.json) */
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 302,
            "Access-Control-Allow-Origin: *\n"
            "Location: data:text/plain,hi");
  struct corsim_request r = fx_request(APP, "https://api.example/x", "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(run(CORSIM_PROFILE_FETCH, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_BLOCKED);
  ASSERT_EQ_INT(d.blocked_reason, CORSIM_BLOCKED_REDIRECT);
  ASSERT_EQ_INT(d.cors_error, CORSIM_CORS_ERROR_NONE);
  ASSERT_EQ_INT(s.sent_count, 1);
  corsim_decision_release(&d);
  /* a basic fetch too */
  fx_server_init(&s);
  fx_answer(&s, 302, "Location: ftp://x/");
  r.url = "https://app.example/x";
  ASSERT_EQ_INT(run(CORSIM_PROFILE_FETCH, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.blocked_reason, CORSIM_BLOCKED_REDIRECT);
  ASSERT_EQ_INT(d.cors_error, CORSIM_CORS_ERROR_NONE);
  corsim_decision_release(&d);
}

TEST(redirect_bad_location_headers) {
  static const char *const answers[] = {
      "Access-Control-Allow-Origin: *\nLocation: /a\nLocation: /b",
      "Access-Control-Allow-Origin: *\nLocation: http://[::1",
      "Access-Control-Allow-Origin: *\nLocation: https://exa mple/",
  };
  for (size_t i = 0; i < 3; i++) {
    struct fx_server s;
    fx_server_init(&s);
    fx_answer(&s, 302, answers[i]);
    struct corsim_request r = fx_request(APP, "https://api.example/x", "GET");
    struct corsim_decision d;
    struct corsim_error e;
    ASSERT_EQ_INT(run(CORSIM_PROFILE_FETCH, 0, &r, &s, &d, &e), CORSIM_OK);
    ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_BLOCKED);
    ASSERT_EQ_INT(d.blocked_reason, CORSIM_BLOCKED_REDIRECT);
    ASSERT_EQ_INT(s.sent_count, 1);
    corsim_decision_release(&d);
  }
}

TEST(redirect_without_location_is_the_response) {
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 302, "Access-Control-Allow-Origin: *");
  struct corsim_request r = fx_request(APP, "https://api.example/x", "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(run(CORSIM_PROFILE_FETCH, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  ASSERT_EQ_INT(d.status, 302);
  ASSERT_EQ_INT(d.hop_count, 1);
  corsim_decision_release(&d);
}

TEST(redirect_location_forms_resolve_against_the_current_url) {
  struct {
    const char *location, *want;
  } cases[] = {
      {"https://b.example/abs", "https://b.example/abs"},
      {"//c.example/sr", "https://c.example/sr"},
      {"/root", "https://api.example/root"},
      {"sib", "https://api.example/dir/sib"},
      {"../up?q=1", "https://api.example/up?q=1"},
      {"?only", "https://api.example/dir/page?only"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char loc[128];
    snprintf(loc, sizeof loc, "Access-Control-Allow-Origin: *\nLocation: %s",
             cases[i].location);
    struct fx_server s;
    fx_server_init(&s);
    fx_answer(&s, 307, loc);
    fx_answer(&s, 200, "Access-Control-Allow-Origin: *");
    struct corsim_request r =
        fx_request(APP, "https://api.example/dir/page?x=1", "GET");
    struct corsim_decision d;
    struct corsim_error e;
    ASSERT_EQ_INT(run(CORSIM_PROFILE_FETCH, 0, &r, &s, &d, &e), CORSIM_OK);
    ASSERT_EQ_INT(s.sent_count, 2);
    ASSERT_STR_EQ(s.sent[1].url, cases[i].want);
    corsim_decision_release(&d);
  }
}

TEST(redirect_keeps_the_fragment_when_location_has_none) {
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 302, "Access-Control-Allow-Origin: *\nLocation: /b");
  fx_answer(&s, 200, "Access-Control-Allow-Origin: *");
  struct corsim_request r = fx_request(APP, "https://api.example/a#top", "GET");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(run(CORSIM_PROFILE_FETCH, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_STR_EQ(s.sent[1].url, "https://api.example/b");
  ASSERT_STR_EQ(d.url, "https://api.example/b#top");
  corsim_decision_release(&d);
  fx_server_init(&s);
  fx_answer(&s, 302, "Access-Control-Allow-Origin: *\nLocation: /b#new");
  fx_answer(&s, 200, "Access-Control-Allow-Origin: *");
  ASSERT_EQ_INT(run(CORSIM_PROFILE_FETCH, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_STR_EQ(d.url, "https://api.example/b#new");
  corsim_decision_release(&d);
}

TEST(redirect_no_cors_follows_to_an_opaque_response) {
  struct fx_server s;
  fx_server_init(&s);
  fx_answer(&s, 302, "Location: https://other.example/img");
  fx_answer(&s, 200, "Content-Type: image/png");
  struct corsim_request r = fx_request(APP, "https://api.example/img", "GET");
  r.mode = CORSIM_MODE_NO_CORS;
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(run(CORSIM_PROFILE_FETCH, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_OPAQUE);
  ASSERT_EQ_INT(s.sent_count, 2);
  ASSERT_FALSE(d.hops[0].cors_checked);
  corsim_decision_release(&d);
}

TEST(redirect_preflights_again_for_the_new_url) {
  struct fx_server s;
  fx_server_init(&s);
  fx_answer_preflight(&s, 204,
                      "Access-Control-Allow-Origin: *\n"
                      "Access-Control-Allow-Methods: PUT");
  fx_answer_preflight(&s, 204,
                      "Access-Control-Allow-Origin: null\n"
                      "Access-Control-Allow-Methods: PUT");
  fx_answer(&s, 307,
            "Access-Control-Allow-Origin: *\n"
            "Location: https://other.example/put");
  fx_answer(&s, 200, "Access-Control-Allow-Origin: *");
  struct corsim_request r = fx_request(APP, "https://api.example/put", "PUT");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(run(CORSIM_PROFILE_FETCH, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  ASSERT_EQ_INT(s.sent_count, 4);
  ASSERT_TRUE(s.sent[2].is_preflight);
  ASSERT_STR_EQ(s.sent[2].url, "https://other.example/put");
  /* the preflight of a tainted request says Origin: null too */
  ASSERT_TRUE(fx_sent_has(&s.sent[2], "Origin: null"));
  ASSERT_STR_EQ(s.sent[3].method, "PUT");
  corsim_decision_release(&d);
}
