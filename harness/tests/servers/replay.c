/* replay.c: a loopback server that answers from the captured responses of
 * vector files, so that live mode can be checked against captured mode
 * on the whole corpus (a differential test).
 *
 *   usage: replay [--port N] [--cert PEM --key PEM] VECTOR...
 *
 * It prints its port on stdout's first line and speaks plain HTTP and,
 * with --cert/--key, TLS on the same port (a first byte 0x16 is a TLS
 * ClientHello), so one --resolve '*:*:127.0.0.1:PORT' serves http and
 * https URLs alike.
 *
 * Which answer: a request with `X-Corsim-Replay: FILE#CASE#STEP` (live
 * mode's replay option) is answered from that step's `responses` with
 * run.c's rule: the entry whose method matches (none given: any method but
 * OPTIONS) and whose URL, serialized without fragment, equals the wire URL
 * from `X-Corsim-Replay-Url` (none given: the step's request URL). The
 * request line and Host must agree with that URL, so a client that sends
 * the wrong target fails the test. A request without the header is
 * answered by the first entry of any step that matches it in the same
 * way, which makes a vector file a small fake server for `corsim check`
 * tests. No match: status 599 with `X-Corsim-Replay-Miss: MESSAGE`, which
 * live mode's replay option turns into CORSIM_NO_ANSWER, as in captured
 * mode.
 *
 * The answer: a raw_file capture that starts with "HTTP/1." is sent byte
 * for byte; anything else is written from its status and headers, with a
 * body of Content-Length bytes (or an empty chunked body) when the
 * headers announce one. */
#define _XOPEN_SOURCE 700 /* realpath */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../vector.h"
#include "server.h"

struct loaded {
  char *real; /* realpath of the file */
  struct vector_file vf;
};

struct replay {
  struct loaded *files;
  size_t count;
};

static void print_diag(void *ctx, const char *line) {
  (void)ctx;
  fprintf(stderr, "replay: %s\n", line);
}

/* run.c's serialize_url: the URL serialized, without fragment. */
static void serialize(const char *url, char *out, size_t n) {
  if (corsim_url_serialize(url, out, n, NULL) != CORSIM_OK)
    snprintf(out, n, "%s", url);
  char *hash = strchr(out, '#');
  if (hash != NULL) *hash = '\0';
}

/* The URL without its userinfo, which never goes on the wire. */
static void strip_userinfo(char *url) {
  char *auth = strstr(url, "://");
  if (auth == NULL) return;
  auth += 3;
  size_t alen = strcspn(auth, "/?#");
  for (size_t i = alen; i > 0; i--)
    if (auth[i - 1] == '@') {
      memmove(auth, auth + i, strlen(auth + i) + 1);
      return;
    }
}

static const struct vector_response *match(const struct vector_step *s,
                                           const char *method,
                                           const char *want) {
  char step_url[8192], url[8192];
  serialize(s->request.url ? s->request.url : "", step_url, sizeof step_url);
  for (size_t i = 0; i < s->response_count; i++) {
    const struct vector_response *r = &s->responses[i];
    bool method_ok = r->method == NULL ? strcmp(method, "OPTIONS") != 0
                                       : strcasecmp(r->method, method) == 0;
    if (!method_ok) continue;
    if (r->url != NULL)
      serialize(r->url, url, sizeof url);
    else
      snprintf(url, sizeof url, "%s", step_url);
    if (strcmp(url, want) == 0) return r;
  }
  return NULL;
}

/* FILE#CASE#STEP; FILE may hold '#', so split at the last two. */
static const struct vector_step *find_step(const struct replay *rp,
                                           const char *tag,
                                           const struct loaded **file) {
  char buf[4096];
  snprintf(buf, sizeof buf, "%s", tag);
  char *h2 = strrchr(buf, '#');
  if (h2 == NULL) return NULL;
  *h2 = '\0';
  char *h1 = strrchr(buf, '#');
  if (h1 == NULL) return NULL;
  *h1 = '\0';
  char real[PATH_MAX];
  if (realpath(buf, real) == NULL) return NULL;
  size_t step = (size_t)strtoul(h2 + 1, NULL, 10);
  for (size_t i = 0; i < rp->count; i++) {
    if (strcmp(rp->files[i].real, real) != 0) continue;
    const struct vector_file *vf = &rp->files[i].vf;
    for (size_t k = 0; k < vf->case_count; k++)
      if (vf->cases[k].id && strcmp(vf->cases[k].id, h1 + 1) == 0 &&
          step < vf->cases[k].step_count) {
        *file = &rp->files[i];
        return &vf->cases[k].steps[step];
      }
  }
  return NULL;
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  size_t cap = 65536, n = 0;
  char *buf = malloc(cap);
  while (buf != NULL) {
    size_t k = fread(buf + n, 1, cap - n, f);
    n += k;
    if (k == 0) break;
    if (n == cap) {
      char *b = realloc(buf, cap * 2);
      if (b == NULL) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = b;
      cap *= 2;
    }
  }
  fclose(f);
  *len = n;
  return buf;
}

static void serve(struct server_conn *c, const struct loaded *lf,
                  const struct vector_response *r, const char *method) {
  if (r->raw_file != NULL) {
    char path[PATH_MAX + 256];
    const char *slash = strrchr(lf->real, '/');
    snprintf(path, sizeof path, "%.*s/%s",
             (int)(slash ? slash - lf->real : 1), slash ? lf->real : ".",
             r->raw_file);
    size_t len = 0;
    char *raw = read_file(path, &len);
    if (raw != NULL && len >= 7 && memcmp(raw, "HTTP/1.", 7) == 0) {
      server_write(c, raw, len);
      free(raw);
      return;
    }
    free(raw);
  }
  char line[64];
  snprintf(line, sizeof line, "HTTP/1.1 %d Replayed\r\n", r->status);
  server_puts(c, line);
  long length = -1;
  bool chunked = false;
  for (size_t i = 0; i < r->header_count; i++) {
    const struct corsim_header *h = &r->headers[i];
    server_write(c, h->name, h->name_len);
    server_puts(c, ": ");
    server_write(c, h->value, h->value_len);
    server_puts(c, "\r\n");
    if (strcasecmp(h->name, "Content-Length") == 0)
      length = strtol(h->value, NULL, 10);
    if (strcasecmp(h->name, "Transfer-Encoding") == 0 &&
        strstr(h->value, "chunked") != NULL)
      chunked = true;
  }
  server_puts(c, "\r\n");
  bool no_body = strcmp(method, "HEAD") == 0 || r->status == 204 ||
                 r->status == 304 || r->status < 200;
  if (no_body) return;
  if (chunked) {
    server_puts(c, "0\r\n\r\n");
  } else if (length > 0 && length <= 1024 * 1024) {
    char pad[4096];
    memset(pad, 'x', sizeof pad);
    for (long left = length; left > 0; left -= (long)sizeof pad)
      server_write(c, pad, left < (long)sizeof pad ? (size_t)left : sizeof pad);
  }
}

static void handle(struct server_conn *c, void *ctx) {
  const struct replay *rp = ctx;
  struct server_request *rq = malloc(sizeof *rq);
  if (rq == NULL || server_read_request(c, rq) != 0) {
    free(rq);
    server_close(c, false);
    return;
  }
  const char *host = server_header(rq, "Host");
  char seen[8192], want[16384];
  snprintf(want, sizeof want, "%s://%s%s", c->ssl ? "https" : "http",
           host ? host : "", rq->target);
  serialize(want, seen, sizeof seen);
  const char *tag = server_header(rq, "X-Corsim-Replay");
  const char *wire = server_header(rq, "X-Corsim-Replay-Url");
  const struct loaded *file = NULL;
  const struct vector_response *entry = NULL;
  char miss[4096] = "";
  if (tag != NULL) {
    const struct vector_step *s = find_step(rp, tag, &file);
    if (s == NULL) {
      snprintf(miss, sizeof miss, "replay: no step '%s'", tag);
    } else {
      serialize(wire ? wire : "", want, sizeof want);
      char sent[16384];
      snprintf(sent, sizeof sent, "%s", want);
      strip_userinfo(sent);
      if (strcmp(sent, seen) != 0) {
        snprintf(miss, sizeof miss, "replay: the request line and Host say "
                 "'%.1000s' but the wire URL is '%.1000s'", seen, sent);
      } else {
        entry = match(s, rq->method, want);
        bool preflight = strcmp(rq->method, "OPTIONS") == 0 &&
                         server_header(rq, "Access-Control-Request-Method");
        if (entry == NULL)
          snprintf(miss, sizeof miss, "no captured response answers %s "
                   "%.1000s (add an entry to %.200s.responses)",
                   preflight ? "the preflight OPTIONS" : rq->method, want,
                   s->path ? s->path : "step");
      }
    }
  } else {
    for (size_t i = 0; entry == NULL && i < rp->count; i++) {
      const struct vector_file *vf = &rp->files[i].vf;
      for (size_t k = 0; entry == NULL && k < vf->case_count; k++)
        for (size_t n = 0; entry == NULL && n < vf->cases[k].step_count; n++) {
          entry = match(&vf->cases[k].steps[n], rq->method, seen);
          file = &rp->files[i];
        }
    }
    if (entry == NULL)
      snprintf(miss, sizeof miss, "replay: no captured response answers %s "
               "%.1000s", rq->method, seen);
  }
  if (entry != NULL) {
    serve(c, file, entry, rq->method);
  } else {
    for (char *p = miss; *p; p++)
      if (*p == '\r' || *p == '\n') *p = ' ';
    server_puts(c, "HTTP/1.1 599 Replay Miss\r\nX-Corsim-Replay-Miss: ");
    server_puts(c, miss);
    server_puts(c, "\r\nContent-Length: 0\r\n\r\n");
  }
  free(rq);
  server_close(c, false);
}

int main(int argc, char **argv) {
  int port = 0;
  const char *cert = NULL, *key = NULL;
  struct replay rp = {NULL, 0};
  rp.files = calloc((size_t)argc, sizeof *rp.files);
  if (rp.files == NULL) return 1;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
      port = atoi(argv[++i]);
    } else if (strcmp(argv[i], "--cert") == 0 && i + 1 < argc) {
      cert = argv[++i];
    } else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) {
      key = argv[++i];
    } else if (strcmp(argv[i], "--vectors") == 0) {
      continue; /* the files follow */
    } else if (argv[i][0] == '-') {
      fprintf(stderr, "usage: replay [--port N] [--cert PEM --key PEM] "
                      "VECTOR...\n");
      return 2;
    } else {
      struct loaded *l = &rp.files[rp.count];
      char real[PATH_MAX];
      if (realpath(argv[i], real) == NULL) {
        fprintf(stderr, "replay: cannot open '%s'\n", argv[i]);
        return 1;
      }
      if (vector_load_file(argv[i], print_diag, NULL, &l->vf) == -2) return 1;
      l->real = strdup(real);
      if (l->real == NULL) return 1;
      rp.count++;
    }
  }
  struct server s = {-1, NULL, handle, &rp};
  if (cert != NULL || key != NULL) {
    if (cert == NULL || key == NULL) {
      fprintf(stderr, "replay: --cert and --key go together\n");
      return 2;
    }
    s.tls = server_tls_context(cert, key);
    if (s.tls == NULL) return 1;
  }
  if (server_listen(&s, port) != 0) return 1;
  server_run(&s);
  return 1;
}
