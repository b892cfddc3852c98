/* tainting.c: response tainting's effect on what script can read: the
 * header names a basic, CORS or opaque filtered response exposes
 * (fetch#concept-filtered-response, fetch#concept-response-cors-exposed-
 * header-name-list). */
#include <string.h>

#include "sim.h"

static bool list_has_nocase(const struct sim_string_list *l, const char *s,
                            size_t len) {
  for (size_t i = 0; i < l->count; i++)
    if (sim_ascii_eq_nocase_z(s, len, l->items[i])) return true;
  return false;
}

static bool list_has(const struct sim_string_list *l, const char *s) {
  for (size_t i = 0; i < l->count; i++)
    if (strcmp(l->items[i], s) == 0) return true;
  return false;
}

bool sim_exposed_header_names(struct sim_fetch *f,
                              const struct corsim_response *resp) {
  struct corsim_decision *d = f->out;
  struct sim_string_list names = {NULL, 0, 0};
  if (f->tainting == SIM_TAINT_BASIC) {
    /* fetch#concept-filtered-response-basic: all but Set-Cookie(2). */
    for (size_t i = 0; i < resp->headers.count; i++) {
      const struct corsim_header *h = &resp->headers.items[i];
      if (sim_is_forbidden_response_header_name(h->name, h->name_len))
        continue;
      if (!sim_string_list_append(f->arena, &names, h->name, h->name_len))
        return false;
    }
    sim_trace(f, CORSIM_TRACE_INFO, "fetch#concept-filtered-response-basic",
              "", "a basic (same-origin) response: script sees every header "
                  "but Set-Cookie and Set-Cookie2");
  } else if (f->tainting == SIM_TAINT_CORS) {
    /* main fetch: the CORS-exposed header-name list */
    struct sim_string_list exposed = {NULL, 0, 0};
    char *bad = NULL;
    enum sim_extract_result r = sim_extract_token_list(
        f->arena, &resp->headers, "Access-Control-Expose-Headers", &exposed,
        &bad);
    bool include = f->credentials == CORSIM_CREDENTIALS_INCLUDE;
    bool all = false;
    static const char *const A =
        "fetch#concept-response-cors-exposed-header-name-list";
    if (r == SIM_EXTRACT_FAILURE) {
      exposed.count = 0;
      sim_trace(f, CORSIM_TRACE_NOTE, A, "",
                "Access-Control-Expose-Headers does not parse ('%s' is not a "
                "header name): nothing beyond the safelisted names is exposed",
                bad ? bad : "");
    } else if (r == SIM_EXTRACT_LIST && !include && list_has(&exposed, "*")) {
      all = true;
      sim_trace(f, CORSIM_TRACE_INFO, A, "",
                "Access-Control-Expose-Headers is '*' and the request is "
                "not credentialed: every header name is exposed");
    } else if (r == SIM_EXTRACT_LIST) {
      if (include && list_has(&exposed, "*"))
        sim_trace(f, CORSIM_TRACE_NOTE, A, "",
                  "Access-Control-Expose-Headers '*' is no wildcard for a "
                  "credentialed request: it names a header called '*'");
      sim_trace(f, CORSIM_TRACE_INFO, A, "",
                "Access-Control-Expose-Headers lists %zu name(s)",
                exposed.count);
    }
    /* fetch#concept-filtered-response-cors and
     * fetch#cors-safelisted-response-header-name */
    for (size_t i = 0; i < resp->headers.count; i++) {
      const struct corsim_header *h = &resp->headers.items[i];
      if (sim_is_forbidden_response_header_name(h->name, h->name_len))
        continue;
      if (all || sim_is_cors_safelisted_response_header_name(h->name,
                                                             h->name_len) ||
          list_has_nocase(&exposed, h->name, h->name_len))
        if (!sim_string_list_append(f->arena, &names, h->name, h->name_len))
          return false;
    }
  }
  sim_sorted_lowercase_set(f->arena, &names);
  d->exposed_headers = names.items;
  d->exposed_header_count = names.count;
  return !f->arena->failed;
}
