/*
 * lib/timestamp.c - docker's --since/--until values (timestamp.h): which layout a value is
 * read with, and a small reader of Go's time layouts for the few docker uses.
 *
 * A Go layout spells each field with a piece of one reference time (Mon Jan 2 15:04:05
 * 2006, zone -07:00): "2006" a four-digit year, "01" a two-digit month, "15" an hour of
 * one or two digits, ".999999999" an optional fraction, "Z07:00" a zone (Z or ±hh:mm).
 * The layouts are lists of those pieces here, and the messages are Go's time.Parse ones
 * ("parsing time \"x\" as \"2006-01-02\": cannot parse \"x\" as \"2006\"").
 *
 * See: lib/timestamp.h; https://pkg.go.dev/time#pkg-constants (layouts);
 *      docker's api/types/time/timestamp.go (GetTimestamp, ParseTimestamps).
 */
#include "lib/timestamp.h"

#include "lib/duration.h"

#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NS 1000000000LL

/* the broken-down time a layout fills */
struct parsed {
	int year, month, day, hour, min, sec;
	long long frac; /* nanoseconds */
	bool zoned;
	long offset; /* seconds east of UTC, when zoned */
};

/* The pieces of a layout: the numeric fields (how many digits, the largest value, the
 * name Go's range error gives), then the fraction, the zone and the literals. */
static const struct {
	const char *piece;
	int min, max;  /* digits */
	int low, high; /* values */
	const char *name;
	size_t at; /* the field in struct parsed */
} fields[] = {
	{"2006", 4, 4, 0, 9999, "year", offsetof(struct parsed, year)},
	{"01", 2, 2, 1, 12, "month", offsetof(struct parsed, month)},
	{"02", 2, 2, 1, 31, "day", offsetof(struct parsed, day)},
	{"15", 1, 2, 0, 23, "hour", offsetof(struct parsed, hour)},
	{"04", 2, 2, 0, 59, "minute", offsetof(struct parsed, min)},
	{"05", 2, 2, 0, 59, "second", offsetof(struct parsed, sec)},
};
static const char *const others[] = {".999999999", "Z07:00", "-", "T", ":", NULL};

/* read MIN..MAX digits at *P into *V; false when there are fewer than MIN */
static bool digits(const char **p, int min, int max, int *v)
{
	int n = 0, x = 0;
	while (n < max && isdigit((unsigned char)(*p)[n]))
		x = x * 10 + (*p)[n++] - '0';
	if (n < min)
		return false;
	*p += n;
	*v = x;
	return true;
}

/* the zone at *V (Z, or +hh:mm / -hh:mm) into T; false when there is none */
static bool zone(const char **v, struct parsed *t)
{
	const char *z = *v;
	t->zoned = true;
	if (*z == 'Z') {
		*v += 1;
		return true;
	}
	if ((*z != '+' && *z != '-') || !isdigit((unsigned char)z[1]) ||
	    !isdigit((unsigned char)z[2]) || z[3] != ':' || !isdigit((unsigned char)z[4]) ||
	    !isdigit((unsigned char)z[5]))
		return false;
	long hh = (z[1] - '0') * 10 + z[2] - '0', mm = (z[4] - '0') * 10 + z[5] - '0';
	t->offset = (*z == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
	*v += 6;
	return true;
}

static int days_in(int month, int year)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return month == 2 && leap ? 29 : d[month - 1];
}

/*
 * go_parse - VALUE read with LAYOUT (pieces of the table above, concatenated) into *T;
 * -1 with Go's message in WHY
 */
static int go_parse(const char *layout, const char *value, struct parsed *t, char *why,
		    size_t whylen)
{
	const char *v = value, *l = layout, *range = NULL;
	memset(t, 0, sizeof(*t));
	t->month = t->day = 1;
	while (*l) {
		const char *piece = NULL;
		bool ok = true;
		for (size_t i = 0; !piece && i < sizeof(fields) / sizeof(fields[0]); i++) {
			if (strncmp(l, fields[i].piece, strlen(fields[i].piece)) != 0)
				continue;
			piece = fields[i].piece;
			int *f = (int *)((char *)t + fields[i].at);
			ok = digits(&v, fields[i].min, fields[i].max, f);
			if (ok && !range && (*f < fields[i].low || *f > fields[i].high))
				range = fields[i].name;
		}
		for (size_t i = 0; !piece && others[i]; i++)
			if (strncmp(l, others[i], strlen(others[i])) == 0)
				piece = others[i];
		if (!strcmp(piece, ".999999999")) {
			/* optional; any number of digits, those past the ninth dropped */
			if (v[0] == '.' && isdigit((unsigned char)v[1])) {
				long long scale = NS / 10;
				for (v++; isdigit((unsigned char)*v); v++, scale /= 10)
					t->frac += (*v - '0') * scale;
			}
		} else if (!strcmp(piece, "Z07:00")) {
			ok = zone(&v, t);
		} else if (strlen(piece) == 1) { /* a literal */
			ok = *v == *piece;
			v += ok;
		}
		if (!ok) {
			snprintf(why, whylen,
				 "parsing time \"%s\" as \"%s\": cannot parse \"%s\" as \"%s\"",
				 value, layout, v, piece);
			return -1;
		}
		l += strlen(piece);
	}
	if (*v) {
		snprintf(why, whylen, "parsing time \"%s\": extra text: \"%s\"", value, v);
		return -1;
	}
	if (!range && t->day > days_in(t->month, t->year))
		range = "day";
	if (range) {
		snprintf(why, whylen, "parsing time \"%s\": %s out of range", value, range);
		return -1;
	}
	return 0;
}

/* S seconds and F nanoseconds as nanoseconds, held at the ends of what a long long holds
 * (years 1677 to 2262) past them: docker takes any year from 0000 to 9999, and a --since of
 * 1000-01-01 or an --until of 3000-01-01 means "everything" here as there */
static long long clamp_ns(long long s, long long f)
{
	long long r;
	if (__builtin_mul_overflow(s, NS, &r) || __builtin_add_overflow(r, f, &r))
		return s < 0 ? LLONG_MIN : LLONG_MAX;
	return r;
}

/* Unix seconds with an optional fraction ("1796564121", "1796564121.5"), as docker's
 * daemon reads what its client sends; false when VALUE is not that */
static bool unix_seconds(const char *value, long long *ns)
{
	char *end;
	errno = 0;
	long long sec = strtoll(value, &end, 10);
	if (end == value || errno || (*end && *end != '.'))
		return false;
	long long frac = 0;
	if (*end == '.') {
		const char *f = end + 1;
		long long scale = NS / 10;
		if (!*f)
			return false;
		for (; *f; f++, scale /= 10) {
			if (!isdigit((unsigned char)*f))
				return false;
			frac += (*f - '0') * scale;
		}
	}
	*ns = clamp_ns(sec, sec < 0 ? -frac : frac);
	return true;
}

int mr_parse_timestamp(const char *value, long long now_ns, long long *ns, char *why, size_t whylen)
{
	long long d;
	char dwhy[128];
	if (strcmp(value, "0") != 0 && mr_parse_duration(value, &d, dwhy, sizeof(dwhy)) == 0) {
		/* docker's client sends whole seconds: time.Now().Add(-d).Unix() */
		long long t;
		if (__builtin_sub_overflow(now_ns, d, &t))
			t = d < 0 ? LLONG_MAX : LLONG_MIN;
		*ns = clamp_ns(t / NS - (t % NS < 0), 0); /* floor: a second of the past */
		return 0;
	}
	/* the layout, chosen by the characters of the value (docker's GetTimestamp) */
	size_t dashes = 0;
	for (const char *p = value; *p; p++)
		dashes += *p == '-';
	bool local = !(strpbrk(value, "zZ+") || dashes == 3);
	const char *layout;
	if (strchr(value, '.'))
		layout = local ? "2006-01-02T15:04:05.999999999"
			       : "2006-01-02T15:04:05.999999999Z07:00";
	else if (strchr(value, 'T')) {
		size_t colons = 0;
		for (const char *p = value; *p; p++)
			colons += *p == ':';
		if (!local && !strpbrk(value, "zZ") && colons > 0)
			colons--; /* the zone's own colon */
		static const char *const by_colons[2][3] = {
			{"2006-01-02T15Z07:00", "2006-01-02T15:04Z07:00",
			 "2006-01-02T15:04:05Z07:00"},
			{"2006-01-02T15", "2006-01-02T15:04", "2006-01-02T15:04:05"},
		};
		layout = by_colons[local][colons > 2 ? 2 : colons];
	} else
		layout = local ? "2006-01-02" : "2006-01-02Z07:00";
	struct parsed t;
	char pwhy[512];
	if (go_parse(layout, value, &t, pwhy, sizeof(pwhy)) < 0) {
		if (strchr(value, '-')) { /* it looked like a date: say why it is not one */
			snprintf(why, whylen, "%s", pwhy);
			return -1;
		}
		if (!unix_seconds(value, ns)) {
			snprintf(why, whylen, "failed to parse value as time or duration: \"%s\"",
				 value);
			return -1;
		}
		return 0;
	}
	if (local) {
		/* docker reads it in the zone the client is in now (a fixed offset) */
		struct tm tm;
		time_t now = (time_t)(now_ns / NS);
		localtime_r(&now, &tm);
		t.offset = tm.tm_gmtoff;
	}
	struct tm tm = {.tm_year = t.year - 1900,
			.tm_mon = t.month - 1,
			.tm_mday = t.day,
			.tm_hour = t.hour,
			.tm_min = t.min,
			.tm_sec = t.sec};
	*ns = clamp_ns((long long)timegm(&tm) - t.offset, t.frac);
	return 0;
}
