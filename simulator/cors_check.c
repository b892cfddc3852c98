/* cors_check.c: the CORS check (fetch#concept-cors-check) on a response of
 * a CORS request, with a failure named as Chromium names it in the
 * DevTools protocol (research/browsers.md §2.2 "mismatch
 * sub-classification"), so every profile speaks the CDP vocabulary. */
#include <string.h>

#include "sim.h"

static enum corsim_cors_error pick(bool preflight, enum corsim_cors_error a,
                                   enum corsim_cors_error b) {
  return preflight ? b : a;
}

/* Whether Chromium's GURL would take `value` as a valid URL: it parses and
 * its bytes are printable ASCII (GURL takes a star in the host). */
static bool is_valid_gurl(struct sim_fetch *f, const char *value) {
  for (const unsigned char *p = (const unsigned char *)value; *p; p++)
    if (*p <= 0x20 || *p >= 0x7F) return false;
  struct sim_url u;
  const char *why;
  return sim_url_parse(f->arena, value, strlen(value), NULL, &u, &why);
}

/* Chromium's reading of a mismatching value (cors.cc CheckAccess). */
static enum corsim_cors_error classify_mismatch(struct sim_fetch *f,
                                                const struct corsim_response *resp,
                                                const char *value,
                                                bool preflight) {
  /* Firefox counts header lines, WebKit looks for a comma, and neither
   * tells an invalid value from a mismatch (browsers.md §2.2) */
  if (f->profile->allow_origin_classes == SIM_ACAO_FIREFOX) {
    bool lines = sim_header_list_count_name(&resp->headers,
                                            "Access-Control-Allow-Origin") > 1;
    return lines ? pick(preflight, CORSIM_CORS_ERROR_MULTIPLE_ALLOW_ORIGIN_VALUES,
                        CORSIM_CORS_ERROR_PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES)
                 : pick(preflight, CORSIM_CORS_ERROR_ALLOW_ORIGIN_MISMATCH,
                        CORSIM_CORS_ERROR_PREFLIGHT_ALLOW_ORIGIN_MISMATCH);
  }
  if (f->profile->allow_origin_classes == SIM_ACAO_WEBKIT)
    return strchr(value, ',') != NULL
               ? pick(preflight, CORSIM_CORS_ERROR_MULTIPLE_ALLOW_ORIGIN_VALUES,
                      CORSIM_CORS_ERROR_PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES)
               : pick(preflight, CORSIM_CORS_ERROR_ALLOW_ORIGIN_MISMATCH,
                      CORSIM_CORS_ERROR_PREFLIGHT_ALLOW_ORIGIN_MISMATCH);
  if (strchr(value, ' ') != NULL || strchr(value, ',') != NULL)
    return pick(preflight, CORSIM_CORS_ERROR_MULTIPLE_ALLOW_ORIGIN_VALUES,
                CORSIM_CORS_ERROR_PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES);
  if (strcmp(value, "null") != 0 && !is_valid_gurl(f, value))
    return pick(preflight, CORSIM_CORS_ERROR_INVALID_ALLOW_ORIGIN_VALUE,
                CORSIM_CORS_ERROR_PREFLIGHT_INVALID_ALLOW_ORIGIN_VALUE);
  return pick(preflight, CORSIM_CORS_ERROR_ALLOW_ORIGIN_MISMATCH,
              CORSIM_CORS_ERROR_PREFLIGHT_ALLOW_ORIGIN_MISMATCH);
}

/* fetch#concept-cors-check */
bool sim_cors_check(struct sim_fetch *f, const struct corsim_response *resp,
                    bool for_preflight, enum corsim_cors_error *error,
                    char **param) {
  static const char *const A = "fetch#concept-cors-check";
  const char *what = for_preflight ? "preflight response" : "response";
  bool include = f->credentials == CORSIM_CREDENTIALS_INCLUDE;
  *param = NULL;
  f->out->failed_response_status = resp->status;
  f->out->allow_origin_lines = sim_header_list_count_name(
      &resp->headers, "Access-Control-Allow-Origin");
  /* 1. origin = get `Access-Control-Allow-Origin` */
  char *origin = sim_header_list_get(f->arena, &resp->headers,
                                     "Access-Control-Allow-Origin");
  /* 2. null: failure */
  if (origin == NULL) {
    *error = pick(for_preflight, CORSIM_CORS_ERROR_MISSING_ALLOW_ORIGIN_HEADER,
                  CORSIM_CORS_ERROR_PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER);
    sim_trace(f, CORSIM_TRACE_FAIL, A, "2",
              "the %s has no Access-Control-Allow-Origin header", what);
    return false;
  }
  size_t lines = sim_header_list_count_name(&resp->headers,
                                            "Access-Control-Allow-Origin");
  if (lines > 1)
    sim_trace(f, CORSIM_TRACE_INFO, A, "1",
              "%zu Access-Control-Allow-Origin header lines combine into "
              "'%s'", lines, origin);
  /* 3. not include and `*`: success */
  if (!include && strcmp(origin, "*") == 0) {
    sim_trace(f, CORSIM_TRACE_PASS, A, "3",
              "Access-Control-Allow-Origin is '*' and the credentials mode "
              "is '%s': any origin may read the %s",
              corsim_credentials_name(f->credentials), what);
    return true;
  }
  /* 4. the byte-serialized request origin must equal the value */
  const char *serialized = sim_byte_serialized_request_origin(f);
  if (serialized == NULL) return false;
  if (strcmp(serialized, origin) != 0) {
    if (strcmp(origin, "*") == 0) {
      *error = pick(for_preflight, CORSIM_CORS_ERROR_WILDCARD_ORIGIN_NOT_ALLOWED,
                    CORSIM_CORS_ERROR_PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED);
      sim_trace(f, CORSIM_TRACE_FAIL, A, "4",
                "Access-Control-Allow-Origin is '*', which is not the "
                "wildcard when the credentials mode is 'include': it would "
                "have to be '%s'", serialized);
      return false;
    }
    *error = classify_mismatch(f, resp, origin, for_preflight);
    *param = origin;
    sim_trace(f, CORSIM_TRACE_FAIL, A, "4",
              "Access-Control-Allow-Origin is '%s' but the request's origin "
              "serializes to '%s' (compared byte for byte)", origin,
              serialized);
    return false;
  }
  if (strcmp(origin, "null") == 0)
    sim_trace(f, CORSIM_TRACE_NOTE, A, "4",
              "Access-Control-Allow-Origin 'null' allows every opaque origin: "
              "any sandboxed iframe, data: or file: page, and any request "
              "tainted by a cross-origin redirect, on any site, can read this "
              "response; a server should never allow 'null'");
  /* 5. not include: success */
  if (!include) {
    sim_trace(f, CORSIM_TRACE_PASS, A, "4",
              "Access-Control-Allow-Origin '%s' is the request's origin",
              origin);
    return true;
  }
  /* 6-7. `Access-Control-Allow-Credentials` must be exactly `true` */
  char *credentials = sim_header_list_get(f->arena, &resp->headers,
                                          "Access-Control-Allow-Credentials");
  if (credentials != NULL && strcmp(credentials, "true") == 0) {
    sim_trace(f, CORSIM_TRACE_PASS, A, "6",
              "Access-Control-Allow-Origin '%s' is the request's origin and "
              "Access-Control-Allow-Credentials is 'true'", origin);
    return true;
  }
  *error = pick(for_preflight, CORSIM_CORS_ERROR_INVALID_ALLOW_CREDENTIALS,
                CORSIM_CORS_ERROR_PREFLIGHT_INVALID_ALLOW_CREDENTIALS);
  *param = credentials;
  if (credentials == NULL)
    sim_trace(f, CORSIM_TRACE_FAIL, A, "7",
              "the credentials mode is 'include' but the %s has no "
              "Access-Control-Allow-Credentials header (it must be 'true')",
              what);
  else
    sim_trace(f, CORSIM_TRACE_FAIL, A, "7",
              "the credentials mode is 'include' but "
              "Access-Control-Allow-Credentials is '%s', not exactly 'true'",
              credentials);
  return false;
}
