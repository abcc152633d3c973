/*
 * json.c - reading a definition: string unescaping and the parser's entry.
 */
#include "json.h"
#include "json-parse.h"
#define YYSTYPE ASLJ_STYPE
#define YYLTYPE ASLJ_LTYPE
#include "json-lex.h"
#include "util.h"

#include <string.h>

static int hex4(const char *s)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9') v |= c - '0';
		else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
		else return -1;
	}
	return v;
}

static void put_utf8(strbuf *b, unsigned long cp)
{
	if (cp < 0x80) {
		sb_putc(b, (char)cp);
	} else if (cp < 0x800) {
		sb_putc(b, (char)(0xC0 | (cp >> 6)));
		sb_putc(b, (char)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		sb_putc(b, (char)(0xE0 | (cp >> 12)));
		sb_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		sb_putc(b, (char)(0x80 | (cp & 0x3F)));
	} else {
		sb_putc(b, (char)(0xF0 | (cp >> 18)));
		sb_putc(b, (char)(0x80 | ((cp >> 12) & 0x3F)));
		sb_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		sb_putc(b, (char)(0x80 | (cp & 0x3F)));
	}
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned long cp;
	size_t len;

	if (s[0] < 0x80) return 1;
	if ((s[0] & 0xE0) == 0xC0) { len = 2; cp = s[0] & 0x1F; }
	else if ((s[0] & 0xF0) == 0xE0) { len = 3; cp = s[0] & 0x0F; }
	else if ((s[0] & 0xF8) == 0xF0) { len = 4; cp = s[0] & 0x07; }
	else return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

int aslj_string_decode(const char *s, size_t n, jnode *out, const char **err)
{
	strbuf b = SB_INIT;
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c != '\\') {
			size_t l = utf8_len((const unsigned char *)s + i, n - i);
			if (!l) {
				*err = "invalid UTF-8 in a string";
				sb_free(&b);
				return -1;
			}
			sb_put(&b, s + i, l);
			i += l;
			continue;
		}
		if (i + 1 >= n)
			goto bad;
		switch (s[i + 1]) {
		case '"': sb_putc(&b, '"'); break;
		case '\\': sb_putc(&b, '\\'); break;
		case '/': sb_putc(&b, '/'); break;
		case 'b': sb_putc(&b, '\b'); break;
		case 'f': sb_putc(&b, '\f'); break;
		case 'n': sb_putc(&b, '\n'); break;
		case 'r': sb_putc(&b, '\r'); break;
		case 't': sb_putc(&b, '\t'); break;
		case 'u': {
			int hi = i + 6 <= n ? hex4(s + i + 2) : -1;
			unsigned long cp;
			if (hi < 0)
				goto bad;
			cp = (unsigned long)hi;
			if (hi >= 0xD800 && hi <= 0xDBFF) {
				int lo = i + 12 <= n && s[i + 6] == '\\' &&
				         s[i + 7] == 'u' ? hex4(s + i + 8) : -1;
				if (lo < 0xDC00 || lo > 0xDFFF) {
					*err = "invalid \\u escape: unpaired surrogate";
					sb_free(&b);
					return -1;
				}
				cp = 0x10000 + (((unsigned long)hi - 0xD800) << 10) +
				     ((unsigned long)lo - 0xDC00);
				i += 6;
			} else if (hi >= 0xDC00 && hi <= 0xDFFF) {
				*err = "invalid \\u escape: unpaired surrogate";
				sb_free(&b);
				return -1;
			}
			put_utf8(&b, cp);
			i += 6;
			continue;
		}
		default:
			goto bad;
		}
		i += 2;
	}
	out->len = b.len;
	out->str = sb_steal(&b);
	return 0;
bad:
	*err = "invalid escape sequence in a string";
	sb_free(&b);
	return -1;
}

jnode *json_parse(const char *src, size_t len, diag *d)
{
	struct jlex L = { 1, 1, 0, d, src, len, 0, NULL, NULL };
	yyscan_t scanner;
	jnode *result = NULL;

	if (memchr(src, '\0', len)) {
		const char *z = memchr(src, '\0', len);
		int line = 1, col = 1;
		for (const char *p = src; p < z; p++) {
			if (*p == '\n') { line++; col = 1; }
			else if (((unsigned char)*p & 0xC0) != 0x80) col++;
		}
		diag_error(d, line, col, "INVALID_JSON_DESCRIPTION",
		           "NUL byte in the definition");
		return NULL;
	}
	if (len > JSON_MAX_SIZE)
		diag_error(d, 1, 1, "SCHEMA_VALIDATION_FAILED",
		           "The definition is %zu bytes long: at most %d bytes are "
		           "allowed", len, JSON_MAX_SIZE);
	if (aslj_lex_init_extra(&L, &scanner) != 0) {
		diag_error(d, 1, 1, "INVALID_JSON_DESCRIPTION", "out of memory");
		return NULL;
	}
	if (aslj_parse(scanner, &L, &result) != 0) {
		jnode_free(result);
		result = NULL;
	}
	aslj_lex_destroy(scanner);
	return result;
}
