/* fixture.c: the scripted server, the counting allocator and the request
 * helpers that the simulator's unit tests share (see fixture.h). */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fx_server_init(struct fx_server *s) { memset(s, 0, sizeof *s); }

void fx_answer(struct fx_server *s, int status, const char *headers) {
  if (s->answer_count == FX_MAX_SENT) return;
  struct fx_answer *a = &s->answers[s->answer_count++];
  a->status = status;
  a->headers = headers ? headers : "";
  a->fail = CORSIM_OK;
  a->message = NULL;
}

void fx_answer_preflight(struct fx_server *s, int status, const char *headers) {
  if (s->preflight_count ==
      sizeof s->preflight_answers / sizeof s->preflight_answers[0])
    return;
  struct fx_answer *a = &s->preflight_answers[s->preflight_count++];
  a->status = status;
  a->headers = headers ? headers : "";
  a->fail = CORSIM_OK;
  a->message = NULL;
}

void fx_fail(struct fx_server *s, enum corsim_status st, const char *message) {
  if (s->answer_count == FX_MAX_SENT) return;
  struct fx_answer *a = &s->answers[s->answer_count++];
  a->status = 0;
  a->headers = "";
  a->fail = st;
  a->message = message;
}

static void record(struct fx_server *s, const struct corsim_wire_request *w) {
  if (s->sent_count == FX_MAX_SENT) return;
  struct fx_sent *r = &s->sent[s->sent_count++];
  snprintf(r->method, sizeof r->method, "%s", w->method);
  snprintf(r->url, sizeof r->url, "%s", w->url);
  r->header_count = 0;
  for (size_t i = 0; i < w->headers.count && i < FX_MAX_HEADERS; i++) {
    const struct corsim_header *h = &w->headers.items[i];
    snprintf(r->headers[i], FX_TEXT, "%.*s: %.*s", (int)h->name_len, h->name,
             (int)h->value_len, h->value);
    r->header_count++;
  }
  r->is_preflight = w->is_preflight;
  r->include_credentials = w->include_credentials;
  r->hop = w->hop;
}

enum corsim_status fx_respond(void *ctx, const struct corsim_wire_request *w,
                              struct corsim_response *answer,
                              struct corsim_error *err) {
  struct fx_server *s = ctx;
  record(s, w);
  const struct fx_answer *a = NULL;
  if (w->is_preflight && s->preflight_count > 0) {
    if (s->preflight_next < s->preflight_count)
      a = &s->preflight_answers[s->preflight_next++];
  } else if (s->next < s->answer_count)
    a = &s->answers[s->next++];
  else if (s->repeat_last && s->answer_count > 0)
    a = &s->answers[s->answer_count - 1];
  if (a == NULL) {
    err->status = CORSIM_NO_ANSWER;
    snprintf(err->message, sizeof err->message, "no scripted answer for %s %s",
             w->method, w->url);
    return CORSIM_NO_ANSWER;
  }
  if (a->fail != CORSIM_OK) {
    if (a->message != NULL) {
      err->status = a->fail;
      snprintf(err->message, sizeof err->message, "%s", a->message);
    }
    return a->fail;
  }
  /* Parse "Name: value\n..." into the items, over a private copy. */
  snprintf(s->text, sizeof s->text, "%s", a->headers);
  size_t n = 0;
  char *p = s->text;
  while (*p != '\0' && n < sizeof s->items / sizeof s->items[0]) {
    char *eol = strchr(p, '\n');
    if (eol != NULL) *eol = '\0';
    char *colon = strchr(p, ':');
    if (colon != NULL) {
      char *v = colon + 1;
      if (*v == ' ') v++;
      s->items[n].name = p;
      s->items[n].name_len = (size_t)(colon - p);
      s->items[n].value = v;
      s->items[n].value_len = strlen(v);
      n++;
    }
    if (eol == NULL) break;
    p = eol + 1;
  }
  answer->status = a->status;
  answer->headers.items = s->items;
  answer->headers.count = n;
  return CORSIM_OK;
}

struct corsim_request fx_request(const char *origin, const char *url,
                                 const char *method) {
  struct corsim_request r;
  memset(&r, 0, sizeof r);
  r.origin = origin;
  r.url = url;
  r.method = method;
  r.mode = CORSIM_MODE_CORS;
  r.credentials = CORSIM_CREDENTIALS_SAME_ORIGIN;
  r.redirect = CORSIM_REDIRECT_FOLLOW;
  r.cache = CORSIM_CACHE_DEFAULT;
  return r;
}

struct corsim_browser *fx_browser(enum corsim_profile profile) {
  struct corsim_options o;
  memset(&o, 0, sizeof o);
  o.profile = profile;
  struct corsim_browser *b = NULL;
  if (corsim_browser_new(&o, &b, NULL) != CORSIM_OK) return NULL;
  return b;
}

enum corsim_status fx_fetch(struct corsim_browser *b, double at,
                            const struct corsim_request *r, struct fx_server *s,
                            struct corsim_decision *d,
                            struct corsim_error *err) {
  return corsim_browser_fetch(b, at, r, fx_respond, s, d, err);
}

static bool eq_nocase(const char *a, const char *b) {
  for (; *a && *b; a++, b++) {
    char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
    char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
    if (x != y) return false;
  }
  return *a == *b;
}

const char *fx_owned_header(const struct corsim_owned_header *h, size_t n,
                            const char *name) {
  for (size_t i = 0; i < n; i++)
    if (eq_nocase(h[i].name, name)) return h[i].value;
  return NULL;
}

bool fx_sent_has(const struct fx_sent *s, const char *line) {
  for (size_t i = 0; i < s->header_count; i++)
    if (strcmp(s->headers[i], line) == 0) return true;
  return false;
}

bool fx_trace_has(const struct corsim_decision *d, enum corsim_trace_kind kind,
                  const char *anchor) {
  for (size_t i = 0; i < d->trace_count; i++)
    if (d->trace[i].kind == kind && strcmp(d->trace[i].anchor, anchor) == 0)
      return true;
  return false;
}

static void *counting_alloc(void *ctx, size_t size) {
  struct fx_alloc *fa = ctx;
  fa->calls++;
  if (fa->fail_at != 0 && fa->calls == fa->fail_at) return NULL;
  void *p = malloc(size);
  if (p != NULL) fa->allocs++;
  return p;
}

static void counting_free(void *ctx, void *p) {
  struct fx_alloc *fa = ctx;
  if (p == NULL) return;
  fa->frees++;
  free(p);
}

void fx_alloc_init(struct fx_alloc *fa, size_t fail_at) {
  memset(fa, 0, sizeof *fa);
  fa->allocator.alloc = counting_alloc;
  fa->allocator.free = counting_free;
  fa->allocator.ctx = fa;
  fa->fail_at = fail_at;
}
