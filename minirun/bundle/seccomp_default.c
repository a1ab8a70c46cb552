/*
 * minirun/bundle/seccomp_default.c - the default seccomp profile: docker's approach,
 * in this project's own words and lists.
 *
 * A container's root is still root, and the kernel's whole system-call surface is still
 * there. Capabilities (config.c) take away most of what root could do; seccomp takes away
 * the *calls* a container has no business making at all, so that a bug in rarely used
 * kernel code can't be reached from inside. The approach:
 *
 *   - the default is "fail with EPERM" (SCMP_ACT_ERRNO), not "kill": a program that probes
 *     for a feature gets an error it can handle;
 *   - an allow-list of the ordinary calls (files, memory, processes, signals, sockets,
 *     time, IPC ...), by name, so calls added to future kernels are refused until someone
 *     decides they are safe;
 *   - calls that only make sense with a capability are allowed exactly when the container
 *     has that capability (--cap-add SYS_ADMIN brings mount and unshare, --cap-add
 *     SYS_PTRACE brings ptrace), so --cap-add works without a custom profile;
 *   - clone(2) is allowed, but not with a CLONE_NEW* flag unless CAP_SYS_ADMIN (an
 *     argument mask: fork and threads work, new namespaces don't); clone3(2) passes its
 *     flags in memory that seccomp can't read, so it gets ENOSYS and libc falls back to
 *     clone;
 *   - the kernel keyring (keyctl, add_key, request_key) is refused to everyone: keys are
 *     not namespaced, and a container could read or fill the host's.
 * Names the running kernel or libseccomp don't know are skipped by the runtime, so the
 * lists may name calls of every architecture. Architectures: the native one and those a
 * native process may also call in (x86_64 also runs x86 and x32 code).
 *
 * See: seccomp(2); https://docs.docker.com/engine/security/seccomp/ ;
 *      runtime-spec config-linux.md "Seccomp"; minirun/oci/seccomp.c (what the runtime accepts).
 */
#include "minirun/bundle/bundle.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/capability.h>

/* the lists read best as paragraphs, not one name a line: */
/* clang-format off */
/* ---- the ordinary calls, allowed to every container --------------------------------------- */

static const char *const allow_files[] = {
	/* files and directories: open, read, write, stat, link, rename, xattrs, locks */
	"access", "chdir", "chmod", "chown", "chown32", "close", "close_range", "copy_file_range",
	"creat", "dup", "dup2", "dup3", "faccessat", "faccessat2", "fadvise64", "fadvise64_64",
	"fallocate", "fchdir", "fchmod", "fchmodat", "fchmodat2", "fchown", "fchown32",
	"fchownat", "fcntl", "fcntl64", "fdatasync", "fgetxattr", "flistxattr", "flock",
	"fremovexattr", "fsetxattr", "fstat", "fstat64", "fstatat64", "fstatfs", "fstatfs64",
	"fsync", "ftruncate", "ftruncate64", "futimesat", "getcwd", "getdents", "getdents64",
	"getxattr", "inotify_add_watch", "inotify_init", "inotify_init1", "inotify_rm_watch",
	"lchown", "lchown32", "lgetxattr", "link", "linkat", "listxattr", "llistxattr", "_llseek",
	"lremovexattr", "lseek", "lsetxattr", "lstat", "lstat64", "mkdir", "mkdirat", "mknod",
	"mknodat", "newfstatat", "open", "openat", "openat2", "pread64", "preadv", "preadv2",
	"pwrite64", "pwritev", "pwritev2", "read", "readahead", "readlink", "readlinkat", "readv",
	"removexattr", "rename", "renameat", "renameat2", "rmdir", "sendfile", "sendfile64",
	"setxattr", "splice", "stat", "stat64", "statfs", "statfs64", "statx", "symlink",
	"symlinkat", "sync", "sync_file_range", "syncfs", "tee", "truncate", "truncate64", "umask",
	"unlink", "unlinkat", "utime", "utimensat", "utimensat_time64", "utimes", "vmsplice",
	"write", "writev", "fanotify_mark", "name_to_handle_at",
	/* polling and event fds */
	"epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_pwait",
	"epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2", "poll", "ppoll",
	"ppoll_time64", "pselect6", "pselect6_time64", "select", "_newselect", "signalfd",
	"signalfd4", "timerfd_create", "timerfd_gettime", "timerfd_gettime64", "timerfd_settime",
	"timerfd_settime64", "pipe", "pipe2", "ioctl",
	/* asynchronous I/O (not io_uring, whose many bugs put it outside every default) */
	"io_cancel", "io_destroy", "io_getevents", "io_pgetevents", "io_pgetevents_time64",
	"io_setup", "io_submit", "ioprio_get", "ioprio_set",
};

static const char *const allow_memory[] = {
	/* memory: map, protect, advise, lock (RLIMIT_MEMLOCK still applies) */
	"brk", "madvise", "membarrier", "memfd_create", "memfd_secret", "mincore", "mlock",
	"mlock2", "mlockall", "mmap", "mmap2", "mprotect", "mremap", "msync", "munlock",
	"munlockall", "munmap", "pkey_alloc", "pkey_free", "pkey_mprotect", "remap_file_pages",
	"map_shadow_stack", "cachestat",
};

static const char *const allow_process[] = {
	/* processes and threads (clone is below, with its flag mask) */
	"execve", "execveat", "exit", "exit_group", "fork", "vfork", "wait4", "waitid", "waitpid",
	"getpid", "getppid", "gettid", "getpgid", "getpgrp", "getsid", "setpgid", "setsid",
	"set_tid_address", "set_robust_list", "get_robust_list", "rseq", "futex",
	"futex_time64", "futex_waitv", "futex_wake", "futex_wait", "futex_requeue", "arch_prctl",
	"get_thread_area", "set_thread_area", "modify_ldt", "prctl", "capget", "capset",
	"getrlimit", "setrlimit", "prlimit64", "ugetrlimit", "getrusage", "getpriority",
	"setpriority", "sched_getaffinity", "sched_setaffinity", "sched_getattr",
	"sched_setattr", "sched_getparam", "sched_setparam", "sched_get_priority_max",
	"sched_get_priority_min", "sched_getscheduler", "sched_setscheduler",
	"sched_rr_get_interval", "sched_rr_get_interval_time64", "sched_yield", "getcpu",
	"pidfd_open", "pidfd_send_signal", "process_mrelease", "seccomp", "restart_syscall",
	"landlock_add_rule", "landlock_create_ruleset", "landlock_restrict_self", "uname",
	"sysinfo", "times", "getrandom",
	/* identities: changing them inside the container's own ids is what su and servers do
	 * (CAP_SETUID/SETGID decide whether it succeeds) */
	"getuid", "getuid32", "geteuid", "geteuid32", "getgid", "getgid32", "getegid",
	"getegid32", "getgroups", "getgroups32", "getresuid", "getresuid32", "getresgid",
	"getresgid32", "setuid", "setuid32", "setgid", "setgid32", "setreuid", "setreuid32",
	"setregid", "setregid32", "setresuid", "setresuid32", "setresgid", "setresgid32",
	"setfsuid", "setfsuid32", "setfsgid", "setfsgid32", "setgroups", "setgroups32",
};

static const char *const allow_signals_time_ipc[] = {
	/* signals */
	"kill", "tkill", "tgkill", "pause", "rt_sigaction", "rt_sigpending", "rt_sigprocmask",
	"rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait",
	"rt_sigtimedwait_time64", "rt_tgsigqueueinfo", "sigaltstack", "sigprocmask", "sigreturn",
	/* time: reading clocks and sleeping (setting the clock needs CAP_SYS_TIME, below) */
	"alarm", "clock_getres", "clock_getres_time64", "clock_gettime", "clock_gettime64",
	"clock_nanosleep", "clock_nanosleep_time64", "gettimeofday", "getitimer", "setitimer",
	"nanosleep", "time", "timer_create", "timer_delete", "timer_getoverrun", "timer_gettime",
	"timer_gettime64", "timer_settime", "timer_settime64", "adjtimex", "clock_adjtime",
	"clock_adjtime64",
	/* System V and POSIX IPC: namespaced by the container's ipc namespace */
	"ipc", "msgctl", "msgget", "msgrcv", "msgsnd", "semctl", "semget", "semop", "semtimedop",
	"semtimedop_time64", "shmat", "shmctl", "shmdt", "shmget", "mq_getsetattr", "mq_notify",
	"mq_open", "mq_timedreceive", "mq_timedreceive_time64", "mq_timedsend",
	"mq_timedsend_time64", "mq_unlink",
	/* sockets: namespaced by the network namespace (socket itself is below: not vsock) */
	"accept", "accept4", "bind", "connect", "getpeername", "getsockname", "getsockopt",
	"listen", "recv", "recvfrom", "recvmmsg", "recvmmsg_time64", "recvmsg", "send",
	"sendmmsg", "sendmsg", "sendto", "setsockopt", "shutdown", "socketcall", "socketpair",
};

/* ---- calls that come with a capability ---------------------------------------------------- */

static const struct {
	int cap;
	const char *why;
	const char *names[24];
} with_cap[] = {
	{CAP_SYS_ADMIN, "mounts and namespaces: the container could rebuild its own view",
	 {"mount", "umount", "umount2", "unshare", "setns", "pivot_root", "fsopen", "fsconfig",
	  "fsmount", "fspick", "move_mount", "open_tree", "mount_setattr", "sethostname",
	  "setdomainname", "quotactl", "quotactl_fd", "lookup_dcookie", "bpf", "perf_event_open",
	  "fanotify_init", "syslog", "clone3", NULL}},
	{CAP_SYS_PTRACE, "reading and writing another process's memory",
	 {"ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
	  "process_madvise", "userfaultfd", NULL}},
	{CAP_SYS_MODULE, "loading kernel code",
	 {"init_module", "finit_module", "delete_module", NULL}},
	{CAP_SYS_BOOT, "rebooting, or booting another kernel", {"reboot", "kexec_load",
								  "kexec_file_load", NULL}},
	{CAP_SYS_TIME, "the clock is the host's, not namespaced",
	 {"settimeofday", "stime", "clock_settime", "clock_settime64", NULL}},
	{CAP_SYS_CHROOT, "chroot", {"chroot", NULL}},
	{CAP_SYS_PACCT, "process accounting is host-wide", {"acct", NULL}},
	{CAP_SYS_RAWIO, "raw port I/O", {"iopl", "ioperm", NULL}},
	{CAP_SYS_TTY_CONFIG, "hanging up the terminal", {"vhangup", NULL}},
	{CAP_SYS_NICE, "NUMA memory policy", {"get_mempolicy", "mbind", "set_mempolicy",
					      "set_mempolicy_home_node", "migrate_pages",
					      "move_pages", NULL}},
	{CAP_DAC_READ_SEARCH, "opening any file by handle, past every directory permission",
	 {"open_by_handle_at", NULL}},
	{CAP_SYSLOG, "the kernel log", {"syslog", NULL}},
#ifdef CAP_BPF /* the split-out parts of CAP_SYS_ADMIN (Linux 5.8) */
	{CAP_BPF, "loading eBPF programs", {"bpf", NULL}},
	{CAP_PERFMON, "performance counters see other processes", {"perf_event_open", NULL}},
#endif
};

/* clang-format on */

static json_t *names(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n && v[i]; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *rule(json_t *names_, const char *action)
{
	return json_pack("{s:o, s:s}", "names", names_, "action", action);
}

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* the architectures a native process can make calls in */
static json_t *architectures(void)
{
#if defined(__x86_64__)
	return json_pack("[s, s, s]", "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
#elif defined(__aarch64__)
	return json_pack("[s, s]", "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM");
#elif defined(__i386__)
	return json_pack("[s]", "SCMP_ARCH_X86");
#else
	return json_array(); /* the native architecture only */
#endif
}

static json_t *profile(unsigned long long caps)
{
	json_t *sys = json_array();
	json_array_append_new(sys, rule(names(allow_files, LEN(allow_files)), "SCMP_ACT_ALLOW"));
	json_array_append_new(sys, rule(names(allow_memory, LEN(allow_memory)), "SCMP_ACT_ALLOW"));
	json_array_append_new(sys,
			      rule(names(allow_process, LEN(allow_process)), "SCMP_ACT_ALLOW"));
	json_array_append_new(sys, rule(names(allow_signals_time_ipc, LEN(allow_signals_time_ipc)),
					"SCMP_ACT_ALLOW"));

	/* socket: any family but AF_VSOCK (40), which reaches the hypervisor's host, not the
	 * container's network namespace */
	json_array_append_new(sys, json_pack("{s:[s], s:s, s:[{s:i, s:i, s:s}]}", "names", "socket",
					     "action", "SCMP_ACT_ALLOW", "args", "index", 0,
					     "value", 40, "op", "SCMP_CMP_NE"));
	/* personality: only the harmless personas (query, linux, linux32, uname26) */
	json_t *pers = json_pack("{s:[s], s:s, s:[]}", "names", "personality", "action",
				 "SCMP_ACT_ALLOW", "args");
	static const long personas[] = {0x0, 0x8, 0x20000, 0x20008, 0xffffffff};
	for (size_t i = 0; i < LEN(personas); i++)
		json_array_append_new(json_object_get(pers, "args"),
				      json_pack("{s:i, s:I, s:s}", "index", 0, "value",
						(json_int_t)personas[i], "op", "SCMP_CMP_EQ"));
	json_array_append_new(sys, pers);

	bool admin = caps >> CAP_SYS_ADMIN & 1;
	if (admin) /* clone with any flags (and clone3, in the CAP_SYS_ADMIN group below) */
		json_array_append_new(sys, rule(json_pack("[s]", "clone"), "SCMP_ACT_ALLOW"));
	else {
		/* clone only if (flags & CLONE_NEW*) == 0: fork and threads, no namespaces */
		json_int_t mask = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |
				  CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP;
		json_array_append_new(sys, json_pack("{s:[s], s:s, s:[{s:i, s:I, s:i, s:s}]}",
						     "names", "clone", "action", "SCMP_ACT_ALLOW",
						     "args", "index", 0, "value", mask, "valueTwo",
						     0, "op", "SCMP_CMP_MASKED_EQ"));
		/* clone3: ENOSYS, so glibc falls back to clone and its checked flags */
		json_array_append_new(sys,
				      json_pack("{s:[s], s:s, s:i}", "names", "clone3", "action",
						"SCMP_ACT_ERRNO", "errnoRet", ENOSYS));
	}
	for (size_t i = 0; i < LEN(with_cap); i++)
		if (caps >> with_cap[i].cap & 1)
			json_array_append_new(sys,
					      rule(names(with_cap[i].names, 24), "SCMP_ACT_ALLOW"));
	/* keyctl, add_key, request_key: in no list, so refused with the default EPERM */
	return json_pack("{s:s, s:i, s:o, s:o}", "defaultAction", "SCMP_ACT_ERRNO",
			 "defaultErrnoRet", EPERM, "architectures", architectures(), "syscalls",
			 sys);
}

/* a profile built ahead (container_seccomp_default_ahead), and the capabilities it is for */
static json_t *ahead;
static unsigned long long ahead_caps;

void container_seccomp_default_ahead(unsigned long long caps)
{
	json_decref(ahead);
	ahead = profile(caps);
	ahead_caps = caps;
}

json_t *container_seccomp_default(unsigned long long caps)
{
	json_t *p = ahead;
	if (p && ahead_caps == caps) {
		ahead = NULL; /* handed over: a second config gets a profile of its own */
		return p;
	}
	return profile(caps);
}

/* ---- --security-opt seccomp=FILE ------------------------------------------------------------- */

/* the capability bit of NAME ("CAP_SYS_ADMIN"), or -1 */
static int cap_bit(const char *name)
{
	cap_value_t v;
	return name && cap_from_name(name, &v) == 0 && v < 64 ? (int)v : -1;
}

/* Does a docker profile rule's "includes"/"excludes" let it apply to CAPS on this arch? */
static bool applies(json_t *filter, unsigned long long caps, bool include)
{
#if defined(__x86_64__)
	const char *arch = "amd64";
#elif defined(__aarch64__)
	const char *arch = "arm64";
#else
	const char *arch = "";
#endif
	size_t i;
	json_t *v;
	bool any_cap = false, any_arch = false;
	json_t *cl = json_object_get(filter, "caps"), *al = json_object_get(filter, "arches");
	json_array_foreach(cl, i, v)
	{
		int c = json_is_string(v) ? cap_bit(json_string_value(v)) : -1;
		bool have = c >= 0 && (caps >> c & 1);
		if (include && !have)
			return false; /* includes.caps: every one is needed */
		any_cap |= have;
	}
	json_array_foreach(al, i, v)
	{
		any_arch |= json_is_string(v) && strcmp(json_string_value(v), arch) == 0;
	}
	if (include)
		return !json_array_size(al) || any_arch;
	return !any_cap && !any_arch; /* excludes: any match drops the rule */
}

json_t *container_seccomp_profile(json_t *profile, unsigned long long caps, struct mr_err *err)
{
	const char *def = json_string_value(json_object_get(profile, "defaultAction"));
	if (!def) {
		mr_fail(err, 0, "seccomp profile: needs \"defaultAction\"");
		return NULL;
	}
	json_t *out = json_pack("{s:s}", "defaultAction", def), *v, *r;
	size_t i;
	if ((v = json_object_get(profile, "defaultErrnoRet")))
		json_object_set(out, "defaultErrnoRet", v);
	/* docker's profile field "flags" is the OCI one: seccomp(2)'s SECCOMP_FILTER_FLAG_*,
	 * handed to the runtime as they are (it refuses one it doesn't know, by name) */
	if ((v = json_object_get(profile, "flags")) && json_array_size(v))
		json_object_set(out, "flags", v);
	if ((v = json_object_get(profile, "architectures")))
		json_object_set(out, "architectures", v);
	else if ((v = json_object_get(profile, "archMap"))) {
		/* docker's archMap: the entry of the native architecture and its sub-arches */
		json_t *native = architectures(), *archs = json_array(), *m;
		const char *want = json_string_value(json_array_get(native, 0));
		json_array_foreach(v, i, m)
		{
			const char *a = json_string_value(json_object_get(m, "architecture"));
			if (a && want && strcmp(a, want) == 0) {
				json_array_append(archs, json_object_get(m, "architecture"));
				json_array_extend(archs, json_object_get(m, "subArchitectures"));
			}
		}
		json_decref(native);
		json_object_set_new(out, "architectures", archs);
	}
	json_t *sys = json_array();
	json_array_foreach(json_object_get(profile, "syscalls"), i, r)
	{
		json_t *n = json_object_get(r, "names");
		if (!n && json_is_string(json_object_get(r, "name")))
			n = json_pack("[O]", json_object_get(r, "name"));
		else
			json_incref(n);
		if (!applies(json_object_get(r, "includes"), caps, true) ||
		    !applies(json_object_get(r, "excludes"), caps, false) || !json_is_array(n)) {
			json_decref(n);
			continue;
		}
		json_t *o = json_pack("{s:o, s:O*}", "names", n, "action",
				      json_object_get(r, "action"));
		if ((v = json_object_get(r, "errnoRet")))
			json_object_set(o, "errnoRet", v);
		if ((v = json_object_get(r, "args")) && json_array_size(v))
			json_object_set(o, "args", v);
		json_array_append_new(sys, o);
	}
	json_object_set_new(out, "syscalls", sys);
	return out;
}
