/* vector.c: loads cors-vectors/1 files (shared/VECTORS.md) into the plain
 * structs of vector.h, strictly, reporting each problem with file:line:col
 * and its JSON path.
 *
 * The text is checked with jsonloc_check (exact syntax errors, the depth
 * cap, no \u0000), parsed with cJSON, and walked by hand: cJSON keeps
 * duplicate keys and ignores unknown ones, so every object's members are
 * checked against the fields the format allows before any is read, and
 * only cJSON_GetObjectItemCaseSensitive looks members up. What loads is
 * copied into one arena per file and the cJSON tree is deleted before
 * returning. A problem inside a case ends that case (its first diagnostic
 * is kept in case->error) and loading goes on with the next one.
 *
 * The walk keeps the JSON path of the value it is reading as a stack of
 * jsonloc steps; a diagnostic renders that path and asks jsonloc where it
 * starts. Lookups start at the current case, found by stepping through
 * `cases` element by element, so a file full of bad cases still costs one
 * pass. */
#include "vector.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "http_response.h"
#include "jsonloc.h"

#define FORMAT_NAME "cors-vectors/1"
#define MAX_PATH_DEPTH 16
#define MAX_SHOWN 60 /* bytes of a user string quoted in a message */
#define PATH_MAX_MESSAGE 4400 /* a message that holds a file path */

/* ---- arena: a list of chunks, freed in one call --------------------------- */

struct arena_chunk {
  struct arena_chunk *next;
  size_t used;
  size_t cap;
};

struct arena {
  struct arena_chunk *head;
};

#define ARENA_ALIGN 16
#define ARENA_HEADER \
  ((sizeof(struct arena_chunk) + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN)
#define ARENA_CHUNK 16384

static void *arena_alloc(struct arena *a, size_t size) {
  if (size > SIZE_MAX - ARENA_HEADER - ARENA_ALIGN) return NULL;
  size = (size + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
  if (size == 0) size = ARENA_ALIGN;
  struct arena_chunk *c = a->head;
  if (c == NULL || c->cap - c->used < size) {
    size_t cap = size > ARENA_CHUNK ? size : ARENA_CHUNK;
    c = malloc(ARENA_HEADER + cap);
    if (c == NULL) return NULL;
    c->used = 0;
    c->cap = cap;
    if (a->head != NULL && size > ARENA_CHUNK) {
      /* A big block goes behind the current chunk, keeping its room. */
      c->next = a->head->next;
      a->head->next = c;
    } else {
      c->next = a->head;
      a->head = c;
    }
  }
  void *p = (char *)c + ARENA_HEADER + c->used;
  c->used += size;
  memset(p, 0, size);
  return p;
}

static void arena_free(struct arena *a) {
  struct arena_chunk *c = a->head;
  while (c != NULL) {
    struct arena_chunk *next = c->next;
    free(c);
    c = next;
  }
  a->head = NULL;
}

/* ---- the loader's state --------------------------------------------------- */

enum where { AT_VALUE, AT_KEY };

struct load {
  struct vector_file *file;
  struct arena *arena;
  const char *text;
  size_t len;
  const char *shown_path; /* FILE in diagnostics */
  char *dir;              /* raw_file base ("" for the current directory), or NULL */
  vector_diag_fn diag;
  void *diag_ctx;
  bool oom;

  struct jsonloc_step path[MAX_PATH_DEPTH];
  size_t depth;

  struct vector_case *kase; /* the case being loaded, or NULL */
  /* Where the elements of `cases` start: element cursor_index is at
   * cursor_offset; cases_found is false until the array is located. */
  bool cases_found;
  size_t cases_offset;
  size_t cursor_index;
  size_t cursor_offset;
  struct jsonloc_lines lines;
  struct jsonloc_lines case_lines; /* `lines` as at the current case's start */
};

static char *arena_strndup(struct load *ld, const char *s, size_t n) {
  char *p = arena_alloc(ld->arena, n + 1);
  if (p == NULL) {
    ld->oom = true;
    return NULL;
  }
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

static char *arena_strdup(struct load *ld, const char *s) {
  return arena_strndup(ld, s, strlen(s));
}

static void *arena_array(struct load *ld, size_t count, size_t size) {
  if (count == 0) return NULL;
  if (count > SIZE_MAX / size) {
    ld->oom = true;
    return NULL;
  }
  void *p = arena_alloc(ld->arena, count * size);
  if (p == NULL) ld->oom = true;
  return p;
}

/* ---- the JSON path ------------------------------------------------------ */

static void push_key(struct load *ld, const char *key, size_t occurrence) {
  if (ld->depth < MAX_PATH_DEPTH) {
    struct jsonloc_step *s = &ld->path[ld->depth];
    s->key = key;
    s->key_len = strlen(key);
    s->occurrence = occurrence;
    s->index = 0;
  }
  ld->depth++;
}

static void push_index(struct load *ld, size_t index) {
  if (ld->depth < MAX_PATH_DEPTH) {
    struct jsonloc_step *s = &ld->path[ld->depth];
    s->key = NULL;
    s->key_len = 0;
    s->occurrence = 0;
    s->index = index;
  }
  ld->depth++;
}

static void pop(struct load *ld) {
  if (ld->depth > 0) ld->depth--;
}

static bool is_plain_key(const char *s, size_t n) {
  if (n == 0) return false;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || c == '_' || c == '-'))
      return false;
  }
  return true;
}

struct buf {
  char *p;
  size_t size;
  size_t len;
};

__attribute__((format(printf, 2, 3))) static void buf_add(struct buf *b,
                                                          const char *fmt, ...) {
  if (b->len >= b->size) return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(b->p + b->len, b->size - b->len, fmt, ap);
  va_end(ap);
  if (n > 0) b->len = (size_t)n >= b->size - b->len ? b->size : b->len + (size_t)n;
}

/* Appends `s` the way a message shows a user string: control bytes and
 * quotes escaped, at most MAX_SHOWN bytes, then "...". */
static void buf_add_shown(struct buf *b, const char *s, size_t n) {
  size_t shown = n > MAX_SHOWN ? MAX_SHOWN : n;
  /* Do not cut a UTF-8 sequence in two. */
  while (shown < n && shown > 0 && ((unsigned char)s[shown] & 0xC0) == 0x80)
    shown--;
  for (size_t i = 0; i < shown; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x20 || c == 0x7f)
      buf_add(b, "\\x%02x", c);
    else if (c == '\'' || c == '\\' || c == '"')
      buf_add(b, "\\%c", c);
    else
      buf_add(b, "%c", c);
  }
  if (shown < n) buf_add(b, "...");
}

static void render_path(const struct load *ld, size_t depth, struct buf *b) {
  for (size_t i = 0; i < depth && i < MAX_PATH_DEPTH; i++) {
    const struct jsonloc_step *s = &ld->path[i];
    if (s->key == NULL) {
      buf_add(b, "[%zu]", s->index);
    } else if (is_plain_key(s->key, s->key_len)) {
      buf_add(b, "%s%s", i > 0 ? "." : "", s->key);
    } else {
      buf_add(b, "[\"");
      buf_add_shown(b, s->key, s->key_len);
      buf_add(b, "\"]");
    }
  }
}

/* ---- locations ------------------------------------------------------------ */

/* The offset where element `index` of `cases` starts, or false. */
static bool case_offset(struct load *ld, size_t index, size_t *offset) {
  if (!ld->cases_found) {
    struct jsonloc_step step = {"cases", 5, 0, 0};
    size_t at;
    if (!jsonloc_find(ld->text, ld->len, 0, &step, 1, false, &at) ||
        at >= ld->len || ld->text[at] != '[')
      return false;
    struct jsonloc_step first = {NULL, 0, 0, 0};
    if (!jsonloc_find(ld->text, ld->len, at, &first, 1, false,
                      &ld->cases_offset))
      return false;
    ld->cases_found = true;
    ld->cursor_index = 0;
    ld->cursor_offset = ld->cases_offset;
  }
  if (index < ld->cursor_index) {
    ld->cursor_index = 0;
    ld->cursor_offset = ld->cases_offset;
  }
  while (ld->cursor_index < index) {
    ld->cursor_offset = jsonloc_next_element(ld->text, ld->len, ld->cursor_offset);
    if (ld->cursor_offset >= ld->len) {
      ld->cases_found = false;
      return false;
    }
    ld->cursor_index++;
  }
  *offset = ld->cursor_offset;
  return true;
}

/* The offset of the first `depth` steps of the current path. */
static bool path_offset(struct load *ld, size_t depth, bool want_key,
                        size_t *offset) {
  if (depth > MAX_PATH_DEPTH) return false;
  if (depth >= 2 && ld->path[0].key != NULL &&
      strcmp(ld->path[0].key, "cases") == 0 && ld->path[0].occurrence == 0 &&
      ld->path[1].key == NULL) {
    size_t start;
    if (case_offset(ld, ld->path[1].index, &start))
      return jsonloc_find(ld->text, ld->len, start, ld->path + 2, depth - 2,
                          want_key, offset);
  }
  return jsonloc_find(ld->text, ld->len, 0, ld->path, depth, want_key, offset);
}

static void position(struct load *ld, size_t offset, int *line, int *column) {
  /* Stay linear: positions asked for behind the running cache start again
   * from the current case, not from the top of the file. */
  if (offset < ld->lines.offset && offset >= ld->case_lines.offset)
    ld->lines = ld->case_lines;
  jsonloc_position(ld->text, ld->len, offset, &ld->lines, line, column);
}

/* Where the current path starts (its key with AT_KEY); falls back to the
 * nearest enclosing value that can be found. */
static struct vector_location locate(struct load *ld, enum where where) {
  struct vector_location loc = {1, 1};
  size_t offset;
  size_t depth = ld->depth > MAX_PATH_DEPTH ? MAX_PATH_DEPTH : ld->depth;
  bool found = path_offset(ld, depth, where == AT_KEY && depth > 0, &offset);
  while (!found && depth > 0) {
    depth--;
    found = path_offset(ld, depth, false, &offset);
  }
  if (found) position(ld, offset, &loc.line, &loc.column);
  return loc;
}

/* Marks the start of a case for position(). */
static void begin_case_lines(struct load *ld) {
  size_t offset;
  if (path_offset(ld, ld->depth, false, &offset)) {
    int line, column;
    position(ld, offset, &line, &column);
    ld->case_lines = ld->lines;
  }
}

/* ---- diagnostics ---------------------------------------------------------- */

/* Reports one problem at the current path: "FILE:LINE:COL: MESSAGE at
 * PATH[SUFFIX]". The first one of a case goes to case->error, the first
 * one outside cases to file->error. Always returns false. */
__attribute__((format(printf, 4, 5))) static bool report(struct load *ld,
                                                         enum where where,
                                                         const char *suffix,
                                                         const char *fmt, ...) {
  char message[1024];
  char path[640];
  struct buf pb = {path, sizeof path, 0};
  path[0] = '\0';
  /* With AT_KEY the last step is a member's key: the path names the
   * object that holds it, the position is the key's. */
  render_path(ld, where == AT_KEY && ld->depth > 0 ? ld->depth - 1 : ld->depth,
              &pb);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(message, sizeof message, fmt, ap);
  va_end(ap);
  struct vector_location loc = locate(ld, where);
  size_t size = strlen(ld->shown_path) + strlen(message) + strlen(path) +
                (suffix != NULL ? strlen(suffix) : 0) + 64;
  char *line = arena_alloc(ld->arena, size);
  if (line == NULL) {
    ld->oom = true;
    return false;
  }
  snprintf(line, size, "%s:%d:%d: %s%s%s%s", ld->shown_path, loc.line,
           loc.column, message, path[0] != '\0' ? " at " : "", path,
           suffix != NULL ? suffix : "");
  ld->file->diagnostic_count++;
  if (ld->kase != NULL) {
    if (ld->kase->error == NULL) ld->kase->error = line;
  } else if (ld->file->error == NULL) {
    ld->file->error = line;
  }
  if (ld->diag != NULL) ld->diag(ld->diag_ctx, line);
  return false;
}

/* A file-level problem without a position: "cannot open 'x.json': ...". */
static void report_file(struct vector_file *file, struct arena *arena,
                        vector_diag_fn diag, void *diag_ctx, const char *text,
                        bool *oom) {
  size_t n = strlen(text);
  char *line = arena_alloc(arena, n + 1);
  if (line == NULL) {
    *oom = true;
    return;
  }
  memcpy(line, text, n + 1);
  file->diagnostic_count++;
  if (file->error == NULL) file->error = line;
  if (diag != NULL) diag(diag_ctx, line);
}

static const char *type_name(const cJSON *v) {
  if (cJSON_IsNull(v)) return "null";
  if (cJSON_IsBool(v)) return "a boolean";
  if (cJSON_IsNumber(v)) return "a number";
  if (cJSON_IsString(v)) return "a string";
  if (cJSON_IsArray(v)) return "an array";
  if (cJSON_IsObject(v)) return "an object";
  return "an unknown value";
}

/* "'value'" for a string (shown safely), else the type name. */
static void describe_value(const cJSON *v, char *out, size_t size) {
  struct buf b = {out, size, 0};
  out[0] = '\0';
  if (cJSON_IsString(v)) {
    buf_add(&b, "'");
    buf_add_shown(&b, v->valuestring, strlen(v->valuestring));
    buf_add(&b, "'");
  } else if (cJSON_IsNumber(v)) {
    buf_add(&b, "%g", v->valuedouble);
  } else {
    buf_add(&b, "%s", type_name(v));
  }
}

static bool wrong_type(struct load *ld, const cJSON *v, const char *expected) {
  return report(ld, AT_VALUE, NULL, "expected %s, got %s", expected,
                type_name(v));
}

static bool missing(struct load *ld, const char *field) {
  return report(ld, AT_VALUE, NULL, "missing required field '%s'", field);
}

/* ---- members -------------------------------------------------------------- */

static bool in_list(const char *const *list, const char *s) {
  for (size_t i = 0; list[i] != NULL; i++)
    if (strcmp(list[i], s) == 0) return true;
  return false;
}

struct keyed {
  const char *key;
  size_t index;
};

static int compare_keyed(const void *a, const void *b) {
  const struct keyed *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  if (c != 0) return c;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* Finds the first member (in text order) whose key repeats an earlier
 * one: sets *index and *occurrence (1 for the second use of the key).
 * Returns false when there is none. */
static bool first_duplicate(struct load *ld, const cJSON *obj, size_t count,
                            size_t *index, size_t *occurrence) {
  bool found = false;
  if (count <= 16) {
    size_t i = 0;
    for (const cJSON *a = obj->child; a != NULL && !found; a = a->next, i++) {
      size_t seen = 0;
      for (const cJSON *b = obj->child; b != a; b = b->next)
        if (strcmp(a->string, b->string) == 0) seen++;
      if (seen > 0) {
        *index = i;
        *occurrence = seen;
        found = true;
      }
    }
    return found;
  }
  struct keyed *all = malloc(count * sizeof *all);
  if (all == NULL) {
    ld->oom = true;
    return false;
  }
  size_t n = 0;
  for (const cJSON *a = obj->child; a != NULL && n < count; a = a->next, n++) {
    all[n].key = a->string;
    all[n].index = n;
  }
  qsort(all, n, sizeof *all, compare_keyed);
  for (size_t i = 1; i < n; i++) {
    if (strcmp(all[i].key, all[i - 1].key) != 0) continue;
    /* all[i] is a repeat; its occurrence is its rank in its group. */
    size_t rank = 1;
    while (rank < i && strcmp(all[i - rank - 1].key, all[i].key) == 0) rank++;
    if (!found || all[i].index < *index) {
      *index = all[i].index;
      *occurrence = rank;
      found = true;
    }
  }
  free(all);
  return found;
}

/* Checks an object's members before any is read: no key twice, and, when
 * `allowed` is not NULL, only keys from it. Reports the first problem in
 * text order. */
static bool check_members(struct load *ld, const cJSON *obj,
                          const char *const *allowed) {
  size_t count = 0, unknown = SIZE_MAX;
  const cJSON *unknown_item = NULL;
  for (const cJSON *m = obj->child; m != NULL; m = m->next, count++) {
    if (allowed != NULL && unknown_item == NULL && !in_list(allowed, m->string)) {
      unknown = count;
      unknown_item = m;
    }
  }
  size_t dup = SIZE_MAX, occurrence = 0;
  if (!first_duplicate(ld, obj, unknown != SIZE_MAX ? unknown : count, &dup,
                       &occurrence))
    dup = SIZE_MAX;
  if (ld->oom) return false;
  if (unknown_item != NULL && unknown < dup) {
    size_t before = 0;
    for (const cJSON *m = obj->child; m != unknown_item; m = m->next)
      if (strcmp(m->string, unknown_item->string) == 0) before++;
    char list[512];
    struct buf b = {list, sizeof list, 0};
    list[0] = '\0';
    buf_add(&b, "; expected one of ");
    for (size_t i = 0; allowed[i] != NULL; i++)
      buf_add(&b, "%s%s", i > 0 ? ", " : "", allowed[i]);
    char key[MAX_SHOWN * 4 + 8];
    struct buf kb = {key, sizeof key, 0};
    key[0] = '\0';
    buf_add_shown(&kb, unknown_item->string, strlen(unknown_item->string));
    push_key(ld, unknown_item->string, before);
    return report(ld, AT_KEY, list, "unknown field '%s'", key);
  }
  if (dup != SIZE_MAX) {
    const cJSON *m = obj->child;
    for (size_t i = 0; i < dup; i++) m = m->next;
    char key[MAX_SHOWN * 4 + 8];
    struct buf kb = {key, sizeof key, 0};
    key[0] = '\0';
    buf_add_shown(&kb, m->string, strlen(m->string));
    push_key(ld, m->string, occurrence);
    return report(ld, AT_KEY, NULL, "duplicate field '%s'", key);
  }
  return true;
}

/* Looks up member `key` (members were checked, so it is unique) and, when
 * present, pushes it on the path; the caller pops it. */
static const cJSON *member(struct load *ld, const cJSON *obj, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (v != NULL) push_key(ld, key, 0);
  return v;
}

/* ---- values --------------------------------------------------------------- */

static bool want_string(struct load *ld, const cJSON *v, char **out) {
  if (!cJSON_IsString(v)) return wrong_type(ld, v, "a string");
  *out = arena_strdup(ld, v->valuestring);
  return *out != NULL;
}

/* A string or null (NULL). */
static bool want_string_or_null(struct load *ld, const cJSON *v, char **out) {
  if (cJSON_IsNull(v)) {
    *out = NULL;
    return true;
  }
  if (!cJSON_IsString(v)) return wrong_type(ld, v, "a string or null");
  *out = arena_strdup(ld, v->valuestring);
  return *out != NULL;
}

static bool want_object(struct load *ld, const cJSON *v) {
  return cJSON_IsObject(v) ? true : wrong_type(ld, v, "an object");
}

static bool want_array(struct load *ld, const cJSON *v) {
  return cJSON_IsArray(v) ? true : wrong_type(ld, v, "an array");
}

/* An integer from `min` to `max`. */
static bool want_int(struct load *ld, const cJSON *v, int min, int max,
                     int *out) {
  char what[64];
  snprintf(what, sizeof what, "an integer from %d to %d", min, max);
  if (!cJSON_IsNumber(v)) return wrong_type(ld, v, what);
  double d = v->valuedouble;
  if (!(d >= min && d <= max) || d != floor(d))
    return report(ld, AT_VALUE, NULL, "expected %s, got %g", what, d);
  *out = (int)d;
  return true;
}

static bool want_array_of_strings(struct load *ld, const cJSON *v, char ***out,
                                  size_t *count) {
  if (!cJSON_IsArray(v)) return wrong_type(ld, v, "an array of strings");
  size_t n = (size_t)cJSON_GetArraySize(v);
  char **items = arena_array(ld, n, sizeof *items);
  if (n > 0 && items == NULL) return false;
  size_t i = 0;
  for (const cJSON *e = v->child; e != NULL && i < n; e = e->next, i++) {
    push_index(ld, i);
    if (!want_string(ld, e, &items[i])) return false;
    pop(ld);
  }
  *out = items;
  *count = n;
  return true;
}

/* Enumerations: the names come from libcorsim's own tables
 * (corsim_*_name), so the loader and the reports spell them alike. */
struct names {
  const char *(*name)(int value);
  int first;
  int count;
};

static const char *profile_name(int v) {
  return corsim_profile_name((enum corsim_profile)v);
}
static const char *mode_name(int v) {
  return corsim_mode_name((enum corsim_mode)v);
}
static const char *credentials_name(int v) {
  return corsim_credentials_name((enum corsim_credentials)v);
}
static const char *redirect_name(int v) {
  return corsim_redirect_name((enum corsim_redirect)v);
}
static const char *cache_mode_name(int v) {
  return corsim_cache_mode_name((enum corsim_cache_mode)v);
}
static const char *outcome_name(int v) {
  return corsim_outcome_name((enum corsim_outcome)v);
}
static const char *preflight_name(int v) {
  return corsim_preflight_name((enum corsim_preflight)v);
}
static const char *blocked_reason_name(int v) {
  return corsim_blocked_reason_name((enum corsim_blocked_reason)v);
}

static const struct names PROFILES = {profile_name, 0, CORSIM_PROFILE_COUNT};
static const struct names MODES = {mode_name, 0, 3};
static const struct names CREDENTIALS = {credentials_name, 0, 3};
static const struct names REDIRECTS = {redirect_name, 0, 3};
static const struct names CACHE_MODES = {cache_mode_name, 0, 5};
static const struct names OUTCOMES = {outcome_name, 0, 3};
static const struct names PREFLIGHTS = {preflight_name, 0, 3};
/* CORSIM_BLOCKED_NONE ("") is not a value a vector can expect. */
static const struct names BLOCKED_REASONS = {blocked_reason_name, 1, 7};

static bool want_enum(struct load *ld, const cJSON *v, const struct names *names,
                      int *out) {
  if (cJSON_IsString(v)) {
    for (int i = names->first; i < names->first + names->count; i++) {
      const char *name = names->name(i);
      if (name != NULL && strcmp(name, v->valuestring) == 0) {
        *out = i;
        return true;
      }
    }
  }
  char list[256];
  struct buf b = {list, sizeof list, 0};
  list[0] = '\0';
  for (int i = names->first; i < names->first + names->count; i++)
    buf_add(&b, "%s%s", i > names->first ? ", " : "", names->name(i));
  char got[MAX_SHOWN * 4 + 8];
  describe_value(v, got, sizeof got);
  return report(ld, AT_VALUE, NULL, "expected one of %s, got %s", list, got);
}

/* An optional enumerated member: leaves *out alone when absent. */
static bool enum_member(struct load *ld, const cJSON *obj, const char *key,
                        const struct names *names, int *out, bool *given) {
  const cJSON *v = member(ld, obj, key);
  if (given != NULL) *given = v != NULL;
  if (v == NULL) return true;
  if (!want_enum(ld, v, names, out)) return false;
  pop(ld);
  return true;
}

/* Header lists: [[name, value], ...] in order, or {name: value}. */
static bool want_header_list(struct load *ld, const cJSON *v,
                             struct corsim_header **out, size_t *count) {
  const char *expected = "an array of [name, value] pairs or an object";
  if (!cJSON_IsArray(v) && !cJSON_IsObject(v)) return wrong_type(ld, v, expected);
  if (cJSON_IsObject(v) && !check_members(ld, v, NULL)) return false;
  size_t n = (size_t)cJSON_GetArraySize(v);
  struct corsim_header *headers = arena_array(ld, n, sizeof *headers);
  if (n > 0 && headers == NULL) return false;
  size_t i = 0;
  for (const cJSON *e = v->child; e != NULL && i < n; e = e->next, i++) {
    const char *name, *value;
    if (cJSON_IsObject(v)) {
      push_key(ld, e->string, 0);
      if (!cJSON_IsString(e)) return wrong_type(ld, e, "a string");
      name = e->string;
      value = e->valuestring;
    } else {
      push_index(ld, i);
      if (!cJSON_IsArray(e)) return wrong_type(ld, e, "a [name, value] pair");
      int size = cJSON_GetArraySize(e);
      if (size != 2)
        return report(ld, AT_VALUE, NULL,
                      "expected a [name, value] pair, got an array of %d", size);
      for (int k = 0; k < 2; k++) {
        const cJSON *s = cJSON_GetArrayItem(e, k);
        if (!cJSON_IsString(s)) {
          push_index(ld, (size_t)k);
          return wrong_type(ld, s, "a string");
        }
      }
      name = e->child->valuestring;
      value = e->child->next->valuestring;
    }
    size_t name_len = strlen(name), value_len = strlen(value);
    headers[i].name = arena_strndup(ld, name, name_len);
    headers[i].name_len = name_len;
    headers[i].value = arena_strndup(ld, value, value_len);
    headers[i].value_len = value_len;
    if (ld->oom) return false;
    pop(ld);
  }
  *out = headers;
  *count = n;
  return true;
}

/* Expected headers: {name: string or null}. */
static bool want_expect_headers(struct load *ld, const cJSON *v,
                                struct vector_expect_header **out,
                                size_t *count) {
  if (!cJSON_IsObject(v))
    return wrong_type(ld, v, "an object of header names");
  if (!check_members(ld, v, NULL)) return false;
  size_t n = (size_t)cJSON_GetArraySize(v);
  struct vector_expect_header *headers = arena_array(ld, n, sizeof *headers);
  if (n > 0 && headers == NULL) return false;
  size_t i = 0;
  for (const cJSON *e = v->child; e != NULL && i < n; e = e->next, i++) {
    push_key(ld, e->string, 0);
    headers[i].name = arena_strdup(ld, e->string);
    if (headers[i].name == NULL) return false;
    if (!want_string_or_null(ld, e, &headers[i].value)) return false;
    pop(ld);
  }
  *out = headers;
  *count = n;
  return true;
}

/* ---- files for raw_file --------------------------------------------------- */

/* Reads a whole file (at most VECTOR_MAX_FILE_BYTES). Returns the malloc'd
 * bytes, or NULL with `err` written (and *oom set when out of memory). */
static char *read_whole(const char *path, size_t *len, char *err,
                        size_t err_size, bool *oom) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    snprintf(err, err_size, "cannot open '%s': %s", path, strerror(errno));
    return NULL;
  }
  size_t cap = 4096, n = 0;
  char *data = malloc(cap);
  for (;;) {
    if (data == NULL) {
      snprintf(err, err_size, "out of memory reading '%s'", path);
      *oom = true;
      break;
    }
    if (n == cap) {
      if (cap > VECTOR_MAX_FILE_BYTES) {
        snprintf(err, err_size, "'%s' is larger than %u bytes", path,
                 VECTOR_MAX_FILE_BYTES);
        free(data);
        data = NULL;
        break;
      }
      char *bigger = realloc(data, cap * 2);
      if (bigger == NULL) free(data);
      data = bigger;
      cap *= 2;
      continue;
    }
    size_t got = fread(data + n, 1, cap - n, f);
    n += got;
    if (got == 0) {
      if (ferror(f)) {
        snprintf(err, err_size, "cannot read '%s': %s", path, strerror(errno));
        free(data);
        data = NULL;
      }
      break;
    }
  }
  fclose(f);
  if (data != NULL && n > VECTOR_MAX_FILE_BYTES) {
    snprintf(err, err_size, "'%s' is larger than %u bytes", path,
             VECTOR_MAX_FILE_BYTES);
    free(data);
    data = NULL;
  }
  *len = n;
  return data;
}

/* ---- response ------------------------------------------------------------- */

static const char *const RESPONSE_FIELDS[] = {"method", "url", "status",
                                              "headers", "raw", "raw_file",
                                              NULL};

/* Parses raw HTTP bytes into `r`; `what` names the source in messages. */
static bool take_raw(struct load *ld, const char *data, size_t len,
                     const char *file, struct vector_response *r) {
  struct http_response parsed;
  char err[256];
  int rc = http_response_parse(data, len, 0, NULL, &parsed, err, sizeof err);
  if (rc == -2) {
    ld->oom = true;
    return false;
  }
  if (rc != 0) {
    if (file != NULL)
      return report(ld, AT_VALUE, NULL, "invalid raw response in '%s': %s",
                    file, err);
    return report(ld, AT_VALUE, NULL, "invalid raw response: %s", err);
  }
  r->status = parsed.status;
  r->header_count = parsed.header_count;
  r->headers = arena_array(ld, parsed.header_count, sizeof *r->headers);
  for (size_t i = 0; i < parsed.header_count && r->headers != NULL; i++) {
    const struct corsim_header *h = &parsed.headers[i];
    r->headers[i].name = arena_strndup(ld, h->name, h->name_len);
    r->headers[i].name_len = h->name_len;
    r->headers[i].value = arena_strndup(ld, h->value, h->value_len);
    r->headers[i].value_len = h->value_len;
  }
  http_response_release(&parsed);
  r->from_raw = true;
  return !ld->oom;
}

static bool load_response(struct load *ld, const cJSON *obj,
                          struct vector_response *r) {
  r->location = locate(ld, AT_VALUE);
  if (!want_object(ld, obj) || !check_members(ld, obj, RESPONSE_FIELDS))
    return false;
  /* Exactly one of status, raw, raw_file; the second one met is wrong. */
  static const char *const kinds[] = {"status", "raw", "raw_file"};
  const char *first = NULL;
  for (const cJSON *m = obj->child; m != NULL; m = m->next) {
    for (size_t k = 0; k < 3; k++) {
      if (strcmp(m->string, kinds[k]) != 0) continue;
      if (first != NULL) {
        push_key(ld, m->string, 0);
        return report(ld, AT_KEY, NULL,
                      "'%s' cannot be used together with '%s'", m->string,
                      first);
      }
      first = kinds[k];
    }
  }
  if (first == NULL)
    return report(ld, AT_VALUE, NULL,
                  "missing required field 'status' (or 'raw' or 'raw_file')");
  const cJSON *headers = cJSON_GetObjectItemCaseSensitive(obj, "headers");
  if (headers != NULL && strcmp(first, "status") != 0) {
    push_key(ld, "headers", 0);
    return report(ld, AT_KEY, NULL, "'headers' cannot be used together with '%s'",
                  first);
  }

  const cJSON *v;
  if ((v = member(ld, obj, "method")) != NULL) {
    if (!want_string(ld, v, &r->method)) return false;
    pop(ld);
  }
  if ((v = member(ld, obj, "url")) != NULL) {
    if (!want_string(ld, v, &r->url)) return false;
    pop(ld);
  }
  if ((v = member(ld, obj, "status")) != NULL) {
    if (!want_int(ld, v, 100, 999, &r->status)) return false;
    pop(ld);
    if ((v = member(ld, obj, "headers")) != NULL) {
      if (!want_header_list(ld, v, &r->headers, &r->header_count)) return false;
      pop(ld);
    }
  }
  if ((v = member(ld, obj, "raw")) != NULL) {
    if (!cJSON_IsString(v)) return wrong_type(ld, v, "a string");
    if (!take_raw(ld, v->valuestring, strlen(v->valuestring), NULL, r))
      return false;
    pop(ld);
  }
  if ((v = member(ld, obj, "raw_file")) != NULL) {
    if (!want_string(ld, v, &r->raw_file)) return false;
    if (r->raw_file[0] == '\0')
      return report(ld, AT_VALUE, NULL, "expected a file name, got ''");
    if (ld->dir == NULL)
      return report(ld, AT_VALUE, NULL,
                    "cannot read raw_file '%s' of a vector that has no file",
                    r->raw_file);
    size_t size = strlen(ld->dir) + strlen(r->raw_file) + 2;
    char *full = arena_alloc(ld->arena, size);
    if (full == NULL) {
      ld->oom = true;
      return false;
    }
    if (r->raw_file[0] == '/' || ld->dir[0] == '\0')
      snprintf(full, size, "%s", r->raw_file);
    else
      snprintf(full, size, "%s/%s", ld->dir, r->raw_file);
    char err[PATH_MAX_MESSAGE];
    size_t len = 0;
    char *data = read_whole(full, &len, err, sizeof err, &ld->oom);
    if (data == NULL) return ld->oom ? false : report(ld, AT_VALUE, NULL, "%s", err);
    bool ok = take_raw(ld, data, len, full, r);
    free(data);
    if (!ok) return false;
    pop(ld);
  }
  return true;
}

/* ---- request and expect ------------------------------------------------ */

static const char *const REQUEST_FIELDS[] = {
    "origin", "url",   "method", "headers",           "mode",
    "credentials", "redirect", "cache", "use_cors_preflight", "api", NULL};

static bool load_request(struct load *ld, const cJSON *obj,
                         struct vector_step *step) {
  struct corsim_request *q = &step->request;
  if (!want_object(ld, obj) || !check_members(ld, obj, REQUEST_FIELDS))
    return false;
  q->method = "GET";
  q->mode = CORSIM_MODE_CORS;
  q->credentials = CORSIM_CREDENTIALS_SAME_ORIGIN;
  q->redirect = CORSIM_REDIRECT_FOLLOW;
  q->cache = CORSIM_CACHE_DEFAULT;
  q->use_cors_preflight = false;

  const cJSON *v;
  char *s;
  if ((v = member(ld, obj, "origin")) == NULL) return missing(ld, "origin");
  if (cJSON_IsNull(v)) {
    s = arena_strdup(ld, "null");
    if (s == NULL) return false;
  } else if (!cJSON_IsString(v)) {
    return wrong_type(ld, v, "a string (an origin or a document URL) or null");
  } else if (!want_string(ld, v, &s)) {
    return false;
  }
  q->origin = s;
  pop(ld);
  if ((v = member(ld, obj, "url")) == NULL) return missing(ld, "url");
  if (!want_string(ld, v, &s)) return false;
  q->url = s;
  pop(ld);
  if ((v = member(ld, obj, "method")) != NULL) {
    if (!cJSON_IsString(v) || v->valuestring[0] == '\0')
      return cJSON_IsString(v)
                 ? report(ld, AT_VALUE, NULL, "expected a method, got ''")
                 : wrong_type(ld, v, "a string");
    if (!want_string(ld, v, &s)) return false;
    q->method = s;
    pop(ld);
  }
  if ((v = member(ld, obj, "headers")) != NULL) {
    if (!want_header_list(ld, v, &step->request_headers, &q->headers.count))
      return false;
    q->headers.items = step->request_headers;
    pop(ld);
  }
  int e;
  e = (int)q->mode;
  if (!enum_member(ld, obj, "mode", &MODES, &e, NULL)) return false;
  q->mode = (enum corsim_mode)e;
  e = (int)q->credentials;
  if (!enum_member(ld, obj, "credentials", &CREDENTIALS, &e, NULL)) return false;
  q->credentials = (enum corsim_credentials)e;
  e = (int)q->redirect;
  if (!enum_member(ld, obj, "redirect", &REDIRECTS, &e, NULL)) return false;
  q->redirect = (enum corsim_redirect)e;
  e = (int)q->cache;
  if (!enum_member(ld, obj, "cache", &CACHE_MODES, &e, NULL)) return false;
  q->cache = (enum corsim_cache_mode)e;
  if ((v = member(ld, obj, "use_cors_preflight")) != NULL) {
    if (!cJSON_IsBool(v)) return wrong_type(ld, v, "a boolean");
    q->use_cors_preflight = cJSON_IsTrue(v);
    pop(ld);
  }
  /* extension: which API made the request (console wording only) */
  if ((v = member(ld, obj, "api")) != NULL) {
    if (!cJSON_IsString(v) || (strcmp(v->valuestring, "fetch") != 0 &&
                               strcmp(v->valuestring, "xhr") != 0))
      return cJSON_IsString(v)
                 ? report(ld, AT_VALUE, NULL,
                          "expected one of fetch, xhr, got '%s'",
                          v->valuestring)
                 : wrong_type(ld, v, "a string");
    q->is_xhr = strcmp(v->valuestring, "xhr") == 0;
    pop(ld);
  }
  return true;
}

static const char *const EXPECT_FIELDS[] = {
    "outcome",        "cors_error",      "failed_parameter",
    "preflight",      "preflight_request_headers", "request_headers",
    "exposed_headers", "status",         "blocked_reason",
    "console",        NULL};

static bool load_expect(struct load *ld, const cJSON *obj,
                        struct vector_expect *x) {
  if (!want_object(ld, obj) || !check_members(ld, obj, EXPECT_FIELDS))
    return false;
  const cJSON *v;
  bool given;
  int e;

  e = CORSIM_OUTCOME_ALLOWED;
  if (!enum_member(ld, obj, "outcome", &OUTCOMES, &e, &given)) return false;
  x->outcome = (enum corsim_outcome)e;
  if (given) x->fields |= VECTOR_EXPECT_OUTCOME;

  x->cors_error = CORSIM_CORS_ERROR_NONE;
  if ((v = member(ld, obj, "cors_error")) != NULL) {
    if (cJSON_IsString(v) && v->valuestring[0] != '\0') {
      enum corsim_cors_error ce;
      if (!corsim_cors_error_from_name(v->valuestring, &ce) ||
          ce == CORSIM_CORS_ERROR_NONE) {
        char got[MAX_SHOWN * 4 + 8];
        describe_value(v, got, sizeof got);
        return report(ld, AT_VALUE, NULL,
                      "expected a Network.CorsError name such as "
                      "'MissingAllowOriginHeader', got %s",
                      got);
      }
      x->cors_error = ce;
    } else if (!cJSON_IsNull(v) && !cJSON_IsString(v)) {
      return wrong_type(ld, v, "a Network.CorsError name or null");
    }
    x->fields |= VECTOR_EXPECT_CORS_ERROR;
    pop(ld);
  }
  if ((v = member(ld, obj, "failed_parameter")) != NULL) {
    if (!want_string_or_null(ld, v, &x->failed_parameter)) return false;
    x->fields |= VECTOR_EXPECT_FAILED_PARAMETER;
    pop(ld);
  }
  e = CORSIM_PREFLIGHT_NONE;
  if (!enum_member(ld, obj, "preflight", &PREFLIGHTS, &e, &given)) return false;
  x->preflight = (enum corsim_preflight)e;
  if (given) x->fields |= VECTOR_EXPECT_PREFLIGHT;
  if ((v = member(ld, obj, "preflight_request_headers")) != NULL) {
    if (!want_expect_headers(ld, v, &x->preflight_request_headers,
                             &x->preflight_request_header_count))
      return false;
    x->fields |= VECTOR_EXPECT_PREFLIGHT_REQUEST_HEADERS;
    pop(ld);
  }
  if ((v = member(ld, obj, "request_headers")) != NULL) {
    if (!want_expect_headers(ld, v, &x->request_headers,
                             &x->request_header_count))
      return false;
    x->fields |= VECTOR_EXPECT_REQUEST_HEADERS;
    pop(ld);
  }
  if ((v = member(ld, obj, "exposed_headers")) != NULL) {
    if (!want_array_of_strings(ld, v, &x->exposed_headers,
                               &x->exposed_header_count))
      return false;
    x->fields |= VECTOR_EXPECT_EXPOSED_HEADERS;
    pop(ld);
  }
  if ((v = member(ld, obj, "status")) != NULL) {
    if (!want_int(ld, v, 0, 999, &x->status)) return false;
    x->fields |= VECTOR_EXPECT_STATUS;
    pop(ld);
  }
  e = CORSIM_BLOCKED_NONE;
  if (!enum_member(ld, obj, "blocked_reason", &BLOCKED_REASONS, &e, &given))
    return false;
  x->blocked_reason = (enum corsim_blocked_reason)e;
  if (given) x->fields |= VECTOR_EXPECT_BLOCKED_REASON;
  if ((v = member(ld, obj, "console")) != NULL) {
    if (!want_string(ld, v, &x->console)) return false;
    x->fields |= VECTOR_EXPECT_CONSOLE;
    pop(ld);
  }
  return true;
}

/* ---- step and case -------------------------------------------------------- */

static const char *const STEP_FIELDS[] = {"at", "request", "responses",
                                          "expect", NULL};
static const char *const CASE_FIELDS[] = {
    "id", "title", "spec", "tags", "browser", "steps",
    "at", "request", "responses", "expect", NULL};

/* Loads one step from `obj`: a steps[] element, or the case itself in the
 * one-step shorthand (then its members were already checked). */
static bool load_step(struct load *ld, const cJSON *obj, bool shorthand,
                      double previous_at, bool has_previous,
                      struct vector_step *step) {
  step->location = locate(ld, AT_VALUE);
  char path[640];
  struct buf pb = {path, sizeof path, 0};
  path[0] = '\0';
  render_path(ld, ld->depth, &pb);
  step->path = arena_strdup(ld, path);
  if (step->path == NULL) return false;
  if (!shorthand &&
      (!want_object(ld, obj) || !check_members(ld, obj, STEP_FIELDS)))
    return false;

  const cJSON *v;
  step->at = previous_at;
  if ((v = member(ld, obj, "at")) != NULL) {
    if (!cJSON_IsNumber(v)) return wrong_type(ld, v, "a number of seconds");
    double at = v->valuedouble;
    if (!isfinite(at) || at < 0)
      return report(ld, AT_VALUE, NULL, "expected a number >= 0, got %g", at);
    if (has_previous && at < previous_at)
      return report(ld, AT_VALUE, NULL,
                    "'at' must not decrease: %g is before the previous "
                    "step's %g",
                    at, previous_at);
    step->at = at;
    pop(ld);
  }
  if ((v = member(ld, obj, "request")) == NULL) return missing(ld, "request");
  if (!load_request(ld, v, step)) return false;
  pop(ld);

  step->live = true;
  if ((v = member(ld, obj, "responses")) != NULL) {
    if (!want_array(ld, v)) return false;
    step->live = false;
    size_t n = (size_t)cJSON_GetArraySize(v);
    step->responses = arena_array(ld, n, sizeof *step->responses);
    if (n > 0 && step->responses == NULL) return false;
    size_t i = 0;
    for (const cJSON *e = v->child; e != NULL && i < n; e = e->next, i++) {
      push_index(ld, i);
      if (!load_response(ld, e, &step->responses[i])) return false;
      pop(ld);
      step->response_count = i + 1;
    }
    pop(ld);
  }
  if ((v = member(ld, obj, "expect")) == NULL) return missing(ld, "expect");
  if (!load_expect(ld, v, &step->expect)) return false;
  pop(ld);
  return true;
}

static bool is_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

/* Case ids seen so far in the file: open addressing, size a power of 2. */
struct id_set {
  const char **ids;
  size_t *index;
  size_t size;
};

static size_t hash_id(const char *s) {
  size_t h = 2166136261u;
  for (; *s != '\0'; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

/* Adds `id`; returns false with *first set when it was already there. */
static bool id_set_add(struct id_set *set, const char *id, size_t index,
                       size_t *first) {
  size_t mask = set->size - 1;
  for (size_t i = hash_id(id) & mask;; i = (i + 1) & mask) {
    if (set->ids[i] == NULL) {
      set->ids[i] = id;
      set->index[i] = index;
      return true;
    }
    if (strcmp(set->ids[i], id) == 0) {
      *first = set->index[i];
      return false;
    }
  }
}

static bool load_case(struct load *ld, const cJSON *obj, struct id_set *ids,
                      struct vector_case *kase) {
  kase->location = locate(ld, AT_VALUE);
  begin_case_lines(ld);
  kase->profile = CORSIM_PROFILE_FETCH;
  if (!want_object(ld, obj) || !check_members(ld, obj, CASE_FIELDS))
    return false;

  const cJSON *v;
  if ((v = member(ld, obj, "id")) == NULL) return missing(ld, "id");
  if (!cJSON_IsString(v)) return wrong_type(ld, v, "a string");
  const char *id = v->valuestring;
  bool valid = id[0] != '\0';
  for (const char *p = id; *p != '\0'; p++)
    if (!is_id_char(*p)) valid = false;
  if (!valid) {
    char got[MAX_SHOWN * 4 + 8];
    describe_value(v, got, sizeof got);
    return report(ld, AT_VALUE, NULL,
                  "expected an id of a-z, 0-9, '.', '_' and '-', got %s", got);
  }
  size_t first;
  if (!id_set_add(ids, id, kase->index, &first))
    return report(ld, AT_VALUE, NULL,
                  "duplicate case id '%s' (also the id of cases[%zu])", id,
                  first);
  char *s;
  if (!want_string(ld, v, &s)) return false;
  kase->id = s;
  pop(ld);

  if ((v = member(ld, obj, "title")) == NULL) return missing(ld, "title");
  if (!want_string(ld, v, &s)) return false;
  kase->title = s;
  pop(ld);
  if ((v = member(ld, obj, "spec")) != NULL) {
    if (!want_array_of_strings(ld, v, &kase->spec, &kase->spec_count))
      return false;
    pop(ld);
  }
  if ((v = member(ld, obj, "tags")) != NULL) {
    if (!want_array_of_strings(ld, v, &kase->tags, &kase->tag_count))
      return false;
    pop(ld);
  }
  int e = CORSIM_PROFILE_FETCH;
  if (!enum_member(ld, obj, "browser", &PROFILES, &e, &kase->has_profile))
    return false;
  kase->profile = (enum corsim_profile)e;

  /* `steps`, or the one-step shorthand, never both. */
  static const char *const shorthand[] = {"at", "request", "responses",
                                          "expect"};
  const cJSON *steps = cJSON_GetObjectItemCaseSensitive(obj, "steps");
  const char *short_key = NULL;
  for (const cJSON *m = obj->child; m != NULL && short_key == NULL; m = m->next)
    for (size_t k = 0; k < 4; k++)
      if (strcmp(m->string, shorthand[k]) == 0) short_key = shorthand[k];
  if (steps != NULL && short_key != NULL) {
    push_key(ld, short_key, 0);
    return report(ld, AT_KEY, NULL,
                  "'%s' cannot be used together with 'steps'; put it in a step",
                  short_key);
  }
  if (steps == NULL) {
    if (short_key == NULL) return missing(ld, "steps");
    kase->steps = arena_array(ld, 1, sizeof *kase->steps);
    if (kase->steps == NULL) return false;
    if (!load_step(ld, obj, true, 0, false, &kase->steps[0])) return false;
    kase->step_count = 1;
    return true;
  }
  push_key(ld, "steps", 0);
  if (!want_array(ld, steps)) return false;
  size_t n = (size_t)cJSON_GetArraySize(steps);
  if (n == 0)
    return report(ld, AT_VALUE, NULL, "expected at least one step, got []");
  kase->steps = arena_array(ld, n, sizeof *kase->steps);
  if (kase->steps == NULL) return false;
  size_t i = 0;
  double at = 0;
  for (const cJSON *m = steps->child; m != NULL && i < n; m = m->next, i++) {
    push_index(ld, i);
    if (!load_step(ld, m, false, at, i > 0, &kase->steps[i])) return false;
    at = kase->steps[i].at;
    kase->step_count = i + 1;
    pop(ld);
  }
  pop(ld);
  return true;
}

/* ---- the file ------------------------------------------------------------- */

static const char *const TOP_FIELDS[] = {"format", "suite", "cases", NULL};

/* The default suite name: the base name without ".json". */
static char *default_suite(struct load *ld, const char *path) {
  if (path == NULL) return arena_strdup(ld, "memory");
  const char *base = strrchr(path, '/');
  base = base != NULL ? base + 1 : path;
  size_t n = strlen(base);
  if (n > 5 && strcmp(base + n - 5, ".json") == 0) n -= 5;
  return arena_strndup(ld, base, n);
}

static void load_cases(struct load *ld, const cJSON *cases) {
  size_t n = (size_t)cJSON_GetArraySize(cases);
  struct vector_file *file = ld->file;
  file->cases = arena_array(ld, n, sizeof *file->cases);
  if (n > 0 && file->cases == NULL) return;
  file->case_count = n;
  struct id_set ids = {NULL, NULL, 16};
  while (ids.size < n * 2) ids.size *= 2;
  ids.ids = calloc(ids.size, sizeof *ids.ids);
  ids.index = calloc(ids.size, sizeof *ids.index);
  if (ids.ids == NULL || ids.index == NULL) {
    ld->oom = true;
  } else {
    size_t i = 0;
    for (const cJSON *c = cases->child; c != NULL && i < n; c = c->next, i++) {
      struct vector_case *kase = &file->cases[i];
      kase->index = i;
      ld->depth = 1;
      push_index(ld, i);
      ld->kase = kase;
      if (!load_case(ld, c, &ids, kase) && kase->error == NULL && !ld->oom) {
        /* Every failure reports; this keeps `error` set if one did not. */
        report(ld, AT_VALUE, NULL, "cannot load this case");
      }
      ld->kase = NULL;
      if (ld->oom) break;
      if (kase->id == NULL) {
        /* A case whose id did not load is named by its path. */
        char name[32];
        snprintf(name, sizeof name, "cases[%zu]", i);
        kase->id = arena_strdup(ld, name);
      }
      if (kase->title == NULL) kase->title = arena_strdup(ld, "");
    }
  }
  free(ids.ids);
  free(ids.index);
  ld->depth = 0;
}

static void load_document(struct load *ld, const cJSON *root) {
  ld->depth = 0;
  if (!cJSON_IsObject(root)) {
    wrong_type(ld, root, "an object");
    return;
  }
  /* A stray top-level field is reported; the cases still load. */
  check_members(ld, root, TOP_FIELDS);
  ld->depth = 0;
  const cJSON *v;
  if ((v = member(ld, root, "format")) != NULL) {
    if (!cJSON_IsString(v) || strcmp(v->valuestring, FORMAT_NAME) != 0) {
      char got[MAX_SHOWN * 4 + 8];
      describe_value(v, got, sizeof got);
      report(ld, AT_VALUE, NULL, "expected '" FORMAT_NAME "', got %s", got);
      return;
    }
    pop(ld);
  }
  if ((v = member(ld, root, "suite")) != NULL) {
    char *suite;
    if (want_string(ld, v, &suite)) ld->file->suite = suite;
    pop(ld);
  }
  if ((v = member(ld, root, "cases")) == NULL) {
    missing(ld, "cases");
    return;
  }
  if (!want_array(ld, v)) return;
  load_cases(ld, v);
}

static char *dir_of(struct load *ld, const char *path) {
  const char *slash = strrchr(path, '/');
  if (slash == NULL) return arena_strdup(ld, "");
  if (slash == path) return arena_strdup(ld, "/");
  return arena_strndup(ld, path, (size_t)(slash - path));
}

/* Starts `out` with its arena; false when out of memory. */
static bool begin_file(const char *path, struct vector_file *out,
                       struct arena **arena) {
  memset(out, 0, sizeof *out);
  *arena = calloc(1, sizeof **arena);
  if (*arena == NULL) return false;
  out->arena_ = *arena;
  struct load ld;
  memset(&ld, 0, sizeof ld);
  ld.arena = *arena;
  out->path = arena_strdup(&ld, path != NULL ? path : "<memory>");
  out->suite = default_suite(&ld, path);
  if (ld.oom) {
    vector_file_release(out);
    return false;
  }
  return true;
}

int vector_load_memory(const char *path, const char *text, size_t len,
                       vector_diag_fn diag, void *diag_ctx,
                       struct vector_file *out) {
  struct arena *arena;
  if (!begin_file(path, out, &arena)) return -2;
  struct load ld;
  memset(&ld, 0, sizeof ld);
  ld.file = out;
  ld.arena = arena;
  ld.text = text != NULL ? text : "";
  ld.len = text != NULL ? len : 0;
  ld.shown_path = out->path;
  ld.dir = path != NULL ? dir_of(&ld, path) : NULL;
  ld.diag = diag;
  ld.diag_ctx = diag_ctx;

  if (ld.len > VECTOR_MAX_FILE_BYTES) {
    char line[PATH_MAX_MESSAGE];
    snprintf(line, sizeof line, "%s: file is larger than %u bytes", out->path,
             VECTOR_MAX_FILE_BYTES);
    report_file(out, arena, diag, diag_ctx, line, &ld.oom);
  } else {
    size_t at = 0;
    char message[256];
    bool blank = true;
    for (size_t i = 0; i < ld.len && blank; i++)
      if (!(ld.text[i] == ' ' || ld.text[i] == '\t' || ld.text[i] == '\n' ||
            ld.text[i] == '\r'))
        blank = false;
    if (blank) {
      report(&ld, AT_VALUE, NULL, "invalid JSON: the file is empty");
    } else if (!jsonloc_check(ld.text, ld.len, VECTOR_MAX_JSON_DEPTH, &at,
                              message, sizeof message)) {
      /* Syntax errors have a position but no JSON path. */
      int line, column;
      jsonloc_position(ld.text, ld.len, at, &ld.lines, &line, &column);
      char text_line[PATH_MAX_MESSAGE];
      snprintf(text_line, sizeof text_line, "%s:%d:%d: %s", out->path, line,
               column, message);
      report_file(out, arena, diag, diag_ctx, text_line, &ld.oom);
    } else {
      /* No parse end pointer: jsonloc_check has already placed any syntax
       * error exactly, where cJSON's end is one byte off after a bad key
       * and cannot tell the end of input from an error at the last byte.
       * It accepts RFC 8259 only, a subset of what cJSON reads, so a NULL
       * here means cJSON ran out of memory. */
      cJSON *root = cJSON_ParseWithLengthOpts(ld.text, ld.len, NULL, 0);
      if (root == NULL) {
        ld.oom = true;
      } else {
        load_document(&ld, root);
        cJSON_Delete(root);
      }
    }
  }
  if (ld.oom) {
    vector_file_release(out);
    return -2;
  }
  return out->diagnostic_count > 0 ? -1 : 0;
}

int vector_load_file(const char *path, vector_diag_fn diag, void *diag_ctx,
                     struct vector_file *out) {
  char err[PATH_MAX_MESSAGE];
  size_t len = 0;
  bool oom = false;
  char *data = read_whole(path, &len, err, sizeof err, &oom);
  if (data == NULL && oom) {
    memset(out, 0, sizeof *out);
    return -2;
  }
  if (data == NULL) {
    struct arena *arena;
    if (!begin_file(path, out, &arena)) return -2;
    report_file(out, arena, diag, diag_ctx, err, &oom);
    if (oom) {
      vector_file_release(out);
      return -2;
    }
    return -1;
  }
  int rc = vector_load_memory(path, data, len, diag, diag_ctx, out);
  free(data);
  return rc;
}

void vector_file_release(struct vector_file *file) {
  if (file == NULL) return;
  struct arena *arena = file->arena_;
  if (arena != NULL) {
    arena_free(arena);
    free(arena);
  }
  memset(file, 0, sizeof *file);
}
