/* bench_stages.c: times the stages of a captured run one by one, in this
 * process, on the vector files named on the command line (directories are
 * walked for *.json): cJSON_Parse alone (the baseline), the vector loader,
 * run_case over every case (decide, compare, console message), and the
 * decision alone (corsim_browser_fetch over the loaded steps with a
 * trivial responder, no loading, no comparing).
 *
 *   bench_stages [-r ROUNDS] [-s STAGE] PATH...
 *
 * Files are read into memory first; every figure is CPU time of this
 * process (CLOCK_PROCESS_CPUTIME_ID, the best of ROUNDS, default 3), so a
 * busy machine slows it less than wall time would. -s runs one stage only
 * (parse, load, run, decide), for callgrind. Prints one line per stage:
 *   stage NAME seconds S steps N bytes B
 * and exits 1 when a decision disagrees with its expected outcome (the
 * suite is broken, and the figures would be meaningless). */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "../run.h"
#include "../vector.h"

struct input {
  char *path;
  char *text;
  size_t len;
};

struct inputs {
  struct input *items;
  size_t count, cap;
  size_t bytes;
};

static int add_file(struct inputs *in, const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "bench_stages: cannot open '%s': %s\n", path,
            strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(fileno(f), &st) != 0 || st.st_size < 0) {
    fclose(f);
    return -1;
  }
  size_t len = (size_t)st.st_size;
  char *text = malloc(len + 1);
  if (text == NULL || fread(text, 1, len, f) != len) {
    fprintf(stderr, "bench_stages: cannot read '%s'\n", path);
    free(text);
    fclose(f);
    return -1;
  }
  fclose(f);
  text[len] = '\0';
  if (in->count == in->cap) {
    size_t cap = in->cap ? in->cap * 2 : 64;
    struct input *n = realloc(in->items, cap * sizeof *n);
    if (n == NULL) {
      free(text);
      return -1;
    }
    in->items = n;
    in->cap = cap;
  }
  in->items[in->count].path = strdup(path);
  in->items[in->count].text = text;
  in->items[in->count].len = len;
  in->count++;
  in->bytes += len;
  return 0;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_path(struct inputs *in, const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "bench_stages: cannot open '%s': %s\n", path,
            strerror(errno));
    return -1;
  }
  if (!S_ISDIR(st.st_mode)) return add_file(in, path);
  DIR *d = opendir(path);
  if (d == NULL) return -1;
  char **names = NULL;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t l = strlen(e->d_name);
    if (e->d_name[0] == '.' || l < 6 || strcmp(e->d_name + l - 5, ".json") != 0)
      continue;
    char **bigger = realloc(names, (n + 1) * sizeof *names);
    if (bigger == NULL) break;
    names = bigger;
    size_t size = strlen(path) + l + 2;
    names[n] = malloc(size);
    if (names[n] == NULL) break;
    snprintf(names[n], size, "%s/%s", path, e->d_name);
    n++;
  }
  closedir(d);
  qsort(names, n, sizeof *names, cmp_str);
  int rc = 0;
  for (size_t i = 0; i < n; i++) {
    if (rc == 0) rc = add_file(in, names[i]);
    free(names[i]);
  }
  free(names);
  return rc;
}

static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the stages ------------------------------------------------------------ */

static size_t stage_parse(const struct inputs *in) {
  size_t nodes = 0;
  for (size_t i = 0; i < in->count; i++) {
    cJSON *root = cJSON_ParseWithLength(in->items[i].text, in->items[i].len);
    if (root != NULL) nodes++;
    cJSON_Delete(root);
  }
  return nodes;
}

static size_t count_steps(const struct vector_file *files, size_t n) {
  size_t steps = 0;
  for (size_t f = 0; f < n; f++)
    for (size_t c = 0; c < files[f].case_count; c++)
      steps += files[f].cases[c].step_count;
  return steps;
}

static int load_all(const struct inputs *in, struct vector_file *files) {
  for (size_t i = 0; i < in->count; i++)
    if (vector_load_memory(in->items[i].path, in->items[i].text,
                           in->items[i].len, NULL, NULL, &files[i]) != 0) {
      fprintf(stderr, "bench_stages: '%s' does not load cleanly\n",
              in->items[i].path);
      for (size_t k = 0; k <= i; k++) vector_file_release(&files[k]);
      return -1;
    }
  return 0;
}

static void release_all(struct vector_file *files, size_t n) {
  for (size_t i = 0; i < n; i++) vector_file_release(&files[i]);
}

/* run_case over every case; returns the cases that did not pass. */
static size_t stage_run(const struct vector_file *files, size_t n) {
  size_t bad = 0;
  for (size_t f = 0; f < n; f++)
    for (size_t c = 0; c < files[f].case_count; c++) {
      const struct vector_case *vc = &files[f].cases[c];
      struct run_case rc;
      if (run_case(&files[f], vc, vc->profile, NULL, &rc) != 0) {
        bad++;
        continue;
      }
      if (rc.result.status != RESULT_PASS) bad++;
      run_case_release(&rc);
    }
  return bad;
}

/* The trivial responder: the first entry whose method fits and whose URL
 * (as written, the step URL when none) equals the wire URL. */
static enum corsim_status answer(void *ctx, const struct corsim_wire_request *w,
                                 struct corsim_response *out,
                                 struct corsim_error *err) {
  const struct vector_step *s = ctx;
  (void)err;
  for (size_t i = 0; i < s->response_count; i++) {
    const struct vector_response *r = &s->responses[i];
    bool method_ok = r->method == NULL ? strcmp(w->method, "OPTIONS") != 0
                                       : strcasecmp(r->method, w->method) == 0;
    const char *url = r->url ? r->url : s->request.url;
    if (method_ok && strcmp(url, w->url) == 0) {
      out->status = r->status;
      out->headers.items = r->headers;
      out->headers.count = r->header_count;
      return CORSIM_OK;
    }
  }
  return CORSIM_NO_ANSWER;
}

/* corsim_browser_fetch over every step; returns the steps whose outcome
 * is not the expected one. */
static size_t stage_decide(const struct vector_file *files, size_t n) {
  size_t bad = 0;
  for (size_t f = 0; f < n; f++)
    for (size_t c = 0; c < files[f].case_count; c++) {
      const struct vector_case *vc = &files[f].cases[c];
      struct corsim_options o;
      memset(&o, 0, sizeof o);
      o.profile = vc->profile;
      struct corsim_browser *b = NULL;
      if (corsim_browser_new(&o, &b, NULL) != CORSIM_OK) return (size_t)-1;
      for (size_t s = 0; s < vc->step_count; s++) {
        const struct vector_step *st = &vc->steps[s];
        struct corsim_decision d;
        if (corsim_browser_fetch(b, st->at, &st->request, answer,
                                 (void *)(uintptr_t)st, &d,
                                 NULL) != CORSIM_OK) {
          bad++;
          continue;
        }
        if ((st->expect.fields & VECTOR_EXPECT_OUTCOME) &&
            d.outcome != st->expect.outcome)
          bad++;
        corsim_decision_release(&d);
      }
      corsim_browser_free(b);
    }
  return bad;
}

int main(int argc, char **argv) {
  int rounds = 3;
  const char *only = NULL;
  struct inputs in = {NULL, 0, 0, 0};
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-r") == 0 && i + 1 < argc) {
      rounds = atoi(argv[++i]);
    } else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
      only = argv[++i];
    } else if (add_path(&in, argv[i]) != 0) {
      return 2;
    }
  }
  if (in.count == 0 || rounds < 1) {
    fprintf(stderr, "usage: bench_stages [-r ROUNDS] [-s STAGE] PATH...\n");
    return 2;
  }
  struct vector_file *files = calloc(in.count, sizeof *files);
  if (files == NULL || load_all(&in, files) != 0) return 2;
  size_t steps = count_steps(files, in.count);
  int status = 0;
  static const char *const stages[] = {"parse", "load", "run", "decide"};
  for (size_t k = 0; k < 4; k++) {
    if (only != NULL && strcmp(only, stages[k]) != 0) continue;
    double best = -1;
    size_t bad = 0;
    for (int r = 0; r < rounds; r++) {
      double t0 = cpu_now();
      if (k == 0) {
        stage_parse(&in);
      } else if (k == 1) {
        struct vector_file *again = calloc(in.count, sizeof *again);
        if (again == NULL || load_all(&in, again) != 0) return 2;
        release_all(again, in.count);
        free(again);
      } else if (k == 2) {
        bad = stage_run(files, in.count);
      } else {
        bad = stage_decide(files, in.count);
      }
      double t = cpu_now() - t0;
      if (best < 0 || t < best) best = t;
    }
    if (bad != 0) {
      fprintf(stderr, "bench_stages: %zu cases or steps did not give the "
                      "expected result in stage %s\n", bad, stages[k]);
      status = 1;
    }
    printf("stage %s seconds %.6f steps %zu bytes %zu\n", stages[k], best,
           steps, in.bytes);
  }
  release_all(files, in.count);
  free(files);
  for (size_t i = 0; i < in.count; i++) {
    free(in.items[i].path);
    free(in.items[i].text);
  }
  free(in.items);
  return status;
}
