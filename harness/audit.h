/* audit.h: the `corsim audit` command: probes a live server with the
 * origins a CORS scanner tries (the allowed ones and hostile variants of
 * them), lets the simulator decide each answer for each browser asked, and
 * reports what a real browser would let through or refuse, with evidence
 * and a fix; plus lint findings that browsers do not enforce.
 *
 * The origin list is exposed for the unit tests (harness/tests/
 * test_audit.c); everything else is the command. */
#ifndef CORSIM_AUDIT_H
#define CORSIM_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

/* Finding classes, stable ids (they are SARIF rule ids and the first
 * column of harness/tests/audit/NAME.expected). The first group is what a
 * browser lets through or refuses; the `lint-` group is what browsers do
 * not enforce. AUDIT_LEGIT marks an --allow origin in the probe list, it
 * is never a finding. */
#define AUDIT_CLASS_MAP(X)                                                 \
  X(ORIGIN_REFLECTED, "origin-reflected")                                  \
  X(NULL_ORIGIN, "null-origin-allowed")                                    \
  X(DENIED_ORIGIN, "denied-origin-allowed")                                \
  X(PARENT_DOMAIN, "parent-domain-allowed")                                \
  X(PREFIX_LOOKALIKE, "prefix-lookalike-allowed")                          \
  X(SUFFIX_LOOKALIKE, "suffix-lookalike-allowed")                          \
  X(UNESCAPED_DOT, "unescaped-dot")                                        \
  X(ANY_SUBDOMAIN, "any-subdomain-allowed")                                \
  X(HTTP_DOWNGRADE, "http-downgrade-allowed")                              \
  X(SPECIAL_CHARACTERS, "special-characters-allowed")                      \
  X(THIRD_PARTY, "third-party-hosting-allowed")                            \
  X(LEGIT_REFUSED, "legitimate-origin-refused")                            \
  X(LINT_WILDCARD_ORIGIN, "lint-wildcard-origin")                          \
  X(LINT_MISSING_VARY, "lint-missing-vary-origin")                         \
  X(LINT_WILDCARD_CREDENTIALS, "lint-wildcard-with-credentials")           \
  X(LINT_WILDCARD_LIST_CREDENTIALS, "lint-wildcard-list-with-credentials") \
  X(LINT_MAX_AGE, "lint-max-age-above-cap")                                \
  X(LINT_HEADERS_TO_REFUSED, "lint-cors-headers-to-refused-origin")        \
  X(LINT_ERROR_WITHOUT_CORS, "lint-error-without-cors")                    \
  X(LINT_REFUSED_BEFORE_REQUEST, "lint-refused-before-request")            \
  X(LEGIT, "legitimate")

enum audit_class {
#define X(name, id) AUDIT_##name,
  AUDIT_CLASS_MAP(X)
#undef X
  AUDIT_CLASS_COUNT
};

/* "origin-reflected"; NULL for a value out of range. */
const char *audit_class_name(enum audit_class c);

/* One origin the audit sends: a serialized origin (or "null"), the class
 * it proves when a browser lets it read (AUDIT_LEGIT for an --allow
 * origin), and the --allow entry it was derived from ("" for the global
 * probes). */
struct audit_origin {
  char *origin;
  enum audit_class cls;
  char *derived_from;
};

struct audit_origins {
  struct audit_origin *items;
  size_t count;
  size_t cap_;
};

/* Builds the probe list from the --allow entries (serialized origins, a
 * wildcard whose host is `*.domain` for every subdomain of the domain, or
 * "null") and the --deny origins: the allowed origins first (a wildcard entry is
 * probed as its sample `scheme://app.domain`), then the arbitrary origin,
 * `null`, the --deny origins, the variants of each allowed origin
 * (parent domain, prefix and suffix lookalikes, each dot replaced, any
 * subdomain, http downgrade, special characters) and the third-party
 * hosting domains. Every hostile origin is serialized as a browser would
 * send it, kept once (the first class wins), and dropped when an --allow
 * entry covers it. Returns 0, or -1 with a one-line usage message in
 * `err` (an --allow or --deny that is not an origin), or -2 when out of
 * memory; on failure `out` holds nothing to release. */
int audit_origins_build(const char *const *allow, size_t allow_count,
                        const char *const *deny, size_t deny_count,
                        struct audit_origins *out, char *err,
                        size_t err_size);
void audit_origins_release(struct audit_origins *o);

/* True when the --allow entry `allow` (an origin, a `*.domain` wildcard, or
 * "null") covers the serialized origin `origin`. `*` stands for one or
 * more labels. */
bool audit_allow_covers(const char *allow, const char *origin);

/* Runs `corsim audit`; argv[0] is "audit". Parses its own options, writes
 * the report (stdout or -o FILE) and diagnostics on stderr, and returns
 * the exit code: 0 no finding (lint findings alone, unless --strict), 1 at
 * least one finding, 2 usage, 4 the server unreachable, too slow or not
 * speaking HTTP, 5 the report or --save files could not be written, or an
 * internal error. */
int audit_main(int argc, char **argv);

/* The `corsim audit --help` text. */
const char *audit_help(void);

#endif /* CORSIM_AUDIT_H */
