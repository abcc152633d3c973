/*
 * intrinsics.c - the intrinsic functions of JSONPath mode: States.Format,
 * States.ArrayRange and the sixteen others, as AWS runs them (which is not
 * always as the specification describes them).
 *
 * The compiler has checked the number of arguments; their types are checked
 * here, when they are known.  Every failure is a States.Runtime error, as on
 * AWS.
 *
 * Numbers: a number argument that must be an integer is rounded the way
 * Java's Math.round does (half up: 2.5 -> 3, -2.5 -> -2), so 3.0 and 2.7
 * are both 3.  Integer results are JSON integers.  Reals that end up inside
 * a string (States.Format, States.JsonToString) are written the way Java's
 * Double.toString writes them, as AWS does: 1.5, 3.0, 1.0E7, 1.0E-4.
 */
#include "internal.h"
#include "jsontext.h"
#include "exec/libs.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Base64Encode, Base64Decode and Hash refuse longer inputs (characters). */
#define MAX_INPUT_CHARS 10000
/* States.ArrayRange refuses to build longer arrays. */
#define MAX_RANGE_ITEMS 1000

/* ---------------------------------------------------------- string buffer */

/* The buffer as a JSON string; frees the buffer. */
static json_t *sb_string(strbuf *b)
{
	json_t *s = json_stringn(b->s ? b->s : "", b->len);

	free(b->s);
	if (!s)
		asl_oom(); /* the pieces were valid UTF-8: only memory can fail */
	return s;
}

/* ------------------------------------------------------------ characters */

/* Bytes in the UTF-8 sequence starting with lead byte ch. */
static size_t utf8_seq_len(unsigned char ch)
{
	if (ch >= 0xf0)
		return 4;
	if (ch >= 0xe0)
		return 3;
	if (ch >= 0xc0)
		return 2;
	return 1;
}

/* The length of a UTF-8 string in Java chars (UTF-16 code units), which is
 * what AWS's length limits count. */
static size_t java_length(const char *s, size_t n)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch & 0xc0) != 0x80)
			len += ch >= 0xf0 ? 2 : 1;
	}
	return len;
}

/* -------------------------------------------------------------- numbers */

/* Java's Math.round(double): the closest integer, halves rounded up, NaN
 * 0, clamped to the range of a long.  x - floor(x) is exact, so there is
 * none of the floor(x + 0.5) error on 0.49999999999999994. */
static long long java_round(double x)
{
	double f;

	if (isnan(x))
		return 0;
	f = floor(x);
	if (x - f >= 0.5)
		f += 1;
	if (f >= 9223372036854775807.0)
		return LLONG_MAX;
	if (f <= -9223372036854775808.0)
		return LLONG_MIN;
	return (long long)f;
}

/* A value as Java's toString prints the Map or List AWS holds it in:
 * strings raw, {Arg1=1, Arg2=[a, b]}.  States.Format renders its
 * arguments this way. */
static void put_text(strbuf *b, const json_t *v)
{
	const char *key;
	const json_t *e;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		sb_putc(b, '{');
		i = 0;
		json_object_foreach((json_t *)v, key, e) {
			if (i++)
				sb_puts(b, ", ");
			sb_puts(b, key);
			sb_putc(b, '=');
			put_text(b, e);
		}
		sb_putc(b, '}');
		break;
	case JSON_ARRAY:
		sb_putc(b, '[');
		json_array_foreach(v, i, e) {
			if (i)
				sb_puts(b, ", ");
			put_text(b, e);
		}
		sb_putc(b, ']');
		break;
	case JSON_STRING:
		sb_put(b, json_string_value(v), json_string_length(v));
		break;
	default:
		jt_value(b, v);
		break;
	}
}

/* ------------------------------------------------------------- equality */

static bool same_number(const json_t *a, const json_t *b)
{
	double r;
	json_int_t i;

	if (json_is_integer(a) && json_is_integer(b))
		return json_integer_value(a) == json_integer_value(b);
	if (json_is_real(a) && json_is_real(b))
		return json_real_value(a) == json_real_value(b);
	/* one of each: equal when the real is exactly that integer */
	i = json_is_integer(a) ? json_integer_value(a) : json_integer_value(b);
	r = json_is_real(a) ? json_real_value(a) : json_real_value(b);
	if (r != floor(r) || r < -9223372036854775808.0 ||
	    r >= 9223372036854775808.0)
		return false;
	return (json_int_t)r == i;
}

/* Deep equality; numbers compare by value, so 1 and 1.0 are the same. */
static bool same_value(const json_t *a, const json_t *b)
{
	const char *key;
	const json_t *e;
	size_t i;

	if (json_is_number(a) && json_is_number(b))
		return same_number(a, b);
	if (json_typeof(a) != json_typeof(b))
		return false;
	switch (json_typeof(a)) {
	case JSON_OBJECT:
		if (json_object_size(a) != json_object_size(b))
			return false;
		json_object_foreach((json_t *)a, key, e) {
			const json_t *f = json_object_get(b, key);
			if (!f || !same_value(e, f))
				return false;
		}
		return true;
	case JSON_ARRAY:
		if (json_array_size(a) != json_array_size(b))
			return false;
		json_array_foreach(a, i, e)
			if (!same_value(e, json_array_get(b, i)))
				return false;
		return true;
	case JSON_STRING:
		return json_string_length(a) == json_string_length(b) &&
		       !memcmp(json_string_value(a), json_string_value(b),
		               json_string_length(a));
	default: /* true, false, null */
		return true;
	}
}

static bool array_has(const json_t *array, const json_t *v)
{
	const json_t *e;
	size_t i;

	json_array_foreach(array, i, e)
		if (same_value(e, v))
			return true;
	return false;
}

/* ------------------------------------------------------- argument checks */

/* The type names AWS (Jackson) uses in messages. */
static const char *type_name(json_type t)
{
	switch (t) {
	case JSON_OBJECT:  return "OBJECT";
	case JSON_ARRAY:   return "ARRAY";
	case JSON_STRING:  return "STRING";
	case JSON_INTEGER:
	case JSON_REAL:    return "NUMBER";
	case JSON_TRUE:
	case JSON_FALSE:   return "BOOLEAN";
	case JSON_NULL:    return "NULL";
	}
	return "UNKNOWN";
}

static const char *fn_name(const asl_call *call);

/* Is argument i of type want?  JSON_INTEGER stands for any number,
 * JSON_TRUE for either boolean.  Raises when it is not. */
static bool check_arg(asl_ctx *c, const asl_call *call, json_t *const *a,
                      unsigned i, json_type want)
{
	json_type t = json_typeof(a[i]);

	if (t == want || (want == JSON_INTEGER && t == JSON_REAL) ||
	    (want == JSON_TRUE && t == JSON_FALSE))
		return true;
	asl_runtime_error(c, "The function '%s' expects an argument of type %s "
	                  "but got %s (argument %u of '%s')", fn_name(call),
	                  type_name(want), type_name(t), i + 1, call->text);
	return false;
}

/* Argument i as an integer, rounded like Java's Math.round. */
static bool arg_int(asl_ctx *c, const asl_call *call, json_t *const *a,
                    unsigned i, long long *out)
{
	if (!check_arg(c, call, a, i, JSON_INTEGER))
		return false;
	if (json_is_integer(a[i]))
		*out = json_integer_value(a[i]);
	else
		*out = java_round(json_real_value(a[i]));
	return true;
}

/* Argument i as a string of at most MAX_INPUT_CHARS characters. */
static bool arg_input(asl_ctx *c, const asl_call *call, json_t *const *a,
                      unsigned i, const char **s, size_t *n)
{
	size_t len;

	if (!check_arg(c, call, a, i, JSON_STRING))
		return false;
	*s = json_string_value(a[i]);
	*n = json_string_length(a[i]);
	if ((len = java_length(*s, *n)) > MAX_INPUT_CHARS) {
		asl_runtime_error(c, "The function '%s' accepts a string of at most "
		                  "%d characters but got %zu characters",
		                  fn_name(call), MAX_INPUT_CHARS, len);
		return false;
	}
	return true;
}

/* ------------------------------------------------------------ the functions
 *
 * Each takes the evaluated arguments (borrowed) and returns a new reference,
 * or NULL after raising. */

/* The template of States.Format.  A template written in the definition
 * keeps its escapes (the compiler leaves "\{", "\}" and "\\" in it): a
 * backslash makes the next character literal, and only an unescaped "{}"
 * is a placeholder.  A template that comes from a path or a call is taken
 * as it is: "{}" is a placeholder and a backslash is a backslash.
 * With out NULL, only counts the placeholders. */
static unsigned format_template(strbuf *out, const char *t, size_t n,
                                bool escapes, json_t *const *vals)
{
	unsigned k = 0;

	for (size_t i = 0; i < n; i++) {
		if (escapes && t[i] == '\\' && i + 1 < n) {
			if (out)
				sb_putc(out, t[i + 1]);
			i++;
		} else if (t[i] == '{' && i + 1 < n && t[i + 1] == '}') {
			if (out)
				put_text(out, vals[k]);
			k++;
			i++;
		} else if (out) {
			sb_putc(out, t[i]);
		}
	}
	return k;
}

static json_t *fn_format(asl_ctx *c, const asl_call *call, json_t *const *a,
                         unsigned n)
{
	bool escapes = call->args[0].kind == ASL_V_LIT;
	const char *t;
	size_t len;
	unsigned k;
	strbuf b = SB_INIT;

	if (!check_arg(c, call, a, 0, JSON_STRING))
		return NULL;
	t = json_string_value(a[0]);
	len = json_string_length(a[0]);
	k = format_template(NULL, t, len, escapes, a + 1);
	if (k != n - 1) {
		asl_runtime_error(c, "The function 'States.Format' has %u "
		                  "placeholder%s {} in its template but %u "
		                  "argument%s to fill them in '%s'",
		                  k, k == 1 ? "" : "s", n - 1, n == 2 ? "" : "s",
		                  call->text);
		return NULL;
	}
	format_template(&b, t, len, escapes, a + 1);
	return sb_string(&b);
}

static json_t *fn_string_to_json(asl_ctx *c, const asl_call *call,
                                 json_t *const *a, unsigned n)
{
	const char *s;
	size_t len, i;
	json_error_t err;
	json_t *r;

	if (!check_arg(c, call, a, 0, JSON_STRING))
		return NULL;
	s = json_string_value(a[0]);
	len = json_string_length(a[0]);
	/* blank (Java's trim() leaves nothing): null */
	for (i = 0; i < len && (unsigned char)s[i] <= ' '; i++)
		;
	if (i == len)
		return json_null();
	if (!(r = json_loadb(s, len, JSON_DECODE_ANY, &err))) {
		asl_runtime_error(c, "The function 'States.StringToJson' could not "
		                  "parse its argument as JSON: %s (at character "
		                  "%d)", err.text, err.position);
		return NULL;
	}
	return r;
}

static json_t *fn_json_to_string(asl_ctx *c, const asl_call *call,
                                 json_t *const *a, unsigned n)
{
	strbuf b = SB_INIT;

	jt_value(&b, a[0]);
	return sb_string(&b);
}

static json_t *fn_array(asl_ctx *c, const asl_call *call, json_t *const *a,
                        unsigned n)
{
	json_t *r = json_array();

	for (unsigned i = 0; i < n; i++)
		json_array_append(r, a[i]);
	return r;
}

static json_t *fn_array_partition(asl_ctx *c, const asl_call *call,
                                  json_t *const *a, unsigned n)
{
	long long size;
	size_t len, i;
	json_t *r, *chunk = NULL;

	if (!check_arg(c, call, a, 0, JSON_ARRAY) ||
	    !arg_int(c, call, a, 1, &size))
		return NULL;
	if (size <= 0) {
		asl_runtime_error(c, "The function 'States.ArrayPartition' expects "
		                  "a chunk size greater than 0 but got %lld", size);
		return NULL;
	}
	r = json_array();
	len = json_array_size(a[0]);
	for (i = 0; i < len; i++) {
		if ((unsigned long long)i % (unsigned long long)size == 0) {
			chunk = json_array();
			json_array_append_new(r, chunk);
		}
		json_array_append(chunk, json_array_get(a[0], i));
	}
	return r;
}

static json_t *fn_array_contains(asl_ctx *c, const asl_call *call,
                                 json_t *const *a, unsigned n)
{
	if (!check_arg(c, call, a, 0, JSON_ARRAY))
		return NULL;
	return json_boolean(array_has(a[0], a[1]));
}

/* Start, start + step, ... up to end, end included when it is reached.
 * A negative step counts down; a range that runs away from its end is
 * empty. */
static json_t *fn_array_range(asl_ctx *c, const asl_call *call,
                              json_t *const *a, unsigned n)
{
	long long start, end, step;
	unsigned long long count = 0, dist = 0, stride = 1;
	json_t *r;

	if (!arg_int(c, call, a, 0, &start) || !arg_int(c, call, a, 1, &end) ||
	    !arg_int(c, call, a, 2, &step))
		return NULL;
	if (step == 0) {
		asl_runtime_error(c, "The function 'States.ArrayRange' expects a "
		                  "step other than 0");
		return NULL;
	}
	/* unsigned arithmetic: exact over the whole range of long long */
	if (step > 0 && start <= end) {
		dist = (unsigned long long)end - (unsigned long long)start;
		stride = (unsigned long long)step;
		count = 1;
	} else if (step < 0 && start >= end) {
		dist = (unsigned long long)start - (unsigned long long)end;
		stride = 0ULL - (unsigned long long)step;
		count = 1;
	}
	if (count && dist / stride >= MAX_RANGE_ITEMS) {
		asl_runtime_error(c, "The function 'States.ArrayRange' would "
		                  "produce more than the %d items allowed",
		                  MAX_RANGE_ITEMS);
		return NULL;
	}
	if (count)
		count += dist / stride;
	r = json_array();
	for (unsigned long long k = 0; k < count; k++) {
		/* wraps modulo 2^64 on the way to a value in [start, end] */
		unsigned long long v = (unsigned long long)start +
		                       k * (unsigned long long)step;
		json_array_append_new(r, json_integer((json_int_t)v));
	}
	return r;
}

/* An index out of the array is an error, as a Java List.get would throw
 * (ALS returns null instead; AWS unconfirmed). */
static json_t *fn_array_get_item(asl_ctx *c, const asl_call *call,
                                 json_t *const *a, unsigned n)
{
	long long i;
	size_t len;

	if (!check_arg(c, call, a, 0, JSON_ARRAY) || !arg_int(c, call, a, 1, &i))
		return NULL;
	len = json_array_size(a[0]);
	if (i < 0 || (unsigned long long)i >= len) {
		asl_runtime_error(c, "The function 'States.ArrayGetItem' was given "
		                  "the index %lld, which is out of bounds for an "
		                  "array of length %zu", i, len);
		return NULL;
	}
	return json_incref(json_array_get(a[0], (size_t)i));
}

static json_t *fn_array_length(asl_ctx *c, const asl_call *call,
                               json_t *const *a, unsigned n)
{
	if (!check_arg(c, call, a, 0, JSON_ARRAY))
		return NULL;
	return json_integer((json_int_t)json_array_size(a[0]));
}

static json_t *fn_array_unique(asl_ctx *c, const asl_call *call,
                               json_t *const *a, unsigned n)
{
	json_t *r, *e;
	size_t i;

	if (!check_arg(c, call, a, 0, JSON_ARRAY))
		return NULL;
	r = json_array();
	json_array_foreach(a[0], i, e)
		if (!array_has(r, e))
			json_array_append(r, e);
	return r;
}

static json_t *fn_base64_encode(asl_ctx *c, const asl_call *call,
                                json_t *const *a, unsigned n)
{
	const char *s;
	size_t len;
	unsigned char *out;
	int m;
	json_t *r;

	if (!arg_input(c, call, a, 0, &s, &len))
		return NULL;
	out = asl_xmalloc((len + 2) / 3 * 4 + 1);
	m = asl_crypto()->EVP_EncodeBlock(out, (const unsigned char *)s,
	                                  (int)len);
	r = json_stringn((const char *)out, (size_t)(m < 0 ? 0 : m));
	free(out);
	if (!r)
		asl_oom();
	return r;
}

static bool is_base64_char(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	       (ch >= '0' && ch <= '9') || ch == '+' || ch == '/';
}

/* Standard alphabet; the padding may be left out (as Java's decoder
 * allows), but nothing else: no whitespace, no '=' inside.  The result
 * must be UTF-8 text. */
static json_t *fn_base64_decode(asl_ctx *c, const asl_call *call,
                                json_t *const *a, unsigned n)
{
	const char *s;
	size_t len, body, pad, i;
	unsigned char *in, *out;
	int m;
	json_t *r;

	if (!arg_input(c, call, a, 0, &s, &len))
		return NULL;
	for (pad = 0; pad < len && pad < 2 && s[len - 1 - pad] == '='; pad++)
		;
	body = len - pad;
	for (i = 0; i < body && is_base64_char(s[i]); i++)
		;
	if (i < body || body % 4 == 1 || (pad && len % 4)) {
		asl_runtime_error(c, "The function 'States.Base64Decode' could not "
		                  "decode its argument: it is not valid base64");
		return NULL;
	}
	/* EVP_DecodeBlock wants whole quanta: restore missing padding */
	pad = (4 - body % 4) % 4;
	in = asl_xmalloc(body + pad + 1);
	memcpy(in, s, body);
	memset(in + body, '=', pad);
	out = asl_xmalloc((body + pad) / 4 * 3 + 1);
	m = asl_crypto()->EVP_DecodeBlock(out, in, (int)(body + pad));
	free(in);
	if (m < 0) {
		free(out);
		asl_runtime_error(c, "The function 'States.Base64Decode' could not "
		                  "decode its argument: it is not valid base64");
		return NULL;
	}
	/* EVP_DecodeBlock counts the padding as zero bytes */
	r = json_stringn((const char *)out, (size_t)m - pad);
	free(out);
	if (!r)
		asl_runtime_error(c, "The function 'States.Base64Decode' decoded "
		                  "bytes that are not valid UTF-8 text");
	return r;
}

static json_t *fn_hash(asl_ctx *c, const asl_call *call, json_t *const *a,
                       unsigned n)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	unsigned mdlen, i;
	const char *s, *alg;
	const EVP_MD *type;
	size_t len;

	if (!arg_input(c, call, a, 0, &s, &len) ||
	    !check_arg(c, call, a, 1, JSON_STRING))
		return NULL;
	alg = json_string_value(a[1]);
	if (!(type = asl_digest_named(alg))) {
		asl_runtime_error(c, "The function 'States.Hash' does not support "
		                  "the algorithm '%s'; the supported algorithms are "
		                  "MD5, SHA-1, SHA-256, SHA-384 and SHA-512", alg);
		return NULL;
	}
	if (!asl_crypto()->EVP_Digest(s, len, md, &mdlen, type, NULL)) {
		asl_runtime_error(c, "The function 'States.Hash' failed to compute "
		                  "the %s digest", alg);
		return NULL;
	}
	for (i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return json_string(hex);
}

/* Shallow only: AWS refuses deep merges.  The second object wins; keys
 * keep the first object's order, new keys follow in the second's order. */
static json_t *fn_json_merge(asl_ctx *c, const asl_call *call,
                             json_t *const *a, unsigned n)
{
	json_t *r;

	if (!check_arg(c, call, a, 0, JSON_OBJECT) ||
	    !check_arg(c, call, a, 1, JSON_OBJECT) ||
	    !check_arg(c, call, a, 2, JSON_TRUE))
		return NULL;
	if (json_is_true(a[2])) {
		asl_runtime_error(c, "The function 'States.JsonMerge' supports only "
		                  "a shallow merge: its third argument must be "
		                  "false");
		return NULL;
	}
	r = json_copy(a[0]);
	if (!r || json_object_update(r, a[1]))
		asl_oom();
	return r;
}

/* splitmix64's output function: a seed's value. */
static uint64_t mix_seed(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* An integer from start (included) to end (excluded). */
static json_t *fn_math_random(asl_ctx *c, const asl_call *call,
                              json_t *const *a, unsigned n)
{
	long long start, end, seed;
	uint64_t span, x;

	if (!arg_int(c, call, a, 0, &start) || !arg_int(c, call, a, 1, &end))
		return NULL;
	if (n > 2 && !arg_int(c, call, a, 2, &seed))
		return NULL;
	if (start >= end) {
		asl_runtime_error(c, "The function 'States.MathRandom' expects its "
		                  "start (%lld) to be less than its end (%lld)",
		                  start, end);
		return NULL;
	}
	span = (uint64_t)end - (uint64_t)start;
	x = n > 2 ? mix_seed((uint64_t)seed) : asl_random(c);
	return json_integer((json_int_t)((uint64_t)start + x % span));
}

static json_t *fn_math_add(asl_ctx *c, const asl_call *call, json_t *const *a,
                           unsigned n)
{
	long long x, y;

	if (!arg_int(c, call, a, 0, &x) || !arg_int(c, call, a, 1, &y))
		return NULL;
	if (x < INT32_MIN || x > INT32_MAX || y < INT32_MIN || y > INT32_MAX) {
		asl_runtime_error(c, "The function 'States.MathAdd' expects numbers "
		                  "in the range of a 32-bit integer but got %lld "
		                  "and %lld", x, y);
		return NULL;
	}
	if (x + y < INT32_MIN || x + y > INT32_MAX) {
		asl_runtime_error(c, "The function 'States.MathAdd' overflowed: "
		                  "%lld + %lld is out of the range of a 32-bit "
		                  "integer", x, y);
		return NULL;
	}
	return json_integer(x + y);
}

/* Is the character at s (of len bytes) one of the characters of set? */
static bool in_char_set(const char *s, size_t len, const char *set,
                        size_t n)
{
	for (size_t i = 0, k; i < n; i += k) {
		k = utf8_seq_len((unsigned char)set[i]);
		if (k > n - i)
			k = n - i;
		if (k == len && !memcmp(set + i, s, len))
			return true;
	}
	return false;
}

/* Splits on every character of the delimiter string, taken as a set of
 * characters; empty tokens are dropped. */
static json_t *fn_string_split(asl_ctx *c, const asl_call *call,
                               json_t *const *a, unsigned n)
{
	const char *s, *d;
	size_t len, dlen, tok = 0, i, k;
	json_t *r;

	if (!check_arg(c, call, a, 0, JSON_STRING) ||
	    !check_arg(c, call, a, 1, JSON_STRING))
		return NULL;
	s = json_string_value(a[0]);
	len = json_string_length(a[0]);
	d = json_string_value(a[1]);
	dlen = json_string_length(a[1]);
	r = json_array();
	for (i = 0; i <= len; i += k) {
		k = i < len ? utf8_seq_len((unsigned char)s[i]) : 1;
		if (i < len && k > len - i)
			k = len - i;
		if (i < len && !in_char_set(s + i, k, d, dlen))
			continue;
		if (i > tok)
			json_array_append_new(r, json_stringn(s + tok, i - tok));
		tok = i + k;
	}
	return r;
}

static json_t *fn_uuid(asl_ctx *c, const asl_call *call, json_t *const *a,
                       unsigned n)
{
	char buf[37];

	asl_uuid(c, buf);
	return json_string(buf);
}

/* ------------------------------------------------------------ dispatching */

typedef json_t *intrinsic_fn(asl_ctx *c, const asl_call *call,
                             json_t *const *a, unsigned n);

/* Each function's name and argument counts, from their one list
 * (asl2c/lists.h: -1, any number), and its implementation. */
#define ASL_FN_INFO_(n, name, min, max) \
	[ASL_FN_##n] = { name, min, (max) < 0 ? UINT_MAX : (unsigned)(max) },
static const struct intrinsic {
	const char *name;
	unsigned min_args, max_args;
} intrinsics[ASL_FN_COUNT] = { ASL_FNS(ASL_FN_INFO_) };
#undef ASL_FN_INFO_

static intrinsic_fn *const implementations[ASL_FN_COUNT] = {
	[ASL_FN_FORMAT] = fn_format,
	[ASL_FN_STRING_TO_JSON] = fn_string_to_json,
	[ASL_FN_JSON_TO_STRING] = fn_json_to_string,
	[ASL_FN_ARRAY] = fn_array,
	[ASL_FN_ARRAY_PARTITION] = fn_array_partition,
	[ASL_FN_ARRAY_CONTAINS] = fn_array_contains,
	[ASL_FN_ARRAY_RANGE] = fn_array_range,
	[ASL_FN_ARRAY_GET_ITEM] = fn_array_get_item,
	[ASL_FN_ARRAY_LENGTH] = fn_array_length,
	[ASL_FN_ARRAY_UNIQUE] = fn_array_unique,
	[ASL_FN_BASE64_ENCODE] = fn_base64_encode,
	[ASL_FN_BASE64_DECODE] = fn_base64_decode,
	[ASL_FN_HASH] = fn_hash,
	[ASL_FN_JSON_MERGE] = fn_json_merge,
	[ASL_FN_MATH_RANDOM] = fn_math_random,
	[ASL_FN_MATH_ADD] = fn_math_add,
	[ASL_FN_STRING_SPLIT] = fn_string_split,
	[ASL_FN_UUID] = fn_uuid,
};

static const char *fn_name(const asl_call *call)
{
	return call->fn < ASL_FN_COUNT ? intrinsics[call->fn].name : "States.?";
}

json_t *asl_eval_call(asl_ctx *c, const asl_call *call, json_t *input,
                      const char *field)
{
	json_t *small[8], **a = small, *r = NULL;
	bool owned_small[8], *owned = owned_small;
	const struct intrinsic *f;
	unsigned n = call->n_args, i;

	if (call->fn >= ASL_FN_COUNT) {
		asl_runtime_error(c, "Unknown intrinsic function in '%s'",
		                  call->text);
		return NULL;
	}
	f = &intrinsics[call->fn];
	/* the compiler has checked this; a mismatched table must not crash */
	if (n < f->min_args || n > f->max_args) {
		asl_runtime_error(c, "The function '%s' cannot take %u argument%s "
		                  "in '%s'", f->name, n, n == 1 ? "" : "s",
		                  call->text);
		return NULL;
	}
	if (n > sizeof small / sizeof *small) {
		a = asl_xmalloc(n * sizeof *a);
		owned = asl_xmalloc(n * sizeof *owned);
	}
	/* Arguments are read, never kept (an implementation takes a
	 * reference to what it returns): borrowed where they can be. */
	for (i = 0; i < n; i++)
		if (!(a[i] = asl_eval_lookup(c, &call->args[i], input, field,
		                             &owned[i])))
			break;
	if (i == n)
		r = implementations[call->fn](c, call, a, n);
	while (i > 0) {
		i--;
		asl_let_go(a[i], owned[i]);
	}
	if (a != small) {
		free(a);
		free(owned);
	}
	return r;
}
