/* alloc.c: the default allocator, the arena every decision and fetch uses,
 * and growable strings; the only file of the library that calls malloc or
 * free. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

static void *default_alloc(void *ctx, size_t size) {
  (void)ctx;
  return malloc(size);
}

static void default_free(void *ctx, void *p) {
  (void)ctx;
  free(p);
}

static const struct corsim_allocator default_allocator = {
    default_alloc, default_free, NULL};

const struct corsim_allocator *sim_default_allocator(void) {
  return &default_allocator;
}

void *sim_alloc(const struct corsim_allocator *a, size_t size) {
  return a->alloc(a->ctx, size == 0 ? 1 : size);
}

void sim_free(const struct corsim_allocator *a, void *p) {
  if (p != NULL) a->free(a->ctx, p);
}

/* Chunks are at least this large; bigger requests get a chunk of their own. */
#define ARENA_CHUNK 4096u

struct sim_arena_chunk {
  struct sim_arena_chunk *next;
  size_t used, size;
  _Alignas(16) unsigned char data[];
};

void sim_arena_init(struct sim_arena *arena, const struct corsim_allocator *a) {
  arena->allocator = a;
  arena->chunks = NULL;
  arena->failed = false;
}

void sim_arena_release(struct sim_arena *arena) {
  struct sim_arena_chunk *c = arena->chunks;
  while (c != NULL) {
    struct sim_arena_chunk *next = c->next;
    sim_free(arena->allocator, c);
    c = next;
  }
  arena->chunks = NULL;
}

void *sim_arena_alloc(struct sim_arena *arena, size_t size) {
  size_t need = (size + 15u) & ~(size_t)15u;
  if (need < size) {
    arena->failed = true;
    return NULL;
  }
  struct sim_arena_chunk *c = arena->chunks;
  if (c == NULL || c->size - c->used < need) {
    size_t cap = need > ARENA_CHUNK ? need : ARENA_CHUNK;
    if (cap > (size_t)-1 - sizeof *c) {
      arena->failed = true;
      return NULL;
    }
    struct sim_arena_chunk *n = sim_alloc(arena->allocator, sizeof *n + cap);
    if (n == NULL) {
      arena->failed = true;
      return NULL;
    }
    n->used = 0;
    n->size = cap;
    /* A chunk made for one big request goes behind the current one, so the
     * current chunk's free space is still used. */
    if (c != NULL && need > ARENA_CHUNK) {
      n->next = c->next;
      c->next = n;
    } else {
      n->next = c;
      arena->chunks = n;
    }
    c = n;
  }
  void *p = c->data + c->used;
  c->used += need;
  return p;
}

char *sim_arena_strndup(struct sim_arena *arena, const char *s, size_t len) {
  char *p = sim_arena_alloc(arena, len + 1);
  if (p == NULL) return NULL;
  if (len) memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

char *sim_arena_strdup(struct sim_arena *arena, const char *s) {
  return sim_arena_strndup(arena, s, strlen(s));
}

char *sim_arena_vprintf(struct sim_arena *arena, const char *fmt, va_list ap) {
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if (n < 0) {
    arena->failed = true;
    return NULL;
  }
  char *p = sim_arena_alloc(arena, (size_t)n + 1);
  if (p == NULL) return NULL;
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  return p;
}

char *sim_arena_printf(struct sim_arena *arena, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *p = sim_arena_vprintf(arena, fmt, ap);
  va_end(ap);
  return p;
}

void sim_buf_init(struct sim_buf *b, struct sim_arena *arena) {
  b->arena = arena;
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
}

static bool buf_reserve(struct sim_buf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return true;
  size_t cap = b->cap ? b->cap * 2 : 64;
  while (cap < b->len + extra + 1) cap *= 2;
  char *p = sim_arena_alloc(b->arena, cap);
  if (p == NULL) return false;
  if (b->len) memcpy(p, b->data, b->len);
  b->data = p;
  b->cap = cap;
  return true;
}

bool sim_buf_append(struct sim_buf *b, const char *s, size_t len) {
  if (!buf_reserve(b, len)) return false;
  if (len) memcpy(b->data + b->len, s, len);
  b->len += len;
  b->data[b->len] = '\0';
  return true;
}

bool sim_buf_append_str(struct sim_buf *b, const char *s) {
  return sim_buf_append(b, s, strlen(s));
}

bool sim_buf_append_char(struct sim_buf *b, char c) {
  return sim_buf_append(b, &c, 1);
}

char *sim_buf_cstr(struct sim_buf *b) {
  if (b->data == NULL && !buf_reserve(b, 0)) return NULL;
  b->data[b->len] = '\0';
  return b->data;
}
