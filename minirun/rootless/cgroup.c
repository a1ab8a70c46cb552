/*
 * minirun/rootless/cgroup.c - may a rootless container have limits?
 *
 * Limits are cgroup files, and the cgroup tree is root's. An ordinary user may write a
 * part of it only when root has delegated one (cgroups(7) "Delegation"): a cgroup v2
 * directory chowned to the user, with the controllers it needs enabled by the parents'
 * cgroup.subtree_control (systemd does this for Delegate=yes units, such as
 * user@UID.service on most distributions). The v1 hierarchies of a hybrid host are never
 * delegated.
 *
 * Where the container's cgroup goes: v2 lets only leaf cgroups hold processes, and moving
 * a process from one cgroup to another needs write access to the cgroup.procs of their
 * nearest common ancestor (cgroup-v2.rst, "Delegation Containment"). The user's own
 * cgroup holds the user's shell, so it can't hand controllers down; its parent can, if
 * it was delegated. So the delegated cgroup is the nearest ancestor of the user's own
 * cgroup that the user may write (the directory, cgroup.procs, cgroup.subtree_control):
 *
 *	/sys/fs/cgroup/.../user@1000.service        delegated (Delegate=yes), or by hand
 *	    |-- app.slice/term.scope                 the user's shell: its own cgroup
 *	    `-- minirun-ID                           the container's (cgstep.c, "+memory" in
 *	                                             the parent's cgroup.subtree_control)
 *
 * and a limit's controller must be in that cgroup's cgroup.controllers; else the flag is
 * refused, with the reason and the fix, rather than silently dropped (what podman does
 * with a warning, and what leaves a user believing a memory hog is contained). With no
 * delegated cgroup, a container without limits runs in its caller's cgroup.
 *
 * See: cgroups(7); Documentation/admin-guide/cgroup-v2.rst "Delegation"; rootless.h.
 */
#include "minirun/rootless/rootless.h"

#include "lib/file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* v2_mount - where cgroup2 is mounted (the first one), into BUF; false if nowhere */
static bool v2_mount(char *buf, size_t size)
{
	FILE *f = fopen("/proc/self/mounts", "re");
	char dev[256], dir[2048], type[64];
	bool found = false;
	while (f && !found && fscanf(f, "%255s %2047s %63s %*[^\n]", dev, dir, type) == 3)
		if (strcmp(type, "cgroup2") == 0) {
			snprintf(buf, size, "%s", dir);
			found = true;
		}
	if (f)
		fclose(f);
	return found;
}

/* own_cgroup - this process's v2 cgroup path ("0::/user.slice/..."), into BUF */
static bool own_cgroup(char *buf, size_t size)
{
	char *text = NULL, *line, *save = NULL;
	size_t len;
	bool found = false;
	if (mr_read_file("/proc/self/cgroup", &text, &len, NULL) < 0)
		return false;
	for (line = strtok_r(text, "\n", &save); line && !found; line = strtok_r(NULL, "\n", &save))
		if (strncmp(line, "0::", 3) == 0) {
			snprintf(buf, size, "%s", line + 3);
			found = true;
		}
	free(text);
	return found;
}

/* has_word - whether the space-separated LIST holds WORD */
static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

/* outside_uid - the host uid this namespace's root is (uid_map "0 UID 1"), for the fix */
static unsigned outside_uid(void)
{
	unsigned in = 1, out = 0;
	FILE *f = fopen("/proc/self/uid_map", "re");
	if (f && fscanf(f, "%u %u", &in, &out) != 2)
		out = 0;
	if (f)
		fclose(f);
	return in == 0 ? out : (unsigned)getuid();
}

/* writable - the user may write the cgroup DIR: the directory, its cgroup.procs and
 * cgroup.subtree_control (what cgroup-v2.rst's delegation chowns) */
static bool writable(const char *dir)
{
	char f[3300];
	if (access(dir, W_OK) < 0)
		return false;
	snprintf(f, sizeof(f), "%s/cgroup.procs", dir);
	if (access(f, W_OK) < 0)
		return false;
	snprintf(f, sizeof(f), "%s/cgroup.subtree_control", dir);
	return access(f, W_OK) == 0;
}

/* delegated - the nearest proper ancestor of this process's own v2 cgroup that the user
 * may write: its directory into DIR, its path below the mount ("/a/b") into REL. WHY
 * gets the reason when there is none. */
static bool delegated(char *dir, size_t dsize, char *rel, size_t rsize, char *why, size_t wsize)
{
	char mnt[2048], path[1024], own[1024];
	if (!v2_mount(mnt, sizeof(mnt))) {
		snprintf(why, wsize, "this host has no cgroup v2 hierarchy mounted");
		return false;
	}
	if (!own_cgroup(path, sizeof(path))) {
		snprintf(why, wsize, "/proc/self/cgroup names no cgroup v2 cgroup");
		return false;
	}
	snprintf(own, sizeof(own), "%s", path);
	/* from the parent up: the user's own cgroup holds processes (no controllers for
	 * its children: the "no internal processes" rule) */
	for (char *slash = strrchr(path, '/'); slash && slash != path; slash = strrchr(path, '/')) {
		*slash = '\0';
		snprintf(dir, dsize, "%s%s", mnt, path);
		if (writable(dir)) {
			snprintf(rel, rsize, "%s", path);
			return true;
		}
	}
	snprintf(why, wsize, "no parent of your cgroup %s%s is yours to write", mnt,
		 strcmp(own, "/") ? own : "");
	return false;
}

/* pure_v2 - whether /proc/self/cgroup has the v2 line alone: on a hybrid host cgroups/
 * places every path below the caller's own cgroup (cgroup.h, "Paths"), and its v2
 * hierarchy has no controller a limit needs anyway */
static bool pure_v2(void)
{
	char *text = NULL;
	size_t len;
	if (mr_read_file("/proc/self/cgroup", &text, &len, NULL) < 0)
		return false;
	const char *nl = strchr(text, '\n');
	bool pure = strncmp(text, "0::", 3) == 0 && (!nl || !nl[1]);
	free(text);
	return pure;
}

const char *rootless_cgroup_path(const char *id, char *buf, size_t size)
{
	char dir[3200], rel[1024], why[3600];
	if (!rootless_active() || !pure_v2() ||
	    !delegated(dir, sizeof(dir), rel, sizeof(rel), why, sizeof(why)))
		return NULL;
	snprintf(buf, size, "%s/minirun-%s", rel, id);
	return buf;
}

const char *rootless_cgroup_refusal(const char *flag, const char *controller)
{
	static char msg[8192];
	char dir[3200], rel[1024], file[3300], why[3600];
	char *ctls = NULL;
	size_t len;
	if (!rootless_active())
		return NULL;
	const char *fix = "as root, delegate one (systemd: Delegate=yes for user@UID.service; "
			  "by hand: enable +CTL in the cgroup.subtree_control of the parents, "
			  "make a cgroup, chown it, its cgroup.procs and cgroup.subtree_control "
			  "to the user, and start minirun from a cgroup below it)";
	if (delegated(dir, sizeof(dir), rel, sizeof(rel), why, sizeof(why))) {
		snprintf(file, sizeof(file), "%s/cgroup.controllers", dir);
		bool listed =
			mr_read_file(file, &ctls, &len, NULL) == 0 && has_word(ctls, controller);
		free(ctls);
		if (listed)
			return NULL;
		snprintf(why, sizeof(why),
			 "your delegated cgroup %s does not have it in cgroup.controllers", dir);
	}
	/* the fix with the user's uid and the controller in it */
	char fixed[1024];
	const char *u = strstr(fix, "UID"), *c = strstr(fix, "CTL");
	snprintf(fixed, sizeof(fixed), "%.*s%u%.*s%s%s", (int)(u - fix), fix, outside_uid(),
		 (int)(c - u - 3), u + 3, controller, c + 3);
	snprintf(msg, sizeof(msg),
		 "%s needs the cgroup v2 '%s' controller delegated to you, and none is (%s): "
		 "run without it, or %s",
		 flag, controller, why, fixed);
	return msg;
}
