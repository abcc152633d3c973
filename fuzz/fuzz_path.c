/*
 * fuzz_path.c - the JSONPath parser, then the runtime's evaluation of what
 * it accepted.  Input: the path text, a newline, a JSON document (a default
 * document when it does not parse).
 */
#include "rtconv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char default_doc[] =
	"{\"a\":{\"b\":[1,2,{\"c\":\"x\"}],\"n\":null},\"items\":[{\"x\":1,"
	"\"y\":\"s\"},{\"x\":2.5},{\"x\":-3,\"z\":[true,false]}],\"s\":\"t\"}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	size_t tlen = nl ? (size_t)(nl - (const char *)data) : size;
	char *text = malloc(tlen + 1);
	json_t *doc, *out, *set;
	ir_parse p;
	rt r;

	memcpy(text, data, tlen);
	text[tlen] = '\0';
	doc = nl ? json_loadb(nl + 1, size - tlen - 1, JSON_DECODE_ANY, NULL)
	         : NULL;
	if (!doc)
		doc = json_loads(default_doc, 0, NULL);

	ir_parse_text(text, &p);
	if (p.path) {
		free(ir_path_norm(p.path));
		rt_init(&r);
		const asl_path *rp = rt_path(&r, p.path);
		if (rp->root == ASL_ROOT_CURRENT)
			r.c.doc = doc;
		if (asl_path_get(&r.c, rp, doc, &out) == ASL_FOUND)
			json_decref(out);
		/* As a ResultPath. */
		if (rp->root == ASL_ROOT_INPUT &&
		    asl_path_set(rp, doc, doc, &set) == 0)
			json_decref(set);
		rt_free(&r);
	}
	ir_path_free(p.path);
	ir_call_free(p.call);
	free(p.error);
	json_decref(doc);
	free(text);
	return 0;
}
