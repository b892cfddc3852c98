/* advice.c: what each refusal means and what the server must change, and
 * the reverse of console.c: reading an engine's console message back into
 * the refusal it reports (research/browsers.md §4-6). */
#include <string.h>

#include "sim.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
  enum corsim_cors_error e;
  struct corsim_advice a;
} cors_advice[] = {
    {CORSIM_CORS_ERROR_NONE,
     {"no CORS check failed", "fetch#concept-main-fetch", ""}},
    {CORSIM_CORS_ERROR_DISALLOWED_BY_MODE,
     {"the request's mode is 'same-origin' and the URL is on another origin: "
      "the browser refuses before sending anything",
      "fetch#concept-main-fetch",
      "nothing on the server can allow this: the page must use mode 'cors' "
      "(the default) for a cross-origin URL"}},
    {CORSIM_CORS_ERROR_INVALID_RESPONSE,
     {"the preflight failed with a network error", "fetch#cors-preflight-fetch-0",
      "make the server answer OPTIONS requests"}},
    {CORSIM_CORS_ERROR_WILDCARD_ORIGIN_NOT_ALLOWED,
     {"the response allows any origin with Access-Control-Allow-Origin: *, "
      "but the request carries credentials, and '*' is not a wildcard then",
      "fetch#concept-cors-check",
      "send the page's exact origin in Access-Control-Allow-Origin (echo an "
      "allowed Origin and add Vary: Origin) together with "
      "Access-Control-Allow-Credentials: true, or make the request without "
      "credentials"}},
    {CORSIM_CORS_ERROR_MISSING_ALLOW_ORIGIN_HEADER,
     {"the response has no Access-Control-Allow-Origin header, so the page "
      "may not read it (an error status such as 401, 404 or 500 without CORS "
      "headers looks exactly like this)",
      "fetch#concept-cors-check",
      "send Access-Control-Allow-Origin with the page's origin (or '*' for "
      "requests without credentials) on this response, error responses "
      "included"}},
    {CORSIM_CORS_ERROR_MULTIPLE_ALLOW_ORIGIN_VALUES,
     {"Access-Control-Allow-Origin holds several values (two header lines, "
      "or a list): it must be exactly one origin or '*'",
      "fetch#concept-cors-check",
      "send one Access-Control-Allow-Origin header with one value: usually "
      "two layers (the app and a proxy) both add it; remove one"}},
    {CORSIM_CORS_ERROR_INVALID_ALLOW_ORIGIN_VALUE,
     {"Access-Control-Allow-Origin is not an origin at all (not a URL the "
      "browser can parse)", "fetch#concept-cors-check",
      "send the page's serialized origin: scheme://host[:port], no path, no "
      "trailing slash, no pattern"}},
    {CORSIM_CORS_ERROR_ALLOW_ORIGIN_MISMATCH,
     {"Access-Control-Allow-Origin names another origin than the page's "
      "(compared byte for byte: scheme, host, port, no trailing slash)",
      "fetch#concept-cors-check",
      "send the page's exact serialized origin in Access-Control-Allow-Origin "
      "(add it to the allowed list)"}},
    {CORSIM_CORS_ERROR_INVALID_ALLOW_CREDENTIALS,
     {"the request carries credentials, and the response lacks "
      "Access-Control-Allow-Credentials: true (exactly 'true')",
      "fetch#concept-cors-check",
      "send Access-Control-Allow-Credentials: true with the exact origin, or "
      "make the request with credentials 'same-origin' or 'omit'"}},
    {CORSIM_CORS_ERROR_CORS_DISABLED_SCHEME,
     {"the URL (or a redirect target) is not http or https: CORS requests "
      "need an HTTP(S) URL", "fetch#concept-main-fetch",
      "serve the resource over http(s); redirect only to http(s) URLs"}},
    {CORSIM_CORS_ERROR_PREFLIGHT_INVALID_STATUS,
     {"the preflight (OPTIONS) was answered with a status outside 200-299; "
      "a preflight never carries credentials, so an OPTIONS route behind "
      "authentication answers 401 or 403",
      "fetch#cors-preflight-fetch-0",
      "answer OPTIONS with 200 or 204 and the CORS headers, before any "
      "authentication check"}},
    {CORSIM_CORS_ERROR_PREFLIGHT_DISALLOWED_REDIRECT,
     {"the preflight was answered with a redirect; preflights never follow "
      "redirects", "fetch#cors-preflight-fetch-0",
      "answer OPTIONS at this URL directly (fix the trailing slash or http->"
      "https redirect, or call the final URL)"}},
    {CORSIM_CORS_ERROR_PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED,
     {"the preflight response has Access-Control-Allow-Origin: *, but the "
      "request carries credentials", "fetch#cors-preflight-fetch-0",
      "on the OPTIONS response, send the exact origin and "
      "Access-Control-Allow-Credentials: true"}},
    {CORSIM_CORS_ERROR_PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER,
     {"the preflight response has no Access-Control-Allow-Origin header",
      "fetch#cors-preflight-fetch-0",
      "answer OPTIONS with Access-Control-Allow-Origin (and the allowed "
      "methods and headers)"}},
    {CORSIM_CORS_ERROR_PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES,
     {"the preflight response's Access-Control-Allow-Origin holds several "
      "values", "fetch#cors-preflight-fetch-0",
      "send one Access-Control-Allow-Origin value on the OPTIONS response"}},
    {CORSIM_CORS_ERROR_PREFLIGHT_INVALID_ALLOW_ORIGIN_VALUE,
     {"the preflight response's Access-Control-Allow-Origin is not an origin",
      "fetch#cors-preflight-fetch-0",
      "send the page's serialized origin on the OPTIONS response"}},
    {CORSIM_CORS_ERROR_PREFLIGHT_ALLOW_ORIGIN_MISMATCH,
     {"the preflight response's Access-Control-Allow-Origin names another "
      "origin", "fetch#cors-preflight-fetch-0",
      "send the page's exact origin on the OPTIONS response"}},
    {CORSIM_CORS_ERROR_PREFLIGHT_INVALID_ALLOW_CREDENTIALS,
     {"the request carries credentials and the preflight response lacks "
      "Access-Control-Allow-Credentials: true (the preflight itself never "
      "carries credentials, but must allow them)",
      "fetch#cors-preflight-fetch-0",
      "send Access-Control-Allow-Credentials: true on the OPTIONS response "
      "too"}},
    {CORSIM_CORS_ERROR_PREFLIGHT_MISSING_ALLOW_EXTERNAL,
     {"an obsolete Private Network Access check (never emitted now)",
      "lna#fetching", ""}},
    {CORSIM_CORS_ERROR_PREFLIGHT_INVALID_ALLOW_EXTERNAL,
     {"an obsolete Private Network Access check (never emitted now)",
      "lna#fetching", ""}},
    {CORSIM_CORS_ERROR_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE,
     {"Access-Control-Allow-Methods does not parse as a comma-separated list "
      "of method names", "fetch#cors-preflight-fetch-0",
      "send Access-Control-Allow-Methods as 'GET, PUT, DELETE' (commas, not "
      "spaces or semicolons)"}},
    {CORSIM_CORS_ERROR_INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE,
     {"Access-Control-Allow-Headers does not parse as a comma-separated list "
      "of header names", "fetch#cors-preflight-fetch-0",
      "send Access-Control-Allow-Headers as 'Content-Type, Authorization' "
      "(commas, not spaces or semicolons)"}},
    {CORSIM_CORS_ERROR_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     {"the request's method is not in Access-Control-Allow-Methods "
      "(compared case-sensitively; '*' does not count with credentials)",
      "fetch#cors-preflight-fetch-0",
      "add the method, spelled exactly as the page sends it, to "
      "Access-Control-Allow-Methods on the OPTIONS response"}},
    {CORSIM_CORS_ERROR_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     {"a request header is not in Access-Control-Allow-Headers ('*' does not "
      "count with credentials, and never covers Authorization in the "
      "standard)", "fetch#cors-preflight-fetch-0",
      "add the header name to Access-Control-Allow-Headers on the OPTIONS "
      "response (list Authorization by name)"}},
    {CORSIM_CORS_ERROR_REDIRECT_CONTAINS_CREDENTIALS,
     {"a redirect of a cross-origin request goes to a URL with a username or "
      "password", "fetch#concept-http-redirect-fetch",
      "redirect to a URL without credentials"}},
    {CORSIM_CORS_ERROR_INSECURE_LOCAL_NETWORK,
     {"a page that is not a secure context asks for a more private address "
      "(Local Network Access)", "lna#fetching",
      "serve the page over https; the user must then grant the "
      "local-network-access permission"}},
    {CORSIM_CORS_ERROR_INVALID_LOCAL_NETWORK_ACCESS,
     {"the resource's address space is not the one the request declared "
      "(Local Network Access)", "lna#fetching",
      "declare the right targetAddressSpace or reach the server at an "
      "address of the declared space"}},
    {CORSIM_CORS_ERROR_NO_CORS_REDIRECT_MODE_NOT_FOLLOW,
     {"mode 'no-cors' works only with redirect mode 'follow'",
      "fetch#concept-main-fetch",
      "nothing on the server: the page must use redirect 'follow' with "
      "no-cors"}},
    {CORSIM_CORS_ERROR_LOCAL_NETWORK_ACCESS_PERMISSION_DENIED,
     {"a public page asks for a loopback or private address and the "
      "local-network-access permission is not granted (Chromium)",
      "lna#fetching",
      "the user must grant the permission; or serve the API from a public "
      "address, or the page from the same address space"}},
};

const struct corsim_advice *corsim_cors_error_advice(enum corsim_cors_error e) {
  for (size_t i = 0; i < COUNT(cors_advice); i++)
    if (cors_advice[i].e == e) return &cors_advice[i].a;
  return &cors_advice[0].a;
}

static const struct corsim_advice blocked_advice[] = {
    [CORSIM_BLOCKED_NONE] = {"the fetch was not refused", "fetch#concept-main-fetch", ""},
    [CORSIM_BLOCKED_CORS] = {"a CORS check failed", "fetch#http-cors-protocol", ""},
    [CORSIM_BLOCKED_TYPE_ERROR] =
        {"fetch() itself refused the arguments (TypeError) before anything "
         "was sent", "fetch#dom-request",
         "nothing on the server: fix the call in the page"},
    [CORSIM_BLOCKED_MIXED_CONTENT] =
        {"an https page may not fetch http URLs (mixed content); this is not "
         "a CORS error", "mixed-content#should-block-fetch",
         "serve the API over https"},
    [CORSIM_BLOCKED_BAD_PORT] =
        {"the port is on the browser's list of bad ports", "fetch#bad-port",
         "serve the API on another port"},
    [CORSIM_BLOCKED_REDIRECT] =
        {"the redirect could not be followed (redirect mode 'error', too many "
         "redirects, or a bad Location)", "fetch#concept-http-redirect-fetch",
         "send a valid Location, fewer redirects, or none"},
    [CORSIM_BLOCKED_LOCAL_NETWORK] =
        {"Local Network Access refused the request", "lna#fetching", ""},
    [CORSIM_BLOCKED_NETWORK] =
        {"a network error", "fetch#concept-network-error", ""},
};

const struct corsim_advice *corsim_blocked_reason_advice(
    enum corsim_blocked_reason r) {
  size_t i = (size_t)r;
  return i < COUNT(blocked_advice) ? &blocked_advice[i] : &blocked_advice[0];
}

/* ---- reading console messages ---------------------------------------------- */

struct parse {
  struct corsim_console_info *out;
  size_t used;
};

/* Copies [s, s+n) into out->buf_; "" when it does not fit. */
static const char *keep(struct parse *p, const char *s, size_t n) {
  if (p->used + n + 1 > sizeof p->out->buf_) return "";
  char *d = p->out->buf_ + p->used;
  memcpy(d, s, n);
  d[n] = '\0';
  p->used += n + 1;
  return d;
}

/* The text between `open` and `close` after position `from`, or NULL. */
static const char *between(struct parse *p, const char *text, const char *open,
                           const char *close) {
  const char *a = strstr(text, open);
  if (a == NULL) return NULL;
  a += strlen(open);
  const char *b = strstr(a, close);
  if (b == NULL) return NULL;
  return keep(p, a, (size_t)(b - a));
}

/* Curly quotes as straight ones, so a message retyped by hand still reads. */
static void straighten(const char *in, char *out, size_t size) {
  size_t n = 0;
  for (const unsigned char *s = (const unsigned char *)in; *s && n + 1 < size;
       s++) {
    if (s[0] == 0xE2 && s[1] == 0x80 &&
        (s[2] == 0x98 || s[2] == 0x99 || s[2] == 0x9C || s[2] == 0x9D)) {
      out[n++] = (s[2] == 0x98 || s[2] == 0x99) ? '\'' : '"';
      s += 2;
    } else {
      out[n++] = (char)*s;
    }
  }
  out[n] = '\0';
}

struct phrase {
  const char *text;
  enum corsim_cors_error error;
  enum corsim_cors_error preflight_error;
  const char *hint_open, *hint_close; /* where the parameter stands */
};

/* research/browsers.md §4.2, in the order that keeps longer matches first */
static const struct phrase chromium_phrases[] = {
    {"No 'Access-Control-Allow-Origin' header is present",
     CORSIM_CORS_ERROR_MISSING_ALLOW_ORIGIN_HEADER,
     CORSIM_CORS_ERROR_PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER, NULL, NULL},
    {"must not be the wildcard '*'", CORSIM_CORS_ERROR_WILDCARD_ORIGIN_NOT_ALLOWED,
     CORSIM_CORS_ERROR_PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED, NULL, NULL},
    {"header contains multiple values", CORSIM_CORS_ERROR_MULTIPLE_ALLOW_ORIGIN_VALUES,
     CORSIM_CORS_ERROR_PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES,
     "multiple values '", "', but"},
    {"header contains the invalid value", CORSIM_CORS_ERROR_INVALID_ALLOW_ORIGIN_VALUE,
     CORSIM_CORS_ERROR_PREFLIGHT_INVALID_ALLOW_ORIGIN_VALUE,
     "the invalid value '", "'."},
    {"that is not equal to the supplied origin",
     CORSIM_CORS_ERROR_ALLOW_ORIGIN_MISMATCH,
     CORSIM_CORS_ERROR_PREFLIGHT_ALLOW_ORIGIN_MISMATCH, "has a value '",
     "' that is not equal"},
    {"'Access-Control-Allow-Credentials' header in the response is",
     CORSIM_CORS_ERROR_INVALID_ALLOW_CREDENTIALS,
     CORSIM_CORS_ERROR_PREFLIGHT_INVALID_ALLOW_CREDENTIALS,
     "in the response is '", "' which must"},
    {"It does not have HTTP ok status", CORSIM_CORS_ERROR_PREFLIGHT_INVALID_STATUS,
     CORSIM_CORS_ERROR_PREFLIGHT_INVALID_STATUS, NULL, NULL},
    {"Redirect is not allowed for a preflight request",
     CORSIM_CORS_ERROR_PREFLIGHT_DISALLOWED_REDIRECT,
     CORSIM_CORS_ERROR_PREFLIGHT_DISALLOWED_REDIRECT, NULL, NULL},
    {"Cannot parse Access-Control-Allow-Methods",
     CORSIM_CORS_ERROR_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE,
     CORSIM_CORS_ERROR_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE, NULL, NULL},
    {"Cannot parse Access-Control-Allow-Headers",
     CORSIM_CORS_ERROR_INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE,
     CORSIM_CORS_ERROR_INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE, NULL, NULL},
    {"is not allowed by Access-Control-Allow-Methods in preflight response",
     CORSIM_CORS_ERROR_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     CORSIM_CORS_ERROR_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE, "Method ",
     " is not allowed"},
    {"is not allowed by Access-Control-Allow-Headers in preflight response",
     CORSIM_CORS_ERROR_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     CORSIM_CORS_ERROR_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     "Request header field ", " is not allowed"},
    {"Cross origin requests are only supported for protocol schemes",
     CORSIM_CORS_ERROR_CORS_DISABLED_SCHEME, CORSIM_CORS_ERROR_CORS_DISABLED_SCHEME,
     NULL, NULL},
    {"Cross origin requests are not allowed by request mode",
     CORSIM_CORS_ERROR_DISALLOWED_BY_MODE, CORSIM_CORS_ERROR_DISALLOWED_BY_MODE,
     NULL, NULL},
    {"contains a username and password",
     CORSIM_CORS_ERROR_REDIRECT_CONTAINS_CREDENTIALS,
     CORSIM_CORS_ERROR_REDIRECT_CONTAINS_CREDENTIALS, NULL, NULL},
    {"Permission was denied for this request to access the",
     CORSIM_CORS_ERROR_LOCAL_NETWORK_ACCESS_PERMISSION_DENIED,
     CORSIM_CORS_ERROR_LOCAL_NETWORK_ACCESS_PERMISSION_DENIED, "access the `",
     "`"},
    {"The request client is not a secure context",
     CORSIM_CORS_ERROR_INSECURE_LOCAL_NETWORK,
     CORSIM_CORS_ERROR_INSECURE_LOCAL_NETWORK, "address space `", "`"},
    {"The response is invalid", CORSIM_CORS_ERROR_INVALID_RESPONSE,
     CORSIM_CORS_ERROR_INVALID_RESPONSE, NULL, NULL},
};

/* research/browsers.md §5 (quotes straightened) */
static const struct phrase firefox_phrases[] = {
    {"CORS header 'Access-Control-Allow-Origin' missing",
     CORSIM_CORS_ERROR_MISSING_ALLOW_ORIGIN_HEADER,
     CORSIM_CORS_ERROR_MISSING_ALLOW_ORIGIN_HEADER, NULL, NULL},
    {"CORS header 'Access-Control-Allow-Origin' does not match",
     CORSIM_CORS_ERROR_ALLOW_ORIGIN_MISMATCH,
     CORSIM_CORS_ERROR_ALLOW_ORIGIN_MISMATCH, "does not match '", "')"},
    {"Multiple CORS header 'Access-Control-Allow-Origin' not allowed",
     CORSIM_CORS_ERROR_MULTIPLE_ALLOW_ORIGIN_VALUES,
     CORSIM_CORS_ERROR_MULTIPLE_ALLOW_ORIGIN_VALUES, NULL, NULL},
    {"Credential is not supported if the CORS header",
     CORSIM_CORS_ERROR_WILDCARD_ORIGIN_NOT_ALLOWED,
     CORSIM_CORS_ERROR_WILDCARD_ORIGIN_NOT_ALLOWED, NULL, NULL},
    {"expected 'true' in CORS header 'Access-Control-Allow-Credentials'",
     CORSIM_CORS_ERROR_INVALID_ALLOW_CREDENTIALS,
     CORSIM_CORS_ERROR_INVALID_ALLOW_CREDENTIALS, NULL, NULL},
    {"CORS preflight response did not succeed",
     CORSIM_CORS_ERROR_PREFLIGHT_INVALID_STATUS,
     CORSIM_CORS_ERROR_PREFLIGHT_INVALID_STATUS, "Status code: ", "."},
    {"CORS request external redirect not allowed",
     CORSIM_CORS_ERROR_PREFLIGHT_DISALLOWED_REDIRECT,
     CORSIM_CORS_ERROR_PREFLIGHT_DISALLOWED_REDIRECT, NULL, NULL},
    {"' in CORS header 'Access-Control-Allow-Methods'",
     CORSIM_CORS_ERROR_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE,
     CORSIM_CORS_ERROR_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE,
     "invalid token '", "'"},
    {"' in CORS header 'Access-Control-Allow-Headers'",
     CORSIM_CORS_ERROR_INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE,
     CORSIM_CORS_ERROR_INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE,
     "invalid token '", "'"},
    {"Did not find method in CORS header",
     CORSIM_CORS_ERROR_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     CORSIM_CORS_ERROR_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE, NULL, NULL},
    {"is not allowed according to header 'Access-Control-Allow-Headers'",
     CORSIM_CORS_ERROR_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     CORSIM_CORS_ERROR_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE, "header '",
     "' is not allowed"},
    {"CORS request not http", CORSIM_CORS_ERROR_CORS_DISABLED_SCHEME,
     CORSIM_CORS_ERROR_CORS_DISABLED_SCHEME, NULL, NULL},
};

/* research/browsers.md §6 */
static const struct phrase webkit_phrases[] = {
    {"Access-Control-Allow-Origin cannot contain more than one origin",
     CORSIM_CORS_ERROR_MULTIPLE_ALLOW_ORIGIN_VALUES,
     CORSIM_CORS_ERROR_MULTIPLE_ALLOW_ORIGIN_VALUES, NULL, NULL},
    {"Cannot use wildcard in Access-Control-Allow-Origin when credentials",
     CORSIM_CORS_ERROR_WILDCARD_ORIGIN_NOT_ALLOWED,
     CORSIM_CORS_ERROR_WILDCARD_ORIGIN_NOT_ALLOWED, NULL, NULL},
    {"is not allowed by Access-Control-Allow-Origin",
     CORSIM_CORS_ERROR_ALLOW_ORIGIN_MISMATCH,
     CORSIM_CORS_ERROR_ALLOW_ORIGIN_MISMATCH, "Origin ", " is not allowed"},
    {"Access-Control-Allow-Credentials is not \"true\"",
     CORSIM_CORS_ERROR_INVALID_ALLOW_CREDENTIALS,
     CORSIM_CORS_ERROR_INVALID_ALLOW_CREDENTIALS, NULL, NULL},
    {"Preflight response is not successful",
     CORSIM_CORS_ERROR_PREFLIGHT_INVALID_STATUS,
     CORSIM_CORS_ERROR_PREFLIGHT_INVALID_STATUS, "Status code: ", "\n"},
    {"Header Access-Control-Allow-Methods has an invalid value",
     CORSIM_CORS_ERROR_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE,
     CORSIM_CORS_ERROR_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE, NULL, NULL},
    {"Header Access-Control-Allow-Headers has an invalid value",
     CORSIM_CORS_ERROR_INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE,
     CORSIM_CORS_ERROR_INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE, NULL, NULL},
    {"is not allowed by Access-Control-Allow-Methods.",
     CORSIM_CORS_ERROR_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     CORSIM_CORS_ERROR_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE, "Method ",
     " is not allowed"},
    {"is not allowed by Access-Control-Allow-Headers.",
     CORSIM_CORS_ERROR_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     CORSIM_CORS_ERROR_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     "Request header field ", " is not allowed"},
    {"Cross origin requests are not allowed when using same-origin fetch mode",
     CORSIM_CORS_ERROR_DISALLOWED_BY_MODE, CORSIM_CORS_ERROR_DISALLOWED_BY_MODE,
     NULL, NULL},
    {"cross-origin CORS redirection with non CORS scheme",
     CORSIM_CORS_ERROR_CORS_DISABLED_SCHEME, CORSIM_CORS_ERROR_CORS_DISABLED_SCHEME,
     NULL, NULL},
    {"has credentials", CORSIM_CORS_ERROR_REDIRECT_CONTAINS_CREDENTIALS,
     CORSIM_CORS_ERROR_REDIRECT_CONTAINS_CREDENTIALS, NULL, NULL},
};

static bool match(struct parse *p, const char *text, const struct phrase *t,
                  size_t n, bool preflight) {
  for (size_t i = 0; i < n; i++) {
    if (strstr(text, t[i].text) == NULL) continue;
    p->out->cors_error = preflight ? t[i].preflight_error : t[i].error;
    p->out->blocked_reason = CORSIM_BLOCKED_CORS;
    if (t[i].hint_open != NULL) {
      const char *h = between(p, text, t[i].hint_open, t[i].hint_close);
      if (h != NULL) p->out->parameter = h;
    }
    return true;
  }
  return false;
}

bool corsim_console_parse(const char *message,
                          struct corsim_console_info *out) {
  memset(out, 0, sizeof *out);
  out->url = out->origin = out->parameter = "";
  if (message == NULL) return false;
  char text[2048];
  straighten(message, text, sizeof text);
  struct parse p = {out, 0};

  /* Chromium, network service: "Access to KIND at 'URL' ... from origin
   * 'O' has been blocked by CORS policy: REASON" */
  if (strstr(text, "has been blocked by CORS policy") != NULL) {
    out->engine = CORSIM_PROFILE_CHROMIUM;
    const char *u = between(&p, text, " at '", "'");
    if (u) out->url = u;
    const char *o = between(&p, text, "from origin '", "'");
    if (o) out->origin = o;
    out->is_preflight =
        strstr(text, "Response to preflight request doesn't pass") != NULL;
    if (!match(&p, text, chromium_phrases, COUNT(chromium_phrases),
               out->is_preflight)) {
      out->blocked_reason = CORSIM_BLOCKED_CORS;
      out->cors_error = CORSIM_CORS_ERROR_NONE;
    }
    return true;
  }
  /* Chromium, renderer (browsers.md §4.4) and its mixed-content text */
  if (strncmp(text, "Fetch API cannot load ", 22) == 0 &&
      strstr(text, "due to access control checks") == NULL) {
    out->engine = CORSIM_PROFILE_CHROMIUM;
    out->blocked_reason = CORSIM_BLOCKED_CORS;
    const char *u = between(&p, text, "Fetch API cannot load ", ". ");
    if (u) out->url = u;
    if (strstr(text, "Request mode is \"same-origin\"") != NULL)
      out->cors_error = CORSIM_CORS_ERROR_DISALLOWED_BY_MODE;
    else if (strstr(text, "Request mode is \"no-cors\"") != NULL)
      out->cors_error = CORSIM_CORS_ERROR_NO_CORS_REDIRECT_MODE_NOT_FOLLOW;
    else if (strstr(text, "is not supported") != NULL)
      out->cors_error = CORSIM_CORS_ERROR_CORS_DISABLED_SCHEME;
    else
      return false;
    return true;
  }
  if (strncmp(text, "Mixed Content:", 14) == 0) {
    out->engine = CORSIM_PROFILE_CHROMIUM;
    out->blocked_reason = CORSIM_BLOCKED_MIXED_CONTENT;
    const char *u = between(&p, text, "insecure resource '", "'");
    if (u) out->url = u;
    return true;
  }
  /* Firefox */
  if (strstr(text, "Cross-Origin Request Blocked:") != NULL ||
      strstr(text, "Same Origin Policy disallows reading the remote resource") !=
          NULL) {
    out->engine = CORSIM_PROFILE_FIREFOX;
    const char *u = between(&p, text, "remote resource at ", ". (Reason");
    if (u) {
      size_t n = strlen(u);
      if (n >= 2 && u[0] == '\'' && u[n - 1] == '\'')
        u = keep(&p, u + 1, n - 2);
      out->url = u;
    }
    if (!match(&p, text, firefox_phrases, COUNT(firefox_phrases), false)) {
      out->blocked_reason = strstr(text, "CORS request did not succeed")
                                ? CORSIM_BLOCKED_NETWORK
                                : CORSIM_BLOCKED_CORS;
    }
    return true;
  }
  if (strstr(text, "Blocked loading mixed active content") != NULL) {
    out->engine = CORSIM_PROFILE_FIREFOX;
    out->blocked_reason = CORSIM_BLOCKED_MIXED_CONTENT;
    const char *u = between(&p, text, "mixed active content \"", "\"");
    if (u) out->url = u;
    return true;
  }
  /* WebKit */
  if (match(&p, text, webkit_phrases, COUNT(webkit_phrases), false)) {
    out->engine = CORSIM_PROFILE_WEBKIT;
    if (out->cors_error == CORSIM_CORS_ERROR_ALLOW_ORIGIN_MISMATCH) {
      out->origin = out->parameter;
      out->parameter = "";
    }
    const char *u = between(&p, text, "Fetch API cannot load ",
                            " due to access control checks");
    if (u) out->url = u;
    return true;
  }
  if (strstr(text, "due to access control checks") != NULL) {
    out->engine = CORSIM_PROFILE_WEBKIT;
    out->blocked_reason = CORSIM_BLOCKED_CORS;
    const char *u = between(&p, text, "cannot load ",
                            " due to access control checks");
    if (u) out->url = u;
    return true;
  }
  return false;
}
