/* audit.c: the `corsim audit` command: finds what is wrong with a live
 * server's CORS policy as a browser sees it, in both directions (hostile
 * origins a browser would let read, allowed origins it would refuse), plus
 * the lint findings browsers do not enforce; reports them as text, JSON or
 * SARIF and, with --save, as vector cases.
 *
 * How it works. The probe list (audit_origins_build) holds the --allow
 * origins and the hostile variants the scanners try (peers.md §1.1: the
 * arbitrary origin, null, prefix and suffix lookalikes, the unescaped dot,
 * any subdomain, the http downgrade, special characters, third-party
 * hosting), plus the parent domain and the user's --deny origins. Each is
 * fetched with a simple GET and with a preflighted PUT (Content-Type:
 * application/json and Authorization), without and with credentials, for
 * each path and each browser asked, through the simulator: the browser
 * decides, not a string comparison. The live server is asked through a
 * caching responder, so that one wire request (the same bytes) goes to the
 * server once however many browsers and credentials modes ask it; live
 * mode sends no cookies, so the credentials mode never changes the bytes.
 * Error paths (a path that does not exist, and the user's --error-path
 * ones) are asked with the allowed origins only, with a simple GET: the
 * question there is whether the error keeps its CORS headers.
 *
 * What becomes a finding. A hostile origin whose fetch a browser lets the
 * page read (outcome allowed), unless the answer was
 * `Access-Control-Allow-Origin: *` (no credentials can be read that way:
 * lint-wildcard-origin). An --allow origin that a browser refuses after
 * the server answered. Severity, after peers.md §1.2 (ZAP 40040: reflected
 * with credentials High, without Medium; Burp: arbitrary origin High,
 * subdomains and http origins Low; nuclei requires credentials):
 *   high    a hostile origin reads with credentials: include (the server
 *           sent its origin and Access-Control-Allow-Credentials: true)
 *   medium  the arbitrary origin or null reads without credentials
 *   low     any other hostile origin reads without credentials; an
 *           allowed origin is refused; lint: missing Vary, `*` with
 *           credentials, `*` lists with credentials, an error without
 *           CORS headers
 *   info    lint: `*` origin, max-age above a cap, CORS headers on a
 *           refusal, a browser that refuses before sending anything
 * Lint findings never change the exit code unless --strict. Everything
 * that came from the server is escaped (escape.h) before it is printed. */
#include "audit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "../reports/escape.h"
#include "../simulator/corsim.h"
#include "check.h"
#include "cli.h"
#include "live.h"

static const char help[] =
    "usage: corsim audit URL --allow ORIGIN [--allow ORIGIN...] [options]\n"
    "\n"
    "Probes the live server at URL the way CORS scanners do, in both\n"
    "directions: every --allow origin must be allowed, and every hostile\n"
    "variant refused (an arbitrary origin, null, prefix and suffix\n"
    "lookalikes, a dot replaced by another character, any subdomain, the\n"
    "parent domain, an http downgrade, special characters, third-party\n"
    "hosting domains). Each origin sends a simple GET and a preflighted PUT\n"
    "(Content-Type: application/json, Authorization), without and with\n"
    "credentials, and the simulator decides each answer as the browser\n"
    "would. A finding is an answer a browser lets a hostile page read, or\n"
    "refuses to an allowed origin; lint findings are what browsers do not\n"
    "enforce (Vary, max-age caps, error answers without CORS headers ...).\n"
    "The preflighted PUT reaches the server when its preflight passes, as\n"
    "from a browser: audit a path where an empty PUT is harmless.\n"
    "\n"
    "options:\n"
    "  --allow ORIGIN          an origin that must be allowed (repeatable, at\n"
    "                          least one); https://*.example.com stands for\n"
    "                          every subdomain (probed as https://app.example.com);\n"
    "                          null allows the null origin\n"
    "  --deny ORIGIN           an origin that must be refused, beside the\n"
    "                          generated ones (repeatable)\n"
    "  --credentials           the allowed origins also use credentials:\n"
    "                          include (cookies): refusing those is a finding\n"
    "                          too (hostile origins are always probed both ways)\n"
    "  --path P                audit this path of URL's server (repeatable;\n"
    "                          default: URL's own path)\n"
    "  --error-path P          a path that answers an error (401, 500): its\n"
    "                          answer must keep the CORS headers (repeatable);\n"
    "                          a path that does not exist (404) is always asked\n"
    "  --browser NAME          fetch (the Fetch Standard, default), chromium,\n"
    "                          firefox, webkit, or all\n"
    "  --format F              text (default), json or sarif\n"
    "  -o, --output FILE       write the report to FILE (default: standard\n"
    "                          output)\n"
    "  --save DIR              write every finding as a vector case, with its\n"
    "                          captured answers: DIR/audit-HOST-N.json\n"
    "  --strict                lint findings count as findings (exit 1)\n"
    "  --insecure              do not verify the server's TLS certificate\n"
    "  --cacert FILE           trust the CA certificates in FILE (PEM)\n"
    "  --resolve H:P:A[:P2]    connect to address A (port P2) for host H and\n"
    "                          port P; * is any host or port; repeatable\n"
    "  --connect-timeout S     name lookup and TCP connect (default 5)\n"
    "  --tls-timeout S         the TLS handshake (default 5)\n"
    "  --first-byte-timeout S  request sent to the first byte (default 10)\n"
    "  --max-time S            each whole exchange (default 30)\n"
    "\n"
    "severity: high when a hostile origin reads with credentials; medium when\n"
    "the arbitrary origin or null reads without; low for other hostile reads,\n"
    "a refused allowed origin and most lint; info for the rest of the lint.\n"
    "\n"
    "exit codes:\n"
    "  0  no finding (lint findings alone, unless --strict)\n"
    "  1  at least one finding\n"
    "  2  command-line usage error\n"
    "  4  the server was unreachable, too slow or not speaking HTTP\n"
    "  5  the report or the --save files could not be written, or an\n"
    "     internal error\n";

const char *audit_help(void) { return help; }

/* ---- classes and severities ---------------------------------------------------- */

static const char *const class_ids[] = {
#define X(name, id) id,
    AUDIT_CLASS_MAP(X)
#undef X
};

const char *audit_class_name(enum audit_class c) {
  return (unsigned)c < AUDIT_CLASS_COUNT ? class_ids[c] : NULL;
}

static bool is_lint(enum audit_class c) {
  return c >= AUDIT_LINT_WILDCARD_ORIGIN && c <= AUDIT_LINT_REFUSED_BEFORE_REQUEST;
}

/* The SARIF rule texts: a title, and what it means and why it matters.
 * The scanner names are peers.md §1.1's, for people who know them. */
static const struct {
  const char *title;
  const char *help;
} class_text[AUDIT_CLASS_COUNT] = {
    [AUDIT_ORIGIN_REFLECTED] =
        {"an arbitrary origin may read the response",
         "The server allows an origin it cannot know (https://evil.example): "
         "it echoes Origin into Access-Control-Allow-Origin or accepts every "
         "origin. Any site the user visits can read the answer, and with "
         "Access-Control-Allow-Credentials: true the user's authenticated "
         "data. Compare Origin with an exact list before answering. "
         "(CORScanner reflect_origin, Corsy, nuclei cors-misconfig, ZAP "
         "40040, Burp 'arbitrary origin trusted'; CWE-942)"},
    [AUDIT_NULL_ORIGIN] =
        {"the null origin may read the response",
         "Sandboxed iframes, data: and file: documents and some redirects "
         "send Origin: null, so any attacker can make one. Never allow "
         "'null'. (CORScanner trust_null, Corsy, ZAP 40040; CWE-942)"},
    [AUDIT_DENIED_ORIGIN] =
        {"an origin that must be refused may read the response",
         "An origin named with --deny is allowed: the allowlist that decides "
         "for this URL is wider than intended, often because an app-wide "
         "CORS setting also applies to a route with its own list."},
    [AUDIT_PARENT_DOMAIN] =
        {"the parent domain of an allowed origin may read the response",
         "The apex or parent domain of the only allowed origins is allowed "
         "too: the allowlist that decides for this URL is wider than "
         "intended, often an app-wide list that a route-level one does not "
         "replace."},
    [AUDIT_PREFIX_LOOKALIKE] =
        {"an origin that starts with an allowed one may read the response",
         "https://myapp.com.evil.example is allowed: the origin check "
         "matches a prefix (a regex without an end anchor, startswith). "
         "Anyone can register such a name. (CORScanner prefix_match, Corsy "
         "'post-domain wildcard')"},
    [AUDIT_SUFFIX_LOOKALIKE] =
        {"an origin that ends with an allowed host may read the response",
         "https://evilmyapp.com is allowed: the origin check matches a "
         "suffix without the dot before it (endswith, a regex without a "
         "start anchor). (CORScanner suffix_match, Corsy 'pre-domain "
         "wildcard')"},
    [AUDIT_UNESCAPED_DOT] =
        {"a dot of an allowed host matches any character",
         "https://myappxcom is allowed: a regex has an unescaped '.', which "
         "matches any character, so a registrable lookalike gets in. Escape "
         "every dot (\\.). (CORScanner not_escape_dot, Corsy, nuclei)"},
    [AUDIT_ANY_SUBDOMAIN] =
        {"every subdomain of an allowed host may read the response",
         "https://evil.myapp.com is allowed: every subdomain is trusted, so "
         "an XSS or a taken-over subdomain reads this. List the subdomains "
         "that need it. (CORScanner trust_any_subdomain, Burp 'all "
         "subdomains trusted')"},
    [AUDIT_HTTP_DOWNGRADE] =
        {"an http origin may read an https response",
         "http://myapp.com is allowed: a network attacker who injects script "
         "into the plain-http page reads this https answer. Allow https "
         "origins only. (CORScanner https_trust_http, Burp 'unencrypted "
         "origin trusted')"},
    [AUDIT_SPECIAL_CHARACTERS] =
        {"an allowed origin followed by a special character may read",
         "https://myapp.com_.evil.example (or with a backtick, !, $, &, =, "
         "~, {) is allowed: the origin check stops at a character some "
         "browsers accept in host names. Match the whole origin, anchored at "
         "both ends. (CORScanner special_characters_bypass, Corsy, nuclei)"},
    [AUDIT_THIRD_PARTY] =
        {"a third-party hosting domain may read the response",
         "An origin on a hosting service where anyone can publish a page "
         "(github.io, herokuapp.com, vercel.app, netlify.app, pages.dev, "
         "web.app) is allowed. List your own deployments, not the hosting "
         "domain. (CORScanner custom_third_parties)"},
    [AUDIT_LEGIT_REFUSED] =
        {"an allowed origin is refused",
         "A browser refuses a request from an origin given with --allow: the "
         "application breaks for its own pages. The fix says what the "
         "answer lacks."},
    [AUDIT_LINT_WILDCARD_ORIGIN] =
        {"any origin may read the response without credentials",
         "Access-Control-Allow-Origin: * lets every page read answers made "
         "without credentials (never with them). Fine for public data; "
         "listing origins otherwise. Not counted as a finding: a browser "
         "never exposes credentialed data this way (peers.md §2: scanners "
         "disagree about '*')."},
    [AUDIT_LINT_MISSING_VARY] =
        {"Access-Control-Allow-Origin depends on Origin without Vary: Origin",
         "The answer's Access-Control-Allow-Origin differs from one Origin to "
         "another but some answers lack Vary: Origin, so a shared or browser "
         "cache can serve one origin's answer to another (a refusal cached "
         "for everyone, or one origin's grant to another). Send Vary: Origin "
         "on every answer whose CORS headers depend on Origin, refusals "
         "included (fetch#cors-protocol-and-http-caches)."},
    [AUDIT_LINT_WILDCARD_CREDENTIALS] =
        {"Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true",
         "Browsers refuse every credentialed read of an answer with '*' "
         "(WildcardOriginNotAllowed): the credentials header does nothing "
         "but confuse. Send the origin itself for credentialed use, or drop "
         "Access-Control-Allow-Credentials."},
    [AUDIT_LINT_WILDCARD_LIST_CREDENTIALS] =
        {"'*' in Access-Control-Allow-Methods or -Headers with credentials",
         "With credentials, '*' in Access-Control-Allow-Methods and "
         "Access-Control-Allow-Headers is the literal name '*', not a "
         "wildcard (fetch#http-access-control-allow-methods): list the "
         "methods and headers."},
    [AUDIT_LINT_MAX_AGE] =
        {"Access-Control-Max-Age above a browser's cap",
         "Browsers cap the preflight cache: Chromium at 7200 s, Firefox at "
         "86400 s, WebKit at 600 s (browsers.md). A larger value is cut to "
         "the cap; expect preflights that often."},
    [AUDIT_LINT_HEADERS_TO_REFUSED] =
        {"CORS headers on the answer to a refused origin",
         "The server refuses the origin but still sends Access-Control-* "
         "headers (Allow-Credentials, Allow-Methods, a mismatching "
         "Allow-Origin ...). Harmless to the browser, but it tells an "
         "attacker what the policy allows and confuses whoever debugs it."},
    [AUDIT_LINT_ERROR_WITHOUT_CORS] =
        {"an error answer without CORS headers",
         "An error answer (401, 404, 500) lacks Access-Control-Allow-Origin, "
         "so the browser reports a CORS error (MissingAllowOriginHeader) and "
         "the page never sees the status: 'your 401 looks like a CORS "
         "error'. Add the CORS headers to error answers too."},
    [AUDIT_LINT_REFUSED_BEFORE_REQUEST] =
        {"a browser refuses before sending anything",
         "The browser refuses the fetch before it reaches the server (mixed "
         "content, Local Network Access, a bad port): the audit says nothing "
         "about the server for that browser. Audit the address the pages "
         "really use."},
};

enum severity { SEV_INFO, SEV_LOW, SEV_MEDIUM, SEV_HIGH };
static const char *const severity_names[] = {"info", "low", "medium", "high"};
/* SARIF security-severity: GitHub buckets 7.0+ high, 4.0+ medium, 0.1+ low */
static const char *const severity_scores[] = {"1.0", "3.0", "5.0", "8.0"};
static const char *const severity_levels[] = {"note", "note", "warning",
                                              "error"};

/* ---- small helpers ------------------------------------------------------------------ */

__attribute__((format(printf, 1, 2))) static char *xprintf(const char *fmt,
                                                          ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return NULL;
  char *s = malloc((size_t)n + 1);
  if (s == NULL) return NULL;
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

static bool span_eq(const char *s, size_t n, const char *lit) {
  size_t k = strlen(lit);
  return n == k && strncasecmp(s, lit, k) == 0;
}

/* The first header `name` of a header list, or NULL. */
static const struct corsim_header *header_find(const struct corsim_header *h,
                                               size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (span_eq(h[i].name, h[i].name_len, name)) return &h[i];
  return NULL;
}

/* True when some `name` header holds `token` in its comma-separated list
 * (case-insensitive, OWS trimmed). */
static bool header_has_token(const struct corsim_header *h, size_t n,
                             const char *name, const char *token) {
  for (size_t i = 0; i < n; i++) {
    if (!span_eq(h[i].name, h[i].name_len, name)) continue;
    const char *p = h[i].value, *end = h[i].value + h[i].value_len;
    while (p < end) {
      const char *c = memchr(p, ',', (size_t)(end - p));
      const char *e = c ? c : end;
      const char *a = p, *b = e;
      while (a < b && (*a == ' ' || *a == '\t')) a++;
      while (b > a && (b[-1] == ' ' || b[-1] == '\t')) b--;
      if (span_eq(a, (size_t)(b - a), token)) return true;
      p = c ? c + 1 : end;
    }
  }
  return false;
}

/* ---- the probe list ----------------------------------------------------------------- */

/* An --allow entry, split. `sample` is the origin probed for it. */
struct allow_entry {
  char scheme[8];
  char host[256]; /* the sample's host: for a wildcard, "app." + domain */
  char domain[256]; /* wildcard only: what `*.` stands before */
  char port[16];  /* ":3000" or "" */
  bool wildcard;
  bool is_null;
  char sample[600];
};

static bool is_ipv4_literal(const char *host) {
  if (host[0] == '\0') return false;
  for (const char *p = host; *p; p++)
    if (!((*p >= '0' && *p <= '9') || *p == '.')) return false;
  return true;
}

/* Splits a serialized origin "scheme://host[:port]". */
static bool split_origin(const char *origin, struct allow_entry *e) {
  const char *sep = strstr(origin, "://");
  if (sep == NULL || (size_t)(sep - origin) >= sizeof e->scheme) return false;
  memcpy(e->scheme, origin, (size_t)(sep - origin));
  e->scheme[sep - origin] = '\0';
  const char *host = sep + 3;
  const char *colon = host[0] == '[' ? strchr(host, ']') : host;
  if (colon == NULL) return false;
  colon = strchr(colon, ':');
  size_t hlen = colon ? (size_t)(colon - host) : strlen(host);
  if (hlen == 0 || hlen >= sizeof e->host) return false;
  memcpy(e->host, host, hlen);
  e->host[hlen] = '\0';
  snprintf(e->port, sizeof e->port, "%s", colon ? colon : "");
  return true;
}

/* Parses one --allow (or --deny, with wildcards refused) entry. */
static int parse_allow(const char *text, bool allow_wildcard,
                       struct allow_entry *e, char *err, size_t err_size) {
  memset(e, 0, sizeof *e);
  const char *what = allow_wildcard ? "--allow" : "--deny";
  if (strcmp(text, "null") == 0) {
    e->is_null = true;
    snprintf(e->sample, sizeof e->sample, "null");
    return 0;
  }
  const char *sep = strstr(text, "://");
  if (sep == NULL || strlen(text) >= 512) {
    snprintf(err, err_size, "invalid %s '%.300s': not an origin "
             "(scheme://host[:port], or null)", what, text);
    return -1;
  }
  char work[600];
  const char *host = sep + 3;
  if (strncmp(host, "*.", 2) == 0) {
    if (!allow_wildcard) {
      snprintf(err, err_size, "invalid %s '%.300s': a wildcard names no "
               "single origin", what, text);
      return -1;
    }
    e->wildcard = true;
    snprintf(work, sizeof work, "%.*sapp.%s", (int)(host - text), text,
             host + 2);
  } else {
    snprintf(work, sizeof work, "%s", text);
  }
  if (strcspn(host, "/?#") != strlen(host)) {
    char fixed[600];
    snprintf(fixed, sizeof fixed, "%.*s", (int)(host - text + strcspn(host, "/?#")),
             text);
    snprintf(err, err_size, "invalid %s '%.250s': an origin has no path; "
             "did you mean '%.250s'?", what, text, fixed);
    return -1;
  }
  char serialized[600];
  if (corsim_origin_of_url(work, serialized, sizeof serialized, NULL) !=
          CORSIM_OK ||
      strcmp(serialized, "null") == 0 ||
      (strncmp(serialized, "http://", 7) != 0 &&
       strncmp(serialized, "https://", 8) != 0) ||
      !split_origin(serialized, e)) {
    snprintf(err, err_size, "invalid %s '%.300s': not an http or https "
             "origin (scheme://host[:port])", what, text);
    return -1;
  }
  if (e->wildcard) {
    if (strncmp(e->host, "app.", 4) != 0) {
      snprintf(err, err_size, "invalid %s '%.300s': a wildcard stands "
               "before a domain name only", what, text);
      return -1;
    }
    snprintf(e->domain, sizeof e->domain, "%s", e->host + 4);
  }
  snprintf(e->sample, sizeof e->sample, "%s", serialized);
  return 0;
}

bool audit_allow_covers(const char *allow, const char *origin) {
  struct allow_entry e;
  char err[16];
  if (parse_allow(allow, true, &e, err, sizeof err) != 0) return false;
  if (e.is_null || !e.wildcard) return strcmp(e.sample, origin) == 0;
  struct allow_entry o;
  if (strcmp(origin, "null") == 0 || !split_origin(origin, &o)) return false;
  if (strcmp(o.scheme, e.scheme) != 0 || strcmp(o.port, e.port) != 0)
    return false;
  size_t hl = strlen(o.host), dl = strlen(e.domain);
  if (hl < dl + 2 || strcmp(o.host + hl - dl, e.domain) != 0 ||
      o.host[hl - dl - 1] != '.')
    return false;
  /* one or more labels of letters, digits and hyphens before it */
  size_t n = hl - dl - 1;
  if (o.host[0] == '.' || o.host[n - 1] == '.') return false;
  for (size_t i = 0; i < n; i++) {
    char c = o.host[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '.'))
      return false;
    if (c == '.' && o.host[i + 1] == '.') return false;
  }
  return true;
}

void audit_origins_release(struct audit_origins *o) {
  for (size_t i = 0; i < o->count; i++) {
    free(o->items[i].origin);
    free(o->items[i].derived_from);
  }
  free(o->items);
  memset(o, 0, sizeof *o);
}

struct builder {
  struct audit_origins *out;
  const char *const *allow;
  size_t allow_count;
  bool oom;
};

/* Adds `text` (serialized first) unless it does not parse, is already in
 * the list or is covered by an --allow entry (hostile ones only). */
static void add_origin(struct builder *b, const char *text,
                       enum audit_class cls, const char *from) {
  if (b->oom) return;
  char serialized[700];
  if (strcmp(text, "null") == 0)
    snprintf(serialized, sizeof serialized, "null");
  else if (corsim_origin_of_url(text, serialized, sizeof serialized, NULL) !=
               CORSIM_OK ||
           strcmp(serialized, "null") == 0)
    return; /* a host no URL parser accepts: no browser can send it */
  struct audit_origins *o = b->out;
  for (size_t i = 0; i < o->count; i++)
    if (strcmp(o->items[i].origin, serialized) == 0) return;
  if (cls != AUDIT_LEGIT)
    for (size_t i = 0; i < b->allow_count; i++)
      if (audit_allow_covers(b->allow[i], serialized)) return;
  if (o->count == o->cap_) {
    size_t cap = o->cap_ ? o->cap_ * 2 : 64;
    struct audit_origin *n = realloc(o->items, cap * sizeof *n);
    if (n == NULL) {
      b->oom = true;
      return;
    }
    o->items = n;
    o->cap_ = cap;
  }
  struct audit_origin *item = &o->items[o->count];
  item->origin = strdup(serialized);
  item->derived_from = strdup(from);
  item->cls = cls;
  if (item->origin == NULL || item->derived_from == NULL) {
    free(item->origin);
    free(item->derived_from);
    b->oom = true;
    return;
  }
  o->count++;
}

/* The special characters after the host (CORScanner, Corsy, nuclei): each
 * one that the URL parser keeps in a host; %60 is the backtick. */
static const char *const special_chars[] = {"_", "%60", "!", "$",
                                            "&", "=",   "~", "{"};

/* Hosting services where anyone can publish under a subdomain. */
static const char *const third_party[] = {
    "https://evil.github.io",  "https://evil.herokuapp.com",
    "https://evil.vercel.app", "https://evil.netlify.app",
    "https://evil.pages.dev",  "https://evil.web.app"};

#define ARBITRARY_ORIGIN "https://evil.example"

static void add_variants(struct builder *b, const struct allow_entry *e,
                         const char *from) {
  char buf[800];
  const char *S = e->scheme, *H = e->host, *P = e->port;
  bool ip = is_ipv4_literal(H) || H[0] == '[';
  if (!e->wildcard && !ip) {
    /* the parent domain, when the allowed host has one below a
     * registrable-looking name (three labels or more) */
    const char *dot = strchr(H, '.');
    if (dot != NULL && strchr(dot + 1, '.') != NULL) {
      snprintf(buf, sizeof buf, "%s://%s%s", S, dot + 1, P);
      add_origin(b, buf, AUDIT_PARENT_DOMAIN, from);
    }
  }
  if (H[0] != '[') {
    snprintf(buf, sizeof buf, "%s://%s.evil.example%s", S, H, P);
    add_origin(b, buf, AUDIT_PREFIX_LOOKALIKE, from);
  }
  if (!ip) {
    snprintf(buf, sizeof buf, "%s://evil%s%s", S, H, P);
    add_origin(b, buf, AUDIT_SUFFIX_LOOKALIKE, from);
    for (size_t i = 0; H[i]; i++) {
      if (H[i] != '.') continue;
      snprintf(buf, sizeof buf, "%s://%.*sx%s%s", S, (int)i, H, H + i + 1, P);
      add_origin(b, buf, AUDIT_UNESCAPED_DOT, from);
    }
    if (!e->wildcard) {
      snprintf(buf, sizeof buf, "%s://evil.%s%s", S, H, P);
      add_origin(b, buf, AUDIT_ANY_SUBDOMAIN, from);
    }
  }
  if (strcmp(S, "https") == 0) {
    snprintf(buf, sizeof buf, "http://%s%s", H, P);
    add_origin(b, buf, AUDIT_HTTP_DOWNGRADE, from);
  }
  if (H[0] != '[')
    for (size_t i = 0; i < sizeof special_chars / sizeof special_chars[0];
         i++) {
      snprintf(buf, sizeof buf, "%s://%s%s.evil.example%s", S, H,
               special_chars[i], P);
      add_origin(b, buf, AUDIT_SPECIAL_CHARACTERS, from);
    }
}

int audit_origins_build(const char *const *allow, size_t allow_count,
                        const char *const *deny, size_t deny_count,
                        struct audit_origins *out, char *err,
                        size_t err_size) {
  memset(out, 0, sizeof *out);
  struct allow_entry *entries = calloc(allow_count ? allow_count : 1,
                                       sizeof *entries);
  if (entries == NULL) return -2;
  for (size_t i = 0; i < allow_count; i++)
    if (parse_allow(allow[i], true, &entries[i], err, err_size) != 0) {
      free(entries);
      return -1;
    }
  for (size_t i = 0; i < deny_count; i++) {
    struct allow_entry d;
    if (parse_allow(deny[i], false, &d, err, err_size) != 0) {
      free(entries);
      return -1;
    }
    for (size_t k = 0; k < allow_count; k++)
      if (audit_allow_covers(allow[k], d.sample)) {
        snprintf(err, err_size, "--deny '%.200s' is also allowed by --allow "
                 "'%.200s'", deny[i], allow[k]);
        free(entries);
        return -1;
      }
  }
  struct builder b = {out, allow, allow_count, false};
  for (size_t i = 0; i < allow_count; i++)
    add_origin(&b, entries[i].sample, AUDIT_LEGIT, allow[i]);
  add_origin(&b, ARBITRARY_ORIGIN, AUDIT_ORIGIN_REFLECTED, "");
  add_origin(&b, "null", AUDIT_NULL_ORIGIN, "");
  for (size_t i = 0; i < deny_count; i++)
    add_origin(&b, deny[i], AUDIT_DENIED_ORIGIN, "");
  for (size_t i = 0; i < allow_count; i++)
    if (!entries[i].is_null) add_variants(&b, &entries[i], allow[i]);
  for (size_t i = 0; i < sizeof third_party / sizeof third_party[0]; i++)
    add_origin(&b, third_party[i], AUDIT_THIRD_PARTY, "");
  free(entries);
  if (b.oom) {
    audit_origins_release(out);
    return -2;
  }
  return 0;
}

/* ---- options ------------------------------------------------------------------------ */

struct list {
  const char **items;
  size_t count;
};

struct args {
  bool help;
  const char *url;
  struct list allow, deny, paths, error_paths, resolve;
  bool credentials;
  bool all_browsers;
  enum corsim_profile browser;
  const char *format;
  const char *output;
  const char *save_dir;
  bool strict;
  struct live_options live;
};

static void args_release(struct args *a) {
  free(a->allow.items);
  free(a->deny.items);
  free(a->paths.items);
  free(a->error_paths.items);
  free(a->resolve.items);
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

static int push(struct list *l, const char *v, char *err, size_t n) {
  const char **items = realloc(l->items, (l->count + 1) * sizeof *items);
  if (items == NULL) return usage(err, n, "out of memory");
  items[l->count++] = v;
  l->items = items;
  return 0;
}

static int seconds_option(const char *opt, const char *v, double *out,
                          char *err, size_t n) {
  if (!live_parse_seconds(v, out))
    return usage(err, n, "option '%s' needs a number of seconds, not '%s'",
                 opt, v);
  return 0;
}

static int check_path(const char *opt, const char *p, char *err, size_t n) {
  if (p[0] != '/')
    return usage(err, n, "option '%s' needs a path that starts with '/', not "
                 "'%s'", opt, p);
  return 0;
}

static int parse_args(int argc, char **argv, struct args *a, char *err,
                      size_t n) {
  memset(a, 0, sizeof *a);
  a->browser = CORSIM_PROFILE_FETCH;
  a->format = "text";
  static const char *const with_value[] = {
      "--allow", "--deny", "--path", "--error-path", "--browser", "--format",
      "-o", "--output", "--save", "--cacert", "--resolve",
      "--connect-timeout", "--tls-timeout", "--first-byte-timeout",
      "--max-time", NULL};
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
    } else if (strcmp(o, "--allow") == 0) {
      if (push(&a->allow, v, err, n)) return -1;
    } else if (strcmp(o, "--deny") == 0) {
      if (push(&a->deny, v, err, n)) return -1;
    } else if (strcmp(o, "--path") == 0) {
      if (check_path(o, v, err, n) || push(&a->paths, v, err, n)) return -1;
    } else if (strcmp(o, "--error-path") == 0) {
      if (check_path(o, v, err, n) || push(&a->error_paths, v, err, n))
        return -1;
    } else if (strcmp(o, "--credentials") == 0) {
      a->credentials = true;
    } else if (strcmp(o, "--strict") == 0) {
      a->strict = true;
    } else if (strcmp(o, "--browser") == 0) {
      if (!cli_parse_browser(v, &a->all_browsers, &a->browser, err, n)) return -1;
    } else if (strcmp(o, "--format") == 0) {
      if (strcmp(v, "text") != 0 && strcmp(v, "json") != 0 &&
          strcmp(v, "sarif") != 0)
        return usage(err, n, "unknown audit format '%s'; expected text, json "
                     "or sarif", v);
      a->format = v;
    } else if (strcmp(o, "-o") == 0 || strcmp(o, "--output") == 0) {
      a->output = v;
    } else if (strcmp(o, "--save") == 0) {
      a->save_dir = v;
    } else if (strcmp(o, "--insecure") == 0 || strcmp(o, "-k") == 0) {
      a->live.insecure = true;
    } else if (strcmp(o, "--cacert") == 0) {
      a->live.cacert = v;
    } else if (strcmp(o, "--resolve") == 0) {
      struct live_resolve probe;
      if (live_resolve_parse(v, &probe, err, n) != 0) return -1;
      if (push(&a->resolve, v, err, n)) return -1;
    } else if (strcmp(o, "--connect-timeout") == 0) {
      if (seconds_option(o, v, &a->live.connect_timeout, err, n)) return -1;
    } else if (strcmp(o, "--tls-timeout") == 0) {
      if (seconds_option(o, v, &a->live.tls_timeout, err, n)) return -1;
    } else if (strcmp(o, "--first-byte-timeout") == 0) {
      if (seconds_option(o, v, &a->live.first_byte_timeout, err, n)) return -1;
    } else if (strcmp(o, "--max-time") == 0) {
      if (seconds_option(o, v, &a->live.max_time, err, n)) return -1;
    } else if (o[0] == '-' && o[1] != '\0') {
      return usage(err, n, "unknown option '%s' for audit; try 'corsim audit "
                   "--help'", o);
    } else if (a->url == NULL) {
      a->url = o;
    } else {
      return usage(err, n, "audit takes one URL; '%s' is a second one", o);
    }
  }
  if (a->url == NULL) return usage(err, n, "audit needs a URL");
  if (a->allow.count == 0)
    return usage(err, n, "audit needs --allow, an origin that must be "
                 "allowed, e.g. --allow https://app.example");
  char buf[8192];
  if (corsim_url_serialize(a->url, buf, sizeof buf, NULL) != CORSIM_OK)
    return usage(err, n, "invalid URL '%s'", a->url);
  if (strncmp(buf, "http://", 7) != 0 && strncmp(buf, "https://", 8) != 0)
    return usage(err, n, "audit needs an http or https URL, not '%s'", a->url);
  a->live.resolve = a->resolve.items;
  a->live.resolve_count = a->resolve.count;
  return 0;
}

/* ---- the audit's state -------------------------------------------------------------- */

/* One distinct wire request and the server's answer to it. */
struct wire {
  char *key; /* method, URL and headers, one per line */
  char *method;
  char *url;
  bool is_preflight;
  struct corsim_owned_header *headers; /* as the simulator sent them */
  size_t header_count;
  struct live_result result;
};

enum probe_kind { PROBE_SIMPLE, PROBE_PREFLIGHTED };

#define PROBE_MAX_EXCHANGES 24

/* One fetch by one browser. */
struct probe {
  size_t origin; /* index in origins */
  size_t target; /* index in targets */
  enum probe_kind kind;
  bool credentials;
  enum corsim_profile profile;
  struct corsim_decision d;
  size_t ex[PROBE_MAX_EXCHANGES]; /* wire indexes, in the fetch's order */
  size_t ex_count;
};

struct target {
  char *url;
  bool is_error; /* an --error-path or the made-up 404 path */
};

enum stack { STACK_UNKNOWN, STACK_FLASK, STACK_EXPRESS, STACK_STARLETTE,
             STACK_NGINX };
static const char *const stack_names[] = {"", "Flask-CORS", "Express cors",
                                          "Starlette CORSMiddleware (FastAPI)",
                                          "nginx"};

struct finding {
  enum audit_class cls;
  enum severity sev;
  size_t target;
  size_t key_origin; /* SIZE_MAX for the findings made once per URL */
  size_t probe;      /* the evidence: this fetch ... */
  size_t wire;       /* ... and this exchange of it */
  unsigned browsers; /* bit per enum corsim_profile */
  long number;       /* max-age: the value */
  size_t *also;      /* origin-reflected: the hostile origins folded in */
  size_t also_count;
  char *message;
  char *fix;
};

struct audit {
  struct args a;
  char target_url[8192]; /* URL, serialized */
  char base[8192];       /* scheme://authority of it */
  struct audit_origins origins;
  struct target *targets;
  size_t target_count;
  struct live_responder live;
  bool has_live;
  struct wire **wires;
  size_t wire_count, wire_cap;
  struct probe *probes;
  size_t probe_count, probe_cap;
  struct probe *current; /* the fetch the responder is answering */
  struct finding *findings;
  size_t finding_count, finding_cap;
  enum corsim_profile profiles[CORSIM_PROFILE_COUNT];
  size_t profile_count;
  enum stack stack;
  bool oom;
  char responder_error[256];
};

static void audit_release(struct audit *A) {
  for (size_t i = 0; i < A->probe_count; i++)
    corsim_decision_release(&A->probes[i].d);
  free(A->probes);
  for (size_t i = 0; i < A->wire_count; i++) {
    struct wire *w = A->wires[i];
    free(w->key);
    free(w->method);
    free(w->url);
    for (size_t k = 0; k < w->header_count; k++) {
      free(w->headers[k].name);
      free(w->headers[k].value);
    }
    free(w->headers);
    live_result_release(&w->result);
    free(w);
  }
  free(A->wires);
  for (size_t i = 0; i < A->finding_count; i++) {
    free(A->findings[i].message);
    free(A->findings[i].fix);
    free(A->findings[i].also);
  }
  free(A->findings);
  for (size_t i = 0; i < A->target_count; i++) free(A->targets[i].url);
  free(A->targets);
  audit_origins_release(&A->origins);
  if (A->has_live) live_responder_release(&A->live);
  args_release(&A->a);
}

/* ---- the caching responder ---------------------------------------------------------- */

static char *wire_key(const struct corsim_wire_request *w) {
  struct escape_buf b;
  escape_buf_init(&b);
  escape_buf_puts(&b, w->method);
  escape_buf_puts(&b, "\n");
  escape_buf_puts(&b, w->url);
  for (size_t i = 0; i < w->headers.count; i++) {
    const struct corsim_header *h = &w->headers.items[i];
    escape_buf_puts(&b, "\n");
    escape_buf_add(&b, h->name, h->name_len);
    escape_buf_puts(&b, ": ");
    escape_buf_add(&b, h->value, h->value_len);
  }
  char *key = b.failed ? NULL : strdup(escape_buf_str(&b));
  escape_buf_release(&b);
  return key;
}

static struct wire *wire_new(const struct corsim_wire_request *w, char *key) {
  struct wire *x = calloc(1, sizeof *x);
  if (x == NULL) return NULL;
  x->key = key;
  x->method = strdup(w->method);
  x->url = strdup(w->url);
  x->is_preflight = w->is_preflight;
  x->headers = calloc(w->headers.count ? w->headers.count : 1,
                      sizeof *x->headers);
  bool ok = x->method && x->url && x->headers;
  for (size_t i = 0; ok && i < w->headers.count; i++) {
    x->headers[i].name = strndup(w->headers.items[i].name,
                                 w->headers.items[i].name_len);
    x->headers[i].value = strndup(w->headers.items[i].value,
                                  w->headers.items[i].value_len);
    x->header_count = i + 1;
    ok = x->headers[i].name && x->headers[i].value;
  }
  if (!ok) {
    for (size_t i = 0; i < x->header_count; i++) {
      free(x->headers[i].name);
      free(x->headers[i].value);
    }
    free(x->headers);
    free(x->method);
    free(x->url);
    free(x);
    return NULL;
  }
  return x;
}

/* Fits corsim_responder: answers from the cache, else asks the server
 * once and keeps the answer for the whole audit. */
static enum corsim_status audit_respond(void *ctx,
                                        const struct corsim_wire_request *w,
                                        struct corsim_response *answer,
                                        struct corsim_error *err) {
  struct audit *A = ctx;
  char *key = wire_key(w);
  enum corsim_status st = CORSIM_OK;
  size_t i = 0;
  if (key == NULL) st = CORSIM_NO_MEMORY;
  while (st == CORSIM_OK && i < A->wire_count &&
         strcmp(A->wires[i]->key, key) != 0)
    i++;
  if (st == CORSIM_OK && i == A->wire_count) {
    struct live_result res;
    char msg[256];
    int rc = live_fetch(&A->live, w, &res, msg, sizeof msg);
    if (rc != 0) {
      st = rc == -2 ? CORSIM_NO_MEMORY : CORSIM_RESPONDER;
      if (rc == -1) snprintf(A->responder_error, sizeof A->responder_error,
                             "%s", msg);
    }
    struct wire *x = NULL;
    if (st == CORSIM_OK && A->wire_count == A->wire_cap) {
      size_t cap = A->wire_cap ? A->wire_cap * 2 : 64;
      struct wire **n = realloc(A->wires, cap * sizeof *n);
      if (n == NULL) {
        st = CORSIM_NO_MEMORY;
      } else {
        A->wires = n;
        A->wire_cap = cap;
      }
    }
    if (st == CORSIM_OK) {
      x = wire_new(w, key);
      if (x == NULL) st = CORSIM_NO_MEMORY;
    }
    if (st == CORSIM_OK) {
      key = NULL; /* the wire owns it now */
      x->result = res;
      A->wires[A->wire_count++] = x;
    } else if (rc == 0) {
      live_result_release(&res);
    }
  }
  free(key);
  if (st != CORSIM_OK) {
    if (st == CORSIM_NO_MEMORY) A->oom = true;
    if (err != NULL) {
      err->status = st;
      snprintf(err->message, sizeof err->message, "%s",
               st == CORSIM_NO_MEMORY ? "out of memory" : A->responder_error);
    }
    return st;
  }
  struct probe *p = A->current;
  if (p != NULL && p->ex_count < PROBE_MAX_EXCHANGES) p->ex[p->ex_count++] = i;
  answer->status = A->wires[i]->result.status;
  answer->headers.items = A->wires[i]->result.headers;
  answer->headers.count = A->wires[i]->result.header_count;
  return CORSIM_OK;
}

/* ---- running the probes ------------------------------------------------------------- */

static const struct corsim_header preflighted_headers[] = {
    {"Content-Type", 12, "application/json", 16},
    {"Authorization", 13, "Bearer corsim-audit", 19},
};

static void probe_request(const struct audit *A, const struct probe *p,
                          struct corsim_request *rq) {
  memset(rq, 0, sizeof *rq);
  rq->origin = A->origins.items[p->origin].origin;
  rq->url = A->targets[p->target].url;
  rq->method = p->kind == PROBE_SIMPLE ? "GET" : "PUT";
  if (p->kind == PROBE_PREFLIGHTED) {
    rq->headers.items = preflighted_headers;
    rq->headers.count = 2;
  }
  rq->mode = CORSIM_MODE_CORS;
  rq->credentials =
      p->credentials ? CORSIM_CREDENTIALS_INCLUDE : CORSIM_CREDENTIALS_OMIT;
  rq->redirect = CORSIM_REDIRECT_FOLLOW;
  rq->cache = CORSIM_CACHE_DEFAULT;
}

static int add_target(struct audit *A, const char *path, bool is_error) {
  char *url = xprintf("%s%s", A->base, path);
  if (url == NULL) return -2;
  char serialized[8192];
  if (corsim_url_serialize(url, serialized, sizeof serialized, NULL) !=
      CORSIM_OK) {
    free(url);
    return -1;
  }
  free(url);
  for (size_t i = 0; i < A->target_count; i++)
    if (strcmp(A->targets[i].url, serialized) == 0) return 0;
  struct target *t = realloc(A->targets, (A->target_count + 1) * sizeof *t);
  if (t == NULL) return -2;
  A->targets = t;
  t[A->target_count].url = strdup(serialized);
  t[A->target_count].is_error = is_error;
  if (t[A->target_count].url == NULL) return -2;
  A->target_count++;
  return 0;
}

/* The URL's path and query ("/" when it has none). */
static const char *url_path(const char *serialized) {
  const char *p = strstr(serialized, "://");
  p = p ? p + 3 : serialized;
  const char *slash = strpbrk(p, "/?#");
  return slash && *slash == '/' ? slash : "/";
}

static int build_targets(struct audit *A, char *err, size_t err_size) {
  if (corsim_url_serialize(A->a.url, A->target_url, sizeof A->target_url,
                           NULL) != CORSIM_OK)
    return usage(err, err_size, "invalid URL '%s'", A->a.url);
  const char *path = url_path(A->target_url);
  snprintf(A->base, sizeof A->base, "%.*s", (int)(path - A->target_url),
           A->target_url);
  /* the URL's own path, or the --path ones */
  int rc = 0;
  if (A->a.paths.count == 0)
    rc = add_target(A, path, false);
  for (size_t i = 0; rc == 0 && i < A->a.paths.count; i++)
    rc = add_target(A, A->a.paths.items[i], false);
  /* a path that does not exist, next to the first one (so that it falls
   * in the same location, mount or router) */
  const char *first = url_path(A->targets[0].url);
  size_t dir = strcspn(first, "?#");
  while (dir > 0 && first[dir - 1] != '/') dir--;
  char missing[4096];
  snprintf(missing, sizeof missing, "%.*scorsim-audit-no-such-path",
           (int)(dir > 0 ? dir : 1), dir > 0 ? first : "/");
  if (rc == 0) rc = add_target(A, missing, true);
  for (size_t i = 0; rc == 0 && i < A->a.error_paths.count; i++)
    rc = add_target(A, A->a.error_paths.items[i], true);
  if (rc == -2) return usage(err, err_size, "out of memory");
  if (rc != 0) return usage(err, err_size, "invalid path for '%s'", A->a.url);
  return 0;
}

/* One fetch: -1 stops the audit (A->responder_error or A->oom say why). */
static int run_probe(struct audit *A, size_t origin, size_t target,
                     enum probe_kind kind, bool credentials,
                     enum corsim_profile profile, int *code) {
  if (A->probe_count == A->probe_cap) {
    size_t cap = A->probe_cap ? A->probe_cap * 2 : 256;
    struct probe *n = realloc(A->probes, cap * sizeof *n);
    if (n == NULL) {
      A->oom = true;
      return -1;
    }
    A->probes = n;
    A->probe_cap = cap;
  }
  struct probe *p = &A->probes[A->probe_count];
  memset(p, 0, sizeof *p);
  p->origin = origin;
  p->target = target;
  p->kind = kind;
  p->credentials = credentials;
  p->profile = profile;
  struct corsim_request rq;
  probe_request(A, p, &rq);
  struct corsim_options o;
  memset(&o, 0, sizeof o);
  o.profile = profile;
  struct corsim_browser *browser = NULL;
  struct corsim_error cerr;
  memset(&cerr, 0, sizeof cerr);
  A->current = p;
  enum corsim_status st = corsim_browser_new(&o, &browser, &cerr);
  if (st == CORSIM_OK)
    st = corsim_browser_fetch(browser, 0, &rq, audit_respond, A, &p->d, &cerr);
  corsim_browser_free(browser);
  A->current = NULL;
  if (st == CORSIM_OK) {
    A->probe_count++;
    return 0;
  }
  if (st == CORSIM_BAD_REQUEST) {
    /* an origin the simulator cannot use: not a browser's origin */
    struct escape_buf b;
    escape_buf_init(&b);
    escape_buf_puts(&b, "corsim: note: audit skips origin ");
    escape_terminal_str(&b, rq.origin);
    escape_buf_puts(&b, ": ");
    escape_terminal_str(&b, cerr.message);
    fprintf(stderr, "%s\n", escape_buf_str(&b));
    escape_buf_release(&b);
    return 0;
  }
  if (st == CORSIM_NO_MEMORY) {
    A->oom = true;
    *code = EXIT_INTERNAL;
  } else {
    if (A->responder_error[0] == '\0')
      snprintf(A->responder_error, sizeof A->responder_error, "%s",
               cerr.message);
    *code = EXIT_LIVE;
  }
  return -1;
}

static int run_probes(struct audit *A) {
  int code = EXIT_PASSED;
  for (size_t t = 0; t < A->target_count; t++) {
    bool error_path = A->targets[t].is_error;
    for (size_t o = 0; o < A->origins.count; o++) {
      bool legit = A->origins.items[o].cls == AUDIT_LEGIT;
      if (error_path && !legit) continue;
      for (int k = 0; k < 2; k++) {
        if (error_path && k == PROBE_PREFLIGHTED) continue;
        for (int c = 0; c < 2; c++) {
          if (c == 1 && legit && !A->a.credentials) continue;
          for (size_t b = 0; b < A->profile_count; b++)
            if (run_probe(A, o, t, (enum probe_kind)k, c == 1,
                          A->profiles[b], &code) != 0)
              return code;
        }
      }
    }
  }
  return code;
}

/* ---- findings ----------------------------------------------------------------------- */

static const struct wire *last_wire(const struct audit *A,
                                    const struct probe *p) {
  return p->ex_count > 0 ? A->wires[p->ex[p->ex_count - 1]] : NULL;
}

static const struct corsim_header *wire_header(const struct wire *w,
                                               const char *name) {
  return header_find(w->result.headers, w->result.header_count, name);
}

static struct finding *finding_get(struct audit *A, enum audit_class cls,
                                   size_t target, size_t key_origin) {
  for (size_t i = 0; i < A->finding_count; i++) {
    struct finding *f = &A->findings[i];
    if (f->cls == cls && f->target == target && f->key_origin == key_origin)
      return f;
  }
  if (A->finding_count == A->finding_cap) {
    size_t cap = A->finding_cap ? A->finding_cap * 2 : 32;
    struct finding *n = realloc(A->findings, cap * sizeof *n);
    if (n == NULL) {
      A->oom = true;
      return NULL;
    }
    A->findings = n;
    A->finding_cap = cap;
  }
  struct finding *f = &A->findings[A->finding_count++];
  memset(f, 0, sizeof *f);
  f->cls = cls;
  f->target = target;
  f->key_origin = key_origin;
  f->probe = SIZE_MAX;
  f->sev = SEV_INFO;
  return f;
}

/* Records probe `pi` (exchange `wi`) as evidence of a finding; a worse
 * severity takes the evidence over. */
static void note(struct audit *A, enum audit_class cls, size_t pi, size_t wi,
                 enum severity sev, bool per_url) {
  const struct probe *p = &A->probes[pi];
  struct finding *f =
      finding_get(A, cls, p->target, per_url ? SIZE_MAX : p->origin);
  if (f == NULL) return;
  if (f->probe == SIZE_MAX || sev > f->sev) {
    f->sev = sev;
    f->probe = pi;
    f->wire = wi;
  }
  f->browsers |= 1u << p->profile;
}

static size_t wire_index(const struct probe *p, size_t k) { return p->ex[k]; }

static bool refused_origin(enum corsim_cors_error e) {
  return e == CORSIM_CORS_ERROR_MISSING_ALLOW_ORIGIN_HEADER ||
         e == CORSIM_CORS_ERROR_ALLOW_ORIGIN_MISMATCH ||
         e == CORSIM_CORS_ERROR_PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER ||
         e == CORSIM_CORS_ERROR_PREFLIGHT_ALLOW_ORIGIN_MISMATCH;
}

static bool has_cors_header(const struct wire *w) {
  for (size_t i = 0; i < w->result.header_count; i++) {
    const struct corsim_header *h = &w->result.headers[i];
    if (h->name_len > 15 && strncasecmp(h->name, "access-control-", 15) == 0)
      return true;
  }
  return false;
}

static void find_per_probe(struct audit *A) {
  for (size_t pi = 0; pi < A->probe_count && !A->oom; pi++) {
    const struct probe *p = &A->probes[pi];
    const struct audit_origin *o = &A->origins.items[p->origin];
    const struct wire *w = last_wire(A, p);
    if (p->d.outcome == CORSIM_OUTCOME_BLOCKED && w == NULL) {
      note(A, AUDIT_LINT_REFUSED_BEFORE_REQUEST, pi, SIZE_MAX, SEV_INFO, true);
      continue;
    }
    if (w == NULL) continue;
    size_t wi = wire_index(p, p->ex_count - 1);
    if (o->cls == AUDIT_LEGIT) {
      if (p->d.outcome != CORSIM_OUTCOME_BLOCKED) continue;
      /* an error answer to the request itself (a 401, a 405 for a method
       * the route lacks) that drops the CORS headers: the page sees a CORS
       * error instead of the status */
      if (!w->is_preflight && w->result.status >= 400)
        note(A, AUDIT_LINT_ERROR_WITHOUT_CORS, pi, wi, SEV_LOW, true);
      else
        note(A, AUDIT_LEGIT_REFUSED, pi, wi, SEV_LOW, false);
      continue;
    }
    if (p->d.outcome == CORSIM_OUTCOME_ALLOWED) {
      const struct corsim_header *acao =
          wire_header(w, "Access-Control-Allow-Origin");
      if (acao != NULL && span_eq(acao->value, acao->value_len, "*")) {
        note(A, AUDIT_LINT_WILDCARD_ORIGIN, pi, wi, SEV_INFO, true);
        continue;
      }
      enum severity sev =
          p->credentials ? SEV_HIGH
          : (o->cls == AUDIT_ORIGIN_REFLECTED || o->cls == AUDIT_NULL_ORIGIN)
              ? SEV_MEDIUM
              : SEV_LOW;
      note(A, o->cls, pi, wi, sev, false);
    } else if (p->d.outcome == CORSIM_OUTCOME_BLOCKED &&
               p->d.blocked_reason == CORSIM_BLOCKED_CORS &&
               refused_origin(p->d.cors_error) && has_cors_header(w)) {
      note(A, AUDIT_LINT_HEADERS_TO_REFUSED, pi, wi, SEV_INFO, true);
    }
  }
}

/* The browsers whose preflight cache caps `max_age` (browsers.md). */
static unsigned max_age_capped(long max_age) {
  unsigned bits = 0;
  if (max_age > 7200) bits |= 1u << CORSIM_PROFILE_CHROMIUM;
  if (max_age > 86400) bits |= 1u << CORSIM_PROFILE_FIREFOX;
  if (max_age > 600) bits |= 1u << CORSIM_PROFILE_WEBKIT;
  return bits;
}

static long parse_max_age(const struct corsim_header *h) {
  if (h == NULL || h->value_len == 0 || h->value_len > 12) return -1;
  long v = 0;
  for (size_t i = 0; i < h->value_len; i++) {
    if (h->value[i] < '0' || h->value[i] > '9') return -1;
    v = v * 10 + (h->value[i] - '0');
  }
  return v;
}

static unsigned all_profiles(const struct audit *A) {
  unsigned bits = 0;
  for (size_t i = 0; i < A->profile_count; i++) bits |= 1u << A->profiles[i];
  return bits;
}

/* Findings about the answers themselves, once per URL. */
static void find_per_target(struct audit *A, size_t t) {
  bool *seen = calloc(A->wire_count ? A->wire_count : 1, sizeof *seen);
  if (seen == NULL) {
    A->oom = true;
    return;
  }
  /* the simple GET answers: does ACAO depend on Origin? */
  const struct corsim_header *first_acao = NULL;
  bool first_set = false, varies = false;
  size_t answers = 0;
  for (size_t pi = 0; pi < A->probe_count; pi++) {
    const struct probe *p = &A->probes[pi];
    if (p->target != t || p->kind != PROBE_SIMPLE || p->ex_count == 0)
      continue;
    const struct wire *w = last_wire(A, p);
    size_t wi = wire_index(p, p->ex_count - 1);
    if (seen[wi]) continue;
    seen[wi] = true;
    answers++;
    const struct corsim_header *acao =
        wire_header(w, "Access-Control-Allow-Origin");
    if (!first_set) {
      first_acao = acao;
      first_set = true;
    } else if ((acao == NULL) != (first_acao == NULL) ||
               (acao != NULL &&
                (acao->value_len != first_acao->value_len ||
                 memcmp(acao->value, first_acao->value, acao->value_len) != 0))) {
      varies = true;
    }
  }
  /* ... then the first of those answers without Vary: Origin */
  for (size_t pi = 0; varies && pi < A->probe_count; pi++) {
    const struct probe *p = &A->probes[pi];
    if (p->target != t || p->kind != PROBE_SIMPLE || p->ex_count == 0)
      continue;
    const struct wire *w = last_wire(A, p);
    if (header_has_token(w->result.headers, w->result.header_count, "Vary",
                         "Origin") ||
        header_has_token(w->result.headers, w->result.header_count, "Vary",
                         "*"))
      continue;
    struct finding *f = finding_get(A, AUDIT_LINT_MISSING_VARY, t, SIZE_MAX);
    if (f != NULL) {
      f->sev = SEV_LOW;
      f->probe = pi;
      f->wire = wire_index(p, p->ex_count - 1);
      f->browsers = all_profiles(A);
      f->number = (long)answers;
    }
    break;
  }
  memset(seen, 0, A->wire_count * sizeof *seen);
  size_t best_preflight = SIZE_MAX, best_probe = SIZE_MAX;
  for (size_t pi = 0; pi < A->probe_count && !A->oom; pi++) {
    const struct probe *p = &A->probes[pi];
    if (p->target != t) continue;
    for (size_t k = 0; k < p->ex_count; k++) {
      size_t wi = p->ex[k];
      const struct wire *w = A->wires[wi];
      if (seen[wi]) continue;
      seen[wi] = true;
      const struct corsim_header *acao =
          wire_header(w, "Access-Control-Allow-Origin");
      const struct corsim_header *acac =
          wire_header(w, "Access-Control-Allow-Credentials");
      bool credentials =
          acac != NULL && span_eq(acac->value, acac->value_len, "true");
      if (acao != NULL && span_eq(acao->value, acao->value_len, "*") &&
          credentials) {
        struct finding *f =
            finding_get(A, AUDIT_LINT_WILDCARD_CREDENTIALS, t, SIZE_MAX);
        if (f != NULL && f->probe == SIZE_MAX) {
          f->sev = SEV_LOW;
          f->probe = pi;
          f->wire = wi;
          f->browsers = all_profiles(A);
        }
      }
      if (!w->is_preflight) continue;
      if (credentials &&
          (header_has_token(w->result.headers, w->result.header_count,
                            "Access-Control-Allow-Methods", "*") ||
           header_has_token(w->result.headers, w->result.header_count,
                            "Access-Control-Allow-Headers", "*"))) {
        struct finding *f =
            finding_get(A, AUDIT_LINT_WILDCARD_LIST_CREDENTIALS, t, SIZE_MAX);
        if (f != NULL && f->probe == SIZE_MAX) {
          f->sev = SEV_LOW;
          f->probe = pi;
          f->wire = wi;
          f->browsers = all_profiles(A);
        }
      }
      long max_age = parse_max_age(wire_header(w, "Access-Control-Max-Age"));
      if (max_age_capped(max_age) != 0) {
        /* the evidence: an allowed origin's preflight when there is one */
        bool legit = A->origins.items[p->origin].cls == AUDIT_LEGIT;
        if (best_preflight == SIZE_MAX ||
            (legit && A->origins.items[A->probes[best_probe].origin].cls !=
                          AUDIT_LEGIT)) {
          best_preflight = wi;
          best_probe = pi;
        }
      }
    }
  }
  if (best_preflight != SIZE_MAX) {
    struct finding *f = finding_get(A, AUDIT_LINT_MAX_AGE, t, SIZE_MAX);
    if (f != NULL) {
      f->sev = SEV_INFO;
      f->probe = best_probe;
      f->wire = best_preflight;
      f->number = parse_max_age(
          wire_header(A->wires[best_preflight], "Access-Control-Max-Age"));
      f->browsers = max_age_capped(f->number);
    }
  }
  free(seen);
}

/* ---- the server's stack, from what it sent ------------------------------------------ */

static enum stack detect_stack(const struct audit *A) {
  bool flask = false, express = false, starlette = false, nginx = false;
  bool reflected_vary = false, options_allow = false;
  for (size_t i = 0; i < A->wire_count; i++) {
    const struct wire *w = A->wires[i];
    const struct live_result *r = &w->result;
    const struct corsim_header *server = wire_header(w, "Server");
    if (server != NULL) {
      if (server->value_len >= 8 && strncasecmp(server->value, "Werkzeug", 8) == 0)
        flask = true;
      if (server->value_len >= 7 && strncasecmp(server->value, "uvicorn", 7) == 0)
        starlette = true;
      if (server->value_len >= 5 && strncasecmp(server->value, "nginx", 5) == 0)
        nginx = true;
    }
    const struct corsim_header *x = wire_header(w, "X-Powered-By");
    if (x != NULL && span_eq(x->value, x->value_len, "Express")) express = true;
    const struct corsim_header *acam =
        wire_header(w, "Access-Control-Allow-Methods");
    if (acam != NULL &&
        span_eq(acam->value, acam->value_len, "GET,HEAD,PUT,PATCH,POST,DELETE"))
      express = true;
    if (w->is_preflight && r->status == 400 && r->raw != NULL &&
        r->raw_len >= 22) {
      for (size_t k = 0; k + 22 <= r->raw_len; k++)
        if (memcmp(r->raw + k, "Disallowed CORS origin", 22) == 0) {
          starlette = true;
          break;
        }
    }
    if (w->is_preflight && r->status == 200 && wire_header(w, "Allow"))
      options_allow = true;
    const struct corsim_header *acao =
        wire_header(w, "Access-Control-Allow-Origin");
    for (size_t k = 0; k < w->header_count; k++)
      if (strcasecmp(w->headers[k].name, "Origin") == 0 && acao != NULL &&
          strlen(w->headers[k].value) == acao->value_len &&
          memcmp(w->headers[k].value, acao->value, acao->value_len) == 0 &&
          header_has_token(r->headers, r->header_count, "Vary", "Origin"))
        reflected_vary = true;
  }
  /* Flask-CORS: Werkzeug's automatic OPTIONS (200 with Allow) and the
   * origin echoed with Vary: Origin; a proxy in front may say nginx */
  if (flask || (options_allow && reflected_vary)) return STACK_FLASK;
  if (express) return STACK_EXPRESS;
  if (starlette) return STACK_STARLETTE;
  if (nginx) return STACK_NGINX;
  return STACK_UNKNOWN;
}

/* ---- messages and fixes ------------------------------------------------------------- */

/* What an example allowlist looks like in the user's own origins. */
struct example {
  char origin[600];    /* the first allowed origin that is not null */
  char pattern[1200];  /* "https://[a-z0-9-]+\.myapp\.com" or an exact one, dots escaped */
  char js_pattern[1400]; /* the same with / escaped too */
};

static void make_example(const struct audit *A, struct example *ex) {
  memset(ex, 0, sizeof *ex);
  snprintf(ex->origin, sizeof ex->origin, "https://app.example");
  const struct allow_entry *chosen = NULL;
  struct allow_entry e, wild;
  bool have = false, have_wild = false;
  for (size_t i = 0; i < A->a.allow.count; i++) {
    char err[16];
    struct allow_entry t;
    if (parse_allow(A->a.allow.items[i], true, &t, err, sizeof err) != 0 ||
        t.is_null)
      continue;
    if (!have && !t.wildcard) {
      e = t;
      have = true;
    }
    if (!have_wild && t.wildcard) {
      wild = t;
      have_wild = true;
    }
  }
  if (have) snprintf(ex->origin, sizeof ex->origin, "%s", e.sample);
  chosen = have_wild ? &wild : have ? &e : NULL;
  if (chosen == NULL) {
    snprintf(ex->pattern, sizeof ex->pattern, "https://app\\.example");
  } else {
    size_t k = 0;
    const char *host = chosen->wildcard ? chosen->domain : chosen->host;
    k += (size_t)snprintf(ex->pattern, sizeof ex->pattern, "%s://%s",
                          chosen->scheme, chosen->wildcard ? "[a-z0-9-]+\\." : "");
    for (const char *p = host; *p && k + 3 < sizeof ex->pattern; p++) {
      if (*p == '.') ex->pattern[k++] = '\\';
      ex->pattern[k++] = *p;
    }
    for (const char *p = chosen->port; *p && k + 2 < sizeof ex->pattern; p++)
      ex->pattern[k++] = *p;
    ex->pattern[k] = '\0';
  }
  size_t k = 0;
  for (const char *p = ex->pattern; *p && k + 3 < sizeof ex->js_pattern; p++) {
    if (*p == '/') ex->js_pattern[k++] = '\\';
    ex->js_pattern[k++] = *p;
  }
  ex->js_pattern[k] = '\0';
}

enum cause { CAUSE_REFLECT, CAUSE_PATTERN, CAUSE_LIST };

static char *hostile_fix(const struct audit *A, const struct finding *f,
                         const struct example *ex) {
  static const char *const generic[AUDIT_CLASS_COUNT] = {
      [AUDIT_ORIGIN_REFLECTED] = "the server echoes any Origin into "
          "Access-Control-Allow-Origin: compare it with an exact list of "
          "allowed origins before answering, and send "
          "Access-Control-Allow-Credentials only with a listed origin",
      [AUDIT_NULL_ORIGIN] = "never allow the origin 'null' (any page can "
          "send it from a sandboxed iframe): remove it from the allowed "
          "origins",
      [AUDIT_DENIED_ORIGIN] = "this URL's allowlist lets in an origin that "
          "must be refused: give the URL its own list",
      [AUDIT_PARENT_DOMAIN] = "this URL's allowlist lets in the parent "
          "domain of its allowed origins: give the URL its own list",
      [AUDIT_PREFIX_LOOKALIKE] = "the origin check matches a prefix: compare "
          "whole origins, or anchor the pattern at the end ($)",
      [AUDIT_SUFFIX_LOOKALIKE] = "the origin check matches a suffix without "
          "the dot before it: compare whole origins, or match '.' + domain "
          "with the dot",
      [AUDIT_UNESCAPED_DOT] = "a regex dot is unescaped and matches any "
          "character: write \\. for every dot of the host",
      [AUDIT_ANY_SUBDOMAIN] = "every subdomain is trusted: list the "
          "subdomains that need access",
      [AUDIT_HTTP_DOWNGRADE] = "an http origin is trusted by an https "
          "resource: allow https origins only",
      [AUDIT_SPECIAL_CHARACTERS] = "the origin check stops before a "
          "character that browsers allow in host names: match the whole "
          "origin, anchored at both ends",
      [AUDIT_THIRD_PARTY] = "a hosting domain where anyone can publish is "
          "trusted: list your own deployments, not the hosting domain",
  };
  /* when the arbitrary origin gets in too, every hostile finding on the URL
   * is the same reflection */
  bool reflects = false;
  for (size_t i = 0; i < A->finding_count; i++)
    if (A->findings[i].cls == AUDIT_ORIGIN_REFLECTED &&
        A->findings[i].target == f->target)
      reflects = true;
  enum cause cause = reflects || f->cls == AUDIT_ORIGIN_REFLECTED ||
                             f->cls == AUDIT_NULL_ORIGIN
                         ? CAUSE_REFLECT
                     : f->cls == AUDIT_DENIED_ORIGIN ||
                             f->cls == AUDIT_PARENT_DOMAIN
                         ? CAUSE_LIST
                         : CAUSE_PATTERN;
  const char *g = generic[reflects ? AUDIT_ORIGIN_REFLECTED : f->cls];
  char *hint = NULL;
  /* null alone (the arbitrary origin refused) is one listed value, not a
   * reflection: the stack's reflection advice would mislead */
  enum stack stack = f->cls == AUDIT_NULL_ORIGIN && !reflects ? STACK_UNKNOWN
                                                             : A->stack;
  switch (stack) {
    case STACK_FLASK:
      hint = cause == CAUSE_REFLECT
                 ? xprintf("Flask-CORS: origins='*' (its default) reflects "
                           "any origin, with Access-Control-Allow-Credentials "
                           "when supports_credentials is on, and a route's "
                           "@cross_origin(origins='*') inherits "
                           "CORS_SUPPORTS_CREDENTIALS from app.config: give "
                           "public routes @cross_origin(origins='*', "
                           "supports_credentials=False) and the others "
                           "origins=['%s', ...]", ex->origin)
             : cause == CAUSE_PATTERN
                 ? xprintf("Flask-CORS matches an origin regex with re.match, "
                           "anchored at the start only: anchor it at the end "
                           "and escape the dots, e.g. origins=[r'^%s$']",
                           ex->pattern)
                 : xprintf("Flask-CORS: give the route "
                           "@cross_origin(origins=[...]) with its own origins "
                           "only, or scope the app-wide list with resources=");
      break;
    case STACK_EXPRESS:
      hint = cause == CAUSE_REFLECT
                 ? xprintf("Express cors: origin: true, or an origin function "
                           "that accepts everything, reflects any origin: pass "
                           "origin: ['%s', ...]", ex->origin)
             : cause == CAUSE_PATTERN
                 ? xprintf("Express cors tests a RegExp origin with .test(), "
                           "unanchored: write origin: [/^%s$/]", ex->js_pattern)
                 : xprintf("Express cors: a route-level cors() only adds to "
                           "what the global app.use(cors(...)) already sent, "
                           "so the global list still opens this route: mount "
                           "the route and its own cors() before the global "
                           "middleware, or keep the global one off its path");
      break;
    case STACK_STARLETTE:
      hint = cause == CAUSE_REFLECT
                 ? xprintf("Starlette/FastAPI CORSMiddleware: allow_origins="
                           "['*'] with allow_credentials=True reflects any "
                           "origin: list the origins (allow_origins=['%s', "
                           "...]) or set allow_credentials=False", ex->origin)
             : cause == CAUSE_PATTERN
                 ? xprintf("Starlette/FastAPI: allow_origin_regex is "
                           "fullmatched; escape the dots and avoid '.*': "
                           "allow_origin_regex=r'%s'", ex->pattern)
                 : xprintf("Starlette/FastAPI: one CORSMiddleware decides for "
                           "every route; serve this route from a mounted "
                           "sub-application with its own CORSMiddleware");
      break;
    case STACK_NGINX:
      hint = cause == CAUSE_REFLECT
                 ? xprintf("nginx: 'add_header Access-Control-Allow-Origin "
                           "$http_origin' trusts every origin: map it to an "
                           "allowlist (map $http_origin $cors_origin { default "
                           "\"\"; \"%s\" $http_origin; }), send $cors_origin, "
                           "and add 'Vary: Origin'", ex->origin)
             : cause == CAUSE_PATTERN
                 ? xprintf("nginx: anchor the map regex at both ends and "
                           "escape the dots: \"~^%s$\" $http_origin;",
                           ex->pattern)
                 : xprintf("nginx: give this location its own map of allowed "
                           "origins");
      break;
    case STACK_UNKNOWN:
      break;
  }
  char *fix = hint ? xprintf("%s. %s", g, hint) : xprintf("%s", g);
  free(hint);
  return fix;
}

static char *lint_fix(const struct audit *A, const struct finding *f,
                      const struct example *ex) {
  const struct wire *w = f->wire != SIZE_MAX ? A->wires[f->wire] : NULL;
  const char *hint = "";
  switch (f->cls) {
    case AUDIT_LINT_WILDCARD_ORIGIN:
      return xprintf("nothing to do for public data; otherwise send "
                     "Access-Control-Allow-Origin only to listed origins "
                     "(e.g. %s)", ex->origin);
    case AUDIT_LINT_MISSING_VARY:
      hint = A->stack == STACK_NGINX
                 ? " (nginx: add_header Vary Origin always;)"
             : A->stack == STACK_FLASK
                 ? " (Flask-CORS sends Vary: Origin only with an allowed "
                   "origin's answer: append Origin to Vary in an "
                   "@app.after_request)"
             : A->stack == STACK_STARLETTE
                 ? " (Starlette adds Vary: Origin only when it echoes an "
                   "origin, Kludex/starlette#2560: add it in a middleware of "
                   "your own)"
                 : "";
      return xprintf("send Vary: Origin on every answer whose CORS headers "
                     "depend on Origin, refusals included%s", hint);
    case AUDIT_LINT_WILDCARD_CREDENTIALS:
      hint = A->stack == STACK_EXPRESS
                 ? " (Express cors: a route-level cors({origin: '*'}) adds * "
                   "beside the global credentials: true; serve the public "
                   "route before the global middleware)"
                 : "";
      return xprintf("send Access-Control-Allow-Credentials: true only with "
                     "a specific origin, never with *%s", hint);
    case AUDIT_LINT_WILDCARD_LIST_CREDENTIALS:
      return xprintf("list the methods and headers in "
                     "Access-Control-Allow-Methods and -Headers: with "
                     "credentials '*' is no wildcard");
    case AUDIT_LINT_MAX_AGE:
      return xprintf("send Access-Control-Max-Age: 7200 or less (600 for "
                     "WebKit), or expect preflights that often");
    case AUDIT_LINT_HEADERS_TO_REFUSED:
      return xprintf("send no Access-Control-* headers to origins you "
                     "refuse (Vary: Origin is the one to keep)");
    case AUDIT_LINT_ERROR_WITHOUT_CORS:
      hint = A->stack == STACK_NGINX
                 ? "nginx: add 'always' to every add_header line, so that "
                   "4xx and 5xx answers keep them"
             : A->stack == STACK_STARLETTE
                 ? "Starlette/FastAPI: an unhandled exception is answered by "
                   "ServerErrorMiddleware, outside CORSMiddleware: handle it "
                   "(@app.exception_handler(Exception)) so that the answer "
                   "passes through CORS"
             : A->stack == STACK_FLASK
                 ? "Flask-CORS: keep intercept_exceptions on and return the "
                   "error from a handler, so that its after_request still runs"
             : A->stack == STACK_EXPRESS
                 ? "Express: register the error handler after "
                   "app.use(cors(...)), so that the headers are already set"
                 : "add the CORS headers in the error handler too";
      return xprintf("send Access-Control-Allow-Origin (and -Credentials) on "
                     "the %d answer as on the others, so that the page sees "
                     "the status: %s",
                     w ? w->result.status : 0, hint);
    case AUDIT_LINT_REFUSED_BEFORE_REQUEST: {
      const struct probe *p = &A->probes[f->probe];
      const struct corsim_advice *adv =
          p->d.blocked_reason == CORSIM_BLOCKED_CORS
              ? corsim_cors_error_advice(p->d.cors_error)
              : corsim_blocked_reason_advice(p->d.blocked_reason);
      return xprintf("%s%saudit the server at the address its pages really "
                     "use",
                     adv && adv->fix && adv->fix[0] ? adv->fix : "",
                     adv && adv->fix && adv->fix[0] ? "; " : "");
    }
    default:
      return xprintf("%s", "");
  }
}

static const char *probe_what(const struct probe *p) {
  return p->kind == PROBE_SIMPLE ? "GET" : "PUT (preflighted)";
}

/* The CORS headers of an answer, named, for a message: "Allow-Credentials,
 * Expose-Headers". */
static void cors_header_names(const struct wire *w, struct escape_buf *b) {
  size_t n = 0;
  for (size_t i = 0; i < w->result.header_count; i++) {
    const struct corsim_header *h = &w->result.headers[i];
    if (h->name_len <= 15 || strncasecmp(h->name, "access-control-", 15) != 0)
      continue;
    if (n++) escape_buf_puts(b, ", ");
    escape_terminal(b, h->name, h->name_len);
  }
}

static char *message_of(const struct audit *A, const struct finding *f) {
  const struct probe *p = &A->probes[f->probe];
  const char *origin = A->origins.items[p->origin].origin;
  const char *url = A->targets[f->target].url;
  const struct wire *w = f->wire != SIZE_MAX ? A->wires[f->wire] : NULL;
  struct escape_buf b;
  escape_buf_init(&b);
  switch (f->cls) {
    case AUDIT_LEGIT_REFUSED:
      escape_buf_printf(&b, "%s is refused: %s %s (credentials %s): ", origin,
                        probe_what(p), url,
                        p->credentials ? "include" : "omit");
      if (p->d.blocked_reason == CORSIM_BLOCKED_CORS) {
        escape_buf_puts(&b, corsim_cors_error_name(p->d.cors_error));
        if (p->d.failed_parameter != NULL) {
          escape_buf_puts(&b, " ('");
          escape_terminal_str(&b, p->d.failed_parameter);
          escape_buf_puts(&b, "')");
        }
      } else {
        escape_buf_puts(&b, corsim_blocked_reason_name(p->d.blocked_reason));
      }
      break;
    case AUDIT_LINT_WILDCARD_ORIGIN:
      escape_buf_printf(&b, "any origin can read %s %s without credentials "
                        "(Access-Control-Allow-Origin: *)", probe_what(p), url);
      break;
    case AUDIT_LINT_MISSING_VARY:
      escape_buf_printf(&b, "Access-Control-Allow-Origin of GET %s depends on "
                        "Origin, but the answer to %s has no Vary: Origin",
                        url, origin);
      break;
    case AUDIT_LINT_WILDCARD_CREDENTIALS:
      escape_buf_printf(&b, "%s %s answers Access-Control-Allow-Origin: * with "
                        "Access-Control-Allow-Credentials: true: browsers "
                        "refuse every credentialed read of it",
                        w ? w->method : "GET", url);
      break;
    case AUDIT_LINT_WILDCARD_LIST_CREDENTIALS:
      escape_buf_printf(&b, "the OPTIONS answer for %s allows credentials and "
                        "lists '*' in Access-Control-Allow-Methods or -Headers, "
                        "which is then a literal name", url);
      break;
    case AUDIT_LINT_MAX_AGE:
      escape_buf_printf(&b, "Access-Control-Max-Age %ld on the OPTIONS answer "
                        "for %s is capped:", f->number, url);
      if (f->browsers & (1u << CORSIM_PROFILE_WEBKIT))
        escape_buf_puts(&b, " to 600 s in webkit");
      if (f->browsers & (1u << CORSIM_PROFILE_CHROMIUM))
        escape_buf_puts(&b, ", to 7200 s in chromium");
      if (f->browsers & (1u << CORSIM_PROFILE_FIREFOX))
        escape_buf_puts(&b, ", to 86400 s in firefox");
      break;
    case AUDIT_LINT_HEADERS_TO_REFUSED:
      escape_buf_printf(&b, "the %s answer for %s refuses %s (%s) but sends ",
                        w ? w->method : "", url, origin,
                        corsim_cors_error_name(p->d.cors_error));
      if (w) cors_header_names(w, &b);
      break;
    case AUDIT_LINT_ERROR_WITHOUT_CORS:
      escape_buf_printf(&b, "the %d answer to %s %s has no usable CORS "
                        "headers for %s: the browser reports %s and the page "
                        "never sees the %d",
                        w ? w->result.status : 0, w ? w->method : "GET", url,
                        origin,
                        p->d.blocked_reason == CORSIM_BLOCKED_CORS
                            ? corsim_cors_error_name(p->d.cors_error)
                            : corsim_blocked_reason_name(p->d.blocked_reason),
                        w ? w->result.status : 0);
      break;
    case AUDIT_LINT_REFUSED_BEFORE_REQUEST:
      escape_buf_printf(&b, "%s refuses %s %s from %s before sending anything "
                        "(%s)", corsim_profile_name(p->profile), probe_what(p),
                        url, origin,
                        p->d.blocked_reason == CORSIM_BLOCKED_CORS
                            ? corsim_cors_error_name(p->d.cors_error)
                            : corsim_blocked_reason_name(p->d.blocked_reason));
      break;
    default:
      escape_buf_printf(&b, "%s can read %s %s %s credentials", origin,
                        probe_what(p), url, p->credentials ? "with" : "without");
      if (f->also_count > 0)
        escape_buf_printf(&b, "; so can %zu more hostile origin%s (%s)",
                          f->also_count, f->also_count == 1 ? "" : "s",
                          f->cls == AUDIT_ORIGIN_REFLECTED
                              ? "any origin gets in"
                              : "any character may follow the allowed host");
      break;
  }
  char *s = b.failed ? NULL : strdup(escape_buf_str(&b));
  escape_buf_release(&b);
  return s;
}

/* Findings that are one bug seen through several origins are folded into
 * one, whose `also` list names the others: when the arbitrary origin reads
 * a URL, every lookalike that reads it too is the same reflection; when a
 * prefix lookalike reads it, the special-character variants of the same
 * allowed origin are the same prefix match. A folded finding must not be
 * worse than the one it joins (a lookalike read with credentials, the
 * arbitrary origin without, stays apart). null-origin-allowed always stays
 * apart: servers that refuse the arbitrary origin often allow null. */
static bool folds_into(const struct audit *A, const struct finding *R,
                       const struct finding *F) {
  if (F == R || F->target != R->target || F->sev > R->sev) return false;
  if (R->cls == AUDIT_ORIGIN_REFLECTED)
    return F->cls != AUDIT_ORIGIN_REFLECTED && F->cls != AUDIT_NULL_ORIGIN &&
           F->cls < AUDIT_LEGIT_REFUSED;
  if (R->cls == AUDIT_PREFIX_LOOKALIKE && F->cls == AUDIT_SPECIAL_CHARACTERS)
    return strcmp(A->origins.items[R->key_origin].derived_from,
                  A->origins.items[F->key_origin].derived_from) == 0;
  return false;
}

static void fold_findings(struct audit *A) {
  static const enum audit_class order[] = {AUDIT_ORIGIN_REFLECTED,
                                           AUDIT_PREFIX_LOOKALIKE};
  for (size_t o = 0; o < sizeof order / sizeof order[0]; o++)
    for (size_t r = 0; r < A->finding_count && !A->oom; r++) {
      if (A->findings[r].cls != order[o]) continue;
      size_t k = 0, rk = r;
      for (size_t i = 0; i < A->finding_count; i++) {
        struct finding *R = &A->findings[rk];
        struct finding *F = &A->findings[i];
        bool fold = folds_into(A, R, F);
        if (fold) {
          size_t n = R->also_count + 1 + F->also_count;
          size_t *also = realloc(R->also, n * sizeof *also);
          if (also == NULL) {
            A->oom = true;
            fold = false;
          } else {
            R->also = also;
            R->also[R->also_count++] = F->key_origin;
            for (size_t j = 0; j < F->also_count; j++)
              R->also[R->also_count++] = F->also[j];
            R->browsers |= F->browsers;
            free(F->also);
            F->also = NULL;
          }
        }
        if (!fold) {
          if (i == rk) rk = k;
          if (k != i) A->findings[k] = *F;
          k++;
        }
      }
      A->finding_count = k;
      r = rk;
    }
}

static int cmp_findings(const void *x, const void *y) {
  const struct finding *a = x, *b = y;
  bool la = is_lint(a->cls), lb = is_lint(b->cls);
  if (la != lb) return la ? 1 : -1;
  if (a->sev != b->sev) return a->sev > b->sev ? -1 : 1;
  if (a->cls != b->cls) return a->cls < b->cls ? -1 : 1;
  if (a->target != b->target) return a->target < b->target ? -1 : 1;
  if (a->probe != b->probe) return a->probe < b->probe ? -1 : 1;
  return 0;
}

static int analyse(struct audit *A) {
  find_per_probe(A);
  fold_findings(A);
  for (size_t t = 0; t < A->target_count && !A->oom; t++) find_per_target(A, t);
  if (A->oom) return -1;
  A->stack = detect_stack(A);
  struct example ex;
  make_example(A, &ex);
  for (size_t i = 0; i < A->finding_count; i++) {
    struct finding *f = &A->findings[i];
    f->message = message_of(A, f);
    if (f->cls == AUDIT_LEGIT_REFUSED) {
      struct corsim_request rq;
      probe_request(A, &A->probes[f->probe], &rq);
      char fix[2048];
      check_server_fix(&rq, &A->probes[f->probe].d, fix, sizeof fix);
      f->fix = strdup(fix);
    } else if (is_lint(f->cls)) {
      f->fix = lint_fix(A, f, &ex);
    } else {
      f->fix = hostile_fix(A, f, &ex);
    }
    if (f->message == NULL || f->fix == NULL) return -1;
  }
  if (A->finding_count > 1)
    qsort(A->findings, A->finding_count, sizeof *A->findings, cmp_findings);
  return 0;
}

/* ---- evidence ----------------------------------------------------------------------- */

/* The request as live.c puts it on the wire (live.h): Host first, the
 * simulator's headers in order, Content-Length: 0 for POST and PUT,
 * Connection: close. Calls `each` per header. */
static void each_sent_header(const struct wire *w,
                             void (*each)(void *ctx, const char *name,
                                          const char *value, size_t len),
                             void *ctx) {
  const char *p = strstr(w->url, "://");
  p = p ? p + 3 : w->url;
  size_t alen = strcspn(p, "/?#");
  const char *at = memchr(p, '@', alen);
  if (at != NULL) {
    alen -= (size_t)(at + 1 - p);
    p = at + 1;
  }
  each(ctx, "Host", p, alen);
  for (size_t i = 0; i < w->header_count; i++)
    each(ctx, w->headers[i].name, w->headers[i].value,
         strlen(w->headers[i].value));
  if (strcmp(w->method, "POST") == 0 || strcmp(w->method, "PUT") == 0)
    each(ctx, "Content-Length", "0", 1);
  each(ctx, "Connection", "close", 5);
}

static bool only_lint(const struct audit *A) {
  for (size_t i = 0; i < A->finding_count; i++)
    if (!is_lint(A->findings[i].cls)) return false;
  return true;
}

static void browsers_text(unsigned bits, struct escape_buf *b) {
  size_t n = 0;
  for (int p = 0; p < CORSIM_PROFILE_COUNT; p++)
    if (bits & (1u << p)) {
      if (n++) escape_buf_puts(b, ", ");
      escape_buf_puts(b, corsim_profile_name((enum corsim_profile)p));
    }
  if (n == 0) escape_buf_puts(b, "(none)");
}

/* ---- text --------------------------------------------------------------------------- */

static void text_header_line(void *ctx, const char *name, const char *value,
                             size_t len) {
  struct escape_buf *b = ctx;
  escape_buf_puts(b, "              ");
  escape_terminal_str(b, name);
  escape_buf_puts(b, ": ");
  escape_terminal(b, value, len);
  escape_buf_puts(b, "\n");
}

static void text_exchange(const struct wire *w, const char *label,
                          struct escape_buf *b) {
  escape_buf_printf(b, "  %-11s ", label);
  escape_terminal_str(b, w->method);
  escape_buf_puts(b, " ");
  escape_terminal_str(b, w->url);
  escape_buf_puts(b, "\n");
  each_sent_header(w, text_header_line, b);
  escape_buf_printf(b, "  %-11s %d\n", "answer:", w->result.status);
  for (size_t i = 0; i < w->result.header_count; i++) {
    const struct corsim_header *h = &w->result.headers[i];
    escape_buf_puts(b, "              ");
    escape_terminal(b, h->name, h->name_len);
    escape_buf_puts(b, ": ");
    escape_terminal(b, h->value, h->value_len);
    escape_buf_puts(b, "\n");
  }
}

static void summary_counts(const struct audit *A, size_t *findings,
                           size_t *lints, size_t by_sev[4]) {
  *findings = *lints = 0;
  memset(by_sev, 0, 4 * sizeof *by_sev);
  for (size_t i = 0; i < A->finding_count; i++) {
    if (is_lint(A->findings[i].cls)) {
      (*lints)++;
    } else {
      (*findings)++;
      by_sev[A->findings[i].sev]++;
    }
  }
}

static size_t probe_points(const struct audit *A) {
  return A->profile_count ? A->probe_count / A->profile_count : 0;
}

static void write_text(const struct audit *A, struct escape_buf *b) {
  escape_buf_puts(b, "corsim audit: ");
  escape_terminal_str(b, A->target_url);
  escape_buf_puts(b, "\n  allowed:  ");
  for (size_t i = 0; i < A->a.allow.count; i++) {
    if (i) escape_buf_puts(b, ", ");
    escape_terminal_str(b, A->a.allow.items[i]);
  }
  escape_buf_printf(b, " (credentials %s)\n  browsers: ",
                    A->a.credentials ? "omit and include" : "omit");
  browsers_text(all_profiles(A), b);
  escape_buf_printf(b, "\n  probed:   %zu origins, %zu URLs, %zu fetches, %zu "
                    "requests to the server\n", A->origins.count,
                    A->target_count, probe_points(A), A->wire_count);
  if (A->stack != STACK_UNKNOWN)
    escape_buf_printf(b, "  server:   looks like %s\n", stack_names[A->stack]);
  for (size_t i = 0; i < A->finding_count; i++) {
    const struct finding *f = &A->findings[i];
    const struct probe *p = &A->probes[f->probe];
    escape_buf_printf(b, "\n%s %s\n  ", severity_names[f->sev],
                      class_ids[f->cls]);
    escape_terminal_str(b, f->message);
    escape_buf_puts(b, "\n  origin:     ");
    escape_terminal_str(b, A->origins.items[p->origin].origin);
    escape_buf_puts(b, "\n  url:        ");
    escape_terminal_str(b, A->targets[f->target].url);
    escape_buf_puts(b, "\n  browsers:   ");
    browsers_text(f->browsers, b);
    if (f->also_count > 0) {
      escape_buf_puts(b, "\n  also:       ");
      for (size_t k = 0; k < f->also_count; k++) {
        if (k == 8) {
          escape_buf_printf(b, " and %zu more", f->also_count - 8);
          break;
        }
        if (k) escape_buf_puts(b, ", ");
        escape_terminal_str(b, A->origins.items[f->also[k]].origin);
      }
    }
    escape_buf_printf(b, "\n  fetch:      %s, credentials %s\n",
                      probe_what(p), p->credentials ? "include" : "omit");
    if (f->wire != SIZE_MAX) {
      const struct wire *w = A->wires[f->wire];
      /* a preflighted read: the preflight that let it through, first */
      if (!w->is_preflight && p->ex_count > 1 &&
          A->wires[p->ex[0]]->is_preflight && f->wire != p->ex[0])
        text_exchange(A->wires[p->ex[0]], "preflight:", b);
      text_exchange(w, "request:", b);
    }
    escape_buf_puts(b, "  fix:        ");
    escape_terminal_str(b, f->fix);
    escape_buf_puts(b, "\n");
  }
  size_t nf, nl, sev[4];
  summary_counts(A, &nf, &nl, sev);
  escape_buf_printf(b, "\n%zu finding%s", nf, nf == 1 ? "" : "s");
  if (nf > 0)
    escape_buf_printf(b, " (%zu high, %zu medium, %zu low)", sev[SEV_HIGH],
                      sev[SEV_MEDIUM], sev[SEV_LOW]);
  escape_buf_printf(b, ", %zu lint finding%s%s\n", nl, nl == 1 ? "" : "s",
                    nl > 0 && !A->a.strict ? " (not counted without --strict)"
                                           : "");
}

/* ---- JSON --------------------------------------------------------------------------- */

static cJSON *str_node(const char *s, size_t n) {
  struct escape_buf b;
  escape_buf_init(&b);
  escape_utf8(&b, s, n);
  cJSON *node = b.failed ? NULL : cJSON_CreateString(escape_buf_str(&b));
  escape_buf_release(&b);
  return node;
}

static void json_header_pair(void *ctx, const char *name, const char *value,
                             size_t len) {
  cJSON *pair = cJSON_CreateArray();
  cJSON_AddItemToArray(pair, str_node(name, strlen(name)));
  cJSON_AddItemToArray(pair, str_node(value, len));
  cJSON_AddItemToArray(ctx, pair);
}

static cJSON *response_headers(const struct live_result *r) {
  cJSON *a = cJSON_CreateArray();
  for (size_t i = 0; a && i < r->header_count; i++) {
    cJSON *pair = cJSON_CreateArray();
    cJSON_AddItemToArray(pair, str_node(r->headers[i].name,
                                        r->headers[i].name_len));
    cJSON_AddItemToArray(pair, str_node(r->headers[i].value,
                                        r->headers[i].value_len));
    cJSON_AddItemToArray(a, pair);
  }
  return a;
}

static cJSON *exchange_json(const struct wire *w) {
  cJSON *e = cJSON_CreateObject();
  cJSON *rq = cJSON_AddObjectToObject(e, "request");
  cJSON_AddItemToObject(rq, "method", str_node(w->method, strlen(w->method)));
  cJSON_AddItemToObject(rq, "url", str_node(w->url, strlen(w->url)));
  cJSON *h = cJSON_AddArrayToObject(rq, "headers");
  if (h) each_sent_header(w, json_header_pair, h);
  cJSON *rs = cJSON_AddObjectToObject(e, "response");
  cJSON_AddNumberToObject(rs, "status", w->result.status);
  cJSON_AddItemToObject(rs, "headers", response_headers(&w->result));
  return e;
}

static cJSON *browsers_json(unsigned bits) {
  cJSON *a = cJSON_CreateArray();
  for (int p = 0; a && p < CORSIM_PROFILE_COUNT; p++)
    if (bits & (1u << p))
      cJSON_AddItemToArray(
          a, cJSON_CreateString(corsim_profile_name((enum corsim_profile)p)));
  return a;
}

static cJSON *finding_json(const struct audit *A, const struct finding *f) {
  const struct probe *p = &A->probes[f->probe];
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "class", class_ids[f->cls]);
  cJSON_AddStringToObject(o, "severity", severity_names[f->sev]);
  cJSON_AddBoolToObject(o, "lint", is_lint(f->cls));
  const char *origin = A->origins.items[p->origin].origin;
  cJSON_AddItemToObject(o, "origin", str_node(origin, strlen(origin)));
  const char *url = A->targets[f->target].url;
  cJSON_AddItemToObject(o, "url", str_node(url, strlen(url)));
  cJSON_AddItemToObject(o, "browsers", browsers_json(f->browsers));
  if (f->also_count > 0) {
    cJSON *also = cJSON_AddArrayToObject(o, "also_allowed");
    for (size_t k = 0; also && k < f->also_count; k++) {
      const struct audit_origin *ao = &A->origins.items[f->also[k]];
      cJSON *x = cJSON_CreateObject();
      cJSON_AddItemToObject(x, "origin", str_node(ao->origin, strlen(ao->origin)));
      cJSON_AddStringToObject(x, "class", class_ids[ao->cls]);
      cJSON_AddItemToArray(also, x);
    }
  }
  cJSON_AddItemToObject(o, "message", str_node(f->message, strlen(f->message)));
  cJSON *fetch = cJSON_AddObjectToObject(o, "fetch");
  cJSON_AddStringToObject(fetch, "method", p->kind == PROBE_SIMPLE ? "GET" : "PUT");
  cJSON_AddStringToObject(fetch, "credentials",
                          p->credentials ? "include" : "omit");
  cJSON_AddStringToObject(fetch, "browser", corsim_profile_name(p->profile));
  cJSON_AddStringToObject(fetch, "outcome", corsim_outcome_name(p->d.outcome));
  if (p->d.outcome == CORSIM_OUTCOME_BLOCKED && p->d.blocked_reason == CORSIM_BLOCKED_CORS)
    cJSON_AddStringToObject(fetch, "cors_error",
                            corsim_cors_error_name(p->d.cors_error));
  if (f->wire != SIZE_MAX) {
    const struct wire *w = A->wires[f->wire];
    cJSON *ev = exchange_json(w);
    if (ev && !w->is_preflight && p->ex_count > 1 &&
        A->wires[p->ex[0]]->is_preflight && f->wire != p->ex[0])
      cJSON_AddItemToObject(ev, "preflight", exchange_json(A->wires[p->ex[0]]));
    cJSON_AddItemToObject(o, "evidence", ev);
  } else {
    cJSON_AddNullToObject(o, "evidence");
  }
  cJSON_AddItemToObject(o, "fix", str_node(f->fix, strlen(f->fix)));
  return o;
}

static cJSON *build_json(const struct audit *A) {
  cJSON *root = cJSON_CreateObject();
  cJSON_AddStringToObject(root, "format", "corsim-audit/1");
  cJSON_AddItemToObject(root, "target",
                        str_node(A->target_url, strlen(A->target_url)));
  cJSON *allow = cJSON_AddArrayToObject(root, "allowed");
  for (size_t i = 0; allow && i < A->a.allow.count; i++)
    cJSON_AddItemToArray(allow, str_node(A->a.allow.items[i],
                                         strlen(A->a.allow.items[i])));
  cJSON_AddBoolToObject(root, "credentials", A->a.credentials);
  cJSON_AddItemToObject(root, "browsers", browsers_json(all_profiles(A)));
  if (A->stack != STACK_UNKNOWN)
    cJSON_AddStringToObject(root, "server", stack_names[A->stack]);
  else
    cJSON_AddNullToObject(root, "server");
  cJSON *fs = cJSON_AddArrayToObject(root, "findings");
  for (size_t i = 0; fs && i < A->finding_count; i++)
    cJSON_AddItemToArray(fs, finding_json(A, &A->findings[i]));
  cJSON_AddNumberToObject(root, "probes", (double)probe_points(A));
  cJSON_AddNumberToObject(root, "origins", (double)A->origins.count);
  cJSON_AddNumberToObject(root, "requests", (double)A->wire_count);
  size_t nf, nl, sev[4];
  summary_counts(A, &nf, &nl, sev);
  cJSON *sum = cJSON_AddObjectToObject(root, "summary");
  cJSON_AddNumberToObject(sum, "findings", (double)nf);
  cJSON_AddNumberToObject(sum, "high", (double)sev[SEV_HIGH]);
  cJSON_AddNumberToObject(sum, "medium", (double)sev[SEV_MEDIUM]);
  cJSON_AddNumberToObject(sum, "low", (double)sev[SEV_LOW]);
  cJSON_AddNumberToObject(sum, "lint", (double)nl);
  return root;
}

/* ---- SARIF -------------------------------------------------------------------------- */

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define INFORMATION_URI "https://fetch.spec.whatwg.org/#http-cors-protocol"

static void sarif_header(void *ctx, const char *name, const char *value,
                         size_t len) {
  cJSON *h = ctx;
  if (cJSON_GetObjectItemCaseSensitive(h, name) == NULL)
    cJSON_AddItemToObject(h, name, str_node(value, len));
}

/* The name of a rule in PascalCase ("OriginReflected"). */
static void rule_name(enum audit_class c, char *out, size_t n) {
  size_t k = 0;
  bool up = true;
  for (const char *p = class_ids[c]; *p && k + 1 < n; p++) {
    if (*p == '-') {
      up = true;
      continue;
    }
    out[k++] = up && *p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p;
    up = false;
  }
  out[k] = '\0';
}

static uint32_t fnv1a(uint32_t h, const char *s) {
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 16777619u;
  }
  return h;
}

static cJSON *build_sarif(const struct audit *A) {
  cJSON *root = cJSON_CreateObject();
  cJSON_AddStringToObject(root, "$schema", SARIF_SCHEMA);
  cJSON_AddStringToObject(root, "version", "2.1.0");
  cJSON *runs = cJSON_AddArrayToObject(root, "runs");
  cJSON *run = cJSON_CreateObject();
  cJSON_AddItemToArray(runs, run);
  cJSON *tool = cJSON_AddObjectToObject(run, "tool");
  cJSON *driver = cJSON_AddObjectToObject(tool, "driver");
  cJSON_AddStringToObject(driver, "name", "corsim");
  cJSON_AddStringToObject(driver, "version", CORSIM_VERSION);
  cJSON_AddStringToObject(driver, "informationUri", INFORMATION_URI);
  cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
  /* one rule per class seen, in class order; its score is the worst
   * severity of its results in this run */
  int rule_index[AUDIT_CLASS_COUNT];
  enum severity worst[AUDIT_CLASS_COUNT];
  for (int c = 0; c < AUDIT_CLASS_COUNT; c++) {
    rule_index[c] = -1;
    worst[c] = SEV_INFO;
  }
  for (size_t i = 0; i < A->finding_count; i++) {
    const struct finding *f = &A->findings[i];
    if (rule_index[f->cls] < 0 || f->sev > worst[f->cls]) worst[f->cls] = f->sev;
    rule_index[f->cls] = 0;
  }
  int next = 0;
  for (int c = 0; c < AUDIT_CLASS_COUNT; c++) {
    if (rule_index[c] < 0) continue;
    rule_index[c] = next++;
    cJSON *r = cJSON_CreateObject();
    cJSON_AddItemToArray(rules, r);
    cJSON_AddStringToObject(r, "id", class_ids[c]);
    char name[128];
    rule_name((enum audit_class)c, name, sizeof name);
    cJSON_AddStringToObject(r, "name", name);
    cJSON *sd = cJSON_AddObjectToObject(r, "shortDescription");
    cJSON_AddStringToObject(sd, "text", class_text[c].title);
    cJSON *fd = cJSON_AddObjectToObject(r, "fullDescription");
    cJSON_AddStringToObject(fd, "text", class_text[c].help);
    cJSON *h = cJSON_AddObjectToObject(r, "help");
    cJSON_AddStringToObject(h, "text", class_text[c].help);
    cJSON_AddStringToObject(r, "helpUri", INFORMATION_URI);
    cJSON *dc = cJSON_AddObjectToObject(r, "defaultConfiguration");
    cJSON_AddStringToObject(dc, "level", severity_levels[worst[c]]);
    cJSON *props = cJSON_AddObjectToObject(r, "properties");
    cJSON *tags = cJSON_AddArrayToObject(props, "tags");
    cJSON_AddItemToArray(tags, cJSON_CreateString("security"));
    cJSON_AddItemToArray(tags, cJSON_CreateString("cors"));
    cJSON_AddItemToArray(tags, cJSON_CreateString("external/cwe/cwe-942"));
    if (is_lint((enum audit_class)c))
      cJSON_AddItemToArray(tags, cJSON_CreateString("lint"));
    cJSON_AddStringToObject(props, "precision", "high");
    cJSON_AddStringToObject(props, "security-severity",
                            severity_scores[worst[c]]);
  }
  cJSON *results = cJSON_AddArrayToObject(run, "results");
  for (size_t i = 0; i < A->finding_count; i++) {
    const struct finding *f = &A->findings[i];
    const struct probe *p = &A->probes[f->probe];
    const char *origin = A->origins.items[p->origin].origin;
    const char *url = A->targets[f->target].url;
    cJSON *r = cJSON_CreateObject();
    cJSON_AddItemToArray(results, r);
    cJSON_AddStringToObject(r, "ruleId", class_ids[f->cls]);
    cJSON_AddNumberToObject(r, "ruleIndex", rule_index[f->cls]);
    cJSON_AddStringToObject(r, "level", severity_levels[f->sev]);
    char *text = xprintf("%s. Fix: %s", f->message, f->fix);
    cJSON *m = cJSON_AddObjectToObject(r, "message");
    cJSON_AddItemToObject(m, "text", str_node(text ? text : "", text ? strlen(text) : 0));
    free(text);
    cJSON *locs = cJSON_AddArrayToObject(r, "locations");
    cJSON *loc = cJSON_CreateObject();
    cJSON_AddItemToArray(locs, loc);
    cJSON *pl = cJSON_AddObjectToObject(loc, "physicalLocation");
    cJSON *al = cJSON_AddObjectToObject(pl, "artifactLocation");
    cJSON_AddItemToObject(al, "uri", str_node(url, strlen(url)));
    char fp[16];
    uint32_t h = fnv1a(fnv1a(fnv1a(2166136261u, class_ids[f->cls]), origin),
                       url_path(url));
    snprintf(fp, sizeof fp, "%08x", (unsigned)h);
    cJSON *pf = cJSON_AddObjectToObject(r, "partialFingerprints");
    cJSON_AddStringToObject(pf, "corsimAudit/v1", fp);
    cJSON *props = cJSON_AddObjectToObject(r, "properties");
    cJSON_AddStringToObject(props, "severity", severity_names[f->sev]);
    cJSON_AddItemToObject(props, "origin", str_node(origin, strlen(origin)));
    cJSON_AddItemToObject(props, "browsers", browsers_json(f->browsers));
    cJSON_AddItemToObject(props, "fix", str_node(f->fix, strlen(f->fix)));
    if (f->wire != SIZE_MAX) {
      const struct wire *w = A->wires[f->wire];
      cJSON *wr = cJSON_AddObjectToObject(r, "webRequest");
      cJSON_AddStringToObject(wr, "protocol", "HTTP");
      cJSON_AddStringToObject(wr, "version", "1.1");
      cJSON_AddItemToObject(wr, "target", str_node(w->url, strlen(w->url)));
      cJSON_AddItemToObject(wr, "method", str_node(w->method, strlen(w->method)));
      cJSON *hs = cJSON_AddObjectToObject(wr, "headers");
      if (hs) each_sent_header(w, sarif_header, hs);
      cJSON *ws = cJSON_AddObjectToObject(r, "webResponse");
      cJSON_AddStringToObject(ws, "protocol", "HTTP");
      cJSON_AddStringToObject(ws, "version", "1.1");
      cJSON_AddNumberToObject(ws, "statusCode", w->result.status);
      cJSON *rh = cJSON_AddObjectToObject(ws, "headers");
      for (size_t k = 0; rh && k < w->result.header_count; k++) {
        char *name = strndup(w->result.headers[k].name,
                             w->result.headers[k].name_len);
        if (name == NULL) continue;
        struct escape_buf nb;
        escape_buf_init(&nb);
        escape_utf8(&nb, name, strlen(name));
        const char *key = escape_buf_str(&nb);
        cJSON *old = cJSON_GetObjectItemCaseSensitive(rh, key);
        if (old == NULL) {
          cJSON_AddItemToObject(rh, key, str_node(w->result.headers[k].value,
                                                  w->result.headers[k].value_len));
        } else if (cJSON_IsString(old)) {
          /* a repeated header: one comma-separated value, as HTTP combines */
          char *v = strndup(w->result.headers[k].value,
                            w->result.headers[k].value_len);
          char *both = v ? xprintf("%s, %s", old->valuestring, v) : NULL;
          if (both)
            cJSON_ReplaceItemInObjectCaseSensitive(rh, key,
                                                   str_node(both, strlen(both)));
          free(v);
          free(both);
        }
        escape_buf_release(&nb);
        free(name);
      }
    }
  }
  return root;
}

/* ---- writing the report ------------------------------------------------------------- */

static int write_report(const struct audit *A) {
  struct escape_buf out;
  escape_buf_init(&out);
  if (strcmp(A->a.format, "text") == 0) {
    write_text(A, &out);
  } else {
    cJSON *root = strcmp(A->a.format, "json") == 0 ? build_json(A)
                                                   : build_sarif(A);
    char *text = root ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (text == NULL) {
      escape_buf_release(&out);
      fprintf(stderr, "corsim: out of memory\n");
      return EXIT_INTERNAL;
    }
    escape_json_output(&out, text, strlen(text), 0);
    escape_buf_puts(&out, "\n");
    cJSON_free(text);
  }
  if (out.failed) {
    escape_buf_release(&out);
    fprintf(stderr, "corsim: out of memory\n");
    return EXIT_INTERNAL;
  }
  int code = EXIT_PASSED;
  const char *path = A->a.output;
  if (path == NULL || strcmp(path, "-") == 0) {
    if (fwrite(out.data ? out.data : "", 1, out.len, stdout) != out.len ||
        fflush(stdout) != 0) {
      fprintf(stderr, "corsim: cannot write the report to standard output: "
              "%s\n", strerror(errno));
      code = EXIT_INTERNAL;
    }
  } else {
    char *tmp = xprintf("%s.tmp.%ld", path, (long)getpid());
    FILE *f = tmp ? fopen(tmp, "w") : NULL;
    bool ok = f != NULL && fwrite(out.data ? out.data : "", 1, out.len, f) ==
                               out.len;
    if (f != NULL && fclose(f) != 0) ok = false;
    if (ok && rename(tmp, path) != 0) ok = false;
    if (!ok) {
      fprintf(stderr, "corsim: cannot write report '%s': %s\n", path,
              errno ? strerror(errno) : "write error");
      if (tmp) remove(tmp);
      code = EXIT_INTERNAL;
    }
    free(tmp);
  }
  escape_buf_release(&out);
  return code;
}

/* ---- --save: every finding as a vector case ---------------------------------------- */

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

static bool write_file(const char *path, const char *data, size_t len) {
  FILE *f = fopen(path, "wb");
  if (f == NULL) return false;
  bool ok = fwrite(data, 1, len, f) == len;
  if (fclose(f) != 0) ok = false;
  return ok;
}



static int save_case(const struct audit *A, const struct finding *f,
                     size_t number, const char *dir, const char *base,
                     cJSON *cases, char *err, size_t err_size) {
  const struct probe *p = &A->probes[f->probe];
  struct corsim_request rq;
  probe_request(A, p, &rq);
  char id[128];
  snprintf(id, sizeof id, "f%02zu-%s", number, class_ids[f->cls]);
  cJSON *c = cJSON_CreateObject();
  cJSON_AddItemToArray(cases, c);
  cJSON_AddStringToObject(c, "id", id);
  char *title = xprintf("%s (%s, %s; corsim audit --save)", f->message,
                        class_ids[f->cls], severity_names[f->sev]);
  cJSON_AddItemToObject(c, "title", str_node(title ? title : "",
                                             title ? strlen(title) : 0));
  free(title);
  cJSON *tags = cJSON_AddArrayToObject(c, "tags");
  cJSON_AddItemToArray(tags, cJSON_CreateString("live"));
  cJSON_AddItemToArray(tags, cJSON_CreateString("corsim-audit"));
  cJSON_AddItemToArray(tags, cJSON_CreateString(class_ids[f->cls]));
  cJSON_AddStringToObject(c, "browser", corsim_profile_name(p->profile));
  cJSON *r = cJSON_AddObjectToObject(c, "request");
  cJSON_AddItemToObject(r, "origin", str_node(rq.origin, strlen(rq.origin)));
  cJSON_AddItemToObject(r, "url", str_node(rq.url, strlen(rq.url)));
  cJSON_AddStringToObject(r, "method", rq.method);
  if (rq.headers.count > 0) {
    cJSON *h = cJSON_AddArrayToObject(r, "headers");
    for (size_t i = 0; i < rq.headers.count; i++) {
      cJSON *pair = cJSON_CreateArray();
      cJSON_AddItemToArray(pair, cJSON_CreateString(rq.headers.items[i].name));
      cJSON_AddItemToArray(pair, cJSON_CreateString(rq.headers.items[i].value));
      cJSON_AddItemToArray(h, pair);
    }
  }
  cJSON_AddStringToObject(r, "mode", "cors");
  cJSON_AddStringToObject(r, "credentials", corsim_credentials_name(rq.credentials));
  cJSON *responses = cJSON_AddArrayToObject(c, "responses");
  for (size_t k = 0; k < p->ex_count; k++) {
    const struct wire *w = A->wires[p->ex[k]];
    cJSON *x = cJSON_CreateObject();
    cJSON_AddItemToArray(responses, x);
    cJSON_AddItemToObject(x, "method", str_node(w->method, strlen(w->method)));
    cJSON_AddItemToObject(x, "url", str_node(w->url, strlen(w->url)));
    if (w->result.is_whole) {
      char name[512], path[4800];
      snprintf(name, sizeof name, "%s.%s.%zu.http", base, id, k + 1);
      snprintf(path, sizeof path, "%s/%s", dir, name);
      if (!write_file(path, w->result.raw, w->result.raw_len)) {
        snprintf(err, err_size, "cannot write '%.300s': %s", path,
                 strerror(errno));
        return -1;
      }
      cJSON_AddStringToObject(x, "raw_file", name);
    } else {
      /* not a whole message (a 204, a body cut short): the parsed answer */
      cJSON_AddNumberToObject(x, "status", w->result.status);
      cJSON_AddItemToObject(x, "headers", response_headers(&w->result));
    }
  }
  cJSON_AddItemToObject(c, "expect", check_expect_of(&p->d));
  return 0;
}

static int save_vectors(const struct audit *A, char *saved, size_t saved_size,
                        char *err, size_t err_size) {
  const char *dir = A->a.save_dir;
  if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
    snprintf(err, err_size, "cannot create directory '%s': %s", dir,
             strerror(errno));
    return -1;
  }
  const char *h = strstr(A->target_url, "://");
  h = h ? h + 3 : A->target_url;
  char host[128], base[256];
  safe_name(h, strcspn(h, ":/?#"), host, sizeof host);
  int fd = -1;
  for (int n = 1; n < 10000 && fd < 0; n++) {
    snprintf(base, sizeof base, "audit-%s-%d", host, n);
    snprintf(saved, saved_size, "%s/%s.json", dir, base);
    fd = open(saved, O_WRONLY | O_CREAT | O_EXCL, 0666);
    if (fd < 0 && errno != EEXIST) {
      snprintf(err, err_size, "cannot write '%.300s': %s", saved,
               strerror(errno));
      return -1;
    }
  }
  if (fd < 0) {
    snprintf(err, err_size, "cannot find a free name for '%s/audit-%s-N.json'",
             dir, host);
    return -1;
  }
  cJSON *root = cJSON_CreateObject();
  cJSON_AddStringToObject(root, "format", "cors-vectors/1");
  cJSON_AddStringToObject(root, "suite", "corsim-audit");
  cJSON *cases = cJSON_AddArrayToObject(root, "cases");
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < A->finding_count; i++) {
    const struct finding *f = &A->findings[i];
    if (A->probes[f->probe].ex_count == 0) continue; /* nothing was sent */
    rc = save_case(A, f, i + 1, dir, base, cases, err, err_size);
  }
  return check_write_vector(fd, saved, root, rc, err, err_size);
}

/* ---- the command -------------------------------------------------------------------- */

int audit_main(int argc, char **argv) {
  struct audit A;
  memset(&A, 0, sizeof A);
  char err[512];
  if (parse_args(argc, argv, &A.a, err, sizeof err) != 0) {
    fprintf(stderr, "corsim: %s\n", err);
    args_release(&A.a);
    return EXIT_USAGE;
  }
  if (A.a.help) {
    fputs(help, stdout);
    args_release(&A.a);
    return EXIT_PASSED;
  }
  int rc = audit_origins_build(A.a.allow.items, A.a.allow.count,
                               A.a.deny.items, A.a.deny.count, &A.origins, err,
                               sizeof err);
  if (rc == 0 && build_targets(&A, err, sizeof err) != 0) rc = -1;
  if (rc != 0) {
    fprintf(stderr, "corsim: %s\n", rc == -2 ? "out of memory" : err);
    audit_release(&A);
    return rc == -2 ? EXIT_INTERNAL : EXIT_USAGE;
  }
  if (A.a.all_browsers)
    for (int p = 0; p < CORSIM_PROFILE_COUNT; p++)
      A.profiles[A.profile_count++] = (enum corsim_profile)p;
  else
    A.profiles[A.profile_count++] = A.a.browser;
  if (live_responder_init(&A.live, &A.a.live, err, sizeof err) != 0) {
    fprintf(stderr, "corsim: %s\n", err);
    audit_release(&A);
    return EXIT_USAGE;
  }
  A.has_live = true;

  int code = run_probes(&A);
  if (code != EXIT_PASSED) {
    struct escape_buf b;
    escape_buf_init(&b);
    escape_buf_puts(&b, "corsim: cannot audit '");
    escape_terminal_str(&b, A.target_url);
    escape_buf_puts(&b, "': ");
    escape_terminal_str(&b, A.oom ? "out of memory" : A.responder_error);
    fprintf(stderr, "%s\n", escape_buf_str(&b));
    escape_buf_release(&b);
    audit_release(&A);
    return code;
  }
  if (A.wire_count == 0) {
    /* every browser asked refused every fetch before sending it */
    const struct probe *p = A.probe_count > 0 ? &A.probes[0] : NULL;
    struct escape_buf b;
    escape_buf_init(&b);
    escape_buf_puts(&b, "corsim: cannot audit '");
    escape_terminal_str(&b, A.target_url);
    escape_buf_puts(&b, "': ");
    if (p != NULL)
      escape_buf_printf(&b, "%s refuses every fetch there before sending it "
                        "(%s), so nothing reached the server",
                        corsim_profile_name(p->profile),
                        p->d.blocked_reason == CORSIM_BLOCKED_CORS
                            ? corsim_cors_error_name(p->d.cors_error)
                            : corsim_blocked_reason_name(p->d.blocked_reason));
    else
      escape_buf_puts(&b, "no origin to probe");
    fprintf(stderr, "%s\n", escape_buf_str(&b));
    escape_buf_release(&b);
    audit_release(&A);
    return EXIT_LIVE;
  }
  if (analyse(&A) != 0) {
    fprintf(stderr, "corsim: out of memory\n");
    audit_release(&A);
    return EXIT_INTERNAL;
  }
  code = A.finding_count == 0 || (only_lint(&A) && !A.a.strict)
             ? EXIT_PASSED
             : EXIT_FAILED;
  int wc = write_report(&A);
  if (wc > code) code = wc;
  if (A.a.save_dir != NULL && A.finding_count > 0) {
    char saved[4096];
    if (save_vectors(&A, saved, sizeof saved, err, sizeof err) != 0) {
      fprintf(stderr, "corsim: %s\n", err);
      code = EXIT_INTERNAL;
    } else {
      fprintf(stderr, "corsim: saved %s\n", saved);
    }
  }
  audit_release(&A);
  return code;
}
