/* explain.c: `corsim explain`: the decision for one request given on the
 * command line as curl users write it, answered from captured HTTP files
 * (`curl -si` output works as it is), per browser, with the trace, the
 * console message and the fix; and `--message`, which reads a pasted
 * console message back into the check that failed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../reports/escape.h"
#include "cli.h"
#include "explain.h"
#include "http_response.h"

#define MAX_ANSWERS 32
#define MAX_HEADERS 64

struct answers {
  struct http_response items[MAX_ANSWERS];
  const char *files[MAX_ANSWERS];
  size_t count, next;
};

struct explain_args {
  const char *url, *origin, *method, *message;
  struct corsim_header headers[MAX_HEADERS];
  size_t header_count;
  enum corsim_mode mode;
  enum corsim_credentials credentials;
  enum corsim_redirect redirect;
  enum corsim_cache_mode cache;
  bool all, has_browser;
  enum corsim_profile browser;
  struct answers preflights, responses;
};

static const char usage_text[] =
    "usage: corsim explain URL --origin ORIGIN [-X METHOD] [-H 'Name: value']...\n"
    "                      [--credentials omit|same-origin|include]\n"
    "                      [--mode cors|no-cors|same-origin]\n"
    "                      [--redirect follow|error|manual] [--cache MODE]\n"
    "                      [--preflight-response FILE]... [--response FILE]...\n"
    "                      [--browser NAME|all]\n"
    "       corsim explain --message 'CONSOLE MESSAGE'\n"
    "\n"
    "Each FILE is one captured HTTP answer (curl -si output works as it is).\n"
    "--preflight-response answers the OPTIONS preflights in order; --response\n"
    "answers the request and then each redirect hop, in order.\n"
    "Exit: 0 allowed everywhere, 1 refused by at least one browser, 2 usage,\n"
    "3 a FILE could not be read or parsed.\n";

static void print(struct escape_buf *b) {
  fputs(escape_buf_str(b), stdout);
  escape_buf_reset(b);
}

static void put_safe(struct escape_buf *b, const char *s) {
  escape_terminal_str(b, s ? s : "");
}

/* Reads and parses one captured answer. */
static int load_answer(struct answers *a, const char *path) {
  if (a->count == MAX_ANSWERS) {
    fprintf(stderr, "corsim: too many answers (at most %d)\n", MAX_ANSWERS);
    return EXIT_USAGE;
  }
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "corsim: cannot open '%s': %s\n", path, strerror(errno));
    return EXIT_VECTOR;
  }
  char *data = NULL;
  size_t len = 0, cap = 0;
  for (;;) {
    if (len == cap) {
      cap = cap ? cap * 2 : 8192;
      if (cap > 16u * 1024 * 1024) {
        fclose(f);
        free(data);
        fprintf(stderr, "corsim: '%s' is larger than 16 MiB\n", path);
        return EXIT_VECTOR;
      }
      char *n = realloc(data, cap);
      if (n == NULL) {
        fclose(f);
        free(data);
        return EXIT_INTERNAL;
      }
      data = n;
    }
    size_t got = fread(data + len, 1, cap - len, f);
    len += got;
    if (got == 0) break;
  }
  fclose(f);
  char err[256];
  int rc = http_response_parse(data, len, 0, NULL, &a->items[a->count], err,
                               sizeof err);
  free(data);
  if (rc != 0) {
    fprintf(stderr, "corsim: %s: not an HTTP response: %s\n", path, err);
    return EXIT_VECTOR;
  }
  a->files[a->count++] = path;
  return 0;
}

static void release_answers(struct answers *a) {
  for (size_t i = 0; i < a->count; i++) http_response_release(&a->items[i]);
  a->count = 0;
}

static enum corsim_status answer(void *ctx, const struct corsim_wire_request *w,
                                 struct corsim_response *out,
                                 struct corsim_error *err) {
  struct explain_args *x = ctx;
  struct answers *a = w->is_preflight ? &x->preflights : &x->responses;
  if (a->next >= a->count) {
    err->status = CORSIM_NO_ANSWER;
    snprintf(err->message, sizeof err->message,
             "the browser sends %s %s%s: give its answer with %s FILE",
             w->method, w->url, w->is_preflight ? " (the preflight)" : "",
             w->is_preflight ? "--preflight-response" : "--response");
    return CORSIM_NO_ANSWER;
  }
  const struct http_response *r = &a->items[a->next++];
  out->status = r->status;
  out->headers.items = r->headers;
  out->headers.count = r->header_count;
  return CORSIM_OK;
}

static int parse_args(int argc, char **argv, struct explain_args *x) {
  memset(x, 0, sizeof *x);
  x->credentials = CORSIM_CREDENTIALS_SAME_ORIGIN;
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    bool takes = strcmp(a, "--origin") == 0 || strcmp(a, "-X") == 0 ||
                 strcmp(a, "-H") == 0 || strcmp(a, "--credentials") == 0 ||
                 strcmp(a, "--mode") == 0 || strcmp(a, "--redirect") == 0 ||
                 strcmp(a, "--cache") == 0 || strcmp(a, "--browser") == 0 ||
                 strcmp(a, "--preflight-response") == 0 ||
                 strcmp(a, "--response") == 0 || strcmp(a, "--message") == 0;
    if (takes && v == NULL) {
      fprintf(stderr, "corsim: option '%s' needs a value\n", a);
      return EXIT_USAGE;
    }
    int rc = 0;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      fputs(usage_text, stdout);
      return -1;
    } else if (strcmp(a, "--origin") == 0) {
      x->origin = v;
    } else if (strcmp(a, "-X") == 0) {
      x->method = v;
    } else if (strcmp(a, "--message") == 0) {
      x->message = v;
    } else if (strcmp(a, "-H") == 0) {
      const char *colon = strchr(v, ':');
      if (colon == NULL || colon == v || x->header_count == MAX_HEADERS) {
        fprintf(stderr, "corsim: -H '%s': expected 'Name: value'\n", v);
        return EXIT_USAGE;
      }
      const char *val = colon + 1;
      while (*val == ' ' || *val == '\t') val++;
      struct corsim_header *h = &x->headers[x->header_count++];
      h->name = v;
      h->name_len = (size_t)(colon - v);
      h->value = val;
      h->value_len = strlen(val);
    } else if (strcmp(a, "--credentials") == 0) {
      if (!corsim_credentials_from_name(v, &x->credentials)) {
        fprintf(stderr, "corsim: unknown credentials mode '%s'; expected "
                        "omit, same-origin or include\n", v);
        return EXIT_USAGE;
      }
    } else if (strcmp(a, "--mode") == 0) {
      if (!corsim_mode_from_name(v, &x->mode)) {
        fprintf(stderr, "corsim: unknown mode '%s'; expected cors, no-cors or "
                        "same-origin\n", v);
        return EXIT_USAGE;
      }
    } else if (strcmp(a, "--redirect") == 0) {
      if (!corsim_redirect_from_name(v, &x->redirect)) {
        fprintf(stderr, "corsim: unknown redirect mode '%s'; expected follow, "
                        "error or manual\n", v);
        return EXIT_USAGE;
      }
    } else if (strcmp(a, "--cache") == 0) {
      if (!corsim_cache_mode_from_name(v, &x->cache)) {
        fprintf(stderr, "corsim: unknown cache mode '%s'\n", v);
        return EXIT_USAGE;
      }
    } else if (strcmp(a, "--browser") == 0) {
      x->has_browser = true;
      char msg[160];
      if (!cli_parse_browser(v, &x->all, &x->browser, msg, sizeof msg)) {
        fprintf(stderr, "corsim: %s\n", msg);
        return EXIT_USAGE;
      }
    } else if (strcmp(a, "--preflight-response") == 0) {
      rc = load_answer(&x->preflights, v);
    } else if (strcmp(a, "--response") == 0) {
      rc = load_answer(&x->responses, v);
    } else if (a[0] == '-') {
      fprintf(stderr, "corsim: unknown option '%s'; try 'corsim explain "
                      "--help'\n", a);
      return EXIT_USAGE;
    } else if (x->url == NULL) {
      x->url = a;
    } else {
      fprintf(stderr, "corsim: more than one URL given ('%s')\n", a);
      return EXIT_USAGE;
    }
    if (takes) i++;
    if (rc != 0) return rc;
  }
  if (x->message == NULL && (x->url == NULL || x->origin == NULL)) {
    fprintf(stderr, "corsim: explain needs a URL and --origin, or --message; "
                    "try 'corsim explain --help'\n");
    return EXIT_USAGE;
  }
  return 0;
}

static void put_advice(struct escape_buf *b, const struct corsim_decision *d) {
  const struct corsim_advice *a =
      d->blocked_reason == CORSIM_BLOCKED_CORS
          ? corsim_cors_error_advice(d->cors_error)
          : corsim_blocked_reason_advice(d->blocked_reason);
  char url[256];
  corsim_anchor_url(a->anchor, url, sizeof url);
  escape_buf_printf(b, "    what failed: %s\n", a->meaning);
  escape_buf_printf(b, "    standard:    %s (%s)\n", a->anchor, url);
  if (a->fix[0] != '\0') escape_buf_printf(b, "    fix:         %s\n", a->fix);
}

static void put_verdict(struct escape_buf *b, enum corsim_profile p,
                        const struct corsim_decision *d) {
  escape_buf_printf(b, "  %-9s %-8s", corsim_profile_name(p),
                    corsim_outcome_name(d->outcome));
  if (d->outcome == CORSIM_OUTCOME_BLOCKED) {
    if (d->cors_error != CORSIM_CORS_ERROR_NONE)
      escape_buf_printf(b, " %s", corsim_cors_error_name(d->cors_error));
    else
      escape_buf_printf(b, " %s", corsim_blocked_reason_name(d->blocked_reason));
    if (d->failed_parameter != NULL) {
      escape_buf_puts(b, " (");
      put_safe(b, d->failed_parameter);
      escape_buf_puts(b, ")");
    }
  } else {
    escape_buf_printf(b, " status %d", d->status);
  }
  escape_buf_printf(b, ", preflight %s\n", corsim_preflight_name(d->preflight));
}

/* The trace; with `base`, only the entries that differ from base's entry
 * at the same position (so engines are compared where they disagree). */
static void put_trace(struct escape_buf *b, const struct corsim_decision *d,
                      const struct corsim_decision *base) {
  for (size_t i = 0; i < d->trace_count; i++) {
    const struct corsim_trace_entry *t = &d->trace[i];
    if (base != NULL && i < base->trace_count &&
        strcmp(base->trace[i].text, t->text) == 0 &&
        base->trace[i].kind == t->kind)
      continue;
    escape_buf_printf(b, "    %2zu  %-4s  %s%s%s  ", i + 1,
                      t->kind == CORSIM_TRACE_FAIL ? "FAIL"
                                                   : corsim_trace_kind_name(t->kind),
                      t->anchor, t->step[0] ? " step " : "", t->step);
    put_safe(b, t->text);
    escape_buf_puts(b, "\n");
  }
}

static bool same_verdict(const struct corsim_decision *a,
                         const struct corsim_decision *b) {
  return a->outcome == b->outcome && a->cors_error == b->cors_error &&
         a->blocked_reason == b->blocked_reason && a->preflight == b->preflight &&
         a->status == b->status;
}

static int explain_message(const char *message) {
  struct corsim_console_info info;
  struct escape_buf b;
  escape_buf_init(&b);
  if (!corsim_console_parse(message, &info)) {
    fprintf(stderr, "corsim: not a console message corsim knows: it names no "
                    "CORS check of Chromium, Firefox or WebKit\n");
    return EXIT_USAGE;
  }
  escape_buf_printf(&b, "engine:      %s\n", corsim_profile_name(info.engine));
  if (info.url[0]) {
    escape_buf_puts(&b, "url:         ");
    put_safe(&b, info.url);
    escape_buf_puts(&b, "\n");
  }
  if (info.origin[0]) {
    escape_buf_puts(&b, "origin:      ");
    put_safe(&b, info.origin);
    escape_buf_puts(&b, "\n");
  }
  if (info.blocked_reason == CORSIM_BLOCKED_CORS &&
      info.cors_error != CORSIM_CORS_ERROR_NONE)
    escape_buf_printf(&b, "cors_error:  %s%s\n",
                      corsim_cors_error_name(info.cors_error),
                      info.is_preflight ? " (on the preflight)" : "");
  else
    escape_buf_printf(&b, "refusal:     %s\n",
                      corsim_blocked_reason_name(info.blocked_reason));
  if (info.parameter[0]) {
    escape_buf_puts(&b, "names:       ");
    put_safe(&b, info.parameter);
    escape_buf_puts(&b, "\n");
  }
  const struct corsim_advice *a =
      info.blocked_reason == CORSIM_BLOCKED_CORS
          ? corsim_cors_error_advice(info.cors_error)
          : corsim_blocked_reason_advice(info.blocked_reason);
  if (info.blocked_reason == CORSIM_BLOCKED_CORS &&
      info.cors_error == CORSIM_CORS_ERROR_NONE)
    escape_buf_puts(&b, "what failed: the message names no check (WebKit's "
                        "second line); look for the line before it\n");
  else {
    char url[256];
    corsim_anchor_url(a->anchor, url, sizeof url);
    escape_buf_printf(&b, "what failed: %s\nstandard:    %s (%s)\n", a->meaning,
                      a->anchor, url);
    if (a->fix[0]) escape_buf_printf(&b, "fix:         %s\n", a->fix);
  }
  print(&b);
  escape_buf_release(&b);
  return EXIT_PASSED;
}

int explain_main(int argc, char **argv) {
  struct explain_args x;
  int rc = parse_args(argc, argv, &x);
  if (rc != 0) {
    release_answers(&x.preflights);
    release_answers(&x.responses);
    return rc < 0 ? EXIT_PASSED : rc;
  }
  if (x.message != NULL) {
    rc = explain_message(x.message);
    release_answers(&x.preflights);
    release_answers(&x.responses);
    return rc;
  }
  struct corsim_request req;
  memset(&req, 0, sizeof req);
  req.origin = x.origin;
  req.url = x.url;
  req.method = x.method ? x.method : "GET";
  req.headers.items = x.headers;
  req.headers.count = x.header_count;
  req.mode = x.mode;
  req.credentials = x.credentials;
  req.redirect = x.redirect;
  req.cache = x.cache;

  enum corsim_profile profiles[CORSIM_PROFILE_COUNT];
  size_t np = 0;
  if (x.all)
    for (int p = 0; p < CORSIM_PROFILE_COUNT; p++)
      profiles[np++] = (enum corsim_profile)p;
  else
    profiles[np++] = x.has_browser ? x.browser : CORSIM_PROFILE_FETCH;

  struct corsim_decision decisions[CORSIM_PROFILE_COUNT];
  bool have[CORSIM_PROFILE_COUNT] = {false};
  struct escape_buf b;
  escape_buf_init(&b);
  int code = EXIT_PASSED;
  escape_buf_printf(&b, "%s ", req.method);
  put_safe(&b, req.url);
  escape_buf_puts(&b, " from ");
  put_safe(&b, req.origin);
  escape_buf_printf(&b, " (mode %s, credentials %s)\n\n",
                    corsim_mode_name(req.mode),
                    corsim_credentials_name(req.credentials));
  for (size_t i = 0; i < np; i++) {
    x.preflights.next = x.responses.next = 0;
    struct corsim_options o;
    memset(&o, 0, sizeof o);
    o.profile = profiles[i];
    struct corsim_browser *browser = NULL;
    struct corsim_error err;
    memset(&err, 0, sizeof err);
    if (corsim_browser_new(&o, &browser, &err) != CORSIM_OK) {
      code = EXIT_INTERNAL;
      break;
    }
    enum corsim_status st = corsim_browser_fetch(browser, 0, &req, answer, &x,
                                                 &decisions[i], &err);
    corsim_browser_free(browser);
    if (st != CORSIM_OK) {
      fprintf(stderr, "corsim: %s: %s\n", corsim_profile_name(profiles[i]),
              err.message);
      code = st == CORSIM_NO_MEMORY ? EXIT_INTERNAL : EXIT_VECTOR;
      continue;
    }
    have[i] = true;
    put_verdict(&b, profiles[i], &decisions[i]);
    if (decisions[i].outcome == CORSIM_OUTCOME_BLOCKED && code < EXIT_FAILED)
      code = EXIT_FAILED;
  }
  print(&b);
  for (size_t i = 0; i < np; i++) {
    if (!have[i]) continue;
    /* with several browsers, a trace only where the verdict differs from the
     * first one's */
    if (i > 0 && have[0] && same_verdict(&decisions[0], &decisions[i])) continue;
    const struct corsim_decision *d = &decisions[i];
    bool diff = i > 0 && have[0];
    escape_buf_printf(&b, "\n%s: %s%s\n", corsim_profile_name(profiles[i]),
                      corsim_outcome_name(d->outcome),
                      diff ? " (the steps where it differs from the first)" : "");
    put_trace(&b, d, diff ? &decisions[0] : NULL);
    char console[4096];
    if (corsim_console_message(profiles[i], &req, d, console, sizeof console)) {
      escape_buf_puts(&b, "    console:     ");
      put_safe(&b, console);
      escape_buf_puts(&b, "\n");
    }
    if (d->outcome == CORSIM_OUTCOME_BLOCKED) put_advice(&b, d);
    print(&b);
  }
  if (np > 1) {
    bool differ = false;
    for (size_t i = 1; i < np; i++)
      if (have[i] && have[0] && !same_verdict(&decisions[0], &decisions[i]))
        differ = true;
    escape_buf_puts(&b, differ ? "\nthe engines disagree: the traces above "
                                 "show where\n"
                               : "\nevery engine decides the same\n");
    print(&b);
  }
  for (size_t i = 0; i < np; i++)
    if (have[i]) corsim_decision_release(&decisions[i]);
  escape_buf_release(&b);
  release_answers(&x.preflights);
  release_answers(&x.responses);
  return code;
}
