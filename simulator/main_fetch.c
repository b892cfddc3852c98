/* main_fetch.c: one fetch from the page's call to its result
 * (fetch#concept-main-fetch, fetch#concept-http-fetch and the parts of
 * fetch#concept-http-network-or-cache-fetch that CORS sees); the only file
 * that calls the responder. Also the browser object and the decision's
 * lifecycle. */
#include <string.h>

#include "sim.h"

static const char *const MF = "fetch#concept-main-fetch";
static const char *const HF = "fetch#concept-http-fetch";

/* ---- the browser ----------------------------------------------------------- */

enum corsim_status corsim_browser_new(const struct corsim_options *options,
                                      struct corsim_browser **out,
                                      struct corsim_error *err) {
  *out = NULL;
  const struct corsim_allocator *a =
      options && options->allocator ? options->allocator
                                    : sim_default_allocator();
  struct corsim_browser *b = sim_alloc(a, sizeof *b);
  if (b == NULL) return sim_fail(err, CORSIM_NO_MEMORY, "out of memory");
  memset(b, 0, sizeof *b);
  if (options) b->options = *options;
  b->allocator = a;
  b->profile = sim_profile_get(b->options.profile);
  if (b->options.max_redirects == 0) b->options.max_redirects = 20;
  if (b->options.max_headers == 0) b->options.max_headers = 256;
  if (b->options.max_header_bytes == 0) b->options.max_header_bytes = 256 * 1024;
  if (sim_cache_new(b) != CORSIM_OK) {
    sim_free(a, b);
    return sim_fail(err, CORSIM_NO_MEMORY, "out of memory");
  }
  *out = b;
  return CORSIM_OK;
}

void corsim_browser_free(struct corsim_browser *browser) {
  if (browser == NULL) return;
  sim_cache_free(browser);
  sim_free(browser->allocator, browser);
}

void corsim_decision_release(struct corsim_decision *d) {
  if (d == NULL || d->arena_ == NULL) return;
  struct sim_arena *arena = d->arena_;
  const struct corsim_allocator *a = arena->allocator;
  sim_arena_release(arena);
  sim_free(a, arena);
  memset(d, 0, sizeof *d);
}

/* ---- helpers the algorithms share ------------------------------------------ */

bool sim_fetch_oom(struct sim_fetch *f) { return f->arena->failed; }

void sim_block(struct sim_fetch *f, enum corsim_blocked_reason reason,
               enum corsim_cors_error cors_error, const char *param) {
  struct corsim_decision *d = f->out;
  if (f->blocked) return;
  f->blocked = true;
  d->outcome = CORSIM_OUTCOME_BLOCKED;
  d->blocked_reason = reason;
  d->cors_error = cors_error;
  /* CDP reports an empty failedParameter; the vector format says null */
  d->failed_parameter = param != NULL && param[0] != '\0'
                            ? sim_arena_strdup(f->arena, param)
                            : NULL;
  d->response_type = CORSIM_RESPONSE_ERROR;
  d->status = 0;
  d->exposed_headers = NULL;
  d->exposed_header_count = 0;
}

/* fetch#concept-request-tainted-origin: a server that was not the
 * request's origin redirected to yet another origin. */
bool sim_request_has_redirect_tainted_origin(struct sim_fetch *f) {
  for (size_t i = 1; i < f->url_list_count; i++) {
    struct sim_origin last, cur;
    sim_url_origin(f->arena, &f->url_list[i - 1], &f->browser->next_opaque_id,
                   &last);
    sim_url_origin(f->arena, &f->url_list[i], &f->browser->next_opaque_id,
                   &cur);
    if (!sim_same_origin(&cur, &last) && !sim_same_origin(&f->origin, &last))
      return true;
  }
  return false;
}

/* fetch#byte-serializing-a-request-origin */
const char *sim_byte_serialized_request_origin(struct sim_fetch *f) {
  if (sim_request_has_redirect_tainted_origin(f))
    return sim_arena_strdup(f->arena, "null");
  return f->origin_serialized;
}

static bool copy_headers(struct sim_arena *arena,
                         const struct corsim_header_list *l,
                         struct corsim_owned_header **out, size_t *count) {
  *count = 0;
  *out = NULL;
  if (l->count == 0) return true;
  struct corsim_owned_header *h = sim_arena_alloc(arena, l->count * sizeof *h);
  if (h == NULL) return false;
  for (size_t i = 0; i < l->count; i++) {
    h[i].name = sim_arena_strndup(arena, l->items[i].name,
                                  l->items[i].name_len);
    h[i].value = sim_arena_strndup(arena, l->items[i].value,
                                   l->items[i].value_len);
    if (h[i].name == NULL || h[i].value == NULL) return false;
  }
  *out = h;
  *count = l->count;
  return true;
}

static struct corsim_hop *add_hop(struct sim_fetch *f) {
  struct corsim_decision *d = f->out;
  if (d->hop_count == f->hop_cap) {
    size_t cap = f->hop_cap ? f->hop_cap * 2 : 4;
    struct corsim_hop *n = sim_arena_alloc(f->arena, cap * sizeof *n);
    if (n == NULL) return NULL;
    if (d->hop_count) memcpy(n, d->hops, d->hop_count * sizeof *n);
    d->hops = n;
    f->hop_cap = cap;
  }
  struct corsim_hop *h = &d->hops[d->hop_count++];
  memset(h, 0, sizeof *h);
  return h;
}

static struct corsim_hop *last_hop(struct sim_fetch *f) {
  return f->out->hop_count ? &f->out->hops[f->out->hop_count - 1] : NULL;
}

enum corsim_status sim_send(struct sim_fetch *f, const char *method,
                            const struct sim_header_list *headers,
                            bool is_preflight, bool include_credentials,
                            struct corsim_response *answer) {
  struct corsim_decision *d = f->out;
  /* fetch#append-a-request-origin-header is applied by the callers; the
   * wire request is the header list as it stands. */
  struct corsim_wire_request w;
  w.method = method;
  w.url = sim_url_serialize(f->arena, &f->url, true);
  w.headers = sim_header_list_view(headers);
  w.is_preflight = is_preflight;
  w.include_credentials = include_credentials;
  w.hop = f->redirect_count;
  if (w.url == NULL) return sim_fail(f->err, CORSIM_NO_MEMORY, "out of memory");
  bool ok;
  if (is_preflight) {
    d->has_preflight_request = true;
    ok = copy_headers(f->arena, &w.headers, &d->preflight_request_headers,
                      &d->preflight_request_header_count);
  } else {
    d->has_request = true;
    ok = copy_headers(f->arena, &w.headers, &d->request_headers,
                      &d->request_header_count);
    struct corsim_hop *h = add_hop(f);
    if (h != NULL) {
      h->method = sim_arena_strdup(f->arena, method);
      h->url = sim_arena_strdup(f->arena, w.url);
      const char *o = sim_header_list_get(f->arena, &w.headers, "Origin");
      h->origin_sent = o ? sim_arena_strdup(f->arena, o) : NULL;
    }
  }
  if (!ok || sim_fetch_oom(f))
    return sim_fail(f->err, CORSIM_NO_MEMORY, "out of memory");

  struct corsim_response got;
  memset(&got, 0, sizeof got);
  struct corsim_error rerr;
  memset(&rerr, 0, sizeof rerr);
  enum corsim_status st = f->respond(f->respond_ctx, &w, &got, &rerr);
  if (st != CORSIM_OK) {
    if (rerr.status == CORSIM_OK)
      return sim_fail(f->err, st, "%s %s: %s", method, w.url,
                      corsim_status_text(st));
    return sim_fail(f->err, st, "%s", rerr.message);
  }
  /* Caps on what a server may send (STYLE.md §8.6). */
  size_t bytes = 0;
  for (size_t i = 0; i < got.headers.count; i++)
    bytes += got.headers.items[i].name_len + got.headers.items[i].value_len;
  if (got.headers.count > f->browser->options.max_headers)
    return sim_fail(f->err, CORSIM_LIMIT,
                    "%s %s: the answer has %zu headers, more than the limit "
                    "of %zu", method, w.url, got.headers.count,
                    f->browser->options.max_headers);
  if (bytes > f->browser->options.max_header_bytes)
    return sim_fail(f->err, CORSIM_LIMIT,
                    "%s %s: the answer has %zu header bytes, more than the "
                    "limit of %zu", method, w.url, bytes,
                    f->browser->options.max_header_bytes);
  if (got.status < 100 || got.status > 999)
    return sim_fail(f->err, CORSIM_RESPONDER,
                    "%s %s: answer status %d is not a valid HTTP status",
                    method, w.url, got.status);
  /* Keep a copy: the responder's answer lives only until its next call. */
  struct sim_header_list copy;
  sim_header_list_init(&copy, f->arena);
  for (size_t i = 0; i < got.headers.count; i++) {
    const struct corsim_header *h = &got.headers.items[i];
    /* an HTTP parser drops the whitespace around a field value (RFC 9110
     * §5.5); captured JSON values get the same treatment */
    const char *v = h->value ? h->value : "";
    size_t vlen = h->value ? h->value_len : 0;
    while (vlen > 0 && sim_is_http_tab_or_space(v[0])) {
      v++;
      vlen--;
    }
    while (vlen > 0 && sim_is_http_tab_or_space(v[vlen - 1])) vlen--;
    if (!sim_header_list_append(&copy, h->name, h->name_len, v, vlen))
      return sim_fail(f->err, CORSIM_NO_MEMORY, "out of memory");
  }
  answer->status = got.status;
  answer->headers = sim_header_list_view(&copy);
  if (!is_preflight) {
    struct corsim_hop *h = last_hop(f);
    if (h != NULL) h->status = got.status;
  }
  sim_trace(f, CORSIM_TRACE_INFO, is_preflight ? "fetch#cors-preflight-fetch-0"
                                               : "fetch#concept-http-network-fetch",
            "", "%s %s answered %d with %zu header(s)", method, w.url,
            got.status, got.headers.count);
  return CORSIM_OK;
}

/* ---- address spaces for Local Network Access (Chromium) --------------------- */

enum address_space { SPACE_LOOPBACK, SPACE_LOCAL, SPACE_PUBLIC };

static const char *space_name(enum address_space s) {
  return s == SPACE_LOOPBACK ? "loopback" : s == SPACE_LOCAL ? "local"
                                                             : "public";
}

/* lna#ip-address-space, from the host as written: IP literals by range,
 * `localhost` names as loopback, other names as public. */
static enum address_space host_space(enum sim_host_kind kind, const char *host) {
  if (kind == SIM_HOST_IPV4) {
    unsigned a = 0, b = 0;
    const char *p = host;
    while (*p >= '0' && *p <= '9') a = a * 10 + (unsigned)(*p++ - '0');
    if (*p == '.') p++;
    while (*p >= '0' && *p <= '9') b = b * 10 + (unsigned)(*p++ - '0');
    if (a == 127 || (a == 0 && strcmp(host, "0.0.0.0") == 0))
      return SPACE_LOOPBACK;
    if (a == 10 || (a == 172 && b >= 16 && b <= 31) ||
        (a == 192 && b == 168) || (a == 169 && b == 254) ||
        (a == 100 && b >= 64 && b <= 127) || a == 0)
      return SPACE_LOCAL;
    return SPACE_PUBLIC;
  }
  if (kind == SIM_HOST_IPV6) {
    const char *h = host[0] == '[' ? host + 1 : host;
    if (strncmp(h, "::1]", 4) == 0 || strcmp(h, "::1") == 0)
      return SPACE_LOOPBACK;
    if ((h[0] == 'f' && (h[1] == 'c' || h[1] == 'd')) ||
        strncmp(h, "fe8", 3) == 0 || strncmp(h, "fe9", 3) == 0 ||
        strncmp(h, "fea", 3) == 0 || strncmp(h, "feb", 3) == 0)
      return SPACE_LOCAL;
    return SPACE_PUBLIC;
  }
  size_t n = strlen(host);
  if (strcmp(host, "localhost") == 0 ||
      (n > 10 && strcmp(host + n - 10, ".localhost") == 0))
    return SPACE_LOOPBACK;
  if (n > 6 && strcmp(host + n - 6, ".local") == 0) return SPACE_LOCAL;
  return SPACE_PUBLIC;
}

/* ---- main fetch ------------------------------------------------------------- */

static bool is_redirect_status(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 ||
         status == 308;
}

/* fetch#append-a-request-origin-header, then the cache-mode headers of
 * fetch#concept-http-network-or-cache-fetch. */
static bool actual_request_headers(struct sim_fetch *f,
                                   struct sim_header_list *h) {
  sim_header_list_init(h, f->arena);
  for (size_t i = 0; i < f->headers.count; i++)
    if (!sim_header_list_append(h, f->headers.items[i].name,
                                f->headers.items[i].name_len,
                                f->headers.items[i].value,
                                f->headers.items[i].value_len))
      return false;
  const char *serialized = sim_byte_serialized_request_origin(f);
  if (serialized == NULL) return false;
  bool get_or_head = strcmp(f->method, "GET") == 0 ||
                     strcmp(f->method, "HEAD") == 0;
  if (f->tainting == SIM_TAINT_CORS) {
    /* 2. a CORS request always carries Origin */
    if (!sim_header_list_append_z(h, "Origin", serialized)) return false;
  } else if (!get_or_head) {
    /* 3. any other request whose method is not GET or HEAD; outside cors
     * mode the default referrer policy (strict-origin-when-cross-origin)
     * turns an https origin into `null` for a non-https URL. */
    if (f->mode != CORSIM_MODE_CORS && !f->origin.is_opaque &&
        strcmp(f->origin.scheme, "https") == 0 &&
        strcmp(f->url.scheme, "https") != 0)
      serialized = "null";
    if (!sim_header_list_append_z(h, "Origin", serialized)) return false;
  }
  struct corsim_header_list v = sim_header_list_view(h);
  if ((f->cache_mode == CORSIM_CACHE_NO_STORE ||
       f->cache_mode == CORSIM_CACHE_RELOAD)) {
    if (!sim_header_list_contains(&v, "Pragma") &&
        !sim_header_list_append_z(h, "Pragma", "no-cache"))
      return false;
    v = sim_header_list_view(h);
    if (!sim_header_list_contains(&v, "Cache-Control") &&
        !sim_header_list_append_z(h, "Cache-Control", "no-cache"))
      return false;
  } else if (f->cache_mode == CORSIM_CACHE_NO_CACHE &&
             !sim_header_list_contains(&v, "Cache-Control")) {
    if (!sim_header_list_append_z(h, "Cache-Control", "max-age=0"))
      return false;
  }
  return true;
}

/* The registrable domain, approximated as the last two labels (no public
 * suffix list here); an IP address is its own site. */
static const char *site_of(const struct sim_origin *o) {
  if (o->host_kind != SIM_HOST_DOMAIN) return o->host;
  const char *last = strrchr(o->host, '.');
  if (last == NULL) return o->host;
  const char *p = last;
  while (p > o->host && p[-1] != '.') p--;
  return p;
}

/* fetch#cross-origin-resource-policy-check for an opaque response:
 * false when the response's Cross-Origin-Resource-Policy forbids it. */
static bool corp_allows(struct sim_fetch *f, const struct corsim_response *resp) {
  char *policy = sim_header_list_get(f->arena, &resp->headers,
                                     "Cross-Origin-Resource-Policy");
  if (policy == NULL) return true;
  struct sim_origin url_origin;
  sim_url_origin(f->arena, &f->url, &f->browser->next_opaque_id, &url_origin);
  static const char *const A = "fetch#cross-origin-resource-policy-check";
  if (strcmp(policy, "same-origin") == 0) {
    if (sim_same_origin(&f->origin, &url_origin)) return true;
    sim_trace(f, CORSIM_TRACE_FAIL, A, "",
              "Cross-Origin-Resource-Policy 'same-origin' and the page is on "
              "another origin: a network error");
    return false;
  }
  if (strcmp(policy, "same-site") == 0) {
    bool same_site = !f->origin.is_opaque && !url_origin.is_opaque &&
                     strcmp(site_of(&f->origin), site_of(&url_origin)) == 0;
    bool scheme_ok = !f->origin.is_opaque &&
                     (strcmp(f->origin.scheme, "https") == 0 ||
                      strcmp(f->url.scheme, "https") != 0);
    if (same_site && scheme_ok) return true;
    sim_trace(f, CORSIM_TRACE_FAIL, A, "",
              "Cross-Origin-Resource-Policy 'same-site' and the page is on "
              "another site: a network error");
    return false;
  }
  sim_trace(f, CORSIM_TRACE_INFO, A, "",
            "Cross-Origin-Resource-Policy '%s' does not restrict this response",
            policy);
  return true;
}

/* Fills the decision from the final response. */
static enum corsim_status finish(struct sim_fetch *f,
                                 const struct corsim_response *resp) {
  struct corsim_decision *d = f->out;
  if (f->tainting == SIM_TAINT_OPAQUE && !corp_allows(f, resp)) {
    sim_block(f, CORSIM_BLOCKED_NETWORK, CORSIM_CORS_ERROR_NONE, NULL);
    return CORSIM_OK;
  }
  if (f->tainting == SIM_TAINT_OPAQUE) {
    d->outcome = CORSIM_OUTCOME_OPAQUE;
    d->response_type = CORSIM_RESPONSE_OPAQUE;
    d->status = 0;
    sim_trace(f, CORSIM_TRACE_INFO, "fetch#concept-filtered-response-opaque",
              "", "an opaque response: script sees status 0, no headers and "
                  "no body (the server answered %d)", resp->status);
    return CORSIM_OK;
  }
  d->outcome = CORSIM_OUTCOME_ALLOWED;
  d->response_type = f->tainting == SIM_TAINT_BASIC ? CORSIM_RESPONSE_BASIC
                                                    : CORSIM_RESPONSE_CORS;
  d->status = resp->status;
  if (!sim_exposed_header_names(f, resp))
    return sim_fail(f->err, CORSIM_NO_MEMORY, "out of memory");
  sim_trace(f, CORSIM_TRACE_PASS, MF, "",
            "script can read the %s response: status %d, %zu header name(s)",
            f->tainting == SIM_TAINT_BASIC ? "basic" : "CORS", resp->status,
            d->exposed_header_count);
  return CORSIM_OK;
}

/* fetch#scheme-fetch for the schemes that need no server. */
static enum corsim_status scheme_fetch_local(struct sim_fetch *f) {
  struct sim_header_list h;
  sim_header_list_init(&h, f->arena);
  struct corsim_response resp;
  if (strcmp(f->url.scheme, "data") == 0) {
    const char *comma = strchr(f->url.path, ',');
    size_t n = comma ? (size_t)(comma - f->url.path) : 0;
    const char *type = n ? f->url.path : "text/plain;charset=US-ASCII";
    if (n == 0) n = strlen(type);
    sim_header_list_append(&h, "Content-Type", 12, type, n);
    sim_trace(f, CORSIM_TRACE_INFO, "fetch#data-url-processor", "",
              "a data: URL is answered by the browser itself: a basic 200 "
              "response, never a CORS request");
  } else if (strcmp(f->url.scheme, "about") == 0 &&
             strcmp(f->url.path, "blank") == 0) {
    sim_header_list_append_z(&h, "Content-Type", "text/html;charset=utf-8");
  } else {
    sim_trace(f, CORSIM_TRACE_FAIL, "fetch#scheme-fetch", "",
              "the browser cannot fetch '%s' URLs here: a network error",
              f->url.scheme);
    sim_block(f, CORSIM_BLOCKED_NETWORK, CORSIM_CORS_ERROR_NONE, NULL);
    return CORSIM_OK;
  }
  if (sim_fetch_oom(f)) return sim_fail(f->err, CORSIM_NO_MEMORY, "out of memory");
  resp.status = 200;
  resp.headers = sim_header_list_view(&h);
  return finish(f, &resp);
}

/* fetch#concept-http-fetch; sets *again when a redirect is to be followed. */
static enum corsim_status http_fetch(struct sim_fetch *f, bool make_preflight,
                                     bool *again) {
  struct corsim_decision *d = f->out;
  enum corsim_status st;
  *again = false;
  /* 4.1. the CORS-preflight fetch, when one is due and not cached */
  if (make_preflight) {
    struct sim_string_list unsafe = {NULL, 0, 0};
    struct corsim_header_list hv = sim_header_list_view(&f->headers);
    if (!sim_cors_unsafe_request_header_names(f->profile, f->arena, &hv,
                                              &unsafe))
      return sim_fail(f->err, CORSIM_NO_MEMORY, "out of memory");
    bool method_needs = !sim_is_cors_safelisted_method(f->profile, f->method) ||
                        f->use_cors_preflight ||
                        (f->profile->cache_hit_needs_head_listed &&
                         strcmp(f->method, "HEAD") == 0);
    bool use_cache = f->may_use_preflight_cache;
    bool method_missing =
        method_needs && !(use_cache && sim_cache_match_method(f, f->method));
    const char *header_missing = NULL;
    for (size_t i = 0; i < unsafe.count && header_missing == NULL; i++)
      if (!(use_cache && sim_cache_match_header(f, unsafe.items[i])))
        header_missing = unsafe.items[i];
    if (method_missing || header_missing != NULL) {
      if (!use_cache)
        sim_trace(f, CORSIM_TRACE_INFO, HF, "4.1",
                  "cache mode '%s': this engine does not read the preflight "
                  "cache", corsim_cache_mode_name(f->cache_mode));
      else if (method_missing)
        sim_trace(f, CORSIM_TRACE_INFO, HF, "4.1",
                  "a preflight is needed: no method cache entry matches '%s'",
                  f->method);
      else
        sim_trace(f, CORSIM_TRACE_INFO, HF, "4.1",
                  "a preflight is needed: no header-name cache entry matches "
                  "'%s'", header_missing);
      /* Chromium and WebKit erase an entry that could not serve
       * (browsers.md §1 "hit that is insufficient"). */
      if (use_cache && f->profile->erase_on_insufficient_hit)
        sim_cache_erase_for_request(f);
      st = sim_cors_preflight_fetch(f, &unsafe);
      if (st != CORSIM_OK || f->blocked) return st;
    } else if (method_needs || unsafe.count > 0) {
      if (d->preflight != CORSIM_PREFLIGHT_SENT)
        d->preflight = CORSIM_PREFLIGHT_CACHED;
      sim_trace(f, CORSIM_TRACE_PASS, "fetch#concept-cache-match", "",
                "the CORS-preflight cache already allows method '%s'%s: no "
                "preflight is sent", f->method,
                unsafe.count ? " and every unsafe header" : "");
    }
  }

  /* 4.3. the request itself (HTTP-network-or-cache fetch) */
  struct sim_header_list wire;
  if (!actual_request_headers(f, &wire))
    return sim_fail(f->err, CORSIM_NO_MEMORY, "out of memory");
  bool include_credentials =
      f->credentials == CORSIM_CREDENTIALS_INCLUDE ||
      (f->credentials == CORSIM_CREDENTIALS_SAME_ORIGIN &&
       f->tainting == SIM_TAINT_BASIC);
  struct corsim_response resp;
  st = sim_send(f, f->method, &wire, false, include_credentials, &resp);
  if (st != CORSIM_OK) return st;
  /* fetch#concept-http-network-or-cache-fetch: 407 is the proxy's, before
   * any CORS check: without a prompt, a network error */
  if (resp.status == 407) {
    sim_trace(f, CORSIM_TRACE_FAIL, "fetch#concept-http-network-or-cache-fetch",
              "", "407 Proxy Authentication Required: a network error, not a "
                  "CORS error");
    sim_block(f, CORSIM_BLOCKED_NETWORK, CORSIM_CORS_ERROR_NONE, NULL);
    return CORSIM_OK;
  }

  bool has_location = sim_header_list_contains(&resp.headers, "Location");
  /* Chromium stops at its redirect limit before the CORS check */
  if (f->profile->redirect_limit_before_cors_check &&
      is_redirect_status(resp.status) && has_location &&
      f->redirect == CORSIM_REDIRECT_FOLLOW &&
      f->redirect_count >= f->browser->options.max_redirects) {
    sim_trace(f, CORSIM_TRACE_FAIL, "fetch#concept-http-redirect-fetch", "6",
              "%zu redirects already followed: the limit is %zu, a network "
              "error (this engine stops before the CORS check)",
              f->redirect_count, f->browser->options.max_redirects);
    sim_block(f, CORSIM_BLOCKED_REDIRECT, CORSIM_CORS_ERROR_NONE, NULL);
    return CORSIM_OK;
  }
  /* 4.5. a CORS request's every response passes the CORS check, redirects
   * included */
  if (f->tainting == SIM_TAINT_CORS) {
    enum corsim_cors_error cerr = CORSIM_CORS_ERROR_NONE;
    char *param = NULL;
    struct corsim_hop *hop = last_hop(f);
    bool ok = sim_cors_check(f, &resp, false, &cerr, &param);
    if (hop != NULL) {
      hop->cors_checked = true;
      hop->cors_ok = ok;
    }
    if (!ok) {
      if (sim_fetch_oom(f))
        return sim_fail(f->err, CORSIM_NO_MEMORY, "out of memory");
      if (resp.status == 401 || resp.status == 403 || resp.status >= 500)
        sim_trace(f, CORSIM_TRACE_NOTE, "fetch#concept-cors-check", "",
                  "the server answered %d without the CORS headers: the page "
                  "sees a CORS error, not the %d; the fix is to send the CORS "
                  "headers on error responses too", resp.status, resp.status);
      sim_block(f, CORSIM_BLOCKED_CORS, cerr, param);
      return CORSIM_OK;
    }
  }

  /* 4.7-4.8. a redirect status: the redirect mode decides */
  if (is_redirect_status(resp.status)) {
    if (f->redirect == CORSIM_REDIRECT_ERROR &&
        !(f->profile->redirect_error_needs_location && !has_location)) {
      sim_trace(f, CORSIM_TRACE_FAIL, HF, "4.8",
                "the server answered %d and the redirect mode is 'error': a "
                "network error", resp.status);
      sim_block(f, CORSIM_BLOCKED_REDIRECT, CORSIM_CORS_ERROR_NONE, NULL);
      return CORSIM_OK;
    }
    if (f->redirect == CORSIM_REDIRECT_ERROR) return finish(f, &resp);
    if (f->redirect == CORSIM_REDIRECT_MANUAL) {
      d->outcome = CORSIM_OUTCOME_OPAQUE;
      d->response_type = CORSIM_RESPONSE_OPAQUEREDIRECT;
      d->status = 0;
      sim_trace(f, CORSIM_TRACE_INFO,
                "fetch#concept-filtered-response-opaque-redirect", "",
                "the redirect mode is 'manual': script gets an "
                "opaque-redirect response (type 'opaqueredirect', status 0), "
                "not the %d", resp.status);
      return CORSIM_OK;
    }
    bool follow = sim_http_redirect_fetch(f, &resp, &st);
    if (st != CORSIM_OK || f->blocked) return st;
    if (follow) {
      *again = true;
      return CORSIM_OK;
    }
  }
  return finish(f, &resp);
}

/* fetch#concept-main-fetch, run again after every followed redirect. */
static enum corsim_status main_fetch(struct sim_fetch *f) {
  for (;;) {
    struct sim_origin url_origin;
    sim_url_origin(f->arena, &f->url, &f->browser->next_opaque_id,
                   &url_origin);
    bool http = sim_url_is_http_scheme(&f->url);
    /* 7. bad port */
    if (http && sim_is_bad_port(f->url.port >= 0 ? f->url.port
                                                 : sim_default_port(f->url.scheme))) {
      sim_trace(f, CORSIM_TRACE_FAIL, "fetch#bad-port", "",
                "port %d is a bad port: the browser refuses to connect",
                f->url.port);
      sim_block(f, CORSIM_BLOCKED_BAD_PORT, CORSIM_CORS_ERROR_NONE, NULL);
      return CORSIM_OK;
    }
    /* Local Network Access (Chromium): a public page may not reach a more
     * private address space without a permission (browsers.md §2.3); it
     * comes before mixed content, which exempts local targets (measured:
     * vectors/browsers/lna.json). */
    if (f->profile->local_network_access && http && !f->origin.is_opaque) {
      enum address_space client = host_space(f->origin.host_kind,
                                             f->origin.host);
      enum address_space target = host_space(f->url.host_kind, f->url.host);
      /* Chromium 156 refuses a public page only: a local page reaching
       * loopback gets a deprecation warning (measured: vectors/browsers/
       * lna.json) */
      if (target < client && client == SPACE_PUBLIC) {
        bool secure = sim_origin_is_potentially_trustworthy(&f->origin);
        sim_trace(f, CORSIM_TRACE_FAIL, "lna#fetching", "",
                  "a %s page fetching a %s address: %s", space_name(client),
                  space_name(target),
                  secure ? "the local-network-access permission is not "
                           "granted (headless Chromium denies it)"
                         : "the page is not a secure context");
        f->out->address_space = space_name(target);
        sim_block(f, CORSIM_BLOCKED_CORS,
                  secure ? CORSIM_CORS_ERROR_LOCAL_NETWORK_ACCESS_PERMISSION_DENIED
                         : CORSIM_CORS_ERROR_INSECURE_LOCAL_NETWORK,
                  NULL);
        return CORSIM_OK;
      }
    }
    bool same_origin_url = sim_same_origin(&f->origin, &url_origin);
    /* Chromium refuses mode same-origin in the renderer, before anything
     * else; after a redirect with a plain network error */
    if (f->profile->mode_check_in_renderer &&
        f->mode == CORSIM_MODE_SAME_ORIGIN && !same_origin_url &&
        strcmp(f->url.scheme, "data") != 0) {
      if (f->redirect_count == 0) {
        sim_trace(f, CORSIM_TRACE_FAIL, MF, "11",
                  "mode is 'same-origin' and '%s' is not same origin with "
                  "'%s' (refused before anything is sent)",
                  f->url_serialized, f->origin_serialized);
        sim_block(f, CORSIM_BLOCKED_CORS,
                  CORSIM_CORS_ERROR_DISALLOWED_BY_MODE, NULL);
      } else {
        sim_trace(f, CORSIM_TRACE_FAIL, MF, "11",
                  "mode is 'same-origin' and the redirect leaves the origin: "
                  "a network error (this engine reports no CORS error)");
        sim_block(f, CORSIM_BLOCKED_REDIRECT, CORSIM_CORS_ERROR_NONE, NULL);
      }
      return CORSIM_OK;
    }
    /* 7. mixed content: a secure page may not fetch http: (but loopback
     * and localhost are potentially trustworthy) */
    if (!f->origin.is_opaque && strcmp(f->origin.scheme, "https") == 0 &&
        strcmp(f->url.scheme, "http") == 0 &&
        (!sim_origin_is_potentially_trustworthy(&url_origin) ||
         (f->profile->localhost_mixed_content &&
          url_origin.host_kind == SIM_HOST_DOMAIN))) {
      sim_trace(f, CORSIM_TRACE_FAIL, "mixed-content#should-block-fetch", "",
                "the page is https and the URL is http: blocked as mixed "
                "content before any request (browsers report 'mixed-content', "
                "not a CORS error)");
      sim_block(f, CORSIM_BLOCKED_MIXED_CONTENT, CORSIM_CORS_ERROR_NONE, NULL);
      return CORSIM_OK;
    }
    bool same = sim_same_origin(&f->origin, &url_origin);
    bool again = false;
    enum corsim_status st;
    if ((same && f->tainting == SIM_TAINT_BASIC) ||
        strcmp(f->url.scheme, "data") == 0) {
      /* 11. basic: same origin (and data:) */
      sim_trace(f, CORSIM_TRACE_INFO, MF, "11",
                "%s: a basic fetch, no CORS protocol",
                same ? "the URL is same origin with the request's origin"
                     : "a data: URL");
      f->tainting = SIM_TAINT_BASIC;
      if (!http) return scheme_fetch_local(f);
      st = http_fetch(f, false, &again);
    } else if (f->mode == CORSIM_MODE_SAME_ORIGIN) {
      /* 11. mode same-origin: a network error */
      sim_trace(f, CORSIM_TRACE_FAIL, MF, "11",
                "mode is 'same-origin' and '%s' is not same origin with '%s'",
                f->url_serialized, f->origin_serialized);
      sim_block(f, CORSIM_BLOCKED_CORS, CORSIM_CORS_ERROR_DISALLOWED_BY_MODE,
                NULL);
      return CORSIM_OK;
    } else if (f->mode == CORSIM_MODE_NO_CORS) {
      /* 11. no-cors: only with redirect mode follow; an opaque response */
      if (f->redirect != CORSIM_REDIRECT_FOLLOW) {
        sim_trace(f, CORSIM_TRACE_FAIL, MF, "11",
                  "mode is 'no-cors' and the redirect mode is '%s', not "
                  "'follow': a network error",
                  corsim_redirect_name(f->redirect));
        sim_block(f, CORSIM_BLOCKED_CORS,
                  CORSIM_CORS_ERROR_NO_CORS_REDIRECT_MODE_NOT_FOLLOW, NULL);
        return CORSIM_OK;
      }
      f->tainting = SIM_TAINT_OPAQUE;
      sim_trace(f, CORSIM_TRACE_INFO, MF, "11",
                "mode is 'no-cors': the request goes out without CORS and the "
                "response will be opaque");
      if (!http) return scheme_fetch_local(f);
      st = http_fetch(f, false, &again);
    } else if (!http) {
      /* 11. a CORS request to a non-HTTP(S) URL */
      sim_trace(f, CORSIM_TRACE_FAIL, MF, "11",
                "'%s' is not an HTTP(S) URL: CORS requests need http or https",
                f->url_serialized);
      /* Chromium's renderer names the scheme as the failed parameter */
      sim_block(f, CORSIM_BLOCKED_CORS, CORSIM_CORS_ERROR_CORS_DISABLED_SCHEME,
                f->redirect_count == 0 ? f->url.scheme : NULL);
      return CORSIM_OK;
    } else {
      /* 11. a CORS request, with or without a preflight */
      struct sim_string_list unsafe = {NULL, 0, 0};
      struct corsim_header_list hv = sim_header_list_view(&f->headers);
      if (!sim_cors_unsafe_request_header_names(f->profile, f->arena, &hv,
                                                &unsafe))
        return sim_fail(f->err, CORSIM_NO_MEMORY, "out of memory");
      bool safe_method = sim_is_cors_safelisted_method(f->profile, f->method);
      bool make_preflight = f->use_cors_preflight || !safe_method ||
                            unsafe.count > 0;
      f->tainting = SIM_TAINT_CORS;
      struct sim_buf why;
      sim_buf_init(&why, f->arena);
      if (f->use_cors_preflight) sim_buf_append_str(&why, "the use-CORS-preflight flag is set");
      if (!safe_method) {
        if (why.len) sim_buf_append_str(&why, "; ");
        sim_buf_append_str(&why, "the method is not CORS-safelisted");
      }
      if (unsafe.count > 0) {
        if (why.len) sim_buf_append_str(&why, "; ");
        sim_buf_append_str(&why, "CORS-unsafe request headers: ");
        for (size_t i = 0; i < unsafe.count; i++) {
          if (i) sim_buf_append_char(&why, ',');
          sim_buf_append_str(&why, unsafe.items[i]);
        }
      }
      sim_trace(f, CORSIM_TRACE_INFO, MF, "11",
                make_preflight
                    ? "a cross-origin request that needs a CORS preflight "
                      "(%s)"
                    : "a cross-origin request: CORS without a preflight (a "
                      "safelisted method and only safelisted headers)%s",
                make_preflight ? sim_buf_cstr(&why) : "");
      st = http_fetch(f, make_preflight, &again);
      /* fetch#concept-cache-clear when a CORS-with-preflight fetch fails */
      bool clear = f->profile->clear_on_failure == SIM_CLEAR_ANY_FAILURE;
      if (st == CORSIM_OK && f->blocked && make_preflight && clear) {
        sim_cache_clear(f);
        sim_trace(f, CORSIM_TRACE_INFO, "fetch#concept-cache-clear", "",
                  "the fetch failed: the preflight cache entries for this "
                  "origin and URL are cleared");
      }
    }
    if (st != CORSIM_OK || f->blocked || !again) return st;
  }
}

enum corsim_status corsim_browser_fetch(struct corsim_browser *browser,
                                        double at,
                                        const struct corsim_request *request,
                                        corsim_responder respond, void *ctx,
                                        struct corsim_decision *out,
                                        struct corsim_error *err) {
  memset(out, 0, sizeof *out);
  if (err != NULL) {
    err->status = CORSIM_OK;
    err->message[0] = '\0';
  }
  if (browser == NULL || request == NULL || respond == NULL)
    return sim_fail(err, CORSIM_BAD_REQUEST, "missing browser, request or "
                                             "responder");
  if (at < browser->now)
    return sim_fail(err, CORSIM_BAD_TIME,
                    "virtual time went back from %g to %g", browser->now, at);
  browser->now = at;
  struct sim_arena *arena = sim_alloc(browser->allocator, sizeof *arena);
  if (arena == NULL) return sim_fail(err, CORSIM_NO_MEMORY, "out of memory");
  sim_arena_init(arena, browser->allocator);
  out->arena_ = arena;

  struct sim_fetch f;
  memset(&f, 0, sizeof f);
  f.browser = browser;
  f.profile = browser->profile;
  f.arena = arena;
  f.out = out;
  f.respond = respond;
  f.respond_ctx = ctx;
  f.err = err;
  f.at = at;
  f.mode = request->mode;
  f.credentials = request->credentials;
  f.redirect = request->redirect;
  f.cache_mode = request->cache;
  f.use_cors_preflight = request->use_cors_preflight;
  f.tainting = SIM_TAINT_BASIC;
  unsigned bypass = f.profile->cache_mode_bypass & (1u << request->cache);
  f.may_use_preflight_cache = bypass == 0;
  f.may_store_preflight = !(bypass && request->cache == CORSIM_CACHE_NO_STORE);
  f.url_list_count = 0;
  sim_header_list_init(&f.headers, arena);

  enum corsim_status st = CORSIM_OK;
  const char *why = NULL;
  if (!sim_origin_parse(arena, request->origin, &browser->next_opaque_id,
                        &f.origin, &why)) {
    st = arena->failed
             ? sim_fail(err, CORSIM_NO_MEMORY, "out of memory")
             : sim_fail(err, CORSIM_BAD_REQUEST,
                        "the page origin '%s' is not a serialized origin (%s)",
                        request->origin, why);
    goto done;
  }
  f.origin_serialized = sim_origin_serialize(arena, &f.origin);
  if (f.origin_serialized == NULL) {
    st = sim_fail(err, CORSIM_NO_MEMORY, "out of memory");
    goto done;
  }
  sim_trace(&f, CORSIM_TRACE_INFO, "html#concept-origin", "",
            "the page's origin is %s%s", f.origin_serialized,
            f.origin.is_opaque ? " (an opaque origin: sandboxed, data: or "
                                 "file: documents)"
                               : "");
  st = sim_construct_request(&f, request);
  if (st != CORSIM_OK) {
    st = sim_fail(err, st, "%s", corsim_status_text(st));
    goto done;
  }
  if (!f.blocked) {
    f.url_list = sim_arena_alloc(arena, 4 * sizeof *f.url_list);
    if (f.url_list == NULL) {
      st = sim_fail(err, CORSIM_NO_MEMORY, "out of memory");
      goto done;
    }
    f.url_list_cap = 4;
    f.url_list[f.url_list_count++] = f.url;
    if (f.origin.is_opaque && request->origin != NULL &&
        strcmp(request->origin, "null") != 0)
      sim_trace(&f, CORSIM_TRACE_INFO, "url#concept-url-origin", "",
                "'%s' has an opaque origin; the browser sends 'Origin: null'",
                request->origin);
    st = main_fetch(&f);
  }
  if (st == CORSIM_OK) {
    out->origin = f.origin_serialized;
    out->url = f.url_serialized ? f.url_serialized
                                : sim_arena_strdup(arena, request->url ? request->url : "");
    out->initial_url = f.url_list_count > 0
                           ? sim_url_serialize(arena, &f.url_list[0], false)
                           : out->url;
  }
  if (st == CORSIM_OK && sim_fetch_oom(&f))
    st = sim_fail(err, CORSIM_NO_MEMORY, "out of memory");
done:
  if (st != CORSIM_OK) {
    corsim_decision_release(out);
    return st;
  }
  return CORSIM_OK;
}
