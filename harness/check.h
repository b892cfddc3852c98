/* check.h: the `corsim check` command: one live request through the
 * simulator, for one browser or all four, printing the verdict, the trace,
 * the console message and what to change on the server; --save turns
 * what it saw into a vector file. */
#ifndef CORSIM_CHECK_COMMAND_H
#define CORSIM_CHECK_COMMAND_H

#include <stddef.h>

#include "../simulator/corsim.h"

/* Runs `corsim check`; argv[0] is "check". Parses its own options, prints
 * the report on stdout and diagnostics on stderr, and returns the exit
 * code: 0 allowed (or opaque) in every browser asked, 1 refused in at
 * least one, 2 usage, 4 server unreachable, too slow or malformed, 5 the
 * --save files could not be written or an internal error. */
int check_main(int argc, char **argv);

/* The `corsim check --help` text. */
const char *check_help(void);

/* What to change on the server for a refused `decision` of `request`, in
 * concrete words ("add 'x-token' to Access-Control-Allow-Headers on the
 * OPTIONS response"), into `out` (NUL-terminated, truncated to fit).
 * Falls back on the library's advice for refusals without a concrete
 * template. Returns the length it needed; 0 when there is nothing to say
 * (allowed, or a refusal no server change can fix). */
size_t check_server_fix(const struct corsim_request *request,
                        const struct corsim_decision *decision, char *out,
                        size_t out_size);

/* The decision as a vector's `expect` (what --save writes; audit too). */
struct cJSON;
struct cJSON *check_expect_of(const struct corsim_decision *decision);

/* Prints `root` (a vector file) into `fd`, which is `saved`, and frees
 * `root`; a failure (or `rc` != 0 on entry) removes the file. Returns 0 or
 * -1 with a message in `err`. */
int check_write_vector(int fd, const char *saved, struct cJSON *root, int rc,
                       char *err, size_t err_size);

#endif /* CORSIM_CHECK_COMMAND_H */
