/* header_only.c: proves that corsim.h compiles on its own: this unit
 * includes it first and nothing of the library's private headers, and
 * uses only what the public header declares. */
#include "../corsim.h"

/* only after the public header, so that it cannot lean on these */
#include "../../harness/testing/check.h"

#ifndef CORSIM_H
#error "corsim.h has no include guard"
#endif

/* The X-macro tables expand outside the library too. */
#define COUNT_ONE(name, text) +1
enum { HEADER_ONLY_STATUSES = 0 CORSIM_STATUS_MAP(COUNT_ONE) };
enum { HEADER_ONLY_CORS_ERRORS = 0 CORSIM_CORS_ERROR_MAP(COUNT_ONE) };
#undef COUNT_ONE

TEST(header_only_version_and_tables) {
  ASSERT_TRUE(sizeof CORSIM_VERSION > 1);
  ASSERT_STR_EQ(CORSIM_VERSION, "0.1.0");
  ASSERT_EQ_INT(HEADER_ONLY_STATUSES, CORSIM_BAD_TIME + 1);
  ASSERT_EQ_INT(HEADER_ONLY_CORS_ERRORS, CORSIM_CORS_ERROR_COUNT);
  ASSERT_STR_EQ(corsim_status_name(CORSIM_OK), "OK");
}

TEST(header_only_public_api_is_enough_for_a_fetch) {
  struct corsim_browser *b = NULL;
  struct corsim_options o = {.profile = CORSIM_PROFILE_WEBKIT};
  ASSERT_EQ_INT(corsim_browser_new(&o, &b, NULL), CORSIM_OK);
  struct corsim_request r = {0};
  r.origin = "https://app.example";
  r.url = "data:,x";
  struct corsim_decision d;
  struct corsim_error e;
  /* a data: URL needs no responder call, but a responder is required */
  ASSERT_EQ_INT(corsim_browser_fetch(b, 0, &r, NULL, NULL, &d, &e),
                CORSIM_BAD_REQUEST);
  corsim_browser_free(b);
  char out[64];
  ASSERT_EQ_INT(
      corsim_origin_of_url("https://A.example:443/x", out, sizeof out, NULL),
      CORSIM_OK);
  ASSERT_STR_EQ(out, "https://a.example");
  ASSERT_TRUE(corsim_same_origin(out, "https://a.example/"));
}
