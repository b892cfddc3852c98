/* request.c: what fetch() does with its arguments before any network
 * activity (fetch#dom-request, fetch#dom-global-fetch, fetch#headers-class
 * guards): URL and method checks that reject with a TypeError, and the
 * headers that are dropped silently. */
#include <string.h>

#include "sim.h"

static const char *const DR = "fetch#dom-request";

static void type_error(struct sim_fetch *f, const char *anchor,
                       const char *step, const char *text) {
  sim_trace(f, CORSIM_TRACE_FAIL, anchor, step, "%s: fetch() rejects with a "
            "TypeError before anything is sent", text);
  sim_block(f, CORSIM_BLOCKED_TYPE_ERROR, CORSIM_CORS_ERROR_NONE, NULL);
}

/* Strips leading and trailing HTTP whitespace (fetch#concept-header-value-
 * normalize). */
static void normalize_value(const char **v, size_t *len) {
  while (*len > 0 && sim_is_http_whitespace((*v)[0])) {
    (*v)++;
    (*len)--;
  }
  while (*len > 0 && sim_is_http_whitespace((*v)[*len - 1])) (*len)--;
}

/* The headers of the request, as fetch#concept-headers-append with the
 * `request` or `request-no-cors` guard leaves them. */
static enum corsim_status take_headers(struct sim_fetch *f,
                                       const struct corsim_request *req) {
  bool no_cors = f->mode == CORSIM_MODE_NO_CORS;
  for (size_t i = 0; i < req->headers.count; i++) {
    const struct corsim_header *h = &req->headers.items[i];
    const char *v = h->value ? h->value : "";
    size_t vlen = h->value ? h->value_len : 0;
    normalize_value(&v, &vlen);
    /* fetch#headers-validate 1: name and value must be valid */
    if (!sim_is_valid_header_name(h->name, h->name_len)) {
      char *text = sim_arena_printf(f->arena,
                                    "header name '%.*s' is not a token",
                                    (int)h->name_len, h->name);
      if (text == NULL) return CORSIM_NO_MEMORY;
      type_error(f, "fetch#headers-validate", "1", text);
      return CORSIM_OK;
    }
    if (!sim_is_valid_header_value(v, vlen)) {
      char *text = sim_arena_printf(
          f->arena, "the value of header '%.*s' has a NUL, CR or LF byte",
          (int)h->name_len, h->name);
      if (text == NULL) return CORSIM_NO_MEMORY;
      type_error(f, "fetch#headers-validate", "1", text);
      return CORSIM_OK;
    }
    /* fetch#headers-validate 2-3: a forbidden request-header is dropped */
    if (sim_is_forbidden_request_header(h->name, h->name_len, v, vlen) ||
        (f->profile->user_agent_forbidden &&
         sim_ascii_eq_nocase_z(h->name, h->name_len, "User-Agent"))) {
      sim_trace(f, CORSIM_TRACE_NOTE, "fetch#forbidden-request-header", "",
                "'%.*s' is a forbidden request-header: the browser drops it "
                "silently and sets such headers itself",
                (int)h->name_len, h->name);
      continue;
    }
    /* fetch#concept-headers-append for `request-no-cors`: only
     * no-CORS-safelisted names whose combined value stays safelisted */
    if (no_cors) {
      bool keep = sim_is_no_cors_safelisted_request_header_name(h->name,
                                                                h->name_len);
      if (keep) {
        struct corsim_header_list cur = sim_header_list_view(&f->headers);
        struct sim_buf combined;
        sim_buf_init(&combined, f->arena);
        bool any = false;
        for (size_t k = 0; k < cur.count; k++)
          if (sim_ascii_eq_nocase(cur.items[k].name, cur.items[k].name_len,
                                  h->name, h->name_len)) {
            if (any) sim_buf_append(&combined, ", ", 2);
            sim_buf_append(&combined, cur.items[k].value,
                           cur.items[k].value_len);
            any = true;
          }
        if (any) sim_buf_append(&combined, ", ", 2);
        sim_buf_append(&combined, v, vlen);
        char *c = sim_buf_cstr(&combined);
        if (c == NULL) return CORSIM_NO_MEMORY;
        keep = sim_is_cors_safelisted_request_header(f->profile, h->name,
                                                     h->name_len, c,
                                                     combined.len);
      }
      if (!keep) {
        sim_trace(f, CORSIM_TRACE_NOTE, "fetch#concept-headers-append", "",
                  "mode is 'no-cors': header '%.*s: %.*s' is not "
                  "no-CORS-safelisted, so the browser drops it silently",
                  (int)h->name_len, h->name, (int)vlen, v);
        continue;
      }
    }
    if (f->profile->combine_request_headers) {
      /* Chromium keeps one header per name, values joined with ", " */
      bool joined = false;
      for (size_t k = 0; k < f->headers.count && !joined; k++) {
        struct corsim_header *e = &f->headers.items[k];
        if (!sim_ascii_eq_nocase(e->name, e->name_len, h->name, h->name_len))
          continue;
        char *c = sim_arena_printf(f->arena, "%.*s, %.*s", (int)e->value_len,
                                   e->value, (int)vlen, v);
        if (c == NULL) return CORSIM_NO_MEMORY;
        e->value = c;
        e->value_len = strlen(c);
        joined = true;
      }
      if (joined) continue;
    }
    if (!sim_header_list_append(&f->headers, h->name, h->name_len, v, vlen))
      return CORSIM_NO_MEMORY;
  }
  return CORSIM_OK;
}

/* fetch#dom-request for the arguments a vector gives. Returns CORSIM_OK;
 * a TypeError is a refusal (f->blocked). */
enum corsim_status sim_construct_request(struct sim_fetch *f,
                                         const struct corsim_request *req) {
  const char *why = NULL;
  const char *url = req->url ? req->url : "";
  /* 5.1-5.3. parse the URL (no base: the vector gives absolute URLs) */
  if (!sim_url_parse(f->arena, url, strlen(url), NULL, &f->url, &why)) {
    if (f->arena->failed) return CORSIM_NO_MEMORY;
    char *text = sim_arena_printf(f->arena, "'%s' is not a valid URL (%s)",
                                  url, why);
    if (text == NULL) return CORSIM_NO_MEMORY;
    type_error(f, DR, "5.2", text);
    return CORSIM_OK;
  }
  f->url_serialized = sim_url_serialize(f->arena, &f->url, false);
  if (f->url_serialized == NULL) return CORSIM_NO_MEMORY;
  /* 5.3. credentials in the URL */
  if (sim_url_includes_credentials(&f->url)) {
    type_error(f, DR, "5.3",
               "the URL includes credentials (a username or password)");
    return CORSIM_OK;
  }
  /* 25. the method: a token, not forbidden, then normalized */
  const char *method = req->method ? req->method : "GET";
  size_t mlen = strlen(method);
  if (!sim_is_token(method, mlen)) {
    char *text = sim_arena_printf(f->arena, "method '%s' is not a token",
                                  method);
    if (text == NULL) return CORSIM_NO_MEMORY;
    type_error(f, DR, "25.2", text);
    return CORSIM_OK;
  }
  if (sim_is_forbidden_method(method, mlen)) {
    char *text = sim_arena_printf(f->arena, "method '%s' is a forbidden method",
                                  method);
    if (text == NULL) return CORSIM_NO_MEMORY;
    type_error(f, "fetch#forbidden-method", "", text);
    return CORSIM_OK;
  }
  f->method = sim_method_normalize(f->arena, method);
  if (f->method == NULL) return CORSIM_NO_MEMORY;
  if (strcmp(f->method, method) != 0)
    sim_trace(f, CORSIM_TRACE_INFO, "fetch#concept-method-normalize", "",
              "method '%s' is normalized to '%s'", method, f->method);
  else if (!sim_is_cors_safelisted_method(f->profile, f->method) &&
           strcmp(f->method, "DELETE") != 0 && strcmp(f->method, "PUT") != 0 &&
           strcmp(f->method, "OPTIONS") != 0)
    sim_trace(f, CORSIM_TRACE_INFO, "fetch#concept-method-normalize", "",
              "method '%s' is sent as written: only DELETE, GET, HEAD, "
              "OPTIONS, POST and PUT are upper-cased", f->method);
  /* 30. no-cors allows only CORS-safelisted methods */
  if (f->mode == CORSIM_MODE_NO_CORS &&
      !sim_is_cors_safelisted_method(f->profile, f->method)) {
    char *text = sim_arena_printf(
        f->arena, "mode is 'no-cors' and '%s' is not a CORS-safelisted method",
        f->method);
    if (text == NULL) return CORSIM_NO_MEMORY;
    type_error(f, DR, "30.1", text);
    return CORSIM_OK;
  }
  /* 32-33. the headers, through the guard */
  enum corsim_status st = take_headers(f, req);
  if (st != CORSIM_OK || f->blocked) return st;
  /* fetch#concept-fetch 12: the any-type Accept header when the page set none */
  if (!sim_header_list_contains(&(struct corsim_header_list){
                                    f->headers.items, f->headers.count},
                                "Accept")) {
    if (!sim_header_list_append_z(&f->headers, "Accept", "*/*"))
      return CORSIM_NO_MEMORY;
  }
  return CORSIM_OK;
}
