/*
 * minirun/containers/opts_resources.c - the `run`/`create` flags that tune the container's
 * cgroup and OOM score (--cpu-shares, --cpu-period, --cpu-quota, --cpuset-cpus,
 * --cpuset-mems, --memory-swappiness, --oom-kill-disable, --oom-score-adj, --blkio-weight,
 * --device-{read,write}-{bps,iops}) and --label-file: their setters (rows of opts_set.c's
 * table), the checks docker's daemon makes across them, and the checks only this host can
 * answer (are those CPUs online? has this kernel a blkio weight file?).
 *
 * Three stages, as in docker:
 *   the setter       the value's syntax, in docker's CLI words
 *                    (invalid argument "x" for "-c, --cpu-shares" flag: strconv.ParseInt: ...)
 *   opts_resources_check   the whole set, as docker's daemon checks it before it creates
 *                    anything ("Conflicting options: Nano CPUs and CPU Period cannot both be set")
 *   container_resources_host_check   this host: online CPUs and memory nodes, the blkio
 *                    weight file, the throttled block devices, the v1-only memory knobs
 *                    (docker warns and drops those on cgroup v2, and so does this)
 * Their meaning in the OCI config and the cgroup files: minirun/bundle/resources.c.
 *
 * See: https://docs.docker.com/reference/cli/docker/container/run/ ("Runtime constraints on
 *      resources"); moby's daemon/daemon_unix.go (the daemon's checks); opts_set.c.
 * Try: minirun run --rm --cpuset-cpus 9 busybox true
 *      (minirun: Requested CPUs are not available - requested 9, available: 0-1)
 */
#include "minirun/containers/opts.h"
#include "cgroups/cgroup.h"
#include "lib/cleanup.h"
#include "lib/file.h"
#include "minirun/rootless/rootless.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "-c, --cpu-shares" or "--cpu-period": the flag as docker's messages name it */
static const char *label(const struct opt *f, char *buf, size_t len)
{
	if (f->shortname)
		snprintf(buf, len, "-%c, --%s", f->shortname, f->name);
	else
		snprintf(buf, len, "--%s", f->name);
	return buf;
}

/* Go's strconv error for V, as pflag reports it ("ParseInt" or "ParseUint") */
static int bad_int(const struct opt *f, const char *v, const char *fn, struct mr_err *err)
{
	char l[64];
	return mr_fail(err, 0,
		       "invalid argument \"%s\" for \"%s\" flag: strconv.%s: parsing \"%s\": %s", v,
		       label(f, l, sizeof(l)), fn, v,
		       errno == ERANGE ? "value out of range" : "invalid syntax");
}

/* ---- the setters ------------------------------------------------------------------------- */

int opts_set_ll(struct container_opts *o, const char *v, const struct opt *f, struct mr_err *err)
{
	long long n;
	if (mr_parse_ll(v, LLONG_MIN, LLONG_MAX, &n) < 0)
		return bad_int(f, v, "ParseInt", err);
	*(long long *)((char *)o + f->off) = n;
	return 0;
}

int opts_set_oom_score_adj(struct container_opts *o, const char *v, const struct opt *f,
			   struct mr_err *err)
{
	long long n;
	if (mr_parse_ll(v, INT_MIN, INT_MAX, &n) < 0) /* docker's field is an int */
		return bad_int(f, v, "ParseInt", err);
	/* the range is the daemon's to check (opts_resources_check), after the whole set */
	o->oom_score_adj = (int)n;
	return 0;
}

/* --blkio-weight: a uint16 in docker's CLI; 0 is "not set", 10..1000 checked with the set */
int opts_set_blkio_weight(struct container_opts *o, const char *v, const struct opt *f,
			  struct mr_err *err)
{
	long long n;
	errno = 0;
	if (v[0] == '-' || v[0] == '+' || mr_parse_ll(v, 0, UINT16_MAX, &n) < 0)
		return bad_int(f, v, "ParseUint", err);
	o->blkio_weight = (int)n;
	return 0;
}

/* --memory-swappiness: -1 (docker's default) leaves the kernel's; else 0..100, which
 * docker's CLI checks itself (its words, no "invalid argument" around them) */
int opts_set_swappiness(struct container_opts *o, const char *v, const struct opt *f,
			struct mr_err *err)
{
	long long n;
	if (mr_parse_ll(v, LLONG_MIN, LLONG_MAX, &n) < 0)
		return bad_int(f, v, "ParseInt", err);
	if (n == -1)
		return o->swappiness_set = false, 0;
	if (n < 0 || n > 100)
		return mr_fail(err, 0,
			       "invalid value: %lld. Valid memory swappiness range is 0-100", n);
	o->swappiness_set = true;
	o->swappiness = (int)n;
	return 0;
}

/* --cpuset-cpus, --cpuset-mems: kept as given; the list's syntax and whether this host has
 * those CPUs or nodes is the daemon's check (container_resources_host_check) */
int opts_set_cpuset(struct container_opts *o, const char *v, const struct opt *f,
		    struct mr_err *err)
{
	(void)err;
	*(const char **)((char *)o + f->off) = v;
	return 0;
}

/*
 * --device-read-bps /dev/vda:1mb, --device-write-iops /dev/vda:100: docker's CLI rules
 * (opts.ValidateThrottle{Bps,IOps}Device): exactly one ':', a path under /dev/, a rate in
 * docker's sizes (bps) or a plain count (iops). Kept as "PATH:RATE" with RATE a number.
 */
int opts_set_throttle(struct container_opts *o, const char *v, const struct opt *f,
		      struct mr_err *err)
{
	char l[64];
	bool iops = strstr(f->name, "iops") != NULL;
	const char *colon = strchr(v, ':');
	label(f, l, sizeof(l));
	if (!colon || strchr(colon + 1, ':'))
		return mr_fail(err, 0, "invalid argument \"%s\" for \"%s\" flag: bad format: %s", v,
			       l, v);
	if (strncmp(v, "/dev/", 5) != 0)
		return mr_fail(
			err, 0,
			"invalid argument \"%s\" for \"%s\" flag: bad format for device path: %s",
			v, l, v);
	long long rate;
	struct mr_err why = {0};
	if (iops ? mr_parse_ll(colon + 1, 0, LLONG_MAX, &rate) < 0
		 : (rate = container_parse_bytes(colon + 1, &why)) < 0)
		return mr_fail(
			err, 0,
			"invalid argument \"%s\" for \"%s\" flag: invalid rate for device: %s. "
			"The correct format is <device-path>:<number>%s. Number must be a "
			"positive integer%s",
			v, l, v, iops ? "" : "[<unit>]",
			iops ? "" : ". Unit is optional and can be kb, mb, or gb");
	char entry[4200];
	snprintf(entry, sizeof(entry), "%.*s:%lld", (int)(colon - v), v, rate);
	return opts_strv_add((char ***)((char *)o + f->off), entry, err);
}

/* a --label-file entry (opts_kv_line) onto the parse ARG's own list; a bare KEY dropped */
static int label_line(void *arg, const char *line, enum opts_kv_kind kind, struct mr_err *err)
{
	struct parse *ps = arg;
	return kind == OPTS_KV_BARE ? 0 : opts_strv_add(&ps->label_files, line, err);
}

/*
 * --label-file FILE: docker reads it as an env file (opts_kvfile.c) but, unlike --env-file,
 * drops a bare KEY: a label takes no value from the environment. Its labels go before every
 * -l (docker reads the files first, so -l wins over a file): struct parse keeps them aside
 * until the end.
 */
int opts_set_label_file(struct container_opts *o, const char *v, const struct opt *f,
			struct mr_err *err)
{
	char prefix[4200];
	(void)f;
	snprintf(prefix, sizeof(prefix), "invalid env file (%s): ", v);
	return opts_read_kv_file(v, prefix, label_line, (struct parse *)o, err);
}

/* ---- the checks across flags (docker's daemon, before anything is made) ----------------- */

int opts_resources_check(const struct container_opts *o, struct mr_err *err)
{
	if (o->cpus > 0 && o->cpu_period > 0)
		return mr_fail(err, 0,
			       "Conflicting options: Nano CPUs and CPU Period cannot both be set");
	if (o->cpus > 0 && o->cpu_quota > 0)
		return mr_fail(err, 0,
			       "Conflicting options: Nano CPUs and CPU Quota cannot both be set");
	if (o->cpu_period && (o->cpu_period < 1000 || o->cpu_period > 1000000))
		return mr_fail(
			err, 0,
			"CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s "
			"(i.e. 1000000)");
	if (o->cpu_quota > 0 && o->cpu_quota < 1000)
		return mr_fail(err, 0, "CPU cfs quota can not be less than 1ms (i.e. 1000)");
	/* runc's words: docker passes these on and its runtime refuses them at the start,
	 * after the container was made; here before */
	if (o->cpu_shares && o->cpu_shares < 2)
		return mr_fail(err, 0, "the minimum allowed cpu-shares is 2");
	if (o->cpu_shares > 262144)
		return mr_fail(err, 0, "the maximum allowed cpu-shares is 262144");
	if (o->oom_score_adj < -1000 || o->oom_score_adj > 1000)
		return mr_fail(err, 0, "Invalid value %d, range for oom score adj is [-1000, 1000]",
			       o->oom_score_adj);
	if (o->blkio_weight && (o->blkio_weight < 10 || o->blkio_weight > 1000))
		return mr_fail(err, 0, "Range of blkio weight is from 10 to 1000");
	/* rootless: refused unless the controller is delegated, never dropped (as -m) */
	static const struct {
		const char *flag, *controller;
	} rl[] = {{"--cpu-shares", "cpu"},     {"--cpu-period", "cpu"},
		  {"--cpu-quota", "cpu"},      {"--cpuset-cpus", "cpuset"},
		  {"--cpuset-mems", "cpuset"}, {"--blkio-weight", "io"},
		  {"--device-read-bps", "io"}, {"--memory-swappiness", "memory"}};
	bool given[] = {o->cpu_shares != 0,
			o->cpu_period != 0,
			o->cpu_quota != 0,
			o->cpuset_cpus != NULL,
			o->cpuset_mems != NULL,
			o->blkio_weight != 0,
			o->blkio_rbps || o->blkio_wbps || o->blkio_riops || o->blkio_wiops,
			o->swappiness_set || o->oom_kill_disable};
	for (size_t i = 0; i < sizeof(rl) / sizeof(rl[0]); i++) {
		const char *no =
			given[i] ? rootless_cgroup_refusal(rl[i].flag, rl[i].controller) : NULL;
		if (no)
			return mr_fail(err, 0, "%s", no);
	}
	return 0;
}

/* ---- the checks only this host can answer ------------------------------------------------- */

#define MAX_CPUS 8192

/* parse a kernel CPU/node list ("0-1,3") into SET (MAX_CPUS bits); -1 when not one (docker's
 * parsers.ParseUintList: numbers and ranges, comma-separated, nothing else). A number past
 * MAX_CPUS is a list still, of CPUs no machine here has: *BEYOND is set. */
static int parse_list(const char *s, unsigned char *set, bool *beyond)
{
	memset(set, 0, MAX_CPUS / 8);
	*beyond = false;
	if (!*s)
		return -1;
	while (*s) {
		char *end;
		if (!isdigit((unsigned char)*s))
			return -1;
		unsigned long a = strtoul(s, &end, 10), b = a;
		if (*end == '-') {
			if (!isdigit((unsigned char)end[1]))
				return -1;
			b = strtoul(end + 1, &end, 10);
		}
		if (b < a || (*end && *end != ','))
			return -1;
		if (b >= MAX_CPUS)
			*beyond = true;
		for (unsigned long i = a; i <= b && i < MAX_CPUS; i++)
			set[i / 8] |= (unsigned char)(1u << (i % 8));
		s = *end ? end + 1 : end;
		if (*end == ',' && !*s)
			return -1;
	}
	return 0;
}

/* --cpuset-cpus / --cpuset-mems against the CPUs (nodes) online here, in docker's words:
 * KIND "cpus" or "mems", ONLINE the sysfs file listing them (a kernel without NUMA has no
 * node directory: node 0 only) */
static int cpuset_check(const char *want, const char *kind, const char *online, struct mr_err *err)
{
	unsigned char w[MAX_CPUS / 8], have[MAX_CPUS / 8];
	bool beyond, ignored;
	if (parse_list(want, w, &beyond) < 0)
		return mr_fail(err, 0, "Invalid value %s for cpuset %s: invalid format: %s", want,
			       kind, want);
	_cleanup_free_ char *text = NULL;
	struct mr_err e2 = {0};
	if (mr_read_file(online, &text, NULL, &e2) < 0 && !(text = strdup("0")))
		return mr_fail(err, ENOMEM, "cpuset");
	text[strcspn(text, "\n")] = '\0';
	if (parse_list(text, have, &ignored) < 0)
		return mr_fail(err, 0, "%s: '%s' is not a list", online, text);
	for (size_t i = 0; i < sizeof(w); i++)
		if (beyond || (w[i] & ~have[i]))
			return mr_fail(
				err, 0,
				"Requested %s are not available - requested %s, available: %s",
				kind[0] == 'c' ? "CPUs" : "memory nodes", want, text);
	mr_say("--cpuset-%s %s: within the ones online here (%s: %s)", kind, want, online, text);
	return 0;
}

/* does DIR/NAME exist? */
static bool has_file(const char *dir, const char *name)
{
	char p[4200];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return access(p, F_OK) == 0;
}

/*
 * --blkio-weight needs a weight file the runtime can write: on a v1 blkio hierarchy
 * blkio.weight (CFQ, gone since 5.0) or blkio.bfq.weight (BFQ loaded); on v2 the io
 * controller, whose io.weight (blk-iocost) or io.bfq.weight takes it. Docker drops the flag
 * with a warning when the host has none; minirun refuses it, naming the missing file, so a
 * weight asked for is a weight in force.
 */
static int blkio_weight_check(const struct cg_system *sys, struct mr_err *err)
{
	const struct cg_hier *h = cg_v1_hier(sys, "blkio");
	char dir[2048];
	if (h) {
		snprintf(dir, sizeof(dir), "%s%s", h->mount, strcmp(h->own, "/") ? h->own : "");
		if (has_file(dir, "blkio.weight") || has_file(dir, "blkio.bfq.weight")) {
			mr_say("--blkio-weight: the v1 blkio hierarchy has a weight file (%s)",
			       dir);
			return 0;
		}
		return mr_fail(err, 0,
			       "--blkio-weight: this host's blkio cgroup has no weight file (no "
			       "%s/blkio.weight nor blkio.bfq.weight: no IO scheduler here keeps "
			       "weights, BFQ does); leave --blkio-weight out",
			       dir);
	}
	if (sys->v2_mount[0]) {
		_cleanup_free_ char *ctl = NULL;
		struct mr_err e2 = {0};
		snprintf(dir, sizeof(dir), "%s%s/cgroup.controllers", sys->v2_mount,
			 strcmp(sys->v2_own, "/") ? sys->v2_own : "");
		if (mr_read_file(dir, &ctl, NULL, &e2) == 0) {
			for (char *t = strtok(ctl, " \n"); t; t = strtok(NULL, " \n"))
				if (strcmp(t, "io") == 0) {
					mr_say("--blkio-weight: the v2 io controller is here: "
					       "io.bfq.weight or io.weight takes it");
					return 0;
				}
		}
		return mr_fail(err, 0,
			       "--blkio-weight: the cgroup v2 io controller is not available here "
			       "(%s has no \"io\", so no io.weight nor io.bfq.weight); leave "
			       "--blkio-weight out",
			       dir);
	}
	return mr_fail(err, 0, "--blkio-weight: no blkio or io cgroup controller on this host");
}

/* can this process set its OOM score to ADJ? Lowering it below the score it has needs
 * CAP_SYS_RESOURCE (proc(5): oom_score_adj), which a container runtime run as root may
 * still lack (MACHINE.md: this project's machines) */
static int oom_score_check(int adj, struct mr_err *err)
{
	_cleanup_free_ char *cur = NULL, *status = NULL;
	struct mr_err e2 = {0};
	long long now;
	if (mr_read_file("/proc/self/oom_score_adj", &cur, NULL, &e2) < 0 ||
	    mr_parse_ll(strtok(cur, "\n"), -1000, 1000, &now) < 0 || adj >= now)
		return 0;
	if (mr_read_file("/proc/self/status", &status, NULL, &e2) < 0)
		return 0;
	const char *cap = strstr(status, "CapEff:");
	unsigned long long eff = cap ? strtoull(cap + 7, NULL, 16) : ~0ULL;
	if (eff & (1ULL << 24)) /* CAP_SYS_RESOURCE */
		return 0;
	return mr_fail(err, 0,
		       "--oom-score-adj %d: lowering the OOM score below this process's own (%lld) "
		       "needs CAP_SYS_RESOURCE, which it lacks; give %lld or more",
		       adj, now, now);
}

int container_resources_host_check(struct container_opts *o, struct mr_err *err)
{
	if (o->cpuset_cpus &&
	    cpuset_check(o->cpuset_cpus, "cpus", "/sys/devices/system/cpu/online", err) < 0)
		return -1;
	if (o->cpuset_mems &&
	    cpuset_check(o->cpuset_mems, "mems", "/sys/devices/system/node/online", err) < 0)
		return -1;
	/* each throttled path is a block device now (docker's daemon stats it at the start;
	 * its runtime then fails on a character device: here before anything is made) */
	char **lists[] = {o->blkio_rbps, o->blkio_wbps, o->blkio_riops, o->blkio_wiops};
	for (size_t l = 0; l < 4; l++)
		for (size_t i = 0; lists[l] && lists[l][i]; i++) {
			char path[4200];
			struct stat st;
			snprintf(path, sizeof(path), "%.*s",
				 (int)(strrchr(lists[l][i], ':') - lists[l][i]), lists[l][i]);
			if (stat(path, &st) < 0) {
				char why[128];
				snprintf(why, sizeof(why), "%s", strerror(errno));
				why[0] = (char)tolower((unsigned char)why[0]);
				return mr_fail(err, 0, "stat %s: %s", path, why);
			}
			if (!S_ISBLK(st.st_mode))
				return mr_fail(err, 0,
					       "%s is not a block device: only a disk's IO can be "
					       "throttled (lsblk lists them)",
					       path);
		}
	if (o->oom_score_adj && oom_score_check(o->oom_score_adj, err) < 0)
		return -1;
	if (!o->blkio_weight && !o->swappiness_set && !o->oom_kill_disable)
		return 0;
	/* docker's CLI warns first, from the flags alone; its daemon again below, once it kept
	 * the flag */
	if (o->oom_kill_disable && !o->memory)
		fprintf(stderr, "WARNING: Disabling the OOM killer on containers without setting a "
				"'-m/--memory' limit may be dangerous.\n");
	struct cg_system sys;
	if (cg_detect(&sys, err) < 0)
		return -1;
	if (o->blkio_weight && blkio_weight_check(&sys, err) < 0)
		return -1;
	/* memory.swappiness and memory.oom_control are v1 files: cgroup v2 has neither, and
	 * docker's daemon drops both there with these warnings, creating the container anyway */
	const struct cg_hier *mem = cg_v1_hier(&sys, "memory");
	if (o->swappiness_set && !mem) {
		fprintf(stderr,
			"WARNING: Your kernel does not support memory swappiness capabilities "
			"or the cgroup is not mounted. Memory swappiness discarded.\n");
		o->swappiness_set = false;
	}
	if (o->oom_kill_disable && !mem) {
		fprintf(stderr, "WARNING: Your kernel does not support OomKillDisable. OomKill "
				"disabling discarded.\n");
		o->oom_kill_disable = false;
	}
	if (o->oom_kill_disable && !o->memory)
		fprintf(stderr, "WARNING: OOM killer is disabled for the container, but no memory "
				"limit is set, this can result in the system running out of "
				"resources.\n");
	return 0;
}
