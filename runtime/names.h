/*
 * names.h - AWS's rule for the names of state machines and executions
 * (StartExecution's and CreateStateMachine's "name"), shared by the
 * generated programs, the compiler and `asl2c serve`.  Not installed.
 */
#ifndef ASL2C_NAMES_H
#define ASL2C_NAMES_H

#include <stdbool.h>
#include <stddef.h>

/* The longest name AWS takes, in characters. */
#define ASL_NAME_MAX 80

/* s is valid UTF-8 of 1 to max characters with no white space, bracket
 * (< > { } [ ]), wildcard (? *), special character (" # % \ ^ | ~ ` $ & ,
 * ; : /), control character (U+0000-001F, U+007F-009F), U+FFFE or
 * U+FFFF. */
bool asl_valid_name(const char *s, size_t max);

/* A valid name made from s (a file's base name): each byte that is not
 * valid UTF-8 and each character the rule refuses becomes '_', and the
 * name is cut at max characters.  NULL (nothing to make a name of) when s
 * is empty.  Allocated; NULL also when out of memory. */
char *asl_name_sanitize(const char *s, size_t max);

#endif
