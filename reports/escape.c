/* escape.c: turns bytes from vector files and servers into text that is
 * safe for a terminal, valid UTF-8 for JSON, a YAML scalar or XML 1.0.
 *
 * One strict UTF-8 decoder drives every escaper; each escaper is a loop
 * that decodes one sequence (or fails on one byte) and asks its format
 * what to write for it. The conventions shared by all formats are in
 * escape.h. */
#include "escape.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the buffer ---------------------------------------------------------- */

void escape_buf_init(struct escape_buf *b) {
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
  b->failed = false;
}

void escape_buf_release(struct escape_buf *b) {
  free(b->data);
  escape_buf_init(b);
}

void escape_buf_reset(struct escape_buf *b) {
  b->len = 0;
  if (b->data != NULL) b->data[0] = '\0';
}

const char *escape_buf_str(const struct escape_buf *b) {
  return b->data != NULL ? b->data : "";
}

/* Makes room for `extra` more bytes plus the NUL; false when out of memory
 * (then `failed` is set and stays set). */
static bool reserve(struct escape_buf *b, size_t extra) {
  if (b->failed) return false;
  if (extra > (size_t)-1 - b->len - 1) {
    b->failed = true;
    return false;
  }
  size_t need = b->len + extra + 1;
  if (need <= b->cap) return true;
  size_t cap = b->cap != 0 ? b->cap : 64;
  while (cap < need) cap = cap > (size_t)-1 / 2 ? need : cap * 2;
  char *data = realloc(b->data, cap);
  if (data == NULL) {
    b->failed = true;
    return false;
  }
  b->data = data;
  b->cap = cap;
  return true;
}

void escape_buf_add(struct escape_buf *b, const char *s, size_t len) {
  if (!reserve(b, len)) return;
  if (len != 0) memcpy(b->data + b->len, s, len);
  b->len += len;
  b->data[b->len] = '\0';
}

void escape_buf_puts(struct escape_buf *b, const char *s) {
  escape_buf_add(b, s, strlen(s));
}

static void add_char(struct escape_buf *b, char c) { escape_buf_add(b, &c, 1); }

void escape_buf_printf(struct escape_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if (n < 0) {
    b->failed = true;
  } else if (reserve(b, (size_t)n)) {
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
  }
  va_end(ap);
}

/* ---- UTF-8 --------------------------------------------------------------- */

size_t escape_utf8_decode(const unsigned char *s, size_t len,
                          unsigned long *cp) {
  if (len == 0) return 0;
  unsigned char c = s[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t n;
  unsigned long v;
  unsigned char lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
    v = c & 0x1fu;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    v = c & 0x0fu;
    if (c == 0xe0) lo = 0xa0;      /* no overlongs */
    else if (c == 0xed) hi = 0x9f; /* no surrogates */
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    v = c & 0x07u;
    if (c == 0xf0) lo = 0x90;      /* no overlongs */
    else if (c == 0xf4) hi = 0x8f; /* nothing past U+10FFFF */
  } else {
    return 0; /* a continuation byte, C0/C1 (overlong) or F5..FF */
  }
  if (len < n) return 0;
  if (s[1] < lo || s[1] > hi) return 0;
  for (size_t i = 1; i < n; i++) {
    if (i > 1 && (s[i] < 0x80 || s[i] > 0xbf)) return 0;
    v = (v << 6) | (s[i] & 0x3fu);
  }
  *cp = v;
  return n;
}

/* Code points that print as nothing, or that move or reorder the text
 * around them: C1 controls, soft hyphen, the Arabic letter mark, the
 * Mongolian vowel separator, zero-width and bidi formatting characters,
 * line and paragraph separators, word joiners, BOM, interlinear
 * annotation marks and the tag characters. */
static bool is_invisible(unsigned long cp) {
  return (cp >= 0x80 && cp <= 0x9f) || cp == 0xad || cp == 0x61c ||
         cp == 0x180e || (cp >= 0x200b && cp <= 0x200f) ||
         (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) ||
         cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb) ||
         (cp >= 0xe0000 && cp <= 0xe007f);
}

static void add_hex_byte(struct escape_buf *b, const char *prefix,
                         unsigned char c) {
  escape_buf_printf(b, "%s%02x", prefix, (unsigned)c);
}

/* `\uXXXX` as JSON and YAML spell it, with a surrogate pair past the BMP. */
static void add_u16(struct escape_buf *b, unsigned long cp) {
  if (cp >= 0x10000) {
    unsigned long v = cp - 0x10000;
    escape_buf_printf(b, "\\u%04lx\\u%04lx", 0xd800 + (v >> 10),
                      0xdc00 + (v & 0x3ff));
  } else {
    escape_buf_printf(b, "\\u%04lx", cp);
  }
}

/* ---- terminal ------------------------------------------------------------ */

void escape_terminal(struct escape_buf *b, const char *s, size_t len) {
  if (s == NULL) {
    escape_buf_puts(b, "(null)");
    return;
  }
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    unsigned long cp = 0;
    size_t n = escape_utf8_decode(p + i, len - i, &cp);
    if (n == 0) {
      add_hex_byte(b, "\\x", p[i]);
      i++;
      continue;
    }
    if (cp < 0x20 || cp == 0x7f)
      add_hex_byte(b, "\\x", (unsigned char)cp);
    else if (cp == '\\')
      escape_buf_puts(b, "\\\\");
    else if (is_invisible(cp))
      escape_buf_printf(b, "\\u{%04lx}", cp);
    else
      escape_buf_add(b, s + i, n);
    i += n;
  }
}

void escape_terminal_str(struct escape_buf *b, const char *s) {
  escape_terminal(b, s, s != NULL ? strlen(s) : 0);
}

/* ---- JSON ---------------------------------------------------------------- */

void escape_utf8(struct escape_buf *b, const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    unsigned long cp = 0;
    size_t n = escape_utf8_decode(p + i, len - i, &cp);
    if (n == 0) {
      add_hex_byte(b, "\\x", p[i]);
      i++;
    } else {
      escape_buf_add(b, s + i, n);
      i += n;
    }
  }
}

char *escape_utf8_dup(const char *s) {
  if (s == NULL) return NULL;
  struct escape_buf b;
  escape_buf_init(&b);
  escape_utf8(&b, s, strlen(s));
  escape_buf_add(&b, "", 0); /* an empty string still gets storage */
  if (b.failed) {
    escape_buf_release(&b);
    return NULL;
  }
  return b.data;
}

void escape_json_text(struct escape_buf *b, const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    unsigned long cp = 0;
    size_t n = escape_utf8_decode(p + i, len - i, &cp);
    if (n == 0) {
      add_hex_byte(b, "\\\\x", p[i]);
      i++;
    } else {
      escape_buf_add(b, s + i, n);
      i += n;
    }
  }
}

void escape_json_output(struct escape_buf *b, const char *json, size_t len,
                        unsigned flags) {
  const unsigned char *p = (const unsigned char *)json;
  size_t i = 0;
  while (i < len) {
    /* fast path: a run of printable ASCII other than '<' goes out in one
     * copy (most of a report) */
    size_t run = i;
    while (run < len && p[run] >= 0x20 && p[run] < 0x7f && p[run] != '<') run++;
    if (run > i) {
      escape_buf_add(b, json + i, run - i);
      i = run;
      continue;
    }
    unsigned long cp = 0;
    size_t n = escape_utf8_decode(p + i, len - i, &cp);
    if (n == 0) {
      /* Not expected after escape_utf8(); keep the output valid anyway. */
      add_hex_byte(b, "\\\\x", p[i]);
      i++;
      continue;
    }
    if (cp == 0x7f || is_invisible(cp))
      add_u16(b, cp);
    else if (cp == '<' && (flags & ESCAPE_JSON_HTML) && i + 1 < len &&
             json[i + 1] == '/') {
      escape_buf_puts(b, "<\\/");
      n = 2;
    } else
      escape_buf_add(b, json + i, n);
    i += n;
  }
}

/* ---- YAML ---------------------------------------------------------------- */

void escape_yaml(struct escape_buf *b, const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    unsigned long cp = 0;
    size_t n = escape_utf8_decode(p + i, len - i, &cp);
    if (n == 0) {
      add_hex_byte(b, "\\\\x", p[i]);
      i++;
      continue;
    }
    if (cp == '"' || cp == '\\') {
      add_char(b, '\\');
      add_char(b, (char)cp);
    } else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
      escape_buf_printf(b, "\\x%02lx", cp);
    } else if (is_invisible(cp) || cp == 0xfffe || cp == 0xffff) {
      if (cp >= 0x10000)
        escape_buf_printf(b, "\\U%08lx", cp);
      else
        escape_buf_printf(b, "\\u%04lx", cp);
    } else {
      escape_buf_add(b, s + i, n);
    }
    i += n;
  }
}

/* ---- XML ----------------------------------------------------------------- */

void escape_xml(struct escape_buf *b, const char *s, size_t len,
                bool attribute) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    unsigned long cp = 0;
    size_t n = escape_utf8_decode(p + i, len - i, &cp);
    if (n == 0) {
      add_hex_byte(b, "\\x", p[i]);
      i++;
      continue;
    }
    switch (cp) {
    case '&': escape_buf_puts(b, "&amp;"); break;
    case '<': escape_buf_puts(b, "&lt;"); break;
    case '>': escape_buf_puts(b, "&gt;"); break;
    case '"': escape_buf_puts(b, "&quot;"); break;
    case '\'': escape_buf_puts(b, "&apos;"); break;
    case '\t':
    case '\n':
    case '\r':
      if (attribute)
        escape_buf_printf(b, "&#%lu;", cp);
      else
        add_char(b, (char)cp);
      break;
    default:
      /* XML 1.0 Char excludes the other C0 controls and U+FFFE/U+FFFF: a
       * document carrying them is not well-formed, so they become text. */
      if (cp < 0x20 || cp == 0x7f)
        add_hex_byte(b, "\\x", (unsigned char)cp);
      else if (cp == 0xfffe || cp == 0xffff || is_invisible(cp))
        escape_buf_printf(b, "\\u{%04lx}", cp);
      else
        escape_buf_add(b, s + i, n);
    }
    i += n;
  }
}
