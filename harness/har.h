/* har.h: the `corsim har` command: explains a browser session recorded as
 * a HAR 1.2 file, entry by entry, next to what the HAR recorded. */
#ifndef CORSIM_HAR_H
#define CORSIM_HAR_H

/* argv[1] is "har". Reads the HAR named on the command line (DevTools'
 * "Save all as HAR" of Chromium, Firefox or WebKit, or Playwright's
 * recordHar), turns each cross-origin fetch/XHR entry into a step of one
 * simulated browser per profile, and writes per entry what each browser
 * decides and why (text or JSON on standard output; diagnostics
 * "corsim: FILE:LINE:COL: message" on standard error). With --save DIR
 * it also writes the exchanges as a vector file loadable by `corsim run`.
 * Returns the exit code (enum exit_code in cli.h): 0 the model agrees
 * with every entry it could decide, 1 at least one disagreement, 2 usage,
 * 3 the HAR could not be read or has errors (what loaded is still
 * explained), 5 out of memory or a file could not be written. */
int har_main(int argc, char **argv);

/* Limits: the HAR file size, and how many entries and redirect hops are
 * read (STYLE.md §8.6). */
#define HAR_MAX_FILE_BYTES (256u * 1024u * 1024u)
#define HAR_MAX_ENTRIES 100000u
#define HAR_MAX_HOPS 21u

#endif /* CORSIM_HAR_H */
