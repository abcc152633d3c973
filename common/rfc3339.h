/*
 * rfc3339.h - the one RFC 3339 timestamp parser, for the profile AWS
 * accepts: "YYYY-MM-DDThh:mm:ss[.f+](Z|+hh:mm|-hh:mm)", uppercase T and Z,
 * no leap second.  Used by the runtime (Wait, the Timestamp comparators,
 * --start-time) and `asl2c serve` (the programs' timestamps).  Not
 * installed.
 */
#ifndef ASL2C_RFC3339_H
#define ASL2C_RFC3339_H

/* Parse s; max_frac is the most fraction digits taken (0: any number,
 * kept to the nanosecond).  0 with *sec (since the epoch, UTC) and *nsec
 * (in [0, 1e9)) set, or -1 when s is not such a timestamp. */
int rfc3339_parse(const char *s, int max_frac, long long *sec, long *nsec);

/* The same, any number of fraction digits, as milliseconds since the
 * epoch (rounded down). */
int rfc3339_parse_ms(const char *s, long long *ms);

#endif /* ASL2C_RFC3339_H */
