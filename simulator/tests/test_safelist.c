/* test_safelist.c: unit tests of the method and header classes
 * (safelist.c): CORS-safelisted methods and request headers, MIME and Range
 * value rules, the CORS-unsafe request-header names with the 1024-byte
 * rule, forbidden methods and headers, method normalization, bad ports. */
#include <string.h>

#include "../../harness/testing/check.h"
#include "fixture.h"

static const struct sim_profile *P(enum corsim_profile id) {
  return sim_profile_get(id);
}

/* Whether `name: value` is CORS-safelisted under the fetch profile. */
static bool safe(const char *name, const char *value) {
  return sim_is_cors_safelisted_request_header(
      P(CORSIM_PROFILE_FETCH), name, strlen(name), value, strlen(value));
}

static bool safe_in(enum corsim_profile p, const char *name,
                    const char *value) {
  return sim_is_cors_safelisted_request_header(P(p), name, strlen(name), value,
                                               strlen(value));
}

static bool forbidden(const char *name, const char *value) {
  return sim_is_forbidden_request_header(name, strlen(name), value,
                                         strlen(value));
}

/* ---- methods --------------------------------------------------------------
 */

TEST(safelist_methods_fetch_is_byte_exact) {
  const struct sim_profile *p = P(CORSIM_PROFILE_FETCH);
  ASSERT_TRUE(sim_is_cors_safelisted_method(p, "GET"));
  ASSERT_TRUE(sim_is_cors_safelisted_method(p, "HEAD"));
  ASSERT_TRUE(sim_is_cors_safelisted_method(p, "POST"));
  ASSERT_FALSE(sim_is_cors_safelisted_method(p, "get"));
  ASSERT_FALSE(sim_is_cors_safelisted_method(p, "PUT"));
  ASSERT_FALSE(sim_is_cors_safelisted_method(p, "OPTIONS"));
  ASSERT_FALSE(sim_is_cors_safelisted_method(p, "GETX"));
  ASSERT_FALSE(sim_is_cors_safelisted_method(P(CORSIM_PROFILE_WEBKIT), "post"));
}

TEST(safelist_methods_chromium_and_firefox_ignore_case) {
  ASSERT_TRUE(sim_is_cors_safelisted_method(P(CORSIM_PROFILE_CHROMIUM), "get"));
  ASSERT_TRUE(sim_is_cors_safelisted_method(P(CORSIM_PROFILE_FIREFOX), "Post"));
  ASSERT_FALSE(sim_is_cors_safelisted_method(P(CORSIM_PROFILE_FIREFOX), "put"));
}

TEST(safelist_forbidden_methods) {
  ASSERT_TRUE(sim_is_forbidden_method("CONNECT", 7));
  ASSERT_TRUE(sim_is_forbidden_method("trace", 5));
  ASSERT_TRUE(sim_is_forbidden_method("Track", 5));
  ASSERT_FALSE(sim_is_forbidden_method("PATCH", 5));
  ASSERT_FALSE(sim_is_forbidden_method("TRACES", 6));
  ASSERT_FALSE(sim_is_forbidden_method("", 0));
}

TEST(safelist_method_normalize) {
  struct sim_arena a;
  sim_arena_init(&a, sim_default_allocator());
  ASSERT_STR_EQ(sim_method_normalize(&a, "get"), "GET");
  ASSERT_STR_EQ(sim_method_normalize(&a, "Put"), "PUT");
  ASSERT_STR_EQ(sim_method_normalize(&a, "delete"), "DELETE");
  ASSERT_STR_EQ(sim_method_normalize(&a, "options"), "OPTIONS");
  ASSERT_STR_EQ(sim_method_normalize(&a, "head"), "HEAD");
  ASSERT_STR_EQ(sim_method_normalize(&a, "post"), "POST");
  ASSERT_STR_EQ(sim_method_normalize(&a, "patch"), "patch");
  ASSERT_STR_EQ(sim_method_normalize(&a, "Query"), "Query");
  sim_arena_release(&a);
}

/* ---- forbidden request headers ----------------------------------------------
 */

TEST(safelist_forbidden_request_header_names) {
  static const char *const names[] = {"Accept-Charset",
                                      "Accept-Encoding",
                                      "Access-Control-Request-Headers",
                                      "Access-Control-Request-Method",
                                      "Connection",
                                      "Content-Length",
                                      "Cookie",
                                      "Cookie2",
                                      "Date",
                                      "DNT",
                                      "Expect",
                                      "Host",
                                      "Keep-Alive",
                                      "Origin",
                                      "Referer",
                                      "Set-Cookie",
                                      "TE",
                                      "Trailer",
                                      "Transfer-Encoding",
                                      "Upgrade",
                                      "Via"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    ASSERT_TRUE(forbidden(names[i], "x"));
  ASSERT_TRUE(forbidden("cookie", "a=b"));
  ASSERT_TRUE(forbidden("HOST", "x"));
  ASSERT_FALSE(forbidden("Authorization", "x"));
  ASSERT_FALSE(forbidden("Content-Type", "x"));
  ASSERT_FALSE(forbidden("Referrer-Policy", "x"));
}

TEST(safelist_forbidden_proxy_and_sec_prefixes) {
  ASSERT_TRUE(forbidden("Proxy-Authorization", "x"));
  ASSERT_TRUE(forbidden("proxy-", "x"));
  ASSERT_TRUE(forbidden("Sec-Fetch-Mode", "x"));
  ASSERT_TRUE(forbidden("SEC-", "x"));
  ASSERT_FALSE(forbidden("Proxy", "x"));
  ASSERT_FALSE(forbidden("Proxyx", "x"));
  ASSERT_FALSE(forbidden("Sec", "x"));
  ASSERT_FALSE(forbidden("X-Sec-Foo", "x"));
}

TEST(safelist_forbidden_method_override_family) {
  ASSERT_TRUE(forbidden("X-HTTP-Method-Override", "TRACE"));
  ASSERT_TRUE(forbidden("x-http-method", "connect"));
  ASSERT_TRUE(forbidden("X-Method-Override", "GET, track"));
  ASSERT_TRUE(forbidden("X-Method-Override", "  TRACE  ,GET"));
  ASSERT_FALSE(forbidden("X-Method-Override", "PATCH"));
  ASSERT_FALSE(forbidden("X-HTTP-Method-Override", "DELETE, PUT"));
  ASSERT_FALSE(forbidden("X-HTTP-Method-Override", ""));
  /* a quoted string is one element, quotes included */
  ASSERT_FALSE(forbidden("X-HTTP-Method-Override", "\"TRACE\""));
  ASSERT_FALSE(forbidden("X-HTTP-Method-Override", "\"a,TRACE\""));
  ASSERT_TRUE(forbidden("X-HTTP-Method-Override", "\"a,b\",TRACE"));
  /* other names never look at the value */
  ASSERT_FALSE(forbidden("X-Override", "TRACE"));
}

/* ---- CORS-safelisted request headers
 * ----------------------------------------- */

TEST(safelist_accept_values) {
  ASSERT_TRUE(safe("Accept", "text/html, */*;q=0.8"));
  ASSERT_TRUE(safe("ACCEPT", ""));
  ASSERT_TRUE(safe("accept", "a\tb")); /* tab is not an unsafe byte */
  ASSERT_FALSE(safe("Accept", "a\"b"));
  ASSERT_FALSE(safe("Accept", "a(b"));
  ASSERT_FALSE(safe("Accept", "a{b"));
  ASSERT_FALSE(safe("Accept", "a@b"));
  ASSERT_FALSE(safe("Accept", "a\x7f"));
  ASSERT_FALSE(safe("Accept", "a\x01"));
}

TEST(safelist_unsafe_request_header_bytes) {
  const char *unsafe = "\"():<>?@[\\]{}\x7f";
  for (const char *p = unsafe; *p; p++)
    ASSERT_TRUE(sim_is_cors_unsafe_request_header_byte((unsigned char)*p));
  for (unsigned c = 0; c < 0x20; c++)
    ASSERT_EQ_INT(sim_is_cors_unsafe_request_header_byte((unsigned char)c),
                  c != 0x09);
  ASSERT_FALSE(sim_is_cors_unsafe_request_header_byte(' '));
  ASSERT_FALSE(sim_is_cors_unsafe_request_header_byte(';'));
  ASSERT_FALSE(sim_is_cors_unsafe_request_header_byte('/'));
  ASSERT_FALSE(sim_is_cors_unsafe_request_header_byte(0x80));
}

TEST(safelist_language_values) {
  ASSERT_TRUE(safe("Accept-Language", "en-US,en;q=0.9, *"));
  ASSERT_TRUE(safe("Content-Language", "de-DE"));
  ASSERT_TRUE(safe("content-language", ""));
  ASSERT_FALSE(safe("Content-Language", "de_DE"));
  ASSERT_FALSE(safe("Accept-Language", "en\t"));
  ASSERT_FALSE(safe("Accept-Language", "en/US"));
}

TEST(safelist_content_type_essences) {
  ASSERT_TRUE(safe("Content-Type", "text/plain"));
  ASSERT_TRUE(safe("Content-Type", "TEXT/PLAIN"));
  ASSERT_TRUE(safe("content-type", "text/plain;charset=utf-8"));
  ASSERT_TRUE(safe("Content-Type", "multipart/form-data; boundary=x"));
  ASSERT_TRUE(safe("Content-Type", "application/x-www-form-urlencoded"));
  ASSERT_TRUE(safe("Content-Type", " text/plain "));
  ASSERT_TRUE(safe("Content-Type", "text/plain ;x=1"));
  ASSERT_FALSE(safe("Content-Type", "application/json"));
  ASSERT_FALSE(safe("Content-Type", "text/plainx"));
  ASSERT_FALSE(safe("Content-Type", "text/html"));
}

TEST(safelist_content_type_parse_failures_and_unsafe_bytes) {
  ASSERT_FALSE(safe("Content-Type", "text /plain"));
  ASSERT_FALSE(safe("Content-Type", "text/"));
  ASSERT_FALSE(safe("Content-Type", "/plain"));
  ASSERT_FALSE(safe("Content-Type", "text"));
  ASSERT_FALSE(safe("Content-Type", ""));
  /* an unsafe byte anywhere, even in a parameter */
  ASSERT_FALSE(safe("Content-Type", "text/plain; charset=\"utf-8\""));
  ASSERT_FALSE(safe("Content-Type", "text/plain; a=b:c"));
}

TEST(safelist_value_of_128_bytes_is_safe_129_is_not) {
  char v[200];
  memset(v, 'a', sizeof v);
  memcpy(v, "text/plain;x=", 13);
  v[128] = '\0';
  ASSERT_EQ_INT(strlen(v), 128);
  ASSERT_TRUE(safe("Content-Type", v));
  v[128] = 'a';
  v[129] = '\0';
  ASSERT_FALSE(safe("Content-Type", v));
  memset(v, 'a', 128);
  v[128] = '\0';
  ASSERT_TRUE(safe("Accept", v));
  v[128] = 'a';
  v[129] = '\0';
  ASSERT_FALSE(safe("Accept", v));
}

TEST(safelist_range_values) {
  ASSERT_TRUE(safe("Range", "bytes=0-"));
  ASSERT_TRUE(safe("range", "bytes=0-100"));
  ASSERT_TRUE(safe("Range", "bytes=5-5"));
  ASSERT_FALSE(safe("Range", "bytes=-100")); /* a suffix range has no start */
  ASSERT_FALSE(safe("Range", "bytes=5-1"));
  ASSERT_FALSE(safe("Range", "bytes = 0-"));
  ASSERT_FALSE(safe("Range", "Bytes=0-"));
  ASSERT_FALSE(safe("Range", "bytes=0-1,2-3"));
  ASSERT_FALSE(safe("Range", "bytes="));
  ASSERT_FALSE(safe("Range", "bytes=0- "));
}

TEST(safelist_parse_simple_range) {
  bool start = false;
  ASSERT_TRUE(sim_parse_simple_range("bytes=0-0", 9, &start));
  ASSERT_TRUE(start);
  ASSERT_TRUE(sim_parse_simple_range("bytes=-5", 8, &start));
  ASSERT_FALSE(start);
  ASSERT_TRUE(sim_parse_simple_range("bytes=7-", 8, &start));
  ASSERT_TRUE(start);
  ASSERT_FALSE(sim_parse_simple_range("bytes=-", 7, &start));
  ASSERT_FALSE(sim_parse_simple_range("bytes", 5, &start));
  ASSERT_FALSE(sim_parse_simple_range("bytes=a-", 8, &start));
  ASSERT_FALSE(
      sim_parse_simple_range("bytes=99999999999999999999-", 27, &start));
  ASSERT_FALSE(
      sim_parse_simple_range("bytes=1-99999999999999999999", 28, &start));
  ASSERT_TRUE(
      sim_parse_simple_range("bytes=18446744073709551615-", 27, &start));
}

TEST(safelist_other_names_are_not_safelisted) {
  ASSERT_FALSE(safe("X-Custom", "1"));
  ASSERT_FALSE(safe("Authorization", "Bearer x"));
  ASSERT_FALSE(safe("DPR", "2"));
  ASSERT_FALSE(safe_in(CORSIM_PROFILE_FIREFOX, "Width", "100"));
  ASSERT_FALSE(safe_in(CORSIM_PROFILE_WEBKIT, "Save-Data", "on"));
}

TEST(safelist_chromium_client_hints) {
  enum corsim_profile c = CORSIM_PROFILE_CHROMIUM;
  ASSERT_TRUE(safe_in(c, "DPR", "2.0"));
  ASSERT_TRUE(safe_in(c, "Device-Memory", "8"));
  ASSERT_FALSE(safe_in(c, "DPR", "2."));
  ASSERT_FALSE(safe_in(c, "DPR", ".5"));
  ASSERT_TRUE(safe_in(c, "Width", "100"));
  ASSERT_FALSE(safe_in(c, "Viewport-Width", "1.5"));
  ASSERT_TRUE(safe_in(c, "RTT", "50"));
  ASSERT_TRUE(safe_in(c, "ECT", "4g"));
  ASSERT_TRUE(safe_in(c, "ect", "slow-2g"));
  ASSERT_FALSE(safe_in(c, "ECT", "5g"));
  ASSERT_TRUE(safe_in(c, "Save-Data", "on"));
  ASSERT_FALSE(safe_in(c, "Save-Data", "off"));
  ASSERT_TRUE(safe_in(c, "Intervention", "<anything>"));
  ASSERT_FALSE(safe_in(c, "X-Custom", "1"));
}

TEST(safelist_mime_essence_spans) {
  size_t ta = 99, tl = 99, sa = 99, sl = 99;
  const char *v = "text/plain;charset=x";
  ASSERT_TRUE(sim_mime_essence_spans(v, strlen(v), &ta, &tl, &sa, &sl));
  ASSERT_EQ_INT(ta, 0);
  ASSERT_EQ_INT(tl, 4);
  ASSERT_EQ_INT(sa, 5);
  ASSERT_EQ_INT(sl, 5);
  v = "  text/html \t";
  ASSERT_TRUE(sim_mime_essence_spans(v, strlen(v), &ta, &tl, &sa, &sl));
  ASSERT_EQ_INT(ta, 2);
  ASSERT_EQ_INT(tl, 4);
  ASSERT_EQ_INT(sa, 7);
  ASSERT_EQ_INT(sl, 4);
  v = "a/b ;";
  ASSERT_TRUE(sim_mime_essence_spans(v, strlen(v), &ta, &tl, &sa, &sl));
  ASSERT_EQ_INT(sl, 1);
  static const char *const bad[] = {"",          "text",        "/x",
                                    "text/",     "te xt/plain", "text/pl ain",
                                    "text/;a=b", "t\xc3\xa9/x", "   "};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    ASSERT_FALSE(
        sim_mime_essence_spans(bad[i], strlen(bad[i]), &ta, &tl, &sa, &sl));
}

/* ---- CORS-unsafe request-header names
 * ------------------------------------------ */

static size_t unsafe_names(enum corsim_profile p,
                           const struct corsim_header_list *l,
                           struct sim_arena *a, struct sim_string_list *out) {
  memset(out, 0, sizeof *out);
  if (!sim_cors_unsafe_request_header_names(P(p), a, l, out)) return 999;
  return out->count;
}

TEST(safelist_unsafe_names_are_sorted_lowercase_unique) {
  struct sim_arena a;
  sim_arena_init(&a, sim_default_allocator());
  struct corsim_header h[] = {
      FX_H("X-B", "1"), FX_H("Content-Type", "application/json"),
      FX_H("Accept", "text/html"), FX_H("x-a", "2"), FX_H("X-A", "3")};
  struct corsim_header_list l = FX_LIST(h);
  struct sim_string_list out;
  ASSERT_EQ_INT(unsafe_names(CORSIM_PROFILE_FETCH, &l, &a, &out), 3);
  ASSERT_STR_EQ(out.items[0], "content-type");
  ASSERT_STR_EQ(out.items[1], "x-a");
  ASSERT_STR_EQ(out.items[2], "x-b");
  sim_arena_release(&a);
}

TEST(safelist_unsafe_names_empty_for_safelisted_headers) {
  struct sim_arena a;
  sim_arena_init(&a, sim_default_allocator());
  struct corsim_header h[] = {FX_H("Accept", "*/*"),
                              FX_H("Content-Type", "text/plain"),
                              FX_H("Range", "bytes=0-")};
  struct corsim_header_list l = FX_LIST(h);
  struct sim_string_list out;
  ASSERT_EQ_INT(unsafe_names(CORSIM_PROFILE_FETCH, &l, &a, &out), 0);
  sim_arena_release(&a);
}

/* Eight 128-byte Accept values (1024 bytes) plus `extra` bytes in a ninth. */
static size_t budget_case(enum corsim_profile p, size_t extra) {
  struct sim_arena a;
  sim_arena_init(&a, sim_default_allocator());
  static char v[129];
  memset(v, 'a', 128);
  v[128] = '\0';
  struct corsim_header h[9];
  for (int i = 0; i < 8; i++) {
    h[i].name = i % 2 ? "Accept" : "Accept-Language";
    h[i].name_len = strlen(h[i].name);
    h[i].value = v;
    h[i].value_len = 128;
  }
  h[8].name = "Content-Language";
  h[8].name_len = 16;
  h[8].value = v;
  h[8].value_len = extra;
  struct corsim_header_list l = {h, 9};
  struct sim_string_list out;
  size_t n = unsafe_names(p, &l, &a, &out);
  if (n == 3 && (strcmp(out.items[0], "accept") != 0 ||
                 strcmp(out.items[1], "accept-language") != 0 ||
                 strcmp(out.items[2], "content-language") != 0))
    n = 1000;
  sim_arena_release(&a);
  return n;
}

TEST(safelist_1024_byte_total_rule) {
  ASSERT_EQ_INT(budget_case(CORSIM_PROFILE_FETCH, 0), 0);
  ASSERT_EQ_INT(budget_case(CORSIM_PROFILE_FETCH, 1), 3);
  ASSERT_EQ_INT(budget_case(CORSIM_PROFILE_CHROMIUM, 1), 3);
}

TEST(safelist_profiles_without_the_1024_byte_rule) {
  ASSERT_EQ_INT(budget_case(CORSIM_PROFILE_FIREFOX, 128), 0);
  ASSERT_EQ_INT(budget_case(CORSIM_PROFILE_WEBKIT, 128), 0);
}

/* ---- response header names, header validity, ports
 * ------------------------------ */

TEST(safelist_response_header_names) {
  static const char *const yes[] = {
      "Cache-Control", "content-language", "Content-Length", "CONTENT-TYPE",
      "Expires",       "Last-Modified",    "Pragma"};
  for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
    ASSERT_TRUE(
        sim_is_cors_safelisted_response_header_name(yes[i], strlen(yes[i])));
  ASSERT_FALSE(sim_is_cors_safelisted_response_header_name("Date", 4));
  ASSERT_FALSE(sim_is_cors_safelisted_response_header_name("ETag", 4));
  ASSERT_TRUE(sim_is_forbidden_response_header_name("set-cookie", 10));
  ASSERT_TRUE(sim_is_forbidden_response_header_name("Set-Cookie2", 11));
  ASSERT_FALSE(sim_is_forbidden_response_header_name("Cookie", 6));
}

TEST(safelist_header_name_and_value_validity) {
  ASSERT_TRUE(sim_is_valid_header_name("X-Custom", 8));
  ASSERT_FALSE(sim_is_valid_header_name("X Custom", 8));
  ASSERT_FALSE(sim_is_valid_header_name("", 0));
  ASSERT_FALSE(sim_is_valid_header_name("X:", 2));
  ASSERT_TRUE(sim_is_valid_header_value("a b", 3));
  ASSERT_TRUE(sim_is_valid_header_value("", 0));
  ASSERT_FALSE(sim_is_valid_header_value("a\rb", 3));
  ASSERT_FALSE(sim_is_valid_header_value("a\nb", 3));
  ASSERT_FALSE(sim_is_valid_header_value("a\0b", 3));
  ASSERT_FALSE(sim_is_valid_header_value(" a", 2));
  ASSERT_FALSE(sim_is_valid_header_value("a\t", 2));
}

TEST(safelist_bad_ports) {
  static const int bad[] = {0,   1,   7,    21,   22,   25,   53,   110,
                            143, 587, 1719, 2049, 5060, 6000, 6667, 10080};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    ASSERT_TRUE(sim_is_bad_port(bad[i]));
  static const int good[] = {80,   443,   8080,  8443, 3000, 6001,
                             6664, 10081, 65535, 2,    24};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
    ASSERT_FALSE(sim_is_bad_port(good[i]));
}
