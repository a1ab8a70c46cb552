/*
 * tests/unit/test_containers_config.c - a container's record and its OCI config
 * (minirun/containers/record.c; minirun/bundle/config.c, user.c, seccomp_default.c): the
 * image config merged as docker merges it, capability arithmetic, docker's mounts/masked
 * paths/namespaces per network mode, users resolved inside a rootfs (and not outside it),
 * the seccomp object, and that the runtime's own parser accepts what comes out.
 *
 * Run: make test-unit (all suites), or build tests/unit/run-unit and run it.
 */
#include "minirun/containers/containers.h"
#include "minirun/oci/setup.h"
#include "minirun/oci/spec.h"
#include "tests/unit/unit.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* a record from the flags ARGS over an image whose config is IMAGE (JSON text) */
static json_t *record(const char *image, char **args, int n, struct mr_err *err)
{
	char *argv[32] = {"run"};
	struct container_opts o;
	bool help;
	for (int i = 0; i < n; i++)
		argv[i + 1] = args[i];
	if (container_opts_parse(n + 1, argv, &o, &help, err) < 0)
		return NULL;
	json_t *ic = json_loads(image, 0, NULL);
	json_t *rec = container_record_new(&o, ID, "web", o.image, "abc", ic, err);
	json_decref(ic);
	container_opts_free(&o);
	return rec;
}
#define REC(image, err, ...)                                                                       \
	({                                                                                         \
		char *a_[] = {__VA_ARGS__};                                                        \
		record(image, a_, (int)(sizeof(a_) / sizeof(a_[0])), err);                         \
	})

static const char *IMG = "{\"config\":{\"Env\":[\"PATH=/img/bin\",\"A=1\",\"B=2\"],"
			 "\"Entrypoint\":[\"/ep\"],\"Cmd\":[\"--serve\"],\"WorkingDir\":\"/app\","
			 "\"User\":\"app\",\"ExposedPorts\":{\"80/tcp\":{}},\"StopSignal\":"
			 "\"SIGQUIT\",\"Labels\":{\"l1\":\"img\",\"l2\":\"img\"}}}";

static const char *str(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);
	return json_string_value(b ? json_object_get(v, b) : v);
}

static bool has_string(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	}
	return false;
}

static void record_has_dockers_shape(void)
{
	struct mr_err err = {0};
	json_t *r = REC(IMG, &err, "--name", "web", "busybox");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_STRING_EQUAL(str(r, "Id", NULL), ID);
	CU_ASSERT_STRING_EQUAL(str(r, "Name", NULL), "/web");
	CU_ASSERT_STRING_EQUAL(str(r, "Image", NULL), "sha256:abc");
	CU_ASSERT_STRING_EQUAL(str(r, "State", "Status"), "created");
	/* docker's words: "default" is the default bridge; its 20.10 keys, omitempty ones out */
	CU_ASSERT_STRING_EQUAL(str(r, "HostConfig", "NetworkMode"), "default");
	json_t *hc = json_object_get(r, "HostConfig");
	CU_ASSERT_STRING_EQUAL(str(hc, "IpcMode", NULL), "private");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(hc, "CpuQuota")), 0);
	CU_ASSERT_TRUE(json_is_null(json_object_get(hc, "Binds")));
	CU_ASSERT_TRUE(json_is_array(json_object_get(hc, "MaskedPaths")));
	CU_ASSERT_PTR_NULL(json_object_get(hc, "Init"));
	CU_ASSERT_PTR_NULL(json_object_get(hc, "Mounts"));
	CU_ASSERT_TRUE(json_is_null(json_object_get(r, "ExecIDs")));
	CU_ASSERT_STRING_EQUAL(str(r, "Config", "Hostname"), "0123456789ab");
	CU_ASSERT_STRING_EQUAL(str(r, "Config", "Image"), "busybox");
	CU_ASSERT_STRING_EQUAL(str(r, "GraphDriver", "Name"), "overlay2");
	CU_ASSERT_PTR_NOT_NULL(json_object_get(r, "Minirun"));
	CU_ASSERT_EQUAL(strlen(str(r, "Created", NULL)), strlen("2026-11-27T21:04:05.123456789Z"));
	json_decref(r);
}

static void env_is_the_images_then_the_flags_later_wins(void)
{
	struct mr_err err = {0};
	json_t *r = REC(IMG, &err, "-e", "A=3", "-e", "C=4", "-e", "C=5", "busybox");
	json_t *env = json_object_get(json_object_get(r, "Config"), "Env");
	CU_ASSERT_EQUAL(json_array_size(env), 4);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(env, 0)), "PATH=/img/bin");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(env, 1)), "A=3"); /* in place */
	CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(env, 2)), "B=2");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(env, 3)), "C=5");
	json_decref(r);
	/* no PATH added (the process gets docker's default at start, config.c): Env is null
	 * when neither the image nor -e has one, as docker's */
	r = REC("{\"config\":{\"Cmd\":[\"sh\"]}}", &err, "busybox");
	CU_ASSERT_TRUE(json_is_null(json_object_get(json_object_get(r, "Config"), "Env")));
	json_decref(r);
	r = REC("{\"config\":{\"Cmd\":[\"sh\"]}}", &err, "-e", "A=1", "busybox");
	env = json_object_get(json_object_get(r, "Config"), "Env");
	CU_ASSERT_EQUAL(json_array_size(env), 1);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(env, 0)), "A=1");
	json_decref(r);
}

static void entrypoint_and_cmd_follow_dockers_rules(void)
{
	struct mr_err err = {0};
	json_t *r = REC(IMG, &err, "busybox"); /* the image's: /ep --serve */
	CU_ASSERT_STRING_EQUAL(str(r, "Path", NULL), "/ep");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(json_object_get(r, "Args"), 0)),
			       "--serve");
	json_decref(r);

	r = REC(IMG, &err, "busybox", "--debug"); /* a command replaces Cmd only */
	CU_ASSERT_STRING_EQUAL(str(r, "Path", NULL), "/ep");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(json_object_get(r, "Args"), 0)),
			       "--debug");
	json_decref(r);

	r = REC(IMG, &err, "--entrypoint", "/bin/sh", "busybox"); /* and clears the image's Cmd */
	CU_ASSERT_STRING_EQUAL(str(r, "Path", NULL), "/bin/sh");
	CU_ASSERT_EQUAL(json_array_size(json_object_get(r, "Args")), 0);
	CU_ASSERT_TRUE(json_is_null(json_object_get(json_object_get(r, "Config"), "Cmd")));
	json_decref(r);

	r = REC(IMG, &err, "--entrypoint", "", "busybox", "echo", "hi"); /* "" clears it */
	CU_ASSERT_STRING_EQUAL(str(r, "Path", NULL), "echo");
	CU_ASSERT_TRUE(json_is_null(json_object_get(json_object_get(r, "Config"), "Entrypoint")));
	json_decref(r);

	r = REC("{\"config\":{}}", &err, "busybox"); /* nothing to run */
	CU_ASSERT_PTR_NULL(r);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "No command specified"));
}

static void workdir_user_ports_labels_signal_merge(void)
{
	struct mr_err err = {0};
	json_t *r = REC(IMG, &err, "busybox");
	json_t *c = json_object_get(r, "Config");
	CU_ASSERT_STRING_EQUAL(str(c, "WorkingDir", NULL), "/app");
	CU_ASSERT_STRING_EQUAL(str(c, "User", NULL), "app");
	CU_ASSERT_STRING_EQUAL(str(c, "StopSignal", NULL), "SIGQUIT");
	json_decref(r);

	r = REC(IMG, &err, "-w", "/w", "-u", "0", "-p", "8080:53/udp", "-l", "l2=flag",
		"--stop-signal", "SIGUSR1", "--stop-timeout", "3", "busybox");
	c = json_object_get(r, "Config");
	CU_ASSERT_STRING_EQUAL(str(c, "WorkingDir", NULL), "/w");
	CU_ASSERT_STRING_EQUAL(str(c, "User", NULL), "0");
	CU_ASSERT_STRING_EQUAL(str(c, "StopSignal", NULL), "SIGUSR1");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(c, "StopTimeout")), 3);
	CU_ASSERT_PTR_NOT_NULL(json_object_get(json_object_get(c, "ExposedPorts"), "80/tcp"));
	CU_ASSERT_PTR_NOT_NULL(json_object_get(json_object_get(c, "ExposedPorts"), "53/udp"));
	CU_ASSERT_STRING_EQUAL(str(json_object_get(c, "Labels"), "l1", NULL), "img");
	CU_ASSERT_STRING_EQUAL(str(json_object_get(c, "Labels"), "l2", NULL), "flag");
	json_t *pb = json_object_get(json_object_get(r, "HostConfig"), "PortBindings");
	CU_ASSERT_STRING_EQUAL(
		str(json_array_get(json_object_get(pb, "53/udp"), 0), "HostPort", NULL), "8080");
	json_decref(r);
}

/* the keys of OBJ, joined by ',' */
static void keys_of(json_t *obj, char *buf, size_t len)
{
	const char *k;
	json_t *v;
	size_t at = 0;
	buf[0] = '\0';
	json_object_foreach(obj, k, v)
	{
		at += (size_t)snprintf(buf + at, len - at, "%s%s", at ? "," : "", k);
	}
}

static void config_has_dockers_keys_in_dockers_order(void)
{
	struct mr_err err = {0};
	char keys[1024];
	static const char *const plain =
		"Hostname,Domainname,User,AttachStdin,AttachStdout,AttachStderr,ExposedPorts,Tty,"
		"OpenStdin,StdinOnce,Env,Cmd,Image,WorkingDir,Entrypoint,Labels";
	json_t *r = REC("{\"config\":{\"Cmd\":[\"sh\"]}}", &err, "busybox");
	json_t *c = json_object_get(r, "Config");
	keys_of(c, keys, sizeof(keys));
	CU_ASSERT_STRING_EQUAL(keys, plain);
	CU_ASSERT_TRUE(json_is_null(json_object_get(c, "Entrypoint")));
	CU_ASSERT_EQUAL(json_object_size(json_object_get(c, "Labels")), 0);
	CU_ASSERT_TRUE(json_is_true(json_object_get(c, "AttachStdout")));
	CU_ASSERT_STRING_EQUAL(str(c, "Domainname", NULL), "");
	json_decref(r);

	/* every optional key, each in its place: docker's omitempty ones last */
	r = REC("{\"config\":{\"Cmd\":[\"sh\"],\"Shell\":[\"/bin/ash\",\"-ec\"]}}", &err, "-i",
		"-d", "--mac-address", "02:42:ac:11:00:09", "--stop-signal", "SIGINT",
		"--stop-timeout", "0", "--health-cmd", "true", "busybox");
	c = json_object_get(r, "Config");
	keys_of(c, keys, sizeof(keys));
	CU_ASSERT_STRING_EQUAL(keys, "Hostname,Domainname,User,AttachStdin,AttachStdout,"
				     "AttachStderr,ExposedPorts,Tty,OpenStdin,StdinOnce,Env,Cmd,"
				     "Image,WorkingDir,Entrypoint,MacAddress,Labels,StopSignal,"
				     "StopTimeout,Healthcheck,Shell");
	CU_ASSERT_TRUE(json_is_true(json_object_get(c, "OpenStdin")));
	CU_ASSERT_TRUE(json_is_false(json_object_get(c, "StdinOnce"))); /* -d */
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(c, "StopTimeout")), 0);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(json_object_get(c, "Shell"), 1)),
			       "-ec");
	json_decref(r);
}

static void host_config_keeps_limits_and_swap_default(void)
{
	struct mr_err err = {0};
	json_t *r = REC(IMG, &err, "-m", "64m", "--cpus", "0.5", "--pids-limit", "20", "--restart",
			"on-failure:2", "--tmpfs", "/run:size=1m", "busybox");
	json_t *hc = json_object_get(r, "HostConfig");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(hc, "Memory")), 64LL << 20);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(hc, "MemorySwap")), 128LL << 20);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(hc, "NanoCpus")), 500000000);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(hc, "PidsLimit")), 20);
	CU_ASSERT_STRING_EQUAL(str(hc, "RestartPolicy", "Name"), "on-failure");
	CU_ASSERT_STRING_EQUAL(str(json_object_get(hc, "Tmpfs"), "/run", NULL), "size=1m");
	json_decref(r);
}

static void caps_arithmetic_as_docker(void)
{
	struct mr_err err = {0};
	unsigned long long all = ~0ULL >> (64 - 41), out, def = container_caps_default();
	json_t *none = json_array();
	CU_ASSERT_EQUAL(__builtin_popcountll(def), 14);
	CU_ASSERT(def >> CAP_CHOWN & 1);
	CU_ASSERT_FALSE(def >> CAP_SYS_ADMIN & 1);
	CU_ASSERT_EQUAL(container_caps(false, none, none, all, &out, &err), 0);
	CU_ASSERT_EQUAL(out, def);
	json_t *add = json_pack("[s]", "CAP_SYS_ADMIN"), *drop = json_pack("[s]", "CAP_NET_RAW");
	CU_ASSERT_EQUAL(container_caps(false, add, drop, all, &out, &err), 0);
	CU_ASSERT_EQUAL(out, (def | 1ULL << CAP_SYS_ADMIN) & ~(1ULL << CAP_NET_RAW));
	json_t *allj = json_pack("[s]", "ALL");
	CU_ASSERT_EQUAL(container_caps(false, allj, drop, all, &out, &err), 0);
	CU_ASSERT_EQUAL(out, all & ~(1ULL << CAP_NET_RAW));
	CU_ASSERT_EQUAL(container_caps(false, add, allj, all, &out, &err), 0);
	CU_ASSERT_EQUAL(out, 1ULL << CAP_SYS_ADMIN);
	CU_ASSERT_EQUAL(container_caps(true, none, allj, all, &out, &err), 0);
	CU_ASSERT_EQUAL(out, all); /* --privileged ignores --cap-drop */
	/* "all" is what the caller holds: a cap it lacks is never handed out */
	CU_ASSERT_EQUAL(container_caps(false, allj, none, all & ~(1ULL << 24), &out, &err), 0);
	CU_ASSERT_FALSE(out >> 24 & 1);
	json_t *bad = json_pack("[s]", "CAP_FLY");
	CU_ASSERT_EQUAL(container_caps(false, bad, none, all, &out, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "unknown capability: \"CAP_FLY\"");
	json_decref(none), json_decref(add), json_decref(drop), json_decref(allj), json_decref(bad);
}

/* ---- the config ------------------------------------------------------------------------- */

static char rootfs[64];

/* a temp rootfs with etc/passwd and etc/group, and a file outside it that a hostile
 * image could point a symlink at */
static int make_rootfs(void)
{
	snprintf(rootfs, sizeof(rootfs), "/tmp/mr-unit-cfgroot-XXXXXX");
	if (!mkdtemp(rootfs))
		return -1;
	char p[128];
	snprintf(p, sizeof(p), "%s/etc", rootfs);
	mkdir(p, 0755);
	static const struct {
		const char *name, *text;
	} files[] = {
		{"etc/passwd",
		 "root:x:0:0:root:/root:/bin/sh\n# junk line\n"
		 "app:x:1000:1001:App:/home/app:/bin/sh\nbob:x:1002:1002::/h:/bin/sh\n"},
		{"etc/group", "root:x:0:\napp:x:1001:\nextra:x:2000:app,bob\nother:x:3000:bob\n"
			      "more:x:4000:carol,app\n"},
		{"outside-passwd", "evil:x:0:0::/:/bin/sh\n"},
	};
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/%s", rootfs, files[i].name);
		FILE *f = fopen(p, "w");
		if (!f)
			return -1;
		fputs(files[i].text, f);
		fclose(f);
	}
	return 0;
}

static void rm_rootfs(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", rootfs);
	if (rootfs[0] && system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", rootfs);
}

static void users_resolve_inside_the_rootfs(void)
{
	struct container_user u;
	struct mr_err err = {0};
	CU_ASSERT_EQUAL_FATAL(make_rootfs(), 0);
	CU_ASSERT_EQUAL(container_resolve_user(rootfs, "", &u, &err), 0);
	CU_ASSERT(u.uid == 0 && u.gid == 0 && u.ngids == 1 &&
		  u.gids[0] == 0); /* docker's groups=0 */
	CU_ASSERT_EQUAL(container_resolve_user(rootfs, "app", &u, &err), 0);
	CU_ASSERT(u.uid == 1000 && u.gid == 1001);
	CU_ASSERT_STRING_EQUAL(u.home, "/home/app");
	CU_ASSERT_EQUAL_FATAL(u.ngids, 3); /* the groups listing "app", and its primary */
	CU_ASSERT(u.gids[0] == 2000 && u.gids[1] == 4000 && u.gids[2] == 1001);
	CU_ASSERT_EQUAL(container_resolve_user(rootfs, "1000", &u, &err), 0);
	CU_ASSERT(u.uid == 1000 && u.gid == 1001 && u.ngids == 3);
	CU_ASSERT_EQUAL(container_resolve_user(rootfs, "app:other", &u, &err), 0);
	CU_ASSERT(u.uid == 1000 && u.gid == 3000 && u.ngids == 1 &&
		  u.gids[0] == 3000); /* explicit: no listed groups, only itself */
	CU_ASSERT_EQUAL(container_resolve_user(rootfs, "bob:4242", &u, &err), 0);
	CU_ASSERT(u.uid == 1002 && u.gid == 4242);
	CU_ASSERT_EQUAL(container_resolve_user(rootfs, "5000", &u, &err), 0);
	CU_ASSERT(u.uid == 5000 && u.gid == 0); /* no entry: gid 0, home / */
	CU_ASSERT_STRING_EQUAL(u.home, "/");
	CU_ASSERT_EQUAL(container_resolve_user(rootfs, "5000:5001", &u, &err), 0);
	CU_ASSERT(u.uid == 5000 && u.gid == 5001);
	CU_ASSERT_EQUAL(container_resolve_user(rootfs, "nobody2", &u, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg,
			       "unable to find user nobody2: no matching entries in passwd file");
	CU_ASSERT_EQUAL(container_resolve_user(rootfs, "app:nogroup", &u, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg,
			       "unable to find group nogroup: no matching entries in group file");

	/* hostile image: etc/passwd is a symlink to a file outside the rootfs, by its host
	 * path. Resolved inside the rootfs, that path does not exist: "evil" is unknown. */
	char link[128], target[128];
	snprintf(link, sizeof(link), "%s/etc/passwd", rootfs);
	snprintf(target, sizeof(target), "%s/outside-passwd", rootfs);
	unlink(link);
	CU_ASSERT_EQUAL(symlink("/../../../../../../../../../.." /* climbs stop at the root */
				"/tmp/no-such-dir/passwd",
				link),
			0);
	CU_ASSERT_EQUAL(container_resolve_user(rootfs, "evil", &u, &err), -1);
	unlink(link);
	CU_ASSERT_EQUAL(symlink(target, link), 0); /* the host path of a real file */
	CU_ASSERT_EQUAL(container_resolve_user(rootfs, "evil", &u, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "unable to find user evil"));
	unlink(link);
	CU_ASSERT_EQUAL(symlink("../outside-passwd", link), 0); /* inside: fine */
	CU_ASSERT_EQUAL(container_resolve_user(rootfs, "evil", &u, &err), 0);
	/* a FIFO planted as etc/group must not hang the lookup */
	char grp[128];
	snprintf(grp, sizeof(grp), "%s/etc/group", rootfs);
	unlink(grp);
	CU_ASSERT_EQUAL(mkfifo(grp, 0644), 0);
	CU_ASSERT_EQUAL(container_resolve_user(rootfs, "evil", &u, &err), -1);
	rm_rootfs();
}

static json_t *config_for(json_t *rec, const struct container_paths *p, struct mr_err *err)
{
	return container_oci_config(rec, p, err);
}

static json_t *find_mount(json_t *cfg, const char *dest)
{
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(cfg, "mounts"), i, m)
	{
		if (strcmp(str(m, "destination", NULL), dest) == 0)
			return m;
	}
	return NULL;
}

static bool has_ns(json_t *cfg, const char *type, const char **path)
{
	size_t i;
	json_t *n;
	json_array_foreach(json_object_get(json_object_get(cfg, "linux"), "namespaces"), i, n)
	{
		if (strcmp(str(n, "type", NULL), type) == 0) {
			if (path)
				*path = str(n, "path", NULL);
			return true;
		}
	}
	return false;
}

static void config_has_dockers_mounts_and_masks(void)
{
	struct mr_err err = {0};
	CU_ASSERT_EQUAL_FATAL(make_rootfs(), 0);
	struct container_paths p = {.rootfs = rootfs,
				    .hosts = "/h/hosts",
				    .hostname = "/h/hostname",
				    .resolv_conf = "/h/resolv.conf",
				    .cgroups_path = "/minirun/x"};
	json_t *r = REC(IMG, &err, "-u", "app", "-t", "--tmpfs", "/cache:size=1m", "busybox");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	json_t *c = config_for(r, &p, &err), *m;
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	json_t *lx = json_object_get(c, "linux");
	CU_ASSERT_TRUE(has_string(json_object_get(lx, "maskedPaths"), "/proc/kcore"));
	CU_ASSERT_TRUE(has_string(json_object_get(lx, "maskedPaths"), "/proc/keys"));
	CU_ASSERT_TRUE(has_string(json_object_get(lx, "readonlyPaths"), "/proc/sys"));
	CU_ASSERT_TRUE(
		has_string(json_object_get(find_mount(c, "/dev/pts"), "options"), "newinstance"));
	CU_ASSERT_TRUE(
		has_string(json_object_get(find_mount(c, "/dev/pts"), "options"), "ptmxmode=0666"));
	CU_ASSERT_TRUE(
		has_string(json_object_get(find_mount(c, "/dev/shm"), "options"), "size=67108864"));
	CU_ASSERT_TRUE(has_string(json_object_get(find_mount(c, "/sys"), "options"), "ro"));
	CU_ASSERT_STRING_EQUAL(str(find_mount(c, "/sys/fs/cgroup"), "type", NULL), "cgroup");
	CU_ASSERT_PTR_NOT_NULL(find_mount(c, "/dev/mqueue"));
	CU_ASSERT_STRING_EQUAL(str(find_mount(c, "/etc/hosts"), "source", NULL), "/h/hosts");
	CU_ASSERT_STRING_EQUAL(str(find_mount(c, "/etc/resolv.conf"), "source", NULL),
			       "/h/resolv.conf");
	CU_ASSERT_PTR_NOT_NULL_FATAL(m = find_mount(c, "/cache"));
	CU_ASSERT_TRUE(has_string(json_object_get(m, "options"), "size=1m"));
	CU_ASSERT_TRUE(has_string(json_object_get(m, "options"), "noexec"));
	CU_ASSERT_STRING_EQUAL(str(lx, "cgroupsPath", NULL), "/minirun/x");
	/* the process: the user resolved, TERM for -t, HOSTNAME, caps without inheritable */
	json_t *proc = json_object_get(c, "process");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(proc, "user"), "uid")),
			1000);
	CU_ASSERT_EQUAL(
		json_array_size(json_object_get(json_object_get(proc, "user"), "additionalGids")),
		3); /* app: its two listed groups and its primary */
	CU_ASSERT_TRUE(json_is_true(json_object_get(proc, "terminal")));
	CU_ASSERT_TRUE(has_string(json_object_get(proc, "env"), "TERM=xterm"));
	CU_ASSERT_TRUE(has_string(json_object_get(proc, "env"), "HOSTNAME=0123456789ab"));
	CU_ASSERT_TRUE(has_string(json_object_get(proc, "env"), "HOME=/home/app"));
	CU_ASSERT_STRING_EQUAL(str(proc, "cwd", NULL), "/app");
	json_t *caps = json_object_get(proc, "capabilities");
	CU_ASSERT_EQUAL(json_array_size(json_object_get(caps, "bounding")), 14);
	CU_ASSERT_TRUE(
		json_equal(json_object_get(caps, "bounding"), json_object_get(caps, "effective")));
	CU_ASSERT_PTR_NULL(json_object_get(caps, "inheritable"));
	CU_ASSERT_PTR_NOT_NULL(json_object_get(lx, "seccomp"));
	json_t *dev =
		json_array_get(json_object_get(json_object_get(lx, "resources"), "devices"), 0);
	CU_ASSERT_TRUE(json_is_false(json_object_get(dev, "allow"))); /* deny, then defaults */
	CU_ASSERT_FALSE(json_is_true(json_object_get(json_object_get(c, "root"), "readonly")));
	CU_ASSERT_STRING_EQUAL(str(c, "hostname", NULL), "0123456789ab");
	json_decref(c);
	json_decref(r);

	/* --privileged: nothing masked, /sys writable, no seccomp, every device allowed */
	r = REC(IMG, &err, "--privileged", "--read-only", "--security-opt", "no-new-privileges",
		"-m", "16m", "--memory-swap", "32m", "--cpus", "1.5", "--pids-limit", "9",
		"busybox");
	c = config_for(r, &p, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	lx = json_object_get(c, "linux");
	CU_ASSERT_PTR_NULL(json_object_get(lx, "maskedPaths"));
	CU_ASSERT_PTR_NULL(json_object_get(lx, "seccomp"));
	CU_ASSERT_TRUE(has_string(json_object_get(find_mount(c, "/sys"), "options"), "rw"));
	CU_ASSERT_PTR_NULL(json_object_get(json_object_get(lx, "resources"), "devices"));
	CU_ASSERT(json_array_size(json_object_get(lx, "devices")) > 0); /* the host's */
	CU_ASSERT_TRUE(json_is_true(json_object_get(json_object_get(c, "root"), "readonly")));
	CU_ASSERT_TRUE(
		json_is_true(json_object_get(json_object_get(c, "process"), "noNewPrivileges")));
	json_t *res = json_object_get(lx, "resources");
	CU_ASSERT_EQUAL(
		json_integer_value(json_object_get(json_object_get(res, "memory"), "limit")),
		16 << 20);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(res, "memory"), "swap")),
			32 << 20);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(res, "cpu"), "quota")),
			150000);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(res, "cpu"), "period")),
			100000);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(res, "pids"), "limit")),
			9);
	json_decref(c);
	json_decref(r);
	rm_rootfs();
}

static void namespaces_per_network_mode(void)
{
	struct mr_err err = {0};
	const char *path;
	CU_ASSERT_EQUAL_FATAL(make_rootfs(), 0);
	struct container_paths p = {.rootfs = rootfs};
	static const char *const modes[] = {"bridge", "none", "mynet"};
	for (size_t i = 0; i < 3; i++) {
		json_t *r = REC(IMG, &err, "--network", (char *)modes[i], "busybox");
		json_t *c = config_for(r, &p, &err);
		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		path = "x";
		CU_ASSERT_TRUE(has_ns(c, "network", &path));
		CU_ASSERT_PTR_NULL(path); /* a new one */
		CU_ASSERT_TRUE(has_ns(c, "pid", NULL) && has_ns(c, "ipc", NULL) &&
			       has_ns(c, "uts", NULL) && has_ns(c, "mount", NULL) &&
			       has_ns(c, "cgroup", NULL));
		json_decref(c);
		json_decref(r);
	}
	json_t *r = REC(IMG, &err, "--network", "host", "busybox");
	json_t *c = config_for(r, &p, &err);
	CU_ASSERT_FALSE(has_ns(c, "network", NULL));
	CU_ASSERT_PTR_NULL(json_object_get(json_object_get(c, "linux"), "sysctl"));
	char host[256] = "";
	gethostname(host, sizeof(host));
	CU_ASSERT_STRING_EQUAL(str(c, "hostname", NULL), host);
	json_decref(c);
	json_decref(r);

	r = REC(IMG, &err, "--network", "container:abc", "busybox");
	CU_ASSERT_PTR_NULL(config_for(r, &p, &err)); /* nothing to join */
	p.netns = "/proc/42/ns/net";
	c = config_for(r, &p, &err);
	CU_ASSERT_TRUE(has_ns(c, "network", &path));
	CU_ASSERT_STRING_EQUAL(path, "/proc/42/ns/net");
	json_decref(c);
	json_decref(r);
	rm_rootfs();
}

static void init_and_volume_mounts_are_added(void)
{
	struct mr_err err = {0};
	CU_ASSERT_EQUAL_FATAL(make_rootfs(), 0);
	struct container_paths p = {.rootfs = rootfs, .init = "/usr/lib/minirun-init"};
	json_t *r = REC(IMG, &err, "--init", "--tmpfs", "/dev/shm", "busybox");
	/* what vol.c records for -v data:/data */
	json_object_set_new(json_object_get(r, "Minirun"), "OciMounts",
			    json_pack("[{s:s, s:s, s:s, s:[s]}]", "destination", "/data", "type",
				      "bind", "source", "/vol/data", "options", "rbind"));
	json_t *c = config_for(r, &p, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	json_t *args = json_object_get(json_object_get(c, "process"), "args");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(args, 0)), CONTAINER_INIT_DEST);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(args, 1)), "--");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(args, 2)), "/ep");
	json_t *m = find_mount(c, CONTAINER_INIT_DEST);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_STRING_EQUAL(str(m, "source", NULL), "/usr/lib/minirun-init");
	CU_ASSERT_TRUE(has_string(json_object_get(m, "options"), "ro"));
	CU_ASSERT_STRING_EQUAL(str(find_mount(c, "/data"), "source", NULL), "/vol/data");
	/* --tmpfs /dev/shm replaced docker's /dev/shm (one mount there, the user's) */
	CU_ASSERT_STRING_EQUAL(str(find_mount(c, "/dev/shm"), "source", NULL), "tmpfs");
	json_decref(c);
	json_decref(r);
	rm_rootfs();
}

static json_t *rule_for(json_t *sc, const char *name)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(sc, "syscalls"), i, r)
	{
		if (has_string(json_object_get(r, "names"), name))
			return r;
	}
	return NULL;
}

static void seccomp_default_is_an_allow_list_with_cap_gates(void)
{
	json_t *sc = container_seccomp_default(container_caps_default());
	CU_ASSERT_STRING_EQUAL(str(sc, "defaultAction", NULL), "SCMP_ACT_ERRNO");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(sc, "defaultErrnoRet")), EPERM);
#ifdef __x86_64__
	CU_ASSERT_TRUE(has_string(json_object_get(sc, "architectures"), "SCMP_ARCH_X86_64"));
	CU_ASSERT_TRUE(has_string(json_object_get(sc, "architectures"), "SCMP_ARCH_X86"));
	CU_ASSERT_TRUE(has_string(json_object_get(sc, "architectures"), "SCMP_ARCH_X32"));
#endif
	static const char *const ordinary[] = {"read",  "openat", "execve",       "mmap",
					       "futex", "wait4",  "rt_sigaction", "bind",
					       "chown", "socket"};
	for (size_t i = 0; i < sizeof(ordinary) / sizeof(ordinary[0]); i++)
		CU_ASSERT_PTR_NOT_NULL(rule_for(sc, ordinary[i]));
	static const char *const gated[] = {
		"mount",   "umount2",          "unshare",     "setns",  "pivot_root",
		"ptrace",  "process_vm_readv", "init_module", "reboot", "keyctl",
		"add_key", "request_key",      "settimeofday"};
	for (size_t i = 0; i < sizeof(gated) / sizeof(gated[0]); i++)
		CU_ASSERT_PTR_NULL(rule_for(sc, gated[i]));
	json_t *clone = rule_for(sc, "clone");
	CU_ASSERT_PTR_NOT_NULL_FATAL(clone);
	json_t *arg = json_array_get(json_object_get(clone, "args"), 0);
	CU_ASSERT_STRING_EQUAL(str(arg, "op", NULL), "SCMP_CMP_MASKED_EQ");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(arg, "value")), 0x7E020000);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(rule_for(sc, "clone3"), "errnoRet")),
			ENOSYS);
	json_decref(sc);

	sc = container_seccomp_default(container_caps_default() | 1ULL << CAP_SYS_ADMIN |
				       1ULL << CAP_SYS_PTRACE);
	CU_ASSERT_PTR_NOT_NULL(rule_for(sc, "mount"));
	CU_ASSERT_PTR_NOT_NULL(rule_for(sc, "unshare"));
	CU_ASSERT_PTR_NOT_NULL(rule_for(sc, "ptrace"));
	CU_ASSERT_PTR_NULL(json_object_get(rule_for(sc, "clone"), "args"));
	CU_ASSERT_PTR_NULL(rule_for(sc, "keyctl")); /* refused to everyone */
	json_decref(sc);
}

static void seccomp_docker_profile_is_translated(void)
{
	struct mr_err err = {0};
	json_t *prof = json_loads(
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"archMap\":[{\"architecture\":"
		"\"SCMP_ARCH_X86_64\",\"subArchitectures\":[\"SCMP_ARCH_X86\"]},{\"architecture\":"
		"\"SCMP_ARCH_AARCH64\",\"subArchitectures\":[]}],\"syscalls\":[{\"names\":[\"read\"],"
		"\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ALLOW\","
		"\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}},{\"names\":[\"acct\"],\"action\":"
		"\"SCMP_ACT_ALLOW\",\"excludes\":{\"caps\":[\"CAP_CHOWN\"]}}]}",
		0, NULL);
	json_t *sc = container_seccomp_profile(prof, container_caps_default(), &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_PTR_NOT_NULL(rule_for(sc, "read"));
	CU_ASSERT_PTR_NULL(rule_for(sc, "mount")); /* includes a cap it does not have */
	CU_ASSERT_PTR_NULL(rule_for(sc, "acct"));  /* excludes a cap it has */
#ifdef __x86_64__
	CU_ASSERT_EQUAL(json_array_size(json_object_get(sc, "architectures")), 2);
#endif
	CU_ASSERT_PTR_NULL(rule_for(sc, "archMap"));
	json_decref(sc);
	json_decref(prof);
}

/* The runtime's own parser and seccomp compiler accept the config as made. */
static void runtime_accepts_the_config(void)
{
	struct mr_err err = {0};
	CU_ASSERT_EQUAL_FATAL(make_rootfs(), 0);
	struct container_paths p = {.rootfs = rootfs, .hosts = "/etc/hosts"};
	json_t *r = REC(IMG, &err, "-u", "app", "-m", "64m", "--cpus", "1", "--pids-limit", "100",
			"--cap-add", "SYS_ADMIN", "--tmpfs", "/run", "busybox");
	json_t *c = config_for(r, &p, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	char *text = json_dumps(c, JSON_INDENT(2));
	struct spec *s = spec_parse_text(text, "config.json", rootfs, &err);
	if (!s)
		fprintf(stderr, "\n  spec: %s\n", err.msg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	scmp_filter_ctx ctx = NULL;
	CU_ASSERT_EQUAL(seccomp_compile(s, &ctx, &err), 0);
	CU_ASSERT_PTR_NOT_NULL(ctx);
	if (ctx)
		seccomp_release(ctx);
	spec_free(s);
	free(text);
	json_decref(c);
	json_decref(r);
	rm_rootfs();
}

static CU_TestInfo tests[] = {
	{"the record has docker inspect's shape", record_has_dockers_shape},
	{"Env: the image's, then -e; a repeated key wins in place; no PATH added",
	 env_is_the_images_then_the_flags_later_wins},
	{"Entrypoint/Cmd: a command replaces Cmd, --entrypoint clears it, none is an error",
	 entrypoint_and_cmd_follow_dockers_rules},
	{"WorkingDir, User, ExposedPorts, Labels, StopSignal merge",
	 workdir_user_ports_labels_signal_merge},
	{"Config has docker's keys in docker's order, the optional ones when given",
	 config_has_dockers_keys_in_dockers_order},
	{"HostConfig keeps the limits; -m alone allows as much swap",
	 host_config_keeps_limits_and_swap_default},
	{"capabilities: defaults, add, drop, ALL, privileged", caps_arithmetic_as_docker},
	{"users resolve in the rootfs's passwd/group, never outside it",
	 users_resolve_inside_the_rootfs},
	{"config: docker's mounts, masked paths, process; --privileged undoes them",
	 config_has_dockers_mounts_and_masks},
	{"namespaces per --network: bridge/none/user new, host none, container:ID joined",
	 namespaces_per_network_mode},
	{"--init prepends /dev/init; volume and tmpfs mounts are added",
	 init_and_volume_mounts_are_added},
	{"default seccomp: allow-list, calls gated by capability, clone mask",
	 seccomp_default_is_an_allow_list_with_cap_gates},
	{"seccomp=FILE: docker's profile format is translated",
	 seccomp_docker_profile_is_translated},
	{"the runtime's parser and seccomp compiler accept the config", runtime_accepts_the_config},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("containers: record and config", tests)
