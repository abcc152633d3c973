/*
 * clock.h - the one monotonic clock of the runtime, `asl2c serve` and the
 * compiler: for time limits and durations, never for timestamps.  Not
 * installed.
 */
#ifndef ASL2C_CLOCK_H
#define ASL2C_CLOCK_H

/* Milliseconds of CLOCK_MONOTONIC (from an arbitrary origin). */
long long monotonic_ms(void);

#endif /* ASL2C_CLOCK_H */
