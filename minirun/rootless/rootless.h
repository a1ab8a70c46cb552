/*
 * minirun/rootless/rootless.h - minirun as an ordinary user: where its files go, and the
 * user namespace every front-end command runs in.
 *
 * An ordinary user can't mount, chown to other uids or make devices on the host. In a user
 * namespace of its own it can: there its uid is 0, and the ranges /etc/subuid and
 * /etc/subgid grant it (written into uid_map by the setuid newuidmap/newgidmap) are the
 * other users, so an image's files keep distinct owners. minirun keeps one such namespace
 * per user (with a mount namespace, so an overlay mounted by one command is seen by the
 * next), held open by a small "pause" process, as podman does; each command joins it
 * before doing anything else, and from there runs as root does, in the user's own store.
 *
 *   $ id -u; minirun run --rm busybox id
 *   1000
 *   uid=0(root) gid=0(root)
 *
 * See: user_namespaces(7), newuidmap(1), subuid(5); README.md here.
 */
#ifndef MINIRUN_ROOTLESS_H
#define MINIRUN_ROOTLESS_H

#include "lib/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* rootless_data_dir - the store of an ordinary user: $XDG_DATA_HOME/minirun, else
 * ~/.local/share/minirun (HOME, else the passwd entry). A static buffer; NULL with err
 * filled when no home is known. */
const char *rootless_data_dir(struct mr_err *err);

/* rootless_runtime_dir - the user's runtime files (the pause process's pid and lock):
 * $XDG_RUNTIME_DIR/minirun; else /run/user/UID/minirun when that directory is the user's;
 * else /tmp/minirun-run-UID, made 0700 and refused unless the user owns it (podman's
 * order). Made if missing. A static buffer; NULL with err filled. */
const char *rootless_runtime_dir(struct mr_err *err);

/* rootless_enter - put the calling (single-threaded) process into the user's user and
 * mount namespaces: join the pause process's, or make them (and the pause process) when
 * there is none. The working directory is kept. Afterwards the process is uid 0 there.
 * Returns 0; -1 with err filled (no newuidmap, a refused map, ...). Root on the host is
 * left as it is; a caller in a user namespace already (minirun re-executed: the monitor,
 * exec) stays there, and only learns that its overlays use user.overlay.* xattrs. */
int rootless_enter(struct mr_err *err);

/* rootless_active - whether this process runs in a user namespace other than the host's
 * (read once from /proc/self/uid_map): then no cgroup is delegated unless one was found,
 * and devices, ports below 1024 and host networks are the host's to give. */
bool rootless_active(void);

/* rootless_cgroup_refusal - for a rootless container asking for a limit with FLAG ("-m"):
 * NULL when CONTROLLER ("memory", "cpu", "pids") is delegated to the user in a cgroup v2
 * subtree it may write, else one line (static) naming the flag, the missing controller,
 * why, and how to delegate it (cgroup.c). Rootful: always NULL. */
const char *rootless_cgroup_refusal(const char *flag, const char *controller);

/* rootless_cgroup_path - the cgroupsPath of a rootless container ID: "minirun-ID" in the
 * user's delegated cgroup (the nearest ancestor of its own it may write: cgroup.c), into
 * BUF; NULL when none is delegated (the container shares its caller's cgroup) or rootful */
const char *rootless_cgroup_path(const char *id, char *buf, size_t size);

/* rootless_ovl_mount - ovl_mount of STACK on TARGET from inside the user namespace: the
 * kernel's overlay with `userxattr` (Linux >= 5.11), else fuse-overlayfs, else a copy
 * (said once per store); MINIRUN_ROOTLESS_OVERLAY=kernel|fuse|copy forces one. 0, or -1
 * with err saying what each answered (overlay.c). */
struct ovl_stack;
int rootless_ovl_mount(const struct ovl_stack *stack, const char *target, struct mr_err *err);

/* rootless_copy_mount - the last resort: STACK's layers copied into its upper (once: a
 * `.minirun-copied` file beside it), which is bind-mounted on TARGET (copy.c). */
int rootless_copy_mount(const struct ovl_stack *stack, const char *target, struct mr_err *err);

/* ---- the default network, rootless (net.c) ------------------------------------------ */

/* A port to publish: HOST_IP ("" or "0.0.0.0": every address) HOST_PORT (0: pick a free
 * one, written back) -> the container's PORT, PROTO "tcp" or "udp". */
struct rootless_port {
	const char *host_ip;
	unsigned host_port, port;
	const char *proto;
};

/* rootless_net_helper - "pasta" if installed, else "slirp4netns", else NULL */
const char *rootless_net_helper(void);

/* rootless_net_check - at create: a helper is installed, -p has pasta, and no host port
 * of P[0..N) is below net.ipv4.ip_unprivileged_port_start. 0, or -1 with one line in err
 * naming the port and the sysctl (or the package). */
int rootless_net_check(const struct rootless_port *p, size_t n, struct mr_err *err);

/* rootless_net_up - give the network namespace of PID (the container's init) a network
 * through pasta (publishing P[0..N)), else slirp4netns; the helper's pid goes into
 * PIDFILE. Returns once the namespace is configured: 0, or -1 with err. */
int rootless_net_up(pid_t pid, struct rootless_port *p, size_t n, const char *pidfile,
		    struct mr_err *err);

/* rootless_net_down - end the helper PIDFILE names (if it is still one), remove PIDFILE */
void rootless_net_down(const char *pidfile);

/* rootless_net_attach - the same for the user's network namespace (the fd NETNS, left
 * open): pasta's --config-net tap (else slirp4netns's), no port; its pid into PIDFILE */
int rootless_net_attach(int netns, const char *pidfile, struct mr_err *err);

/* rootless_net_publish - publish P[0..N) (each port's PORT is the port inside NETNS)
 * from the host into the namespace fd NETNS with a pasta of its own, whose tap TAP
 * stays unconfigured: connections to the host's loopback are spliced to 127.0.0.1:PORT
 * inside, and only those (the rootless user networks' ports, netns.c). Its pid into
 * PIDFILE. 0, or -1 with err. */
int rootless_net_publish(int netns, const char *tap, struct rootless_port *p, size_t n,
			 const char *pidfile, struct mr_err *err);

/* ---- user-defined networks, rootless (netns.c) --------------------------------------- */

/* rootless_netns_ensure - make the user's network namespace if there is none: a new
 * network namespace (owned by the user namespace) bind-mounted on RUNDIR/netns in the
 * user's mount namespace (so it lives as long as the pause process's), lo up, and pasta
 * (else slirp4netns) attached to it for the way out. Bridges, veths and nftables of the
 * user's networks live there, as in rootlesskit's and podman's "rootless netns". Call
 * from the host's network namespace (the helper must sit there). 0, or -1 with err;
 * nothing half-made. */
int rootless_netns_ensure(struct mr_err *err);

/* rootless_netns_fd - an fd (O_CLOEXEC, the caller's) of that namespace; -1 with err
 * when it does not exist */
int rootless_netns_fd(struct mr_err *err);

/* HOW, when there is no such namespace: RL_NETNS_MAKE makes it; RL_NETNS_UNDO (for what
 * only removes) uses a new empty one instead: the kernel side went with the old one. */
enum rootless_netns_how { RL_NETNS_MAKE, RL_NETNS_UNDO };

/* rootless_netns_join - move the calling thread into it (HOW: above) for good (the host's
 * network namespace is root's: there is no way back). 0, or -1 with err. */
int rootless_netns_join(enum rootless_netns_how how, struct mr_err *err);

/* rootless_netns_call - FN(ARG) run in a thread that joined the user's network
 * namespace (HOW: above), while the caller stays where it is: how a process that still
 * needs the host's namespace (the monitor, which starts pasta there) does its netlink and
 * nftables work in the user's. Returns FN's result (FN fills its own err), or -1 with err
 * when the thread could not get there. Already in it, or root: FN called here. */
int rootless_netns_call(int (*fn)(void *arg), void *arg, enum rootless_netns_how how,
			struct mr_err *err);

/* rootless_netns_release - when the store ROOT has no user-defined network left (only
 * bridge.json in ROOT/networks): end the namespace's helper and unmount the namespace
 * (gone with its last user). Quiet; nothing to do when there is none. */
void rootless_netns_release(const char *root);

#endif
