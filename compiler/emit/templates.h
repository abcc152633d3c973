/* templates.h - the C templates of templates/, embedded (embed.sh). */
#ifndef ASL2C_TEMPLATES_H
#define ASL2C_TEMPLATES_H
extern const char tpl_header[];
extern const char tpl_state[];
extern const char tpl_program[];
extern const char tpl_main[];
#endif
