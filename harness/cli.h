/* cli.h: the corsim command line: options, their parsing, and --help. */
#ifndef CORSIM_CLI_H
#define CORSIM_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "../simulator/corsim.h"

/* Exit codes, documented in --help and the README; the highest wins. */
enum exit_code {
  EXIT_PASSED = 0,   /* every case passed */
  EXIT_FAILED = 1,   /* at least one case failed */
  EXIT_USAGE = 2,    /* command-line usage */
  EXIT_VECTOR = 3,   /* at least one vector invalid (the rest still ran) */
  EXIT_LIVE = 4,     /* a live server unreachable, too slow or malformed */
  EXIT_INTERNAL = 5, /* a report could not be written, or an internal error */
  EXIT_INTERRUPTED = 130 /* SIGINT: the reports hold what ran until then */
};

#define CLI_MAX_FORMATS 8

struct cli_format {
  const char *name; /* "text", "json", "tap" */
  const char *path; /* NULL: standard output */
};

enum cli_command { CLI_RUN, CLI_HELP, CLI_VERSION };

struct cli {
  enum cli_command command;
  bool all_browsers;
  bool has_browser;
  enum corsim_profile browser;
  struct cli_format formats[CLI_MAX_FORMATS];
  size_t format_count;
  const char **cases;
  size_t case_count;
  const char **tags;
  size_t tag_count;
  const char **paths;
  size_t path_count;
  bool deterministic;
  bool verbose;
  bool quiet;
  int color; /* -1 auto, 0 never, 1 always */
  /* live mode */
  bool live;                 /* --live: steps with `responses` ask too */
  bool insecure;
  const char *cacert;
  const char **resolve;
  size_t resolve_count;
  double connect_timeout, tls_timeout, first_byte_timeout, max_time;
  bool replay;               /* --replay-tags (tests: the replay server) */
  size_t shard_index, shard_count; /* --shard I/N: 1-based I; N 0: no sharding */
  bool fail_fast;
  size_t jobs; /* -j N: cases run in parallel (live servers); 0/1 serial */
};

/* Parses argv into `out` (pointers into argv). Returns 0, or -1 after
 * writing a one-line usage error to `err` (exit code 2). Release `out`
 * with cli_release(). */
int cli_parse(int argc, char **argv, struct cli *out, char *err,
              size_t err_size);
void cli_release(struct cli *c);

/* --browser NAME|all for every command: sets *all for "all", else
 * *profile. False for an unknown name, with a one-line message in `err`. */
bool cli_parse_browser(const char *name, bool *all,
                       enum corsim_profile *profile, char *err,
                       size_t err_size);

/* The --help text. */
const char *cli_help(void);

#endif /* CORSIM_CLI_H */
