/*
 * slow_handlers.c - a program with its own C handler, linked with a
 * generated state machine built with -DASL2C_NO_MAIN (doc/handlers.md).
 *
 * barrier shows how the Map's iterations overlap without a clock (the
 * machines that run the tests are shared: a stopwatch says nothing): it
 * waits until event.started handlers have started and event.ended have
 * ended (up to 60 s, then it fails), naps event.nap ms (a chance for
 * another iteration to run meanwhile, were it allowed to), and returns
 * when it ran on a logical clock that every start and end advances by one:
 * {"id": event.id, "start": n, "end": m}.
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep under -std=c11 */
#include <asl2c/asl2c.h>

#include <stdatomic.h>
#include <time.h>

const asl_program *asl2c_program(void);

/* The program's handlers share these (one execution per process). */
static atomic_llong ticks;   /* the logical clock */
static atomic_llong started; /* handlers started */
static atomic_llong ended;   /* handlers ended */

/* Wait until *n >= want: 1 ms naps, up to 60 s. */
static int wait_for(atomic_llong *n, json_int_t want)
{
	struct timespec ts = { 0, 1000000 };

	for (int i = 0; atomic_load(n) < want; i++) {
		if (i == 60000)
			return -1;
		nanosleep(&ts, NULL);
	}
	return 0;
}

static int barrier(asl_invocation *inv, json_t *event, json_t **result,
                   void *user)
{
	json_int_t want_started =
		json_integer_value(json_object_get(event, "started"));
	json_int_t want_ended =
		json_integer_value(json_object_get(event, "ended"));
	json_int_t nap = json_integer_value(json_object_get(event, "nap"));
	struct timespec ts = { nap / 1000, (nap % 1000) * 1000000 };
	long long start, end;

	(void)user;
	atomic_fetch_add(&started, 1);
	start = atomic_fetch_add(&ticks, 1) + 1;
	if (wait_for(&started, want_started) || wait_for(&ended, want_ended))
		return asl_fail(inv, "Barrier.Timeout",
		                "waited 60 s for %lld started, %lld ended",
		                (long long)want_started, (long long)want_ended);
	nanosleep(&ts, NULL);
	end = atomic_fetch_add(&ticks, 1) + 1;
	atomic_fetch_add(&ended, 1);
	*result = json_pack("{s:O, s:I, s:I}", "id", json_object_get(event, "id"),
	                    "start", (json_int_t)start, "end", (json_int_t)end);
	return 0;
}

static int register_handlers(asl_registry *reg)
{
	return asl_registry_add(reg, "barrier", barrier, NULL);
}

int main(int argc, char **argv)
{
	return asl_main(argc, argv, asl2c_program(), register_handlers);
}
