/*
 * minirun/oci/oci_features.c - `minirun oci features`: what this runtime implements, as JSON.
 *
 * Engines ask before they generate a config: which runtime-spec versions, hooks, mount
 * options, namespaces, capabilities, seccomp actions and architectures are understood.
 * The lists come from the same tables the parser uses, so they can't drift apart.
 *
 * See: runtime-spec features.md; runc-features(8).
 */
#include "minirun/oci/cgstep.h"
#include "minirun/oci/oci.h"
#include "minirun/oci/spec.h"
#include "ns/ns.h"

#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/capability.h>

static json_t *strs(const char *const *v)
{
	json_t *a = json_array();
	for (; *v; v++)
		json_array_append_new(a, json_string(*v));
	return a;
}

int oci_features(struct oci_global *g, int argc, char **argv)
{
	(void)g;
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("usage: minirun oci features\n");
		return 0;
	}
	if (argc > 1) {
		fprintf(stderr,
			"minirun: '%s': features takes no argument; usage: minirun oci features\n",
			argv[1]);
		return 2;
	}
	static const char *const hooks[] = {"prestart",
					    "createRuntime",
					    "createContainer",
					    "startContainer",
					    "poststart",
					    "poststop",
					    NULL};
	static const char *const mount_opts[] = {
		"async",         "atime",      "bind",       "defaults", "dev",
		"diratime",      "dirsync",    "exec",       "mand",     "noatime",
		"nodev",         "nodiratime", "noexec",     "nomand",   "norelatime",
		"nostrictatime", "nosuid",     "private",    "rbind",    "relatime",
		"remount",       "ro",         "rprivate",   "rshared",  "rslave",
		"runbindable",   "rw",         "shared",     "slave",    "strictatime",
		"suid",          "sync",       "unbindable", NULL};
	static const char *const actions[] = {
		"SCMP_ACT_ALLOW",        "SCMP_ACT_ERRNO",       "SCMP_ACT_KILL",
		"SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG",
		"SCMP_ACT_TRACE",        "SCMP_ACT_TRAP",        NULL};
	static const char *const ops[] = {"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
					  "SCMP_CMP_LE", "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ",
					  "SCMP_CMP_NE", NULL};
	static const char *const archs[] = {"SCMP_ARCH_X86", "SCMP_ARCH_X86_64",
					    "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64",
					    "SCMP_ARCH_ARM", NULL};
	static const char *const flags[] = {"SECCOMP_FILTER_FLAG_LOG",
					    "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
					    "SECCOMP_FILTER_FLAG_TSYNC", NULL};
	json_t *ns = json_array(), *caps = json_array();
	for (const struct ns_type *t = ns_types; t->name; t++)
		json_array_append_new(ns, json_string(t->spec));
	for (int c = 0; c < (int)cap_max_bits(); c++) {
		char *name = cap_to_name(c);
		char upper[64];
		size_t i;
		for (i = 0; name && name[i] && i < sizeof(upper) - 1; i++)
			upper[i] =
				(char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 32 : name[i]);
		upper[i] = '\0';
		json_array_append_new(caps, json_string(upper));
		cap_free(name);
	}
	const struct scmp_version *v = seccomp_version();
	char lib[32];
	snprintf(lib, sizeof(lib), "%u.%u.%u", v->major, v->minor, v->micro);
	json_t *j = json_pack(
		"{s:s, s:s, s:o, s:o, s:{s:o, s:o, s:{s:b, s:b, s:b}, s:{s:b, s:o, s:o, s:o, "
		"s:o}, s:{s:b}, s:{s:b}}, s:{s:s, s:s}}",
		"ociVersionMin", "1.0.0", "ociVersionMax", "1.1.0", "hooks", strs(hooks),
		"mountOptions", strs(mount_opts), "linux", "namespaces", ns, "capabilities", caps,
		"cgroup", "v1", 1, "v2", 1, "systemd", 0, "seccomp", "enabled", 1, "actions",
		strs(actions), "operators", strs(ops), "archs", strs(archs), "knownFlags",
		strs(flags), "apparmor", "enabled", 0, "selinux", "enabled", 0, "annotations",
		"org.minirun.cgroup", cgstep_mode(), "io.github.seccomp.libseccomp.version", lib);
	char *t = json_dumps(j, JSON_INDENT(2));
	printf("%s\n", t);
	free(t);
	json_decref(j);
	return 0;
}
