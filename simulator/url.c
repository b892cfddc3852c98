/* url.c: the URL Standard's basic URL parser and serializer, for the URLs a
 * fetch meets: special schemes with hosts (domains with IDNA, IPv4 in all
 * its forms, IPv6), file:, and opaque-path URLs such as data: or about:.
 *
 * The parser is written as the standard's states folded into a few
 * functions: scheme, authority (userinfo, host, port), path with dot
 * segments, query and fragment, and the relative states that resolve a
 * `Location` against the current URL. Validation errors that the standard
 * only reports are not reported; failures are. */
#include <string.h>

#include "sim.h"

/* ---- percent-encode sets (url#percent-encoded-bytes) --------------------- */

enum encode_set { SET_C0, SET_FRAGMENT, SET_QUERY, SET_SPECIAL_QUERY,
                  SET_PATH, SET_USERINFO };

static bool in_encode_set(unsigned char c, enum encode_set set) {
  if (c < 0x20 || c > 0x7E) return true;
  switch (set) {
    case SET_C0:
      return false;
    case SET_FRAGMENT:
      return c == ' ' || c == '"' || c == '<' || c == '>' || c == '`';
    case SET_QUERY:
      return c == ' ' || c == '"' || c == '#' || c == '<' || c == '>';
    case SET_SPECIAL_QUERY:
      return c == ' ' || c == '"' || c == '#' || c == '<' || c == '>' ||
             c == '\'';
    case SET_PATH:
      return in_encode_set(c, SET_QUERY) || c == '?' || c == '^' ||
             c == '`' || c == '{' || c == '}';
    case SET_USERINFO:
      return in_encode_set(c, SET_PATH) || c == '/' || c == ':' ||
             c == ';' || c == '=' || c == '@' || (c >= '[' && c <= '^') ||
             c == '|';
  }
  return true;
}

static bool append_encoded(struct sim_buf *b, const char *s, size_t len,
                           enum encode_set set) {
  static const char hex[] = "0123456789ABCDEF";
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (in_encode_set(c, set)) {
      char e[3] = {'%', hex[c >> 4], hex[c & 15]};
      if (!sim_buf_append(b, e, 3)) return false;
    } else if (!sim_buf_append_char(b, (char)c)) {
      return false;
    }
  }
  return true;
}

static char *encoded_copy(struct sim_arena *arena, const char *s, size_t len,
                          enum encode_set set) {
  struct sim_buf b;
  sim_buf_init(&b, arena);
  if (!append_encoded(&b, s, len, set)) return NULL;
  return sim_buf_cstr(&b);
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* url#percent-decode */
static char *percent_decode(struct sim_arena *arena, const char *s, size_t len,
                            size_t *out_len) {
  char *p = sim_arena_alloc(arena, len + 1);
  if (p == NULL) return NULL;
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] == '%' && i + 2 < len && hex_value(s[i + 1]) >= 0 &&
        hex_value(s[i + 2]) >= 0) {
      p[n++] = (char)(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      p[n++] = s[i];
    }
  }
  p[n] = '\0';
  *out_len = n;
  return p;
}

/* ---- schemes ------------------------------------------------------------- */

static const struct {
  const char *scheme;
  int port;
} special_schemes[] = {{"ftp", 21}, {"file", -1}, {"http", 80},
                       {"https", 443}, {"ws", 80}, {"wss", 443}};

static bool is_special_scheme(const char *s) {
  for (size_t i = 0; i < sizeof special_schemes / sizeof special_schemes[0];
       i++)
    if (strcmp(s, special_schemes[i].scheme) == 0) return true;
  return false;
}

int sim_default_port(const char *scheme) {
  for (size_t i = 0; i < sizeof special_schemes / sizeof special_schemes[0];
       i++)
    if (strcmp(scheme, special_schemes[i].scheme) == 0)
      return special_schemes[i].port;
  return -1;
}

bool sim_url_is_http_scheme(const struct sim_url *url) {
  return strcmp(url->scheme, "http") == 0 || strcmp(url->scheme, "https") == 0;
}

bool sim_url_includes_credentials(const struct sim_url *url) {
  return url->username[0] != '\0' || url->password[0] != '\0';
}

/* ---- IPv4 (url#concept-ipv4-parser) --------------------------------------- */

/* url#ipv4-number-parser: false on failure. */
static bool ipv4_number(const char *s, size_t len, uint64_t *out) {
  if (len == 0) return false;
  int radix = 10;
  if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    radix = 16;
    s += 2;
    len -= 2;
  } else if (len >= 2 && s[0] == '0') {
    radix = 8;
    s += 1;
    len -= 1;
  }
  uint64_t v = 0;
  for (size_t i = 0; i < len; i++) {
    int d = hex_value(s[i]);
    if (d < 0 || d >= radix) return false;
    if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)radix)
      v = UINT64_MAX; /* saturate: it will fail the range check */
    else
      v = v * (uint64_t)radix + (uint64_t)d;
  }
  *out = v;
  return true;
}

/* url#ends-in-a-number-checker */
static bool ends_in_a_number(const char *s, size_t len) {
  if (len > 0 && s[len - 1] == '.') len--;
  if (len == 0) return false;
  size_t start = len;
  while (start > 0 && s[start - 1] != '.') start--;
  const char *last = s + start;
  size_t n = len - start;
  if (n == 0) return false;
  bool digits = true;
  for (size_t i = 0; i < n; i++)
    if (last[i] < '0' || last[i] > '9') digits = false;
  if (digits) return true;
  uint64_t v;
  return ipv4_number(last, n, &v);
}

static bool ipv4_parse(const char *s, size_t len, uint32_t *out) {
  uint64_t parts[4];
  size_t count = 0;
  if (len > 0 && s[len - 1] == '.') len--;
  size_t i = 0;
  while (i <= len) {
    size_t j = i;
    while (j < len && s[j] != '.') j++;
    if (count == 4) return false;
    if (!ipv4_number(s + i, j - i, &parts[count])) return false;
    count++;
    i = j + 1;
    if (j == len) break;
  }
  for (size_t k = 0; k + 1 < count; k++)
    if (parts[k] > 255) return false;
  uint64_t limit = 1;
  for (size_t k = 0; k < 5 - count; k++) limit *= 256;
  if (parts[count - 1] >= limit) return false;
  uint64_t v = parts[count - 1];
  for (size_t k = 0; k + 1 < count; k++) v += parts[k] << (8 * (3 - k));
  *out = (uint32_t)v;
  return true;
}

/* ---- IPv6 (url#concept-ipv6-parser) ---------------------------------------- */

static bool ipv6_parse(const char *s, size_t len, uint16_t addr[8]) {
  memset(addr, 0, 8 * sizeof addr[0]);
  int piece = 0, compress = -1;
  size_t p = 0;
  if (p < len && s[p] == ':') {
    if (p + 1 >= len || s[p + 1] != ':') return false;
    p += 2;
    piece++;
    compress = piece;
  }
  while (p < len) {
    if (piece == 8) return false;
    if (s[p] == ':') {
      if (compress != -1) return false;
      p++;
      piece++;
      compress = piece;
      continue;
    }
    unsigned value = 0;
    int length = 0;
    while (length < 4 && p < len && hex_value(s[p]) >= 0) {
      value = value * 16 + (unsigned)hex_value(s[p]);
      p++;
      length++;
    }
    if (p < len && s[p] == '.') {
      if (length == 0) return false;
      p -= (size_t)length;
      if (piece > 6) return false;
      int numbers_seen = 0;
      while (p < len) {
        int ipv4_piece = -1;
        if (numbers_seen > 0) {
          if (s[p] == '.' && numbers_seen < 4)
            p++;
          else
            return false;
        }
        if (p >= len || s[p] < '0' || s[p] > '9') return false;
        while (p < len && s[p] >= '0' && s[p] <= '9') {
          int number = s[p] - '0';
          if (ipv4_piece == -1)
            ipv4_piece = number;
          else if (ipv4_piece == 0)
            return false;
          else
            ipv4_piece = ipv4_piece * 10 + number;
          if (ipv4_piece > 255) return false;
          p++;
        }
        addr[piece] = (uint16_t)(addr[piece] * 0x100 + ipv4_piece);
        numbers_seen++;
        if (numbers_seen == 2 || numbers_seen == 4) piece++;
      }
      if (numbers_seen != 4) return false;
      break;
    } else if (p < len && s[p] == ':') {
      p++;
      if (p >= len) return false;
    } else if (p < len) {
      return false;
    }
    addr[piece] = (uint16_t)value;
    piece++;
  }
  if (compress != -1) {
    int swaps = piece - compress;
    piece = 7;
    while (piece != 0 && swaps > 0) {
      uint16_t t = addr[piece];
      addr[piece] = addr[compress + swaps - 1];
      addr[compress + swaps - 1] = t;
      piece--;
      swaps--;
    }
  } else if (piece != 8) {
    return false;
  }
  return true;
}

/* url#concept-ipv6-serializer (without brackets) */
static char *ipv6_serialize(struct sim_arena *arena, const uint16_t a[8]) {
  int best = -1, best_len = 1;
  for (int i = 0; i < 8;) {
    if (a[i] != 0) {
      i++;
      continue;
    }
    int j = i;
    while (j < 8 && a[j] == 0) j++;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  struct sim_buf b;
  sim_buf_init(&b, arena);
  bool ignore0 = false;
  for (int i = 0; i < 8; i++) {
    if (ignore0 && a[i] == 0) continue;
    ignore0 = false;
    if (best == i) {
      sim_buf_append_str(&b, i == 0 ? "::" : ":");
      ignore0 = true;
      continue;
    }
    char piece[8];
    static const char hex[] = "0123456789abcdef";
    int n = 0;
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      int d = (a[i] >> shift) & 15;
      if (d || started || shift == 0) {
        piece[n++] = hex[d];
        started = true;
      }
    }
    sim_buf_append(&b, piece, (size_t)n);
    if (i != 7) sim_buf_append_char(&b, ':');
  }
  return sim_buf_cstr(&b);
}

/* ---- domains: a reduced UTS #46 mapping and Punycode (RFC 3492) ---------- */

static bool utf8_decode(const unsigned char *s, size_t len, size_t *i,
                        uint32_t *cp) {
  unsigned char c = s[*i];
  uint32_t v;
  int extra;
  if (c < 0x80) {
    *cp = c;
    (*i)++;
    return true;
  } else if ((c & 0xE0) == 0xC0) {
    v = c & 0x1F;
    extra = 1;
  } else if ((c & 0xF0) == 0xE0) {
    v = c & 0x0F;
    extra = 2;
  } else if ((c & 0xF8) == 0xF0) {
    v = c & 0x07;
    extra = 3;
  } else {
    return false;
  }
  if (*i + (size_t)extra >= len) return false;
  for (int k = 1; k <= extra; k++) {
    unsigned char cc = s[*i + (size_t)k];
    if ((cc & 0xC0) != 0x80) return false;
    v = (v << 6) | (cc & 0x3F);
  }
  static const uint32_t min[] = {0, 0x80, 0x800, 0x10000};
  if (v < min[extra] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
    return false;
  *i += (size_t)extra + 1;
  *cp = v;
  return true;
}

/* The UTS #46 mappings a host name meets in practice: case folding of the
 * Latin, Greek and Cyrillic letters, full-width ASCII, the ideographic
 * full stop, and ignored code points. Returns 0 for "ignored". */
static uint32_t uts46_map(uint32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c == 0x00AD || c == 0x200B || c == 0x2060 || c == 0xFEFF ||
      (c >= 0xFE00 && c <= 0xFE0F))
    return 0;
  if (c == 0x3002 || c == 0xFF0E || c == 0xFF61) return '.';
  if (c >= 0xFF01 && c <= 0xFF5E) return uts46_map(c - 0xFF01 + 0x21);
  if (c >= 0x00C0 && c <= 0x00DE && c != 0x00D7) return c + 32;
  if (c >= 0x0100 && c <= 0x017F && c != 0x0130 && c != 0x0131 &&
      c != 0x0138 && c != 0x0149 && c != 0x017F) {
    bool odd_lower = (c >= 0x0139 && c <= 0x0148) || (c >= 0x0179);
    if (odd_lower) return (c & 1) ? c + 1 : c;
    return (c & 1) ? c : c + 1;
  }
  if (c >= 0x0391 && c <= 0x03A9 && c != 0x03A2) return c + 32;
  if (c >= 0x0410 && c <= 0x042F) return c + 32;
  if (c >= 0x0400 && c <= 0x040F) return c + 80;
  return c;
}

static char punycode_digit(uint32_t d) {
  return (char)(d < 26 ? 'a' + d : '0' + (d - 26));
}

static uint32_t punycode_adapt(uint32_t delta, uint32_t numpoints, bool first) {
  delta = first ? delta / 700 : delta / 2;
  delta += delta / numpoints;
  uint32_t k = 0;
  while (delta > ((36 - 1) * 26) / 2) {
    delta /= 36 - 1;
    k += 36;
  }
  return k + (36 * delta) / (delta + 38);
}

/* RFC 3492 encoding of one label; false on overflow. */
static bool punycode_encode(struct sim_buf *out, const uint32_t *cp, size_t n) {
  uint32_t code_point_n = 128, delta = 0, bias = 72;
  size_t h = 0, b = 0;
  for (size_t i = 0; i < n; i++)
    if (cp[i] < 0x80) {
      if (!sim_buf_append_char(out, (char)cp[i])) return false;
      b++;
    }
  h = b;
  if (b > 0 && !sim_buf_append_char(out, '-')) return false;
  while (h < n) {
    uint32_t m = UINT32_MAX;
    for (size_t i = 0; i < n; i++)
      if (cp[i] >= code_point_n && cp[i] < m) m = cp[i];
    if ((uint64_t)(m - code_point_n) * (h + 1) + delta > UINT32_MAX)
      return false;
    delta += (m - code_point_n) * (uint32_t)(h + 1);
    code_point_n = m;
    for (size_t i = 0; i < n; i++) {
      if (cp[i] < code_point_n && ++delta == 0) return false;
      if (cp[i] == code_point_n) {
        uint32_t q = delta;
        for (uint32_t k = 36;; k += 36) {
          uint32_t t = k <= bias ? 1 : (k >= bias + 26 ? 26 : k - bias);
          if (q < t) break;
          if (!sim_buf_append_char(out, punycode_digit(t + (q - t) % (36 - t))))
            return false;
          q = (q - t) / (36 - t);
        }
        if (!sim_buf_append_char(out, punycode_digit(q))) return false;
        bias = punycode_adapt(delta, (uint32_t)h + 1, h == b);
        delta = 0;
        h++;
      }
    }
    delta++;
    code_point_n++;
  }
  return true;
}

static bool is_forbidden_host_code_point(uint32_t c) {
  return c == 0 || c == '\t' || c == '\n' || c == '\r' || c == ' ' ||
         c == '#' || c == '/' || c == ':' || c == '<' || c == '>' ||
         c == '?' || c == '@' || c == '[' || c == '\\' || c == ']' ||
         c == '^' || c == '|';
}

static bool is_forbidden_domain_code_point(uint32_t c) {
  return is_forbidden_host_code_point(c) || c < 0x20 || c == '%' || c == 0x7F;
}

/* url#concept-domain-to-ascii, with the reduced mapping above. */
static char *domain_to_ascii(struct sim_arena *arena, const char *s, size_t len,
                             const char **why) {
  uint32_t *cps = sim_arena_alloc(arena, (len + 1) * sizeof *cps);
  if (cps == NULL) return NULL;
  size_t n = 0, i = 0;
  while (i < len) {
    uint32_t c;
    if (!utf8_decode((const unsigned char *)s, len, &i, &c)) {
      *why = "host is not valid UTF-8";
      return NULL;
    }
    c = uts46_map(c);
    if (c != 0) cps[n++] = c;
  }
  struct sim_buf out;
  sim_buf_init(&out, arena);
  size_t start = 0;
  for (size_t k = 0; k <= n; k++) {
    if (k < n && cps[k] != '.') continue;
    bool ascii = true;
    for (size_t j = start; j < k; j++)
      if (cps[j] >= 0x80) ascii = false;
    if (ascii) {
      for (size_t j = start; j < k; j++)
        sim_buf_append_char(&out, (char)cps[j]);
    } else {
      sim_buf_append_str(&out, "xn--");
      if (!punycode_encode(&out, cps + start, k - start)) {
        *why = "host label cannot be Punycode-encoded";
        return NULL;
      }
    }
    if (k < n) sim_buf_append_char(&out, '.');
    start = k + 1;
  }
  char *r = sim_buf_cstr(&out);
  if (r == NULL) return NULL;
  if (r[0] == '\0') {
    *why = "empty host";
    return NULL;
  }
  return r;
}

/* url#concept-host-parser; fills kind and host. */
static bool host_parse(struct sim_arena *arena, const char *s, size_t len,
                       bool is_not_special, struct sim_url *out,
                       const char **why) {
  if (len > 0 && s[0] == '[') {
    if (s[len - 1] != ']') {
      *why = "IPv6 address is missing its closing ']'";
      return false;
    }
    uint16_t a[8];
    if (!ipv6_parse(s + 1, len - 2, a)) {
      *why = "invalid IPv6 address";
      return false;
    }
    out->host_kind = SIM_HOST_IPV6;
    out->host = ipv6_serialize(arena, a);
    return out->host != NULL;
  }
  if (is_not_special) {
    for (size_t i = 0; i < len; i++)
      if (is_forbidden_host_code_point((unsigned char)s[i])) {
        *why = "forbidden host code point";
        return false;
      }
    out->host_kind = len ? SIM_HOST_OPAQUE : SIM_HOST_EMPTY;
    out->host = encoded_copy(arena, s, len, SET_C0);
    return out->host != NULL;
  }
  size_t dlen;
  char *decoded = percent_decode(arena, s, len, &dlen);
  if (decoded == NULL) return false;
  const char *w = NULL;
  char *ascii = domain_to_ascii(arena, decoded, dlen, &w);
  if (ascii == NULL) {
    *why = w ? w : "out of memory";
    return false;
  }
  for (const char *p = ascii; *p; p++)
    if (is_forbidden_domain_code_point((unsigned char)*p)) {
      *why = "forbidden domain code point in host";
      return false;
    }
  size_t alen = strlen(ascii);
  if (ends_in_a_number(ascii, alen)) {
    uint32_t v;
    if (!ipv4_parse(ascii, alen, &v)) {
      *why = "invalid IPv4 address";
      return false;
    }
    out->host_kind = SIM_HOST_IPV4;
    out->host = sim_arena_printf(arena, "%u.%u.%u.%u", (unsigned)(v >> 24),
                                 (unsigned)((v >> 16) & 255),
                                 (unsigned)((v >> 8) & 255),
                                 (unsigned)(v & 255));
    return out->host != NULL;
  }
  out->host_kind = SIM_HOST_DOMAIN;
  out->host = ascii;
  return true;
}

char *sim_host_serialize(struct sim_arena *arena, const struct sim_url *url) {
  if (url->host_kind == SIM_HOST_IPV6)
    return sim_arena_printf(arena, "[%s]", url->host);
  return sim_arena_strdup(arena, url->host);
}

/* ---- paths --------------------------------------------------------------- */

static bool is_single_dot(const char *s, size_t n) {
  return (n == 1 && s[0] == '.') ||
         (n == 3 && s[0] == '%' && s[1] == '2' && (s[2] == 'e' || s[2] == 'E'));
}

static bool is_double_dot(const char *s, size_t n) {
  if (n == 2) return s[0] == '.' && s[1] == '.';
  if (n == 4)
    return (s[0] == '.' && is_single_dot(s + 1, 3)) ||
           (is_single_dot(s, 3) && s[3] == '.');
  if (n == 6) return is_single_dot(s, 3) && is_single_dot(s + 3, 3);
  return false;
}

struct segments {
  struct sim_arena *arena;
  char **items;
  size_t count, cap;
};

static bool seg_push(struct segments *sg, char *s) {
  if (sg->count == sg->cap) {
    size_t cap = sg->cap ? sg->cap * 2 : 8;
    char **n = sim_arena_alloc(sg->arena, cap * sizeof *n);
    if (n == NULL) return false;
    if (sg->count) memcpy(n, sg->items, sg->count * sizeof *n);
    sg->items = n;
    sg->cap = cap;
  }
  sg->items[sg->count++] = s;
  return true;
}

/* Splits a serialized path "/a/b" back into segments. */
static bool seg_from_path(struct segments *sg, const char *path) {
  if (path == NULL || path[0] != '/') return true;
  const char *p = path + 1;
  for (;;) {
    const char *e = strchr(p, '/');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    char *s = sim_arena_strndup(sg->arena, p, n);
    if (s == NULL || !seg_push(sg, s)) return false;
    if (e == NULL) break;
    p = e + 1;
  }
  return true;
}

/* url#path-state over a whole path string (segments appended to sg). */
static bool path_parse(struct segments *sg, const char *s, size_t len,
                       bool special) {
  size_t i = 0;
  if (len > 0 && (s[0] == '/' || (special && s[0] == '\\'))) i = 1;
  for (;;) {
    size_t j = i;
    while (j < len && s[j] != '/' && !(special && s[j] == '\\')) j++;
    bool last = j >= len;
    const char *seg = s + i;
    size_t n = j - i;
    if (is_double_dot(seg, n)) {
      if (sg->count > 0) sg->count--;
      if (last) {
        if (!seg_push(sg, sim_arena_strdup(sg->arena, ""))) return false;
      }
    } else if (is_single_dot(seg, n)) {
      if (last) {
        if (!seg_push(sg, sim_arena_strdup(sg->arena, ""))) return false;
      }
    } else {
      char *e = encoded_copy(sg->arena, seg, n, SET_PATH);
      if (e == NULL || !seg_push(sg, e)) return false;
    }
    if (last) break;
    i = j + 1;
  }
  return true;
}

static char *seg_join(struct segments *sg) {
  struct sim_buf b;
  sim_buf_init(&b, sg->arena);
  for (size_t i = 0; i < sg->count; i++) {
    sim_buf_append_char(&b, '/');
    sim_buf_append_str(&b, sg->items[i]);
  }
  return sim_buf_cstr(&b);
}

/* ---- the parser ----------------------------------------------------------- */

static bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_slash(char c, bool special) {
  return c == '/' || (special && c == '\\');
}

/* Parses "userinfo@host:port" (the authority, already cut out). */
static bool authority_parse(struct sim_arena *arena, const char *s, size_t len,
                            struct sim_url *out, const char **why) {
  const char *at = NULL;
  for (size_t i = 0; i < len; i++)
    if (s[i] == '@') at = s + i;
  const char *hp = s;
  size_t hlen = len;
  if (at != NULL) {
    size_t ulen = (size_t)(at - s);
    const char *colon = memchr(s, ':', ulen);
    size_t nlen = colon ? (size_t)(colon - s) : ulen;
    out->username = encoded_copy(arena, s, nlen, SET_USERINFO);
    out->password = colon ? encoded_copy(arena, colon + 1,
                                         ulen - nlen - 1, SET_USERINFO)
                          : sim_arena_strdup(arena, "");
    if (out->username == NULL || out->password == NULL) return false;
    hp = at + 1;
    hlen = len - ulen - 1;
    if (hlen == 0) {
      *why = "credentials without a host";
      return false;
    }
  }
  /* The port starts at the last ':' outside brackets. */
  size_t host_len = hlen;
  const char *port = NULL;
  bool in_brackets = false;
  for (size_t i = 0; i < hlen; i++) {
    if (hp[i] == '[') in_brackets = true;
    if (hp[i] == ']') in_brackets = false;
    if (hp[i] == ':' && !in_brackets) {
      host_len = i;
      port = hp + i + 1;
      break;
    }
  }
  /* url#host-state: an empty host before a ':' fails, special or not */
  if (host_len == 0 && (out->is_special || port != NULL)) {
    *why = "empty host";
    return false;
  }
  if (!host_parse(arena, hp, host_len, !out->is_special, out, why))
    return false;
  out->port = -1;
  if (port != NULL) {
    size_t plen = hlen - host_len - 1;
    long v = 0;
    for (size_t i = 0; i < plen; i++) {
      if (port[i] < '0' || port[i] > '9') {
        *why = "invalid port";
        return false;
      }
      v = v * 10 + (port[i] - '0');
      if (v > 65535) {
        *why = "port out of range";
        return false;
      }
    }
    if (plen > 0 && v != sim_default_port(out->scheme)) out->port = (int)v;
  }
  return true;
}

/* Splits off "?query" and "#fragment" from the end part of a URL. */
static bool query_fragment(struct sim_arena *arena, const char *s, size_t len,
                           struct sim_url *out, size_t *path_len) {
  const char *hash = memchr(s, '#', len);
  size_t before_hash = hash ? (size_t)(hash - s) : len;
  const char *q = memchr(s, '?', before_hash);
  *path_len = q ? (size_t)(q - s) : before_hash;
  if (q != NULL) {
    out->query = encoded_copy(arena, q + 1, before_hash - *path_len - 1,
                              out->is_special ? SET_SPECIAL_QUERY : SET_QUERY);
    if (out->query == NULL) return false;
  }
  if (hash != NULL) {
    out->fragment = encoded_copy(arena, hash + 1, len - before_hash - 1,
                                 SET_FRAGMENT);
    if (out->fragment == NULL) return false;
  }
  return true;
}

static void copy_authority(struct sim_url *out, const struct sim_url *base) {
  out->username = base->username;
  out->password = base->password;
  out->host_kind = base->host_kind;
  out->host = base->host;
  out->port = base->port;
}

/* After the authority (or with the base's): path, query and fragment. */
static bool rest_parse(struct sim_arena *arena, const char *s, size_t len,
                       const struct sim_url *merge_base, struct sim_url *out) {
  size_t plen;
  if (!query_fragment(arena, s, len, out, &plen)) return false;
  struct segments sg = {arena, NULL, 0, 0};
  if (merge_base != NULL && !(plen > 0 && is_slash(s[0], out->is_special))) {
    if (!seg_from_path(&sg, merge_base->path)) return false;
    if (sg.count > 0) sg.count--; /* url#shorten-a-urls-path */
  }
  if (plen == 0 && merge_base == NULL) {
    if (out->is_special && !seg_push(&sg, sim_arena_strdup(arena, "")))
      return false;
  } else if (plen > 0 || merge_base == NULL) {
    if (!path_parse(&sg, s, plen, out->is_special)) return false;
  }
  out->path = (sg.count == 0 && !out->is_special && out->host_kind ==
                                                        SIM_HOST_NONE)
                  ? sim_arena_strdup(arena, "")
                  : (sg.count == 0 ? sim_arena_strdup(arena, "/")
                                   : seg_join(&sg));
  return out->path != NULL;
}

bool sim_url_parse(struct sim_arena *arena, const char *input, size_t len,
                   const struct sim_url *base, struct sim_url *out,
                   const char **why) {
  static const char *const oom = "out of memory";
  memset(out, 0, sizeof *out);
  out->port = -1;
  out->host = "";
  out->username = "";
  out->password = "";
  *why = oom;

  /* Strip leading and trailing C0 controls and spaces; drop tabs and
   * newlines anywhere. */
  while (len > 0 && (unsigned char)input[0] <= 0x20) {
    input++;
    len--;
  }
  while (len > 0 && (unsigned char)input[len - 1] <= 0x20) len--;
  char *s = sim_arena_alloc(arena, len + 1);
  if (s == NULL) return false;
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    if (input[i] != '\t' && input[i] != '\n' && input[i] != '\r')
      s[n++] = input[i];
  s[n] = '\0';

  /* Scheme state. */
  size_t i = 0;
  bool has_scheme = false;
  if (n > 0 && is_alpha(s[0])) {
    i = 1;
    while (i < n && (is_alpha(s[i]) || (s[i] >= '0' && s[i] <= '9') ||
                     s[i] == '+' || s[i] == '-' || s[i] == '.'))
      i++;
    has_scheme = i < n && s[i] == ':';
  }
  if (!has_scheme) {
    if (base == NULL) {
      *why = "missing scheme (not an absolute URL)";
      return false;
    }
    /* No-scheme state: relative to base. */
    out->scheme = base->scheme;
    out->is_special = base->is_special;
    if (!base->is_special && base->host_kind == SIM_HOST_NONE &&
        base->path[0] != '/') {
      /* A base with an opaque path takes only a fragment. */
      if (n == 0 || s[0] != '#') {
        *why = "relative URL against a base with an opaque path";
        return false;
      }
      copy_authority(out, base);
      out->path = base->path;
      out->query = base->query;
      out->fragment = encoded_copy(arena, s + 1, n - 1, SET_FRAGMENT);
      return out->fragment != NULL;
    }
    const char *r = s;
    size_t rn = n;
    if (rn >= 2 && is_slash(r[0], out->is_special) &&
        is_slash(r[1], out->is_special)) {
      /* Scheme-relative: a new authority. */
      r += 2;
      rn -= 2;
      while (out->is_special && rn > 0 && is_slash(r[0], true)) {
        r++;
        rn--;
      }
      size_t a = 0;
      while (a < rn && !is_slash(r[a], out->is_special) && r[a] != '?' &&
             r[a] != '#')
        a++;
      if (!authority_parse(arena, r, a, out, why)) return false;
      return rest_parse(arena, r + a, rn - a, NULL, out);
    }
    copy_authority(out, base);
    if (rn == 0) {
      out->path = base->path;
      out->query = base->query;
      return true;
    }
    if (r[0] == '?' || r[0] == '#') {
      out->path = base->path;
      out->query = base->query;
      size_t plen;
      if (r[0] == '?') out->query = NULL;
      if (!query_fragment(arena, r, rn, out, &plen)) return false;
      return true;
    }
    return rest_parse(arena, r, rn, base, out);
  }

  char *scheme = sim_arena_strndup(arena, s, i);
  if (scheme == NULL) return false;
  for (char *p = scheme; *p; p++) *p = sim_ascii_lower(*p);
  out->scheme = scheme;
  out->is_special = is_special_scheme(scheme);
  const char *r = s + i + 1;
  size_t rn = n - i - 1;

  if (strcmp(scheme, "file") == 0) {
    /* file state: "file:///p", "file://host/p", "file:/p". */
    out->host_kind = SIM_HOST_EMPTY;
    out->host = "";
    if (rn >= 2 && is_slash(r[0], true) && is_slash(r[1], true)) {
      r += 2;
      rn -= 2;
      size_t a = 0;
      while (a < rn && !is_slash(r[a], true) && r[a] != '?' && r[a] != '#')
        a++;
      if (a > 0) {
        if (!host_parse(arena, r, a, false, out, why)) return false;
        if (strcmp(out->host, "localhost") == 0) {
          out->host = "";
          out->host_kind = SIM_HOST_EMPTY;
        }
      }
      r += a;
      rn -= a;
    }
    return rest_parse(arena, r, rn, NULL, out);
  }

  if (out->is_special) {
    if (base != NULL && strcmp(base->scheme, scheme) == 0 &&
        !(rn >= 2 && is_slash(r[0], true) && is_slash(r[1], true))) {
      /* special relative or authority state, then relative state */
      copy_authority(out, base);
      if (rn == 0) {
        out->path = base->path;
        out->query = base->query;
        return true;
      }
      if (r[0] == '?' || r[0] == '#') {
        size_t plen;
        out->path = base->path;
        out->query = r[0] == '?' ? NULL : base->query;
        return query_fragment(arena, r, rn, out, &plen);
      }
      return rest_parse(arena, r, rn, base, out);
    }
    /* special authority (ignore) slashes state */
    while (rn > 0 && is_slash(r[0], true)) {
      r++;
      rn--;
    }
    size_t a = 0;
    while (a < rn && !is_slash(r[a], true) && r[a] != '?' && r[a] != '#') a++;
    if (!authority_parse(arena, r, a, out, why)) return false;
    return rest_parse(arena, r + a, rn - a, NULL, out);
  }

  /* Not special. */
  if (rn >= 2 && r[0] == '/' && r[1] == '/') {
    r += 2;
    rn -= 2;
    size_t a = 0;
    while (a < rn && r[a] != '/' && r[a] != '?' && r[a] != '#') a++;
    if (a > 0) {
      if (!authority_parse(arena, r, a, out, why)) return false;
    } else {
      out->host_kind = SIM_HOST_EMPTY;
    }
    return rest_parse(arena, r + a, rn - a, NULL, out);
  }
  if (rn > 0 && r[0] == '/') return rest_parse(arena, r, rn, NULL, out);
  /* Opaque path (url#cannot-have-a-username-password-port). */
  size_t plen;
  if (!query_fragment(arena, r, rn, out, &plen)) return false;
  out->path = encoded_copy(arena, r, plen, SET_C0);
  return out->path != NULL;
}

char *sim_url_serialize(struct sim_arena *arena, const struct sim_url *url,
                        bool exclude_fragment) {
  struct sim_buf b;
  sim_buf_init(&b, arena);
  sim_buf_append_str(&b, url->scheme);
  sim_buf_append_char(&b, ':');
  if (url->host_kind != SIM_HOST_NONE) {
    sim_buf_append_str(&b, "//");
    if (sim_url_includes_credentials(url)) {
      sim_buf_append_str(&b, url->username);
      if (url->password[0]) {
        sim_buf_append_char(&b, ':');
        sim_buf_append_str(&b, url->password);
      }
      sim_buf_append_char(&b, '@');
    }
    if (url->host_kind == SIM_HOST_IPV6) sim_buf_append_char(&b, '[');
    sim_buf_append_str(&b, url->host);
    if (url->host_kind == SIM_HOST_IPV6) sim_buf_append_char(&b, ']');
    if (url->port >= 0) {
      char port[8];
      int k = 0;
      int v = url->port;
      char rev[8];
      do {
        rev[k++] = (char)('0' + v % 10);
        v /= 10;
      } while (v > 0);
      for (int j = 0; j < k; j++) port[j] = rev[k - 1 - j];
      sim_buf_append_char(&b, ':');
      sim_buf_append(&b, port, (size_t)k);
    }
  } else if (url->path[0] == '/' && url->path[1] == '/') {
    sim_buf_append_str(&b, "/.");
  }
  sim_buf_append_str(&b, url->path);
  if (url->query != NULL) {
    sim_buf_append_char(&b, '?');
    sim_buf_append_str(&b, url->query);
  }
  if (!exclude_fragment && url->fragment != NULL) {
    sim_buf_append_char(&b, '#');
    sim_buf_append_str(&b, url->fragment);
  }
  return sim_buf_cstr(&b);
}

enum corsim_status corsim_url_serialize(const char *url, char *out,
                                        size_t out_size,
                                        struct corsim_error *err) {
  struct sim_arena arena;
  sim_arena_init(&arena, sim_default_allocator());
  struct sim_url u;
  const char *why;
  enum corsim_status st = CORSIM_OK;
  if (!sim_url_parse(&arena, url, strlen(url), NULL, &u, &why)) {
    st = arena.failed ? sim_fail(err, CORSIM_NO_MEMORY, "out of memory")
                      : sim_fail(err, CORSIM_BAD_REQUEST, "invalid URL '%s': %s",
                                 url, why);
  } else {
    char *s = sim_url_serialize(&arena, &u, false);
    if (s == NULL)
      st = sim_fail(err, CORSIM_NO_MEMORY, "out of memory");
    else if (strlen(s) + 1 > out_size)
      st = sim_fail(err, CORSIM_LIMIT, "serialized URL does not fit");
    else
      memcpy(out, s, strlen(s) + 1);
  }
  sim_arena_release(&arena);
  return st;
}
