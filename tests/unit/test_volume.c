/*
 * tests/unit/test_volume.c - minirun/volume's parsing of -v and --mount (tables of good and
 * bad specs with docker's messages), volume names, and the OCI mounts they become.
 */
#include <stdlib.h>
#include <string.h>

#include "minirun/volume/volume.h"
#include "tests/unit/unit.h"

static void volume_names(void)
{
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(volume_check_name("data", &err), 0);
	CU_ASSERT_EQUAL(volume_check_name("my_vol-1.0", &err), 0);
	CU_ASSERT_EQUAL(volume_check_name("x", &err), -1); /* docker wants 2 or more */
	CU_ASSERT_EQUAL(volume_check_name("../etc", &err), -1);
	CU_ASSERT_EQUAL(volume_check_name("rel/path", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "If you intended to pass a host directory"));
}

static void v_specs(void)
{
	static const struct {
		const char *spec;
		enum volume_mount_type type;
		const char *source, *target;
		int ro;
		const char *propagation;
	} good[] = {
		{"data:/srv", VOLUME_MOUNT_VOLUME, "data", "/srv", 0, ""},
		{"data:/srv:ro", VOLUME_MOUNT_VOLUME, "data", "/srv", 1, ""},
		{"/srv", VOLUME_MOUNT_VOLUME, "", "/srv", 0, ""},
		{"/host/dir:/x", VOLUME_MOUNT_BIND, "/host/dir", "/x", 0, ""},
		{"/host/dir:/x:ro,rshared", VOLUME_MOUNT_BIND, "/host/dir", "/x", 1, "rshared"},
		{"/h:/x:rw,z", VOLUME_MOUNT_BIND, "/h", "/x", 0, ""},
	};
	static const struct {
		const char *spec, *msg;
	} bad[] = {
		{"rel/path:/x", "includes invalid characters for a local volume name"},
		{"./data:/x", "use absolute path"},
		{"data:x", "invalid volume specification: 'data:x': invalid mount config for type "
			   "\"volume\": invalid mount path: 'x' mount path must be absolute"},
		{"/h:x", "invalid mount config for type \"bind\""},
		{"data:/x:bad", "invalid mode: bad"},
		{"data:/", "destination can't be '/'"},
		{"a:b:c:d", "invalid volume specification: 'a:b:c:d'"},
		{"data:", "invalid volume specification"},
		{"", "invalid volume specification"},
		{"rel", "mount path must be absolute"},
	};
	struct volume_mount m;
	struct mr_err err = {0};
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
		CU_ASSERT_EQUAL_FATAL(volume_parse_v(good[i].spec, &m, &err), 0);
		CU_ASSERT_EQUAL(m.type, good[i].type);
		CU_ASSERT_STRING_EQUAL(m.source, good[i].source);
		CU_ASSERT_STRING_EQUAL(m.target, good[i].target);
		CU_ASSERT_EQUAL(m.readonly, good[i].ro);
		CU_ASSERT_STRING_EQUAL(m.propagation, good[i].propagation);
		CU_ASSERT_EQUAL(m.create_source, good[i].type == VOLUME_MOUNT_BIND);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		err.msg[0] = '\0';
		CU_ASSERT_EQUAL(volume_parse_v(bad[i].spec, &m, &err), -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, bad[i].msg));
	}
}

static void mount_specs(void)
{
	struct volume_mount m;
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(volume_parse_mount("type=bind,source=/tmp,target=/x,readonly", &m, &err),
			0);
	CU_ASSERT_EQUAL(m.type, VOLUME_MOUNT_BIND);
	CU_ASSERT_EQUAL(m.readonly, 1);
	CU_ASSERT_EQUAL(m.create_source, 0);
	CU_ASSERT_EQUAL(volume_parse_mount("src=data,dst=/d,ro=false", &m, &err), 0);
	CU_ASSERT_EQUAL(m.type, VOLUME_MOUNT_VOLUME); /* docker's default type */
	CU_ASSERT_STRING_EQUAL(m.source, "data");
	CU_ASSERT_EQUAL(m.readonly, 0);
	CU_ASSERT_EQUAL(volume_parse_mount("type=tmpfs,target=/run,tmpfs-size=64m,tmpfs-mode=1770",
					   &m, &err),
			0);
	CU_ASSERT_EQUAL(m.tmpfs_size, 64ull << 20);
	CU_ASSERT_EQUAL(m.tmpfs_mode, 01770);

	static const struct {
		const char *spec, *msg;
	} bad[] = {
		{"type=bind,source=/nonexistent-mr-x,target=/x", "bind source path does not exist"},
		{"type=bind,target=/x", "field Source must not be empty"},
		{"type=bind,source=rel,target=/x", "must be absolute"},
		{"type=volume,source=data", "field Target must not be empty"},
		{"type=volume,source=data,target=rel", "mount path must be absolute"},
		{"type=tmpfs,source=x,target=/x", "field Source must not be specified"},
		{"type=tmpfs,target=/x,tmpfs-size=lots",
		 "unexpected key or value 'tmpfs-size=lots'"},
		{"type=nfs,target=/x", "invalid mount config for type \"nfs\": mount type unknown"},
		{"type=volume,foo=bar,target=/x", "unexpected key or value 'foo=bar'"},
		{"type=volume,source=a/b,target=/x", "invalid characters"},
		{"type=volume,target=/x,readonly=maybe", "readonly=maybe"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		err.msg[0] = '\0';
		CU_ASSERT_EQUAL(volume_parse_mount(bad[i].spec, &m, &err), -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, bad[i].msg));
	}
}

static void oci_mounts(void)
{
	struct volume_mount m;
	struct mr_err err = {0};
	volume_parse_v("/h:/x:ro", &m, &err);
	strcpy(m.host_path, "/h");
	json_t *j = volume_oci_mount(&m);
	char *s = json_dumps(j, JSON_COMPACT);
	CU_ASSERT_STRING_EQUAL(s, "{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/h\","
				  "\"options\":[\"rbind\",\"rprivate\",\"ro\"]}");
	free(s);
	json_decref(j);
	volume_parse_mount("type=tmpfs,dst=/run,tmpfs-size=1k", &m, &err);
	j = volume_oci_mount(&m);
	s = json_dumps(j, JSON_COMPACT);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"type\":\"tmpfs\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"size=1024\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"mode=1777\""));
	free(s);
	json_decref(j);
}

static CU_TestInfo tests[] = {
	{"volume names follow docker's rule and say to use an absolute path", volume_names},
	{"-v specs parse as docker's, bad ones named in docker's words", v_specs},
	{"--mount specs parse as docker's, bad ones named in docker's words", mount_specs},
	{"mounts become OCI config.json mounts", oci_mounts},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("minirun volume", tests)
