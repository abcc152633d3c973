/*
 * fuzz_jsonata_eval.c - JSONata evaluation.  Input: the expression, a
 * newline, a JSON document (a default document when it does not parse).
 * Depth, time and memory are limited, so a runaway expression ends with
 * U1001 or U1010; anything else wrong is a crash or a sanitizer report.
 */
#include "jsonata.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char default_doc[] =
	"{\"Account\":{\"Name\":\"Firefly\",\"Order\":[{\"ID\":\"o1\",\"Product\":["
	"{\"Name\":\"Hat\",\"Price\":34.45,\"Qty\":2},{\"Name\":\"Cloak\",\"Price\":107.99,"
	"\"Qty\":1}]},{\"ID\":\"o2\",\"Product\":[{\"Name\":\"Hat\",\"Price\":34.45,"
	"\"Qty\":4}]}]},\"s\":\"a,b\",\"n\":[1,2,3],\"z\":null}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	size_t tlen = nl ? (size_t)(nl - (const char *)data) : size;
	char *text = malloc(tlen + 1);
	if (!text) return 0;
	memcpy(text, data, tlen);
	text[tlen] = '\0';
	json_t *doc = nl ? json_loadb(nl + 1, size - tlen - 1, JSON_DECODE_ANY, NULL) : NULL;
	if (!doc) doc = json_loads(default_doc, 0, NULL);
	asl_jsonata_error err;
	asl_jsonata_expr *e = asl_jsonata_parse(text, &err);
	if (e) {
		uint64_t seed = 1;
		asl_jsonata_env env;
		memset(&env, 0, sizeof env);
		env.next_random = asl_jsonata_splitmix;
		env.ctx = &seed;
		env.max_depth = 200;
		env.timelimit_ms = 2000;
		env.max_memory = 64u << 20;
		json_t *res = NULL;
		if (asl_jsonata_eval(e, doc, NULL, &env, &res, &err) && strlen(err.code) != 5) abort();
		json_decref(res);
		asl_jsonata_free(e);
	}
	json_decref(doc);
	free(text);
	return 0;
}
