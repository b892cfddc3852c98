/* test_url.c: unit tests of the URL parser and serializer (url.c) on the
 * URLs a fetch meets; expected strings are what node's WHATWG URL class
 * (a conforming implementation) gives for the same input. */
#include <string.h>

#include "../../harness/testing/check.h"
#include "fixture.h"

/* Serializes `in` through the public entry point. */
#define URL_IS(in, want)                                              \
  do {                                                                \
    char out_[512];                                                   \
    struct corsim_error e_;                                           \
    memset(&e_, 0, sizeof e_);                                        \
    ASSERT_EQ_INT(corsim_url_serialize((in), out_, sizeof out_, &e_), \
                  CORSIM_OK);                                         \
    ASSERT_STR_EQ(out_, (want));                                      \
  } while (0)

/* `in` does not parse, and the parser says `why`. */
#define URL_FAILS(in, want_why)                                        \
  do {                                                                 \
    struct sim_arena a_;                                               \
    struct sim_url u_;                                                 \
    const char *why_ = NULL;                                           \
    sim_arena_init(&a_, sim_default_allocator());                      \
    bool ok_ = sim_url_parse(&a_, (in), strlen(in), NULL, &u_, &why_); \
    sim_arena_release(&a_);                                            \
    ASSERT_FALSE(ok_);                                                 \
    ASSERT_STR_EQ(why_, (want_why));                                   \
  } while (0)

/* `in` resolved against `base` serializes to `want`. */
static bool resolve(const char *base, const char *in, char *out, size_t size,
                    const char **why) {
  struct sim_arena a;
  struct sim_url b, u;
  sim_arena_init(&a, sim_default_allocator());
  bool ok = sim_url_parse(&a, base, strlen(base), NULL, &b, why) &&
            sim_url_parse(&a, in, strlen(in), &b, &u, why);
  if (ok) {
    char *s = sim_url_serialize(&a, &u, false);
    ok = s != NULL && strlen(s) < size;
    if (ok) memcpy(out, s, strlen(s) + 1);
  }
  sim_arena_release(&a);
  return ok;
}

#define RESOLVES(base, in, want)                                  \
  do {                                                            \
    char out_[512];                                               \
    const char *why_ = NULL;                                      \
    ASSERT_TRUE(resolve((base), (in), out_, sizeof out_, &why_)); \
    ASSERT_STR_EQ(out_, (want));                                  \
  } while (0)

static const char *const BASE = "https://a.example/dir/page?x=1#frag";

/* ---- scheme, host, port ---------------------------------------------- */

TEST(url_scheme_and_host_are_lower_cased) {
  URL_IS("HTTP://EXAMPLE.com:80/./a", "http://example.com/a");
  URL_IS("HTTPS://A.EXAMPLE:443", "https://a.example/");
}

TEST(url_default_ports_are_elided) {
  URL_IS("https://x:443/", "https://x/");
  URL_IS("http://x:80/", "http://x/");
  URL_IS("ws://x:80/", "ws://x/");
  URL_IS("wss://x:443/", "wss://x/");
  URL_IS("ftp://x:21/", "ftp://x/");
}

TEST(url_other_ports_are_kept) {
  URL_IS("https://x:80/", "https://x:80/");
  URL_IS("http://x:8080/p", "http://x:8080/p");
  URL_IS("http://x:65535/", "http://x:65535/");
  URL_IS("http://x:08/", "http://x:8/");
  URL_IS("http://x:/", "http://x/");
}

TEST(url_port_out_of_range_or_not_digits_fails) {
  URL_FAILS("http://x:65536/", "port out of range");
  URL_FAILS("http://x:99999999999999999999/", "port out of range");
  URL_FAILS("http://x:8a/", "invalid port");
  URL_FAILS("http://x:-1/", "invalid port");
}

TEST(url_port_field_holds_null_for_the_default) {
  struct sim_arena a;
  struct sim_url u;
  const char *why;
  sim_arena_init(&a, sim_default_allocator());
  ASSERT_TRUE(sim_url_parse(&a, "https://x:443/", 14, NULL, &u, &why));
  ASSERT_EQ_INT(u.port, -1);
  ASSERT_TRUE(sim_url_parse(&a, "https://x:8443/", 15, NULL, &u, &why));
  ASSERT_EQ_INT(u.port, 8443);
  ASSERT_STR_EQ(u.scheme, "https");
  ASSERT_TRUE(u.is_special);
  ASSERT_EQ_INT(u.host_kind, SIM_HOST_DOMAIN);
  sim_arena_release(&a);
}

TEST(url_missing_scheme_without_base_fails) {
  URL_FAILS("/just/a/path", "missing scheme (not an absolute URL)");
  URL_FAILS("", "missing scheme (not an absolute URL)");
  URL_FAILS("1http://x/", "missing scheme (not an absolute URL)");
}

TEST(url_empty_host_fails_for_special_schemes) {
  /* extra slashes are skipped before the authority of a special URL */
  URL_IS("http:///x", "http://x/");
  URL_FAILS("http://", "empty host");
  URL_FAILS("http://:80/", "empty host");
  URL_FAILS("http://user@/", "credentials without a host");
}

TEST(url_leading_and_trailing_c0_and_inner_tab_newline_are_removed) {
  URL_IS(" \thttp://ex\nample.com/ ", "http://example.com/");
  URL_IS("\x01http://x/a\tb\r\n", "http://x/ab");
}

/* ---- IPv4 ---------------------------------------------------------------- */

TEST(url_ipv4_short_and_hex_forms) {
  URL_IS("http://0x7f.1/", "http://127.0.0.1/");
  URL_IS("http://127.1/", "http://127.0.0.1/");
  URL_IS("http://1.0xffffff/", "http://1.255.255.255/");
  URL_IS("http://0x/", "http://0.0.0.0/");
}

TEST(url_ipv4_single_number_and_octal) {
  URL_IS("http://2130706433/", "http://127.0.0.1/");
  URL_IS("http://0xffffffff/", "http://255.255.255.255/");
  URL_IS("http://0177.0.0.1/", "http://127.0.0.1/");
  URL_IS("http://1.2.3.4./", "http://1.2.3.4/");
}

TEST(url_ipv4_too_large_parts_fail) {
  URL_FAILS("http://256.0.0.1/", "invalid IPv4 address");
  URL_FAILS("http://4294967296/", "invalid IPv4 address");
  URL_FAILS("http://0x100.0.0.1/", "invalid IPv4 address");
  URL_FAILS("http://1.2.0x10000/", "invalid IPv4 address");
  URL_FAILS("http://99999999999999999999999/", "invalid IPv4 address");
}

TEST(url_ipv4_malformed_fails) {
  URL_FAILS("http://1.2.3.4.5/", "invalid IPv4 address");
  URL_FAILS("http://1.2.3.08/", "invalid IPv4 address");
  URL_FAILS("http://foo.09/", "invalid IPv4 address");
  URL_FAILS("http://1..1/", "invalid IPv4 address");
  URL_FAILS("http://.0.0.0.1/", "invalid IPv4 address");
}

TEST(url_ipv4_host_kind_and_not_a_number_label) {
  struct sim_arena a;
  struct sim_url u;
  const char *why;
  sim_arena_init(&a, sim_default_allocator());
  ASSERT_TRUE(sim_url_parse(&a, "http://127.1/", 13, NULL, &u, &why));
  ASSERT_EQ_INT(u.host_kind, SIM_HOST_IPV4);
  ASSERT_STR_EQ(u.host, "127.0.0.1");
  /* a last label that is not a number leaves a domain */
  ASSERT_TRUE(sim_url_parse(&a, "http://1.2.3.x/", 15, NULL, &u, &why));
  ASSERT_EQ_INT(u.host_kind, SIM_HOST_DOMAIN);
  ASSERT_STR_EQ(u.host, "1.2.3.x");
  sim_arena_release(&a);
  URL_IS("http://1.2.3.0x/", "http://1.2.3.0/");
}

/* ---- IPv6 ---------------------------------------------------------------- */

TEST(url_ipv6_compression_of_the_longest_zero_run) {
  URL_IS("http://[0:0:0:0:0:0:0:1]/", "http://[::1]/");
  URL_IS("http://[1:0:0:2::3:0]/", "http://[1::2:0:0:3:0]/");
  URL_IS("http://[1:0:0:0:1:0:0:0]/", "http://[1::1:0:0:0]/");
  URL_IS("http://[0:0:0:0:1:0:0:0]/", "http://[::1:0:0:0]/");
  URL_IS("http://[::]/", "http://[::]/");
  URL_IS("http://[1:2:3:4:5:6:7:8]/", "http://[1:2:3:4:5:6:7:8]/");
}

TEST(url_ipv6_embedded_ipv4) {
  URL_IS("http://[::ffff:192.168.0.1]/", "http://[::ffff:c0a8:1]/");
  URL_IS("http://[::1.2.3.4]/", "http://[::102:304]/");
  URL_IS("http://[1:2:3:4:5:6:1.2.3.4]/", "http://[1:2:3:4:5:6:102:304]/");
}

TEST(url_ipv6_with_port_and_upper_hex) {
  URL_IS("http://[::1]:8080/", "http://[::1]:8080/");
  URL_IS("http://[ABCD::EF]/", "http://[abcd::ef]/");
}

TEST(url_ipv6_malformed_fails) {
  URL_FAILS("http://[::1", "IPv6 address is missing its closing ']'");
  URL_FAILS("http://[1:2:3:4:5:6:7:8:9]/", "invalid IPv6 address");
  URL_FAILS("http://[1::2::3]/", "invalid IPv6 address");
  URL_FAILS("http://[::1.2.3]/", "invalid IPv6 address");
  URL_FAILS("http://[::1.2.3.4.5]/", "invalid IPv6 address");
  URL_FAILS("http://[1:2:3:4:5:6:7:1.2.3.4]/", "invalid IPv6 address");
  URL_FAILS("http://[g::]/", "invalid IPv6 address");
}

TEST(url_ipv6_host_is_stored_without_brackets) {
  struct sim_arena a;
  struct sim_url u;
  const char *why;
  sim_arena_init(&a, sim_default_allocator());
  ASSERT_TRUE(sim_url_parse(&a, "http://[::1]/", 13, NULL, &u, &why));
  ASSERT_EQ_INT(u.host_kind, SIM_HOST_IPV6);
  ASSERT_STR_EQ(u.host, "::1");
  ASSERT_STR_EQ(sim_host_serialize(&a, &u), "[::1]");
  sim_arena_release(&a);
}

/* ---- domains: IDNA --------------------------------------------------------
 */

TEST(url_idna_punycode) {
  URL_IS(
      "http://mara\xc3\xb1"
      "a.example/",
      "http://xn--maraa-rta.example/");
  URL_IS(
      "http://B\xc3\x9c"
      "CHER.example/",
      "http://xn--bcher-kva.example/");
  URL_IS(
      "http://\xc3\x89"
      "COLE.fr/",
      "http://xn--cole-9oa.fr/");
  URL_IS("http://xn--maraa-rta.example/", "http://xn--maraa-rta.example/");
}

TEST(url_idna_full_width_and_ideographic_dots) {
  URL_IS(
      "http://a\xef\xbc\x8e"
      "example/",
      "http://a.example/");
  URL_IS(
      "http://a\xe3\x80\x82"
      "b/",
      "http://a.b/");
  URL_IS("http://\xef\xbd\x81\xef\xbd\x82\xef\xbd\x83.example/",
         "http://abc.example/");
}

TEST(url_idna_ignored_code_points_vanish) {
  URL_IS(
      "http://ex\xc2\xad"
      "ample.com/",
      "http://example.com/");
}

TEST(url_percent_encoded_host_is_decoded) {
  URL_IS("http://ex%41mple.com/", "http://example.com/");
}

TEST(url_forbidden_host_code_points_fail) {
  URL_FAILS("http://a b/", "forbidden domain code point in host");
  URL_FAILS("http://a<b/", "forbidden domain code point in host");
  URL_FAILS("http://a^b/", "forbidden domain code point in host");
  URL_FAILS("http://a|b/", "forbidden domain code point in host");
  URL_FAILS("http://a%20b/", "forbidden domain code point in host");
  URL_FAILS("http://a%2Fb/", "forbidden domain code point in host");
  URL_FAILS("sc://a b/", "forbidden host code point");
}

TEST(url_invalid_utf8_host_fails) {
  URL_FAILS("http://\xff.example/", "host is not valid UTF-8");
}

TEST(url_trailing_dot_and_empty_labels_kept) {
  URL_IS("http://example.com./", "http://example.com./");
  URL_IS("http://a..b/", "http://a..b/");
}

/* ---- paths, queries, fragments --------------------------------------------
 */

TEST(url_dot_segments) {
  URL_IS("http://x/a/./b/../c", "http://x/a/c");
  URL_IS("http://x/a/%2e/b/%2E%2e/c", "http://x/a/c");
  URL_IS("http://x/..", "http://x/");
  URL_IS("http://x/a/..", "http://x/");
  URL_IS("http://x/a/.", "http://x/a/");
  URL_IS("http://x/a/.%2E/b", "http://x/b");
}

TEST(url_backslash_is_a_slash_in_special_urls) {
  URL_IS("http://x/\\a\\b", "http://x//a/b");
  URL_IS("http:\\\\x\\y", "http://x/y");
}

TEST(url_path_percent_encoding) {
  URL_IS("http://a/b c", "http://a/b%20c");
  URL_IS("http://x/`{}", "http://x/%60%7B%7D");
  URL_IS("http://x/%7Bx%7D/{y}", "http://x/%7Bx%7D/%7By%7D");
  URL_IS("http://x/\xc3\xbc", "http://x/%C3%BC");
  URL_IS("http://x/a%2fb", "http://x/a%2fb");
}

TEST(url_query_and_fragment_percent_encoding) {
  URL_IS("http://x/a b?q r#f g", "http://x/a%20b?q%20r#f%20g");
  URL_IS("http://x/?`{}#`{}", "http://x/?`{}#%60{}");
  URL_IS("http://x/?\xc3\xbc#\xc3\xbc", "http://x/?%C3%BC#%C3%BC");
  URL_IS("http://x/a?b#c#d", "http://x/a?b#c#d");
}

TEST(url_apostrophe_in_query_is_encoded_only_when_special) {
  URL_IS("http://x/?'", "http://x/?%27");
  URL_IS("foo://x/?'", "foo://x/?'");
}

TEST(url_userinfo) {
  URL_IS("http://u:p@x/", "http://u:p@x/");
  URL_IS("http://:p@x/", "http://:p@x/");
  URL_IS("http://@x/", "http://x/");
  URL_IS("http://us@er:p@x/", "http://us%40er:p@x/");
  URL_IS("http://a b:c d@x/", "http://a%20b:c%20d@x/");
}

TEST(url_includes_credentials) {
  struct sim_arena a;
  struct sim_url u;
  const char *why;
  sim_arena_init(&a, sim_default_allocator());
  ASSERT_TRUE(sim_url_parse(&a, "http://u@x/", 11, NULL, &u, &why));
  ASSERT_TRUE(sim_url_includes_credentials(&u));
  ASSERT_STR_EQ(u.username, "u");
  ASSERT_STR_EQ(u.password, "");
  ASSERT_TRUE(sim_url_parse(&a, "http://:p@x/", 12, NULL, &u, &why));
  ASSERT_TRUE(sim_url_includes_credentials(&u));
  ASSERT_TRUE(sim_url_parse(&a, "http://@x/", 10, NULL, &u, &why));
  ASSERT_FALSE(sim_url_includes_credentials(&u));
  sim_arena_release(&a);
}

/* ---- other schemes ---------------------------------------------------------
 */

TEST(url_data_about_mailto_keep_opaque_paths) {
  URL_IS("data:text/plain,hi", "data:text/plain,hi");
  URL_IS("DATA:text/plain,hi", "data:text/plain,hi");
  URL_IS("about:blank", "about:blank");
  URL_IS("mailto:x@y", "mailto:x@y");
  URL_IS("sc:x y", "sc:x y");
  struct sim_arena a;
  struct sim_url u;
  const char *why;
  sim_arena_init(&a, sim_default_allocator());
  ASSERT_TRUE(sim_url_parse(&a, "about:blank", 11, NULL, &u, &why));
  ASSERT_EQ_INT(u.host_kind, SIM_HOST_NONE);
  ASSERT_STR_EQ(u.path, "blank");
  ASSERT_FALSE(u.is_special);
  sim_arena_release(&a);
}

TEST(url_file_urls) {
  URL_IS("file:///x", "file:///x");
  URL_IS("file://localhost/x", "file:///x");
  URL_IS("file://host/x", "file://host/x");
}

TEST(url_blob_urls) {
  URL_IS("blob:https://a.example/uuid", "blob:https://a.example/uuid");
  URL_IS("blob:null/uuid", "blob:null/uuid");
}

TEST(url_non_special_with_host) {
  URL_IS("sc://a/b", "sc://a/b");
  URL_IS("sc://a%20b/", "sc://a%20b/");
  URL_IS("web+demo:/.//not-a-host/", "web+demo:/.//not-a-host/");
}

TEST(url_serialize_can_exclude_the_fragment) {
  struct sim_arena a;
  struct sim_url u;
  const char *why;
  sim_arena_init(&a, sim_default_allocator());
  ASSERT_TRUE(sim_url_parse(&a, "https://x/p?q#f", 15, NULL, &u, &why));
  ASSERT_STR_EQ(u.query, "q");
  ASSERT_STR_EQ(u.fragment, "f");
  ASSERT_STR_EQ(sim_url_serialize(&a, &u, true), "https://x/p?q");
  ASSERT_STR_EQ(sim_url_serialize(&a, &u, false), "https://x/p?q#f");
  ASSERT_TRUE(sim_url_parse(&a, "https://x/p", 11, NULL, &u, &why));
  ASSERT_NULL(u.query);
  ASSERT_NULL(u.fragment);
  ASSERT_TRUE(sim_url_parse(&a, "https://x/p?#", 13, NULL, &u, &why));
  ASSERT_STR_EQ(u.query, "");
  ASSERT_STR_EQ(u.fragment, "");
  ASSERT_STR_EQ(sim_url_serialize(&a, &u, false), "https://x/p?#");
  sim_arena_release(&a);
}

TEST(url_default_port_and_http_scheme) {
  ASSERT_EQ_INT(sim_default_port("http"), 80);
  ASSERT_EQ_INT(sim_default_port("https"), 443);
  ASSERT_EQ_INT(sim_default_port("ws"), 80);
  ASSERT_EQ_INT(sim_default_port("wss"), 443);
  ASSERT_EQ_INT(sim_default_port("ftp"), 21);
  ASSERT_EQ_INT(sim_default_port("file"), -1);
  ASSERT_EQ_INT(sim_default_port("gopher"), -1);
  struct sim_arena a;
  struct sim_url u;
  const char *why;
  sim_arena_init(&a, sim_default_allocator());
  ASSERT_TRUE(sim_url_parse(&a, "wss://x/", 8, NULL, &u, &why));
  ASSERT_FALSE(sim_url_is_http_scheme(&u));
  ASSERT_TRUE(sim_url_parse(&a, "HTTPS://x/", 10, NULL, &u, &why));
  ASSERT_TRUE(sim_url_is_http_scheme(&u));
  sim_arena_release(&a);
}

/* ---- the public entry point -------------------------------------------------
 */

TEST(url_public_serialize_reports_bad_url) {
  char out[64];
  struct corsim_error e;
  memset(&e, 0, sizeof e);
  ASSERT_EQ_INT(corsim_url_serialize("nope", out, sizeof out, &e),
                CORSIM_BAD_REQUEST);
  ASSERT_EQ_INT(e.status, CORSIM_BAD_REQUEST);
  ASSERT_STR_EQ(e.message,
                "invalid URL 'nope': missing scheme (not an absolute URL)");
}

TEST(url_public_serialize_buffer_limit) {
  char out[32];
  struct corsim_error e;
  memset(&e, 0, sizeof e);
  /* "https://x/" is 10 bytes: 11 fit, 10 do not */
  ASSERT_EQ_INT(corsim_url_serialize("HTTPS://X", out, 11, &e), CORSIM_OK);
  ASSERT_STR_EQ(out, "https://x/");
  ASSERT_EQ_INT(corsim_url_serialize("HTTPS://X", out, 10, &e), CORSIM_LIMIT);
  ASSERT_STR_EQ(e.message, "serialized URL does not fit");
  /* NULL err is allowed */
  ASSERT_EQ_INT(corsim_url_serialize("nope", out, sizeof out, NULL),
                CORSIM_BAD_REQUEST);
}

/* ---- relative resolution: every form a Location header takes ----------------
 */

TEST(url_relative_absolute_and_scheme_relative) {
  RESOLVES(BASE, "https://b.example/new", "https://b.example/new");
  RESOLVES(BASE, "HTTPS://B.EXAMPLE:443/", "https://b.example/");
  RESOLVES(BASE, "//c.example/x", "https://c.example/x");
  RESOLVES(BASE, "//c.example", "https://c.example/");
  RESOLVES(BASE, "//u:p@c.example/", "https://u:p@c.example/");
  RESOLVES(BASE, "//[::1]:8080/p", "https://[::1]:8080/p");
  RESOLVES(BASE, "\\\\c.example/x", "https://c.example/x");
  RESOLVES(BASE, "/\\c/x", "https://c/x");
}

TEST(url_relative_path_absolute_and_path_relative) {
  RESOLVES(BASE, "/abs/path", "https://a.example/abs/path");
  RESOLVES(BASE, "rel", "https://a.example/dir/rel");
  RESOLVES(BASE, "rel/../other", "https://a.example/dir/other");
  RESOLVES(BASE, "./here", "https://a.example/dir/here");
  RESOLVES(BASE, ".", "https://a.example/dir/");
  RESOLVES(BASE, ";x", "https://a.example/dir/;x");
  RESOLVES(BASE, "x y", "https://a.example/dir/x%20y");
  RESOLVES(BASE, "sub/?a#b", "https://a.example/dir/sub/?a#b");
}

TEST(url_relative_dot_dot_stops_at_the_root) {
  RESOLVES(BASE, "..", "https://a.example/");
  RESOLVES(BASE, "../..", "https://a.example/");
  RESOLVES(BASE, "../../../up", "https://a.example/up");
  RESOLVES(BASE, "%2e%2e/x", "https://a.example/x");
}

TEST(url_relative_query_fragment_and_empty) {
  RESOLVES(BASE, "?q", "https://a.example/dir/page?q");
  RESOLVES(BASE, "?a b", "https://a.example/dir/page?a%20b");
  RESOLVES(BASE, "#f", "https://a.example/dir/page?x=1#f");
  RESOLVES(BASE, "", "https://a.example/dir/page?x=1");
}

TEST(url_relative_with_a_scheme) {
  /* another scheme: absolute */
  RESOLVES(BASE, "http:foo", "http://foo/");
  RESOLVES(BASE, "ftp://f/", "ftp://f/");
  RESOLVES(BASE, "data:text/plain,x", "data:text/plain,x");
  RESOLVES(BASE, "mailto:a@b", "mailto:a@b");
  /* the base's own scheme: relative */
  RESOLVES(BASE, "https:foo", "https://a.example/dir/foo");
  RESOLVES(BASE, "https:", "https://a.example/dir/page?x=1");
  RESOLVES(BASE, "https:\\\\foo", "https://foo/");
  RESOLVES(BASE, "https:/\\foo", "https://foo/");
}

/* Regression test (fixed: url.c:900-901): "https:/foo" against an https base is path-absolute
 * (special relative or authority state -> relative state -> relative slash
 * state -> path state), i.e. "https://a.example/foo" (node agrees); the
 * parser takes one slash as the start of an authority and gives
 * "https://foo/". */

TEST(url_relative_same_scheme_single_slash_is_path_absolute) {
  RESOLVES(BASE, "https:/foo", "https://a.example/foo");
}


TEST(url_relative_failures) {
  char out[64];
  const char *why = NULL;
  ASSERT_FALSE(resolve(BASE, "//", out, sizeof out, &why));
  ASSERT_STR_EQ(why, "empty host");
  ASSERT_FALSE(resolve(BASE, "http://[", out, sizeof out, &why));
  ASSERT_STR_EQ(why, "IPv6 address is missing its closing ']'");
  /* a base with an opaque path takes only a fragment */
  ASSERT_FALSE(resolve("data:text/plain,x", "y", out, sizeof out, &why));
  ASSERT_STR_EQ(why, "relative URL against a base with an opaque path");
  ASSERT_TRUE(resolve("data:text/plain,x", "#y", out, sizeof out, &why));
  ASSERT_STR_EQ(out, "data:text/plain,x#y");
}
