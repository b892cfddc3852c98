/* escape.h: makes bytes that came from a vector file or a server safe to
 * print in each report format, appending to a growable buffer.
 *
 * Every escaper below is total: any byte string in, safe text out. The
 * shared conventions, so that one byte reads the same in every report:
 *
 *   - a byte that is not part of valid UTF-8 (a stray continuation byte,
 *     an overlong form, a surrogate, a value past U+10FFFF) is written as
 *     the four characters `\xNN` (lowercase hex). We keep the byte's value
 *     rather than write U+FFFD, because "the server sent 0xff here" is
 *     exactly what a person debugging a header needs to see. In JSON and
 *     YAML this is the *text* `\xNN` (a backslash in the decoded string);
 *   - a control byte (C0 and DEL) that the format cannot carry is written
 *     as `\xNN` too, so no raw ESC ever reaches a terminal;
 *   - a valid code point that is invisible or reorders text (C1 controls,
 *     zero-width and bidi formatting characters, line/paragraph
 *     separators, BOM) is written as `\u{XXXX}` where the format has no
 *     escape of its own for it, so "https://app.example\u{200b}" shows why
 *     two origins that look equal differ.
 *
 * Out of memory is sticky: the buffer's `failed` flag is set, later
 * appends do nothing, and the caller checks the flag once. */
#ifndef CORSIM_ESCAPE_H
#define CORSIM_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

struct escape_buf {
  char *data; /* NUL-terminated once anything was appended */
  size_t len;
  size_t cap;
  bool failed; /* an allocation failed; the contents are incomplete */
};

void escape_buf_init(struct escape_buf *b);
void escape_buf_release(struct escape_buf *b);
/* Empties the buffer, keeping its storage. */
void escape_buf_reset(struct escape_buf *b);
/* The contents as a string; "" when empty. Valid until the next append. */
const char *escape_buf_str(const struct escape_buf *b);

/* Appends bytes or text verbatim (our own text, never server bytes). */
void escape_buf_add(struct escape_buf *b, const char *s, size_t len);
void escape_buf_puts(struct escape_buf *b, const char *s);
void escape_buf_printf(struct escape_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Terminal-safe (text reports, TAP descriptions): printable ASCII and
 * visible UTF-8 pass through; `\` becomes `\\` so that an escape in the
 * output is never ambiguous; C0, DEL and invalid bytes become `\xNN`;
 * invisible code points become `\u{XXXX}`. NULL appends "(null)". */
void escape_terminal(struct escape_buf *b, const char *s, size_t len);
void escape_terminal_str(struct escape_buf *b, const char *s);

/* Valid UTF-8 for a string value that cJSON will print: invalid bytes
 * become the text `\xNN`; everything else is kept (cJSON escapes `"`,
 * `\` and control characters itself). */
void escape_utf8(struct escape_buf *b, const char *s, size_t len);
/* Returns a malloc'd copy of `s` made valid UTF-8 as above, NULL when out
 * of memory (or when `s` is NULL). Free with free(). */
char *escape_utf8_dup(const char *s);

/* For a JSON *text* (such as a mismatch's "\"blocked\"") about to be
 * parsed: an invalid byte inside a string becomes `\\xNN`, which parses to
 * the same `\xNN` text as escape_utf8() gives. */
void escape_json_text(struct escape_buf *b, const char *s, size_t len);

enum escape_json_flags {
  /* `</` becomes `<\/`, so the report can sit inside an HTML <script>. */
  ESCAPE_JSON_HTML = 1 << 0
};

/* Post-processes JSON printed by cJSON (valid UTF-8, as ensured above):
 * DEL, C1 controls, U+2028/U+2029 and the invisible code points become
 * `\uXXXX`, and with ESCAPE_JSON_HTML `</` becomes `<\/`. These can only
 * occur inside strings, so the result is the same JSON value, and it is
 * also safe to print on a terminal. */
void escape_json_output(struct escape_buf *b, const char *json, size_t len,
                        unsigned flags);

/* The inside of a YAML double-quoted scalar (TAP diagnostics): `"` and
 * `\` escaped, C0/DEL/C1 as `\xNN` (YAML escapes of those code points),
 * invisible code points as `\uXXXX`, invalid bytes as the text `\\xNN`. */
void escape_yaml(struct escape_buf *b, const char *s, size_t len);

/* XML 1.0 character data or, with `attribute`, an attribute value in
 * double quotes: & < > " ' as entities; in attributes also TAB, LF, CR as
 * character references (attribute-value normalisation would eat them).
 * Characters XML 1.0 cannot carry at all (C0 but TAB/LF/CR) and invalid
 * bytes become the text `\xNN`, and so does DEL (allowed, discouraged);
 * U+FFFE, U+FFFF (not allowed), C1 controls and the invisible code points
 * (allowed, discouraged) become `\u{XXXX}`. */
void escape_xml(struct escape_buf *b, const char *s, size_t len,
                bool attribute);

/* Decodes one UTF-8 sequence of `s` (at most `len` bytes) strictly (RFC
 * 3629: no overlongs, no surrogates, nothing past U+10FFFF). Returns its
 * length and sets *cp, or 0 when the first byte does not start a valid
 * sequence. */
size_t escape_utf8_decode(const unsigned char *s, size_t len,
                          unsigned long *cp);

#endif /* CORSIM_ESCAPE_H */
