/* profile.c: the decision models, one row each: the Fetch Standard as
 * written, and where Chromium, Firefox and WebKit deviate from it. Every
 * field cites the line of shared/research/browsers.md it implements; the
 * algorithms ask these rows at the step a deviation changes. */
#include "sim.h"

#define BYPASS(m) (1u << (m))

static const struct sim_profile profiles[CORSIM_PROFILE_COUNT] = {
    {
        .id = CORSIM_PROFILE_FETCH,
        .name = "fetch",
        /* fetch#http-access-control-max-age: failure or null gives 5 s;
         * the cap is the UA's "imposed limit": none as written. */
        .max_age_default = 5,
        .max_age_cap = 0,
        .max_age_parser = SIM_MAX_AGE_DELTA_SECONDS,
        /* fetch#concept-cache: removed max-age seconds after storing. */
        .expiry_inclusive = false,
        .zero_max_age_not_cached = false,
        .cache_shape = SIM_CACHE_PER_ENTRY,
        .credentials_keyed_apart = false,
        .clear_on_failure = SIM_CLEAR_ANY_FAILURE, /* fetch#concept-cache-clear (main fetch) */
        .erase_on_insufficient_hit = false,
        .cache_failed_preflight = false,
        .cache_hit_needs_head_listed = false,
        .cache_ignores_wildcard = false,
        /* fetch#concept-cache-match-method as written: a `*` entry stored
         * by a credentialed preflight matches credentialed requests too
         * (fetch-cors-spec.md Q-1). */
        .cache_wildcard_serves_credentialed = true,
        .cache_capacity = 0,
        .cache_max_url_length = 0,
        .cache_mode_bypass = 0,
        .method_safelist_case_insensitive = false,
        .safelist_client_hints = false,
        .safelist_range = true,
        .safelist_total_1024 = true,
        .wildcard_covers_authorization = false, /* fetch#cors-non-wildcard-request-header-name */
        .preflight_status_before_cors_check = false,
        .allow_origin_classes = SIM_ACAO_CHROMIUM, /* the CDP names are Chromium's */
    },
    {
        .id = CORSIM_PROFILE_CHROMIUM,
        .name = "chromium",
        .max_age_default = 5,   /* browsers.md §1 "default": kDefaultTimeout */
        .max_age_cap = 7200,    /* §1 "cap" kMaxTimeout; measured in the top box */
        .max_age_parser = SIM_MAX_AGE_INT64, /* §1 "parser" StringToInt64 */
        .expiry_inclusive = false,           /* §1 "expiry boundary" now >= expiry */
        .zero_max_age_not_cached = true,     /* §1 "0" and "negative" */
        .cache_shape = SIM_CACHE_PER_URL,    /* §1 "granularity" one PreflightResult per key */
        .credentials_keyed_apart = false,    /* §1 "credentials in key?" no */
        .clear_on_failure = SIM_CLEAR_NEVER, /* §1 "actual request fails CORS check" not cleared */
        .erase_on_insufficient_hit = true,   /* §1 "hit that is insufficient" entry erased */
        .cache_failed_preflight = false,     /* §1 "preflight that passed CORS but failed" */
        .cache_hit_needs_head_listed = false,
        .cache_ignores_wildcard = false,
        .cache_capacity = 1024,              /* §1 "max entries" kMaxCacheEntries */
        .cache_max_url_length = 1024,        /* §1 "URL length limit" kMaxKeyLength */
        .cache_mode_bypass = BYPASS(CORSIM_CACHE_NO_STORE) |
                             BYPASS(CORSIM_CACHE_RELOAD) |
                             BYPASS(CORSIM_CACHE_NO_CACHE), /* §1 "lookup skipped"; top box */
        .method_safelist_case_insensitive = true, /* §2.1 "safelisted methods" */
        .safelist_client_hints = true,       /* §2.1 "safelisted request headers" */
        .safelist_range = true,
        .safelist_total_1024 = true,         /* §2.1 "1024-byte total" */
        .wildcard_covers_authorization = true, /* top box: measured in Chromium 156 */
        .preflight_status_before_cors_check = false, /* §2.2 "order" */
        .local_network_access = true, /* §2.3 LNA; top box: measured */
        .allow_origin_classes = SIM_ACAO_CHROMIUM, /* §2.2 "mismatch sub-classification" */
        /* §1 "`*` in cached lists": Authorization never covered by `*` on a
         * cache hit (NonWildcardRequestHeadersSupport(true)); measured in
         * vectors/browsers/authorization-wildcard.json */
        .cache_wildcard_covers_authorization = false,
        /* measured with the oracle (vectors/simple/header-budget.json):
         * Chromium joins same-name request headers into one value before
         * classifying them, and replaces an author User-Agent */
        .combine_request_headers = true,
        .user_agent_forbidden = true,
        .no_preflight_cache_for_null_origin = true,
        .redirect_error_needs_location = true,
        .redirect_limit_before_cors_check = true,
        .same_location_lines_are_one = true,
        .mode_check_in_renderer = true,
    },
    {
        .id = CORSIM_PROFILE_FIREFOX,
        .name = "firefox",
        .max_age_default = 5,   /* §1 "default" PREFLIGHT_DEFAULT_EXPIRY_SECONDS */
        .max_age_cap = 86400,   /* §1 "cap" */
        .max_age_parser = SIM_MAX_AGE_DIGITS_ONLY, /* §1 "parser", "unparsable" not cached */
        .expiry_inclusive = false,       /* §1 "expiry boundary" */
        .zero_max_age_not_cached = true, /* §1 "0" if (!age) return */
        .cache_shape = SIM_CACHE_PER_ENTRY, /* §1 "granularity" merges tokens */
        .credentials_keyed_apart = true, /* §1 "credentials in key?" cred/nocred */
        /* §1 "actual request fails CORS check": cleared, and also when the
         * preflight fails (measured: vectors/browsers/cache-failure.json) */
        .clear_on_failure = SIM_CLEAR_ANY_FAILURE,
        .erase_on_insufficient_hit = false,
        .cache_failed_preflight = false,
        .cache_hit_needs_head_listed = true, /* §1 "method check on hit" */
        .cache_ignores_wildcard = true,      /* §1 "* in cached lists" */
        .cache_capacity = 100,               /* §1 "max entries" PREFLIGHT_CACHE_SIZE */
        .cache_max_url_length = 0,
        .cache_mode_bypass = BYPASS(CORSIM_CACHE_NO_STORE) |
                             BYPASS(CORSIM_CACHE_RELOAD), /* §1 "lookup skipped" LOAD_BYPASS_CACHE */
        .method_safelist_case_insensitive = true, /* §2.1 "safelisted methods" */
        .safelist_client_hints = false,
        .safelist_range = true,          /* measured: Firefox 153 safelists Range (top box) */
        .safelist_total_1024 = false,    /* §2.1 "1024-byte total" not found */
        .wildcard_covers_authorization = true, /* top box: measured */
        .preflight_status_before_cors_check = false, /* §2.2 "order" */
        .preflight_method_before_allow_headers = true, /* §2.2 "order": ACAM+method, then ACAH */
        /* measured: a 301 preflight without ACAO is CORSMissingAllowOrigin2
         * (vectors/browsers/preflight-order.json) */
        .preflight_cors_check_before_redirect = true,
        .allow_origin_classes = SIM_ACAO_FIREFOX, /* §2.2 "mismatch sub-classification" */
    },
    {
        .id = CORSIM_PROFILE_WEBKIT,
        .name = "webkit",
        .max_age_default = 5,  /* §1 "default" defaultPreflightCacheTimeout */
        .max_age_cap = 600,    /* §1 "cap" maxPreflightCacheTimeout; top box */
        .max_age_parser = SIM_MAX_AGE_INT64, /* §1 "parser" parseInteger<int64_t> */
        .expiry_inclusive = true,       /* §1 "expiry boundary" now > expiry */
        .zero_max_age_not_cached = false, /* §1 "0": valid at the same instant */
        .cache_shape = SIM_CACHE_PER_URL, /* §1 "granularity" replaced wholesale */
        .credentials_keyed_apart = false,
        .clear_on_failure = SIM_CLEAR_NEVER, /* §1 "actual request fails CORS check" */
        .erase_on_insufficient_hit = true, /* §1 "hit that is insufficient" */
        .cache_failed_preflight = true, /* §1 "preflight that passed CORS but failed"; top box */
        .cache_hit_needs_head_listed = false,
        .cache_ignores_wildcard = false,
        .cache_capacity = 0,            /* §1 "max entries" unbounded */
        .cache_max_url_length = 0,
        .cache_mode_bypass = 0,         /* §1 "lookup skipped" none found */
        .method_safelist_case_insensitive = false, /* §2.1 exact GET/HEAD/POST */
        .safelist_client_hints = false,
        .safelist_range = true,         /* §2.1 WebKit has Range */
        .safelist_total_1024 = false,   /* §2.1 "1024-byte total" not found */
        .wildcard_covers_authorization = true, /* §2.2; top box: measured */
        .preflight_status_before_cors_check = true, /* §2.2 "order": status first */
        .allow_origin_classes = SIM_ACAO_WEBKIT, /* §2.2 "mismatch sub-classification" */
        .cache_wildcard_covers_authorization = true, /* §1 "* in cached lists" */
        /* measured (vectors/browsers/safelist.json): same-name request
         * headers are one combined value */
        .combine_request_headers = true,
        /* oracle README "Surprises": WebKitGTK blocks http://localhost from
         * an https page as mixed content */
        .localhost_mixed_content = true,
    },
};

const struct sim_profile *sim_profile_get(enum corsim_profile id) {
  size_t i = (size_t)id;
  return i < CORSIM_PROFILE_COUNT ? &profiles[i] : &profiles[0];
}
