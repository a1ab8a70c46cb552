/*
 * minirun/oci/state.c - state directories, state.json, the lock, and the computed status.
 *
 * The status is never trusted from the file: it is computed each time from the live
 * process. A pid alone is not enough (the kernel reuses pids), so the init's start time
 * from /proc/PID/stat is recorded with it, and a pid whose start time differs is a stranger:
 * the container has stopped.
 *
 * See: state.h; runtime-spec runtime.md "State"; proc(5).
 */
#include "minirun/oci/state.h"
#include "lib/jsonfile.h"
#include "lib/cleanup.h"
#include "lib/file.h"
#include "lib/proc.h"
#include "minirun/oci/cgstep.h"
#include "minirun/rootless/rootless.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *state_default_root(void)
{
	static char buf[4096];
	const char *env = getenv("MINIRUN_ROOT");
	/* a name of its own, as runc's /run/runc beside docker's /run/docker: the front
	 * end's run root (/run/minirun, ROOT/run) holds containers/ and oci/ */
	if (env && *env) {
		snprintf(buf, sizeof(buf), "%s/run-oci", env);
		return buf;
	}
	/* root of a user namespace (an engine's rootless one: podman's) is not the host's
	 * root, and /run is not its to write: runc's rule, XDG_RUNTIME_DIR then */
	if (geteuid() == 0 && !rootless_active())
		return "/run/minirun-oci";
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	if (xdg && *xdg) {
		snprintf(buf, sizeof(buf), "%s/minirun-oci", xdg);
		return buf;
	}
	snprintf(buf, sizeof(buf), "/tmp/minirun-oci-%u", (unsigned)geteuid());
	return buf;
}

int state_check_id(const char *id, struct mr_err *err)
{
	size_t n = strlen(id);
	if (n == 0 || n >= STATE_ID_MAX)
		return mr_fail(err, 0, "container id must be 1 to %d characters", STATE_ID_MAX - 1);
	if (strcmp(id, ".") == 0 || strcmp(id, "..") == 0 ||
	    strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+.-") != n)
		return mr_fail(err, 0,
			       "invalid container id '%s': use letters, digits and _+.- "
			       "(no '/')",
			       id);
	return 0;
}

int state_path(char *buf, size_t n, const char *root, const char *id, const char *name)
{
	int len = snprintf(buf, n, "%s/%s%s%s", root, id, name ? "/" : "", name ? name : "");
	return len < 0 || (size_t)len >= n ? -1 : 0;
}

int state_new_dir(const char *root, const char *id, struct mr_err *err)
{
	char path[4096];
	if (state_check_id(id, err) < 0)
		return -1;
	if (state_path(path, sizeof(path), root, id, NULL) < 0)
		return mr_fail(err, ENAMETOOLONG, "state directory");
	/* ROOT and its parents are made only when missing (the first create): mkdir -p
	 * first would try each of them again on every create */
	int rc = mkdir(path, 0711);
	if (rc < 0 && (errno == ENOENT || errno == ENOTDIR)) { /* mkdir -p says which */
		if (mr_mkdir_p(root, 0711, err) < 0)
			return -1;
		rc = mkdir(path, 0711);
	}
	if (rc < 0) {
		if (errno == EEXIST)
			return mr_fail(err, 0, "container with id exists: %s", id);
		return mr_fail(err, errno, "mkdir '%s'", path);
	}
	return 0;
}

int state_lock(const char *root, const char *id, struct mr_err *err)
{
	char path[4096];
	if (state_check_id(id, err) < 0)
		return -1;
	if (state_path(path, sizeof(path), root, id, NULL) < 0)
		return mr_fail(err, ENAMETOOLONG, "state directory");
	/* the lock is on the directory itself, not on a file in it: each new file costs the
	 * filesystem an inode, and on a busy ext4 that alone is ~0.2 ms */
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT)
			return mr_fail(err, 0, "container with id %s does not exist", id);
		return mr_fail(err, errno, "open '%s'", path);
	}
	if (flock(fd, LOCK_EX) < 0) {
		close(fd);
		return mr_fail(err, errno, "lock '%s'", path);
	}
	return fd;
}

json_t *state_json(const struct ctr_state *st)
{
	json_t *j = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:i}", "ociVersion", "1.0.2",
			      "id", st->id, "status", st->status, "pid",
			      (json_int_t)(strcmp(st->status, "stopped") == 0 ? 0 : st->pid),
			      "bundle", st->bundle ? st->bundle : "", "rootfs",
			      st->rootfs ? st->rootfs : "", "created",
			      st->created ? st->created : "", "owner", (json_int_t)st->owner);
	if (st->annotations)
		json_object_set(j, "annotations", st->annotations);
	return j;
}

int state_save(const char *root, const struct ctr_state *st, struct mr_err *err)
{
	char path[4096];
	json_t *j = state_json(st);
	json_object_set_new(
		j, "minirun",
		json_pack("{s:I, s:s, s:b, s:i, s:I}", "startTime", (json_int_t)st->start_time,
			  "cgroup", st->cgroup ? st->cgroup : "", "started", st->has_created_hooks,
			  "realPid", (json_int_t)st->pid, "hooks", (json_int_t)st->hooks));
	_cleanup_free_ char *text = json_dumps(j, JSON_INDENT(2));
	json_decref(j);
	if (!text)
		return mr_fail(err, ENOMEM, "state.json");
	if (state_path(path, sizeof(path), root, st->id, "state.json") < 0)
		return mr_fail(err, ENAMETOOLONG, "state directory");
	/* Create records the state twice (as soon as the cgroup exists, then complete). The
	 * second time the file is rewritten in place: the first write into a new file makes
	 * the filesystem allocate a block, which on a busy ext4 disk can take milliseconds.
	 * Only create rewrites, under the lock, and a reader that meets a half-written file
	 * takes it for "creating", which the container still is. */
	_cleanup_close_ int fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return mr_replace_file(path, text, 0600, err);
	size_t len = strlen(text);
	if (pwrite(fd, text, len, 0) != (ssize_t)len || ftruncate(fd, (off_t)len) < 0)
		return mr_fail(err, errno ? errno : EIO, "write '%s'", path);
	return 0;
}

void state_refresh(const char *root, struct ctr_state *st)
{
	char path[4096];
	if (st->pid <= 0) {
		snprintf(st->status, sizeof(st->status), "creating");
		return;
	}
	if (mr_proc_start_time(st->pid) != st->start_time) {
		snprintf(st->status, sizeof(st->status), "stopped");
		return;
	}
	if (state_path(path, sizeof(path), root, st->id, "exec.fifo") == 0 &&
	    access(path, F_OK) == 0) {
		snprintf(st->status, sizeof(st->status), "created");
		return;
	}
	if (st->cgroup && *st->cgroup && cgstep_frozen(st->cgroup) == 1)
		snprintf(st->status, sizeof(st->status), "paused");
	else
		snprintf(st->status, sizeof(st->status), "running");
}

static char *dup_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? strdup(s) : NULL;
}

int state_load(const char *root, const char *id, struct ctr_state *st, struct mr_err *err)
{
	char path[4096];
	json_error_t je;
	memset(st, 0, sizeof(*st));
	if (state_check_id(id, err) < 0)
		return -1;
	if (state_path(path, sizeof(path), root, id, "state.json") < 0)
		return mr_fail(err, ENAMETOOLONG, "state directory");
	json_t *j = mr_json_load_file(path, 0, &je);
	if (!j) {
		char dir[4096];
		state_path(dir, sizeof(dir), root, id, NULL);
		if (access(dir, F_OK) < 0)
			return mr_fail(err, 0, "container with id %s does not exist", id);
		/* the directory exists without a state: a create is still running, or died */
		snprintf(st->id, sizeof(st->id), "%s", id);
		snprintf(st->status, sizeof(st->status), "creating");
		return 0;
	}
	json_t *m = json_object_get(j, "minirun");
	snprintf(st->id, sizeof(st->id), "%s", id);
	st->pid = (pid_t)json_integer_value(json_object_get(m, "realPid"));
	st->start_time = (unsigned long long)json_integer_value(json_object_get(m, "startTime"));
	st->has_created_hooks = json_is_true(json_object_get(m, "started"));
	st->hooks = (unsigned)json_integer_value(json_object_get(m, "hooks")); /* 0 if absent */
	st->cgroup = dup_str(m, "cgroup");
	st->bundle = dup_str(j, "bundle");
	st->rootfs = dup_str(j, "rootfs");
	st->created = dup_str(j, "created");
	st->owner = (uid_t)json_integer_value(json_object_get(j, "owner"));
	st->annotations = json_incref(json_object_get(j, "annotations"));
	json_decref(j);
	state_refresh(root, st);
	return 0;
}

void state_free(struct ctr_state *st)
{
	free(st->bundle);
	free(st->rootfs);
	free(st->created);
	free(st->cgroup);
	json_decref(st->annotations);
	st->bundle = st->rootfs = st->created = st->cgroup = NULL;
	st->annotations = NULL;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

int state_remove_dir(const char *root, const char *id, struct mr_err *err)
{
	char path[4096];
	if (state_path(path, sizeof(path), root, id, NULL) < 0)
		return mr_fail(err, ENAMETOOLONG, "state directory");
	if (nftw(path, rm_one, 8, FTW_DEPTH | FTW_PHYS) < 0 && errno != ENOENT)
		return mr_fail(err, errno, "remove '%s'", path);
	return 0;
}

/* Days since 1970-01-01 -> the civil date (proleptic Gregorian, as gmtime): eras of
 * 400 years, each starting on March 1st so that the leap day is the era-year's last.
 * Why not gmtime_r: glibc's first call reads /etc/localtime (tzset), seven syscalls on the
 * path of every create, for a time printed in UTC. */
static void civil(long long days, int *y, int *m, int *d)
{
	days += 719468; /* from 0000-03-01 */
	long long era = (days >= 0 ? days : days - 146096) / 146097;
	long long doe = days - era * 146097;                                   /* [0, 146096] */
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
	long long mp = (5 * doy + 2) / 153; /* [0, 11], March = 0 */
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

char *state_now(char *buf, size_t n)
{
	struct timespec ts;
	int y, m, d;
	clock_gettime(CLOCK_REALTIME, &ts);
	long long secs = ts.tv_sec, days = secs / 86400, rem = secs % 86400;
	if (rem < 0)
		rem += 86400, days--;
	civil(days, &y, &m, &d);
	snprintf(buf, n, "%04d-%02d-%02dT%02lld:%02lld:%02lld.%09ldZ", y, m, d, rem / 3600,
		 rem / 60 % 60, rem % 60, ts.tv_nsec);
	return buf;
}
