/*
 * minirun/oci/netns_ahead.c - the container's new network namespace, made by a thread
 * while the caller goes on with the rest of the create.
 *
 * A network namespace is the dearest kind to make: ~470 us of unshare(2) on this machine,
 * where every other kind costs 10-80 us (the kernel builds a loopback device, the state of
 * every protocol in the new namespace, its sysctl tables). Made by the init's clone, it
 * would sit on the critical path of every container, --network none included. So a thread
 * makes it beforehand; the init then joins it by setns (init.c), which costs microseconds:
 *
 *   ctr_netns_ahead_start(config)   a thread: unshare(CLONE_NEWNET), then it opens
 *                                   /proc/thread-self/ns/net, runs the caller's THEN in
 *                                   the new namespace (the monitor brings lo up there)
 *                                   and ends
 *   ... the caller's other work ...
 *   ctr_create(.netns_ahead = a)    joins the thread before the clone; the init setns()es
 *                                   into the namespace instead of making one
 *
 * ctr_create starts one itself (with a NULL config: it has decided) right after reading the
 * config when its caller did not;
 * the monitor of `minirun run` starts it earlier still, before it mounts the rootfs and
 * writes the bundle (~1 ms of work), so that the thread is done when create needs it.
 *
 * Why a thread and not a child process: the namespace comes back as an fd, with no socket
 * or wait, and unshare(CLONE_NEWNET) is allowed in a multithreaded process and moves only
 * the calling thread (namespaces belong to tasks; the fd keeps this one alive after the
 * thread has exited). The namespace is the one the clone would have made: owned by our user
 * namespace, its sysctl defaults taken from our network namespace, and what comes after
 * (the init's net.* sysctls, the hooks, exec, the monitor's veth through /proc/PID/ns/net)
 * sees it once the init has joined it, before its first report.
 *
 * Not with a user namespace, new or joined: a network namespace belongs to the user
 * namespace its maker was in, and the container's must belong to the container's (whose
 * root administers it), which exists only once the init has made or joined it.
 *
 * See: network_namespaces(7), unshare(2), setns(2); runtime-spec config-linux.md
 * "Namespaces".
 */
#include "minirun/oci/runtime.h"

#include "lib/err.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ctr_netns_ahead {
	pthread_t thread;
	int fd; /* /proc/thread-self/ns/net of the thread after its unshare, or -1 */
	void (*then)(void *arg);
	void *arg;
};

/* CONFIG's linux.namespaces (an OCI config, checked or not): a "network" entry without a
 * path (or with an empty one: the spec reads it as none), and no "user" entry at all */
static bool wants_new_netns(const json_t *config)
{
	const json_t *a = json_object_get(json_object_get(config, "linux"), "namespaces");
	const json_t *v;
	size_t i;
	bool net = false;
	json_array_foreach(a, i, v)
	{
		const char *type = json_string_value(json_object_get(v, "type"));
		const char *path = json_string_value(json_object_get(v, "path"));
		if (type && strcmp(type, "user") == 0)
			return false;
		if (type && strcmp(type, "network") == 0 && (!path || !*path))
			net = true;
	}
	return net;
}

static void *netns_make(void *arg)
{
	struct ctr_netns_ahead *a = arg;
	if (unshare(CLONE_NEWNET) < 0)
		return NULL;
	a->fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (a->fd >= 0 && a->then)
		a->then(a->arg); /* in the new namespace still: this thread alone is there */
	return NULL;
}

struct ctr_netns_ahead *ctr_netns_ahead_start(const json_t *config, void (*then)(void *arg),
					      void *arg)
{
	if (config && !wants_new_netns(config))
		return NULL;
	struct ctr_netns_ahead *a = malloc(sizeof(*a));
	if (!a)
		return NULL;
	a->fd = -1;
	a->then = then;
	a->arg = arg;
	sigset_t all, old;
	/* the thread runs with every signal blocked, so that the caller's handlers (the
	 * monitor's) run on the caller's own thread */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&a->thread, NULL, netns_make, a);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		free(a);
		return NULL;
	}
	mr_say("a thread makes the new network namespace meanwhile");
	return a;
}

int ctr_netns_ahead_join(struct ctr_netns_ahead *a)
{
	if (!a)
		return -1;
	pthread_join(a->thread, NULL);
	int fd = a->fd;
	free(a);
	return fd;
}

void ctr_netns_ahead_drop(struct ctr_netns_ahead *a)
{
	int fd = ctr_netns_ahead_join(a);
	if (fd >= 0)
		close(fd);
}
