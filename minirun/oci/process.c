/*
 * minirun/oci/process.c - the process attributes: rlimits, oom score, sysctl, user, cwd, fds, exec.
 *
 * Each function sets one attribute of the process that is about to become the
 * container's program. Two of them guard the host:
 *  - proc_chdir resolves process.cwd inside the container's root with RESOLVE_NO_MAGICLINKS,
 *    so "/proc/self/fd/N" naming a directory fd leaked from the host is refused
 *    (CVE-2024-21626 was exactly that);
 *  - proc_close_fds marks every fd above stdio and --preserve-fds close-on-exec, so
 *    nothing the runtime opened (the rootfs, a state directory, the host's /) survives exec.
 *
 * See: setrlimit(2), proc(5) (oom_score_adj, /proc/sys), setgroups(2), setresuid(2),
 *      close_range(2), execve(2), runtime-spec config.md "Process".
 */
#include "minirun/oci/debuglog.h"
#include "minirun/oci/setup.h"
#include "lib/cleanup.h"
#include "lib/file.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <dirent.h>
#include <sched.h>
#include <linux/close_range.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int proc_rlimits(const struct spec_process *p, struct mr_err *err)
{
	for (size_t i = 0; i < p->nrlimits; i++) {
		const struct spec_rlimit *r = &p->rlimits[i];
		struct rlimit rl = {r->soft, r->hard}, cur;
		if (setrlimit(r->resource, &rl) == 0)
			continue;
		int e = errno;
		getrlimit(r->resource, &cur);
		if (e == EPERM)
			return mr_fail(
				err, 0,
				"process.rlimits: %s hard %llu is above this host's hard "
				"limit %llu, and raising it needs CAP_SYS_RESOURCE; ask for at "
				"most %llu",
				r->name, (unsigned long long)r->hard,
				(unsigned long long)cur.rlim_max, (unsigned long long)cur.rlim_max);
		return mr_fail(err, e, "process.rlimits: set %s to %llu:%llu", r->name,
			       (unsigned long long)r->soft, (unsigned long long)r->hard);
	}
	return 0;
}

int proc_oom_score(const struct spec_process *p, struct mr_err *err)
{
	if (!p->has_oom_score_adj)
		return 0;
	if (mr_write_filef("/proc/self/oom_score_adj", err, "%d", p->oom_score_adj) < 0) {
		mr_prefix(err, "process.oomScoreAdj: ");
		return -1;
	}
	return 0;
}

/* The sysctls a namespace owns, and the namespace that must be new (or joined) for them:
 * anything else would change the host's kernel. */
static const struct {
	const char *prefix;
	int ns;
} sysctl_ns[] = {
	{"kernel.msgmax", CLONE_NEWIPC},   {"kernel.msgmnb", CLONE_NEWIPC},
	{"kernel.msgmni", CLONE_NEWIPC},   {"kernel.sem", CLONE_NEWIPC},
	{"kernel.shmall", CLONE_NEWIPC},   {"kernel.shmmax", CLONE_NEWIPC},
	{"kernel.shmmni", CLONE_NEWIPC},   {"kernel.shm_rmid_forced", CLONE_NEWIPC},
	{"fs.mqueue.", CLONE_NEWIPC},      {"net.", CLONE_NEWNET},
	{"kernel.hostname", CLONE_NEWUTS}, {"kernel.domainname", CLONE_NEWUTS},
};

int proc_sysctl_path(const char *key, char *buf, size_t len)
{
	if (strstr(key, "..") || strchr(key, '/'))
		return -1;
	int n = snprintf(buf, len, "/proc/sys/%s", key);
	if (n < 0 || (size_t)n >= len)
		return -1;
	for (int i = 10; i < n; i++)
		if (buf[i] == '.')
			buf[i] = '/';
	return 0;
}

int proc_sysctl(const struct spec *s, const json_t *done, struct mr_err *err)
{
	const char *key;
	json_t *v;
	json_object_foreach(s->sysctl, key, v)
	{
		const char *was = json_string_value(json_object_get(done, key));
		if (was && json_string_value(v) && !strcmp(was, json_string_value(v))) {
			mr_say("sysctl %s=%s: written already, with the namespace", key, was);
			continue;
		}
		size_t k, n = sizeof(sysctl_ns) / sizeof(sysctl_ns[0]);
		for (k = 0; k < n; k++) {
			size_t len = strlen(sysctl_ns[k].prefix);
			if (strncmp(key, sysctl_ns[k].prefix, len) == 0 &&
			    (sysctl_ns[k].prefix[len - 1] == '.' || key[len] == '\0'))
				break;
		}
		char path[4096];
		if (k == n || !spec_ns(s, sysctl_ns[k].ns))
			return mr_fail(err, 0,
				       "linux.sysctl: '%s' is not owned by a namespace of this "
				       "container; setting it would change the host",
				       key);
		if (proc_sysctl_path(key, path, sizeof(path)) < 0)
			return mr_fail(err, 0, "linux.sysctl: bad name '%s'", key);
		mr_say("sysctl %s=%s", key, json_string_value(v));
		if (mr_write_file(path, json_string_value(v), err) < 0) {
			mr_prefix(err, "linux.sysctl: ");
			return -1;
		}
	}
	return 0;
}

int proc_user(const struct spec_process *p, struct mr_err *err)
{
	_cleanup_free_ char *sg = NULL;
	/* in a user namespace whose setgroups is denied the group list can't change */
	bool deny = mr_read_file("/proc/self/setgroups", &sg, NULL, NULL) == 0 &&
		    strncmp(sg, "deny", 4) == 0;
	if (!deny && setgroups(p->ngids, p->gids) < 0)
		return mr_fail(err, errno, "process.user.additionalGids: setgroups");
	/* keep the permitted capabilities across setuid(non-zero); caps_apply sets them */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return mr_fail(err, errno, "prctl(PR_SET_KEEPCAPS)");
	mr_say("setresgid(%u); setresuid(%u)", (unsigned)p->gid, (unsigned)p->uid);
	if (setresgid(p->gid, p->gid, p->gid) < 0)
		return mr_fail(err, errno, "process.user.gid %u", (unsigned)p->gid);
	if (setresuid(p->uid, p->uid, p->uid) < 0)
		return mr_fail(err, errno, "process.user.uid %u", (unsigned)p->uid);
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return mr_fail(err, errno, "prctl(PR_SET_KEEPCAPS)");
	if (p->umask >= 0)
		umask((mode_t)p->umask);
	return 0;
}

int proc_chdir(const char *cwd, struct mr_err *err)
{
	struct open_how how = {
		.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	_cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int fd = (int)syscall(SYS_openat2, root, cwd, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS) { /* before 5.6: refuse /proc/.../fd by name */
		if (strncmp(cwd, "/proc/", 6) == 0 && strstr(cwd, "/fd/"))
			return mr_fail(err, ELOOP, "process.cwd '%s'", cwd);
		fd = open(cwd, O_PATH | O_DIRECTORY | O_CLOEXEC);
	}
	/* a /proc/.../fd/N that is no fd here fails ENOENT, not ELOOP: refused the same */
	bool fd_path = strncmp(cwd, "/proc/", 6) == 0 && strstr(cwd, "/fd/");
	if (fd < 0) {
		if (errno == ELOOP || (errno == ENOENT && fd_path))
			return mr_fail(err, 0,
				       "process.cwd '%s' goes through a magic link (such as "
				       "/proc/self/fd/N); refusing, it could lead outside the "
				       "container",
				       cwd);
		return mr_fail(err, errno, "process.cwd '%s' inside the container", cwd);
	}
	int rc = fchdir(fd);
	int e = errno;
	close(fd);
	if (rc < 0)
		return mr_fail(err, e, "chdir to process.cwd '%s'", cwd);
	return 0;
}

int proc_close_fds(int preserve, struct mr_err *err)
{
	unsigned first = 3 + (unsigned)preserve;
	debuglog_stdio(); /* the caller's stderr, not --debug's log, for the process */
	if (syscall(SYS_close_range, first, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return 0;
	/* before 5.11: mark each open fd from /proc/self/fd */
	_cleanup_closedir_ DIR *d = opendir("/proc/self/fd");
	if (!d)
		return mr_fail(err, errno, "list /proc/self/fd to close fds");
	for (struct dirent *e; (e = readdir(d));) {
		int fd = atoi(e->d_name);
		if (e->d_name[0] != '.' && fd >= (int)first && fd != dirfd(d))
			fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	return 0;
}

/* The PATH= entry of ENV, or the default of runtime-spec-using engines. */
static const char *env_path(char *const *env)
{
	for (; env && *env; env++)
		if (strncmp(*env, "PATH=", 5) == 0)
			return *env + 5;
	return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

int proc_lookup(const char *arg0, char *const *env, char *out, size_t n, struct mr_err *err)
{
	if (strchr(arg0, '/')) {
		snprintf(out, n, "%s", arg0);
		if (access(out, X_OK) < 0)
			return mr_fail(err, errno, "exec: \"%s\"", arg0);
		return 0;
	}
	const char *path = env_path(env);
	while (*path) {
		size_t len = strcspn(path, ":");
		struct stat st;
		snprintf(out, n, "%.*s/%s", (int)len, len ? path : ".", arg0);
		if (access(out, X_OK) == 0 && stat(out, &st) == 0 && S_ISREG(st.st_mode))
			return 0;
		path += len + (path[len] == ':');
	}
	return mr_fail(err, ENOENT, "exec: \"%s\": executable file not found in $PATH", arg0);
}

int proc_exec(char *const *args, char *const *env, struct mr_err *err)
{
	char path[4096];
	static char *const empty[] = {NULL};
	if (proc_lookup(args[0], env, path, sizeof(path), err) < 0)
		return -1;
	execve(path, args, env ? env : empty);
	return mr_fail(err, errno, "exec '%s'", path);
}
