/* describe.h: plain-text phrases about a case result that several report
 * writers share (JUnit, SARIF, Markdown, HTML): what differs, the decision
 * in one line, why a case did not run, a failing step in full.
 *
 * The text is raw: it carries bytes from vector files and servers as they
 * are, so each writer escapes it for its own format afterwards (escape.c).
 * Every function appends to `b`; out of memory is sticky in `b->failed`. */
#ifndef CORSIM_DESCRIBE_H
#define CORSIM_DESCRIBE_H

#include "escape.h"
#include "report.h"

/* "origin-after-redirect" or "redirect-origin [chromium]": the case id,
 * and the browser when it is not the plain Fetch Standard. */
void describe_case_name(struct escape_buf *b, const struct case_result *c);

/* True when `browser` is the default model ("fetch" or none). */
bool describe_is_default_browser(const char *browser);

/* "request_headers.Origin: expected "https://app.example", observed "null"" */
void describe_mismatch(struct escape_buf *b, const struct result_mismatch *m);

/* "outcome blocked, cors_error MissingAllowOriginHeader, preflight none,
 * status 0", in the vector format's words. */
void describe_decision(struct escape_buf *b, const struct corsim_decision *d);

/* The verdict in a few words: "allowed, status 200", "blocked:
 * MissingAllowOriginHeader", "blocked: mixed-content", "opaque". */
void describe_verdict(struct escape_buf *b, const struct corsim_decision *d);

/* Why an erroring case did not run: its own error, or "step N: ..." of
 * its first erroring step, or "vector error". */
void describe_case_error(struct escape_buf *b, const struct case_result *c);

/* One line saying what went wrong with a case that did not pass: for a
 * failure the first mismatch of the first failing step ("step 1:
 * request_headers.Origin: expected ..., observed ...", plus "(and 2 more
 * differences)"), for an error describe_case_error(), for a skip its
 * reason. Nothing for a passing case. */
void describe_case_problem(struct escape_buf *b, const struct case_result *c);

/* How many mismatches the case's steps hold in all. */
size_t describe_mismatch_count(const struct case_result *c);

/* A step in full, one fact per line, each line starting with `indent`:
 * its status, the decision, each mismatch, the console message, the
 * redirect chain and the numbered trace. Ends with a newline. */
void describe_step(struct escape_buf *b, const struct case_result *c,
                   const struct step_result *s, const char *indent);

/* "fetch#cors-check step 4" of a trace entry. */
void describe_anchor(struct escape_buf *b, const struct corsim_trace_entry *e);

#endif /* CORSIM_DESCRIBE_H */
