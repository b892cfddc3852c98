/* http_response.h: raw HTTP/1.1 answer bytes (a capture, `curl -si`
 * output, or what a live server sent) parsed with llhttp into a status and
 * a header list in wire order, duplicates kept. */
#ifndef CORSIM_HTTP_RESPONSE_H
#define CORSIM_HTTP_RESPONSE_H

#include <stddef.h>

#include "../simulator/corsim.h"

struct http_response {
  int status;
  struct corsim_header *headers; /* name/value point into `store_` */
  size_t header_count;
  size_t body_bytes;             /* body bytes seen (not kept) */
  void *store_;                  /* private */
};

struct http_response_limits {
  size_t max_headers;      /* 0: 256 */
  size_t max_header_bytes; /* 0: 256 KiB, names + values */
};

/* Parses one whole response from `data`. Interim 1xx answers before the
 * final one (`HTTP/1.1 100 Continue`) are skipped, as a browser skips them
 * (101 is final); a status line with `HTTP/2` or `HTTP/3` (curl -si output)
 * is read as HTTP/1.1; bare LF line endings are accepted in the status line
 * and the headers. Names are kept as sent; values lose the OWS around them
 * (RFC 9110 field-line; llhttp itself only drops the leading OWS). A body
 * ends at Content-Length, with chunked framing, or at the end of `data`;
 * bytes after the final answer are ignored. `chunk` > 0 feeds llhttp that
 * many bytes at a time (tests use it to prove the result, messages
 * included, does not depend on how bytes arrive).
 *
 * Past a limit the message names it: "more than 256 header lines at byte
 * N", "more than 262144 header bytes at byte N". Other errors of ours:
 * "empty response", "empty header name at byte N", "invalid status code 99
 * at byte N", "HPE_INVALID_EOF_STATE at byte N: response ends inside the
 * headers" (or "the body"), "no final response after the interim one at
 * byte N".
 *
 * Returns 0 and fills `out`, or -1 and writes a one-line message to `err`
 * naming the llhttp error, its reason and the byte offset, e.g.
 * "HPE_INVALID_CONSTANT at byte 0: Expected HTTP/", or -2 when out of
 * memory (`err` says "out of memory"). After -1 or -2 `out` holds nothing
 * to release. */
int http_response_parse(const char *data, size_t len, size_t chunk,
                        const struct http_response_limits *limits,
                        struct http_response *out, char *err,
                        size_t err_size);

void http_response_release(struct http_response *response);

#endif /* CORSIM_HTTP_RESPONSE_H */
