/*
 * ast.h - the definition as read: JSON values that remember where they
 * were written (line and column, 1-based, columns in characters).
 */
#ifndef ASL2C_AST_H
#define ASL2C_AST_H

#include <stdbool.h>
#include <stddef.h>

typedef enum jkind {
	J_NULL, J_TRUE, J_FALSE, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT
} jkind;

typedef struct jnode jnode;

typedef struct jmember {
	char *key;      /* UTF-8, NUL-terminated (keys holding NUL are kept
	                   whole in klen) */
	size_t klen;
	int line, col;  /* where the key starts */
	jnode *value;
} jmember;

struct jnode {
	jkind kind;
	int line, col;
	char *str;      /* STRING: the value; NUMBER: the lexeme */
	size_t len;
	size_t n, cap;  /* ARRAY: items; OBJECT: members */
	jnode **items;
	jmember *members;
};

jnode *jnode_new(jkind kind, int line, int col);
void jnode_free(jnode *n);
void jarray_add(jnode *a, jnode *v);
void jobject_add(jnode *o, jnode *key, jnode *v); /* takes key's string */
/* The member named key (the first one), or NULL. */
const jmember *jobject_member(const jnode *o, const char *key);
const jnode *jobject_get(const jnode *o, const char *key);
bool jnode_is_integer(const jnode *n);
/* Compact JSON text of n (numbers as written), malloc'd. */
char *jnode_dump(const jnode *n);
const char *jkind_name(jkind k);

#endif
