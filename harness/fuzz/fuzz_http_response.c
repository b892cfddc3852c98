/* fuzz_http_response.c: fuzzes http_response_parse and what the simulator
 * makes of its result: the first input byte picks the chunk size, the
 * second the browser profile, the request and (its top bit) tiny limits
 * of 4 header lines and 64 header bytes, so that small inputs reach the
 * caps; the rest are the raw answer.
 *
 * Properties checked besides memory safety: parsing in chunks gives the
 * same result as parsing whole (status, headers byte for byte, or the same
 * error message); a parsed answer stays within the header caps; error
 * messages are one line. Then one fetch runs under the chosen profile with
 * the parsed answer answering every request the browser sends (preflight,
 * actual request, every redirect hop). */
#include <stdbool.h>
#include <string.h>

#include "../../simulator/corsim.h"
#include "../http_response.h"
#include "fuzz.h"

static bool one_line(const char *s) {
  return strchr(s, '\n') == NULL && strchr(s, '\r') == NULL;
}

static bool same_response(const struct http_response *a,
                          const struct http_response *b) {
  if (a->status != b->status || a->header_count != b->header_count ||
      a->body_bytes != b->body_bytes)
    return false;
  for (size_t i = 0; i < a->header_count; i++) {
    const struct corsim_header *x = &a->headers[i], *y = &b->headers[i];
    if (x->name_len != y->name_len || x->value_len != y->value_len ||
        memcmp(x->name, y->name, x->name_len) != 0 ||
        memcmp(x->value, y->value, x->value_len) != 0)
      return false;
  }
  return true;
}

static enum corsim_status answer(void *ctx, const struct corsim_wire_request *w,
                                 struct corsim_response *out,
                                 struct corsim_error *err) {
  const struct http_response *r = ctx;
  (void)w;
  (void)err;
  out->status = r->status;
  out->headers.items = r->headers;
  out->headers.count = r->header_count;
  return CORSIM_OK;
}

/* Four requests that reach different parts of the model. */
static void pick_request(unsigned shape, struct corsim_request *q,
                         struct corsim_header *h) {
  memset(q, 0, sizeof *q);
  q->origin = "https://app.example";
  q->url = "https://api.example/items/1?q=1";
  q->method = "GET";
  q->mode = CORSIM_MODE_CORS;
  q->credentials = CORSIM_CREDENTIALS_SAME_ORIGIN;
  q->redirect = CORSIM_REDIRECT_FOLLOW;
  switch (shape) {
    case 1: /* preflighted: a method and a header outside the safelist */
      q->method = "PUT";
      h[0].name = "X-Custom";
      h[0].name_len = 8;
      h[0].value = "1";
      h[0].value_len = 1;
      h[1].name = "Content-Type";
      h[1].name_len = 12;
      h[1].value = "application/json";
      h[1].value_len = 16;
      q->headers.items = h;
      q->headers.count = 2;
      break;
    case 2: /* credentialed */
      q->credentials = CORSIM_CREDENTIALS_INCLUDE;
      break;
    case 3: /* no-cors, redirects handled by hand */
      q->method = "POST";
      q->mode = CORSIM_MODE_NO_CORS;
      q->redirect = CORSIM_REDIRECT_MANUAL;
      break;
    default:
      break;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2) return 0;
  size_t chunk = data[0];
  unsigned pick = data[1];
  const char *raw = (const char *)data + 2;
  size_t len = size - 2;

  struct http_response_limits tiny = {4, 64};
  const struct http_response_limits *limits = (pick & 0x80) ? &tiny : NULL;
  size_t max_headers = limits ? tiny.max_headers : 256;
  size_t max_bytes = limits ? tiny.max_header_bytes : 256u * 1024u;
  char err_whole[256], err_chunked[256];
  struct http_response whole, chunked;
  int rc_whole = http_response_parse(raw, len, 0, limits, &whole, err_whole,
                                     sizeof err_whole);
  int rc_chunked = http_response_parse(raw, len, chunk, limits, &chunked,
                                       err_chunked, sizeof err_chunked);
  FUZZ_ASSERT(rc_whole == rc_chunked, "chunked parse returns another code");
  if (rc_whole != 0) {
    FUZZ_ASSERT(strcmp(err_whole, err_chunked) == 0,
                "chunked parse gives another message");
    FUZZ_ASSERT(err_whole[0] != '\0' && one_line(err_whole),
                "parse error message is empty or not one line");
    return 0;
  }
  FUZZ_ASSERT(same_response(&whole, &chunked),
              "chunked parse gives another response");
  http_response_release(&chunked);
  FUZZ_ASSERT(whole.header_count <= max_headers, "more headers than the cap");
  size_t bytes = 0;
  for (size_t i = 0; i < whole.header_count; i++)
    bytes += whole.headers[i].name_len + whole.headers[i].value_len;
  FUZZ_ASSERT(bytes <= max_bytes, "more header bytes than the cap");
  FUZZ_ASSERT(whole.status >= 100 && whole.status <= 999,
              "status out of range");

  struct corsim_options o;
  memset(&o, 0, sizeof o);
  o.profile = (enum corsim_profile)(pick % CORSIM_PROFILE_COUNT);
  struct corsim_browser *b = NULL;
  struct corsim_error err;
  memset(&err, 0, sizeof err);
  if (corsim_browser_new(&o, &b, &err) != CORSIM_OK) {
    http_response_release(&whole);
    return 0;
  }
  struct corsim_request q;
  struct corsim_header h[2];
  pick_request((pick / CORSIM_PROFILE_COUNT) % 4, &q, h);
  struct corsim_decision d;
  memset(&err, 0, sizeof err);
  enum corsim_status st = corsim_browser_fetch(b, 0, &q, answer, &whole, &d,
                                               &err);
  if (st == CORSIM_OK) {
    char msg[1024];
    corsim_console_message(o.profile, &q, &d, msg, sizeof msg);
    corsim_decision_release(&d);
  } else {
    FUZZ_ASSERT(one_line(err.message), "fetch error message not one line");
  }
  corsim_browser_free(b);
  http_response_release(&whole);
  return 0;
}
