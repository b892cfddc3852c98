/* bytes.c: byte classes and comparisons that the Fetch Standard uses
 * (HTTP whitespace, tokens, byte-case-insensitive equality). */
#include <string.h>

#include "sim.h"

char sim_ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? (char)(c + ('a' - 'A')) : c;
}

bool sim_ascii_eq_nocase(const char *a, size_t alen, const char *b,
                         size_t blen) {
  if (alen != blen) return false;
  for (size_t i = 0; i < alen; i++)
    if (sim_ascii_lower(a[i]) != sim_ascii_lower(b[i])) return false;
  return true;
}

bool sim_ascii_eq_nocase_z(const char *a, size_t alen, const char *z) {
  return sim_ascii_eq_nocase(a, alen, z, strlen(z));
}

bool sim_is_http_whitespace(char c) {
  return c == '\t' || c == ' ' || c == '\r' || c == '\n';
}

bool sim_is_http_tab_or_space(char c) { return c == '\t' || c == ' '; }

bool sim_is_token_char(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return c != '\0' && strchr("!#$%&'*+-.^_`|~", (int)c) != NULL;
}

bool sim_is_token(const char *s, size_t len) {
  if (len == 0) return false;
  for (size_t i = 0; i < len; i++)
    if (!sim_is_token_char((unsigned char)s[i])) return false;
  return true;
}
