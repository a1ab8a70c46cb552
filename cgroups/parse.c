/*
 * cgroups/parse.c - human values for cgroup limits, the way docker takes them.
 *
 * People write "256m", "1g", "--cpus 0.5"; cgroup files want bytes and microseconds:
 *
 *	256m        -> 268435456             (memory.max; units are binary: k = 1024)
 *	max, -1     -> CG_LIMIT_MAX          ("max" in a v2 file, -1 in a v1 file)
 *	--cpus 0.5  -> "50000 100000"        (cpu.max: 50 ms of CPU time every 100 ms)
 *	8:0 wbps=1m -> io.max line            (device major:minor, then limits)
 *
 * and back again for reports ("16.0M"). Also the unit conversions between v1 / OCI values
 * and v2 ones (cpu shares <-> weight, blkio weight -> io weight, memory+swap -> swap).
 *
 * See: docker run --help (-m, --memory-swap, --cpus), Documentation/admin-guide/cgroup-v2.rst
 *      ("Interface Files": cpu.max, cpu.weight, io.max), runc's libcontainer/cgroups/utils.go.
 * Tested by tests/unit/test_cgroup_parse.c (make test-unit).
 */
#include "cgroups/cgroup_impl.h"
#include "lib/file.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Size suffixes docker accepts, all binary, case-insensitive; "b" may follow ("256mb"),
 * and the IEC spelling "MiB" too. */
static const struct {
	const char *suffix;
	int64_t mult;
} size_units[] = {
	{"", 1},           {"b", 1},           {"k", 1LL << 10},
	{"kb", 1LL << 10}, {"kib", 1LL << 10}, {"m", 1LL << 20},
	{"mb", 1LL << 20}, {"mib", 1LL << 20}, {"g", 1LL << 30},
	{"gb", 1LL << 30}, {"gib", 1LL << 30}, {"t", 1LL << 40},
	{"tb", 1LL << 40}, {"tib", 1LL << 40},
};

int cg_parse_size(const char *s, int64_t *bytes, struct mr_err *err)
{
	char *end;

	if (!s || !*s)
		return cg_failx(err, EINVAL,
				"an empty size (use a number with b, k, m or g: 256m)");
	if (!strcmp(s, "max") || !strcmp(s, "-1")) {
		*bytes = CG_LIMIT_MAX;
		return 0;
	}
	/* strtod would take "inf", "nan", "0x10" and leading blanks: allow digits and a dot only */
	size_t digits = strspn(s, "0123456789.");
	if (digits == 0 || strchr(s, '.') != strrchr(s, '.'))
		goto bad;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end != s + digits)
		goto bad;
	for (size_t i = 0; i < sizeof(size_units) / sizeof(size_units[0]); i++) {
		if (strcasecmp(end, size_units[i].suffix))
			continue;
		double b = v * (double)size_units[i].mult;
		if (b >= 9.2e18)
			return cg_failx(err, ERANGE, "size '%s' is too large", s);
		*bytes = (int64_t)b;
		return 0;
	}
bad:
	return cg_failx(err, EINVAL, "'%s' is not a size (use a number with b, k, m or g: 256m)",
			s);
}

int cg_parse_cpus(const char *s, int64_t *quota, int64_t *period, struct mr_err *err)
{
	char *end;
	size_t digits = s ? strspn(s, "0123456789.") : 0;

	if (!s || !*s || digits != strlen(s) || strchr(s, '.') != strrchr(s, '.'))
		return cg_failx(
			err, EINVAL,
			"--cpus '%s' is not a number of CPUs (use a positive decimal: 0.5, 2)",
			s ? s : "");
	double v = strtod(s, &end);
	if (v < 0.01)
		return cg_failx(err, EINVAL, "--cpus '%s' is too small (the least is 0.01)", s);
	if (v > 1e6)
		return cg_failx(err, ERANGE, "--cpus '%s' is too large", s);
	/* docker's rule: a 100 ms period, and the quota is that share of it */
	*period = 100000;
	*quota = (int64_t)llround(v * 100000.0);
	return 0;
}

int cg_parse_max(const char *s, int64_t min, int64_t max, const char *what, int64_t *out,
		 struct mr_err *err)
{
	long long v;

	if (s && !strcmp(s, "max")) {
		*out = CG_LIMIT_MAX;
		return 0;
	}
	if (!s || mr_parse_ll(s, min, max, &v) < 0)
		return cg_failx(err, EINVAL, "%s '%s' is not a number in %lld..%lld or 'max'", what,
				s ? s : "", (long long)min, (long long)max);
	*out = v;
	return 0;
}

/* The keys of an io.max line and where each goes in struct cg_io_limit. */
static const struct {
	const char *key;
	size_t offset;
	bool size; /* takes a human size (bps), or a plain count (iops) */
} io_keys[] = {
	{"rbps", offsetof(struct cg_io_limit, rbps), true},
	{"wbps", offsetof(struct cg_io_limit, wbps), true},
	{"riops", offsetof(struct cg_io_limit, riops), false},
	{"wiops", offsetof(struct cg_io_limit, wiops), false},
};

/* The io_keys index of "KEY=..." (EQ points at its '='), or -1. */
static int io_key(const char *kv, const char *eq)
{
	for (size_t i = 0; i < sizeof(io_keys) / sizeof(io_keys[0]); i++)
		if ((size_t)(eq - kv) == strlen(io_keys[i].key) &&
		    !strncmp(kv, io_keys[i].key, (size_t)(eq - kv)))
			return (int)i;
	return -1;
}

int cg_parse_io_max(const char *s, struct cg_io_limit *l, struct mr_err *err)
{
	char buf[256], *save = NULL;
	int n = 0;

	l->rbps = l->wbps = l->riops = l->wiops = CG_UNSET;
	if (snprintf(buf, sizeof(buf), "%s", s) >= (int)sizeof(buf))
		return cg_failx(err, EINVAL, "io limit '%.40s...' is too long", s);
	char *dev = strtok_r(buf, " \t", &save);
	if (!dev || sscanf(dev, "%u:%u%n", &l->major, &l->minor, &n) != 2 || dev[n])
		return cg_failx(
			err, EINVAL,
			"io limit '%s' does not start with a device MAJOR:MINOR (see lsblk: 8:0)",
			s);
	int found = 0;
	for (char *kv; (kv = strtok_r(NULL, " \t", &save));) {
		char *eq = strchr(kv, '=');
		int i = eq ? io_key(kv, eq) : -1;
		if (eq)
			*eq = '\0'; /* kv is now the key alone */
		if (i < 0)
			return cg_failx(
				err, EINVAL,
				"io limit '%s': '%s' is not one of rbps=, wbps=, riops=, wiops=", s,
				kv);
		int64_t *field = (int64_t *)((char *)l + io_keys[i].offset);
		if (io_keys[i].size ? cg_parse_size(eq + 1, field, err) < 0
				    : cg_parse_max(eq + 1, 1, INT64_MAX - 1, kv, field, err) < 0) {
			mr_prefix(err, "io limit '%s': ", s);
			return -1;
		}
		found++;
	}
	if (!found)
		return cg_failx(err, EINVAL,
				"io limit '%s' sets nothing (add rbps=, wbps=, riops= or wiops=)",
				s);
	return 0;
}

char *cg_format_size(int64_t bytes, char *buf, size_t size)
{
	static const char units[] = "BKMGTPE";
	double v = (double)bytes;
	int u = 0;

	if (bytes == CG_LIMIT_MAX) {
		snprintf(buf, size, "max");
		return buf;
	}
	if (bytes < 0) {
		snprintf(buf, size, "?");
		return buf;
	}
	while (v >= 1024.0 && u < 6) {
		v /= 1024.0;
		u++;
	}
	if (u == 0)
		snprintf(buf, size, "%lldB", (long long)bytes);
	else
		snprintf(buf, size, "%.1f%c", v, units[u]);
	return buf;
}

char *cg_format_max(int64_t v, char *buf, size_t size)
{
	if (v == CG_LIMIT_MAX)
		snprintf(buf, size, "max");
	else
		snprintf(buf, size, "%lld", (long long)v);
	return buf;
}

/*
 * cpu.shares (v1, OCI: 2..262144, default 1024) <-> cpu.weight (v2: 1..10000, default 100).
 * The linear map runc and crun use: 2 -> 1, 262144 -> 10000 (so 1024 -> 39, not 100:
 * the two defaults do not line up, a known wart of the conversion).
 */
int64_t cg_weight_from_shares(int64_t shares)
{
	if (shares < 2)
		shares = 2;
	if (shares > 262144)
		shares = 262144;
	return 1 + ((shares - 2) * 9999) / 262142;
}

int64_t cg_shares_from_weight(int64_t weight)
{
	if (weight < 1)
		weight = 1;
	if (weight > 10000)
		weight = 10000;
	return 2 + ((weight - 1) * 262142) / 9999;
}

/* blkio.weight (v1, OCI: 10..1000) -> io.weight (v2: 1..10000) */
int64_t cg_io_weight_from_blkio(int64_t blkio)
{
	if (blkio < 10)
		blkio = 10;
	if (blkio > 1000)
		blkio = 1000;
	return 1 + ((blkio - 10) * 9999) / 990;
}

int64_t cg_blkio_from_io_weight(int64_t weight)
{
	if (weight < 1)
		weight = 1;
	if (weight > 10000)
		weight = 10000;
	/* rounded up: the exact inverse of cg_io_weight_from_blkio, whose division rounds
	 * down (500 -> 4949 -> 500) */
	return 10 + ((weight - 1) * 990 + 9998) / 9999;
}

int cg_swap_from_total(int64_t memory, int64_t total, int64_t *swap, struct mr_err *err)
{
	if (total == CG_UNSET) {
		*swap = CG_UNSET;
		return 0;
	}
	if (total == CG_LIMIT_MAX) {
		*swap = CG_LIMIT_MAX;
		return 0;
	}
	if (memory == CG_UNSET || memory == CG_LIMIT_MAX)
		return cg_failx(
			err, EINVAL,
			"a memory+swap limit (%lld) needs a memory limit too (docker: -m with "
			"--memory-swap)",
			(long long)total);
	if (total < memory)
		return cg_failx(
			err, EINVAL,
			"memory+swap limit %lld is below the memory limit %lld (it counts both: "
			"make it at least as large)",
			(long long)total, (long long)memory);
	*swap = total - memory;
	return 0;
}
