/* http_response.c: parses one raw HTTP/1.1 answer (a capture, curl -si
 * output, or bytes from a live server) into a status and a header list,
 * with llhttp.
 *
 * One fresh llhttp parser per call, because llhttp errors are sticky. The
 * bytes are fed in pieces of `chunk` bytes; header names and values that
 * arrive in several spans are appended to one growing byte buffer and each
 * header is finished on on_header_value_complete, so the result does not
 * depend on where the pieces end. Three small rewrites happen while
 * feeding, never in the caller's buffer, and error offsets always count in
 * the caller's bytes:
 *
 *  - A status line "HTTP/2 NNN" or "HTTP/3 NNN" (curl -si output) is fed as
 *    "HTTP/1.1 NNN": llhttp only knows HTTP/1.x.
 *  - A bare LF in the status line or the header section is fed as CRLF.
 *    llhttp 8.1 has no lenient flag for that (its LENIENT_HEADERS flag
 *    would also let control bytes into values, which we want to reject),
 *    while browsers accept LF-only headers. Bodies are never rewritten.
 *  - Trailing spaces and tabs of a header value are dropped: llhttp strips
 *    the OWS before a value but not after it, and RFC 9110 field-line
 *    puts OWS on both sides outside the value.
 *
 * Interim 1xx answers (except 101, which ends the exchange) are skipped.
 * The parser pauses at the end of each message; bytes after the final
 * answer are ignored, as a browser ignores what follows a complete
 * response. */
#include "http_response.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llhttp.h"

#define DEFAULT_MAX_HEADERS 256
#define DEFAULT_MAX_HEADER_BYTES (256u * 1024u)

/* One header while parsing: offsets into the byte buffer. */
struct span_header {
  size_t line_start; /* offset in the caller's data */
  size_t name_off;
  size_t name_len;
  size_t value_off;
  size_t value_len;
};

struct parse {
  const char *data; /* the caller's bytes: offsets count from here */
  size_t len;
  size_t off;       /* next byte of `data` to feed */
  size_t max_headers;
  size_t max_header_bytes;

  char *bytes;      /* names and values, each NUL-terminated */
  size_t bytes_len;
  size_t bytes_cap;
  struct span_header *headers;
  size_t header_count;
  size_t header_cap;
  size_t header_bytes; /* names + values, without the NULs */
  bool in_field;

  int status;
  size_t body_bytes;
  bool in_headers;      /* status line or header section of a message */
  bool is_interim;      /* the current message is a 1xx to skip */
  bool message_done;    /* on_message_complete ran (we paused there) */
  bool final_done;      /* the final answer is complete */
  size_t message_start; /* offset of the current status line */
  bool rewritten;       /* its "HTTP/2" was fed as "HTTP/1.1" */

  char *err;
  size_t err_size;
  bool has_error; /* a callback wrote `err` */
  bool no_memory; /* ...and it was "out of memory" */
};

static struct parse *parse_of(llhttp_t *parser) {
  return (struct parse *)parser->data;
}

/* The offset in the caller's data of a pointer llhttp gave us; pointers
 * into our own rewrite strings map to the byte being fed. */
static size_t offset_of(const struct parse *ps, const char *at) {
  if (at != NULL && at >= ps->data && at <= ps->data + ps->len)
    return (size_t)(at - ps->data);
  return ps->off;
}

__attribute__((format(printf, 2, 3))) static int fail(struct parse *ps,
                                                       const char *fmt, ...) {
  if (!ps->has_error) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->err, ps->err_size, fmt, ap);
    va_end(ap);
    ps->has_error = true;
  }
  return -1;
}

static int no_memory(struct parse *ps) {
  if (!ps->has_error) ps->no_memory = true;
  return fail(ps, "out of memory");
}

static bool grow_bytes(struct parse *ps, size_t more) {
  if (ps->bytes_cap - ps->bytes_len >= more) return true;
  size_t cap = ps->bytes_cap ? ps->bytes_cap : 256;
  while (cap - ps->bytes_len < more) {
    if (cap > SIZE_MAX / 2) return false;
    cap *= 2;
  }
  char *p = realloc(ps->bytes, cap);
  if (p == NULL) return false;
  ps->bytes = p;
  ps->bytes_cap = cap;
  return true;
}

static int append(struct parse *ps, const char *at, size_t n) {
  if (n == 0) return 0;
  if (n > ps->max_header_bytes - ps->header_bytes) {
    /* The offset of the first byte past the limit, whatever the chunking. */
    size_t past = offset_of(ps, at) + (ps->max_header_bytes - ps->header_bytes);
    return fail(ps, "more than %zu header bytes at byte %zu",
                ps->max_header_bytes, past);
  }
  if (!grow_bytes(ps, n)) return no_memory(ps);
  memcpy(ps->bytes + ps->bytes_len, at, n);
  ps->bytes_len += n;
  ps->header_bytes += n;
  return 0;
}

static int terminate(struct parse *ps) {
  if (!grow_bytes(ps, 1)) return no_memory(ps);
  ps->bytes[ps->bytes_len++] = '\0';
  return 0;
}

static int on_message_begin(llhttp_t *parser) {
  struct parse *ps = parse_of(parser);
  ps->bytes_len = 0;
  ps->header_count = 0;
  ps->header_bytes = 0;
  ps->in_field = false;
  ps->in_headers = true;
  ps->is_interim = false;
  ps->body_bytes = 0;
  return 0;
}

static int on_header_field(llhttp_t *parser, const char *at, size_t n) {
  struct parse *ps = parse_of(parser);
  if (!ps->in_headers) return 0; /* a chunked body's trailers: not headers */
  if (!ps->in_field) {
    /* The first span of a new header line. */
    if (ps->header_count >= ps->max_headers)
      return fail(ps, "more than %zu header lines at byte %zu",
                  ps->max_headers, offset_of(ps, at));
    if (ps->header_count == ps->header_cap) {
      size_t cap = ps->header_cap ? ps->header_cap * 2 : 16;
      struct span_header *h = realloc(ps->headers, cap * sizeof *h);
      if (h == NULL) return no_memory(ps);
      ps->headers = h;
      ps->header_cap = cap;
    }
    struct span_header *h = &ps->headers[ps->header_count++];
    h->line_start = offset_of(ps, at);
    h->name_off = ps->bytes_len;
    h->name_len = 0;
    h->value_off = 0;
    h->value_len = 0;
    ps->in_field = true;
  }
  ps->headers[ps->header_count - 1].name_len += n;
  return append(ps, at, n);
}

static int on_header_field_complete(llhttp_t *parser) {
  struct parse *ps = parse_of(parser);
  if (!ps->in_headers) return 0;
  if (!ps->in_field) {
    /* llhttp always reports a span, even an empty one; if it did not, the
     * header line has no name. */
    return fail(ps, "empty header name at byte %zu", ps->off);
  }
  ps->in_field = false;
  struct span_header *h = &ps->headers[ps->header_count - 1];
  if (h->name_len == 0) {
    /* llhttp (non-strict) lets ": value" through; no browser header has an
     * empty name, so a capture with one is reported, not guessed at. */
    return fail(ps, "empty header name at byte %zu", h->line_start);
  }
  /* llhttp (non-strict) also lets spaces and tabs into a name ("Name : v",
   * "Access Control Allow Origin: *"); a field name is a token (RFC 9110
   * §5.1), and browsers refuse such a line */
  for (size_t i = 0; i < h->name_len; i++) {
    char c = ps->bytes[h->name_off + i];
    if (c == ' ' || c == '\t')
      return fail(ps, "HPE_INVALID_HEADER_TOKEN at byte %zu: Invalid header "
                      "token", h->line_start + i);
  }
  if (terminate(ps) != 0) return -1;
  h->value_off = ps->bytes_len;
  return 0;
}

static int on_header_value(llhttp_t *parser, const char *at, size_t n) {
  struct parse *ps = parse_of(parser);
  if (!ps->in_headers || ps->header_count == 0) return 0;
  ps->headers[ps->header_count - 1].value_len += n;
  return append(ps, at, n);
}

static int on_header_value_complete(llhttp_t *parser) {
  struct parse *ps = parse_of(parser);
  if (!ps->in_headers || ps->header_count == 0) return 0;
  struct span_header *h = &ps->headers[ps->header_count - 1];
  /* RFC 9110 field-line: the OWS after the value is not part of it. */
  while (h->value_len > 0 && (ps->bytes[h->value_off + h->value_len - 1] == ' ' ||
                              ps->bytes[h->value_off + h->value_len - 1] == '\t')) {
    h->value_len--;
    ps->bytes_len--;
  }
  return terminate(ps);
}

static int on_headers_complete(llhttp_t *parser) {
  struct parse *ps = parse_of(parser);
  ps->in_headers = false;
  ps->status = llhttp_get_status_code(parser);
  if (ps->status < 100 || ps->status > 999)
    return fail(ps, "invalid status code %zu at byte %zu", (size_t)ps->status,
                ps->message_start + (ps->rewritten ? 7 : 9));
  /* 101 ends the HTTP exchange, so it is the final answer. */
  ps->is_interim = ps->status < 200 && ps->status != 101;
  /* RFC 9112 §6.3: 204 and 304 have no body, whatever Content-Length says
   * (1 tells llhttp to skip it) */
  if (ps->status == 204 || ps->status == 304) return 1;
  return 0;
}

static int on_body(llhttp_t *parser, const char *at, size_t n) {
  (void)at;
  parse_of(parser)->body_bytes += n;
  return 0;
}

static int on_message_complete(llhttp_t *parser) {
  struct parse *ps = parse_of(parser);
  ps->message_done = true;
  if (!ps->is_interim) ps->final_done = true;
  /* Stop here: an interim answer is followed by a status line to look at,
   * the final one by bytes we ignore. */
  return HPE_PAUSED;
}

static bool starts_with(const char *p, size_t n, const char *s) {
  size_t k = strlen(s);
  return n >= k && memcmp(p, s, k) == 0;
}

/* Feeds `n` bytes at `p` (the caller's data or a rewrite string); returns
 * the llhttp errno, with our pause at the end of a message turned into
 * HPE_OK after moving ps->off to the byte after the message. */
static llhttp_errno_t feed(llhttp_t *parser, struct parse *ps, const char *p,
                           size_t n, bool is_data) {
  llhttp_errno_t rc = llhttp_execute(parser, p, n);
  if (rc == HPE_PAUSED && ps->message_done) {
    const char *stop = llhttp_get_error_pos(parser);
    llhttp_resume(parser);
    if (is_data) ps->off = (size_t)(stop - ps->data);
    return HPE_OK;
  }
  if (rc == HPE_OK && is_data) ps->off += n;
  return rc;
}

static int llhttp_failed(llhttp_t *parser, struct parse *ps,
                         llhttp_errno_t rc) {
  if (ps->has_error) return -1;
  /* A bad byte inside a header name: llhttp reports it before it hands
   * over the name when the bytes come whole, after part of it when they
   * come in pieces. Apply the caps to the pending name first, so the
   * message is the same however the bytes arrived. */
  if (rc == HPE_INVALID_HEADER_TOKEN && ps->in_headers &&
      parser->_span_pos0 != NULL) {
    /* llhttp 8.1 keeps the start of the span it has not handed over yet in
     * _span_pos0 (llhttp.h): the pending part of the name */
    size_t at = offset_of(ps, llhttp_get_error_pos(parser));
    size_t from = offset_of(ps, (const char *)parser->_span_pos0);
    if (!ps->in_field && ps->header_count >= ps->max_headers && at > from)
      return fail(ps, "more than %zu header lines at byte %zu",
                  ps->max_headers, from);
    size_t pending = at > from ? at - from : 0;
    if (pending > ps->max_header_bytes - ps->header_bytes)
      return fail(ps, "more than %zu header bytes at byte %zu",
                  ps->max_header_bytes,
                  from + (ps->max_header_bytes - ps->header_bytes));
  }
  const char *reason = llhttp_get_error_reason(parser);
  snprintf(ps->err, ps->err_size, "%s at byte %zu: %s", llhttp_errno_name(rc),
           offset_of(ps, llhttp_get_error_pos(parser)),
           reason != NULL ? reason : "parse error");
  ps->has_error = true;
  return -1;
}

/* Runs the parser over all of ps->data; returns 0 when the final answer is
 * complete, -1 with ps->err written otherwise. */
static int run(llhttp_t *parser, struct parse *ps, size_t chunk) {
  bool at_message_start = true;
  size_t lf_fixed = SIZE_MAX; /* the bare LF whose CR was already fed */
  while (!ps->final_done) {
    if (at_message_start) {
      at_message_start = false;
      ps->message_done = false;
      ps->message_start = ps->off;
      ps->rewritten = false;
      ps->in_headers = true;
      const char *p = ps->data + ps->off;
      size_t left = ps->len - ps->off;
      if (starts_with(p, left, "HTTP/2 ") || starts_with(p, left, "HTTP/3 ")) {
        llhttp_errno_t rc = feed(parser, ps, "HTTP/1.1", 8, false);
        if (rc != HPE_OK) return llhttp_failed(parser, ps, rc);
        ps->off += 6;
        ps->rewritten = true;
      }
    }
    if (ps->off >= ps->len) break;
    size_t n = ps->len - ps->off;
    if (chunk > 0 && n > chunk) n = chunk;
    if (ps->in_headers) {
      /* Stop before the next bare LF; feed a CR in front of it once. */
      size_t from = ps->off == lf_fixed ? ps->off + 1 : ps->off;
      bool fed_cr = false;
      for (size_t i = from; i < ps->off + n; i++) {
        if (ps->data[i] == '\n' && (i == 0 || ps->data[i - 1] != '\r')) {
          if (i == ps->off) {
            llhttp_errno_t rc = feed(parser, ps, "\r", 1, false);
            if (rc != HPE_OK) return llhttp_failed(parser, ps, rc);
            lf_fixed = i;
            fed_cr = true;
          } else {
            n = i - ps->off;
          }
          break;
        }
      }
      if (fed_cr) continue;
    }
    llhttp_errno_t rc = feed(parser, ps, ps->data + ps->off, n, true);
    if (rc != HPE_OK) return llhttp_failed(parser, ps, rc);
    if (ps->message_done && !ps->final_done) at_message_start = true;
  }
  if (ps->final_done) return 0;
  if (ps->len == 0) return fail(ps, "empty response");
  if (ps->message_start == ps->len)
    return fail(ps, "no final response after the interim one at byte %zu",
                ps->len);
  /* The data ended: a body without Content-Length ends here. */
  llhttp_errno_t rc = llhttp_finish(parser);
  if (ps->final_done && (rc == HPE_OK || rc == HPE_PAUSED)) return 0;
  if (ps->has_error) return -1;
  if (rc != HPE_OK && rc != HPE_INVALID_EOF_STATE)
    return llhttp_failed(parser, ps, rc);
  snprintf(ps->err, ps->err_size,
           "HPE_INVALID_EOF_STATE at byte %zu: response ends inside the %s",
           ps->len, ps->in_headers ? "headers" : "body");
  ps->has_error = true;
  return -1;
}

/* Copies the headers of the final answer into one block: the header array
 * followed by the NUL-terminated names and values. */
static int build(struct parse *ps, struct http_response *out) {
  size_t array = ps->header_count * sizeof(struct corsim_header);
  char *block = malloc(array + ps->bytes_len + 1);
  if (block == NULL) return no_memory(ps);
  struct corsim_header *headers = (struct corsim_header *)(void *)block;
  char *bytes = block + array;
  if (ps->bytes_len > 0) memcpy(bytes, ps->bytes, ps->bytes_len);
  bytes[ps->bytes_len] = '\0';
  for (size_t i = 0; i < ps->header_count; i++) {
    const struct span_header *h = &ps->headers[i];
    headers[i].name = bytes + h->name_off;
    headers[i].name_len = h->name_len;
    headers[i].value = bytes + h->value_off;
    headers[i].value_len = h->value_len;
  }
  out->status = ps->status;
  out->headers = ps->header_count > 0 ? headers : NULL;
  out->header_count = ps->header_count;
  out->body_bytes = ps->body_bytes;
  out->store_ = block;
  return 0;
}

int http_response_parse(const char *data, size_t len, size_t chunk,
                        const struct http_response_limits *limits,
                        struct http_response *out, char *err,
                        size_t err_size) {
  char scratch[1];
  struct parse ps;
  memset(&ps, 0, sizeof ps);
  memset(out, 0, sizeof *out);
  ps.data = data != NULL ? data : "";
  ps.len = data != NULL ? len : 0;
  ps.max_headers = limits != NULL && limits->max_headers > 0
                       ? limits->max_headers
                       : DEFAULT_MAX_HEADERS;
  ps.max_header_bytes = limits != NULL && limits->max_header_bytes > 0
                            ? limits->max_header_bytes
                            : DEFAULT_MAX_HEADER_BYTES;
  ps.err = err != NULL && err_size > 0 ? err : scratch;
  ps.err_size = err != NULL && err_size > 0 ? err_size : sizeof scratch;
  ps.err[0] = '\0';

  llhttp_settings_t settings;
  llhttp_settings_init(&settings);
  settings.on_message_begin = on_message_begin;
  settings.on_header_field = on_header_field;
  settings.on_header_field_complete = on_header_field_complete;
  settings.on_header_value = on_header_value;
  settings.on_header_value_complete = on_header_value_complete;
  settings.on_headers_complete = on_headers_complete;
  settings.on_body = on_body;
  settings.on_message_complete = on_message_complete;
  llhttp_t parser;
  llhttp_init(&parser, HTTP_RESPONSE, &settings);
  parser.data = &ps;

  int rc = run(&parser, &ps, chunk);
  if (rc == 0) rc = build(&ps, out);
  free(ps.bytes);
  free(ps.headers);
  if (rc != 0) memset(out, 0, sizeof *out);
  if (rc != 0 && ps.no_memory) rc = -2;
  return rc;
}

void http_response_release(struct http_response *response) {
  if (response == NULL) return;
  free(response->store_);
  memset(response, 0, sizeof *response);
}
