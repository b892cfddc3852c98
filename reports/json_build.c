/* json_build.c: building cJSON values for the JSON and SARIF writers (see
 * json_build.h). */
#include <stdlib.h>

#include "escape.h"
#include "json_build.h"

cJSON *json_build_string(const char *s) {
  if (s == NULL) return cJSON_CreateNull();
  char *clean = escape_utf8_dup(s);
  if (clean == NULL) return NULL;
  cJSON *node = cJSON_CreateString(clean);
  free(clean);
  return node;
}

bool json_build_add(cJSON *obj, const char *key, cJSON *node) {
  if (node == NULL) return false;
  if (!cJSON_AddItemToObject(obj, key, node)) {
    cJSON_Delete(node);
    return false;
  }
  return true;
}

bool json_build_add_item(cJSON *array, cJSON *node) {
  if (node == NULL) return false;
  if (!cJSON_AddItemToArray(array, node)) {
    cJSON_Delete(node);
    return false;
  }
  return true;
}

bool json_build_add_string(cJSON *obj, const char *key, const char *s) {
  return json_build_add(obj, key, json_build_string(s));
}

bool json_build_add_number(cJSON *obj, const char *key, double n) {
  return json_build_add(obj, key, cJSON_CreateNumber(n));
}

bool json_build_add_bool(cJSON *obj, const char *key, bool b) {
  return json_build_add(obj, key, cJSON_CreateBool(b));
}

bool json_build_add_null(cJSON *obj, const char *key) {
  return json_build_add(obj, key, cJSON_CreateNull());
}

cJSON *json_build_string_array(const char *const *items, size_t count) {
  cJSON *array = cJSON_CreateArray();
  if (array == NULL) return NULL;
  for (size_t i = 0; i < count; i++)
    if (!json_build_add_item(array, json_build_string(items[i]))) {
      cJSON_Delete(array);
      return NULL;
    }
  return array;
}
