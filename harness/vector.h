/* vector.h: vector files (shared/VECTORS.md, cors-vectors/1) loaded into
 * plain structs that the runner hands to libcorsim.
 *
 * One arena per loaded file holds every string and array below; nothing
 * points into cJSON after vector_load_* returns. Loading is strict: an
 * unknown field, a wrong type, a duplicate key, a bad enum value or a
 * missing required field is a diagnostic with file:line:col and the JSON
 * path. A case with such a problem keeps `error` set and its steps may be
 * incomplete; the other cases of the file still load. */
#ifndef CORSIM_VECTOR_H
#define CORSIM_VECTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "../simulator/corsim.h"

/* Where a JSON value starts in its file: 1-based line and column. */
struct vector_location {
  int line;
  int column;
};

/* One captured answer (VECTORS.md "Response"). */
struct vector_response {
  char *method; /* NULL: any method but OPTIONS */
  char *url;    /* NULL: the step's request URL */
  int status;
  struct corsim_header *headers; /* strings owned by the file's arena */
  size_t header_count;
  bool from_raw;       /* parsed from `raw` or `raw_file` bytes */
  char *raw_file;      /* the path as written, when from raw_file */
  struct vector_location location;
};

/* An expected header (preflight_request_headers / request_headers):
 * value NULL means the header must be absent. */
struct vector_expect_header {
  char *name;
  char *value;
};

enum vector_expect_field {
  VECTOR_EXPECT_OUTCOME = 1 << 0,
  VECTOR_EXPECT_CORS_ERROR = 1 << 1,
  VECTOR_EXPECT_FAILED_PARAMETER = 1 << 2,
  VECTOR_EXPECT_PREFLIGHT = 1 << 3,
  VECTOR_EXPECT_PREFLIGHT_REQUEST_HEADERS = 1 << 4,
  VECTOR_EXPECT_REQUEST_HEADERS = 1 << 5,
  VECTOR_EXPECT_EXPOSED_HEADERS = 1 << 6,
  VECTOR_EXPECT_STATUS = 1 << 7,
  VECTOR_EXPECT_BLOCKED_REASON = 1 << 8, /* extension: `blocked_reason` */
  VECTOR_EXPECT_CONSOLE = 1 << 9         /* extension: `console` (substring) */
};

/* Only the fields whose bit is set in `fields` were given. */
struct vector_expect {
  unsigned fields;
  enum corsim_outcome outcome;
  enum corsim_cors_error cors_error;   /* CORSIM_CORS_ERROR_NONE for "" or null */
  char *failed_parameter;              /* NULL: expected to be null/absent */
  enum corsim_preflight preflight;
  struct vector_expect_header *preflight_request_headers;
  size_t preflight_request_header_count;
  struct vector_expect_header *request_headers;
  size_t request_header_count;
  char **exposed_headers;
  size_t exposed_header_count;
  int status;
  enum corsim_blocked_reason blocked_reason;
  char *console;
};

struct vector_step {
  double at;
  struct corsim_request request;       /* strings owned by the arena */
  struct corsim_header *request_headers; /* backing store of request.headers */
  bool live;                           /* no `responses`: ask a live server */
  struct vector_response *responses;
  size_t response_count;
  struct vector_expect expect;
  char *path;                          /* "cases[2].steps[0]" */
  struct vector_location location;
};

struct vector_case {
  char *id;                            /* when it did not load: the path, "cases[2]" */
  char *title;                         /* "" when it did not load */
  char **spec;
  size_t spec_count;
  char **tags;
  size_t tag_count;
  enum corsim_profile profile;
  bool has_profile;                    /* `browser` was given */
  struct vector_step *steps;
  size_t step_count;                   /* with `error`: the steps that loaded */
  char *error;                         /* the first diagnostic, or NULL */
  size_t index;                        /* position in `cases` */
  struct vector_location location;
};

struct vector_file {
  char *path;                          /* as given on the command line */
  char *suite;
  struct vector_case *cases;
  size_t case_count;
  char *error;                         /* file-level error (cannot read, bad JSON, a bad
                                          top-level field), or NULL; the cases
                                          still load after a bad top-level field */
  size_t diagnostic_count;             /* every diagnostic reported while loading */
  void *arena_;
};

/* Receives each diagnostic while loading, already rendered as one line
 * "FILE:LINE:COL: MESSAGE at PATH" (without the "corsim: " prefix or a
 * newline). */
typedef void (*vector_diag_fn)(void *ctx, const char *line);

/* Loads a vector file from disk. `raw_file` paths resolve against the
 * file's directory. Returns 0 when the file and every case loaded cleanly,
 * -1 when any diagnostic was reported (then `out` still holds what loaded,
 * with `error` set on the failing cases or the file). Release with
 * vector_file_release() in either case. Returns -2 only when out of
 * memory (nothing to release). */
int vector_load_file(const char *path, vector_diag_fn diag, void *diag_ctx,
                     struct vector_file *out);

/* The same from memory; `path` is used in diagnostics and to resolve
 * raw_file (NULL: raw_file is an error). */
int vector_load_memory(const char *path, const char *text, size_t len,
                       vector_diag_fn diag, void *diag_ctx,
                       struct vector_file *out);

void vector_file_release(struct vector_file *file);

/* The limits the loader enforces (STYLE.md §8.6). */
#define VECTOR_MAX_FILE_BYTES (64u * 1024u * 1024u)
#define VECTOR_MAX_JSON_DEPTH 64

#endif /* CORSIM_VECTOR_H */
