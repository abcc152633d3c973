/*
 * http.c - asl2c serve's endpoint: the Step Functions actions (AWS JSON
 * 1.0, X-Amz-Target: AWSStepFunctions.*) and the Lambda routes
 * (REST-JSON, /2015-03-31/functions...), on the runtime's endpoint
 * (runtime/program/endpoint.c).  No request is authenticated: the AWS CLI's
 * signature is accepted whatever the keys (doc/serve.md).
 */
#include "serve.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The largest bodies: a definition is up to 1 MiB of JSON text (escaped
 * again inside the request: up to 6 MiB, \u escapes), an execution input
 * or a task output 256 KiB; a Lambda Invoke payload 6 MB; a function's zip
 * file 50 MB, base64 in JSON. */
#define SFN_BODY_MAX (8u << 20)
#define LAMBDA_BODY_MAX (7u << 20)
#define LAMBDA_CODE_MAX (70u << 20)

size_t serve_body_limit(void *user, const char *method, const char *path)
{
	(void)user;
	if (strncmp(path, "/2015-03-31/functions", 21))
		return SFN_BODY_MAX;
	size_t n = strlen(path);
	/* CreateFunction (POST .../functions), UpdateFunctionCode (PUT
	 * .../code) carry a zip file. */
	if ((!strcmp(method, "POST") && (n == 21 || (n == 22 && path[21] == '/')))
	    || (!strcmp(method, "PUT") && n > 5 && !strcmp(path + n - 5, "/code")))
		return LAMBDA_CODE_MAX;
	return LAMBDA_BODY_MAX;
}

const char *serve_field_str(json_t *in, const char *name, bool required,
                            asl_http_response *rs, bool *bad)
{
	json_t *v = json_object_get(in, name);

	if (!v || json_is_null(v)) {
		if (required) {
			asl_http_error(rs, 400, "ValidationException", "1 validation "
			               "error detected: Value null at '%s' failed to "
			               "satisfy constraint: Member must not be null",
			               name);
			*bad = true;
		}
		return NULL;
	}
	if (!json_is_string(v)) {
		asl_http_error(rs, 400, ASL_HTTP_SERIALIZATION, "The field '%s' "
		               "must be a string", name);
		*bad = true;
		return NULL;
	}
	return json_string_value(v);
}

static void route(void *user, const asl_http_request *rq,
                  asl_http_response *rs)
{
	serve *sv = user;

	if (!strncmp(rq->path, "/2015-03-31/functions", 21) &&
	    (!rq->path[21] || rq->path[21] == '/')) {
		serve_lambda_route(sv, rq, rs);
		return;
	}
	/* Lambda's other APIs, or anything else: AWS's REST services answer
	 * an unknown path with UnknownOperationException. */
	asl_http_rest_error(rs, 404, ASL_HTTP_UNKNOWN_OPERATION, "Unknown "
	                    "operation: %s %s is not part of the Lambda API "
	                    "that asl2c serve offers, and it is not a Step "
	                    "Functions request (no X-Amz-Target)", rq->method,
	                    rq->path);
}

int serve_http_start(serve *sv, char *err, size_t errlen)
{
	asl_endpoint_config cfg = {
		sv->cfg.listen, "AWSStepFunctions", serve_sfn_actions,
		serve_n_sfn_actions, route, serve_body_limit, SFN_BODY_MAX,
		512, 300, sv
	};

	if (!(sv->ep = asl_endpoint_start(&cfg, err, errlen)))
		return -1;
	return 0;
}
