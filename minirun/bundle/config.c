/*
 * minirun/bundle/config.c - a container's record -> the OCI config.json, with docker's
 * defaults.
 *
 * This is where "a container" stops being a docker idea and becomes the list of kernel
 * settings the OCI runtime applies. What docker gives every container, and why:
 *
 *   namespaces     pid ipc uts mount cgroup, and network unless --network host (a new one
 *                  for bridge/user networks/none; container:ID joins the other's by path)
 *   capabilities   14 of the ~41: enough to be "root" for a package manager (chown, setuid,
 *                  bind port 80, mknod ...), not enough to change the host (no SYS_ADMIN,
 *                  NET_ADMIN, SYS_MODULE, SYS_PTRACE, SYS_TIME ...). Bounding = effective =
 *                  permitted; inheritable empty (file capabilities can't be inherited)
 *   mounts         a fresh /proc, a tmpfs /dev with only the safe nodes, /dev/pts with its
 *                  own ptmx (newinstance), 64 MB /dev/shm, /dev/mqueue, /sys and the cgroup
 *                  tree read-only, and the hosts/hostname/resolv.conf files bound in
 *   masked paths   /proc files that read kernel memory or host state (/proc/kcore, keys,
 *                  timer_list ...) are covered with /dev/null or an empty tmpfs
 *   read-only      /proc/sys, /proc/sysrq-trigger, /proc/irq ...: readable, not writable
 *   devices        the cgroup denies every device but the defaults the runtime adds
 *   seccomp        an allow-list (seccomp_default.c)
 * --privileged undoes all of it: every capability, no seccomp, nothing masked, /sys
 * writable, the host's devices.
 *
 * The user (-u / USER, --group-add) is looked up in the container's own /etc/passwd and
 * /etc/group, read inside the rootfs (a hostile image's symlink stays in it): user.c.
 *
 * See: runtime-spec config.md, config-linux.md; capabilities(7);
 *      https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities
 */
#include "minirun/bundle/bundle.h"
#include "lib/cleanup.h"
#include "lib/file.h"
#include "minirun/rootless/rootless.h"

#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* ---- capabilities ------------------------------------------------------------------------ */

/* docker's default set (moby's oci/caps/defaults.go) */
static const int default_caps[] = {
	CAP_CHOWN,   CAP_DAC_OVERRIDE, CAP_FSETID,           CAP_FOWNER,
	CAP_MKNOD,   CAP_NET_RAW,      CAP_SETGID,           CAP_SETUID,
	CAP_SETFCAP, CAP_SETPCAP,      CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT,
	CAP_KILL,    CAP_AUDIT_WRITE,
};

bool container_cap_known(const char *name)
{
	cap_value_t v;
	return strncmp(name, "CAP_", 4) == 0 && cap_from_name(name, &v) == 0 && v < 64;
}

unsigned long long container_caps_default(void)
{
	unsigned long long m = 0;
	for (size_t i = 0; i < sizeof(default_caps) / sizeof(default_caps[0]); i++)
		m |= 1ULL << default_caps[i];
	return m;
}

/* NAMES (a JSON array of capability names as docker takes them: "CAP_X", "net_admin",
 * "ALL", any case) as a mask; *all set when "ALL" is among them */
static int caps_mask(json_t *names, unsigned long long *mask, bool *all, struct mr_err *err)
{
	size_t i;
	json_t *n;
	*mask = 0;
	*all = false;
	json_array_foreach(names, i, n)
	{
		const char *s = json_string_value(n);
		cap_value_t v;
		char name[64];
		if (s && strcasecmp(s, "ALL") == 0) {
			*all = true;
			continue;
		}
		/* the record keeps them as typed: "CAP_" and upper case here */
		snprintf(name, sizeof(name), "%s%s",
			 s && strncasecmp(s, "CAP_", 4) == 0 ? "" : "CAP_", s ? s : "?");
		for (char *c = name; *c; c++)
			*c = (char)toupper((unsigned char)*c);
		if (!s || !container_cap_known(name) || cap_from_name(name, &v) != 0)
			return mr_fail(err, 0, "unknown capability: \"%s\"", s ? s : "?");
		*mask |= 1ULL << v;
	}
	return 0;
}

int container_caps(bool privileged, json_t *cap_add, json_t *cap_drop, unsigned long long all,
		   unsigned long long *out, struct mr_err *err)
{
	unsigned long long add, drop;
	bool add_all, drop_all;
	if (privileged) {
		*out = all;
		return 0;
	}
	if (caps_mask(cap_add, &add, &add_all, err) < 0 ||
	    caps_mask(cap_drop, &drop, &drop_all, err) < 0)
		return -1;
	if (add_all) /* --cap-add ALL --cap-drop X: everything but X */
		*out = all & ~drop;
	else if (drop_all) /* --cap-drop ALL --cap-add X: only X */
		*out = add & all;
	else
		*out = ((container_caps_default() & ~drop) | add) & all;
	return 0;
}

/* "Every capability": the ones this process's bounding set still holds. A runtime can't
 * give a container a capability it has lost itself (here: CAP_SYS_RESOURCE on some CI
 * hosts), and asking would fail the start for every --privileged container. The whole set
 * is one line of /proc/self/status (CapBnd), else one prctl per capability. Read once per
 * process (the set only shrinks, and minirun drops nothing of its own): the early monitor
 * reads it as it waits (container_oci_config_ahead), the start then finds it here. */
static unsigned long long caps_all(void)
{
	static pid_t known; /* the process the set below was read by */
	static unsigned long long m;
	int last = (int)cap_max_bits() - 1;
	_cleanup_free_ char *status = NULL;
	const char *line = NULL;
	if (known == getpid())
		return m;
	known = getpid();
	m = 0;
	if (mr_read_file("/proc/self/status", &status, NULL, NULL) == 0 &&
	    (line = strstr(status, "\nCapBnd:")) && sscanf(line + 8, "%llx", &m) == 1)
		return m = last < 63 ? m & ((1ULL << (last + 1)) - 1) : m;
	m = 0;
	for (int c = 0; c <= last && c < 64; c++)
		if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1)
			m |= 1ULL << c;
	return m;
}

/* The capability names of mask M, "CAP_CHOWN" first (bit order), as a new array */
static json_t *caps_json(unsigned long long m)
{
	json_t *a = json_array();
	for (int c = 0; c < 64; c++) {
		if (!(m >> c & 1))
			continue;
		char *n = cap_to_name(c);
		for (char *p = n; p && *p; p++) /* libcap says "cap_chown"; OCI "CAP_CHOWN" */
			*p = (char)toupper((unsigned char)*p);
		if (n)
			json_array_append_new(a, json_string(n));
		cap_free(n);
	}
	return a;
}

/* ---- --init -------------------------------------------------------------------------------- */

const char *container_init_path(void)
{
	static char found[PATH_MAX + 64];
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	const char *env = getenv("MINIRUN_INIT");
	if (env && access(env, X_OK) == 0)
		return env;
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		*slash = '\0';
		/* installed: next to minirun; built: minirun/containers/init/ beside
		 * minirun/minirun */
		static const char *const rel[] = {"minirun-init", "containers/init/minirun-init",
						  "../libexec/minirun/minirun/containers/init/"
						  "minirun-init"};
		for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			snprintf(found, sizeof(found), "%s/%s", self, rel[i]);
			if (access(found, X_OK) == 0)
				return found;
		}
	}
	static const char *const fixed[] = {
		"/usr/local/libexec/minirun/minirun/containers/init/minirun-init",
		"/usr/libexec/minirun/minirun/containers/init/minirun-init"};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (access(fixed[i], X_OK) == 0)
			return fixed[i];
	return NULL;
}

/* ---- mounts -------------------------------------------------------------------------------- */

static json_t *mnt(const char *dest, const char *type, const char *src, const char *opts)
{
	json_t *o = json_array();
	char buf[256], *save = NULL;
	snprintf(buf, sizeof(buf), "%s", opts);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		json_array_append_new(o, json_string(t));
	return json_pack("{s:s, s:s, s:s, s:o}", "destination", dest, "type", type, "source", src,
			 "options", o);
}

/* docker's mounts, in mount order (a parent before what is mounted inside it) */
static const struct {
	const char *dest, *type, *src, *opts, *privileged_opts;
} default_mounts[] = {
	{"/proc", "proc", "proc", "nosuid,noexec,nodev", NULL},
	{"/dev", "tmpfs", "tmpfs", "nosuid,strictatime,mode=755,size=65536k", NULL},
	{"/dev/pts", "devpts", "devpts", "nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5",
	 NULL},
	{"/sys", "sysfs", "sysfs", "nosuid,noexec,nodev,ro", "nosuid,noexec,nodev,rw"},
	{"/sys/fs/cgroup", "cgroup", "cgroup", "nosuid,noexec,nodev,relatime,ro",
	 "nosuid,noexec,nodev,relatime,rw"},
	{"/dev/mqueue", "mqueue", "mqueue", "nosuid,noexec,nodev", NULL},
	{"/dev/shm", "tmpfs", "shm", "nosuid,noexec,nodev,mode=1777,size=67108864", NULL},
};

static bool has_dest(json_t *mounts, const char *dest)
{
	size_t i;
	json_t *m;
	json_array_foreach(mounts, i, m)
	{
		const char *d = json_string_value(json_object_get(m, "destination"));
		if (d && strcmp(d, dest) == 0)
			return true;
	}
	return false;
}

/* The user's mounts: vol.c's (Minirun.OciMounts), then --tmpfs (HostConfig.Tmpfs). */
static json_t *user_mounts(json_t *rec)
{
	json_t *out = json_array(), *m, *v;
	size_t i;
	const char *dest;
	json_t *oci = json_object_get(json_object_get(rec, "Minirun"), "OciMounts");
	json_array_foreach(oci, i, m)
	{
		json_array_append(out, m);
	}
	json_object_foreach(json_object_get(json_object_get(rec, "HostConfig"), "Tmpfs"), dest, v)
	{
		/* docker's --tmpfs default: noexec,nosuid,nodev; options given are added */
		char opts[256];
		const char *given = json_string_value(v);
		snprintf(opts, sizeof(opts), "noexec,nosuid,nodev%s%s", given && *given ? "," : "",
			 given ? given : "");
		json_array_append_new(out, mnt(dest, "tmpfs", "tmpfs", opts));
	}
	return out;
}

/* The "mounts" array: docker's defaults (privileged: /sys and the cgroup tree rw; /dev/shm
 * of HostConfig.ShmSize), the hosts/hostname/resolv.conf binds of P, the user's mounts, the
 * init. A default whose destination a user mount takes is left out. New reference. */
static json_t *mounts(json_t *rec, const struct container_paths *p, bool privileged)
{
	json_t *out = json_array(), *user = user_mounts(rec);
	json_int_t shm =
		json_integer_value(json_object_get(json_object_get(rec, "HostConfig"), "ShmSize"));
	/* a user mount on a default's destination (--tmpfs /dev/shm) replaces the default */
	for (size_t i = 0; i < sizeof(default_mounts) / sizeof(default_mounts[0]); i++) {
		const char *opts = privileged && default_mounts[i].privileged_opts
					   ? default_mounts[i].privileged_opts
					   : default_mounts[i].opts;
		char shm_opts[128];
		if (strcmp(default_mounts[i].dest, "/dev/shm") == 0 && shm > 0) {
			/* --shm-size: tmpfs's size= in bytes (the kernel rounds up to pages) */
			snprintf(shm_opts, sizeof(shm_opts),
				 "nosuid,noexec,nodev,mode=1777,size=%lld", (long long)shm);
			opts = shm_opts;
		}
		if (!has_dest(user, default_mounts[i].dest))
			json_array_append_new(out,
					      mnt(default_mounts[i].dest, default_mounts[i].type,
						  default_mounts[i].src, opts));
	}
	const struct {
		const char *dest, *src;
	} files[] = {
		{"/etc/resolv.conf", p->resolv_conf},
		{"/etc/hostname", p->hostname},
		{"/etc/hosts", p->hosts},
	};
	/* --read-only: these three read-only too, as docker binds them */
	bool ro =
		json_is_true(json_object_get(json_object_get(rec, "HostConfig"), "ReadonlyRootfs"));
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (files[i].src && !has_dest(user, files[i].dest))
			json_array_append_new(out,
					      mnt(files[i].dest, "bind", files[i].src,
						  ro ? "rbind,rprivate,ro" : "rbind,rprivate"));
	json_array_extend(out, user);
	json_decref(user);
	if (p->init)
		json_array_append_new(
			out, mnt(CONTAINER_INIT_DEST, "bind", p->init, "bind,ro,nosuid,nodev"));
	return out;
}

/* ---- devices (--privileged: the host's) ------------------------------------------------------ */

static void host_devices(const char *dir, int depth, json_t *out)
{
	_cleanup_closedir_ DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char path[PATH_MAX];
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (lstat(path, &st) < 0)
			continue;
		/* the container has its own pts, shm and mqueue; the console is its tty's */
		if (S_ISDIR(st.st_mode) && depth < 2 && strcmp(e->d_name, "pts") &&
		    strcmp(e->d_name, "shm") && strcmp(e->d_name, "mqueue"))
			host_devices(path, depth + 1, out);
		if ((!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode)) ||
		    strcmp(path, "/dev/console") == 0 || strcmp(path, "/dev/ptmx") == 0)
			continue;
		json_array_append_new(out, json_pack("{s:s, s:s, s:I, s:I, s:i, s:i, s:i}", "path",
						     path, "type", S_ISCHR(st.st_mode) ? "c" : "b",
						     "major", (json_int_t)major(st.st_rdev),
						     "minor", (json_int_t)minor(st.st_rdev),
						     "fileMode", (int)(st.st_mode & 07777), "uid",
						     (int)st.st_uid, "gid", (int)st.st_gid));
	}
}

/* ---- the process ---------------------------------------------------------------------------- */

/* The "process" object: args (after /dev/init with --init), env, cwd, the user resolved in
 * P->rootfs, the terminal, CAPS as bounding = effective = permitted. NULL with err when the
 * user can't be found. New reference. */
static json_t *process(json_t *rec, const struct container_paths *p, unsigned long long caps,
		       struct mr_err *err)
{
	json_t *cfg = json_object_get(rec, "Config");
	json_t *args = json_array(), *env = json_array(), *e;
	const char *hostname = json_string_value(json_object_get(cfg, "Hostname"));
	const char *cwd = json_string_value(json_object_get(cfg, "WorkingDir"));
	bool tty = json_is_true(json_object_get(cfg, "Tty"));
	struct container_user u;
	size_t i;
	char kv[512];

	json_t *hc = json_object_get(rec, "HostConfig");
	json_t *rlimits = container_rlimits_oci(json_object_get(hc, "Ulimits"), err);
	if (!rlimits ||
	    container_resolve_user(p->rootfs, json_string_value(json_object_get(cfg, "User")), &u,
				   err) < 0 ||
	    container_group_add(p->rootfs, json_object_get(hc, "GroupAdd"), &u, err) < 0) {
		json_decref(rlimits);
		json_decref(args);
		json_decref(env);
		return NULL;
	}
	if (p->init) { /* the init runs the command as its child: "/dev/init -- CMD ARGS" */
		json_array_append_new(args, json_string(CONTAINER_INIT_DEST));
		json_array_append_new(args, json_string("--"));
	}
	json_array_append(args, json_object_get(rec, "Path"));
	json_array_extend(args, json_object_get(rec, "Args"));

	/* as docker's daemon: PATH, HOSTNAME, TERM with -t; then Config.Env, which wins (by
	 * a key index, env.c: linear in the count) */
	struct container_env ce;
	container_env_init(&ce, env);
	container_env_set(&ce, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			  true);
	snprintf(kv, sizeof(kv), "HOSTNAME=%s", hostname ? hostname : "");
	container_env_set(&ce, kv, true);
	if (tty)
		container_env_set(&ce, "TERM=xterm", true);
	json_array_foreach(json_object_get(cfg, "Env"), i, e)
	{
		if (json_is_string(e))
			container_env_set(&ce, json_string_value(e), true);
	}
	snprintf(kv, sizeof(kv), "HOME=%s", u.home); /* as runc: from passwd, unless given */
	container_env_set(&ce, kv, false);
	container_env_done(&ce);

	json_t *gids = json_array();
	for (i = 0; i < u.ngids; i++)
		json_array_append_new(gids, json_integer(u.gids[i]));
	json_t *user = json_pack("{s:I, s:I}", "uid", (json_int_t)u.uid, "gid", (json_int_t)u.gid);
	if (u.ngids)
		json_object_set_new(user, "additionalGids", gids);
	else
		json_decref(gids);

	json_t *capset = json_object();
	json_object_set_new(capset, "bounding", caps_json(caps));
	json_object_set_new(capset, "effective", caps_json(caps));
	json_object_set_new(capset, "permitted", caps_json(caps));

	json_t *nnp = json_object_get(json_object_get(rec, "Minirun"), "NoNewPrivileges");
	/* the record's WorkingDir is absolute (record.c); one of an older record may not be,
	 * and is taken from / as docker does (the runtime refuses a relative cwd) */
	char cwdbuf[4100];
	snprintf(cwdbuf, sizeof(cwdbuf), "/%s", cwd && *cwd ? cwd + (*cwd == '/') : "");
	json_t *proc = json_pack("{s:b, s:o, s:o, s:o, s:s, s:o, s:b}", "terminal", tty, "user",
				 user, "args", args, "env", env, "cwd", cwdbuf, "capabilities",
				 capset, "noNewPrivileges", json_is_true(nnp));
	if (json_array_size(rlimits)) /* --ulimit; none: the runtime's own limits pass on */
		json_object_set(proc, "rlimits", rlimits);
	json_decref(rlimits);
	return proc;
}

/* ---- linux: namespaces, resources, paths ------------------------------------------------------
 */

static const char *const masked_paths[] = {
	"/proc/asound",     "/proc/acpi",        "/proc/interrupts",
	"/proc/kcore",      "/proc/keys",        "/proc/latency_stats",
	"/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
	"/proc/scsi",       "/sys/firmware",     "/sys/devices/virtual/powercap",
};
static const char *const readonly_paths[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

static json_t *str_array(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

json_t *bundle_masked_paths(void)
{
	return str_array(masked_paths, sizeof(masked_paths) / sizeof(masked_paths[0]));
}

json_t *bundle_readonly_paths(void)
{
	return str_array(readonly_paths, sizeof(readonly_paths) / sizeof(readonly_paths[0]));
}

/* linux.namespaces for the network MODE ("host": no network namespace; "container:ID":
 * P->netns, which must be known; else P->netns or a new one). NULL with err. */
static json_t *namespaces(const char *mode, const struct container_paths *p, struct mr_err *err)
{
	static const char *const always[] = {"pid", "ipc", "uts", "mount", "cgroup"};
	json_t *ns = json_array();
	for (size_t i = 0; i < sizeof(always) / sizeof(always[0]); i++)
		json_array_append_new(ns, json_pack("{s:s}", "type", always[i]));
	if (strcmp(mode, "host") == 0)
		return ns; /* no network namespace: the host's stack, as docker */
	if (strncmp(mode, "container:", 10) == 0 && !p->netns) {
		json_decref(ns);
		mr_fail(err, 0,
			"--network %s: the other container's network namespace is "
			"not known (is it running?)",
			mode);
		return NULL;
	}
	json_array_append_new(
		ns, p->netns ? json_pack("{s:s, s:s}", "type", "network", "path", p->netns)
			     : json_pack("{s:s}", "type", "network"));
	return ns;
}

json_t *bundle_devices_default(void)
{
	return json_pack("[{s:b, s:s}]", "allow", 0, "access", "rwm");
}

/* linux.resources from HostConfig HC: the device policy (deny all, then ALLOW: the --device
 * rules), memory (+swap, the reservation), cpu quota, pids. Takes over ALLOW. */
static json_t *resources(json_t *hc, bool privileged, json_t *allow)
{
	json_t *r = json_object();
	json_int_t mem = json_integer_value(json_object_get(hc, "Memory"));
	json_int_t swap = json_integer_value(json_object_get(hc, "MemorySwap"));
	json_int_t soft = json_integer_value(json_object_get(hc, "MemoryReservation"));
	json_int_t nano = json_integer_value(json_object_get(hc, "NanoCpus"));
	json_t *pids = json_object_get(hc, "PidsLimit");
	/* the cgroup allows no device but the runtime's defaults. --privileged: no device
	 * policy at all (docker's "allow a *:* rwm"), which the runtime takes as "leave the
	 * cgroup's devices alone"; a rule per host device would only restate it, and makes an
	 * eBPF device program on cgroup v2 too long for the verifier. */
	if (!privileged) {
		json_t *rules = bundle_devices_default();
		json_array_extend(rules, allow);
		json_object_set_new(r, "devices", rules);
	}
	json_decref(allow);
	if (mem > 0 || soft > 0) {
		json_t *m = json_object();
		if (mem > 0)
			json_object_set_new(m, "limit", json_integer(mem));
		if (mem > 0 && swap)
			json_object_set_new(m, "swap", json_integer(swap));
		/* --memory-reservation: memory.low (v2), memory.soft_limit_in_bytes (v1) */
		if (soft > 0)
			json_object_set_new(m, "reservation", json_integer(soft));
		json_object_set_new(r, "memory", m);
	}
	if (nano > 0) /* --cpus 1.5 = 150 ms of CPU time every 100 ms period */
		json_object_set_new(r, "cpu",
				    json_pack("{s:I, s:I}", "quota", (json_int_t)(nano / 10000),
					      "period", (json_int_t)100000));
	if (json_is_integer(pids))
		json_object_set_new(r, "pids",
				    json_pack("{s:I}", "limit", json_integer_value(pids)));
	return r;
}

/* The seccomp object: none (--privileged, seccomp=unconfined), a profile given with
 * --security-opt seccomp=FILE, or docker's default for the capabilities CAPS. */
static int seccomp(json_t *rec, bool privileged, unsigned long long caps, json_t **out,
		   struct mr_err *err)
{
	json_t *s = json_object_get(json_object_get(rec, "Minirun"), "Seccomp");
	*out = NULL;
	if (privileged || (json_is_string(s) && strcmp(json_string_value(s), "unconfined") == 0))
		return 0;
	if (json_is_object(s))
		return (*out = container_seccomp_profile(s, caps, err)) ? 0 : -1;
	*out = container_seccomp_default(caps);
	return 0;
}

void container_oci_config_ahead(void)
{
	unsigned long long caps;
	/* a container without --privileged, --cap-add or --cap-drop: most of them */
	if (container_caps(false, NULL, NULL, caps_all(), &caps, NULL) == 0)
		container_seccomp_default_ahead(caps);
}

json_t *bundle_net_sysctl(const char *mode)
{
	if (!strcmp(mode, "host") || !strncmp(mode, "container:", 10))
		return NULL;
	/* docker (20.10+): in a network namespace of its own, binding ports below 1024 and
	 * ping need no capability: the namespace can't reach beyond the container anyway.
	 * Rootless, the kernel takes only groups mapped in the user namespace: "0 0" (root's
	 * group), as podman's rootless default */
	json_t *sysctl =
		json_pack("{s:s, s:s}", "net.ipv4.ip_unprivileged_port_start", "0",
			  "net.ipv4.ping_group_range", rootless_active() ? "0 0" : "0 2147483647");
	/* No network of minirun's asks for IPv6 (EnableIPv6 is always false), so, as docker
	 * does, IPv6 is off in the container's namespace: no ::1 on lo, no fe80:: on eth0.
	 * "all" turns it off on lo, which exists already; "default" on the eth0 that moves in
	 * later. Rootless, pasta gives the namespace its IPv6 on purpose (as podman's), so it
	 * stays on there; and a kernel booted without IPv6 has no such sysctl to write. */
	if (!rootless_active() && access("/proc/sys/net/ipv6", F_OK) == 0) {
		json_object_set_new(sysctl, "net.ipv6.conf.all.disable_ipv6", json_string("1"));
		json_object_set_new(sysctl, "net.ipv6.conf.default.disable_ipv6", json_string("1"));
	}
	return sysctl;
}

json_t *container_oci_config(json_t *rec, const struct container_paths *p, struct mr_err *err)
{
	json_t *hc = json_object_get(rec, "HostConfig"), *cfg = json_object_get(rec, "Config");
	bool privileged = json_is_true(json_object_get(hc, "Privileged"));
	const char *mode = json_string_value(json_object_get(hc, "NetworkMode"));
	unsigned long long caps;
	json_t *sc = NULL;
	if (!mode || strcmp(mode, "default") == 0)
		mode = NETWORK_DEFAULT;
	if (!p || !p->rootfs) {
		mr_fail(err, 0, "container config: no rootfs path");
		return NULL;
	}
	if (container_caps(privileged, json_object_get(hc, "CapAdd"),
			   json_object_get(hc, "CapDrop"), caps_all(), &caps, err) < 0 ||
	    seccomp(rec, privileged, caps, &sc, err) < 0)
		return NULL;
	json_t *ns = namespaces(mode, p, err);
	if (!ns) {
		json_decref(sc);
		return NULL;
	}
	json_t *proc = process(rec, p, caps, err);
	if (!proc) {
		json_decref(sc);
		json_decref(ns);
		return NULL;
	}

	/* --device: the nodes, and the rules that let them be opened */
	json_t *devs = json_array(), *allow = json_array();
	if (privileged)
		host_devices("/dev", 0, devs);
	if (container_devices_oci(json_object_get(hc, "Devices"), devs, allow, err) < 0) {
		json_decref(devs);
		json_decref(allow);
		json_decref(sc);
		json_decref(ns);
		json_decref(proc);
		return NULL;
	}

	/* -m, --cpus, --pids-limit, the device rules here; --cpu-shares, --cpuset-*, --blkio-*,
	 * --oom-* and the rest in resources.c */
	json_t *res = resources(hc, privileged, allow);
	if (container_resources_oci(hc, res, proc, err) < 0) {
		json_decref(res);
		json_decref(devs);
		json_decref(sc);
		json_decref(ns);
		json_decref(proc);
		return NULL;
	}

	json_t *lx = json_object();
	json_object_set_new(lx, "namespaces", ns);
	json_object_set_new(lx, "resources", res);
	if (p->cgroups_path)
		json_object_set_new(lx, "cgroupsPath", json_string(p->cgroups_path));
	if (!privileged) {
		json_object_set_new(
			lx, "maskedPaths",
			str_array(masked_paths, sizeof(masked_paths) / sizeof(masked_paths[0])));
		json_object_set_new(lx, "readonlyPaths",
				    str_array(readonly_paths,
					      sizeof(readonly_paths) / sizeof(readonly_paths[0])));
	}
	if (json_array_size(devs))
		json_object_set(lx, "devices", devs);
	json_decref(devs);
	json_t *sysctl = bundle_net_sysctl(mode);
	if (sysctl)
		json_object_set_new(lx, "sysctl", sysctl);
	if (sc)
		json_object_set_new(lx, "seccomp", sc);

	json_t *c = json_object();
	json_object_set_new(c, "ociVersion", json_string("1.0.2"));
	json_object_set_new(c, "process", proc);
	json_object_set_new(c, "root",
			    json_pack("{s:s, s:b}", "path", p->rootfs, "readonly",
				      json_is_true(json_object_get(hc, "ReadonlyRootfs"))));
	json_object_set_new(
		c, "hostname",
		json_string(json_string_value(json_object_get(cfg, "Hostname"))
				    ? json_string_value(json_object_get(cfg, "Hostname"))
				    : ""));
	json_object_set_new(c, "mounts", mounts(rec, p, privileged));
	json_object_set_new(c, "linux", lx);
	if (bundle_ns_config(rec, c, p, err) < 0) { /* --pid --ipc --uts --sysctl ...: nsmodes.c */
		json_decref(c);
		return NULL;
	}
	return c;
}
