/* test_http_response.c: unit tests of http_response_parse: status, header
 * order and duplicates, odd values, interim answers, curl -si quirks,
 * bodies, every error with its exact message, and that the result is the
 * same for every chunk size. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../http_response.h"
#include "../testing/check.h"

#define S(lit) (lit), (sizeof(lit) - 1)

/* Renders a parse as one string, so two parses compare with strcmp:
 * "200|a: 1|b: 2|body=3" or "error: MESSAGE". */
static char *render(const char *data, size_t len, size_t chunk,
                    const struct http_response_limits *limits) {
  struct http_response r;
  char err[256];
  size_t cap = 64 + len * 2;
  char *out = malloc(cap);
  if (out == NULL) return NULL;
  if (http_response_parse(data, len, chunk, limits, &r, err, sizeof err) != 0) {
    snprintf(out, cap, "error: %s", err);
    return out;
  }
  size_t n = (size_t)snprintf(out, cap, "%d", r.status);
  for (size_t i = 0; i < r.header_count; i++) {
    const struct corsim_header *h = &r.headers[i];
    n += (size_t)snprintf(out + n, cap - n, "|%.*s: %.*s", (int)h->name_len,
                          h->name, (int)h->value_len, h->value);
  }
  snprintf(out + n, cap - n, "|body=%zu", r.body_bytes);
  http_response_release(&r);
  return out;
}

/* Parses whole and in every chunk size 1..len; all must agree with
 * `expected`. */
static int same_for_every_chunk(const char *data, size_t len,
                                const struct http_response_limits *limits,
                                const char *expected) {
  for (size_t chunk = 0; chunk <= len; chunk++) {
    char *got = render(data, len, chunk, limits);
    int same = got != NULL && strcmp(got, expected) == 0;
    if (!same)
      fprintf(stderr, "  chunk %zu: got \"%s\"\n  expected \"%s\"\n", chunk,
              got ? got : "(null)", expected);
    free(got);
    if (!same) return 0;
  }
  return 1;
}

#define ASSERT_PARSES(lit, expected)                                   \
  ASSERT_TRUE(same_for_every_chunk(S(lit), NULL, (expected)))

TEST(http_status_and_headers) {
  struct http_response r;
  char err[128];
  static const char text[] =
      "HTTP/1.1 204 No Content\r\n"
      "Access-Control-Allow-Origin: https://app.example\r\n"
      "Vary: Origin\r\n"
      "\r\n";
  ASSERT_EQ_INT(http_response_parse(S(text), 0, NULL, &r, err, sizeof err), 0);
  ASSERT_EQ_INT(r.status, 204);
  ASSERT_EQ_INT(r.header_count, 2);
  ASSERT_EQ_INT(r.headers[0].name_len, 27);
  ASSERT_MEM_EQ(r.headers[0].name, "Access-Control-Allow-Origin", 27);
  ASSERT_STR_EQ(r.headers[0].value, "https://app.example");
  ASSERT_EQ_INT(r.headers[0].value_len, 19);
  ASSERT_STR_EQ(r.headers[1].name, "Vary");
  ASSERT_STR_EQ(r.headers[1].value, "Origin");
  ASSERT_EQ_INT(r.body_bytes, 0);
  http_response_release(&r);
  ASSERT_NULL(r.store_);
}

TEST(http_duplicates_and_order_kept) {
  ASSERT_PARSES("HTTP/1.1 200 OK\r\n"
                "access-control-allow-origin: https://a.example\r\n"
                "Content-Length: 0\r\n"
                "Access-Control-Allow-Origin: https://b.example\r\n"
                "X-B: 2\r\n"
                "X-A: 1\r\n"
                "\r\n",
                "200|access-control-allow-origin: https://a.example"
                "|Content-Length: 0"
                "|Access-Control-Allow-Origin: https://b.example"
                "|X-B: 2|X-A: 1|body=0");
}

TEST(http_odd_values) {
  /* Leading and trailing OWS go; inner spaces, commas and an empty value
   * stay; a name with odd case is kept as sent. */
  ASSERT_PARSES("HTTP/1.1 200 OK\r\n"
                "A:  x  \r\n"
                "B:\r\n"
                "C: \t y , z\t \r\n"
                "dAtE: Mon\r\n"
                "Content-Length: 0\r\n"
                "\r\n",
                "200|A: x|B: |C: y , z|dAtE: Mon|Content-Length: 0|body=0");
}

TEST(http_folded_value) {
  /* obs-fold: llhttp drops the CRLF and keeps the continuation's spaces. */
  ASSERT_PARSES("HTTP/1.1 200 OK\r\n"
                "Fold: a\r\n"
                "  b\r\n"
                "Content-Length: 0\r\n"
                "\r\n",
                "200|Fold: a  b|Content-Length: 0|body=0");
}

TEST(http_interim_answers_skipped) {
  ASSERT_PARSES("HTTP/1.1 100 Continue\r\n"
                "\r\n"
                "HTTP/1.1 103 Early Hints\r\n"
                "Link: </s.css>; rel=preload\r\n"
                "\r\n"
                "HTTP/1.1 200 OK\r\n"
                "Content-Length: 2\r\n"
                "\r\n"
                "ok",
                "200|Content-Length: 2|body=2");
}

TEST(http_101_is_final) {
  ASSERT_PARSES("HTTP/1.1 101 Switching Protocols\r\n"
                "Upgrade: websocket\r\n"
                "Connection: Upgrade\r\n"
                "\r\n"
                "\x81\x00",
                "101|Upgrade: websocket|Connection: Upgrade|body=0");
}

TEST(http_http2_status_line) {
  /* curl -si output of an HTTP/2 exchange, with an interim answer. */
  ASSERT_PARSES("HTTP/2 100 \r\n"
                "\r\n"
                "HTTP/2 200 \r\n"
                "access-control-allow-origin: *\r\n"
                "content-length: 3\r\n"
                "\r\n"
                "abc",
                "200|access-control-allow-origin: *|content-length: 3|body=3");
  ASSERT_PARSES("HTTP/3 404 \r\ncontent-length: 0\r\n\r\n",
                "404|content-length: 0|body=0");
}

TEST(http_bare_lf_line_endings) {
  /* Bare LF in the header section is read as CRLF; the body is not
   * touched. */
  ASSERT_PARSES("HTTP/1.1 200 OK\n"
                "A: 1\n"
                "Fold: a\n"
                " b\n"
                "Content-Length: 4\n"
                "\n"
                "x\ny\n",
                "200|A: 1|Fold: a b|Content-Length: 4|body=4");
  ASSERT_PARSES("HTTP/1.1 100 Continue\n\nHTTP/1.1 200 OK\r\nB: 2\n\r\n",
                "200|B: 2|body=0");
}

TEST(http_body_without_content_length) {
  ASSERT_PARSES("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhello",
                "200|Content-Type: text/plain|body=5");
  ASSERT_PARSES("HTTP/1.0 200 OK\r\n\r\n", "200|body=0");
}

TEST(http_chunked_body) {
  ASSERT_PARSES("HTTP/1.1 200 OK\r\n"
                "Transfer-Encoding: chunked\r\n"
                "\r\n"
                "3\r\nabc\r\n"
                "10\r\n0123456789abcdef\r\n"
                "0\r\n"
                "\r\n",
                "200|Transfer-Encoding: chunked|body=19");
}

TEST(http_bytes_after_final_ignored) {
  ASSERT_PARSES("HTTP/1.1 204 No Content\r\n\r\nGARBAGE",
                "204|body=0");
  ASSERT_PARSES("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxyz",
                "200|Content-Length: 1|body=1");
}

TEST(http_error_bad_status_line) {
  ASSERT_PARSES("<html>", "error: HPE_INVALID_CONSTANT at byte 0: Expected HTTP/");
  ASSERT_PARSES("HTTP/1.1 20x OK\r\n\r\n",
                "error: HPE_INVALID_STATUS at byte 11: Invalid response status");
  ASSERT_PARSES("HTTP/1.1 099 Low\r\n\r\n",
                "error: invalid status code 99 at byte 9");
  ASSERT_PARSES("HTTP/2 099 \r\n\r\n",
                "error: invalid status code 99 at byte 7");
  ASSERT_PARSES("HTTP/4 200 \r\n\r\n",
                "error: HPE_INVALID_VERSION at byte 6: Expected dot");
}

TEST(http_error_truncated) {
  ASSERT_PARSES("HTTP/1.1 200 OK\r\nA: 1\r\n",
                "error: HPE_INVALID_EOF_STATE at byte 23: response ends "
                "inside the headers");
  ASSERT_PARSES("HTTP/1.1 200 OK",
                "error: HPE_INVALID_EOF_STATE at byte 15: response ends "
                "inside the headers");
  ASSERT_PARSES("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab",
                "error: HPE_INVALID_EOF_STATE at byte 40: response ends "
                "inside the body");
  ASSERT_PARSES("HTTP/1.1 100 Continue\r\n\r\n",
                "error: no final response after the interim one at byte 25");
  ASSERT_PARSES("", "error: empty response");
}

TEST(http_error_bad_header_char) {
  ASSERT_PARSES("HTTP/1.1 200 OK\r\nA: \x01x\r\n\r\n",
                "error: HPE_INVALID_HEADER_TOKEN at byte 20: Invalid header "
                "value char");
  ASSERT_PARSES("HTTP/1.1 200 OK\r\nX(y): 1\r\n\r\n",
                "error: HPE_INVALID_HEADER_TOKEN at byte 18: Invalid header "
                "token");
  ASSERT_PARSES("HTTP/1.1 200 OK\r\nNo colon\r\n\r\n",
                "error: HPE_INVALID_HEADER_TOKEN at byte 25: Invalid header "
                "token");
  ASSERT_PARSES("HTTP/1.1 200 OK\r\n: v\r\n\r\n",
                "error: empty header name at byte 17");
}

/* "HTTP/1.1 200 OK\r\n" + `count` lines "H: v\r\n" + "\r\n". */
static char *many_headers(size_t count, size_t value_len, size_t *len) {
  size_t line = 5 + value_len;
  size_t cap = 20 + count * line + 4;
  char *p = malloc(cap);
  if (p == NULL) return NULL;
  size_t n = (size_t)snprintf(p, cap, "HTTP/1.1 200 OK\r\n");
  for (size_t i = 0; i < count; i++) {
    memcpy(p + n, "H: ", 3);
    memset(p + n + 3, 'v', value_len);
    memcpy(p + n + 3 + value_len, "\r\n", 2);
    n += line;
  }
  memcpy(p + n, "\r\n", 2);
  *len = n + 2;
  return p;
}

TEST(http_error_too_many_headers) {
  size_t len;
  char *text = many_headers(257, 1, &len);
  ASSERT_NOT_NULL(text);
  char *got = render(text, len, 0, NULL);
  /* The 257th line starts at 17 + 256 * 6. */
  int ok = got && strcmp(got, "error: more than 256 header lines at byte 1553") == 0;
  if (!ok) fprintf(stderr, "  got %s\n", got ? got : "(null)");
  free(got);
  struct http_response_limits two = {2, 0};
  int same = same_for_every_chunk(text, 17 + 3 * 6, &two,
                                  "error: more than 2 header lines at byte 29");
  free(text);
  text = many_headers(256, 1, &len);
  ASSERT_NOT_NULL(text);
  char *exact = render(text, len, 0, NULL); /* 256 lines: fine */
  int fine = exact && strncmp(exact, "200|H: v|", 9) == 0;
  free(exact);
  free(text);
  ASSERT_TRUE(ok);
  ASSERT_TRUE(same);
  ASSERT_TRUE(fine);
}

TEST(http_error_too_many_header_bytes) {
  size_t len;
  char *text = many_headers(2, 200000, &len);
  ASSERT_NOT_NULL(text);
  /* Bytes counted: names and values (here 3 + 5, 1 + 3: the limit 10 lets
   * the first '1' of "123" in, the '2' at byte 33 is past it). Below, the
   * default limit 262144 is crossed inside
   * the second value: 1 + 200000 + 1 = 200002, then 62142 more bytes of
   * the second value, which starts at 17 + 200005 + 3. */
  char *got = render(text, len, 0, NULL);
  char *got_small = render(text, len, 4093, NULL);
  ASSERT_NOT_NULL(got);
  ASSERT_NOT_NULL(got_small);
  int ok = strcmp(got, "error: more than 262144 header bytes at byte 262167") == 0 &&
           strcmp(got, got_small) == 0;
  if (!ok) fprintf(stderr, "  got %s / %s\n", got, got_small);
  free(got);
  free(got_small);
  struct http_response_limits small = {0, 10};
  int same = same_for_every_chunk(
      S("HTTP/1.1 200 OK\r\nAbc: 12345\r\nD: 123\r\n\r\n"), &small,
      "error: more than 10 header bytes at byte 33");
  struct http_response_limits exact = {0, 12};
  int fits = same_for_every_chunk(
      S("HTTP/1.1 200 OK\r\nAbc: 12345\r\nD: 123\r\n\r\n"), &exact,
      "200|Abc: 12345|D: 123|body=0");
  free(text);
  ASSERT_TRUE(ok);
  ASSERT_TRUE(same);
  ASSERT_TRUE(fits);
}

TEST(http_interim_headers_do_not_count) {
  struct http_response_limits two = {2, 0};
  ASSERT_TRUE(same_for_every_chunk(
      S("HTTP/1.1 103 Early Hints\r\nLink: a\r\nLink: b\r\n\r\n"
        "HTTP/1.1 200 OK\r\nA: 1\r\nContent-Length: 0\r\n\r\n"),
      &two, "200|A: 1|Content-Length: 0|body=0"));
}

TEST(http_error_leaves_nothing) {
  struct http_response r;
  char err[64];
  memset(&r, 0x55, sizeof r);
  ASSERT_EQ_INT(http_response_parse(S("nope"), 0, NULL, &r, err, sizeof err), -1);
  ASSERT_NULL(r.store_);
  ASSERT_NULL(r.headers);
  ASSERT_EQ_INT(r.header_count, 0);
  /* A short error buffer is truncated, never overrun; none at all is fine. */
  char tiny[8];
  ASSERT_EQ_INT(http_response_parse(S("nope"), 0, NULL, &r, tiny, sizeof tiny), -1);
  ASSERT_STR_EQ(tiny, "HPE_INV");
  ASSERT_EQ_INT(http_response_parse(S("nope"), 0, NULL, &r, NULL, 0), -1);
}

TEST(http_chunk_independence_of_captures) {
  /* Captures of the kind the corpus holds, each parsed in every chunk
   * size against the whole parse. */
  static const char *const captures[] = {
      "HTTP/1.1 204 No Content\r\n"
      "Access-Control-Allow-Origin: https://app.example\r\n"
      "Access-Control-Allow-Credentials: true\r\n"
      "Access-Control-Allow-Methods: GET, PUT\r\n"
      "Access-Control-Allow-Headers: Authorization, Content-Type\r\n"
      "Access-Control-Max-Age: 600\r\n"
      "Date: Tue, 01 Apr 2025 10:00:00 GMT\r\n"
      "\r\n",
      "HTTP/2 200 \r\n"
      "content-type: application/json\r\n"
      "access-control-allow-origin: *\r\n"
      "access-control-expose-headers: X-Request-Id, ETag\r\n"
      "x-request-id: 42\r\n"
      "etag: \"abc\"\r\n"
      "content-length: 13\r\n"
      "\r\n"
      "{\"ok\": true}\n",
      "HTTP/1.1 100 Continue\r\n\r\n"
      "HTTP/1.1 302 Found\r\n"
      "Location: https://other.example/next\r\n"
      "Transfer-Encoding: chunked\r\n"
      "\r\n"
      "5\r\nmoved\r\n0\r\n\r\n",
      "HTTP/1.1 200 OK\n"
      "Set-Cookie: a=1\n"
      "Set-Cookie: b=2\n"
      "X-Folded: one\n"
      "\ttwo\n"
      "\n"
      "tail without length\n",
      "HTTP/1.1 200 OK\r\nGood: 1\r\nBad\x7f: 2\r\n\r\n",
      "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2",
  };
  for (size_t i = 0; i < sizeof captures / sizeof captures[0]; i++) {
    size_t len = strlen(captures[i]);
    char *whole = render(captures[i], len, 0, NULL);
    ASSERT_NOT_NULL(whole);
    int same = same_for_every_chunk(captures[i], len, NULL, whole);
    if (!same) fprintf(stderr, "  capture %zu\n", i);
    free(whole);
    ASSERT_TRUE(same);
  }
}
