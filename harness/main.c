/* main.c: the corsim program: argv -> options -> load -> run -> report ->
 * exit code. Nothing else. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../reports/report.h"
#include "cli.h"
#include "audit.h"
#include "check.h"
#include "explain.h"
#include "har.h"
#include "live.h"
#include "run.h"
#include "vector.h"

/* ---- the vector files named on the command line ---------------------------- */

struct paths {
  char **items;
  size_t count, cap;
};

static bool paths_add(struct paths *p, const char *s) {
  if (p->count == p->cap) {
    size_t cap = p->cap ? p->cap * 2 : 64;
    char **n = realloc(p->items, cap * sizeof *n);
    if (n == NULL) return false;
    p->items = n;
    p->cap = cap;
  }
  p->items[p->count] = strdup(s);
  if (p->items[p->count] == NULL) return false;
  p->count++;
  return true;
}

static int cmp_path(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.json below `dir`, in byte order of their paths. */
static bool collect_dir(struct paths *p, const char *dir, int depth) {
  DIR *d = opendir(dir);
  if (d == NULL || depth > 32) {
    if (d) closedir(d);
    return false;
  }
  struct paths local = {NULL, 0, 0};
  struct dirent *e;
  bool ok = true;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    size_t n = strlen(dir) + strlen(e->d_name) + 2;
    char *full = malloc(n);
    if (full == NULL) {
      ok = false;
      break;
    }
    snprintf(full, n, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
             e->d_name);
    struct stat st;
    if (stat(full, &st) == 0) {
      if (S_ISDIR(st.st_mode) ||
          (S_ISREG(st.st_mode) && n > 6 &&
           strcmp(full + strlen(full) - 5, ".json") == 0))
        ok = ok && paths_add(&local, full);
    }
    free(full);
  }
  closedir(d);
  if (local.count > 1)
    qsort(local.items, local.count, sizeof *local.items, cmp_path);
  for (size_t i = 0; i < local.count; i++) {
    struct stat st;
    if (ok && stat(local.items[i], &st) == 0 && S_ISDIR(st.st_mode))
      collect_dir(p, local.items[i], depth + 1);
    else if (ok)
      ok = paths_add(p, local.items[i]);
    free(local.items[i]);
  }
  free(local.items);
  return ok;
}

/* ---- report outputs ------------------------------------------------------- */

struct output {
  struct report report;
  const char *path; /* NULL: stdout */
  char *tmp_path;   /* NULL when written directly */
  bool direct;      /* a device or pipe: no temporary name */
  bool failed;
  int error_number; /* errno of the first failed write, 0 when none */
};

static bool want_color(const struct cli *c, FILE *f) {
  if (c->color >= 0) return c->color == 1;
  const char *nc = getenv("NO_COLOR");
  if (nc != NULL && nc[0] != '\0') return false;
  return isatty(fileno(f));
}

static int open_output(struct output *o, const struct cli_format *fmt,
                       const struct cli *c) {
  memset(o, 0, sizeof *o);
  o->report.writer = report_writer_find(fmt->name);
  o->path = fmt->path && strcmp(fmt->path, "-") != 0 ? fmt->path : NULL;
  struct stat st;
  if (o->path == NULL) {
    o->report.out = stdout;
  } else if (stat(o->path, &st) == 0 && !S_ISREG(st.st_mode)) {
    /* a device or a pipe (/dev/null, /dev/stdout, a FIFO): written
     * directly, never replaced by a rename */
    o->report.out = fopen(o->path, "w");
    if (o->report.out == NULL) {
      fprintf(stderr, "corsim: cannot write report '%s': %s\n", o->path,
              strerror(errno));
      return -1;
    }
    o->direct = true;
  } else {
    size_t n = strlen(o->path) + 32;
    o->tmp_path = malloc(n);
    if (o->tmp_path == NULL) return -1;
    snprintf(o->tmp_path, n, "%s.tmp.%ld", o->path, (long)getpid());
    o->report.out = fopen(o->tmp_path, "w");
    if (o->report.out == NULL) {
      fprintf(stderr, "corsim: cannot write report '%s': %s\n", o->path,
              strerror(errno));
      free(o->tmp_path);
      o->tmp_path = NULL;
      return -1;
    }
  }
  o->report.color = strcmp(fmt->name, "text") == 0 &&
                    want_color(c, o->report.out);
  o->report.verbose = c->verbose;
  o->report.deterministic = c->deterministic;
  o->report.quiet = c->quiet;
  return 0;
}

/* Remembers the first write error's errno: later calls (isatty, say)
 * overwrite errno before the report is closed. */
static void mark_failed(struct output *o) {
  if (!o->failed) o->error_number = errno;
  o->failed = true;
}

/* Drops an output that will not be written (another could not be opened):
 * its temporary file goes, nothing is left behind. */
static void discard_output(struct output *o) {
  if (o->path != NULL) {
    fclose(o->report.out);
    if (!o->direct) remove(o->tmp_path);
    free(o->tmp_path);
  }
  if (o->report.writer->release) o->report.writer->release(&o->report);
}

/* Closes an output: a file report is renamed into place only when whole. */
static int close_output(struct output *o) {
  int rc = o->failed ? -1 : 0;
  int e = o->error_number;
  errno = 0;
  if (fflush(o->report.out) != 0) {
    if (e == 0) e = errno;
    rc = -1;
  }
  if (o->path != NULL) {
    errno = 0;
    if (fclose(o->report.out) != 0) {
      if (e == 0) e = errno;
      rc = -1;
    }
    errno = 0;
    if (rc == 0 && !o->direct && rename(o->tmp_path, o->path) != 0) {
      e = errno;
      rc = -1;
    }
    if (rc != 0) {
      fprintf(stderr, "corsim: cannot write report '%s': %s\n", o->path,
              e ? strerror(e) : "write error");
      if (!o->direct) remove(o->tmp_path);
    }
    free(o->tmp_path);
  } else if (rc != 0) {
    fprintf(stderr, "corsim: cannot write the report to standard output: %s\n",
            e ? strerror(e) : "write error");
  }
  if (o->report.writer->release) o->report.writer->release(&o->report);
  return rc;
}

/* ---- live mode, set up on first use ------------------------------------- */

struct lazy_live {
  struct live_options options;
  struct live_responder responder;
  bool started;
};

static int lazy_live_start(struct lazy_live *l, char *err, size_t n) {
  if (l->started) return 0;
  if (live_responder_init(&l->responder, &l->options, err, n) != 0) return -1;
  l->started = true;
  return 0;
}

static enum corsim_status lazy_live_respond(void *ctx,
                                            const struct corsim_wire_request *w,
                                            struct corsim_response *answer,
                                            struct corsim_error *err) {
  struct lazy_live *l = ctx;
  char msg[256];
  if (lazy_live_start(l, msg, sizeof msg) != 0) {
    err->status = CORSIM_RESPONDER;
    snprintf(err->message, sizeof err->message, "%s", msg);
    return CORSIM_RESPONDER;
  }
  return live_respond(&l->responder, w, answer, err);
}

static void lazy_live_set_step(void *ctx, const char *file,
                               const char *case_id, size_t step) {
  struct lazy_live *l = ctx;
  char msg[256];
  if (lazy_live_start(l, msg, sizeof msg) == 0)
    live_responder_set_step(&l->responder, file, case_id, step);
}

static void lazy_live_release(struct lazy_live *l) {
  if (l->started) live_responder_release(&l->responder);
  l->started = false;
}

/* ---- the run ------------------------------------------------------------ */

/* Set by SIGINT: the run stops between cases and finishes its reports.
 * The program's one piece of global state, as a signal needs. */
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig) {
  (void)sig;
  interrupted = 1;
}

struct diag_ctx {
  size_t count;
};

static void print_diag(void *ctx, const char *line) {
  struct diag_ctx *d = ctx;
  d->count++;
  fprintf(stderr, "corsim: %s\n", line);
}

static bool selected(const struct cli *c, const struct vector_case *vc) {
  if (c->case_count > 0) {
    bool hit = false;
    for (size_t i = 0; i < c->case_count; i++)
      if (vc->id && strcmp(vc->id, c->cases[i]) == 0) hit = true;
    if (!hit) return false;
  }
  if (c->tag_count > 0) {
    bool hit = false;
    for (size_t i = 0; i < c->tag_count; i++)
      for (size_t k = 0; k < vc->tag_count; k++)
        if (strcmp(vc->tags[k], c->tags[i]) == 0) hit = true;
    if (!hit) return false;
  }
  return true;
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int each_output(struct output *outs, size_t n,
                       const struct case_result *r) {
  int rc = 0;
  for (size_t i = 0; i < n; i++)
    if (!outs[i].failed && outs[i].report.writer->write_case(&outs[i].report,
                                                             r) != 0) {
      mark_failed(&outs[i]);
      rc = -1;
    }
  return rc;
}

/* ---- one case, as a job (run serially or by -j worker threads) ---------- */

struct case_job {
  bool done, oom, internal;
  struct run_case rc;
  struct run_case others[CORSIM_PROFILE_COUNT];
  const struct case_result *other_ptrs[CORSIM_PROFILE_COUNT];
  size_t nothers;
  char *messages; /* diagnostics to print when the case is reported */
};

struct job_queue {
  const struct cli *cli;
  const struct vector_file *vf;
  const size_t *picked;
  struct case_job *jobs;
  size_t count;
  size_t next;   /* the next job a worker takes */
  pthread_mutex_t lock;
  struct run_live *hooks;
  bool lean; /* decide without traces first (see run_job) */
};

static void add_message(struct case_job *job, const char *line) {
  size_t old = job->messages ? strlen(job->messages) : 0;
  char *n = realloc(job->messages, old + strlen(line) + 1);
  if (n == NULL) return;
  memcpy(n + old, line, strlen(line) + 1);
  job->messages = n;
}

/* Runs case `k` of the queue: its own profile, then --live and --browser
 * all beside it. */
static void run_job(struct job_queue *q, struct run_live *hooks, size_t k) {
  const struct cli *c = q->cli;
  const struct vector_file *vf = q->vf;
  const struct vector_case *vc = &vf->cases[q->picked[k]];
  struct case_job *job = &q->jobs[k];
  job->done = true;
  /* the case's own profile (or --browser NAME) is compared with its
   * expectations; with --browser all the other three decide beside it */
  enum corsim_profile own = c->has_browser && !c->all_browsers ? c->browser
                                                               : vc->profile;
  /* Text and TAP print a trace only for a case that does not pass: such
   * runs decide without one, and run the case again with it when needed. */
  struct run_options ro = {NULL, hooks, false, q->lean};
  if (run_case(vf, vc, own, &ro, &job->rc) != 0) {
    job->oom = true;
    return;
  }
  if (q->lean && job->rc.result.status != RESULT_PASS &&
      job->rc.result.status != RESULT_SKIP) {
    run_case_release(&job->rc);
    ro.no_trace = false;
    if (run_case(vf, vc, own, &ro, &job->rc) != 0) {
      job->oom = true;
      return;
    }
  }
  if (c->live && vc->error == NULL) {
    /* --live: the same case against the live server, compared */
    struct run_live all = *hooks;
    all.all_steps = true;
    struct run_options lro = {NULL, &all, false, false};
    struct run_case lrc;
    if (run_case(vf, vc, own, &lro, &lrc) == 0) {
      if (lrc.live_failed) job->rc.live_failed = true;
      if (run_case_compare_live(&job->rc, &lrc) != 0) job->internal = true;
      for (size_t s = 0; s < lrc.step_count; s++)
        if (lrc.steps[s].status == RESULT_ERROR && lrc.steps[s].error) {
          char line[1024];
          snprintf(line, sizeof line, "corsim: %s:%d:%d: live: %s\n", vf->path,
                   vc->steps[s].location.line, vc->steps[s].location.column,
                   lrc.steps[s].error);
          add_message(job, line);
        }
      run_case_release(&lrc);
    } else {
      job->internal = true;
    }
  }
  if (c->all_browsers && vc->error == NULL) {
    struct run_options info_only = {NULL, hooks, true, false};
    for (int p = 0; p < CORSIM_PROFILE_COUNT; p++) {
      if ((enum corsim_profile)p == own) continue;
      if (run_case(vf, vc, (enum corsim_profile)p, &info_only,
                   &job->others[job->nothers]) != 0) {
        job->internal = true;
        continue;
      }
      job->other_ptrs[job->nothers] = &job->others[job->nothers].result;
      job->nothers++;
    }
    job->rc.result.others = job->other_ptrs;
    job->rc.result.other_count = job->nothers;
  }
}

static void release_job(struct case_job *job) {
  if (!job->done || job->oom) return;
  run_case_release(&job->rc);
  for (size_t k = 0; k < job->nothers; k++) run_case_release(&job->others[k]);
  free(job->messages);
  memset(job, 0, sizeof *job);
}

struct worker {
  pthread_t thread;
  struct job_queue *q;
  struct lazy_live live; /* each worker has its own connections and TLS */
  struct run_live hooks;
};

static void *worker_main(void *arg) {
  struct worker *w = arg;
  for (;;) {
    pthread_mutex_lock(&w->q->lock);
    size_t k = w->q->next++;
    pthread_mutex_unlock(&w->q->lock);
    if (k >= w->q->count || interrupted) break;
    run_job(w->q, &w->hooks, k);
  }
  return NULL;
}

/* -j N: N threads run the file's cases; the caller reports them in order.
 * The simulator keeps no global state, so browsers in threads never meet. */
static void run_jobs_in_parallel(struct job_queue *q, size_t n,
                                 const struct live_options *lo) {
  struct worker *ws = calloc(n, sizeof *ws);
  if (ws == NULL) return; /* the caller runs what is not done */
  size_t started = 0;
  for (size_t i = 0; i < n; i++) {
    ws[i].q = q;
    ws[i].live.options = *lo;
    ws[i].hooks = *q->hooks;
    ws[i].hooks.ctx = &ws[i].live;
    if (pthread_create(&ws[i].thread, NULL, worker_main, &ws[i]) != 0) break;
    started++;
  }
  for (size_t i = 0; i < started; i++) pthread_join(ws[i].thread, NULL);
  for (size_t i = 0; i < started; i++) lazy_live_release(&ws[i].live);
  free(ws);
}

/* On a terminal, runs longer than a second show how far they are. */
static void progress(const struct cli *c, size_t done, double start) {
  (void)c;
  static double last;
  if (!isatty(fileno(stderr))) return;
  double t = now_seconds();
  if (t - start < 1.0 || t - last < 0.2) return;
  last = t;
  fprintf(stderr, "\rcorsim: %zu cases done (%.0f s)", done, t - start);
  fflush(stderr);
}

static int run(const struct cli *c) {
  int code = EXIT_PASSED;
  /* live mode: one responder for the run, set up on the first live request
   * (TLS set-up costs tens of milliseconds a run that never needs it) */
  struct lazy_live live;
  memset(&live, 0, sizeof live);
  live.options.insecure = c->insecure;
  live.options.cacert = c->cacert;
  live.options.resolve = c->resolve;
  live.options.resolve_count = c->resolve_count;
  live.options.connect_timeout = c->connect_timeout;
  live.options.max_time = c->max_time;
  live.options.tls_timeout = c->tls_timeout;
  live.options.first_byte_timeout = c->first_byte_timeout;
  live.options.replay = c->replay;
  if (c->live || c->resolve_count > 0 || c->cacert != NULL) {
    /* options that name a live server: check them now, a usage error */
    char lerr[512];
    if (lazy_live_start(&live, lerr, sizeof lerr) != 0) {
      fprintf(stderr, "corsim: %s\n", lerr);
      return EXIT_USAGE;
    }
  }
  struct run_live live_hooks;
  live_hooks.respond = lazy_live_respond;
  live_hooks.ctx = &live;
  live_hooks.set_step = c->replay ? lazy_live_set_step : NULL;
  live_hooks.all_steps = false;
  struct paths files = {NULL, 0, 0};
  for (size_t i = 0; i < c->path_count; i++) {
    struct stat st;
    if (stat(c->paths[i], &st) == 0 && S_ISDIR(st.st_mode)) {
      if (!collect_dir(&files, c->paths[i], 0)) {
        fprintf(stderr, "corsim: cannot read directory '%s': %s\n",
                c->paths[i], strerror(errno));
        code = EXIT_VECTOR;
      }
    } else if (!paths_add(&files, c->paths[i])) {
      fprintf(stderr, "corsim: out of memory\n");
      lazy_live_release(&live);
      return EXIT_INTERNAL;
    }
  }

  struct output outs[CLI_MAX_FORMATS];
  size_t nout = 0;
  for (size_t i = 0; i < c->format_count; i++) {
    if (open_output(&outs[nout], &c->formats[i], c) != 0) {
      for (size_t k = 0; k < nout; k++) discard_output(&outs[k]);
      for (size_t k = 0; k < files.count; k++) free(files.items[k]);
      free(files.items);
      lazy_live_release(&live);
      return EXIT_INTERNAL;
    }
    nout++;
  }
  struct run_info info = {CORSIM_VERSION, "run", c->deterministic};
  for (size_t i = 0; i < nout; i++)
    if (outs[i].report.writer->begin(&outs[i].report, &info) != 0)
      mark_failed(&outs[i]);

  struct run_summary sum;
  memset(&sum, 0, sizeof sum);
  double start = now_seconds();
  struct diag_ctx diags = {0};
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  size_t case_number = 0; /* across files, for --shard */
  size_t done_cases = 0;
  /* every report prints traces only for cases that do not pass? */
  bool lean = !c->verbose && !c->live && !c->all_browsers;
  for (size_t i = 0; i < c->format_count; i++)
    if (strcmp(c->formats[i].name, "text") != 0 &&
        strcmp(c->formats[i].name, "tap") != 0)
      lean = false;
  bool stop = false;
  for (size_t fi = 0; fi < files.count && !stop && !interrupted; fi++) {
    struct vector_file vf;
    int lr = vector_load_file(files.items[fi], print_diag, &diags, &vf);
    if (lr == -2) {
      fprintf(stderr, "corsim: out of memory loading '%s'\n", files.items[fi]);
      code = EXIT_INTERNAL;
      continue;
    }
    sum.files++;
    if (lr != 0) code = code > EXIT_VECTOR ? code : EXIT_VECTOR;
    if (vf.error != NULL) {
      sum.file_errors++;
      struct file_error fe = {files.items[fi], 0, 0, vf.error};
      for (size_t i = 0; i < nout; i++)
        if (!outs[i].failed && outs[i].report.writer->write_file_error &&
            outs[i].report.writer->write_file_error(&outs[i].report, &fe) != 0)
          mark_failed(&outs[i]);
      vector_file_release(&vf);
      continue;
    }
    /* the cases of this file that run, in order (--case, --tag, --shard) */
    size_t *picked = calloc(vf.case_count ? vf.case_count : 1, sizeof *picked);
    struct case_job *jobs = calloc(vf.case_count ? vf.case_count : 1,
                                   sizeof *jobs);
    size_t npicked = 0;
    if (picked == NULL || jobs == NULL) {
      free(picked);
      free(jobs);
      vector_file_release(&vf);
      code = EXIT_INTERNAL;
      break;
    }
    for (size_t ci = 0; ci < vf.case_count; ci++) {
      if (!selected(c, &vf.cases[ci])) continue;
      size_t number = case_number++;
      if (c->shard_count > 0 && number % c->shard_count != c->shard_index - 1)
        continue;
      picked[npicked++] = ci;
    }
    struct job_queue q = {c, &vf, picked, jobs, npicked, 0,
                          PTHREAD_MUTEX_INITIALIZER, &live_hooks, lean};
    if (c->jobs > 1 && npicked > 1) {
      run_jobs_in_parallel(&q, c->jobs, &live.options);
    }
    for (size_t k = 0; k < npicked && !stop && !interrupted; k++) {
      struct case_job *job = &jobs[k];
      if (!job->done) run_job(&q, &live_hooks, k);
      const struct vector_case *vc = &vf.cases[picked[k]];
      if (job->oom) {
        fprintf(stderr, "corsim: out of memory running '%s'\n",
                vc->id ? vc->id : "?");
        code = EXIT_INTERNAL;
        continue;
      }
      if (job->messages != NULL) fputs(job->messages, stderr);
      if (job->internal && code < EXIT_INTERNAL) code = EXIT_INTERNAL;
      const struct case_result *r = &job->rc.result;
      sum.cases++;
      sum.steps += r->step_count;
      switch (r->status) {
        case RESULT_PASS: sum.passed++; break;
        case RESULT_FAIL: sum.failed++; break;
        case RESULT_ERROR: sum.errors++; break;
        case RESULT_SKIP: sum.skipped++; break;
      }
      if (r->status == RESULT_FAIL && code < EXIT_FAILED) code = EXIT_FAILED;
      if (r->status == RESULT_ERROR) {
        if (code < EXIT_VECTOR) code = EXIT_VECTOR;
        /* step errors (a missing answer) are diagnostics too */
        for (size_t s = 0; s < r->step_count; s++)
          if (r->steps[s].status == RESULT_ERROR && r->steps[s].error)
            fprintf(stderr, "corsim: %s:%d:%d: %s\n", vf.path,
                    vc->steps[s].location.line, vc->steps[s].location.column,
                    r->steps[s].error);
      }
      if (job->rc.live_failed && code < EXIT_LIVE) code = EXIT_LIVE;
      if (c->fail_fast &&
          (r->status == RESULT_FAIL || r->status == RESULT_ERROR))
        stop = true;
      if (each_output(outs, nout, r) != 0) code = EXIT_INTERNAL;
      progress(c, ++done_cases, start);
    }
    for (size_t k = 0; k < npicked; k++) release_job(&jobs[k]);
    free(jobs);
    free(picked);
    vector_file_release(&vf);
  }
  sum.seconds = now_seconds() - start;
  if (isatty(fileno(stderr)) && sum.seconds >= 1.0) fputs("\r\033[K", stderr);
  for (size_t i = 0; i < nout; i++) {
    if (!outs[i].failed && outs[i].report.writer->end(&outs[i].report, &sum) != 0)
      mark_failed(&outs[i]);
    if (close_output(&outs[i]) != 0) code = EXIT_INTERNAL;
  }
  for (size_t k = 0; k < files.count; k++) free(files.items[k]);
  free(files.items);
  lazy_live_release(&live);
  if (interrupted) {
    fprintf(stderr, "corsim: interrupted: the reports hold the %zu case(s) "
                    "that ran\n", sum.cases);
    return EXIT_INTERRUPTED;
  }
  return code;
}

int main(int argc, char **argv) {
  struct cli c;
  char err[512];
  if (argc > 1 && strcmp(argv[1], "audit") == 0)
    return audit_main(argc - 1, argv + 1);
  if (argc > 1 && strcmp(argv[1], "check") == 0)
    return check_main(argc - 1, argv + 1);
  if (argc > 1 && strcmp(argv[1], "har") == 0) return har_main(argc, argv);
  if (argc > 1 && strcmp(argv[1], "explain") == 0) {
    /* `corsim explain VECTOR.json ...` is `run --verbose` on those cases */
    const char *first = argc > 2 ? argv[2] : "";
    size_t n = strlen(first);
    if (!(n > 5 && strcmp(first + n - 5, ".json") == 0)) return explain_main(argc, argv);
    static char run_word[] = "run";
    argv[1] = run_word;
    if (cli_parse(argc, argv, &c, err, sizeof err) != 0) {
      fprintf(stderr, "corsim: %s\n", err);
      cli_release(&c);
      return EXIT_USAGE;
    }
    c.verbose = true;
    int code = run(&c);
    cli_release(&c);
    return code;
  }
  if (cli_parse(argc, argv, &c, err, sizeof err) != 0) {
    fprintf(stderr, "corsim: %s\n", err);
    cli_release(&c);
    return EXIT_USAGE;
  }
  int code = EXIT_PASSED;
  switch (c.command) {
    case CLI_HELP:
      fputs(cli_help(), stdout);
      break;
    case CLI_VERSION:
      printf("corsim %s\n", CORSIM_VERSION);
      break;
    case CLI_RUN:
      code = run(&c);
      break;
  }
  cli_release(&c);
  return code;
}
