/*
 * minirun/bundle/hostflags.c - --ulimit, --device, --group-add and --shm-size: the flags
 * parsed and checked against this host, and (ulimits, devices) from the record to the OCI
 * config (containers/record.c puts the flags in the record's HostConfig).
 *
 *   --ulimit nofile=1024:2048   process.rlimits [{"type": "RLIMIT_NOFILE", "soft": 1024,
 *                               "hard": 2048}]: the runtime calls setrlimit(2) before exec.
 *                               Lowering a limit is free; raising a hard limit needs
 *                               CAP_SYS_RESOURCE, which is checked here, before anything
 *                               is made, so the refusal names the flag.
 *   --device /dev/fuse:/dev/f:r linux.devices: the runtime mknods the node in the container's
 *                               /dev (major:minor, mode and owner copied from the host's
 *                               node); linux.resources.devices: the cgroup rule allowing
 *                               "r" on c 10:229 -- the node alone opens nothing, since the
 *                               device cgroup denies every device not allowed by name.
 *   --group-add audio           HostConfig.GroupAdd; user.c (container_group_add) resolves
 *                               it in the container's own /etc/group
 *                               (process.user.additionalGids)
 *   --shm-size 128m             HostConfig.ShmSize; config.c writes it as /dev/shm's size=
 *
 * See: setrlimit(2), prlimit(1); mknod(2); the kernel's admin-guide/cgroup-v1/devices.rst;
 *      docker/go-units ulimit.go (the names); docker's opts.ValidateDevice.
 */
#include "minirun/bundle/bundle.h"
#include "lib/cleanup.h"
#include "lib/file.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

/* ---- --ulimit ---------------------------------------------------------------------------- */

/* docker's names (go-units ulimitNameMapping) <-> the resource <-> the OCI type */
static const struct {
	const char *name;
	int resource;
	const char *oci;
} ulimits[] = {
	{"core", RLIMIT_CORE, "RLIMIT_CORE"},
	{"cpu", RLIMIT_CPU, "RLIMIT_CPU"},
	{"data", RLIMIT_DATA, "RLIMIT_DATA"},
	{"fsize", RLIMIT_FSIZE, "RLIMIT_FSIZE"},
	{"locks", RLIMIT_LOCKS, "RLIMIT_LOCKS"},
	{"memlock", RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK"},
	{"msgqueue", RLIMIT_MSGQUEUE, "RLIMIT_MSGQUEUE"},
	{"nice", RLIMIT_NICE, "RLIMIT_NICE"},
	{"nofile", RLIMIT_NOFILE, "RLIMIT_NOFILE"},
	{"nproc", RLIMIT_NPROC, "RLIMIT_NPROC"},
	{"rss", RLIMIT_RSS, "RLIMIT_RSS"},
	{"rtprio", RLIMIT_RTPRIO, "RLIMIT_RTPRIO"},
	{"rttime", RLIMIT_RTTIME, "RLIMIT_RTTIME"},
	{"sigpending", RLIMIT_SIGPENDING, "RLIMIT_SIGPENDING"},
	{"stack", RLIMIT_STACK, "RLIMIT_STACK"},
};
#define NULIMITS (sizeof(ulimits) / sizeof(ulimits[0]))

/* Go's strconv.ParseInt(S, 10, 64), with its message */
static int parse_int64(const char *s, long long *v, struct mr_err *err)
{
	if (mr_parse_ll(s, LLONG_MIN, LLONG_MAX, v) < 0)
		return mr_fail(err, 0, "strconv.ParseInt: parsing \"%s\": %s", s,
			       errno == ERANGE ? "value out of range" : "invalid syntax");
	return 0;
}

int container_ulimit_parse(const char *spec, struct container_ulimit *u, struct mr_err *err)
{
	const char *eq = strchr(spec, '=');
	memset(u, 0, sizeof(*u));
	if (!eq)
		return mr_fail(err, 0, "invalid ulimit argument: %s", spec);
	size_t i, len = (size_t)(eq - spec);
	for (i = 0; i < NULIMITS; i++)
		if (strlen(ulimits[i].name) == len && strncmp(ulimits[i].name, spec, len) == 0)
			break;
	if (i == NULIMITS)
		return mr_fail(
			err, 0,
			"invalid ulimit type: %.*s (one of core cpu data fsize locks memlock "
			"msgqueue nice nofile nproc rss rtprio rttime sigpending stack)",
			(int)len, spec);
	snprintf(u->name, sizeof(u->name), "%s", ulimits[i].name);
	u->resource = ulimits[i].resource;
	u->oci = ulimits[i].oci;

	char vals[64];
	if (strlen(eq + 1) >= sizeof(vals))
		return mr_fail(err, 0, "invalid ulimit argument: %s", spec);
	snprintf(vals, sizeof(vals), "%s", eq + 1);
	char *colon = strchr(vals, ':');
	if (colon && strchr(colon + 1, ':'))
		return mr_fail(err, 0,
			       "too many limit value arguments - %s, can only have up to two, "
			       "`soft[:hard]`",
			       vals);
	if (colon)
		*colon = '\0';
	if (parse_int64(vals, &u->soft, err) < 0)
		return -1;
	u->hard = u->soft;
	if (colon && parse_int64(colon + 1, &u->hard, err) < 0)
		return -1;
	if (u->soft < -1 || u->hard < -1)
		return mr_fail(err, 0,
			       "invalid ulimit value: %s (a limit is a number, or -1 for "
			       "unlimited)",
			       spec);
	if (u->hard != -1 && u->soft == -1)
		return mr_fail(err, 0,
			       "ulimit soft limit must be less than or equal to hard limit: soft: "
			       "-1 (unlimited), hard: %lld",
			       u->hard);
	if (u->hard != -1 && u->soft > u->hard)
		return mr_fail(err, 0,
			       "ulimit soft limit must be less than or equal to hard limit: %lld > "
			       "%lld",
			       u->soft, u->hard);
	return 0;
}

/* Does this process hold CAP_SYS_RESOURCE (in its effective set)? */
static bool has_sys_resource(void)
{
	cap_t c = cap_get_proc();
	cap_flag_value_t v = CAP_CLEAR;
	if (c)
		cap_get_flag(c, CAP_SYS_RESOURCE, CAP_EFFECTIVE, &v);
	cap_free(c);
	return v == CAP_SET;
}

/* the last --ulimit of each name wins, as in docker (its flag keeps a map by name) */
static bool ulimit_overridden(char **specs, size_t i)
{
	size_t len = strcspn(specs[i], "=");
	for (size_t k = i + 1; specs[k]; k++)
		if (strncmp(specs[k], specs[i], len) == 0 && specs[k][len] == '=')
			return true;
	return false;
}

/* /proc/sys/fs/nr_open: the most file descriptors a process may be allowed (1048576 by
 * default); RLIM_INFINITY when it can't be read, so nothing is refused on a guess */
static rlim_t nr_open(void)
{
	_cleanup_free_ char *text = NULL;
	if (mr_read_file("/proc/sys/fs/nr_open", &text, NULL, NULL) < 0)
		return RLIM_INFINITY;
	unsigned long long v = strtoull(text, NULL, 10);
	return v ? (rlim_t)v : RLIM_INFINITY;
}

static int check_ulimits(char **specs, struct mr_err *err)
{
	for (size_t i = 0; specs && specs[i]; i++) {
		struct container_ulimit u;
		struct rlimit cur;
		if (container_ulimit_parse(specs[i], &u, err) < 0 ||
		    getrlimit(u.resource, &cur) < 0 || ulimit_overridden(specs, i))
			continue;
		rlim_t want = u.hard == -1 ? RLIM_INFINITY : (rlim_t)u.hard;
		if (u.resource == RLIMIT_NOFILE && want > nr_open())
			/* setrlimit(2) refuses it even with CAP_SYS_RESOURCE: fs.nr_open caps it */
			return mr_fail(
				err, 0,
				"--ulimit %s: the nofile limit is above this host's fs.nr_open "
				"(%llu); ask for at most that",
				specs[i], (unsigned long long)nr_open());
		if (want <= cur.rlim_max || has_sys_resource())
			continue;
		/* setrlimit(2): raising a hard limit takes CAP_SYS_RESOURCE; the runtime would
		 * fail at start, after the container was made */
		char have[32], asked[32];
		if (cur.rlim_max == RLIM_INFINITY)
			snprintf(have, sizeof(have), "unlimited");
		else
			snprintf(have, sizeof(have), "%llu", (unsigned long long)cur.rlim_max);
		if (u.hard == -1)
			snprintf(asked, sizeof(asked), "unlimited");
		else
			snprintf(asked, sizeof(asked), "%lld", u.hard);
		return mr_fail(
			err, 0,
			"--ulimit %s: the hard limit %s is above this host's %s, and raising "
			"it needs CAP_SYS_RESOURCE, which minirun does not have here; ask for "
			"at most %s",
			specs[i], asked, have, have);
	}
	return 0;
}

json_t *container_rlimits_oci(json_t *list, struct mr_err *err)
{
	json_t *out = json_array(), *u;
	size_t i;
	json_array_foreach(list, i, u)
	{
		const char *name = json_string_value(json_object_get(u, "Name"));
		size_t k;
		for (k = 0; name && k < NULIMITS; k++)
			if (strcmp(ulimits[k].name, name) == 0)
				break;
		if (!name || k == NULIMITS) {
			json_decref(out);
			mr_fail(err, 0, "HostConfig.Ulimits[%zu]: unknown ulimit '%s'", i,
				name ? name : "?");
			return NULL;
		}
		/* runtime-spec's rlimits are uint64 and unlimited is RLIM_INFINITY (2^64-1),
		 * which a JSON integer of jansson (int64) can't hold: docker's -1 is kept,
		 * and minirun's runtime reads it as RLIM_INFINITY */
		json_array_append_new(
			out, json_pack("{s:s, s:I, s:I}", "type", ulimits[k].oci, "hard",
				       json_integer_value(json_object_get(u, "Hard")), "soft",
				       json_integer_value(json_object_get(u, "Soft"))));
	}
	return out;
}

/* ---- --device ---------------------------------------------------------------------------- */

/* docker's validDeviceMode: a non-empty subset of "rwm", each letter once */
static bool device_mode_ok(const char *m)
{
	if (!*m || strlen(m) > 3)
		return false;
	for (const char *c = m; *c; c++)
		if (!strchr("rwm", *c) || strchr(c + 1, *c))
			return false;
	return true;
}

int container_device_parse(const char *spec, struct container_device *d, struct mr_err *err)
{
	char buf[8192], *f[3] = {NULL, NULL, NULL};
	int n = 0;
	memset(d, 0, sizeof(*d));
	if (strlen(spec) >= sizeof(buf))
		return mr_fail(err, 0, "bad format for path: %s", spec);
	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *p = buf; n < 3; n++) {
		f[n] = p;
		if (!(p = strchr(p, ':'))) {
			n++;
			break;
		}
		*p++ = '\0';
		if (n == 2)
			return mr_fail(err, 0, "bad format for path: %s", spec);
	}
	if (!*f[0])
		return mr_fail(err, 0, "bad format for path: %s", spec);
	const char *ctr = f[0], *mode = "rwm";
	if (n == 2 && device_mode_ok(f[1])) /* HOST:PERMS */
		mode = f[1];
	else if (n >= 2)
		ctr = f[1];
	if (n == 3) {
		if (!device_mode_ok(f[2]))
			return mr_fail(err, 0, "bad mode specified: %s", f[2]);
		mode = f[2];
	}
	if (ctr[0] != '/')
		return mr_fail(err, 0, "%s is not an absolute path", ctr);
	snprintf(d->host, sizeof(d->host), "%s", f[0]);
	snprintf(d->ctr, sizeof(d->ctr), "%s", ctr);
	snprintf(d->perms, sizeof(d->perms), "%s", mode);
	return 0;
}

/* strerror(E) as Go's error text: "no such file or directory" */
static const char *lower_strerror(int e, char *buf, size_t len)
{
	snprintf(buf, len, "%s", strerror(e));
	buf[0] = (char)tolower((unsigned char)buf[0]);
	return buf;
}

/* docker's daemon, as it gathers a device: the path is a node, or a directory of them */
static int check_devices(char **specs, struct mr_err *err)
{
	for (size_t i = 0; specs && specs[i]; i++) {
		struct container_device d;
		struct stat st;
		if (container_device_parse(specs[i], &d, err) < 0)
			return -1;
		char why_buf[128];
		const char *why =
			stat(d.host, &st) < 0 ? lower_strerror(errno, why_buf, sizeof(why_buf))
			: S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || S_ISDIR(st.st_mode)
				? NULL
				: "not a device node";
		if (why)
			return mr_fail(err, 0,
				       "error gathering device information while adding custom "
				       "device \"%s\": %s",
				       d.host, why);
	}
	return 0;
}

/* One host node PATH as the container's CTR: its linux.devices entry and allow rule. */
static void device_add(const char *ctr, const struct stat *st, const char *perms, json_t *devs,
		       json_t *rules)
{
	const char *type = S_ISCHR(st->st_mode) ? "c" : "b";
	json_int_t maj = (json_int_t)major(st->st_rdev), min = (json_int_t)minor(st->st_rdev);
	json_array_append_new(devs, json_pack("{s:s, s:s, s:I, s:I, s:i, s:i, s:i}", "path", ctr,
					      "type", type, "major", maj, "minor", min, "fileMode",
					      (int)(st->st_mode & 0777), "uid", (int)st->st_uid,
					      "gid", (int)st->st_gid));
	json_array_append_new(rules, json_pack("{s:b, s:s, s:I, s:I, s:s}", "allow", 1, "type",
					       type, "major", maj, "minor", min, "access", perms));
}

/* every node under the host directory HOST, as CTR/RELATIVE (docker: --device /dev/snd) */
static void device_dir(const char *host, const char *ctr, const char *perms, int depth,
		       json_t *devs, json_t *rules)
{
	_cleanup_closedir_ DIR *dir = opendir(host);
	struct dirent *e;
	while (dir && depth < 8 && (e = readdir(dir))) {
		char hp[PATH_MAX], cp[PATH_MAX];
		struct stat st;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (snprintf(hp, sizeof(hp), "%s/%s", host, e->d_name) >= (int)sizeof(hp) ||
		    snprintf(cp, sizeof(cp), "%s/%s", ctr, e->d_name) >= (int)sizeof(cp) ||
		    lstat(hp, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			device_dir(hp, cp, perms, depth + 1, devs, rules);
		else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
			device_add(cp, &st, perms, devs, rules);
	}
}

int container_devices_oci(json_t *list, json_t *devs, json_t *rules, struct mr_err *err)
{
	json_t *d;
	size_t i;
	json_array_foreach(list, i, d)
	{
		const char *host = json_string_value(json_object_get(d, "PathOnHost"));
		const char *ctr = json_string_value(json_object_get(d, "PathInContainer"));
		const char *perms = json_string_value(json_object_get(d, "CgroupPermissions"));
		struct stat st;
		if (!host || !ctr)
			return mr_fail(err, 0,
				       "HostConfig.Devices[%zu]: needs PathOnHost and "
				       "PathInContainer",
				       i);
		if (!perms || !device_mode_ok(perms))
			perms = "rwm";
		/* stat follows a symlink (/dev/stdin, /dev/disk/by-id/...): the node it names */
		char why[128];
		if (stat(host, &st) < 0)
			return mr_fail(err, 0,
				       "error gathering device information while adding custom "
				       "device \"%s\": %s",
				       host, lower_strerror(errno, why, sizeof(why)));
		if (S_ISDIR(st.st_mode))
			device_dir(host, ctr, perms, 0, devs, rules);
		else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
			device_add(ctr, &st, perms, devs, rules);
		else
			return mr_fail(err, 0,
				       "error gathering device information while adding custom "
				       "device \"%s\": not a device node",
				       host);
	}
	return 0;
}

/* ---- the check ----------------------------------------------------------------------------- */

int container_hostflags_check(const struct container_opts *o, struct mr_err *err)
{
	return check_devices(o->devices, err) < 0 || check_ulimits(o->ulimits, err) < 0 ? -1 : 0;
}
