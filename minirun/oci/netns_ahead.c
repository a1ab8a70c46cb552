/*
 * minirun/oci/netns_ahead.c - the container's new network namespace, made by a thread of
 * the create process while the rest of the create runs (ctr_create says why), or begun
 * sooner by a caller (ctr_netns_ahead_start: run's monitor); with its lo up and its net.*
 * sysctls written when asked.
 *
 * See: unshare(2) CLONE_NEWNET, setns(2), netdevice(7) SIOCSIFFLAGS; runtime.c.
 */
#include "minirun/oci/runtime.h"
#include "lib/file.h"
#include "lib/thread.h"
#include "minirun/oci/setup.h"

#include <fcntl.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

/* lo up in the calling thread's network namespace, by the old interface ioctls (no
 * netlink library: the static minirun-oci has none); best effort, the caller checks */
static void loopback_up(void)
{
	struct ifreq ifr = {.ifr_name = "lo"};
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return;
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		(void)ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
}

/* A's net.* sysctls written in the calling thread's network namespace (/proc/sys/net is
 * the opener's), each one that took into A->done. Best effort: the init writes the rest
 * as it always did, and reports what fails. Why here: the first writes into a namespace's
 * /proc/sys/net cost the init ~0.1 ms (docker's four defaults), on the way to its start;
 * this thread has the time. */
static void net_sysctls(struct ctr_netns_ahead *a)
{
	const char *key;
	json_t *v;
	char path[4096];
	if (!a->sysctl || !(a->done = json_object()))
		return;
	json_object_foreach(a->sysctl, key, v)
	{
		const char *val = json_string_value(v);
		if (val && !strncmp(key, "net.", 4) &&
		    proc_sysctl_path(key, path, sizeof(path)) == 0 &&
		    mr_write_file(path, val, NULL) == 0)
			json_object_set_new(a->done, key, json_string(val));
	}
}

static void *netns_make(void *arg)
{
	struct ctr_netns_ahead *a = arg;
	/* unshare moves only this thread (namespaces belong to tasks); the fd keeps the
	 * namespace alive once the thread has exited */
	if (unshare(CLONE_NEWNET) == 0) {
		a->fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		if (a->lo_up)
			loopback_up();
		if (a->fd >= 0)
			net_sysctls(a);
	}
	return NULL;
}

void netns_ahead_start(struct ctr_netns_ahead *a)
{
	/* the thread runs with every signal blocked, so that the caller's handlers (the
	 * monitor of `minirun run` calls ctr_create in-process) run on its own thread; and it
	 * begins on the other CPU (lib/thread.h) */
	a->running = mr_thread_start(&a->thread, netns_make, a) == 0;
	if (a->running)
		mr_say("a thread makes the new network namespace meanwhile");
}

/* Wait for the thread; returns the namespace's fd (the caller closes it), or -1 when the
 * thread was not started or failed: then the clone makes the namespace as before, and
 * fails with its own message if it can't. */
int netns_ahead_join(struct ctr_netns_ahead *a)
{
	mr_thread_join(a->thread, &a->running);
	int fd = a->fd;
	a->fd = -1;
	return fd;
}

struct ctr_netns_ahead *ctr_netns_ahead_start(bool lo_up, json_t *sysctl)
{
	struct ctr_netns_ahead *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->fd = -1;
	a->lo_up = lo_up;
	a->sysctl = json_incref(sysctl);
	netns_ahead_start(a);
	if (!a->running) {
		json_decref(a->sysctl);
		free(a);
		return NULL;
	}
	return a;
}

/* the namespace not wanted after all (a config refused, or one that makes its own) */
void netns_ahead_drop(struct ctr_netns_ahead *a)
{
	int fd = netns_ahead_join(a);
	if (fd >= 0)
		close(fd);
}

/* what the struct holds besides the namespace, freed (after the join) */
void netns_ahead_free(struct ctr_netns_ahead *a)
{
	json_decref(a->sysctl);
	json_decref(a->done);
	a->sysctl = a->done = NULL;
}

bool ctr_netns_ahead_used(const struct ctr_netns_ahead *a)
{
	return a && a->used;
}

void ctr_netns_ahead_drop(struct ctr_netns_ahead *a)
{
	if (a) {
		netns_ahead_drop(a);
		netns_ahead_free(a);
		free(a);
	}
}
