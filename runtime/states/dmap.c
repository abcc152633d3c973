/*
 * dmap.c - the Distributed Map: its items streamed from an ItemReader (or
 * the input's array), grouped by the ItemBatcher, each item or batch run as
 * a child execution with its own context object, on OpenMP threads.
 *
 * Memory is bounded whatever the number of items: the items are read one
 * at a time, at most `window` child executions are started and not yet
 * written, and their results are written in item order as they end (to
 * the ResultWriter's files, or to the Map's result array when there is
 * none).  The tolerated-failure thresholds are applied in that order too,
 * so a run is deterministic for a given --seed.  See doc/distributed-map.md.
 */
#include "dmap_sched.h"

#include <limits.h>
#include <omp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef asl_dunit unit;

typedef struct drun {
	asl_ctx *c;
	const asl_state *s;
	json_t *eff;
	asl_reader *reader;
	asl_rwriter *writer;
	json_t *results;        /* without a ResultWriter: the outputs */

	pthread_mutex_t mu;     /* everything below, and the reader */
	pthread_cond_t cv;
	unit *ring;             /* unit k is ring[k % window] */
	size_t window;
	long long next_seq;     /* the next unit to start */
	long long next_write;   /* the next unit to write */
	long long next_index;   /* the index of the next item read */
	json_t *held;           /* an item read but left for the next batch */
	bool eof, stop;
	atomic_int cancel;      /* tells the running children to stop */

	long tol_count;         /* -1: not set */
	double tol_pct;         /* -1: not set */
	long long total, failed; /* items */
	char *error, *cause;    /* why the Map failed */
	long long max_offset;

	long batch_items;       /* ItemBatcher; 0: no limit */
	long batch_bytes;
	json_t *batch_input;

	asl_dchild ch;          /* what the children's executions share */
} drun;

/* ------------------------------------------------------------ settings */

static bool settings(drun *d, long *mc)
{
	asl_ctx *c = d->c;
	const asl_state *s = d->s;

	if (!asl_map_limits(c, s, d->eff, mc, &d->tol_count, &d->tol_pct) ||
	    !asl_state_int(c, "MaxItemsPerBatchPath", s->batch_max_items,
	                   s->batch_max_items_path, s->batch_max_items_jsonata,
	                   "ItemBatcher/MaxItemsPerBatch", d->eff, 1, LONG_MAX,
	                   &d->batch_items) ||
	    !asl_state_int(c, "MaxInputBytesPerBatchPath", s->batch_max_bytes,
	                   s->batch_max_bytes_path, s->batch_max_bytes_jsonata,
	                   "ItemBatcher/MaxInputBytesPerBatch", d->eff, 1,
	                   LONG_MAX, &d->batch_bytes))
		return false;
	if (s->batched && (d->batch_items < 0 || d->batch_bytes < 0 ||
	                   (s->batch_max_items_path && d->batch_items == 0) ||
	                   (s->batch_max_bytes_path && d->batch_bytes == 0))) {
		asl_runtime_error(c, "The ItemBatcher's MaxItemsPerBatch and "
		                  "MaxInputBytesPerBatch must be positive");
		return false;
	}
	if (s->batch_input &&
	    !(d->batch_input = asl_state_value(c, s, s->batch_input, d->eff,
	                                       "ItemBatcher.BatchInput",
	                                       "ItemBatcher/BatchInput")))
		return false;
	return true;
}

/* ------------------------------------------------------- reading units */

static void map_failed(drun *d, const char *error, const char *cause)
{
	if (!d->error) {
		d->error = asl_strdup(error);
		d->cause = cause ? asl_strdup(cause) : NULL;
	}
	d->stop = true;
	atomic_store(&d->cancel, 1);
}

/* The next item after ItemSelector; 1, 0 at the end, -1 after failing the
 * Map.  Under the lock. */
static int next_item(drun *d, json_t **out)
{
	asl_ctx *c = d->c, sel;
	json_t *item;
	const char *source;
	int rc;

	if (d->held) {
		*out = d->held;
		d->held = NULL;
		return 1;
	}
	rc = asl_reader_next(d->reader, c, &item, &source);
	if (rc < 0) {
		map_failed(d, c->error, c->cause);
		asl_clear_error(c);
		return -1;
	}
	if (rc == 0)
		return 0;
	if (!d->s->parameters) {
		*out = item;
	} else {
		/* ItemSelector: $ is the Map's input, $$.Map.Item the item */
		asl_ctx_child(&sel, c, 0, NULL);
		sel.in_item = true;
		sel.item_index = d->next_index;
		sel.item_value = item;
		sel.item_source = source;
		*out = asl_state_value(&sel, d->s, d->s->parameters, d->eff,
		                       "ItemSelector", "ItemSelector");
		if (!*out)
			map_failed(d, sel.error, sel.cause);
		asl_ctx_release(&sel);
		json_decref(item);
		if (!*out)
			return -1;
	}
	d->next_index++;
	return 1;
}

static size_t json_size(const json_t *v)
{
	return json_dumpb(v, NULL, 0, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* Fill u with the next item or batch; as next_item.  Under the lock. */
static int read_unit(drun *d, unit *u)
{
	json_t *item, *items;
	size_t bytes = 0;
	int rc;

	if (!d->s->batched) {
		if ((rc = next_item(d, &item)) <= 0)
			return rc;
		u->input = item;
		u->n_items = 1;
		return 1;
	}
	items = json_array();
	/* The limit bounds the whole child input, {"BatchInput":..,"Items":[..]} */
	if (d->batch_bytes) {
		json_t *empty = json_object();
		if (d->batch_input)
			json_object_set(empty, "BatchInput", d->batch_input);
		json_object_set_new(empty, "Items", json_array());
		bytes = json_size(empty);
		json_decref(empty);
	}
	while (!d->batch_items || (long)json_array_size(items) < d->batch_items) {
		if ((rc = next_item(d, &item)) < 0) {
			json_decref(items);
			return -1;
		}
		if (rc == 0)
			break;
		if (d->batch_bytes) {
			size_t n = json_size(item) + (json_array_size(items) ? 1 : 0);
			if (json_array_size(items) &&
			    bytes + n > (size_t)d->batch_bytes) {
				d->held = item; /* the first of the next batch */
				break;
			}
			bytes += n;
		}
		json_array_append_new(items, item);
	}
	if (!json_array_size(items)) {
		json_decref(items);
		return 0;
	}
	u->n_items = (long long)json_array_size(items);
	u->input = json_object();
	if (d->batch_input)
		json_object_set(u->input, "BatchInput", d->batch_input);
	json_object_set_new(u->input, "Items", items);
	return 1;
}

/* ----------------------------------------------------- child executions */

/* A child execution's ARN: an execution of "Machine/Label". */
static char *child_arn(const asl_dchild *ch, const char *name)
{
	const asl_exec *px = &ch->xt;

	if (ch->s->express)
		return asl_sprintf("arn:aws:states:%s:%s:express:%s:%s:%s",
		                   px->region, px->account, ch->machine,
		                   ch->map_run_id, name);
	return asl_sprintf("arn:aws:states:%s:%s:execution:%s:%s", px->region,
	                   px->account, ch->machine, name);
}

void asl_dmap_run_unit(const asl_dchild *ch, asl_dunit *u)
{
	asl_exec cx;
	asl_ctx k;
	char when[40];
	json_t *io;

	/* A child execution: the parent's settings, its own context. */
	memcpy(&cx, &ch->xt, sizeof cx);
	atomic_init(&cx.timed_out, 0);
	atomic_init(&cx.aborted, 0);
	cx.input = u->input;
	memset(&k, 0, sizeof k);
	k.x = &cx;
	k.rng = u->rng;
	k.offset_ms = ch->offset_ms;
	k.cancel = ch->cancel;
	u->start_ms = asl_now_ms(&k);
	asl_format_time(u->start_ms, when, sizeof when);
	char *arn = child_arn(ch, u->name);
	cx.ctx_execution = json_pack("{s:s, s:O, s:s, s:s, s:O, s:i}",
	    "Id", arn, "Input", u->input, "StartTime", when, "Name", u->name,
	    "RoleArn", ch->role, "RedriveCount", 0);
	free(arn);
	cx.ctx_machine = json_incref(ch->child_machine);

	io = json_incref(u->input);
	if (asl_run(&k, ch->s->processor, &io) == ASL_OK) {
		u->output = io;
		u->status = ASL_RUN_SUCCEEDED;
	} else {
		json_decref(io);
		u->error = asl_strdup(k.error ? k.error : ASL_ERR(RUNTIME));
		u->cause = k.cause ? asl_strdup(k.cause) : NULL;
		u->status = !strcmp(u->error, ASL_ERR(CANCELLED)) ? ASL_RUN_PENDING
		                                                  : ASL_RUN_FAILED;
		u->timed_out = atomic_load(&cx.timed_out);
	}
	u->stop_ms = asl_now_ms(&k);
	u->offset_ms = k.offset_ms;
	asl_ctx_release(&k);
	json_decref(cx.ctx_execution);
	json_decref(cx.ctx_machine);
}

/* The record of a child execution, as the ResultWriter's files hold it. */
static json_t *record(drun *d, unit *u)
{
	char start[40], stop[40];
	char *in = asl_dump(u->input);
	json_t *r;

	asl_format_time(u->start_ms, start, sizeof start);
	asl_format_time(u->stop_ms, stop, sizeof stop);
	/* the ARN, as in the child's $$.Execution.Id */
	char *arn = child_arn(&d->ch, u->name);
	r = json_pack("{s:s, s:s, s:{s:b}, s:s}", "ExecutionArn", arn,
	              "Input", in, "InputDetails", "Included", 1,
	              "Name", u->name);
	free(arn);
	free(in);
	if (u->status == ASL_RUN_SUCCEEDED) {
		char *o = asl_dump(u->output);
		json_object_set_new(r, "Output", json_string(o));
		json_object_set_new(r, "OutputDetails",
		                    json_pack("{s:b}", "Included", 1));
		free(o);
	} else {
		json_object_set_new(r, "Error", json_string(u->error));
		json_object_set_new(r, "Cause", json_string(u->cause ? u->cause
		                                                     : ""));
	}
	json_object_set_new(r, "RedriveCount", json_integer(0));
	if (u->status == ASL_RUN_SUCCEEDED) {
		json_object_set_new(r, "RedriveStatus",
		                    json_string("NOT_REDRIVABLE"));
		json_object_set_new(r, "RedriveStatusReason", json_string(
		    "Execution is SUCCEEDED and cannot be redriven"));
	} else {
		json_object_set_new(r, "RedriveStatus",
		                    json_string("REDRIVABLE_BY_MAP_RUN"));
	}
	json_object_set_new(r, "StartDate", json_string(start));
	json_object_set_new(r, "StateMachineArn", json_object_get(
	    d->ch.child_machine, "Id") ? json_incref(json_object_get(
	    d->ch.child_machine, "Id")) : json_null());
	json_object_set_new(r, "Status", json_string(
	    u->status == ASL_RUN_SUCCEEDED ? "SUCCEEDED"
	    : u->status == ASL_RUN_FAILED ? "FAILED" : "ABORTED"));
	json_object_set_new(r, "StopDate", json_string(stop));
	return r;
}

static bool threshold_exceeded(const drun *d, bool at_end)
{
	if (!d->failed)
		return false;
	if (d->tol_count < 0 && d->tol_pct < 0)
		return true; /* no failure is tolerated */
	if (d->tol_count >= 0 && d->failed > d->tol_count)
		return true;
	if (d->tol_pct == 0 && d->tol_count < 0)
		return true;
	return at_end && d->tol_pct >= 0 &&
	       (double)d->failed * 100.0 > d->tol_pct * (double)d->total;
}

static void exceeded(drun *d)
{
	map_failed(d, "States.ExceedToleratedFailureThreshold",
	           "The specified tolerated failure threshold was exceeded");
}

/* Write the ended units in order.  Under the lock. */
static void flush(drun *d)
{
	while (d->next_write < d->next_seq) {
		unit *u = &d->ring[d->next_write % (long long)d->window];
		if (!u->done)
			break;
		if (u->offset_ms > d->max_offset)
			d->max_offset = u->offset_ms;
		if (u->status != ASL_RUN_PENDING) {
			d->total += u->n_items;
			if (u->status == ASL_RUN_FAILED)
				d->failed += u->n_items;
		}
		if (u->timed_out) {
			atomic_store(&d->c->x->timed_out, 1);
			map_failed(d, ASL_ERR(TIMEOUT), NULL);
		}
		if (d->writer) {
			if (asl_rwriter_add(d->writer, u->status, record(d, u),
			                    u->output) < 0)
				map_failed(d, ASL_ERR(RESULT_WRITER_FAILED),
				           asl_rwriter_error(d->writer));
		} else if (u->status == ASL_RUN_SUCCEEDED) {
			size_t i;
			json_t *v;
			if (d->s->result_writer && json_is_array(u->output) &&
			    d->s->result_writer->transformation ==
			    ASL_TRANSFORM_FLATTEN)
				json_array_foreach(u->output, i, v)
					json_array_append(d->results, v);
			else
				json_array_append(d->results, u->output);
		} else if (u->status == ASL_RUN_FAILED) {
			json_array_append_new(d->results, json_pack("{s:s, s:s}",
			    "Error", u->error, "Cause", u->cause ? u->cause : ""));
		}
		if (u->status == ASL_RUN_FAILED && d->tol_count < 0 &&
		    d->tol_pct < 0)
			map_failed(d, u->error, u->cause); /* the child's own error */
		else if (u->status == ASL_RUN_FAILED &&
		         threshold_exceeded(d, false))
			exceeded(d);
		json_decref(u->input);
		json_decref(u->output);
		free(u->error);
		free(u->cause);
		memset(u, 0, sizeof *u);
		d->next_write++;
	}
}

const asl_dchild *asl_dmap_child(const drun *d)
{
	return &d->ch;
}

asl_dunit *asl_dmap_unit(drun *d, long long seq)
{
	return &d->ring[seq % (long long)d->window];
}

int asl_dmap_take(drun *d, bool wait, asl_dunit **out)
{
	asl_ctx *c = d->c;
	unit *u;
	asl_ctx tmp;

	pthread_mutex_lock(&d->mu);
	while (!d->stop && !d->eof &&
	       d->next_seq >= d->next_write + (long long)d->window) {
		if (!wait) {
			pthread_mutex_unlock(&d->mu);
			return -1;
		}
		pthread_cond_wait(&d->cv, &d->mu);
	}
	if (!d->stop && atomic_load(&c->x->aborted))
		map_failed(d, ASL_ERR(ABORTED), "The execution was aborted");
	if (d->stop || d->eof) {
		pthread_mutex_unlock(&d->mu);
		return 0;
	}
	u = asl_dmap_unit(d, d->next_seq);
	memset(u, 0, sizeof *u);
	int rc = read_unit(d, u);
	if (rc <= 0) {
		d->eof = rc == 0;
		pthread_cond_broadcast(&d->cv);
		pthread_mutex_unlock(&d->mu);
		return 0;
	}
	/* the child's name and generator: from the unit's number */
	asl_ctx_child(&tmp, c, (uint64_t)d->next_seq + 1, NULL);
	asl_uuid(&tmp, u->name);
	u->rng = asl_random(&tmp);
	u->seq = d->next_seq++;
	pthread_mutex_unlock(&d->mu);
	*out = u;
	return 1;
}

void asl_dmap_done(drun *d, asl_dunit *u)
{
	pthread_mutex_lock(&d->mu);
	u->done = true;
	flush(d);
	pthread_cond_broadcast(&d->cv);
	pthread_mutex_unlock(&d->mu);
}

static void worker(drun *d)
{
	unit *u;

	while (asl_dmap_take(d, true, &u) > 0) {
		asl_dmap_run_unit(&d->ch, u);
		asl_dmap_done(d, u);
	}
}

void asl_dmap_local(drun *d, int threads)
{
	/* nested in a Map iteration or a Parallel branch: one thread, as
	 * before nested Parallel states got theirs (map.c) */
#pragma omp parallel num_threads(threads) if(!omp_in_parallel())
	worker(d);
}

/* ------------------------------------------------------------- the Map */

static void drun_free(drun *d)
{
	asl_reader_close(d->reader);
	asl_rwriter_free(d->writer);
	json_decref(d->results);
	json_decref(d->held);
	json_decref(d->batch_input);
	json_decref(d->ch.child_machine);
	json_decref(d->ch.role);
	free(d->ring);
	free(d->ch.machine);
	free(d->ch.map_run_id);
	free(d->error);
	free(d->cause);
	pthread_mutex_destroy(&d->mu);
	pthread_cond_destroy(&d->cv);
}

/* The Map Run (its id, id[37]) and its children's state machine; returns
 * the Map Run's ARN (to free). */
static char *map_run(drun *d, char *id)
{
	asl_ctx *c = d->c;
	const asl_state *s = d->s;
	const asl_exec *px = c->x;
	const char *parent_name = json_string_value(
	    json_object_get(px->ctx_machine, "Name"));

	asl_uuid(c, id);
	d->ch.map_run_id = asl_strdup(id);
	d->ch.machine = asl_sprintf("%s/%s", parent_name ? parent_name
	                                              : px->prog->name,
	                         s->label ? s->label : s->name);
	char *map_run_arn = asl_sprintf("arn:aws:states:%s:%s:mapRun:%s:%s",
	                                px->region, px->account, d->ch.machine, id);
	char *sm_arn = asl_sprintf("arn:aws:states:%s:%s:stateMachine:%s",
	                           px->region, px->account, d->ch.machine);
	d->ch.child_machine = json_pack("{s:s, s:s}", "Id", sm_arn,
	                                "Name", d->ch.machine);
	free(sm_arn);
	memcpy(&d->ch.xt, px, sizeof d->ch.xt);
	d->ch.s = s;
	d->ch.role = json_incref(json_object_get(px->ctx_execution, "RoleArn"));
	d->ch.offset_ms = c->offset_ms;
	d->ch.cancel = &d->cancel;
	return map_run_arn;
}

/* The end of the Map Run: its ResultWriter's details, or the results;
 * the first failure, or the tolerated failure threshold exceeded. */
static int map_run_end(drun *d, json_t **result)
{
	asl_ctx *c = d->c;

	flush(d);
	if (d->max_offset > c->offset_ms)
		c->offset_ms = d->max_offset;
	if (!d->error && threshold_exceeded(d, true))
		exceeded(d);
	if (d->writer) {
		json_t *details = NULL;
		asl_rwriter *w = d->writer;
		d->writer = NULL;
		if (asl_rwriter_close(w, c, &details) < 0) {
			if (!d->error)
				map_failed(d, c->error, c->cause);
			asl_clear_error(c);
		} else if (!d->error) {
			*result = details;
		} else {
			json_decref(details);
		}
	} else if (!d->error) {
		*result = json_incref(d->results);
	}
	if (d->error) {
		asl_set_error(c, d->error, d->cause);
		return ASL_ERROR;
	}
	return ASL_OK;
}

int asl_dmap_work(asl_ctx *c, const asl_state *s, json_t *eff,
                  json_t **result)
{
	drun d;
	long mc;
	char id[37];
	int threads, rc;

	memset(&d, 0, sizeof d);
	pthread_mutex_init(&d.mu, NULL);
	pthread_cond_init(&d.cv, NULL);
	atomic_init(&d.cancel, 0);
	d.c = c;
	d.s = s;
	d.eff = eff;
	if (!settings(&d, &mc)) {
		drun_free(&d);
		return ASL_ERROR;
	}
	char *map_run_arn = map_run(&d, id);
	if (!(d.reader = asl_reader_open(c, s, eff)) ||
	    (s->result_writer && s->result_writer->parameters &&
	     !(d.writer = asl_rwriter_open(c, s, eff, map_run_arn, id)))) {
		free(map_run_arn);
		drun_free(&d);
		return ASL_ERROR;
	}
	free(map_run_arn);
	if (!d.writer)
		d.results = json_array();

	threads = omp_get_max_threads();
	if (mc > 0 && mc < threads)
		threads = (int)mc;
	if (threads < 1)
		threads = 1;
	size_t slots = asl_sched_slots(threads, mc);
	d.window = slots < 16 ? 64 : 4 * slots;
	d.ring = calloc(d.window, sizeof *d.ring);
	if (!d.ring)
		asl_oom();

	asl_sched_run(&d, threads, mc); /* dmap_local.c or dmap_mpi.c */
	rc = map_run_end(&d, result);
	drun_free(&d);
	return rc;
}
