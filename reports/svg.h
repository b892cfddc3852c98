/* svg.h: the sequence diagram of one step, drawn by corsim itself as
 * inline SVG for the HTML report: lifelines for the page, the browser and
 * the server, an arrow per message (the fetch() call, the preflight and
 * its answer, each request hop with the Origin it carried and the status
 * it got), a note for a preflight-cache hit, and the verdict in green or
 * red. Colours and fonts come from the page's CSS classes (sd-*), so the
 * diagram follows the light or dark scheme. */
#ifndef CORSIM_SVG_H
#define CORSIM_SVG_H

#include "escape.h"
#include "report.h"

/* Appends an <svg> element for step `s` of `c`. A step without a decision
 * (a vector error, a skip) still gets a diagram: the fetch() call when the
 * request loaded, then a note saying why nothing more happened. */
void svg_sequence_diagram(struct escape_buf *b, const struct case_result *c,
                          const struct step_result *s);

/* Appends an <svg> element with the three lifelines and one note, for a
 * case that has no step to draw. `kind` is "error" or "skip". */
void svg_note_diagram(struct escape_buf *b, const struct case_result *c,
                      const char *kind, const char *note);

#endif /* CORSIM_SVG_H */
