/* fuzz_origin_url.c: fuzzes the hand-written URL and origin code through
 * the public calls corsim_url_serialize, corsim_origin_of_url and
 * corsim_same_origin. The input, cut at its first NUL, is a URL string.
 *
 * Properties (url#concept-url-serializer, html#concept-origin): the
 * serialization of a URL parses and serializes to the same string; a URL
 * and its serialization have the same origin; a tuple origin, read back as
 * a URL, is its own origin and same origin with the URL; error messages are
 * one line. */
#include <stdbool.h>
#include <string.h>

#include "../../simulator/corsim.h"
#include "fuzz.h"

#define URL_BYTES 8192

static bool one_line(const char *s) {
  return strchr(s, '\n') == NULL && strchr(s, '\r') == NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  if (s == NULL) return 0;
  memcpy(s, data, size);
  s[size] = '\0';

  static char once[URL_BYTES], twice[URL_BYTES];
  static char origin[URL_BYTES], origin2[URL_BYTES], origin3[URL_BYTES];
  struct corsim_error err;
  memset(&err, 0, sizeof err);
  enum corsim_status st = corsim_url_serialize(s, once, sizeof once, &err);
  if (st != CORSIM_OK) {
    FUZZ_ASSERT(one_line(err.message), "URL error message not one line");
  } else {
    memset(&err, 0, sizeof err);
    st = corsim_url_serialize(once, twice, sizeof twice, &err);
    FUZZ_ASSERT(st == CORSIM_OK, "the serialization of a URL does not parse");
    FUZZ_ASSERT(strcmp(once, twice) == 0,
                "serializing the serialization changes it");
  }

  memset(&err, 0, sizeof err);
  enum corsim_status ost = corsim_origin_of_url(s, origin, sizeof origin,
                                                &err);
  if (ost != CORSIM_OK) {
    FUZZ_ASSERT(one_line(err.message), "origin error message not one line");
  } else if (st == CORSIM_OK) {
    memset(&err, 0, sizeof err);
    FUZZ_ASSERT(corsim_origin_of_url(once, origin2, sizeof origin2, &err) ==
                    CORSIM_OK,
                "no origin for the serialization of a URL");
    FUZZ_ASSERT(strcmp(origin, origin2) == 0,
                "a URL and its serialization have different origins");
    if (strcmp(origin, "null") != 0) {
      FUZZ_ASSERT(corsim_same_origin(s, once),
                  "a URL is not same origin with its serialization");
      memset(&err, 0, sizeof err);
      FUZZ_ASSERT(corsim_origin_of_url(origin, origin3, sizeof origin3,
                                       &err) == CORSIM_OK,
                  "a serialized origin does not parse as a URL");
      FUZZ_ASSERT(strcmp(origin, origin3) == 0,
                  "a serialized origin is not its own origin");
    }
  }
  free(s);
  return 0;
}
