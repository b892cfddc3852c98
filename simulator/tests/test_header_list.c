/* test_header_list.c: unit tests of header lists (header_list.c): append,
 * get and combine, delete, extract header list values for token lists, and
 * the sorted lower-case set of names. */
#include <string.h>

#include "../../harness/testing/check.h"
#include "fixture.h"

TEST(header_list_get_combines_values_in_order) {
  struct sim_arena a;
  sim_arena_init(&a, sim_default_allocator());
  struct sim_header_list l;
  sim_header_list_init(&l, &a);
  ASSERT_TRUE(sim_header_list_append_z(&l, "Vary", "Origin"));
  ASSERT_TRUE(sim_header_list_append_z(&l, "X-A", "1"));
  ASSERT_TRUE(sim_header_list_append_z(&l, "vary", "Accept"));
  ASSERT_TRUE(sim_header_list_append_z(&l, "VARY", ""));
  struct corsim_header_list v = sim_header_list_view(&l);
  ASSERT_EQ_INT(v.count, 4);
  ASSERT_STR_EQ(sim_header_list_get(&a, &v, "Vary"), "Origin, Accept, ");
  ASSERT_STR_EQ(sim_header_list_get(&a, &v, "x-a"), "1");
  ASSERT_NULL(sim_header_list_get(&a, &v, "X-B"));
  sim_arena_release(&a);
}

TEST(header_list_get_of_an_empty_value_is_empty_not_null) {
  struct sim_arena a;
  sim_arena_init(&a, sim_default_allocator());
  struct corsim_header h[] = {FX_H("X-Empty", "")};
  struct corsim_header_list v = FX_LIST(h);
  char *got = sim_header_list_get(&a, &v, "x-empty");
  ASSERT_NOT_NULL(got);
  ASSERT_STR_EQ(got, "");
  sim_arena_release(&a);
}

TEST(header_list_contains_and_count_are_case_insensitive) {
  struct corsim_header h[] = {FX_H("Access-Control-Allow-Origin", "a"),
                              FX_H("access-control-allow-origin", "b"),
                              FX_H("X", "c")};
  struct corsim_header_list v = FX_LIST(h);
  ASSERT_TRUE(sim_header_list_contains(&v, "ACCESS-CONTROL-ALLOW-ORIGIN"));
  ASSERT_FALSE(sim_header_list_contains(&v, "Access-Control-Allow-Origi"));
  ASSERT_EQ_INT(sim_header_list_count_name(&v, "access-control-allow-origin"),
                2);
  ASSERT_EQ_INT(sim_header_list_count_name(&v, "x"), 1);
  ASSERT_EQ_INT(sim_header_list_count_name(&v, "y"), 0);
}

TEST(header_list_names_are_compared_by_length_too) {
  /* header names carry a length and need not be NUL-terminated */
  const char buf[] = "X-AB";
  struct corsim_header h[] = {{buf, 3, "v", 1}};
  struct corsim_header_list v = FX_LIST(h);
  ASSERT_TRUE(sim_header_list_contains(&v, "x-a"));
  ASSERT_FALSE(sim_header_list_contains(&v, "x-ab"));
}

TEST(header_list_delete_removes_every_line_and_keeps_order) {
  struct sim_arena a;
  sim_arena_init(&a, sim_default_allocator());
  struct sim_header_list l;
  sim_header_list_init(&l, &a);
  sim_header_list_append_z(&l, "A", "1");
  sim_header_list_append_z(&l, "Content-Type", "x");
  sim_header_list_append_z(&l, "B", "2");
  sim_header_list_append_z(&l, "content-type", "y");
  sim_header_list_append_z(&l, "C", "3");
  sim_header_list_delete(&l, "CONTENT-TYPE");
  ASSERT_EQ_INT(l.count, 3);
  ASSERT_STR_EQ(l.items[0].name, "A");
  ASSERT_STR_EQ(l.items[1].name, "B");
  ASSERT_STR_EQ(l.items[2].name, "C");
  sim_header_list_delete(&l, "absent");
  ASSERT_EQ_INT(l.count, 3);
  sim_arena_release(&a);
}

TEST(header_list_append_grows_and_copies) {
  struct sim_arena a;
  sim_arena_init(&a, sim_default_allocator());
  struct sim_header_list l;
  sim_header_list_init(&l, &a);
  char name[8];
  for (int i = 0; i < 40; i++) {
    name[0] = 'h';
    name[1] = (char)('A' + i % 26);
    name[2] = (char)('0' + i / 26);
    name[3] = '\0';
    ASSERT_TRUE(sim_header_list_append(&l, name, 3, "value", 3));
  }
  name[0] = 'Z'; /* the list owns copies */
  ASSERT_EQ_INT(l.count, 40);
  ASSERT_STR_EQ(l.items[0].name, "hA0");
  ASSERT_STR_EQ(l.items[39].name, "hN1");
  ASSERT_STR_EQ(l.items[39].value, "val");
  ASSERT_EQ_INT(l.items[39].value_len, 3);
  sim_arena_release(&a);
}

/* ---- extract header list values (token lists) -----------------------------
 */

static enum sim_extract_result extract(struct sim_arena *a,
                                       const struct corsim_header_list *v,
                                       struct sim_string_list *out,
                                       char **bad) {
  memset(out, 0, sizeof *out);
  *bad = NULL;
  return sim_extract_token_list(a, v, "Access-Control-Allow-Methods", out, bad);
}

TEST(header_list_extract_absent_is_null) {
  struct sim_arena a;
  sim_arena_init(&a, sim_default_allocator());
  struct corsim_header h[] = {FX_H("X", "GET")};
  struct corsim_header_list v = FX_LIST(h);
  struct sim_string_list out;
  char *bad;
  ASSERT_EQ_INT(extract(&a, &v, &out, &bad), SIM_EXTRACT_NULL);
  ASSERT_EQ_INT(out.count, 0);
  sim_arena_release(&a);
}

TEST(header_list_extract_trims_ows_and_skips_empty_elements) {
  struct sim_arena a;
  sim_arena_init(&a, sim_default_allocator());
  struct corsim_header h[] = {
      FX_H("access-control-allow-methods", " \tGET\t, ,PUT  ,,"),
      FX_H("X", "ignored"),
      FX_H("Access-Control-Allow-Methods", ",delete"),
  };
  struct corsim_header_list v = FX_LIST(h);
  struct sim_string_list out;
  char *bad;
  ASSERT_EQ_INT(extract(&a, &v, &out, &bad), SIM_EXTRACT_LIST);
  ASSERT_EQ_INT(out.count, 3);
  ASSERT_STR_EQ(out.items[0], "GET");
  ASSERT_STR_EQ(out.items[1], "PUT");
  ASSERT_STR_EQ(out.items[2], "delete"); /* case is kept */
  ASSERT_NULL(bad);
  sim_arena_release(&a);
}

TEST(header_list_extract_empty_values_give_an_empty_list) {
  struct sim_arena a;
  sim_arena_init(&a, sim_default_allocator());
  struct corsim_header h[] = {FX_H("Access-Control-Allow-Methods", ""),
                              FX_H("Access-Control-Allow-Methods", " , ,")};
  struct corsim_header_list v = FX_LIST(h);
  struct sim_string_list out;
  char *bad;
  ASSERT_EQ_INT(extract(&a, &v, &out, &bad), SIM_EXTRACT_LIST);
  ASSERT_EQ_INT(out.count, 0);
  sim_arena_release(&a);
}

TEST(header_list_extract_a_non_token_element_fails_the_list) {
  struct sim_arena a;
  sim_arena_init(&a, sim_default_allocator());
  struct corsim_header h[] = {
      FX_H("Access-Control-Allow-Methods", "GET"),
      FX_H("Access-Control-Allow-Methods", "PUT, P(T, POST")};
  struct corsim_header_list v = FX_LIST(h);
  struct sim_string_list out;
  char *bad;
  ASSERT_EQ_INT(extract(&a, &v, &out, &bad), SIM_EXTRACT_FAILURE);
  ASSERT_STR_EQ(bad, "P(T");
  sim_arena_release(&a);
}

TEST(header_list_extract_inner_space_is_not_a_token) {
  struct sim_arena a;
  sim_arena_init(&a, sim_default_allocator());
  struct corsim_header h[] = {
      FX_H("Access-Control-Allow-Methods", "GET,  PUT DELETE ")};
  struct corsim_header_list v = FX_LIST(h);
  struct sim_string_list out;
  char *bad;
  ASSERT_EQ_INT(extract(&a, &v, &out, &bad), SIM_EXTRACT_FAILURE);
  ASSERT_STR_EQ(bad, "PUT DELETE");
  /* a NULL bad_element is allowed */
  memset(&out, 0, sizeof out);
  ASSERT_EQ_INT(sim_extract_token_list(&a, &v, "access-control-allow-methods",
                                       &out, NULL),
                SIM_EXTRACT_FAILURE);
  sim_arena_release(&a);
}

TEST(header_list_extract_star_and_token_punctuation) {
  struct sim_arena a;
  sim_arena_init(&a, sim_default_allocator());
  struct corsim_header h[] = {
      FX_H("Access-Control-Allow-Methods", "*, X-!#$%&'*+-.^_`|~9")};
  struct corsim_header_list v = FX_LIST(h);
  struct sim_string_list out;
  char *bad;
  ASSERT_EQ_INT(extract(&a, &v, &out, &bad), SIM_EXTRACT_LIST);
  ASSERT_EQ_INT(out.count, 2);
  ASSERT_STR_EQ(out.items[0], "*");
  ASSERT_STR_EQ(out.items[1], "X-!#$%&'*+-.^_`|~9");
  sim_arena_release(&a);
}

/* ---- sorted lower-case set --------------------------------------------------
 */

TEST(header_list_sorted_lowercase_set) {
  struct sim_arena a;
  sim_arena_init(&a, sim_default_allocator());
  struct sim_string_list l = {NULL, 0, 0};
  const char *in[] = {"X-B", "x-a", "X-A", "Content-Type", "x_c", "x1", "x-"};
  for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
    ASSERT_TRUE(sim_string_list_append(&a, &l, in[i], strlen(in[i])));
  ASSERT_TRUE(sim_sorted_lowercase_set(&a, &l));
  /* byte order: '-' 0x2d < '1' 0x31 < '_' 0x5f */
  const char *want[] = {"content-type", "x-", "x-a", "x-b", "x1", "x_c"};
  ASSERT_EQ_INT(l.count, 6);
  for (size_t i = 0; i < 6; i++) ASSERT_STR_EQ(l.items[i], want[i]);
  sim_arena_release(&a);
}

TEST(header_list_sorted_lowercase_set_of_nothing) {
  struct sim_arena a;
  sim_arena_init(&a, sim_default_allocator());
  struct sim_string_list l = {NULL, 0, 0};
  ASSERT_TRUE(sim_sorted_lowercase_set(&a, &l));
  ASSERT_EQ_INT(l.count, 0);
  ASSERT_TRUE(sim_string_list_append(&a, &l, "A", 1));
  ASSERT_TRUE(sim_string_list_append(&a, &l, "a", 1));
  ASSERT_TRUE(sim_sorted_lowercase_set(&a, &l));
  ASSERT_EQ_INT(l.count, 1);
  ASSERT_STR_EQ(l.items[0], "a");
  sim_arena_release(&a);
}

/* ---- the arena under the lists ----------------------------------------------
 */

TEST(arena_alignment_big_blocks_and_strings) {
  struct sim_arena a;
  sim_arena_init(&a, sim_default_allocator());
  for (size_t n = 1; n < 64; n += 7) {
    unsigned char *p = sim_arena_alloc(&a, n);
    ASSERT_NOT_NULL(p);
    ASSERT_EQ_INT((size_t)p % 16, 0);
  }
  char *big = sim_arena_alloc(&a, 100000);
  ASSERT_NOT_NULL(big);
  memset(big, 'x', 100000);
  char *small = sim_arena_strndup(&a, "abcdef", 3);
  ASSERT_STR_EQ(small, "abc");
  ASSERT_STR_EQ(sim_arena_printf(&a, "%s-%d", "n", 42), "n-42");
  ASSERT_STR_EQ(sim_arena_strdup(&a, ""), "");
  ASSERT_FALSE(a.failed);
  ASSERT_NULL(sim_arena_alloc(&a, (size_t)-1));
  ASSERT_TRUE(a.failed);
  sim_arena_release(&a);
  ASSERT_NULL(a.chunks);
}

TEST(arena_buf_grows) {
  struct sim_arena a;
  sim_arena_init(&a, sim_default_allocator());
  struct sim_buf b;
  sim_buf_init(&b, &a);
  ASSERT_STR_EQ(sim_buf_cstr(&b), "");
  for (int i = 0; i < 1000; i++) ASSERT_TRUE(sim_buf_append_char(&b, 'a'));
  ASSERT_TRUE(sim_buf_append_str(&b, "end"));
  ASSERT_EQ_INT(b.len, 1003);
  ASSERT_EQ_INT(strlen(sim_buf_cstr(&b)), 1003);
  ASSERT_STR_EQ(sim_buf_cstr(&b) + 1000, "end");
  sim_arena_release(&a);
}

TEST(bytes_classes) {
  ASSERT_TRUE(sim_ascii_eq_nocase("ABC", 3, "abc", 3));
  ASSERT_FALSE(sim_ascii_eq_nocase("ABC", 3, "abcd", 4));
  /* only ASCII letters fold */
  ASSERT_FALSE(sim_ascii_eq_nocase("\xc3\x89", 2, "\xc3\xa9", 2));
  ASSERT_EQ_INT(sim_ascii_lower('Z'), 'z');
  ASSERT_EQ_INT(sim_ascii_lower('['), '[');
  ASSERT_TRUE(sim_is_http_whitespace('\r'));
  ASSERT_TRUE(sim_is_http_whitespace('\n'));
  ASSERT_FALSE(sim_is_http_whitespace('\v'));
  ASSERT_FALSE(sim_is_http_tab_or_space('\n'));
  ASSERT_TRUE(sim_is_token("X-Custom_1", 10));
  ASSERT_FALSE(sim_is_token("", 0));
  ASSERT_FALSE(sim_is_token("a:b", 3));
  ASSERT_FALSE(sim_is_token("a\0b", 3));
  ASSERT_FALSE(sim_is_token("\xc3\xa9", 2));
  ASSERT_FALSE(sim_is_token_char('"'));
  ASSERT_FALSE(sim_is_token_char(','));
  ASSERT_FALSE(sim_is_token_char('@'));
}
