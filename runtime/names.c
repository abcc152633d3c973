/*
 * names.c - AWS's rule for the names of state machines and executions
 * (names.h).
 */
#include "names.h"

#include <stdlib.h>
#include <string.h>

/* The code point of the UTF-8 sequence at s, its length in *len; -1 (and
 * *len 1) when s does not start a valid sequence: overlong forms,
 * surrogates and values past U+10FFFF are not valid. */
static long decode(const unsigned char *s, size_t *len)
{
	static const long min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t n;
	long cp;

	*len = 1;
	if (s[0] < 0x80)
		return s[0];
	if ((s[0] & 0xE0) == 0xC0)
		n = 2, cp = s[0] & 0x1F;
	else if ((s[0] & 0xF0) == 0xE0)
		n = 3, cp = s[0] & 0x0F;
	else if ((s[0] & 0xF8) == 0xF0)
		n = 4, cp = s[0] & 0x07;
	else
		return -1;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*len = n;
	return cp;
}

/* A character the rule refuses: white space (Java's, as AWS's service
 * checks it), brackets, wildcards, special and control characters. */
static bool refused(long cp)
{
	if (cp < 0x80)
		return cp <= 0x20 || cp == 0x7F ||
		       strchr("<>{}[]?*\"#%\\^|~`$&,;:/", (int)cp);
	return cp <= 0x9F || cp == 0xFFFE || cp == 0xFFFF || cp == 0x1680 ||
	       (cp >= 0x2000 && cp <= 0x200A && cp != 0x2007) ||
	       cp == 0x2028 || cp == 0x2029 || cp == 0x205F || cp == 0x3000;
}

bool asl_valid_name(const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0, len;

	while (*p) {
		long cp = decode(p, &len);
		if (cp < 0 || refused(cp) || ++n > max)
			return false;
		p += len;
	}
	return n >= 1;
}

char *asl_name_sanitize(const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	char *out = malloc(strlen(s) + 1), *o = out;
	size_t n = 0, len;

	if (!out || !*s) {
		free(out);
		return NULL;
	}
	for (; *p && n < max; n++, p += len) {
		long cp = decode(p, &len);
		if (cp < 0 || refused(cp)) {
			*o++ = '_';
		} else {
			memcpy(o, p, len);
			o += len;
		}
	}
	*o = '\0';
	return out;
}
