/*
 * minirun/rootless/userns.c - the user's one user namespace, kept by a pause process.
 *
 * Made once (the first rootless command after a reboot or after the pause process ended):
 *
 *   1. lock RUNDIR/.pause.lock, so two commands starting together make one namespace;
 *   2. fork twice: the grandchild, reparented to init, is the pause process; it calls
 *      unshare(CLONE_NEWUSER | CLONE_NEWNS) and says so over a pipe;
 *   3. the caller, still outside with the user's own uid, has the maps written:
 *      newuidmap PID 0 UID 1 1 START COUNT (and newgidmap): these setuid helpers check
 *      /etc/subuid and /etc/subgid and write what an unprivileged process may not; with
 *      no range, "0 UID 1" is written directly (one id only: said once, with the fix);
 *      the maps must be written before anything in the namespace needs its ids;
 *   4. the pause process makes its mounts slaves of the host's, closes every descriptor
 *      it inherited (a caller's pipe left open in it would never see EOF), and sleeps;
 *   5. RUNDIR/.pause.pid gets "PID STARTTIME"; the lock is released.
 *
 * Joined by every command (and made only when there is none): setns into the pause
 * process's user namespace, then its mount namespace. Measured here (2 cores, kernel
 * 6.18, hyperfine, `minirun images`): 1.5 ms as root, 1.4 ms rootless joining (the join
 * is lost in the noise, < 0.2 ms), ~7 ms more when the namespace is made (two forks,
 * newuidmap, newgidmap). And a namespace re-made per command would not see the overlay
 * mounts of the one before, which `rm` and the monitor's teardown rely on. So: kept, as
 * podman keeps its own (README.md here has the table).
 *
 * See: user_namespaces(7), newuidmap(1), setns(2); podman's pkg/rootless (the pause
 * process); rootless.h.
 */
#include "minirun/rootless/rootless.h"

#include "lib/cleanup.h"
#include "lib/file.h"
#include "lib/proc.h"
#include "ns/ns.h"
#include "unionfs/overlay.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* pause_pid - the live pause process RUNDIR/.pause.pid names, or 0 */
static pid_t pause_pid(const char *rundir)
{
	char path[4200], *text = NULL;
	size_t len;
	long long pid = 0;
	unsigned long long t = 0;
	snprintf(path, sizeof(path), "%s/.pause.pid", rundir);
	if (mr_read_file(path, &text, &len, NULL) < 0)
		return 0;
	if (sscanf(text, "%lld %llu", &pid, &t) != 2 || pid <= 1 || mr_proc_start_time(pid) != t)
		pid = 0;
	free(text);
	/* a killed pause process is a zombie for a moment: /proc/PID and its start time are
	 * still there, its namespaces no longer (so it is gone, and a new one is made) */
	snprintf(path, sizeof(path), "/proc/%lld/ns/mnt", pid);
	if (pid && access(path, F_OK) < 0)
		pid = 0;
	return (pid_t)pid;
}

/* A user's ranges in /etc/subuid or /etc/subgid, as uid_map lines after "0 ID 1": the
 * first range at 1, each next one after the last. */
struct ranges {
	char map[1024]; /* "1 100000 65536 65537 200000 10" ... (newuidmap's argument order) */
	unsigned long total;
	int n;
};

static void read_ranges(const char *file, const char *name, uid_t id, struct ranges *r)
{
	memset(r, 0, sizeof(*r));
	_cleanup_fclose_ FILE *f = fopen(file, "re");
	char line[512], idtext[32];
	snprintf(idtext, sizeof(idtext), "%u", (unsigned)id);
	unsigned long next = 1;
	while (f && fgets(line, sizeof(line), f) && r->n < 16) { /* 16 fit in map */
		char *start = strchr(line, ':'), *count;
		if (!start || !(count = strchr(start + 1, ':')))
			continue;
		*start++ = '\0';
		if (strcmp(line, name) != 0 && strcmp(line, idtext) != 0)
			continue;
		unsigned long s = strtoul(start, NULL, 10), c = strtoul(count + 1, NULL, 10);
		if (c == 0)
			continue;
		size_t used = strlen(r->map);
		snprintf(r->map + used, sizeof(r->map) - used, "%s%lu %lu %lu", used ? " " : "",
			 next, s, c);
		next += c;
		r->total += c;
		r->n++;
	}
}

/* run_map_helper - newuidmap/newgidmap PID 0 ID 1 RANGES...; 0, or -1 with err */
static int run_map_helper(const char *helper, pid_t pid, unsigned id, const struct ranges *r,
			  struct mr_err *err)
{
	char *argv[5 + 3 * 16 + 1], pidtext[32], idtext[32], copy[sizeof(r->map)];
	int n = 0;
	snprintf(pidtext, sizeof(pidtext), "%d", (int)pid);
	snprintf(idtext, sizeof(idtext), "%u", id);
	argv[n++] = (char *)helper;
	argv[n++] = pidtext;
	argv[n++] = "0";
	argv[n++] = idtext;
	argv[n++] = "1";
	snprintf(copy, sizeof(copy), "%s", r->map);
	for (char *save = NULL, *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		argv[n++] = w;
	argv[n] = NULL;
	mr_say("%s %d 0 %u 1 %s", helper, (int)pid, id, r->map);
	pid_t child = fork();
	if (child < 0)
		return mr_fail(err, errno, "fork");
	if (child == 0) {
		execvp(helper, argv);
		_exit(errno == ENOENT ? 127 : 126);
	}
	int rc = mr_wait_exit(child);
	if (rc == 127)
		return mr_fail(err, 0, "%s: not found: install it (Debian: apt-get install uidmap)",
			       helper);
	if (rc != 0)
		return mr_fail(err, 0, "%s %d failed (exit %d): see its message above", helper,
			       (int)pid, rc);
	return 0;
}

/* pause_forever - the pause process's life after its maps are written: nothing but to hold
 * the namespaces open; SIGTERM or SIGKILL ends it (and the namespaces once unused) */
static void __attribute__((noreturn)) pause_forever(void)
{
	prctl(PR_SET_NAME, "minirun-pause");
	/* mounts made in here never reach the host (the kernel already made them slaves on
	 * copying the table into a less privileged namespace; said here for the reader) */
	mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL);
	if (chdir("/") < 0)
		_exit(1);
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (int fd = 0; fd < 3; fd++)
		dup2(null, fd);
	close_range(3, ~0U, 0);
	sigset_t all;
	sigfillset(&all);
	sigdelset(&all, SIGTERM);
	sigprocmask(SIG_SETMASK, &all, NULL);
	signal(SIGTERM, SIG_DFL);
	for (;;)
		pause();
}

/* make_pause - steps 2-5 of the header, under the lock; the new pause process's pid, or
 * -1 with err */
static pid_t make_pause(const char *rundir, struct mr_err *err)
{
	int up[2], go[2]; /* up: pause -> caller (its pid, once unshared); go: caller -> pause */
	if (pipe2(up, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0)
		return mr_fail(err, errno, "pipe");
	pid_t mid = fork();
	if (mid < 0)
		return mr_fail(err, errno, "fork");
	if (mid == 0) {
		close(up[0]);
		close(go[1]);
		setsid();
		if (fork() != 0)
			_exit(0); /* the grandchild is reparented to init: nobody's child */
		pid_t self = getpid();
		int ok = unshare(CLONE_NEWUSER | CLONE_NEWNS) == 0 ? 0 : errno;
		if (write(up[1], &self, sizeof(self)) != sizeof(self) ||
		    write(up[1], &ok, sizeof(ok)) != sizeof(ok) || ok)
			_exit(1);
		char c;
		if (read(go[0], &c, 1) != 1)
			_exit(1); /* the caller failed: the namespace goes with this process */
		pause_forever();
	}
	close(up[1]);
	close(go[0]);
	mr_wait_exit(mid);
	pid_t pid = -1;
	int uerr = 0;
	if (read(up[0], &pid, sizeof(pid)) != sizeof(pid) ||
	    read(up[0], &uerr, sizeof(uerr)) != sizeof(uerr)) {
		close(up[0]);
		close(go[1]);
		return mr_fail(err, 0, "the pause process died before its namespace was made");
	}
	close(up[0]);
	if (uerr) {
		close(go[1]);
		return mr_fail(err, uerr, "unshare(CLONE_NEWUSER|CLONE_NEWNS)");
	}

	mr_say("pause process %d: unshare(CLONE_NEWUSER|CLONE_NEWNS); writing its maps", (int)pid);
	struct passwd *pw = getpwuid(getuid());
	const char *name = pw ? pw->pw_name : "";
	struct ranges ru, rg;
	read_ranges("/etc/subuid", name, getuid(), &ru);
	read_ranges("/etc/subgid", name, getuid(), &rg);
	int rc;
	if (ru.n && rg.n)
		rc = run_map_helper("newuidmap", pid, (unsigned)getuid(), &ru, err) == 0 &&
				     run_map_helper("newgidmap", pid, (unsigned)getgid(), &rg,
						    err) == 0
			     ? 0
			     : -1;
	else {
		mr_warn("no range for '%s' in /etc/%s: only your own uid is mapped (as root) in "
			"minirun's user namespace, so images with files of other owners fail to "
			"unpack; as root, add one: usermod --add-subuids 100000-165535 "
			"--add-subgids 100000-165535 %s",
			name, ru.n ? "subgid" : "subuid", name);
		rc = ns_map_root_to(pid, getuid(), getgid(), err);
	}
	if (rc < 0) {
		close(go[1]); /* the pause process reads EOF and ends */
		return -1;
	}
	char text[64], path[4200];
	snprintf(text, sizeof(text), "%d %llu\n", (int)pid, mr_proc_start_time(pid));
	snprintf(path, sizeof(path), "%s/.pause.pid", rundir);
	if (mr_replace_file(path, text, 0600, err) < 0) {
		close(go[1]);
		return -1;
	}
	if (write(go[1], "g", 1) != 1) {
		close(go[1]);
		return mr_fail(err, errno, "the pause process %d ended", (int)pid);
	}
	close(go[1]);
	return pid;
}

int rootless_enter(struct mr_err *err)
{
	if (rootless_active()) {
		ovl_set_userxattr(1); /* a re-executed minirun (the monitor), inside already */
		return 0;
	}
	if (geteuid() == 0)
		return 0;
	const char *rundir = rootless_runtime_dir(err);
	if (!rundir)
		return -1;
	/* for minirun's re-executions, root in the namespace, which would not find it again
	 * (the user's network namespace lives there: netns.c) */
	setenv("MINIRUN_ROOTLESS_RUN", rundir, 1);
	pid_t pid = pause_pid(rundir);
	if (pid == 0) {
		char lock[4200];
		snprintf(lock, sizeof(lock), "%s/.pause.lock", rundir);
		_cleanup_close_ int fd = mr_lock_file(lock, err);
		if (fd < 0)
			return -1;
		pid = pause_pid(rundir); /* another command may have made it while we waited */
		if (pid == 0 && (pid = make_pause(rundir, err)) < 0)
			return -1;
	}

	/* setns(CLONE_NEWNS) moves the root and the working directory to the namespace's
	 * root: remember where we were (the same path in this copy of the host's table) */
	char cwd[4096];
	bool have_cwd = getcwd(cwd, sizeof(cwd)) != NULL;
	mr_say("join the user and mount namespaces of pause process %d", (int)pid);
	if (ns_join(pid, CLONE_NEWUSER | CLONE_NEWNS, err) < 0) {
		mr_prefix(err, "rootless: ");
		return -1;
	}
	ovl_set_userxattr(1); /* overlays are mounted with userxattr here (overlay.c) */
	/* the host's supplementary groups are unmapped here (nogroup): drop them, so files
	 * made in the namespace get group 0 like root's */
	if (setgroups(0, NULL) < 0 && errno != EPERM)
		return mr_fail(err, errno, "setgroups");
	if (have_cwd && chdir(cwd) < 0 && chdir("/") < 0)
		return mr_fail(err, errno, "chdir '%s'", cwd);
	return 0;
}
