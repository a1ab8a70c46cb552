/*
 * tests/fuzz/fuzz_cgroup.c - fuzz the cgroup library's text parsers (cgroups/detect.c,
 * cgroups/parse.c, cgroups/stats.c): what the kernel's files say and what users type.
 *
 * The first byte of the input picks a parser; for the two that take two texts, the rest
 * is split at its first NUL byte:
 *
 *   0  /proc/self/mounts NUL /proc/self/cgroup -> cg_detect_text (the host's cgroup layout)
 *   1  OWN NUL PATH -> cg_build_path (a config's cgroupsPath placed below our own cgroup;
 *      the second byte's low bit is BELOW_OWN)
 *   2  sizes (cg_parse_size)  3  --cpus (cg_parse_cpus)  4  limits (cg_parse_max)
 *   5  io.max lines (cg_parse_io_max)  6  PSI and keyed files (cg_psi_parse, cg_keyed_value)
 *
 * Oracles: detection finds absolute mount points and cgroup paths that start with '/', at
 * most CG_MAX_HIER hierarchies; a built path is canonical (starts with '/', no empty, "."
 * or ".." component, no trailing '/') and, when it must lie below OWN, does; a size or
 * limit that parses reparses from its number to the same value; --cpus gives a positive
 * quota and period.
 *
 * Seeds: tests/fuzz/seeds/cgroup/ (this machine's hybrid layout, a pure v2 one, ...).
 * See: cgroups/cgroup.h, cgroups/cgroup_impl.h.
 */
#include "cgroups/cgroup.h"
#include "cgroups/cgroup_impl.h"
#include "tests/fuzz/fuzz.h"

#include <inttypes.h>

/* "/a/b": absolute, no empty, "." or ".." component, no trailing slash ("/" alone is fine) */
static bool canonical(const char *p)
{
	if (p[0] != '/')
		return false;
	if (!strcmp(p, "/"))
		return true;
	for (const char *c = p; *c == '/'; c = strchr(c + 1, '/') ? strchr(c + 1, '/') : "") {
		const char *e = strchr(c + 1, '/');
		size_t n = e ? (size_t)(e - c - 1) : strlen(c + 1);
		if (n == 0 || (n == 1 && c[1] == '.') || (n == 2 && c[1] == '.' && c[2] == '.'))
			return false;
		if (!e)
			break;
	}
	return true;
}

static void detect(const char *mounts, const char *self)
{
	static struct cg_system sys;
	struct mr_err err = {0};
	if (cg_detect_text(mounts, self, &sys, &err) < 0) {
		if (!err.msg[0])
			fuzz_oracle("detection failed without a message");
		return;
	}
	if (sys.n_v1 < 0 || sys.n_v1 > CG_MAX_HIER)
		fuzz_oracle("%d v1 hierarchies", sys.n_v1);
	if (sys.v2_mount[0] && sys.v2_mount[0] != '/')
		fuzz_oracle("v2 mount '%s'", sys.v2_mount);
	if (sys.v2_own[0] && sys.v2_own[0] != '/')
		fuzz_oracle("v2 cgroup '%s'", sys.v2_own);
	for (int i = 0; i < sys.n_v1; i++)
		if (sys.v1[i].mount[0] != '/' || (sys.v1[i].own[0] && sys.v1[i].own[0] != '/'))
			fuzz_oracle("v1 hierarchy %d: mount '%s' own '%s'", i, sys.v1[i].mount,
				    sys.v1[i].own);
}

static void build(const char *own, const char *path, bool below)
{
	char out[4096];
	struct mr_err err = {0};
	if (cg_build_path(own, path, below, out, sizeof(out), &err) < 0) {
		if (!err.msg[0])
			fuzz_oracle("cg_build_path refused '%s' without a message", path);
		return;
	}
	if (!canonical(out))
		fuzz_oracle("own '%s' path '%s' built '%s', not canonical", own, path, out);
	if (below && canonical(own) && strcmp(own, "/")) {
		size_t n = strlen(own);
		if (strncmp(out, own, n) || (out[n] != '/' && out[n]))
			fuzz_oracle("own '%s' path '%s' built '%s', not below own", own, path, out);
	}
}

static void numbers(int which, const char *v)
{
	struct mr_err err = {0};
	int64_t x, q, p;
	char again[64];
	switch (which) {
	case 2:
		if (cg_parse_size(v, &x, &err) < 0)
			return;
		if (x < 0)
			fuzz_oracle("size '%s' is %" PRId64, v, x);
		if (x != CG_LIMIT_MAX) {
			int64_t y;
			snprintf(again, sizeof(again), "%" PRId64, x);
			if (cg_parse_size(again, &y, &err) < 0 || y != x)
				fuzz_oracle("size '%s' is %" PRId64 ", '%s' is not", v, x, again);
		}
		break;
	case 3:
		if (cg_parse_cpus(v, &q, &p, &err) == 0 && (q <= 0 || p <= 0))
			fuzz_oracle("--cpus '%s' gives quota %" PRId64 " period %" PRId64, v, q, p);
		break;
	case 4:
		if (cg_parse_max(v, 0, 1000000, "limit", &x, &err) < 0)
			return;
		if (x != CG_LIMIT_MAX && (x < 0 || x > 1000000))
			fuzz_oracle("limit '%s' is %" PRId64 ", outside [0, 1000000]", v, x);
		break;
	case 5: {
		struct cg_io_limit l;
		cg_parse_io_max(v, &l, &err);
		break;
	}
	case 6: {
		struct cg_psi psi;
		cg_psi_parse(v, &psi, &err);
		cg_keyed_value(v, "oom_kill");
		cg_keyed_value(v, "");
		break;
	}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	/* two texts: the part before the first NUL and the part after it */
	char *a = malloc(size), *b;
	memcpy(a, data + 2, size - 2);
	a[size - 2] = '\0';
	b = memchr(a, '\0', size - 2) ? a + strlen(a) + 1 : a + size - 2;
	if (b > a + size - 2)
		b = a + size - 2;
	switch (data[0] % 7) {
	case 0: detect(a, b); break;
	case 1: build(a, b, data[1] & 1); break;
	default: numbers(data[0] % 7, a); break;
	}
	free(a);
	return 0;
}
