/*
 * store.c - asl2c serve's durable state: one SQLite database, DIR/state.db,
 * in WAL mode.  State machines, executions and their histories, functions
 * and activities survive a restart; an execution's end (its status, output
 * and every event) is written in one transaction, so a crash of the
 * service loses no finished execution.  synchronous=NORMAL: durable when
 * the service dies; after a power loss the last transactions may be lost
 * (doc/serve.md).
 *
 * One connection, used under a mutex by every thread.  Rows come back as
 * JSON objects of their columns.
 */
#include "serve.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct store {
	sqlite3 *db;
	pthread_mutex_t lock;  /* recursive: a transaction holds it */
};

static const char schema[] =
"CREATE TABLE IF NOT EXISTS meta ("
"  key TEXT PRIMARY KEY, value TEXT NOT NULL);"
"CREATE TABLE IF NOT EXISTS state_machines ("
"  arn TEXT PRIMARY KEY, name TEXT UNIQUE NOT NULL, type TEXT NOT NULL,"
"  definition TEXT NOT NULL, role_arn TEXT NOT NULL, program TEXT NOT NULL,"
"  status TEXT NOT NULL, created_ms INTEGER NOT NULL,"
"  updated_ms INTEGER, revision_id TEXT NOT NULL,"
"  logging TEXT, tracing TEXT, description TEXT);"
"CREATE TABLE IF NOT EXISTS executions ("
"  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
"  arn TEXT UNIQUE NOT NULL, sm_arn TEXT NOT NULL, sm_name TEXT NOT NULL,"
"  name TEXT NOT NULL, type TEXT NOT NULL, program TEXT NOT NULL,"
"  definition TEXT NOT NULL, role_arn TEXT NOT NULL,"
"  revision_id TEXT NOT NULL, test_case TEXT,"
"  status TEXT NOT NULL, start_ms INTEGER NOT NULL, stop_ms INTEGER,"
"  input TEXT NOT NULL, output TEXT, error TEXT, cause TEXT,"
"  pid INTEGER, stop_error TEXT, stop_cause TEXT, stop_requested INTEGER);"
"CREATE INDEX IF NOT EXISTS executions_by_machine"
"  ON executions (sm_arn, seq);"
"CREATE INDEX IF NOT EXISTS executions_by_status ON executions (status);"
"CREATE TABLE IF NOT EXISTS events ("
"  execution INTEGER NOT NULL, id INTEGER NOT NULL, body TEXT NOT NULL,"
"  PRIMARY KEY (execution, id)) WITHOUT ROWID;"
"CREATE TABLE IF NOT EXISTS functions ("
"  name TEXT PRIMARY KEY, arn TEXT NOT NULL, config TEXT NOT NULL,"
"  code_dir TEXT NOT NULL, created_ms INTEGER NOT NULL);"
"CREATE TABLE IF NOT EXISTS activities ("
"  arn TEXT PRIMARY KEY, name TEXT UNIQUE NOT NULL,"
"  created_ms INTEGER NOT NULL);"
"INSERT OR IGNORE INTO meta VALUES ('schema', '1');";

store *store_open(const char *path, char *err, size_t errlen)
{
	store *st = calloc(1, sizeof *st);
	char *msg = NULL;
	pthread_mutexattr_t a;

	if (!st) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	                    SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
	                    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", path,
		         st->db ? sqlite3_errmsg(st->db) : "out of memory");
		sqlite3_close(st->db);
		free(st);
		return NULL;
	}
	sqlite3_busy_timeout(st->db, 5000);
	if (sqlite3_exec(st->db, "PRAGMA journal_mode=WAL;"
	                 "PRAGMA synchronous=NORMAL;", NULL, NULL, &msg) ||
	    sqlite3_exec(st->db, schema, NULL, NULL, &msg)) {
		snprintf(err, errlen, "%s: %s", path, msg ? msg : "cannot set up");
		sqlite3_free(msg);
		sqlite3_close(st->db);
		free(st);
		return NULL;
	}
	json_t *v = store_row(st, "SELECT value FROM meta WHERE key = 'schema'",
	                      "");
	const char *version = json_string_value(json_object_get(v, "value"));
	if (!version || strcmp(version, "1")) {
		snprintf(err, errlen, "%s: a database of another version of "
		         "asl2c serve (schema %s)", path, version ? version : "?");
		json_decref(v);
		sqlite3_close(st->db);
		free(st);
		return NULL;
	}
	json_decref(v);
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&st->lock, &a);
	pthread_mutexattr_destroy(&a);
	return st;
}

void store_close(store *st)
{
	if (!st)
		return;
	sqlite3_close(st->db);
	pthread_mutex_destroy(&st->lock);
	free(st);
}

static void fatal(store *st, const char *what)
{
	/* A failed statement that is not a constraint: the disk is full or
	 * the database is damaged.  Nothing can be answered truthfully. */
	fprintf(stderr, "asl2c serve: the database failed (%s): %s\n", what,
	        sqlite3_errmsg(st->db));
	abort();
}

static sqlite3_stmt *prepare(store *st, const char *sql, const char *types,
                             va_list ap)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		fatal(st, sql);
	for (int i = 0; types[i]; i++) {
		int rc = SQLITE_OK, k = i + 1;
		switch (types[i]) {
		case 's': {
			const char *v = va_arg(ap, const char *);
			rc = v ? sqlite3_bind_text(s, k, v, -1, SQLITE_TRANSIENT)
			       : sqlite3_bind_null(s, k);
			break;
		}
		case 'i':
			rc = sqlite3_bind_int64(s, k, va_arg(ap, long long));
			break;
		case 'n':
			rc = sqlite3_bind_null(s, k);
			break;
		case 'j': {
			json_t *v = va_arg(ap, json_t *);
			char *t = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY)
			            : NULL;
			rc = t ? sqlite3_bind_text(s, k, t, -1, free)
			       : sqlite3_bind_null(s, k);
			break;
		}
		default:
			abort();
		}
		if (rc != SQLITE_OK)
			fatal(st, sql);
	}
	return s;
}

static json_t *row_object(sqlite3_stmt *s)
{
	json_t *o = json_object();
	int n = sqlite3_column_count(s);

	for (int i = 0; i < n; i++) {
		json_t *v;
		switch (sqlite3_column_type(s, i)) {
		case SQLITE_INTEGER:
			v = json_integer(sqlite3_column_int64(s, i));
			break;
		case SQLITE_FLOAT:
			v = json_real(sqlite3_column_double(s, i));
			break;
		case SQLITE_NULL:
			v = json_null();
			break;
		default:
			v = json_stringn((const char *)sqlite3_column_text(s, i),
			                 (size_t)sqlite3_column_bytes(s, i));
			if (!v) /* not UTF-8: we only store what we checked */
				v = json_string("");
		}
		json_object_set_new(o, sqlite3_column_name(s, i), v);
	}
	return o;
}

static json_t *rows_v(store *st, bool first, const char *sql,
                      const char *types, va_list ap)
{
	json_t *all = json_array(), *one = NULL;
	int rc;

	pthread_mutex_lock(&st->lock);
	sqlite3_stmt *s = prepare(st, sql, types, ap);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (first) {
			one = row_object(s);
			break;
		}
		json_array_append_new(all, row_object(s));
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		fatal(st, sql);
	sqlite3_finalize(s);
	pthread_mutex_unlock(&st->lock);
	if (first) {
		json_decref(all);
		return one;
	}
	return all;
}

json_t *store_rows(store *st, const char *sql, const char *types, ...)
{
	va_list ap;
	json_t *r;

	va_start(ap, types);
	r = rows_v(st, false, sql, types, ap);
	va_end(ap);
	return r;
}

json_t *store_row(store *st, const char *sql, const char *types, ...)
{
	va_list ap;
	json_t *r;

	va_start(ap, types);
	r = rows_v(st, true, sql, types, ap);
	va_end(ap);
	return r;
}

int store_exec(store *st, const char *sql, const char *types, ...)
{
	va_list ap;
	int rc, changed;

	pthread_mutex_lock(&st->lock);
	va_start(ap, types);
	sqlite3_stmt *s = prepare(st, sql, types, ap);
	va_end(ap);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc == SQLITE_CONSTRAINT) {
		pthread_mutex_unlock(&st->lock);
		return -1;
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		fatal(st, sql);
	changed = sqlite3_changes(st->db);
	pthread_mutex_unlock(&st->lock);
	return changed;
}

void store_begin(store *st)
{
	pthread_mutex_lock(&st->lock);
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL))
		fatal(st, "BEGIN");
}

void store_commit(store *st, bool ok)
{
	if (sqlite3_exec(st->db, ok ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL))
		fatal(st, ok ? "COMMIT" : "ROLLBACK");
	pthread_mutex_unlock(&st->lock);
}
