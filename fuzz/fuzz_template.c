/*
 * fuzz_template.c - the payload-template evaluator (Parameters,
 * ResultSelector, ItemSelector, Assign) against random JSON.  Input: the
 * template (a JSON object) followed by the state's input (any JSON; {} when
 * absent or invalid).  Templates the compiler rejects are skipped.
 */
#include "fuzz_eval.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t err;
	json_t *tpl, *input = NULL;

	tpl = json_loadb((const char *)data, size,
	                 JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY, &err);
	if (!tpl)
		return 0;
	if ((size_t)err.position < size)
		input = json_loadb((const char *)data + err.position,
		                   size - (size_t)err.position, JSON_DECODE_ANY,
		                   NULL);
	if (!input)
		input = json_object();
	eval_template(tpl, input);
	json_decref(tpl);
	json_decref(input);
	return 0;
}
