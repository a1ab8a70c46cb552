/*
 * minirun/network/overlay_watch.c - the overlay driver's watcher, its gossip: one small
 * process per host and overlay network with a peers directory (comm "minirun-overlay",
 * "PID STARTTIME" in ROOT/networks/NAME.overlay.pid). It waits for the directory to change
 * (inotify; and a look every 2 s, for filesystems whose remote writes inotify never sees,
 * as NFS), then, under the networks lock, brings the VXLAN link's tables and the hosts
 * files of this host's containers on the network up to date. It goes when its network's
 * record does (network rm stops it first; a store removed by hand, on its next look).
 *
 * Why a process at all: minirun has no daemon, and a container on this host must learn of
 * a newcomer on another host while nothing of minirun runs here. Docker's daemon hears it
 * from swarm's gossip; this is the least that can do the same.
 *
 * See: overlay.c, inotify(7).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/file.h"
#include "lib/proc.h"
#include "minirun/network/overlay.h"
#include "minirun/network/overlay_int.h"

/* ---- the watcher: this driver's gossip ------------------------------------------------------ */

static char *pid_path(const char *root, const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%s/networks/%s.overlay.pid", root, name);
	return buf;
}

/* A digest of the directory: names, sizes and mtimes of its files. */
static unsigned long long dir_digest(const char *dir)
{
	unsigned long long h = 1469598103934665603ull;
	_cleanup_closedir_ DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		struct stat st;
		if (e->d_name[0] == '.' || fstatat(dirfd(d), e->d_name, &st, 0) < 0)
			continue;
		for (const char *s = e->d_name; *s; s++)
			h = (h ^ (unsigned char)*s) * 1099511628211ull;
		h = (h ^ (unsigned long long)st.st_size) * 1099511628211ull;
		h = (h ^ (unsigned long long)st.st_mtim.tv_nsec) * 1099511628211ull;
		h = (h ^ (unsigned long long)st.st_mtim.tv_sec) * 1099511628211ull;
	}
	return h;
}

/* Apply the directory to this host: the table, and the hosts files of our containers. */
static int apply(const char *root, const char *name, const char *id)
{
	_cleanup_close_ int lock = network_lock(root, NULL);
	json_t *rec = lock >= 0 ? network_load(root, name, NULL) : NULL;
	const char *cid;
	json_t *ep;
	if (!rec || strcmp(json_string_value(json_object_get(rec, "Id")), id)) {
		json_decref(rec);
		return -1; /* the network is gone: so is our reason to run */
	}
	overlay_sync_tables(rec, NULL);
	json_object_foreach(json_object_get(rec, "Containers"), cid, ep)
	{
		char dir[4200];
		snprintf(dir, sizeof(dir), "%s/containers/%s", root, cid);
		if (access(dir, F_OK) == 0)
			network_hosts_refresh(root, cid, NULL);
	}
	json_decref(rec);
	return 0;
}

static _Noreturn void watch(const char *root, const char *name, const char *id, const char *dir)
{
	char record[4200];
	snprintf(record, sizeof(record), "%s/networks/%s.json", root, name);
	int in = inotify_init1(IN_CLOEXEC);
	if (in >= 0)
		inotify_add_watch(in, dir,
				  IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM);
	unsigned long long last = 0;
	for (;;) {
		/* inotify sees this machine's writes at once; a look every 2 s sees the rest */
		struct pollfd p = {.fd = in, .events = POLLIN};
		if (poll(&p, in >= 0 ? 1 : 0, 2000) > 0) {
			char buf[4096];
			(void)!read(in, buf, sizeof(buf));
		}
		if (access(record, F_OK) < 0 && errno == ENOENT)
			_exit(0); /* the store went without `network rm`: so do we */
		unsigned long long now = dir_digest(dir);
		if (now == last)
			continue;
		last = now;
		/* network rm's SIGTERM waits while a hosts file is half rewritten in place */
		sigset_t term, old;
		sigemptyset(&term);
		sigaddset(&term, SIGTERM);
		sigprocmask(SIG_BLOCK, &term, &old);
		int r = apply(root, name, id);
		sigprocmask(SIG_SETMASK, &old, NULL);
		if (r < 0)
			_exit(0);
	}
}

/* Start the watcher (a process of its own session, comm "minirun-overlay") and record it. */
int overlay_watch_start(const char *root, json_t *rec, struct mr_err *err)
{
	char path[4200], text[64];
	const char *name = json_string_value(json_object_get(rec, "Name"));
	pid_t pid = fork();
	if (pid < 0)
		return mr_fail(err, errno, "fork the overlay watcher");
	if (pid == 0) {
		prctl(PR_SET_NAME, "minirun-overlay"); /* first: ps names it at once */
		/* nothing of the parent's: its networks lock above all, or it would be held
		 * for as long as the watcher runs */
		close_range(3, ~0u, 0);
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		dup2(null, 0), dup2(null, 1), dup2(null, 2);
		setsid();
		/* pin no directory, nor the mount it is on; a relative --root made absolute first */
		char *abs = realpath(root, NULL);
		if (abs && chdir("/") == 0)
			root = abs;
		signal(SIGTERM, SIG_DFL);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		mr_verbose = 0;
		watch(root, name, json_string_value(json_object_get(rec, "Id")), opt(rec, OPT_DIR));
	}
	snprintf(text, sizeof(text), "%d %llu\n", (int)pid, mr_proc_start_time(pid));
	mr_say("overlay watcher for %s: pid %d", name, (int)pid);
	if (mr_write_file_atomic(pid_path(root, name, path, sizeof(path)), text, strlen(text), 0600,
				 err) < 0) {
		kill(pid, SIGKILL);
		return -1;
	}
	return 0;
}

void overlay_watch_stop(const char *root, const char *name)
{
	char path[4200];
	_cleanup_free_ char *text = NULL;
	size_t len;
	int pid;
	unsigned long long t;
	pid_path(root, name, path, sizeof(path));
	if (mr_read_file(path, &text, &len, NULL) == 0 && sscanf(text, "%d %llu", &pid, &t) == 2 &&
	    pid > 0 && mr_proc_start_time(pid) == t && mr_proc_start_time(pid) != 0) {
		mr_say("stop the overlay watcher, pid %d", pid);
		kill(pid, SIGTERM);
		/* wait (up to 2 s) until it is gone: when rm returns, nothing of it runs */
		for (int i = 0; i < 200 && mr_proc_start_time(pid) == t; i++)
			usleep(10000);
	}
	unlink(path);
}

bool overlay_watch_alive(const char *root, const char *name)
{
	char path[4200];
	_cleanup_free_ char *text = NULL;
	size_t len;
	int pid;
	unsigned long long t;
	pid_path(root, name, path, sizeof(path));
	return mr_read_file(path, &text, &len, NULL) == 0 &&
	       sscanf(text, "%d %llu", &pid, &t) == 2 && pid > 0 && mr_proc_start_time(pid) == t;
}
