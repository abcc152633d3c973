/*
 * dmap_mpi.c - the scheduler of libasl2c-mpi (dmap_sched.h): one execution
 * over every rank of an MPI job.
 *
 * Rank 0 runs the state machine.  When a Distributed Map starts, rank 0
 * tells every other rank which Map it is (BEGIN), then hands out units on
 * demand, in batches: each rank has at most twice its OpenMP threads and 32
 * more units in flight, so memory stays flat everywhere and a slow rank
 * only gets fewer.
 * Rank 0 runs units on its own threads too (dmap.c's local workers); a
 * coordinator thread sends the others their units and takes back their
 * results, which dmap.c writes in item order as on one process.  When the
 * Map stops (a failure, the threshold), the ranks are told to cancel
 * (CANCEL), and once every unit in flight is back, the Map ends there
 * (END).  At the end of the program rank 0 sends its exit status (EXIT),
 * which every worker exits with.
 *
 * Messages are JSON texts (jansson keeps numbers and key order), sent with
 * MPI_Isend so that two ranks sending to each other never wait on each
 * other.  Waiting is polling with a short sleep, not Open MPI's blocking
 * calls, which spin a core.  Any MPI error ends the job (MPI_Abort), so a
 * lost rank never lets rank 0 write a manifest; see doc/distributed-map.md
 * for what Open MPI does when a rank dies.
 *
 * The MPI library is one per process, so its state here is too: the
 * ranks, and which Distributed Map of rank 0 uses them (one at a time;
 * another one running meanwhile, or one nested in a child, runs on its own
 * process).
 */
#include "dmap_sched.h"

#include <mpi.h>
#include <limits.h>
#include <omp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
	TAG_BEGIN = 1,  /* 0 -> w: a Map Run starts */
	TAG_UNIT,       /* 0 -> w: a unit to run */
	TAG_CANCEL,     /* 0 -> w: stop the running children */
	TAG_END,        /* 0 -> w: the Map Run ended */
	TAG_RESULT,     /* w -> 0: a unit's results */
	TAG_EXIT        /* 0 -> w: the job ends with this status */
};

/* The job ends with this status when MPI fails (asl2c-run(7)). */
#define EXIT_MPI 70

static struct {
	int rank, size;
	int *threads;           /* each rank's OpenMP threads */
	bool started;           /* the ranks are set up (asl_sched_ready) */
	bool coordinate_only;   /* ASL2C_MPI_RANK0_CHILDREN=0 */
	atomic_flag busy;       /* a Map of rank 0 uses the workers */
} mpi = { .busy = ATOMIC_FLAG_INIT };

static void check(int rc, const char *what)
{
	char msg[MPI_MAX_ERROR_STRING];
	int n = 0;

	if (rc == MPI_SUCCESS)
		return;
	if (MPI_Error_string(rc, msg, &n) != MPI_SUCCESS)
		snprintf(msg, sizeof msg, "error %d", rc);
	fprintf(stderr, "asl2c: MPI: %s failed on rank %d: %s; the job ends\n",
	        what, mpi.rank, msg);
	MPI_Abort(MPI_COMM_WORLD, EXIT_MPI);
	exit(EXIT_MPI);
}

/* ------------------------------------------------------------ messages */

/* Sends in progress: their buffers live until they complete. */
typedef struct sends {
	MPI_Request *req;
	char **buf;
	size_t n, cap;
} sends;

static void send_json(sends *q, int to, int tag, json_t *msg)
{
	char *text = msg ? json_dumps(msg, JSON_COMPACT | JSON_ENCODE_ANY)
	                 : asl_strdup("null");
	if (!text)
		asl_oom();
	json_decref(msg);
	if (q->n == q->cap) {
		q->cap = q->cap ? 2 * q->cap : 16;
		q->req = realloc(q->req, q->cap * sizeof *q->req);
		q->buf = realloc(q->buf, q->cap * sizeof *q->buf);
		if (!q->req || !q->buf)
			asl_oom();
	}
	check(MPI_Isend(text, (int)strlen(text), MPI_CHAR, to, tag,
	                MPI_COMM_WORLD, &q->req[q->n]), "MPI_Isend");
	q->buf[q->n++] = text;
}

/* Forget the sends that completed; did any? */
static bool sends_test(sends *q)
{
	size_t k = 0;
	bool any = false;

	for (size_t i = 0; i < q->n; i++) {
		int flag = 0;
		check(MPI_Test(&q->req[i], &flag, MPI_STATUS_IGNORE), "MPI_Test");
		if (flag) {
			free(q->buf[i]);
			any = true;
		} else {
			q->req[k] = q->req[i];
			q->buf[k++] = q->buf[i];
		}
	}
	q->n = k;
	return any;
}

static void sends_wait(sends *q)
{
	for (size_t i = 0; i < q->n; i++) {
		check(MPI_Wait(&q->req[i], MPI_STATUS_IGNORE), "MPI_Wait");
		free(q->buf[i]);
	}
	free(q->req);
	free(q->buf);
	memset(q, 0, sizeof *q);
}

/* A message from `from` (or any rank) with `tag` (or any), if one came:
 * its JSON (or NULL for a bad one, which ends the job) and *src, *tagp. */
static bool recv_json(int from, int tag, json_t **msg, int *src, int *tagp)
{
	MPI_Status st;
	int flag = 0, n = 0;

	check(MPI_Iprobe(from, tag, MPI_COMM_WORLD, &flag, &st), "MPI_Iprobe");
	if (!flag)
		return false;
	check(MPI_Get_count(&st, MPI_CHAR, &n), "MPI_Get_count");
	char *buf = malloc((size_t)n + 1);
	if (!buf)
		asl_oom();
	check(MPI_Recv(buf, n, MPI_CHAR, st.MPI_SOURCE, st.MPI_TAG,
	               MPI_COMM_WORLD, MPI_STATUS_IGNORE), "MPI_Recv");
	*msg = json_loadb(buf, (size_t)n, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	free(buf);
	if (!*msg) {
		fprintf(stderr, "asl2c: MPI: rank %d got a corrupt message from "
		        "rank %d; the job ends\n", mpi.rank, st.MPI_SOURCE);
		MPI_Abort(MPI_COMM_WORLD, EXIT_MPI);
		exit(EXIT_MPI);
	}
	*src = st.MPI_SOURCE;
	*tagp = st.MPI_TAG;
	return true;
}

/* Nothing happened: sleep a little longer each time, up to 1 ms.  A
 * rank's 32 spare units in flight cover that wait up to 32,000 items/s
 * per rank, more than one coordinator hands out (doc/scale.md); a shorter
 * sleep costs the waiting threads CPU that the children want. */
#define IDLE_NS 1000000L
static void idle(long *ns, bool progress)
{
	if (progress) {
		*ns = 0;
		return;
	}
	*ns = *ns ? (*ns * 2 < IDLE_NS ? *ns * 2 : IDLE_NS) : 1000;
	struct timespec ts = { 0, *ns };
	nanosleep(&ts, NULL);
}

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static long long num(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static json_t *unit_msg(const asl_dunit *u)
{
	char rng[17];
	snprintf(rng, sizeof rng, "%016llx", (unsigned long long)u->rng);
	return json_pack("{s:I, s:I, s:s, s:s, s:O}", "q", u->seq,
	                 "k", u->n_items, "n", u->name, "g", rng, "i", u->input);
}

static json_t *result_msg(const asl_dunit *u)
{
	json_t *m = json_pack("{s:I, s:i, s:I, s:I, s:I, s:b}", "q", u->seq,
	                      "st", u->status, "t0", u->start_ms,
	                      "t1", u->stop_ms, "off", u->offset_ms,
	                      "to", u->timed_out);
	if (u->output)
		json_object_set(m, "o", u->output);
	if (u->error)
		json_object_set_new(m, "e", json_string(u->error));
	if (u->cause)
		json_object_set_new(m, "c", json_string(u->cause));
	return m;
}

static void take_result(asl_dunit *u, json_t *m)
{
	const char *e = str(m, "e"), *cause = str(m, "c");

	u->status = (int)num(m, "st");
	u->start_ms = num(m, "t0");
	u->stop_ms = num(m, "t1");
	u->offset_ms = num(m, "off");
	u->timed_out = json_is_true(json_object_get(m, "to"));
	u->output = json_incref(json_object_get(m, "o"));
	u->error = e ? asl_strdup(e) : NULL;
	u->cause = cause ? asl_strdup(cause) : NULL;
}

/* ------------------------------------------------------------- rank 0 */

/* The units rank r may have in flight: twice its threads, so that each
 * thread has the next one at hand, and 32 more, so that the round trips
 * of short children overlap. */
static long rank_bound(int r)
{
	return 2L * mpi.threads[r] + 32;
}

typedef struct coord {
	asl_drun *d;
	long budget;            /* units the other ranks may run at once */
	long *inflight;         /* per rank */
} coord;

static void *coordinate(void *arg)
{
	coord *k = arg;
	asl_drun *d = k->d;
	const asl_dchild *ch = asl_dmap_child(d);
	sends q = { 0 };
	long total = 0, ns = 0;
	int next = 1;
	bool taking = true, cancelled = false;
	int index = 0;

	while ((unsigned)index < ch->xt.prog->n_states &&
	       ch->xt.prog->descs[index] != ch->s)
		index++;
	for (int r = 1; r < mpi.size; r++)
		send_json(&q, r, TAG_BEGIN, json_pack(
		    "{s:i, s:s, s:s, s:O, s:O, s:I}", "s", index,
		    "m", ch->machine, "r", ch->map_run_id, "cm", ch->child_machine,
		    "role", ch->role ? ch->role : json_null(), "o", ch->offset_ms));

	while (taking || total > 0) {
		bool progress = false;
		json_t *m;
		int src, tag;

		if (!cancelled && atomic_load(ch->cancel)) {
			for (int r = 1; r < mpi.size; r++)
				send_json(&q, r, TAG_CANCEL, NULL);
			cancelled = true;
		}
		/* hand out units to the ranks with room, in turn, as many as
		 * each has room for in one message */
		for (int i = 0; taking && i < mpi.size - 1 && total < k->budget;
		     i++) {
			int r = next;
			json_t *batch = NULL;
			next = next % (mpi.size - 1) + 1;
			while (k->inflight[r] < rank_bound(r) && total < k->budget) {
				asl_dunit *u;
				int rc = asl_dmap_take(d, false, &u);
				if (rc == 0)
					taking = false;
				if (rc <= 0)
					break;
				if (!batch)
					batch = json_array();
				json_array_append_new(batch, unit_msg(u));
				k->inflight[r]++;
				total++;
			}
			if (batch) {
				send_json(&q, r, TAG_UNIT, batch);
				progress = true;
			}
		}
		while (recv_json(MPI_ANY_SOURCE, TAG_RESULT, &m, &src, &tag)) {
			size_t i;
			json_t *res;
			json_array_foreach(m, i, res) {
				asl_dunit *u = asl_dmap_unit(d, num(res, "q"));
				take_result(u, res);
				k->inflight[src]--;
				total--;
				asl_dmap_done(d, u);
			}
			json_decref(m);
			progress = true;
		}
		progress |= sends_test(&q);
		/* room at no rank, or the window is full: wait for results */
		idle(&ns, progress);
	}
	for (int r = 1; r < mpi.size; r++)
		send_json(&q, r, TAG_END, NULL);
	sends_wait(&q);
	return NULL;
}

size_t asl_sched_slots(int threads, long max_concurrency)
{
	size_t n = (size_t)threads;

	if (mpi.rank != 0 || mpi.size < 2)
		return n;
	if (mpi.coordinate_only)
		n = 0;
	for (int r = 1; r < mpi.size; r++)
		n += (size_t)rank_bound(r);
	if (max_concurrency > 0 && (size_t)max_concurrency < n)
		n = (size_t)max_concurrency;
	return n ? n : 1;
}

void asl_sched_run(asl_drun *d, int threads, long max_concurrency)
{
	coord k;
	pthread_t t;

	/* MaxConcurrency: rank 0's threads, then the others' */
	int local = mpi.coordinate_only && mpi.size > 1 ? 0 : threads;
	k.budget = max_concurrency > 0 ? max_concurrency - local : LONG_MAX;
	if (mpi.rank != 0 || mpi.size < 2 || k.budget <= 0 ||
	    atomic_flag_test_and_set(&mpi.busy)) {
		asl_dmap_local(d, threads);
		return;
	}
	k.d = d;
	k.inflight = calloc((size_t)mpi.size, sizeof *k.inflight);
	if (!k.inflight)
		asl_oom();
	if (pthread_create(&t, NULL, coordinate, &k) != 0) {
		fprintf(stderr, "asl2c: cannot start the MPI coordinator\n");
		MPI_Abort(MPI_COMM_WORLD, EXIT_MPI);
		exit(EXIT_MPI);
	}
	if (local)
		asl_dmap_local(d, local);
	pthread_join(t, NULL);
	free(k.inflight);
	atomic_flag_clear(&mpi.busy);
}

/* ------------------------------------------------------------ workers */

/* A worker's Map Run: units queued by the MPI thread, run by the others. */
typedef struct wmap {
	asl_dchild ch;
	atomic_int cancel;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	asl_dunit **todo, **done;
	size_t n_todo, n_done, cap;
	bool ended;
	int threads;
} wmap;

static void *runners(void *arg)
{
	wmap *w = arg;

#pragma omp parallel num_threads(w->threads)
	for (;;) {
		asl_dunit *u;

		pthread_mutex_lock(&w->mu);
		while (!w->n_todo && !w->ended)
			pthread_cond_wait(&w->cv, &w->mu);
		if (!w->n_todo) {
			pthread_mutex_unlock(&w->mu);
			break;
		}
		u = w->todo[0];
		memmove(w->todo, w->todo + 1, --w->n_todo * sizeof *w->todo);
		pthread_mutex_unlock(&w->mu);

		asl_dmap_run_unit(&w->ch, u);

		pthread_mutex_lock(&w->mu);
		w->done[w->n_done++] = u;
		pthread_mutex_unlock(&w->mu);
	}
	return NULL;
}

static void unit_free(asl_dunit *u)
{
	json_decref(u->input);
	json_decref(u->output);
	free(u->error);
	free(u->cause);
	free(u);
}

/* Queue the unit of message m for the runners. */
static void queue_unit(wmap *w, json_t *m)
{
	asl_dunit *u = calloc(1, sizeof *u);
	unsigned long long rng = 0;

	if (!u)
		asl_oom();
	u->seq = num(m, "q");
	u->n_items = num(m, "k");
	snprintf(u->name, sizeof u->name, "%s", str(m, "n"));
	sscanf(str(m, "g"), "%16llx", &rng);
	u->rng = rng;
	u->input = json_incref(json_object_get(m, "i"));
	pthread_mutex_lock(&w->mu);
	if (w->n_todo == w->cap)
		check(MPI_ERR_OTHER, "a unit over the rank's bound");
	w->todo[w->n_todo++] = u;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

/* The worker's side of the Map Run that begin (a BEGIN message) starts:
 * its state, its child executions' context, its queues. */
static void wmap_init(wmap *w, asl_ctx *c, json_t *begin)
{
	long long index = num(begin, "s");

	if (index < 0 || index >= (long long)c->x->prog->n_states) {
		fprintf(stderr, "asl2c: MPI: rank %d: no state %lld\n", mpi.rank,
		        index);
		MPI_Abort(MPI_COMM_WORLD, EXIT_MPI);
		exit(EXIT_MPI);
	}
	memset(w, 0, sizeof *w);
	memcpy(&w->ch.xt, c->x, sizeof w->ch.xt);
	w->ch.s = c->x->prog->descs[index];
	w->ch.role = json_incref(json_object_get(begin, "role"));
	w->ch.machine = asl_strdup(str(begin, "m"));
	w->ch.map_run_id = asl_strdup(str(begin, "r"));
	w->ch.child_machine = json_incref(json_object_get(begin, "cm"));
	w->ch.offset_ms = num(begin, "o");
	atomic_init(&w->cancel, 0);
	w->ch.cancel = &w->cancel;
	w->threads = mpi.threads[mpi.rank];
	w->cap = (size_t)rank_bound(mpi.rank);
	w->todo = calloc(w->cap, sizeof *w->todo);
	w->done = calloc(w->cap, sizeof *w->done);
	if (!w->todo || !w->done)
		asl_oom();
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
}

static void wmap_free(wmap *w)
{
	free(w->todo);
	free(w->done);
	json_decref(w->ch.role);
	json_decref(w->ch.child_machine);
	free(w->ch.machine);
	free(w->ch.map_run_id);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
}

/* The messages the coordinator has sent, taken: units queued, a CANCEL
 * passed to the runners, *end set at END.  Whether there were any. */
static bool take_messages(wmap *w, bool *end)
{
	bool progress = false;
	json_t *m;
	int src, tag;

	while (!*end && recv_json(0, MPI_ANY_TAG, &m, &src, &tag)) {
		progress = true;
		if (tag == TAG_UNIT) {
			size_t i;
			json_t *um;
			json_array_foreach(m, i, um)
				queue_unit(w, um);
		} else if (tag == TAG_CANCEL) {
			atomic_store(&w->cancel, 1);
		} else if (tag == TAG_END) {
			*end = true;
		}
		json_decref(m);
	}
	return progress;
}

/* The units the runners have finished, sent to the coordinator in one
 * RESULT message.  Whether there were any. */
static bool send_results(wmap *w, sends *q)
{
	json_t *results = NULL;

	pthread_mutex_lock(&w->mu);
	while (w->n_done) {
		asl_dunit *u = w->done[--w->n_done];
		if (!results)
			results = json_array();
		json_array_append_new(results, result_msg(u));
		unit_free(u);
	}
	pthread_mutex_unlock(&w->mu);
	if (!results)
		return false;
	send_json(q, 0, TAG_RESULT, results);
	return true;
}

/* One Map Run, from its BEGIN message to its END. */
static void serve_map(asl_ctx *c, json_t *begin)
{
	wmap w;
	pthread_t t;
	sends q = { 0 };
	long ns = 0;

	wmap_init(&w, c, begin);
	if (pthread_create(&t, NULL, runners, &w) != 0)
		check(MPI_ERR_OTHER, "starting the worker's threads");
	for (bool end = false; !end;) {
		bool progress = take_messages(&w, &end);
		progress |= send_results(&w, &q);
		progress |= sends_test(&q);
		if (!end)
			idle(&ns, progress);
	}
	pthread_mutex_lock(&w.mu);
	w.ended = true;
	pthread_cond_broadcast(&w.cv);
	pthread_mutex_unlock(&w.mu);
	pthread_join(t, NULL);
	sends_wait(&q);
	wmap_free(&w);
}

int asl_sched_serve(asl_ctx *c)
{
	long ns = 0;

	for (;;) {
		json_t *m;
		int src, tag;
		bool got = recv_json(0, MPI_ANY_TAG, &m, &src, &tag);

		if (got && tag == TAG_EXIT) {
			int status = (int)json_integer_value(m);
			json_decref(m);
			return status;
		}
		if (got && tag == TAG_BEGIN)
			serve_map(c, m);
		/* CANCEL or END of a Map Run whose units all came back */
		if (got)
			json_decref(m);
		/* between Map Runs, waking up a thousand times a second costs
		 * nothing and answers within a millisecond */
		idle(&ns, got);
	}
}

/* ------------------------------------------------------------ the job */

int asl_sched_init(int *argc, char ***argv)
{
	int provided = 0, threads;
	const char *only = getenv("ASL2C_MPI_RANK0_CHILDREN");

	if (MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided) !=
	    MPI_SUCCESS) {
		fprintf(stderr, "asl2c: MPI_Init_thread failed\n");
		return EXIT_MPI;
	}
	MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
	if (provided < MPI_THREAD_SERIALIZED) {
		fprintf(stderr, "asl2c: the MPI library does not support threads "
		        "(MPI_THREAD_SERIALIZED)\n");
		MPI_Finalize();
		return EXIT_MPI;
	}
	/* rank 0 only coordinates: its CPU for the state machine and the
	 * items, as a job of many ranks wants */
	mpi.coordinate_only = only && !strcmp(only, "0");
	check(MPI_Comm_rank(MPI_COMM_WORLD, &mpi.rank), "MPI_Comm_rank");
	check(MPI_Comm_size(MPI_COMM_WORLD, &mpi.size), "MPI_Comm_size");
	mpi.threads = calloc((size_t)mpi.size, sizeof *mpi.threads);
	if (!mpi.threads)
		asl_oom();
	threads = omp_get_max_threads();
	check(MPI_Allgather(&threads, 1, MPI_INT, mpi.threads, 1, MPI_INT,
	                    MPI_COMM_WORLD), "MPI_Allgather");
	return 0;
}

bool asl_sched_worker(void)
{
	return mpi.rank != 0;
}

int asl_sched_ready(int status)
{
	int job = 0;

	check(MPI_Allreduce(&status, &job, 1, MPI_INT, MPI_MAX,
	                    MPI_COMM_WORLD), "MPI_Allreduce");
	mpi.started = job == 0;
	if (job && !status && mpi.rank == 0)
		fprintf(stderr, "asl2c: another rank could not start (its "
		        "message above)\n");
	return job;
}

int asl_sched_finish(int status)
{
	if (mpi.rank == 0 && mpi.started) {
		sends q = { 0 };
		for (int r = 1; r < mpi.size; r++)
			send_json(&q, r, TAG_EXIT, json_integer(status));
		sends_wait(&q);
	}
	free(mpi.threads);
	mpi.threads = NULL;
	MPI_Finalize();
	return status;
}
