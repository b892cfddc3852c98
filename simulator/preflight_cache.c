/* preflight_cache.c: the CORS-preflight cache (fetch#concept-cache) on the
 * browser's virtual clock: entries keyed by network partition key,
 * byte-serialized origin, URL and credentials, one per method or header
 * name as the standard has it, or one result per URL replaced wholesale as
 * Chromium and WebKit keep it (research/browsers.md §1 "granularity"). */
#include <string.h>

#include "sim.h"

struct cache_entry {
  char *key;    /* network partition key: the page's own origin */
  char *origin; /* byte-serialized request origin */
  char *url;    /* the request's current URL, without fragment */
  bool credentials;
  double stored_at;
  double max_age;
  unsigned long used; /* last use, for least-recently-used eviction */
  /* SIM_CACHE_PER_ENTRY: one of these is set */
  char *method;
  char *header;
  /* SIM_CACHE_PER_URL: the whole result */
  char **methods;
  size_t method_count;
  char **headers;
  size_t header_count;
};

struct sim_cache {
  struct cache_entry *items;
  size_t count, cap;
  unsigned long clock; /* use counter */
};

static char *dup(const struct corsim_allocator *a, const char *s) {
  size_t n = strlen(s);
  char *p = sim_alloc(a, n + 1);
  if (p != NULL) memcpy(p, s, n + 1);
  return p;
}

static void entry_release(const struct corsim_allocator *a,
                          struct cache_entry *e) {
  sim_free(a, e->key);
  sim_free(a, e->origin);
  sim_free(a, e->url);
  sim_free(a, e->method);
  sim_free(a, e->header);
  for (size_t i = 0; i < e->method_count; i++) sim_free(a, e->methods[i]);
  for (size_t i = 0; i < e->header_count; i++) sim_free(a, e->headers[i]);
  sim_free(a, e->methods);
  sim_free(a, e->headers);
  memset(e, 0, sizeof *e);
}

enum corsim_status sim_cache_new(struct corsim_browser *b) {
  b->cache = sim_alloc(b->allocator, sizeof *b->cache);
  if (b->cache == NULL) return CORSIM_NO_MEMORY;
  memset(b->cache, 0, sizeof *b->cache);
  return CORSIM_OK;
}

void sim_cache_free(struct corsim_browser *b) {
  if (b->cache == NULL) return;
  for (size_t i = 0; i < b->cache->count; i++)
    entry_release(b->allocator, &b->cache->items[i]);
  sim_free(b->allocator, b->cache->items);
  sim_free(b->allocator, b->cache);
  b->cache = NULL;
}

static bool is_expired(const struct sim_profile *p, const struct cache_entry *e,
                       double now) {
  double expiry = e->stored_at + e->max_age;
  /* fetch#concept-cache: removed max-age seconds after it was stored;
   * WebKit keeps it at exactly that instant (browsers.md §1 "expiry
   * boundary"). */
  return p->expiry_inclusive ? now > expiry : now >= expiry;
}

static void remove_at(struct corsim_browser *b, size_t i) {
  struct sim_cache *c = b->cache;
  entry_release(b->allocator, &c->items[i]);
  memmove(&c->items[i], &c->items[i + 1],
          (c->count - i - 1) * sizeof c->items[0]);
  c->count--;
}

static void purge_expired(struct corsim_browser *b, double now) {
  for (size_t i = 0; i < b->cache->count;)
    if (is_expired(b->profile, &b->cache->items[i], now))
      remove_at(b, i);
    else
      i++;
}

size_t sim_cache_size(const struct corsim_browser *b, double at) {
  size_t n = 0;
  for (size_t i = 0; i < b->cache->count; i++)
    if (!is_expired(b->profile, &b->cache->items[i], at)) n++;
  return n;
}

size_t corsim_browser_cache_size(const struct corsim_browser *browser,
                                 double at) {
  return sim_cache_size(browser, at);
}

/* The request's side of the key: partition, byte-serialized origin, URL. */
struct request_key {
  const char *key, *origin, *url;
  bool include;
};

static bool request_key(struct sim_fetch *f, struct request_key *k) {
  k->key = f->origin_serialized;
  k->origin = sim_byte_serialized_request_origin(f);
  k->url = sim_url_serialize(f->arena, &f->url, true);
  k->include = f->credentials == CORSIM_CREDENTIALS_INCLUDE;
  return k->origin != NULL && k->url != NULL;
}

/* fetch#concept-cache-match */
static bool entry_matches(const struct sim_profile *p,
                          const struct cache_entry *e,
                          const struct request_key *k) {
  if (strcmp(e->key, k->key) != 0 || strcmp(e->origin, k->origin) != 0 ||
      strcmp(e->url, k->url) != 0)
    return false;
  /* Firefox keeps `cred` and `nocred` entries apart (browsers.md §1
   * "credentials in key?"). */
  if (p->credentials_keyed_apart) return e->credentials == k->include;
  return e->credentials || !k->include;
}

static bool method_token_matches(const struct sim_profile *p, const char *tok,
                                 const char *method, bool include) {
  if (strcmp(tok, method) == 0) return true;
  if (strcmp(tok, "*") != 0 || p->cache_ignores_wildcard) return false;
  /* A `*` stored by a credentialed preflight serves credentialed requests
   * only where the profile says so (fetch-cors-spec.md Q-1). */
  return !include || p->cache_wildcard_serves_credentialed;
}

static bool header_token_matches(const struct sim_profile *p, const char *tok,
                                 const char *name, bool include) {
  if (sim_ascii_eq_nocase_z(name, strlen(name), tok)) return true;
  if (strcmp(tok, "*") != 0 || p->cache_ignores_wildcard) return false;
  /* fetch#concept-cache-match-header: `*` never covers Authorization */
  if (sim_ascii_eq_nocase_z(name, strlen(name), "authorization") &&
      !(p->wildcard_covers_authorization &&
        p->cache_wildcard_covers_authorization))
    return false;
  return !include || p->cache_wildcard_serves_credentialed;
}

/* Finds a live entry matching the request whose method or header token
 * passes `is_method ? method test : header test`. */
static struct cache_entry *find(struct sim_fetch *f, const char *token,
                                bool is_method) {
  struct corsim_browser *b = f->browser;
  const struct sim_profile *p = f->profile;
  struct request_key k;
  if (!request_key(f, &k)) return NULL;
  purge_expired(b, f->at);
  for (size_t i = 0; i < b->cache->count; i++) {
    struct cache_entry *e = &b->cache->items[i];
    if (!entry_matches(p, e, &k)) continue;
    if (p->cache_shape == SIM_CACHE_PER_ENTRY) {
      const char *t = is_method ? e->method : e->header;
      if (t == NULL) continue;
      if (is_method ? method_token_matches(p, t, token, k.include)
                    : header_token_matches(p, t, token, k.include)) {
        e->used = ++b->cache->clock;
        return e;
      }
    } else {
      char **list = is_method ? e->methods : e->headers;
      size_t n = is_method ? e->method_count : e->header_count;
      for (size_t j = 0; j < n; j++)
        if (is_method ? method_token_matches(p, list[j], token, k.include)
                      : header_token_matches(p, list[j], token, k.include)) {
          e->used = ++b->cache->clock;
          return e;
        }
    }
  }
  return NULL;
}

bool sim_cache_match_method(struct sim_fetch *f, const char *method) {
  return find(f, method, true) != NULL;
}

bool sim_cache_match_header(struct sim_fetch *f, const char *name) {
  return find(f, name, false) != NULL;
}

static void remove_matching(struct sim_fetch *f, bool any_credentials) {
  struct request_key k;
  if (!request_key(f, &k)) return;
  struct corsim_browser *b = f->browser;
  for (size_t i = 0; i < b->cache->count;) {
    struct cache_entry *e = &b->cache->items[i];
    if (strcmp(e->key, k.key) == 0 && strcmp(e->origin, k.origin) == 0 &&
        strcmp(e->url, k.url) == 0 &&
        (any_credentials || entry_matches(f->profile, e, &k)))
      remove_at(b, i);
    else
      i++;
  }
}

/* fetch#concept-cache-clear: every entry with this key, origin and URL
 * (Firefox removes both its cred and nocred keys, browsers.md §1). */
void sim_cache_clear(struct sim_fetch *f) { remove_matching(f, true); }

void sim_cache_erase_for_request(struct sim_fetch *f) {
  remove_matching(f, false);
}

/* Makes room for one more entry: expired ones first, then the least
 * recently used (Firefox's LRU; Chromium purges 10 entries at random,
 * modelled deterministically as the 10 least recently used). */
static bool make_room(struct corsim_browser *b, double now) {
  struct sim_cache *c = b->cache;
  size_t capacity = b->options.max_cache_entries
                        ? b->options.max_cache_entries
                        : (b->profile->cache_capacity ? b->profile->cache_capacity
                                                      : 4096);
  if (c->count >= capacity) purge_expired(b, now);
  size_t purge = b->profile->id == CORSIM_PROFILE_CHROMIUM ? 10 : 1;
  while (c->count >= capacity && c->count > 0 && purge-- > 0) {
    size_t oldest = 0;
    for (size_t i = 1; i < c->count; i++)
      if (c->items[i].used < c->items[oldest].used) oldest = i;
    remove_at(b, oldest);
  }
  if (c->count == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 16;
    struct cache_entry *n = sim_alloc(b->allocator, cap * sizeof *n);
    if (n == NULL) return false;
    if (c->count) memcpy(n, c->items, c->count * sizeof *n);
    sim_free(b->allocator, c->items);
    c->items = n;
    c->cap = cap;
  }
  return true;
}

static struct cache_entry *new_entry(struct sim_fetch *f,
                                     const struct request_key *k,
                                     double max_age) {
  struct corsim_browser *b = f->browser;
  if (!make_room(b, f->at)) return NULL;
  struct cache_entry *e = &b->cache->items[b->cache->count];
  memset(e, 0, sizeof *e);
  e->key = dup(b->allocator, k->key);
  e->origin = dup(b->allocator, k->origin);
  e->url = dup(b->allocator, k->url);
  if (e->key == NULL || e->origin == NULL || e->url == NULL) {
    entry_release(b->allocator, e);
    return NULL;
  }
  e->credentials = k->include;
  e->stored_at = f->at;
  e->max_age = max_age;
  e->used = ++b->cache->clock;
  b->cache->count++;
  return e;
}

static char **dup_list(const struct corsim_allocator *a,
                       const struct sim_string_list *l, bool *ok) {
  *ok = true;
  if (l == NULL || l->count == 0) return NULL;
  char **out = sim_alloc(a, l->count * sizeof *out);
  if (out == NULL) {
    *ok = false;
    return NULL;
  }
  for (size_t i = 0; i < l->count; i++) {
    out[i] = dup(a, l->items[i]);
    if (out[i] == NULL) {
      for (size_t j = 0; j < i; j++) sim_free(a, out[j]);
      sim_free(a, out);
      *ok = false;
      return NULL;
    }
  }
  return out;
}

/* Steps 11-14 of fetch#cors-preflight-fetch-0: refresh the max-age of a
 * matching entry, or create one, for every method and header name. */
enum corsim_status sim_cache_store(struct sim_fetch *f, double max_age,
                                   const struct sim_string_list *methods,
                                   const struct sim_string_list *headers) {
  struct corsim_browser *b = f->browser;
  struct request_key k;
  if (!request_key(f, &k)) return CORSIM_NO_MEMORY;
  /* Chromium does not cache URLs of 1024 characters or more
   * (browsers.md §1 "URL length limit") */
  if (f->profile->cache_max_url_length > 0 &&
      strlen(k.url) >= f->profile->cache_max_url_length) {
    sim_trace(f, CORSIM_TRACE_INFO, "browsers#1", "",
              "the URL has %zu characters: this engine does not cache a "
              "preflight for URLs of %zu or more", strlen(k.url),
              f->profile->cache_max_url_length);
    return CORSIM_OK;
  }
  if (f->profile->cache_shape == SIM_CACHE_PER_URL) {
    /* One result per (origin, URL), replaced (browsers.md §1). */
    remove_matching(f, true);
    struct cache_entry *e = new_entry(f, &k, max_age);
    if (e == NULL) return CORSIM_NO_MEMORY;
    bool ok1, ok2;
    e->methods = dup_list(b->allocator, methods, &ok1);
    e->method_count = ok1 && methods ? methods->count : 0;
    e->headers = dup_list(b->allocator, headers, &ok2);
    e->header_count = ok2 && headers ? headers->count : 0;
    if (!ok1 || !ok2) return CORSIM_NO_MEMORY;
    return CORSIM_OK;
  }
  for (int pass = 0; pass < 2; pass++) {
    const struct sim_string_list *l = pass == 0 ? methods : headers;
    if (l == NULL) continue;
    for (size_t i = 0; i < l->count; i++) {
      /* 11/13. a matching entry gets the new max-age */
      struct cache_entry *hit = NULL;
      purge_expired(b, f->at);
      for (size_t j = 0; j < b->cache->count && hit == NULL; j++) {
        struct cache_entry *e = &b->cache->items[j];
        if (!entry_matches(f->profile, e, &k)) continue;
        const char *t = pass == 0 ? e->method : e->header;
        if (t == NULL) continue;
        if (pass == 0 ? method_token_matches(f->profile, t, l->items[i],
                                             k.include)
                      : header_token_matches(f->profile, t, l->items[i],
                                             k.include))
          hit = e;
      }
      if (hit != NULL) {
        hit->stored_at = f->at;
        hit->max_age = max_age;
        continue;
      }
      /* 12/14. otherwise a new entry */
      struct cache_entry *e = new_entry(f, &k, max_age);
      if (e == NULL) return CORSIM_NO_MEMORY;
      char **slot = pass == 0 ? &e->method : &e->header;
      *slot = dup(b->allocator, l->items[i]);
      if (*slot == NULL) return CORSIM_NO_MEMORY;
    }
  }
  return CORSIM_OK;
}
