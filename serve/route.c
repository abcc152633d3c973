/*
 * route.c - what a Lambda REST path names: the operation (by method and
 * path) and the function (a name, a partial or a full ARN, a qualifier).
 * Pure functions, kept apart for the fuzz target (fuzz/fuzz_request.c).
 */
#define _GNU_SOURCE
#include "serve.h"

#include <string.h>

bool lambda_name_ok(const char *s, size_t n)
{
	if (n < 1 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'))
			return false;
	return true;
}

/* NAME, NAME:QUALIFIER, ACCOUNT:function:NAME[:Q] or
 * arn:aws:lambda:REGION:ACCOUNT:function:NAME[:Q]. */
void lambda_parse_name(const char *s, size_t len, lambda_path *p)
{
	const char *f = memmem(s, len, ":function:", 10);
	const char *name = f ? f + 10 : s, *end = s + len;
	const char *colon = memchr(name, ':', (size_t)(end - name));
	size_t n = (size_t)((colon ? colon : end) - name);

	if (f && strncmp(s, "arn:", 4) && memchr(s, ':', (size_t)(f - s))) {
		p->bad_name = true; /* ACCOUNT:function:NAME: no colon in ACCOUNT */
		return;
	}
	if (!lambda_name_ok(name, n) ||
	    (colon && (size_t)(end - colon) >= sizeof p->qualifier) ||
	    (colon && (colon[1] == '\0' || memchr(colon + 1, ':',
	                                         (size_t)(end - colon - 1))))) {
		p->bad_name = true;
		return;
	}
	memcpy(p->name, name, n);
	p->name[n] = '\0';
	if (colon) {
		memcpy(p->qualifier, colon, (size_t)(end - colon));
		p->qualifier[end - colon] = '\0';
	}
}

void lambda_parse_path(const char *method, const char *path, lambda_path *p)
{
	static const char base[] = "/2015-03-31/functions";
	const char *rest;

	memset(p, 0, sizeof *p);
	if (strncmp(path, base, sizeof base - 1))
		return;
	rest = path + sizeof base - 1;
	if (!*rest || !strcmp(rest, "/")) {
		p->op = !strcmp(method, "POST") ? LAMBDA_CREATE
		      : !strcmp(method, "GET") ? LAMBDA_LIST : LAMBDA_NONE;
		return;
	}
	if (*rest != '/')
		return;
	rest++;
	const char *slash = strchr(rest, '/');
	size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
	const char *sub = slash ? slash : "";
	if (!strcmp(sub, "") || !strcmp(sub, "/"))
		p->op = !strcmp(method, "GET") ? LAMBDA_GET
		      : !strcmp(method, "DELETE") ? LAMBDA_DELETE : LAMBDA_NONE;
	else if (!strcmp(sub, "/code") || !strcmp(sub, "/code/"))
		p->op = !strcmp(method, "PUT") ? LAMBDA_UPDATE_CODE : LAMBDA_NONE;
	else if (!strcmp(sub, "/configuration") ||
	         !strcmp(sub, "/configuration/"))
		p->op = !strcmp(method, "GET") ? LAMBDA_GET_CONFIG : LAMBDA_NONE;
	else if (!strcmp(sub, "/invocations") || !strcmp(sub, "/invocations/"))
		p->op = !strcmp(method, "POST") ? LAMBDA_INVOKE : LAMBDA_NONE;
	if (p->op != LAMBDA_NONE)
		lambda_parse_name(rest, n, p);
}
