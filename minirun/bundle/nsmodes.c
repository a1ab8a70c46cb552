/*
 * minirun/bundle/nsmodes.c - the namespace flags (--pid --ipc --uts --cgroupns --userns),
 * --sysctl and --security-opt systempaths= / apparmor=: from the record's HostConfig, in
 * docker's keys (containers/record.c puts the flags there), into the OCI config.
 *
 * config.c gives every container a new namespace of each kind. Here the config is changed
 * after that, one rule per flag, so each can be read on its own:
 *
 *   PidMode  "host"         no pid entry in linux.namespaces: the host's processes are seen
 *            "container:X"  the pid entry gets "path": /proc/PID/ns/pid of X's init
 *   IpcMode  "private"      docker's default (a new ipc namespace, a /dev/shm of its own)
 *            "shareable"    the same, its /dev/shm a tmpfs the host can reach (RUN/shm):
 *                           only such a one may be joined (docker's rule for a donor)
 *            "none"         a new ipc namespace and no /dev/shm at all
 *            "host"         no ipc entry, and the host's /dev/shm bound in
 *            "container:X"  X's ipc namespace, and X's /dev/shm bound in (POSIX shm lives
 *                           there, System V shm in the namespace)
 *   UTSMode  "host" / "container:X"   as pid; no "hostname" then (the OCI rule: only a new
 *                           uts namespace may be given a name)
 *   CgroupnsMode "private"  a new cgroup namespace, on v1 and v2 alike (docker 20.10 says
 *                           "host" on a v1 host, where it shares the host's); "host": none
 *   UsernsMode "auto"       a user entry and uidMappings/gidMappings: container 0..SIZE-1
 *                           is host HostUID.. / HostGID.. (Minirun.IdMap, chosen at create by
 *                           containers/userns.c; the layers idmapped to match: idmap.c)
 *   Sysctls                 merged into linux.sysctl (over config.c's own two)
 *   systempaths=unconfined  MaskedPaths and ReadonlyPaths [] in the record: none in the config
 *
 * The paths of container:X are the caller's to find (containers/nsjoin.c, at each start:
 * X's init has a new PID each time it starts), given in struct container_paths.
 *
 * See: runtime-spec config-linux.md (namespaces, user namespace mappings, sysctl);
 *      namespaces(7), user_namespaces(7); docker's run reference (--ipc, --pid, --uts).
 */
#include "minirun/bundle/bundle.h"

#include "lib/file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the entry of linux.namespaces NS whose type is TYPE, its index in *AT; NULL if none */
static json_t *ns_entry(json_t *ns, const char *type, size_t *at)
{
	size_t i;
	json_t *e;
	json_array_foreach(ns, i, e)
	{
		if (!strcmp(json_string_value(json_object_get(e, "type")) ?: "", type)) {
			*at = i;
			return e;
		}
	}
	return NULL;
}

/* MODE ("host", "container:X", other) applied to the namespace TYPE: removed for host,
 * joined through PATH for container:X. -1 with err when X's path is not known. */
static int apply_mode(json_t *ns, const char *type, const char *flag, const char *mode,
		      const char *path, struct mr_err *err)
{
	size_t at;
	json_t *e = ns_entry(ns, type, &at);
	if (!mode || !e)
		return 0;
	if (!strcmp(mode, "host"))
		return json_array_remove(ns, at), 0;
	if (strncmp(mode, "container:", 10) != 0)
		return 0;
	if (!path)
		return mr_fail(err, 0,
			       "--%s %s: the other container's namespace is not known (is it "
			       "running?)",
			       flag, mode);
	json_object_set_new(e, "path", json_string(path));
	return 0;
}

/* the /dev/shm mount of MOUNTS, its index in *AT; NULL if none */
static json_t *shm_mount(json_t *mounts, size_t *at)
{
	size_t i;
	json_t *m;
	json_array_foreach(mounts, i, m)
	{
		if (!strcmp(json_string_value(json_object_get(m, "destination")) ?: "",
			    "/dev/shm")) {
			*at = i;
			return m;
		}
	}
	return NULL;
}

/* --ipc none: no /dev/shm; host or container:X: theirs bound in, as docker binds the
 * donor's; shareable: its own tmpfs, which the host (and a joiner) can reach. SHM is that
 * tmpfs (containers/nsjoin.c mounts it). */
static void ipc_shm(json_t *mounts, const char *mode, const char *shm)
{
	size_t at;
	json_t *m = shm_mount(mounts, &at);
	if (!mode || !m || !strcmp(json_string_value(json_object_get(m, "type")) ?: "", "bind"))
		return; /* a -v/--mount on /dev/shm: the user's choice stands */
	if (!strcmp(mode, "none")) {
		json_array_remove(mounts, at);
		return;
	}
	const char *src = !strcmp(mode, "host") ? "/dev/shm"
			  : !strncmp(mode, "container:", 10) || !strcmp(mode, "shareable") ? shm
											   : NULL;
	if (src)
		json_array_set_new(mounts, at,
				   json_pack("{s:s, s:s, s:s, s:[s,s]}", "destination", "/dev/shm",
					     "type", "bind", "source", src, "options", "rbind",
					     "rprivate"));
}

int bundle_ns_config(json_t *rec, json_t *cfg, const struct container_paths *p, struct mr_err *err)
{
	json_t *hc = json_object_get(rec, "HostConfig");
	json_t *lx = json_object_get(cfg, "linux"), *ns = json_object_get(lx, "namespaces");
	const char *pid = json_string_value(json_object_get(hc, "PidMode"));
	const char *ipc = json_string_value(json_object_get(hc, "IpcMode"));
	const char *uts = json_string_value(json_object_get(hc, "UTSMode"));
	const char *cgns = json_string_value(json_object_get(hc, "CgroupnsMode"));
	if (apply_mode(ns, "pid", "pid", pid, p->pidns, err) < 0 ||
	    apply_mode(ns, "ipc", "ipc", ipc, p->ipcns, err) < 0 ||
	    apply_mode(ns, "uts", "uts", uts, p->utsns, err) < 0 ||
	    apply_mode(ns, "cgroup", "cgroupns", cgns, NULL, err) < 0)
		return -1;
	size_t at;
	if (!ns_entry(ns, "uts", &at) ||
	    json_string_value(json_object_get(ns_entry(ns, "uts", &at), "path")))
		json_object_del(cfg, "hostname"); /* the OCI rule: a name needs a new uts ns */
	ipc_shm(json_object_get(cfg, "mounts"), ipc, p->shm);

	json_t *sysctls = json_object_get(hc, "Sysctls");
	if (json_object_size(sysctls)) {
		json_t *to = json_object_get(lx, "sysctl");
		if (!to)
			json_object_set_new(lx, "sysctl", to = json_object());
		json_object_update(to, sysctls); /* the user's over config.c's defaults */
	}
	/* systempaths=unconfined: the record's [] (docker's CLI empties both lists) */
	json_t *masked = json_object_get(hc, "MaskedPaths");
	if (json_is_array(masked) && !json_array_size(masked))
		json_object_del(lx, "maskedPaths");
	json_t *ro = json_object_get(hc, "ReadonlyPaths");
	if (json_is_array(ro) && !json_array_size(ro))
		json_object_del(lx, "readonlyPaths");

	/* --userns=auto: root in the container is HostUID/HostGID on the host (Minirun.IdMap) */
	json_t *map = json_object_get(json_object_get(rec, "Minirun"), "IdMap");
	if (json_is_object(map)) {
		json_int_t uid = json_integer_value(json_object_get(map, "HostUID"));
		json_int_t gid = json_integer_value(json_object_get(map, "HostGID"));
		json_int_t size = json_integer_value(json_object_get(map, "Size"));
		if (uid <= 0 || gid <= 0 || size <= 0)
			return mr_fail(err, 0, "the record's Minirun.IdMap is not a range");
		json_array_append_new(ns, json_pack("{s:s}", "type", "user"));
		/* the runtime writes oomScoreAdj from inside the container, where the remapped
		 * root can't open /proc/self/oom_score_adj (the init is not dumpable then: the
		 * file is host root's). The score the init inherits is the monitor's, read here:
		 * asked for again, it is left out; any other value stays, and the runtime says
		 * why it can't be set */
		json_t *proc = json_object_get(cfg, "process"),
		       *adj = json_object_get(proc, "oomScoreAdj");
		char *own = NULL;
		if (json_is_integer(adj) &&
		    mr_read_file("/proc/self/oom_score_adj", &own, NULL, NULL) == 0 &&
		    atoll(own) == json_integer_value(adj))
			json_object_del(proc, "oomScoreAdj");
		free(own);
		/* the kernel takes only groups mapped in the namespace (as rootless: config.c) */
		json_t *sc = json_object_get(lx, "sysctl");
		if (json_object_get(sc, "net.ipv4.ping_group_range") &&
		    !json_object_get(json_object_get(hc, "Sysctls"), "net.ipv4.ping_group_range")) {
			char range[48];
			snprintf(range, sizeof(range), "0 %lld", (long long)size - 1);
			json_object_set_new(sc, "net.ipv4.ping_group_range", json_string(range));
		}
		json_object_set_new(lx, "uidMappings",
				    json_pack("[{s:i, s:I, s:I}]", "containerID", 0, "hostID", uid,
					      "size", size));
		json_object_set_new(lx, "gidMappings",
				    json_pack("[{s:i, s:I, s:I}]", "containerID", 0, "hostID", gid,
					      "size", size));
	}
	return 0;
}
