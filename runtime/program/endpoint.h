/*
 * endpoint.h - an HTTP endpoint that speaks AWS's protocols, on
 * libmicrohttpd: the AWS JSON 1.0 protocol (POST /, X-Amz-Target:
 * PREFIX.Action, a JSON object in and out) dispatched to a table of
 * actions, and any other request (REST-JSON, as the Lambda API) handed to
 * a router.  Errors have AWS's shape, as botocore and the AWS CLI parse
 * them: the HTTP status, the x-amzn-ErrorType header and
 * {"__type": "...", "message": "..."} (JSON 1.0) or
 * {"Type": "User", "message": "..."} (REST-JSON).  Every answer carries an
 * x-amzn-RequestId.  Request bodies are bounded.
 *
 * One thread per connection: an action may block (a synchronous execution,
 * a long poll) without holding up other clients.  Actions run concurrently
 * and must synchronise what they share.
 *
 * Shared by `asl2c serve` and the generated programs' endpoint.  Not
 * installed; every exported name starts with asl_.
 */
#ifndef ASL2C_ENDPOINT_H
#define ASL2C_ENDPOINT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#if defined(__GNUC__)
#define ASL_EP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define ASL_EP_PRINTF(f, a)
#endif

/* The protocol's errors that are not an action's own. */
#define ASL_HTTP_UNKNOWN_OPERATION "UnknownOperationException"
#define ASL_HTTP_SERIALIZATION "SerializationException"
#define ASL_HTTP_TOO_LARGE "RequestEntityTooLargeException"
#define ASL_HTTP_INTERNAL "InternalFailure"

/* A request, once its body has been read whole. */
typedef struct asl_http_request {
	const char *method;      /* "POST" */
	const char *path;        /* the path, percent-decoded ("/2015-03-31/...") */
	const char *target;      /* the action of an AWS JSON 1.0 call, or NULL */
	const char *body;        /* NUL-terminated (the NUL is not counted) */
	size_t body_len;
	const char *request_id;  /* the x-amzn-RequestId of the answer */
	void *conn;              /* for asl_http_header and asl_http_query */
} asl_http_request;

/* A request header or query argument (NULL when absent). */
const char *asl_http_header(const asl_http_request *rq, const char *name);
const char *asl_http_query(const asl_http_request *rq, const char *name);

/* An answer.  The body and the headers are the endpoint's once the
 * action returns. */
typedef struct asl_http_response {
	int status;              /* 0: nothing said (500 InternalFailure) */
	char *body;              /* malloc'd */
	size_t body_len;
	const char *content_type;
	struct asl_http_header_kv {
		char *name, *value;
	} headers[8];
	size_t n_headers;
} asl_http_response;

/* Add a header (copied); at most 8, the rest are dropped. */
void asl_http_add_header(asl_http_response *rs, const char *name,
                         const char *value);
/* A JSON 1.0 answer (application/x-amz-json-1.0): body is stolen; NULL is
 * an empty object. */
void asl_http_json(asl_http_response *rs, int status, json_t *body);
/* A REST-JSON answer (application/json): body is stolen; NULL sends no
 * body. */
void asl_http_rest(asl_http_response *rs, int status, json_t *body);
/* Raw bytes (copied). */
void asl_http_raw(asl_http_response *rs, int status, const char *type,
                  const void *data, size_t len);
/* An AWS JSON 1.0 error: {"__type": type, "message": ...}. */
void asl_http_error(asl_http_response *rs, int status, const char *type,
                    const char *fmt, ...) ASL_EP_PRINTF(4, 5);
/* A REST-JSON error: {"Type": "User"|"Service", "message": ...}. */
void asl_http_rest_error(asl_http_response *rs, int status, const char *type,
                         const char *fmt, ...) ASL_EP_PRINTF(4, 5);

/* ---- decoding an AWS JSON 1.0 call (a pure function: fuzzed) */

typedef struct asl_http_fault {
	int status;
	const char *type;
	char message[256];
} asl_http_fault;

/* The action named by X-Amz-Target (PREFIX.Action) and the body, which
 * must be a JSON object (an empty body is {}).  Returns 0 with *action (at
 * most n - 1 bytes) and *input (a new reference) set, or -1 with *f. */
int asl_http_decode_json10(const char *prefix, const char *target,
                           const char *body, size_t len, char *action,
                           size_t n, json_t **input, asl_http_fault *f);

/* ---- the endpoint */

/* An action of the JSON 1.0 protocol: input is the request's object
 * (borrowed). */
typedef void (*asl_http_action_fn)(void *user, const asl_http_request *rq,
                                   json_t *input, asl_http_response *rs);
typedef struct asl_http_action {
	const char *name;        /* "StartExecution" */
	asl_http_action_fn fn;
} asl_http_action;

/* Any request that is not a JSON 1.0 call. */
typedef void (*asl_http_route_fn)(void *user, const asl_http_request *rq,
                                  asl_http_response *rs);

typedef struct asl_endpoint_config {
	const char *listen;      /* "127.0.0.1:8083", "[::1]:0", "0.0.0.0:80" */
	const char *prefix;      /* "AWSStepFunctions" */
	const asl_http_action *actions;
	size_t n_actions;
	asl_http_route_fn route; /* or NULL: UnknownOperationException */
	/* The largest body a request may have: the limit for method and
	 * path, or max_body when NULL. */
	size_t (*body_limit)(void *user, const char *method, const char *path);
	size_t max_body;
	unsigned max_connections; /* 0: 256 */
	unsigned timeout_seconds; /* idle connections closed after; 0: 300 */
	void *user;
} asl_endpoint_config;

typedef struct asl_endpoint asl_endpoint;

/* Start serving (threads of its own).  NULL with a message in err when
 * the address is invalid or cannot be bound. */
asl_endpoint *asl_endpoint_start(const asl_endpoint_config *cfg, char *err,
                                 size_t errlen);
/* The port it listens on (port 0 picks one). */
unsigned asl_endpoint_port(const asl_endpoint *ep);
/* Wait until no client is connected, max_ms at most: the answers given
 * are sent before the endpoint stops. */
void asl_endpoint_drain(asl_endpoint *ep, unsigned max_ms);
/* Stop accepting, wait for the requests under way, free it. */
void asl_endpoint_stop(asl_endpoint *ep);

#endif /* ASL2C_ENDPOINT_H */
