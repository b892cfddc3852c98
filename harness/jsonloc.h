/* jsonloc.h: finds where a value named by a JSON path starts in JSON text
 * and turns byte offsets into 1-based line:column, for diagnostics (cJSON
 * keeps no positions).
 *
 * The scanner works on any bytes: malformed or truncated text, deep
 * nesting, escapes and duplicate keys. It never reads past `len` and uses
 * no recursion; on text that is not JSON it gives some position or none,
 * never a crash. A lookup can start at any value's offset, so a caller
 * walking a long array looks each element up from the previous one and
 * the whole walk stays linear. */
#ifndef CORSIM_JSONLOC_H
#define CORSIM_JSONLOC_H

#include <stdbool.h>
#include <stddef.h>

/* One step of a path: an array element, or an object member by its
 * decoded key. `occurrence` picks among duplicate keys: 0 is the first
 * member with that key, 1 the second, and so on. */
struct jsonloc_step {
  const char *key; /* NULL: the step is element `index` of an array */
  size_t key_len;
  size_t occurrence;
  size_t index;
};

/* Checks that `text` is one JSON document (RFC 8259) nested at most
 * `max_depth` arrays and objects deep (at most 256), with strings in UTF-8
 * and without \u0000 (cJSON would cut the string there). Returns true
 * when it is; otherwise false, with `*offset` at the first offending byte
 * and `message` (NUL-terminated, truncated to `message_size`) saying what
 * is wrong, e.g. "invalid JSON: unexpected character '}', expected a
 * string key", "invalid JSON: unexpected end of input" or "nesting deeper
 * than 64 levels". This finds the exact place that cJSON's parse end only
 * approximates (it points one byte past a bad key and cannot tell the end
 * of input from an error at the last byte). */
bool jsonloc_check(const char *text, size_t len, size_t max_depth,
                   size_t *offset, char *message, size_t message_size);

/* Follows `path` (`depth` steps) from the value that starts at byte
 * `start` (0 for the document: a UTF-8 BOM and white space are skipped).
 * With `want_key` the last step must be an object member, and the result
 * is where its key starts instead of its value. Returns true and sets
 * `*offset`, or false when the text holds no such value. */
bool jsonloc_find(const char *text, size_t len, size_t start,
                  const struct jsonloc_step *path, size_t depth,
                  bool want_key, size_t *offset);

/* Given the offset of an array element, returns the offset of the next
 * element, or `len` when it was the last one (or the text is malformed). */
size_t jsonloc_next_element(const char *text, size_t len, size_t offset);

/* Remembers where the last position was computed, so that positions asked
 * for in increasing order cost one pass over the text in all. Start it
 * zeroed. */
struct jsonloc_lines {
  size_t offset; /* a byte offset already counted up to */
  size_t line;   /* 0-based line of `offset` */
  size_t column; /* characters between that line's start and `offset` */
};

/* The 1-based line and column of byte `offset` (clamped to `len`).
 * Columns count UTF-8 characters (bytes that do not continue a sequence),
 * not counting a BOM at the start of the text. `cache` may be NULL. */
void jsonloc_position(const char *text, size_t len, size_t offset,
                      struct jsonloc_lines *cache, int *line, int *column);

#endif /* CORSIM_JSONLOC_H */
