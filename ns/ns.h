/*
 * ns/ns.h - the namespace table and the uid/gid map helpers shared by ns/ and minirun.
 *
 * Linux has eight namespace types. Each has a name (as lsns and runtime-spec say it), a
 * CLONE_NEW* flag for clone(2)/unshare(2)/setns(2), and a file in /proc/PID/ns/ whose
 * inode number identifies the namespace: two processes are in the same UTS namespace
 * exactly when /proc/A/ns/uts and /proc/B/ns/uts have the same inode.
 *
 * See: namespaces(7), user_namespaces(7), setns(2), ioctl_ns(2).
 */
#ifndef MR_NS_H
#define MR_NS_H

#include <sys/types.h>

#include "lib/err.h"

struct ns_type {
	const char *name; /* "uts"; runtime-spec says "network" and "mount" for net and mnt */
	const char *spec; /* the runtime-spec (config.json) name */
	int flag;         /* CLONE_NEWUTS */
	const char *what; /* one line: what this namespace isolates */
};

/* Every namespace type, in the order `ls /proc/self/ns` shows them. NS_NTYPES entries,
 * then a {NULL} entry. */
extern const struct ns_type ns_types[];
#define NS_NTYPES 8

/* Look a type up by its short name ("net") or runtime-spec name ("network"); NULL if none. */
const struct ns_type *ns_by_name(const char *name);
/* Look a type up by its single CLONE_NEW* flag; NULL if none. */
const struct ns_type *ns_by_flag(int flag);

/* Parse "uts,pid,net" or "all" into CLONE_NEW* flags. -1 with err naming the bad word. */
int ns_parse_list(const char *list, int *flags, struct mr_err *err);

/* The other way round: the short names of the types in FLAGS, comma-separated in the
 * table's order ("net,pid,uts"), into buf (truncated to fit). Returns buf. */
char *ns_list_names(int flags, char *buf, size_t size);

/* Write "/proc/PID/ns/NAME" into buf (pid 0 = self). Returns buf. */
char *ns_proc_path(char *buf, size_t size, pid_t pid, const struct ns_type *t);

/* Open /proc/PID/ns/NAME (O_RDONLY|O_CLOEXEC). Returns the fd, or -1 with err filled
 * ("no such process 4242" when the process is gone). */
int ns_open(pid_t pid, const struct ns_type *t, struct mr_err *err);

/* The CLONE_NEW* type of a namespace fd (ioctl NS_GET_NSTYPE), or -1 with err filled when
 * the fd is not a namespace file at all. */
int ns_fd_type(int fd, struct mr_err *err);

/* The inode number that identifies PID's namespace of type t, or 0 with err filled. */
unsigned long ns_inode(pid_t pid, const struct ns_type *t, struct mr_err *err);

/*
 * Map ids for a process in a new user namespace.
 * MAP is uid_map syntax, one or more "INSIDE OUTSIDE COUNT" lines ("0 1000 1").
 * The file can be written once, by a process with the right privileges over the namespace;
 * an unprivileged writer may only map its own id, and for gid_map must first deny
 * setgroups(2) (ns_deny_setgroups), or it could drop a group that guarded a file.
 */
int ns_write_map(pid_t pid, const char *file, const char *map, struct mr_err *err);
int ns_deny_setgroups(pid_t pid, struct mr_err *err);

/* The common case: map root inside to OUTSIDE_UID/OUTSIDE_GID (one id each), denying
 * setgroups first when the caller is not privileged in the parent namespace. */
int ns_map_root_to(pid_t pid, uid_t outside_uid, gid_t outside_gid, struct mr_err *err);

/* Join PID's namespaces of the types in FLAGS (setns). Every fd is opened first, because
 * after joining mnt "/proc/PID" would be looked up in the other mount table; then user is
 * joined first (it grants the capabilities the other joins need) and mnt last. Joining
 * pid or time changes only the namespaces of children forked afterwards.
 * A namespace the caller is already in is skipped (setns into one's own user namespace
 * fails with EINVAL). Returns 0, or -1 with err naming the type. */
int ns_join(pid_t pid, int flags, struct mr_err *err);

#endif
