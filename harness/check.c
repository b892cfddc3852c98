/* check.c: the `corsim check` command: asks a live server what a page on
 * one origin would get from fetch(), through the simulator, and explains
 * the verdict of each browser asked; --save keeps the answers as a vector
 * file, so that a live answer becomes a regression case in one step.
 *
 * Every byte that came from the server (in the trace, the console message,
 * header names) is printed through escape_terminal(). */
#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "../reports/escape.h"
#include "cli.h"
#include "live.h"

static const char help[] =
    "usage: corsim check URL --origin ORIGIN [options]\n"
    "\n"
    "Sends the request that a page on ORIGIN makes with fetch(URL) to the\n"
    "live server, through a model of the browser's CORS decisions, and\n"
    "prints for each browser the verdict, the steps that decided it, the\n"
    "console message and what to change on the server. Live mode sends no\n"
    "cookies or HTTP authentication, even with --credentials include.\n"
    "\n"
    "options:\n"
    "  --origin ORIGIN         the page's origin, e.g. https://app.example, or\n"
    "                          null (required)\n"
    "  -X, --request METHOD    the method fetch() is called with (default GET)\n"
    "  -H, --header 'N: V'     an author request header (repeatable, kept in\n"
    "                          order; 'N;' is an empty value)\n"
    "  --credentials C         omit, same-origin (default) or include\n"
    "  --mode M                cors (default), no-cors or same-origin\n"
    "  --browser NAME          fetch (the Fetch Standard, default), chromium,\n"
    "                          firefox, webkit, or all (each browser asks the\n"
    "                          server again)\n"
    "  --insecure              do not verify the server's TLS certificate\n"
    "  --cacert FILE           trust the CA certificates in FILE (PEM)\n"
    "                          instead of the system's\n"
    "  --resolve H:P:A[:P2]    connect to address A (port P2) for host H and\n"
    "                          port P; * is any host or port; repeatable\n"
    "  --connect-timeout S     name lookup and TCP connect (default 5)\n"
    "  --tls-timeout S         the TLS handshake (default 5)\n"
    "  --first-byte-timeout S  request sent to the first byte (default 10)\n"
    "  --max-time S            the whole exchange (default 30)\n"
    "  --save DIR              write the answers as a vector file\n"
    "                          DIR/HOST-METHOD-N.json, captures as\n"
    "                          DIR/HOST-METHOD-N.K.http, expect from the first\n"
    "                          browser's decision\n"
    "\n"
    "exit codes:\n"
    "  0  allowed (or opaque) in every browser asked\n"
    "  1  refused in at least one\n"
    "  2  command-line usage error\n"
    "  4  the server was unreachable, too slow or not speaking HTTP\n"
    "  5  the --save files could not be written, or an internal error\n";

const char *check_help(void) { return help; }

/* ---- what to change on the server --------------------------------------------- */

/* One template per refusal that a server change fixes. Placeholders:
 * {origin} the page's origin, {param} the failed parameter, {detail} the
 * offending list token, {status} the failed response's status, {lines}
 * the Access-Control-Allow-Origin lines, {method} the request's method,
 * {star} "or *" (or why not). A template whose placeholder has no value
 * gives way to `alt`; without `alt`, to the library's advice. */
static const struct {
  enum corsim_cors_error e;
  const char *fix;
  const char *alt;
} fixes[] = {
    {CORSIM_CORS_ERROR_MISSING_ALLOW_ORIGIN_HEADER,
     "send Access-Control-Allow-Origin: {origin} ({star}) on this response; "
     "it came back {status} without one",
     NULL},
    {CORSIM_CORS_ERROR_PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER,
     "answer OPTIONS with Access-Control-Allow-Origin: {origin} ({star}) and "
     "the allowed methods and headers; the preflight came back {status} "
     "without it",
     NULL},
    {CORSIM_CORS_ERROR_WILDCARD_ORIGIN_NOT_ALLOWED,
     "send Access-Control-Allow-Origin: {origin} instead of *, with "
     "Access-Control-Allow-Credentials: true: the request carries credentials",
     NULL},
    {CORSIM_CORS_ERROR_PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED,
     "on the OPTIONS response, send Access-Control-Allow-Origin: {origin} "
     "instead of *, with Access-Control-Allow-Credentials: true: the request "
     "carries credentials",
     NULL},
    {CORSIM_CORS_ERROR_MULTIPLE_ALLOW_ORIGIN_VALUES,
     "send one Access-Control-Allow-Origin with the single value {origin} "
     "(now '{param}'); usually two layers, the app and a proxy, both add it",
     "send one Access-Control-Allow-Origin with the single value {origin} "
     "(now {lines} lines); usually two layers, the app and a proxy, both add "
     "it"},
    {CORSIM_CORS_ERROR_PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES,
     "on the OPTIONS response, send one Access-Control-Allow-Origin with the "
     "single value {origin} (now '{param}')",
     "on the OPTIONS response, send one Access-Control-Allow-Origin with the "
     "single value {origin} (now {lines} lines)"},
    {CORSIM_CORS_ERROR_INVALID_ALLOW_ORIGIN_VALUE,
     "send Access-Control-Allow-Origin: {origin}, a serialized origin "
     "(scheme://host[:port], no path); '{param}' is not one",
     "send Access-Control-Allow-Origin: {origin}, a serialized origin "
     "(scheme://host[:port], no path)"},
    {CORSIM_CORS_ERROR_PREFLIGHT_INVALID_ALLOW_ORIGIN_VALUE,
     "on the OPTIONS response, send Access-Control-Allow-Origin: {origin}, a "
     "serialized origin; '{param}' is not one",
     "on the OPTIONS response, send Access-Control-Allow-Origin: {origin}, a "
     "serialized origin"},
    {CORSIM_CORS_ERROR_ALLOW_ORIGIN_MISMATCH,
     "send Access-Control-Allow-Origin: {origin} (it sends '{param}'); origins "
     "compare byte for byte, scheme and port included",
     "send Access-Control-Allow-Origin: {origin}; origins compare byte for "
     "byte, scheme and port included"},
    {CORSIM_CORS_ERROR_PREFLIGHT_ALLOW_ORIGIN_MISMATCH,
     "on the OPTIONS response, send Access-Control-Allow-Origin: {origin} (it "
     "sends '{param}')",
     "on the OPTIONS response, send Access-Control-Allow-Origin: {origin}"},
    {CORSIM_CORS_ERROR_INVALID_ALLOW_CREDENTIALS,
     "send Access-Control-Allow-Credentials: true, exactly (now '{param}'), "
     "on this response, or make the request without credentials",
     "send Access-Control-Allow-Credentials: true on this response (it has "
     "none), or make the request without credentials"},
    {CORSIM_CORS_ERROR_PREFLIGHT_INVALID_ALLOW_CREDENTIALS,
     "send Access-Control-Allow-Credentials: true on the OPTIONS response too "
     "(now '{param}')",
     "send Access-Control-Allow-Credentials: true on the OPTIONS response too "
     "(it has none)"},
    {CORSIM_CORS_ERROR_PREFLIGHT_INVALID_STATUS,
     "answer OPTIONS with 200 or 204 (status {status} now), without requiring "
     "authentication: a preflight never carries credentials",
     NULL},
    {CORSIM_CORS_ERROR_PREFLIGHT_DISALLOWED_REDIRECT,
     "answer OPTIONS at this URL directly (it redirects with {status}): a "
     "preflight never follows redirects; fix the trailing slash or the "
     "http->https redirect, or call the final URL",
     NULL},
    {CORSIM_CORS_ERROR_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     "add '{param}' to Access-Control-Allow-Methods on the OPTIONS response "
     "(methods compare case-sensitively)",
     "add '{method}' to Access-Control-Allow-Methods on the OPTIONS response"},
    {CORSIM_CORS_ERROR_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE,
     "add '{param}' to Access-Control-Allow-Headers on the OPTIONS response",
     NULL},
    {CORSIM_CORS_ERROR_INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE,
     "send Access-Control-Allow-Methods as a comma-separated list of methods, "
     "e.g. 'GET, {method}' ('{detail}' is not a method)",
     "send Access-Control-Allow-Methods as a comma-separated list of methods, "
     "e.g. 'GET, {method}'"},
    {CORSIM_CORS_ERROR_INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE,
     "send Access-Control-Allow-Headers as a comma-separated list of header "
     "names ('{detail}' is not one)",
     "send Access-Control-Allow-Headers as a comma-separated list of header "
     "names"},
};

/* Expands one template; false when a placeholder has no value. */
static bool expand(const char *tpl, const struct corsim_request *rq,
                   const struct corsim_decision *d, struct escape_buf *b) {
  char num[32];
  for (const char *p = tpl; *p;) {
    if (*p != '{') {
      size_t n = strcspn(p, "{");
      escape_buf_add(b, p, n);
      p += n;
      continue;
    }
    const char *end = strchr(p, '}');
    if (end == NULL) {
      escape_buf_puts(b, p);
      break;
    }
    size_t n = (size_t)(end - p - 1);
    const char *key = p + 1;
    const char *v = NULL;
    if (n == 6 && strncmp(key, "origin", n) == 0) {
      v = d->origin ? d->origin : rq->origin ? rq->origin : "null";
    } else if (n == 5 && strncmp(key, "param", n) == 0) {
      v = d->failed_parameter;
    } else if (n == 6 && strncmp(key, "detail", n) == 0) {
      v = d->detail;
    } else if (n == 6 && strncmp(key, "status", n) == 0) {
      if (d->failed_response_status > 0) {
        snprintf(num, sizeof num, "%d", d->failed_response_status);
        v = num;
      }
    } else if (n == 5 && strncmp(key, "lines", n) == 0) {
      snprintf(num, sizeof num, "%zu", d->allow_origin_lines);
      v = num;
    } else if (n == 6 && strncmp(key, "method", n) == 0) {
      v = rq->method ? rq->method : "GET";
    } else if (n == 4 && strncmp(key, "star", n) == 0) {
      v = rq->credentials == CORSIM_CREDENTIALS_INCLUDE
              ? "not *: the request carries credentials"
              : "or *";
    }
    if (v == NULL) return false;
    escape_buf_puts(b, v);
    p = end + 1;
  }
  return true;
}

size_t check_server_fix(const struct corsim_request *request,
                        const struct corsim_decision *d, char *out,
                        size_t out_size) {
  if (out_size > 0) out[0] = '\0';
  if (d->outcome != CORSIM_OUTCOME_BLOCKED) return 0;
  struct escape_buf b;
  escape_buf_init(&b);
  bool done = false;
  if (d->blocked_reason == CORSIM_BLOCKED_CORS)
    for (size_t i = 0; !done && i < sizeof fixes / sizeof fixes[0]; i++) {
      if (fixes[i].e != d->cors_error) continue;
      done = expand(fixes[i].fix, request, d, &b);
      if (!done && fixes[i].alt != NULL) {
        escape_buf_reset(&b);
        done = expand(fixes[i].alt, request, d, &b);
      }
      if (!done) escape_buf_reset(&b);
    }
  /* A preflight answered 401 or 403 is an OPTIONS route behind
   * authentication, whichever check failed first. */
  if (done && d->failed_on_preflight &&
      d->cors_error != CORSIM_CORS_ERROR_PREFLIGHT_INVALID_STATUS &&
      (d->failed_response_status == 401 || d->failed_response_status == 403))
    escape_buf_puts(&b, "; and answer OPTIONS before any authentication "
                        "check: a preflight never carries credentials");
  if (!done) {
    const struct corsim_advice *a =
        d->blocked_reason == CORSIM_BLOCKED_CORS
            ? corsim_cors_error_advice(d->cors_error)
            : corsim_blocked_reason_advice(d->blocked_reason);
    if (a != NULL && a->fix != NULL) escape_buf_puts(&b, a->fix);
  }
  size_t need = b.failed ? 0 : b.len;
  if (out_size > 0 && need > 0)
    snprintf(out, out_size, "%s", escape_buf_str(&b));
  escape_buf_release(&b);
  return need;
}

/* ---- options ------------------------------------------------------------------- */

struct args {
  bool help;
  const char *url;
  const char *origin;
  const char *method;
  struct corsim_header *headers;
  size_t header_count;
  enum corsim_credentials credentials;
  enum corsim_mode mode;
  bool all_browsers;
  enum corsim_profile browser;
  const char **resolve;
  size_t resolve_count;
  struct live_options live;
  const char *save_dir;
};

static void args_release(struct args *a) {
  for (size_t i = 0; i < a->header_count; i++) {
    free((void *)(uintptr_t)a->headers[i].name);
    free((void *)(uintptr_t)a->headers[i].value);
  }
  free(a->headers);
  free(a->resolve);
  memset(a, 0, sizeof *a);
}

__attribute__((format(printf, 3, 4))) static int usage(char *err, size_t n,
                                                        const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, n, fmt, ap);
  va_end(ap);
  return -1;
}

/* -H 'Name: value' (curl's form; 'Name;' is an empty value). */
static int add_header(struct args *a, const char *spec, char *err, size_t n) {
  const char *colon = strchr(spec, ':');
  size_t spec_len = strlen(spec);
  const char *value = "";
  size_t name_len;
  if (colon != NULL) {
    name_len = (size_t)(colon - spec);
    value = colon + 1;
    while (*value == ' ' || *value == '\t') value++;
  } else if (spec_len > 0 && spec[spec_len - 1] == ';') {
    name_len = spec_len - 1;
  } else {
    return usage(err, n, "header '%s' has no ':'; expected 'Name: value'",
                 spec);
  }
  while (name_len > 0 && (spec[name_len - 1] == ' ' || spec[name_len - 1] == '\t'))
    name_len--;
  if (name_len == 0) return usage(err, n, "header '%s' has no name", spec);
  struct corsim_header *h =
      realloc(a->headers, (a->header_count + 1) * sizeof *h);
  if (h == NULL) return usage(err, n, "out of memory");
  a->headers = h;
  char *name = strndup(spec, name_len);
  char *val = strdup(value);
  if (name == NULL || val == NULL) {
    free(name);
    free(val);
    return usage(err, n, "out of memory");
  }
  size_t vlen = strlen(val);
  while (vlen > 0 && (val[vlen - 1] == ' ' || val[vlen - 1] == '\t'))
    val[--vlen] = '\0';
  h[a->header_count].name = name;
  h[a->header_count].name_len = name_len;
  h[a->header_count].value = val;
  h[a->header_count].value_len = vlen;
  a->header_count++;
  return 0;
}

static int seconds_option(const char *opt, const char *v, double *out,
                          char *err, size_t n) {
  if (!live_parse_seconds(v, out))
    return usage(err, n, "option '%s' needs a number of seconds, not '%s'",
                 opt, v);
  return 0;
}

static int parse_args(int argc, char **argv, struct args *a, char *err,
                      size_t n) {
  memset(a, 0, sizeof *a);
  a->method = "GET";
  a->credentials = CORSIM_CREDENTIALS_SAME_ORIGIN;
  a->mode = CORSIM_MODE_CORS;
  a->browser = CORSIM_PROFILE_FETCH;
  a->live.record = true;
  static const char *const with_value[] = {
      "--origin", "-X", "--request", "-H", "--header", "--credentials",
      "--mode", "--browser", "--cacert", "--resolve", "--connect-timeout",
      "--tls-timeout", "--first-byte-timeout", "--max-time", "--save", NULL};
  for (int i = 1; i < argc; i++) {
    const char *o = argv[i];
    bool takes = false;
    for (size_t k = 0; with_value[k] != NULL; k++)
      if (strcmp(o, with_value[k]) == 0) takes = true;
    const char *v = takes && i + 1 < argc ? argv[i + 1] : NULL;
    if (takes && v == NULL)
      return usage(err, n, "option '%s' needs a value", o);
    if (takes) i++;
    if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
      a->help = true;
      return 0;
    } else if (strcmp(o, "--origin") == 0) {
      a->origin = v;
    } else if (strcmp(o, "-X") == 0 || strcmp(o, "--request") == 0) {
      a->method = v;
    } else if (strcmp(o, "-H") == 0 || strcmp(o, "--header") == 0) {
      if (add_header(a, v, err, n) != 0) return -1;
    } else if (strcmp(o, "--credentials") == 0) {
      if (!corsim_credentials_from_name(v, &a->credentials))
        return usage(err, n, "unknown credentials mode '%s'; expected omit, "
                     "same-origin or include", v);
    } else if (strcmp(o, "--mode") == 0) {
      if (!corsim_mode_from_name(v, &a->mode))
        return usage(err, n, "unknown mode '%s'; expected cors, no-cors or "
                     "same-origin", v);
    } else if (strcmp(o, "--browser") == 0) {
      if (!cli_parse_browser(v, &a->all_browsers, &a->browser, err, n)) return -1;
    } else if (strcmp(o, "--insecure") == 0 || strcmp(o, "-k") == 0) {
      a->live.insecure = true;
    } else if (strcmp(o, "--cacert") == 0) {
      a->live.cacert = v;
    } else if (strcmp(o, "--resolve") == 0) {
      struct live_resolve probe;
      if (live_resolve_parse(v, &probe, err, n) != 0) return -1;
      const char **r = realloc(a->resolve, (a->resolve_count + 1) * sizeof *r);
      if (r == NULL) return usage(err, n, "out of memory");
      r[a->resolve_count++] = v;
      a->resolve = r;
    } else if (strcmp(o, "--connect-timeout") == 0) {
      if (seconds_option(o, v, &a->live.connect_timeout, err, n)) return -1;
    } else if (strcmp(o, "--tls-timeout") == 0) {
      if (seconds_option(o, v, &a->live.tls_timeout, err, n)) return -1;
    } else if (strcmp(o, "--first-byte-timeout") == 0) {
      if (seconds_option(o, v, &a->live.first_byte_timeout, err, n)) return -1;
    } else if (strcmp(o, "--max-time") == 0) {
      if (seconds_option(o, v, &a->live.max_time, err, n)) return -1;
    } else if (strcmp(o, "--save") == 0) {
      a->save_dir = v;
    } else if (o[0] == '-' && o[1] != '\0') {
      return usage(err, n, "unknown option '%s' for check; try 'corsim check "
                   "--help'", o);
    } else if (a->url == NULL) {
      a->url = o;
    } else {
      return usage(err, n, "check takes one URL; '%s' is a second one", o);
    }
  }
  if (a->url == NULL) return usage(err, n, "check needs a URL");
  if (a->origin == NULL)
    return usage(err, n, "check needs --origin, the page's origin, e.g. "
                 "--origin https://app.example");
  char buf[8192];
  if (corsim_url_serialize(a->url, buf, sizeof buf, NULL) != CORSIM_OK)
    return usage(err, n, "invalid URL '%s'", a->url);
  if (strncmp(buf, "http://", 7) != 0 && strncmp(buf, "https://", 8) != 0)
    return usage(err, n, "check needs an http or https URL, not '%s'", a->url);
  a->live.resolve = a->resolve;
  a->live.resolve_count = a->resolve_count;
  return 0;
}

/* ---- the report --------------------------------------------------------------------- */

/* Prints `s` escaped after `prefix`; a text of several lines (WebKit's
 * console messages) continues under the first, indented. */
static void print_escaped(const char *prefix, const char *s) {
  struct escape_buf b;
  escape_buf_init(&b);
  size_t indent = strlen(prefix);
  for (bool first = true; first || *s != '\0'; first = false) {
    size_t n = strcspn(s, "\n");
    escape_buf_reset(&b);
    if (first)
      escape_buf_puts(&b, prefix);
    else
      escape_buf_printf(&b, "%*s", (int)indent, "");
    escape_terminal(&b, s, n);
    puts(b.failed ? "(out of memory)" : escape_buf_str(&b));
    s += n;
    if (*s == '\n') s++;
  }
  escape_buf_release(&b);
}

static void print_verdict(enum corsim_profile p,
                          const struct corsim_request *rq,
                          const struct corsim_decision *d) {
  const char *name = corsim_profile_name(p);
  struct escape_buf b;
  escape_buf_init(&b);
  escape_buf_printf(&b, "%s: ", name);
  if (d->outcome == CORSIM_OUTCOME_ALLOWED) {
    escape_buf_printf(&b, "allowed (status %d)", d->status);
  } else if (d->outcome == CORSIM_OUTCOME_OPAQUE) {
    escape_buf_puts(&b, "opaque (script sees status 0 and no headers)");
  } else if (d->blocked_reason == CORSIM_BLOCKED_CORS) {
    escape_buf_printf(&b, "blocked by CORS: %s",
                      corsim_cors_error_name(d->cors_error));
    if (d->failed_parameter != NULL) {
      escape_buf_puts(&b, " ('");
      escape_terminal_str(&b, d->failed_parameter);
      escape_buf_puts(&b, "')");
    }
  } else {
    escape_buf_printf(&b, "blocked: %s",
                      corsim_blocked_reason_name(d->blocked_reason));
  }
  puts(escape_buf_str(&b));
  escape_buf_reset(&b);
  escape_buf_printf(&b, "  preflight: %s", corsim_preflight_name(d->preflight));
  if (d->outcome == CORSIM_OUTCOME_ALLOWED) {
    escape_buf_puts(&b, "; exposed headers: ");
    if (d->exposed_header_count == 0) escape_buf_puts(&b, "(none)");
    for (size_t i = 0; i < d->exposed_header_count; i++) {
      if (i) escape_buf_puts(&b, ", ");
      escape_terminal_str(&b, d->exposed_headers[i]);
    }
  }
  puts(escape_buf_str(&b));
  puts("  trace:");
  for (size_t i = 0; i < d->trace_count; i++) {
    const struct corsim_trace_entry *t = &d->trace[i];
    escape_buf_reset(&b);
    escape_buf_printf(&b, "  %3zu. %-4s %s%s%s: ", i + 1,
                      corsim_trace_kind_name(t->kind), t->anchor,
                      t->step && t->step[0] ? " step " : "",
                      t->step ? t->step : "");
    escape_terminal_str(&b, t->text);
    puts(escape_buf_str(&b));
  }
  escape_buf_release(&b);
  if (d->outcome == CORSIM_OUTCOME_BLOCKED) {
    char console[4096];
    if (corsim_console_message(p, rq, d, console, sizeof console) > 0)
      print_escaped("  console: ", console);
    char fix[2048];
    if (check_server_fix(rq, d, fix, sizeof fix) > 0)
      print_escaped("  fix: ", fix);
  }
}

/* ---- --save -------------------------------------------------------------------------- */

/* host and method as file-name and case-id safe text: [a-z0-9._-] */
static void safe_name(const char *s, size_t n, char *out, size_t out_size) {
  size_t k = 0;
  for (size_t i = 0; i < n && k + 1 < out_size; i++) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == '-';
    out[k++] = ok ? c : '-';
  }
  out[k] = '\0';
  if (k == 0) snprintf(out, out_size, "x");
}

static void url_host(const char *url, char *out, size_t out_size) {
  const char *p = strstr(url, "://");
  p = p ? p + 3 : url;
  size_t alen = strcspn(p, "/?#");
  const char *at = NULL;
  for (size_t i = 0; i < alen; i++)
    if (p[i] == '@') at = p + i;
  if (at != NULL) {
    alen -= (size_t)(at + 1 - p);
    p = at + 1;
  }
  size_t hlen = p[0] == '[' ? strcspn(p, "]") + 1 : strcspn(p, ":/?#");
  if (hlen > alen) hlen = alen;
  safe_name(p, hlen, out, out_size);
}

static cJSON *header_array(const struct corsim_header *h, size_t n) {
  cJSON *a = cJSON_CreateArray();
  for (size_t i = 0; a != NULL && i < n; i++) {
    cJSON *pair = cJSON_CreateArray();
    char *name = strndup(h[i].name, h[i].name_len);
    char *value = strndup(h[i].value, h[i].value_len);
    cJSON_AddItemToArray(pair, cJSON_CreateString(name ? name : ""));
    cJSON_AddItemToArray(pair, cJSON_CreateString(value ? value : ""));
    cJSON_AddItemToArray(a, pair);
    free(name);
    free(value);
  }
  return a;
}

static const char *owned_header(const struct corsim_owned_header *h, size_t n,
                                const char *name) {
  for (size_t i = 0; i < n; i++)
    if (strcasecmp(h[i].name, name) == 0) return h[i].value;
  return NULL;
}

static bool write_file(const char *path, const char *data, size_t len) {
  FILE *f = fopen(path, "wb");
  if (f == NULL) return false;
  bool ok = fwrite(data, 1, len, f) == len;
  if (fclose(f) != 0) ok = false;
  return ok;
}

/* A string node made valid UTF-8 first (server bytes may be anything). */
static cJSON *utf8_node(const char *s) {
  char *v = escape_utf8_dup(s);
  cJSON *node = v != NULL ? cJSON_CreateString(v) : NULL;
  free(v);
  return node;
}

int check_write_vector(int fd, const char *saved, cJSON *root, int rc,
                       char *err, size_t err_size) {
  char *text = rc == 0 ? cJSON_Print(root) : NULL;
  cJSON_Delete(root);
  if (rc == 0 && text == NULL) {
    snprintf(err, err_size, "out of memory");
    rc = -1;
  }
  if (rc == 0) {
    size_t len = strlen(text);
    ssize_t w = write(fd, text, len);
    bool ok = w == (ssize_t)len && write(fd, "\n", 1) == 1;
    if (close(fd) != 0) ok = false;
    fd = -1;
    if (!ok) {
      snprintf(err, err_size, "cannot write '%.300s': %s", saved,
               strerror(errno));
      rc = -1;
    }
  }
  cJSON_free(text);
  if (fd >= 0) close(fd);
  if (rc != 0) remove(saved);
  return rc;
}

cJSON *check_expect_of(const struct corsim_decision *d) {
  cJSON *e = cJSON_CreateObject();
  cJSON_AddStringToObject(e, "outcome", corsim_outcome_name(d->outcome));
  cJSON_AddNumberToObject(e, "status", d->status);
  cJSON_AddStringToObject(e, "preflight", corsim_preflight_name(d->preflight));
  if (d->outcome == CORSIM_OUTCOME_BLOCKED) {
    cJSON_AddStringToObject(e, "blocked_reason",
                            corsim_blocked_reason_name(d->blocked_reason));
    if (d->blocked_reason == CORSIM_BLOCKED_CORS) {
      cJSON_AddStringToObject(e, "cors_error",
                              corsim_cors_error_name(d->cors_error));
      if (d->failed_parameter != NULL)
        cJSON_AddItemToObject(e, "failed_parameter",
                              utf8_node(d->failed_parameter));
      else
        cJSON_AddNullToObject(e, "failed_parameter");
    }
  }
  if (d->outcome == CORSIM_OUTCOME_ALLOWED) {
    cJSON *x = cJSON_AddArrayToObject(e, "exposed_headers");
    for (size_t i = 0; x != NULL && i < d->exposed_header_count; i++)
      cJSON_AddItemToArray(x, utf8_node(d->exposed_headers[i]));
  }
  if (d->has_request) {
    const char *o = owned_header(d->request_headers, d->request_header_count,
                                 "Origin");
    cJSON *rh = cJSON_AddObjectToObject(e, "request_headers");
    if (o != NULL)
      cJSON_AddItemToObject(rh, "Origin", utf8_node(o));
    else
      cJSON_AddNullToObject(rh, "Origin");
  }
  return e;
}

/* Writes DIR/BASE.json and its captures; returns 0, or -1 with `err`. */
static int save_vector(const struct args *a, enum corsim_profile p,
                       const struct corsim_decision *d,
                       const struct live_responder *lr, char *saved,
                       size_t saved_size, char *err, size_t err_size) {
  if (mkdir(a->save_dir, 0777) != 0 && errno != EEXIST) {
    snprintf(err, err_size, "cannot create directory '%s': %s", a->save_dir,
             strerror(errno));
    return -1;
  }
  char host[128], method[64], base[256];
  url_host(a->url, host, sizeof host);
  safe_name(a->method, strlen(a->method), method, sizeof method);
  int fd = -1;
  for (int n = 1; n < 10000 && fd < 0; n++) {
    snprintf(base, sizeof base, "%s-%s-%d", host, method, n);
    snprintf(saved, saved_size, "%s/%s.json", a->save_dir, base);
    fd = open(saved, O_WRONLY | O_CREAT | O_EXCL, 0666);
    if (fd < 0 && errno != EEXIST) {
      snprintf(err, err_size, "cannot write '%.300s': %s", saved,
               strerror(errno));
      return -1;
    }
  }
  if (fd < 0) {
    snprintf(err, err_size, "cannot find a free name for '%s/%s-%s-N.json'",
             a->save_dir, host, method);
    return -1;
  }
  cJSON *root = cJSON_CreateObject();
  cJSON_AddStringToObject(root, "format", "cors-vectors/1");
  cJSON_AddStringToObject(root, "suite", "corsim-check");
  cJSON *cases = cJSON_AddArrayToObject(root, "cases");
  cJSON *c = cJSON_CreateObject();
  cJSON_AddItemToArray(cases, c);
  cJSON_AddStringToObject(c, "id", base);
  char title[1024];
  snprintf(title, sizeof title, "%s %s from %s, as the live server answered "
           "it (corsim check --save)", a->method, a->url, a->origin);
  cJSON_AddStringToObject(c, "title", title);
  cJSON *tags = cJSON_AddArrayToObject(c, "tags");
  cJSON_AddItemToArray(tags, cJSON_CreateString("live"));
  cJSON_AddItemToArray(tags, cJSON_CreateString("corsim-check"));
  cJSON_AddStringToObject(c, "browser", corsim_profile_name(p));
  cJSON *rq = cJSON_AddObjectToObject(c, "request");
  cJSON_AddStringToObject(rq, "origin", a->origin);
  cJSON_AddStringToObject(rq, "url", a->url);
  cJSON_AddStringToObject(rq, "method", a->method);
  if (a->header_count > 0)
    cJSON_AddItemToObject(rq, "headers",
                          header_array(a->headers, a->header_count));
  cJSON_AddStringToObject(rq, "mode", corsim_mode_name(a->mode));
  cJSON_AddStringToObject(rq, "credentials",
                          corsim_credentials_name(a->credentials));
  cJSON *responses = cJSON_AddArrayToObject(c, "responses");
  int rc = 0;
  for (size_t k = 0; k < lr->exchange_count && rc == 0; k++) {
    const struct live_exchange *x = &lr->exchanges[k];
    cJSON *r = cJSON_CreateObject();
    cJSON_AddItemToArray(responses, r);
    cJSON_AddStringToObject(r, "method", x->method);
    cJSON_AddStringToObject(r, "url", x->url);
    if (x->result.is_whole) {
      char name[300], path[4096];
      snprintf(name, sizeof name, "%s.%zu.http", base, k + 1);
      snprintf(path, sizeof path, "%s/%s", a->save_dir, name);
      if (!write_file(path, x->result.raw, x->result.raw_len)) {
        snprintf(err, err_size, "cannot write '%.300s': %s", path,
                 strerror(errno));
        rc = -1;
      }
      cJSON_AddStringToObject(r, "raw_file", name);
    } else {
      /* not a whole message (HEAD, a body cut short): the raw bytes would
       * not load back, the parsed answer does */
      cJSON_AddNumberToObject(r, "status", x->result.status);
      cJSON_AddItemToObject(r, "headers",
                            header_array(x->result.headers,
                                         x->result.header_count));
    }
  }
  cJSON_AddItemToObject(c, "expect", check_expect_of(d));
  return check_write_vector(fd, saved, root, rc, err, err_size);
}

/* ---- the command ---------------------------------------------------------------------- */

static void print_notes(const struct live_responder *lr) {
  for (size_t i = 0; i < lr->exchange_count; i++) {
    const struct live_exchange *x = &lr->exchanges[i];
    if (x->result.note[0] == '\0') continue;
    struct escape_buf b;
    escape_buf_init(&b);
    escape_buf_printf(&b, "corsim: note: %s ", x->method);
    escape_terminal_str(&b, x->url);
    escape_buf_printf(&b, ": %s", x->result.note);
    fprintf(stderr, "%s\n", escape_buf_str(&b));
    escape_buf_release(&b);
  }
}

int check_main(int argc, char **argv) {
  struct args a;
  char err[512];
  if (parse_args(argc, argv, &a, err, sizeof err) != 0) {
    fprintf(stderr, "corsim: %s\n", err);
    args_release(&a);
    return EXIT_USAGE;
  }
  if (a.help) {
    fputs(help, stdout);
    args_release(&a);
    return EXIT_PASSED;
  }
  struct corsim_request rq;
  memset(&rq, 0, sizeof rq);
  rq.origin = a.origin;
  rq.url = a.url;
  rq.method = a.method;
  rq.headers.items = a.headers;
  rq.headers.count = a.header_count;
  rq.mode = a.mode;
  rq.credentials = a.credentials;
  rq.redirect = CORSIM_REDIRECT_FOLLOW;
  rq.cache = CORSIM_CACHE_DEFAULT;

  {
    struct escape_buf b;
    escape_buf_init(&b);
    escape_buf_puts(&b, "corsim check: ");
    escape_terminal_str(&b, a.method);
    escape_buf_puts(&b, " ");
    escape_terminal_str(&b, a.url);
    escape_buf_puts(&b, " from ");
    escape_terminal_str(&b, a.origin);
    escape_buf_printf(&b, " (mode %s, credentials %s)",
                      corsim_mode_name(a.mode),
                      corsim_credentials_name(a.credentials));
    puts(escape_buf_str(&b));
    escape_buf_release(&b);
  }

  enum corsim_profile profiles[CORSIM_PROFILE_COUNT];
  size_t np = 0;
  if (a.all_browsers)
    for (int p = 0; p < CORSIM_PROFILE_COUNT; p++)
      profiles[np++] = (enum corsim_profile)p;
  else
    profiles[np++] = a.browser;

  int code = EXIT_PASSED;
  struct live_responder first;
  bool has_first = false;
  struct corsim_decision first_decision;
  for (size_t i = 0; i < np; i++) {
    struct live_responder lr;
    if (live_responder_init(&lr, &a.live, err, sizeof err) != 0) {
      fprintf(stderr, "corsim: %s\n", err);
      code = EXIT_USAGE;
      break;
    }
    struct corsim_options o;
    memset(&o, 0, sizeof o);
    o.profile = profiles[i];
    struct corsim_browser *browser = NULL;
    struct corsim_error cerr;
    memset(&cerr, 0, sizeof cerr);
    struct corsim_decision d;
    enum corsim_status st = corsim_browser_new(&o, &browser, &cerr);
    if (st == CORSIM_OK)
      st = corsim_browser_fetch(browser, 0, &rq, live_respond, &lr, &d, &cerr);
    corsim_browser_free(browser);
    putchar('\n');
    print_notes(&lr);
    if (st != CORSIM_OK) {
      struct escape_buf b;
      escape_buf_init(&b);
      escape_terminal_str(&b, cerr.message);
      fprintf(stderr, "corsim: %s\n", escape_buf_str(&b));
      escape_buf_release(&b);
      live_responder_release(&lr);
      code = st == CORSIM_BAD_REQUEST  ? EXIT_USAGE
             : st == CORSIM_NO_MEMORY ? EXIT_INTERNAL
                                      : EXIT_LIVE;
      break; /* the server will not do better for the next browser */
    }
    print_verdict(profiles[i], &rq, &d);
    if (d.outcome == CORSIM_OUTCOME_BLOCKED && code < EXIT_FAILED)
      code = EXIT_FAILED;
    if (!has_first) {
      first = lr;
      first_decision = d;
      has_first = true;
    } else {
      corsim_decision_release(&d);
      live_responder_release(&lr);
    }
  }
  if (has_first && a.save_dir != NULL && code <= EXIT_FAILED) {
    char saved[4096];
    if (save_vector(&a, profiles[0], &first_decision, &first, saved,
                    sizeof saved, err, sizeof err) != 0) {
      fprintf(stderr, "corsim: %s\n", err);
      code = EXIT_INTERNAL;
    } else {
      printf("\nsaved %s\n", saved);
    }
  }
  if (has_first) {
    corsim_decision_release(&first_decision);
    live_responder_release(&first);
  }
  if (fflush(stdout) != 0 && code < EXIT_INTERNAL) code = EXIT_INTERNAL;
  args_release(&a);
  return code;
}
