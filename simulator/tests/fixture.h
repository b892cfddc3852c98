/* fixture.h: what the simulator's unit tests share: a scripted server that
 * answers each wire request from a queue and records what the browser sent,
 * a counting allocator that can fail its Nth allocation, and small helpers
 * that build requests and look into decisions. */
#ifndef CORSIM_TESTS_FIXTURE_H
#define CORSIM_TESTS_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>

#include "../sim.h"

#define FX_MAX_SENT 48
#define FX_MAX_HEADERS 24
#define FX_TEXT 256

/* One request the browser put on the wire, copied out of the call. */
struct fx_sent {
  char method[32];
  char url[FX_TEXT];
  size_t header_count;
  char headers[FX_MAX_HEADERS][FX_TEXT]; /* "Name: value", in wire order */
  bool is_preflight;
  bool include_credentials;
  size_t hop;
};

/* One scripted answer. `headers` is "Name: value" lines joined by '\n'
 * (the value starts after ": ", or right after ':' when no space follows). */
struct fx_answer {
  int status;
  const char *headers;
  enum corsim_status fail; /* not OK: the responder fails with this */
  const char *message;     /* the failure's message, NULL for none */
};

struct fx_server {
  struct fx_answer answers[FX_MAX_SENT];
  size_t answer_count, next;
  bool repeat_last; /* when the queue runs out, answer the last one again */
  /* when not empty, preflights are answered from this queue instead */
  struct fx_answer preflight_answers[8];
  size_t preflight_count, preflight_next;
  struct fx_sent sent[FX_MAX_SENT];
  size_t sent_count;
  /* the current answer's header list, parsed from its text */
  struct corsim_header items[64];
  char text[8192];
};

void fx_server_init(struct fx_server *s);
void fx_answer(struct fx_server *s, int status, const char *headers);
/* Queues an answer for preflights only (once any is queued, preflights no
 * longer take answers from the main queue). */
void fx_answer_preflight(struct fx_server *s, int status, const char *headers);
void fx_fail(struct fx_server *s, enum corsim_status st, const char *message);
enum corsim_status fx_respond(void *ctx, const struct corsim_wire_request *w,
                              struct corsim_response *answer,
                              struct corsim_error *err);

/* A header from string literals. */
#define FX_H(n, v) \
  { (n), sizeof(n) - 1, (v), sizeof(v) - 1 }
#define FX_LIST(arr) \
  ((struct corsim_header_list){(arr), sizeof(arr) / sizeof((arr)[0])})

/* A fetch() call with the defaults of the Fetch Standard's Request:
 * mode cors, credentials same-origin, redirect follow, cache default. */
struct corsim_request fx_request(const char *origin, const char *url,
                                 const char *method);

/* A browser with the profile's defaults (NULL when out of memory). */
struct corsim_browser *fx_browser(enum corsim_profile profile);

/* Runs one fetch against the server. */
enum corsim_status fx_fetch(struct corsim_browser *b, double at,
                            const struct corsim_request *r, struct fx_server *s,
                            struct corsim_decision *d,
                            struct corsim_error *err);

/* The value of header `name` (ASCII case-insensitive) in a decision's owned
 * list, NULL when absent. */
const char *fx_owned_header(const struct corsim_owned_header *h, size_t n,
                            const char *name);
/* Whether one of the sent request's lines is exactly `line`. */
bool fx_sent_has(const struct fx_sent *s, const char *line);
/* Whether the trace has an entry with this kind and anchor. */
bool fx_trace_has(const struct corsim_decision *d, enum corsim_trace_kind kind,
                  const char *anchor);

/* A counting allocator; fails exactly its `fail_at`th call (0: never). */
struct fx_alloc {
  struct corsim_allocator allocator;
  size_t fail_at;
  size_t calls;  /* alloc calls, failed ones included */
  size_t allocs; /* successful allocations */
  size_t frees;  /* frees of non-NULL pointers */
};

void fx_alloc_init(struct fx_alloc *fa, size_t fail_at);

#endif /* CORSIM_TESTS_FIXTURE_H */
