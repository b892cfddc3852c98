/* sarif.c: the SARIF 2.1.0 report (OASIS Static Analysis Results
 * Interchange Format) that GitHub code scanning and other SARIF viewers
 * read: a case that did not pass becomes a result pointing at the line
 * of the vector file where the case starts.
 *
 *   {"$schema":"https://json.schemastore.org/sarif-2.1.0.json",
 *    "version":"2.1.0","runs":[{"results":[
 *   {"ruleId":"CORSIM-MISMATCH","ruleIndex":0,"level":"error",
 *    "message":{"text":"..."},"locations":[{"physicalLocation":{
 *      "artifactLocation":{"uri":"vectors/x.json"},
 *      "region":{"startLine":20,"startColumn":7}}}], ...},
 *   ...
 *   ],
 *   "tool":{"driver":{"name":"corsim","version":"0.1.0",
 *     "informationUri":"...","rules":[
 *   {"id":"CORSIM-MISMATCH", ...},
 *   {"id":"CORSIM-VECTOR-ERROR", ...},
 *   {"id":"CORS/MissingAllowOriginHeader", ...}
 *   ]}}}]}
 *
 * Rules, one per finding class, with stable ids:
 *   CORSIM-MISMATCH       a case whose expectation does not hold (level
 *                         error); always rule 0
 *   CORSIM-VECTOR-ERROR   a case or a file that could not run (level
 *                         error); always rule 1
 *   CORS/<CorsError>      one per CDP Network.CorsError name that some
 *                         decision of the run refused with, in the order
 *                         first seen; its texts come from
 *                         corsim_cors_error_advice()
 *
 * What becomes a result. By default only the cases that failed or could
 * not run, at level "error": SARIF viewers list results as alerts to act
 * on, and a refusal that the vector expects is the model working, not a
 * finding. With r->verbose (--verbose) each expected refusal is also a
 * result under its CORS/<CorsError> rule at level "note", so a viewer can
 * list every refusal the corpus demonstrates. The rules for refusals are
 * listed either way. A failing case whose browser refused names the
 * refusal and its fix in its message.
 *
 * security-severity: GitHub ranks a result as a security alert when its
 * rule has a "security-severity" property (a score "0.0" to "10.0") and
 * the tag "security". For now no rule has one: a CORS refusal protects
 * the user, it is not a hole in the server. security_severity() below is
 * the one place where a rule would get a score (for instance a future
 * lint for a server that reflects any Origin with credentials allowed).
 *
 * Results are streamed, one per line, as they arrive; the tool object
 * with the rules comes after them (JSON members have no order), since
 * the rules depend on what was seen. Strings are built with cJSON from
 * text made valid UTF-8 (escape_utf8), and each printed line passes
 * escape_json_output, as in json.c. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "describe.h"
#include "escape.h"
#include "json_build.h"
#include "report.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
/* The project has no public home page yet: point at the part of the
 * standard corsim models. Change it when the project has one. */
#define SARIF_INFORMATION_URI "https://fetch.spec.whatwg.org/#http-cors-protocol"

#define RULE_MISMATCH 0
#define RULE_VECTOR_ERROR 1
#define FIXED_RULES 2

struct sarif_state {
  char *version;
  size_t results; /* result lines written so far */
  /* The CORS/<name> rules in the order first seen; rule index
   * FIXED_RULES + position. */
  enum corsim_cors_error cors_rules[CORSIM_CORS_ERROR_COUNT];
  size_t cors_rule_count;
  int cors_rule_position[CORSIM_CORS_ERROR_COUNT]; /* -1: not seen */
  struct escape_buf out;
  struct escape_buf tmp;
};

/* See the file comment: the score of a rule that is a security problem,
 * or NULL. No refusal is one. */
static const char *security_severity(enum corsim_cors_error e) {
  (void)e;
  return NULL;
}

/* ---- building values ----------------------------------------------------- */

/* SARIF strings are never null: NULL is written "". */
static cJSON *string_node(const char *s) {
  return json_build_string(s != NULL ? s : "");
}

static bool add_string(cJSON *obj, const char *key, const char *s) {
  return json_build_add(obj, key, string_node(s));
}

/* {"text": s} */
static cJSON *message_node(const char *s) {
  cJSON *o = cJSON_CreateObject();
  if (o != NULL && !add_string(o, "text", s)) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

static cJSON *string_array(const char *const *items, size_t count) {
  cJSON *array = cJSON_CreateArray();
  for (size_t k = 0; array != NULL && k < count; k++)
    if (!json_build_add_item(array, string_node(items[k]))) {
      cJSON_Delete(array);
      return NULL;
    }
  return array;
}

/* A file path as a URI reference (RFC 3986): a relative path stays
 * relative, an absolute one becomes a file: URI; every byte outside the
 * unreserved and path characters is percent-encoded (so is ':', which
 * would read as a scheme in a first segment). */
static void add_uri(struct escape_buf *b, const char *path) {
  static const char keep[] = "-._~/!$&'()*+,;=@";
  if (path == NULL || path[0] == '\0') path = "-";
  if (path[0] == '/') escape_buf_puts(b, "file://");
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                 (*p >= '0' && *p <= '9') || strchr(keep, *p) != NULL;
    if (plain)
      escape_buf_add(b, (const char *)p, 1);
    else
      escape_buf_printf(b, "%%%02X", *p);
  }
}

/* [{"physicalLocation": {"artifactLocation": {"uri": ...}, "region":
 * {"startLine": ..., "startColumn": ...}}}] */
static cJSON *locations_node(struct sarif_state *st, const char *file,
                             int line, int column) {
  /* Each node is attached as soon as it is made (cJSON_AddObjectToObject
   * takes a NULL parent), so one delete of the array frees what was
   * built. */
  cJSON *array = cJSON_CreateArray();
  if (!json_build_add_item(array, cJSON_CreateObject())) {
    cJSON_Delete(array);
    return NULL;
  }
  cJSON *physical = cJSON_AddObjectToObject(cJSON_GetArrayItem(array, 0),
                                            "physicalLocation");
  cJSON *artifact = cJSON_AddObjectToObject(physical, "artifactLocation");
  escape_buf_reset(&st->tmp);
  add_uri(&st->tmp, file);
  bool ok = artifact != NULL && !st->tmp.failed &&
            add_string(artifact, "uri", escape_buf_str(&st->tmp));
  escape_buf_reset(&st->tmp);
  if (ok && line > 0) {
    cJSON *region = cJSON_AddObjectToObject(physical, "region");
    ok = region != NULL && json_build_add_number(region, "startLine", line) &&
         (column <= 0 || json_build_add_number(region, "startColumn", column));
  }
  if (!ok) {
    cJSON_Delete(array);
    return NULL;
  }
  return array;
}

/* The case's facts as a property bag. */
static cJSON *case_properties(const struct case_result *c,
                              enum corsim_cors_error refused) {
  cJSON *o = cJSON_CreateObject();
  bool ok = o != NULL && add_string(o, "case", c->case_id) &&
            add_string(o, "browser", c->browser != NULL ? c->browser : "fetch") &&
            (c->suite == NULL || add_string(o, "suite", c->suite)) &&
            (c->title == NULL || c->title[0] == '\0' ||
             add_string(o, "title", c->title)) &&
            json_build_add(o, "spec", string_array(c->spec, c->spec_count)) &&
            json_build_add(o, "tags", string_array(c->tags, c->tag_count)) &&
            add_string(o, "status", result_status_name(c->status)) &&
            (refused == CORSIM_CORS_ERROR_NONE ||
             add_string(o, "corsError", corsim_cors_error_name(refused)));
  if (!ok) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

/* ---- rules --------------------------------------------------------------- */

/* Notes that some decision refused with `e`; returns its rule index. */
static int see_cors_error(struct sarif_state *st, enum corsim_cors_error e) {
  if (e <= CORSIM_CORS_ERROR_NONE || e >= CORSIM_CORS_ERROR_COUNT) return -1;
  if (st->cors_rule_position[e] < 0) {
    st->cors_rule_position[e] = (int)st->cors_rule_count;
    st->cors_rules[st->cors_rule_count++] = e;
  }
  return FIXED_RULES + st->cors_rule_position[e];
}

/* The CORS refusal that decided a step, or NONE. */
static enum corsim_cors_error refusal_of(const struct step_result *s) {
  const struct corsim_decision *d = s->decision;
  if (d == NULL || d->outcome != CORSIM_OUTCOME_BLOCKED) return CORSIM_CORS_ERROR_NONE;
  return d->cors_error;
}

static cJSON *rule_node(const char *id, const char *name, const char *short_text,
                        const char *full_text, const char *help_text,
                        const char *help_uri, const char *level,
                        const char *tag, const char *severity) {
  cJSON *rule = cJSON_CreateObject();
  bool ok = rule != NULL && add_string(rule, "id", id) &&
            add_string(rule, "name", name) &&
            json_build_add(rule, "shortDescription", message_node(short_text)) &&
            json_build_add(rule, "fullDescription", message_node(full_text)) &&
            json_build_add(rule, "help", message_node(help_text)) &&
            (help_uri == NULL || add_string(rule, "helpUri", help_uri));
  cJSON *config = ok ? cJSON_AddObjectToObject(rule, "defaultConfiguration")
                     : NULL;
  cJSON *props = config != NULL ? cJSON_AddObjectToObject(rule, "properties")
                                : NULL;
  cJSON *tags = cJSON_AddArrayToObject(props, "tags");
  ok = tags != NULL && add_string(config, "level", level) &&
       json_build_add_item(tags, string_node("cors")) && json_build_add_item(tags, string_node(tag));
  if (ok && severity != NULL)
    ok = json_build_add_item(tags, string_node("security")) &&
         add_string(props, "security-severity", severity);
  if (!ok) {
    cJSON_Delete(rule);
    return NULL;
  }
  return rule;
}

/* The URL of a Fetch Standard anchor, or NULL when it is not an https URL
 * (helpUri must be an absolute URI). */
static const char *anchor_url(const char *anchor, char *out, size_t size) {
  size_t n = corsim_anchor_url(anchor, out, size);
  return n > 0 && n < size && strncmp(out, "https://", 8) == 0 ? out : NULL;
}

static cJSON *cors_rule_node(struct sarif_state *st, enum corsim_cors_error e) {
  const struct corsim_advice *a = corsim_cors_error_advice(e);
  const char *name = corsim_cors_error_name(e);
  char id[128], url[256];
  snprintf(id, sizeof id, "CORS/%s", name);
  struct escape_buf *b = &st->tmp;
  escape_buf_reset(b);
  escape_buf_printf(b, "CORS refusal: %s", name);
  char *short_text = strdup(escape_buf_str(b));
  escape_buf_reset(b);
  escape_buf_printf(b, "What it means: %s.\nWhat to change: %s.", a->meaning,
                    a->fix[0] != '\0' ? a->fix
                                      : "nothing on the server: the page "
                                        "itself asked for this");
  const char *help_uri = anchor_url(a->anchor, url, sizeof url);
  if (help_uri != NULL) escape_buf_printf(b, "\nThe standard: %s", help_uri);
  cJSON *rule = short_text == NULL || b->failed
                    ? NULL
                    : rule_node(id, name, short_text, a->meaning,
                                escape_buf_str(b), help_uri, "note", "CorsError",
                                security_severity(e));
  free(short_text);
  escape_buf_reset(b);
  return rule;
}

/* ---- results ------------------------------------------------------------- */

/* Prints `node` on one line into st->out and frees it. */
static bool print_node(struct sarif_state *st, cJSON *node) {
  if (node == NULL) return false;
  char *text = cJSON_PrintUnformatted(node);
  cJSON_Delete(node);
  if (text == NULL) return false;
  escape_buf_puts(&st->out, st->results == 0 ? "\n" : ",\n");
  escape_json_output(&st->out, text, strlen(text), 0);
  cJSON_free(text);
  st->results++;
  return !st->out.failed;
}

/* "reports/x.json#case@browser": the case's identity across runs, which
 * line numbers are not. */
static void add_fingerprint(struct sarif_state *st, cJSON *result,
                            const struct case_result *c, bool *ok) {
  escape_buf_reset(&st->tmp);
  escape_buf_printf(&st->tmp, "%s#%s@%s", c->file != NULL ? c->file : "-",
                    c->case_id != NULL ? c->case_id : "",
                    c->browser != NULL ? c->browser : "fetch");
  cJSON *fp = cJSON_CreateObject();
  *ok = *ok && fp != NULL && !st->tmp.failed &&
        add_string(fp, "corsimCase/v1", escape_buf_str(&st->tmp));
  if (*ok) {
    *ok = json_build_add(result, "partialFingerprints", fp);
  } else {
    cJSON_Delete(fp);
  }
  escape_buf_reset(&st->tmp);
}

static cJSON *result_node(struct sarif_state *st, const char *rule_id,
                          int rule_index, const char *level, const char *text,
                          const struct case_result *c,
                          enum corsim_cors_error refused) {
  cJSON *o = cJSON_CreateObject();
  bool ok = o != NULL && add_string(o, "ruleId", rule_id) &&
            json_build_add_number(o, "ruleIndex", rule_index) &&
            add_string(o, "level", level) &&
            json_build_add(o, "message", message_node(text)) &&
            json_build_add(o, "locations",
                locations_node(st, c->file, c->line, c->column));
  add_fingerprint(st, o, c, &ok);
  ok = ok && json_build_add(o, "properties", case_properties(c, refused));
  if (!ok) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

/* The message of a failing case: what differs, step by step, and what
 * the browser refused with, if it did. */
static char *failure_text(struct escape_buf *b, const struct case_result *c) {
  escape_buf_reset(b);
  escape_buf_puts(b, "'");
  describe_case_name(b, c);
  escape_buf_puts(b, "' does not hold:");
  for (size_t i = 0; i < c->step_count; i++) {
    const struct step_result *s = &c->steps[i];
    if (s->status != RESULT_FAIL) continue;
    const char *step = "";
    char label[48] = "";
    if (c->step_count > 1) {
      snprintf(label, sizeof label, "step %zu: ", s->index);
      step = label;
    }
    for (size_t k = 0; k < s->mismatch_count; k++) {
      escape_buf_printf(b, "\n%s", step);
      describe_mismatch(b, &s->mismatches[k]);
    }
    enum corsim_cors_error e = refusal_of(s);
    if (e != CORSIM_CORS_ERROR_NONE) {
      const struct corsim_advice *a = corsim_cors_error_advice(e);
      escape_buf_printf(b, "\n%sthe browser refused with %s: %s", step,
                        corsim_cors_error_name(e), a->meaning);
      if (a->fix[0] != '\0') escape_buf_printf(b, "; fix: %s", a->fix);
    } else if (s->decision != NULL) {
      escape_buf_printf(b, "\n%sdecision: ", step);
      describe_decision(b, s->decision);
    }
  }
  return b->failed ? NULL : strdup(escape_buf_str(b));
}

/* ---- the writer ---------------------------------------------------------- */

static void sarif_release(struct report *r) {
  struct sarif_state *st = r->state;
  if (st == NULL) return;
  free(st->version);
  escape_buf_release(&st->out);
  escape_buf_release(&st->tmp);
  free(st);
  r->state = NULL;
}

static int sarif_begin(struct report *r, const struct run_info *info) {
  struct sarif_state *st = calloc(1, sizeof *st);
  if (st == NULL) return -1;
  escape_buf_init(&st->out);
  escape_buf_init(&st->tmp);
  for (size_t i = 0; i < CORSIM_CORS_ERROR_COUNT; i++)
    st->cors_rule_position[i] = -1;
  r->state = st;
  st->version = strdup(info != NULL && info->version != NULL ? info->version
                                                             : CORSIM_VERSION);
  if (st->version == NULL) return -1;
  escape_buf_puts(&st->out, "{\"$schema\":\"" SARIF_SCHEMA "\",\"version\":"
                            "\"2.1.0\",\"runs\":[{\"results\":[");
  return report_write_buf(r, &st->out);
}

static int sarif_write_case(struct report *r, const struct case_result *c) {
  struct sarif_state *st = r->state;
  if (st == NULL) return -1;
  enum corsim_cors_error first_refusal = CORSIM_CORS_ERROR_NONE;
  for (size_t i = 0; i < c->step_count; i++) {
    enum corsim_cors_error e = refusal_of(&c->steps[i]);
    see_cors_error(st, e);
    if (first_refusal == CORSIM_CORS_ERROR_NONE) first_refusal = e;
  }

  bool ok = true;
  if (c->status == RESULT_FAIL) {
    char *text = failure_text(&st->tmp, c);
    ok = text != NULL &&
         print_node(st, result_node(st, "CORSIM-MISMATCH", RULE_MISMATCH,
                                    "error", text, c, first_refusal));
    free(text);
  } else if (c->status == RESULT_ERROR) {
    escape_buf_reset(&st->tmp);
    escape_buf_puts(&st->tmp, "'");
    describe_case_name(&st->tmp, c);
    escape_buf_puts(&st->tmp, "' could not run: ");
    describe_case_error(&st->tmp, c);
    char *text = st->tmp.failed ? NULL : strdup(escape_buf_str(&st->tmp));
    ok = text != NULL &&
         print_node(st, result_node(st, "CORSIM-VECTOR-ERROR",
                                    RULE_VECTOR_ERROR, "error", text, c,
                                    first_refusal));
    free(text);
  } else if (c->status == RESULT_PASS && r->verbose) {
    /* --verbose: each refusal that the vector expects, as a note */
    for (size_t i = 0; ok && i < c->step_count; i++) {
      enum corsim_cors_error e = refusal_of(&c->steps[i]);
      if (e == CORSIM_CORS_ERROR_NONE) continue;
      char id[128];
      snprintf(id, sizeof id, "CORS/%s", corsim_cors_error_name(e));
      escape_buf_reset(&st->tmp);
      escape_buf_puts(&st->tmp, "'");
      describe_case_name(&st->tmp, c);
      escape_buf_puts(&st->tmp, "'");
      if (c->step_count > 1)
        escape_buf_printf(&st->tmp, " step %zu", c->steps[i].index);
      escape_buf_printf(&st->tmp, ": refused with %s, as expected: %s",
                        corsim_cors_error_name(e),
                        corsim_cors_error_advice(e)->meaning);
      char *text = st->tmp.failed ? NULL : strdup(escape_buf_str(&st->tmp));
      ok = text != NULL &&
           print_node(st, result_node(st, id, see_cors_error(st, e), "note",
                                      text, c, e));
      free(text);
    }
  }
  if (!ok) return -1;
  return report_write_buf(r, &st->out);
}

static int sarif_write_file_error(struct report *r, const struct file_error *e) {
  struct sarif_state *st = r->state;
  if (st == NULL) return -1;
  escape_buf_reset(&st->tmp);
  escape_buf_printf(&st->tmp, "'%s' could not be loaded: %s",
                    e->file != NULL ? e->file : "-",
                    e->message != NULL ? e->message : "cannot load");
  char *text = st->tmp.failed ? NULL : strdup(escape_buf_str(&st->tmp));
  cJSON *o = cJSON_CreateObject();
  bool ok = text != NULL && o != NULL &&
            add_string(o, "ruleId", "CORSIM-VECTOR-ERROR") &&
            json_build_add_number(o, "ruleIndex", RULE_VECTOR_ERROR) &&
            add_string(o, "level", "error") &&
            json_build_add(o, "message", message_node(text)) &&
            json_build_add(o, "locations", locations_node(st, e->file, e->line, e->column));
  free(text);
  if (!ok) {
    cJSON_Delete(o);
    return -1;
  }
  if (!print_node(st, o)) return -1;
  return report_write_buf(r, &st->out);
}

/* Prints one rule on its own line into st->out. */
static bool print_rule(struct sarif_state *st, cJSON *rule, bool first) {
  if (rule == NULL) return false;
  char *text = cJSON_PrintUnformatted(rule);
  cJSON_Delete(rule);
  if (text == NULL) return false;
  escape_buf_puts(&st->out, first ? "\n" : ",\n");
  escape_json_output(&st->out, text, strlen(text), 0);
  cJSON_free(text);
  return !st->out.failed;
}

static int sarif_end(struct report *r, const struct run_summary *s) {
  (void)s;
  struct sarif_state *st = r->state;
  if (st == NULL) return -1;
  struct escape_buf *b = &st->out;
  char url[256];
  escape_buf_puts(b, st->results != 0 ? "\n],\n" : "],\n");
  cJSON *driver_head = cJSON_CreateObject();
  bool ok = driver_head != NULL && add_string(driver_head, "name", "corsim") &&
            add_string(driver_head, "version", st->version) &&
            add_string(driver_head, "informationUri", SARIF_INFORMATION_URI);
  char *head = ok ? cJSON_PrintUnformatted(driver_head) : NULL;
  cJSON_Delete(driver_head);
  ok = head != NULL;
  if (ok) {
    /* reopen the printed object to add the rules */
    escape_buf_puts(b, "\"tool\":{\"driver\":");
    escape_json_output(b, head, strlen(head) - 1, 0);
    escape_buf_puts(b, ",\"rules\":[");
    cJSON_free(head);
  }
  ok = ok &&
       print_rule(st,
                  rule_node("CORSIM-MISMATCH", "ExpectationMismatch",
                            "a CORS test vector's expectation does not hold",
                            "The browser model decided differently from what "
                            "the case's expect says: the server's answer, the "
                            "model, or the expectation is wrong.",
                            "Read the decision and the trace in the message "
                            "(or run: corsim explain FILE --case ID), then fix "
                            "the server's CORS headers or the vector's expect.",
                            anchor_url("fetch#http-cors-protocol", url,
                                       sizeof url),
                            "error", "conformance", NULL),
                  true);
  ok = ok && print_rule(st,
                        rule_node("CORSIM-VECTOR-ERROR", "VectorError",
                                  "a CORS test vector could not run",
                                  "The vector file or case does not follow "
                                  "the cors-vectors/1 format, or it lacks a "
                                  "server answer the browser needs, so it is "
                                  "neither a pass nor a failure.",
                                  "Fix the vector at the location given; the "
                                  "format is described in vectors/FORMAT.md.",
                                  NULL, "error", "vector", NULL),
                        false);
  for (size_t i = 0; ok && i < st->cors_rule_count; i++)
    ok = print_rule(st, cors_rule_node(st, st->cors_rules[i]), false);
  escape_buf_puts(b, "\n]}}}]}\n");
  int rc = ok ? report_write_buf(r, b) : -1;
  sarif_release(r);
  return rc;
}

const struct report_writer report_writer_sarif = {
    .name = "sarif",
    .begin = sarif_begin,
    .write_case = sarif_write_case,
    .write_file_error = sarif_write_file_error,
    .end = sarif_end,
    .release = sarif_release,
};
