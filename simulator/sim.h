/* sim.h: declarations shared inside simulator/ (the sim_ prefix); nothing
 * outside the library includes this file except the library's own tests. */
#ifndef CORSIM_SIM_H
#define CORSIM_SIM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "corsim.h"

/* ---- memory (alloc.c) --------------------------------------------------- */

struct sim_arena_chunk;

/* A bump allocator over the caller's allocator; freed in one call. */
struct sim_arena {
  const struct corsim_allocator *allocator;
  struct sim_arena_chunk *chunks;
  bool failed; /* an allocation failed: callers report CORSIM_NO_MEMORY */
};

const struct corsim_allocator *sim_default_allocator(void);
void *sim_alloc(const struct corsim_allocator *a, size_t size);
void sim_free(const struct corsim_allocator *a, void *p);

void sim_arena_init(struct sim_arena *arena, const struct corsim_allocator *a);
void sim_arena_release(struct sim_arena *arena);
void *sim_arena_alloc(struct sim_arena *arena, size_t size);
char *sim_arena_strndup(struct sim_arena *arena, const char *s, size_t len);
char *sim_arena_strdup(struct sim_arena *arena, const char *s);
char *sim_arena_printf(struct sim_arena *arena, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *sim_arena_vprintf(struct sim_arena *arena, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* A growable byte string in an arena. */
struct sim_buf {
  struct sim_arena *arena;
  char *data;
  size_t len, cap;
};
void sim_buf_init(struct sim_buf *b, struct sim_arena *arena);
bool sim_buf_append(struct sim_buf *b, const char *s, size_t len);
bool sim_buf_append_str(struct sim_buf *b, const char *s);
bool sim_buf_append_char(struct sim_buf *b, char c);
/* NUL-terminated contents (never NULL unless out of memory). */
char *sim_buf_cstr(struct sim_buf *b);

/* ---- errors (status.c) -------------------------------------------------- */

enum corsim_status sim_fail(struct corsim_error *err, enum corsim_status st,
                            const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- bytes -------------------------------------------------------------- */

bool sim_ascii_eq_nocase(const char *a, size_t alen, const char *b,
                         size_t blen);
bool sim_ascii_eq_nocase_z(const char *a, size_t alen, const char *z);
char sim_ascii_lower(char c);
bool sim_is_http_whitespace(char c); /* HT, SP, CR, LF */
bool sim_is_http_tab_or_space(char c);
bool sim_is_token_char(unsigned char c); /* RFC 9110 tchar */
bool sim_is_token(const char *s, size_t len);

/* ---- URLs (url.c) ------------------------------------------------------- */

enum sim_host_kind {
  SIM_HOST_NONE,   /* no host (data:, about:) */
  SIM_HOST_EMPTY,  /* file:///x */
  SIM_HOST_DOMAIN, /* ASCII, lower-case, IDNA applied */
  SIM_HOST_IPV4,
  SIM_HOST_IPV6,   /* serialized without brackets in `host` */
  SIM_HOST_OPAQUE
};

/* A parsed URL (url#concept-url). Strings live in the arena given to the
 * parser. */
struct sim_url {
  const char *scheme;     /* lower-case, without ':' */
  const char *username;   /* "" when none */
  const char *password;   /* "" when none */
  enum sim_host_kind host_kind;
  const char *host;       /* serialized host; "" for NONE/EMPTY */
  int port;         /* -1: null (absent or the scheme's default) */
  const char *path;       /* serialized path ("/a/b" or an opaque path) */
  const char *query;      /* NULL: null; without '?' */
  const char *fragment;   /* NULL: null; without '#' */
  bool is_special;
};

/* Parses `input` against `base` (NULL for none) the way the URL Standard's
 * basic URL parser does for the URLs a fetch meets. Returns false on a
 * parse failure, with a short reason in *why (static string). */
bool sim_url_parse(struct sim_arena *arena, const char *input, size_t len,
                   const struct sim_url *base, struct sim_url *out,
                   const char **why);
/* The URL serializer (with fragment unless exclude_fragment). */
char *sim_url_serialize(struct sim_arena *arena, const struct sim_url *url,
                        bool exclude_fragment);
bool sim_url_is_http_scheme(const struct sim_url *url);
/* url#include-credentials */
bool sim_url_includes_credentials(const struct sim_url *url);
int sim_default_port(const char *scheme); /* -1 when none */
/* Serializes a host with brackets for IPv6. */
char *sim_host_serialize(struct sim_arena *arena, const struct sim_url *url);

/* ---- origins (origin.c) ------------------------------------------------- */

/* An origin (html#concept-origin): a tuple, or opaque with an id so that
 * two opaque origins are the same only when they are the same one. */
struct sim_origin {
  bool is_opaque;
  unsigned opaque_id;
  const char *scheme;
  const char *host; /* serialized, brackets for IPv6 */
  enum sim_host_kind host_kind;
  int port;         /* -1: null */
};

/* url#concept-url-origin; `next_opaque_id` numbers new opaque origins. */
void sim_url_origin(struct sim_arena *arena, const struct sim_url *url,
                    unsigned *next_opaque_id, struct sim_origin *out);
/* html#ascii-serialisation-of-an-origin */
char *sim_origin_serialize(struct sim_arena *arena,
                           const struct sim_origin *origin);
/* html#same-origin */
bool sim_same_origin(const struct sim_origin *a, const struct sim_origin *b);
/* secure-contexts#is-origin-trustworthy */
bool sim_origin_is_potentially_trustworthy(const struct sim_origin *o);
/* Parses what a vector gives as the page origin. */
bool sim_origin_parse(struct sim_arena *arena, const char *text,
                      unsigned *next_opaque_id, struct sim_origin *out,
                      const char **why);

/* ---- header lists (header_list.c) --------------------------------------- */

/* A header list owned by an arena, in order, duplicates kept. */
struct sim_header_list {
  struct sim_arena *arena;
  struct corsim_header *items;
  size_t count, cap;
};

void sim_header_list_init(struct sim_header_list *l, struct sim_arena *arena);
bool sim_header_list_append(struct sim_header_list *l, const char *name,
                            size_t name_len, const char *value,
                            size_t value_len);
bool sim_header_list_append_z(struct sim_header_list *l, const char *name,
                              const char *value);
bool sim_header_list_contains(const struct corsim_header_list *l,
                              const char *name);
/* Removes every header named `name`. */
void sim_header_list_delete(struct sim_header_list *l, const char *name);
struct corsim_header_list sim_header_list_view(const struct sim_header_list *l);
/* fetch#concept-header-list-get: NULL when absent, else the values joined
 * with ", " (arena copy). */
char *sim_header_list_get(struct sim_arena *arena,
                          const struct corsim_header_list *l,
                          const char *name);
size_t sim_header_list_count_name(const struct corsim_header_list *l,
                                  const char *name);

/* The result of fetch#extract-header-list-values for a #token list. */
enum sim_extract_result { SIM_EXTRACT_NULL, SIM_EXTRACT_FAILURE,
                          SIM_EXTRACT_LIST };
struct sim_string_list {
  char **items;
  size_t count, cap;
};
bool sim_string_list_append(struct sim_arena *arena,
                            struct sim_string_list *list, const char *s,
                            size_t len);
/* Splits every header `name` as a comma list of tokens (RFC 9110 #rule:
 * OWS trimmed, empty elements skipped); a non-token element is failure
 * and *bad_element is set to it. */
enum sim_extract_result sim_extract_token_list(
    struct sim_arena *arena, const struct corsim_header_list *l,
    const char *name, struct sim_string_list *out, char **bad_element);

/* fetch#convert-header-names-to-a-sorted-lowercase-set */
bool sim_sorted_lowercase_set(struct sim_arena *arena,
                              struct sim_string_list *names);

/* ---- safelists (safelist.c) --------------------------------------------- */

struct sim_profile;

bool sim_is_cors_safelisted_method(const struct sim_profile *p,
                                   const char *method);
bool sim_is_forbidden_method(const char *method, size_t len);
/* fetch#concept-method-normalize: arena copy */
char *sim_method_normalize(struct sim_arena *arena, const char *method);
bool sim_is_forbidden_request_header(const char *name, size_t name_len,
                                     const char *value, size_t value_len);
bool sim_is_cors_safelisted_request_header(const struct sim_profile *p,
                                           const char *name, size_t name_len,
                                           const char *value,
                                           size_t value_len);
bool sim_is_no_cors_safelisted_request_header_name(const char *name,
                                                   size_t len);
bool sim_is_cors_unsafe_request_header_byte(unsigned char c);
/* fetch#cors-unsafe-request-header-names: sorted, lower-case, unique */
bool sim_cors_unsafe_request_header_names(const struct sim_profile *p,
                                          struct sim_arena *arena,
                                          const struct corsim_header_list *l,
                                          struct sim_string_list *out);
bool sim_is_cors_safelisted_response_header_name(const char *name,
                                                 size_t len);
bool sim_is_forbidden_response_header_name(const char *name, size_t len);
/* mimesniff#parse-a-mime-type, reduced to the spans of type and subtype;
 * false on failure. */
bool sim_mime_essence_spans(const char *value, size_t len, size_t *type_at,
                            size_t *type_len, size_t *sub_at,
                            size_t *sub_len);
/* fetch#simple-range-header-value (allowWhitespace false). */
bool sim_parse_simple_range(const char *value, size_t len, bool *has_start);
bool sim_is_valid_header_name(const char *s, size_t len);
bool sim_is_valid_header_value(const char *s, size_t len);
bool sim_is_bad_port(int port);

/* ---- browser profiles (profile.c) ---------------------------------------- */

enum sim_cache_shape {
  SIM_CACHE_PER_ENTRY,  /* the standard: one entry per method / header name */
  SIM_CACHE_PER_URL     /* one result per (origin, URL), replaced wholesale */
};

enum sim_allow_origin_classes {
  SIM_ACAO_CHROMIUM, /* missing / multiple (space or comma) / invalid URL / mismatch */
  SIM_ACAO_FIREFOX,  /* missing / several header lines / mismatch */
  SIM_ACAO_WEBKIT    /* missing / a comma / mismatch */
};

enum sim_clear_on_failure {
  SIM_CLEAR_NEVER,       /* Chromium, WebKit */
  SIM_CLEAR_ANY_FAILURE  /* the standard and Firefox: any network error */
};

enum sim_max_age_parser {
  SIM_MAX_AGE_DELTA_SECONDS, /* fetch: 1*DIGIT, single header, else default */
  SIM_MAX_AGE_INT64,         /* chromium/webkit: signed integer, else default */
  SIM_MAX_AGE_DIGITS_ONLY    /* firefox: digits only, else not cached */
};

struct sim_profile {
  enum corsim_profile id;
  const char *name;
  /* preflight cache */
  double max_age_default;   /* research/browsers.md §1 row "default" */
  double max_age_cap;       /* 0: none */
  enum sim_max_age_parser max_age_parser;
  bool expiry_inclusive;    /* entry still valid at exactly t0 + max-age */
  bool zero_max_age_not_cached;
  enum sim_cache_shape cache_shape;
  bool credentials_keyed_apart; /* cred and nocred entries never serve each other */
  enum sim_clear_on_failure clear_on_failure; /* fetch#concept-cache-clear */
  bool erase_on_insufficient_hit;
  bool cache_failed_preflight;  /* webkit caches before the method/header check */
  bool cache_hit_needs_head_listed;
  bool cache_ignores_wildcard;  /* firefox: no `*` on a cache hit */
  bool cache_wildcard_serves_credentialed; /* a credentialed `*` entry serves include requests */
  bool cache_wildcard_covers_authorization; /* a cached `*` header entry covers Authorization */
  size_t cache_capacity;        /* 0: unbounded */
  size_t cache_max_url_length;  /* 0: none */
  unsigned cache_mode_bypass;   /* bit (1 << enum corsim_cache_mode): skips the cache */
  /* request classification */
  bool method_safelist_case_insensitive;
  bool safelist_client_hints;
  bool safelist_range;
  bool safelist_total_1024;
  /* response checks */
  bool wildcard_covers_authorization;
  bool preflight_status_before_cors_check;
  bool preflight_method_before_allow_headers; /* Firefox: ACAM, method, then ACAH */
  bool preflight_cors_check_before_redirect;   /* Firefox: a redirected preflight is CORS-checked first */
  enum sim_allow_origin_classes allow_origin_classes;
  bool localhost_mixed_content; /* WebKit: http://localhost from https is mixed content */
  /* Chromium, measured with the oracle (vectors/redirects/, vectors/modes/,
   * vectors/opaque-origins/), not in research/browsers.md: */
  bool no_preflight_cache_for_null_origin; /* never caches when Origin is null */
  bool redirect_error_needs_location;      /* a 3xx without Location is the response */
  bool redirect_limit_before_cors_check;   /* the 21st redirect: no CORS check */
  bool same_location_lines_are_one;        /* identical Location lines are followed */
  bool mode_check_in_renderer;             /* same-origin mode: before mixed content;
                                              at a redirect hop, no CORS error */
  bool local_network_access; /* Chromium: public page to loopback/local */
  bool combine_request_headers; /* same-name author headers become one */
  bool user_agent_forbidden;    /* an author User-Agent is replaced */
};

const struct sim_profile *sim_profile_get(enum corsim_profile id);

/* ---- the trace (trace.c) -------------------------------------------------- */

struct sim_fetch;
void sim_trace(struct sim_fetch *f, enum corsim_trace_kind kind,
               const char *anchor, const char *step, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* ---- one fetch in progress (main_fetch.c and friends) ---------------------- */

struct sim_cache;

struct corsim_browser {
  const struct corsim_allocator *allocator;
  const struct sim_profile *profile;
  struct corsim_options options;
  double now;
  unsigned next_opaque_id;
  struct sim_cache *cache;
};

enum sim_tainting { SIM_TAINT_BASIC, SIM_TAINT_CORS, SIM_TAINT_OPAQUE };

struct sim_fetch {
  struct corsim_browser *browser;
  const struct sim_profile *profile;
  struct sim_arena *arena;
  struct corsim_decision *out;
  corsim_responder respond;
  void *respond_ctx;
  struct corsim_error *err;
  double at;

  struct sim_origin origin;  /* the request's origin */
  char *origin_serialized;
  struct sim_url url;        /* the request's current URL */
  char *url_serialized;
  struct sim_url *url_list;  /* every URL so far */
  size_t url_list_count, url_list_cap;
  char *method;
  struct sim_header_list headers;
  enum corsim_mode mode;
  enum corsim_credentials credentials;
  enum corsim_redirect redirect;
  enum corsim_cache_mode cache_mode;
  enum sim_tainting tainting;
  bool use_cors_preflight;
  bool may_use_preflight_cache;   /* the cache mode lets it be read */
  bool may_store_preflight;       /* ... and written */
  size_t redirect_count;

  /* growing outputs */
  size_t trace_cap, hop_cap;
  bool blocked;
};

/* Records the refusal in the decision; returns CORSIM_OK for chaining. */
void sim_block(struct sim_fetch *f, enum corsim_blocked_reason reason,
               enum corsim_cors_error cors_error, const char *failed_parameter);
bool sim_fetch_oom(struct sim_fetch *f);

/* fetch#byte-serializing-a-request-origin */
const char *sim_byte_serialized_request_origin(struct sim_fetch *f);
/* fetch#concept-request-tainted-origin */
bool sim_request_has_redirect_tainted_origin(struct sim_fetch *f);

/* Sends one wire request through the responder, records it as a hop (or
 * as the preflight) in the decision. */
enum corsim_status sim_send(struct sim_fetch *f, const char *method,
                            const struct sim_header_list *headers,
                            bool is_preflight, bool include_credentials,
                            struct corsim_response *answer);

/* fetch#concept-cors-check: true on success; on failure sets *error and
 * *param (arena, or NULL) to the CDP classification, using the preflight
 * names when `for_preflight`. */
bool sim_cors_check(struct sim_fetch *f, const struct corsim_response *resp,
                    bool for_preflight, enum corsim_cors_error *error,
                    char **param);

/* ---- the CORS-preflight cache (preflight_cache.c) ------------------------- */

enum corsim_status sim_cache_new(struct corsim_browser *b);
void sim_cache_free(struct corsim_browser *b);
size_t sim_cache_size(const struct corsim_browser *b, double at);
/* fetch#concept-cache-match-method / -header for this request. */
bool sim_cache_match_method(struct sim_fetch *f, const char *method);
bool sim_cache_match_header(struct sim_fetch *f, const char *name);
/* fetch#concept-cache-create-entry for each method and header name. */
enum corsim_status sim_cache_store(struct sim_fetch *f, double max_age,
                                   const struct sim_string_list *methods,
                                   const struct sim_string_list *headers);
/* fetch#concept-cache-clear */
void sim_cache_clear(struct sim_fetch *f);
/* Drops the entries for this request's key (insufficient-hit erasure). */
void sim_cache_erase_for_request(struct sim_fetch *f);

/* ---- algorithms ------------------------------------------------------------ */

/* fetch#dom-request: URL, method and header checks; a TypeError is a
 * refusal (f->blocked), not an error. */
enum corsim_status sim_construct_request(struct sim_fetch *f,
                                         const struct corsim_request *req);

/* fetch#cors-preflight-fetch-0: returns CORSIM_OK; on refusal f->blocked. */
enum corsim_status sim_cors_preflight_fetch(struct sim_fetch *f,
                                            const struct sim_string_list *unsafe);
/* Parses Access-Control-Max-Age as the profile does; *cacheable false when
 * the profile stores nothing for this value. */
double sim_preflight_max_age(const struct sim_profile *p,
                             struct sim_arena *arena,
                             const struct corsim_header_list *headers,
                             bool *cacheable, const char **how);
/* fetch#concept-response-cors-exposed-header-name-list and the filtered
 * response's header names, into the decision. */
bool sim_exposed_header_names(struct sim_fetch *f,
                              const struct corsim_response *resp);
/* fetch#concept-http-redirect-fetch: returns true to fetch again with the
 * new URL (f updated), false when done (f->blocked set on a refusal). */
bool sim_http_redirect_fetch(struct sim_fetch *f,
                             const struct corsim_response *resp,
                             enum corsim_status *status);

#endif /* CORSIM_SIM_H */
