/*
 * sfn.c - the Step Functions actions of asl2c serve (doc/serve.md lists
 * each, its limits and how it differs from AWS).  Requests and answers
 * have the shapes of AWS's API (botocore's service model); errors are
 * AWS's: InvalidArn, InvalidName, InvalidDefinition, StateMachineDoesNotExist,
 * ExecutionDoesNotExist, ExecutionAlreadyExists, ValidationException...
 */
#define _GNU_SOURCE
#include "serve.h"
#include "util.h"
#include "rfc3339.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAYLOAD_MAX 262144     /* execution input, task output */
#define DEFINITION_MAX 1048576

/* ------------------------------------------------------------- helpers */

#define FIELD(var, in, name, req)                                         \
	const char *var = serve_field_str(in, name, req, rs, &bad);           \
	if (bad)                                                              \
		return

char *sfn_arn(const serve *sv, const char *kind, const char *name)
{
	return xasprintf("arn:aws:states:%s:%s:%s:%s", sv->cfg.region,
	                 sv->cfg.account, kind, name);
}

/* Whether arn is arn:PARTITION:states:REGION:ACCOUNT:KIND:..., KIND one of
 * kinds ("stateMachine", "execution|express"); InvalidArn otherwise. */
static bool arn_ok(const char *arn, const char *kinds, asl_http_response *rs)
{
	const char *p = arn;
	int colons = 0;
	char kind[32];

	if (strncmp(arn, "arn:", 4))
		goto bad;
	for (; *p && colons < 5; p++)
		if (*p == ':')
			colons++;
	if (colons < 5 || strncmp(arn + strcspn(arn + 4, ":") + 5, "states:", 7))
		goto bad;
	size_t n = strcspn(p, ":");
	if (!p[n] || !p[n + 1] || n >= sizeof kind)
		goto bad;
	memcpy(kind, p, n);
	kind[n] = '\0';
	for (const char *k = kinds; *k;) {
		size_t m = strcspn(k, "|");
		if (m == n && !strncmp(k, kind, n))
			return true;
		k += m + (k[m] == '|');
	}
	asl_http_error(rs, 400, "InvalidArn", "Invalid Arn: 'Resource type not "
	               "valid in this context: %s'", kind);
	return false;
bad:
	asl_http_error(rs, 400, "InvalidArn", "Invalid Arn: '%s'", arn);
	return false;
}

/* An event as the wire carries it: the timestamp in epoch seconds. */
static json_t *wire_event(const char *text, bool data)
{
	json_t *e = json_loads(text, 0, NULL), *v;
	long long ms;
	const char *k;

	if (!e)
		return json_object();
	if (rfc3339_parse_ms(json_string_value(json_object_get(e, "timestamp")),
	                     &ms) == 0)
		json_object_set_new(e, "timestamp", serve_time(ms));
	if (!data)
		json_object_foreach(e, k, v)
			if (json_is_object(v)) {
				json_object_del(v, "input");
				json_object_del(v, "output");
			}
	return e;
}

/* maxResults (0: the default), nextToken ("asl2c:N"); false when
 * answered. */
static bool paging(json_t *in, long long dflt, long long *max, long long *from,
                   asl_http_response *rs)
{
	json_t *m = json_object_get(in, "maxResults");
	json_t *t = json_object_get(in, "nextToken");

	*max = dflt;
	*from = -1;
	if (m && !json_is_null(m)) {
		if (!json_is_integer(m) || json_integer_value(m) < 0 ||
		    json_integer_value(m) > 1000) {
			asl_http_error(rs, 400, "ValidationException", "1 validation "
			               "error detected: Value at 'maxResults' failed to "
			               "satisfy constraint: Member must have value less "
			               "than or equal to 1000");
			return false;
		}
		if (json_integer_value(m))
			*max = json_integer_value(m);
	}
	if (t && !json_is_null(t)) {
		const char *s = json_string_value(t);
		char *end;
		if (!s || strncmp(s, "asl2c:", 6) || !s[6] ||
		    (*from = strtoll(s + 6, &end, 10)) < 0 || *end) {
			asl_http_error(rs, 400, "InvalidToken", "Invalid Token: '%s'",
			               s ? s : "(not a string)");
			return false;
		}
	}
	return true;
}

static json_t *token(long long n)
{
	char b[40];
	snprintf(b, sizeof b, "asl2c:%lld", n);
	return json_string(b);
}

static bool check_json(const char *text, const char *what, const char *type,
                       const char *label, asl_http_response *rs)
{
	json_error_t e;
	json_t *v;

	if (strlen(text) > PAYLOAD_MAX) {
		asl_http_error(rs, 400, "ValidationException", "1 validation error "
		               "detected: Value at '%s' failed to satisfy "
		               "constraint: Member must have length less than or "
		               "equal to %d", what, PAYLOAD_MAX);
		return false;
	}
	if (!(v = json_loads(text, JSON_DECODE_ANY, &e))) {
		asl_http_error(rs, 400, type, "%s: '%s at line %d, column %d'",
		               label, e.text, e.line, e.column);
		return false;
	}
	json_decref(v);
	return true;
}

static json_t *machine(serve *sv, const char *arn)
{
	return store_row(sv->db, "SELECT * FROM state_machines WHERE arn = ?",
	                 "s", arn);
}

static json_t *execution(serve *sv, const char *arn)
{
	return store_row(sv->db, "SELECT * FROM executions WHERE arn = ?", "s",
	                 arn);
}

#define COL(row, name) json_string_value(json_object_get(row, name))
#define ICOL(row, name) json_integer_value(json_object_get(row, name))

/* InvalidDefinition's message: the errors, as AWS lists them. */
void sfn_invalid_definition(json_t *diags, asl_http_response *rs)
{
	strbuf b = SB_INIT;
	json_t *d;
	size_t i;

	json_array_foreach(json_object_get(diags, "diagnostics"), i, d) {
		if (strcmp(COL(d, "severity"), "ERROR"))
			continue;
		sb_printf(&b, "%s%s: %s", b.len ? ", " : "", COL(d, "code"),
		          COL(d, "message"));
		if (COL(d, "location"))
			sb_printf(&b, " at %s", COL(d, "location"));
	}
	sb_putc(&b, '\0');
	asl_http_error(rs, 400, "InvalidDefinition", "Invalid State Machine "
	               "Definition: '%s'", b.s);
	sb_free(&b);
}

static bool check_definition_size(const char *def, asl_http_response *rs)
{
	if (strlen(def) > DEFINITION_MAX || !*def) {
		asl_http_error(rs, 400, "ValidationException", "1 validation error "
		               "detected: Value at 'definition' failed to satisfy "
		               "constraint: Member must have length between 1 and "
		               "%d", DEFINITION_MAX);
		return false;
	}
	return true;
}

static bool check_role(const char *role, asl_http_response *rs)
{
	if (strncmp(role, "arn:", 4) || !strstr(role, ":iam::") ||
	    !strstr(role, ":role/")) {
		asl_http_error(rs, 400, "InvalidArn", "Invalid Arn: 'Resource type "
		               "not valid in this context: %s'", role);
		return false;
	}
	return true;
}

/* Compile and build: the program's path, or NULL when answered. */
static char *compile_and_build(serve *sv, const char *def, const char *name,
                               bool express, asl_http_response *rs)
{
	json_t *diags;
	char err[2048];
	char *c = build_compile(def, name, express, &diags);
	char *prog;

	if (!c) {
		sfn_invalid_definition(diags, rs);
		json_decref(diags);
		return NULL;
	}
	json_decref(diags);
	if (!(prog = build_program(sv->build, c, err, sizeof err)))
		asl_http_error(rs, 500, ASL_HTTP_INTERNAL, "The state machine could "
		               "not be built: %s", err);
	free(c);
	return prog;
}

static json_t *logging(const char *stored)
{
	json_t *v = stored ? json_loads(stored, 0, NULL) : NULL;
	return v ? v : json_pack("{s:s, s:b}", "level", "OFF",
	                         "includeExecutionData", 0);
}

static json_t *tracing(const char *stored)
{
	json_t *v = stored ? json_loads(stored, 0, NULL) : NULL;
	return v ? v : json_pack("{s:b}", "enabled", 0);
}

static bool no_versions(json_t *in, asl_http_response *rs)
{
	if (json_is_true(json_object_get(in, "publish"))) {
		asl_http_error(rs, 400, "ValidationException", "asl2c serve keeps "
		               "no state machine versions: publish is not "
		               "supported");
		return false;
	}
	return true;
}

/* ------------------------------------------------------- state machines */

static void create_state_machine(void *user, const asl_http_request *rq,
                                 json_t *in, asl_http_response *rs)
{
	serve *sv = user;
	bool bad = false;
	FIELD(name, in, "name", true);
	FIELD(def, in, "definition", true);
	FIELD(role, in, "roleArn", true);
	FIELD(type, in, "type", false);
	(void)rq;

	if (!type)
		type = "STANDARD";
	if (strcmp(type, "STANDARD") && strcmp(type, "EXPRESS")) {
		asl_http_error(rs, 400, "ValidationException", "1 validation error "
		               "detected: Value '%s' at 'type' failed to satisfy "
		               "constraint: Member must satisfy enum value set: "
		               "[STANDARD, EXPRESS]", type);
		return;
	}
	if (!serve_valid_name(name, 80)) {
		asl_http_error(rs, 400, "InvalidName", "Invalid Name: '%s'", name);
		return;
	}
	if (!check_definition_size(def, rs) || !check_role(role, rs) ||
	    !no_versions(in, rs))
		return;
	char *arn = sfn_arn(sv, "stateMachine", name);
	json_t *old = machine(sv, arn);
	if (old) {
		/* Idempotent when the definition and type are the same. */
		if (!strcmp(COL(old, "definition"), def) &&
		    !strcmp(COL(old, "type"), type) &&
		    !strcmp(COL(old, "status"), "ACTIVE"))
			asl_http_json(rs, 200, json_pack("{s:s, s:o}",
			              "stateMachineArn", arn, "creationDate",
			              serve_time(ICOL(old, "created_ms"))));
		else
			asl_http_error(rs, 400, "StateMachineAlreadyExists", "State "
			               "Machine Already Exists: '%s'", arn);
		json_decref(old);
		free(arn);
		return;
	}
	char *prog = compile_and_build(sv, def, name, !strcmp(type, "EXPRESS"),
	                               rs);
	if (prog) {
		long long now = serve_now_ms();
		char rev[37];
		serve_uuid(rev);
		json_t *lg = json_object_get(in, "loggingConfiguration");
		json_t *tr = json_object_get(in, "tracingConfiguration");
		if (store_exec(sv->db, "INSERT INTO state_machines (arn, name, type, "
		               "definition, role_arn, program, status, created_ms, "
		               "revision_id, logging, tracing) VALUES (?, ?, ?, ?, "
		               "?, ?, 'ACTIVE', ?, ?, ?, ?)", "ssssssisjj", arn,
		               name, type, def, role, prog, now, rev,
		               json_is_object(lg) ? lg : NULL,
		               json_is_object(tr) ? tr : NULL) < 0)
			/* Created meanwhile by another request. */
			asl_http_error(rs, 400, "StateMachineAlreadyExists", "State "
			               "Machine Already Exists: '%s'", arn);
		else
			asl_http_json(rs, 200, json_pack("{s:s, s:o}",
			              "stateMachineArn", arn, "creationDate",
			              serve_time(now)));
		free(prog);
	}
	free(arn);
}

static json_t *describe_machine(json_t *m)
{
	json_t *d = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, "
	                      "s:s}",
	                      "stateMachineArn", COL(m, "arn"),
	                      "name", COL(m, "name"), "status", COL(m, "status"),
	                      "definition", COL(m, "definition"),
	                      "roleArn", COL(m, "role_arn"),
	                      "type", COL(m, "type"),
	                      "creationDate", serve_time(ICOL(m, "created_ms")),
	                      "loggingConfiguration", logging(COL(m, "logging")),
	                      "tracingConfiguration", tracing(COL(m, "tracing")),
	                      "revisionId", COL(m, "revision_id"));
	return d;
}

/* What a request names by its ARN: the field, the kinds of ARN, the row
 * and the error when there is none. */
typedef struct resource {
	const char *field, *kinds, *sql, *missing, *label;
} resource;

static const resource MACHINE = {
	"stateMachineArn", "stateMachine",
	"SELECT * FROM state_machines WHERE arn = ?",
	"StateMachineDoesNotExist", "State Machine Does Not Exist"
};
static const resource EXECUTION = {
	"executionArn", "execution|express",
	"SELECT * FROM executions WHERE arn = ?",
	"ExecutionDoesNotExist", "Execution Does Not Exist"
};
static const resource ACTIVITY = {
	"activityArn", "activity", "SELECT * FROM activities WHERE arn = ?",
	"ActivityDoesNotExist", "Activity Does Not Exist"
};

/* The row that in names, or NULL when answered. */
static json_t *find(serve *sv, json_t *in, const resource *r,
                    asl_http_response *rs)
{
	bool bad = false;
	const char *arn = serve_field_str(in, r->field, true, rs, &bad);
	json_t *row;

	if (bad || !arn_ok(arn, r->kinds, rs))
		return NULL;
	if (!(row = store_row(sv->db, r->sql, "s", arn)))
		asl_http_error(rs, 400, r->missing, "%s: '%s'", r->label, arn);
	return row;
}

/* A page of rows (at most max, one more fetched to know): the answer
 * {list: [item(row)...], nextToken}, the token the key of the last. */
static json_t *page(json_t *rows, long long max, const char *list,
                    json_t *(*item)(json_t *row), const char *key)
{
	json_t *items = json_array(), *r;
	size_t i;

	json_array_foreach(rows, i, r) {
		if ((long long)i == max)
			break;
		json_array_append_new(items, item(r));
	}
	json_t *out = json_pack("{s:o}", list, items);
	if ((long long)json_array_size(rows) > max)
		json_object_set_new(out, "nextToken", token(ICOL(json_array_get(
		                    rows, (size_t)max - 1), key)));
	json_decref(rows);
	return out;
}

static void describe_state_machine(void *user, const asl_http_request *rq,
                                   json_t *in, asl_http_response *rs)
{
	json_t *m = find(user, in, &MACHINE, rs);
	(void)rq;
	if (m) {
		asl_http_json(rs, 200, describe_machine(m));
		json_decref(m);
	}
}

static void update_state_machine(void *user, const asl_http_request *rq,
                                 json_t *in, asl_http_response *rs)
{
	serve *sv = user;
	bool bad = false;
	FIELD(def, in, "definition", false);
	FIELD(role, in, "roleArn", false);
	json_t *lg = json_object_get(in, "loggingConfiguration");
	json_t *tr = json_object_get(in, "tracingConfiguration");
	(void)rq;

	json_t *m = find(sv, in, &MACHINE, rs);
	if (!m)
		return;
	if (!def && !role && !json_is_object(lg) && !json_is_object(tr)) {
		asl_http_error(rs, 400, "MissingRequiredParameter", "Either the "
		               "definition, the role ARN, the LoggingConfiguration, "
		               "or the TracingConfiguration must be specified");
		goto out;
	}
	if ((def && !check_definition_size(def, rs)) ||
	    (role && !check_role(role, rs)) || !no_versions(in, rs))
		goto out;
	char *prog = NULL;
	if (def && !(prog = compile_and_build(sv, def, COL(m, "name"),
	                                      !strcmp(COL(m, "type"), "EXPRESS"),
	                                      rs)))
		goto out;
	long long now = serve_now_ms();
	char rev[37];
	serve_uuid(rev);
	/* Running executions keep the program they started with. */
	store_exec(sv->db, "UPDATE state_machines SET definition = "
	           "coalesce(?, definition), program = coalesce(?, program), "
	           "role_arn = coalesce(?, role_arn), logging = coalesce(?, "
	           "logging), tracing = coalesce(?, tracing), updated_ms = ?, "
	           "revision_id = ? WHERE arn = ?", "sssjjiss", def, prog, role,
	           json_is_object(lg) ? lg : NULL, json_is_object(tr) ? tr : NULL,
	           now, rev, COL(m, "arn"));
	free(prog);
	asl_http_json(rs, 200, json_pack("{s:o, s:s}", "updateDate",
	                                 serve_time(now), "revisionId", rev));
out:
	json_decref(m);
}

static void delete_state_machine(void *user, const asl_http_request *rq,
                                 json_t *in, asl_http_response *rs)
{
	serve *sv = user;
	bool bad = false;
	FIELD(arn, in, "stateMachineArn", true);
	(void)rq;

	if (!arn_ok(arn, "stateMachine", rs))
		return;
	/* Its running executions are stopped, as AWS terminates them; a
	 * machine that does not exist is deleted already. */
	json_t *running = store_rows(sv->db, "SELECT arn FROM executions WHERE "
	                             "sm_arn = ? AND status = 'RUNNING'", "s", arn);
	store_exec(sv->db, "DELETE FROM state_machines WHERE arn = ?", "s", arn);
	json_t *r;
	size_t i;
	json_array_foreach(running, i, r)
		exec_stop(sv->ex, COL(r, "arn"), "States.Aborted", "The state "
		          "machine was deleted");
	json_decref(running);
	asl_http_json(rs, 200, NULL);
}

static json_t *machine_item(json_t *r)
{
	return json_pack("{s:s, s:s, s:s, s:o}", "stateMachineArn",
	                 COL(r, "arn"), "name", COL(r, "name"), "type",
	                 COL(r, "type"), "creationDate",
	                 serve_time(ICOL(r, "created_ms")));
}

/* ListStateMachines, ListActivities: a page of a table, oldest first. */
static void list_table(serve *sv, json_t *in, const char *table,
                       const char *list, json_t *(*item)(json_t *),
                       asl_http_response *rs)
{
	long long max, from;

	if (!paging(in, 100, &max, &from, rs))
		return;
	char *sql = xasprintf("SELECT rowid, * FROM %s WHERE rowid > ? ORDER BY "
	                      "rowid LIMIT ?", table);
	json_t *rows = store_rows(sv->db, sql, "ii", from, max + 1);
	free(sql);
	asl_http_json(rs, 200, page(rows, max, list, item, "rowid"));
}

static void list_state_machines(void *user, const asl_http_request *rq,
                                json_t *in, asl_http_response *rs)
{
	(void)rq;
	list_table(user, in, "state_machines", "stateMachines", machine_item,
	           rs);
}

static void validate_definition(void *user, const asl_http_request *rq,
                                json_t *in, asl_http_response *rs)
{
	bool bad = false;
	FIELD(def, in, "definition", true);
	FIELD(type, in, "type", false);
	FIELD(severity, in, "severity", false);
	json_t *diags, *d;
	long long max = 100;
	size_t i;
	(void)user;
	(void)rq;

	if (!check_definition_size(def, rs))
		return;
	if (severity && strcmp(severity, "ERROR") && strcmp(severity, "WARNING")) {
		asl_http_error(rs, 400, "ValidationException", "1 validation error "
		               "detected: Value '%s' at 'severity' failed to satisfy "
		               "constraint: Member must satisfy enum value set: "
		               "[ERROR, WARNING]", severity);
		return;
	}
	json_t *m = json_object_get(in, "maxResults");
	if (json_is_integer(m) && json_integer_value(m) > 0 &&
	    json_integer_value(m) <= 100)
		max = json_integer_value(m);
	free(build_compile(def, "definition", type && !strcmp(type, "EXPRESS"),
	                   &diags));
	json_t *kept = json_array();
	bool truncated = false;
	json_array_foreach(json_object_get(diags, "diagnostics"), i, d) {
		if ((!severity || !strcmp(severity, "ERROR")) &&
		    strcmp(COL(d, "severity"), "ERROR"))
			continue;
		if ((long long)json_array_size(kept) == max) {
			truncated = true;
			break;
		}
		json_array_append(kept, d);
	}
	json_object_set_new(diags, "diagnostics", kept);
	json_object_set_new(diags, "truncated", json_boolean(truncated));
	asl_http_json(rs, 200, diags);
}

/* ----------------------------------------------------------- executions */

/* Whether --mock-config has the test case for the machine (read at each
 * start: the file may change). */
static bool mock_case_exists(serve *sv, const char *machine_name,
                             const char *test_case)
{
	char *text = serve_read_file(sv->cfg.mock_config, 64u << 20, NULL);
	json_t *m = text ? json_loads(text, 0, NULL) : NULL;
	json_t *cases = json_object_get(json_object_get(json_object_get(
		json_object_get(m, "StateMachines"), machine_name), "TestCases"),
		test_case);
	bool yes = json_is_object(cases);

	json_decref(m);
	free(text);
	return yes;
}

/* The state machine that stateMachineArn arn0 names, and a test case
 * after its '#' (Step Functions Local's way to pick a mocked test case:
 * stateMachineArn#TestCase) that its mock config has: the machine's row
 * with *arn (to free) and *test_case (in it, or NULL), or NULL when
 * answered. */
static json_t *machine_of(serve *sv, const char *arn0, char **arn,
                          const char **test_case, asl_http_response *rs)
{
	json_t *m;

	*arn = xstrdup(arn0);
	char *hash = strchr(*arn, '#');
	*test_case = NULL;
	if (hash) {
		*hash = '\0';
		*test_case = hash + 1;
	}
	if (*test_case && !sv->cfg.mock_config) {
		asl_http_error(rs, 400, "InvalidArn", "Invalid Arn: '%s' (a test "
		               "case after '#' needs asl2c serve --mock-config)",
		               arn0);
		return NULL;
	}
	if (!arn_ok(*arn, "stateMachine", rs))
		return NULL;
	if (!(m = machine(sv, *arn))) {
		asl_http_error(rs, 400, "StateMachineDoesNotExist", "State Machine "
		               "Does Not Exist: '%s'", *arn);
		return NULL;
	}
	if (*test_case && !mock_case_exists(sv, COL(m, "name"), *test_case)) {
		asl_http_error(rs, 400, "ValidationException", "The mock config "
		               "file (--mock-config) has no test case '%s' for the "
		               "state machine '%s'", *test_case, COL(m, "name"));
		json_decref(m);
		return NULL;
	}
	return m;
}

/* The execution xarn of machine m (at arn) in the table, RUNNING, and
 * queued: its row, or NULL when answered.  A name taken by a running
 * execution with the same input is that execution (not for a synchronous
 * start). */
static json_t *insert_execution(serve *sv, json_t *m, const char *arn,
                                const char *xarn, const char *name,
                                const char *test_case, const char *input,
                                bool sync, asl_http_response *rs)
{
	/* The start time taken inside the transaction: executions are in
	 * the order of their start (ListExecutions: newest first). */
	store_begin(sv->db);
	long long now = serve_now_ms();
	int inserted = store_exec(
		sv->db, "INSERT INTO executions (arn, sm_arn, sm_name, name, type, "
		"program, definition, role_arn, revision_id, test_case, status, "
		"start_ms, input) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'RUNNING', "
		"?, ?)", "ssssssssssis", xarn, arn, COL(m, "name"), name,
		COL(m, "type"), COL(m, "program"), COL(m, "definition"),
		COL(m, "role_arn"), COL(m, "revision_id"), test_case, now, input);
	store_commit(sv->db, true);
	if (inserted >= 0) {
		exec_queue(sv->ex, xarn);
		return execution(sv, xarn);
	}
	/* The name is taken: the same running execution is idempotent. */
	json_t *old = execution(sv, xarn);
	if (old && !strcmp(COL(old, "status"), "RUNNING") &&
	    !strcmp(COL(old, "input"), input) && !sync)
		return old;
	asl_http_error(rs, 400, "ExecutionAlreadyExists", "Execution "
	               "Already Exists: '%s'", xarn);
	json_decref(old);
	return NULL;
}

/* Start an execution of m: its row, RUNNING, then the queue.  Returns the
 * execution's row, or NULL when answered. */
static json_t *start(serve *sv, json_t *in, bool sync, asl_http_response *rs)
{
	bool bad = false;
	const char *arn0 = serve_field_str(in, "stateMachineArn", true, rs,
	                                   &bad);
	const char *name = bad ? NULL : serve_field_str(in, "name", false, rs,
	                                                &bad);
	const char *input = bad ? NULL : serve_field_str(in, "input", false, rs,
	                                                 &bad);
	const char *test_case;
	char uuid[37], *arn = NULL;
	json_t *m, *row = NULL;

	if (bad)
		return NULL;
	if (!(m = machine_of(sv, arn0, &arn, &test_case, rs)))
		goto out;
	bool express = !strcmp(COL(m, "type"), "EXPRESS");
	if (sync && !express) {
		asl_http_error(rs, 400, "StateMachineTypeNotSupported", "This "
		               "operation is not supported by this type of state "
		               "machine");
		goto out;
	}
	serve_uuid(uuid);
	if (!name)
		name = uuid;
	if (!serve_valid_name(name, 80)) {
		asl_http_error(rs, 400, "InvalidName", "Invalid Name: '%s'", name);
		goto out;
	}
	if (!input)
		input = "{}";
	if (!check_json(input, "input", "InvalidExecutionInput", "Invalid State "
	                "Machine Execution Input", rs))
		goto out;
	char *tail = express ? xasprintf("%s:%s:%s", COL(m, "name"), name, uuid)
	                     : xasprintf("%s:%s", COL(m, "name"), name);
	char *xarn = sfn_arn(sv, express ? "express" : "execution", tail);
	free(tail);
	row = insert_execution(sv, m, arn, xarn, name, test_case, input, sync,
	                       rs);
	free(xarn);
out:
	json_decref(m);
	free(arn);
	return row;
}

static void start_execution(void *user, const asl_http_request *rq,
                            json_t *in, asl_http_response *rs)
{
	json_t *x = start(user, in, false, rs);
	(void)rq;
	if (x) {
		asl_http_json(rs, 200, json_pack("{s:s, s:o}", "executionArn",
		                                 COL(x, "arn"), "startDate",
		                                 serve_time(ICOL(x, "start_ms"))));
		json_decref(x);
	}
}

/* DescribeExecution's fields of a row. */
static json_t *describe_execution_row(json_t *x, bool sync)
{
	json_t *d = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:{s:b}}",
	                      "executionArn", COL(x, "arn"),
	                      "stateMachineArn", COL(x, "sm_arn"),
	                      "name", COL(x, "name"),
	                      "status", COL(x, "status"),
	                      "startDate", serve_time(ICOL(x, "start_ms")),
	                      "input", COL(x, "input"),
	                      "inputDetails", "included", 1);
	if (!json_is_null(json_object_get(x, "stop_ms")))
		json_object_set_new(d, "stopDate", serve_time(ICOL(x, "stop_ms")));
	if (COL(x, "output")) {
		json_object_set_new(d, "output", json_string(COL(x, "output")));
		json_object_set_new(d, "outputDetails", json_pack("{s:b}",
		                    "included", 1));
	}
	if (COL(x, "error"))
		json_object_set_new(d, "error", json_string(COL(x, "error")));
	if (COL(x, "cause"))
		json_object_set_new(d, "cause", json_string(COL(x, "cause")));
	if (sync) {
		long long ms = ICOL(x, "stop_ms") - ICOL(x, "start_ms");
		json_object_set_new(d, "billingDetails", json_pack("{s:i, s:I}",
		                    "billedMemoryUsedInMB", 64,
		                    "billedDurationInMilliseconds",
		                    (json_int_t)(ms > 100 ? (ms + 99) / 100 * 100
		                                           : 100)));
	} else {
		json_object_set_new(d, "redriveCount", json_integer(0));
		json_object_set_new(d, "redriveStatus",
		                    json_string("NOT_REDRIVABLE"));
	}
	return d;
}

static void start_sync_execution(void *user, const asl_http_request *rq,
                                 json_t *in, asl_http_response *rs)
{
	serve *sv = user;
	json_t *x = start(sv, in, true, rs);
	(void)rq;
	if (!x)
		return;
	char *arn = xstrdup(COL(x, "arn"));
	json_decref(x);
	exec_wait(sv->ex, arn);
	x = execution(sv, arn);
	free(arn);
	asl_http_json(rs, 200, describe_execution_row(x, true));
	json_decref(x);
}

static void describe_execution(void *user, const asl_http_request *rq,
                               json_t *in, asl_http_response *rs)
{
	json_t *x = find(user, in, &EXECUTION, rs);
	(void)rq;
	if (x) {
		asl_http_json(rs, 200, describe_execution_row(x, false));
		json_decref(x);
	}
}

static void describe_machine_for_execution(void *user,
                                           const asl_http_request *rq,
                                           json_t *in, asl_http_response *rs)
{
	json_t *x = find(user, in, &EXECUTION, rs);
	(void)rq;
	if (!x)
		return;
	asl_http_json(rs, 200, json_pack("{s:s, s:s, s:s, s:s, s:o, s:s}",
	              "stateMachineArn", COL(x, "sm_arn"),
	              "name", COL(x, "sm_name"),
	              "definition", COL(x, "definition"),
	              "roleArn", COL(x, "role_arn"),
	              "updateDate", serve_time(ICOL(x, "start_ms")),
	              "revisionId", COL(x, "revision_id")));
	json_decref(x);
}

static const char *const statuses[] = {
	"RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED",
	"PENDING_REDRIVE", NULL
};

static json_t *execution_item(json_t *r)
{
	json_t *e = json_pack("{s:s, s:s, s:s, s:s, s:o}",
	                      "executionArn", COL(r, "arn"),
	                      "stateMachineArn", COL(r, "sm_arn"),
	                      "name", COL(r, "name"),
	                      "status", COL(r, "status"),
	                      "startDate", serve_time(ICOL(r, "start_ms")));
	if (!json_is_null(json_object_get(r, "stop_ms")))
		json_object_set_new(e, "stopDate", serve_time(ICOL(r, "stop_ms")));
	return e;
}

static void list_executions(void *user, const asl_http_request *rq,
                            json_t *in, asl_http_response *rs)
{
	serve *sv = user;
	bool bad = false;
	FIELD(filter, in, "statusFilter", false);
	long long max, from;
	(void)rq;

	if (json_object_get(in, "mapRunArn")) {
		asl_http_error(rs, 400, "ValidationException", "asl2c serve has no "
		               "Map Runs: mapRunArn is not supported");
		return;
	}
	json_t *m = find(sv, in, &MACHINE, rs);
	if (!m)
		return;
	if (filter) {
		size_t k = 0;
		while (statuses[k] && strcmp(statuses[k], filter))
			k++;
		if (!statuses[k]) {
			asl_http_error(rs, 400, "ValidationException", "1 validation "
			               "error detected: Value '%s' at 'statusFilter' "
			               "failed to satisfy constraint: Member must satisfy "
			               "enum value set: [RUNNING, SUCCEEDED, FAILED, "
			               "TIMED_OUT, ABORTED, PENDING_REDRIVE]", filter);
			json_decref(m);
			return;
		}
	}
	if (!paging(in, 100, &max, &from, rs)) {
		json_decref(m);
		return;
	}
	/* Newest first, as AWS lists them. */
	json_t *rows = store_rows(sv->db, "SELECT seq, arn, sm_arn, name, "
	                          "status, start_ms, stop_ms FROM executions WHERE "
	                          "sm_arn = ? AND (? IS NULL OR status = ?) AND "
	                          "(? < 0 OR seq < ?) ORDER BY seq DESC LIMIT ?",
	                          "sssiii", COL(m, "arn"), filter, filter, from,
	                          from, max + 1);
	json_decref(m);
	asl_http_json(rs, 200, page(rows, max, "executions", execution_item,
	                            "seq"));
}

static json_t *event_item(json_t *r)
{
	return wire_event(COL(r, "body"), true);
}

static json_t *event_item_bare(json_t *r)
{
	return wire_event(COL(r, "body"), false);
}

static void get_execution_history(void *user, const asl_http_request *rq,
                                  json_t *in, asl_http_response *rs)
{
	serve *sv = user;
	long long max, from;
	json_t *rev = json_object_get(in, "reverseOrder");
	json_t *inc = json_object_get(in, "includeExecutionData");
	bool reverse = json_is_true(rev), data = !json_is_false(inc);
	(void)rq;

	json_t *x = find(sv, in, &EXECUTION, rs);
	if (!x)
		return;
	if (!paging(in, 100, &max, &from, rs)) {
		json_decref(x);
		return;
	}
	json_t *rows;
	if (!reverse)
		rows = store_rows(sv->db, "SELECT id, body FROM events WHERE "
		                  "execution = ? AND id > ? ORDER BY id LIMIT ?",
		                  "iii", ICOL(x, "seq"), from, max + 1);
	else
		rows = store_rows(sv->db, "SELECT id, body FROM events WHERE "
		                  "execution = ? AND (? < 0 OR id < ?) ORDER BY id "
		                  "DESC LIMIT ?", "iiii", ICOL(x, "seq"), from, from,
		                  max + 1);
	json_decref(x);
	asl_http_json(rs, 200, page(rows, max, "events", data ? event_item
	                                                      : event_item_bare,
	                            "id"));
}

static void stop_execution(void *user, const asl_http_request *rq,
                           json_t *in, asl_http_response *rs)
{
	serve *sv = user;
	bool bad = false;
	FIELD(error, in, "error", false);
	FIELD(cause, in, "cause", false);
	(void)rq;

	if ((error && strlen(error) > 256) || (cause && strlen(cause) > 32768)) {
		asl_http_error(rs, 400, "ValidationException", "1 validation error "
		               "detected: Value at '%s' failed to satisfy constraint: "
		               "Member must have length less than or equal to %d",
		               error && strlen(error) > 256 ? "error" : "cause",
		               error && strlen(error) > 256 ? 256 : 32768);
		return;
	}
	json_t *x = find(sv, in, &EXECUTION, rs);
	if (!x)
		return;
	char *arn = xstrdup(COL(x, "arn"));
	json_decref(x);
	/* A finished execution stays as it ended: its stopDate. */
	if (exec_stop(sv->ex, arn, error, cause) == 0)
		exec_wait(sv->ex, arn);
	x = execution(sv, arn);
	free(arn);
	asl_http_json(rs, 200, json_pack("{s:o}", "stopDate",
	              serve_time(json_is_integer(json_object_get(x, "stop_ms"))
	                         ? ICOL(x, "stop_ms") : serve_now_ms())));
	json_decref(x);
}

/* ----------------------------------------------------------- activities */

static void create_activity(void *user, const asl_http_request *rq,
                            json_t *in, asl_http_response *rs)
{
	serve *sv = user;
	bool bad = false;
	FIELD(name, in, "name", true);
	(void)rq;

	if (!serve_valid_name(name, 80)) {
		asl_http_error(rs, 400, "InvalidName", "Invalid Name: '%s'", name);
		return;
	}
	char *arn = sfn_arn(sv, "activity", name);
	long long now = serve_now_ms();
	/* Idempotent: the same name is the same activity. */
	store_exec(sv->db, "INSERT OR IGNORE INTO activities VALUES (?, ?, ?)",
	           "ssi", arn, name, now);
	json_t *a = store_row(sv->db, "SELECT created_ms FROM activities WHERE "
	                      "arn = ?", "s", arn);
	asl_http_json(rs, 200, json_pack("{s:s, s:o}", "activityArn", arn,
	              "creationDate", serve_time(a ? ICOL(a, "created_ms")
	                                           : now)));
	json_decref(a);
	free(arn);
}

static void delete_activity(void *user, const asl_http_request *rq,
                            json_t *in, asl_http_response *rs)
{
	serve *sv = user;
	bool bad = false;
	FIELD(arn, in, "activityArn", true);
	(void)rq;

	if (!arn_ok(arn, "activity", rs))
		return;
	store_exec(sv->db, "DELETE FROM activities WHERE arn = ?", "s", arn);
	asl_http_json(rs, 200, NULL);
}

static void describe_activity(void *user, const asl_http_request *rq,
                              json_t *in, asl_http_response *rs)
{
	json_t *a = find(user, in, &ACTIVITY, rs);
	(void)rq;
	if (a) {
		asl_http_json(rs, 200, json_pack("{s:s, s:s, s:o}", "activityArn",
		              COL(a, "arn"), "name", COL(a, "name"), "creationDate",
		              serve_time(ICOL(a, "created_ms"))));
		json_decref(a);
	}
}

static json_t *activity_item(json_t *r)
{
	return json_pack("{s:s, s:s, s:o}", "activityArn", COL(r, "arn"), "name",
	                 COL(r, "name"), "creationDate",
	                 serve_time(ICOL(r, "created_ms")));
}

static void list_activities(void *user, const asl_http_request *rq,
                            json_t *in, asl_http_response *rs)
{
	(void)rq;
	list_table(user, in, "activities", "activities", activity_item, rs);
}

/*
 * GetActivityTask: a long poll of --poll-seconds (60, as AWS holds it).
 * The running executions' programs hand out their activity tasks
 * (forward.c): each is asked, answering at once, every 100 ms until one
 * hands one out; when none does within the poll, the answer is AWS's for
 * no task, no taskToken.
 */
static void get_activity_task(void *user, const asl_http_request *rq,
                              json_t *in, asl_http_response *rs)
{
	serve *sv = user;
	bool bad = false;
	FIELD(worker, in, "workerName", false);

	if (worker && strlen(worker) > 80) {
		asl_http_error(rs, 400, "ValidationException", "1 validation error "
		               "detected: Value at 'workerName' failed to satisfy "
		               "constraint: Member must have length less than or "
		               "equal to 80");
		return;
	}
	json_t *a = find(sv, in, &ACTIVITY, rs);
	if (!a)
		return;
	json_decref(a);
	struct timespec until, step;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += sv->cfg.poll_seconds;
	for (;;) {
		if (!serve_forward_activity(sv, rq->body, rq->body_len, rs))
			return;
		clock_gettime(CLOCK_REALTIME, &step);
		if (step.tv_sec > until.tv_sec ||
		    (step.tv_sec == until.tv_sec && step.tv_nsec >= until.tv_nsec))
			break;
		step.tv_nsec += 100000000L;
		if (step.tv_nsec >= 1000000000L) {
			step.tv_sec++;
			step.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&sv->lock);
		bool stopping = sv->stopping;
		if (!stopping)
			pthread_cond_timedwait(&sv->wake, &sv->lock, &step);
		stopping = sv->stopping;
		pthread_mutex_unlock(&sv->lock);
		if (stopping)
			break;
	}
	asl_http_json(rs, 200, NULL);
}

/*
 * SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat: validated here as
 * AWS validates them, then forwarded to the running executions' programs
 * (forward.c); the program waiting on the task answers.  When none does,
 * a token of asl2c's form (64 base64 characters: runtime/handlers/
 * callback.c) belongs to a task that has ended, or to an execution that
 * has: TaskTimedOut, as AWS answers a token whose task is closed; any
 * other token is InvalidToken.
 */
static bool token_form(const char *t)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                          "abcdefghijklmnopqrstuvwxyz0123456789+/";
	return strlen(t) == 64 && strspn(t, b64) == 64;
}

static void send_task(serve *sv, const asl_http_request *rq, json_t *in,
                      asl_http_response *rs)
{
	const char *what = rq->target;
	bool bad = false;
	FIELD(tok, in, "taskToken", true);

	if (!*tok || strlen(tok) > 2048) {
		asl_http_error(rs, 400, "ValidationException", "1 validation error "
		               "detected: Value at 'taskToken' failed to satisfy "
		               "constraint: Member must have length between 1 and "
		               "2048");
		return;
	}
	if (!strcmp(what, "SendTaskSuccess")) {
		FIELD(output, in, "output", true);
		if (!check_json(output, "output", "InvalidOutput", "Invalid Output",
		                rs))
			return;
	} else if (!strcmp(what, "SendTaskFailure")) {
		FIELD(error, in, "error", false);
		FIELD(cause, in, "cause", false);
		if ((error && strlen(error) > 256) || (cause && strlen(cause) > 32768)) {
			asl_http_error(rs, 400, "ValidationException", "1 validation "
			               "error detected: the error is up to 256 "
			               "characters, the cause up to 32768");
			return;
		}
	}
	if (!serve_forward(sv, what, rq->body, rq->body_len, rs))
		return;
	if (!token_form(tok))
		asl_http_error(rs, 400, "InvalidToken", "Invalid Token: 'Invalid "
		               "token'");
	else
		asl_http_error(rs, 400, "TaskTimedOut", "Task Timed Out: 'Provided "
		               "task does not exist anymore'");
}

static void send_task_success(void *user, const asl_http_request *rq,
                              json_t *in, asl_http_response *rs)
{
	send_task(user, rq, in, rs);
}

/* ---------------------------------------------------------- the table */

const asl_http_action serve_sfn_actions[] = {
	{ "CreateStateMachine", create_state_machine },
	{ "DescribeStateMachine", describe_state_machine },
	{ "UpdateStateMachine", update_state_machine },
	{ "DeleteStateMachine", delete_state_machine },
	{ "ListStateMachines", list_state_machines },
	{ "ValidateStateMachineDefinition", validate_definition },
	{ "StartExecution", start_execution },
	{ "StartSyncExecution", start_sync_execution },
	{ "DescribeExecution", describe_execution },
	{ "DescribeStateMachineForExecution", describe_machine_for_execution },
	{ "ListExecutions", list_executions },
	{ "GetExecutionHistory", get_execution_history },
	{ "StopExecution", stop_execution },
	{ "SendTaskSuccess", send_task_success },
	{ "SendTaskFailure", send_task_success },
	{ "SendTaskHeartbeat", send_task_success },
	{ "GetActivityTask", get_activity_task },
	{ "CreateActivity", create_activity },
	{ "DeleteActivity", delete_activity },
	{ "DescribeActivity", describe_activity },
	{ "ListActivities", list_activities },
	{ "TestState", sfn_test_state },
};
const size_t serve_n_sfn_actions =
	sizeof serve_sfn_actions / sizeof *serve_sfn_actions;
