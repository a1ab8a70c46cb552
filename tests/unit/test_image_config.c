/*
 * tests/unit/test_image_config.c - minirun/image/config_check.c: an image config's fields
 * checked for type and shape, one message naming the image and the field; and the mount
 * destinations runc and the front end refuse (minirun/mounts.c, oci_mount_dest_check).
 */
#include "minirun/image/image.h"
#include "minirun/oci/runtime.h"
#include "tests/unit/unit.h"

#include <string.h>

/* CONFIG (JSON text) checked as image "x:1": NULL when it passes, else the message */
static const char *check(const char *config)
{
	static struct mr_err err;
	memset(&err, 0, sizeof(err));
	json_t *c = json_loads(config, 0, NULL);
	int rc = image_config_check(c, "x:1", &err);
	json_decref(c);
	return rc == 0 ? NULL : err.msg;
}

static void well_formed_configs_pass(void)
{
	/* what docker and buildah write, nulls included; unknown fields are left alone */
	CU_ASSERT_PTR_NULL(
		check("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{"
		      "\"Env\":[\"PATH=/bin\",\"EMPTY=\"],\"Cmd\":[\"sh\"],"
		      "\"Entrypoint\":null,\"WorkingDir\":\"app\",\"User\":\"1:2\","
		      "\"ExposedPorts\":{\"80/tcp\":{},\"53\":{},\"5000/sctp\":{}},"
		      "\"Volumes\":{\"/data\":{},\"/proc/meminfo\":{}},\"Labels\":{\"a\":\"b\"},"
		      "\"StopSignal\":\"SIGQUIT\",\"OnBuild\":null,\"ArgsEscaped\":true,"
		      "\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"],\"Interval\":30},"
		      "\"SomethingNew\":{\"x\":1}},"
		      "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:"
		      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"]},"
		      "\"history\":[{\"created_by\":\"x\",\"empty_layer\":true}]}"));
	CU_ASSERT_PTR_NULL(check("{}"));
	CU_ASSERT_PTR_NULL(check("{\"config\":null}"));
}

static void each_field_of_the_wrong_type_or_shape_is_named(void)
{
	static const struct {
		const char *config, *msg;
	} cases[] = {
		{"{\"config\":{\"Env\":\"x\"}}",
		 "image 'x:1': config.Env must be an array of strings, not a string"},
		{"{\"config\":{\"Env\":[\"A=1\",2]}}",
		 "image 'x:1': config.Env[1] must be a string, not a number"},
		{"{\"config\":{\"Env\":[\"A=1\",\"B\"]}}",
		 "image 'x:1': config.Env[1] \"B\" is not KEY=VALUE"},
		{"{\"config\":{\"Env\":[\"=v\"]}}",
		 "image 'x:1': config.Env[0] \"=v\" is not KEY=VALUE"},
		{"{\"config\":{\"User\":123}}",
		 "image 'x:1': config.User must be a string, not a number"},
		{"{\"config\":{\"Cmd\":5}}",
		 "image 'x:1': config.Cmd must be an array of strings, not a number"},
		{"{\"config\":{\"Entrypoint\":\"sh\"}}",
		 "image 'x:1': config.Entrypoint must be an array of strings, not a string"},
		{"{\"config\":{\"ExposedPorts\":[]}}",
		 "image 'x:1': config.ExposedPorts must be an object, not an array"},
		{"{\"config\":{\"ExposedPorts\":{\"99999/tcp\":{}}}}",
		 "image 'x:1': config.ExposedPorts key \"99999/tcp\" is not PORT[/tcp|udp|sctp]"},
		{"{\"config\":{\"ExposedPorts\":{\"80/icmp\":{}}}}",
		 "image 'x:1': config.ExposedPorts key \"80/icmp\" is not PORT[/tcp|udp|sctp]"},
		{"{\"config\":{\"ExposedPorts\":{\"80\":1}}}",
		 "image 'x:1': config.ExposedPorts[\"80\"] must be an object, not a number"},
		{"{\"config\":{\"Volumes\":{\"data\":{}}}}",
		 "image 'x:1': config.Volumes key \"data\" is not an absolute path"},
		{"{\"config\":{\"Volumes\":{\"/proc/sys\":{}}}}",
		 "image 'x:1': config.Volumes key: mount destination '/proc/sys': cannot be mounted "
		 "because it is inside /proc"},
		{"{\"config\":{\"Volumes\":{\"/dev\":{}}}}",
		 "image 'x:1': config.Volumes key: mount destination '/dev': cannot be mounted over "
		 "the container's device nodes (mount below it instead)"},
		{"{\"config\":{\"Labels\":{\"a\":true}}}",
		 "image 'x:1': config.Labels[\"a\"] must be a string, not a boolean"},
		{"{\"config\":{\"WorkingDir\":[]}}",
		 "image 'x:1': config.WorkingDir must be a string, not an array"},
		{"{\"config\":{\"StopSignal\":\"SIGNOPE\"}}",
		 "image 'x:1': config.StopSignal \"SIGNOPE\" is not a signal"},
		{"{\"config\":{\"Healthcheck\":{\"Test\":\"true\"}}}",
		 "image 'x:1': config.Healthcheck.Test must be an array of strings, not a string"},
		{"{\"config\":{\"ArgsEscaped\":\"yes\"}}",
		 "image 'x:1': config.ArgsEscaped must be true or false, not a string"},
		{"{\"config\":[]}", "image 'x:1': config must be an object, not an array"},
		{"{\"rootfs\":{\"diff_ids\":[\"md5:00\"]}}",
		 "image 'x:1': rootfs.diff_ids[0] \"md5:00\" is not a sha256 digest"},
		{"{\"history\":[{\"empty_layer\":1}]}",
		 "image 'x:1': history[0].empty_layer must be true or false, not a number"},
		{"{\"architecture\":64}",
		 "image 'x:1': architecture must be a string, not a number"},
		{"[]", "image 'x:1': the config must be a JSON object, not an array"},
		/* a hostile string is shown escaped */
		{"{\"config\":{\"Env\":[\"\\u001b[2J\\n\"]}}",
		 "image 'x:1': config.Env[0] \"\\x1b[2J\\n\" is not KEY=VALUE"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *msg = check(cases[i].config);
		CU_ASSERT_PTR_NOT_NULL(msg);
		if (msg && strcmp(msg, cases[i].msg) != 0) {
			fprintf(stderr, "    %s\n    got:  %s\n    want: %s\n", cases[i].config,
				msg, cases[i].msg);
			CU_FAIL("message");
		}
	}
}

static void mount_destinations_as_runc_refuses_them(void)
{
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(oci_mount_dest_check("/proc", "proc", OCI_MOUNT_RULES_RUNC, &err), 0);
	CU_ASSERT_EQUAL(oci_mount_dest_check("/proc", "bind", OCI_MOUNT_RULES_RUNC, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "mount destination '/proc': cannot be mounted because it "
					"is not of type proc");
	CU_ASSERT_EQUAL(oci_mount_dest_check("//x/../proc/", "tmpfs", OCI_MOUNT_RULES_RUNC, &err),
			-1);
	CU_ASSERT_EQUAL(oci_mount_dest_check("/proc/sys", "bind", OCI_MOUNT_RULES_RUNC, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "mount destination '/proc/sys': cannot be mounted because "
					"it is inside /proc");
	CU_ASSERT_EQUAL(oci_mount_dest_check("/proc/1/root", "proc", OCI_MOUNT_RULES_RUNC, &err),
			-1);
	/* lxcfs's files, and what is not /proc, pass */
	CU_ASSERT_EQUAL(oci_mount_dest_check("/proc/meminfo", "bind", OCI_MOUNT_RULES_RUNC, &err),
			0);
	CU_ASSERT_EQUAL(oci_mount_dest_check("/processes", "bind", OCI_MOUNT_RULES_RUNC, &err), 0);
	CU_ASSERT_EQUAL(oci_mount_dest_check("/sys", "sysfs", OCI_MOUNT_RULES_RUNC, &err), 0);
	CU_ASSERT_EQUAL(oci_mount_dest_check("/dev", "tmpfs", OCI_MOUNT_RULES_RUNC, &err), 0);
	/* the front end keeps /sys and /dev for its own mounts, not what is below them */
	CU_ASSERT_EQUAL(oci_mount_dest_check("/sys/", NULL, OCI_MOUNT_RULES_FRONT_END, &err), -1);
	CU_ASSERT_EQUAL(oci_mount_dest_check("/dev", "tmpfs", OCI_MOUNT_RULES_FRONT_END, &err), -1);
	CU_ASSERT_EQUAL(oci_mount_dest_check("/dev/shm", "tmpfs", OCI_MOUNT_RULES_FRONT_END, &err),
			0);
	CU_ASSERT_EQUAL(
		oci_mount_dest_check("/sys/fs/cgroup", "bind", OCI_MOUNT_RULES_FRONT_END, &err), 0);
}

static void workdir_change_goes_on_from_the_one_before(void)
{
	struct mr_err err = {0};
	json_t *cfg = json_object();
	CU_ASSERT_EQUAL(image_apply_change(cfg, "WORKDIR app", &err), 0);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(cfg, "WorkingDir")), "/app");
	CU_ASSERT_EQUAL(image_apply_change(cfg, "WORKDIR src/", &err), 0);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(cfg, "WorkingDir")), "/app/src/");
	CU_ASSERT_EQUAL(image_apply_change(cfg, "WORKDIR /srv", &err), 0);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(cfg, "WorkingDir")), "/srv");
	json_decref(cfg);
}

static CU_TestInfo tests[] = {
	{"well-formed configs pass, nulls and unknown fields included", well_formed_configs_pass},
	{"each field of the wrong type or shape is named in one line, escaped",
	 each_field_of_the_wrong_type_or_shape_is_named},
	{"mount destinations: /proc only for proc, nothing inside /proc but lxcfs's files; /sys "
	 "and /dev kept by the front end",
	 mount_destinations_as_runc_refuses_them},
	{"--change WORKDIR: a relative one goes on from the one before, or from /",
	 workdir_change_goes_on_from_the_one_before},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("image config checks", tests)
