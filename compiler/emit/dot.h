/*
 * dot.h - the state machine as a Graphviz diagram (asl2c --emit=dot).
 */
#ifndef ASL2C_DOT_H
#define ASL2C_DOT_H

struct model;

/* The diagram of a checked model, in the dot language (malloc'd). */
char *dot_program(const struct model *m);

#endif
