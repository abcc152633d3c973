/*
 * endpoint.c - AWS's JSON 1.0 and REST-JSON protocols over libmicrohttpd
 * (endpoint.h).  One thread per connection; a request's body is read whole,
 * up to its limit, then the action answers.
 */
#define _GNU_SOURCE
#include "endpoint.h"
#include "exec/libs.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <uuid/uuid.h>

struct asl_endpoint {
	struct MHD_Daemon *d;
	asl_endpoint_config cfg;
	char *prefix;
	unsigned port;
};

/* One request under way: its body so far. */
typedef struct pending {
	char *body;
	size_t len, cap, limit;
	bool over;               /* over the limit: the rest is dropped */
	unsigned long long seen; /* bytes of the body so far */
	bool answered;           /* 413 sent already */
} pending;

/* A body over its limit by up to this much is read (and dropped) before
 * the 413, so that a client that sends it all before reading sees the
 * answer; past it the answer comes at once and the connection closes. */
#define DRAIN_MAX (64u << 20)

static void oom(void)
{
	fputs("asl2c: out of memory\n", stderr);
	abort();
}

static char *dup_str(const char *s)
{
	char *d = strdup(s);
	if (!d)
		oom();
	return d;
}

/* ------------------------------------------------------------- answers */

void asl_http_add_header(asl_http_response *rs, const char *name,
                         const char *value)
{
	size_t max = sizeof rs->headers / sizeof *rs->headers;

	if (rs->n_headers == max)
		return;
	rs->headers[rs->n_headers].name = dup_str(name);
	rs->headers[rs->n_headers].value = dup_str(value);
	rs->n_headers++;
}

static void set_body(asl_http_response *rs, int status, const char *type,
                     json_t *body)
{
	free(rs->body);
	rs->body = NULL;
	rs->body_len = 0;
	rs->status = status;
	rs->content_type = type;
	if (!body)
		return;
	/* 13 significant digits: epoch seconds with milliseconds, as AWS
	 * sends its timestamps. */
	rs->body = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY |
	                      JSON_REAL_PRECISION(13));
	json_decref(body);
	if (!rs->body)
		oom();
	rs->body_len = strlen(rs->body);
}

void asl_http_json(asl_http_response *rs, int status, json_t *body)
{
	set_body(rs, status, "application/x-amz-json-1.0",
	         body ? body : json_object());
}

void asl_http_rest(asl_http_response *rs, int status, json_t *body)
{
	set_body(rs, status, "application/json", body);
}

void asl_http_raw(asl_http_response *rs, int status, const char *type,
                  const void *data, size_t len)
{
	set_body(rs, status, type, NULL);
	if (!(rs->body = malloc(len + 1)))
		oom();
	memcpy(rs->body, data, len);
	rs->body[len] = '\0';
	rs->body_len = len;
}

static void error_v(asl_http_response *rs, int status, const char *type,
                    bool rest, const char *fmt, va_list ap)
    ASL_EP_PRINTF(5, 0);

static void error_v(asl_http_response *rs, int status, const char *type,
                    bool rest, const char *fmt, va_list ap)
{
	char *msg = NULL;
	json_t *b;

	if (vasprintf(&msg, fmt, ap) < 0)
		oom();
	/* A message is a JSON string: invalid UTF-8 in it (a name from the
	 * request) is not sent as is. */
	json_t *m = json_string(msg);
	if (!m)
		m = json_string("(the message is not valid UTF-8)");
	free(msg);
	if (rest)
		b = json_pack("{s:s, s:o}", "Type", status >= 500 ? "Service"
		                                                  : "User",
		              "message", m);
	else
		b = json_pack("{s:s, s:o}", "__type", type, "message", m);
	if (!b)
		oom();
	set_body(rs, status, rest ? "application/json"
	                          : "application/x-amz-json-1.0", b);
	asl_http_add_header(rs, "x-amzn-ErrorType", type);
}

void asl_http_error(asl_http_response *rs, int status, const char *type,
                    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_v(rs, status, type, false, fmt, ap);
	va_end(ap);
}

void asl_http_rest_error(asl_http_response *rs, int status, const char *type,
                         const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_v(rs, status, type, true, fmt, ap);
	va_end(ap);
}

static void response_free(asl_http_response *rs)
{
	free(rs->body);
	for (size_t i = 0; i < rs->n_headers; i++) {
		free(rs->headers[i].name);
		free(rs->headers[i].value);
	}
}

/* ------------------------------------------------------------ decoding */

int asl_http_decode_json10(const char *prefix, const char *target,
                           const char *body, size_t len, char *action,
                           size_t n, json_t **input, asl_http_fault *f)
{
	size_t pl = strlen(prefix);
	json_error_t err;
	json_t *in;

	*input = NULL;
	f->status = 400;
	f->message[0] = '\0';
	if (!target || strncmp(target, prefix, pl) || target[pl] != '.' ||
	    !target[pl + 1] || strlen(target + pl + 1) >= n) {
		f->type = ASL_HTTP_UNKNOWN_OPERATION;
		snprintf(f->message, sizeof f->message, "%s",
		         target ? "Unknown operation: the X-Amz-Target header "
		                  "names no operation of this service"
		                : "Unknown operation: no X-Amz-Target header");
		return -1;
	}
	for (const char *p = target + pl + 1; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9'))) {
			f->type = ASL_HTTP_UNKNOWN_OPERATION;
			snprintf(f->message, sizeof f->message, "Unknown operation: "
			         "the X-Amz-Target header names no operation of this "
			         "service");
			return -1;
		}
	strcpy(action, target + pl + 1);
	/* An empty body is an empty request. */
	size_t i = 0;
	while (i < len && (body[i] == ' ' || body[i] == '\t' ||
	                   body[i] == '\r' || body[i] == '\n'))
		i++;
	if (i == len) {
		*input = json_object();
		if (!*input)
			oom();
		return 0;
	}
	in = json_loadb(body, len, JSON_REJECT_DUPLICATES, &err);
	if (!in || !json_is_object(in)) {
		f->type = ASL_HTTP_SERIALIZATION;
		if (in)
			snprintf(f->message, sizeof f->message, "The request body "
			         "must be a JSON object");
		else
			snprintf(f->message, sizeof f->message, "The request body is "
			         "not valid JSON: %s (line %d, column %d)", err.text,
			         err.line, err.column);
		json_decref(in);
		return -1;
	}
	*input = in;
	return 0;
}

/* ------------------------------------------------------------- serving */

const char *asl_http_header(const asl_http_request *rq, const char *name)
{
	return asl_mhd()->MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
	                                              name);
}

const char *asl_http_query(const asl_http_request *rq, const char *name)
{
	return asl_mhd()->MHD_lookup_connection_value(rq->conn,
	                                              MHD_GET_ARGUMENT_KIND, name);
}

static const asl_http_action *find_action(const asl_endpoint *ep,
                                          const char *name)
{
	for (size_t i = 0; i < ep->cfg.n_actions; i++)
		if (!strcmp(ep->cfg.actions[i].name, name))
			return &ep->cfg.actions[i];
	return NULL;
}

static void dispatch(asl_endpoint *ep, asl_http_request *rq,
                     asl_http_response *rs)
{
	const char *target = asl_http_header(rq, "X-Amz-Target");
	char action[128];
	json_t *in;
	asl_http_fault f;

	if (!target && ep->cfg.route) {
		ep->cfg.route(ep->cfg.user, rq, rs);
		return;
	}
	if (strcmp(rq->method, "POST")) {
		asl_http_error(rs, 400, ASL_HTTP_UNKNOWN_OPERATION, "Unknown "
		               "operation: %s requests are not part of this "
		               "service's protocol", rq->method);
		return;
	}
	if (asl_http_decode_json10(ep->prefix, target, rq->body, rq->body_len,
	                           action, sizeof action, &in, &f) < 0) {
		asl_http_error(rs, f.status, f.type, "%s", f.message);
		return;
	}
	const asl_http_action *a = find_action(ep, action);
	if (!a) {
		asl_http_error(rs, 400, ASL_HTTP_UNKNOWN_OPERATION, "Unknown "
		               "operation: %s is not an operation of this service",
		               action);
	} else {
		rq->target = a->name;
		a->fn(ep->cfg.user, rq, in, rs);
	}
	json_decref(in);
}

static enum MHD_Result send_answer(struct MHD_Connection *conn,
                                   const char *request_id,
                                   asl_http_response *rs)
{
	const asl_mhd_lib *mhd = asl_mhd();
	struct MHD_Response *r;
	enum MHD_Result ok;

	if (!rs->status)
		asl_http_error(rs, 500, ASL_HTTP_INTERNAL, "The request was not "
		               "answered");
	r = mhd->MHD_create_response_from_buffer(rs->body_len, rs->body,
	                                         MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	if (rs->content_type)
		mhd->MHD_add_response_header(r, "Content-Type", rs->content_type);
	mhd->MHD_add_response_header(r, "x-amzn-RequestId", request_id);
	for (size_t i = 0; i < rs->n_headers; i++)
		mhd->MHD_add_response_header(r, rs->headers[i].name,
		                             rs->headers[i].value);
	ok = mhd->MHD_queue_response(conn, (unsigned)rs->status, r);
	mhd->MHD_destroy_response(r);
	return ok;
}

/* The answer to a body over its limit, at once: the rest of the body is
 * not read (the connection is closed after the answer). */
static enum MHD_Result too_large(asl_endpoint *ep,
                                 struct MHD_Connection *conn, pending *p)
{
	char rid[37];
	uuid_t u;
	asl_http_response rs;

	uuid_generate_random(u);
	uuid_unparse_lower(u, rid);
	memset(&rs, 0, sizeof rs);
	/* In the shape of the protocol the request speaks. */
	if (ep->cfg.route &&
	    !asl_mhd()->MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	                                            "X-Amz-Target"))
		asl_http_rest_error(&rs, 413, ASL_HTTP_TOO_LARGE, "The request body "
		                    "is over the %zu bytes this operation accepts",
		                    p->limit);
	else
		asl_http_error(&rs, 413, ASL_HTTP_TOO_LARGE, "The request body is "
		               "over the %zu bytes this operation accepts", p->limit);
	p->answered = true;
	enum MHD_Result ok = send_answer(conn, rid, &rs);
	response_free(&rs);
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version,
                                  const char *upload_data,
                                  size_t *upload_data_size, void **state)
{
	asl_endpoint *ep = cls;
	pending *p = *state;
	(void)version;

	if (!p) {
		/* The headers: the body's limit. */
		if (!(p = calloc(1, sizeof *p)))
			return MHD_NO;
		*state = p;
		p->limit = ep->cfg.body_limit
		         ? ep->cfg.body_limit(ep->cfg.user, method, url)
		         : ep->cfg.max_body;
		const char *cl = asl_mhd()->MHD_lookup_connection_value(
			conn, MHD_HEADER_KIND, "Content-Length");
		if (cl) {
			char *end;
			errno = 0;
			unsigned long long n = strtoull(cl, &end, 10);
			if (errno || *end || n > (unsigned long long)p->limit + DRAIN_MAX)
				return too_large(ep, conn, p);
			p->over = n > p->limit;
		}
		return MHD_YES;
	}
	if (p->answered) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		p->seen += n;
		if (!p->over && n > p->limit - p->len) {
			p->over = true;
			free(p->body);
			p->body = NULL;
			p->len = p->cap = 0;
		}
		if (p->over)
			return p->seen > (unsigned long long)p->limit + DRAIN_MAX
			       ? too_large(ep, conn, p) : MHD_YES;
		if (p->len + n + 1 > p->cap) {
			size_t cap = p->cap ? p->cap : 4096;
			while (cap < p->len + n + 1)
				cap *= 2;
			char *b = realloc(p->body, cap);
			if (!b)
				return MHD_NO;
			p->body = b;
			p->cap = cap;
		}
		memcpy(p->body + p->len, upload_data, n);
		p->len += n;
		return MHD_YES;
	}

	/* The whole request is in. */
	if (p->over)
		return too_large(ep, conn, p);
	char rid[37];
	uuid_t u;
	uuid_generate_random(u);
	uuid_unparse_lower(u, rid);
	asl_http_response rs;
	memset(&rs, 0, sizeof rs);
	asl_http_request rq = { method, url, NULL, p->body ? p->body : "",
	                        p->len, rid, conn };
	if (p->body)
		p->body[p->len] = '\0';
	dispatch(ep, &rq, &rs);
	enum MHD_Result ok = send_answer(conn, rid, &rs);
	response_free(&rs);
	return ok;
}

static void on_completed(void *cls, struct MHD_Connection *conn,
                         void **state, enum MHD_RequestTerminationCode why)
{
	pending *p = *state;
	(void)cls;
	(void)conn;
	(void)why;
	if (p) {
		free(p->body);
		free(p);
		*state = NULL;
	}
}

/* "HOST:PORT", "[V6]:PORT" or ":PORT" (loopback). */
static int parse_listen(const char *s, struct sockaddr_storage *ss,
                        bool *v6, char *err, size_t errlen)
{
	char host[256];
	const char *colon, *port;
	char *end;

	memset(ss, 0, sizeof *ss);
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close || close[1] != ':' || (size_t)(close - s - 1) >= sizeof host)
			goto bad;
		memcpy(host, s + 1, (size_t)(close - s - 1));
		host[close - s - 1] = '\0';
		port = close + 2;
		*v6 = true;
	} else {
		if (!(colon = strrchr(s, ':')) || (size_t)(colon - s) >= sizeof host)
			goto bad;
		memcpy(host, s, (size_t)(colon - s));
		host[colon - s] = '\0';
		if (!host[0])
			strcpy(host, "127.0.0.1");
		if (!strcmp(host, "localhost"))
			strcpy(host, "127.0.0.1");
		port = colon + 1;
		*v6 = false;
	}
	errno = 0;
	unsigned long p = strtoul(port, &end, 10);
	if (errno || *end || !*port || p > 65535)
		goto bad;
	if (*v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)p);
		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
			goto bad;
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)p);
		if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			goto bad;
	}
	return 0;
bad:
	snprintf(err, errlen, "'%s' is not an address: HOST:PORT with a "
	         "numeric IPv4 address (or localhost), or [IPv6]:PORT", s);
	return -1;
}

asl_endpoint *asl_endpoint_start(const asl_endpoint_config *cfg, char *err,
                                 size_t errlen)
{
	struct sockaddr_storage ss;
	bool v6;
	asl_endpoint *ep;

	if (parse_listen(cfg->listen, &ss, &v6, err, errlen) < 0)
		return NULL;
	if (!(ep = calloc(1, sizeof *ep)))
		oom();
	ep->cfg = *cfg;
	ep->prefix = dup_str(cfg->prefix ? cfg->prefix : "");
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION |
	                 MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	if (v6)
		flags |= MHD_USE_IPv6;
	ep->d = asl_mhd()->MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, ep,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_CONNECTION_LIMIT,
		(unsigned)(cfg->max_connections ? cfg->max_connections : 256),
		MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned)(cfg->timeout_seconds ? cfg->timeout_seconds : 300),
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, ep,
		MHD_OPTION_END);
	if (!ep->d) {
		snprintf(err, errlen, "cannot listen on %s: %s", cfg->listen,
		         errno ? strerror(errno) : "libmicrohttpd refused");
		free(ep->prefix);
		free(ep);
		return NULL;
	}
	const union MHD_DaemonInfo *info =
		asl_mhd()->MHD_get_daemon_info(ep->d, MHD_DAEMON_INFO_BIND_PORT);
	ep->port = info ? info->port : 0;
	return ep;
}

unsigned asl_endpoint_port(const asl_endpoint *ep)
{
	return ep->port;
}

void asl_endpoint_drain(asl_endpoint *ep, unsigned max_ms)
{
	for (unsigned waited = 0; ep && waited < max_ms; waited += 10) {
		const union MHD_DaemonInfo *info = asl_mhd()->MHD_get_daemon_info(
			ep->d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (!info || !info->num_connections)
			return;
		struct timespec ts = { 0, 10000000 };
		nanosleep(&ts, NULL);
	}
}

void asl_endpoint_stop(asl_endpoint *ep)
{
	if (!ep)
		return;
	asl_mhd()->MHD_stop_daemon(ep->d);
	free(ep->prefix);
	free(ep);
}
