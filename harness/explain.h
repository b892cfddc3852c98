/* explain.h: the `corsim explain` command (one request from the command
 * line, or a pasted console message). */
#ifndef CORSIM_EXPLAIN_H
#define CORSIM_EXPLAIN_H

/* argv[1] is "explain". Returns the exit code (enum exit_code). */
int explain_main(int argc, char **argv);

#endif /* CORSIM_EXPLAIN_H */
