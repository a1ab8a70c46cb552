/*
 * lib/duration.c - Go's time.Duration, read and written the way Go does it, since docker's
 * flags (--health-interval 1m30s) and image configs (Healthcheck.Interval, nanoseconds)
 * are Go's.
 *
 * See: lib/duration.h; https://pkg.go.dev/time#ParseDuration (the grammar) and Go's
 *      time/format.go (Duration.String: below one second the largest unit that keeps an
 *      integer part, above it h, m and s with the seconds' fraction, trailing zeros cut).
 */
#include "lib/duration.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	unsigned long long ns;
} units[] = {
	{"ns", 1ULL},           {"us", 1000ULL},
	{"\xc2\xb5s", 1000ULL}, /* U+00B5 micro sign */
	{"\xce\xbcs", 1000ULL}, /* U+03BC Greek mu */
	{"ms", 1000000ULL},     {"s", 1000000000ULL},
	{"m", 60000000000ULL},  {"h", 3600000000000ULL},
};

int mr_parse_duration(const char *s, long long *ns, char *why, size_t whylen)
{
	const char *p = s;
	bool neg = false;
	unsigned long long total = 0;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if (!strcmp(p, "0")) {
		*ns = 0;
		return 0;
	}
	if (!*p)
		goto invalid;
	while (*p) {
		/* DIGITS[.DIGITS]: the integer part exactly, the fraction scaled by the unit */
		unsigned long long whole = 0, frac = 0, scale = 1;
		bool digits = false, overflow = false;
		for (; *p >= '0' && *p <= '9'; p++, digits = true) {
			if (whole > (UINT64_MAX - 9) / 10)
				overflow = true;
			whole = whole * 10 + (unsigned)(*p - '0');
		}
		if (*p == '.') {
			for (p++; *p >= '0' && *p <= '9'; p++, digits = true)
				if (scale < 1000000000000000000ULL) /* further digits can't count */
					frac = frac * 10 + (unsigned)(*p - '0'), scale *= 10;
		}
		if (!digits || overflow)
			goto invalid;
		size_t ulen = strcspn(p, "0123456789.");
		if (ulen == 0) {
			snprintf(why, whylen, "time: missing unit in duration \"%s\"", s);
			return -1;
		}
		unsigned long long unit = 0;
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (strlen(units[i].name) == ulen && !strncmp(p, units[i].name, ulen))
				unit = units[i].ns;
		if (!unit) {
			snprintf(why, whylen, "time: unknown unit \"%.*s\" in duration \"%s\"",
				 (int)ulen, p, s);
			return -1;
		}
		p += ulen;
		if (whole > (1ULL << 63) / unit)
			goto invalid;
		unsigned long long v = whole * unit;
		v += (unsigned long long)((long double)frac * (long double)unit /
					  (long double)scale);
		total += v;
		if (total > (1ULL << 63) || (!neg && total == (1ULL << 63)))
			goto invalid;
	}
	*ns = neg ? (long long)(0 - total) : (long long)total;
	return 0;
invalid:
	snprintf(why, whylen, "time: invalid duration \"%s\"", s);
	return -1;
}

/* prepend the integer V before *W in BUF */
static void put_int(char *buf, size_t *w, unsigned long long v)
{
	do
		buf[--*w] = (char)('0' + v % 10);
	while ((v /= 10) && *w > 0);
}

/* prepend V's last PREC digits as ".ddd" without trailing zeros (nothing when all are
 * zero); returns V without them */
static unsigned long long put_frac(char *buf, size_t *w, unsigned long long v, int prec)
{
	bool print = false;
	for (int i = 0; i < prec; i++) {
		unsigned digit = (unsigned)(v % 10);
		print = print || digit != 0;
		if (print)
			buf[--*w] = (char)('0' + digit);
		v /= 10;
	}
	if (print)
		buf[--*w] = '.';
	return v;
}

char *mr_format_duration(long long ns, char *buf, size_t len)
{
	char tmp[40];
	size_t w = sizeof(tmp) - 1;
	unsigned long long u = ns < 0 ? 0 - (unsigned long long)ns : (unsigned long long)ns;
	tmp[w] = '\0';
	if (u == 0) {
		snprintf(buf, len, "0s");
		return buf;
	}
	if (u < 1000000000ULL) {
		/* below a second: ns, µs or ms, with a fraction of that unit */
		int prec;
		tmp[--w] = 's';
		if (u < 1000ULL) {
			prec = 0;
			tmp[--w] = 'n';
		} else if (u < 1000000ULL) {
			prec = 3;
			tmp[--w] = '\xb5';
			tmp[--w] = '\xc2';
		} else {
			prec = 6;
			tmp[--w] = 'm';
		}
		u = put_frac(tmp, &w, u, prec);
		put_int(tmp, &w, u);
	} else {
		tmp[--w] = 's';
		u = put_frac(tmp, &w, u, 9);
		put_int(tmp, &w, u % 60);
		u /= 60;
		if (u > 0) {
			tmp[--w] = 'm';
			put_int(tmp, &w, u % 60);
			u /= 60;
			if (u > 0) {
				tmp[--w] = 'h';
				put_int(tmp, &w, u);
			}
		}
	}
	if (ns < 0)
		tmp[--w] = '-';
	snprintf(buf, len, "%s", tmp + w);
	return buf;
}
