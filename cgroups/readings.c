/*
 * cgroups/readings.c - what the processes of a cgroup used, and what was refused: the
 * library half of the program cgroups/stat (stat.c prints what this file reads).
 *
 * The kernel keeps counters per cgroup and shows them as small text files:
 *
 *	memory.current   12288000                    bytes in use now (memory.peak: the most)
 *	memory.events    low 0 / high 0 / max 3 / oom 1 / oom_kill 1
 *	pids.events      max 2                       forks refused at pids.max
 *	cpu.stat         usage_usec 1000521 / nr_throttled 19 / throttled_usec 940012
 *	io.stat          8:0 rbytes=4096 wbytes=0 rios=1 wios=0 ...
 *	memory.pressure  some avg10=0.00 avg60=0.00 avg300=0.00 total=0     (PSI)
 *	                 full avg10=0.00 ...
 *
 * PSI ("pressure stall information") is the share of wall time in which some (or all)
 * tasks of the group were stalled waiting for CPU, memory or IO. A cgroup on the v2 tree
 * has it even without controllers, so a hybrid host reads it from its v2 node.
 *
 * See: Documentation/admin-guide/cgroup-v2.rst ("memory.events", "cpu.stat", "io.stat"),
 *      Documentation/accounting/psi.rst.
 */
#include "cgroups/cgroup_impl.h"
#include "lib/cleanup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int64_t cg_keyed_value(const char *text, const char *key)
{
	size_t n = strlen(key);
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (!strncmp(l, key, n) && (l[n] == ' ' || l[n] == '\t'))
			return strtoll(l + n + 1, NULL, 10);
	return -1;
}

int cg_psi_parse(const char *text, struct cg_psi *psi, struct mr_err *err)
{
	memset(psi, 0, sizeof(*psi));
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		struct cg_psi_line *pl;
		char kind[8];
		unsigned long long total;
		struct cg_psi_line v = {.present = true};
		if (sscanf(l, "%7s avg10=%lf avg60=%lf avg300=%lf total=%llu", kind, &v.avg10,
			   &v.avg60, &v.avg300, &total) != 5)
			return cg_failx(err, EINVAL,
					"a PSI line reads '%.*s' (want 'some avg10=... "
					"total=...')",
					(int)strcspn(l, "\n"), l);
		v.total = total;
		if (!strcmp(kind, "some"))
			pl = &psi->some;
		else if (!strcmp(kind, "full"))
			pl = &psi->full;
		else
			return cg_failx(err, EINVAL,
					"a PSI line starts with '%s', not some or full", kind);
		*pl = v;
	}
	return 0;
}

/* Read FILE of ND as one number ("max" -> CG_LIMIT_MAX); CG_UNSET when absent. */
static int64_t read_num(const struct cg_node *nd, const char *file)
{
	_cleanup_free_ char *text = NULL;
	if (!nd || cg_node_read(nd, file, &text, NULL) < 0)
		return CG_UNSET;
	return !strncmp(text, "max", 3) ? CG_LIMIT_MAX : strtoll(text, NULL, 10);
}

/* The text of FILE of ND, for the caller to free; NULL when absent. */
static char *read_text(const struct cg_node *nd, const char *file)
{
	char *text = NULL;
	if (!nd || cg_node_read(nd, file, &text, NULL) < 0)
		return NULL;
	return text;
}

static int64_t keyed(const char *text, const char *key)
{
	int64_t v = text ? cg_keyed_value(text, key) : -1;
	return v < 0 ? CG_UNSET : v;
}

/* io.stat: "MAJ:MIN rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N" per device */
static void io_stat(const char *text, struct cg_stats *st)
{
	static const char *const keys[] = {"rbytes=", "wbytes=", "rios=", "wios="};
	int64_t *fields[] = {&st->io_rbytes, &st->io_wbytes, &st->io_rios, &st->io_wios};

	if (!text)
		return;
	for (int k = 0; k < 4; k++) {
		*fields[k] = 0;
		for (const char *p = text; (p = strstr(p, keys[k])); p += strlen(keys[k]))
			if (p == text || p[-1] == ' ')
				*fields[k] += strtoll(p + strlen(keys[k]), NULL, 10);
	}
}

int cg_stats_read(const struct cg *cg, struct cg_stats *st, struct mr_err *err)
{
	const struct cg_node *v2 = cg_v2_node(cg);
	const struct cg_node *mem = cg_node_for(cg, CG_MEMORY), *pids = cg_node_for(cg, CG_PIDS);
	const struct cg_node *io = cg_node_for(cg, CG_IO);
	struct {
		const char *file;
		struct cg_psi *psi;
	} psi[] = {
		{"cpu.pressure", &st->cpu_pressure},
		{"memory.pressure", &st->memory_pressure},
		{"io.pressure", &st->io_pressure},
	};

	memset(st, 0, sizeof(*st));
	/* every counter starts "unknown": they are the int64_t fields from memory_current
	 * to io_wios, laid out one after the other */
	for (int64_t *f = &st->memory_current; f <= &st->io_wios; f++)
		*f = CG_UNSET;
	if (!cg->n || access(cg->node[0].dir, F_OK) < 0)
		return mr_fail(err, errno, "read cgroup '%s'", cg->path);
	mem = mem && mem->v2 ? mem : NULL;
	pids = pids && pids->v2 ? pids : NULL;
	io = io && io->v2 ? io : NULL;

	if (mem) {
		_cleanup_free_ char *ev = read_text(mem, "memory.events");
		st->memory_current = read_num(mem, "memory.current");
		st->memory_peak = read_num(mem, "memory.peak"); /* Linux 5.19+ */
		st->memory_max = read_num(mem, "memory.max");
		st->swap_current = read_num(mem, "memory.swap.current");
		st->memory_oom = keyed(ev, "oom");
		st->memory_oom_kill = keyed(ev, "oom_kill");
		st->memory_max_events = keyed(ev, "max");
	}
	if (pids) {
		_cleanup_free_ char *ev = read_text(pids, "pids.events");
		st->pids_current = read_num(pids, "pids.current");
		st->pids_max = read_num(pids, "pids.max");
		st->pids_events_max = keyed(ev, "max");
	}
	if (v2) {
		/* cpu.stat's usage lines are core (any v2 cgroup); the throttling lines come
		 * with the cpu controller */
		_cleanup_free_ char *cs = read_text(v2, "cpu.stat");
		st->cpu_usage_usec = keyed(cs, "usage_usec");
		st->cpu_user_usec = keyed(cs, "user_usec");
		st->cpu_system_usec = keyed(cs, "system_usec");
		st->cpu_nr_periods = keyed(cs, "nr_periods");
		st->cpu_nr_throttled = keyed(cs, "nr_throttled");
		st->cpu_throttled_usec = keyed(cs, "throttled_usec");
		for (size_t i = 0; i < sizeof(psi) / sizeof(psi[0]); i++) {
			_cleanup_free_ char *text = read_text(v2, psi[i].file);
			if (text)
				cg_psi_parse(text, psi[i].psi, NULL);
		}
	}
	if (io) {
		_cleanup_free_ char *text = read_text(io, "io.stat");
		io_stat(text, st);
	}
	cg_v1_stats(cg, st); /* what the v1 hierarchies hold, where v2 said nothing */
	return 0;
}
