/* header_list.c: header lists as the Fetch Standard handles them: append,
 * delete, get (values combined with ", "), extract header list values for
 * comma lists of tokens, and the sorted lower-case set of names. */
#include <string.h>

#include "sim.h"

void sim_header_list_init(struct sim_header_list *l, struct sim_arena *arena) {
  l->arena = arena;
  l->items = NULL;
  l->count = 0;
  l->cap = 0;
}

bool sim_header_list_append(struct sim_header_list *l, const char *name,
                            size_t name_len, const char *value,
                            size_t value_len) {
  if (l->count == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 8;
    struct corsim_header *n = sim_arena_alloc(l->arena, cap * sizeof *n);
    if (n == NULL) return false;
    if (l->count) memcpy(n, l->items, l->count * sizeof *n);
    l->items = n;
    l->cap = cap;
  }
  char *nm = sim_arena_strndup(l->arena, name, name_len);
  char *v = sim_arena_strndup(l->arena, value, value_len);
  if (nm == NULL || v == NULL) return false;
  l->items[l->count].name = nm;
  l->items[l->count].name_len = name_len;
  l->items[l->count].value = v;
  l->items[l->count].value_len = value_len;
  l->count++;
  return true;
}

bool sim_header_list_append_z(struct sim_header_list *l, const char *name,
                              const char *value) {
  return sim_header_list_append(l, name, strlen(name), value, strlen(value));
}

bool sim_header_list_contains(const struct corsim_header_list *l,
                              const char *name) {
  for (size_t i = 0; i < l->count; i++)
    if (sim_ascii_eq_nocase_z(l->items[i].name, l->items[i].name_len, name))
      return true;
  return false;
}

size_t sim_header_list_count_name(const struct corsim_header_list *l,
                                  const char *name) {
  size_t n = 0;
  for (size_t i = 0; i < l->count; i++)
    if (sim_ascii_eq_nocase_z(l->items[i].name, l->items[i].name_len, name))
      n++;
  return n;
}

void sim_header_list_delete(struct sim_header_list *l, const char *name) {
  size_t k = 0;
  for (size_t i = 0; i < l->count; i++)
    if (!sim_ascii_eq_nocase_z(l->items[i].name, l->items[i].name_len, name))
      l->items[k++] = l->items[i];
  l->count = k;
}

struct corsim_header_list sim_header_list_view(
    const struct sim_header_list *l) {
  struct corsim_header_list v = {l->items, l->count};
  return v;
}

/* fetch#concept-header-list-get */
char *sim_header_list_get(struct sim_arena *arena,
                          const struct corsim_header_list *l,
                          const char *name) {
  struct sim_buf b;
  bool found = false;
  sim_buf_init(&b, arena);
  for (size_t i = 0; i < l->count; i++) {
    if (!sim_ascii_eq_nocase_z(l->items[i].name, l->items[i].name_len, name))
      continue;
    if (found) sim_buf_append(&b, ", ", 2);
    sim_buf_append(&b, l->items[i].value, l->items[i].value_len);
    found = true;
  }
  if (!found) return NULL;
  return sim_buf_cstr(&b);
}

bool sim_string_list_append(struct sim_arena *arena,
                            struct sim_string_list *list, const char *s,
                            size_t len) {
  if (list->count == list->cap) {
    size_t cap = list->cap ? list->cap * 2 : 8;
    char **n = sim_arena_alloc(arena, cap * sizeof *n);
    if (n == NULL) return false;
    if (list->count) memcpy(n, list->items, list->count * sizeof *n);
    list->items = n;
    list->cap = cap;
  }
  char *c = sim_arena_strndup(arena, s, len);
  if (c == NULL) return false;
  list->items[list->count++] = c;
  return true;
}

/* fetch#extract-header-list-values for `#token` headers
 * (Access-Control-Allow-Methods, -Allow-Headers, -Expose-Headers). */
enum sim_extract_result sim_extract_token_list(
    struct sim_arena *arena, const struct corsim_header_list *l,
    const char *name, struct sim_string_list *out, char **bad_element) {
  /* 1. no header of that name: null. */
  if (!sim_header_list_contains(l, name)) return SIM_EXTRACT_NULL;
  /* 2-4. parse every header of that name; one bad element fails all. */
  for (size_t i = 0; i < l->count; i++) {
    const struct corsim_header *h = &l->items[i];
    if (!sim_ascii_eq_nocase_z(h->name, h->name_len, name)) continue;
    size_t p = 0;
    while (p <= h->value_len) {
      size_t e = p;
      while (e < h->value_len && h->value[e] != ',') e++;
      size_t a = p, z = e;
      while (a < z && sim_is_http_tab_or_space(h->value[a])) a++;
      while (z > a && sim_is_http_tab_or_space(h->value[z - 1])) z--;
      if (z > a) {
        if (!sim_is_token(h->value + a, z - a)) {
          if (bad_element != NULL)
            *bad_element = sim_arena_strndup(arena, h->value + a, z - a);
          return SIM_EXTRACT_FAILURE;
        }
        if (!sim_string_list_append(arena, out, h->value + a, z - a))
          return SIM_EXTRACT_FAILURE;
      }
      p = e + 1;
    }
  }
  return SIM_EXTRACT_LIST;
}

static int byte_cmp(const char *a, const char *b) {
  return strcmp(a, b);
}

/* fetch#convert-header-names-to-a-sorted-lowercase-set */
bool sim_sorted_lowercase_set(struct sim_arena *arena,
                              struct sim_string_list *names) {
  (void)arena;
  for (size_t i = 0; i < names->count; i++)
    for (char *p = names->items[i]; *p; p++) *p = sim_ascii_lower(*p);
  /* insertion sort: header lists are short */
  for (size_t i = 1; i < names->count; i++) {
    char *v = names->items[i];
    size_t j = i;
    while (j > 0 && byte_cmp(names->items[j - 1], v) > 0) {
      names->items[j] = names->items[j - 1];
      j--;
    }
    names->items[j] = v;
  }
  size_t k = 0;
  for (size_t i = 0; i < names->count; i++)
    if (k == 0 || strcmp(names->items[k - 1], names->items[i]) != 0)
      names->items[k++] = names->items[i];
  names->count = k;
  return true;
}
