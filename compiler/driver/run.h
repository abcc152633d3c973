/*
 * run.h - `asl2c run`: compile a definition, build the program with the C
 * compiler and run it, in one command (asl2c(1), RUN).
 */
#ifndef ASL2C_RUN_H
#define ASL2C_RUN_H

/*
 * Runs `asl2c run` with the arguments after "run" (argc, argv, without the
 * command's name).  self is asl2c's argv[0], progname the name its messages
 * start with.  Returns an exit status when it fails before the program
 * runs (1 invalid definition, 2 usage, I/O or build error); otherwise the
 * program replaces the process and its exit status is the command's.
 */
int asl2c_run(const char *self, const char *progname, int argc, char **argv);

#endif
