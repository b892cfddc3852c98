/* json_build.h: building cJSON values for the JSON and SARIF writers, with
 * every string made valid UTF-8 first and every failure (out of memory)
 * reported as false, the half-built node freed. */
#ifndef CORSIM_JSON_BUILD_H
#define CORSIM_JSON_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

/* A string node made valid UTF-8 (escape_utf8_dup), or a null node for
 * NULL. NULL when out of memory. */
cJSON *json_build_string(const char *s);
/* An array of such strings; NULL when out of memory. */
cJSON *json_build_string_array(const char *const *items, size_t count);

/* Adds `node` under `key` (our own text) or to `array`; false, and `node`
 * freed, when either is missing. */
bool json_build_add(cJSON *obj, const char *key, cJSON *node);
bool json_build_add_item(cJSON *array, cJSON *node);
bool json_build_add_string(cJSON *obj, const char *key, const char *s);
bool json_build_add_number(cJSON *obj, const char *key, double n);
bool json_build_add_bool(cJSON *obj, const char *key, bool b);
bool json_build_add_null(cJSON *obj, const char *key);

#endif /* CORSIM_JSON_BUILD_H */
