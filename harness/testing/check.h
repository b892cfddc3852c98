/* check.h: the tiny unit-test runner used by every tests/ folder: TEST()
 * registers a test, ASSERT_* print file:line, the expression and both
 * values, and the runner forks each test with an alarm so a crash or a
 * hang fails one test, not the run. Output is TAP; the last line is
 * "N passed, N failed". A test file list is made by TEST() itself through
 * a constructor, so a test program is its test files plus check_main.c. */
#ifndef CORSIM_CHECK_H
#define CORSIM_CHECK_H

#include <stdio.h>
#include <string.h>

typedef void (*check_fn)(int *failed);

void check_register(const char *name, check_fn fn);

#define TEST(name)                                                     \
  static void test_##name(int *check_failed_);                         \
  __attribute__((constructor)) static void register_##name(void) {     \
    check_register(#name, test_##name);                                \
  }                                                                    \
  static void test_##name(int *check_failed_)

#define CHECK_FAIL_(...)                                               \
  do {                                                                 \
    fprintf(stderr, "  %s:%d: ", __FILE__, __LINE__);                  \
    fprintf(stderr, __VA_ARGS__);                                      \
    fputc('\n', stderr);                                               \
    *check_failed_ = 1;                                                \
    return;                                                            \
  } while (0)

#define ASSERT_TRUE(e)                                                 \
  do {                                                                 \
    if (!(e)) CHECK_FAIL_("ASSERT_TRUE(%s)", #e);                      \
  } while (0)

#define ASSERT_FALSE(e)                                                \
  do {                                                                 \
    if (e) CHECK_FAIL_("ASSERT_FALSE(%s)", #e);                        \
  } while (0)

#define ASSERT_EQ_INT(a, b)                                            \
  do {                                                                 \
    long long check_a_ = (long long)(a), check_b_ = (long long)(b);    \
    if (check_a_ != check_b_)                                          \
      CHECK_FAIL_("ASSERT_EQ_INT(%s, %s): %lld != %lld", #a, #b,       \
                  check_a_, check_b_);                                 \
  } while (0)

#define ASSERT_STR_EQ(a, b)                                            \
  do {                                                                 \
    const char *check_a_ = (a), *check_b_ = (b);                       \
    if (check_a_ == NULL || check_b_ == NULL                           \
            ? check_a_ != check_b_                                     \
            : strcmp(check_a_, check_b_) != 0)                         \
      CHECK_FAIL_("ASSERT_STR_EQ(%s, %s): \"%s\" != \"%s\"", #a, #b,   \
                  check_a_ ? check_a_ : "(null)",                      \
                  check_b_ ? check_b_ : "(null)");                     \
  } while (0)

#define ASSERT_MEM_EQ(a, b, n)                                         \
  do {                                                                 \
    if (memcmp((a), (b), (n)) != 0)                                    \
      CHECK_FAIL_("ASSERT_MEM_EQ(%s, %s, %s)", #a, #b, #n);            \
  } while (0)

#define ASSERT_NULL(p)                                                 \
  do {                                                                 \
    const void *check_p_ = (const void *)(p);                          \
    if (check_p_ != NULL) CHECK_FAIL_("ASSERT_NULL(%s)", #p);          \
  } while (0)

#define ASSERT_NOT_NULL(p)                                             \
  do {                                                                 \
    if ((p) == NULL) CHECK_FAIL_("ASSERT_NOT_NULL(%s)", #p);           \
  } while (0)

#endif /* CORSIM_CHECK_H */
