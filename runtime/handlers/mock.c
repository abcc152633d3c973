/*
 * mock.c - mocked tasks in Step Functions Local's MockConfigFile format
 * (--mock-config FILE --test-case NAME, or SFN_MOCK_CONFIG):
 *
 *   {"StateMachines": {"<machine>": {"TestCases": {"<case>":
 *        {"<state>": "<response>", ...}}}},
 *    "MockedResponses": {"<response>": {"0": {"Return": ...},
 *                                       "1-2": {"Throw": {"Error": ...,
 *                                                         "Cause": ...}}}}}
 *
 * Every invocation of a mocked state takes the next response: retries and
 * Map iterations share the state's counter (an atomic: iterations run in
 * parallel).  The table is read-only once loaded.
 */
#include "local.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct mocked_state {
	const char *state;     /* in root */
	json_t *responses;     /* the responses by invocation, expanded */
	atomic_long next;      /* the next invocation's number */
} mocked_state;

struct asl_mock {
	json_t *root;
	char *test_case;
	mocked_state *v;
	size_t n;
};

const char *asl_mock_test_case(const asl_mock *m)
{
	return m->test_case;
}

void asl_mock_free(asl_mock *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++)
		json_decref(m->v[i].responses);
	free(m->v);
	free(m->test_case);
	json_decref(m->root);
	free(m);
}

/* "N" or "N-M": the inclusive range; false when malformed. */
static bool parse_key(const char *k, long *lo, long *hi)
{
	char *end;

	if (*k < '0' || *k > '9')
		return false;
	*lo = strtol(k, &end, 10);
	*hi = *lo;
	if (*end == '-') {
		const char *p = end + 1;
		if (*p < '0' || *p > '9')
			return false;
		*hi = strtol(p, &end, 10);
	}
	return !*end && *hi >= *lo && *hi < 100000;
}

/* Check one response ({"Return": v} or {"Throw": {"Error", "Cause"}}). */
static const char *check_response(json_t *r)
{
	json_t *ret = json_object_get(r, "Return");
	json_t *th = json_object_get(r, "Throw");

	if (!json_is_object(r) || (!ret == !th) || json_object_size(r) != 1)
		return "must hold exactly one of \"Return\" and \"Throw\"";
	if (th && (!json_is_string(json_object_get(th, "Error")) ||
	           !json_is_string(json_object_get(th, "Cause"))))
		return "\"Throw\" needs the strings \"Error\" and \"Cause\"";
	return NULL;
}

/* Expand a mocked response into an array indexed by invocation; NULL
 * after printing why. */
static json_t *expand(const char *argv0, const char *file, const char *name,
                      json_t *resp)
{
	json_t *out = json_array(), *r;
	const char *key, *why;
	long lo, hi, max = -1;
	size_t n = 0;

	if (!json_is_object(resp) || !json_object_size(resp)) {
		fprintf(stderr, "%s: %s: mocked response '%s' must be an object "
		        "of invocations\n", argv0, file, name);
		goto fail;
	}
	json_object_foreach(resp, key, r) {
		if (!parse_key(key, &lo, &hi)) {
			fprintf(stderr, "%s: %s: mocked response '%s': '%s' is not "
			        "an invocation number or range (\"0\", \"1-2\")\n",
			        argv0, file, name, key);
			goto fail;
		}
		if ((why = check_response(r))) {
			fprintf(stderr, "%s: %s: mocked response '%s', invocation "
			        "'%s': %s\n", argv0, file, name, key, why);
			goto fail;
		}
		if (hi > max)
			max = hi;
		n += (size_t)(hi - lo + 1);
	}
	for (long i = 0; i <= max; i++)
		json_array_append_new(out, json_null());
	json_object_foreach(resp, key, r) {
		parse_key(key, &lo, &hi);
		for (long i = lo; i <= hi; i++) {
			if (!json_is_null(json_array_get(out, (size_t)i))) {
				fprintf(stderr, "%s: %s: mocked response '%s': "
				        "invocation %ld is given twice\n", argv0, file,
				        name, i);
				goto fail;
			}
			json_array_set(out, (size_t)i, r);
		}
	}
	if (n != (size_t)(max + 1)) {
		size_t i;
		json_array_foreach(out, i, r)
			if (json_is_null(r))
				break;
		fprintf(stderr, "%s: %s: mocked response '%s' has no response for "
		        "invocation %zu: invocations must be numbered from 0 "
		        "without gaps\n", argv0, file, name, i);
		goto fail;
	}
	return out;
fail:
	json_decref(out);
	return NULL;
}

static bool is_task(const asl_program *prog, const char *state)
{
	for (unsigned i = 0; i < prog->n_states; i++)
		if (!strcmp(prog->descs[i]->name, state))
			return prog->descs[i]->type == ASL_TASK;
	return false;
}

/* The largest mock config read. */
#define MOCK_CONFIG_MAX ((size_t)64 << 20)

/* The config file's JSON, read as parsed and bounded (/dev/zero is not a
 * config); NULL when it cannot be, said on stderr. */
static json_t *load_config(const char *argv0, const char *file)
{
	json_error_t err;
	json_t *root;
	bool too_big = false, failed = false;
	FILE *f = fopen(file, "rb");

	if (!f) {
		fprintf(stderr, "%s: %s: cannot open: %s\n", argv0, file,
		        strerror(errno));
		return NULL;
	}
	root = asl_load_bounded(f, MOCK_CONFIG_MAX, 0, &err, &too_big, &failed);
	fclose(f);
	if (too_big || failed) {
		json_decref(root);
		fprintf(stderr, "%s: %s: %s\n", argv0, file,
		        too_big ? "over the 64 MiB a mock config may have"
		                : "cannot read");
		return NULL;
	}
	if (!root) {
		if (err.line > 0)
			fprintf(stderr, "%s: %s:%d:%d: %s\n", argv0, file, err.line,
			        err.column, err.text);
		else
			fprintf(stderr, "%s: %s: %s\n", argv0, file, err.text);
	}
	return root;
}

asl_mock *asl_mock_load(const char *argv0, const char *file,
                        const char *test_case, const asl_program *prog)
{
	asl_mock *m = calloc(1, sizeof *m);
	json_t *cases, *tc, *responses, *v;
	const char *state;

	if (!m)
		asl_oom();
	m->test_case = asl_strdup(test_case);
	if (!(m->root = load_config(argv0, file)))
		goto fail;
	cases = json_object_get(json_object_get(json_object_get(
	    m->root, "StateMachines"), prog->name), "TestCases");
	if (!json_is_object(cases)) {
		fprintf(stderr, "%s: %s: no \"StateMachines\" entry for the state "
		        "machine '%s' with \"TestCases\"\n", argv0, file,
		        prog->name);
		goto fail;
	}
	if (!json_is_object(tc = json_object_get(cases, test_case))) {
		fprintf(stderr, "%s: %s: the state machine '%s' has no test case "
		        "'%s'\n", argv0, file, prog->name, test_case);
		goto fail;
	}
	responses = json_object_get(m->root, "MockedResponses");
	m->v = calloc(json_object_size(tc) + 1, sizeof *m->v);
	if (!m->v)
		asl_oom();
	json_object_foreach(tc, state, v) {
		const char *name = json_string_value(v);
		json_t *resp = name ? json_object_get(responses, name) : NULL;
		if (!name) {
			fprintf(stderr, "%s: %s: test case '%s': the state '%s' must "
			        "name a mocked response\n", argv0, file, test_case,
			        state);
			goto fail;
		}
		if (!is_task(prog, state)) {
			fprintf(stderr, "%s: %s: test case '%s': the state machine "
			        "has no Task state '%s'\n", argv0, file, test_case,
			        state);
			goto fail;
		}
		if (!resp) {
			fprintf(stderr, "%s: %s: test case '%s': no mocked response "
			        "'%s' in \"MockedResponses\"\n", argv0, file,
			        test_case, name);
			goto fail;
		}
		mocked_state *ms = &m->v[m->n];
		if (!(ms->responses = expand(argv0, file, name, resp)))
			goto fail;
		ms->state = state;
		atomic_init(&ms->next, 0);
		m->n++;
	}
	return m;
fail:
	asl_mock_free(m);
	return NULL;
}

json_t *asl_mock_next(asl_mock *m, const char *state, long *index,
                      bool *past_end)
{
	*past_end = false;
	*index = -1;
	for (size_t i = 0; i < m->n; i++) {
		mocked_state *ms = &m->v[i];
		if (strcmp(ms->state, state))
			continue;
		*index = atomic_fetch_add(&ms->next, 1);
		if ((size_t)*index >= json_array_size(ms->responses)) {
			*past_end = true;
			return NULL;
		}
		return json_array_get(ms->responses, (size_t)*index);
	}
	return NULL;
}
