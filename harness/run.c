/* run.c: runs a case's steps on one simulated browser, answering each
 * request the browser sends from the step's captured responses (or a live
 * server), and compares every decision with the step's `expect`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <strings.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "run.h"

/* ---- the captured-answer responder ----------------------------------------- */

struct captured {
  const struct vector_step *step;
  char *step_url;      /* the step's request URL, serialized */
  char **entry_urls;   /* each entry's URL, serialized (NULL: step URL) */
};

static char *serialize_url(const char *url) {
  char buf[8192];
  if (corsim_url_serialize(url, buf, sizeof buf, NULL) != CORSIM_OK)
    return strdup(url);
  char *hash = strchr(buf, '#');
  if (hash != NULL) *hash = '\0';
  return strdup(buf);
}

static enum corsim_status answer_captured(void *ctx,
                                          const struct corsim_wire_request *w,
                                          struct corsim_response *answer,
                                          struct corsim_error *err) {
  struct captured *cap = ctx;
  const struct vector_step *s = cap->step;
  char *want = serialize_url(w->url);
  if (want == NULL) return CORSIM_NO_MEMORY;
  for (size_t i = 0; i < s->response_count; i++) {
    const struct vector_response *r = &s->responses[i];
    bool method_ok = r->method == NULL ? strcmp(w->method, "OPTIONS") != 0
                                       : strcasecmp(r->method, w->method) == 0;
    const char *url = cap->entry_urls[i] ? cap->entry_urls[i] : cap->step_url;
    if (method_ok && url != NULL && strcmp(url, want) == 0) {
      free(want);
      answer->status = r->status;
      answer->headers.items = r->headers;
      answer->headers.count = r->header_count;
      return CORSIM_OK;
    }
  }
  if (err != NULL) {
    err->status = CORSIM_NO_ANSWER;
    snprintf(err->message, sizeof err->message,
             "no captured response answers %s %s%s (add an entry to "
             "%s.responses)",
             w->is_preflight ? "the preflight OPTIONS" : w->method, want,
             w->hop ? " (after a redirect)" : "", s->path ? s->path : "step");
  }
  free(want);
  return CORSIM_NO_ANSWER;
}

/* ---- JSON texts for mismatches --------------------------------------------- */

static char *json_print(cJSON *v) {
  if (v == NULL) return NULL;
  char *s = cJSON_PrintUnformatted(v);
  cJSON_Delete(v);
  if (s == NULL) return NULL;
  char *copy = strdup(s);
  cJSON_free(s);
  return copy;
}

static char *json_str_or_null(const char *s) {
  return json_print(s ? cJSON_CreateString(s) : cJSON_CreateNull());
}

static char *json_int(int v) { return json_print(cJSON_CreateNumber(v)); }

static char *json_names(char *const *names, size_t n) {
  cJSON *a = cJSON_CreateArray();
  if (a == NULL) return NULL;
  for (size_t i = 0; i < n; i++)
    cJSON_AddItemToArray(a, cJSON_CreateString(names[i]));
  return json_print(a);
}

struct mismatches {
  struct result_mismatch *items;
  size_t count, cap;
  bool oom;
};

static void add_mismatch(struct mismatches *m, const char *field,
                         char *expected, char *observed) {
  if (expected == NULL || observed == NULL) {
    free(expected);
    free(observed);
    m->oom = true;
    return;
  }
  if (m->count == m->cap) {
    size_t cap = m->cap ? m->cap * 2 : 4;
    struct result_mismatch *n = realloc(m->items, cap * sizeof *n);
    if (n == NULL) {
      free(expected);
      free(observed);
      m->oom = true;
      return;
    }
    m->items = n;
    m->cap = cap;
  }
  m->items[m->count].field = field;
  m->items[m->count].expected = expected;
  m->items[m->count].observed = observed;
  m->count++;
}

/* The value of a wire header in a decision, same names combined as the
 * Fetch Standard's `get` does (malloc'd, NULL when absent). */
static char *owned_get(const struct corsim_owned_header *h, size_t n,
                       const char *name) {
  size_t len = 0;
  bool found = false;
  for (size_t i = 0; i < n; i++)
    if (strcasecmp(h[i].name, name) == 0) {
      len += strlen(h[i].value) + 2;
      found = true;
    }
  if (!found) return NULL;
  char *out = malloc(len + 1);
  if (out == NULL) return NULL;
  out[0] = '\0';
  bool first = true;
  for (size_t i = 0; i < n; i++)
    if (strcasecmp(h[i].name, name) == 0) {
      if (!first) strcat(out, ", ");
      strcat(out, h[i].value);
      first = false;
    }
  return out;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "prefix.Name", malloc'd; the case result frees every field name that
 * has a dot (the fixed names are string literals). */
static const char *header_field(const char *prefix, const char *name) {
  size_t n = strlen(prefix) + strlen(name) + 2;
  char *f = malloc(n);
  if (f == NULL) return NULL;
  snprintf(f, n, "%s.%s", prefix, name);
  return f;
}

static void compare_headers(struct mismatches *m, const char *prefix,
                            const struct vector_expect_header *want,
                            size_t want_n, bool sent,
                            const struct corsim_owned_header *got,
                            size_t got_n) {
  for (size_t i = 0; i < want_n; i++) {
    char *have = sent ? owned_get(got, got_n, want[i].name) : NULL;
    bool same = want[i].value == NULL
                    ? have == NULL
                    : have != NULL && strcmp(have, want[i].value) == 0;
    if (!same) {
      const char *field = header_field(prefix, want[i].name);
      if (field == NULL)
        m->oom = true;
      else
        add_mismatch(m, field, json_str_or_null(want[i].value),
                     json_str_or_null(have));
    }
    free(have);
  }
}

/* Compares the fields `expect` gives; returns the mismatches. */
static void compare(const struct vector_expect *e,
                    const struct corsim_decision *d, const char *console,
                    struct mismatches *m) {
  if ((e->fields & VECTOR_EXPECT_OUTCOME) && e->outcome != d->outcome)
    add_mismatch(m, "outcome",
                 json_str_or_null(corsim_outcome_name(e->outcome)),
                 json_str_or_null(corsim_outcome_name(d->outcome)));
  if ((e->fields & VECTOR_EXPECT_CORS_ERROR) && e->cors_error != d->cors_error)
    add_mismatch(m, "cors_error",
                 json_str_or_null(e->cors_error == CORSIM_CORS_ERROR_NONE
                                      ? NULL
                                      : corsim_cors_error_name(e->cors_error)),
                 json_str_or_null(d->cors_error == CORSIM_CORS_ERROR_NONE
                                      ? NULL
                                      : corsim_cors_error_name(d->cors_error)));
  if (e->fields & VECTOR_EXPECT_FAILED_PARAMETER) {
    bool same = e->failed_parameter == NULL
                    ? d->failed_parameter == NULL
                    : d->failed_parameter != NULL &&
                          strcmp(e->failed_parameter, d->failed_parameter) == 0;
    if (!same)
      add_mismatch(m, "failed_parameter", json_str_or_null(e->failed_parameter),
                   json_str_or_null(d->failed_parameter));
  }
  if ((e->fields & VECTOR_EXPECT_PREFLIGHT) && e->preflight != d->preflight)
    add_mismatch(m, "preflight",
                 json_str_or_null(corsim_preflight_name(e->preflight)),
                 json_str_or_null(corsim_preflight_name(d->preflight)));
  if (e->fields & VECTOR_EXPECT_PREFLIGHT_REQUEST_HEADERS)
    compare_headers(m, "preflight_request_headers",
                    e->preflight_request_headers,
                    e->preflight_request_header_count,
                    d->has_preflight_request, d->preflight_request_headers,
                    d->preflight_request_header_count);
  if (e->fields & VECTOR_EXPECT_REQUEST_HEADERS)
    compare_headers(m, "request_headers", e->request_headers,
                    e->request_header_count, d->has_request,
                    d->request_headers, d->request_header_count);
  if (e->fields & VECTOR_EXPECT_EXPOSED_HEADERS) {
    /* compared as sets of lower-case names */
    size_t n = e->exposed_header_count;
    char **want = calloc(n ? n : 1, sizeof *want);
    size_t k = 0;
    if (want == NULL) {
      m->oom = true;
    } else {
      for (size_t i = 0; i < n; i++) {
        want[i] = strdup(e->exposed_headers[i]);
        if (want[i] == NULL) {
          m->oom = true;
          continue;
        }
        for (char *c = want[i]; *c; c++)
          if (*c >= 'A' && *c <= 'Z') *c = (char)(*c + 32);
      }
      qsort(want, n, sizeof *want, cmp_str);
      for (size_t i = 0; i < n; i++)
        if (want[i] && (k == 0 || strcmp(want[k - 1], want[i]) != 0))
          want[k++] = want[i];
        else
          free(want[i]);
      bool same = k == d->exposed_header_count;
      for (size_t i = 0; same && i < k; i++)
        if (strcmp(want[i], d->exposed_headers[i]) != 0) same = false;
      if (!same)
        add_mismatch(m, "exposed_headers",
                     json_names(e->exposed_headers, e->exposed_header_count),
                     json_names(d->exposed_headers, d->exposed_header_count));
      for (size_t i = 0; i < k; i++) free(want[i]);
      free(want);
    }
  }
  if ((e->fields & VECTOR_EXPECT_STATUS) && e->status != d->status)
    add_mismatch(m, "status", json_int(e->status), json_int(d->status));
  if ((e->fields & VECTOR_EXPECT_BLOCKED_REASON) &&
      e->blocked_reason != d->blocked_reason)
    add_mismatch(
        m, "blocked_reason",
        json_str_or_null(e->blocked_reason == CORSIM_BLOCKED_NONE
                             ? NULL
                             : corsim_blocked_reason_name(e->blocked_reason)),
        json_str_or_null(d->blocked_reason == CORSIM_BLOCKED_NONE
                             ? NULL
                             : corsim_blocked_reason_name(d->blocked_reason)));
  if ((e->fields & VECTOR_EXPECT_CONSOLE) && e->console != NULL &&
      (console == NULL || strstr(console, e->console) == NULL))
    add_mismatch(m, "console", json_str_or_null(e->console),
                 json_str_or_null(console));
}

/* ---- running a case ----------------------------------------------------- */

void run_case_release(struct run_case *rc) {
  if (rc == NULL) return;
  for (size_t i = 0; i < rc->step_count; i++) {
    if (rc->has_decision && rc->has_decision[i])
      corsim_decision_release(&rc->decisions[i]);
    if (rc->mismatches && rc->mismatches[i]) {
      for (size_t k = 0; k < rc->steps[i].mismatch_count; k++) {
        free(rc->mismatches[i][k].expected);
        free(rc->mismatches[i][k].observed);
        if (strchr(rc->mismatches[i][k].field, '.') != NULL)
          free((void *)(uintptr_t)rc->mismatches[i][k].field);
      }
      free(rc->mismatches[i]);
    }
    if (rc->messages) free(rc->messages[i]);
    if (rc->consoles) free(rc->consoles[i]);
  }
  free(rc->steps);
  free(rc->decisions);
  free(rc->has_decision);
  free(rc->mismatches);
  free(rc->messages);
  free(rc->consoles);
  memset(rc, 0, sizeof *rc);
}

static enum result_status worst(enum result_status a, enum result_status b) {
  static const int rank[] = {[RESULT_PASS] = 0, [RESULT_SKIP] = 1,
                             [RESULT_FAIL] = 2, [RESULT_ERROR] = 3};
  return rank[b] > rank[a] ? b : a;
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int run_case(const struct vector_file *file, const struct vector_case *c,
             enum corsim_profile profile, const struct run_options *opts,
             struct run_case *out) {
  double started = now_seconds();
  memset(out, 0, sizeof *out);
  struct case_result *r = &out->result;
  r->file = file->path;
  r->suite = file->suite;
  r->case_id = c->id ? c->id : "";
  r->title = c->title ? c->title : "";
  r->browser = corsim_profile_name(profile);
  r->tags = (const char *const *)c->tags;
  r->tag_count = c->tag_count;
  r->spec = (const char *const *)c->spec;
  r->spec_count = c->spec_count;
  r->line = c->location.line;
  r->column = c->location.column;
  r->status = RESULT_PASS;
  if (c->error != NULL) {
    r->status = RESULT_ERROR;
    r->error = c->error;
    return 0;
  }
  size_t n = c->step_count;
  out->step_count = n;
  out->steps = calloc(n ? n : 1, sizeof *out->steps);
  out->decisions = calloc(n ? n : 1, sizeof *out->decisions);
  out->has_decision = calloc(n ? n : 1, sizeof *out->has_decision);
  out->mismatches = calloc(n ? n : 1, sizeof *out->mismatches);
  out->messages = calloc(n ? n : 1, sizeof *out->messages);
  out->consoles = calloc(n ? n : 1, sizeof *out->consoles);
  if (!out->steps || !out->decisions || !out->has_decision ||
      !out->mismatches || !out->messages || !out->consoles) {
    run_case_release(out);
    return -1;
  }
  r->steps = out->steps;
  r->step_count = n;

  struct corsim_options o;
  memset(&o, 0, sizeof o);
  o.profile = profile;
  o.allocator = opts ? opts->allocator : NULL;
  o.no_trace = opts ? opts->no_trace : false;
  struct corsim_browser *browser = NULL;
  struct corsim_error err;
  memset(&err, 0, sizeof err);
  if (corsim_browser_new(&o, &browser, &err) != CORSIM_OK) {
    run_case_release(out);
    return -1;
  }
  bool stop = false;
  for (size_t i = 0; i < n; i++) {
    const struct vector_step *s = &c->steps[i];
    struct step_result *sr = &out->steps[i];
    sr->index = i;
    sr->at = s->at;
    sr->request = &s->request;
    if (stop) {
      sr->status = RESULT_SKIP;
      sr->error = "an earlier step of this case could not run";
      r->status = worst(r->status, RESULT_SKIP);
      continue;
    }
    corsim_responder respond = answer_captured;
    void *ctx = NULL;
    struct captured cap;
    memset(&cap, 0, sizeof cap);
    bool use_live = s->live || (opts && opts->live && opts->live->all_steps);
    if (use_live) {
      if (opts == NULL || opts->live == NULL) {
        sr->status = RESULT_SKIP;
        sr->error = "no captured responses: the step needs a live server "
                    "(corsim run --live)";
        r->status = worst(r->status, RESULT_SKIP);
        stop = true;
        continue;
      }
      respond = opts->live->respond;
      ctx = opts->live->ctx;
      if (opts->live->set_step)
        opts->live->set_step(ctx, file->path, c->id ? c->id : "", i);
    } else {
      cap.step = s;
      cap.step_url = serialize_url(s->request.url ? s->request.url : "");
      cap.entry_urls = calloc(s->response_count ? s->response_count : 1,
                              sizeof *cap.entry_urls);
      if (cap.step_url == NULL || cap.entry_urls == NULL) {
        free(cap.step_url);
        free(cap.entry_urls);
        corsim_browser_free(browser);
        run_case_release(out);
        return -1;
      }
      for (size_t k = 0; k < s->response_count; k++)
        if (s->responses[k].url != NULL)
          cap.entry_urls[k] = serialize_url(s->responses[k].url);
      ctx = &cap;
    }
    memset(&err, 0, sizeof err);
    enum corsim_status st = corsim_browser_fetch(
        browser, s->at, &s->request, respond, ctx, &out->decisions[i], &err);
    if (!use_live) {
      for (size_t k = 0; k < s->response_count; k++) free(cap.entry_urls[k]);
      free(cap.entry_urls);
      free(cap.step_url);
    }
    if (st == CORSIM_NO_MEMORY) {
      corsim_browser_free(browser);
      run_case_release(out);
      return -1;
    }
    if (st == CORSIM_RESPONDER && use_live) out->live_failed = true;
    if (st != CORSIM_OK) {
      /* The inputs were unusable: a vector error, never a pass or fail. */
      size_t len = strlen(err.message) + strlen(s->path ? s->path : "") + 64;
      out->messages[i] = malloc(len);
      if (out->messages[i] != NULL)
        snprintf(out->messages[i], len, "%s at %s", err.message,
                 s->path ? s->path : "step");
      sr->status = RESULT_ERROR;
      sr->error = out->messages[i] ? out->messages[i] : err.message;
      r->status = worst(r->status, RESULT_ERROR);
      stop = true;
      continue;
    }
    out->has_decision[i] = true;
    sr->decision = &out->decisions[i];
    char buf[4096];
    size_t need = corsim_console_message(profile, &s->request,
                                         &out->decisions[i], buf, sizeof buf);
    if (need > 0) {
      out->consoles[i] = malloc(need + 1);
      if (out->consoles[i] != NULL)
        corsim_console_message(profile, &s->request, &out->decisions[i],
                               out->consoles[i], need + 1);
      sr->console = out->consoles[i];
    }
    struct mismatches m = {NULL, 0, 0, false};
    if (opts == NULL || !opts->no_compare)
      compare(&s->expect, &out->decisions[i], sr->console, &m);
    if (m.oom) {
      for (size_t k = 0; k < m.count; k++) {
        free(m.items[k].expected);
        free(m.items[k].observed);
        if (strchr(m.items[k].field, '.') != NULL)
          free((void *)(uintptr_t)m.items[k].field);
      }
      free(m.items);
      corsim_browser_free(browser);
      run_case_release(out);
      return -1;
    }
    out->mismatches[i] = m.items;
    sr->mismatches = m.items;
    sr->mismatch_count = m.count;
    sr->status = m.count ? RESULT_FAIL : RESULT_PASS;
    r->status = worst(r->status, sr->status);
  }
  corsim_browser_free(browser);
  out->result.seconds = now_seconds() - started;
  return 0;
}

int run_case_compare_live(struct run_case *captured,
                          const struct run_case *live) {
  for (size_t i = 0; i < captured->step_count && i < live->step_count; i++) {
    struct step_result *cs = &captured->steps[i];
    const struct step_result *ls = &live->steps[i];
    const struct corsim_decision *a = cs->decision, *b = ls->decision;
    if (a == NULL) continue;
    struct mismatches m = {captured->mismatches[i], cs->mismatch_count,
                           cs->mismatch_count, false};
    if (b == NULL) {
      add_mismatch(&m, "live", json_str_or_null("a decision"),
                   json_str_or_null(ls->error ? ls->error : "no decision"));
    } else {
      if (a->outcome != b->outcome)
        add_mismatch(&m, "live.outcome",
                     json_str_or_null(corsim_outcome_name(a->outcome)),
                     json_str_or_null(corsim_outcome_name(b->outcome)));
      if (a->cors_error != b->cors_error)
        add_mismatch(&m, "live.cors_error",
                     json_str_or_null(corsim_cors_error_name(a->cors_error)),
                     json_str_or_null(corsim_cors_error_name(b->cors_error)));
      if (a->preflight != b->preflight)
        add_mismatch(&m, "live.preflight",
                     json_str_or_null(corsim_preflight_name(a->preflight)),
                     json_str_or_null(corsim_preflight_name(b->preflight)));
      if (a->status != b->status)
        add_mismatch(&m, "live.status", json_int(a->status),
                     json_int(b->status));
    }
    if (m.oom) return -1;
    captured->mismatches[i] = m.items;
    cs->mismatches = m.items;
    cs->mismatch_count = m.count;
    if (m.count > 0 && cs->status == RESULT_PASS) {
      cs->status = RESULT_FAIL;
      if (captured->result.status == RESULT_PASS)
        captured->result.status = RESULT_FAIL;
    }
  }
  return 0;
}
