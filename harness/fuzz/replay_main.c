/* replay_main.c: runs a fuzz target's LLVMFuzzerTestOneInput once on each
 * file named on the command line (directories are walked), without
 * libFuzzer, so that a gcc + ASan build replays the seed corpus and every
 * saved crash input (after cJSON's fuzzing/fuzz_main.c).
 *
 * Each input is copied into a buffer of exactly its size, as libFuzzer
 * does, so ASan sees a read one byte past the end. The name of each input
 * goes to stdout before it runs, so the last name printed is the one that
 * crashed. Exit 0 when every input ran, 1 when a file could not be read
 * (a crash aborts the process instead). */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#define MAX_INPUT_BYTES (16u * 1024u * 1024u)
#define MAX_DEPTH 16

struct replay {
  size_t inputs;
  size_t errors;
};

static void replay_file(struct replay *r, const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "replay: cannot open '%s': %s\n", path, strerror(errno));
    r->errors++;
    return;
  }
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  while (buf != NULL) {
    if (len == cap) {
      if (cap >= MAX_INPUT_BYTES) break;
      char *bigger = realloc(buf, cap * 2);
      if (bigger == NULL) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = bigger;
      cap *= 2;
    }
    size_t got = fread(buf + len, 1, cap - len, f);
    len += got;
    if (got == 0) break;
  }
  bool failed = buf == NULL || ferror(f);
  fclose(f);
  if (failed) {
    fprintf(stderr, "replay: cannot read '%s'\n", path);
    free(buf);
    r->errors++;
    return;
  }
  /* Exactly `len` bytes, so that an over-read is caught. */
  uint8_t *exact = malloc(len ? len : 1);
  if (exact == NULL) {
    fprintf(stderr, "replay: out of memory reading '%s'\n", path);
    free(buf);
    r->errors++;
    return;
  }
  if (len > 0) memcpy(exact, buf, len);
  free(buf);
  printf("%s\n", path);
  fflush(stdout);
  LLVMFuzzerTestOneInput(exact, len);
  free(exact);
  r->inputs++;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void replay_path(struct replay *r, const char *path, int depth) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "replay: cannot open '%s': %s\n", path, strerror(errno));
    r->errors++;
    return;
  }
  if (!S_ISDIR(st.st_mode)) {
    replay_file(r, path);
    return;
  }
  if (depth >= MAX_DEPTH) return;
  DIR *d = opendir(path);
  if (d == NULL) {
    fprintf(stderr, "replay: cannot read directory '%s': %s\n", path,
            strerror(errno));
    r->errors++;
    return;
  }
  /* In name order, so that runs are the same everywhere. */
  char **names = NULL;
  size_t count = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    if (count == cap) {
      size_t ncap = cap ? cap * 2 : 64;
      char **n = realloc(names, ncap * sizeof *n);
      if (n == NULL) break;
      names = n;
      cap = ncap;
    }
    size_t len = strlen(path) + strlen(e->d_name) + 2;
    names[count] = malloc(len);
    if (names[count] == NULL) break;
    snprintf(names[count], len, "%s/%s", path, e->d_name);
    count++;
  }
  closedir(d);
  if (count > 1) qsort(names, count, sizeof *names, cmp_names);
  for (size_t i = 0; i < count; i++) {
    replay_path(r, names[i], depth + 1);
    free(names[i]);
  }
  free(names);
}

int main(int argc, char **argv) {
  struct replay r = {0, 0};
  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
    return 2;
  }
  for (int i = 1; i < argc; i++) replay_path(&r, argv[i], 0);
  fprintf(stderr, "replay: %zu input(s) ran, %zu could not be read\n",
          r.inputs, r.errors);
  return r.errors ? 1 : 0;
}
