/*
 * dmap_local.c - the scheduler of libasl2c: a Distributed Map's children
 * run on this process's OpenMP threads (dmap_sched.h).
 */
#include "dmap_sched.h"

size_t asl_sched_slots(int threads, long max_concurrency)
{
	(void)max_concurrency;
	return (size_t)threads;
}

void asl_sched_run(asl_drun *d, int threads, long max_concurrency)
{
	(void)max_concurrency;
	asl_dmap_local(d, threads);
}

int asl_sched_init(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

bool asl_sched_worker(void)
{
	return false;
}

int asl_sched_ready(int status)
{
	return status;
}

int asl_sched_serve(asl_ctx *c)
{
	(void)c;
	return 0;
}

int asl_sched_finish(int status)
{
	return status;
}
