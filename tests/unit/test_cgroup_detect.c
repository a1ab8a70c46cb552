/*
 * tests/unit/test_cgroup_detect.c - mode detection from sample /proc/self/mounts and
 * /proc/self/cgroup texts, and where a cgroup path lands (cgroups/detect.c).
 */
#include "cgroups/cgroup_impl.h"
#include "tests/unit/unit.h"

#include <string.h>

/* this CI host: v1 controllers, an empty v2 tree at /sys/fs/cgroup/unified */
static const char hybrid_mounts[] =
	"proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"
	"tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0\n"
	"cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0\n"
	"cgroup /sys/fs/cgroup/cpuacct cgroup rw,relatime,cpuacct 0 0\n"
	"cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0\n"
	"cgroup /sys/fs/cgroup/pids cgroup rw,relatime,pids 0 0\n"
	"cgroup /sys/fs/cgroup/freezer cgroup rw,relatime,freezer 0 0\n"
	"cgroup /sys/fs/cgroup/systemd cgroup rw,relatime,name=systemd 0 0\n"
	"cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0\n";
static const char hybrid_cgroup[] = "9:name=systemd:/\n"
				    "8:pids:/\n"
				    "6:freezer:/\n"
				    "4:memory:/process_api/3d2d\n"
				    "2:cpuacct:/\n"
				    "1:cpu:/\n"
				    "0::/\n";

static void hybrid_host_is_hybrid(void)
{
	struct cg_system sys;
	CU_ASSERT_EQUAL_FATAL(cg_detect_text(hybrid_mounts, hybrid_cgroup, &sys, NULL), 0);
	CU_ASSERT_EQUAL(sys.mode, CG_HYBRID);
	CU_ASSERT_STRING_EQUAL(cg_mode_name(sys.mode), "hybrid");
	CU_ASSERT_STRING_EQUAL(sys.v2_mount, "/sys/fs/cgroup/unified");
	CU_ASSERT_STRING_EQUAL(sys.v2_own, "/");
	CU_ASSERT_EQUAL(sys.n_v1, 5); /* name=systemd has no controller: not counted */
	const struct cg_hier *mem = cg_v1_hier(&sys, "memory");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mem);
	CU_ASSERT_STRING_EQUAL(mem->mount, "/sys/fs/cgroup/memory");
	CU_ASSERT_STRING_EQUAL(mem->own, "/process_api/3d2d");
	CU_ASSERT_STRING_EQUAL(cg_v1_hier(&sys, "pids")->own, "/");
	CU_ASSERT_PTR_NULL(cg_v1_hier(&sys, "blkio"));
}

static void pure_v2_is_unified(void)
{
	struct cg_system sys;
	const char *m =
		"cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate 0 0\n";
	const char *c = "0::/user.slice/user-1000.slice/session-2.scope\n";
	CU_ASSERT_EQUAL_FATAL(cg_detect_text(m, c, &sys, NULL), 0);
	CU_ASSERT_EQUAL(sys.mode, CG_UNIFIED);
	CU_ASSERT_EQUAL(sys.n_v1, 0);
	CU_ASSERT_STRING_EQUAL(sys.v2_own, "/user.slice/user-1000.slice/session-2.scope");
}

static void v1_only_is_legacy_with_comounted_controllers(void)
{
	struct cg_system sys;
	const char *m = "cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,nosuid,cpu,cpuacct 0 0\n"
			"cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\n"
			"cgroup /sys/fs/cgroup/systemd cgroup rw,xattr,name=systemd 0 0\n";
	const char *c =
		"3:cpuacct,cpu:/docker/abc\n2:memory:/docker/abc\n1:name=systemd:/docker/abc\n";
	CU_ASSERT_EQUAL_FATAL(cg_detect_text(m, c, &sys, NULL), 0);
	CU_ASSERT_EQUAL(sys.mode, CG_LEGACY);
	CU_ASSERT_EQUAL(sys.n_v1, 2);
	CU_ASSERT_STRING_EQUAL(sys.v1[0].controllers, "cpu,cpuacct");
	/* "cpuacct,cpu" in /proc/self/cgroup is the same hierarchy, in another order */
	CU_ASSERT_STRING_EQUAL(cg_v1_hier(&sys, "cpuacct")->own, "/docker/abc");
	CU_ASSERT_EQUAL(cg_v1_bits("cpu,cpuacct"), CG_CPU);
	CU_ASSERT_EQUAL(cg_v1_bits("blkio"), CG_IO);
	CU_ASSERT_EQUAL(cg_v1_bits("freezer"), 0);
}

static void escaped_mount_points_are_unescaped(void)
{
	struct cg_system sys;
	const char *m = "cgroup2 /mnt/my\\040cgroups cgroup2 rw 0 0\n";
	CU_ASSERT_EQUAL_FATAL(cg_detect_text(m, "0::/\n", &sys, NULL), 0);
	CU_ASSERT_STRING_EQUAL(sys.v2_mount, "/mnt/my cgroups");
}

static void no_cgroup_fs_is_an_error(void)
{
	struct cg_system sys;
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(cg_detect_text("proc /proc proc rw 0 0\n", "", &sys, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no cgroup filesystem"));
}

static void paths_land_below_our_own_cgroup(void)
{
	char out[256];
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(cg_build_path("/a/b", "mr-x", false, out, sizeof(out), &err), 0);
	CU_ASSERT_STRING_EQUAL(out, "/a/b/mr-x");
	CU_ASSERT_EQUAL(cg_build_path("/", "mr-x//y/", false, out, sizeof(out), &err), 0);
	CU_ASSERT_STRING_EQUAL(out, "/mr-x/y");
	/* absolute: kept on v2, re-rooted below our own on v1 ... */
	CU_ASSERT_EQUAL(cg_build_path("/a/b", "/pod/c1", false, out, sizeof(out), &err), 0);
	CU_ASSERT_STRING_EQUAL(out, "/pod/c1");
	CU_ASSERT_EQUAL(cg_build_path("/a/b", "/pod/c1", true, out, sizeof(out), &err), 0);
	CU_ASSERT_STRING_EQUAL(out, "/a/b/pod/c1");
	/* ... unless it already lies there */
	CU_ASSERT_EQUAL(cg_build_path("/a/b", "/a/b/c1", true, out, sizeof(out), &err), 0);
	CU_ASSERT_STRING_EQUAL(out, "/a/b/c1");
	CU_ASSERT_EQUAL(cg_build_path("/a/b", "/a/bc", true, out, sizeof(out), &err), 0);
	CU_ASSERT_STRING_EQUAL(out, "/a/b/a/bc");
}

static void paths_cannot_climb_out(void)
{
	char out[256];
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(cg_build_path("/a", "../x", false, out, sizeof(out), &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'..'"));
	CU_ASSERT_EQUAL(cg_build_path("/a", "x/./y", false, out, sizeof(out), &err), -1);
	CU_ASSERT_EQUAL(cg_build_path("/a", "", false, out, sizeof(out), &err), -1);
}

static void filesystem_paths_map_to_their_hierarchy(void)
{
	struct cg_system sys;
	char inner[256];
	int h = -5;
	struct mr_err err = {0};
	CU_ASSERT_EQUAL_FATAL(cg_detect_text(hybrid_mounts, hybrid_cgroup, &sys, NULL), 0);
	CU_ASSERT_EQUAL(
		cg_fs_path(&sys, "/sys/fs/cgroup/unified/mr-x", &h, inner, sizeof(inner), &err), 1);
	CU_ASSERT_EQUAL(h, -1);
	CU_ASSERT_STRING_EQUAL(inner, "/mr-x");
	CU_ASSERT_EQUAL(cg_fs_path(&sys, "/sys/fs/cgroup/memory/process_api/3d2d/j", &h, inner,
				   sizeof(inner), &err),
			1);
	CU_ASSERT_STRING_EQUAL(sys.v1[h].controllers, "memory");
	CU_ASSERT_STRING_EQUAL(inner, "/process_api/3d2d/j");
	CU_ASSERT_EQUAL(cg_fs_path(&sys, "mr-x", &h, inner, sizeof(inner), &err), 0);
	/* /tmp exists on every machine and is no cgroup: outside the hierarchy */
	CU_ASSERT_EQUAL(cg_fs_path(&sys, "/tmp/x", &h, inner, sizeof(inner), &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "outside the cgroup hierarchy"));
	CU_ASSERT_EQUAL(cg_fs_path(&sys, "/sys/fs/cgroup/nothing", &h, inner, sizeof(inner), &err),
			-1);
}

static void controller_names_and_bits_match(void)
{
	CU_ASSERT_EQUAL(cg_controller_bit("memory"), CG_MEMORY);
	CU_ASSERT_EQUAL(cg_controller_bit("blkio"), CG_IO);
	CU_ASSERT_EQUAL(cg_controller_bit("nope"), 0);
	CU_ASSERT_STRING_EQUAL(cg_controller_name(CG_PIDS), "pids");
	CU_ASSERT_STRING_EQUAL(cg_controller_name(CG_IO), "io");
	CU_ASSERT_PTR_NULL(cg_controller_name(CG_ALL));
}

/* net_cls and net_prio: v1 controllers (comounted as on most v1 hosts), with a bit each */
static void net_cls_and_net_prio_are_v1_controllers(void)
{
	struct cg_system sys;
	const char *m = "cgroup /sys/fs/cgroup/net_cls,net_prio cgroup rw,net_cls,net_prio 0 0\n"
			"cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\n";
	const char *c = "3:net_cls,net_prio:/\n2:memory:/a\n";
	CU_ASSERT_EQUAL_FATAL(cg_detect_text(m, c, &sys, NULL), 0);
	CU_ASSERT_PTR_NOT_NULL(cg_v1_hier(&sys, "net_cls"));
	CU_ASSERT_PTR_NOT_NULL(cg_v1_hier(&sys, "net_prio"));
	CU_ASSERT_EQUAL(cg_v1_bits("net_cls,net_prio"), CG_NET_CLS | CG_NET_PRIO);
	CU_ASSERT_EQUAL(cg_controller_bit("net_cls"), CG_NET_CLS);
	CU_ASSERT_STRING_EQUAL(cg_controller_name(CG_NET_PRIO), "net_prio");
	struct cg_resources res;
	cg_resources_init(&res);
	CU_ASSERT_EQUAL(cg_resources_controllers(&res), 0);
	res.net_classid = 0x100001;
	CU_ASSERT_EQUAL(cg_resources_controllers(&res), CG_NET_CLS);
	res.n_net_prio = 1;
	CU_ASSERT_EQUAL(cg_resources_controllers(&res), CG_NET_CLS | CG_NET_PRIO);
	/* this host's hierarchy list (hybrid, no net_cls mounted) has neither */
	CU_ASSERT_EQUAL_FATAL(cg_detect_text(hybrid_mounts, hybrid_cgroup, &sys, NULL), 0);
	CU_ASSERT_PTR_NULL(cg_v1_hier(&sys, "net_cls"));
}

static CU_TestInfo tests[] = {
	{"v1 controllers plus an empty cgroup2 mount is hybrid", hybrid_host_is_hybrid},
	{"cgroup2 alone is unified, own cgroup from 0::", pure_v2_is_unified},
	{"v1 alone is legacy; comounted cpu,cpuacct matches in any order",
	 v1_only_is_legacy_with_comounted_controllers},
	{"octal-escaped mount points are unescaped", escaped_mount_points_are_unescaped},
	{"no cgroup filesystem at all is an error", no_cgroup_fs_is_an_error},
	{"relative paths land below our own cgroup; v1 re-roots absolute ones",
	 paths_land_below_our_own_cgroup},
	{"paths with .. or . are refused", paths_cannot_climb_out},
	{"filesystem paths map to their hierarchy; /tmp is outside",
	 filesystem_paths_map_to_their_hierarchy},
	{"controller names and bits match", controller_names_and_bits_match},
	{"net_cls and net_prio are v1 controllers with bits of their own",
	 net_cls_and_net_prio_are_v1_controllers},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("cgroup detection", tests)
