/* fuzz.h: the entry point every fuzz target in harness/fuzz/ defines,
 * called by libFuzzer (clang -fsanitize=fuzzer) or by replay_main.c
 * (gcc + ASan, no libFuzzer), and the check the targets share.
 *
 * A target returns 0 for every input. A property that does not hold is a
 * bug, so it aborts with a one-line reason on stderr: libFuzzer saves the
 * input, and the replay binary fails. */
#ifndef CORSIM_FUZZ_H
#define CORSIM_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with `what` when `ok` is false. */
#define FUZZ_ASSERT(ok, what)                                         \
  do {                                                                \
    if (!(ok)) {                                                      \
      fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__,      \
              __LINE__, (what));                                      \
      abort();                                                        \
    }                                                                 \
  } while (0)

#endif /* CORSIM_FUZZ_H */
