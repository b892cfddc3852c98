/* json.c: the machine-readable report (corsim-report/1), the stable
 * interface for other tools: one JSON object whose "results" array holds
 * one object per step, streamed one result per line.
 *
 *   {"format":"corsim-report/1","version":"0.1.0","command":"run","results":[
 *   {"file":...,"case":"simple-get","step":0,"status":"pass",...},
 *   {"file":...,"case":"bad","step":null,"status":"error",...}
 *   ],"file_errors":[
 *   {"file":"x.json","line":3,"column":5,"message":"..."}
 *   ],"summary":{"cases":2,...}}
 *
 * begin writes the opening up to "results":[, each result is one line
 * written and flushed as it arrives, end writes the file errors (kept
 * until then, since they come after the results) and the summary.
 *
 * Every object is built with cJSON and printed unformatted. Strings from
 * vectors and servers are made valid UTF-8 first (escape_utf8: invalid
 * bytes become the text \xNN), and each printed line goes through
 * escape_json_output, which writes `</` as `<\/` and invisible code
 * points as \uXXXX, so the report can be embedded in HTML and printed on
 * a terminal as it is. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "escape.h"
#include "json_build.h"
#include "report.h"

#define REPORT_FORMAT "corsim-report/1"

struct json_state {
  size_t results;     /* result objects written so far */
  cJSON *file_errors; /* an array, written by end */
  struct escape_buf out;
};

/* ---- building values ----------------------------------------------------- */

/* A JSON text from the runner ("\"blocked\"", "[\"x-a\"]") as the value
 * it spells; a text that does not parse is kept as a string. */
static cJSON *json_text_node(const char *text) {
  if (text == NULL) return cJSON_CreateNull();
  struct escape_buf b;
  escape_buf_init(&b);
  escape_json_text(&b, text, strlen(text));
  if (b.failed) {
    escape_buf_release(&b);
    return NULL;
  }
  cJSON *node = cJSON_ParseWithLength(escape_buf_str(&b), b.len);
  escape_buf_release(&b);
  return node != NULL ? node : json_build_string(text);
}

/* Wire headers as an object, name -> value; same-name headers (compared
 * case-insensitively, the first spelling kept) combined with ", " as
 * fetch#concept-header-list-combine does. */
static cJSON *header_object(const struct corsim_owned_header *h, size_t n) {
  cJSON *obj = cJSON_CreateObject();
  if (obj == NULL) return NULL;
  struct escape_buf value;
  escape_buf_init(&value);
  bool ok = true;
  for (size_t i = 0; ok && i < n; i++) {
    if (h[i].name == NULL) continue;
    bool seen = false;
    for (size_t j = 0; j < i && !seen; j++)
      seen = h[j].name != NULL && strcasecmp(h[j].name, h[i].name) == 0;
    if (seen) continue;
    escape_buf_reset(&value);
    bool first = true;
    for (size_t j = i; j < n; j++) {
      if (h[j].name == NULL || strcasecmp(h[j].name, h[i].name) != 0)
        continue;
      if (!first) escape_buf_puts(&value, ", ");
      escape_utf8(&value, h[j].value != NULL ? h[j].value : "",
                  h[j].value != NULL ? strlen(h[j].value) : 0);
      first = false;
    }
    char *name = escape_utf8_dup(h[i].name);
    ok = name != NULL && !value.failed;
    if (ok) {
      cJSON *node = cJSON_CreateString(escape_buf_str(&value));
      ok = node != NULL && cJSON_AddItemToObject(obj, name, node);
      if (!ok) cJSON_Delete(node);
    }
    free(name);
  }
  escape_buf_release(&value);
  if (!ok) {
    cJSON_Delete(obj);
    return NULL;
  }
  return obj;
}

/* Every VECTORS.md expect field as the browser decided it, asked for or
 * not, plus blocked_reason and response_type. */
static cJSON *observed_node(const struct corsim_decision *d) {
  cJSON *o = cJSON_CreateObject();
  if (o == NULL) return NULL;
  bool ok = json_build_add_string(o, "outcome", corsim_outcome_name(d->outcome));
  ok = ok && (d->cors_error == CORSIM_CORS_ERROR_NONE
                  ? json_build_add_null(o, "cors_error")
                  : json_build_add_string(o, "cors_error",
                               corsim_cors_error_name(d->cors_error)));
  ok = ok && json_build_add_string(o, "failed_parameter", d->failed_parameter);
  ok = ok && json_build_add_string(o, "preflight", corsim_preflight_name(d->preflight));
  ok = ok && (d->has_preflight_request
                  ? json_build_add(o, "preflight_request_headers",
                        header_object(d->preflight_request_headers,
                                      d->preflight_request_header_count))
                  : json_build_add_null(o, "preflight_request_headers"));
  ok = ok && (d->has_request
                  ? json_build_add(o, "request_headers",
                        header_object(d->request_headers,
                                      d->request_header_count))
                  : json_build_add_null(o, "request_headers"));
  ok = ok && json_build_add(o, "exposed_headers",
                 json_build_string_array((const char *const *)d->exposed_headers,
                              d->exposed_header_count));
  ok = ok && json_build_add_number(o, "status", d->status);
  ok = ok && (d->blocked_reason == CORSIM_BLOCKED_NONE
                  ? json_build_add_null(o, "blocked_reason")
                  : json_build_add_string(o, "blocked_reason",
                               corsim_blocked_reason_name(d->blocked_reason)));
  ok = ok && json_build_add_string(o, "response_type",
                        corsim_response_type_name(d->response_type));
  if (!ok) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

static cJSON *mismatches_node(const struct step_result *s) {
  cJSON *array = cJSON_CreateArray();
  if (array == NULL) return NULL;
  for (size_t i = 0; s != NULL && i < s->mismatch_count; i++) {
    const struct result_mismatch *m = &s->mismatches[i];
    cJSON *obj = cJSON_CreateObject();
    bool ok = obj != NULL && json_build_add_string(obj, "field", m->field) &&
              json_build_add(obj, "expected", json_text_node(m->expected)) &&
              json_build_add(obj, "observed", json_text_node(m->observed));
    if (!ok || !json_build_add_item(array, obj)) {
      if (!ok) cJSON_Delete(obj);
      cJSON_Delete(array);
      return NULL;
    }
  }
  return array;
}

static cJSON *trace_node(const struct corsim_decision *d) {
  cJSON *array = cJSON_CreateArray();
  if (array == NULL) return NULL;
  for (size_t i = 0; d != NULL && i < d->trace_count; i++) {
    const struct corsim_trace_entry *e = &d->trace[i];
    cJSON *obj = cJSON_CreateObject();
    bool ok = obj != NULL && json_build_add_string(obj, "anchor", e->anchor) &&
              json_build_add_string(obj, "step",
                         e->step != NULL && e->step[0] != '\0' ? e->step
                                                               : NULL) &&
              json_build_add_string(obj, "kind", corsim_trace_kind_name(e->kind)) &&
              json_build_add_string(obj, "text", e->text);
    if (!ok || !json_build_add_item(array, obj)) {
      if (!ok) cJSON_Delete(obj);
      cJSON_Delete(array);
      return NULL;
    }
  }
  return array;
}

static cJSON *hops_node(const struct corsim_decision *d) {
  cJSON *array = cJSON_CreateArray();
  if (array == NULL) return NULL;
  for (size_t i = 0; d != NULL && i < d->hop_count; i++) {
    const struct corsim_hop *h = &d->hops[i];
    cJSON *obj = cJSON_CreateObject();
    bool ok = obj != NULL && json_build_add_string(obj, "method", h->method) &&
              json_build_add_string(obj, "url", h->url) &&
              json_build_add_number(obj, "status", h->status) &&
              json_build_add_string(obj, "origin", h->origin_sent) &&
              json_build_add_bool(obj, "cors_checked", h->cors_checked) &&
              json_build_add_bool(obj, "cors_ok", h->cors_ok);
    if (!ok || !json_build_add_item(array, obj)) {
      if (!ok) cJSON_Delete(obj);
      cJSON_Delete(array);
      return NULL;
    }
  }
  return array;
}

/* One result object: a step of `c`, or the case itself when `s` is NULL
 * (a case-level error, or a case with no steps). */
static cJSON *result_node(const struct case_result *c,
                          const struct step_result *s) {
  const struct corsim_decision *d = s != NULL ? s->decision : NULL;
  cJSON *o = cJSON_CreateObject();
  if (o == NULL) return NULL;
  bool ok = json_build_add_string(o, "file", c->file) &&
            json_build_add_string(o, "suite", c->suite) &&
            json_build_add_string(o, "case", c->case_id) &&
            json_build_add_string(o, "title", c->title) &&
            (s != NULL ? json_build_add_number(o, "step", (double)s->index)
                       : json_build_add_null(o, "step")) &&
            json_build_add_string(o, "browser", c->browser) &&
            json_build_add(o, "tags", json_build_string_array(c->tags, c->tag_count)) &&
            json_build_add(o, "spec", json_build_string_array(c->spec, c->spec_count)) &&
            json_build_add_string(o, "status",
                       result_status_name(s != NULL ? s->status : c->status)) &&
            (s != NULL ? json_build_add_number(o, "at", s->at) : json_build_add_null(o, "at")) &&
            (d != NULL ? json_build_add(o, "observed", observed_node(d))
                       : json_build_add_null(o, "observed")) &&
            json_build_add(o, "mismatches", mismatches_node(s)) &&
            json_build_add_string(o, "error", s != NULL ? s->error : c->error) &&
            json_build_add_string(o, "console", s != NULL ? s->console : NULL) &&
            json_build_add(o, "trace", trace_node(d)) && json_build_add(o, "hops", hops_node(d)) &&
            (c->line > 0 ? json_build_add_number(o, "line", c->line)
                         : json_build_add_null(o, "line")) &&
            (c->line > 0 ? json_build_add_number(o, "column", c->column)
                         : json_build_add_null(o, "column")) &&
            json_build_add_string(o, "skip_reason",
                       c->status == RESULT_SKIP ? c->skip_reason : NULL);
  /* --browser all: what the other profiles observed for this step */
  if (ok && s != NULL && c->other_count > 0) {
    cJSON *engines = cJSON_CreateObject();
    ok = engines != NULL && json_build_add(o, "engines", engines);
    for (size_t k = 0; ok && k < c->other_count; k++) {
      const struct case_result *oc = c->others[k];
      const struct corsim_decision *od =
          s->index < oc->step_count ? oc->steps[s->index].decision : NULL;
      ok = od != NULL ? json_build_add(engines, oc->browser, observed_node(od))
                      : json_build_add_null(engines, oc->browser);
    }
  }
  if (!ok) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

/* Prints `node` unformatted into `b` through escape_json_output, then
 * frees `node`; false when out of memory. */
static bool print_node(struct escape_buf *b, cJSON *node) {
  if (node == NULL) return false;
  char *text = cJSON_PrintUnformatted(node);
  cJSON_Delete(node);
  if (text == NULL) return false;
  escape_json_output(b, text, strlen(text), ESCAPE_JSON_HTML);
  cJSON_free(text);
  return !b->failed;
}

/* ---- the writer ---------------------------------------------------------- */

static void json_release(struct report *r) {
  struct json_state *st = r->state;
  if (st == NULL) return;
  cJSON_Delete(st->file_errors);
  escape_buf_release(&st->out);
  free(st);
  r->state = NULL;
}

static int json_begin(struct report *r, const struct run_info *info) {
  struct json_state *st = calloc(1, sizeof *st);
  if (st == NULL) return -1;
  escape_buf_init(&st->out);
  r->state = st;
  st->file_errors = cJSON_CreateArray();
  cJSON *head = cJSON_CreateObject();
  bool ok = st->file_errors != NULL && head != NULL &&
            json_build_add_string(head, "format", REPORT_FORMAT) &&
            json_build_add_string(head, "version",
                       info != NULL && info->version != NULL ? info->version
                                                             : CORSIM_VERSION) &&
            json_build_add_string(head, "command",
                       info != NULL && info->command != NULL ? info->command
                                                             : "run");
  if (!ok) {
    cJSON_Delete(head);
    return -1;
  }
  if (!print_node(&st->out, head)) return -1;
  /* Reopen the printed object to stream the results into it. */
  st->out.len--;
  escape_buf_puts(&st->out, ",\"results\":[");
  return report_write_buf(r, &st->out);
}

static int json_write_case(struct report *r, const struct case_result *c) {
  struct json_state *st = r->state;
  if (st == NULL) return -1;
  bool whole_case = c->error != NULL || c->step_count == 0;
  size_t n = whole_case ? 1 : c->step_count;
  for (size_t i = 0; i < n; i++) {
    escape_buf_puts(&st->out, st->results == 0 ? "\n" : ",\n");
    if (!print_node(&st->out, result_node(c, whole_case ? NULL : &c->steps[i])))
      return -1;
    st->results++;
  }
  return report_write_buf(r, &st->out);
}

static int json_write_file_error(struct report *r, const struct file_error *e) {
  struct json_state *st = r->state;
  if (st == NULL) return -1;
  cJSON *o = cJSON_CreateObject();
  bool ok = o != NULL && json_build_add_string(o, "file", e->file) &&
            (e->line > 0 ? json_build_add_number(o, "line", e->line)
                         : json_build_add_null(o, "line")) &&
            (e->line > 0 ? json_build_add_number(o, "column", e->column)
                         : json_build_add_null(o, "column")) &&
            json_build_add_string(o, "message", e->message);
  if (!ok || !json_build_add_item(st->file_errors, o)) {
    if (!ok) cJSON_Delete(o);
    return -1;
  }
  return 0;
}

static int json_end(struct report *r, const struct run_summary *s) {
  struct json_state *st = r->state;
  if (st == NULL) return -1;
  struct escape_buf *b = &st->out;
  bool ok = true;
  escape_buf_puts(b, st->results != 0 ? "\n],\"file_errors\":[" :
                                        "],\"file_errors\":[");
  int n = cJSON_GetArraySize(st->file_errors);
  for (int i = 0; ok && i < n; i++) {
    escape_buf_puts(b, i == 0 ? "\n" : ",\n");
    ok = print_node(b, cJSON_Duplicate(cJSON_GetArrayItem(st->file_errors, i),
                                       true));
  }
  escape_buf_puts(b, n != 0 ? "\n],\"summary\":" : "],\"summary\":");
  cJSON *sum = cJSON_CreateObject();
  ok = ok && sum != NULL && json_build_add_number(sum, "cases", (double)s->cases) &&
       json_build_add_number(sum, "passed", (double)s->passed) &&
       json_build_add_number(sum, "failed", (double)s->failed) &&
       json_build_add_number(sum, "errors", (double)s->errors) &&
       json_build_add_number(sum, "skipped", (double)s->skipped) &&
       json_build_add_number(sum, "steps", (double)s->steps) &&
       json_build_add_number(sum, "files", (double)s->files) &&
       json_build_add_number(sum, "file_errors", (double)s->file_errors) &&
       (r->deterministic || json_build_add_number(sum, "seconds", s->seconds));
  if (ok) {
    ok = print_node(b, sum);
  } else {
    cJSON_Delete(sum);
  }
  escape_buf_puts(b, "}\n");
  int rc = ok ? report_write_buf(r, b) : -1;
  json_release(r);
  return rc;
}

const struct report_writer report_writer_json = {
    .name = "json",
    .begin = json_begin,
    .write_case = json_write_case,
    .write_file_error = json_write_file_error,
    .end = json_end,
    .release = json_release,
};
