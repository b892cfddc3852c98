/* bench_http.c: MB/s of captured HTTP answers through http_response_parse
 * against llhttp alone (llhttp_execute with no callbacks, then
 * llhttp_finish, one fresh parser per answer) on the same bytes.
 *
 *   bench_http [-t SECONDS] FILE|DIR...
 *
 * DIRs are walked for *.http. Every file must parse with
 * http_response_parse (else the figure would time error paths). Each side
 * loops over all answers until SECONDS of CPU time (default 0.5) have
 * passed; prints
 *   http NAME seconds S bytes B mbps M
 * for "llhttp" and "http_response". */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../http_response.h"
#include "llhttp.h"

struct answers {
  char **data;
  size_t *len;
  size_t count;
  size_t bytes;
};

static int add_file(struct answers *a, const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return -1;
  struct stat st;
  if (fstat(fileno(f), &st) != 0 || st.st_size < 0) {
    fclose(f);
    return -1;
  }
  size_t len = (size_t)st.st_size;
  char *buf = malloc(len ? len : 1);
  char **d = realloc(a->data, (a->count + 1) * sizeof *d);
  if (d != NULL) a->data = d;
  size_t *l = realloc(a->len, (a->count + 1) * sizeof *l);
  if (l != NULL) a->len = l;
  if (buf == NULL || d == NULL || l == NULL || fread(buf, 1, len, f) != len) {
    free(buf);
    fclose(f);
    return -1;
  }
  fclose(f);
  struct http_response r;
  char err[256];
  if (http_response_parse(buf, len, 0, NULL, &r, err, sizeof err) != 0) {
    fprintf(stderr, "bench_http: skipping '%s': %s\n", path, err);
    free(buf);
    return 0;
  }
  http_response_release(&r);
  a->data[a->count] = buf;
  a->len[a->count] = len;
  a->count++;
  a->bytes += len;
  return 0;
}

static int add_path(struct answers *a, const char *path, int depth) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "bench_http: cannot open '%s': %s\n", path,
            strerror(errno));
    return -1;
  }
  if (!S_ISDIR(st.st_mode)) return add_file(a, path);
  if (depth > 8) return 0;
  DIR *d = opendir(path);
  if (d == NULL) return -1;
  struct dirent *e;
  int rc = 0;
  while (rc == 0 && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    size_t size = strlen(path) + strlen(e->d_name) + 2;
    char *full = malloc(size);
    if (full == NULL) break;
    snprintf(full, size, "%s/%s", path, e->d_name);
    size_t l = strlen(full);
    struct stat es;
    if (stat(full, &es) == 0 && S_ISDIR(es.st_mode))
      rc = add_path(a, full, depth + 1);
    else if (l > 5 && strcmp(full + l - 5, ".http") == 0)
      rc = add_file(a, full);
    free(full);
  }
  closedir(d);
  return rc;
}

static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void run_llhttp(const struct answers *a) {
  llhttp_settings_t settings;
  llhttp_settings_init(&settings);
  for (size_t i = 0; i < a->count; i++) {
    llhttp_t p;
    llhttp_init(&p, HTTP_RESPONSE, &settings);
    llhttp_execute(&p, a->data[i], a->len[i]);
    llhttp_finish(&p);
  }
}

static void run_ours(const struct answers *a) {
  for (size_t i = 0; i < a->count; i++) {
    struct http_response r;
    char err[256];
    if (http_response_parse(a->data[i], a->len[i], 0, NULL, &r, err,
                            sizeof err) == 0)
      http_response_release(&r);
  }
}

static void measure(const char *name, void (*fn)(const struct answers *),
                    const struct answers *a, double seconds) {
  size_t rounds = 0;
  double t0 = cpu_now(), t;
  do {
    fn(a);
    rounds++;
    t = cpu_now() - t0;
  } while (t < seconds);
  double bytes = (double)a->bytes * (double)rounds;
  printf("http %s seconds %.6f bytes %.0f mbps %.2f\n", name, t, bytes,
         bytes / t / 1e6);
}

int main(int argc, char **argv) {
  double seconds = 0.5;
  struct answers a = {NULL, NULL, 0, 0};
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-t") == 0 && i + 1 < argc)
      seconds = atof(argv[++i]);
    else if (add_path(&a, argv[i], 0) != 0)
      return 2;
  }
  if (a.count == 0) {
    fprintf(stderr, "usage: bench_http [-t SECONDS] FILE|DIR...\n");
    return 2;
  }
  measure("llhttp", run_llhttp, &a, seconds);
  measure("http_response", run_ours, &a, seconds);
  for (size_t i = 0; i < a.count; i++) free(a.data[i]);
  free(a.data);
  free(a.len);
  return 0;
}
