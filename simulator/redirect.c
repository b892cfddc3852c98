/* redirect.c: the steps of HTTP-redirect fetch (fetch#concept-http-
 * redirect-fetch) that decide a CORS outcome: the Location URL, the
 * redirect limit, credentials in the new URL, the method rewrite, and the
 * request's new current URL (which main fetch then runs again). */
#include <string.h>

#include "sim.h"

static const char *const RF = "fetch#concept-http-redirect-fetch";

static void network_error(struct sim_fetch *f, enum corsim_cors_error e) {
  sim_block(f, e == CORSIM_CORS_ERROR_NONE ? CORSIM_BLOCKED_REDIRECT
                                           : CORSIM_BLOCKED_CORS,
            e, NULL);
}

bool sim_http_redirect_fetch(struct sim_fetch *f,
                             const struct corsim_response *resp,
                             enum corsim_status *status) {
  *status = CORSIM_OK;
  /* 2. the response's location URL (fetch#concept-response-location-url):
   * extract header list values for `Location`, a single value */
  size_t n = sim_header_list_count_name(&resp->headers, "Location");
  if (n == 0) {
    sim_trace(f, CORSIM_TRACE_INFO, RF, "3",
              "a %d without a Location header is not followed: it is the "
              "response", resp->status);
    return false;
  }
  /* Chromium follows several Location lines when they are identical */
  char *joined = sim_header_list_get(f->arena, &resp->headers, "Location");
  if (n > 1 && f->profile->same_location_lines_are_one && joined != NULL) {
    size_t one = 0;
    for (size_t i = 0; i < resp->headers.count; i++)
      if (sim_ascii_eq_nocase_z(resp->headers.items[i].name,
                                resp->headers.items[i].name_len, "Location")) {
        one = resp->headers.items[i].value_len;
        break;
      }
    bool same = true;
    for (size_t i = 0; i < resp->headers.count; i++)
      if (sim_ascii_eq_nocase_z(resp->headers.items[i].name,
                                resp->headers.items[i].name_len, "Location") &&
          (resp->headers.items[i].value_len != one ||
           strncmp(resp->headers.items[i].value, joined, one) != 0))
        same = false;
    if (same) {
      joined[one] = '\0';
      n = 1;
    }
  }
  if (n > 1) {
    sim_trace(f, CORSIM_TRACE_FAIL, "fetch#concept-response-location-url", "",
              "the %d has %zu Location headers: failure, a network error",
              resp->status, n);
    network_error(f, CORSIM_CORS_ERROR_NONE);
    return false;
  }
  char *location = joined;
  if (location == NULL) {
    *status = sim_fail(f->err, CORSIM_NO_MEMORY, "out of memory");
    return false;
  }
  struct sim_url next;
  const char *why = NULL;
  if (!sim_url_parse(f->arena, location, strlen(location), &f->url, &next,
                     &why)) {
    if (sim_fetch_oom(f)) {
      *status = sim_fail(f->err, CORSIM_NO_MEMORY, "out of memory");
      return false;
    }
    /* 4. failure: a network error */
    sim_trace(f, CORSIM_TRACE_FAIL, RF, "4",
              "Location '%s' does not parse as a URL (%s): a network error",
              location, why);
    network_error(f, CORSIM_CORS_ERROR_NONE);
    return false;
  }
  /* the fragment of the current URL carries over when Location has none */
  if (next.fragment == NULL && f->url.fragment != NULL)
    next.fragment = f->url.fragment;
  char *next_s = sim_url_serialize(f->arena, &next, false);
  if (next_s == NULL) {
    *status = sim_fail(f->err, CORSIM_NO_MEMORY, "out of memory");
    return false;
  }
  sim_trace(f, CORSIM_TRACE_INFO, RF, "2",
            "%d redirect from %s to %s", resp->status, f->url_serialized,
            next_s);
  /* 5. only HTTP(S) URLs */
  if (!sim_url_is_http_scheme(&next)) {
    sim_trace(f, CORSIM_TRACE_FAIL, RF, "5",
              "the redirect goes to a '%s:' URL; only http and https "
              "redirects are followed", next.scheme);
    /* Chromium refuses data:, file:, about: and the like as unsafe
     * redirects, a plain network error; a network scheme it cannot fetch
     * (ftp:, ws:) reaches its CORS code and is CorsDisabledScheme (both
     * measured with the oracle: vectors/redirects/location.json) */
    bool network_scheme = strcmp(next.scheme, "ftp") == 0 ||
                          strcmp(next.scheme, "ws") == 0 ||
                          strcmp(next.scheme, "wss") == 0;
    network_error(f, network_scheme && f->tainting == SIM_TAINT_CORS
                         ? CORSIM_CORS_ERROR_CORS_DISABLED_SCHEME
                         : CORSIM_CORS_ERROR_NONE);
    return false;
  }
  /* 6-7. the redirect limit (20 in the standard) */
  if (f->redirect_count >= f->browser->options.max_redirects) {
    sim_trace(f, CORSIM_TRACE_FAIL, RF, "6",
              "%zu redirects already followed: the limit is %zu, a network "
              "error", f->redirect_count, f->browser->options.max_redirects);
    network_error(f, CORSIM_CORS_ERROR_NONE);
    return false;
  }
  f->redirect_count++;
  /* 8. a CORS-mode request may not be redirected to a URL with
   * credentials of another origin; 9. a CORS-tainted one to none at all */
  struct sim_origin next_origin, cur_origin;
  sim_url_origin(f->arena, &next, &f->browser->next_opaque_id, &next_origin);
  sim_url_origin(f->arena, &f->url, &f->browser->next_opaque_id, &cur_origin);
  if (sim_url_includes_credentials(&next) &&
      ((f->mode == CORSIM_MODE_CORS &&
        !sim_same_origin(&f->origin, &next_origin)) ||
       f->tainting == SIM_TAINT_CORS)) {
    sim_trace(f, CORSIM_TRACE_FAIL, RF,
              f->tainting == SIM_TAINT_CORS ? "9" : "8",
              "the redirect URL '%s' includes credentials: not allowed for a "
              "cross-origin request", next_s);
    network_error(f, CORSIM_CORS_ERROR_REDIRECT_CONTAINS_CREDENTIALS);
    return false;
  }
  /* 12. 301/302 with POST, and 303 with anything but GET/HEAD, become GET
   * without a body and without the request-body headers */
  bool to_get = ((resp->status == 301 || resp->status == 302) &&
                 strcmp(f->method, "POST") == 0) ||
                (resp->status == 303 && strcmp(f->method, "GET") != 0 &&
                 strcmp(f->method, "HEAD") != 0);
  if (to_get) {
    sim_trace(f, CORSIM_TRACE_INFO, RF, "12",
              "a %d turns %s into GET and drops Content-Encoding, "
              "Content-Language, Content-Location and Content-Type",
              resp->status, f->method);
    f->method = sim_arena_strdup(f->arena, "GET");
    static const char *const body_headers[] = {
        "Content-Encoding", "Content-Language", "Content-Location",
        "Content-Type"};
    for (size_t i = 0; i < 4; i++)
      sim_header_list_delete(&f->headers, body_headers[i]);
  }
  /* 14. leaving the current origin drops Authorization (the CORS
   * non-wildcard request-header name) */
  if (!sim_same_origin(&cur_origin, &next_origin) &&
      sim_header_list_contains(
          &(struct corsim_header_list){f->headers.items, f->headers.count},
          "Authorization")) {
    sim_header_list_delete(&f->headers, "Authorization");
    sim_trace(f, CORSIM_TRACE_INFO, RF, "14",
              "the redirect leaves %s: the Authorization header is removed",
              f->url_serialized);
  }
  /* 15. the new URL joins the URL list and becomes the current URL */
  if (f->url_list_count == f->url_list_cap) {
    size_t cap = f->url_list_cap * 2;
    struct sim_url *l = sim_arena_alloc(f->arena, cap * sizeof *l);
    if (l == NULL) {
      *status = sim_fail(f->err, CORSIM_NO_MEMORY, "out of memory");
      return false;
    }
    memcpy(l, f->url_list, f->url_list_count * sizeof *l);
    f->url_list = l;
    f->url_list_cap = cap;
  }
  f->url_list[f->url_list_count++] = next;
  f->url = next;
  f->url_serialized = next_s;
  if (sim_request_has_redirect_tainted_origin(f))
    sim_trace(f, CORSIM_TRACE_NOTE, "fetch#concept-request-tainted-origin", "",
              "a server other than the request's origin redirected to yet "
              "another origin: the request's origin is now tainted and is "
              "sent and checked as 'null'");
  if (f->method == NULL || sim_fetch_oom(f)) {
    *status = sim_fail(f->err, CORSIM_NO_MEMORY, "out of memory");
    return false;
  }
  /* 18. main fetch again, recursive */
  return true;
}
