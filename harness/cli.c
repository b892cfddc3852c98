/* cli.c: parses the corsim command line into struct cli and holds the
 * --help text. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../reports/report.h"
#include "cli.h"

static const char help[] =
    "usage: corsim run [options] PATH...\n"
    "       corsim check URL --origin ORIGIN [options]   (see corsim check --help)\n"
    "       corsim audit URL --allow ORIGIN... [options] (see corsim audit --help)\n"
    "       corsim har FILE.har [options]                (see corsim har --help)\n"
    "       corsim explain VECTOR.json [--case ID] [--browser NAME|all]\n"
    "       corsim explain URL --origin ORIGIN [-X METHOD] [-H 'N: v']...\n"
    "              [--credentials MODE] [--preflight-response FILE]\n"
    "              [--response FILE] [--browser NAME|all]\n"
    "       corsim explain --message 'CONSOLE MESSAGE'\n"
    "       corsim --help | --version\n"
    "\n"
    "Runs CORS test vectors (cors-vectors/1 JSON files, or directories of\n"
    "them) through a model of the browser's CORS decisions and reports\n"
    "whether each case's expectations hold.\n"
    "\n"
    "options for run:\n"
    "  --browser NAME     decide as NAME: fetch (the Fetch Standard), chromium,\n"
    "                     firefox, webkit; default: each case's own `browser`;\n"
    "                     all: each case under all four, side by side\n"
    "  --format F[:FILE]  report format: text (default), json, tap, junit,\n"
    "                     sarif, markdown, html; with :FILE\n"
    "                     the report goes to FILE (written whole, then renamed\n"
    "                     into place); may be given several times\n"
    "  -o FILE            write the (last) report to FILE\n"
    "  --case ID          run only the case with this id (repeatable)\n"
    "  --tag TAG          run only cases with this tag (repeatable)\n"
    "  -v, --verbose      show the trace for passing cases too\n"
    "  -q, --quiet        text report: print only failures and the summary\n"
    "  --color, --no-color  force colour on or off (default: on a terminal,\n"
    "                     unless NO_COLOR is set)\n"
    "  --deterministic    no timings in reports (for golden files)\n"
    "  --shard I/N        run only the I-th of N deterministic slices of the\n"
    "                     cases (for CI parallelism)\n"
    "  --fail-fast        stop after the first failing or invalid case\n"
    "  -j N               run N cases at a time (live servers), reported in\n"
    "                     input order\n"
    "\n"
    "live servers (steps without `responses` always ask the server):\n"
    "  --live             steps with `responses` ask the live server too, and\n"
    "                     a decision that differs from the captured one fails\n"
    "  --resolve H:P:ADDR connect to ADDR for host H port P (as curl has it)\n"
    "  --insecure         TLS without certificate verification\n"
    "  --cacert FILE      trust the CA certificates in FILE (PEM)\n"
    "  --connect-timeout S, --tls-timeout S, --first-byte-timeout S,\n"
    "  --max-time S       deadlines in seconds (5, 5, 10, 30)\n"
    "\n"
    "exit codes:\n"
    "  0  every case passed\n"
    "  1  at least one case failed\n"
    "  2  command-line usage error\n"
    "  3  at least one vector is invalid (the other cases still ran)\n"
    "  4  a live server was unreachable, too slow or malformed\n"
    "  5  a report could not be written, or an internal error\n"
    "  When several apply, the highest wins. Interrupted (SIGINT), corsim\n"
    "  finishes the reports with what ran and exits 130.\n";

const char *cli_help(void) { return help; }

__attribute__((format(printf, 3, 4)))
static int usage(char *err, size_t n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, n, fmt, ap);
  va_end(ap);
  return -1;
}

static bool push(const char ***list, size_t *count, const char *v) {
  const char **n = realloc(*list, (*count + 1) * sizeof *n);
  if (n == NULL) return false;
  n[(*count)++] = v;
  *list = n;
  return true;
}

static int add_format(struct cli *c, const char *spec, char *err, size_t n) {
  if (c->format_count == CLI_MAX_FORMATS)
    return usage(err, n, "too many --format options (at most 8)");
  const char *colon = strchr(spec, ':');
  size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
  const char *const *known = report_writer_names();
  const char *found = NULL;
  for (size_t i = 0; known[i] != NULL; i++)
    if (strlen(known[i]) == len && strncmp(known[i], spec, len) == 0)
      found = known[i];
  if (found == NULL) {
    char list[256] = "";
    for (size_t i = 0; known[i] != NULL; i++) {
      if (i) strncat(list, ", ", sizeof list - strlen(list) - 1);
      strncat(list, known[i], sizeof list - strlen(list) - 1);
    }
    snprintf(err, n, "unknown format '%.*s'; expected one of %s", (int)len,
             spec, list);
    return -1;
  }
  if (colon != NULL && colon[1] == '\0')
    return usage(err, n, "--format '%s' names no file after ':'", spec);
  c->formats[c->format_count].name = found;
  c->formats[c->format_count].path = colon ? colon + 1 : NULL;
  c->format_count++;
  return 0;
}

bool cli_parse_browser(const char *name, bool *all,
                       enum corsim_profile *profile, char *err,
                       size_t err_size) {
  if (strcmp(name, "all") == 0) {
    *all = true;
    return true;
  }
  if (corsim_profile_from_name(name, profile)) return true;
  snprintf(err, err_size, "unknown browser '%s'; expected fetch, chromium, "
                          "firefox, webkit or all", name);
  return false;
}

int cli_parse(int argc, char **argv, struct cli *c, char *err, size_t n) {
  memset(c, 0, sizeof *c);
  c->color = -1;
  if (argc < 2)
    return usage(err, n, "no command given; try 'corsim --help'");
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
      strcmp(cmd, "help") == 0) {
    c->command = CLI_HELP;
    return 0;
  }
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
    c->command = CLI_VERSION;
    return 0;
  }
  if (strcmp(cmd, "run") != 0)
    return usage(err, n, "unknown command '%s'; expected run, --help or "
                         "--version", cmd);
  c->command = CLI_RUN;
  const char *out_file = NULL;
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    bool takes = strcmp(a, "--browser") == 0 || strcmp(a, "--format") == 0 ||
                 strcmp(a, "-o") == 0 || strcmp(a, "--case") == 0 ||
                 strcmp(a, "--tag") == 0 || strcmp(a, "--resolve") == 0 ||
                 strcmp(a, "--cacert") == 0 ||
                 strcmp(a, "--connect-timeout") == 0 ||
                 strcmp(a, "--max-time") == 0 || strcmp(a, "--shard") == 0 || strcmp(a, "-j") == 0 ||
                 strcmp(a, "--tls-timeout") == 0 ||
                 strcmp(a, "--first-byte-timeout") == 0;
    if (takes && v == NULL)
      return usage(err, n, "option '%s' needs a value", a);
    if (strcmp(a, "--browser") == 0) {
      i++;
      if (!cli_parse_browser(v, &c->all_browsers, &c->browser, err, n))
        return -1;
      c->has_browser = true;
    } else if (strcmp(a, "--format") == 0) {
      i++;
      if (add_format(c, v, err, n) != 0) return -1;
    } else if (strcmp(a, "-o") == 0) {
      i++;
      out_file = v;
    } else if (strcmp(a, "--case") == 0) {
      i++;
      if (!push(&c->cases, &c->case_count, v))
        return usage(err, n, "out of memory");
    } else if (strcmp(a, "--tag") == 0) {
      i++;
      if (!push(&c->tags, &c->tag_count, v))
        return usage(err, n, "out of memory");
    } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
      c->verbose = true;
    } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
      c->quiet = true;
    } else if (strcmp(a, "--color") == 0) {
      c->color = 1;
    } else if (strcmp(a, "--no-color") == 0) {
      c->color = 0;
    } else if (strcmp(a, "--deterministic") == 0) {
      c->deterministic = true;
    } else if (strcmp(a, "--shard") == 0) {
      i++;
      unsigned long si = 0, sn = 0;
      char tail = 0;
      if (sscanf(v, "%lu/%lu%c", &si, &sn, &tail) != 2 || sn == 0 || si == 0 ||
          si > sn)
        return usage(err, n, "--shard wants I/N with 1 <= I <= N, got '%s'",
                     v);
      c->shard_index = si;
      c->shard_count = sn;
    } else if (strcmp(a, "-j") == 0) {
      i++;
      char *end = NULL;
      unsigned long j = strtoul(v, &end, 10);
      if (end == v || *end != '\0' || j < 1 || j > 256)
        return usage(err, n, "-j wants a number of parallel jobs from 1 to "
                             "256, got '%s'", v);
      c->jobs = j;
    } else if (strcmp(a, "--fail-fast") == 0) {
      c->fail_fast = true;
    } else if (strcmp(a, "--live") == 0) {
      c->live = true;
    } else if (strcmp(a, "--replay") == 0 || strcmp(a, "--replay-tags") == 0) {
      c->replay = true;
    } else if (strcmp(a, "--insecure") == 0) {
      c->insecure = true;
    } else if (strcmp(a, "--cacert") == 0) {
      i++;
      c->cacert = v;
    } else if (strcmp(a, "--resolve") == 0) {
      i++;
      if (!push(&c->resolve, &c->resolve_count, v))
        return usage(err, n, "out of memory");
    } else if (strcmp(a, "--connect-timeout") == 0 ||
               strcmp(a, "--max-time") == 0 ||
               strcmp(a, "--tls-timeout") == 0 ||
               strcmp(a, "--first-byte-timeout") == 0) {
      i++;
      char *end = NULL;
      double sec = strtod(v, &end);
      if (end == v || *end != '\0' || !(sec > 0 && sec <= 1e6))
        return usage(err, n, "option '%s' wants a number of seconds, got "
                             "'%s'", a, v);
      if (strcmp(a, "--max-time") == 0)
        c->max_time = sec;
      else if (strcmp(a, "--tls-timeout") == 0)
        c->tls_timeout = sec;
      else if (strcmp(a, "--first-byte-timeout") == 0)
        c->first_byte_timeout = sec;
      else
        c->connect_timeout = sec;
    } else if (strcmp(a, "--") == 0) {
      for (i++; i < argc; i++)
        if (!push(&c->paths, &c->path_count, argv[i]))
          return usage(err, n, "out of memory");
    } else if (a[0] == '-' && a[1] != '\0') {
      return usage(err, n, "unknown option '%s'; try 'corsim --help'", a);
    } else if (!push(&c->paths, &c->path_count, a)) {
      return usage(err, n, "out of memory");
    }
  }
  if (c->format_count == 0) add_format(c, "text", err, n);
  if (out_file != NULL) c->formats[c->format_count - 1].path = out_file;
  if (c->path_count == 0)
    return usage(err, n, "no vector file or directory given");
  /* two reports to one place would interleave */
  size_t to_stdout = 0;
  for (size_t i = 0; i < c->format_count; i++)
    if (c->formats[i].path == NULL || strcmp(c->formats[i].path, "-") == 0)
      to_stdout++;
  if (to_stdout > 1)
    return usage(err, n, "only one report can go to standard output; give "
                         "the others a file with --format F:FILE");
  return 0;
}

void cli_release(struct cli *c) {
  free(c->resolve);
  free(c->cases);
  free(c->tags);
  free(c->paths);
  memset(c, 0, sizeof *c);
}
