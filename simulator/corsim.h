/* corsim.h: the public interface of libcorsim, a model of how a browser
 * decides CORS (the WHATWG Fetch Standard, and what Chromium, Firefox and
 * WebKit really do).
 *
 * The library is pure: no I/O, no global state, no exit. It asks its
 * caller for every server answer through a responder callback, so captured
 * answers, raw HTTP bytes and a live server are the same to it.
 *
 * Ownership, once for the whole header: inputs are borrowed for the length
 * of a call; the library copies what it keeps (preflight-cache entries).
 * Outputs belong to the caller and have one release function each. A
 * function that can fail returns enum corsim_status and, when given a
 * struct corsim_error, fills it with a one-line message (the first error
 * wins). A CORS refusal is a result, not an error. */
#ifndef CORSIM_H
#define CORSIM_H

#include <stdbool.h>
#include <stddef.h>

#define CORSIM_VERSION "0.1.0"

/* ---- status ----------------------------------------------------------- */

#define CORSIM_STATUS_MAP(X)                                               \
  X(OK, "no error")                                                        \
  X(NO_MEMORY, "out of memory")                                            \
  X(BAD_REQUEST, "request is not a valid fetch() call")                   \
  X(NO_ANSWER, "no captured response answers this request")               \
  X(RESPONDER, "the responder failed")                                     \
  X(LIMIT, "input exceeds a configured limit")                             \
  X(BAD_TIME, "virtual time went backwards")

enum corsim_status {
#define X(name, text) CORSIM_##name,
  CORSIM_STATUS_MAP(X)
#undef X
};

struct corsim_error {
  enum corsim_status status;
  char message[256]; /* one line, no trailing full stop; first error wins */
};

/* ---- CDP Network.CorsError names, verbatim ------------------------------ */

#define CORSIM_CORS_ERROR_MAP(X)                                           \
  X(NONE, "")                                                              \
  X(DISALLOWED_BY_MODE, "DisallowedByMode")                                \
  X(INVALID_RESPONSE, "InvalidResponse")                                   \
  X(WILDCARD_ORIGIN_NOT_ALLOWED, "WildcardOriginNotAllowed")               \
  X(MISSING_ALLOW_ORIGIN_HEADER, "MissingAllowOriginHeader")               \
  X(MULTIPLE_ALLOW_ORIGIN_VALUES, "MultipleAllowOriginValues")             \
  X(INVALID_ALLOW_ORIGIN_VALUE, "InvalidAllowOriginValue")                 \
  X(ALLOW_ORIGIN_MISMATCH, "AllowOriginMismatch")                          \
  X(INVALID_ALLOW_CREDENTIALS, "InvalidAllowCredentials")                  \
  X(CORS_DISABLED_SCHEME, "CorsDisabledScheme")                            \
  X(PREFLIGHT_INVALID_STATUS, "PreflightInvalidStatus")                    \
  X(PREFLIGHT_DISALLOWED_REDIRECT, "PreflightDisallowedRedirect")          \
  X(PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED,                                 \
    "PreflightWildcardOriginNotAllowed")                                   \
  X(PREFLIGHT_MISSING_ALLOW_ORIGIN_HEADER,                                 \
    "PreflightMissingAllowOriginHeader")                                   \
  X(PREFLIGHT_MULTIPLE_ALLOW_ORIGIN_VALUES,                                \
    "PreflightMultipleAllowOriginValues")                                  \
  X(PREFLIGHT_INVALID_ALLOW_ORIGIN_VALUE,                                  \
    "PreflightInvalidAllowOriginValue")                                    \
  X(PREFLIGHT_ALLOW_ORIGIN_MISMATCH, "PreflightAllowOriginMismatch")       \
  X(PREFLIGHT_INVALID_ALLOW_CREDENTIALS,                                   \
    "PreflightInvalidAllowCredentials")                                    \
  X(PREFLIGHT_MISSING_ALLOW_EXTERNAL, "PreflightMissingAllowExternal")     \
  X(PREFLIGHT_INVALID_ALLOW_EXTERNAL, "PreflightInvalidAllowExternal")     \
  X(INVALID_ALLOW_METHODS_PREFLIGHT_RESPONSE,                              \
    "InvalidAllowMethodsPreflightResponse")                                \
  X(INVALID_ALLOW_HEADERS_PREFLIGHT_RESPONSE,                              \
    "InvalidAllowHeadersPreflightResponse")                                \
  X(METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE,                               \
    "MethodDisallowedByPreflightResponse")                                 \
  X(HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE,                               \
    "HeaderDisallowedByPreflightResponse")                                 \
  X(REDIRECT_CONTAINS_CREDENTIALS, "RedirectContainsCredentials")          \
  X(INSECURE_LOCAL_NETWORK, "InsecureLocalNetwork")                        \
  X(INVALID_LOCAL_NETWORK_ACCESS, "InvalidLocalNetworkAccess")             \
  X(NO_CORS_REDIRECT_MODE_NOT_FOLLOW, "NoCorsRedirectModeNotFollow")       \
  X(LOCAL_NETWORK_ACCESS_PERMISSION_DENIED,                                \
    "LocalNetworkAccessPermissionDenied")

enum corsim_cors_error {
#define X(name, text) CORSIM_CORS_ERROR_##name,
  CORSIM_CORS_ERROR_MAP(X)
#undef X
  CORSIM_CORS_ERROR_COUNT
};

/* ---- why a fetch failed, beyond the CDP name ---------------------------- */

/* A blocked fetch has one of these reasons. `cors` is a CORS refusal (and
 * then cors_error is set); the others are the failures that browsers do not
 * report as CORS errors. */
#define CORSIM_BLOCKED_REASON_MAP(X)                                       \
  X(NONE, "")                                                              \
  X(CORS, "cors")                                                          \
  X(TYPE_ERROR, "type-error")                                              \
  X(MIXED_CONTENT, "mixed-content")                                        \
  X(BAD_PORT, "bad-port")                                                  \
  X(REDIRECT, "redirect")                                                  \
  X(LOCAL_NETWORK, "local-network")                                        \
  X(NETWORK, "network")

enum corsim_blocked_reason {
#define X(name, text) CORSIM_BLOCKED_##name,
  CORSIM_BLOCKED_REASON_MAP(X)
#undef X
};

/* ---- enums named after the standard ------------------------------------- */

enum corsim_profile {
  CORSIM_PROFILE_FETCH,
  CORSIM_PROFILE_CHROMIUM,
  CORSIM_PROFILE_FIREFOX,
  CORSIM_PROFILE_WEBKIT
};
#define CORSIM_PROFILE_COUNT 4

enum corsim_mode { /* fetch#concept-request-mode */
  CORSIM_MODE_CORS,
  CORSIM_MODE_NO_CORS,
  CORSIM_MODE_SAME_ORIGIN
};

enum corsim_credentials { /* fetch#concept-request-credentials-mode */
  CORSIM_CREDENTIALS_OMIT,
  CORSIM_CREDENTIALS_SAME_ORIGIN,
  CORSIM_CREDENTIALS_INCLUDE
};

enum corsim_redirect { /* fetch#concept-request-redirect-mode */
  CORSIM_REDIRECT_FOLLOW,
  CORSIM_REDIRECT_ERROR,
  CORSIM_REDIRECT_MANUAL
};

enum corsim_cache_mode { /* fetch#concept-request-cache-mode */
  CORSIM_CACHE_DEFAULT,
  CORSIM_CACHE_NO_STORE,
  CORSIM_CACHE_RELOAD,
  CORSIM_CACHE_NO_CACHE,
  CORSIM_CACHE_FORCE_CACHE
};

enum corsim_outcome {
  CORSIM_OUTCOME_ALLOWED, /* script can read the response */
  CORSIM_OUTCOME_BLOCKED, /* the fetch rejects with a network error */
  CORSIM_OUTCOME_OPAQUE   /* an opaque or opaque-redirect response */
};

enum corsim_preflight {
  CORSIM_PREFLIGHT_NONE,   /* no preflight needed */
  CORSIM_PREFLIGHT_SENT,   /* a preflight went on the wire */
  CORSIM_PREFLIGHT_CACHED  /* needed, answered from the preflight cache */
};

enum corsim_response_type { /* fetch#concept-response-type */
  CORSIM_RESPONSE_BASIC,
  CORSIM_RESPONSE_CORS,
  CORSIM_RESPONSE_OPAQUE,
  CORSIM_RESPONSE_OPAQUEREDIRECT,
  CORSIM_RESPONSE_ERROR
};

/* ---- borrowed views ----------------------------------------------------- */

struct corsim_header {
  const char *name;
  size_t name_len;
  const char *value;
  size_t value_len;
};

struct corsim_header_list {
  const struct corsim_header *items;
  size_t count;
};

/* What the page's script asked for (VECTORS.md "Request"). `origin` is the
 * serialized origin of the page, or "null" (or NULL) for an opaque one; a
 * document URL such as "file:///x" or "data:..." is also accepted and gives
 * an opaque origin. `method` NULL means GET. */
struct corsim_request {
  const char *origin;
  const char *url;
  const char *method;
  struct corsim_header_list headers;
  enum corsim_mode mode;
  enum corsim_credentials credentials;
  enum corsim_redirect redirect;
  enum corsim_cache_mode cache;
  bool use_cors_preflight; /* fetch#use-cors-preflight-flag (XHR upload listeners, streams) */
  bool is_xhr; /* made by XMLHttpRequest, not fetch(): only console wording differs */
};

/* One request the browser puts on the wire, handed to the responder. */
struct corsim_wire_request {
  const char *method;
  const char *url;
  struct corsim_header_list headers; /* in wire order */
  bool is_preflight;
  bool include_credentials; /* cookies and HTTP auth would be sent */
  size_t hop;               /* 0 for the first request, n after n redirects */
};

/* One server answer. `headers` in wire order, duplicates kept. */
struct corsim_response {
  int status;
  struct corsim_header_list headers;
};

/* Answers one wire request. Return CORSIM_OK and fill `answer`, or another
 * status (CORSIM_NO_ANSWER when the capture lacks it) and fill `err`. The
 * answer must stay valid until the responder is called again or the fetch
 * returns. */
typedef enum corsim_status (*corsim_responder)(
    void *ctx, const struct corsim_wire_request *sent,
    struct corsim_response *answer, struct corsim_error *err);

/* Memory: `alloc(ctx, size)` returns NULL on failure; `free(ctx, ptr)`
 * takes NULL. */
struct corsim_allocator {
  void *(*alloc)(void *ctx, size_t size);
  void (*free)(void *ctx, void *ptr);
  void *ctx;
};

struct corsim_options {
  enum corsim_profile profile;
  size_t max_redirects;    /* 0: the standard's 20 */
  size_t max_headers;      /* per header list; 0: 256 */
  size_t max_header_bytes; /* per header list; 0: 256 KiB */
  size_t max_cache_entries; /* 0: the profile's own capacity, or 4096 */
  const struct corsim_allocator *allocator; /* NULL: malloc/free */
  bool no_trace; /* decide without writing the trace (faster; trace_count 0) */
};

/* ---- the decision and its trace ----------------------------------------- */

enum corsim_trace_kind {
  CORSIM_TRACE_INFO, /* a fact the browser looked at */
  CORSIM_TRACE_PASS, /* a check that passed */
  CORSIM_TRACE_FAIL, /* the check that decided a refusal */
  CORSIM_TRACE_NOTE  /* a lint note: legal, but worth knowing */
};

struct corsim_trace_entry {
  const char *anchor; /* "fetch#cors-check" (static string) */
  const char *step;   /* the algorithm's step number, "" when none (static) */
  enum corsim_trace_kind kind;
  char *text;         /* what it looked at and what it found */
};

/* Headers owned by a decision; value NULL never occurs here. */
struct corsim_owned_header {
  char *name;
  char *value;
};

/* One request of the chain: the first request and each redirect hop. */
struct corsim_hop {
  char *method;
  char *url;
  char *origin_sent; /* the Origin header on the wire, NULL when none */
  int status;        /* 0 when no answer was had */
  bool cors_checked;
  bool cors_ok;
};

struct corsim_decision {
  enum corsim_outcome outcome;
  enum corsim_blocked_reason blocked_reason;
  enum corsim_cors_error cors_error;
  char *failed_parameter; /* NULL when none */
  enum corsim_preflight preflight;
  enum corsim_response_type response_type;
  int status; /* what script sees: 0 when blocked or opaque */

  /* About the response whose check failed (for console messages): its
   * status, and how many Access-Control-Allow-Origin lines it had. */
  char *url;          /* the request's current URL at the end (serialized) */
  char *initial_url;  /* the URL fetch() was called with (serialized) */
  char *origin;       /* the page's serialized origin */
  int failed_response_status;
  size_t allow_origin_lines;
  bool failed_on_preflight;
  const char *address_space; /* Local Network Access: the target's space */
  char *detail; /* the offending token of an unparsable list, or NULL */
  char *detail_value; /* ... and the whole header value */

  /* The last preflight that went on the wire (has_preflight_request). */
  bool has_preflight_request;
  struct corsim_owned_header *preflight_request_headers;
  size_t preflight_request_header_count;

  /* The last actual (non-preflight) request that went on the wire. */
  bool has_request;
  struct corsim_owned_header *request_headers;
  size_t request_header_count;

  char **exposed_headers; /* lower-case, sorted, no duplicates */
  size_t exposed_header_count;

  struct corsim_hop *hops;
  size_t hop_count;

  struct corsim_trace_entry *trace;
  size_t trace_count;

  void *arena_; /* private: everything above lives here */
};

/* ---- the browser -------------------------------------------------------- */

struct corsim_browser; /* opaque: profile, virtual clock, preflight cache */

/* Makes a browser with an empty preflight cache at virtual time 0. On
 * failure *out is NULL and nothing is left to release. */
enum corsim_status corsim_browser_new(const struct corsim_options *options,
                                      struct corsim_browser **out,
                                      struct corsim_error *err);
void corsim_browser_free(struct corsim_browser *browser);

/* Runs one fetch the way the chosen browser would (fetch#main-fetch),
 * asking `respond` for each answer the browser needs: the preflight when
 * one is due and not cached, then each request of a redirect chain.
 *
 * `at` is virtual time in seconds and must not go back between calls on
 * one browser. A CORS failure is a result: CORSIM_OK with
 * out->outcome == CORSIM_OUTCOME_BLOCKED and out->cors_error set. Any
 * other status means the inputs were unusable; `err` says why and `out`
 * holds nothing to release. On CORSIM_OK release `out` with
 * corsim_decision_release(). */
enum corsim_status corsim_browser_fetch(struct corsim_browser *browser,
                                        double at,
                                        const struct corsim_request *request,
                                        corsim_responder respond, void *ctx,
                                        struct corsim_decision *out,
                                        struct corsim_error *err);
void corsim_decision_release(struct corsim_decision *decision);

/* How many entries the preflight cache holds at virtual time `at`
 * (expired ones not counted). */
size_t corsim_browser_cache_size(const struct corsim_browser *browser,
                                 double at);

/* ---- origins and URLs, for callers that need the same answers ----------- */

/* Serializes the origin of `url` (html#ascii-serialisation-of-an-origin)
 * into `out` (NUL-terminated; "null" for an opaque origin). Returns
 * CORSIM_BAD_REQUEST when `url` does not parse, CORSIM_LIMIT when `out` is
 * too small. */
enum corsim_status corsim_origin_of_url(const char *url, char *out,
                                        size_t out_size,
                                        struct corsim_error *err);

/* Parses `url` and writes its serialization (url#concept-url-serializer). */
enum corsim_status corsim_url_serialize(const char *url, char *out,
                                        size_t out_size,
                                        struct corsim_error *err);

/* True when the two URLs or serialized origins are same origin
 * (html#same-origin). A string that does not parse is an opaque origin,
 * same origin with nothing. */
bool corsim_same_origin(const char *a, const char *b);

/* ---- console messages --------------------------------------------------- */

/* Writes the console message that `profile`'s engine prints for a blocked
 * decision of `request` into `out` (NUL-terminated, truncated to fit).
 * Returns the length it needed, 0 when the engine prints nothing. */
size_t corsim_console_message(enum corsim_profile profile,
                              const struct corsim_request *request,
                              const struct corsim_decision *decision,
                              char *out, size_t out_size);

/* What a refusal means and what the server must change, for people:
 * static strings. `meaning` says which check failed; `anchor` is the
 * Fetch Standard section ("fetch#concept-cors-check"); `fix` says what to
 * change on the server ("" when the refusal is the page's own doing). */
struct corsim_advice {
  const char *meaning;
  const char *anchor;
  const char *fix;
};
const struct corsim_advice *corsim_cors_error_advice(enum corsim_cors_error e);
const struct corsim_advice *corsim_blocked_reason_advice(
    enum corsim_blocked_reason r);

/* Reads a console message that an engine printed (Chromium's "Access to
 * fetch at ... has been blocked by CORS policy: ...", Firefox's
 * "Cross-Origin Request Blocked: ... (Reason: ...)", WebKit's wording),
 * and says which engine printed it and which refusal it reports. Returns
 * false when the text is none of the known messages. Strings in `out`
 * point into `out->buf_`. */
struct corsim_console_info {
  enum corsim_profile engine;
  enum corsim_cors_error cors_error;
  enum corsim_blocked_reason blocked_reason;
  bool is_preflight;
  const char *url;       /* "" when the message names none */
  const char *origin;    /* "" when the message names none */
  const char *parameter; /* the header, method or value named, or "" */
  char buf_[2048];
};
bool corsim_console_parse(const char *message,
                          struct corsim_console_info *out);

/* ---- names and texts ---------------------------------------------------- */

const char *corsim_status_name(enum corsim_status status); /* "NO_ANSWER" */
const char *corsim_status_text(enum corsim_status status);
const char *corsim_cors_error_name(enum corsim_cors_error e); /* CDP spelling */
bool corsim_cors_error_from_name(const char *name, enum corsim_cors_error *out);
const char *corsim_blocked_reason_name(enum corsim_blocked_reason r);
bool corsim_blocked_reason_from_name(const char *name,
                                     enum corsim_blocked_reason *out);
const char *corsim_profile_name(enum corsim_profile p); /* "fetch" */
bool corsim_profile_from_name(const char *name, enum corsim_profile *out);
const char *corsim_mode_name(enum corsim_mode m);
bool corsim_mode_from_name(const char *name, enum corsim_mode *out);
const char *corsim_credentials_name(enum corsim_credentials c);
bool corsim_credentials_from_name(const char *name,
                                  enum corsim_credentials *out);
const char *corsim_redirect_name(enum corsim_redirect r);
bool corsim_redirect_from_name(const char *name, enum corsim_redirect *out);
const char *corsim_cache_mode_name(enum corsim_cache_mode c);
bool corsim_cache_mode_from_name(const char *name, enum corsim_cache_mode *out);
const char *corsim_outcome_name(enum corsim_outcome o);
bool corsim_outcome_from_name(const char *name, enum corsim_outcome *out);
const char *corsim_preflight_name(enum corsim_preflight p);
bool corsim_preflight_from_name(const char *name, enum corsim_preflight *out);
const char *corsim_response_type_name(enum corsim_response_type t);
const char *corsim_trace_kind_name(enum corsim_trace_kind k);

/* The URL of a Fetch Standard anchor such as "fetch#cors-check":
 * writes "https://fetch.spec.whatwg.org/#cors-check" into `out`. */
size_t corsim_anchor_url(const char *anchor, char *out, size_t out_size);

#endif /* CORSIM_H */
