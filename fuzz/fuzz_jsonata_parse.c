/*
 * fuzz_jsonata_parse.c - the JSONata scanner, parser and post-parse pass.
 * Input: the expression text.
 */
#include "jsonata.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text) return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	asl_jsonata_error err;
	asl_jsonata_expr *e = asl_jsonata_parse(text, &err);
	if (!e && (strlen(err.code) != 5 || err.position < -1)) abort();
	asl_jsonata_free(e);
	free(text);
	return 0;
}
