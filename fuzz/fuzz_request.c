/*
 * fuzz_request.c - the request decoder of asl2c serve and of the runtime's
 * endpoint: an AWS JSON 1.0 call (X-Amz-Target and body) and a Lambda
 * REST path.  Input: the X-Amz-Target value, a newline, the method, a
 * space, the path, a newline, the body.  What is decoded must hold: an
 * action of the target's prefix, an object as input, a function name of
 * Lambda's characters.
 */
#include "program/endpoint.h"
#include "serve.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *take_line(const uint8_t **p, size_t *n)
{
	const uint8_t *nl = memchr(*p, '\n', *n);
	size_t len = nl ? (size_t)(nl - *p) : *n;
	char *s = malloc(len + 1);

	if (!s)
		abort();
	memcpy(s, *p, len);
	s[len] = '\0';
	*p += nl ? len + 1 : len;
	*n -= nl ? len + 1 : len;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data;
	size_t n = size;
	char *target = take_line(&p, &n), *line = take_line(&p, &n);
	char action[128];
	json_t *in = NULL;
	asl_http_fault f;

	if (asl_http_decode_json10("AWSStepFunctions", target[0] ? target : NULL,
	                           (const char *)p, n, action, sizeof action, &in,
	                           &f) == 0) {
		if (!json_is_object(in) || strlen(action) >= sizeof action ||
		    strncmp(target, "AWSStepFunctions.", 17) ||
		    strcmp(target + 17, action))
			abort();
		json_decref(in);
	} else if (in || f.status != 400 || !f.type || !f.message[0]) {
		abort();
	}

	char *space = strchr(line, ' ');
	lambda_path lp;
	if (space)
		*space = '\0';
	lambda_parse_path(line, space ? space + 1 : "", &lp);
	/* CreateFunction and ListFunctions name no function. */
	bool named = lp.op != LAMBDA_NONE && lp.op != LAMBDA_CREATE &&
	             lp.op != LAMBDA_LIST;
	if (named && !lp.bad_name &&
	    (!lambda_name_ok(lp.name, strlen(lp.name)) ||
	     (lp.qualifier[0] && lp.qualifier[0] != ':')))
		abort();
	free(target);
	free(line);
	return 0;
}
