/* test_origin.c: unit tests of origins (origin.c): the origin of a URL and
 * its serialization, same origin, opaque and blob: origins, and potentially
 * trustworthy origins. */
#include <string.h>

#include "../../harness/testing/check.h"
#include "fixture.h"

#define ORIGIN_IS(url, want)                                           \
  do {                                                                 \
    char out_[256];                                                    \
    struct corsim_error e_;                                            \
    memset(&e_, 0, sizeof e_);                                         \
    ASSERT_EQ_INT(corsim_origin_of_url((url), out_, sizeof out_, &e_), \
                  CORSIM_OK);                                          \
    ASSERT_STR_EQ(out_, (want));                                       \
  } while (0)

/* Parses `text` as a page origin into `o`, with its own id counter. */
static bool origin_of(struct sim_arena *a, const char *text, unsigned *ids,
                      struct sim_origin *o) {
  const char *why;
  return sim_origin_parse(a, text, ids, o, &why);
}

TEST(origin_serialization_of_tuple_origins) {
  ORIGIN_IS("https://a.example/x?y#z", "https://a.example");
  ORIGIN_IS("https://a.example:443/", "https://a.example");
  ORIGIN_IS("http://a.example:8080/p", "http://a.example:8080");
  ORIGIN_IS("HTTP://A.EXAMPLE:80", "http://a.example");
  ORIGIN_IS("http://[::1]:8080/", "http://[::1]:8080");
  ORIGIN_IS("http://0x7f.1/", "http://127.0.0.1");
  ORIGIN_IS(
      "http://mara\xc3\xb1"
      "a.example/",
      "http://xn--maraa-rta.example");
  ORIGIN_IS("http://u:p@a.example/", "http://a.example");
}

TEST(origin_ws_wss_ftp_are_tuple_origins) {
  ORIGIN_IS("ws://x:80/", "ws://x");
  ORIGIN_IS("wss://x:8443/", "wss://x:8443");
  ORIGIN_IS("ftp://x/", "ftp://x");
}

TEST(origin_opaque_schemes_serialize_as_null) {
  ORIGIN_IS("data:text/plain,hi", "null");
  ORIGIN_IS("about:blank", "null");
  ORIGIN_IS("file:///x", "null");
  ORIGIN_IS("mailto:x@y", "null");
  ORIGIN_IS("sc://a/b", "null");
}

TEST(origin_blob_urls_take_the_inner_origin) {
  ORIGIN_IS("blob:https://a.example/uuid", "https://a.example");
  ORIGIN_IS("blob:http://a.example:81/uuid", "http://a.example:81");
  ORIGIN_IS("blob:null/uuid", "null");
  ORIGIN_IS("blob:file:///x", "null");
  ORIGIN_IS("blob:data:text/plain,x", "null");
  ORIGIN_IS("blob:ws://a.example/x", "null");
}

TEST(origin_of_url_errors) {
  char out[16];
  struct corsim_error e;
  memset(&e, 0, sizeof e);
  ASSERT_EQ_INT(corsim_origin_of_url("no scheme", out, sizeof out, &e),
                CORSIM_BAD_REQUEST);
  ASSERT_STR_EQ(e.message,
                "invalid URL 'no scheme': missing scheme (not an "
                "absolute URL)");
  memset(&e, 0, sizeof e);
  /* "https://a.example" is 17 bytes: 18 fit, 17 do not */
  char big[32];
  ASSERT_EQ_INT(corsim_origin_of_url("https://a.example/", big, 18, &e),
                CORSIM_OK);
  ASSERT_EQ_INT(corsim_origin_of_url("https://a.example/", big, 17, &e),
                CORSIM_LIMIT);
  ASSERT_EQ_INT(e.status, CORSIM_LIMIT);
  ASSERT_STR_EQ(e.message, "serialized origin does not fit");
}

TEST(origin_first_error_wins) {
  char out[64];
  struct corsim_error e;
  memset(&e, 0, sizeof e);
  ASSERT_EQ_INT(corsim_origin_of_url("x", out, sizeof out, &e),
                CORSIM_BAD_REQUEST);
  ASSERT_EQ_INT(corsim_origin_of_url("https://a.example/", out, 2, &e),
                CORSIM_LIMIT);
  ASSERT_EQ_INT(e.status, CORSIM_BAD_REQUEST);
  ASSERT_STR_EQ(e.message,
                "invalid URL 'x': missing scheme (not an absolute URL)");
}

TEST(origin_same_origin_for_tuples) {
  ASSERT_TRUE(corsim_same_origin("https://a.example", "https://a.example/x"));
  ASSERT_TRUE(corsim_same_origin("https://a.example:443", "https://a.example"));
  ASSERT_TRUE(corsim_same_origin("HTTPS://A.example", "https://a.EXAMPLE/"));
  ASSERT_TRUE(corsim_same_origin("http://127.1", "http://127.0.0.1/"));
  ASSERT_FALSE(corsim_same_origin("https://a.example", "http://a.example"));
  ASSERT_FALSE(
      corsim_same_origin("https://a.example", "https://a.example:8443"));
  ASSERT_FALSE(corsim_same_origin("https://a.example", "https://b.a.example"));
  ASSERT_FALSE(corsim_same_origin("http://a.example", "ws://a.example"));
}

TEST(origin_opaque_origins_are_never_same_origin_across_parses) {
  ASSERT_FALSE(corsim_same_origin("null", "null"));
  ASSERT_FALSE(corsim_same_origin("data:text/plain,x", "data:text/plain,x"));
  ASSERT_FALSE(corsim_same_origin("file:///x", "file:///x"));
  ASSERT_FALSE(corsim_same_origin("not a url", "not a url"));
  ASSERT_FALSE(corsim_same_origin(NULL, "https://a.example"));
  ASSERT_FALSE(corsim_same_origin("https://a.example", NULL));
}

TEST(origin_blob_is_same_origin_with_its_inner_origin) {
  ASSERT_TRUE(
      corsim_same_origin("blob:https://a.example/uuid", "https://a.example"));
  ASSERT_FALSE(
      corsim_same_origin("blob:https://a.example/uuid", "https://b.example"));
}

TEST(origin_an_opaque_origin_is_same_origin_with_itself_only) {
  struct sim_arena a;
  sim_arena_init(&a, sim_default_allocator());
  unsigned ids = 0;
  struct sim_origin x, y;
  ASSERT_TRUE(origin_of(&a, "null", &ids, &x));
  ASSERT_TRUE(origin_of(&a, NULL, &ids, &y));
  ASSERT_TRUE(x.is_opaque);
  ASSERT_TRUE(y.is_opaque);
  ASSERT_EQ_INT(x.opaque_id, 1);
  ASSERT_EQ_INT(y.opaque_id, 2);
  ASSERT_TRUE(sim_same_origin(&x, &x));
  ASSERT_FALSE(sim_same_origin(&x, &y));
  ASSERT_STR_EQ(sim_origin_serialize(&a, &x), "null");
  struct sim_origin t;
  ASSERT_TRUE(origin_of(&a, "https://a.example", &ids, &t));
  ASSERT_FALSE(sim_same_origin(&x, &t));
  ASSERT_FALSE(sim_same_origin(&t, &x));
  sim_arena_release(&a);
}

TEST(origin_parse_of_page_origins) {
  struct sim_arena a;
  sim_arena_init(&a, sim_default_allocator());
  unsigned ids = 0;
  struct sim_origin o;
  const char *why = NULL;
  ASSERT_TRUE(origin_of(&a, "file:///home/x.html", &ids, &o));
  ASSERT_TRUE(o.is_opaque);
  ASSERT_TRUE(origin_of(&a, "https://a.example:8443", &ids, &o));
  ASSERT_FALSE(o.is_opaque);
  ASSERT_STR_EQ(o.scheme, "https");
  ASSERT_STR_EQ(o.host, "a.example");
  ASSERT_EQ_INT(o.port, 8443);
  ASSERT_TRUE(origin_of(&a, "http://[::1]", &ids, &o));
  ASSERT_STR_EQ(o.host, "[::1]");
  ASSERT_EQ_INT(o.host_kind, SIM_HOST_IPV6);
  ASSERT_FALSE(sim_origin_parse(&a, "app.example", &ids, &o, &why));
  ASSERT_STR_EQ(why, "missing scheme (not an absolute URL)");
  sim_arena_release(&a);
}

/* Whether the origin of `url` is potentially trustworthy. */
static bool trustworthy(const char *url) {
  struct sim_arena a;
  sim_arena_init(&a, sim_default_allocator());
  unsigned ids = 0;
  struct sim_origin o;
  bool r =
      origin_of(&a, url, &ids, &o) && sim_origin_is_potentially_trustworthy(&o);
  sim_arena_release(&a);
  return r;
}

TEST(origin_potentially_trustworthy_schemes) {
  ASSERT_TRUE(trustworthy("https://a.example"));
  ASSERT_TRUE(trustworthy("wss://a.example"));
  ASSERT_FALSE(trustworthy("http://a.example"));
  ASSERT_FALSE(trustworthy("ws://a.example"));
  ASSERT_FALSE(trustworthy("null"));
  ASSERT_FALSE(trustworthy("data:text/plain,x"));
}

TEST(origin_potentially_trustworthy_loopback) {
  ASSERT_TRUE(trustworthy("http://127.0.0.1:8080"));
  ASSERT_TRUE(trustworthy("http://127.255.0.9"));
  ASSERT_TRUE(trustworthy("http://0x7f.1"));
  ASSERT_TRUE(trustworthy("http://[::1]"));
  ASSERT_FALSE(trustworthy("http://[::2]"));
  ASSERT_FALSE(trustworthy("http://10.0.0.1"));
  ASSERT_FALSE(trustworthy("http://128.0.0.1"));
}

TEST(origin_potentially_trustworthy_localhost_names) {
  ASSERT_TRUE(trustworthy("http://localhost"));
  ASSERT_TRUE(trustworthy("http://LOCALHOST:3000"));
  ASSERT_TRUE(trustworthy("http://localhost."));
  ASSERT_TRUE(trustworthy("http://a.localhost"));
  ASSERT_TRUE(trustworthy("http://a.b.localhost."));
  ASSERT_FALSE(trustworthy("http://notlocalhost"));
  ASSERT_FALSE(trustworthy("http://localhost.example"));
  ASSERT_FALSE(trustworthy("http://127.0.0.1.example"));
}
