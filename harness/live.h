/* live.h: live mode: an HTTP/1.1 client (TCP or TLS, one connection per
 * request) with a deadline on every phase and caps on what a server may
 * send, and the responder that answers libcorsim's wire requests from a
 * real server.
 *
 * What goes on the wire is exactly the wire request the simulator built:
 * `METHOD path?query HTTP/1.1`, then `Host` (first, as browsers send it),
 * then the request's headers in their order and spelling, then
 * `Content-Length: 0` for POST and PUT only (fetch#http-network-or-cache-
 * fetch: a null body gives that header for these two methods), then
 * `Connection: close`. No body, no cookies, no other header: the vector
 * format has no bodies and live mode has no cookie jar.
 *
 * A server that cannot be reached, is too slow or speaks something that
 * is not HTTP/1.x is an error with a one-line message naming the server
 * and the phase, e.g. "127.0.0.1:9001: no response headers within 10 s
 * (first-byte deadline)". Once the response headers are complete the
 * decision has what it needs (a browser resolves fetch() at that point),
 * so a body that stalls, ends early, resets or exceeds its cap only cuts
 * the reading short and leaves a note. */
#ifndef CORSIM_LIVE_H
#define CORSIM_LIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "../simulator/corsim.h"
#include "http_response.h"

/* Defaults of struct live_options (a 0 field means the default). */
#define LIVE_CONNECT_TIMEOUT 5.0     /* seconds: name lookup + TCP connect */
#define LIVE_TLS_TIMEOUT 5.0         /* seconds: the TLS handshake */
#define LIVE_FIRST_BYTE_TIMEOUT 10.0 /* seconds: request sent -> first byte */
#define LIVE_MAX_TIME 30.0           /* seconds: the whole exchange */
#define LIVE_MAX_HEADERS 256
#define LIVE_MAX_HEADER_BYTES (256u * 1024u)
#define LIVE_MAX_BODY_BYTES (1024u * 1024u)

/* One --resolve entry, curl's HOST:PORT:ADDR with two additions: an
 * optional fourth field :PORT2 (connect to ADDR:PORT2 instead, as curl's
 * --connect-to does), and `*` for any host or any port. So
 * "api.example:443:127.0.0.1:8443" sends https://api.example/ to a local
 * test server, and "*:*:127.0.0.1:9000" sends everything there. An IPv6
 * ADDR is written in brackets when a PORT2 follows: "[::1]:8443". The
 * Host header, SNI and certificate check still use the URL's host. */
struct live_resolve {
  char host[256];   /* lower case; "" for any host */
  int port;         /* 0 for any port */
  char addr[64];    /* a numeric IPv4 or IPv6 address, no brackets */
  int connect_port; /* 0: the URL's port */
};

/* Parses one entry. Returns 0, or -1 with a one-line message in `err`
 * ("invalid --resolve 'x': ..."). */
int live_resolve_parse(const char *spec, struct live_resolve *out, char *err,
                       size_t err_size);

struct live_options {
  double connect_timeout;    /* 0: LIVE_CONNECT_TIMEOUT */
  double tls_timeout;        /* 0: LIVE_TLS_TIMEOUT */
  double first_byte_timeout; /* 0: LIVE_FIRST_BYTE_TIMEOUT */
  double max_time;           /* 0: LIVE_MAX_TIME; bounds every phase */
  size_t max_headers;        /* 0: LIVE_MAX_HEADERS */
  size_t max_header_bytes;   /* 0: LIVE_MAX_HEADER_BYTES (names + values) */
  size_t max_body_bytes;     /* 0: LIVE_MAX_BODY_BYTES; then stop reading */
  bool insecure;             /* TLS without certificate verification */
  const char *cacert;        /* PEM file of trusted CAs; NULL: system store */
  const char *const *resolve; /* live_resolve_parse() specs */
  size_t resolve_count;
  bool record;  /* keep every exchange (for corsim check --save) */
  bool replay;  /* tests only: see live_responder_set_step() */
};

/* One finished exchange: what the server sent. */
struct live_result {
  int status;                          /* of the final answer */
  const struct corsim_header *headers; /* its headers, in wire order */
  size_t header_count;
  char *raw;                           /* every byte received, as received */
  size_t raw_len;
  /* `raw` is one whole response that http_response_parse() read to the
   * answer above, so it can be saved as a raw_file capture. False for the
   * answer to HEAD, for a 204 or 304 that announces a body (which
   * http_response_parse waits for) and for a body cut short. */
  bool is_whole;
  char note[256];                      /* "" or why the body was cut short */
  struct http_response parsed_;        /* private */
  void *store_;                        /* private */
};

void live_result_release(struct live_result *result);

/* One recorded request and its answer (options.record). */
struct live_exchange {
  char *method;
  char *url;
  bool is_preflight;
  struct live_result result;
};

/* The live responder. Fields are private except `exchanges`, which the
 * caller may read after a fetch (options.record). */
struct live_responder {
  struct live_options options;    /* copy; the strings stay borrowed */
  struct live_resolve *resolve;
  size_t resolve_count;
  void *tls_;                     /* SSL_CTX */
  void *bio_method_;              /* BIO_METHOD: sockets without SIGPIPE */
  struct live_result current_;    /* the last answer, until the next call */
  bool has_current_;
  char replay_tag_[1024];
  struct live_exchange *exchanges;
  size_t exchange_count;
  size_t exchange_cap_;
};

/* Checks the options (resolve entries, the CA file) and sets up TLS.
 * Returns 0, or -1 with a one-line message in `err` (a usage error for
 * the CLI); on -1 nothing is left to release. Release with
 * live_responder_release(). Never changes process-wide state: writes use
 * MSG_NOSIGNAL, TLS included, so SIGPIPE never fires. */
int live_responder_init(struct live_responder *r,
                        const struct live_options *options, char *err,
                        size_t err_size);
void live_responder_release(struct live_responder *r);

/* The responder: fits corsim_responder, with `ctx` a struct
 * live_responder. Sends `sent` to the server of its URL and fills
 * `answer`, which stays valid until the next call or the release. Returns
 * CORSIM_OK; CORSIM_RESPONDER with `err` naming the server and the phase
 * when the server is unreachable, too slow or malformed (the CLI exits 4);
 * CORSIM_NO_MEMORY; or, in replay mode only, CORSIM_NO_ANSWER when the
 * replay server has no captured answer (a vector error, as in captured
 * mode). */
enum corsim_status live_respond(void *ctx, const struct corsim_wire_request *sent,
                                struct corsim_response *answer,
                                struct corsim_error *err);

/* Replay mode (tests): from now on every request carries
 * `X-Corsim-Replay: FILE#CASE#STEP` and `X-Corsim-Replay-Url: URL` (the
 * wire URL), so that harness/tests/servers/replay answers it from that
 * step's captured responses with run.c's matching rule. Does nothing
 * unless options.replay. The signature fits a per-step hook of the
 * runner: `ctx` is the struct live_responder. */
void live_responder_set_step(void *ctx, const char *file, const char *case_id,
                             size_t step);

/* The answer in `data` as live mode reads it: like http_response_parse()
 * (the same rules, limits and messages) when the bytes hold one whole
 * response; otherwise from the final answer's header section alone, so
 * that the answer to HEAD or a response whose body stops early still has
 * its headers. `chunk` > 0 feeds the bytes that many at a time, as they
 * might arrive (tests). `is_head`: the request was HEAD. Returns 0 and fills
 * `out` (raw stays NULL, note ""), or -1 with a message in `err`, or -2
 * when out of memory. */
int live_parse_answer(const char *data, size_t len, size_t chunk,
                      bool is_head, const struct http_response_limits *limits,
                      struct live_result *out, char *err, size_t err_size);

/* One exchange without the simulator (tests, and the responder itself):
 * sends `sent` and reads the answer into `out`. Returns 0, or -1 with a
 * one-line message naming the server and the phase in `err` (then `out`
 * holds nothing to release), or -2 when out of memory. */
int live_fetch(struct live_responder *r, const struct corsim_wire_request *sent,
               struct live_result *out, char *err, size_t err_size);

/* Parses a number of seconds for a CLI option ("5", "0.5"): 0 < s <= 1e6.
 * Returns false when it is not one. */
bool live_parse_seconds(const char *text, double *out);

#endif /* CORSIM_LIVE_H */
