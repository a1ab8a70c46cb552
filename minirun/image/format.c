/*
 * minirun/image/format.c - what docker prints: "4.26MB", "2 hours ago", errors.
 *
 * Sizes use decimal units with three significant digits (docker's units.HumanSize), and
 * ages the words of docker's units.HumanDuration, so that a learner comparing `docker
 * images` and `minirun images` side by side sees the same columns.
 *
 * See: https://github.com/docker/go-units (size.go, duration.go)
 */
#include "minirun/image/image.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void fmt_size(uint64_t bytes, char *buf, size_t len)
{
	static const char *units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
	double v = (double)bytes;
	size_t u = 0;
	while (v >= 1000 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1000;
		u++;
	}
	snprintf(buf, len, "%.3g%s", v, units[u]);
}

long long parse_rfc3339(const char *s)
{
	struct tm tm = {0};
	const char *p;
	if (!s || !(p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)))
		return -1;
	long long t = (long long)timegm(&tm);
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	if (*p == '+' || *p == '-') {
		int hh = 0, mm = 0;
		if (sscanf(p + 1, "%d:%d", &hh, &mm) != 2)
			return -1;
		t -= (*p == '+' ? 1 : -1) * (hh * 3600LL + mm * 60LL);
	}
	return t;
}

void fmt_since(const char *rfc3339, char *buf, size_t len)
{
	long long t = parse_rfc3339(rfc3339);
	if (t < 0) {
		snprintf(buf, len, "N/A");
		return;
	}
	/* the fine clock, not time(2): glibc's time() reads the kernel's coarse clock, which
	 * can lag a file time just set (touch -d "2 hours ago") by a tick across a second
	 * boundary, and an age of exactly two hours read as 7199 s: "About an hour" */
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	long long s = (long long)now.tv_sec - t;
	/* docker's HumanDuration: each row covers ages below its limit */
	static const struct {
		long long below, unit;
		const char *one, *many;
	} rows[] = {
		{1, 1, "Less than a second", NULL},
		{2, 1, "1 second", NULL},
		{60, 1, NULL, "%lld seconds"},
		{2 * 60, 60, "About a minute", NULL},
		{60 * 60, 60, NULL, "%lld minutes"},
		{2 * 3600, 3600, "About an hour", NULL},
		{48 * 3600, 3600, NULL, "%lld hours"},
		{14 * 86400, 86400, NULL, "%lld days"},
		{60 * 86400, 7 * 86400, NULL, "%lld weeks"},
		{730 * 86400, 30 * 86400, NULL, "%lld months"},
		{0, 365 * 86400, NULL, "%lld years"},
	};
	char what[64];
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (rows[i].below && s >= rows[i].below)
			continue;
		if (rows[i].one)
			snprintf(what, sizeof(what), "%s", rows[i].one);
		else
			snprintf(what, sizeof(what), rows[i].many, s / rows[i].unit);
		break;
	}
	snprintf(buf, len, "%s ago", what);
}

void fmt_now(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	char head[32];
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(head, sizeof(head), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%09ldZ", head, ts.tv_nsec);
}

int image_error(const struct mr_err *err)
{
	fprintf(stderr, "minirun: %s\n", err->msg);
	return 1;
}

int image_errorf(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "minirun: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int image_usage_error(const char *verb, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "minirun: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nSee 'minirun %s --help'.\n", verb);
	return MR_EXIT_RUNTIME;
}

/* ---- tables, as docker's tabwriter lays them out ------------------------------------------ */

void table_init(struct table *t, size_t ncols)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
}

void table_add(struct table *t, ...)
{
	va_list ap;
	if (t->n + t->ncols > t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16 * t->ncols;
		t->cells = realloc(t->cells, t->cap * sizeof(*t->cells));
	}
	va_start(ap, t);
	for (size_t i = 0; i < t->ncols; i++) {
		const char *s = va_arg(ap, const char *);
		t->cells[t->n++] = strdup(s ? s : "");
	}
	va_end(ap);
}

void table_print(struct table *t)
{
	/* docker: tabwriter.NewWriter(out, 10, 1, 3, ' ', 0) - columns at least 10 wide, 3
	 * spaces of padding, the last column not padded */
	size_t *w = calloc(t->ncols, sizeof(*w));
	for (size_t i = 0; i < t->n; i++) {
		size_t len = strlen(t->cells[i]);
		if (len > w[i % t->ncols])
			w[i % t->ncols] = len;
	}
	for (size_t i = 0; i < t->n; i++) {
		size_t c = i % t->ncols;
		if (c + 1 == t->ncols)
			printf("%s\n", t->cells[i]);
		else
			printf("%-*s", (int)(w[c] + 3 < 10 ? 10 : w[c] + 3), t->cells[i]);
		free(t->cells[i]);
	}
	free(t->cells);
	free(w);
	t->cells = NULL;
	t->n = t->cap = 0;
}
