/*
 * ir-build.h - what the path parser (path-parse.y) calls to build the
 * structures of ir.h (ir.c).  Private to the front end.
 */
#ifndef ASL2C_IR_BUILD_H
#define ASL2C_IR_BUILD_H

#include "ir.h"

ir_path *ir_new_path(int root, char *var);
void ir_path_add(ir_path *p, ir_seg *s);
ir_seg *ir_new_seg(int kind);
ir_expr *ir_new_expr(int op, ir_expr *a, ir_expr *b);
ir_expr *ir_lit_expr(char *json);
char *ir_quote_string(const char *quoted, int mode, char **raw,
                      const char **err);
ir_call *ir_new_call(char *name, int col);
void ir_call_add(ir_call *c, ir_arg *a);
ir_arg *ir_new_arg(int kind, int col);
void ir_seg_free(ir_seg *s);

#endif
