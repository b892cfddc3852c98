/* html.c: the HTML report, one self-contained page to read or project:
 * a summary, filters by outcome, browser, tag and text, and per case its
 * title, spec links, and per step a sequence diagram (svg.c), the
 * decision, what differs, why a refusal happened and what to change, the
 * request headers sent with the deciding ones highlighted, the console
 * message and the trace with links into the Fetch Standard.
 *
 * Self-contained: styles and the script are inline, nothing is loaded
 * (the Content-Security-Policy meta element forbids any fetch, so the
 * page cannot even try), colours follow prefers-color-scheme.
 *
 * Streamed: begin writes the head and opens <main>; each case is one
 * <details class="item case"> element written and flushed as it arrives
 * (open when it did not pass); end writes the summary and the filter form
 * after <main>, with the counts and the browsers and tags seen. CSS
 * `order` shows them on top without JavaScript; the script moves them
 * before <main> (so reading and tab order match), unhides the form (it is
 * useless without the script) and hides items by their data-status,
 * data-browser, data-tag and data-search attributes.
 *
 * Everything from a vector or a server goes through escape_xml() (HTML
 * text and double-quoted attributes need the same five entities); no
 * vector text ever reaches the script or a style. A link's target is
 * written only when it is an https URL (corsim_anchor_url), so a spec
 * entry such as "javascript:..." stays text. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "describe.h"
#include "escape.h"
#include "report.h"
#include "svg.h"

/* Distinct tags listed in the tag filter; more are still shown on the
 * cases, only not offered in the select. */
#define HTML_MAX_TAGS 1024

struct html_state {
  size_t items; /* case and file-error elements written */
  char **tags;  /* distinct tags seen, for the filter */
  size_t tag_count, tag_cap;
  char *browsers[CORSIM_PROFILE_COUNT + 4];
  size_t browser_count;
  char *version;
  struct escape_buf out;
  struct escape_buf tmp;
};

/* ---- the page around the cases ------------------------------------------- */

static const char page_style[] =
    ":root{color-scheme:light dark;--bg:#f6f8fa;--panel:#fff;--fg:#1f2328;"
    "--muted:#59636e;--line:#d1d9e0;--link:#0969da;--code:#eff2f5;"
    "--pass:#1a7f37;--pass-bg:#dafbe1;--fail:#cf222e;--fail-bg:#ffebe9;"
    "--error:#9a6700;--error-bg:#fff8c5;--skip:#59636e;--skip-bg:#eff2f5;"
    "--cache:#8250df;--cache-bg:#fbefff;--hl:#fff3b0;"
    "--sans:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',"
    "'Helvetica Neue',Arial,sans-serif;"
    "--mono:ui-monospace,SFMono-Regular,'SF Mono',Menlo,Consolas,"
    "'DejaVu Sans Mono','Liberation Mono',monospace}\n"
    "@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--panel:#151b23;"
    "--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--link:#4493f8;"
    "--code:#212830;--pass:#3fb950;--pass-bg:#12261e;--fail:#f85149;"
    "--fail-bg:#2d1214;--error:#d29922;--error-bg:#272115;--skip:#9198a1;"
    "--skip-bg:#212830;--cache:#ab7df8;--cache-bg:#231a33;--hl:#4a3c0b}}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0 auto;max-width:1320px;padding:24px 20px 64px;"
    "background:var(--bg);color:var(--fg);font:16px/1.5 var(--sans);"
    "display:flex;flex-direction:column;gap:16px}\n"
    ".masthead{order:-3}#summary{order:-2}#filters{order:-1}\n"
    "[hidden]{display:none!important}\n"
    "h1{font-size:28px;margin:0 0 4px}h2,h3{margin:0}\n"
    "a{color:var(--link)}code,pre,.mono{font-family:var(--mono);"
    "font-size:.875em}\n"
    ".masthead p{margin:2px 0;color:var(--muted)}\n"
    ".panel,#summary,#filters,.item{background:var(--panel);"
    "border:1px solid var(--line);border-radius:10px}\n"
    "#summary{padding:16px 20px}\n"
    ".counts{display:flex;flex-wrap:wrap;gap:12px 32px}\n"
    ".count{display:flex;flex-direction:column}\n"
    ".count .n{font-size:34px;font-weight:700;line-height:1.1}\n"
    ".count .l{color:var(--muted);font-size:14px;text-transform:uppercase;"
    "letter-spacing:.04em}\n"
    ".count.st-pass .n{color:var(--pass)}.count.st-fail .n{color:var(--fail)}"
    ".count.st-error .n{color:var(--error)}.count.st-skip .n{color:var(--skip)}"
    "\n"
    ".bar{display:flex;height:12px;border-radius:6px;overflow:hidden;"
    "margin:14px 0 8px;background:var(--code)}\n"
    ".bar span.st-pass{background:var(--pass)}.bar span.st-fail{background:"
    "var(--fail)}.bar span.st-error{background:var(--error)}.bar span.st-skip"
    "{background:var(--skip)}\n"
    ".meta{color:var(--muted);margin:4px 0 0;font-size:14px}\n"
    "#filters{padding:12px 20px;display:flex;flex-wrap:wrap;gap:10px 24px;"
    "align-items:center;position:sticky;top:0;z-index:2}\n"
    "#filters fieldset{border:0;margin:0;padding:0;display:flex;gap:8px;"
    "align-items:center;flex-wrap:wrap}\n"
    "#filters legend{float:left;margin-right:6px;font-weight:600}\n"
    "#filters label{display:inline-flex;gap:6px;align-items:center}\n"
    "#filters select,#filters input[type=search],#filters button{font:inherit;"
    "font-size:15px;padding:3px 8px;border:1px solid var(--line);"
    "border-radius:6px;background:var(--bg);color:var(--fg)}\n"
    "#filters button{cursor:pointer}\n"
    "#shown{color:var(--muted);margin-left:auto}\n"
    "#cases{display:flex;flex-direction:column;gap:10px}\n"
    ".item{border-left:6px solid var(--skip);scroll-margin-top:120px}\n"
    ".item.st-pass{border-left-color:var(--pass)}.item.st-fail{"
    "border-left-color:var(--fail)}.item.st-error{border-left-color:"
    "var(--error)}\n"
    ".item>summary{cursor:pointer;padding:10px 16px;display:flex;"
    "flex-wrap:wrap;gap:6px 12px;align-items:baseline;list-style:none}\n"
    ".item>summary::-webkit-details-marker{display:none}\n"
    ".item>summary::before{content:'\\25B8';color:var(--muted);width:1em}\n"
    ".item[open]>summary::before{content:'\\25BE'}\n"
    ".item>summary:focus-visible{outline:2px solid var(--link);"
    "outline-offset:2px}\n"
    ".cid{font-weight:600;font-size:15px}\n"
    ".ctitle{color:var(--muted);flex:1 1 320px}\n"
    ".cbody{padding:4px 20px 18px;border-top:1px solid var(--line)}\n"
    ".badge{display:inline-block;min-width:52px;text-align:center;"
    "font-size:12px;font-weight:700;letter-spacing:.05em;text-transform:"
    "uppercase;padding:2px 8px;border-radius:999px;color:var(--skip);"
    "background:var(--skip-bg)}\n"
    ".badge.st-pass{color:var(--pass);background:var(--pass-bg)}"
    ".badge.st-fail{color:var(--fail);background:var(--fail-bg)}"
    ".badge.st-error{color:var(--error);background:var(--error-bg)}\n"
    ".chip{display:inline-block;font-size:13px;padding:0 8px;border:1px "
    "solid var(--line);border-radius:999px;color:var(--muted)}\n"
    ".tags{list-style:none;margin:8px 0;padding:0;display:flex;gap:6px;"
    "flex-wrap:wrap}\n"
    ".tags li{font-size:13px;padding:0 8px;border-radius:999px;"
    "background:var(--code)}\n"
    ".where,.spec{margin:8px 0;font-size:14px;color:var(--muted)}\n"
    ".problem{margin:10px 0;padding:8px 12px;border-radius:8px;"
    "background:var(--fail-bg);color:var(--fg)}\n"
    ".st-error .problem{background:var(--error-bg)}.st-skip .problem{"
    "background:var(--skip-bg)}\n"
    ".step{margin-top:18px}\n"
    ".step h3{font-size:17px;display:flex;gap:10px;align-items:center;"
    "margin-bottom:8px}\n"
    ".step h3 .at{font-weight:400;color:var(--muted);font-size:14px}\n"
    ".grid{display:grid;grid-template-columns:minmax(0,760px) "
    "minmax(300px,1fr);gap:16px 24px;align-items:start}\n"
    "@media (max-width:1100px){.grid{grid-template-columns:minmax(0,1fr)}}\n"
    "figure{margin:0}\n"
    ".diagram{background:var(--bg);border:1px solid var(--line);"
    "border-radius:8px;padding:6px}\n"
    ".verdict{font-size:18px;font-weight:700;margin:0 0 8px}\n"
    ".v-allowed{color:var(--pass)}.v-blocked{color:var(--fail)}"
    ".v-opaque{color:var(--skip)}\n"
    "dl.decision{display:grid;grid-template-columns:max-content 1fr;"
    "gap:2px 12px;margin:0 0 12px;font-size:14px}\n"
    "dl.decision dt{color:var(--muted)}dl.decision dd{margin:0;"
    "font-family:var(--mono);overflow-wrap:anywhere}\n"
    "table{border-collapse:collapse;width:100%;font-size:14px;margin:6px 0 "
    "12px}\n"
    "th,td{text-align:left;vertical-align:top;padding:4px 8px;border-bottom:"
    "1px solid var(--line);overflow-wrap:anywhere}\n"
    "th{font-weight:600;color:var(--muted);font-size:13px}\n"
    "caption{text-align:left;font-weight:600;padding:4px 0}\n"
    "td.exp{color:var(--pass)}td.obs{color:var(--fail)}\n"
    "table.mismatch{border:1px solid var(--fail);border-radius:8px}\n"
    "table.mismatch td:first-child{width:30%}\n"
    "tr.hl td{background:var(--hl)}tr.hl td:first-child{font-weight:700}\n"
    ".trace td.n{color:var(--muted);width:2.5em;text-align:right}\n"
    ".trace td.kind{width:4.5em}\n"
    ".kind{font-size:12px;font-weight:700;text-transform:uppercase}\n"
    ".k-pass .kind{color:var(--pass)}.k-fail .kind{color:var(--fail)}"
    ".k-note .kind{color:var(--error)}.k-info .kind{color:var(--muted)}\n"
    "tr.k-fail td{background:var(--fail-bg)}tr.k-note td{background:"
    "var(--error-bg)}\n"
    ".trace td.anchor{white-space:nowrap;width:1%}\n"
    ".advice{border:1px solid var(--line);border-radius:8px;padding:8px 12px;"
    "margin:0 0 12px;font-size:14px}\n"
    ".advice p{margin:2px 0}\n"
    ".console{margin:0 0 12px;padding:8px 12px 8px 30px;border-radius:8px;"
    "background:var(--fail-bg);color:var(--fail);white-space:pre-wrap;"
    "overflow-wrap:anywhere;position:relative}\n"
    ".console::before{content:'\\2297';position:absolute;left:10px;top:6px}\n"
    ".label{font-size:13px;font-weight:600;color:var(--muted);margin:8px 0 "
    "2px}\n"
    ".headers{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px"
    ",1fr));gap:0 24px}\n"
    ".errorbox{margin:10px 0;padding:8px 12px;border-radius:8px;background:"
    "var(--error-bg);white-space:pre-wrap;font-family:var(--mono);font-size:"
    "14px;overflow-wrap:anywhere}\n"
    "svg.sd{display:block;width:100%;max-width:780px;height:auto;"
    "font-family:var(--mono)}\n"
    ".sd-box{fill:var(--panel);stroke:var(--line);stroke-width:1.5}\n"
    ".sd-lane-title{font:600 14px var(--sans);fill:var(--fg)}\n"
    ".sd-lane-sub{font-size:11px;fill:var(--muted)}\n"
    ".sd-life{stroke:var(--line);stroke-width:1.5;stroke-dasharray:4 5}\n"
    ".sd-label{font-size:12px;fill:var(--fg)}\n"
    ".sd-sub{font-size:11px;fill:var(--muted)}\n"
    ".sd-msg{stroke:var(--fg);stroke-width:1.6}.sd-head{fill:var(--fg)}\n"
    ".sd-dash{stroke-dasharray:6 4}\n"
    ".sd-ok .sd-msg{stroke:var(--pass)}.sd-ok .sd-head{fill:var(--pass)}"
    ".sd-ok .sd-label{fill:var(--pass);font-weight:700}\n"
    ".sd-bad .sd-msg{stroke:var(--fail)}.sd-bad .sd-head{fill:var(--fail)}"
    ".sd-bad .sd-label,.sd-bad .sd-sub{fill:var(--fail);font-weight:700}\n"
    ".sd-muted .sd-msg,.sd-opaque .sd-msg{stroke:var(--skip)}.sd-muted "
    ".sd-head,.sd-opaque .sd-head{fill:var(--skip)}.sd-muted .sd-label,"
    ".sd-opaque .sd-label{fill:var(--skip)}.sd-opaque .sd-label{"
    "font-weight:700}\n"
    ".sd-note rect{fill:var(--skip-bg);stroke:var(--line)}\n"
    ".sd-cache rect{fill:var(--cache-bg);stroke:var(--cache)}.sd-cache "
    ".sd-label{fill:var(--cache);font-weight:600}\n"
    ".sd-error rect{fill:var(--error-bg);stroke:var(--error)}.sd-error "
    ".sd-label{fill:var(--error)}\n"
    ".sd-note.sd-bad rect{fill:var(--fail-bg);stroke:var(--fail)}\n"
    ".sd-vok rect{fill:var(--pass-bg);stroke:var(--pass);stroke-width:1.5}"
    ".sd-vok .sd-label{fill:var(--pass);font-weight:700;font-size:13px}\n"
    ".sd-vbad rect{fill:var(--fail-bg);stroke:var(--fail);stroke-width:1.5}"
    ".sd-vbad .sd-label{fill:var(--fail);font-weight:700;font-size:13px}\n"
    ".sd-vopaque rect{fill:var(--skip-bg);stroke:var(--skip)}.sd-vopaque "
    ".sd-label{font-weight:700;font-size:13px}\n"
    "@media print{#filters{display:none}.item{break-inside:avoid}}\n";

static const char page_script[] =
    "(function(){'use strict';\n"
    "var main=document.getElementById('cases'),sum=document.getElementById("
    "'summary'),form=document.getElementById('filters');\n"
    "if(!main||!sum||!form)return;\n"
    "document.body.insertBefore(sum,main);document.body.insertBefore(form,"
    "main);form.hidden=false;\n"
    "var items=Array.prototype.slice.call(main.querySelectorAll('.item')),"
    "shown=document.getElementById('shown');\n"
    "function apply(){\n"
    " var on={};Array.prototype.forEach.call(form.querySelectorAll("
    "'input[name=status]'),function(c){on[c.value]=c.checked;});\n"
    " var br=form.elements.browser.value,tag=form.elements.tag.value,"
    "q=form.elements.q.value.trim().toLowerCase(),n=0;\n"
    " var sel=tag?'[data-tag=\"'+CSS.escape(tag)+'\"]':null;\n"
    " items.forEach(function(el){\n"
    "  var ok=on[el.dataset.status]!==false&&(!br||el.dataset.browser===br)"
    "&&(!sel||el.querySelector(sel)!==null)&&(!q||(el.dataset.search||'')"
    ".indexOf(q)>=0);\n"
    "  el.hidden=!ok;if(ok)n++;});\n"
    " shown.textContent=n+' of '+items.length+' shown';}\n"
    "form.addEventListener('input',apply);form.addEventListener('change',"
    "apply);\n"
    "form.addEventListener('submit',function(e){e.preventDefault();});\n"
    "function openAll(v){items.forEach(function(el){if(!el.hidden&&"
    "el.tagName==='DETAILS')el.open=v;});}\n"
    "document.getElementById('expand').addEventListener('click',function(){"
    "openAll(true);});\n"
    "document.getElementById('collapse').addEventListener('click',"
    "function(){openAll(false);});\n"
    "apply();})();\n";

/* ---- escaping and small pieces ------------------------------------------- */

static void h(struct escape_buf *b, const char *s) {
  if (s != NULL) escape_xml(b, s, strlen(s), false);
}

static void ha(struct escape_buf *b, const char *s) {
  if (s != NULL) escape_xml(b, s, strlen(s), true);
}

/* Escapes what `tmp` holds into `b` and empties `tmp`. */
static void h_tmp(struct html_state *st, struct escape_buf *b, bool attribute) {
  if (st->tmp.failed) b->failed = true;
  escape_xml(b, escape_buf_str(&st->tmp), st->tmp.len, attribute);
  escape_buf_reset(&st->tmp);
}

static const char *status_class(enum result_status s) {
  switch (s) {
  case RESULT_PASS: return "st-pass";
  case RESULT_FAIL: return "st-fail";
  case RESULT_ERROR: return "st-error";
  case RESULT_SKIP: return "st-skip";
  }
  return "st-skip";
}

static void badge(struct escape_buf *b, enum result_status s) {
  escape_buf_printf(b, "<span class=\"badge %s\">%s</span>", status_class(s),
                    result_status_name(s));
}

/* The anchor as a link into its standard, or as text when its URL is not
 * an https URL; `step` (a step number, or NULL) goes inside the link. */
static void anchor_link(struct escape_buf *b, const char *anchor,
                        const char *step) {
  char url[512];
  if (anchor == NULL) anchor = "";
  size_t n = corsim_anchor_url(anchor, url, sizeof url);
  bool link = n > 0 && n < sizeof url && strncmp(url, "https://", 8) == 0;
  if (link) {
    escape_buf_puts(b, "<a href=\"");
    ha(b, url);
    escape_buf_puts(b, "\">");
  }
  escape_buf_puts(b, "<code>");
  h(b, anchor);
  if (step != NULL && step[0] != '\0') {
    escape_buf_puts(b, " step ");
    h(b, step);
  }
  escape_buf_puts(b, "</code>");
  if (link) escape_buf_puts(b, "</a>");
}

/* Remembers `name` in a small set of strings; false when out of memory. */
static bool remember(char ***items, size_t *count, size_t *cap, size_t max,
                     const char *name) {
  for (size_t i = 0; i < *count; i++)
    if (strcmp((*items)[i], name) == 0) return true;
  if (*count >= max) return true;
  if (*count == *cap) {
    size_t ncap = *cap != 0 ? *cap * 2 : 16;
    char **grown = realloc(*items, ncap * sizeof *grown);
    if (grown == NULL) return false;
    *items = grown;
    *cap = ncap;
  }
  char *copy = strdup(name);
  if (copy == NULL) return false;
  (*items)[(*count)++] = copy;
  return true;
}

static bool remember_browser(struct html_state *st, const char *name) {
  for (size_t i = 0; i < st->browser_count; i++)
    if (strcmp(st->browsers[i], name) == 0) return true;
  if (st->browser_count == sizeof st->browsers / sizeof st->browsers[0])
    return true;
  char *copy = strdup(name);
  if (copy == NULL) return false;
  st->browsers[st->browser_count++] = copy;
  return true;
}

/* ---- one step ------------------------------------------------------------ */

static bool same_name(const char *a, const char *b) {
  return a != NULL && b != NULL && strcasecmp(a, b) == 0;
}

/* Whether `value`, a comma-separated list, holds `token` (ignoring case
 * and spaces around items). */
static bool list_has(const char *value, const char *token) {
  size_t n = strlen(token);
  if (value == NULL || n == 0) return false;
  for (const char *p = value; *p;) {
    while (*p == ' ' || *p == '\t' || *p == ',') p++;
    const char *end = p;
    while (*end && *end != ',') end++;
    const char *last = end;
    while (last > p && (last[-1] == ' ' || last[-1] == '\t')) last--;
    if ((size_t)(last - p) == n && strncasecmp(p, token, n) == 0) return true;
    p = end;
  }
  return false;
}

/* A header that decided: the Origin, the one named by failed_parameter,
 * and the Access-Control-Request-* entry that carries it. */
static bool is_deciding(const struct corsim_owned_header *hd,
                        const struct corsim_decision *d) {
  if (same_name(hd->name, "Origin")) return true;
  const char *fp = d->failed_parameter;
  if (fp == NULL || fp[0] == '\0') return false;
  if (same_name(hd->name, fp)) return true;
  if (same_name(hd->name, "Access-Control-Request-Method"))
    return same_name(hd->value, fp);
  if (same_name(hd->name, "Access-Control-Request-Headers"))
    return list_has(hd->value, fp);
  return false;
}

static void header_table(struct escape_buf *b, const char *caption,
                         const struct corsim_owned_header *hd, size_t n,
                         const struct corsim_decision *d) {
  escape_buf_printf(b, "<table class=\"hdrs\"><caption>%s</caption>"
                       "<thead><tr><th>header</th><th>value</th></tr></thead>"
                       "<tbody>",
                    caption);
  for (size_t i = 0; i < n; i++) {
    bool hl = is_deciding(&hd[i], d);
    escape_buf_puts(b, hl ? "<tr class=\"hl\" title=\"this header decided\">"
                          : "<tr>");
    escape_buf_puts(b, "<td><code>");
    h(b, hd[i].name);
    escape_buf_puts(b, "</code></td><td><code>");
    h(b, hd[i].value);
    escape_buf_puts(b, "</code></td></tr>");
  }
  if (n == 0)
    escape_buf_puts(b, "<tr><td colspan=\"2\">(no headers)</td></tr>");
  escape_buf_puts(b, "</tbody></table>");
}

static void add_decision(struct escape_buf *b, const struct corsim_decision *d) {
  escape_buf_puts(b, "<dl class=\"decision\">");
  escape_buf_printf(b, "<dt>outcome</dt><dd>%s</dd>",
                    corsim_outcome_name(d->outcome));
  if (d->cors_error != CORSIM_CORS_ERROR_NONE)
    escape_buf_printf(b, "<dt>cors_error</dt><dd>%s</dd>",
                      corsim_cors_error_name(d->cors_error));
  if (d->blocked_reason != CORSIM_BLOCKED_NONE)
    escape_buf_printf(b, "<dt>blocked_reason</dt><dd>%s</dd>",
                      corsim_blocked_reason_name(d->blocked_reason));
  if (d->failed_parameter != NULL) {
    escape_buf_puts(b, "<dt>failed_parameter</dt><dd>");
    h(b, d->failed_parameter);
    escape_buf_puts(b, "</dd>");
  }
  escape_buf_printf(b, "<dt>preflight</dt><dd>%s</dd>"
                       "<dt>status</dt><dd>%d</dd>"
                       "<dt>response type</dt><dd>%s</dd>",
                    corsim_preflight_name(d->preflight), d->status,
                    corsim_response_type_name(d->response_type));
  if (d->exposed_header_count != 0) {
    escape_buf_puts(b, "<dt>exposed_headers</dt><dd>");
    for (size_t i = 0; i < d->exposed_header_count; i++) {
      if (i != 0) escape_buf_puts(b, ", ");
      h(b, d->exposed_headers[i]);
    }
    escape_buf_puts(b, "</dd>");
  }
  escape_buf_puts(b, "</dl>");
}

static void add_advice(struct escape_buf *b, const struct corsim_decision *d) {
  if (d->outcome != CORSIM_OUTCOME_BLOCKED) return;
  const struct corsim_advice *a =
      d->cors_error != CORSIM_CORS_ERROR_NONE
          ? corsim_cors_error_advice(d->cors_error)
          : corsim_blocked_reason_advice(d->blocked_reason);
  if (a == NULL) return;
  escape_buf_puts(b, "<div class=\"advice\"><p><b>Why:</b> ");
  h(b, a->meaning);
  escape_buf_puts(b, ".</p><p><b>What to change:</b> ");
  h(b, a->fix[0] != '\0' ? a->fix
                         : "nothing on the server: the page itself asked "
                           "for this");
  escape_buf_puts(b, ".</p><p><b>The standard:</b> ");
  anchor_link(b, a->anchor, NULL);
  escape_buf_puts(b, "</p></div>");
}

static void add_mismatches(struct escape_buf *b, const struct step_result *s) {
  if (s->mismatch_count == 0) return;
  escape_buf_puts(b, "<table class=\"mismatch\"><caption>What differs"
                     "</caption><thead><tr><th>field</th><th>expected</th>"
                     "<th>observed</th></tr></thead><tbody>");
  for (size_t i = 0; i < s->mismatch_count; i++) {
    const struct result_mismatch *m = &s->mismatches[i];
    escape_buf_puts(b, "<tr><td><code>");
    h(b, m->field);
    escape_buf_puts(b, "</code></td><td class=\"exp\"><code>");
    h(b, m->expected != NULL ? m->expected : "null");
    escape_buf_puts(b, "</code></td><td class=\"obs\"><code>");
    h(b, m->observed != NULL ? m->observed : "null");
    escape_buf_puts(b, "</code></td></tr>");
  }
  escape_buf_puts(b, "</tbody></table>");
}

/* --browser all: the other engines' verdicts for this step. */
static void add_engines(struct html_state *st, struct escape_buf *b,
                        const struct case_result *c, const struct step_result *s) {
  if (c->other_count == 0) return;
  escape_buf_puts(b, "<table class=\"engines\"><caption>Other engines"
                     "</caption><tbody>");
  for (size_t k = 0; k < c->other_count; k++) {
    const struct case_result *o = c->others[k];
    const struct corsim_decision *od =
        s->index < o->step_count ? o->steps[s->index].decision : NULL;
    escape_buf_puts(b, "<tr><td>");
    h(b, o->browser);
    escape_buf_printf(b, "</td><td class=\"v-%s\">",
                      od != NULL ? corsim_outcome_name(od->outcome) : "opaque");
    if (od != NULL)
      describe_verdict(&st->tmp, od);
    else
      escape_buf_puts(&st->tmp, "not run");
    h_tmp(st, b, false);
    escape_buf_puts(b, "</td></tr>");
  }
  escape_buf_puts(b, "</tbody></table>");
}

static void add_trace(struct escape_buf *b, const struct corsim_decision *d) {
  if (d->trace_count == 0) return;
  escape_buf_printf(b, "<table class=\"trace\"><caption>Trace: %zu %s of the "
                       "decision</caption><thead><tr><th>#</th><th>kind</th>"
                       "<th>in the standard</th><th>what the browser found"
                       "</th></tr></thead><tbody>",
                    d->trace_count, d->trace_count == 1 ? "step" : "steps");
  for (size_t i = 0; i < d->trace_count; i++) {
    const struct corsim_trace_entry *e = &d->trace[i];
    const char *kind = corsim_trace_kind_name(e->kind);
    escape_buf_printf(b, "<tr class=\"k-%s\"><td class=\"n\">%zu</td>"
                         "<td class=\"kind\">%s</td><td class=\"anchor\">",
                      kind, i + 1, kind);
    anchor_link(b, e->anchor, e->step);
    escape_buf_puts(b, "</td><td>");
    h(b, e->text);
    escape_buf_puts(b, "</td></tr>");
  }
  escape_buf_puts(b, "</tbody></table>");
}

static void add_step(struct html_state *st, struct escape_buf *b,
                     const struct case_result *c, const struct step_result *s) {
  const struct corsim_decision *d = s->decision;
  escape_buf_printf(b, "<section class=\"step %s\"><h3>Step %zu",
                    status_class(s->status), s->index);
  if (c->step_count > 1)
    escape_buf_printf(b, " <span class=\"at\">at %g s</span>", s->at);
  escape_buf_puts(b, " ");
  badge(b, s->status);
  escape_buf_puts(b, "</h3><div class=\"grid\"><figure class=\"diagram\">");
  svg_sequence_diagram(b, c, s);
  escape_buf_puts(b, "</figure><div class=\"facts\">");
  if (d != NULL) {
    escape_buf_printf(b, "<p class=\"verdict v-%s\">",
                      corsim_outcome_name(d->outcome));
    describe_verdict(&st->tmp, d);
    h_tmp(st, b, false);
    escape_buf_puts(b, "</p>");
    add_decision(b, d);
  }
  if (s->error != NULL) {
    escape_buf_puts(b, "<div class=\"errorbox\">");
    h(b, s->error);
    escape_buf_puts(b, "</div>");
  }
  if (d != NULL) add_advice(b, d);
  if (s->console != NULL) {
    escape_buf_puts(b, "<p class=\"label\">Console (");
    h(b, c->browser);
    escape_buf_puts(b, ")</p><pre class=\"console\">");
    h(b, s->console);
    escape_buf_puts(b, "</pre>");
  }
  add_engines(st, b, c, s);
  escape_buf_puts(b, "</div></div>");
  add_mismatches(b, s);
  if (d != NULL && (d->has_preflight_request || d->has_request)) {
    escape_buf_puts(b, "<div class=\"headers\">");
    if (d->has_preflight_request)
      header_table(b, "Preflight request sent (OPTIONS)",
                   d->preflight_request_headers,
                   d->preflight_request_header_count, d);
    if (d->has_request)
      header_table(b, "Request sent", d->request_headers,
                   d->request_header_count, d);
    escape_buf_puts(b, "</div>");
  }
  if (d != NULL) add_trace(b, d);
  escape_buf_puts(b, "</section>");
}

/* ---- one case ------------------------------------------------------------ */

static void add_case(struct html_state *st, struct escape_buf *b,
                     const struct case_result *c) {
  const char *browser = c->browser != NULL ? c->browser : "fetch";
  bool open = c->status == RESULT_FAIL || c->status == RESULT_ERROR;
  escape_buf_printf(b, "<details class=\"item case %s\" id=\"case-%zu\" "
                       "data-status=\"%s\" data-browser=\"",
                    status_class(c->status), st->items,
                    result_status_name(c->status));
  ha(b, browser);
  escape_buf_puts(b, "\" data-search=\"");
  /* lower-cased id and title, for the text filter */
  escape_buf_printf(&st->tmp, "%s %s %s", c->case_id != NULL ? c->case_id : "",
                    c->title != NULL ? c->title : "",
                    c->file != NULL ? c->file : "");
  for (size_t i = 0; i < st->tmp.len; i++)
    if (st->tmp.data[i] >= 'A' && st->tmp.data[i] <= 'Z')
      st->tmp.data[i] = (char)(st->tmp.data[i] + 32);
  h_tmp(st, b, true);
  escape_buf_printf(b, "\"%s><summary>", open ? " open" : "");
  badge(b, c->status);
  escape_buf_puts(b, "<code class=\"cid\">");
  if (c->case_id != NULL && c->case_id[0] != '\0')
    h(b, c->case_id);
  else
    escape_buf_printf(b, "(case at line %d)", c->line);
  escape_buf_puts(b, "</code><span class=\"chip\">");
  h(b, browser);
  escape_buf_puts(b, "</span><span class=\"ctitle\">");
  h(b, c->title);
  escape_buf_puts(b, "</span></summary><div class=\"cbody\">");

  escape_buf_puts(b, "<p class=\"where\"><span class=\"mono\">");
  h(b, c->file != NULL ? c->file : "-");
  if (c->line > 0) escape_buf_printf(b, ":%d:%d", c->line, c->column);
  escape_buf_puts(b, "</span>");
  if (c->suite != NULL) {
    escape_buf_puts(b, " \xc2\xb7 suite <b>");
    h(b, c->suite);
    escape_buf_puts(b, "</b>");
  }
  escape_buf_printf(b, " \xc2\xb7 <a href=\"#case-%zu\">link</a></p>",
                    st->items);
  if (c->tag_count != 0) {
    escape_buf_puts(b, "<ul class=\"tags\" aria-label=\"tags\">");
    for (size_t i = 0; i < c->tag_count; i++) {
      escape_buf_puts(b, "<li data-tag=\"");
      ha(b, c->tags[i]);
      escape_buf_puts(b, "\">");
      h(b, c->tags[i]);
      escape_buf_puts(b, "</li>");
    }
    escape_buf_puts(b, "</ul>");
  }
  if (c->spec_count != 0) {
    escape_buf_puts(b, "<p class=\"spec\">Spec: ");
    for (size_t i = 0; i < c->spec_count; i++) {
      if (i != 0) escape_buf_puts(b, " \xc2\xb7 ");
      anchor_link(b, c->spec[i], NULL);
    }
    escape_buf_puts(b, "</p>");
  }
  if (c->status != RESULT_PASS) {
    escape_buf_puts(b, "<p class=\"problem\">");
    describe_case_problem(&st->tmp, c);
    h_tmp(st, b, false);
    escape_buf_puts(b, "</p>");
  }
  if (c->status == RESULT_SKIP || c->step_count == 0 || c->error != NULL) {
    escape_buf_puts(b, "<figure class=\"diagram\">");
    if (c->status == RESULT_SKIP) {
      escape_buf_puts(&st->tmp, "skipped");
      if (c->skip_reason != NULL)
        escape_buf_printf(&st->tmp, ": %s", c->skip_reason);
      svg_note_diagram(b, c, "skip", escape_buf_str(&st->tmp));
    } else {
      escape_buf_puts(&st->tmp, "not run: ");
      describe_case_error(&st->tmp, c);
      svg_note_diagram(b, c, "error", escape_buf_str(&st->tmp));
    }
    if (st->tmp.failed) b->failed = true;
    escape_buf_reset(&st->tmp);
    escape_buf_puts(b, "</figure>");
  }
  if (c->status != RESULT_SKIP)
    for (size_t i = 0; i < c->step_count; i++) add_step(st, b, c, &c->steps[i]);
  escape_buf_puts(b, "</div></details>\n");
}

/* ---- the writer ---------------------------------------------------------- */

static void html_release(struct report *r) {
  struct html_state *st = r->state;
  if (st == NULL) return;
  for (size_t i = 0; i < st->tag_count; i++) free(st->tags[i]);
  free(st->tags);
  for (size_t i = 0; i < st->browser_count; i++) free(st->browsers[i]);
  free(st->version);
  escape_buf_release(&st->out);
  escape_buf_release(&st->tmp);
  free(st);
  r->state = NULL;
}

static int html_begin(struct report *r, const struct run_info *info) {
  struct html_state *st = calloc(1, sizeof *st);
  if (st == NULL) return -1;
  escape_buf_init(&st->out);
  escape_buf_init(&st->tmp);
  r->state = st;
  st->version = strdup(info != NULL && info->version != NULL ? info->version
                                                             : CORSIM_VERSION);
  if (st->version == NULL) return -1;
  struct escape_buf *b = &st->out;
  escape_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                     "<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, "
                     "initial-scale=1\">\n"
                     "<meta name=\"color-scheme\" content=\"light dark\">\n"
                     "<meta http-equiv=\"Content-Security-Policy\" content=\""
                     "default-src 'none'; style-src 'unsafe-inline'; "
                     "script-src 'unsafe-inline'; img-src data:\">\n"
                     "<meta name=\"generator\" content=\"corsim ");
  ha(b, st->version);
  escape_buf_puts(b, "\">\n<link rel=\"icon\" href=\"data:,\">\n"
                     "<title>corsim report</title>\n<style>\n");
  escape_buf_puts(b, page_style);
  escape_buf_puts(b, "</style>\n</head>\n<body>\n<header class=\"masthead\">"
                     "<h1>corsim report</h1><p>How a browser decides CORS for "
                     "each test vector: the Fetch Standard, and what "
                     "Chromium, Firefox and WebKit do. Each case shows the "
                     "messages as a sequence diagram, the decision, and the "
                     "trace with links into the standard.</p><p>corsim ");
  h(b, st->version);
  escape_buf_puts(b, "</p></header>\n<main id=\"cases\">\n");
  return report_write_buf(r, b);
}

static int html_write_case(struct report *r, const struct case_result *c) {
  struct html_state *st = r->state;
  if (st == NULL) return -1;
  st->items++;
  bool ok = remember_browser(st, c->browser != NULL ? c->browser : "fetch");
  for (size_t i = 0; ok && i < c->tag_count; i++)
    if (c->tags[i] != NULL)
      ok = remember(&st->tags, &st->tag_count, &st->tag_cap, HTML_MAX_TAGS,
                    c->tags[i]);
  if (!ok) return -1;
  add_case(st, &st->out, c);
  return report_write_buf(r, &st->out);
}

static int html_write_file_error(struct report *r, const struct file_error *e) {
  struct html_state *st = r->state;
  if (st == NULL) return -1;
  struct escape_buf *b = &st->out;
  st->items++;
  escape_buf_printf(b, "<section class=\"item file-error st-error\" "
                       "id=\"case-%zu\" data-status=\"error\" data-browser=\"\" "
                       "data-search=\"",
                    st->items);
  ha(b, e->file);
  escape_buf_puts(b, "\"><div class=\"cbody\"><p><span class=\"badge "
                     "st-error\">error</span> <b>file could not be loaded</b>"
                     " <span class=\"mono\">");
  h(b, e->file != NULL ? e->file : "-");
  if (e->line > 0) escape_buf_printf(b, ":%d:%d", e->line, e->column);
  escape_buf_puts(b, "</span></p><div class=\"errorbox\">");
  h(b, e->message != NULL ? e->message : "cannot load");
  escape_buf_puts(b, "</div></div></section>\n");
  return report_write_buf(r, b);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_count(struct escape_buf *b, const char *cls, size_t n,
                      const char *label) {
  escape_buf_printf(b, "<div class=\"count %s\"><span class=\"n\">%zu</span>"
                       "<span class=\"l\">%s</span></div>",
                    cls, n, label);
}

static void add_summary(struct report *r, struct escape_buf *b,
                        const struct run_summary *s) {
  escape_buf_puts(b, "<section id=\"summary\" aria-label=\"summary\">"
                     "<div class=\"counts\">");
  add_count(b, "", s->cases, s->cases == 1 ? "case" : "cases");
  add_count(b, "st-pass", s->passed, "passed");
  add_count(b, "st-fail", s->failed, "failed");
  add_count(b, "st-error", s->errors, s->errors == 1 ? "error" : "errors");
  add_count(b, "st-skip", s->skipped, "skipped");
  escape_buf_printf(b, "</div><div class=\"bar\" role=\"img\" aria-label=\""
                       "%zu passed, %zu failed, %zu errors, %zu skipped\">",
                    s->passed, s->failed, s->errors, s->skipped);
  const struct {
    const char *cls;
    size_t n;
  } parts[] = {{"st-pass", s->passed},
               {"st-fail", s->failed},
               {"st-error", s->errors},
               {"st-skip", s->skipped}};
  for (size_t i = 0; i < 4; i++)
    if (parts[i].n != 0)
      escape_buf_printf(b, "<span class=\"%s\" style=\"flex-grow:%zu\">"
                           "</span>",
                        parts[i].cls, parts[i].n);
  escape_buf_printf(b, "</div><p class=\"meta\">%zu %s in %zu %s", s->cases,
                    s->cases == 1 ? "case" : "cases", s->files,
                    s->files == 1 ? "file" : "files");
  if (s->file_errors != 0)
    escape_buf_printf(b, " \xc2\xb7 %zu %s could not be loaded",
                      s->file_errors, s->file_errors == 1 ? "file" : "files");
  if (!r->deterministic) escape_buf_printf(b, " \xc2\xb7 %.2f s", s->seconds);
  escape_buf_puts(b, "</p></section>\n");
}

static void add_filters(struct html_state *st, struct escape_buf *b,
                        const struct run_summary *s) {
  escape_buf_puts(b, "<form id=\"filters\" hidden aria-label=\"filters\">"
                     "<fieldset><legend>Show</legend>");
  const struct {
    enum result_status status;
    size_t n;
  } boxes[] = {{RESULT_PASS, s->passed},
               {RESULT_FAIL, s->failed},
               {RESULT_ERROR, s->errors + s->file_errors},
               {RESULT_SKIP, s->skipped}};
  for (size_t i = 0; i < 4; i++)
    escape_buf_printf(b, "<label><input type=\"checkbox\" name=\"status\" "
                         "value=\"%s\" checked><span class=\"badge %s\">%s"
                         "</span> %zu</label>",
                      result_status_name(boxes[i].status),
                      status_class(boxes[i].status),
                      result_status_name(boxes[i].status), boxes[i].n);
  escape_buf_puts(b, "</fieldset><label>Browser <select name=\"browser\">"
                     "<option value=\"\">all</option>");
  qsort(st->browsers, st->browser_count, sizeof st->browsers[0], cmp_str);
  for (size_t i = 0; i < st->browser_count; i++) {
    escape_buf_puts(b, "<option value=\"");
    ha(b, st->browsers[i]);
    escape_buf_puts(b, "\">");
    h(b, st->browsers[i]);
    escape_buf_puts(b, "</option>");
  }
  escape_buf_puts(b, "</select></label><label>Tag <select name=\"tag\">"
                     "<option value=\"\">all</option>");
  if (st->tag_count != 0)
    qsort(st->tags, st->tag_count, sizeof st->tags[0], cmp_str);
  for (size_t i = 0; i < st->tag_count; i++) {
    escape_buf_puts(b, "<option value=\"");
    ha(b, st->tags[i]);
    escape_buf_puts(b, "\">");
    h(b, st->tags[i]);
    escape_buf_puts(b, "</option>");
  }
  escape_buf_puts(b, "</select></label><label>Find <input type=\"search\" "
                     "name=\"q\" placeholder=\"id, title or file\"></label>"
                     "<button type=\"button\" id=\"expand\">Expand all"
                     "</button><button type=\"button\" id=\"collapse\">"
                     "Collapse all</button><output id=\"shown\"></output>"
                     "</form>\n");
}

static int html_end(struct report *r, const struct run_summary *s) {
  struct html_state *st = r->state;
  if (st == NULL) return -1;
  struct escape_buf *b = &st->out;
  if (st->items == 0)
    escape_buf_puts(b, "<p class=\"meta\">No case ran.</p>\n");
  escape_buf_puts(b, "</main>\n");
  add_summary(r, b, s);
  add_filters(st, b, s);
  escape_buf_puts(b, "<script>\n");
  escape_buf_puts(b, page_script);
  escape_buf_puts(b, "</script>\n</body>\n</html>\n");
  int rc = report_write_buf(r, b);
  html_release(r);
  return rc;
}

const struct report_writer report_writer_html = {
    .name = "html",
    .begin = html_begin,
    .write_case = html_write_case,
    .write_file_error = html_write_file_error,
    .end = html_end,
    .release = html_release,
};
