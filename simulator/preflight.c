/* preflight.c: the CORS-preflight fetch (fetch#cors-preflight-fetch-0):
 * what the preflight sends, how its answer is checked in the standard's
 * order (or the engine's, where the profile says so), how long its result
 * is cached (Access-Control-Max-Age). */
#include <stdint.h>
#include <string.h>

#include "sim.h"

static const char *const PF = "fetch#cors-preflight-fetch-0";

static bool list_contains(const struct sim_string_list *l, const char *s) {
  for (size_t i = 0; i < l->count; i++)
    if (strcmp(l->items[i], s) == 0) return true;
  return false;
}

static bool list_contains_nocase(const struct sim_string_list *l,
                                 const char *s) {
  for (size_t i = 0; i < l->count; i++)
    if (sim_ascii_eq_nocase_z(s, strlen(s), l->items[i])) return true;
  return false;
}

static bool is_redirect_status(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 ||
         status == 308;
}

/* Parses a signed decimal the way base::StringToInt64 / WebKit's
 * parseInteger do: optional sign, digits only, no overflow. */
static bool parse_int64(const char *s, int64_t *out) {
  bool neg = false;
  if (*s == '+' || *s == '-') {
    neg = *s == '-';
    s++;
  }
  if (*s == '\0') return false;
  uint64_t v = 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return false;
    if (v > (UINT64_MAX - 9) / 10) return false;
    v = v * 10 + (uint64_t)(*s - '0');
    if (v > (uint64_t)INT64_MAX) return false;
  }
  *out = neg ? -(int64_t)v : (int64_t)v;
  return true;
}

double sim_preflight_max_age(const struct sim_profile *p,
                             struct sim_arena *arena,
                             const struct corsim_header_list *headers,
                             bool *cacheable, const char **how) {
  static const char *const H = "Access-Control-Max-Age";
  *cacheable = true;
  size_t lines = sim_header_list_count_name(headers, H);
  char *value = sim_header_list_get(arena, headers, H);
  double age;
  if (value == NULL) {
    *how = "absent: the default";
    age = p->max_age_default;
  } else if (p->max_age_parser == SIM_MAX_AGE_DELTA_SECONDS) {
    /* extract header list values: delta-seconds = 1*DIGIT, one header */
    bool digits = value[0] != '\0';
    double v = 0;
    for (const char *c = value; *c; c++) {
      if (*c < '0' || *c > '9') digits = false;
      else if (v < 2147483648.0) v = v * 10 + (*c - '0');
    }
    if (lines > 1 || !digits) {
      *how = lines > 1 ? "more than one header: failure, so the default"
                       : "not delta-seconds: failure, so the default";
      age = p->max_age_default;
    } else {
      /* RFC 9111 §1.2.2: a value past 2^31 counts as 2^31 */
      *how = "delta-seconds";
      age = v > 2147483648.0 ? 2147483648.0 : v;
    }
  } else if (p->max_age_parser == SIM_MAX_AGE_INT64) {
    int64_t v;
    if (!parse_int64(value, &v)) {
      *how = "not an integer: the default";
      age = p->max_age_default;
    } else if (v < 0) {
      *how = "negative";
      age = p->zero_max_age_not_cached ? 0 : (double)v;
    } else {
      *how = "integer";
      age = (double)v;
    }
  } else {
    /* Firefox: digits only, anything else and the result is not cached */
    bool digits = value[0] != '\0';
    double v = 0;
    for (const char *c = value; *c; c++) {
      if (*c < '0' || *c > '9') digits = false;
      else if (v < 1e12) v = v * 10 + (*c - '0');
    }
    if (!digits) {
      *how = "not digits only: the result is not cached";
      *cacheable = false;
      age = 0;
    } else {
      *how = "digits";
      age = v;
    }
  }
  if (p->max_age_cap > 0 && age > p->max_age_cap) {
    *how = "capped by the engine";
    age = p->max_age_cap;
  }
  if (age <= 0 && p->zero_max_age_not_cached) *cacheable = false;
  return age;
}

/* Records a preflight refusal with its CDP name. */
static void refuse(struct sim_fetch *f, enum corsim_cors_error e,
                   const char *param) {
  f->out->failed_on_preflight = true;
  sim_block(f, CORSIM_BLOCKED_CORS, e, param);
}

/* Step 7.5: the request's method against the allowed methods; false
 * after recording the refusal. */
static bool method_allowed(struct sim_fetch *f,
                           const struct corsim_response *resp,
                           const struct sim_string_list *methods) {
  const struct sim_profile *p = f->profile;
  bool include = f->credentials == CORSIM_CREDENTIALS_INCLUDE;
  bool method_listed = list_contains(methods, f->method);
  bool wildcard = !include && list_contains(methods, "*");
  char *acam = sim_header_list_get(f->arena, &resp->headers,
                                   "Access-Control-Allow-Methods");
  if (!method_listed && !sim_is_cors_safelisted_method(p, f->method) &&
      !wildcard) {
    sim_trace(f, CORSIM_TRACE_FAIL, PF, "7.5",
              "method '%s' is not in Access-Control-Allow-Methods [%s] "
              "(compared case-sensitively)%s",
              f->method, acam ? acam : "absent",
              include && list_contains(methods, "*")
                  ? "; '*' is no wildcard for a credentialed request"
                  : "");
    refuse(f, CORSIM_CORS_ERROR_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE,
           f->method);
    return false;
  }
  sim_trace(f, CORSIM_TRACE_PASS, PF, "7.5",
            "method '%s' is allowed (%s)", f->method,
            method_listed ? "listed in Access-Control-Allow-Methods"
            : sim_is_cors_safelisted_method(p, f->method)
                ? "a CORS-safelisted method"
                : "Access-Control-Allow-Methods is '*'");
  return true;
}

/* fetch#cors-preflight-fetch-0 */
enum corsim_status sim_cors_preflight_fetch(
    struct sim_fetch *f, const struct sim_string_list *unsafe) {
  const struct sim_profile *p = f->profile;
  bool include = f->credentials == CORSIM_CREDENTIALS_INCLUDE;
  /* 1. a new request: OPTIONS, the same URL list and origin, mode cors,
   * credentials not included. 2-5. its headers. */
  struct sim_header_list h;
  sim_header_list_init(&h, f->arena);
  sim_header_list_append_z(&h, "Accept", "*/*");
  sim_header_list_append_z(&h, "Access-Control-Request-Method", f->method);
  struct sim_buf names;
  sim_buf_init(&names, f->arena);
  for (size_t i = 0; i < unsafe->count; i++) {
    if (i) sim_buf_append_char(&names, ',');
    sim_buf_append_str(&names, unsafe->items[i]);
  }
  if (unsafe->count > 0)
    sim_header_list_append_z(&h, "Access-Control-Request-Headers",
                             sim_buf_cstr(&names));
  /* fetch#append-a-request-origin-header: the preflight's tainting is cors */
  const char *origin = sim_byte_serialized_request_origin(f);
  if (origin == NULL || !sim_header_list_append_z(&h, "Origin", origin))
    return sim_fail(f->err, CORSIM_NO_MEMORY, "out of memory");
  if (sim_fetch_oom(f)) return sim_fail(f->err, CORSIM_NO_MEMORY, "out of memory");
  sim_trace(f, CORSIM_TRACE_INFO, PF, "1-5",
            "the preflight: OPTIONS %s with Access-Control-Request-Method "
            "'%s'%s%s%s, no credentials, no author headers",
            f->url_serialized, f->method,
            unsafe->count ? " and Access-Control-Request-Headers '" : "",
            unsafe->count ? sim_buf_cstr(&names) : "",
            unsafe->count ? "'" : "");

  /* 6. the preflight goes to the network (never to a service worker, never
   * following redirects) */
  struct corsim_response resp;
  enum corsim_status st = sim_send(f, "OPTIONS", &h, true, false, &resp);
  if (st != CORSIM_OK) return st;
  f->out->preflight = CORSIM_PREFLIGHT_SENT;
  f->out->failed_response_status = resp.status;
  /* fetch#concept-http-network-or-cache-fetch: a 407 is for the proxy,
   * before any CORS check; without a prompt it is a network error
   * (Chromium: ERR_UNEXPECTED_PROXY_AUTH) */
  if (resp.status == 407) {
    sim_trace(f, CORSIM_TRACE_FAIL, "fetch#concept-http-network-or-cache-fetch",
              "", "the preflight was answered 407 Proxy Authentication "
                  "Required: a network error, not a CORS error");
    f->out->failed_on_preflight = true;
    sim_block(f, CORSIM_BLOCKED_NETWORK, CORSIM_CORS_ERROR_NONE, NULL);
    return CORSIM_OK;
  }

  /* Chromium reports a redirect answer on its own, before any check
   * (browsers.md §2.2 "preflight redirect"). */
  bool redirected = is_redirect_status(resp.status) &&
                    sim_header_list_contains(&resp.headers, "Location");
  if (redirected && !p->preflight_status_before_cors_check &&
      !p->preflight_cors_check_before_redirect) {
    sim_trace(f, CORSIM_TRACE_FAIL, PF, "7",
              "the preflight was answered with a %d redirect; a preflight "
              "never follows redirects, and a redirect is not an ok status",
              resp.status);
    refuse(f, CORSIM_CORS_ERROR_PREFLIGHT_DISALLOWED_REDIRECT, NULL);
    return CORSIM_OK;
  }

  /* 7. a CORS check that succeeds and an ok status. WebKit checks the
   * status first (browsers.md §2.2 "order"). */
  bool ok_status = resp.status >= 200 && resp.status <= 299;
  if (p->preflight_status_before_cors_check && !ok_status) {
    sim_trace(f, CORSIM_TRACE_FAIL, "fetch#ok-status", "",
              "the preflight's status %d is not an ok status (200-299)",
              resp.status);
    /* WebKit treats a redirect as one more non-ok status */
    refuse(f, CORSIM_CORS_ERROR_PREFLIGHT_INVALID_STATUS, NULL);
    return CORSIM_OK;
  }
  enum corsim_cors_error cerr = CORSIM_CORS_ERROR_NONE;
  char *param = NULL;
  if (!sim_cors_check(f, &resp, true, &cerr, &param)) {
    if (sim_fetch_oom(f)) return sim_fail(f->err, CORSIM_NO_MEMORY, "out of memory");
    refuse(f, cerr, param);
    return CORSIM_OK;
  }
  if (redirected && p->preflight_cors_check_before_redirect) {
    sim_trace(f, CORSIM_TRACE_FAIL, PF, "7",
              "the preflight was answered with a %d redirect; a preflight "
              "never follows redirects", resp.status);
    refuse(f, CORSIM_CORS_ERROR_PREFLIGHT_DISALLOWED_REDIRECT, NULL);
    return CORSIM_OK;
  }
  if (!ok_status) {
    sim_trace(f, CORSIM_TRACE_FAIL, "fetch#ok-status", "",
              "the preflight passed the CORS check but its status %d is not "
              "an ok status (200-299)%s",
              resp.status,
              resp.status == 401 || resp.status == 403
                  ? ": the server wants authentication on OPTIONS, which a "
                    "preflight never carries"
                  : "");
    refuse(f, CORSIM_CORS_ERROR_PREFLIGHT_INVALID_STATUS, NULL);
    return CORSIM_OK;
  }
  sim_trace(f, CORSIM_TRACE_PASS, "fetch#ok-status", "",
            "the preflight's status %d is an ok status", resp.status);

  /* 7.1-7.3. methods and header names, each a list of tokens */
  struct sim_string_list methods = {NULL, 0, 0}, header_names = {NULL, 0, 0};
  char *bad = NULL;
  enum sim_extract_result mr = sim_extract_token_list(
      f->arena, &resp.headers, "Access-Control-Allow-Methods", &methods, &bad);
  if (mr == SIM_EXTRACT_FAILURE) {
    if (sim_fetch_oom(f)) return sim_fail(f->err, CORSIM_NO_MEMORY, "out of memory");
    char *v = sim_header_list_get(f->arena, &resp.headers,
                                  "Access-Control-Allow-Methods");
    sim_trace(f, CORSIM_TRACE_FAIL, PF, "7.3",
              "Access-Control-Allow-Methods '%s' does not parse: '%s' is not "
              "a method token", v ? v : "", bad ? bad : "");
    /* Chromium names no failed parameter here; Firefox prints the token */
    f->out->detail = bad;
    f->out->detail_value = v;
    refuse(f, CORSIM_CORS_ERROR_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE, NULL);
    return CORSIM_OK;
  }
  /* Firefox checks the method before it parses Access-Control-Allow-Headers
   * (browsers.md §2.2 "order"); the standard parses both first. */
  if (p->preflight_method_before_allow_headers &&
      !method_allowed(f, &resp, &methods))
    return CORSIM_OK;
  enum sim_extract_result hr = sim_extract_token_list(
      f->arena, &resp.headers, "Access-Control-Allow-Headers", &header_names,
      &bad);
  if (hr == SIM_EXTRACT_FAILURE) {
    if (sim_fetch_oom(f)) return sim_fail(f->err, CORSIM_NO_MEMORY, "out of memory");
    char *v = sim_header_list_get(f->arena, &resp.headers,
                                  "Access-Control-Allow-Headers");
    sim_trace(f, CORSIM_TRACE_FAIL, PF, "7.3",
              "Access-Control-Allow-Headers '%s' does not parse: '%s' is not "
              "a header name", v ? v : "", bad ? bad : "");
    f->out->detail = bad;
    f->out->detail_value = v;
    refuse(f, CORSIM_CORS_ERROR_INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE, NULL);
    return CORSIM_OK;
  }
  /* 7.4. no methods but the use-CORS-preflight flag: the request's method */
  if (mr == SIM_EXTRACT_NULL && f->use_cors_preflight)
    sim_string_list_append(f->arena, &methods, f->method, strlen(f->method));

  /* Steps 7.5-7.7 decide; WebKit caches the result before deciding
   * (browsers.md §1 "preflight that passed CORS but failed"). */
  bool cacheable = true;
  const char *how = "";
  double max_age = sim_preflight_max_age(p, f->arena, &resp.headers,
                                         &cacheable, &how);
  /* Chromium never caches a preflight whose Origin is null (measured:
   * vectors/opaque-origins/) */
  if (p->no_preflight_cache_for_null_origin &&
      strcmp(origin, "null") == 0)
    cacheable = false;
  if (p->cache_failed_preflight && cacheable && f->may_store_preflight) {
    st = sim_cache_store(f, max_age, &methods, &header_names);
    if (st != CORSIM_OK) return sim_fail(f->err, st, "out of memory");
  }

  if (!p->preflight_method_before_allow_headers &&
      !method_allowed(f, &resp, &methods))
    return CORSIM_OK;

  /* 7.6. Authorization must be listed by name: `*` does not cover it
   * (engines differ: browsers.md top box). */
  bool header_wildcard = !include && list_contains(&header_names, "*");
  struct corsim_header_list req = sim_header_list_view(&f->headers);
  if (sim_header_list_contains(&req, "Authorization") &&
      !list_contains_nocase(&header_names, "authorization") &&
      !(header_wildcard && p->wildcard_covers_authorization)) {
    sim_trace(f, CORSIM_TRACE_FAIL, PF, "7.6",
              "request header 'Authorization' must be listed by name in "
              "Access-Control-Allow-Headers%s",
              header_wildcard ? "; '*' never covers it" : "");
    refuse(f, CORSIM_CORS_ERROR_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE,
           "authorization");
    return CORSIM_OK;
  }
  /* 7.7. every CORS-unsafe request-header name, in the sorted order the
   * standard (and Chromium) walk them: the first disallowed is reported */
  for (size_t i = 0; i < unsafe->count; i++) {
    const char *name = unsafe->items[i];
    if (list_contains_nocase(&header_names, name)) continue;
    if (header_wildcard && (strcmp(name, "authorization") != 0 ||
                            p->wildcard_covers_authorization))
      continue;
    char *acah = sim_header_list_get(f->arena, &resp.headers,
                                     "Access-Control-Allow-Headers");
    sim_trace(f, CORSIM_TRACE_FAIL, PF, "7.7",
              "request header '%s' is not allowed: Access-Control-Allow-Headers "
              "is %s%s%s",
              name, acah ? "'" : "absent", acah ? acah : "",
              acah ? (include && list_contains(&header_names, "*")
                          ? "' ('*' is no wildcard for a credentialed request)"
                          : "'")
                   : "");
    refuse(f, CORSIM_CORS_ERROR_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE, name);
    return CORSIM_OK;
  }
  if (header_wildcard && p->wildcard_covers_authorization &&
      sim_header_list_contains(&req, "Authorization") &&
      !list_contains_nocase(&header_names, "authorization"))
    sim_trace(f, CORSIM_TRACE_NOTE, "browsers#top-box", "",
              "this engine lets '*' in Access-Control-Allow-Headers cover "
              "Authorization; the Fetch Standard does not (list it by name)");
  if (unsafe->count > 0)
    sim_trace(f, CORSIM_TRACE_PASS, PF, "7.7",
              "every CORS-unsafe request header is allowed by "
              "Access-Control-Allow-Headers");

  /* 7.8-7.9. max-age, and 7.11-7.14. the cache entries */
  sim_trace(f, CORSIM_TRACE_INFO, "fetch#http-access-control-max-age", "7.8",
            "the result is cached for %g s (Access-Control-Max-Age %s)%s",
            max_age, how, cacheable ? "" : "; this engine caches nothing");
  if (!p->cache_failed_preflight && cacheable && f->may_store_preflight) {
    st = sim_cache_store(f, max_age, &methods, &header_names);
    if (st != CORSIM_OK) return sim_fail(f->err, st, "out of memory");
  }
  if (sim_fetch_oom(f)) return sim_fail(f->err, CORSIM_NO_MEMORY, "out of memory");
  return CORSIM_OK;
}
