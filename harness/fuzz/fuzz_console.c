/* fuzz_console.c: fuzzes the console-message code of the simulator. The
 * input, cut at its first NUL, goes to corsim_console_parse as a pasted
 * message; then, for each profile, corsim_console_message writes the
 * message of a blocked decision whose strings are the input and whose
 * refusal is picked by the first input bytes, and of a real decision: a
 * fetch answered with the input as Access-Control-Allow-Origin.
 *
 * Properties besides memory safety: a parse that succeeds names a known
 * engine and refusal and gives strings (possibly "") inside its buffer or
 * static; a message written into a small buffer is the start of the same
 * message written into a big one, and both report the same length; a
 * message is NUL-terminated within its buffer. */
#include <stdbool.h>
#include <string.h>

#include "../../simulator/corsim.h"
#include "fuzz.h"

#define BIG 8192

static void check_parse(const char *s) {
  static struct corsim_console_info info;
  if (!corsim_console_parse(s, &info)) return;
  FUZZ_ASSERT((unsigned)info.engine < CORSIM_PROFILE_COUNT, "unknown engine");
  FUZZ_ASSERT((unsigned)info.cors_error < CORSIM_CORS_ERROR_COUNT,
              "unknown cors_error");
  FUZZ_ASSERT(info.url != NULL && info.origin != NULL &&
                  info.parameter != NULL,
              "a NULL string in the parsed message");
  FUZZ_ASSERT(strlen(info.url) < sizeof info.buf_ &&
                  strlen(info.origin) < sizeof info.buf_ &&
                  strlen(info.parameter) < sizeof info.buf_,
              "a parsed string longer than the buffer");
}

/* Writes the message whole and into a buffer of `small` bytes. */
static void check_message(enum corsim_profile p,
                          const struct corsim_request *q,
                          const struct corsim_decision *d, size_t small) {
  static char big[BIG], part[BIG];
  memset(part, 'x', sizeof part);
  size_t need = corsim_console_message(p, q, d, big, sizeof big);
  size_t need2 = corsim_console_message(p, q, d, part, small);
  FUZZ_ASSERT(need == need2, "the length depends on the buffer size");
  if (need == 0) return;
  if (need < sizeof big) {
    FUZZ_ASSERT(strlen(big) == need, "the length is not the message's");
  }
  if (small > 0) {
    size_t got = strlen(part);
    FUZZ_ASSERT(got < small, "not NUL-terminated within the buffer");
    FUZZ_ASSERT(memcmp(part, big, got) == 0,
                "a truncated message is not the start of the whole one");
    FUZZ_ASSERT(got == (need < small ? need : small - 1),
                "truncated to the wrong length");
  }
  FUZZ_ASSERT(part[small] == 'x', "wrote past the buffer");
}

static enum corsim_status answer(void *ctx, const struct corsim_wire_request *w,
                                 struct corsim_response *out,
                                 struct corsim_error *err) {
  const struct corsim_header *h = ctx;
  (void)w;
  (void)err;
  out->status = w->is_preflight ? 204 : 200;
  out->headers.items = h;
  out->headers.count = 2;
  return CORSIM_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  if (s == NULL) return 0;
  memcpy(s, data, size);
  s[size] = '\0';
  size_t len = strlen(s);
  check_parse(s);

  uint8_t b0 = size > 0 ? data[0] : 0, b1 = size > 1 ? data[1] : 0;
  uint8_t b2 = size > 2 ? data[2] : 0, b3 = size > 3 ? data[3] : 0;
  size_t small = size > 4 ? data[4] : 16;

  struct corsim_request q;
  memset(&q, 0, sizeof q);
  q.origin = "https://app.example";
  q.url = "https://api.example/x";
  q.method = (b2 & 4) ? "PUT" : "GET";
  q.mode = CORSIM_MODE_CORS;
  q.credentials = (b2 & 8) ? CORSIM_CREDENTIALS_INCLUDE
                           : CORSIM_CREDENTIALS_SAME_ORIGIN;

  /* A decision made up from the input, as any engine could report it. */
  struct corsim_decision d;
  memset(&d, 0, sizeof d);
  d.outcome = CORSIM_OUTCOME_BLOCKED;
  d.cors_error = (enum corsim_cors_error)(b0 % CORSIM_CORS_ERROR_COUNT);
  d.blocked_reason = (enum corsim_blocked_reason)(b1 % 8);
  d.failed_parameter = (b2 & 1) ? s : NULL;
  d.failed_on_preflight = (b2 & 2) != 0;
  d.url = (b2 & 16) ? s : NULL;
  d.initial_url = (b2 & 32) ? s : NULL;
  d.origin = (b2 & 64) ? s : NULL;
  d.detail = (b2 & 128) ? s : NULL;
  d.address_space = (b3 & 1) ? s : NULL;
  d.failed_response_status = (int)b3 * 4 - 1;
  d.allow_origin_lines = b3 % 4;
  d.hop_count = 0;
  for (int p = 0; p < CORSIM_PROFILE_COUNT; p++)
    check_message((enum corsim_profile)p, &q, &d, small);

  /* A real decision: the input as the answer's Allow-Origin and
   * Allow-Headers values. */
  struct corsim_header h[2] = {
      {"Access-Control-Allow-Origin", 27, s, len},
      {"Access-Control-Allow-Headers", 28, s, len}};
  struct corsim_header sent[1] = {{"X-Fuzz", 6, "1", 1}};
  q.headers.items = sent;
  q.headers.count = (b2 & 4) ? 1 : 0;
  for (int p = 0; p < CORSIM_PROFILE_COUNT; p++) {
    struct corsim_options o;
    memset(&o, 0, sizeof o);
    o.profile = (enum corsim_profile)p;
    struct corsim_browser *br = NULL;
    if (corsim_browser_new(&o, &br, NULL) != CORSIM_OK) continue;
    struct corsim_decision real;
    if (corsim_browser_fetch(br, 0, &q, answer, h, &real, NULL) == CORSIM_OK) {
      check_message((enum corsim_profile)p, &q, &real, small);
      corsim_decision_release(&real);
    }
    corsim_browser_free(br);
  }
  free(s);
  return 0;
}
