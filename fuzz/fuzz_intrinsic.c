/*
 * fuzz_intrinsic.c - the intrinsic-function parser and the intrinsics of
 * the runtime.  Input: the call text ("States.Format('{}', $.a)"), a
 * newline, the state's input as JSON (a default when it does not parse).
 * The call is parsed alone, then evaluated as {"r.$": CALL} when the
 * compiler accepts it.
 */
#include "fuzz_eval.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char default_input[] =
	"{\"a\":\"x,y\",\"n\":3,\"arr\":[1,2,2,\"3\"],\"o\":{\"k\":[1]},"
	"\"s\":\"aGVsbG8=\",\"j\":\"{\\\"a\\\":1}\"}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	size_t tlen = nl ? (size_t)(nl - (const char *)data) : size;
	char *text = malloc(tlen + 1);
	json_t *input = NULL, *tpl;
	ir_parse p;

	memcpy(text, data, tlen);
	text[tlen] = '\0';
	ir_parse_text(text, &p);
	ir_path_free(p.path);
	ir_call_free(p.call);
	free(p.error);

	if (nl)
		input = json_loadb(nl + 1, size - tlen - 1, JSON_DECODE_ANY, NULL);
	if (!input)
		input = json_loads(default_input, 0, NULL);
	if ((tpl = json_pack("{s:s}", "r.$", text)) != NULL) {
		eval_template(tpl, input);
		json_decref(tpl);
	}
	json_decref(input);
	free(text);
	return 0;
}
