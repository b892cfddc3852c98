/* status.c: the name and text tables (X-macros of corsim.h) for statuses,
 * CDP CorsError names, enums of the vector format, and the error filler. */
#include <stdio.h>
#include <string.h>

#include "sim.h"

static const char *const status_names[] = {
#define X(name, text) #name,
    CORSIM_STATUS_MAP(X)
#undef X
};

static const char *const status_texts[] = {
#define X(name, text) text,
    CORSIM_STATUS_MAP(X)
#undef X
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *corsim_status_name(enum corsim_status status) {
  size_t i = (size_t)status;
  return i < COUNT(status_names) ? status_names[i] : "UNKNOWN";
}

const char *corsim_status_text(enum corsim_status status) {
  size_t i = (size_t)status;
  return i < COUNT(status_texts) ? status_texts[i] : "unknown status";
}

static const char *const cors_error_names[] = {
#define X(name, text) text,
    CORSIM_CORS_ERROR_MAP(X)
#undef X
};

const char *corsim_cors_error_name(enum corsim_cors_error e) {
  size_t i = (size_t)e;
  return i < COUNT(cors_error_names) ? cors_error_names[i] : "";
}

/* Looks `name` up in a table of `n` names; index 0 may be "" (none). */
static bool find_name(const char *const *table, size_t n, const char *name,
                      size_t *out) {
  if (name == NULL) return false;
  for (size_t i = 0; i < n; i++) {
    if (strcmp(table[i], name) == 0) {
      *out = i;
      return true;
    }
  }
  return false;
}

bool corsim_cors_error_from_name(const char *name,
                                 enum corsim_cors_error *out) {
  size_t i;
  if (!find_name(cors_error_names, COUNT(cors_error_names), name, &i))
    return false;
  *out = (enum corsim_cors_error)i;
  return true;
}

static const char *const blocked_names[] = {
#define X(name, text) text,
    CORSIM_BLOCKED_REASON_MAP(X)
#undef X
};

const char *corsim_blocked_reason_name(enum corsim_blocked_reason r) {
  size_t i = (size_t)r;
  return i < COUNT(blocked_names) ? blocked_names[i] : "";
}

bool corsim_blocked_reason_from_name(const char *name,
                                     enum corsim_blocked_reason *out) {
  size_t i;
  if (!find_name(blocked_names, COUNT(blocked_names), name, &i)) return false;
  *out = (enum corsim_blocked_reason)i;
  return true;
}

/* Enum <-> vector-format name, one table each. */
#define ENUM_NAMES(type, fn, table, ...)                                  \
  static const char *const table[] = {__VA_ARGS__};                      \
  const char *corsim_##fn##_name(enum corsim_##type v) {                 \
    size_t i = (size_t)v;                                                \
    return i < COUNT(table) ? table[i] : "";                             \
  }

#define ENUM_FROM_NAME(type, fn, table)                                   \
  bool corsim_##fn##_from_name(const char *name, enum corsim_##type *out) { \
    size_t i;                                                            \
    if (!find_name(table, COUNT(table), name, &i)) return false;         \
    *out = (enum corsim_##type)i;                                        \
    return true;                                                         \
  }

ENUM_NAMES(profile, profile, profile_names, "fetch", "chromium", "firefox",
           "webkit")
ENUM_FROM_NAME(profile, profile, profile_names)
ENUM_NAMES(mode, mode, mode_names, "cors", "no-cors", "same-origin")
ENUM_FROM_NAME(mode, mode, mode_names)
ENUM_NAMES(credentials, credentials, credentials_names, "omit", "same-origin",
           "include")
ENUM_FROM_NAME(credentials, credentials, credentials_names)
ENUM_NAMES(redirect, redirect, redirect_names, "follow", "error", "manual")
ENUM_FROM_NAME(redirect, redirect, redirect_names)
ENUM_NAMES(cache_mode, cache_mode, cache_mode_names, "default", "no-store",
           "reload", "no-cache", "force-cache")
ENUM_FROM_NAME(cache_mode, cache_mode, cache_mode_names)
ENUM_NAMES(outcome, outcome, outcome_names, "allowed", "blocked", "opaque")
ENUM_FROM_NAME(outcome, outcome, outcome_names)
ENUM_NAMES(preflight, preflight, preflight_names, "none", "sent", "cached")
ENUM_FROM_NAME(preflight, preflight, preflight_names)
ENUM_NAMES(response_type, response_type, response_type_names, "basic", "cors",
           "opaque", "opaqueredirect", "error")
ENUM_NAMES(trace_kind, trace_kind, trace_kind_names, "info", "pass", "fail",
           "note")

size_t corsim_anchor_url(const char *anchor, char *out, size_t out_size) {
  static const struct {
    const char *prefix, *base;
  } specs[] = {
      {"fetch#", "https://fetch.spec.whatwg.org/#"},
      {"html#", "https://html.spec.whatwg.org/multipage/browsers.html#"},
      {"url#", "https://url.spec.whatwg.org/#"},
      {"mimesniff#", "https://mimesniff.spec.whatwg.org/#"},
      {"mixed-content#", "https://w3c.github.io/webappsec-mixed-content/#"},
      {"secure-contexts#", "https://w3c.github.io/webappsec-secure-contexts/#"},
      {"lna#", "https://wicg.github.io/local-network-access/#"},
      {"browsers#", "research/browsers.md#"},
  };
  if (anchor == NULL) anchor = "";
  for (size_t i = 0; i < COUNT(specs); i++) {
    size_t n = strlen(specs[i].prefix);
    if (strncmp(anchor, specs[i].prefix, n) == 0) {
      int w = snprintf(out, out_size, "%s%s", specs[i].base, anchor + n);
      return w < 0 ? 0 : (size_t)w;
    }
  }
  int w = snprintf(out, out_size, "%s", anchor);
  return w < 0 ? 0 : (size_t)w;
}

enum corsim_status sim_fail(struct corsim_error *err, enum corsim_status st,
                            const char *fmt, ...) {
  /* The first message wins, as in curl's Curl_failf. */
  if (err != NULL && err->status == CORSIM_OK) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    for (char *p = err->message; *p; p++)
      if (*p == '\n' || *p == '\r') *p = ' ';
    err->status = st;
  }
  return st;
}
