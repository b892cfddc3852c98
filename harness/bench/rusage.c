/* rusage.c: runs a command and reports the CPU time and the peak resident
 * set size it used (getrusage(RUSAGE_CHILDREN) after its one child ends),
 * for bench.sh:
 *
 *   rusage [-o FILE] COMMAND [ARG...]
 *
 * The command's own output is left alone; the one line
 *   rusage user U sys S maxrss_kb K exit E
 * goes to FILE (default standard error). Exits with the command's code. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  const char *out = NULL;
  int first = 1;
  if (argc > 2 && strcmp(argv[1], "-o") == 0) {
    out = argv[2];
    first = 3;
  }
  if (first >= argc) {
    fprintf(stderr, "usage: rusage [-o FILE] COMMAND [ARG...]\n");
    return 2;
  }
  pid_t pid = fork();
  if (pid < 0) {
    perror("rusage: fork");
    return 2;
  }
  if (pid == 0) {
    execvp(argv[first], argv + first);
    fprintf(stderr, "rusage: cannot run '%s': %s\n", argv[first],
            strerror(errno));
    _exit(127);
  }
  int status = 0;
  struct rusage ru;
  memset(&ru, 0, sizeof ru);
  if (waitpid(pid, &status, 0) < 0 || getrusage(RUSAGE_CHILDREN, &ru) != 0) {
    perror("rusage: waitpid");
    return 2;
  }
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  FILE *f = out ? fopen(out, "w") : stderr;
  if (f == NULL) f = stderr;
  fprintf(f, "rusage user %.6f sys %.6f maxrss_kb %ld exit %d\n",
          (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
          (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6,
          ru.ru_maxrss, code);
  if (f != stderr) fclose(f);
  return code;
}
