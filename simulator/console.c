/* console.c: the console message each engine prints for a refused fetch,
 * word for word (research/browsers.md §4 Chromium, §5 Firefox, §6 WebKit),
 * built from the decision. */
#include <stdio.h>
#include <string.h>

#include "sim.h"

struct out {
  char *buf;
  size_t size, len;
};

static void put(struct out *o, const char *s) {
  size_t n = strlen(s);
  if (o->len < o->size) {
    size_t room = o->size - o->len - 1;
    memcpy(o->buf + o->len, s, n < room ? n : room);
    o->buf[o->len + (n < room ? n : room)] = '\0';
  }
  o->len += n;
}

/* Chromium's EncodeHint: printable ASCII kept, the rest as \uXXXX. */
static void put_hint(struct out *o, const char *s) {
  if (s == NULL) return;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    char c[8];
    if (*p >= 0x20 && *p < 0x7F) {
      c[0] = (char)*p;
      c[1] = '\0';
    } else {
      snprintf(c, sizeof c, "\\u%04X", *p);
    }
    put(o, c);
  }
}

static bool is_chromium_preflight_error(enum corsim_cors_error e) {
  switch (e) {
    case CORSIM_CORS_ERROR_PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED:
    case CORSIM_CORS_ERROR_PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER:
    case CORSIM_CORS_ERROR_PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES:
    case CORSIM_CORS_ERROR_PREFLIGHT_INVALID_ALLOW_ORIGIN_VALUE:
    case CORSIM_CORS_ERROR_PREFLIGHT_ALLOW_ORIGIN_MISMATCH:
    case CORSIM_CORS_ERROR_PREFLIGHT_INVALID_ALLOW_CREDENTIALS:
    case CORSIM_CORS_ERROR_PREFLIGHT_INVALID_STATUS:
    case CORSIM_CORS_ERROR_PREFLIGHT_DISALLOWED_REDIRECT:
      return true;
    default:
      return false;
  }
}

/* research/browsers.md §4.2; `xhr` picks the XMLHttpRequest variants of
 * the suffixes */
static void chromium_reason(struct out *o, const struct corsim_decision *d,
                            bool xhr) {
  static const char *const valid_value =
      " Have the server send the header with a valid value.";
  static const char *const with_credentials =
      " The credentials mode of requests initiated by the XMLHttpRequest is "
      "controlled by the withCredentials attribute.";
  const char *hint = d->failed_parameter ? d->failed_parameter : "";
  switch (d->cors_error) {
    case CORSIM_CORS_ERROR_DISALLOWED_BY_MODE:
      put(o, "Cross origin requests are not allowed by request mode.");
      break;
    case CORSIM_CORS_ERROR_INVALID_RESPONSE:
      put(o, "The response is invalid.");
      break;
    case CORSIM_CORS_ERROR_WILDCARD_ORIGIN_NOT_ALLOWED:
    case CORSIM_CORS_ERROR_PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED:
      put(o, "The value of the 'Access-Control-Allow-Origin' header in the "
             "response must not be the wildcard '*' when the request's "
             "credentials mode is 'include'.");
      if (xhr) put(o, with_credentials);
      break;
    case CORSIM_CORS_ERROR_MISSING_ALLOW_ORIGIN_HEADER:
    case CORSIM_CORS_ERROR_PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER:
      put(o, "No 'Access-Control-Allow-Origin' header is present on the "
             "requested resource.");
      break;
    case CORSIM_CORS_ERROR_MULTIPLE_ALLOW_ORIGIN_VALUES:
    case CORSIM_CORS_ERROR_PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES:
      put(o, "The 'Access-Control-Allow-Origin' header contains multiple "
             "values '");
      put_hint(o, hint);
      put(o, "', but only one is allowed.");
      if (!xhr) put(o, valid_value);
      break;
    case CORSIM_CORS_ERROR_INVALID_ALLOW_ORIGIN_VALUE:
    case CORSIM_CORS_ERROR_PREFLIGHT_INVALID_ALLOW_ORIGIN_VALUE:
      put(o, "The 'Access-Control-Allow-Origin' header contains the invalid "
             "value '");
      put_hint(o, hint);
      put(o, "'.");
      if (!xhr) put(o, valid_value);
      break;
    case CORSIM_CORS_ERROR_ALLOW_ORIGIN_MISMATCH:
    case CORSIM_CORS_ERROR_PREFLIGHT_ALLOW_ORIGIN_MISMATCH:
      put(o, "The 'Access-Control-Allow-Origin' header has a value '");
      put_hint(o, hint);
      put(o, "' that is not equal to the supplied origin.");
      if (!xhr) put(o, valid_value);
      break;
    case CORSIM_CORS_ERROR_INVALID_ALLOW_CREDENTIALS:
    case CORSIM_CORS_ERROR_PREFLIGHT_INVALID_ALLOW_CREDENTIALS:
      put(o, "The value of the 'Access-Control-Allow-Credentials' header in "
             "the response is '");
      put_hint(o, hint);
      put(o, "' which must be 'true' when the request's credentials mode is "
             "'include'.");
      if (xhr) put(o, with_credentials);
      break;
    case CORSIM_CORS_ERROR_CORS_DISABLED_SCHEME:
      put(o, "Cross origin requests are only supported for protocol schemes: "
             "http, data, isolated-app, chrome-extension, chrome, https, "
             "chrome-untrusted.");
      break;
    case CORSIM_CORS_ERROR_PREFLIGHT_INVALID_STATUS:
      put(o, "It does not have HTTP ok status.");
      break;
    case CORSIM_CORS_ERROR_PREFLIGHT_DISALLOWED_REDIRECT:
      put(o, "Redirect is not allowed for a preflight request.");
      break;
    case CORSIM_CORS_ERROR_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE:
      put(o, "Cannot parse Access-Control-Allow-Methods response header "
             "field in preflight response.");
      break;
    case CORSIM_CORS_ERROR_INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE:
      put(o, "Cannot parse Access-Control-Allow-Headers response header "
             "field in preflight response.");
      break;
    case CORSIM_CORS_ERROR_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE:
      put(o, "Method ");
      put_hint(o, hint);
      put(o, " is not allowed by Access-Control-Allow-Methods in preflight "
             "response.");
      break;
    case CORSIM_CORS_ERROR_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE:
      put(o, "Request header field ");
      put_hint(o, hint);
      put(o, " is not allowed by Access-Control-Allow-Headers in preflight "
             "response.");
      break;
    case CORSIM_CORS_ERROR_REDIRECT_CONTAINS_CREDENTIALS:
      put(o, "Redirect location '' contains a username and password, which "
             "is disallowed for cross-origin requests.");
      break;
    case CORSIM_CORS_ERROR_INSECURE_LOCAL_NETWORK:
      put(o, "The request client is not a secure context and the resource "
             "is in more-private address space `");
      put(o, d->address_space ? d->address_space : "local");
      put(o, "`.");
      break;
    case CORSIM_CORS_ERROR_LOCAL_NETWORK_ACCESS_PERMISSION_DENIED:
      put(o, "Permission was denied for this request to access the `");
      put(o, d->address_space ? d->address_space : "loopback");
      put(o, "` address space.");
      break;
    default:
      put(o, "The response is invalid.");
      break;
  }
}

static void chromium(struct out *o, const struct corsim_request *req,
                     const struct corsim_decision *d) {
  const char *url = d->url ? d->url : req->url;
  const char *initial = d->initial_url ? d->initial_url : url;
  const char *origin = d->origin ? d->origin : "null";
  if (d->blocked_reason == CORSIM_BLOCKED_MIXED_CONTENT) {
    put(o, "Mixed Content: The page at '");
    put(o, origin);
    put(o, "/' was loaded over HTTPS, but requested an insecure resource '");
    put(o, url);
    put(o, "'. This request has been blocked; the content must be served "
           "over HTTPS.");
    return;
  }
  if (d->blocked_reason != CORSIM_BLOCKED_CORS) return;
  /* renderer-side refusals (browsers.md §4.4) */
  if (d->cors_error == CORSIM_CORS_ERROR_DISALLOWED_BY_MODE) {
    put(o, "Fetch API cannot load ");
    put(o, url);
    put(o, ". Request mode is \"same-origin\" but the URL's origin is not "
           "same as the request origin ");
    put(o, origin);
    put(o, ".");
    return;
  }
  if (d->cors_error == CORSIM_CORS_ERROR_NO_CORS_REDIRECT_MODE_NOT_FOLLOW) {
    put(o, "Fetch API cannot load ");
    put(o, url);
    put(o, ". Request mode is \"no-cors\" but the redirect mode is not "
           "\"follow\".");
    return;
  }
  if (d->cors_error == CORSIM_CORS_ERROR_CORS_DISABLED_SCHEME &&
      d->hop_count == 0) {
    const char *colon = strchr(url, ':');
    put(o, "Fetch API cannot load ");
    put(o, url);
    put(o, ". URL scheme \"");
    if (colon != NULL) {
      char scheme[64];
      size_t n = (size_t)(colon - url);
      if (n >= sizeof scheme) n = sizeof scheme - 1;
      memcpy(scheme, url, n);
      scheme[n] = '\0';
      put(o, scheme);
    }
    put(o, "\" is not supported.");
    return;
  }
  /* research/browsers.md §4.1 */
  put(o, req->is_xhr ? "Access to XMLHttpRequest at '" : "Access to fetch at '");
  put(o, url);
  put(o, "' ");
  if (strcmp(initial, url) != 0) {
    put(o, "(redirected from '");
    put(o, initial);
    put(o, "') ");
  }
  put(o, "from origin '");
  put(o, origin);
  put(o, "' has been blocked by CORS policy: ");
  if (is_chromium_preflight_error(d->cors_error))
    put(o, "Response to preflight request doesn't pass access control "
           "check: ");
  chromium_reason(o, d, req->is_xhr);
}

/* research/browsers.md §5 */
static void firefox(struct out *o, const struct corsim_request *req,
                    const struct corsim_decision *d) {
  const char *url = d->url ? d->url : req->url;
  char status[16];
  snprintf(status, sizeof status, "%d", d->failed_response_status);
  if (d->blocked_reason == CORSIM_BLOCKED_MIXED_CONTENT) {
    put(o, "Blocked loading mixed active content \xe2\x80\x9c");
    put(o, url);
    put(o, "\xe2\x80\x9d");
    return;
  }
  if (d->blocked_reason != CORSIM_BLOCKED_CORS) return;
  static const char *const lead =
      "Cross-Origin Request Blocked: The Same Origin Policy disallows "
      "reading the remote resource at ";
  const char *hint = d->failed_parameter ? d->failed_parameter : "";
  switch (d->cors_error) {
    case CORSIM_CORS_ERROR_DISALLOWED_BY_MODE:
      put(o, "Security Error: Content at ");
      put(o, d->origin ? d->origin : "null");
      put(o, "/ may not load data from ");
      put(o, url);
      put(o, ".");
      return;
    case CORSIM_CORS_ERROR_NO_CORS_REDIRECT_MODE_NOT_FOLLOW:
    case CORSIM_CORS_ERROR_REDIRECT_CONTAINS_CREDENTIALS:
    case CORSIM_CORS_ERROR_LOCAL_NETWORK_ACCESS_PERMISSION_DENIED:
    case CORSIM_CORS_ERROR_INSECURE_LOCAL_NETWORK:
    case CORSIM_CORS_ERROR_INVALID_LOCAL_NETWORK_ACCESS:
      return;
    case CORSIM_CORS_ERROR_WILDCARD_ORIGIN_NOT_ALLOWED:
    case CORSIM_CORS_ERROR_PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED:
      put(o, lead);
      put(o, "\xe2\x80\x98");
      put(o, url);
      put(o, "\xe2\x80\x99. (Reason: Credential is not supported if the CORS "
             "header \xe2\x80\x98" "Access-Control-Allow-Origin\xe2\x80\x99 is "
             "\xe2\x80\x98*\xe2\x80\x99).");
      return;
    default:
      break;
  }
  put(o, lead);
  put(o, url);
  put(o, ". (Reason: ");
  switch (d->cors_error) {
    case CORSIM_CORS_ERROR_MISSING_ALLOW_ORIGIN_HEADER:
    case CORSIM_CORS_ERROR_PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER:
      put(o, "CORS header \xe2\x80\x98" "Access-Control-Allow-Origin\xe2\x80\x99 "
             "missing). Status code: ");
      put(o, status);
      put(o, ".");
      return;
    case CORSIM_CORS_ERROR_MULTIPLE_ALLOW_ORIGIN_VALUES:
    case CORSIM_CORS_ERROR_PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES:
    case CORSIM_CORS_ERROR_INVALID_ALLOW_ORIGIN_VALUE:
    case CORSIM_CORS_ERROR_PREFLIGHT_INVALID_ALLOW_ORIGIN_VALUE:
    case CORSIM_CORS_ERROR_ALLOW_ORIGIN_MISMATCH:
    case CORSIM_CORS_ERROR_PREFLIGHT_ALLOW_ORIGIN_MISMATCH:
      /* Firefox counts header lines, not commas (browsers.md §2.2). */
      if (d->allow_origin_lines > 1) {
        put(o, "Multiple CORS header \xe2\x80\x98"
               "Access-Control-Allow-Origin\xe2\x80\x99 not allowed).");
        return;
      }
      put(o, "CORS header \xe2\x80\x98" "Access-Control-Allow-Origin\xe2\x80\x99 "
             "does not match \xe2\x80\x98");
      put(o, hint);
      put(o, "\xe2\x80\x99).");
      return;
    case CORSIM_CORS_ERROR_INVALID_ALLOW_CREDENTIALS:
    case CORSIM_CORS_ERROR_PREFLIGHT_INVALID_ALLOW_CREDENTIALS:
      put(o, "expected \xe2\x80\x98true\xe2\x80\x99 in CORS header "
             "\xe2\x80\x98" "Access-Control-Allow-Credentials\xe2\x80\x99).");
      return;
    case CORSIM_CORS_ERROR_PREFLIGHT_INVALID_STATUS:
      put(o, "CORS preflight response did not succeed). Status code: ");
      put(o, status);
      put(o, ".");
      return;
    case CORSIM_CORS_ERROR_PREFLIGHT_DISALLOWED_REDIRECT:
      put(o, "CORS request external redirect not allowed).");
      return;
    case CORSIM_CORS_ERROR_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE:
      put(o, "invalid token \xe2\x80\x98");
      put(o, d->detail ? d->detail : hint);
      put(o, "\xe2\x80\x99 in CORS header \xe2\x80\x98"
             "Access-Control-Allow-Methods\xe2\x80\x99).");
      return;
    case CORSIM_CORS_ERROR_INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE:
      put(o, "invalid token \xe2\x80\x98");
      put(o, d->detail ? d->detail : hint);
      put(o, "\xe2\x80\x99 in CORS header \xe2\x80\x98"
             "Access-Control-Allow-Headers\xe2\x80\x99).");
      return;
    case CORSIM_CORS_ERROR_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE:
      put(o, "Did not find method in CORS header \xe2\x80\x98"
             "Access-Control-Allow-Methods\xe2\x80\x99).");
      return;
    case CORSIM_CORS_ERROR_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE:
      put(o, "header \xe2\x80\x98");
      put(o, hint);
      put(o, "\xe2\x80\x99 is not allowed according to header \xe2\x80\x98"
             "Access-Control-Allow-Headers\xe2\x80\x99 from CORS preflight "
             "response).");
      return;
    case CORSIM_CORS_ERROR_CORS_DISABLED_SCHEME:
      put(o, "CORS request not http).");
      return;
    default:
      put(o, "CORS request did not succeed). Status code: (null).");
      return;
  }
}

/* research/browsers.md §6 */
static void webkit(struct out *o, const struct corsim_request *req,
                   const struct corsim_decision *d) {
  const char *url = d->url ? d->url : req->url;
  const char *hint = d->failed_parameter ? d->failed_parameter : "";
  char status[16];
  snprintf(status, sizeof status, "%d", d->failed_response_status);
  if (d->blocked_reason != CORSIM_BLOCKED_CORS) return;
  switch (d->cors_error) {
    case CORSIM_CORS_ERROR_DISALLOWED_BY_MODE:
      put(o, "Cross origin requests are not allowed when using same-origin "
             "fetch mode.");
      return;
    case CORSIM_CORS_ERROR_WILDCARD_ORIGIN_NOT_ALLOWED:
    case CORSIM_CORS_ERROR_PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED:
      put(o, "Cannot use wildcard in Access-Control-Allow-Origin when "
             "credentials flag is true.");
      break;
    case CORSIM_CORS_ERROR_MULTIPLE_ALLOW_ORIGIN_VALUES:
    case CORSIM_CORS_ERROR_PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES:
      if (strchr(hint, ',') != NULL) {
        put(o, "Access-Control-Allow-Origin cannot contain more than one "
               "origin.");
        break;
      }
      /* spaces alone are an ordinary mismatch */
      __attribute__((fallthrough));
    case CORSIM_CORS_ERROR_MISSING_ALLOW_ORIGIN_HEADER:
    case CORSIM_CORS_ERROR_PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER:
    case CORSIM_CORS_ERROR_INVALID_ALLOW_ORIGIN_VALUE:
    case CORSIM_CORS_ERROR_PREFLIGHT_INVALID_ALLOW_ORIGIN_VALUE:
    case CORSIM_CORS_ERROR_ALLOW_ORIGIN_MISMATCH:
    case CORSIM_CORS_ERROR_PREFLIGHT_ALLOW_ORIGIN_MISMATCH:
      put(o, "Origin ");
      put(o, d->origin ? d->origin : "null");
      put(o, " is not allowed by Access-Control-Allow-Origin. Status code: ");
      put(o, status);
      break;
    case CORSIM_CORS_ERROR_INVALID_ALLOW_CREDENTIALS:
    case CORSIM_CORS_ERROR_PREFLIGHT_INVALID_ALLOW_CREDENTIALS:
      put(o, "Credentials flag is true, but Access-Control-Allow-Credentials "
             "is not \"true\".");
      break;
    case CORSIM_CORS_ERROR_PREFLIGHT_INVALID_STATUS:
    case CORSIM_CORS_ERROR_PREFLIGHT_DISALLOWED_REDIRECT:
      put(o, "Preflight response is not successful. Status code: ");
      put(o, status);
      break;
    case CORSIM_CORS_ERROR_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE:
      put(o, "Header Access-Control-Allow-Methods has an invalid value: ");
      put(o, d->detail_value ? d->detail_value : hint);
      break;
    case CORSIM_CORS_ERROR_INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE:
      put(o, "Header Access-Control-Allow-Headers has an invalid value: ");
      put(o, d->detail_value ? d->detail_value : hint);
      break;
    case CORSIM_CORS_ERROR_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE:
      put(o, "Method ");
      put(o, hint);
      put(o, " is not allowed by Access-Control-Allow-Methods.");
      break;
    case CORSIM_CORS_ERROR_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE:
      put(o, "Request header field ");
      put(o, hint);
      put(o, " is not allowed by Access-Control-Allow-Headers.");
      break;
    case CORSIM_CORS_ERROR_REDIRECT_CONTAINS_CREDENTIALS:
      put(o, "redirection URL ");
      put(o, url);
      put(o, " has credentials");
      break;
    case CORSIM_CORS_ERROR_CORS_DISABLED_SCHEME:
      put(o, "not allowed to follow a cross-origin CORS redirection with non "
             "CORS scheme");
      break;
    default:
      return;
  }
  put(o, req->is_xhr ? "\nXMLHttpRequest cannot load " : "\nFetch API cannot load ");
  put(o, url);
  put(o, " due to access control checks.");
}

size_t corsim_console_message(enum corsim_profile profile,
                              const struct corsim_request *request,
                              const struct corsim_decision *decision,
                              char *buf, size_t size) {
  struct out o = {buf, size, 0};
  if (size > 0) buf[0] = '\0';
  if (decision == NULL || decision->outcome != CORSIM_OUTCOME_BLOCKED)
    return 0;
  switch (profile) {
    case CORSIM_PROFILE_FETCH:
    case CORSIM_PROFILE_CHROMIUM:
      chromium(&o, request, decision);
      break;
    case CORSIM_PROFILE_FIREFOX:
      firefox(&o, request, decision);
      break;
    case CORSIM_PROFILE_WEBKIT:
      webkit(&o, request, decision);
      break;
  }
  return o.len;
}
