/* safelist.c: the Fetch Standard's method and header classes: safelisted,
 * forbidden and normalized methods; forbidden and CORS-safelisted request
 * headers (with MIME-type and Range value rules); the CORS-unsafe request
 * header names; safelisted and forbidden response header names; bad ports.
 * Engine differences are asked of the profile. */
#include <string.h>

#include "sim.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool in_list_nocase(const char *s, size_t len, const char *const *list,
                           size_t n) {
  for (size_t i = 0; i < n; i++)
    if (sim_ascii_eq_nocase_z(s, len, list[i])) return true;
  return false;
}

/* fetch#cors-safelisted-method: GET, HEAD, POST, byte for byte. Chromium
 * and Firefox compare case-insensitively (research/browsers.md §2.1
 * "safelisted methods"). */
bool sim_is_cors_safelisted_method(const struct sim_profile *p,
                                   const char *method) {
  static const char *const safe[] = {"GET", "HEAD", "POST"};
  size_t len = strlen(method);
  if (p->method_safelist_case_insensitive)
    return in_list_nocase(method, len, safe, COUNT(safe));
  for (size_t i = 0; i < COUNT(safe); i++)
    if (strcmp(method, safe[i]) == 0) return true;
  return false;
}

/* fetch#forbidden-method */
bool sim_is_forbidden_method(const char *method, size_t len) {
  static const char *const forbidden[] = {"CONNECT", "TRACE", "TRACK"};
  return in_list_nocase(method, len, forbidden, COUNT(forbidden));
}

/* fetch#concept-method-normalize */
char *sim_method_normalize(struct sim_arena *arena, const char *method) {
  static const char *const normal[] = {"DELETE", "GET", "HEAD",
                                       "OPTIONS", "POST", "PUT"};
  size_t len = strlen(method);
  for (size_t i = 0; i < COUNT(normal); i++)
    if (sim_ascii_eq_nocase_z(method, len, normal[i]))
      return sim_arena_strdup(arena, normal[i]);
  return sim_arena_strndup(arena, method, len);
}

/* fetch#forbidden-request-header */
bool sim_is_forbidden_request_header(const char *name, size_t name_len,
                                     const char *value, size_t value_len) {
  static const char *const forbidden[] = {
      "Accept-Charset", "Accept-Encoding", "Access-Control-Request-Headers",
      "Access-Control-Request-Method", "Connection", "Content-Length",
      "Cookie", "Cookie2", "Date", "DNT", "Expect", "Host", "Keep-Alive",
      "Origin", "Referer", "Set-Cookie", "TE", "Trailer",
      "Transfer-Encoding", "Upgrade", "Via"};
  /* 1. the listed names */
  if (in_list_nocase(name, name_len, forbidden, COUNT(forbidden))) return true;
  /* 2. names starting with proxy- or sec- */
  if (name_len >= 6 && sim_ascii_eq_nocase_z(name, 6, "proxy-")) return true;
  if (name_len >= 4 && sim_ascii_eq_nocase_z(name, 4, "sec-")) return true;
  /* 3. the method-override family naming a forbidden method, each value
   * split as fetch#concept-header-list-get-decode-split does */
  static const char *const overrides[] = {"X-HTTP-Method",
                                          "X-HTTP-Method-Override",
                                          "X-Method-Override"};
  if (!in_list_nocase(name, name_len, overrides, COUNT(overrides)))
    return false;
  size_t p = 0;
  while (p <= value_len) {
    size_t e = p;
    bool quoted = false;
    while (e < value_len && (quoted || value[e] != ',')) {
      if (value[e] == '"') quoted = !quoted;
      e++;
    }
    size_t a = p, z = e;
    while (a < z && sim_is_http_tab_or_space(value[a])) a++;
    while (z > a && sim_is_http_tab_or_space(value[z - 1])) z--;
    if (sim_is_forbidden_method(value + a, z - a)) return true;
    p = e + 1;
  }
  return false;
}

/* fetch#cors-unsafe-request-header-byte */
bool sim_is_cors_unsafe_request_header_byte(unsigned char c) {
  if (c < 0x20 && c != 0x09) return true;
  if (c == 0x7F) return true;
  return c != 0 && strchr("\"():<>?@[\\]{}", (int)c) != NULL;
}

static bool has_unsafe_byte(const char *v, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (sim_is_cors_unsafe_request_header_byte((unsigned char)v[i]))
      return true;
  return false;
}

static bool is_http_token_code_point(char c) {
  return sim_is_token_char((unsigned char)c);
}

/* mimesniff#parse-a-mime-type, as far as the essence: type "/" subtype,
 * each a non-empty token. Parameters never fail it. Gives the spans of
 * type and subtype in `value`; false on failure. */
bool sim_mime_essence_spans(const char *value, size_t len, size_t *type_at,
                            size_t *type_len, size_t *sub_at,
                            size_t *sub_len) {
  size_t a = 0, z = len;
  /* 1. strip leading and trailing HTTP whitespace */
  while (a < z && sim_is_http_whitespace(value[a])) a++;
  while (z > a && sim_is_http_whitespace(value[z - 1])) z--;
  /* 3-5. type: up to '/', non-empty, token code points */
  size_t p = a;
  while (p < z && value[p] != '/') p++;
  if (p == a || p >= z) return false;
  for (size_t i = a; i < p; i++)
    if (!is_http_token_code_point(value[i])) return false;
  *type_at = a;
  *type_len = p - a;
  p++;
  /* 7-9. subtype: up to ';', trailing whitespace removed, non-empty token */
  size_t s = p;
  while (p < z && value[p] != ';') p++;
  size_t se = p;
  while (se > s && sim_is_http_whitespace(value[se - 1])) se--;
  if (se == s) return false;
  for (size_t i = s; i < se; i++)
    if (!is_http_token_code_point(value[i])) return false;
  *sub_at = s;
  *sub_len = se - s;
  return true;
}

/* True when the MIME type in `value` parses and its essence is `essence`
 * (ASCII case-insensitively, as the essence is lower-cased). */
static bool mime_essence_is(const char *value, size_t len,
                            const char *essence) {
  size_t ta, tl, sa, sl;
  if (!sim_mime_essence_spans(value, len, &ta, &tl, &sa, &sl)) return false;
  const char *slash = strchr(essence, '/');
  return sim_ascii_eq_nocase(value + ta, tl, essence,
                             (size_t)(slash - essence)) &&
         sim_ascii_eq_nocase_z(value + sa, sl, slash + 1);
}

/* fetch#simple-range-header-value with allowWhitespace false */
bool sim_parse_simple_range(const char *v, size_t len, bool *has_start) {
  size_t p = 0;
  /* 2-4. "bytes", byte-exact, then "=" */
  if (len < 6 || memcmp(v, "bytes", 5) != 0) return false;
  p = 5;
  if (v[p] != '=') return false;
  p++;
  /* 6-8. optional first position */
  size_t s = p;
  while (p < len && v[p] >= '0' && v[p] <= '9') p++;
  bool start = p > s;
  unsigned long long sv = 0, ev = 0;
  bool overflow = false;
  for (size_t i = s; i < p; i++) {
    if (sv > 1844674407370955161ull) overflow = true;
    sv = sv * 10 + (unsigned)(v[i] - '0');
  }
  /* 10. "-" */
  if (p >= len || v[p] != '-') return false;
  p++;
  /* 12-14. optional last position, then the end */
  size_t e = p;
  while (p < len && v[p] >= '0' && v[p] <= '9') p++;
  bool end = p > e;
  for (size_t i = e; i < p; i++) {
    if (ev > 1844674407370955161ull) overflow = true;
    ev = ev * 10 + (unsigned)(v[i] - '0');
  }
  if (p != len) return false;
  /* 15. both null: failure; 16. start > end: failure */
  if (!start && !end) return false;
  if (start && end && sv > ev) return false;
  if (overflow) return false;
  *has_start = start;
  return true;
}

/* Chromium's client-hint names and their value rules
 * (research/browsers.md §2.1 "safelisted request headers"). */
static bool is_digits(const char *v, size_t len) {
  if (len == 0) return false;
  for (size_t i = 0; i < len; i++)
    if (v[i] < '0' || v[i] > '9') return false;
  return true;
}

static bool is_decimal(const char *v, size_t len) {
  const char *dot = memchr(v, '.', len);
  if (dot == NULL) return is_digits(v, len);
  size_t a = (size_t)(dot - v);
  return is_digits(v, a) && is_digits(dot + 1, len - a - 1);
}

static bool chromium_client_hint_safelisted(const char *name, size_t nlen,
                                            const char *v, size_t vlen) {
  static const char *const decimals[] = {"dpr", "device-memory", "downlink"};
  static const char *const integers[] = {"width", "viewport-width", "rtt"};
  if (in_list_nocase(name, nlen, decimals, COUNT(decimals)))
    return is_decimal(v, vlen);
  if (in_list_nocase(name, nlen, integers, COUNT(integers)))
    return is_digits(v, vlen);
  if (sim_ascii_eq_nocase_z(name, nlen, "ect")) {
    static const char *const ect[] = {"slow-2g", "2g", "3g", "4g"};
    for (size_t i = 0; i < COUNT(ect); i++)
      if (vlen == strlen(ect[i]) && memcmp(v, ect[i], vlen) == 0) return true;
    return false;
  }
  if (sim_ascii_eq_nocase_z(name, nlen, "save-data"))
    return vlen == 2 && memcmp(v, "on", 2) == 0;
  if (sim_ascii_eq_nocase_z(name, nlen, "intervention")) return true;
  return false;
}

/* fetch#cors-safelisted-request-header */
bool sim_is_cors_safelisted_request_header(const struct sim_profile *p,
                                           const char *name, size_t nlen,
                                           const char *value, size_t vlen) {
  /* 1. a value longer than 128 bytes is never safelisted */
  if (vlen > 128) return false;
  /* 2. by the byte-lower-cased name */
  if (sim_ascii_eq_nocase_z(name, nlen, "accept"))
    return !has_unsafe_byte(value, vlen);
  if (sim_ascii_eq_nocase_z(name, nlen, "accept-language") ||
      sim_ascii_eq_nocase_z(name, nlen, "content-language")) {
    for (size_t i = 0; i < vlen; i++) {
      char c = value[i];
      bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
                (c >= 'a' && c <= 'z') || c == ' ' || c == '*' || c == ',' ||
                c == '-' || c == '.' || c == ';' || c == '=';
      if (!ok) return false;
    }
    return true;
  }
  if (sim_ascii_eq_nocase_z(name, nlen, "content-type")) {
    if (has_unsafe_byte(value, vlen)) return false;
    return mime_essence_is(value, vlen, "application/x-www-form-urlencoded") ||
           mime_essence_is(value, vlen, "multipart/form-data") ||
           mime_essence_is(value, vlen, "text/plain");
  }
  if (sim_ascii_eq_nocase_z(name, nlen, "range")) {
    bool has_start = false;
    return p->safelist_range && sim_parse_simple_range(value, vlen, &has_start) &&
           has_start;
  }
  if (p->safelist_client_hints)
    return chromium_client_hint_safelisted(name, nlen, value, vlen);
  return false;
}

/* fetch#no-cors-safelisted-request-header-name */
bool sim_is_no_cors_safelisted_request_header_name(const char *name,
                                                   size_t len) {
  static const char *const names[] = {"Accept", "Accept-Language",
                                      "Content-Language", "Content-Type"};
  return in_list_nocase(name, len, names, COUNT(names));
}

/* fetch#cors-unsafe-request-header-names */
bool sim_cors_unsafe_request_header_names(const struct sim_profile *p,
                                          struct sim_arena *arena,
                                          const struct corsim_header_list *l,
                                          struct sim_string_list *out) {
  /* 1-3. */
  struct sim_string_list potentially = {NULL, 0, 0};
  size_t safelist_value_size = 0;
  /* 4. each header: unsafe, or potentially unsafe with its value counted */
  for (size_t i = 0; i < l->count; i++) {
    const struct corsim_header *h = &l->items[i];
    if (!sim_is_cors_safelisted_request_header(p, h->name, h->name_len,
                                               h->value, h->value_len)) {
      if (!sim_string_list_append(arena, out, h->name, h->name_len))
        return false;
    } else {
      if (!sim_string_list_append(arena, &potentially, h->name, h->name_len))
        return false;
      safelist_value_size += h->value_len;
    }
  }
  /* 5. over 1024 bytes of safelisted values: all of them are unsafe
   * (research/browsers.md §2.1: Chromium has it, Firefox and WebKit not) */
  if (p->safelist_total_1024 && safelist_value_size > 1024)
    for (size_t i = 0; i < potentially.count; i++)
      if (!sim_string_list_append(arena, out, potentially.items[i],
                                  strlen(potentially.items[i])))
        return false;
  /* 6. as a sorted lower-case set */
  return sim_sorted_lowercase_set(arena, out);
}

/* fetch#cors-safelisted-response-header-name (the fixed part) */
bool sim_is_cors_safelisted_response_header_name(const char *name,
                                                 size_t len) {
  static const char *const names[] = {"Cache-Control", "Content-Language",
                                      "Content-Length", "Content-Type",
                                      "Expires", "Last-Modified", "Pragma"};
  return in_list_nocase(name, len, names, COUNT(names));
}

/* fetch#forbidden-response-header-name */
bool sim_is_forbidden_response_header_name(const char *name, size_t len) {
  return sim_ascii_eq_nocase_z(name, len, "Set-Cookie") ||
         sim_ascii_eq_nocase_z(name, len, "Set-Cookie2");
}

/* fetch#header-name: a token */
bool sim_is_valid_header_name(const char *s, size_t len) {
  return sim_is_token(s, len);
}

/* fetch#header-value after normalization: no NUL, CR or LF, and no
 * leading or trailing HTTP tab or space. */
bool sim_is_valid_header_value(const char *s, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (s[i] == '\0' || s[i] == '\r' || s[i] == '\n') return false;
  if (len > 0 && (sim_is_http_tab_or_space(s[0]) ||
                  sim_is_http_tab_or_space(s[len - 1])))
    return false;
  return true;
}

/* fetch#bad-port */
bool sim_is_bad_port(int port) {
  static const int bad[] = {
      0,    1,    7,    9,    11,   13,   15,   17,   19,   20,   21,
      22,   23,   25,   37,   42,   43,   53,   69,   77,   79,   87,
      95,   101,  102,  103,  104,  109,  110,  111,  113,  115,  117,
      119,  123,  135,  137,  139,  143,  161,  179,  389,  427,  465,
      512,  513,  514,  515,  526,  530,  531,  532,  540,  548,  554,
      556,  563,  587,  601,  636,  989,  990,  993,  995,  1719, 1720,
      1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666,
      6667, 6668, 6669, 6679, 6697, 10080};
  for (size_t i = 0; i < COUNT(bad); i++)
    if (bad[i] == port) return true;
  return false;
}
