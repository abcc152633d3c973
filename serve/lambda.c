/*
 * lambda.c - the part of the Lambda API that the seed's README uses
 * (REST-JSON under /2015-03-31/functions): CreateFunction with a zip file,
 * GetFunction, GetFunctionConfiguration, ListFunctions,
 * UpdateFunctionCode, DeleteFunction and Invoke.
 *
 * A function's code is unpacked into DIR/functions/NAME/REVISION/task,
 * beside function.json (its configuration, for the bootstrap).  Python
 * functions run on the local python3 through lambda_bootstrap.py, which
 * calls handler(event, context) as Lambda's Python runtime does and
 * reports errors as it does.  Each invocation, from Invoke or from a
 * Task's lambda:invoke (the programs' --handler NAME=COMMAND), appends the
 * function's output to DIR/logs/NAME.log (`asl2c serve --logs NAME`).
 */
#define _GNU_SOURCE
#include "serve.h"
#include "handlers/command.h"
#include "util.h"
#include "clock.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define COL(row, name) json_string_value(json_object_get(row, name))
#define ZIP_MAX (50u << 20)          /* a zip file, as Lambda takes it */
#define RESPONSE_MAX 6291556         /* Lambda's synchronous response */

/* ------------------------------------------------------------ helpers */

static char *function_arn(const serve *sv, const char *name)
{
	return xasprintf("arn:aws:lambda:%s:%s:function:%s", sv->cfg.region,
	                 sv->cfg.account, name);
}

static void not_found(serve *sv, const lambda_path *p, asl_http_response *rs)
{
	char *arn = function_arn(sv, p->name);
	asl_http_rest_error(rs, 404, "ResourceNotFoundException", "Function not "
	                    "found: %s%s", arn, p->qualifier);
	free(arn);
}

static char *b64_encode(const unsigned char *p, size_t n)
{
	char *out = xmalloc(4 * ((n + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)out, p, (int)n);
	return out;
}

static char *sha256_b64(const unsigned char *p, size_t n)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;

	if (!EVP_Digest(p, n, md, &len, EVP_sha256(), NULL))
		abort();
	return b64_encode(md, len);
}

/* "2024-01-01T00:00:00.000+0000", Lambda's LastModified. */
static void lambda_time(long long ms, char out[64])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+0000",
	         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	         tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

static json_t *load_function(serve *sv, const char *name)
{
	return store_row(sv->db, "SELECT * FROM functions WHERE name = ?", "s",
	                 name);
}

static json_t *config_of(json_t *row)
{
	json_t *c = json_loads(COL(row, "config"), 0, NULL);
	return c ? c : json_object();
}

/* The command that runs the function whose code is in dir: its stderr
 * is the invocation's log (LogType Tail), which the bootstrap appends to
 * DIR/logs/NAME.log as well. */
static char *command(serve *sv, const char *name, const char *dir)
{
	char *log = xasprintf("%s/%s.log", sv->logs_dir, name);
	char *py = serve_shell_quote(sv->cfg.python);
	char *boot = serve_shell_quote(sv->bootstrap);
	char *d = serve_shell_quote(dir), *l = serve_shell_quote(log);
	char *cmd = xasprintf("exec %s %s %s %s", py, boot, d, l);

	free(log);
	free(py);
	free(boot);
	free(d);
	free(l);
	return cmd;
}

json_t *lambda_handler_args(serve *sv)
{
	json_t *rows = store_rows(sv->db, "SELECT name, code_dir FROM functions "
	                          "ORDER BY name", "");
	json_t *out = json_array(), *r;
	size_t i;

	json_array_foreach(rows, i, r) {
		char *cmd = command(sv, COL(r, "name"), COL(r, "code_dir"));
		json_array_append_new(out, json_pack("s++", COL(r, "name"), "=",
		                                     cmd));
		free(cmd);
	}
	json_decref(rows);
	return out;
}

/* ------------------------------------------------------------ the code */

static const char *const runtimes[] = {
	"python3.8", "python3.9", "python3.10", "python3.11", "python3.12",
	"python3.13", NULL
};

/* Unpack the zip file of in (Code.ZipFile, or ZipFile) into a new
 * revision folder with its function.json: the folder (malloc'd), or NULL
 * when answered. */
static char *store_code(serve *sv, const char *name, const char *b64,
                        json_t *conf, asl_http_response *rs)
{
	size_t n;
	unsigned char *zip;
	char err[512], rev[37];
	unsigned long long unzipped = 0;

	if (!b64) {
		asl_http_rest_error(rs, 400, "InvalidParameterValueException",
		                    "asl2c serve takes a function's code as a zip "
		                    "file (ZipFile): S3Bucket, S3Key and ImageUri "
		                    "are not supported");
		return NULL;
	}
	if (!(zip = serve_base64_decode(b64, &n, false))) {
		asl_http_rest_error(rs, 400, "InvalidParameterValueException",
		                    "Could not unzip uploaded file. Please check "
		                    "your file, then try to upload again.");
		return NULL;
	}
	if (n > ZIP_MAX) {
		free(zip);
		asl_http_rest_error(rs, 413, "RequestEntityTooLargeException",
		                    "Request must be smaller than %u bytes for the "
		                    "CreateFunction operation", ZIP_MAX);
		return NULL;
	}
	serve_uuid(rev);
	char *dir = xasprintf("%s/%s/%s", sv->functions_dir, name, rev);
	char *task = xasprintf("%s/task", dir);
	char *zpath = xasprintf("%s/code.zip", dir);
	char *cpath = xasprintf("%s/function.json", dir);
	if (serve_mkdirs(dir) < 0) {
		asl_http_rest_error(rs, 500, "ServiceException", "cannot make %s: "
		                    "%s", dir, strerror(errno));
		goto fail;
	}
	if (zip_unpack(zip, n, task, err, sizeof err, &unzipped) < 0) {
		asl_http_rest_error(rs, 400, "InvalidParameterValueException",
		                    "%s", err);
		goto fail;
	}
	char *sha = sha256_b64(zip, n);
	json_object_set_new(conf, "CodeSha256", json_string(sha));
	json_object_set_new(conf, "CodeSize", json_integer((json_int_t)n));
	free(sha);
	json_t *fj = json_pack("{s:O, s:s}", "Configuration", conf, "Task",
	                       task);
	char *text = json_dumps(fj, JSON_INDENT(2));
	json_decref(fj);
	if (serve_write_file(zpath, zip, n) < 0 ||
	    serve_write_file(cpath, text, strlen(text)) < 0) {
		asl_http_rest_error(rs, 500, "ServiceException", "cannot write %s: "
		                    "%s", dir, strerror(errno));
		free(text);
		goto fail;
	}
	free(text);
	free(zip);
	free(task);
	free(zpath);
	free(cpath);
	return dir;
fail:
	serve_remove_tree(dir);
	*strrchr(dir, '/') = '\0';
	rmdir(dir); /* the function's folder, when it has no other code */
	free(zip);
	free(dir);
	free(task);
	free(zpath);
	free(cpath);
	return NULL;
}

/* Integer field between lo and hi (dflt when absent); false when
 * answered. */
static bool int_field(json_t *in, const char *name, long lo, long hi,
                      long dflt, long *out, asl_http_response *rs)
{
	json_t *v = json_object_get(in, name);

	*out = dflt;
	if (!v || json_is_null(v))
		return true;
	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi) {
		asl_http_rest_error(rs, 400, "ValidationException", "1 validation "
		                    "error detected: Value at '%c%s' failed to "
		                    "satisfy constraint: Member must have value "
		                    "between %ld and %ld", name[0] | 0x20, name + 1,
		                    lo, hi);
		return false;
	}
	*out = (long)json_integer_value(v);
	return true;
}

static bool str_field(json_t *in, const char *name, bool required,
                      const char **out, asl_http_response *rs)
{
	json_t *v = json_object_get(in, name);

	*out = NULL;
	if (!v || json_is_null(v)) {
		if (!required)
			return true;
		asl_http_rest_error(rs, 400, "ValidationException", "1 validation "
		                    "error detected: Value null at '%c%s' failed to "
		                    "satisfy constraint: Member must not be null",
		                    name[0] | 0x20, name + 1);
		return false;
	}
	if (!json_is_string(v)) {
		asl_http_rest_error(rs, 400, "InvalidRequestContentException",
		                    "Could not parse request body into json: the "
		                    "field %s must be a string", name);
		return false;
	}
	*out = json_string_value(v);
	return true;
}

static json_t *request_body(const asl_http_request *rq, asl_http_response *rs)
{
	json_error_t e;
	json_t *in = json_loadb(rq->body, rq->body_len, 0, &e);

	if (!json_is_object(in)) {
		json_decref(in);
		asl_http_rest_error(rs, 400, "InvalidRequestContentException",
		                    "Could not parse request body into json: %s",
		                    e.text);
		return NULL;
	}
	return in;
}

/* ------------------------------------------------------------ actions */

/* CreateFunction's request, read and checked. */
typedef struct create_req {
	lambda_path p;            /* FunctionName, parsed */
	const char *runtime, *role, *handler, *desc, *pkg;
	long timeout, memory;
	json_t *env;              /* Environment.Variables, or NULL */
} create_req;

/* The request's fields into *r, FunctionName and Role checked; false when
 * answered. */
static bool read_create(json_t *in, create_req *r, asl_http_response *rs)
{
	const char *name;

	memset(r, 0, sizeof *r);
	if (!str_field(in, "FunctionName", true, &name, rs) ||
	    !str_field(in, "Role", true, &r->role, rs) ||
	    !str_field(in, "Runtime", false, &r->runtime, rs) ||
	    !str_field(in, "Handler", false, &r->handler, rs) ||
	    !str_field(in, "Description", false, &r->desc, rs) ||
	    !str_field(in, "PackageType", false, &r->pkg, rs) ||
	    !int_field(in, "Timeout", 1, 900, 3, &r->timeout, rs) ||
	    !int_field(in, "MemorySize", 128, 10240, 128, &r->memory, rs))
		return false;
	lambda_parse_name(name, strlen(name), &r->p);
	if (r->p.bad_name || r->p.qualifier[0]) {
		asl_http_rest_error(rs, 400, "ValidationException", "1 validation "
		                    "error detected: Value '%s' at 'functionName' "
		                    "failed to satisfy constraint: Member must "
		                    "satisfy regular expression pattern: "
		                    "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-"
		                    "[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-"
		                    "9-_]+)", name);
		return false;
	}
	if (strncmp(r->role, "arn:", 4) || !strstr(r->role, ":iam::") ||
	    !strstr(r->role, ":role/")) {
		asl_http_rest_error(rs, 400, "ValidationException", "1 validation "
		                    "error detected: Value '%s' at 'role' failed to "
		                    "satisfy constraint: Member must satisfy regular "
		                    "expression pattern: arn:(aws[a-zA-Z-]*)?:iam::"
		                    "\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+", r->role);
		return false;
	}
	return true;
}

/* Whether asl2c serve runs the function: a zip of Python code with a
 * handler, its environment variables strings (r->env set); false when
 * answered. */
static bool check_runnable(json_t *in, create_req *r, asl_http_response *rs)
{
	if (r->pkg && strcmp(r->pkg, "Zip")) {
		asl_http_rest_error(rs, 400, "InvalidParameterValueException",
		                    "asl2c serve runs zip functions only "
		                    "(PackageType %s is not supported)", r->pkg);
		return false;
	}
	size_t k = 0;
	while (r->runtime && runtimes[k] && strcmp(runtimes[k], r->runtime))
		k++;
	if (!r->runtime || !runtimes[k]) {
		asl_http_rest_error(rs, 400, "InvalidParameterValueException",
		                    "asl2c serve runs Python functions only, on the "
		                    "local python3 (Runtime python3.8 to "
		                    "python3.13): the runtime %s is not supported",
		                    r->runtime ? r->runtime : "(none)");
		return false;
	}
	if (!r->handler || !*r->handler || strlen(r->handler) > 128) {
		asl_http_rest_error(rs, 400, "InvalidParameterValueException",
		                    "The Handler is required: MODULE.FUNCTION, up "
		                    "to 128 characters");
		return false;
	}
	json_t *v;
	const char *key;
	r->env = json_object_get(json_object_get(in, "Environment"),
	                         "Variables");
	if (r->env && !json_is_object(r->env)) {
		asl_http_rest_error(rs, 400, "InvalidParameterValueException",
		                    "Environment.Variables must be a map of strings");
		return false;
	}
	json_object_foreach(r->env, key, v)
		if (!json_is_string(v)) {
			asl_http_rest_error(rs, 400, "InvalidParameterValueException",
			                    "The value of the environment variable %s "
			                    "is not a string", key);
			return false;
		}
	return true;
}

/* The new function's configuration, as GetFunctionConfiguration gives
 * it. */
static json_t *new_configuration(const create_req *r, const char *arn,
                                 long long now)
{
	char when[64], rev[37];

	lambda_time(now, when);
	serve_uuid(rev);
	char *group = xasprintf("/aws/lambda/%s", r->p.name);
	json_t *conf = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:s, "
	                 "s:s, s:{s:s}, s:s, s:s, s:s, s:s, s:[s], s:{s:i}, "
	                 "s:{s:s, s:s}, s:{s:s, s:s}}",
	                 "FunctionName", r->p.name, "FunctionArn", arn,
	                 "Runtime", r->runtime, "Role", r->role,
	                 "Handler", r->handler,
	                 "Description", r->desc ? r->desc : "",
	                 "Timeout", (json_int_t)r->timeout,
	                 "MemorySize", (json_int_t)r->memory,
	                 "LastModified", when, "Version", "$LATEST",
	                 "TracingConfig", "Mode", "PassThrough",
	                 "RevisionId", rev, "State", "Active",
	                 "LastUpdateStatus", "Successful", "PackageType", "Zip",
	                 "Architectures", "x86_64",
	                 "EphemeralStorage", "Size", 512,
	                 "SnapStart", "ApplyOn", "None", "OptimizationStatus",
	                 "Off",
	                 "LoggingConfig", "LogFormat", "Text", "LogGroup", group);
	free(group);
	if (r->env)
		json_object_set_new(conf, "Environment", json_pack("{s:O}",
		                    "Variables", r->env));
	return conf;
}

static void create_function(serve *sv, const asl_http_request *rq,
                            asl_http_response *rs)
{
	json_t *in = request_body(rq, rs), *conf = NULL;
	char *arn = NULL, *dir = NULL;
	create_req r;

	if (!in)
		return;
	if (!read_create(in, &r, rs) || !check_runnable(in, &r, rs))
		goto out;
	if ((json_t *)(conf = load_function(sv, r.p.name))) {
		json_decref(conf);
		conf = NULL;
		asl_http_rest_error(rs, 409, "ResourceConflictException", "Function "
		                    "already exist: %s", r.p.name);
		goto out;
	}
	arn = function_arn(sv, r.p.name);
	long long now = serve_now_ms();
	conf = new_configuration(&r, arn, now);
	const char *zip = json_string_value(json_object_get(
		json_object_get(in, "Code"), "ZipFile"));
	if (!(dir = store_code(sv, r.p.name, zip, conf, rs)))
		goto out;
	if (store_exec(sv->db, "INSERT INTO functions VALUES (?, ?, ?, ?, ?)",
	               "ssjsi", r.p.name, arn, conf, dir, now) < 0) {
		serve_remove_tree(dir);
		asl_http_rest_error(rs, 409, "ResourceConflictException", "Function "
		                    "already exist: %s", r.p.name);
		goto out;
	}
	asl_http_rest(rs, 201, json_incref(conf));
out:
	json_decref(conf);
	json_decref(in);
	free(arn);
	free(dir);
}

static json_t *find(serve *sv, const lambda_path *p, asl_http_response *rs)
{
	json_t *f;

	if (p->qualifier[0] && strcmp(p->qualifier, ":$LATEST")) {
		not_found(sv, p, rs); /* no versions or aliases */
		return NULL;
	}
	if (!(f = load_function(sv, p->name)))
		not_found(sv, p, rs);
	return f;
}

static void get_function(serve *sv, const lambda_path *p, bool config_only,
                         asl_http_response *rs)
{
	json_t *f = find(sv, p, rs);

	if (!f)
		return;
	json_t *conf = config_of(f);
	if (config_only) {
		asl_http_rest(rs, 200, conf);
	} else {
		char *loc = xasprintf("file://%s/code.zip", COL(f, "code_dir"));
		asl_http_rest(rs, 200, json_pack("{s:o, s:{s:s, s:s}}",
		              "Configuration", conf, "Code", "RepositoryType", "S3",
		              "Location", loc));
		free(loc);
	}
	json_decref(f);
}

static void list_functions(serve *sv, const asl_http_request *rq,
                           asl_http_response *rs)
{
	const char *marker = asl_http_query(rq, "Marker");
	const char *items = asl_http_query(rq, "MaxItems");
	long max = 50;
	char *end;

	if (items) {
		errno = 0;
		max = strtol(items, &end, 10);
		if (errno || *end || max < 1 || max > 10000) {
			asl_http_rest_error(rs, 400, "InvalidParameterValueException",
			                    "MaxItems must be between 1 and 10000");
			return;
		}
	}
	json_t *rows = store_rows(sv->db, "SELECT * FROM functions WHERE name > "
	                          "? ORDER BY name LIMIT ?", "si",
	                          marker ? marker : "", (long long)max + 1);
	json_t *list = json_array(), *r;
	size_t i;
	json_array_foreach(rows, i, r) {
		if ((long)i == max)
			break;
		json_array_append_new(list, config_of(r));
	}
	json_t *out = json_pack("{s:o}", "Functions", list);
	if ((long)json_array_size(rows) > max)
		json_object_set_new(out, "NextMarker", json_string(COL(
		                    json_array_get(rows, (size_t)max - 1), "name")));
	json_decref(rows);
	asl_http_rest(rs, 200, out);
}

static void update_code(serve *sv, const lambda_path *p,
                        const asl_http_request *rq, asl_http_response *rs)
{
	json_t *in = request_body(rq, rs);
	const char *zip;

	if (!in)
		return;
	json_t *f = str_field(in, "ZipFile", false, &zip, rs) ? find(sv, p, rs)
	                                                      : NULL;
	if (!f) {
		json_decref(in);
		return;
	}
	json_t *conf = config_of(f);
	char when[64], rev[37];
	long long now = serve_now_ms();
	lambda_time(now, when);
	serve_uuid(rev);
	json_object_set_new(conf, "LastModified", json_string(when));
	json_object_set_new(conf, "RevisionId", json_string(rev));
	json_object_set_new(conf, "LastUpdateStatus", json_string("Successful"));
	char *dir = store_code(sv, p->name, zip, conf, rs);
	if (dir) {
		/* Executions started before keep the code they had; its folder
		 * goes when the service next starts. */
		store_exec(sv->db, "UPDATE functions SET config = ?, code_dir = ? "
		           "WHERE name = ?", "jss", conf, dir, p->name);
		asl_http_rest(rs, 200, json_incref(conf));
		free(dir);
	}
	json_decref(conf);
	json_decref(f);
	json_decref(in);
}

static void delete_function(serve *sv, const lambda_path *p,
                            asl_http_response *rs)
{
	json_t *f = find(sv, p, rs);

	if (!f)
		return;
	store_exec(sv->db, "DELETE FROM functions WHERE name = ?", "s", p->name);
	/* Its log stays, as CloudWatch keeps a deleted function's logs; its
	 * code goes when the service next starts (executions may run it). */
	json_decref(f);
	asl_http_rest(rs, 204, NULL);
}

/* ------------------------------------------------------------ Invoke */

typedef struct invoke_run {
	long long deadline;  /* monotonic ms */
	char tail[4096];     /* the last 4 KB of its stderr, its log */
	size_t n;
} invoke_run;

static const char *invoke_must_stop(void *arg)
{
	invoke_run *r = arg;
	return monotonic_ms() >= r->deadline ? "timeout" : NULL;
}

/* The invocation's log, kept for LogType Tail (its last 4 KB). */
static void invoke_log(void *arg, const char *chunk, size_t n)
{
	invoke_run *r = arg;
	size_t cap = sizeof r->tail;

	if (n >= cap) {
		memcpy(r->tail, chunk + n - cap, cap);
		r->n = cap;
		return;
	}
	if (r->n + n > cap) {
		size_t drop = r->n + n - cap;
		memmove(r->tail, r->tail + drop, r->n - drop);
		r->n -= drop;
	}
	memcpy(r->tail + r->n, chunk, n);
	r->n += n;
}

typedef struct invocation {
	serve *sv;
	char *cmd, *payload, *request_id;
	long timeout_s;
	/* the answer */
	char *out;
	size_t out_len;
	bool function_error;
	char *log;            /* the last 4 KB of its log */
	size_t log_len;
} invocation;

/* Run the function: its answer, and whether it is an error (Unhandled). */
static void invoke_run_function(invocation *v)
{
	/* Our environment and ASL2C_REQUEST_ID, the context's
	 * aws_request_id (as the programs give their commands). */
	char *rid = xasprintf("ASL2C_REQUEST_ID=%s", v->request_id);
	size_t n = 0, k = 0;
	while (environ[n])
		n++;
	char **env = xcalloc(n + 2, sizeof *env);
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "ASL2C_REQUEST_ID=", 17))
			env[k++] = environ[i];
	env[k] = rid;
	/* The bootstrap stops the function at its Timeout; this is the
	 * backstop, for a function that blocks its signals. */
	invoke_run *r = xcalloc(1, sizeof *r);
	r->deadline = monotonic_ms() + v->timeout_s * 1000 + 2000;
	asl_command c = { v->cmd, v->payload, strlen(v->payload), env,
	                  RESPONSE_MAX, invoke_must_stop, invoke_log, r, 500,
	                  NULL, 0, 0, false, NULL, 0 };
	json_t *e = NULL;

	int ran = asl_command_run(&c);
	v->log = xmalloc(r->n + 1);
	memcpy(v->log, r->tail, r->n);
	v->log_len = r->n;
	free(r);
	if (ran == 0 && WIFEXITED(c.status) && WEXITSTATUS(c.status) == 0) {
		json_t *o = json_loadb(c.output, c.output_len, JSON_DECODE_ANY, NULL);
		if (o && !(json_is_object(o) &&
		           json_is_string(json_object_get(o, "errorType")) &&
		           json_object_get(o, "errorMessage"))) {
			v->out = c.output;
			v->out_len = c.output_len;
			json_decref(o);
			free(rid);
			free(env);
			return;
		}
		e = o; /* an error object */
	}
	v->function_error = true;
	if (e) {
		/* as the bootstrap printed it */
	} else if (c.too_big) {
		e = json_pack("{s:s, s:s}", "errorMessage", "Response payload size "
		              "exceeded maximum allowed payload size (6291556 "
		              "bytes).", "errorType", "Function.ResponseSizeTooLarge");
	} else if (c.spawn_error) {
		e = json_pack("{s:s, s:s}", "errorMessage", strerror(c.spawn_error),
		              "errorType", "Runtime.ExitError");
	} else if (c.stopped) {
		char msg[128];
		snprintf(msg, sizeof msg, "RequestId: %s Error: Task timed out "
		         "after %ld.00 seconds", v->request_id, v->timeout_s);
		e = json_pack("{s:s, s:s}", "errorMessage", msg, "errorType",
		              "Sandbox.Timedout");
	} else {
		char msg[160];
		if (WIFEXITED(c.status))
			snprintf(msg, sizeof msg, "RequestId: %s Error: Runtime exited "
			         "with error: exit status %d", v->request_id,
			         WEXITSTATUS(c.status));
		else
			snprintf(msg, sizeof msg, "RequestId: %s Error: Runtime exited "
			         "with error: signal: %s", v->request_id,
			         strsignal(WTERMSIG(c.status)));
		e = json_pack("{s:s, s:s}", "errorMessage", msg, "errorType",
		              "Runtime.ExitError");
	}
	free(c.output);
	v->out = json_dumps(e, JSON_COMPACT);
	v->out_len = strlen(v->out);
	json_decref(e);
	free(rid);
	free(env);
}

static void invocation_free(invocation *v)
{
	free(v->cmd);
	free(v->payload);
	free(v->request_id);
	free(v->out);
	free(v->log);
	free(v);
}

static void *invoke_async(void *arg)
{
	invocation *v = arg;
	serve *sv = v->sv;

	invoke_run_function(v);
	invocation_free(v);
	pthread_mutex_lock(&sv->lock);
	sv->async_running--;
	pthread_cond_broadcast(&sv->async_done);
	pthread_mutex_unlock(&sv->lock);
	return NULL;
}

void lambda_wait_async(serve *sv)
{
	pthread_mutex_lock(&sv->lock);
	while (sv->async_running)
		pthread_cond_wait(&sv->async_done, &sv->lock);
	pthread_mutex_unlock(&sv->lock);
}

/* An Event invocation: v runs on a thread of its own, which frees it;
 * 202, or 429 when no thread starts. */
static void invoke_event(serve *sv, invocation *v, asl_http_response *rs)
{
	pthread_t t;
	pthread_attr_t at;

	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	pthread_mutex_lock(&sv->lock);
	sv->async_running++;
	pthread_mutex_unlock(&sv->lock);
	if (pthread_create(&t, &at, invoke_async, v)) {
		pthread_mutex_lock(&sv->lock);
		sv->async_running--;
		pthread_mutex_unlock(&sv->lock);
		invocation_free(v);
		asl_http_rest_error(rs, 429, "TooManyRequestsException",
		                    "Rate Exceeded.");
	} else {
		asl_http_rest(rs, 202, NULL);
	}
	pthread_attr_destroy(&at);
}

/* A RequestResponse invocation's answer: the function's output, whether
 * it is an error, and with LogType Tail its log. */
static void answer_invocation(const invocation *v, const asl_http_request *rq,
                              const char *logtype, asl_http_response *rs)
{
	asl_http_raw(rs, 200, "application/json", v->out, v->out_len);
	asl_http_add_header(rs, "X-Amz-Executed-Version", "$LATEST");
	if (v->function_error)
		asl_http_add_header(rs, "X-Amz-Function-Error", "Unhandled");
	if (!logtype || strcmp(logtype, "Tail"))
		return;
	/* The last 4 KB of the invocation's log as Lambda writes it: START,
	 * the function's lines, END, REPORT. */
	char *log = xasprintf("START RequestId: %s Version: $LATEST\n%.*s"
	                      "END RequestId: %s\nREPORT RequestId: %s\t\n",
	                      rq->request_id, (int)v->log_len, v->log,
	                      rq->request_id, rq->request_id);
	size_t n = strlen(log), off = n > 4096 ? n - 4096 : 0;
	char *tail = b64_encode((unsigned char *)log + off, n - off);
	asl_http_add_header(rs, "X-Amz-Log-Result", tail);
	free(tail);
	free(log);
}

static void invoke(serve *sv, const lambda_path *p, const asl_http_request *rq,
                   asl_http_response *rs)
{
	const char *type = asl_http_header(rq, "X-Amz-Invocation-Type");
	const char *logtype = asl_http_header(rq, "X-Amz-Log-Type");
	const char *q = asl_http_query(rq, "Qualifier");
	lambda_path pq = *p;

	if (q && !pq.qualifier[0])
		snprintf(pq.qualifier, sizeof pq.qualifier, ":%s", q);
	if (!type)
		type = "RequestResponse";
	if (strcmp(type, "RequestResponse") && strcmp(type, "Event") &&
	    strcmp(type, "DryRun")) {
		asl_http_rest_error(rs, 400, "InvalidParameterValueException",
		                    "Unsupported invocation type %s", type);
		return;
	}
	json_t *f = find(sv, &pq, rs);
	if (!f)
		return;
	json_t *conf = config_of(f);
	long timeout = (long)json_integer_value(json_object_get(conf, "Timeout"));
	json_decref(conf);
	/* The payload must be JSON; none is {}. */
	const char *body = rq->body_len ? rq->body : "{}";
	json_t *payload = json_loads(body, JSON_DECODE_ANY, NULL);
	if (!payload) {
		asl_http_rest_error(rs, 400, "InvalidRequestContentException",
		                    "Could not parse request body into json: the "
		                    "payload is not JSON");
		json_decref(f);
		return;
	}
	json_decref(payload);
	if (rq->body_len > 6291456) {
		asl_http_rest_error(rs, 413, "RequestTooLargeException", "Request "
		                    "must be smaller than 6291456 bytes for the "
		                    "InvokeFunction operation");
		json_decref(f);
		return;
	}
	if (!strcmp(type, "DryRun")) {
		json_decref(f);
		asl_http_rest(rs, 204, NULL);
		return;
	}
	invocation *v = xcalloc(1, sizeof *v);
	v->sv = sv;
	v->cmd = command(sv, p->name, COL(f, "code_dir"));
	v->payload = xstrdup(body);
	v->request_id = xstrdup(rq->request_id);
	v->timeout_s = timeout > 0 ? timeout : 3;
	json_decref(f);
	if (!strcmp(type, "Event")) {
		invoke_event(sv, v, rs);
		return;
	}
	invoke_run_function(v);
	answer_invocation(v, rq, logtype, rs);
	invocation_free(v);
}

/* ------------------------------------------------------------ routing */

void serve_lambda_route(serve *sv, const asl_http_request *rq,
                        asl_http_response *rs)
{
	lambda_path p;

	lambda_parse_path(rq->method, rq->path, &p);
	if (p.op == LAMBDA_NONE) {
		asl_http_rest_error(rs, 400, ASL_HTTP_UNKNOWN_OPERATION, "Unknown "
		                    "operation: %s %s is not part of the Lambda API "
		                    "that asl2c serve offers", rq->method, rq->path);
		return;
	}
	if (p.bad_name) {
		asl_http_rest_error(rs, 400, "ValidationException", "1 validation "
		                    "error detected: Value at 'functionName' failed "
		                    "to satisfy constraint: Member must satisfy "
		                    "regular expression pattern: "
		                    "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-"
		                    "[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-"
		                    "9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?");
		return;
	}
	switch (p.op) {
	case LAMBDA_CREATE: create_function(sv, rq, rs); break;
	case LAMBDA_LIST: list_functions(sv, rq, rs); break;
	case LAMBDA_GET: get_function(sv, &p, false, rs); break;
	case LAMBDA_GET_CONFIG: get_function(sv, &p, true, rs); break;
	case LAMBDA_DELETE: delete_function(sv, &p, rs); break;
	case LAMBDA_UPDATE_CODE: update_code(sv, &p, rq, rs); break;
	case LAMBDA_INVOKE: invoke(sv, &p, rq, rs); break;
	case LAMBDA_NONE: break;
	}
}

int lambda_print_log(const char *state_dir, const char *name)
{
	char *path = xasprintf("%s/logs/%s.log", state_dir, name);
	FILE *f;
	char buf[65536];
	size_t n;

	if (!lambda_name_ok(name, strlen(name))) {
		fprintf(stderr, "asl2c serve: --logs: '%s' is not a function name\n",
		        name);
		free(path);
		return 2;
	}
	if (!(f = fopen(path, "rb"))) {
		fprintf(stderr, "asl2c serve: --logs: no log for the function %s "
		        "(%s: %s)\n", name, path, strerror(errno));
		free(path);
		return 1;
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		if (fwrite(buf, 1, n, stdout) != n)
			break;
	fclose(f);
	free(path);
	return ferror(stdout) || fflush(stdout) ? 2 : 0;
}
