/*
 * rfc3339.c - the RFC 3339 timestamp parser (rfc3339.h).
 */
#include "rfc3339.h"

#include <stdbool.h>
#include <stddef.h>

/* Read exactly n decimal digits; -1 when they are not all digits. */
static int digits(const char **sp, int n)
{
	const char *s = *sp;
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*sp = s + n;
	return v;
}

static bool is_leap(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(long long y, int m)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static long long days_from_civil(long long y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

/* ".f+": the fraction as nanoseconds; -1 when there are no digits or
 * more than max (0: any). */
static long fraction(const char **sp, int max)
{
	const char *s = *sp;
	long nsec = 0, scale = 100000000;
	int n = 0;

	for (; *s >= '0' && *s <= '9'; s++, n++) {
		nsec += (*s - '0') * scale;
		scale /= 10;
	}
	if (n == 0 || (max > 0 && n > max))
		return -1;
	*sp = s;
	return nsec;
}

/* "Z", "+hh:mm" or "-hh:mm" ending s: the offset in seconds east. */
static int zone(const char *s, long long *off)
{
	int oh, om, sign;

	if (*s == 'Z') {
		*off = 0;
		return s[1] ? -1 : 0;
	}
	if (*s != '+' && *s != '-')
		return -1;
	sign = *s++ == '+' ? 1 : -1;
	if ((oh = digits(&s, 2)) < 0 || *s++ != ':' ||
	    (om = digits(&s, 2)) < 0 || oh > 23 || om > 59 || *s)
		return -1;
	*off = sign * (oh * 3600LL + om * 60LL);
	return 0;
}

int rfc3339_parse(const char *s, int max_frac, long long *sec, long *nsec)
{
	int year, mon, day, hour, min, secs;
	long frac = 0;
	long long off;

	if (!s || (year = digits(&s, 4)) < 0 || *s++ != '-' ||
	    (mon = digits(&s, 2)) < 0 || *s++ != '-' ||
	    (day = digits(&s, 2)) < 0 || *s++ != 'T' ||
	    (hour = digits(&s, 2)) < 0 || *s++ != ':' ||
	    (min = digits(&s, 2)) < 0 || *s++ != ':' ||
	    (secs = digits(&s, 2)) < 0)
		return -1;
	if (mon < 1 || mon > 12 || day < 1 || day > days_in_month(year, mon) ||
	    hour > 23 || min > 59 || secs > 59)
		return -1;
	if (*s == '.') {
		s++;
		if ((frac = fraction(&s, max_frac)) < 0)
			return -1;
	}
	if (zone(s, &off) < 0)
		return -1;
	*sec = days_from_civil(year, mon, day) * 86400LL + hour * 3600LL +
	       min * 60LL + secs - off;
	*nsec = frac;
	return 0;
}

int rfc3339_parse_ms(const char *s, long long *ms)
{
	long long sec;
	long nsec;

	if (rfc3339_parse(s, 0, &sec, &nsec) < 0)
		return -1;
	*ms = sec * 1000 + nsec / 1000000;
	return 0;
}
