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
 * final one (`HTTP/1.1 100 Continue`) are skipped, as a browser skips them;
 * a status line with `HTTP/2` or `HTTP/3` (curl -si output) is read as
 * HTTP/1.1. `chunk` > 0 feeds llhttp that many bytes at a time (tests use
 * it to prove the result does not depend on how bytes arrive).
 *
 * Returns 0 and fills `out`, or -1 and writes a one-line message to `err`
 * naming the llhttp error, its reason and the byte offset, e.g.
 * "HPE_INVALID_CONSTANT at byte 0: Expected HTTP/". On -1 `out` holds
 * nothing to release. */
int http_response_parse(const char *data, size_t len, size_t chunk,
                        const struct http_response_limits *limits,
                        struct http_response *out, char *err,
                        size_t err_size);

void http_response_release(struct http_response *response);

#endif /* CORSIM_HTTP_RESPONSE_H */
