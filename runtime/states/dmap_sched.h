/*
 * dmap_sched.h - where a Distributed Map's child executions run.  The Map
 * (dmap.c) reads the items, keeps the results in item order, applies the
 * tolerated-failure thresholds and writes the ResultWriter's files; a
 * scheduler asks it for units (an item, or a batch) and hands back their
 * results.  Two schedulers implement the second half of this file:
 * dmap_local.c (libasl2c: this process's OpenMP threads) and dmap_mpi.c
 * (libasl2c-mpi: every rank of an MPI job).  Generated code is the same
 * for both.  See doc/distributed-map.md.
 */
#ifndef ASL2C_DMAP_SCHED_H
#define ASL2C_DMAP_SCHED_H

#include "dmap.h"

/* One child execution: an item, or a batch of items. */
typedef struct asl_dunit {
	long long seq;          /* its number in the Map Run, from 0 */
	long long n_items;
	json_t *input;          /* the child's input */
	json_t *output;         /* when it succeeded */
	char *error, *cause;
	char name[37];          /* the child execution's name */
	uint64_t rng;           /* its generator's seed */
	long long start_ms, stop_ms, offset_ms;
	int status;             /* enum asl_run_status */
	bool timed_out;         /* the execution's deadline passed */
	bool done;
} asl_dunit;

/* What every child execution of one Map Run shares: the same on every
 * rank. */
typedef struct asl_dchild {
	const asl_state *s;
	asl_exec xt;            /* the parent's execution, copied at the start */
	json_t *role;           /* $$.Execution.RoleArn (a reference) */
	char *machine;          /* "Machine/Label": the children's machine */
	char *map_run_id;
	json_t *child_machine;  /* $$.StateMachine of the children */
	long long offset_ms;    /* the parent's virtual time at the start */
	atomic_int *cancel;     /* tells the running children to stop */
} asl_dchild;

/* Run unit u here: fills its output or error, times and status. */
void asl_dmap_run_unit(const asl_dchild *ch, asl_dunit *u);

/* ---- the Map's side (dmap.c), for the schedulers */

typedef struct drun asl_drun;

const asl_dchild *asl_dmap_child(const asl_drun *d);
/* The next unit to run: 1 with *u (the Map's, until asl_dmap_done); 0
 * when there is none left (the items ended, or the Map stopped); -1 when
 * the Map's window is full and wait is false. */
int asl_dmap_take(asl_drun *d, bool wait, asl_dunit **u);
/* u, taken and run (here or elsewhere), has its results. */
void asl_dmap_done(asl_drun *d, asl_dunit *u);
/* The unit taken with number seq (not yet done). */
asl_dunit *asl_dmap_unit(asl_drun *d, long long seq);
/* Take, run and hand back units on `threads` OpenMP threads of this
 * process until none is left. */
void asl_dmap_local(asl_drun *d, int threads);

/* ---- the scheduler's side (dmap_local.c or dmap_mpi.c) */

/* How many units may be taken and not done at once when this process
 * runs `threads` (the Map's window is four times as many, at least 64). */
size_t asl_sched_slots(int threads, long max_concurrency);
/* Run every unit of d: `threads` of them at once here, the rest
 * elsewhere; MaxConcurrency (0: none) bounds all of them together. */
void asl_sched_run(asl_drun *d, int threads, long max_concurrency);

/* The program's life (main.c).  Before the options: 0, or an exit
 * status. */
int asl_sched_init(int *argc, char ***argv);
/* Does this process run children for another (an MPI worker rank)? */
bool asl_sched_worker(void);
/* Once set up: every process's status (0: ready) gives the job's. */
int asl_sched_ready(int status);
/* A worker's life: run the children it is sent until the job ends; the
 * job's exit status. */
int asl_sched_serve(asl_ctx *c);
/* At the end of the program, with its exit status: the status. */
int asl_sched_finish(int status);

#endif /* ASL2C_DMAP_SCHED_H */
