/*
 * minirun/rootless/netns.c - the user's own network namespace, where the bridges of a
 * rootless user's networks live.
 *
 * Root's user networks are a bridge in the host's network namespace, a veth per container,
 * and nftables rules for NAT and published ports (minirun/network/, netns/). An ordinary
 * user may make none of these in the host's namespace, which belongs to the host's user
 * namespace. But a network namespace made from inside the user's user namespace belongs
 * to it, and there the user (uid 0 in its namespace) has CAP_NET_ADMIN: so the same code,
 * run there, makes the same bridge, veths and rules. This is rootlesskit's "child"
 * namespace and podman's "rootless netns":
 *
 *	host netns                         the user's netns (RUNDIR/netns)
 *	  pasta --config-net ............... tap (the host's address; the way out, NAT)
 *	  pasta -t 8080 (one per -p'd  ..... (spliced to 127.0.0.1:8080) -> DNAT
 *	    container, loopback only)        mr-0123456789ab (bridge 10.89.0.1/24)
 *	                                       |-- veth <====> eth0 of container 1
 *	                                       `-- veth <====> eth0 of container 2
 *
 *   1. made once, by the first command that needs it (`network create`, a run on a user
 *      network), under RUNDIR/.netns.lock: a child unshare(CLONE_NEWNET)s, and its
 *      namespace is bind-mounted on the file RUNDIR/netns, in the user's mount
 *      namespace: it lives as long as the pause process's namespaces do, and no longer
 *      (a reboot, a killed pause process: the next command makes a new one);
 *   2. lo up, and the way out: pasta (else slirp4netns) attached to it with its tap,
 *      from the host's namespace, its pid in RUNDIR/netns.helper.pid;
 *   3. used: `minirun network ...` moves into it for good (rootless_netns_join); the
 *      monitor, which must stay in the host's namespace to start pasta for published
 *      ports, does its netlink and nft work in a thread that joined it
 *      (setns(CLONE_NEWNET) moves only the calling thread: rootless_netns_call);
 *   4. released when the store's last user network is removed (rootless_netns_release).
 *
 * A published port: the rootful code adds its DNAT rule inside (the `output` hook, for
 * 127.0.0.1, with route_localnet on the bridge: netns/nat.c says why), and a pasta of the
 * container's own forwards the host's port to 127.0.0.1:PORT there (net.c).
 *
 * See: network_namespaces(7), setns(2) ("CLONE_NEWNET ... the calling thread"),
 * pasta(1); rootlesskit's docs/network.md; podman's rootless netns; rootless.h.
 * Try (as an ordinary user): minirun -v network create web; then, as root,
 *   nsenter -t $(cut -d' ' -f1 $XDG_RUNTIME_DIR/minirun/.pause.pid) -m \
 *     nsenter --net=$XDG_RUNTIME_DIR/minirun/netns ip -br link
 */
#include "minirun/rootless/rootless.h"

#include "lib/cleanup.h"
#include "lib/file.h"
#include "lib/proc.h"
#include "netns/netlink.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

/* run_path - RUNDIR/NAME into BUF: the runtime dir the command outside chose
 * (MINIRUN_ROOTLESS_RUN, exported by rootless_enter for the re-executed monitor, which is
 * uid 0 here and would not find it again), else the user's own. NULL with err. */
static const char *run_path(const char *name, char *buf, size_t size, struct mr_err *err)
{
	const char *dir = getenv("MINIRUN_ROOTLESS_RUN");
	if (!(dir && *dir == '/') && !(dir = rootless_runtime_dir(err)))
		return NULL;
	snprintf(buf, size, "%s/%s", dir, name);
	return buf;
}

/* is_netns - whether PATH is a mounted namespace file (nsfs), not the empty file under */
static bool is_netns(const char *path)
{
	struct statfs s;
	return statfs(path, &s) == 0 && (unsigned long)s.f_type == NSFS_MAGIC;
}

/* in_it - whether the calling thread is in the namespace of fd NS already */
static bool in_it(int ns)
{
	struct stat a, b;
	return fstat(ns, &a) == 0 && stat("/proc/thread-self/ns/net", &b) == 0 &&
	       a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

/* helper_alive - whether the pid in PIDFILE is a pasta or slirp4netns still */
static bool helper_alive(const char *pidfile)
{
	char *text = NULL, path[64], *comm = NULL;
	size_t len;
	bool alive = false;
	if (mr_read_file(pidfile, &text, &len, NULL) == 0) {
		snprintf(path, sizeof(path), "/proc/%d/comm", atoi(text));
		alive = atoi(text) > 1 && mr_read_file(path, &comm, &len, NULL) == 0 &&
			(!strncmp(comm, "pas", 3) || !strncmp(comm, "slirp4netns", 11));
	}
	free(text);
	free(comm);
	return alive;
}

/* make_netns - step 1: a new network namespace mounted on PATH (an empty file made
 * here). A child unshares, so that this process stays in the host's namespace; the
 * mount is made from here while the child holds it. 0, or -1 with err. */
static int make_netns(const char *path, struct mr_err *err)
{
	int fd = open(path, O_CREAT | O_RDONLY | O_CLOEXEC, 0600);
	if (fd < 0)
		return mr_fail(err, errno, "create '%s'", path);
	close(fd);
	int up[2], go[2];
	if (pipe2(up, O_CLOEXEC) < 0)
		return mr_fail(err, errno, "pipe");
	if (pipe2(go, O_CLOEXEC) < 0) {
		close(up[0]);
		close(up[1]);
		return mr_fail(err, errno, "pipe");
	}
	pid_t child = fork();
	if (child < 0) {
		int e = errno;
		close(up[0]);
		close(up[1]);
		close(go[0]);
		close(go[1]);
		unlink(path);
		return mr_fail(err, e, "fork");
	}
	if (child == 0) {
		close(up[0]); /* or the parent's close of go[1] would never be our EOF */
		close(go[1]);
		int e = unshare(CLONE_NEWNET) == 0 ? 0 : errno;
		char c;
		if (write(up[1], &e, sizeof(e)) != sizeof(e) || e || read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(up[1]);
	close(go[0]);
	int e = EIO, rc = 0;
	if (read(up[0], &e, sizeof(e)) != sizeof(e) || e)
		rc = mr_fail(err, e, "unshare(CLONE_NEWNET) for the user's network namespace");
	else {
		char ns[64];
		snprintf(ns, sizeof(ns), "/proc/%d/ns/net", (int)child);
		mr_say("mount --bind %s %s (the user's network namespace)", ns, path);
		if (mount(ns, path, NULL, MS_BIND, NULL) < 0)
			rc = mr_fail(err, errno, "mount --bind '%s' on '%s'", ns, path);
	}
	close(go[1]); /* the child ends; the mount holds the namespace */
	close(up[0]);
	mr_wait_exit(child);
	if (rc < 0)
		unlink(path);
	return rc;
}

/* lo_up - step 2's first half: 127.0.0.1 inside (the published ports arrive there) */
static int lo_up(const char *path, struct mr_err *err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mr_fail(err, errno, "open '%s'", path);
	_cleanup_nl_ struct nl *nl = nl_open_netns(fd, err);
	return nl ? nl_link_set_up(nl, "lo", 1, err) : -1;
}

/* way_out_check - a helper is installed, and /dev/net/tun is the user's to open (root of
 * the user namespace is still the user for a host device's mode); 0, or -1 with err */
static int way_out_check(struct mr_err *err)
{
	if (!rootless_net_helper())
		return mr_fail(err, 0,
			       "rootless user-defined networks need pasta or slirp4netns for "
			       "their way out (Debian: apt-get install passt): install one");
	int tun = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (tun < 0)
		return mr_fail(err, 0,
			       "rootless user-defined networks need /dev/net/tun, which you may "
			       "not open (%s): as root, chmod 0666 /dev/net/tun (what udev does)",
			       strerror(errno));
	close(tun);
	return 0;
}

int rootless_netns_ensure(struct mr_err *err)
{
	char path[4200], lock[4200], pidfile[4200];
	if (!run_path("netns", path, sizeof(path), err) ||
	    !run_path(".netns.lock", lock, sizeof(lock), err) ||
	    !run_path("netns.helper.pid", pidfile, sizeof(pidfile), err))
		return -1;
	_cleanup_close_ int lk = mr_lock_file(lock, err);
	if (lk < 0)
		return -1;
	bool made = false;
	/* the way out needs pasta or slirp4netns and a /dev/net/tun the user may open: said
	 * now, in one line with the fix, rather than by the helper half-way */
	if (!is_netns(path) && way_out_check(err) < 0)
		return -1;
	if (!is_netns(path)) {
		if (make_netns(path, err) < 0)
			return -1;
		made = true;
		if (lo_up(path, err) < 0)
			goto undo;
	}
	if (!helper_alive(pidfile)) { /* new, or its helper was killed: (re)attach one */
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			mr_fail(err, errno, "open '%s'", path);
			goto undo;
		}
		/* the helper must bind its sockets in the host's namespace: not from a thread
		 * or process that has joined the user's (rootless_netns_join's callers) */
		if (in_it(fd)) {
			close(fd);
			mr_fail(err, 0,
				"the user's network namespace has no pasta, and this "
				"process can't start one from inside it");
			goto undo;
		}
		int rc = rootless_net_attach(fd, pidfile, err);
		close(fd);
		if (rc < 0) {
			mr_prefix(err, "the way out of the user's network namespace: ");
			goto undo;
		}
	}
	return 0;
undo:
	if (made) {
		umount2(path, MNT_DETACH);
		unlink(path);
	}
	return -1;
}

int rootless_netns_fd(struct mr_err *err)
{
	char path[4200];
	if (!run_path("netns", path, sizeof(path), err))
		return -1;
	if (!is_netns(path))
		return mr_fail(err, ENOENT, "the user's network namespace '%s'", path);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? mr_fail(err, errno, "open '%s'", path) : fd;
}

int rootless_netns_join(enum rootless_netns_how how, struct mr_err *err)
{
	_cleanup_close_ int fd = rootless_netns_fd(NULL);
	if (fd >= 0 && in_it(fd))
		return 0;
	if (fd < 0 && how == RL_NETNS_UNDO) { /* nothing to undo in there: an empty one */
		mr_say("unshare(CLONE_NEWNET): the user's network namespace is gone already");
		return unshare(CLONE_NEWNET) < 0 ? mr_fail(err, errno, "unshare(CLONE_NEWNET)") : 0;
	}
	if (fd < 0 && rootless_netns_ensure(err) < 0)
		return -1;
	if (fd < 0 && (fd = rootless_netns_fd(err)) < 0)
		return -1;
	mr_say("setns(CLONE_NEWNET) into the user's network namespace");
	if (setns(fd, CLONE_NEWNET) < 0)
		return mr_fail(err, errno, "setns into the user's network namespace");
	return 0;
}

struct call {
	int fd;
	int (*fn)(void *);
	void *arg;
	int rc, setns_errno;
};

static void *call_thread(void *p)
{
	struct call *c = p;
	/* none to join (gone with an earlier pause process): a new empty one, where the
	 * kernel side of an undo finds nothing left, and only the records change */
	if (c->fd < 0 ? unshare(CLONE_NEWNET) < 0 : setns(c->fd, CLONE_NEWNET) < 0) {
		c->setns_errno = errno;
		c->rc = -1;
	} else
		c->rc = c->fn(c->arg);
	return NULL; /* the thread ends, and its namespace with it (for this process) */
}

int rootless_netns_call(int (*fn)(void *arg), void *arg, enum rootless_netns_how how,
			struct mr_err *err)
{
	if (!rootless_active())
		return fn(arg);
	_cleanup_close_ int fd = rootless_netns_fd(NULL);
	if (fd >= 0 && in_it(fd))
		return fn(arg);
	if (fd < 0 && how == RL_NETNS_MAKE &&
	    (rootless_netns_ensure(err) < 0 || (fd = rootless_netns_fd(err)) < 0))
		return -1;
	struct call c = {.fd = fd, .fn = fn, .arg = arg};
	pthread_t t;
	mr_say("a thread setns(CLONE_NEWNET)s into the user's network namespace for the work");
	int e = pthread_create(&t, NULL, call_thread, &c);
	if (e)
		return mr_fail(err, e, "pthread_create");
	pthread_join(t, NULL);
	if (c.setns_errno)
		return mr_fail(err, c.setns_errno, "setns into the user's network namespace");
	return c.rc;
}

void rootless_netns_release(const char *root)
{
	char dir[4200], path[4200], lock[4200], pidfile[4200];
	if (!rootless_active() || !run_path("netns", path, sizeof(path), NULL) ||
	    !run_path(".netns.lock", lock, sizeof(lock), NULL) ||
	    !run_path("netns.helper.pid", pidfile, sizeof(pidfile), NULL))
		return;
	snprintf(dir, sizeof(dir), "%s/networks", root);
	DIR *d = opendir(dir);
	struct dirent *e;
	bool used = false;
	while (d && !used && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		used = n > 5 && !strcmp(e->d_name + n - 5, ".json") &&
		       strcmp(e->d_name, "bridge.json") != 0;
	}
	if (d)
		closedir(d);
	if (used)
		return;
	_cleanup_close_ int lk = mr_lock_file(lock, NULL);
	if (lk < 0 || !is_netns(path))
		return;
	mr_say("no user network left: the user's network namespace goes");
	rootless_net_down(pidfile);
	umount2(path, MNT_DETACH);
	unlink(path);
}
