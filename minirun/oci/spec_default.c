/*
 * minirun/oci/spec_default.c - the default config.json that `minirun oci spec` writes.
 *
 * The same starting point runc gives: run "sh" on a terminal as root, with the three
 * capabilities a plain process needs, new pid/network/ipc/uts/mount/cgroup namespaces, the
 * usual /proc /dev /sys mounts, and the masked and read-only /proc paths that keep a
 * container from reading kernel memory or retuning the host. --rootless adapts it for a
 * user without privileges: a user namespace mapping the caller to root, the host's /sys
 * bound instead of a new sysfs (a user can't mount one without a network namespace it
 * owns), no network namespace and no cgroup limits.
 *
 * See: runc spec --help; runtime-spec config.md "Configuration Schema Example".
 */
#include "minirun/oci/spec.h"

#include <unistd.h>

static json_t *strings(const char *const *v)
{
	json_t *a = json_array();
	for (; *v; v++)
		json_array_append_new(a, json_string(*v));
	return a;
}

static json_t *mount(const char *dest, const char *type, const char *src, const char *const *opts)
{
	return json_pack("{s:s, s:s, s:s, s:o}", "destination", dest, "type", type, "source", src,
			 "options", strings(opts));
}

json_t *spec_default_json(bool rootless)
{
	static const char *const caps[] = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE",
					   NULL};
	static const char *const env[] = {
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm",
		NULL};
	static const char *const masked[] = {"/proc/acpi",
					     "/proc/asound",
					     "/proc/kcore",
					     "/proc/keys",
					     "/proc/latency_stats",
					     "/proc/timer_list",
					     "/proc/timer_stats",
					     "/proc/sched_debug",
					     "/sys/firmware",
					     "/proc/scsi",
					     NULL};
	static const char *const readonly[] = {
		"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL};

	json_t *capset = json_object();
	for (int s = 0; s < SPEC_NCAPSETS; s++)
		if (s != CAPS_INHERITABLE)
			json_object_set_new(capset, spec_capset_names[s], strings(caps));

	json_t *mounts = json_array();
	json_array_append_new(mounts, mount("/proc", "proc", "proc", (const char *const[]){NULL}));
	json_array_append_new(mounts,
			      mount("/dev", "tmpfs", "tmpfs",
				    (const char *const[]){"nosuid", "strictatime", "mode=755",
							  "size=65536k", NULL}));
	json_array_append_new(
		mounts, mount("/dev/pts", "devpts", "devpts",
			      rootless ? (const char *const[]){"nosuid", "noexec", "newinstance",
							       "ptmxmode=0666", "mode=0620", NULL}
				       : (const char *const[]){"nosuid", "noexec", "newinstance",
							       "ptmxmode=0666", "mode=0620",
							       "gid=5", NULL}));
	json_array_append_new(mounts,
			      mount("/dev/shm", "tmpfs", "shm",
				    (const char *const[]){"nosuid", "noexec", "nodev", "mode=1777",
							  "size=65536k", NULL}));
	json_array_append_new(mounts,
			      mount("/dev/mqueue", "mqueue", "mqueue",
				    (const char *const[]){"nosuid", "noexec", "nodev", NULL}));
	if (rootless)
		json_array_append_new(mounts,
				      mount("/sys", "none", "/sys",
					    (const char *const[]){"rbind", "nosuid", "noexec",
								  "nodev", "ro", NULL}));
	else {
		json_array_append_new(mounts, mount("/sys", "sysfs", "sysfs",
						    (const char *const[]){"nosuid", "noexec",
									  "nodev", "ro", NULL}));
		json_array_append_new(mounts,
				      mount("/sys/fs/cgroup", "cgroup", "cgroup",
					    (const char *const[]){"nosuid", "noexec", "nodev",
								  "relatime", "ro", NULL}));
	}

	json_t *ns = json_array();
	static const char *const ns_root[] = {"pid",   "network", "ipc", "uts",
					      "mount", "cgroup",  NULL};
	static const char *const ns_user[] = {"pid", "ipc", "uts", "mount", "user", NULL};
	for (const char *const *n = rootless ? ns_user : ns_root; *n; n++)
		json_array_append_new(ns, json_pack("{s:s}", "type", *n));

	json_t *lx = json_pack("{s:o, s:o, s:o}", "namespaces", ns, "maskedPaths", strings(masked),
			       "readonlyPaths", strings(readonly));
	if (rootless) {
		json_object_set_new(lx, "uidMappings",
				    json_pack("[{s:i, s:i, s:i}]", "containerID", 0, "hostID",
					      (json_int_t)getuid(), "size", 1));
		json_object_set_new(lx, "gidMappings",
				    json_pack("[{s:i, s:i, s:i}]", "containerID", 0, "hostID",
					      (json_int_t)getgid(), "size", 1));
	} else {
		json_object_set_new(
			lx, "resources",
			json_pack("{s:[{s:b, s:s}]}", "devices", "allow", 0, "access", "rwm"));
	}

	json_t *process =
		json_pack("{s:b, s:{s:i, s:i}, s:[s], s:o, s:s, s:o, s:[{s:s, s:i, s:i}], s:b}",
			  "terminal", 1, "user", "uid", 0, "gid", 0, "args", "sh", "env",
			  strings(env), "cwd", "/", "capabilities", capset, "rlimits", "type",
			  "RLIMIT_NOFILE", "hard", 1024, "soft", 1024, "noNewPrivileges", 1);

	return json_pack("{s:s, s:o, s:{s:s, s:b}, s:s, s:o, s:o}", "ociVersion", "1.0.2",
			 "process", process, "root", "path", "rootfs", "readonly", 1, "hostname",
			 "minirun", "mounts", mounts, "linux", lx);
}
