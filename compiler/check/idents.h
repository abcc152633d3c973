/*
 * idents.h - the C identifiers of the states.  All user text that becomes
 * a C identifier is made one here (cgen.h makes the rest of it safe).
 */
#ifndef ASL2C_IDENTS_H
#define ASL2C_IDENTS_H

struct model;

/* Make a C identifier of s: letters and digits kept, the rest '_'. */
char *c_ident(const char *s);
/* Give every state of the model a unique identifier. */
void model_idents(struct model *m);

#endif
