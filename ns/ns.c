/*
 * ns/ns.c - the namespace table, /proc/PID/ns lookups, uid/gid maps and setns joins.
 *
 * Every program in ns/ and the minirun runtime use this file, so the mapping between a
 * namespace's name, its CLONE_NEW* flag and its /proc file is written down exactly once.
 *
 * See: namespaces(7), user_namespaces(7) ("Defining user and group ID mappings"),
 *      setns(2), ioctl_ns(2).
 */
#include "ns/ns.h"
#include "lib/cleanup.h"
#include "lib/file.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080 /* Linux 5.6; older C libraries lack the name */
#endif

const struct ns_type ns_types[] = {
	{"cgroup", "cgroup", CLONE_NEWCGROUP, "the cgroup root seen in /proc/self/cgroup"},
	{"ipc", "ipc", CLONE_NEWIPC, "System V IPC objects and POSIX message queues"},
	{"mnt", "mount", CLONE_NEWNS, "the mount table"},
	{"net", "network", CLONE_NEWNET, "network devices, addresses, routes, ports, firewall"},
	{"pid", "pid", CLONE_NEWPID, "process IDs"},
	{"time", "time", CLONE_NEWTIME, "CLOCK_MONOTONIC and CLOCK_BOOTTIME offsets"},
	{"user", "user", CLONE_NEWUSER, "user and group IDs, and capabilities"},
	{"uts", "uts", CLONE_NEWUTS, "hostname and NIS domain name"},
	{NULL, NULL, 0, NULL},
};

const struct ns_type *ns_by_name(const char *name)
{
	for (const struct ns_type *t = ns_types; t->name; t++)
		if (strcmp(name, t->name) == 0 || strcmp(name, t->spec) == 0)
			return t;
	return NULL;
}

const struct ns_type *ns_by_flag(int flag)
{
	for (const struct ns_type *t = ns_types; t->name; t++)
		if (t->flag == flag)
			return t;
	return NULL;
}

int ns_parse_list(const char *list, int *flags, struct mr_err *err)
{
	char buf[256];
	int f = 0;

	if (snprintf(buf, sizeof(buf), "%s", list) >= (int)sizeof(buf))
		return mr_fail(err, 0, "namespace list '%.40s...' is too long", list);
	for (char *save = NULL, *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (strcmp(w, "all") == 0) {
			for (const struct ns_type *t = ns_types; t->name; t++)
				f |= t->flag;
			continue;
		}
		const struct ns_type *t = ns_by_name(w);
		if (!t)
			return mr_fail(
				err, 0,
				"unknown namespace type '%s' (use cgroup, ipc, mnt, net, pid, "
				"time, user, uts or all)",
				w);
		f |= t->flag;
	}
	if (!f)
		return mr_fail(err, 0, "empty namespace list '%s'", list);
	*flags = f;
	return 0;
}

char *ns_list_names(int flags, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	for (const struct ns_type *t = ns_types; t->name && n < size; t++)
		if (flags & t->flag)
			n += snprintf(buf + n, size - n, "%s%s", n ? "," : "", t->name);
	return buf;
}

char *ns_proc_path(char *buf, size_t size, pid_t pid, const struct ns_type *t)
{
	if (pid > 0)
		snprintf(buf, size, "/proc/%d/ns/%s", (int)pid, t->name);
	else
		snprintf(buf, size, "/proc/self/ns/%s", t->name);
	return buf;
}

int ns_open(pid_t pid, const struct ns_type *t, struct mr_err *err)
{
	char path[64];
	int fd = open(ns_proc_path(path, sizeof(path), pid, t), O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		char procdir[32];
		snprintf(procdir, sizeof(procdir), "/proc/%d", (int)pid);
		if (pid > 0 && access(procdir, F_OK) < 0)
			return mr_fail(err, 0, "no such process %d", (int)pid);
		char self[64];
		if (pid > 0 && access(ns_proc_path(self, sizeof(self), 0, t), F_OK) == 0)
			return mr_fail(err, 0, "process %d is exiting: its namespaces are gone",
				       (int)pid);
		return mr_fail(err, 0, "%s: this kernel has no %s namespace", path, t->name);
	}
	if (fd < 0)
		return mr_fail(err, errno, "open '%s'", path);
	return fd;
}

int ns_fd_type(int fd, struct mr_err *err)
{
	/* NS_GET_NSTYPE (Linux 4.11) answers for any nsfs file; anything else gets ENOTTY */
	int type = ioctl(fd, NS_GET_NSTYPE);
	if (type < 0 && errno == ENOTTY)
		return mr_fail(err, 0, "not a namespace file");
	if (type < 0)
		return mr_fail(err, errno, "ioctl(NS_GET_NSTYPE)");
	return type;
}

unsigned long ns_inode(pid_t pid, const struct ns_type *t, struct mr_err *err)
{
	char path[64];
	struct stat st;
	if (stat(ns_proc_path(path, sizeof(path), pid, t), &st) < 0) {
		mr_fail(err, errno, "stat '%s'", path);
		return 0;
	}
	return (unsigned long)st.st_ino;
}

int ns_write_map(pid_t pid, const char *file, const char *map, struct mr_err *err)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	return mr_write_file(path, map, err);
}

int ns_deny_setgroups(pid_t pid, struct mr_err *err)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
	return mr_write_file(path, "deny", err);
}

int ns_map_root_to(pid_t pid, uid_t outside_uid, gid_t outside_gid, struct mr_err *err)
{
	char map[64];

	/* Without CAP_SETGID in the parent namespace, the kernel accepts a gid_map only after
	 * setgroups is denied (user_namespaces(7)); root may keep setgroups allowed. */
	if (geteuid() != 0 && ns_deny_setgroups(pid, err) < 0)
		return -1;
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)outside_uid);
	if (ns_write_map(pid, "uid_map", map, err) < 0)
		return -1;
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)outside_gid);
	return ns_write_map(pid, "gid_map", map, err);
}

int ns_join(pid_t pid, int flags, struct mr_err *err)
{
	int fds[NS_NTYPES];
	const struct ns_type *order[NS_NTYPES];
	int n = 0, rc = -1;

	/* user first, mnt last, the rest in table order */
	const struct ns_type *user = ns_by_name("user"), *mnt = ns_by_name("mnt");
	if (flags & user->flag)
		order[n++] = user;
	for (const struct ns_type *t = ns_types; t->name; t++)
		if ((flags & t->flag) && t != user && t != mnt)
			order[n++] = t;
	if (flags & mnt->flag)
		order[n++] = mnt;

	for (int i = 0; i < n; i++)
		fds[i] = -1;
	for (int i = 0; i < n; i++) {
		fds[i] = ns_open(pid, order[i], err);
		if (fds[i] < 0)
			goto out;
	}
	for (int i = 0; i < n; i++) {
		struct mr_err ignore;
		if (ns_inode(pid, order[i], &ignore) == ns_inode(0, order[i], &ignore))
			continue; /* already there; setns(own user ns) would fail with EINVAL */
		if (setns(fds[i], order[i]->flag) < 0) {
			mr_fail(err, errno, "setns(%s namespace of %d)", order[i]->name, (int)pid);
			goto out;
		}
	}
	rc = 0;
out:
	for (int i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return rc;
}
