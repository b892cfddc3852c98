/* test_names.c: the name and text tables (status.c): every CDP CorsError
 * name round-trips and the table is the CDP list of research/browsers.md
 * §3; the same for statuses, profiles, modes, credentials, redirect and
 * cache modes, outcomes, preflight and blocked reasons; anchor URLs. */
#include <string.h>

#include "../../harness/testing/check.h"
#include "fixture.h"

/* research/browsers.md §3, rows 1-28, in order. */
static const char *const CDP[] = {
    "DisallowedByMode",
    "InvalidResponse",
    "WildcardOriginNotAllowed",
    "MissingAllowOriginHeader",
    "MultipleAllowOriginValues",
    "InvalidAllowOriginValue",
    "AllowOriginMismatch",
    "InvalidAllowCredentials",
    "CorsDisabledScheme",
    "PreflightInvalidStatus",
    "PreflightDisallowedRedirect",
    "PreflightWildcardOriginNotAllowed",
    "PreflightMissingAllowOriginHeader",
    "PreflightMultipleAllowOriginValues",
    "PreflightInvalidAllowOriginValue",
    "PreflightAllowOriginMismatch",
    "PreflightInvalidAllowCredentials",
    "PreflightMissingAllowExternal",
    "PreflightInvalidAllowExternal",
    "InvalidAllowMethodsPreflightResponse",
    "InvalidAllowHeadersPreflightResponse",
    "MethodDisallowedByPreflightResponse",
    "HeaderDisallowedByPreflightResponse",
    "RedirectContainsCredentials",
    "InsecureLocalNetwork",
    "InvalidLocalNetworkAccess",
    "NoCorsRedirectModeNotFollow",
    "LocalNetworkAccessPermissionDenied",
};

TEST(names_cors_error_table_is_the_cdp_list) {
  ASSERT_EQ_INT(sizeof CDP / sizeof CDP[0], 28);
  ASSERT_EQ_INT(CORSIM_CORS_ERROR_COUNT, 29); /* NONE and the 28 */
  ASSERT_STR_EQ(corsim_cors_error_name(CORSIM_CORS_ERROR_NONE), "");
  for (size_t i = 0; i < 28; i++)
    ASSERT_STR_EQ(corsim_cors_error_name((enum corsim_cors_error)(i + 1)),
                  CDP[i]);
}

TEST(names_cors_error_round_trips) {
  for (int e = 0; e < CORSIM_CORS_ERROR_COUNT; e++) {
    const char *name = corsim_cors_error_name((enum corsim_cors_error)e);
    enum corsim_cors_error back = CORSIM_CORS_ERROR_COUNT;
    ASSERT_TRUE(corsim_cors_error_from_name(name, &back));
    ASSERT_EQ_INT(back, e);
    ASSERT_STR_EQ(corsim_cors_error_name(back), name);
  }
}

TEST(names_cors_error_lookups_that_fail) {
  enum corsim_cors_error e = CORSIM_CORS_ERROR_ALLOW_ORIGIN_MISMATCH;
  ASSERT_FALSE(corsim_cors_error_from_name("alloworiginmismatch", &e));
  ASSERT_FALSE(corsim_cors_error_from_name("InsecurePrivateNetwork", &e));
  ASSERT_FALSE(corsim_cors_error_from_name(NULL, &e));
  ASSERT_EQ_INT(e, CORSIM_CORS_ERROR_ALLOW_ORIGIN_MISMATCH); /* untouched */
  ASSERT_STR_EQ(corsim_cors_error_name(CORSIM_CORS_ERROR_COUNT), "");
  ASSERT_STR_EQ(corsim_cors_error_name((enum corsim_cors_error)1000), "");
}

TEST(names_status_names_and_texts) {
  static const struct {
    enum corsim_status st;
    const char *name, *text;
  } want[] = {
      {CORSIM_OK, "OK", "no error"},
      {CORSIM_NO_MEMORY, "NO_MEMORY", "out of memory"},
      {CORSIM_BAD_REQUEST, "BAD_REQUEST",
       "request is not a valid fetch() call"},
      {CORSIM_NO_ANSWER, "NO_ANSWER",
       "no captured response answers this request"},
      {CORSIM_RESPONDER, "RESPONDER", "the responder failed"},
      {CORSIM_LIMIT, "LIMIT", "input exceeds a configured limit"},
      {CORSIM_BAD_TIME, "BAD_TIME", "virtual time went backwards"},
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    ASSERT_EQ_INT(want[i].st, i);
    ASSERT_STR_EQ(corsim_status_name(want[i].st), want[i].name);
    ASSERT_STR_EQ(corsim_status_text(want[i].st), want[i].text);
  }
  ASSERT_STR_EQ(corsim_status_name((enum corsim_status)99), "UNKNOWN");
  ASSERT_STR_EQ(corsim_status_text((enum corsim_status)99), "unknown status");
}

TEST(names_status_texts_follow_the_diagnostic_style) {
  for (int s = 0; s <= CORSIM_BAD_TIME; s++) {
    const char *t = corsim_status_text((enum corsim_status)s);
    size_t n = strlen(t);
    ASSERT_TRUE(n > 0);
    ASSERT_FALSE(t[0] >= 'A' && t[0] <= 'Z');
    ASSERT_FALSE(t[n - 1] == '.');
  }
}

TEST(names_blocked_reasons_round_trip) {
  static const char *const want[] = {
      "",         "cors",     "type-error",    "mixed-content",
      "bad-port", "redirect", "local-network", "network"};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    ASSERT_STR_EQ(corsim_blocked_reason_name((enum corsim_blocked_reason)i),
                  want[i]);
    enum corsim_blocked_reason back = CORSIM_BLOCKED_NETWORK;
    ASSERT_TRUE(corsim_blocked_reason_from_name(want[i], &back));
    ASSERT_EQ_INT(back, i);
  }
  enum corsim_blocked_reason r;
  ASSERT_FALSE(corsim_blocked_reason_from_name("CORS", &r));
  ASSERT_STR_EQ(corsim_blocked_reason_name((enum corsim_blocked_reason)99), "");
}

TEST(names_profiles_round_trip) {
  static const char *const want[] = {"fetch", "chromium", "firefox", "webkit"};
  ASSERT_EQ_INT(CORSIM_PROFILE_COUNT, 4);
  for (int p = 0; p < CORSIM_PROFILE_COUNT; p++) {
    ASSERT_STR_EQ(corsim_profile_name((enum corsim_profile)p), want[p]);
    enum corsim_profile back = CORSIM_PROFILE_COUNT;
    ASSERT_TRUE(corsim_profile_from_name(want[p], &back));
    ASSERT_EQ_INT(back, p);
    ASSERT_EQ_INT(sim_profile_get((enum corsim_profile)p)->id, p);
    ASSERT_STR_EQ(sim_profile_get((enum corsim_profile)p)->name, want[p]);
  }
  enum corsim_profile p;
  ASSERT_FALSE(corsim_profile_from_name("Chromium", &p));
  ASSERT_FALSE(corsim_profile_from_name("", &p));
  ASSERT_FALSE(corsim_profile_from_name(NULL, &p));
  ASSERT_STR_EQ(corsim_profile_name((enum corsim_profile)9), "");
  /* an unknown profile falls back to the standard */
  ASSERT_EQ_INT(sim_profile_get((enum corsim_profile)9)->id,
                CORSIM_PROFILE_FETCH);
}

TEST(names_modes_and_credentials_round_trip) {
  static const char *const modes[] = {"cors", "no-cors", "same-origin"};
  for (int i = 0; i < 3; i++) {
    ASSERT_STR_EQ(corsim_mode_name((enum corsim_mode)i), modes[i]);
    enum corsim_mode m = CORSIM_MODE_SAME_ORIGIN;
    ASSERT_TRUE(corsim_mode_from_name(modes[i], &m));
    ASSERT_EQ_INT(m, i);
  }
  static const char *const creds[] = {"omit", "same-origin", "include"};
  for (int i = 0; i < 3; i++) {
    ASSERT_STR_EQ(corsim_credentials_name((enum corsim_credentials)i),
                  creds[i]);
    enum corsim_credentials c = CORSIM_CREDENTIALS_INCLUDE;
    ASSERT_TRUE(corsim_credentials_from_name(creds[i], &c));
    ASSERT_EQ_INT(c, i);
  }
  enum corsim_mode m;
  ASSERT_FALSE(corsim_mode_from_name("navigate", &m));
  enum corsim_credentials c;
  ASSERT_FALSE(corsim_credentials_from_name("Include", &c));
}

TEST(names_redirect_and_cache_modes_round_trip) {
  static const char *const redirects[] = {"follow", "error", "manual"};
  for (int i = 0; i < 3; i++) {
    ASSERT_STR_EQ(corsim_redirect_name((enum corsim_redirect)i), redirects[i]);
    enum corsim_redirect r = CORSIM_REDIRECT_MANUAL;
    ASSERT_TRUE(corsim_redirect_from_name(redirects[i], &r));
    ASSERT_EQ_INT(r, i);
  }
  static const char *const caches[] = {"default", "no-store", "reload",
                                       "no-cache", "force-cache"};
  for (int i = 0; i < 5; i++) {
    ASSERT_STR_EQ(corsim_cache_mode_name((enum corsim_cache_mode)i), caches[i]);
    enum corsim_cache_mode c = CORSIM_CACHE_FORCE_CACHE;
    ASSERT_TRUE(corsim_cache_mode_from_name(caches[i], &c));
    ASSERT_EQ_INT(c, i);
  }
  enum corsim_cache_mode c;
  ASSERT_FALSE(corsim_cache_mode_from_name("only-if-cached", &c));
}

TEST(names_outcomes_and_preflight_round_trip) {
  static const char *const outcomes[] = {"allowed", "blocked", "opaque"};
  for (int i = 0; i < 3; i++) {
    ASSERT_STR_EQ(corsim_outcome_name((enum corsim_outcome)i), outcomes[i]);
    enum corsim_outcome o = CORSIM_OUTCOME_OPAQUE;
    ASSERT_TRUE(corsim_outcome_from_name(outcomes[i], &o));
    ASSERT_EQ_INT(o, i);
  }
  static const char *const preflights[] = {"none", "sent", "cached"};
  for (int i = 0; i < 3; i++) {
    ASSERT_STR_EQ(corsim_preflight_name((enum corsim_preflight)i),
                  preflights[i]);
    enum corsim_preflight p = CORSIM_PREFLIGHT_CACHED;
    ASSERT_TRUE(corsim_preflight_from_name(preflights[i], &p));
    ASSERT_EQ_INT(p, i);
  }
  enum corsim_outcome o;
  ASSERT_FALSE(corsim_outcome_from_name("ALLOWED", &o));
  ASSERT_STR_EQ(corsim_outcome_name((enum corsim_outcome)7), "");
}

TEST(names_response_types_and_trace_kinds) {
  static const char *const types[] = {"basic", "cors", "opaque",
                                      "opaqueredirect", "error"};
  for (int i = 0; i < 5; i++)
    ASSERT_STR_EQ(corsim_response_type_name((enum corsim_response_type)i),
                  types[i]);
  static const char *const kinds[] = {"info", "pass", "fail", "note"};
  for (int i = 0; i < 4; i++)
    ASSERT_STR_EQ(corsim_trace_kind_name((enum corsim_trace_kind)i), kinds[i]);
  ASSERT_STR_EQ(corsim_trace_kind_name((enum corsim_trace_kind)4), "");
}

TEST(names_anchor_urls) {
  char buf[128];
  ASSERT_EQ_INT(corsim_anchor_url("fetch#cors-check", buf, sizeof buf),
                strlen("https://fetch.spec.whatwg.org/#cors-check"));
  ASSERT_STR_EQ(buf, "https://fetch.spec.whatwg.org/#cors-check");
  corsim_anchor_url("url#concept-url-origin", buf, sizeof buf);
  ASSERT_STR_EQ(buf, "https://url.spec.whatwg.org/#concept-url-origin");
  corsim_anchor_url("html#concept-origin", buf, sizeof buf);
  ASSERT_STR_EQ(buf,
                "https://html.spec.whatwg.org/multipage/browsers.html"
                "#concept-origin");
  corsim_anchor_url("mixed-content#should-block-fetch", buf, sizeof buf);
  ASSERT_STR_EQ(buf,
                "https://w3c.github.io/webappsec-mixed-content/"
                "#should-block-fetch");
  corsim_anchor_url("unknown#x", buf, sizeof buf);
  ASSERT_STR_EQ(buf, "unknown#x");
  corsim_anchor_url(NULL, buf, sizeof buf);
  ASSERT_STR_EQ(buf, "");
}

TEST(names_anchor_url_truncates_and_reports_the_length) {
  char buf[8];
  size_t n = corsim_anchor_url("fetch#cors-check", buf, sizeof buf);
  ASSERT_EQ_INT(n, 41);
  ASSERT_STR_EQ(buf, "https:/");
  ASSERT_EQ_INT(corsim_anchor_url("fetch#x", NULL, 0), 32);
}

TEST(names_every_trace_anchor_has_a_known_spec) {
  /* a whole fetch through every algorithm: each anchor maps to a URL */
  struct corsim_browser *b = fx_browser(CORSIM_PROFILE_FETCH);
  ASSERT_NOT_NULL(b);
  struct fx_server s;
  fx_server_init(&s);
  fx_answer_preflight(&s, 204,
                      "Access-Control-Allow-Origin: *\n"
                      "Access-Control-Allow-Methods: PUT");
  fx_answer(&s, 302, "Access-Control-Allow-Origin: *\nLocation: /b");
  fx_answer(&s, 200,
            "Access-Control-Allow-Origin: *\n"
            "Access-Control-Expose-Headers: x");
  fx_answer_preflight(&s, 204,
                      "Access-Control-Allow-Origin: *\n"
                      "Access-Control-Allow-Methods: PUT");
  struct corsim_request r =
      fx_request("https://app.example", "https://api.example/a", "put");
  struct corsim_decision d;
  struct corsim_error e;
  ASSERT_EQ_INT(fx_fetch(b, 0, &r, &s, &d, &e), CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  for (size_t i = 0; i < d.trace_count; i++) {
    char url[256];
    corsim_anchor_url(d.trace[i].anchor, url, sizeof url);
    if (strncmp(url, "https://", 8) != 0 && strncmp(url, "research/", 9) != 0)
      CHECK_FAIL_("trace anchor '%s' has no spec URL", d.trace[i].anchor);
  }
  corsim_decision_release(&d);
  corsim_browser_free(b);
}
