/* check_main.c: the runner behind check.h: runs every registered test in a
 * forked child under alarm(), prints TAP and "N passed, N failed". */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#if defined(__SANITIZE_ADDRESS__)
/* _exit skips LeakSanitizer's exit hook: ask it for a check first */
void __lsan_do_leak_check(void);
#define CHECK_LEAKS() __lsan_do_leak_check()
#else
#define CHECK_LEAKS() ((void)0)
#endif

#define CHECK_MAX_TESTS 4096
#define CHECK_SECONDS 20

struct check_test {
  const char *name;
  check_fn fn;
};

static struct check_test tests[CHECK_MAX_TESTS];
static size_t test_count;

void check_register(const char *name, check_fn fn) {
  if (test_count < CHECK_MAX_TESTS) {
    tests[test_count].name = name;
    tests[test_count].fn = fn;
    test_count++;
  }
}

static int run_one(const struct check_test *t, int no_fork) {
  int failed = 0;
  if (no_fork) {
    t->fn(&failed);
    return failed;
  }
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    return 1;
  }
  if (pid == 0) {
    alarm(CHECK_SECONDS);
    t->fn(&failed);
    CHECK_LEAKS();
    fflush(stderr);
    _exit(failed ? 1 : 0);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return 1;
  if (WIFSIGNALED(status)) {
    fprintf(stderr, "  %s: killed by signal %d%s\n", t->name,
            WTERMSIG(status),
            WTERMSIG(status) == SIGALRM ? " (timed out)" : "");
    return 1;
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
  /* CHECK_NO_FORK=1 runs in-process, for valgrind and gdb. */
  const char *nf = getenv("CHECK_NO_FORK");
  int no_fork = nf != NULL && strcmp(nf, "1") == 0;
  const char *filter = argc > 1 ? argv[1] : NULL;
  size_t passed = 0, failed = 0, n = 0;
  for (size_t i = 0; i < test_count; i++)
    if (filter == NULL || strstr(tests[i].name, filter) != NULL) n++;
  printf("TAP version 14\n1..%zu\n", n);
  size_t k = 0;
  for (size_t i = 0; i < test_count; i++) {
    if (filter != NULL && strstr(tests[i].name, filter) == NULL) continue;
    k++;
    if (run_one(&tests[i], no_fork) == 0) {
      printf("ok %zu - %s\n", k, tests[i].name);
      passed++;
    } else {
      printf("not ok %zu - %s\n", k, tests[i].name);
      failed++;
    }
    fflush(stdout);
  }
  printf("# %zu passed, %zu failed\n", passed, failed);
  return failed ? 1 : 0;
}
