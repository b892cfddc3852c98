/* jsonloc.c: maps a JSON path back to the line and column where its value
 * (or key) starts, by rescanning the text, for the loader's diagnostics.
 *
 * Skipping a value counts brackets outside strings instead of parsing, so
 * nesting depth costs nothing and malformed text cannot make it loop or
 * recurse. Keys are compared after decoding their escapes, the way cJSON
 * decodes them, so a path built from cJSON's keys finds `"a\u0062"` as
 * "ab". */
#include "jsonloc.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static bool is_ws(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t skip_ws(const char *t, size_t len, size_t i) {
  while (i < len && is_ws(t[i])) i++;
  return i;
}

/* t[i] is '"': returns the offset after the closing quote, or len. */
static size_t skip_string(const char *t, size_t len, size_t i) {
  i++;
  while (i < len) {
    if (t[i] == '\\') {
      if (len - i < 2) return len;
      i += 2;
    } else if (t[i] == '"') {
      return i + 1;
    } else {
      i++;
    }
  }
  return len;
}

/* Returns the offset just after the value starting at t[i]; always moves
 * forward by at least one byte when i < len. */
static size_t skip_value(const char *t, size_t len, size_t i) {
  if (i >= len) return len;
  if (t[i] == '"') return skip_string(t, len, i);
  if (t[i] == '{' || t[i] == '[') {
    size_t depth = 0;
    while (i < len) {
      char c = t[i];
      if (c == '"') {
        i = skip_string(t, len, i);
        continue;
      }
      if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
        if (depth == 0) return i + 1;
      }
      i++;
    }
    return len;
  }
  size_t from = i;
  while (i < len && !is_ws(t[i]) && t[i] != ',' && t[i] != ':' &&
         t[i] != '}' && t[i] != ']' && t[i] != '{' && t[i] != '[' &&
         t[i] != '"')
    i++;
  return i > from ? i : i + 1;
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Reads 4 hex digits at t[i]; -1 when they are not there. */
static long read_hex4(const char *t, size_t len, size_t i) {
  if (len < 4 || i > len - 4) return -1;
  long v = 0;
  for (size_t k = 0; k < 4; k++) {
    int d = hex_digit(t[i + k]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

static size_t utf8_encode(unsigned long cp, unsigned char *out) {
  if (cp < 0x80) {
    out[0] = (unsigned char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (unsigned char)(0xC0 | (cp >> 6));
    out[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (unsigned char)(0xE0 | (cp >> 12));
    out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (unsigned char)(0xF0 | (cp >> 18));
  out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (unsigned char)(0x80 | (cp & 0x3F));
  return 4;
}

/* t[i] is '"': true when the string decodes to exactly key[0..key_len). */
static bool string_equals(const char *t, size_t len, size_t i,
                          const char *key, size_t key_len) {
  size_t k = 0;
  i++;
  while (i < len && t[i] != '"') {
    unsigned char buf[4];
    size_t n;
    if (t[i] != '\\') {
      buf[0] = (unsigned char)t[i];
      n = 1;
      i++;
    } else {
      if (i + 1 >= len) return false;
      char e = t[i + 1];
      i += 2;
      switch (e) {
      case 'b': buf[0] = '\b'; n = 1; break;
      case 'f': buf[0] = '\f'; n = 1; break;
      case 'n': buf[0] = '\n'; n = 1; break;
      case 'r': buf[0] = '\r'; n = 1; break;
      case 't': buf[0] = '\t'; n = 1; break;
      case 'u': {
        long hi = read_hex4(t, len, i);
        if (hi < 0) return false;
        i += 4;
        unsigned long cp = (unsigned long)hi;
        if (hi >= 0xD800 && hi <= 0xDBFF) {
          /* A surrogate pair: "\uD83D\uDE00". */
          if (i + 1 >= len || t[i] != '\\' || t[i + 1] != 'u') return false;
          long lo = read_hex4(t, len, i + 2);
          if (lo < 0xDC00 || lo > 0xDFFF) return false;
          i += 6;
          cp = 0x10000 + (((unsigned long)hi - 0xD800) << 10) +
               ((unsigned long)lo - 0xDC00);
        }
        n = utf8_encode(cp, buf);
        break;
      }
      default: buf[0] = (unsigned char)e; n = 1; break; /* \" \\ \/ */
      }
    }
    if (n > key_len - k || memcmp(key + k, buf, n) != 0) return false;
    k += n;
  }
  return i < len && k == key_len;
}

/* ---- syntax check ------------------------------------------------------ */

struct check {
  const char *t;
  size_t len;
  size_t *offset;
  char *message;
  size_t message_size;
};

__attribute__((format(printf, 3, 4))) static bool check_fail(
    struct check *c, size_t at, const char *fmt, ...) {
  *c->offset = at;
  if (c->message_size > 0) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->message, c->message_size, fmt, ap);
    va_end(ap);
  }
  return false;
}

/* How a byte is named in a message: 'x', or byte 0x01 when not printable. */
static void describe(char c, char *out, size_t size) {
  unsigned char u = (unsigned char)c;
  if (u == '\'')
    snprintf(out, size, "character \"'\"");
  else if (u > 0x20 && u < 0x7f)
    snprintf(out, size, "character '%c'", c);
  else if (u == ' ')
    snprintf(out, size, "space");
  else
    snprintf(out, size, "byte 0x%02X", u);
}

static bool unexpected(struct check *c, size_t at, const char *expected) {
  if (at >= c->len)
    return check_fail(c, c->len, "invalid JSON: unexpected end of input, expected %s",
                      expected);
  char what[32];
  describe(c->t[at], what, sizeof what);
  return check_fail(c, at, "invalid JSON: unexpected %s, expected %s", what,
                    expected);
}

static bool is_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-' ||
         c == '_';
}

/* The word at `at`, for "invalid number '01'" (at most 24 bytes shown). */
static bool bad_word(struct check *c, size_t at, const char *what) {
  size_t n = 0;
  while (at + n < c->len && n < 24 && is_word(c->t[at + n])) n++;
  return check_fail(c, at, "invalid JSON: invalid %s '%.*s'", what, (int)n,
                    c->t + at);
}

/* Length of the UTF-8 sequence at t[i] (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), or 0 when it is not one. */
static size_t utf8_length(const char *t, size_t len, size_t i) {
  const unsigned char *u = (const unsigned char *)t + i;
  size_t left = len - i;
  if (u[0] < 0x80) return 1;
  if (u[0] >= 0xC2 && u[0] <= 0xDF)
    return left >= 2 && (u[1] & 0xC0) == 0x80 ? 2 : 0;
  if (u[0] >= 0xE0 && u[0] <= 0xEF) {
    if (left < 3 || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80) return 0;
    if (u[0] == 0xE0 && u[1] < 0xA0) return 0;
    if (u[0] == 0xED && u[1] > 0x9F) return 0;
    return 3;
  }
  if (u[0] >= 0xF0 && u[0] <= 0xF4) {
    if (left < 4 || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80 ||
        (u[3] & 0xC0) != 0x80)
      return 0;
    if (u[0] == 0xF0 && u[1] < 0x90) return 0;
    if (u[0] == 0xF4 && u[1] > 0x8F) return 0;
    return 4;
  }
  return 0;
}

/* t[*i] is '"': moves *i past the closing quote. */
static bool check_string(struct check *c, size_t *i) {
  size_t open = *i;
  size_t p = open + 1;
  for (;;) {
    if (p >= c->len) return check_fail(c, open, "invalid JSON: unterminated string");
    unsigned char u = (unsigned char)c->t[p];
    if (u == '"') break;
    if (u < 0x20)
      return check_fail(c, p,
                        "invalid JSON: control character 0x%02X must be "
                        "escaped in a string",
                        u);
    if (u == '\\') {
      if (p + 1 >= c->len)
        return check_fail(c, open, "invalid JSON: unterminated string");
      char e = c->t[p + 1];
      if (e == 'u') {
        long v = read_hex4(c->t, c->len, p + 2);
        if (v < 0)
          return check_fail(c, p, "invalid JSON: \\u must be followed by 4 hex digits");
        if (v == 0)
          return check_fail(c, p, "strings cannot contain \\u0000");
        if (v >= 0xDC00 && v <= 0xDFFF)
          return check_fail(c, p, "invalid JSON: lone surrogate \\u%04lX", v);
        if (v >= 0xD800 && v <= 0xDBFF) {
          long lo = p + 7 < c->len && c->t[p + 6] == '\\' && c->t[p + 7] == 'u'
                        ? read_hex4(c->t, c->len, p + 8)
                        : -1;
          if (lo < 0xDC00 || lo > 0xDFFF)
            return check_fail(c, p, "invalid JSON: lone surrogate \\u%04lX", v);
          p += 6;
        }
        p += 6;
      } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' ||
                 e == 'n' || e == 'r' || e == 't') {
        p += 2;
      } else {
        char what[32];
        describe(e, what, sizeof what);
        return check_fail(c, p, "invalid JSON: invalid escape: backslash before %s",
                          what);
      }
    } else {
      size_t n = utf8_length(c->t, c->len, p);
      if (n == 0)
        return check_fail(c, p, "invalid JSON: invalid UTF-8 byte 0x%02X in a string",
                          u);
      p += n;
    }
  }
  *i = p + 1;
  return true;
}

static bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

/* t[*i] is '-' or a digit. */
static bool check_number(struct check *c, size_t *i) {
  size_t start = *i, p = *i;
  const char *t = c->t;
  size_t len = c->len;
  if (t[p] == '-') p++;
  if (p < len && t[p] == '0') {
    p++;
  } else if (p < len && is_digit(t[p])) {
    while (p < len && is_digit(t[p])) p++;
  } else {
    return bad_word(c, start, "number");
  }
  if (p < len && t[p] == '.') {
    p++;
    if (p >= len || !is_digit(t[p])) return bad_word(c, start, "number");
    while (p < len && is_digit(t[p])) p++;
  }
  if (p < len && (t[p] == 'e' || t[p] == 'E')) {
    p++;
    if (p < len && (t[p] == '+' || t[p] == '-')) p++;
    if (p >= len || !is_digit(t[p])) return bad_word(c, start, "number");
    while (p < len && is_digit(t[p])) p++;
  }
  if (p < len && is_word(t[p])) return bad_word(c, start, "number");
  *i = p;
  return true;
}

static bool check_literal(struct check *c, size_t *i) {
  static const char *const words[] = {"true", "false", "null"};
  for (size_t k = 0; k < 3; k++) {
    size_t n = strlen(words[k]);
    if (c->len - *i >= n && memcmp(c->t + *i, words[k], n) == 0 &&
        (c->len - *i == n || !is_word(c->t[*i + n]))) {
      *i += n;
      return true;
    }
  }
  return bad_word(c, *i, "literal");
}

enum expect {
  EXPECT_VALUE,         /* top level, after ':' or after ',' in an array */
  EXPECT_VALUE_OR_END,  /* just after '[' */
  EXPECT_KEY_OR_END,    /* just after '{' */
  EXPECT_KEY,           /* after ',' in an object */
  EXPECT_COLON,
  EXPECT_COMMA_OR_END,
  EXPECT_NOTHING        /* the top-level value is complete */
};

bool jsonloc_check(const char *text, size_t len, size_t max_depth,
                   size_t *offset, char *message, size_t message_size) {
  char stack[256];
  size_t depth = 0;
  size_t scratch_offset;
  struct check c = {text != NULL ? text : "", text != NULL ? len : 0,
                    offset != NULL ? offset : &scratch_offset, message,
                    message != NULL ? message_size : 0};
  if (max_depth > sizeof stack) max_depth = sizeof stack;
  if (c.message_size > 0) c.message[0] = '\0';
  size_t i = 0;
  if (c.len >= 3 && memcmp(c.t, "\xEF\xBB\xBF", 3) == 0) i = 3;
  enum expect state = EXPECT_VALUE;
  for (;;) {
    i = skip_ws(c.t, c.len, i);
    if (i >= c.len) {
      if (state == EXPECT_NOTHING) return true;
      break; /* reported below */
    }
    char ch = c.t[i];
    bool value_done = false;
    switch (state) {
    case EXPECT_NOTHING:
      return unexpected(&c, i, "the end of the document");
    case EXPECT_VALUE_OR_END:
      if (ch == ']') {
        depth--;
        i++;
        value_done = true;
        break;
      }
      /* fall through */
    case EXPECT_VALUE:
      if (ch == '{' || ch == '[') {
        if (depth >= max_depth)
          return check_fail(&c, i, "nesting deeper than %zu levels", max_depth);
        stack[depth++] = ch;
        state = ch == '{' ? EXPECT_KEY_OR_END : EXPECT_VALUE_OR_END;
        i++;
      } else if (ch == '"') {
        if (!check_string(&c, &i)) return false;
        value_done = true;
      } else if (ch == '-' || is_digit(ch)) {
        if (!check_number(&c, &i)) return false;
        value_done = true;
      } else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) {
        if (!check_literal(&c, &i)) return false;
        value_done = true;
      } else {
        return unexpected(&c, i, state == EXPECT_VALUE_OR_END ? "a value or ']'"
                                                             : "a value");
      }
      break;
    case EXPECT_KEY_OR_END:
      if (ch == '}') {
        depth--;
        i++;
        value_done = true;
        break;
      }
      /* fall through */
    case EXPECT_KEY:
      if (ch != '"')
        return unexpected(&c, i, state == EXPECT_KEY_OR_END ? "a string key or '}'"
                                                           : "a string key");
      if (!check_string(&c, &i)) return false;
      state = EXPECT_COLON;
      break;
    case EXPECT_COLON:
      if (ch != ':') return unexpected(&c, i, "':'");
      i++;
      state = EXPECT_VALUE;
      break;
    case EXPECT_COMMA_OR_END: {
      char close = stack[depth - 1] == '{' ? '}' : ']';
      if (ch == ',') {
        i++;
        state = close == '}' ? EXPECT_KEY : EXPECT_VALUE;
      } else if (ch == close) {
        depth--;
        i++;
        value_done = true;
      } else {
        return unexpected(&c, i, close == '}' ? "',' or '}'" : "',' or ']'");
      }
      break;
    }
    }
    if (value_done) state = depth == 0 ? EXPECT_NOTHING : EXPECT_COMMA_OR_END;
  }
  switch (state) {
  case EXPECT_VALUE: return unexpected(&c, c.len, "a value");
  case EXPECT_VALUE_OR_END: return unexpected(&c, c.len, "a value or ']'");
  case EXPECT_KEY_OR_END: return unexpected(&c, c.len, "a string key or '}'");
  case EXPECT_KEY: return unexpected(&c, c.len, "a string key");
  case EXPECT_COLON: return unexpected(&c, c.len, "':'");
  case EXPECT_COMMA_OR_END:
    return unexpected(&c, c.len, stack[depth - 1] == '{' ? "',' or '}'" : "',' or ']'");
  case EXPECT_NOTHING: break;
  }
  return true;
}

/* ---- paths ------------------------------------------------------------- */

bool jsonloc_find(const char *text, size_t len, size_t start,
                  const struct jsonloc_step *path, size_t depth,
                  bool want_key, size_t *offset) {
  if (text == NULL || start > len) return false;
  size_t i = start;
  if (i == 0 && len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) i = 3;
  i = skip_ws(text, len, i);
  if (depth == 0) {
    if (want_key) return false;
    *offset = i;
    return true;
  }
  for (size_t s = 0; s < depth; s++) {
    const struct jsonloc_step *step = &path[s];
    bool last = s + 1 == depth;
    if (step->key == NULL) {
      if (i >= len || text[i] != '[' || (last && want_key)) return false;
      i = skip_ws(text, len, i + 1);
      for (size_t k = 0;; k++) {
        if (i >= len || text[i] == ']') return false;
        if (k == step->index) break;
        i = skip_ws(text, len, skip_value(text, len, i));
        if (i >= len || text[i] != ',') return false;
        i = skip_ws(text, len, i + 1);
      }
    } else {
      if (i >= len || text[i] != '{') return false;
      i = skip_ws(text, len, i + 1);
      size_t seen = 0;
      for (;;) {
        if (i >= len || text[i] != '"') return false;
        size_t key_at = i;
        bool match =
            string_equals(text, len, i, step->key, step->key_len);
        i = skip_ws(text, len, skip_string(text, len, i));
        if (i >= len || text[i] != ':') return false;
        i = skip_ws(text, len, i + 1);
        if (match && seen++ == step->occurrence) {
          if (last && want_key) i = key_at;
          break;
        }
        i = skip_ws(text, len, skip_value(text, len, i));
        if (i >= len || text[i] != ',') return false;
        i = skip_ws(text, len, i + 1);
      }
    }
  }
  *offset = i;
  return true;
}

size_t jsonloc_next_element(const char *text, size_t len, size_t offset) {
  if (text == NULL || offset >= len) return len;
  size_t i = skip_ws(text, len, skip_value(text, len, offset));
  if (i >= len || text[i] != ',') return len;
  return skip_ws(text, len, i + 1);
}

void jsonloc_position(const char *text, size_t len, size_t offset,
                      struct jsonloc_lines *cache, int *line, int *column) {
  struct jsonloc_lines local = {0, 0, 0};
  struct jsonloc_lines *c = cache != NULL ? cache : &local;
  if (text == NULL) len = 0;
  if (offset > len) offset = len;
  if (c->offset > offset) {
    c->offset = 0;
    c->line = 0;
    c->column = 0;
  }
  size_t bom = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  for (size_t i = c->offset; i < offset; i++) {
    if (text[i] == '\n') {
      c->line++;
      c->column = 0;
    } else if (((unsigned char)text[i] & 0xC0) != 0x80 && i >= bom) {
      c->column++;
    }
  }
  c->offset = offset;
  *line = c->line + 1 > (size_t)INT_MAX ? INT_MAX : (int)(c->line + 1);
  *column = c->column + 1 > (size_t)INT_MAX ? INT_MAX : (int)(c->column + 1);
}
