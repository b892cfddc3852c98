/* test_vector.c: unit tests of the vector loader (vector.c) and of
 * jsonloc.c: the VECTORS.md example loads with the right values, the
 * defaults, the shorthand form, both header shapes, raw answers, and each
 * diagnostic with its exact line:col and path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../jsonloc.h"
#include "../testing/check.h"
#include "../vector.h"

/* ---- helpers ------------------------------------------------------------- */

struct diags {
  char text[8192];
  size_t len;
  size_t count;
};

static void collect(void *ctx, const char *line) {
  struct diags *d = ctx;
  int n = snprintf(d->text + d->len, sizeof d->text - d->len, "%s\n", line);
  if (n > 0 && (size_t)n < sizeof d->text - d->len) d->len += (size_t)n;
  d->count++;
}

/* Loads `json` as "v.json" and returns the diagnostics, one per line
 * ("" when it loaded cleanly). The caller frees the result. */
static char *diagnostics_of(const char *json) {
  struct diags d;
  memset(&d, 0, sizeof d);
  struct vector_file f;
  int rc = vector_load_memory("v.json", json, strlen(json), collect, &d, &f);
  if (rc == -2) return NULL;
  char *out = malloc(d.len + 64);
  if (out == NULL) return NULL;
  memcpy(out, d.text, d.len + 1);
  if ((rc == 0) != (d.count == 0) || f.diagnostic_count != d.count)
    snprintf(out, d.len + 64, "rc %d with %zu diagnostics", rc, d.count);
  vector_file_release(&f);
  return out;
}

static int diag_is(const char *json, const char *expected) {
  char *got = diagnostics_of(json);
  int same = got != NULL && strcmp(got, expected) == 0;
  if (!same)
    fprintf(stderr, "  for %s\n  got      %s  expected %s", json,
            got ? got : "(null)\n", expected);
  free(got);
  return same;
}

#define ASSERT_DIAG(json, expected) ASSERT_TRUE(diag_is((json), (expected)))

/* A request and expect that load, to build cases around. */
#define REQ "\"request\": {\"origin\": \"https://a.example\", \"url\": \"https://b.example/\"}"
#define OK_CASE(id) "{\"id\": \"" id "\", \"title\": \"t\", " REQ ", \"responses\": [], \"expect\": {}}"

/* The example of shared/VECTORS.md, verbatim. */
static const char EXAMPLE[] =
    "{\n"
    "  \"format\": \"cors-vectors/1\",\n"
    "  \"suite\": \"preflight-basics\",\n"
    "  \"cases\": [\n"
    "    {\n"
    "      \"id\": \"put-with-authorization-allowed\",\n"
    "      \"title\": \"PUT with Authorization from a listed origin is preflighted, then allowed\",\n"
    "      \"spec\": [\"fetch#cors-preflight-fetch\"],\n"
    "      \"tags\": [\"preflight\", \"credentials\"],\n"
    "      \"browser\": \"fetch\",\n"
    "      \"steps\": [\n"
    "        {\n"
    "          \"at\": 0,\n"
    "          \"request\": {\n"
    "            \"origin\": \"https://app.example\",\n"
    "            \"url\": \"https://api.example/users/1\",\n"
    "            \"method\": \"PUT\",\n"
    "            \"headers\": [[\"Authorization\", \"Bearer t\"], [\"Content-Type\", \"application/json\"]],\n"
    "            \"mode\": \"cors\",\n"
    "            \"credentials\": \"include\",\n"
    "            \"redirect\": \"follow\"\n"
    "          },\n"
    "          \"responses\": [\n"
    "            { \"method\": \"OPTIONS\", \"url\": \"https://api.example/users/1\", \"status\": 204,\n"
    "              \"headers\": [[\"Access-Control-Allow-Origin\", \"https://app.example\"],\n"
    "                          [\"Access-Control-Allow-Credentials\", \"true\"],\n"
    "                          [\"Access-Control-Allow-Methods\", \"GET, PUT\"],\n"
    "                          [\"Access-Control-Allow-Headers\", \"Authorization, Content-Type\"],\n"
    "                          [\"Access-Control-Max-Age\", \"600\"]] },\n"
    "            { \"method\": \"PUT\", \"status\": 200,\n"
    "              \"headers\": [[\"Access-Control-Allow-Origin\", \"https://app.example\"],\n"
    "                          [\"Access-Control-Allow-Credentials\", \"true\"],\n"
    "                          [\"Content-Type\", \"application/json\"]] }\n"
    "          ],\n"
    "          \"expect\": {\n"
    "            \"outcome\": \"allowed\",\n"
    "            \"preflight\": \"sent\",\n"
    "            \"preflight_request_headers\": {\n"
    "              \"Access-Control-Request-Method\": \"PUT\",\n"
    "              \"Access-Control-Request-Headers\": \"authorization,content-type\"\n"
    "            },\n"
    "            \"request_headers\": { \"Origin\": \"https://app.example\" },\n"
    "            \"exposed_headers\": [\"content-type\"]\n"
    "          }\n"
    "        },\n"
    "        {\n"
    "          \"at\": 300,\n"
    "          \"request\": { \"origin\": \"https://app.example\", \"url\": \"https://api.example/users/1\",\n"
    "                       \"method\": \"PUT\", \"headers\": [[\"Authorization\", \"Bearer t\"]],\n"
    "                       \"credentials\": \"include\" },\n"
    "          \"responses\": [ { \"method\": \"PUT\", \"status\": 200,\n"
    "                           \"headers\": [[\"Access-Control-Allow-Origin\", \"https://app.example\"],\n"
    "                                       [\"Access-Control-Allow-Credentials\", \"true\"]] } ],\n"
    "          \"expect\": { \"outcome\": \"allowed\", \"preflight\": \"cached\" }\n"
    "        }\n"
    "      ]\n"
    "    }\n"
    "  ]\n"
    "}\n";

static int header_is(const struct corsim_header *h, const char *name,
                     const char *value) {
  return h->name_len == strlen(name) && memcmp(h->name, name, h->name_len) == 0 &&
         h->value_len == strlen(value) &&
         memcmp(h->value, value, h->value_len) == 0;
}

/* ---- loading ------------------------------------------------------------- */

TEST(vector_example_loads) {
  struct vector_file f;
  struct diags d;
  memset(&d, 0, sizeof d);
  ASSERT_EQ_INT(vector_load_memory("vectors/preflight/basic.json", EXAMPLE,
                                   strlen(EXAMPLE), collect, &d, &f),
                0);
  ASSERT_EQ_INT(d.count, 0);
  ASSERT_NULL(f.error);
  ASSERT_STR_EQ(f.path, "vectors/preflight/basic.json");
  ASSERT_STR_EQ(f.suite, "preflight-basics");
  ASSERT_EQ_INT(f.case_count, 1);
  const struct vector_case *c = &f.cases[0];
  ASSERT_STR_EQ(c->id, "put-with-authorization-allowed");
  ASSERT_STR_EQ(c->title, "PUT with Authorization from a listed origin is "
                          "preflighted, then allowed");
  ASSERT_EQ_INT(c->spec_count, 1);
  ASSERT_STR_EQ(c->spec[0], "fetch#cors-preflight-fetch");
  ASSERT_EQ_INT(c->tag_count, 2);
  ASSERT_STR_EQ(c->tags[1], "credentials");
  ASSERT_EQ_INT(c->profile, CORSIM_PROFILE_FETCH);
  ASSERT_TRUE(c->has_profile);
  ASSERT_NULL(c->error);
  ASSERT_EQ_INT(c->index, 0);
  ASSERT_EQ_INT(c->location.line, 5);
  ASSERT_EQ_INT(c->location.column, 5);
  ASSERT_EQ_INT(c->step_count, 2);

  const struct vector_step *s = &c->steps[0];
  ASSERT_STR_EQ(s->path, "cases[0].steps[0]");
  ASSERT_EQ_INT(s->location.line, 12);
  ASSERT_EQ_INT(s->location.column, 9);
  ASSERT_TRUE(s->at == 0);
  ASSERT_STR_EQ(s->request.origin, "https://app.example");
  ASSERT_STR_EQ(s->request.url, "https://api.example/users/1");
  ASSERT_STR_EQ(s->request.method, "PUT");
  ASSERT_EQ_INT(s->request.headers.count, 2);
  ASSERT_TRUE(s->request.headers.items == s->request_headers);
  ASSERT_TRUE(header_is(&s->request.headers.items[0], "Authorization", "Bearer t"));
  ASSERT_TRUE(header_is(&s->request.headers.items[1], "Content-Type", "application/json"));
  ASSERT_EQ_INT(s->request.mode, CORSIM_MODE_CORS);
  ASSERT_EQ_INT(s->request.credentials, CORSIM_CREDENTIALS_INCLUDE);
  ASSERT_EQ_INT(s->request.redirect, CORSIM_REDIRECT_FOLLOW);
  ASSERT_EQ_INT(s->request.cache, CORSIM_CACHE_DEFAULT);
  ASSERT_FALSE(s->request.use_cors_preflight);
  ASSERT_FALSE(s->live);
  ASSERT_EQ_INT(s->response_count, 2);
  const struct vector_response *r = &s->responses[0];
  ASSERT_STR_EQ(r->method, "OPTIONS");
  ASSERT_STR_EQ(r->url, "https://api.example/users/1");
  ASSERT_EQ_INT(r->status, 204);
  ASSERT_EQ_INT(r->header_count, 5);
  ASSERT_TRUE(header_is(&r->headers[4], "Access-Control-Max-Age", "600"));
  ASSERT_FALSE(r->from_raw);
  ASSERT_NULL(r->raw_file);
  ASSERT_EQ_INT(r->location.line, 24);
  ASSERT_EQ_INT(r->location.column, 13);
  r = &s->responses[1];
  ASSERT_STR_EQ(r->method, "PUT");
  ASSERT_NULL(r->url);
  ASSERT_EQ_INT(r->status, 200);
  ASSERT_EQ_INT(r->header_count, 3);
  ASSERT_EQ_INT(r->location.line, 30);
  ASSERT_EQ_INT(r->location.column, 13);

  const struct vector_expect *x = &s->expect;
  ASSERT_EQ_INT(x->fields, VECTOR_EXPECT_OUTCOME | VECTOR_EXPECT_PREFLIGHT |
                               VECTOR_EXPECT_PREFLIGHT_REQUEST_HEADERS |
                               VECTOR_EXPECT_REQUEST_HEADERS |
                               VECTOR_EXPECT_EXPOSED_HEADERS);
  ASSERT_EQ_INT(x->outcome, CORSIM_OUTCOME_ALLOWED);
  ASSERT_EQ_INT(x->preflight, CORSIM_PREFLIGHT_SENT);
  ASSERT_EQ_INT(x->preflight_request_header_count, 2);
  ASSERT_STR_EQ(x->preflight_request_headers[0].name, "Access-Control-Request-Method");
  ASSERT_STR_EQ(x->preflight_request_headers[0].value, "PUT");
  ASSERT_STR_EQ(x->preflight_request_headers[1].value, "authorization,content-type");
  ASSERT_EQ_INT(x->request_header_count, 1);
  ASSERT_STR_EQ(x->request_headers[0].name, "Origin");
  ASSERT_EQ_INT(x->exposed_header_count, 1);
  ASSERT_STR_EQ(x->exposed_headers[0], "content-type");

  s = &c->steps[1];
  ASSERT_STR_EQ(s->path, "cases[0].steps[1]");
  ASSERT_TRUE(s->at == 300);
  ASSERT_EQ_INT(s->request.headers.count, 1);
  ASSERT_EQ_INT(s->request.mode, CORSIM_MODE_CORS);
  ASSERT_EQ_INT(s->response_count, 1);
  ASSERT_EQ_INT(s->expect.fields, VECTOR_EXPECT_OUTCOME | VECTOR_EXPECT_PREFLIGHT);
  ASSERT_EQ_INT(s->expect.preflight, CORSIM_PREFLIGHT_CACHED);
  vector_file_release(&f);
  ASSERT_NULL(f.arena_);
  ASSERT_EQ_INT(f.case_count, 0);
}

TEST(vector_defaults) {
  static const char json[] =
      "{\"cases\": [{\"id\": \"d\", \"title\": \"defaults\", \"steps\": [\n"
      "  {\"at\": 2.5, \"request\": {\"origin\": null, \"url\": \"https://b/\"},\n"
      "   \"expect\": {}},\n"
      "  {\"request\": {\"origin\": \"file:///x\", \"url\": \"https://b/\"},\n"
      "   \"responses\": [], \"expect\": {}}]}]}";
  struct vector_file f;
  ASSERT_EQ_INT(vector_load_memory("dir/my-suite.json", json, strlen(json), NULL,
                                   NULL, &f),
                0);
  ASSERT_STR_EQ(f.suite, "my-suite");
  const struct vector_case *c = &f.cases[0];
  ASSERT_EQ_INT(c->profile, CORSIM_PROFILE_FETCH);
  ASSERT_FALSE(c->has_profile);
  ASSERT_EQ_INT(c->spec_count, 0);
  ASSERT_EQ_INT(c->tag_count, 0);
  const struct vector_step *s = &c->steps[0];
  ASSERT_TRUE(s->at == 2.5);
  ASSERT_STR_EQ(s->request.origin, "null");
  ASSERT_STR_EQ(s->request.method, "GET");
  ASSERT_EQ_INT(s->request.headers.count, 0);
  ASSERT_EQ_INT(s->request.mode, CORSIM_MODE_CORS);
  ASSERT_EQ_INT(s->request.credentials, CORSIM_CREDENTIALS_SAME_ORIGIN);
  ASSERT_EQ_INT(s->request.redirect, CORSIM_REDIRECT_FOLLOW);
  ASSERT_EQ_INT(s->request.cache, CORSIM_CACHE_DEFAULT);
  ASSERT_FALSE(s->request.use_cors_preflight);
  ASSERT_TRUE(s->live);
  ASSERT_EQ_INT(s->response_count, 0);
  ASSERT_EQ_INT(s->expect.fields, 0);
  s = &c->steps[1];
  ASSERT_TRUE(s->at == 2.5); /* the previous step's */
  ASSERT_STR_EQ(s->request.origin, "file:///x");
  ASSERT_FALSE(s->live);     /* [] is captured, with no answers */
  vector_file_release(&f);

  /* Without a path: the suite is "memory", no file to resolve raw_file. */
  static const char one[] = "{\"cases\": []}";
  ASSERT_EQ_INT(vector_load_memory(NULL, one, strlen(one), NULL, NULL, &f), 0);
  ASSERT_STR_EQ(f.suite, "memory");
  ASSERT_EQ_INT(f.case_count, 0);
  vector_file_release(&f);
}

TEST(vector_shorthand_and_extensions) {
  static const char json[] =
      "{\"cases\": [{\"id\": \"s.1_x-y\", \"title\": \"t\", \"browser\": \"webkit\",\n"
      "  \"at\": 7,\n"
      "  \"request\": {\"origin\": \"https://a\", \"url\": \"https://b/\", \"method\": \"delete\",\n"
      "    \"mode\": \"no-cors\", \"credentials\": \"omit\", \"redirect\": \"manual\",\n"
      "    \"cache\": \"no-store\", \"use_cors_preflight\": true},\n"
      "  \"responses\": [{\"status\": 301, \"headers\": {\"Location\": \"/x\", \"X-A\": \"1\"}}],\n"
      "  \"expect\": {\"outcome\": \"opaque\", \"cors_error\": null, \"failed_parameter\": null,\n"
      "    \"status\": 0, \"blocked_reason\": \"mixed-content\", \"console\": \"blocked\",\n"
      "    \"request_headers\": {\"Origin\": null}}}]}";
  struct vector_file f;
  ASSERT_EQ_INT(vector_load_memory("v.json", json, strlen(json), NULL, NULL, &f), 0);
  const struct vector_case *c = &f.cases[0];
  ASSERT_EQ_INT(c->profile, CORSIM_PROFILE_WEBKIT);
  ASSERT_EQ_INT(c->step_count, 1);
  const struct vector_step *s = &c->steps[0];
  ASSERT_STR_EQ(s->path, "cases[0]");
  ASSERT_EQ_INT(s->location.line, 1);
  ASSERT_EQ_INT(s->location.column, 12);
  ASSERT_TRUE(s->at == 7);
  ASSERT_STR_EQ(s->request.method, "delete"); /* normalizing is the simulator's */
  ASSERT_EQ_INT(s->request.mode, CORSIM_MODE_NO_CORS);
  ASSERT_EQ_INT(s->request.credentials, CORSIM_CREDENTIALS_OMIT);
  ASSERT_EQ_INT(s->request.redirect, CORSIM_REDIRECT_MANUAL);
  ASSERT_EQ_INT(s->request.cache, CORSIM_CACHE_NO_STORE);
  ASSERT_TRUE(s->request.use_cors_preflight);
  ASSERT_EQ_INT(s->responses[0].header_count, 2);
  ASSERT_TRUE(header_is(&s->responses[0].headers[0], "Location", "/x"));
  ASSERT_TRUE(header_is(&s->responses[0].headers[1], "X-A", "1"));
  const struct vector_expect *x = &s->expect;
  ASSERT_EQ_INT(x->fields, VECTOR_EXPECT_OUTCOME | VECTOR_EXPECT_CORS_ERROR |
                               VECTOR_EXPECT_FAILED_PARAMETER | VECTOR_EXPECT_STATUS |
                               VECTOR_EXPECT_BLOCKED_REASON | VECTOR_EXPECT_CONSOLE |
                               VECTOR_EXPECT_REQUEST_HEADERS);
  ASSERT_EQ_INT(x->outcome, CORSIM_OUTCOME_OPAQUE);
  ASSERT_EQ_INT(x->cors_error, CORSIM_CORS_ERROR_NONE);
  ASSERT_NULL(x->failed_parameter);
  ASSERT_EQ_INT(x->status, 0);
  ASSERT_EQ_INT(x->blocked_reason, CORSIM_BLOCKED_MIXED_CONTENT);
  ASSERT_STR_EQ(x->console, "blocked");
  ASSERT_STR_EQ(x->request_headers[0].name, "Origin");
  ASSERT_NULL(x->request_headers[0].value);
  vector_file_release(&f);
}

TEST(vector_cors_error_names) {
  static const char json[] =
      "{\"cases\": [{\"id\": \"a\", \"title\": \"t\", " REQ ", \"expect\": "
      "{\"cors_error\": \"PreflightWildcardOriginNotAllowed\", "
      "\"failed_parameter\": \"x-custom\"}},"
      "{\"id\": \"b\", \"title\": \"t\", " REQ ", \"expect\": {\"cors_error\": \"\"}}]}";
  struct vector_file f;
  ASSERT_EQ_INT(vector_load_memory("v.json", json, strlen(json), NULL, NULL, &f), 0);
  ASSERT_EQ_INT(f.cases[0].steps[0].expect.cors_error,
                CORSIM_CORS_ERROR_PREFLIGHT_WILDCARD_ORIGIN_NOT_ALLOWED);
  ASSERT_STR_EQ(f.cases[0].steps[0].expect.failed_parameter, "x-custom");
  ASSERT_EQ_INT(f.cases[1].steps[0].expect.cors_error, CORSIM_CORS_ERROR_NONE);
  ASSERT_EQ_INT(f.cases[1].steps[0].expect.fields, VECTOR_EXPECT_CORS_ERROR);
  vector_file_release(&f);
}

TEST(vector_raw_response) {
  static const char json[] =
      "{\"cases\": [{\"id\": \"r\", \"title\": \"t\", " REQ ",\n"
      "  \"responses\": [{\"method\": \"GET\", \"raw\": \"HTTP/2 200 \\r\\n"
      "access-control-allow-origin: *\\r\\nvary: a\\r\\nvary: b\\r\\n\\r\\nbody\"}],\n"
      "  \"expect\": {}}]}";
  struct vector_file f;
  ASSERT_EQ_INT(vector_load_memory("v.json", json, strlen(json), NULL, NULL, &f), 0);
  const struct vector_response *r = &f.cases[0].steps[0].responses[0];
  ASSERT_TRUE(r->from_raw);
  ASSERT_NULL(r->raw_file);
  ASSERT_EQ_INT(r->status, 200);
  ASSERT_EQ_INT(r->header_count, 3);
  ASSERT_TRUE(header_is(&r->headers[0], "access-control-allow-origin", "*"));
  ASSERT_TRUE(header_is(&r->headers[2], "vary", "b"));
  ASSERT_STR_EQ(r->method, "GET");
  ASSERT_EQ_INT(r->location.line, 2);
  ASSERT_EQ_INT(r->location.column, 17);
  vector_file_release(&f);
}

TEST(vector_raw_file) {
  char dir[] = "/tmp/corsim-vector-XXXXXX";
  ASSERT_NOT_NULL(mkdtemp(dir));
  char http[128], vec[128];
  snprintf(http, sizeof http, "%s/answer.http", dir);
  snprintf(vec, sizeof vec, "%s/v.json", dir);
  FILE *out = fopen(http, "wb");
  ASSERT_NOT_NULL(out);
  fputs("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 403 Forbidden\nX-Y: z\n\n", out);
  fclose(out);
  static const char json[] =
      "{\"cases\": [{\"id\": \"f\", \"title\": \"t\", " REQ ",\n"
      "  \"responses\": [{\"raw_file\": \"answer.http\"}, {\"raw_file\": \"gone.http\"}],\n"
      "  \"expect\": {}}]}";
  struct vector_file f;
  struct diags d;
  memset(&d, 0, sizeof d);
  int rc = vector_load_memory(vec, json, strlen(json), collect, &d, &f);
  unlink(http);
  rmdir(dir);
  ASSERT_EQ_INT(rc, -1);
  const struct vector_response *r = &f.cases[0].steps[0].responses[0];
  ASSERT_TRUE(r->from_raw);
  ASSERT_STR_EQ(r->raw_file, "answer.http");
  ASSERT_EQ_INT(r->status, 403);
  ASSERT_EQ_INT(r->header_count, 1);
  ASSERT_TRUE(header_is(&r->headers[0], "X-Y", "z"));
  char expected[512];
  snprintf(expected, sizeof expected,
           "%s:2:59: cannot open '%s/gone.http': No such file or directory at "
           "cases[0].responses[1].raw_file\n",
           vec, dir);
  ASSERT_STR_EQ(d.text, expected);
  ASSERT_STR_EQ(f.cases[0].error, strtok(expected, "\n"));
  vector_file_release(&f);

  /* Loaded from memory with no path, there is no directory to read from. */
  static const char no_dir[] =
      "{\"cases\": [{\"id\": \"f\", \"title\": \"t\", " REQ ", "
      "\"responses\": [{\"raw_file\": \"a.http\"}], \"expect\": {}}]}";
  memset(&d, 0, sizeof d);
  ASSERT_EQ_INT(vector_load_memory(NULL, no_dir, strlen(no_dir), collect, &d, &f), -1);
  ASSERT_STR_EQ(d.text, "<memory>:1:138: cannot read raw_file 'a.http' of a vector "
                        "that has no file at cases[0].responses[0].raw_file\n");
  vector_file_release(&f);

  /* A path without a directory part reads from the current one. */
  ASSERT_DIAG("{\"cases\": [{\"id\": \"f\", \"title\": \"t\", " REQ ", "
              "\"responses\": [{\"raw_file\": \"a.http\"}], \"expect\": {}}]}",
              "v.json:1:138: cannot open 'a.http': No such file or directory "
              "at cases[0].responses[0].raw_file\n");
}

TEST(vector_bad_case_does_not_stop_the_others) {
  static const char json[] =
      "{\"cases\": [\n"
      "  " OK_CASE("first") ",\n"
      "  {\"id\": \"second\", \"title\": 5},\n"
      "  " OK_CASE("third") "\n"
      "]}";
  struct vector_file f;
  struct diags d;
  memset(&d, 0, sizeof d);
  ASSERT_EQ_INT(vector_load_memory("v.json", json, strlen(json), collect, &d, &f), -1);
  ASSERT_EQ_INT(f.case_count, 3);
  ASSERT_EQ_INT(f.diagnostic_count, 1);
  ASSERT_NULL(f.error);
  ASSERT_NULL(f.cases[0].error);
  ASSERT_STR_EQ(f.cases[1].error, "v.json:3:29: expected a string, got a number at cases[1].title");
  ASSERT_STR_EQ(f.cases[1].id, "second");
  ASSERT_STR_EQ(f.cases[1].title, "");
  ASSERT_EQ_INT(f.cases[1].step_count, 0);
  ASSERT_NULL(f.cases[2].error);
  ASSERT_STR_EQ(f.cases[2].id, "third");
  ASSERT_EQ_INT(f.cases[2].step_count, 1);
  ASSERT_EQ_INT(f.cases[2].location.line, 4);
  vector_file_release(&f);
}

/* ---- diagnostics, each kind ---------------------------------------------- */

TEST(vector_diag_unknown_field) {
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", \"steps\": [\n"
              "  {" REQ ",\n"
              "   \"expcet\": {}}]}]}",
              "v.json:3:4: unknown field 'expcet' at cases[0].steps[0]; "
              "expected one of at, request, responses, expect\n");
  ASSERT_DIAG("{\"cases\": [], \"Cases\": 1}",
              "v.json:1:15: unknown field 'Cases'; expected one of format, "
              "suite, cases\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", " REQ ", \"expect\": "
              "{\"exposed\": []}}]}",
              "v.json:1:122: unknown field 'exposed' at cases[0].expect; "
              "expected one of outcome, cors_error, failed_parameter, "
              "preflight, preflight_request_headers, request_headers, "
              "exposed_headers, status, blocked_reason, console\n");
  /* A key with escapes is found by its decoded text and shown safely. */
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\",\n \"t\\u0069tle\\n\": 1}]}",
              "v.json:2:2: unknown field 'title\\x0a' at cases[0]; expected "
              "one of id, title, spec, tags, browser, steps, at, request, "
              "responses, expect\n");
}

TEST(vector_diag_duplicate_key) {
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\",\n \"title\": \"t\",\n  \"id\": \"b\"}]}",
              "v.json:3:3: duplicate field 'id' at cases[0]\n");
  /* The second of two equal header names in an object, past the small-object
   * path (more than 16 members). */
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", \"request\": {\"origin\": "
              "\"o\", \"url\": \"u\", \"headers\": {\"a\": \"\", \"b\": \"\", \"c\": \"\", "
              "\"d\": \"\", \"e\": \"\", \"f\": \"\", \"g\": \"\", \"h\": \"\", \"i\": \"\", "
              "\"j\": \"\", \"k\": \"\", \"l\": \"\", \"m\": \"\", \"n\": \"\", \"o\": \"\", "
              "\"p\": \"\", \"d\": \"\", \"q\": \"\", \"b\": \"\"}}, \"expect\": {}}]}",
              "v.json:1:233: duplicate field 'd' at cases[0].request.headers\n");
  ASSERT_DIAG("{\"cases\": [], \"cases\": []}",
              "v.json:1:15: duplicate field 'cases'\n");
}

TEST(vector_diag_wrong_type) {
  ASSERT_DIAG("{\"cases\": {}}",
              "v.json:1:11: expected an array, got an object at cases\n");
  ASSERT_DIAG("[]", "v.json:1:1: expected an object, got an array\n");
  ASSERT_DIAG("{\"cases\": [\"x\"]}",
              "v.json:1:12: expected an object, got a string at cases[0]\n");
  ASSERT_DIAG("{\"suite\": 1, \"cases\": []}",
              "v.json:1:11: expected a string, got a number at suite\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", \"spec\": [\"x\", 2]}]}",
              "v.json:1:52: expected a string, got a number at cases[0].spec[1]\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", \"request\": {\"origin\": 1, "
              "\"url\": \"u\"}, \"expect\": {}}]}",
              "v.json:1:60: expected a string (an origin or a document URL) or "
              "null, got a number at cases[0].request.origin\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", \"request\": {\"origin\": \"o\", "
              "\"url\": \"u\", \"headers\": [[\"a\", \"b\", \"c\"]]}, \"expect\": {}}]}",
              "v.json:1:89: expected a [name, value] pair, got an array of 3 at "
              "cases[0].request.headers[0]\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", \"request\": {\"origin\": \"o\", "
              "\"url\": \"u\", \"headers\": [[\"a\", null]]}, \"expect\": {}}]}",
              "v.json:1:95: expected a string, got null at "
              "cases[0].request.headers[0][1]\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", \"request\": {\"origin\": \"o\", "
              "\"url\": \"u\", \"headers\": \"a: b\"}, \"expect\": {}}]}",
              "v.json:1:88: expected an array of [name, value] pairs or an "
              "object, got a string at cases[0].request.headers\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", \"request\": {\"origin\": \"o\", "
              "\"url\": \"u\", \"use_cors_preflight\": 1}, \"expect\": {}}]}",
              "v.json:1:99: expected a boolean, got a number at "
              "cases[0].request.use_cors_preflight\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", " REQ ", \"expect\": "
              "{\"preflight_request_headers\": {\"Access-Control-Request-Method\": 1}}}]}",
              "v.json:1:185: expected a string or null, got a number at "
              "cases[0].expect.preflight_request_headers.Access-Control-Request-Method\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", " REQ ", \"expect\": "
              "{\"request_headers\": {\"a b\": true}}}]}",
              "v.json:1:149: expected a string or null, got a boolean at "
              "cases[0].expect.request_headers[\"a b\"]\n");
}

TEST(vector_diag_bad_enum) {
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", " REQ ",\n"
              "  \"expect\": {\"outcome\": \"alowed\"}}]}",
              "v.json:2:25: expected one of allowed, blocked, opaque, got "
              "'alowed' at cases[0].expect.outcome\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", \"browser\": \"edge\"}]}",
              "v.json:1:49: expected one of fetch, chromium, firefox, webkit, "
              "got 'edge' at cases[0].browser\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", \"request\": {\"origin\": \"o\", "
              "\"url\": \"u\", \"mode\": \"navigate\"}, \"expect\": {}}]}",
              "v.json:1:85: expected one of cors, no-cors, same-origin, got "
              "'navigate' at cases[0].request.mode\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", \"request\": {\"origin\": \"o\", "
              "\"url\": \"u\", \"credentials\": true}, \"expect\": {}}]}",
              "v.json:1:92: expected one of omit, same-origin, include, got a "
              "boolean at cases[0].request.credentials\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", \"request\": {\"origin\": \"o\", "
              "\"url\": \"u\", \"redirect\": \"stop\"}, \"expect\": {}}]}",
              "v.json:1:89: expected one of follow, error, manual, got 'stop' "
              "at cases[0].request.redirect\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", \"request\": {\"origin\": \"o\", "
              "\"url\": \"u\", \"cache\": \"only-if-cached\"}, \"expect\": {}}]}",
              "v.json:1:86: expected one of default, no-store, reload, "
              "no-cache, force-cache, got 'only-if-cached' at "
              "cases[0].request.cache\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", " REQ ", \"expect\": "
              "{\"preflight\": \"yes\"}}]}",
              "v.json:1:135: expected one of none, sent, cached, got 'yes' at "
              "cases[0].expect.preflight\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", " REQ ", \"expect\": "
              "{\"blocked_reason\": \"\"}}]}",
              "v.json:1:140: expected one of cors, type-error, mixed-content, "
              "bad-port, redirect, local-network, network, got '' at "
              "cases[0].expect.blocked_reason\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", " REQ ", \"expect\": "
              "{\"cors_error\": \"MissingAllowOrigin\"}}]}",
              "v.json:1:136: expected a Network.CorsError name such as "
              "'MissingAllowOriginHeader', got 'MissingAllowOrigin' at "
              "cases[0].expect.cors_error\n");
  ASSERT_DIAG("{\"format\": \"cors-vectors/2\", \"cases\": []}",
              "v.json:1:12: expected 'cors-vectors/1', got 'cors-vectors/2' at "
              "format\n");
}

TEST(vector_diag_missing_field) {
  ASSERT_DIAG("{\"cases\": [\n  " OK_CASE("a") ",\n  {\"id\": \"b\"}]}",
              "v.json:3:3: missing required field 'title' at cases[1]\n");
  ASSERT_DIAG("{}", "v.json:1:1: missing required field 'cases'\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\"}]}",
              "v.json:1:12: missing required field 'steps' at cases[0]\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", \"expect\": {}}]}",
              "v.json:1:12: missing required field 'request' at cases[0]\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", " REQ "}]}",
              "v.json:1:12: missing required field 'expect' at cases[0]\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", \"request\": {\"url\": \"u\"}, "
              "\"expect\": {}}]}",
              "v.json:1:49: missing required field 'origin' at cases[0].request\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", \"request\": {\"origin\": \"o\"}, "
              "\"expect\": {}}]}",
              "v.json:1:49: missing required field 'url' at cases[0].request\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", " REQ ", \"responses\": "
              "[{\"method\": \"GET\"}], \"expect\": {}}]}",
              "v.json:1:125: missing required field 'status' (or 'raw' or "
              "'raw_file') at cases[0].responses[0]\n");
}

TEST(vector_diag_values) {
  ASSERT_DIAG("{\"cases\": [{\"id\": \"Bad Id\", \"title\": \"t\"}]}",
              "v.json:1:19: expected an id of a-z, 0-9, '.', '_' and '-', got "
              "'Bad Id' at cases[0].id\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"\", \"title\": \"t\"}]}",
              "v.json:1:19: expected an id of a-z, 0-9, '.', '_' and '-', got "
              "'' at cases[0].id\n");
  ASSERT_DIAG("{\"cases\": [\n  " OK_CASE("same") ",\n  " OK_CASE("other") ",\n  "
              OK_CASE("same") "]}",
              "v.json:4:10: duplicate case id 'same' (also the id of cases[0]) "
              "at cases[2].id\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", \"steps\": []}]}",
              "v.json:1:47: expected at least one step, got [] at cases[0].steps\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", \"at\": -1, " REQ ", "
              "\"expect\": {}}]}",
              "v.json:1:44: expected a number >= 0, got -1 at cases[0].at\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", \"steps\": [\n"
              "  {\"at\": 10, " REQ ", \"expect\": {}},\n"
              "  {\"at\": 9.5, " REQ ", \"expect\": {}}]}]}",
              "v.json:3:10: 'at' must not decrease: 9.5 is before the previous "
              "step's 10 at cases[0].steps[1].at\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", \"request\": {\"origin\": \"o\", "
              "\"url\": \"u\", \"method\": \"\"}, \"expect\": {}}]}",
              "v.json:1:87: expected a method, got '' at cases[0].request.method\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", " REQ ", \"responses\": "
              "[{\"status\": 99}], \"expect\": {}}]}",
              "v.json:1:136: expected an integer from 100 to 999, got 99 at "
              "cases[0].responses[0].status\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", " REQ ", \"responses\": "
              "[{\"status\": 200.5}], \"expect\": {}}]}",
              "v.json:1:136: expected an integer from 100 to 999, got 200.5 at "
              "cases[0].responses[0].status\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", " REQ ", \"expect\": "
              "{\"status\": \"200\"}}]}",
              "v.json:1:132: expected an integer from 0 to 999, got a string at "
              "cases[0].expect.status\n");
}

TEST(vector_diag_exclusive_fields) {
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", \"steps\": [],\n"
              "  \"request\": {}}]}",
              "v.json:2:3: 'request' cannot be used together with 'steps'; put "
              "it in a step at cases[0]\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", " REQ ", \"responses\": "
              "[{\"status\": 200, \"raw\": \"HTTP/1.1 200 OK\\r\\n\\r\\n\"}], \"expect\": {}}]}",
              "v.json:1:141: 'raw' cannot be used together with 'status' at "
              "cases[0].responses[0]\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", " REQ ", \"responses\": "
              "[{\"headers\": [], \"raw_file\": \"x.http\"}], \"expect\": {}}]}",
              "v.json:1:126: 'headers' cannot be used together with 'raw_file' "
              "at cases[0].responses[0]\n");
}

TEST(vector_diag_raw_rejected) {
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", " REQ ", \"responses\": "
              "[{\"raw\": \"HTTP/1.1 200 OK\\r\\nA: 1\\r\\n\"}], \"expect\": {}}]}",
              "v.json:1:133: invalid raw response: HPE_INVALID_EOF_STATE at "
              "byte 23: response ends inside the headers at "
              "cases[0].responses[0].raw\n");
  ASSERT_DIAG("{\"cases\": [{\"id\": \"a\", \"title\": \"t\", " REQ ", \"responses\": "
              "[{\"raw\": \"<html>\"}], \"expect\": {}}]}",
              "v.json:1:133: invalid raw response: HPE_INVALID_CONSTANT at byte "
              "0: Expected HTTP/ at cases[0].responses[0].raw\n");
}

TEST(vector_diag_syntax) {
  ASSERT_DIAG("{\n  \"cases\": [\n    {\"id\": \"a\",}\n  ]\n}",
              "v.json:3:16: invalid JSON: unexpected character '}', expected a "
              "string key\n");
  ASSERT_DIAG("{\"cases\": [", "v.json:1:12: invalid JSON: unexpected end of "
                               "input, expected a value or ']'\n");
  ASSERT_DIAG("", "v.json:1:1: invalid JSON: the file is empty\n");
  ASSERT_DIAG(" \n ", "v.json:2:2: invalid JSON: the file is empty\n");
  ASSERT_DIAG("{\"cases\": []} []",
              "v.json:1:15: invalid JSON: unexpected character '[', expected "
              "the end of the document\n");
  ASSERT_DIAG("{\"cases\": [01]}", "v.json:1:12: invalid JSON: invalid number '01'\n");
  ASSERT_DIAG("{\"cases\": tru}", "v.json:1:11: invalid JSON: invalid literal 'tru'\n");
  ASSERT_DIAG("{\"cases\": True}", "v.json:1:11: invalid JSON: invalid literal 'True'\n");
  ASSERT_DIAG("{'cases': []}",
              "v.json:1:2: invalid JSON: unexpected character \"'\", expected a "
              "string key or '}'\n");
  ASSERT_DIAG("{\"cases\": \"a\nb\"}",
              "v.json:1:13: invalid JSON: control character 0x0A must be escaped "
              "in a string\n");
  ASSERT_DIAG("{\"cases\": \"a\\u0000\"}",
              "v.json:1:13: strings cannot contain \\u0000\n");
  ASSERT_DIAG("{\"cases\": \"\\x\"}",
              "v.json:1:12: invalid JSON: invalid escape: backslash before "
              "character 'x'\n");
  /* Columns count characters: the two-byte 'é' is one. */
  ASSERT_DIAG("{\"suite\": \"\xc3\xa9t\xc3\xa9\", \"cases\": [}",
              "v.json:1:28: invalid JSON: unexpected character '}', expected a "
              "value or ']'\n");
  ASSERT_DIAG("{\"cases\": \"\xc3\"}",
              "v.json:1:12: invalid JSON: invalid UTF-8 byte 0xC3 in a string\n");
  ASSERT_DIAG("{\"cases\": \"x}",
              "v.json:1:11: invalid JSON: unterminated string\n");
}

TEST(vector_diag_limits) {
  /* 64 levels load (the top object and 63 arrays inside); 65 do not. */
  char deep[256];
  size_t n = (size_t)snprintf(deep, sizeof deep, "{\"cases\": ");
  for (int i = 0; i < 64; i++) deep[n++] = '[';
  for (int i = 0; i < 64; i++) deep[n++] = ']';
  deep[n++] = '}';
  deep[n] = '\0';
  ASSERT_DIAG(deep, "v.json:1:74: nesting deeper than 64 levels\n");
  memmove(deep + 10, deep + 11, strlen(deep + 11) + 1);
  memmove(deep + 10 + 63, deep + 11 + 63, strlen(deep + 11 + 63) + 1);
  ASSERT_DIAG(deep, "v.json:1:12: expected an object, got an array at cases[0]\n");

  /* A file larger than the limit is refused before it is parsed. */
  size_t big = (size_t)VECTOR_MAX_FILE_BYTES + 1;
  char *text = calloc(big, 1);
  ASSERT_NOT_NULL(text);
  struct vector_file f;
  struct diags d;
  memset(&d, 0, sizeof d);
  int rc = vector_load_memory("big.json", text, big, collect, &d, &f);
  free(text);
  ASSERT_EQ_INT(rc, -1);
  ASSERT_STR_EQ(d.text, "big.json: file is larger than 67108864 bytes\n");
  ASSERT_STR_EQ(f.error, "big.json: file is larger than 67108864 bytes");
  vector_file_release(&f);
}

TEST(vector_cannot_open) {
  struct vector_file f;
  struct diags d;
  memset(&d, 0, sizeof d);
  ASSERT_EQ_INT(vector_load_file("no/such/x.json", collect, &d, &f), -1);
  ASSERT_STR_EQ(d.text, "cannot open 'no/such/x.json': No such file or directory\n");
  ASSERT_STR_EQ(f.error, "cannot open 'no/such/x.json': No such file or directory");
  ASSERT_EQ_INT(f.diagnostic_count, 1);
  ASSERT_EQ_INT(f.case_count, 0);
  ASSERT_STR_EQ(f.suite, "x");
  vector_file_release(&f);
}

TEST(vector_every_case_reports) {
  /* One diagnostic per bad case, in order, and they count. */
  ASSERT_DIAG("{\"cases\": [\n"
              "  {\"id\": \"a\", \"title\": 1},\n"
              "  " OK_CASE("b") ",\n"
              "  {\"id\": \"c\", \"title\": \"t\", \"tags\": \"x\"},\n"
              "  {\"id\": \"d\", \"title\": \"t\", \"browser\": 1, \"oops\": 2}\n"
              "]}",
              "v.json:2:24: expected a string, got a number at cases[0].title\n"
              "v.json:4:37: expected an array of strings, got a string at "
              "cases[2].tags\n"
              "v.json:5:43: unknown field 'oops' at cases[3]; expected one of "
              "id, title, spec, tags, browser, steps, at, request, responses, "
              "expect\n");
}

/* ---- jsonloc ------------------------------------------------------------- */

static int find_at(const char *text, const struct jsonloc_step *path,
                   size_t depth, bool want_key, int line, int column) {
  size_t offset;
  if (!jsonloc_find(text, strlen(text), 0, path, depth, want_key, &offset)) {
    fprintf(stderr, "  not found\n");
    return 0;
  }
  int l, c;
  jsonloc_position(text, strlen(text), offset, NULL, &l, &c);
  if (l != line || c != column)
    fprintf(stderr, "  found %d:%d, expected %d:%d\n", l, c, line, column);
  return l == line && c == column;
}

TEST(jsonloc_paths) {
  static const char text[] =
      "\xEF\xBB\xBF{\"a\": [1, \"x]\\\"\", {\"b\": {}, \"b\": [[], {\"\\u0063\": 2}]}],\n"
      "  \"\\ud83d\\ude00\": \"smile\", \"a\": 3}";
  struct jsonloc_step a = {"a", 1, 0, 0};
  struct jsonloc_step a2 = {"a", 1, 1, 0};
  struct jsonloc_step path[] = {{"a", 1, 0, 0}, {NULL, 0, 0, 2}, {"b", 1, 1, 0},
                                {NULL, 0, 0, 1}, {"c", 1, 0, 0}};
  struct jsonloc_step smile = {"\xF0\x9F\x98\x80", 4, 0, 0};
  ASSERT_TRUE(find_at(text, NULL, 0, false, 1, 1)); /* the BOM is no column */
  ASSERT_TRUE(find_at(text, &a, 1, false, 1, 7));
  ASSERT_TRUE(find_at(text, &a, 1, true, 1, 2));
  ASSERT_TRUE(find_at(text, &a2, 1, false, 2, 33));
  ASSERT_TRUE(find_at(text, &a2, 1, true, 2, 28));
  ASSERT_TRUE(find_at(text, path, 2, false, 1, 19));
  ASSERT_TRUE(find_at(text, path, 3, false, 1, 34));
  ASSERT_TRUE(find_at(text, path, 4, false, 1, 39));
  ASSERT_TRUE(find_at(text, path, 5, false, 1, 50));
  ASSERT_TRUE(find_at(text, path, 5, true, 1, 40));
  ASSERT_TRUE(find_at(text, &smile, 1, false, 2, 19));
  struct jsonloc_step none = {"zz", 2, 0, 0};
  struct jsonloc_step third = {"a", 1, 2, 0};
  size_t offset;
  ASSERT_FALSE(jsonloc_find(text, strlen(text), 0, &none, 1, false, &offset));
  ASSERT_FALSE(jsonloc_find(text, strlen(text), 0, &third, 1, false, &offset));
  ASSERT_FALSE(jsonloc_find(text, strlen(text), 0, NULL, 0, true, &offset));
}

TEST(jsonloc_next_element_walks_arrays) {
  static const char text[] = "[ {\"x\": [1, 2]} , \"a,b\" ,3 ]";
  size_t len = strlen(text), offset;
  struct jsonloc_step first = {NULL, 0, 0, 0};
  ASSERT_TRUE(jsonloc_find(text, len, 0, &first, 1, false, &offset));
  ASSERT_EQ_INT(offset, 2);
  offset = jsonloc_next_element(text, len, offset);
  ASSERT_EQ_INT(offset, 18);
  offset = jsonloc_next_element(text, len, offset);
  ASSERT_EQ_INT(offset, 25);
  ASSERT_EQ_INT(jsonloc_next_element(text, len, offset), len);
}

TEST(jsonloc_survives_any_bytes) {
  /* Malformed and random input: no crash, no read past the end (ASan), and
   * a position always inside the text. */
  static const char *const junk[] = {"", "{", "[", "\"", "\\", "{\"a\"", "{\"a\":",
                                     "{\"a\\", "[[[[", "]]]", "{\"a\": [1, {\"b\"",
                                     "{\"\\u12", "{\"\\ud83d\\u", ",,,", "{\"a\" 1}"};
  struct jsonloc_step path[] = {{"a", 1, 0, 0}, {NULL, 0, 0, 1}, {"b", 1, 0, 0}};
  for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
    size_t len = strlen(junk[i]), offset = 0;
    char *copy = malloc(len + 1); /* exact size, so ASan sees overreads */
    ASSERT_NOT_NULL(copy);
    memcpy(copy, junk[i], len);
    for (size_t d = 0; d <= 3; d++) {
      if (jsonloc_find(copy, len, 0, path, d, d > 0 && path[d - 1].key, &offset))
        ASSERT_TRUE(offset <= len);
    }
    char msg[128];
    ASSERT_FALSE(jsonloc_check(copy, len, 64, &offset, msg, sizeof msg));
    ASSERT_TRUE(offset <= len);
    free(copy);
  }
  unsigned seed = 12345;
  for (int round = 0; round < 2000; round++) {
    char buf[64];
    size_t len = (size_t)(round % 64);
    for (size_t k = 0; k < len; k++) {
      seed = seed * 1103515245u + 12345u;
      buf[k] = "{}[]\":,\\ab u0\n"[(seed >> 16) % 14];
    }
    char *copy = malloc(len ? len : 1);
    ASSERT_NOT_NULL(copy);
    memcpy(copy, buf, len);
    size_t offset = 0;
    for (size_t d = 0; d <= 3; d++)
      if (jsonloc_find(copy, len, 0, path, d, false, &offset))
        ASSERT_TRUE(offset <= len);
    char msg[128];
    if (!jsonloc_check(copy, len, 8, &offset, msg, sizeof msg)) ASSERT_TRUE(offset <= len);
    int line, column;
    jsonloc_position(copy, len, offset, NULL, &line, &column);
    ASSERT_TRUE(line >= 1 && column >= 1);
    free(copy);
  }
}

TEST(jsonloc_check_accepts_json) {
  static const char *const good[] = {
      "{}", "[]", " 0 ", "-0.5e+10", "\"\\u00e9\\ud83d\\ude00\\/\"", "[true, false, null]",
      "{\"a\": {\"b\": [1, 2.5, -3E2, \"x\"]}}", "\xEF\xBB\xBF{}", "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\""};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    size_t offset;
    char msg[128];
    int ok = jsonloc_check(good[i], strlen(good[i]), 64, &offset, msg, sizeof msg);
    if (!ok) fprintf(stderr, "  %s: %s at %zu\n", good[i], msg, offset);
    ASSERT_TRUE(ok);
  }
}
