/* har.c: `corsim har`: explains a browser session recorded as a HAR 1.2
 * file: each cross-origin fetch/XHR entry becomes a step of one simulated
 * browser per profile, answered from the HAR's own responses, and the
 * report says per entry what each browser decides and why, next to what
 * the HAR recorded.
 *
 * The shape, in order: read the file (a located syntax error still lets
 * the entries before it through); copy each entry into our own structs
 * (the cJSON tree is freed before anything runs); classify entries (page
 * documents, same-origin, not CORS, not HTTP(S), WebSocket, duplicates,
 * preflights, redirect hops, the requests to explain); pair each preflight
 * with the request it was sent for and each redirect with its next hop;
 * run the steps in the HAR's order on one browser per profile, so the
 * preflight cache carries over as it did in the session; compare each
 * decision with the recorded outcome; write the report, and with --save
 * the exchanges as a vector file. Real HARs are messy: every oddity is a
 * note on its entry or a located error, never a reason to stop. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "../reports/escape.h"
#include "cli.h"
#include "har.h"
#include "jsonloc.h"

/* ---- an arena: every string and array of one run lives here ------------- */

struct arena_block {
  struct arena_block *next;
  size_t used, cap;
  max_align_t data[];
};

struct arena {
  struct arena_block *head;
  bool failed; /* an allocation failed: the run ends with exit 5 */
};

static void *arena_alloc(struct arena *a, size_t n) {
  size_t align = sizeof(max_align_t);
  n = (n + align - 1) / align * align;
  if (n == 0) n = align;
  struct arena_block *b = a->head;
  if (b == NULL || b->cap - b->used < n) {
    size_t cap = n > 65536 ? n : 65536;
    b = malloc(sizeof *b + cap);
    if (b == NULL) {
      a->failed = true;
      return NULL;
    }
    b->next = a->head;
    b->used = 0;
    b->cap = cap;
    a->head = b;
  }
  void *p = (char *)b->data + b->used;
  b->used += n;
  memset(p, 0, n);
  return p;
}

static char *arena_strndup(struct arena *a, const char *s, size_t n) {
  char *p = arena_alloc(a, n + 1);
  if (p == NULL) return NULL;
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

static char *arena_strdup(struct arena *a, const char *s) {
  return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

static char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static char *arena_printf(struct arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char tmp[1024];
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0) return NULL;
  if ((size_t)n < sizeof tmp) return arena_strndup(a, tmp, (size_t)n);
  char *p = arena_alloc(a, (size_t)n + 1);
  if (p == NULL) return NULL;
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

static void arena_release(struct arena *a) {
  while (a->head) {
    struct arena_block *n = a->head->next;
    free(a->head);
    a->head = n;
  }
}

/* ---- notes: one line each, in the order they were found ----------------- */

struct note {
  char *text;
  struct note *next;
};

struct notes {
  struct note *head, *tail;
  size_t count;
};

static void note_add(struct arena *a, struct notes *n, char *text) {
  if (text == NULL) return;
  for (struct note *x = n->head; x; x = x->next)
    if (strcmp(x->text, text) == 0) return; /* said once is enough */
  struct note *x = arena_alloc(a, sizeof *x);
  if (x == NULL) return;
  x->text = text;
  if (n->tail)
    n->tail->next = x;
  else
    n->head = x;
  n->tail = x;
  n->count++;
}

/* ---- the HAR's entries, copied out of cJSON ------------------------------ */

enum entry_kind {
  KIND_UNUSABLE,   /* a located error: not even a method and URL */
  KIND_SKIPPED,    /* not HTTP(S), WebSocket, duplicate: a note says why */
  KIND_DOCUMENT,   /* a page load: gives the page origin */
  KIND_SAME_ORIGIN,
  KIND_NOT_CORS,   /* cross-origin but not a CORS request (no-cors, image) */
  KIND_PREFLIGHT,  /* an OPTIONS preflight, paired with its step */
  KIND_HOP,        /* a redirect hop of an earlier entry */
  KIND_STEP        /* the first request of a step */
};

struct entry {
  size_t index; /* position in log.entries */
  int line, column;
  enum entry_kind kind;
  char *method;
  char *url;
  char *url_key; /* serialized, without fragment (or the URL as written) */
  char *scheme;  /* lower case, without ':' */
  struct corsim_header *req; /* request headers as recorded */
  size_t req_count;
  size_t cookie_count;
  int status;
  bool has_status;
  char *status_text;
  struct corsim_header *res; /* response headers as recorded */
  size_t res_count;
  bool has_response_field;
  char *redirect_url; /* resolved, NULL when none */
  char *error;        /* response._error, response._failureText */
  char *resource_type; /* lower case: fetch, xhr, document, preflight, ... */
  char *initiator_type;
  char *pageref;
  char *from_cache; /* "memory", "disk", ... or NULL */
  char *mime_type;
  bool has_started;
  double started; /* seconds since the epoch */
  char *started_text;
  bool websocket;
  bool redacted;      /* a value looks stripped by a sanitizer */
  bool body_stripped; /* bodySize > 0 but no postData text */
  struct notes notes;
  size_t step;      /* the step it belongs to (SIZE_MAX: none) */
  size_t chain_next; /* the next hop's entry (SIZE_MAX: none) */
};

struct har_page {
  char *id;
  char *title;
  char *origin; /* NULL until known */
};

struct har_error {
  int line, column;
  char *message;
};

/* ---- steps and their decisions ------------------------------------------ */

enum recorded { REC_OK, REC_FAILED, REC_UNKNOWN };

enum verdict {
  VERDICT_AGREE,     /* allowed, and the HAR shows it was */
  VERDICT_EXPLAINED, /* refused, and the HAR shows it failed */
  VERDICT_DISAGREE,
  VERDICT_UNDECIDED, /* the model could not decide from the HAR */
  VERDICT_DECIDED    /* the HAR does not say how it ended */
};

/* One answer the model was given, kept for --save. */
struct given {
  const char *method;
  const char *url;
  int status;
  const char *status_text;
  const struct corsim_header *headers;
  size_t header_count;
  bool synthesized; /* a preflight built from the actual answer */
};

struct outcome {
  bool decided;
  struct corsim_decision d;
  char *error; /* why it is undecided */
  char *console;
  enum verdict verdict;
  struct given given[HAR_MAX_HOPS + 2];
  size_t given_count;
  bool synthesized_preflight;
  char *retry; /* what --credentials include would change, or NULL */
};

struct step {
  size_t entry;     /* the first hop (for an orphan preflight: the preflight) */
  size_t preflight; /* SIZE_MAX: none in the HAR */
  size_t hops[HAR_MAX_HOPS];
  size_t hop_count;
  bool orphan; /* rebuilt from a preflight whose request is not in the HAR */
  double at;
  char *origin;
  struct corsim_request request;
  struct corsim_header *headers;
  size_t header_count;
  bool credentials_inferred_include;
  enum recorded recorded;
  struct notes notes;
  struct outcome out[CORSIM_PROFILE_COUNT];
};

struct har {
  struct arena arena;
  const char *path;
  char *text;
  size_t len;
  struct jsonloc_lines lines;
  char *creator_name, *creator_version;
  char *browser_name, *browser_version;
  bool is_playwright;
  bool is_firefox; /* its HAR has no mark for a response the CORS check refused */
  struct har_page *pages;
  size_t page_count;
  struct entry *entries;
  size_t entry_count;
  struct step *steps;
  size_t step_count;
  struct har_error *errors;
  size_t error_count, error_cap;
  struct notes notes;
  char *page_origin;
  char *page_origin_source;
  bool truncated;
  /* options */
  const char *origin_option;
  bool has_credentials;
  enum corsim_credentials credentials;
  enum corsim_profile profiles[CORSIM_PROFILE_COUNT];
  size_t profile_count;
  enum corsim_profile primary;
  bool json;
  const char *save_dir;
};

#define NONE SIZE_MAX

static void add_error(struct har *h, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add_error(struct har *h, size_t offset, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (h->error_count == h->error_cap) {
    size_t cap = h->error_cap ? h->error_cap * 2 : 16;
    struct har_error *n = arena_alloc(&h->arena, cap * sizeof *n);
    if (n == NULL) return;
    if (h->error_count) memcpy(n, h->errors, h->error_count * sizeof *n);
    h->errors = n;
    h->error_cap = cap;
  }
  struct har_error *e = &h->errors[h->error_count++];
  /* positions are asked for in any order here: no cache */
  jsonloc_position(h->text, h->len, offset, NULL, &e->line, &e->column);
  e->message = arena_strdup(&h->arena, msg);
}

/* ---- small string helpers ------------------------------------------------ */

static bool ieq(const char *a, const char *b) {
  return a && b && strcasecmp(a, b) == 0;
}

/* `needle` occurs in `hay`, ignoring ASCII case (strcasestr is not POSIX). */
static bool ci_contains(const char *hay, const char *needle) {
  if (hay == NULL) return false;
  size_t n = strlen(needle);
  for (const char *p = hay; *p; p++)
    if (strncasecmp(p, needle, n) == 0) return true;
  return n == 0;
}

static bool starts_with_ci(const char *s, const char *prefix) {
  return s && strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static char *lower_dup(struct arena *a, const char *s) {
  char *p = arena_strdup(a, s);
  if (p)
    for (char *c = p; *c; c++)
      if (*c >= 'A' && *c <= 'Z') *c = (char)(*c + 32);
  return p;
}

static const char *header_get(const struct corsim_header *h, size_t n,
                              const char *name) {
  for (size_t i = 0; i < n; i++)
    if (strcasecmp(h[i].name, name) == 0) return h[i].value;
  return NULL;
}

/* A list of names such as Access-Control-Request-Headers holds `name`. */
static bool list_has(const char *list, const char *name) {
  if (list == NULL) return false;
  size_t n = strlen(name);
  const char *p = list;
  while (*p) {
    while (*p == ' ' || *p == '\t' || *p == ',') p++;
    const char *s = p;
    while (*p && *p != ',') p++;
    const char *e = p;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t')) e--;
    if ((size_t)(e - s) == n && strncasecmp(s, name, n) == 0) return true;
  }
  return false;
}

/* A short form of a long URL for notes (data: URLs can be megabytes). */
static char *short_url(struct arena *a, const char *url) {
  size_t n = strlen(url);
  if (n <= 80) return arena_strdup(a, url);
  return arena_printf(a, "%.60s...", url);
}

/* ---- URLs ----------------------------------------------------------------- */

/* The scheme of `url`, lower case, or NULL when it has none. */
static char *url_scheme(struct arena *a, const char *url) {
  const char *p = url;
  if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) return NULL;
  while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
         (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
    p++;
  if (*p != ':') return NULL;
  char *s = arena_strndup(a, url, (size_t)(p - url));
  return s ? lower_dup(a, s) : NULL;
}

/* The URL serialized without its fragment, as the simulator sends it. */
static char *url_key(struct arena *a, const char *url) {
  char buf[8192];
  if (corsim_url_serialize(url, buf, sizeof buf, NULL) != CORSIM_OK)
    return arena_strdup(a, url);
  char *hash = strchr(buf, '#');
  if (hash) *hash = '\0';
  return arena_strdup(a, buf);
}

/* Resolves `ref` (a redirectURL or Location, absolute or not) against
 * `base` (RFC 3986 §5.2 in its simple cases; the serializer then removes
 * dot segments). */
static char *url_resolve(struct arena *a, const char *base, const char *ref) {
  char *scheme = url_scheme(a, ref);
  if (scheme != NULL) return url_key(a, ref);
  const char *colon = strchr(base, ':');
  if (colon == NULL) return arena_strdup(a, ref);
  size_t scheme_len = (size_t)(colon - base);
  const char *auth = colon + 1;
  const char *path = auth;
  if (auth[0] == '/' && auth[1] == '/') {
    path = auth + 2;
    while (*path && *path != '/' && *path != '?' && *path != '#') path++;
  }
  char *joined;
  if (ref[0] == '/' && ref[1] == '/') {
    joined = arena_printf(a, "%.*s:%s", (int)scheme_len, base, ref);
  } else if (ref[0] == '/') {
    joined = arena_printf(a, "%.*s%s", (int)(path - base), base, ref);
  } else if (ref[0] == '?') {
    size_t n = strcspn(path, "?#");
    joined = arena_printf(a, "%.*s%s", (int)(path - base + (long)n), base, ref);
  } else if (ref[0] == '#' || ref[0] == '\0') {
    size_t n = strcspn(path, "#");
    joined = arena_printf(a, "%.*s%s", (int)(path - base + (long)n), base, ref);
  } else {
    size_t n = strcspn(path, "?#");
    const char *slash = NULL;
    for (const char *p = path; p < path + n; p++)
      if (*p == '/') slash = p;
    size_t keep = slash ? (size_t)(slash + 1 - base) : (size_t)(path - base);
    joined = arena_printf(a, "%.*s%s%s", (int)keep, base, slash ? "" : "/", ref);
  }
  return joined ? url_key(a, joined) : NULL;
}

static char *origin_of(struct arena *a, const char *url) {
  char buf[2048];
  if (corsim_origin_of_url(url, buf, sizeof buf, NULL) != CORSIM_OK) return NULL;
  return arena_strdup(a, buf);
}

/* ---- time: ISO 8601 as HAR writes it ------------------------------------- */

static long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  long long era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (long long)doe - 719468;
}

static bool digits(const char *s, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

/* "2024-01-31T10:20:30.123Z", "...+01:00", "...+0100", no zone (UTC). */
static bool parse_time(const char *s, double *out) {
  int y, mo, d, hh, mm, ss;
  if (strlen(s) < 19 || !digits(s, 4, &y) || s[4] != '-' ||
      !digits(s + 5, 2, &mo) || s[7] != '-' || !digits(s + 8, 2, &d) ||
      (s[10] != 'T' && s[10] != ' ') || !digits(s + 11, 2, &hh) ||
      s[13] != ':' || !digits(s + 14, 2, &mm) || s[16] != ':' ||
      !digits(s + 17, 2, &ss))
    return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60)
    return false;
  const char *p = s + 19;
  double frac = 0;
  if (*p == '.' || *p == ',') {
    p++;
    double scale = 0.1;
    if (*p < '0' || *p > '9') return false;
    while (*p >= '0' && *p <= '9') {
      frac += (*p - '0') * scale;
      scale /= 10;
      p++;
    }
  }
  long offset = 0;
  if (*p == 'Z' || *p == 'z') {
    p++;
  } else if (*p == '+' || *p == '-') {
    int sign = *p == '-' ? -1 : 1;
    int oh, om = 0;
    p++;
    if (!digits(p, 2, &oh)) return false;
    p += 2;
    if (*p == ':') p++;
    if (*p && !digits(p, 2, &om)) return false;
    if (*p) p += 2;
    offset = sign * (oh * 3600L + om * 60L);
  }
  if (*p != '\0') return false;
  long long days = days_from_civil(y, (unsigned)mo, (unsigned)d);
  *out = (double)(days * 86400LL + hh * 3600LL + mm * 60LL + ss - offset) + frac;
  return true;
}

/* ---- reading the file ------------------------------------------------------ */

static int read_file(struct har *h, const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "corsim: cannot open '%s': %s\n", path, strerror(errno));
    return EXIT_VECTOR;
  }
  size_t cap = 65536, len = 0;
  char *data = malloc(cap);
  if (data == NULL) {
    fclose(f);
    return EXIT_INTERNAL;
  }
  for (;;) {
    if (len + 1 >= cap) {
      if (cap >= HAR_MAX_FILE_BYTES) {
        fclose(f);
        free(data);
        fprintf(stderr, "corsim: '%s' is larger than %u MiB\n", path,
                HAR_MAX_FILE_BYTES / (1024u * 1024u));
        return EXIT_VECTOR;
      }
      char *n = realloc(data, cap * 2);
      if (n == NULL) {
        fclose(f);
        free(data);
        return EXIT_INTERNAL;
      }
      data = n;
      cap *= 2;
    }
    size_t got = fread(data + len, 1, cap - len - 1, f);
    len += got;
    if (got == 0) break;
  }
  bool bad = ferror(f) != 0;
  fclose(f);
  if (bad) {
    free(data);
    fprintf(stderr, "corsim: cannot read '%s'\n", path);
    return EXIT_VECTOR;
  }
  data[len] = '\0';
  h->text = data;
  h->len = len;
  return 0;
}

/* ---- cJSON → struct entry --------------------------------------------------- */

static const char *json_str(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Where the member `key` (or the path key/key2) of the value at `base`
 * starts, for a note or an error; `base` when it is not found. */
static size_t member_offset(const struct har *h, size_t base, const char *key,
                            const char *key2) {
  struct jsonloc_step path[2];
  memset(path, 0, sizeof path);
  path[0].key = key;
  path[0].key_len = strlen(key);
  size_t depth = 1;
  if (key2) {
    path[1].key = key2;
    path[1].key_len = strlen(key2);
    depth = 2;
  }
  size_t off;
  if (jsonloc_find(h->text, h->len, base, path, depth, true, &off)) return off;
  return base;
}

/* Looks like a value a HAR sanitizer put in place of a secret. */
static bool is_redacted(const char *v) {
  return v != NULL &&
         (ci_contains(v, "redacted") || strcmp(v, "***") == 0 ||
          strcmp(v, "xxx") == 0 || ci_contains(v, "sanitized") ||
          ci_contains(v, "<hidden>") || ci_contains(v, "removed"));
}

/* Copies a HAR header list [{name, value}, ...]; bad items are noted. */
static void copy_headers(struct har *h, struct entry *e, const cJSON *list,
                         const char *where, struct corsim_header **out,
                         size_t *count) {
  *out = NULL;
  *count = 0;
  if (list == NULL) return;
  if (!cJSON_IsArray(list)) {
    note_add(&h->arena, &e->notes,
             arena_printf(&h->arena, "'%s' is not an array: taken as empty",
                          where));
    return;
  }
  size_t n = (size_t)cJSON_GetArraySize(list);
  if (n == 0) return;
  *out = arena_alloc(&h->arena, n * sizeof **out);
  if (*out == NULL) return;
  size_t k = 0, i = 0;
  const cJSON *item;
  cJSON_ArrayForEach(item, list) {
    const char *name = json_str(item, "name");
    const char *value = json_str(item, "value");
    if (name == NULL || value == NULL || name[0] == '\0') {
      note_add(&h->arena, &e->notes,
               arena_printf(&h->arena, "%s[%zu] has no name or value: ignored",
                            where, i));
      i++;
      continue;
    }
    struct corsim_header *x = &(*out)[k++];
    x->name = arena_strdup(&h->arena, name);
    x->value = arena_strdup(&h->arena, value);
    if (x->name == NULL || x->value == NULL) return;
    x->name_len = strlen(x->name);
    x->value_len = strlen(x->value);
    if ((ieq(name, "cookie") || ieq(name, "authorization") ||
         ieq(name, "set-cookie")) && is_redacted(value))
      e->redacted = true;
    i++;
  }
  *count = k;
}

static void load_entry(struct har *h, const cJSON *j, size_t index,
                       size_t offset) {
  struct entry *e = &h->entries[h->entry_count++];
  memset(e, 0, sizeof *e);
  e->index = index;
  e->step = NONE;
  e->chain_next = NONE;
  jsonloc_position(h->text, h->len, offset, &h->lines, &e->line, &e->column);
  e->kind = KIND_UNUSABLE;
  if (!cJSON_IsObject(j)) {
    add_error(h, offset, "entry is not an object at log.entries[%zu]", index);
    return;
  }
  const cJSON *req = cJSON_GetObjectItemCaseSensitive(j, "request");
  if (!cJSON_IsObject(req)) {
    add_error(h, req ? member_offset(h, offset, "request", NULL) : offset,
              "%s 'request' at log.entries[%zu]; the entry is skipped",
              req ? "not an object:" : "missing field", index);
    return;
  }
  const char *url = json_str(req, "url");
  if (url == NULL || url[0] == '\0') {
    add_error(h, member_offset(h, offset, "request", url ? "url" : NULL),
              "%s 'url' at log.entries[%zu].request; the entry is skipped",
              url ? "empty field" : "missing field", index);
    return;
  }
  e->kind = KIND_STEP; /* until classified */
  e->url = arena_strdup(&h->arena, url);
  e->url_key = url_key(&h->arena, url);
  e->scheme = url_scheme(&h->arena, url);
  const char *method = json_str(req, "method");
  if (method == NULL || method[0] == '\0') {
    note_add(&h->arena, &e->notes,
             arena_strdup(&h->arena, "no request method in the HAR: taken as GET"));
    method = "GET";
  }
  e->method = arena_strdup(&h->arena, method);
  copy_headers(h, e, cJSON_GetObjectItemCaseSensitive(req, "headers"),
               "request.headers", &e->req, &e->req_count);
  const cJSON *cookies = cJSON_GetObjectItemCaseSensitive(req, "cookies");
  if (cJSON_IsArray(cookies)) {
    const cJSON *c;
    cJSON_ArrayForEach(c, cookies) {
      e->cookie_count++;
      if (is_redacted(json_str(c, "value"))) e->redacted = true;
    }
  }
  const cJSON *body_size = cJSON_GetObjectItemCaseSensitive(req, "bodySize");
  const cJSON *post = cJSON_GetObjectItemCaseSensitive(req, "postData");
  const char *post_text = json_str(post, "text");
  /* Playwright's content: 'omit' leaves bodies out by design */
  if (cJSON_IsNumber(body_size) && body_size->valuedouble > 0 &&
      (post_text == NULL || post_text[0] == '\0') && !h->is_playwright)
    e->body_stripped = true;

  const char *started = json_str(j, "startedDateTime");
  if (started == NULL) {
    note_add(&h->arena, &e->notes,
             arena_strdup(&h->arena, "no startedDateTime: taken as the time of "
                                     "the entry before it"));
  } else if (!parse_time(started, &e->started)) {
    note_add(&h->arena, &e->notes,
             arena_printf(&h->arena, "startedDateTime '%.40s' is not an ISO 8601 "
                                     "time: taken as the time of the entry "
                                     "before it", started));
  } else {
    e->has_started = true;
    e->started_text = arena_strdup(&h->arena, started);
  }

  const cJSON *res = cJSON_GetObjectItemCaseSensitive(j, "response");
  if (cJSON_IsObject(res)) {
    e->has_response_field = true;
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(res, "status");
    if (cJSON_IsNumber(st)) {
      e->has_status = true;
      double v = st->valuedouble;
      e->status = v >= -1 && v <= 999 ? (int)v : 0;
    } else {
      note_add(&h->arena, &e->notes,
               arena_strdup(&h->arena, "no response status in the HAR"));
    }
    e->status_text = arena_strdup(&h->arena, json_str(res, "statusText"));
    copy_headers(h, e, cJSON_GetObjectItemCaseSensitive(res, "headers"),
                 "response.headers", &e->res, &e->res_count);
    const char *redirect = json_str(res, "redirectURL");
    if (redirect == NULL || redirect[0] == '\0')
      redirect = e->status >= 300 && e->status < 400
                     ? header_get(e->res, e->res_count, "location")
                     : NULL;
    if (redirect && redirect[0])
      e->redirect_url = url_resolve(&h->arena, e->url, redirect);
    const char *err = json_str(res, "_error");
    if (err == NULL || err[0] == '\0') err = json_str(res, "_failureText");
    if (err && err[0]) e->error = arena_strdup(&h->arena, err);
    const cJSON *content = cJSON_GetObjectItemCaseSensitive(res, "content");
    e->mime_type = arena_strdup(&h->arena, json_str(content, "mimeType"));
  } else {
    note_add(&h->arena, &e->notes,
             arena_printf(&h->arena, "%s 'response': the HAR holds no answer",
                          res ? "not an object:" : "missing field"));
  }
  if (e->error == NULL) {
    const char *err = json_str(j, "_error");
    if (err && err[0]) e->error = arena_strdup(&h->arena, err);
  }
  const char *rt = json_str(j, "_resourceType");
  if (rt) e->resource_type = lower_dup(&h->arena, rt);
  const cJSON *init = cJSON_GetObjectItemCaseSensitive(j, "_initiator");
  const char *it = cJSON_IsString(init) ? init->valuestring : json_str(init, "type");
  if (it) e->initiator_type = lower_dup(&h->arena, it);
  e->pageref = arena_strdup(&h->arena, json_str(j, "pageref"));
  const cJSON *fc = cJSON_GetObjectItemCaseSensitive(j, "_fromCache");
  if (cJSON_IsString(fc) && fc->valuestring[0])
    e->from_cache = arena_strdup(&h->arena, fc->valuestring);
  else if (cJSON_IsTrue(fc))
    e->from_cache = arena_strdup(&h->arena, "cache");
  const char *fetch_type = json_str(j, "_fetchType"); /* WebKit */
  if (e->from_cache == NULL && fetch_type && ci_contains(fetch_type, "cache"))
    e->from_cache = arena_strdup(&h->arena, fetch_type);
  const cJSON *cache = cJSON_GetObjectItemCaseSensitive(j, "cache");
  const cJSON *before = cJSON_GetObjectItemCaseSensitive(cache, "beforeRequest");
  if (e->from_cache == NULL && cJSON_IsObject(before) && before->child)
    e->from_cache = arena_strdup(&h->arena, "cache.beforeRequest");
  if (cJSON_GetObjectItemCaseSensitive(j, "_webSocketMessages") ||
      ieq(e->resource_type, "websocket") ||
      ieq(header_get(e->req, e->req_count, "upgrade"), "websocket"))
    e->websocket = true;
}

static void load_page(struct har *h, const cJSON *p) {
  struct har_page *g = &h->pages[h->page_count++];
  memset(g, 0, sizeof *g);
  g->id = arena_strdup(&h->arena, json_str(p, "id"));
  g->title = arena_strdup(&h->arena, json_str(p, "title"));
}

static void load_meta(struct har *h, const cJSON *log_json) {
  const cJSON *creator = cJSON_GetObjectItemCaseSensitive(log_json, "creator");
  h->creator_name = arena_strdup(&h->arena, json_str(creator, "name"));
  h->creator_version = arena_strdup(&h->arena, json_str(creator, "version"));
  const cJSON *browser = cJSON_GetObjectItemCaseSensitive(log_json, "browser");
  h->browser_name = arena_strdup(&h->arena, json_str(browser, "name"));
  h->browser_version = arena_strdup(&h->arena, json_str(browser, "version"));
  h->is_playwright = h->creator_name && ci_contains(h->creator_name, "playwright");
  h->is_firefox = !h->is_playwright && h->creator_name &&
                  ci_contains(h->creator_name, "firefox");
}

static void load_pages(struct har *h, const cJSON *pages) {
  if (!cJSON_IsArray(pages)) return;
  size_t n = (size_t)cJSON_GetArraySize(pages);
  if (n == 0) return;
  h->pages = arena_alloc(&h->arena, n * sizeof *h->pages);
  if (h->pages == NULL) return;
  const cJSON *p;
  cJSON_ArrayForEach(p, pages) load_page(h, p);
}

/* Parses one JSON value that starts at `off`; NULL when it does not parse
 * (the file is cut there or broken). */
static cJSON *parse_value_at(const struct har *h, size_t off) {
  const char *end = NULL;
  return cJSON_ParseWithLengthOpts(h->text + off, h->len - off, &end, 0);
}

static bool find_path(const struct har *h, size_t start, const char *k1,
                      const char *k2, size_t *off) {
  struct jsonloc_step path[2];
  memset(path, 0, sizeof path);
  path[0].key = k1;
  path[0].key_len = strlen(k1);
  size_t depth = 1;
  if (k2) {
    path[1].key = k2;
    path[1].key_len = strlen(k2);
    depth = 2;
  }
  return jsonloc_find(h->text, h->len, start, path, depth, false, off);
}

static void skip_ws(const struct har *h, size_t *off) {
  while (*off < h->len && (h->text[*off] == ' ' || h->text[*off] == '\n' ||
                           h->text[*off] == '\r' || h->text[*off] == '\t'))
    (*off)++;
}

/* Loads log.entries element by element from `entries_off` (the '['),
 * stopping before the first element that does not parse when `salvage`. */
static void load_entries(struct har *h, size_t entries_off, const cJSON *array,
                         bool salvage, size_t error_off) {
  size_t n = array ? (size_t)cJSON_GetArraySize(array) : 0;
  size_t cap = salvage ? 256 : (n ? n : 1);
  if (cap > HAR_MAX_ENTRIES) cap = HAR_MAX_ENTRIES;
  h->entries = malloc(cap * sizeof *h->entries);
  if (h->entries == NULL) {
    h->arena.failed = true;
    return;
  }
  size_t off = entries_off + 1;
  skip_ws(h, &off);
  bool empty = off < h->len && h->text[off] == ']';
  const cJSON *item = array ? array->child : NULL;
  for (size_t i = 0; !empty; i++) {
    if (array && item == NULL) break;
    if (i == HAR_MAX_ENTRIES) {
      note_add(&h->arena, &h->notes,
               arena_printf(&h->arena, "more than %u entries: only the first %u "
                                       "are explained",
                            HAR_MAX_ENTRIES, HAR_MAX_ENTRIES));
      break;
    }
    if (off >= h->len) break;
    if (h->entry_count == cap) {
      struct entry *ne = realloc(h->entries, cap * 2 * sizeof *ne);
      if (ne == NULL) {
        h->arena.failed = true;
        return;
      }
      h->entries = ne;
      cap *= 2;
    }
    if (salvage) {
      if (off >= error_off) {
        h->truncated = true;
        break;
      }
      cJSON *one = parse_value_at(h, off);
      if (one == NULL) {
        h->truncated = true;
        break;
      }
      load_entry(h, one, i, off);
      cJSON_Delete(one);
    } else {
      load_entry(h, item, i, off);
      item = item->next;
    }
    if (h->arena.failed) return;
    size_t next = jsonloc_next_element(h->text, h->len, off);
    if (next >= h->len || next <= off) break;
    off = next;
  }
}

/* Reads the HAR: the whole document when it is valid JSON; otherwise a
 * located syntax error and, from the text, every entry before it. */
static int load_har(struct har *h) {
  size_t bad_off = 0;
  char msg[256];
  bool valid = jsonloc_check(h->text, h->len, 256, &bad_off, msg, sizeof msg);
  if (valid) {
    const char *end = NULL;
    /* the length counts the NUL: cJSON wants to see it after the value */
    cJSON *root = cJSON_ParseWithLengthOpts(h->text, h->len + 1, &end, 1);
    if (root == NULL) {
      add_error(h, end ? (size_t)(end - h->text) : 0, "invalid JSON");
      return EXIT_VECTOR;
    }
    const cJSON *log_json = cJSON_GetObjectItemCaseSensitive(root, "log");
    if (!cJSON_IsObject(log_json)) {
      add_error(h, 0, "%s 'log': not a HAR file",
                log_json ? "not an object:" : "missing field");
      cJSON_Delete(root);
      return EXIT_VECTOR;
    }
    load_meta(h, log_json);
    load_pages(h, cJSON_GetObjectItemCaseSensitive(log_json, "pages"));
    const cJSON *entries = cJSON_GetObjectItemCaseSensitive(log_json, "entries");
    size_t eoff = 0;
    if (!cJSON_IsArray(entries) || !find_path(h, 0, "log", "entries", &eoff)) {
      size_t at = 0;
      find_path(h, 0, "log", NULL, &at);
      add_error(h, entries ? member_offset(h, at, "entries", NULL) : at,
                "%s 'entries' at log", entries ? "not an array:" : "missing field");
      cJSON_Delete(root);
      return EXIT_VECTOR;
    }
    load_entries(h, eoff, entries, false, 0);
    cJSON_Delete(root);
    return 0;
  }
  /* Not JSON: say where, then explain what came before it. */
  add_error(h, bad_off, "%s", msg);
  size_t log_off;
  if (!find_path(h, 0, "log", NULL, &log_off) || h->text[log_off] != '{')
    return EXIT_VECTOR;
  cJSON *meta = NULL;
  size_t off;
  cJSON *log_json = cJSON_CreateObject();
  if (log_json == NULL) {
    h->arena.failed = true;
    return EXIT_INTERNAL;
  }
  static const char *const keys[] = {"creator", "browser", "pages"};
  for (size_t i = 0; i < 3; i++)
    if (find_path(h, log_off, keys[i], NULL, &off) && off < bad_off &&
        (meta = parse_value_at(h, off)) != NULL)
      cJSON_AddItemToObject(log_json, keys[i], meta);
  load_meta(h, log_json);
  load_pages(h, cJSON_GetObjectItemCaseSensitive(log_json, "pages"));
  cJSON_Delete(log_json);
  if (find_path(h, log_off, "entries", NULL, &off) && off < bad_off &&
      h->text[off] == '[') {
    load_entries(h, off, NULL, true, bad_off);
    note_add(&h->arena, &h->notes,
             arena_printf(&h->arena, "the file is not valid JSON: explained the "
                                     "%zu entries before the error", h->entry_count));
  } else {
    note_add(&h->arena, &h->notes,
             arena_strdup(&h->arena, "the file is not valid JSON and no entry "
                                     "comes before the error"));
  }
  return EXIT_VECTOR;
}

/* ---- classification ------------------------------------------------------ */

static bool is_http(const struct entry *e) {
  return e->scheme && (strcmp(e->scheme, "http") == 0 ||
                       strcmp(e->scheme, "https") == 0);
}

static bool is_preflight(const struct entry *e) {
  return ieq(e->method, "OPTIONS") &&
         (header_get(e->req, e->req_count, "access-control-request-method") ||
          ieq(e->resource_type, "preflight") || ieq(e->initiator_type, "preflight"));
}

static bool is_document(const struct entry *e) {
  if (e->resource_type) return ieq(e->resource_type, "document");
  const char *mode = header_get(e->req, e->req_count, "sec-fetch-mode");
  const char *dest = header_get(e->req, e->req_count, "sec-fetch-dest");
  if (mode || dest) return ieq(mode, "navigate") || ieq(dest, "document");
  return false;
}

/* The entry answered (a status the browser got, or headers at least). */
static bool has_answer(const struct entry *e) {
  return e->status > 0 || e->res_count > 0;
}

static bool recorded_failed(const struct entry *e) {
  return e->error != NULL || e->status <= 0;
}

static const char *page_origin_of(const struct har *h, const struct entry *e) {
  if (e->pageref)
    for (size_t i = 0; i < h->page_count; i++)
      if (h->pages[i].id && h->pages[i].origin &&
          strcmp(h->pages[i].id, e->pageref) == 0)
        return h->pages[i].origin;
  return h->page_origin;
}

/* The final URL of a redirect chain that starts at entry `i`. */
static const char *chain_final_url(const struct har *h, size_t i) {
  const struct entry *e = &h->entries[i];
  size_t guard = 0;
  while (e->chain_next != NONE && guard++ < HAR_MAX_HOPS)
    e = &h->entries[e->chain_next];
  return e->url;
}

static void find_page_origins(struct har *h) {
  struct arena *a = &h->arena;
  for (size_t i = 0; i < h->page_count; i++) {
    struct har_page *p = &h->pages[i];
    char *s = p->title ? url_scheme(a, p->title) : NULL;
    if (s && (strcmp(s, "http") == 0 || strcmp(s, "https") == 0 ||
              strcmp(s, "file") == 0))
      p->origin = origin_of(a, p->title);
  }
  /* a page without a URL title: its first document entry */
  for (size_t i = 0; i < h->page_count; i++) {
    struct har_page *p = &h->pages[i];
    if (p->origin) continue;
    for (size_t k = 0; k < h->entry_count; k++) {
      const struct entry *e = &h->entries[k];
      if (e->kind == KIND_UNUSABLE || !is_document(e)) continue;
      if (p->id && e->pageref && strcmp(p->id, e->pageref) != 0) continue;
      p->origin = origin_of(a, chain_final_url(h, k));
      break;
    }
  }
  if (h->origin_option) {
    h->page_origin = arena_strdup(a, h->origin_option);
    h->page_origin_source = arena_strdup(a, "--origin");
    for (size_t i = 0; i < h->page_count; i++) h->pages[i].origin = NULL;
    return;
  }
  for (size_t i = 0; i < h->page_count; i++)
    if (h->pages[i].origin) {
      h->page_origin = h->pages[i].origin;
      bool from_title = h->pages[i].title &&
                        url_scheme(a, h->pages[i].title) != NULL;
      h->page_origin_source =
          from_title ? arena_printf(a, "log.pages[%zu].title", i)
                     : arena_printf(a, "the first document entry of log.pages[%zu]", i);
      return;
    }
  for (size_t k = 0; k < h->entry_count; k++) {
    const struct entry *e = &h->entries[k];
    if (e->kind != KIND_UNUSABLE && is_document(e)) {
      h->page_origin = origin_of(a, chain_final_url(h, k));
      h->page_origin_source =
          arena_printf(a, "the first document entry (entry %zu)", e->index + 1);
      return;
    }
  }
  for (size_t k = 0; k < h->entry_count; k++) {
    const struct entry *e = &h->entries[k];
    const char *o = e->kind == KIND_UNUSABLE
                        ? NULL
                        : header_get(e->req, e->req_count, "origin");
    if (o && strcmp(o, "null") != 0) {
      h->page_origin = arena_strdup(a, o);
      h->page_origin_source =
          arena_printf(a, "the Origin header of entry %zu", e->index + 1);
      return;
    }
  }
}

/* Links each redirect to the entry of its next hop (the nearest later
 * entry for the target URL with the method the browser would use). */
static void link_redirects(struct har *h) {
  bool *taken = calloc(h->entry_count ? h->entry_count : 1, sizeof *taken);
  if (taken == NULL) {
    h->arena.failed = true;
    return;
  }
  for (size_t i = 0; i < h->entry_count; i++) {
    struct entry *e = &h->entries[i];
    if (e->kind != KIND_STEP || !is_http(e) || e->redirect_url == NULL ||
        e->status < 300 || e->status > 399 || is_preflight(e))
      continue;
    const char *method = e->method;
    if (e->status == 303 && !ieq(method, "HEAD")) method = "GET";
    if ((e->status == 301 || e->status == 302) && ieq(method, "POST")) method = "GET";
    size_t found = NONE;
    for (size_t k = i + 1; k < h->entry_count && k < i + 512; k++) {
      struct entry *t = &h->entries[k];
      if (taken[k] || t->kind != KIND_STEP || is_preflight(t)) continue;
      if (strcmp(t->url_key, e->redirect_url) == 0 && ieq(t->method, method)) {
        found = k;
        break;
      }
    }
    if (found != NONE) {
      e->chain_next = found;
      taken[found] = true;
    }
  }
  for (size_t i = 0; i < h->entry_count; i++)
    if (taken[i]) h->entries[i].kind = KIND_HOP;
  free(taken);
}

static void classify(struct har *h) {
  struct arena *a = &h->arena;
  /* not HTTP(S), WebSocket, duplicates */
  for (size_t i = 0; i < h->entry_count; i++) {
    struct entry *e = &h->entries[i];
    if (e->kind == KIND_UNUSABLE) continue;
    if (e->websocket || (e->scheme && (strcmp(e->scheme, "ws") == 0 ||
                                       strcmp(e->scheme, "wss") == 0))) {
      e->kind = KIND_SKIPPED;
      note_add(a, &e->notes,
               arena_strdup(a, "WebSocket entry: the handshake is not subject to "
                               "CORS (the server must check Origin itself): "
                               "skipped"));
      continue;
    }
    if (!is_http(e)) {
      e->kind = KIND_SKIPPED;
      note_add(a, &e->notes,
               arena_printf(a, "not an HTTP(S) entry ('%s:'): skipped",
                            e->scheme ? e->scheme : "no scheme"));
      continue;
    }
    /* duplicates sit next to each other: look back a little, not at all */
    for (size_t k = i > 64 ? i - 64 : 0; k < i; k++) {
      const struct entry *o = &h->entries[k];
      if (o->kind == KIND_UNUSABLE || o->kind == KIND_SKIPPED) continue;
      if (o->started_text && e->started_text &&
          strcmp(o->started_text, e->started_text) == 0 &&
          strcmp(o->method, e->method) == 0 && strcmp(o->url, e->url) == 0 &&
          o->status == e->status && o->req_count == e->req_count &&
          o->res_count == e->res_count) {
        e->kind = KIND_SKIPPED;
        note_add(a, &e->notes,
                 arena_printf(a, "duplicate of entry %zu (same start time, "
                                 "method, URL and answer): skipped",
                              o->index + 1));
        break;
      }
    }
  }
  link_redirects(h);
  find_page_origins(h);
  for (size_t i = 0; i < h->entry_count; i++) {
    struct entry *e = &h->entries[i];
    if (e->kind != KIND_STEP) continue;
    if (is_document(e)) {
      e->kind = KIND_DOCUMENT;
      continue;
    }
    if (is_preflight(e)) {
      e->kind = KIND_PREFLIGHT;
      continue;
    }
    const char *page = page_origin_of(h, e);
    if (page && corsim_same_origin(page, e->url)) {
      e->kind = KIND_SAME_ORIGIN;
      continue;
    }
    const char *mode = header_get(e->req, e->req_count, "sec-fetch-mode");
    if (mode) {
      if (!ieq(mode, "cors")) {
        e->kind = KIND_NOT_CORS;
        note_add(a, &e->notes,
                 arena_printf(a, "Sec-Fetch-Mode '%s': not a CORS request", mode));
      }
      continue;
    }
    if (ieq(e->resource_type, "fetch") || ieq(e->resource_type, "xhr") ||
        ieq(e->resource_type, "eventsource"))
      continue;
    if (header_get(e->req, e->req_count, "origin")) continue;
    e->kind = KIND_NOT_CORS;
    note_add(a, &e->notes,
             arena_printf(a, "no Origin header%s%s%s: not a CORS request",
                          e->resource_type ? " (type '" : "",
                          e->resource_type ? e->resource_type : "",
                          e->resource_type ? "')" : ""));
  }
}

/* ---- steps ------------------------------------------------------------------- */

/* Request headers the browser adds itself: what remains are the author's.
 * `Pragma`, `Cache-Control` and the `If-*` validators are the browser's
 * too unless a preflight asked for them (DevTools' "Disable cache" and the
 * HTTP cache add them). */
static bool browser_added(const char *name) {
  static const char *const names[] = {
      "origin", "referer", "user-agent", "accept-encoding", "accept-language",
      "cookie", "host", "connection", "content-length", "priority", "te",
      "upgrade", "keep-alive", "proxy-connection", "dnt", "x-client-data",
      "upgrade-insecure-requests", "purpose", "access-control-request-method",
      "access-control-request-headers", "proxy-authorization"};
  if (name[0] == ':' || starts_with_ci(name, "sec-")) return true;
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (strcasecmp(name, names[i]) == 0) return true;
  return false;
}

static bool cache_added(const char *name) {
  return ieq(name, "pragma") || ieq(name, "cache-control") ||
         starts_with_ci(name, "if-");
}

static void build_request(struct har *h, struct step *s) {
  struct arena *a = &h->arena;
  const struct entry *e = &h->entries[s->entry];
  const struct entry *p = s->preflight != NONE ? &h->entries[s->preflight] : NULL;
  const char *acrh =
      p ? header_get(p->req, p->req_count, "access-control-request-headers") : NULL;
  size_t cap = e->req_count + 16;
  s->headers = arena_alloc(a, cap * sizeof *s->headers);
  if (s->headers == NULL) return;
  if (s->orphan) {
    /* only the preflight is in the HAR: the request it names */
    const char *list = acrh ? acrh : "";
    const char *q = list;
    while (*q && s->header_count < cap) {
      while (*q == ' ' || *q == ',') q++;
      const char *st = q;
      while (*q && *q != ',') q++;
      const char *en = q;
      while (en > st && en[-1] == ' ') en--;
      if (en == st) continue;
      struct corsim_header *x = &s->headers[s->header_count++];
      x->name = arena_strndup(a, st, (size_t)(en - st));
      x->value = ieq(x->name, "content-type") ? "application/json" : "x";
      x->name_len = strlen(x->name);
      x->value_len = strlen(x->value);
    }
  } else {
    for (size_t i = 0; i < e->req_count; i++) {
      const struct corsim_header *x = &e->req[i];
      if (browser_added(x->name)) continue;
      if (cache_added(x->name) && !list_has(acrh, x->name)) {
        if (ieq(x->name, "pragma") || ieq(x->name, "cache-control"))
          note_add(a, &s->notes,
                   arena_printf(a, "dropped '%s: %s' (DevTools adds it when "
                                   "'Disable cache' is on)", x->name, x->value));
        else
          note_add(a, &s->notes,
                   arena_printf(a, "dropped '%s' (the HTTP cache adds it to "
                                   "revalidate)", x->name));
        continue;
      }
      s->headers[s->header_count++] = *x;
    }
    /* a header the preflight asked for but the entry lacks was stripped
     * (a sanitized HAR) or not recorded (provisional headers) */
    if (acrh) {
      const char *q = acrh;
      while (*q && s->header_count < cap) {
        while (*q == ' ' || *q == ',') q++;
        const char *st = q;
        while (*q && *q != ',') q++;
        const char *en = q;
        while (en > st && en[-1] == ' ') en--;
        if (en == st) continue;
        char *name = arena_strndup(a, st, (size_t)(en - st));
        if (name == NULL) return;
        bool have = false;
        for (size_t i = 0; i < s->header_count; i++)
          if (ieq(s->headers[i].name, name)) have = true;
        if (have) continue;
        struct corsim_header *x = &s->headers[s->header_count++];
        x->name = name;
        x->value = ieq(name, "content-type") ? "application/json" : "x";
        x->name_len = strlen(x->name);
        x->value_len = strlen(x->value);
        note_add(a, &s->notes,
                 arena_printf(a, "'%s' is in the preflight's "
                                 "Access-Control-Request-Headers but not in the "
                                 "request (stripped from a sanitized HAR?): "
                                 "added with a placeholder value", name));
      }
    }
  }
  /* origin: the option, else the Origin header sent, else the page's */
  const char *sent = header_get(e->req, e->req_count, "origin");
  const char *page = page_origin_of(h, e);
  if (h->origin_option)
    s->origin = arena_strdup(a, h->origin_option);
  else if (sent)
    s->origin = arena_strdup(a, sent);
  else
    s->origin = page ? arena_strdup(a, page) : NULL;
  if (!h->origin_option && sent && page && strcmp(sent, page) != 0)
    note_add(a, &s->notes,
             arena_printf(a, "sent Origin '%s', not the page origin '%s' (a "
                             "frame or a worker?): decided for '%s'",
                          sent, page, sent));
  /* credentials */
  const struct entry *c = e;
  bool cookies = c->cookie_count > 0;
  const char *cookie = header_get(c->req, c->req_count, "cookie");
  if (cookie && cookie[0]) cookies = true;
  if (h->has_credentials) {
    s->request.credentials = h->credentials;
  } else if (cookies) {
    s->request.credentials = CORSIM_CREDENTIALS_INCLUDE;
    s->credentials_inferred_include = true;
  } else {
    s->request.credentials = CORSIM_CREDENTIALS_SAME_ORIGIN;
  }
  s->request.origin = s->origin;
  s->request.url = s->orphan ? e->url : e->url;
  s->request.method =
      s->orphan
          ? arena_strdup(a, header_get(e->req, e->req_count,
                                       "access-control-request-method")
                                ? header_get(e->req, e->req_count,
                                             "access-control-request-method")
                                : "GET")
          : e->method;
  s->request.headers.items = s->headers;
  s->request.headers.count = s->header_count;
  s->request.mode = CORSIM_MODE_CORS;
  s->request.redirect = CORSIM_REDIRECT_FOLLOW;
  s->request.cache = CORSIM_CACHE_DEFAULT;
  s->request.is_xhr = ieq(e->resource_type, "xhr");
}

/* Pairs each preflight with the request it was sent for: the nearest step
 * for the same URL whose method is the preflight's
 * Access-Control-Request-Method (DevTools lists the preflight right after
 * its request; other tools before). */
static void pair_preflights(struct har *h, size_t *pre_of) {
  for (size_t i = 0; i < h->entry_count; i++) {
    struct entry *p = &h->entries[i];
    if (p->kind != KIND_PREFLIGHT) continue;
    const char *acrm =
        header_get(p->req, p->req_count, "access-control-request-method");
    size_t best = NONE, best_dist = SIZE_MAX;
    size_t from = i > 64 ? i - 64 : 0;
    size_t to = h->entry_count - i > 65 ? i + 65 : h->entry_count;
    for (size_t k = from; k < to; k++) {
      const struct entry *t = &h->entries[k];
      if (t->kind != KIND_STEP || pre_of[k] != NONE) continue;
      if (strcmp(t->url_key, p->url_key) != 0) continue;
      if (acrm && !ieq(acrm, t->method)) continue;
      size_t dist = k > i ? k - i : i - k;
      /* the request before the preflight wins a tie */
      if (dist < best_dist || (dist == best_dist && k < i)) {
        best = k;
        best_dist = dist;
      }
    }
    if (best != NONE) pre_of[best] = i;
  }
}

static void build_steps(struct har *h) {
  struct arena *a = &h->arena;
  size_t n = h->entry_count;
  size_t *pre_of = malloc((n ? n : 1) * sizeof *pre_of);
  bool *paired = calloc(n ? n : 1, sizeof *paired);
  h->steps = arena_alloc(a, (n ? n : 1) * sizeof *h->steps);
  if (pre_of == NULL || paired == NULL || h->steps == NULL) {
    free(pre_of);
    free(paired);
    h->arena.failed = true;
    return;
  }
  for (size_t i = 0; i < n; i++) pre_of[i] = NONE;
  if (h->is_firefox)
    note_add(a, &h->notes,
             arena_strdup(a, "Firefox's HAR records the server's answer, not "
                             "whether the CORS check let the page read it: an "
                             "entry with a status is decided, not compared"));
  pair_preflights(h, pre_of);
  for (size_t i = 0; i < n; i++)
    if (pre_of[i] != NONE) paired[pre_of[i]] = true;
  bool have_first = false;
  double first = 0, last_at = 0;
  for (size_t i = 0; i < n; i++) {
    struct entry *e = &h->entries[i];
    bool orphan = e->kind == KIND_PREFLIGHT && !paired[i];
    if (e->kind != KIND_STEP && !orphan) continue;
    struct step *s = &h->steps[h->step_count];
    memset(s, 0, sizeof *s);
    s->entry = i;
    s->preflight = orphan ? i : pre_of[i];
    s->orphan = orphan;
    e->step = h->step_count;
    if (s->preflight != NONE) h->entries[s->preflight].step = h->step_count;
    s->hops[s->hop_count++] = i;
    if (!orphan) {
      size_t k = e->chain_next;
      while (k != NONE && s->hop_count < HAR_MAX_HOPS) {
        s->hops[s->hop_count++] = k;
        h->entries[k].step = h->step_count;
        k = h->entries[k].chain_next;
      }
    }
    /* the time: seconds since the first step, never going back */
    const struct entry *t = e;
    if (s->preflight != NONE && h->entries[s->preflight].has_started &&
        (!t->has_started || h->entries[s->preflight].started < t->started))
      t = &h->entries[s->preflight];
    if (t->has_started) {
      if (!have_first) {
        first = t->started;
        have_first = true;
      }
      double at = t->started - first;
      if (at < last_at) {
        if (last_at - at > 0.0005)
          note_add(a, &s->notes,
                   arena_strdup(a, "starts before the request above it: time "
                                   "taken as equal"));
        at = last_at;
      }
      s->at = at;
    } else {
      s->at = last_at;
    }
    last_at = s->at;
    if (orphan)
      note_add(a, &s->notes,
               arena_strdup(a, "a preflight whose request is not in the HAR: the "
                               "request was rebuilt from "
                               "Access-Control-Request-Method/-Headers"));
    build_request(h, s);
    /* what the HAR recorded: the last hop decides */
    const struct entry *last = &h->entries[s->hops[s->hop_count - 1]];
    if (orphan) {
      s->recorded = recorded_failed(e) ? REC_FAILED : REC_UNKNOWN;
    } else if (!last->has_status && last->error == NULL && has_answer(last)) {
      s->recorded = REC_UNKNOWN;
    } else if (last->error || last->status <= 0) {
      s->recorded = REC_FAILED;
    } else if (h->is_firefox || last->status == 304) {
      /* Firefox marks no refusal; a 304's outcome rests on the stored copy */
      s->recorded = REC_UNKNOWN;
    } else if (last->redirect_url && last->status >= 300 && last->status < 400 &&
               last->chain_next == NONE) {
      s->recorded = REC_UNKNOWN;
      note_add(a, &s->notes,
               arena_printf(a, "redirects to '%s', which is not in the HAR",
                            last->redirect_url));
    } else {
      s->recorded = REC_OK;
    }
    /* notes the entries carry that matter to the decision */
    for (size_t k = 0; k < s->hop_count; k++) {
      const struct entry *x = &h->entries[s->hops[k]];
      if (x->from_cache)
        note_add(a, &s->notes,
                 arena_printf(a, "%sserved from the HTTP cache ('%s'): the "
                                 "headers are the stored response's",
                              k ? "a redirect hop was " : "", x->from_cache));
      if (x->status == 304)
        note_add(a, &s->notes,
                 arena_strdup(a, "status 304: the browser revalidated its "
                                 "cached copy and checks the stored response, "
                                 "which the HAR does not hold; decided on the "
                                 "304's headers as a 200"));
      if (x->redacted || x->body_stripped)
        note_add(a, &s->notes,
                 arena_printf(a, "sanitized HAR: %s%s%s",
                              x->redacted ? "cookie or Authorization values are "
                                            "stripped" : "",
                              x->redacted && x->body_stripped ? "; " : "",
                              x->body_stripped ? "the request body is not in "
                                                 "the HAR" : ""));
    }
    h->step_count++;
  }
  free(pre_of);
  free(paired);
}

/* ---- running the steps ---------------------------------------------------------- */

struct answer_ctx {
  struct har *h;
  struct step *s;
  struct outcome *o;
};

static void give(struct outcome *o, const char *method, const char *url,
                 int status, const char *status_text,
                 const struct corsim_header *headers, size_t n, bool synth) {
  if (o->given_count == sizeof o->given / sizeof *o->given) return;
  struct given *g = &o->given[o->given_count++];
  g->method = method;
  g->url = url;
  g->status = status;
  g->status_text = status_text;
  g->headers = headers;
  g->header_count = n;
  g->synthesized = synth;
}

static enum corsim_status no_answer(struct corsim_error *err, const char *fmt,
                                    ...) __attribute__((format(printf, 2, 3)));
static enum corsim_status no_answer(struct corsim_error *err, const char *fmt,
                                    ...) {
  if (err) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    err->status = CORSIM_NO_ANSWER;
  }
  return CORSIM_NO_ANSWER;
}

/* A preflight answer built from the actual answer's CORS headers, for a
 * preflight the model needs but the HAR lacks (cached by the browser
 * before the recording, or a recorder that writes no preflights). What
 * the actual answer does not say about methods and headers is taken as
 * allowing what the preflight asks for: the browser did send the request. */
static enum corsim_status synthesize_preflight(struct answer_ctx *x,
                                               const struct corsim_wire_request *w,
                                               struct corsim_response *answer,
                                               struct corsim_error *err) {
  struct arena *a = &x->h->arena;
  const struct entry *e = &x->h->entries[x->s->entry];
  if (!has_answer(e))
    return no_answer(err, "the preflight OPTIONS %s is not in the HAR, and "
                          "neither is an answer to the request%s",
                     w->url,
                     x->h->is_playwright
                         ? " (Playwright's recordHar writes no preflights and "
                           "keeps no answer for a request the browser refused)"
                         : "");
  struct corsim_header *hs = arena_alloc(a, (e->res_count + 2) * sizeof *hs);
  if (hs == NULL) return CORSIM_NO_MEMORY;
  size_t n = 0;
  bool methods = false, headers = false;
  for (size_t i = 0; i < e->res_count; i++) {
    if (!starts_with_ci(e->res[i].name, "access-control-")) continue;
    if (ieq(e->res[i].name, "access-control-allow-methods")) methods = true;
    if (ieq(e->res[i].name, "access-control-allow-headers")) headers = true;
    hs[n++] = e->res[i];
  }
  const char *acrm = NULL, *acrh = NULL;
  for (size_t i = 0; i < w->headers.count; i++) {
    const struct corsim_header *y = &w->headers.items[i];
    if (y->name_len == 29 &&
        strncasecmp(y->name, "access-control-request-method", 29) == 0)
      acrm = arena_strndup(a, y->value, y->value_len);
    if (y->name_len == 30 &&
        strncasecmp(y->name, "access-control-request-headers", 30) == 0)
      acrh = arena_strndup(a, y->value, y->value_len);
  }
  if (!methods && acrm) {
    hs[n].name = "Access-Control-Allow-Methods";
    hs[n].value = acrm;
    hs[n].name_len = strlen(hs[n].name);
    hs[n].value_len = strlen(acrm);
    n++;
  }
  if (!headers && acrh) {
    hs[n].name = "Access-Control-Allow-Headers";
    hs[n].value = acrh;
    hs[n].name_len = strlen(hs[n].name);
    hs[n].value_len = strlen(acrh);
    n++;
  }
  answer->status = 204;
  answer->headers.items = hs;
  answer->headers.count = n;
  x->o->synthesized_preflight = true;
  give(x->o, "OPTIONS", w->url, 204, "No Content", hs, n, true);
  return CORSIM_OK;
}

static enum corsim_status answer_from_har(void *ctx,
                                          const struct corsim_wire_request *w,
                                          struct corsim_response *answer,
                                          struct corsim_error *err) {
  struct answer_ctx *x = ctx;
  struct har *h = x->h;
  struct step *s = x->s;
  struct arena *a = &h->arena;
  if (w->is_preflight) {
    if (s->preflight == NONE) return synthesize_preflight(x, w, answer, err);
    const struct entry *p = &h->entries[s->preflight];
    if (!has_answer(p))
      return no_answer(err, "the preflight (entry %zu) has no answer in the HAR%s%s",
                       p->index + 1, p->error ? ": " : "",
                       p->error ? p->error : "");
    answer->status = p->status > 0 ? p->status : 200;
    answer->headers.items = p->res;
    answer->headers.count = p->res_count;
    give(x->o, "OPTIONS", p->url, answer->status, p->status_text, p->res,
         p->res_count, false);
    return CORSIM_OK;
  }
  if (s->orphan)
    return no_answer(err, "the request after the preflight is not in the HAR");
  char *want = url_key(a, w->url);
  if (want == NULL) return CORSIM_NO_MEMORY;
  const struct entry *e = NULL;
  if (w->hop < s->hop_count &&
      strcmp(h->entries[s->hops[w->hop]].url_key, want) == 0)
    e = &h->entries[s->hops[w->hop]];
  for (size_t k = 0; e == NULL && k < s->hop_count; k++)
    if (strcmp(h->entries[s->hops[k]].url_key, want) == 0)
      e = &h->entries[s->hops[k]];
  if (e == NULL)
    return no_answer(err, "the browser follows the redirect to %s, which is not "
                          "in the HAR", want);
  if (!has_answer(e))
    return no_answer(err, "the HAR records %s %s as failed%s%s%s and holds no "
                          "answer for it%s",
                     e->method, short_url(a, e->url), e->error ? " (" : "",
                     e->error ? e->error : "", e->error ? ")" : "",
                     h->is_playwright
                         ? ": Playwright's recordHar keeps no answer for a "
                           "request the browser refused"
                         : "");
  answer->status = e->status == 304 ? 200 : e->status > 0 ? e->status : 200;
  if (e->status <= 0)
    note_add(a, &s->notes,
             arena_printf(a, "status %d with response headers: taken as 200",
                          e->status));
  answer->headers.items = e->res;
  answer->headers.count = e->res_count;
  give(x->o, e->method, e->url, answer->status, e->status_text, e->res,
       e->res_count, false);
  return CORSIM_OK;
}

/* The console message, as the engine prints it for this entry's API. */
static char *console_for(struct har *h, const struct step *s,
                         enum corsim_profile p, const struct corsim_decision *d) {
  char buf[4096];
  if (corsim_console_message(p, &s->request, d, buf, sizeof buf) == 0) return NULL;
  return arena_strdup(&h->arena, buf);
}

static enum verdict judge(enum recorded r, const struct corsim_decision *d) {
  bool allowed = d->outcome != CORSIM_OUTCOME_BLOCKED;
  switch (r) {
    case REC_OK: return allowed ? VERDICT_AGREE : VERDICT_DISAGREE;
    case REC_FAILED: return allowed ? VERDICT_DISAGREE : VERDICT_EXPLAINED;
    case REC_UNKNOWN: break;
  }
  return VERDICT_DECIDED;
}

/* The failure text a HAR gives a CORS refusal: Chromium's net::ERR_FAILED,
 * or none at all (status 0). Anything else (net::ERR_CONNECTION_RESET,
 * net::ERR_BLOCKED_BY_CLIENT, NS_ERROR_...) is a failure of another kind. */
static bool cors_like_error(const char *error) {
  return error == NULL || strcmp(error, "net::ERR_FAILED") == 0 ||
         ci_contains(error, "cors");
}

/* For a disagreement on a request the HAR shows without cookies: would
 * credentials explain it? Runs the step alone on a fresh browser. */
static void try_with_credentials(struct har *h, struct step *s,
                                 enum corsim_profile p, struct outcome *o) {
  const struct entry *last = &h->entries[s->hops[s->hop_count - 1]];
  if (h->has_credentials || s->request.credentials == CORSIM_CREDENTIALS_INCLUDE ||
      s->recorded != REC_FAILED || o->d.outcome == CORSIM_OUTCOME_BLOCKED ||
      !cors_like_error(last->error))
    return;
  struct corsim_options opt;
  memset(&opt, 0, sizeof opt);
  opt.profile = p;
  struct corsim_browser *b = NULL;
  if (corsim_browser_new(&opt, &b, NULL) != CORSIM_OK) return;
  struct corsim_request r = s->request;
  r.credentials = CORSIM_CREDENTIALS_INCLUDE;
  struct outcome scratch;
  memset(&scratch, 0, sizeof scratch);
  struct answer_ctx x = {h, s, &scratch};
  struct corsim_decision d;
  struct corsim_error err;
  memset(&err, 0, sizeof err);
  if (corsim_browser_fetch(b, 0, &r, answer_from_har, &x, &d, &err) == CORSIM_OK) {
    if (d.outcome == CORSIM_OUTCOME_BLOCKED && d.cors_error != CORSIM_CORS_ERROR_NONE)
      o->retry = arena_printf(
          &h->arena, "the HAR shows no cookies; with credentials the model "
                     "refuses it (%s): if the page sent credentials (a "
                     "sanitized HAR drops cookies), run with --credentials include",
          corsim_cors_error_name(d.cors_error));
    corsim_decision_release(&d);
  }
  corsim_browser_free(b);
}

static int run_steps(struct har *h) {
  for (size_t pi = 0; pi < h->profile_count; pi++) {
    enum corsim_profile p = h->profiles[pi];
    struct corsim_options opt;
    memset(&opt, 0, sizeof opt);
    opt.profile = p;
    struct corsim_browser *b = NULL;
    struct corsim_error err;
    memset(&err, 0, sizeof err);
    if (corsim_browser_new(&opt, &b, &err) != CORSIM_OK) return EXIT_INTERNAL;
    for (size_t i = 0; i < h->step_count; i++) {
      struct step *s = &h->steps[i];
      struct outcome *o = &s->out[p];
      memset(o, 0, sizeof *o);
      if (s->origin == NULL) {
        o->verdict = VERDICT_UNDECIDED;
        o->error = arena_strdup(&h->arena, "the page origin is not known: give "
                                           "--origin");
        continue;
      }
      struct answer_ctx x = {h, s, o};
      memset(&err, 0, sizeof err);
      enum corsim_status st = corsim_browser_fetch(b, s->at, &s->request,
                                                   answer_from_har, &x, &o->d, &err);
      if (st == CORSIM_NO_MEMORY) {
        corsim_browser_free(b);
        return EXIT_INTERNAL;
      }
      if (st != CORSIM_OK) {
        o->verdict = VERDICT_UNDECIDED;
        o->error = arena_strdup(&h->arena, err.message[0] ? err.message
                                                          : corsim_status_text(st));
        continue;
      }
      o->decided = true;
      o->verdict = judge(s->recorded, &o->d);
      if (o->d.outcome == CORSIM_OUTCOME_BLOCKED)
        o->console = console_for(h, s, p, &o->d);
      if (o->synthesized_preflight)
        note_add(&h->arena, &s->notes,
                 arena_printf(&h->arena,
                              "preflight not in the HAR (cached by the browser?%s): "
                              "decided assuming it answered with the actual "
                              "response's CORS headers",
                              h->is_playwright ? " Playwright's recordHar writes "
                                                 "no preflights"
                                               : ""));
      if (s->preflight != NONE && !s->orphan &&
          o->d.preflight != CORSIM_PREFLIGHT_SENT)
        note_add(&h->arena, &s->notes,
                 arena_printf(&h->arena, "the browser sent a preflight (entry %zu) "
                                         "where the %s model needs none on the "
                                         "wire (preflight %s)",
                              h->entries[s->preflight].index + 1,
                              corsim_profile_name(p),
                              corsim_preflight_name(o->d.preflight)));
      if (o->verdict == VERDICT_DISAGREE) {
        const struct entry *last = &h->entries[s->hops[s->hop_count - 1]];
        if (s->recorded == REC_FAILED && !cors_like_error(last->error))
          note_add(&h->arena, &s->notes,
                   arena_printf(&h->arena, "the HAR's error '%s' is a failure "
                                           "of another kind than CORS (a CORS "
                                           "refusal is net::ERR_FAILED in "
                                           "Chromium)", last->error));
        try_with_credentials(h, s, p, o);
      }
      if (h->arena.failed) {
        corsim_browser_free(b);
        return EXIT_INTERNAL;
      }
    }
    corsim_browser_free(b);
  }
  return 0;
}

static void release_decisions(struct har *h) {
  for (size_t i = 0; i < h->step_count; i++)
    for (size_t pi = 0; pi < h->profile_count; pi++) {
      struct outcome *o = &h->steps[i].out[h->profiles[pi]];
      if (o->decided) corsim_decision_release(&o->d);
      o->decided = false;
    }
}

/* ---- the report: text ------------------------------------------------------------ */

struct counts {
  size_t steps, agree, explained, disagree, undecided, decided_only;
  size_t documents, same_origin, not_cors, skipped, unusable, preflights, hops;
};

static struct counts count(const struct har *h) {
  struct counts c;
  memset(&c, 0, sizeof c);
  c.steps = h->step_count;
  for (size_t i = 0; i < h->entry_count; i++) switch (h->entries[i].kind) {
      case KIND_DOCUMENT: c.documents++; break;
      case KIND_SAME_ORIGIN: c.same_origin++; break;
      case KIND_NOT_CORS: c.not_cors++; break;
      case KIND_SKIPPED: c.skipped++; break;
      case KIND_UNUSABLE: c.unusable++; break;
      case KIND_PREFLIGHT: c.preflights++; break;
      case KIND_HOP: c.hops++; break;
      case KIND_STEP: break;
    }
  for (size_t i = 0; i < h->step_count; i++)
    switch (h->steps[i].out[h->primary].verdict) {
      case VERDICT_AGREE: c.agree++; break;
      case VERDICT_EXPLAINED: c.explained++; break;
      case VERDICT_DISAGREE: c.disagree++; break;
      case VERDICT_UNDECIDED: c.undecided++; break;
      case VERDICT_DECIDED: c.decided_only++; break;
    }
  return c;
}

static const char *plural(size_t n, const char *one, const char *many) {
  return n == 1 ? one : many;
}

static void put(struct escape_buf *b, const char *s) {
  escape_terminal_str(b, s ? s : "");
}

static const char *verdict_text(enum verdict v, enum recorded r,
                                const struct corsim_decision *d) {
  switch (v) {
    case VERDICT_AGREE: return "agrees with the HAR";
    case VERDICT_EXPLAINED:
      return d->blocked_reason == CORSIM_BLOCKED_CORS ? "explains the recorded failure"
                                                      : "explains the recorded "
                                                        "failure (not a CORS refusal)";
    case VERDICT_DISAGREE:
      return r == REC_FAILED ? "DISAGREES: the HAR shows it failed, the model "
                               "allows it (not CORS: a network error, a cancelled "
                               "request, an extension?)"
                             : "DISAGREES: the browser read the response, the "
                               "model refuses it";
    case VERDICT_UNDECIDED: return "cannot decide";
    case VERDICT_DECIDED: return "not compared: the HAR does not record the CORS outcome";
  }
  return "";
}

static void put_entry_ref(struct escape_buf *b, const struct entry *e) {
  escape_buf_printf(b, "entry %zu (%d:%d)", e->index + 1, e->line, e->column);
}

static void put_recorded(struct escape_buf *b, const struct har *h,
                         const struct step *s) {
  const struct entry *last = &h->entries[s->hops[s->hop_count - 1]];
  if (s->orphan) last = &h->entries[s->preflight];
  escape_buf_puts(b, "    recorded: ");
  if (s->recorded == REC_FAILED) {
    escape_buf_puts(b, "failed");
    if (last->error) {
      escape_buf_puts(b, " (");
      put(b, last->error);
      escape_buf_puts(b, ")");
    }
    if (last->status > 0)
      escape_buf_printf(b, ", status %d in the HAR", last->status);
    else if (last->res_count == 0)
      escape_buf_printf(b, ", status %d, no response headers", last->status);
  } else if (s->recorded == REC_OK) {
    escape_buf_printf(b, "status %d", last->status);
  } else {
    escape_buf_printf(b, "status %d (how it ended is not in the HAR)", last->status);
  }
  escape_buf_puts(b, "\n");
}

static void put_decision_text(struct escape_buf *b, const struct har *h,
                              const struct step *s, enum corsim_profile p) {
  const struct outcome *o = &s->out[p];
  escape_buf_printf(b, "    %-9s ", corsim_profile_name(p));
  if (!o->decided) {
    escape_buf_puts(b, "cannot decide: ");
    put(b, o->error);
    escape_buf_puts(b, "\n");
    return;
  }
  const struct corsim_decision *d = &o->d;
  escape_buf_puts(b, corsim_outcome_name(d->outcome));
  if (d->outcome == CORSIM_OUTCOME_BLOCKED) {
    escape_buf_printf(b, " %s", d->cors_error != CORSIM_CORS_ERROR_NONE
                                    ? corsim_cors_error_name(d->cors_error)
                                    : corsim_blocked_reason_name(d->blocked_reason));
    if (d->failed_parameter) {
      escape_buf_puts(b, " (");
      put(b, d->failed_parameter);
      escape_buf_puts(b, ")");
    }
  } else {
    escape_buf_printf(b, ", status %d", d->status);
  }
  escape_buf_printf(b, ", preflight %s: %s\n", corsim_preflight_name(d->preflight),
                    verdict_text(o->verdict, s->recorded, d));
  if (d->outcome == CORSIM_OUTCOME_BLOCKED) {
    /* one line per console line (WebKit prints two) */
    for (const char *c = o->console; c && *c;) {
      const char *nl = strchr(c, '\n');
      size_t len = nl ? (size_t)(nl - c) : strlen(c);
      escape_buf_puts(b, "      console:     ");
      escape_terminal(b, c, len);
      escape_buf_puts(b, "\n");
      c = nl ? nl + 1 : c + len;
    }
    const struct corsim_advice *adv =
        d->blocked_reason == CORSIM_BLOCKED_CORS
            ? corsim_cors_error_advice(d->cors_error)
            : corsim_blocked_reason_advice(d->blocked_reason);
    if (adv) {
      escape_buf_printf(b, "      what failed: %s\n", adv->meaning);
      escape_buf_printf(b, "      standard:    %s\n", adv->anchor);
      if (adv->fix[0]) escape_buf_printf(b, "      fix:         %s\n", adv->fix);
    }
  }
  if (o->retry) {
    escape_buf_puts(b, "      note: ");
    put(b, o->retry);
    escape_buf_puts(b, "\n");
  }
  (void)h;
}

static void put_notes(struct escape_buf *b, const struct notes *n,
                      const char *indent) {
  for (const struct note *x = n->head; x; x = x->next) {
    escape_buf_printf(b, "%snote: ", indent);
    put(b, x->text);
    escape_buf_puts(b, "\n");
  }
}

static int flush_buf(struct escape_buf *b) {
  if (b->failed) return -1;
  if (fputs(escape_buf_str(b), stdout) == EOF) return -1;
  escape_buf_reset(b);
  return 0;
}

static int write_text(struct har *h) {
  struct escape_buf b;
  escape_buf_init(&b);
  struct counts c = count(h);
  escape_buf_puts(&b, "corsim har ");
  put(&b, h->path);
  escape_buf_puts(&b, "\nrecorded by ");
  put(&b, h->creator_name ? h->creator_name : "an unnamed tool");
  if (h->creator_version) {
    escape_buf_puts(&b, " ");
    put(&b, h->creator_version);
  }
  if (h->browser_name) {
    escape_buf_puts(&b, " (");
    put(&b, h->browser_name);
    if (h->browser_version) {
      escape_buf_puts(&b, " ");
      put(&b, h->browser_version);
    }
    escape_buf_puts(&b, ")");
  }
  escape_buf_printf(&b, "; decided as %s", corsim_profile_name(h->primary));
  if (h->profile_count > 1) escape_buf_puts(&b, " (and the other engines beside it)");
  escape_buf_puts(&b, "\npage origin ");
  put(&b, h->page_origin ? h->page_origin : "unknown (give --origin)");
  if (h->page_origin_source) {
    escape_buf_puts(&b, " (from ");
    put(&b, h->page_origin_source);
    escape_buf_puts(&b, ")");
  }
  escape_buf_printf(&b,
                    "\n%zu %s: %zu %s to explain (with %zu %s and %zu redirect "
                    "%s), %zu %s, %zu same-origin, %zu not CORS, %zu skipped, "
                    "%zu unusable\n",
                    h->entry_count, plural(h->entry_count, "entry", "entries"),
                    c.steps, plural(c.steps, "request", "requests"), c.preflights,
                    plural(c.preflights, "preflight", "preflights"), c.hops,
                    plural(c.hops, "hop", "hops"), c.documents,
                    plural(c.documents, "document", "documents"), c.same_origin,
                    c.not_cors, c.skipped, c.unusable);
  if (flush_buf(&b) != 0) goto fail;
  for (size_t i = 0; i < h->step_count; i++) {
    const struct step *s = &h->steps[i];
    const struct entry *e = &h->entries[s->entry];
    escape_buf_printf(&b, "\n[%zu] ", i + 1);
    put_entry_ref(&b, e);
    escape_buf_puts(&b, ": ");
    put(&b, s->request.method);
    escape_buf_puts(&b, " ");
    put(&b, s->request.url);
    escape_buf_printf(&b, " (at %.3f s", s->at);
    if (s->request.credentials == CORSIM_CREDENTIALS_INCLUDE)
      escape_buf_puts(&b, s->credentials_inferred_include
                              ? ", credentials include: it sent cookies"
                              : ", credentials include");
    escape_buf_puts(&b, ")\n");
    if (s->preflight != NONE && !s->orphan) {
      const struct entry *p = &h->entries[s->preflight];
      escape_buf_puts(&b, "    preflight ");
      put_entry_ref(&b, p);
      escape_buf_printf(&b, ": OPTIONS, status %d\n", p->status);
    }
    for (size_t k = 1; k < s->hop_count; k++) {
      const struct entry *x = &h->entries[s->hops[k]];
      escape_buf_puts(&b, "    redirect  ");
      put_entry_ref(&b, x);
      escape_buf_puts(&b, ": ");
      put(&b, x->method);
      escape_buf_puts(&b, " ");
      put(&b, x->url);
      escape_buf_printf(&b, ", status %d\n", x->status);
    }
    put_recorded(&b, h, s);
    for (size_t pi = 0; pi < h->profile_count; pi++)
      put_decision_text(&b, h, s, h->profiles[pi]);
    for (size_t k = 0; k < s->hop_count; k++)
      put_notes(&b, &h->entries[s->hops[k]].notes, "    ");
    if (s->preflight != NONE) put_notes(&b, &h->entries[s->preflight].notes, "    ");
    put_notes(&b, &s->notes, "    ");
    if (flush_buf(&b) != 0) goto fail;
  }
  /* entries not explained that carry a note: say why, briefly */
  bool header = false;
  for (size_t i = 0; i < h->entry_count; i++) {
    const struct entry *e = &h->entries[i];
    if (e->step != NONE || e->notes.count == 0 || e->kind == KIND_UNUSABLE)
      continue;
    if (!header) {
      escape_buf_puts(&b, "\nnot explained:\n");
      header = true;
    }
    escape_buf_puts(&b, "  ");
    put_entry_ref(&b, e);
    escape_buf_puts(&b, ": ");
    put(&b, e->method);
    escape_buf_puts(&b, " ");
    put(&b, short_url(&h->arena, e->url));
    escape_buf_puts(&b, "\n");
    put_notes(&b, &e->notes, "    ");
  }
  if (h->notes.count) {
    escape_buf_puts(&b, "\n");
    put_notes(&b, &h->notes, "");
  }
  escape_buf_printf(&b,
                    "\nsummary (%s): %zu %s: %zu allowed as recorded, %zu %s "
                    "explained, %zu %s, %zu undecided",
                    corsim_profile_name(h->primary), c.steps,
                    plural(c.steps, "request", "requests"), c.agree, c.explained,
                    plural(c.explained, "failure", "failures"), c.disagree,
                    plural(c.disagree, "disagreement", "disagreements"), c.undecided);
  if (c.decided_only) escape_buf_printf(&b, ", %zu without a recorded outcome",
                                        c.decided_only);
  escape_buf_puts(&b, "\n");
  if (flush_buf(&b) != 0) goto fail;
  escape_buf_release(&b);
  return fflush(stdout) == 0 ? 0 : -1;
fail:
  escape_buf_release(&b);
  return -1;
}

/* ---- the report: JSON ------------------------------------------------------------ */

static cJSON *jstr(const char *s) {
  if (s == NULL) return cJSON_CreateNull();
  char *safe = escape_utf8_dup(s);
  if (safe == NULL) return NULL;
  cJSON *v = cJSON_CreateString(safe);
  free(safe);
  return v;
}

static void jadd(cJSON *o, const char *key, cJSON *v) {
  if (v) cJSON_AddItemToObject(o, key, v);
}

static cJSON *jnotes(const struct notes *n) {
  cJSON *a = cJSON_CreateArray();
  for (const struct note *x = n->head; a && x; x = x->next)
    cJSON_AddItemToArray(a, jstr(x->text));
  return a;
}

static const char *verdict_name(enum verdict v) {
  switch (v) {
    case VERDICT_AGREE: return "agree";
    case VERDICT_EXPLAINED: return "explained";
    case VERDICT_DISAGREE: return "disagree";
    case VERDICT_UNDECIDED: return "undecided";
    case VERDICT_DECIDED: return "decided";
  }
  return "";
}

static const char *kind_name(enum entry_kind k) {
  switch (k) {
    case KIND_UNUSABLE: return "unusable";
    case KIND_SKIPPED: return "skipped";
    case KIND_DOCUMENT: return "document";
    case KIND_SAME_ORIGIN: return "same-origin";
    case KIND_NOT_CORS: return "not-cors";
    case KIND_PREFLIGHT: return "preflight";
    case KIND_HOP: return "redirect-hop";
    case KIND_STEP: return "request";
  }
  return "";
}

static cJSON *jdecision(const struct step *s, enum corsim_profile p) {
  const struct outcome *o = &s->out[p];
  cJSON *d = cJSON_CreateObject();
  if (d == NULL) return NULL;
  jadd(d, "browser", jstr(corsim_profile_name(p)));
  jadd(d, "verdict", jstr(verdict_name(o->verdict)));
  if (!o->decided) {
    jadd(d, "error", jstr(o->error));
    return d;
  }
  const struct corsim_decision *x = &o->d;
  jadd(d, "outcome", jstr(corsim_outcome_name(x->outcome)));
  jadd(d, "cors_error", jstr(x->cors_error != CORSIM_CORS_ERROR_NONE
                                 ? corsim_cors_error_name(x->cors_error)
                                 : NULL));
  jadd(d, "blocked_reason", jstr(x->blocked_reason != CORSIM_BLOCKED_NONE
                                     ? corsim_blocked_reason_name(x->blocked_reason)
                                     : NULL));
  jadd(d, "failed_parameter", jstr(x->failed_parameter));
  jadd(d, "preflight", jstr(corsim_preflight_name(x->preflight)));
  jadd(d, "status", cJSON_CreateNumber(x->status));
  jadd(d, "console", jstr(o->console));
  if (x->outcome == CORSIM_OUTCOME_BLOCKED) {
    const struct corsim_advice *adv =
        x->blocked_reason == CORSIM_BLOCKED_CORS
            ? corsim_cors_error_advice(x->cors_error)
            : corsim_blocked_reason_advice(x->blocked_reason);
    if (adv) {
      jadd(d, "meaning", jstr(adv->meaning));
      jadd(d, "anchor", jstr(adv->anchor));
      jadd(d, "fix", jstr(adv->fix));
    }
  }
  jadd(d, "synthesized_preflight", cJSON_CreateBool(o->synthesized_preflight));
  if (o->retry) jadd(d, "note", jstr(o->retry));
  return d;
}

static cJSON *jentry_ref(const struct entry *e) {
  cJSON *o = cJSON_CreateObject();
  if (o == NULL) return NULL;
  jadd(o, "entry", cJSON_CreateNumber((double)(e->index + 1)));
  jadd(o, "line", cJSON_CreateNumber(e->line));
  jadd(o, "column", cJSON_CreateNumber(e->column));
  jadd(o, "method", jstr(e->method));
  jadd(o, "url", jstr(e->url));
  jadd(o, "status", cJSON_CreateNumber(e->status));
  return o;
}

static int write_json(struct har *h) {
  cJSON *root = cJSON_CreateObject();
  if (root == NULL) return -1;
  struct counts c = count(h);
  jadd(root, "format", jstr("corsim-har/1"));
  jadd(root, "file", jstr(h->path));
  cJSON *creator = cJSON_CreateObject();
  jadd(creator, "name", jstr(h->creator_name));
  jadd(creator, "version", jstr(h->creator_version));
  jadd(root, "creator", creator);
  cJSON *browser = cJSON_CreateObject();
  jadd(browser, "name", jstr(h->browser_name));
  jadd(browser, "version", jstr(h->browser_version));
  jadd(root, "browser", browser);
  jadd(root, "page_origin", jstr(h->page_origin));
  jadd(root, "page_origin_source", jstr(h->page_origin_source));
  jadd(root, "primary", jstr(corsim_profile_name(h->primary)));
  cJSON *profiles = cJSON_CreateArray();
  for (size_t i = 0; profiles && i < h->profile_count; i++)
    cJSON_AddItemToArray(profiles, jstr(corsim_profile_name(h->profiles[i])));
  jadd(root, "profiles", profiles);
  cJSON *errors = cJSON_CreateArray();
  for (size_t i = 0; errors && i < h->error_count; i++) {
    cJSON *e = cJSON_CreateObject();
    jadd(e, "line", cJSON_CreateNumber(h->errors[i].line));
    jadd(e, "column", cJSON_CreateNumber(h->errors[i].column));
    jadd(e, "message", jstr(h->errors[i].message));
    cJSON_AddItemToArray(errors, e);
  }
  jadd(root, "errors", errors);
  jadd(root, "notes", jnotes(&h->notes));
  cJSON *requests = cJSON_CreateArray();
  for (size_t i = 0; requests && i < h->step_count; i++) {
    const struct step *s = &h->steps[i];
    const struct entry *e = &h->entries[s->entry];
    cJSON *r = cJSON_CreateObject();
    if (r == NULL) break;
    jadd(r, "step", cJSON_CreateNumber((double)(i + 1)));
    jadd(r, "entry", cJSON_CreateNumber((double)(e->index + 1)));
    jadd(r, "line", cJSON_CreateNumber(e->line));
    jadd(r, "column", cJSON_CreateNumber(e->column));
    jadd(r, "method", jstr(s->request.method));
    jadd(r, "url", jstr(s->request.url));
    jadd(r, "at", cJSON_CreateNumber(s->at));
    jadd(r, "origin", jstr(s->origin));
    jadd(r, "resource_type", jstr(e->resource_type));
    jadd(r, "credentials", jstr(corsim_credentials_name(s->request.credentials)));
    cJSON *hs = cJSON_CreateArray();
    for (size_t k = 0; hs && k < s->header_count; k++) {
      cJSON *pair = cJSON_CreateArray();
      cJSON_AddItemToArray(pair, jstr(s->headers[k].name));
      cJSON_AddItemToArray(pair, jstr(s->headers[k].value));
      cJSON_AddItemToArray(hs, pair);
    }
    jadd(r, "headers", hs);
    jadd(r, "preflight_entry",
         s->preflight != NONE && !s->orphan
             ? jentry_ref(&h->entries[s->preflight])
             : cJSON_CreateNull());
    cJSON *hops = cJSON_CreateArray();
    for (size_t k = 1; hops && k < s->hop_count; k++)
      cJSON_AddItemToArray(hops, jentry_ref(&h->entries[s->hops[k]]));
    jadd(r, "redirect_entries", hops);
    const struct entry *last = &h->entries[s->hops[s->hop_count - 1]];
    cJSON *rec = cJSON_CreateObject();
    jadd(rec, "outcome", jstr(s->recorded == REC_OK       ? "ok"
                              : s->recorded == REC_FAILED ? "failed"
                                                          : "unknown"));
    jadd(rec, "status", cJSON_CreateNumber(last->status));
    jadd(rec, "error", jstr(last->error));
    jadd(r, "recorded", rec);
    struct notes all;
    memset(&all, 0, sizeof all);
    cJSON *notes = cJSON_CreateArray();
    for (size_t k = 0; notes && k < s->hop_count; k++)
      for (const struct note *x = h->entries[s->hops[k]].notes.head; x; x = x->next)
        cJSON_AddItemToArray(notes, jstr(x->text));
    if (notes && s->preflight != NONE)
      for (const struct note *x = h->entries[s->preflight].notes.head; x; x = x->next)
        cJSON_AddItemToArray(notes, jstr(x->text));
    for (const struct note *x = s->notes.head; notes && x; x = x->next)
      cJSON_AddItemToArray(notes, jstr(x->text));
    jadd(r, "notes", notes);
    cJSON *ds = cJSON_CreateArray();
    for (size_t pi = 0; ds && pi < h->profile_count; pi++)
      cJSON_AddItemToArray(ds, jdecision(s, h->profiles[pi]));
    jadd(r, "decisions", ds);
    cJSON_AddItemToArray(requests, r);
  }
  jadd(root, "requests", requests);
  cJSON *others = cJSON_CreateArray();
  for (size_t i = 0; others && i < h->entry_count; i++) {
    const struct entry *e = &h->entries[i];
    if (e->step != NONE) continue;
    cJSON *o = cJSON_CreateObject();
    if (o == NULL) break;
    jadd(o, "entry", cJSON_CreateNumber((double)(e->index + 1)));
    jadd(o, "line", cJSON_CreateNumber(e->line));
    jadd(o, "column", cJSON_CreateNumber(e->column));
    jadd(o, "kind", jstr(kind_name(e->kind)));
    jadd(o, "method", jstr(e->method));
    jadd(o, "url", jstr(e->url ? short_url(&h->arena, e->url) : NULL));
    jadd(o, "notes", jnotes(&e->notes));
    cJSON_AddItemToArray(others, o);
  }
  jadd(root, "other_entries", others);
  cJSON *sum = cJSON_CreateObject();
  jadd(sum, "entries", cJSON_CreateNumber((double)h->entry_count));
  jadd(sum, "requests", cJSON_CreateNumber((double)c.steps));
  jadd(sum, "agree", cJSON_CreateNumber((double)c.agree));
  jadd(sum, "explained", cJSON_CreateNumber((double)c.explained));
  jadd(sum, "disagree", cJSON_CreateNumber((double)c.disagree));
  jadd(sum, "undecided", cJSON_CreateNumber((double)c.undecided));
  jadd(sum, "without_recorded_outcome", cJSON_CreateNumber((double)c.decided_only));
  jadd(root, "summary", sum);
  char *text = cJSON_Print(root);
  cJSON_Delete(root);
  if (text == NULL) return -1;
  struct escape_buf b;
  escape_buf_init(&b);
  escape_json_output(&b, text, strlen(text), 0);
  cJSON_free(text);
  escape_buf_puts(&b, "\n");
  int rc = flush_buf(&b);
  escape_buf_release(&b);
  if (rc == 0 && fflush(stdout) != 0) rc = -1;
  return rc;
}

/* ---- --save: the exchanges as a vector file ---------------------------------------- */

static bool header_writable(const struct corsim_header *x) {
  if (x->name_len == 0 || x->name[0] == ':') return false;
  for (size_t i = 0; i < x->name_len; i++) {
    unsigned char c = (unsigned char)x->name[i];
    if (c <= ' ' || c == ':' || c >= 0x7f) return false;
  }
  for (size_t i = 0; i < x->value_len; i++)
    if (x->value[i] == '\r' || x->value[i] == '\n' || x->value[i] == '\0')
      return false;
  /* the body is not in the HAR: no framing that promises one */
  return !ieq(x->name, "content-length") && !ieq(x->name, "transfer-encoding");
}

static int write_raw(const char *path, const struct given *g) {
  FILE *f = fopen(path, "wb");
  if (f == NULL) {
    fprintf(stderr, "corsim: cannot write '%s': %s\n", path, strerror(errno));
    return -1;
  }
  const char *reason = g->status_text ? g->status_text : "";
  if (strpbrk(reason, "\r\n")) reason = "";
  fprintf(f, "HTTP/1.1 %d %s\r\n", g->status, reason);
  for (size_t i = 0; i < g->header_count; i++) {
    const struct corsim_header *x = &g->headers[i];
    if (!header_writable(x)) continue;
    fprintf(f, "%.*s: %.*s\r\n", (int)x->name_len, x->name, (int)x->value_len,
            x->value);
  }
  fputs("\r\n", f);
  bool bad = ferror(f) != 0;
  if (fclose(f) != 0 || bad) {
    fprintf(stderr, "corsim: cannot write '%s'\n", path);
    return -1;
  }
  return 0;
}

/* The vector's name: the HAR's base name, in [a-z0-9._-]. */
static char *save_name(struct arena *a, const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t n = strlen(base);
  if (n > 4 && strcasecmp(base + n - 4, ".har") == 0) n -= 4;
  char *s = arena_strndup(a, base, n ? n : 1);
  if (s == NULL) return NULL;
  if (n == 0) s[0] = 'h';
  for (char *c = s; *c; c++) {
    if (*c >= 'A' && *c <= 'Z') *c = (char)(*c + 32);
    if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '.' ||
          *c == '_' || *c == '-'))
      *c = '-';
  }
  return s;
}

static int save_vector(struct har *h) {
  struct arena *a = &h->arena;
  if (mkdir(h->save_dir, 0777) != 0 && errno != EEXIST) {
    fprintf(stderr, "corsim: cannot create '%s': %s\n", h->save_dir, strerror(errno));
    return EXIT_INTERNAL;
  }
  char *name = save_name(a, h->path);
  if (name == NULL) return EXIT_INTERNAL;
  enum corsim_profile p = h->primary;
  cJSON *root = cJSON_CreateObject();
  if (root == NULL) return EXIT_INTERNAL;
  jadd(root, "format", jstr("cors-vectors/1"));
  jadd(root, "suite", jstr(arena_printf(a, "har-%s", name)));
  cJSON *cases = cJSON_CreateArray();
  jadd(root, "cases", cases);
  cJSON *c = cJSON_CreateObject();
  cJSON_AddItemToArray(cases, c);
  jadd(c, "id", jstr(name));
  jadd(c, "title", jstr(arena_printf(a, "the session recorded in %s, as %s decides "
                                        "it (corsim har --save)",
                                     h->path, corsim_profile_name(p))));
  jadd(c, "tags", cJSON_CreateStringArray((const char *const[]){"har"}, 1));
  jadd(c, "browser", jstr(corsim_profile_name(p)));
  cJSON *steps = cJSON_CreateArray();
  jadd(c, "steps", steps);
  size_t saved = 0, left_out = 0;
  int rc = 0;
  for (size_t i = 0; i < h->step_count && rc == 0; i++) {
    const struct step *s = &h->steps[i];
    const struct outcome *o = &s->out[p];
    if (!o->decided) {
      left_out++;
      continue;
    }
    cJSON *st = cJSON_CreateObject();
    cJSON_AddItemToArray(steps, st);
    jadd(st, "at", cJSON_CreateNumber(round(s->at * 1000) / 1000));
    cJSON *req = cJSON_CreateObject();
    jadd(st, "request", req);
    jadd(req, "origin", jstr(s->origin));
    jadd(req, "url", jstr(s->request.url));
    jadd(req, "method", jstr(s->request.method));
    cJSON *hs = cJSON_CreateArray();
    for (size_t k = 0; hs && k < s->header_count; k++) {
      cJSON *pair = cJSON_CreateArray();
      cJSON_AddItemToArray(pair, jstr(s->headers[k].name));
      cJSON_AddItemToArray(pair, jstr(s->headers[k].value));
      cJSON_AddItemToArray(hs, pair);
    }
    jadd(req, "headers", hs);
    jadd(req, "mode", jstr("cors"));
    jadd(req, "credentials", jstr(corsim_credentials_name(s->request.credentials)));
    cJSON *responses = cJSON_CreateArray();
    jadd(st, "responses", responses);
    for (size_t k = 0; k < o->given_count && rc == 0; k++) {
      const struct given *g = &o->given[k];
      char *file = arena_printf(a, "%s.s%03zu.%s%zu.http", name, i + 1,
                                ieq(g->method, "OPTIONS") ? "preflight" : "answer", k);
      char *full = arena_printf(a, "%s/%s", h->save_dir, file);
      if (file == NULL || full == NULL) {
        rc = EXIT_INTERNAL;
        break;
      }
      if (write_raw(full, g) != 0) {
        rc = EXIT_INTERNAL;
        break;
      }
      cJSON *r = cJSON_CreateObject();
      jadd(r, "method", jstr(g->method));
      jadd(r, "url", jstr(g->url));
      jadd(r, "raw_file", jstr(file));
      cJSON_AddItemToArray(responses, r);
    }
    cJSON *ex = cJSON_CreateObject();
    jadd(st, "expect", ex);
    jadd(ex, "outcome", jstr(corsim_outcome_name(o->d.outcome)));
    jadd(ex, "preflight", jstr(corsim_preflight_name(o->d.preflight)));
    jadd(ex, "status", cJSON_CreateNumber(o->d.status));
    if (o->d.outcome == CORSIM_OUTCOME_BLOCKED) {
      jadd(ex, "cors_error", o->d.cors_error != CORSIM_CORS_ERROR_NONE
                                 ? jstr(corsim_cors_error_name(o->d.cors_error))
                                 : cJSON_CreateNull());
      jadd(ex, "blocked_reason", jstr(corsim_blocked_reason_name(o->d.blocked_reason)));
    }
    saved++;
  }
  if (rc != 0) {
    cJSON_Delete(root);
    return rc;
  }
  char *text = cJSON_Print(root);
  cJSON_Delete(root);
  char *path = arena_printf(a, "%s/%s.json", h->save_dir, name);
  if (text == NULL || path == NULL) {
    cJSON_free(text);
    return EXIT_INTERNAL;
  }
  FILE *f = fopen(path, "wb");
  if (f == NULL) {
    fprintf(stderr, "corsim: cannot write '%s': %s\n", path, strerror(errno));
    cJSON_free(text);
    return EXIT_INTERNAL;
  }
  fputs(text, f);
  fputs("\n", f);
  cJSON_free(text);
  bool bad = ferror(f) != 0;
  if (fclose(f) != 0 || bad) {
    fprintf(stderr, "corsim: cannot write '%s'\n", path);
    return EXIT_INTERNAL;
  }
  if (saved == 0)
    note_add(a, &h->notes, arena_strdup(a, "--save: no request could be decided, "
                                           "the vector file has no steps"));
  /* said on stderr so that stdout stays the report */
  fprintf(stderr, "corsim: saved %zu requests to '%s'", saved, path);
  if (left_out) fprintf(stderr, " (%zu undecided ones left out)", left_out);
  fputc('\n', stderr);
  return saved == 0 ? EXIT_VECTOR : 0;
}

/* ---- the command line ------------------------------------------------------------ */

static const char usage_text[] =
    "usage: corsim har FILE.har [--origin ORIGIN] [--browser NAME|all]\n"
    "                  [--credentials omit|same-origin|include]\n"
    "                  [--format text|json] [--save DIR]\n"
    "\n"
    "Explains a browser session recorded as a HAR 1.2 file (DevTools' \"Save\n"
    "all as HAR\" in Chromium, Firefox or WebKit, or Playwright's recordHar):\n"
    "each cross-origin fetch/XHR entry is decided on one simulated browser per\n"
    "profile, in the HAR's order and timing (so the preflight cache carries\n"
    "over), answered with the HAR's own responses, next to what the HAR\n"
    "recorded. A failed entry the model refuses gets the check that failed,\n"
    "the console message and the fix; an entry on which the model and the HAR\n"
    "differ is a disagreement.\n"
    "\n"
    "  --origin ORIGIN     the page's origin (default: log.pages[].title, the\n"
    "                      first document entry, or an Origin header)\n"
    "  --browser NAME|all  fetch, chromium, firefox, webkit (default: the\n"
    "                      browser that recorded the HAR, else fetch)\n"
    "  --credentials MODE  for every request (default: include when it sent\n"
    "                      cookies, else same-origin)\n"
    "  --format text|json  the report on standard output (default text)\n"
    "  --save DIR          also write the exchanges as DIR/NAME.json with\n"
    "                      raw_file answers, for corsim run\n"
    "\n"
    "Exit: 0 the model agrees with every entry it could decide, 1 at least one\n"
    "disagreement, 2 usage, 3 the HAR could not be read or has errors (what\n"
    "loaded is still explained), 5 out of memory or --save could not write.\n";

static bool profile_of_recorder(const struct har *h, enum corsim_profile *out) {
  const char *names[] = {h->browser_name, h->creator_name};
  for (size_t i = 0; i < 2; i++) {
    const char *n = names[i];
    if (n == NULL) continue;
    if (ci_contains(n, "firefox") || ci_contains(n, "gecko")) {
      *out = CORSIM_PROFILE_FIREFOX;
      return true;
    }
    if (ci_contains(n, "webkit web inspector") || ci_contains(n, "safari") ||
        (ci_contains(n, "webkit") && !ci_contains(n, "webinspector"))) {
      *out = CORSIM_PROFILE_WEBKIT;
      return true;
    }
    if (ci_contains(n, "chrom") || ci_contains(n, "edge") ||
        strcasecmp(n, "WebInspector") == 0 || ci_contains(n, "opera") ||
        ci_contains(n, "brave")) {
      *out = CORSIM_PROFILE_CHROMIUM;
      return true;
    }
  }
  return false;
}

struct har_args {
  const char *file, *origin, *format, *save;
  bool all, has_browser, has_credentials;
  enum corsim_profile browser;
  enum corsim_credentials credentials;
};

static int parse_args(int argc, char **argv, struct har_args *x) {
  memset(x, 0, sizeof *x);
  x->format = "text";
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    bool takes = strcmp(a, "--origin") == 0 || strcmp(a, "--browser") == 0 ||
                 strcmp(a, "--format") == 0 || strcmp(a, "--save") == 0 ||
                 strcmp(a, "--credentials") == 0;
    if (takes && v == NULL) {
      fprintf(stderr, "corsim: option '%s' needs a value\n", a);
      return EXIT_USAGE;
    }
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      fputs(usage_text, stdout);
      return -1;
    } else if (strcmp(a, "--origin") == 0) {
      x->origin = v;
    } else if (strcmp(a, "--format") == 0) {
      if (strcmp(v, "text") != 0 && strcmp(v, "json") != 0) {
        fprintf(stderr, "corsim: unknown format '%s'; expected text or json\n", v);
        return EXIT_USAGE;
      }
      x->format = v;
    } else if (strcmp(a, "--save") == 0) {
      x->save = v;
    } else if (strcmp(a, "--credentials") == 0) {
      x->has_credentials = true;
      if (!corsim_credentials_from_name(v, &x->credentials)) {
        fprintf(stderr, "corsim: unknown credentials mode '%s'; expected omit, "
                        "same-origin or include\n", v);
        return EXIT_USAGE;
      }
    } else if (strcmp(a, "--browser") == 0) {
      x->has_browser = true;
      char msg[160];
      if (!cli_parse_browser(v, &x->all, &x->browser, msg, sizeof msg)) {
        fprintf(stderr, "corsim: %s\n", msg);
        return EXIT_USAGE;
      }
    } else if (a[0] == '-' && a[1] != '\0') {
      fprintf(stderr, "corsim: unknown option '%s'; try 'corsim har --help'\n", a);
      return EXIT_USAGE;
    } else if (x->file == NULL) {
      x->file = a;
    } else {
      fprintf(stderr, "corsim: more than one HAR file given ('%s')\n", a);
      return EXIT_USAGE;
    }
    if (takes) i++;
  }
  if (x->file == NULL) {
    fprintf(stderr, "corsim: har needs a HAR file; try 'corsim har --help'\n");
    return EXIT_USAGE;
  }
  return 0;
}

static int worse(int a, int b) { return a > b ? a : b; }

int har_main(int argc, char **argv) {
  struct har_args args;
  int rc = parse_args(argc, argv, &args);
  if (rc != 0) return rc < 0 ? EXIT_PASSED : rc;
  struct har h;
  memset(&h, 0, sizeof h);
  h.path = args.file;
  h.json = strcmp(args.format, "json") == 0;
  h.save_dir = args.save;
  h.has_credentials = args.has_credentials;
  h.credentials = args.credentials;
  char origin_buf[2048];
  if (args.origin) {
    if (corsim_origin_of_url(args.origin, origin_buf, sizeof origin_buf, NULL) !=
            CORSIM_OK &&
        strcmp(args.origin, "null") != 0) {
      fprintf(stderr, "corsim: --origin '%s' is not an origin\n", args.origin);
      return EXIT_USAGE;
    }
    h.origin_option = strcmp(args.origin, "null") == 0 ? "null" : origin_buf;
  }
  int code = read_file(&h, args.file);
  if (code != 0) return code;
  code = load_har(&h);
  if (h.arena.failed) code = EXIT_INTERNAL;
  for (size_t i = 0; i < h.error_count; i++)
    fprintf(stderr, "corsim: %s:%d:%d: %s\n", h.path, h.errors[i].line,
            h.errors[i].column, h.errors[i].message ? h.errors[i].message : "");
  if (h.error_count) code = worse(code, EXIT_VECTOR);
  bool any = h.entries != NULL;
  if (code != EXIT_INTERNAL && any) {
    enum corsim_profile recorder;
    bool known = profile_of_recorder(&h, &recorder);
    h.primary = args.has_browser && !args.all ? args.browser
                : known                       ? recorder
                                              : CORSIM_PROFILE_FETCH;
    if (args.all) {
      h.profiles[h.profile_count++] = h.primary;
      for (int p = 0; p < CORSIM_PROFILE_COUNT; p++)
        if ((enum corsim_profile)p != h.primary)
          h.profiles[h.profile_count++] = (enum corsim_profile)p;
    } else {
      h.profiles[h.profile_count++] = h.primary;
    }
    classify(&h);
    build_steps(&h);
    if (h.page_origin == NULL)
      note_add(&h.arena, &h.notes,
               arena_strdup(&h.arena, "cannot tell the page origin: the HAR has "
                                      "no page title URL, no document entry and "
                                      "no Origin header; give --origin"));
    int r = h.arena.failed ? EXIT_INTERNAL : run_steps(&h);
    code = worse(code, r);
    if (r == 0 && !h.arena.failed) {
      if (h.save_dir) code = worse(code, save_vector(&h));
      int w = h.json ? write_json(&h) : write_text(&h);
      if (w != 0) {
        fprintf(stderr, "corsim: cannot write the report to standard output\n");
        code = EXIT_INTERNAL;
      }
      struct counts c = count(&h);
      if (c.disagree) code = worse(code, EXIT_FAILED);
    }
    if (h.arena.failed) {
      fprintf(stderr, "corsim: out of memory\n");
      code = EXIT_INTERNAL;
    }
    release_decisions(&h);
  } else if (code != EXIT_INTERNAL) {
    /* nothing loaded: still say so in the chosen format */
    h.primary = args.has_browser && !args.all ? args.browser : CORSIM_PROFILE_FETCH;
    h.profiles[h.profile_count++] = h.primary;
    if (h.json)
      write_json(&h);
    else
      write_text(&h);
  }
  free(h.entries);
  free(h.text);
  arena_release(&h.arena);
  return code;
}
