/* format.h - JSONata's picture-string functions: $formatNumber,
 * $formatInteger, $parseInteger, $formatBase, $fromMillis and $toMillis,
 * with jsonata-js 2.0.6's behaviour (its results, error codes and messages).
 *
 * Plain C in and out: strings are UTF-8 (NUL-terminated), numbers are IEEE
 * doubles as in JavaScript. No global state, no clock (the caller passes
 * $now's time), no locale. Every function returns a jsonata_fmt_status; on
 * JSONATA_FMT_OK a string result is malloc'd into *out (the caller frees
 * it), on JSONATA_FMT_ERROR *err holds the code and message and *out is
 * untouched. "undefined" arguments are the caller's business (every one of
 * these functions returns undefined for an undefined first argument).
 */
#ifndef ASL_JSONATA_FORMAT_H
#define ASL_JSONATA_FORMAT_H

#include <stdint.h>

typedef enum {
	JSONATA_FMT_OK = 0,
	JSONATA_FMT_UNDEFINED = 1,  /* the result is JSONata's undefined */
	JSONATA_FMT_ERROR = -1,     /* *err says why */
	JSONATA_FMT_NOMEM = -2      /* out of memory; *err says so too */
} jsonata_fmt_status;

/* An error as jsonata-js raises it: code ("D3080"), and the message of
 * jsonata-js's catalogue with its inserts filled in. Errors that jsonata-js
 * does not catalogue (JavaScript's own RangeErrors) have an empty code. */
typedef struct {
	char code[8];
	char message[512];  /* long inserted values are cut at 511 bytes */
} jsonata_fmt_error;

/* $formatNumber's third argument: each member NULL for the default
 * (".", ",", "e", "Infinity", "NaN", "-", "%", "\u2030", "0", "#", ";"). */
typedef struct {
	const char *decimal_separator;
	const char *grouping_separator;
	const char *exponent_separator;
	const char *infinity;
	const char *nan;
	const char *minus_sign;
	const char *percent;
	const char *per_mille;
	const char *zero_digit;
	const char *digit;
	const char *pattern_separator;
} jsonata_number_options;

/* $formatNumber(number, picture [, options]); options may be NULL. */
jsonata_fmt_status jsonata_format_number(double value, const char *picture,
    const jsonata_number_options *options, char **out, jsonata_fmt_error *err);

/* $formatInteger(number, picture). */
jsonata_fmt_status jsonata_format_integer(double value, const char *picture,
    char **out, jsonata_fmt_error *err);

/* $parseInteger(string, picture): *out may be NaN, as in jsonata-js, when
 * the text does not read as the picture says. */
jsonata_fmt_status jsonata_parse_integer(const char *text, const char *picture,
    double *out, jsonata_fmt_error *err);

/* $formatBase(number [, radix]); has_radix 0 for the default 10. */
jsonata_fmt_status jsonata_format_base(double value, int has_radix,
    double radix, char **out, jsonata_fmt_error *err);

/* $fromMillis(millis [, picture [, timezone]]); picture NULL for ISO 8601
 * ([Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]), timezone NULL
 * for UTC, else "±HHMM". */
jsonata_fmt_status jsonata_from_millis(double millis, const char *picture,
    const char *timezone, char **out, jsonata_fmt_error *err);

/* $toMillis(timestamp [, picture]); picture NULL for ISO 8601. now_millis
 * is the evaluation's $now(), which fills in the components a picture
 * leaves out. JSONATA_FMT_UNDEFINED when the text does not match the
 * picture; *out may be NaN (an impossible date, as Date.parse gives). */
jsonata_fmt_status jsonata_to_millis(const char *timestamp, const char *picture,
    double now_millis, double *out, jsonata_fmt_error *err);

#endif
