/* origin.c: origins (HTML Standard): the origin of a URL, its ASCII
 * serialization, same-origin comparison, and whether an origin is
 * potentially trustworthy (Secure Contexts). */
#include <string.h>

#include "sim.h"

static void opaque(unsigned *next_opaque_id, struct sim_origin *out) {
  memset(out, 0, sizeof *out);
  out->is_opaque = true;
  out->opaque_id = ++*next_opaque_id;
  out->port = -1;
}

/* url#concept-url-origin */
void sim_url_origin(struct sim_arena *arena, const struct sim_url *url,
                    unsigned *next_opaque_id, struct sim_origin *out) {
  const char *s = url->scheme;
  if (strcmp(s, "blob") == 0) {
    /* 1. blob: the origin of the URL in its path, when that is http(s). */
    struct sim_url inner;
    const char *why;
    if (sim_url_parse(arena, url->path, strlen(url->path), NULL, &inner,
                      &why) &&
        sim_url_is_http_scheme(&inner)) {
      sim_url_origin(arena, &inner, next_opaque_id, out);
      return;
    }
    opaque(next_opaque_id, out);
    return;
  }
  if (strcmp(s, "http") == 0 || strcmp(s, "https") == 0 ||
      strcmp(s, "ws") == 0 || strcmp(s, "wss") == 0 || strcmp(s, "ftp") == 0) {
    /* 2. a tuple origin (scheme, host, port, null domain). */
    out->is_opaque = false;
    out->opaque_id = 0;
    out->scheme = url->scheme;
    out->host = sim_host_serialize(arena, url);
    out->host_kind = url->host_kind;
    out->port = url->port;
    if (out->host == NULL) opaque(next_opaque_id, out);
    return;
  }
  /* 3. file: "when in doubt, return a new opaque origin"; every other
   * scheme gives a new opaque origin as well. */
  opaque(next_opaque_id, out);
}

/* html#ascii-serialisation-of-an-origin */
char *sim_origin_serialize(struct sim_arena *arena,
                           const struct sim_origin *origin) {
  if (origin->is_opaque) return sim_arena_strdup(arena, "null");
  if (origin->port >= 0)
    return sim_arena_printf(arena, "%s://%s:%d", origin->scheme, origin->host,
                            origin->port);
  return sim_arena_printf(arena, "%s://%s", origin->scheme, origin->host);
}

/* html#same-origin */
bool sim_same_origin(const struct sim_origin *a, const struct sim_origin *b) {
  if (a->is_opaque || b->is_opaque)
    return a->is_opaque && b->is_opaque && a->opaque_id == b->opaque_id;
  return strcmp(a->scheme, b->scheme) == 0 && strcmp(a->host, b->host) == 0 &&
         a->port == b->port;
}

/* secure-contexts#is-origin-trustworthy */
bool sim_origin_is_potentially_trustworthy(const struct sim_origin *o) {
  if (o->is_opaque) return false;
  if (strcmp(o->scheme, "https") == 0 || strcmp(o->scheme, "wss") == 0)
    return true;
  if (o->host_kind == SIM_HOST_IPV4 && strncmp(o->host, "127.", 4) == 0)
    return true;
  if (o->host_kind == SIM_HOST_IPV6 && strcmp(o->host, "[::1]") == 0)
    return true;
  if (o->host_kind == SIM_HOST_DOMAIN) {
    size_t n = strlen(o->host);
    if (strcmp(o->host, "localhost") == 0 ||
        strcmp(o->host, "localhost.") == 0)
      return true;
    if (n > 10 && strcmp(o->host + n - 10, ".localhost") == 0) return true;
    if (n > 11 && strcmp(o->host + n - 11, ".localhost.") == 0) return true;
  }
  return false;
}

bool sim_origin_parse(struct sim_arena *arena, const char *text,
                      unsigned *next_opaque_id, struct sim_origin *out,
                      const char **why) {
  if (text == NULL || strcmp(text, "null") == 0) {
    opaque(next_opaque_id, out);
    return true;
  }
  struct sim_url url;
  if (!sim_url_parse(arena, text, strlen(text), NULL, &url, why)) return false;
  sim_url_origin(arena, &url, next_opaque_id, out);
  return true;
}

enum corsim_status corsim_origin_of_url(const char *url, char *out,
                                        size_t out_size,
                                        struct corsim_error *err) {
  struct sim_arena arena;
  sim_arena_init(&arena, sim_default_allocator());
  struct sim_url u;
  struct sim_origin o;
  unsigned ids = 0;
  const char *why;
  enum corsim_status st = CORSIM_OK;
  if (!sim_url_parse(&arena, url, strlen(url), NULL, &u, &why)) {
    st = arena.failed ? sim_fail(err, CORSIM_NO_MEMORY, "out of memory")
                      : sim_fail(err, CORSIM_BAD_REQUEST,
                                 "invalid URL '%s': %s", url, why);
  } else {
    sim_url_origin(&arena, &u, &ids, &o);
    char *s = sim_origin_serialize(&arena, &o);
    if (s == NULL)
      st = sim_fail(err, CORSIM_NO_MEMORY, "out of memory");
    else if (strlen(s) + 1 > out_size)
      st = sim_fail(err, CORSIM_LIMIT, "serialized origin does not fit");
    else
      memcpy(out, s, strlen(s) + 1);
  }
  sim_arena_release(&arena);
  return st;
}

bool corsim_same_origin(const char *a, const char *b) {
  struct sim_arena arena;
  sim_arena_init(&arena, sim_default_allocator());
  unsigned ids = 0;
  struct sim_origin oa, ob;
  const char *why;
  bool same = false;
  if (a != NULL && b != NULL && sim_origin_parse(&arena, a, &ids, &oa, &why) &&
      sim_origin_parse(&arena, b, &ids, &ob, &why))
    same = sim_same_origin(&oa, &ob);
  sim_arena_release(&arena);
  return same;
}
