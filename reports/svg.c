/* svg.c: draws the sequence diagram of one step as inline SVG for the
 * HTML report: three lifelines (page, browser, server) and, top to
 * bottom, the fetch() call, the preflight OPTIONS and its answer (or a
 * note for a preflight-cache hit), each request hop with the Origin it
 * carried and the status it got, and the verdict.
 *
 * The layout is a column of rows, each row placed under the previous one,
 * so the body is drawn first into its own buffer and the <svg> element
 * with its height is written around it. Labels are cut to what fits
 * between two lifelines (monospace, about 7.3 px a character at 12 px),
 * with the whole text kept in a <title> tooltip. Everything from a vector
 * or a server goes through escape_xml(). Only what the decision records
 * is drawn: the preflight's own status is not in struct corsim_decision,
 * so a passing preflight is labelled "preflight passed", and it is drawn
 * before the first hop. */
#include "svg.h"

#include <string.h>
#include <strings.h>

#include "describe.h"

#define SD_WIDTH 780
#define SD_X_PAGE 80
#define SD_X_BROWSER 330
#define SD_X_SERVER 690
#define SD_LANE_HALF 72
#define SD_HEAD_BOTTOM 52
#define SD_CHAR_PX 7.3
#define SD_MAX_HOPS 24

#define CHECK "\xe2\x9c\x93"  /* ✓ */
#define CROSS "\xe2\x9c\x97"  /* ✗ */
#define ARROW "\xe2\x86\x92"  /* → */
#define DOT " \xc2\xb7 "      /* · */
#define ELLIPSIS "\xe2\x80\xa6"

struct diagram {
  struct escape_buf body;  /* the rows, below the lane heads */
  struct escape_buf label; /* raw text of the row being built */
  struct escape_buf sub;
  int y;                   /* where the next row starts */
};

/* ---- text ---------------------------------------------------------------- */

/* How many bytes of `s` hold its first `max` characters (code points; an
 * invalid byte counts as one). */
static size_t prefix_bytes(const char *s, size_t len, size_t max) {
  size_t i = 0, n = 0;
  while (i < len && n < max) {
    unsigned long cp;
    size_t k = escape_utf8_decode((const unsigned char *)s + i, len - i, &cp);
    i += k != 0 ? k : 1;
    n++;
  }
  return i;
}

/* A <text> element showing `s` cut to `max` characters; when cut, the
 * whole text is its <title>. */
static void add_text(struct escape_buf *b, int x, int y, const char *cls,
                     const char *anchor, const char *s, size_t len,
                     size_t max) {
  if (max < 4) max = 4;
  size_t keep = prefix_bytes(s, len, max);
  bool cut = keep < len;
  if (cut) keep = prefix_bytes(s, len, max - 1);
  escape_buf_printf(b, "<text class=\"%s\" x=\"%d\" y=\"%d\" text-anchor=\"%s\">",
                    cls, x, y, anchor);
  if (cut) {
    escape_buf_puts(b, "<title>");
    escape_xml(b, s, len, false);
    escape_buf_puts(b, "</title>");
  }
  escape_xml(b, s, keep, false);
  if (cut) escape_buf_puts(b, ELLIPSIS);
  escape_buf_puts(b, "</text>");
}

static size_t chars_between(int x1, int x2) {
  int span = x1 < x2 ? x2 - x1 : x1 - x2;
  double n = span / SD_CHAR_PX - 2;
  return n < 4 ? 4 : (size_t)n;
}

/* ---- rows ---------------------------------------------------------------- */

/* An arrow from lane x1 to lane x2 with d->label above it and d->sub
 * (when not empty) below it; both are emptied. */
static void message(struct diagram *d, int x1, int x2, const char *cls,
                    bool dashed) {
  struct escape_buf *b = &d->body;
  int top = d->y, ly = top + 22;
  int mid = (x1 + x2) / 2;
  size_t max = chars_between(x1, x2);
  escape_buf_printf(b, "<g class=\"sd-row %s\">", cls);
  add_text(b, mid, top + 14, "sd-label", "middle", escape_buf_str(&d->label),
           d->label.len, max);
  int dir = x2 > x1 ? 1 : -1;
  int tail = x1 + dir * 2, head = x2 - dir * 2;
  escape_buf_printf(b, "<line class=\"sd-msg%s\" x1=\"%d\" y1=\"%d\" "
                       "x2=\"%d\" y2=\"%d\"/>",
                    dashed ? " sd-dash" : "", tail, ly, head - dir * 9, ly);
  escape_buf_printf(b, "<path class=\"sd-head\" d=\"M%d %dL%d %dL%d %dZ\"/>",
                    head, ly, head - dir * 10, ly - 5, head - dir * 10, ly + 5);
  d->y = top + 32;
  if (d->sub.len != 0) {
    add_text(b, mid, top + 38, "sd-sub", "middle", escape_buf_str(&d->sub),
             d->sub.len, max + max / 6);
    d->y = top + 46;
  }
  escape_buf_puts(b, "</g>");
  if (d->label.failed || d->sub.failed) b->failed = true;
  escape_buf_reset(&d->label);
  escape_buf_reset(&d->sub);
}

/* A rounded note from x1 to x2 holding d->label, which is emptied. */
static void note(struct diagram *d, int x1, int x2, const char *cls) {
  struct escape_buf *b = &d->body;
  int top = d->y + 6;
  escape_buf_printf(b, "<g class=\"sd-note %s\"><rect x=\"%d\" y=\"%d\" "
                       "width=\"%d\" height=\"26\" rx=\"6\"/>",
                    cls, x1, top, x2 - x1);
  add_text(b, (x1 + x2) / 2, top + 17, "sd-label", "middle",
           escape_buf_str(&d->label), d->label.len,
           chars_between(x1 + 8, x2 - 8));
  escape_buf_puts(b, "</g>");
  if (d->label.failed) b->failed = true;
  escape_buf_reset(&d->label);
  d->y = top + 26 + 10;
}

/* ---- the frame ----------------------------------------------------------- */

static void lane_head(struct escape_buf *b, int x, const char *title,
                      const char *sub) {
  escape_buf_printf(b, "<g class=\"sd-lane\"><rect class=\"sd-box\" x=\"%d\" "
                       "y=\"8\" width=\"%d\" height=\"44\" rx=\"8\"/>",
                    x - SD_LANE_HALF, 2 * SD_LANE_HALF);
  add_text(b, x, 26, "sd-lane-title", "middle", title, strlen(title), 18);
  if (sub != NULL)
    add_text(b, x, 43, "sd-lane-sub", "middle", sub, strlen(sub), 19);
  escape_buf_puts(b, "</g>");
}

/* Writes the whole <svg>: heads, lifelines, then the rows of `d`. */
static void frame(struct escape_buf *b, struct diagram *d, const char *what,
                  const char *page, const char *browser, const char *server) {
  int height = d->y + 14;
  escape_buf_printf(b, "<svg class=\"sd\" xmlns=\"http://www.w3.org/2000/svg\" "
                       "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
                       "role=\"img\" aria-label=\"",
                    SD_WIDTH, height, SD_WIDTH, height);
  escape_xml(b, what, strlen(what), true);
  escape_buf_puts(b, "\"><title>");
  escape_xml(b, what, strlen(what), false);
  escape_buf_puts(b, "</title>");
  lane_head(b, SD_X_PAGE, "page", page);
  lane_head(b, SD_X_BROWSER, "browser", browser);
  lane_head(b, SD_X_SERVER, "server", server);
  static const int lanes[] = {SD_X_PAGE, SD_X_BROWSER, SD_X_SERVER};
  for (size_t i = 0; i < 3; i++)
    escape_buf_printf(b, "<line class=\"sd-life\" x1=\"%d\" y1=\"%d\" "
                         "x2=\"%d\" y2=\"%d\"/>",
                      lanes[i], SD_HEAD_BOTTOM, lanes[i], height - 6);
  escape_buf_add(b, escape_buf_str(&d->body), d->body.len);
  if (d->body.failed) b->failed = true;
  escape_buf_puts(b, "</svg>");
}

static void diagram_init(struct diagram *d) {
  escape_buf_init(&d->body);
  escape_buf_init(&d->label);
  escape_buf_init(&d->sub);
  d->y = SD_HEAD_BOTTOM + 10;
}

static void diagram_release(struct diagram *d) {
  escape_buf_release(&d->body);
  escape_buf_release(&d->label);
  escape_buf_release(&d->sub);
}

static const char *browser_label(const char *browser) {
  return describe_is_default_browser(browser) ? "Fetch Standard" : browser;
}

/* ---- what the step did --------------------------------------------------- */

/* The serialized origin of `url` into `out`, or `url` itself when it does
 * not parse. */
static const char *origin_of(const char *url, char *out, size_t size) {
  if (url == NULL) return NULL;
  if (corsim_origin_of_url(url, out, size, NULL) == CORSIM_OK &&
      strcmp(out, "null") != 0)
    return out;
  return url;
}

/* `url` as the arrow shows it: its path and query when it is on the
 * server lane's origin, else the whole URL. */
static void add_target(struct escape_buf *b, const char *url,
                       const char *lane_origin) {
  if (url == NULL) {
    escape_buf_puts(b, "?");
    return;
  }
  if (lane_origin != NULL && corsim_same_origin(url, lane_origin)) {
    const char *p = strstr(url, "://");
    p = p != NULL ? strchr(p + 3, '/') : NULL;
    escape_buf_puts(b, p != NULL ? p : "/");
    return;
  }
  escape_buf_puts(b, url);
}

static const char *header_value(const struct corsim_owned_header *h, size_t n,
                                const char *name) {
  for (size_t i = 0; i < n; i++)
    if (h[i].name != NULL && strcasecmp(h[i].name, name) == 0)
      return h[i].value;
  return NULL;
}

static void add_preflight(struct diagram *d, const struct corsim_decision *dc,
                          const char *lane_origin) {
  if (dc->preflight == CORSIM_PREFLIGHT_CACHED) {
    escape_buf_puts(&d->label, "preflight cache hit: no OPTIONS sent");
    note(d, SD_X_BROWSER + 16, SD_X_SERVER - 16, "sd-cache");
    return;
  }
  if (dc->preflight != CORSIM_PREFLIGHT_SENT) return;
  const char *url = dc->hop_count > 0 ? dc->hops[0].url : dc->initial_url;
  escape_buf_puts(&d->label, "OPTIONS ");
  add_target(&d->label, url, lane_origin);
  const struct corsim_owned_header *h = dc->preflight_request_headers;
  size_t n = dc->preflight_request_header_count;
  const char *origin = header_value(h, n, "Origin");
  const char *acrm = header_value(h, n, "Access-Control-Request-Method");
  const char *acrh = header_value(h, n, "Access-Control-Request-Headers");
  escape_buf_printf(&d->sub, "Origin: %s", origin != NULL ? origin : "(none)");
  if (acrm != NULL) escape_buf_printf(&d->sub, DOT "ACRM %s", acrm);
  if (acrh != NULL) escape_buf_printf(&d->sub, DOT "ACRH %s", acrh);
  message(d, SD_X_BROWSER, SD_X_SERVER, "sd-request", false);

  if (dc->failed_on_preflight) {
    if (dc->failed_response_status != 0)
      escape_buf_printf(&d->label, "%d", dc->failed_response_status);
    else
      escape_buf_puts(&d->label, "no usable answer");
    escape_buf_puts(&d->label, DOT "preflight refused " CROSS);
    if (dc->cors_error != CORSIM_CORS_ERROR_NONE)
      escape_buf_printf(&d->sub, "%s", corsim_cors_error_name(dc->cors_error));
    message(d, SD_X_SERVER, SD_X_BROWSER, "sd-bad", true);
  } else {
    escape_buf_puts(&d->label, "preflight passed " CHECK);
    message(d, SD_X_SERVER, SD_X_BROWSER, "sd-ok", true);
  }
}

static void add_hops(struct diagram *d, const struct corsim_decision *dc,
                     const char *lane_origin) {
  size_t shown = dc->hop_count < SD_MAX_HOPS ? dc->hop_count : SD_MAX_HOPS;
  for (size_t i = 0; i < shown; i++) {
    const struct corsim_hop *h = &dc->hops[i];
    escape_buf_printf(&d->label, "%s ", h->method != NULL ? h->method : "GET");
    add_target(&d->label, h->url, lane_origin);
    if (h->origin_sent != NULL)
      escape_buf_printf(&d->sub, "Origin: %s", h->origin_sent);
    else
      escape_buf_puts(&d->sub, "no Origin header");
    message(d, SD_X_BROWSER, SD_X_SERVER, "sd-request", false);

    if (h->status == 0) {
      escape_buf_puts(&d->label, "no answer");
      message(d, SD_X_SERVER, SD_X_BROWSER, "sd-muted", true);
      continue;
    }
    escape_buf_printf(&d->label, "%d", h->status);
    if (i + 1 < dc->hop_count && h->status >= 300 && h->status < 400) {
      escape_buf_puts(&d->label, " " ARROW " ");
      add_target(&d->label, dc->hops[i + 1].url, lane_origin);
    }
    const char *cls = "sd-muted";
    if (h->cors_checked) {
      escape_buf_puts(&d->label, h->cors_ok ? DOT "CORS " CHECK
                                            : DOT "CORS " CROSS);
      cls = h->cors_ok ? "sd-ok" : "sd-bad";
    }
    message(d, SD_X_SERVER, SD_X_BROWSER, cls, true);
  }
  if (shown < dc->hop_count) {
    escape_buf_printf(&d->label, ELLIPSIS " %zu more hops not drawn",
                      dc->hop_count - shown);
    note(d, SD_X_BROWSER + 16, SD_X_SERVER - 16, "sd-muted");
  }
}

/* The answer handed back to the page, then the verdict in full across the
 * diagram, green, red or grey. */
static void add_verdict(struct diagram *d, const struct corsim_decision *dc) {
  const char *cls = "sd-opaque", *band = "sd-vopaque";
  if (dc->outcome == CORSIM_OUTCOME_ALLOWED) {
    escape_buf_printf(&d->label, CHECK " response, status %d", dc->status);
    cls = "sd-ok";
    band = "sd-vok";
  } else if (dc->outcome == CORSIM_OUTCOME_BLOCKED) {
    escape_buf_puts(&d->label, CROSS " network error");
    cls = "sd-bad";
    band = "sd-vbad";
  } else {
    escape_buf_puts(&d->label, "opaque response");
  }
  message(d, SD_X_BROWSER, SD_X_PAGE, cls, false);
  escape_buf_puts(&d->label, "verdict: ");
  describe_verdict(&d->label, dc);
  note(d, SD_X_PAGE - 60, SD_X_SERVER + 60, band);
}

void svg_sequence_diagram(struct escape_buf *b, const struct case_result *c,
                          const struct step_result *s) {
  const struct corsim_request *rq = s->request;
  const struct corsim_decision *dc = s->decision;
  char server_buf[512];
  const char *page = dc != NULL && dc->origin != NULL ? dc->origin
                     : rq != NULL && rq->origin != NULL ? rq->origin
                                                        : "null";
  const char *first_url = dc != NULL && dc->initial_url != NULL ? dc->initial_url
                          : rq != NULL                          ? rq->url
                                                                : NULL;
  const char *server = origin_of(first_url, server_buf, sizeof server_buf);

  struct diagram d;
  diagram_init(&d);
  if (rq != NULL) {
    escape_buf_printf(&d.label, "fetch() %s",
                      rq->method != NULL ? rq->method : "GET");
    escape_buf_printf(&d.sub, "mode %s, credentials %s",
                      corsim_mode_name(rq->mode),
                      corsim_credentials_name(rq->credentials));
    message(&d, SD_X_PAGE, SD_X_BROWSER, "sd-call", false);
  }
  if (dc != NULL) {
    add_preflight(&d, dc, server);
    add_hops(&d, dc, server);
    if (dc->hop_count == 0 && dc->preflight != CORSIM_PREFLIGHT_SENT &&
        dc->outcome == CORSIM_OUTCOME_BLOCKED) {
      escape_buf_puts(&d.label, "refused before anything was sent");
      note(&d, SD_X_BROWSER + 16, SD_X_SERVER - 16, "sd-bad");
    }
    add_verdict(&d, dc);
  } else if (s->status == RESULT_SKIP) {
    escape_buf_puts(&d.label, "skipped");
    if (c->skip_reason != NULL)
      escape_buf_printf(&d.label, ": %s", c->skip_reason);
    note(&d, SD_X_PAGE - 60, SD_X_SERVER + 60, "sd-skip");
  } else {
    escape_buf_printf(&d.label, "vector error: %s",
                      s->error != NULL ? s->error : "the step did not run");
    note(&d, SD_X_PAGE - 60, SD_X_SERVER + 60, "sd-error");
  }

  struct escape_buf what;
  escape_buf_init(&what);
  escape_buf_printf(&what, "sequence diagram of step %zu of ", s->index);
  describe_case_name(&what, c);
  frame(b, &d, escape_buf_str(&what), page, browser_label(c->browser),
        server);
  if (what.failed) b->failed = true;
  escape_buf_release(&what);
  diagram_release(&d);
}

void svg_note_diagram(struct escape_buf *b, const struct case_result *c,
                      const char *kind, const char *text) {
  struct diagram d;
  diagram_init(&d);
  escape_buf_puts(&d.label, text != NULL ? text : "not run");
  note(&d, SD_X_PAGE - 60, SD_X_SERVER + 60,
       strcmp(kind, "skip") == 0 ? "sd-skip" : "sd-error");
  struct escape_buf what;
  escape_buf_init(&what);
  escape_buf_puts(&what, "sequence diagram of ");
  describe_case_name(&what, c);
  escape_buf_puts(&what, " (not run)");
  frame(b, &d, escape_buf_str(&what), NULL, browser_label(c->browser), NULL);
  if (what.failed) b->failed = true;
  escape_buf_release(&what);
  diagram_release(&d);
}
