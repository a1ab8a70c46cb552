/*
 * minirun/containers/update.c - `minirun update [OPTIONS] CONTAINER...`: change the limits
 * and the restart policy of containers, running or not (-c, --cpu-period, --cpu-quota,
 * --cpuset-*, --blkio-weight: update_res.c, parsed and checked as run's are).
 *
 * The record's HostConfig takes the new values (every later start applies them through the
 * OCI config); a running or paused container also gets them at once: the runtime writes
 * them to its cgroup (ctr_update: memory.max / memory.swap.max, cpu.max, pids.max on v2,
 * their v1 names otherwise), as `runc update` does. The restart policy is read by the
 * monitor when the container exits, so a new one holds for the next exit.
 *
 *   minirun update --memory 64m --cpus 0.5 --pids-limit 100 web
 *   minirun update --restart on-failure:3 web
 *
 * See: https://docs.docker.com/reference/cli/docker/container/update/; runc-update(8)
 */
#include "minirun/containers/info.h"
#include "minirun/containers/lifecycle.h"
#include "minirun/containers/update_res.h"
#include "minirun/oci/runtime.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cli.h"

struct update {
	long long memory, swap, pids; /* 0: not given (pids: -1 = unlimited) */
	double cpus;                  /* <0: not given */
	bool pids_set, swap_set;
	bool restart_set;
	enum container_restart restart;
	long long restart_max;
	struct container_opts res; /* -c, --cpu-period ...: update_res.c; 0 not given */
};

/* "no" "always" "unless-stopped" "on-failure[:N]" -> U; -1 with docker's words */
static int parse_restart(const char *v, struct update *u)
{
	static const struct {
		const char *name;
		enum container_restart policy;
	} names[] = {{"no", RESTART_NO},
		     {"always", RESTART_ALWAYS},
		     {"unless-stopped", RESTART_UNLESS_STOPPED},
		     {"on-failure", RESTART_ON_FAILURE}};
	size_t len = strcspn(v, ":");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == len && !strncmp(v, names[i].name, len)) {
			u->restart_set = true;
			u->restart = names[i].policy;
			u->restart_max = 0;
			if (v[len] == ':') {
				char *end;
				u->restart_max = strtoll(v + len + 1, &end, 10);
				if (u->restart != RESTART_ON_FAILURE || *end ||
				    end == v + len + 1 || u->restart_max < 0) {
					fprintf(stderr,
						"minirun: invalid restart policy format: maximum "
						"retry count can only be used with 'on-failure'\n");
					return -1;
				}
			}
			return 0;
		}
	/* docker's daemon's words; no, always, on-failure and unless-stopped are the ones */
	fprintf(stderr, "minirun: invalid restart policy '%s'\n", v);
	return -1;
}

/* the record R after U (its limits and restart policy), and the linux.resources object of
 * what U changes */
static json_t *apply(struct container_record *rec, const struct update *u)
{
	struct container_limits *l = &rec->host.limits;
	json_t *r = json_object();
	if (u->memory || u->swap_set) {
		if (u->memory)
			l->memory = u->memory;
		if (u->swap_set)
			l->memory_swap = u->swap; /* else the one set stays (update_one checked) */
		json_t *m =
			json_pack("{s:I}", "limit", (json_int_t)(l->memory > 0 ? l->memory : -1));
		if (l->memory_swap)
			json_object_set_new(m, "swap", json_integer(l->memory_swap));
		json_object_set_new(r, "memory", m);
	}
	if (u->cpus >= 0) {
		long long nano = (long long)(u->cpus * 1e9 + 0.5);
		l->nano_cpus = nano;
		/* --cpus 0: no quota ("max") */
		json_object_set_new(r, "cpu",
				    json_pack("{s:I, s:I}", "quota",
					      (json_int_t)(nano > 0 ? nano / 10000 : -1), "period",
					      (json_int_t)100000));
	}
	if (u->pids_set) {
		l->pids_limit = u->pids > 0 ? u->pids : 0;
		json_object_set_new(
			r, "pids",
			json_pack("{s:I}", "limit", (json_int_t)(u->pids > 0 ? u->pids : -1)));
	}
	update_res_apply(l, &u->res, r); /* -c, --cpu-period, --cpuset-*, --blkio-weight */
	if (u->restart_set) {
		rec->host.restart = u->restart;
		rec->host.restart_max = (int)u->restart_max;
	}
	return r;
}

static int update_one(const char *ref, const struct update *u)
{
	struct container c;
	struct mr_err err = {0};
	if (info_open(ref, true, &c) < 0)
		return -1;
	int rc = -1;
	if (u->restart_set && u->restart != RESTART_NO && c.r.host.auto_remove) {
		fprintf(stderr,
			"minirun: Cannot update container %s: Restart policy cannot be "
			"updated because AutoRemove is enabled for the container\n",
			c.id);
		container_close(&c);
		return -1;
	}
	long long oldswap = c.r.host.limits.memory_swap;
	if (u->memory > 0 && !u->swap_set && oldswap > 0 && u->memory > oldswap) {
		/* docker's rule: the swap total would fall below the memory */
		fprintf(stderr,
			"minirun: Cannot update container %s: Memory limit should be smaller than "
			"already set memoryswap limit, update the memoryswap at the same time\n",
			c.id);
		container_close(&c);
		return -1;
	}
	if (update_res_conflicts(&c.r.host.limits, &u->res, u->cpus, &err) < 0) {
		fprintf(stderr, "minirun: Cannot update container %s: %s\n", c.id, err.msg);
		container_close(&c);
		return -1;
	}
	json_t *res = apply(&c.r, u);
	enum container_state st = container_status(&c);
	char oci[4400];
	if (json_object_size(res) && (st == CONTAINER_RUNNING || st == CONTAINER_PAUSED)) {
		mr_say("ctr_update %.12s: new limits on its cgroup", c.id);
		/* a refusal leaves the record as it was: it is not saved */
		if (ctr_update(container_oci_root(c.root, oci, sizeof(oci)), c.id, res, &err) < 0) {
			fprintf(stderr, "minirun: Cannot update container %s: %s\n", c.id, err.msg);
			goto out;
		}
	}
	if (container_save(&c, &err) < 0)
		fprintf(stderr, "minirun: Cannot update container %s: %s\n", c.id, err.msg);
	else
		rc = 0;
out:
	json_decref(res);
	container_close(&c);
	return rc;
}

int cmd_update(int argc, char **argv)
{
	static const struct option opts[] = {{"memory", required_argument, NULL, 'm'},
					     {"memory-swap", required_argument, NULL, 'S'},
					     {"cpus", required_argument, NULL, 'C'},
					     {"cpu-shares", required_argument, NULL, 'c'},
					     {"cpu-period", required_argument, NULL, 1001},
					     {"cpu-quota", required_argument, NULL, 1002},
					     {"cpuset-cpus", required_argument, NULL, 1003},
					     {"cpuset-mems", required_argument, NULL, 1004},
					     {"blkio-weight", required_argument, NULL, 1005},
					     {"pids-limit", required_argument, NULL, 'p'},
					     {"restart", required_argument, NULL, 'r'},
					     {NULL, 0, NULL, 0}};
	static const char help[] =
		"Usage:  minirun update [OPTIONS] CONTAINER [CONTAINER...]\n\n"
		"Update configuration of one or more containers\n\n"
		"Options:\n"
		"      --blkio-weight uint16  Block IO (relative weight), between 10 and 1000\n"
		"      --cpu-period int       Limit CPU CFS (Completely Fair Scheduler) period\n"
		"      --cpu-quota int        Limit CPU CFS (Completely Fair Scheduler) quota\n"
		"  -c, --cpu-shares int       CPU shares (relative weight)\n"
		"      --cpus decimal         Number of CPUs (0: no limit)\n"
		"      --cpuset-cpus string   CPUs in which to allow execution (0-3, 0,1)\n"
		"      --cpuset-mems string   MEMs in which to allow execution (0-3, 0,1)\n"
		"  -m, --memory bytes         Memory limit\n"
		"      --memory-swap bytes    Swap limit equal to memory plus swap: -1 to enable\n"
		"                             unlimited swap\n"
		"      --pids-limit int       Tune container pids limit (set -1 for unlimited)\n"
		"      --restart string       Restart policy to apply when a container exits\n";
	struct update u = {.cpus = -1};
	struct mr_err err = {0};
	int ch, rc = 0;
	char *end;
	bool any = false;
	optind = 0;
	while ((ch = mr_verb_opt(argc, argv, "update", "m:c:", opts, help, &rc)) != -1) {
		any = true;
		switch (ch) {
		case MR_OPT_DONE: return rc;
		case 'm':
			if ((u.memory = container_parse_bytes(optarg, &err)) < 0)
				goto bad;
			if (u.memory > 0 && u.memory < 6 * 1024 * 1024) {
				fprintf(stderr, "minirun: Minimum memory limit allowed is 6MB\n");
				return MR_EXIT_RUNTIME;
			}
			break;
		case 'S':
			u.swap_set = true;
			if (!strcmp(optarg, "-1"))
				u.swap = -1;
			else if ((u.swap = container_parse_bytes(optarg, &err)) < 0)
				goto bad;
			break;
		case 'c': /* -c, --cpu-shares and the others run has too: its table's words */
		case 1001:
		case 1002:
		case 1003:
		case 1004:
		case 1005:
			for (const struct option *o = opts; o->name; o++)
				if (o->val == ch &&
				    update_res_flag(&u.res, o->name, optarg, &err) < 0)
					goto bad;
			break;
		case 'C':
			u.cpus = strtod(optarg, &end);
			if (*end || end == optarg || u.cpus < 0) {
				fprintf(stderr,
					"minirun: invalid argument \"%s\" for \"--cpus\" flag: failed "
					"to parse %s as a rational number\nSee 'minirun update "
					"--help'.\n",
					optarg, optarg);
				return MR_EXIT_RUNTIME;
			}
			break;
		case 'p':
			u.pids_set = true;
			u.pids = strtoll(optarg, &end, 10);
			if (*end || end == optarg) {
				fprintf(stderr,
					"minirun: invalid argument \"%s\" for \"--pids-limit\" flag: "
					"strconv.ParseInt: parsing \"%s\": invalid syntax\nSee "
					"'minirun update --help'.\n",
					optarg, optarg);
				return MR_EXIT_RUNTIME;
			}
			break;
		case 'r':
			if (parse_restart(optarg, &u) < 0)
				return 1; /* docker's daemon refuses it */
			break;
		}
	}
	if (optind >= argc)
		return info_usage_error("update", "\"update\" requires at least 1 argument.");
	if (!any) {
		fprintf(stderr, "minirun: you must provide one or more flags when using this "
				"command\n");
		return 1;
	}
	if (u.swap_set && u.swap > 0 && u.memory > 0 && u.swap < u.memory) {
		fprintf(stderr, "minirun: Minimum memoryswap limit should be larger than memory "
				"limit, see usage\n");
		return 1;
	}
	/* run's checks of the cgroup flags (docker's daemon makes them before any container) */
	if (update_res_any(&u.res) && update_res_check(&u.res, u.cpus, &err) < 0) {
		fprintf(stderr, "minirun: %s\n", err.msg);
		return 1;
	}
	for (int i = optind; i < argc; i++)
		if (update_one(argv[i], &u) < 0)
			rc = 1;
		else
			printf("%s\n", argv[i]);
	return rc;
bad:
	fprintf(stderr, "minirun: %s\nSee 'minirun update --help'.\n", err.msg);
	return MR_EXIT_RUNTIME;
}
