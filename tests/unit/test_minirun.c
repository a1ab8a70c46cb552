/*
 * tests/unit/test_minirun.c - the runtime's pure parts: config.json parsing and its error
 * positions, a config handed over as a tree, mount options, the default spec, ids and
 * signal names (minirun/spec*.c, state.c, signals.c).
 */
#include "lib/sig.h"
#include "minirun/oci/oci.h"
#include "minirun/oci/spec.h"
#include "minirun/oci/state.h"
#include "tests/unit/unit.h"

#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#define MIN_CONFIG(process, rest)                                                                   \
	"{\n  \"ociVersion\": \"1.0.2\",\n  \"root\": {\"path\": \"/r\"},\n  \"process\": " process \
		rest "\n}\n"
#define PROC "{\"args\": [\"sh\"], \"cwd\": \"/\"}"

static struct spec *parse(const char *text, struct mr_err *err)
{
	memset(err, 0, sizeof(*err));
	return spec_parse_text(text, "config.json", "/b", err);
}

static void locate_finds_nested_values(void)
{
	const char *t = "{\n \"a\": 1,\n \"b\": {\"c\": [10, {\"d\": \"x\"}]}\n}";
	int l, c;
	spec_locate(t, "b.c[1].d", &l, &c);
	CU_ASSERT_EQUAL(l, 3);
	CU_ASSERT_EQUAL(c, 24);
	spec_locate(t, "a", &l, &c);
	CU_ASSERT_EQUAL(l, 2);
	spec_locate(t, "b.nope", &l, &c);
	CU_ASSERT_EQUAL(l, 0);
}

static void malformed_json_has_line_and_column(void)
{
	struct mr_err err;
	CU_ASSERT_PTR_NULL(parse("{\n \"ociVersion\": \"1.0.2\",\n \"process\": {,\n}", &err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "config.json:3:"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "malformed JSON"));
}

static void wrong_type_is_located(void)
{
	struct mr_err err;
	CU_ASSERT_PTR_NULL(parse(MIN_CONFIG("{\"args\": \"sh\", \"cwd\": \"/\"}", ""), &err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "config.json:4:23: process.args must be an array"));
}

static void a_good_config_parses(void)
{
	struct mr_err err;
	struct spec *s = parse(
		MIN_CONFIG(PROC, ",\n  \"hostname\": \"h\",\n  \"mounts\": [{\"destination\": "
				 "\"/tmp\", \"type\": \"tmpfs\", \"options\": [\"nosuid\", "
				 "\"ro\", \"mode=755\", \"rprivate\"]}],\n  \"linux\": "
				 "{\"namespaces\": [{\"type\": \"uts\"}, {\"type\": \"network\", "
				 "\"path\": \"/proc/1/ns/net\"}]}"),
		&err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(s->proc.args[0], "sh");
	CU_ASSERT_EQUAL(s->nmounts, 1);
	CU_ASSERT_EQUAL(s->mounts[0].flags, MS_NOSUID | MS_RDONLY);
	CU_ASSERT_EQUAL(s->mounts[0].propagation, MS_PRIVATE | MS_REC);
	CU_ASSERT_STRING_EQUAL(s->mounts[0].data, "mode=755");
	CU_ASSERT_EQUAL(s->ns_new, CLONE_NEWUTS);
	CU_ASSERT_STRING_EQUAL(spec_ns(s, CLONE_NEWNET)->path, "/proc/1/ns/net");
	CU_ASSERT_STRING_EQUAL(s->rootfs, "/r");
	spec_free(s);
}

static void bad_fields_are_named(void)
{
	struct mr_err err;
	CU_ASSERT_PTR_NULL(
		parse(MIN_CONFIG(PROC, ",\n  \"linux\": {\"namespaces\": [{\"type\": \"nope\"}]}"),
		      &err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "unknown namespace type 'nope'"));
	CU_ASSERT_PTR_NULL(parse(
		MIN_CONFIG(PROC,
			   ",\n  \"mounts\": [{\"destination\": \"tmp\", \"type\": \"tmpfs\"}]"),
		&err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "mounts[0].destination must be an absolute path"));
	CU_ASSERT_PTR_NULL(parse(
		MIN_CONFIG(
			"{\"args\": [\"sh\"], \"cwd\": \"/\", \"rlimits\": [{\"type\": \"RLIMIT_BOGUS\", \"soft\": 1, \"hard\": 1}]}",
			""),
		&err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "unknown rlimit type 'RLIMIT_BOGUS'"));
	CU_ASSERT_PTR_NULL(parse(
		MIN_CONFIG(
			"{\"args\": [\"sh\"], \"cwd\": \"/\", \"capabilities\": {\"bounding\": [\"CAP_NOPE\"]}}",
			""),
		&err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "unknown capability 'CAP_NOPE'"));
	CU_ASSERT_PTR_NULL(parse(MIN_CONFIG(PROC, ",\n  \"hostname\": \"h\""), &err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "hostname needs a uts namespace"));
}

static void default_spec_parses_back(void)
{
	struct mr_err err;
	for (int rootless = 0; rootless < 2; rootless++) {
		json_t *j = spec_default_json(rootless);
		char *text = json_dumps(j, 0);
		struct spec *s = parse(text, &err);
		CU_ASSERT_PTR_NOT_NULL(s);
		if (s)
			CU_ASSERT_EQUAL(!!(s->ns_new & CLONE_NEWUSER), rootless);
		spec_free(s);
		free(text);
		json_decref(j);
	}
}

/* the spec holds its own reference: the caller's tree may go at once */
static void a_tree_is_parsed_with_its_own_reference(void)
{
	struct mr_err err = {0};
	const char *text = MIN_CONFIG(PROC, "");
	json_t *doc = json_loads(text, 0, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	struct spec *s = spec_parse_tree(doc, text, "config.json", "/b", &err);
	json_decref(doc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(s->proc.args[0], "sh");
	CU_ASSERT_STRING_EQUAL(s->rootfs, "/r");
	spec_free(s);

	/* errors are located in the text given with the tree, or named without it */
	text = MIN_CONFIG("{\"args\": \"sh\", \"cwd\": \"/\"}", "");
	doc = json_loads(text, 0, NULL);
	CU_ASSERT_PTR_NULL(spec_parse_tree(doc, text, "config.json", "/b", &err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "config.json:4:23: process.args must be an array"));
	CU_ASSERT_PTR_NULL(spec_parse_tree(doc, NULL, "config.json", "/b", &err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "config.json: process.args must be an array"));
	CU_ASSERT_EQUAL(doc->refcount, 1); /* a refused tree's reference is given back */
	json_decref(doc);

	/* a field that fails when applied (mounts.c): located the same way, by spec_prefix */
	text = MIN_CONFIG(PROC,
			  ",\n  \"mounts\": [{\"destination\": \"/x\", \"type\": \"tmpfs\"}]");
	doc = json_loads(text, 0, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	for (int with_text = 1; with_text >= 0; with_text--) {
		s = spec_parse_tree(doc, with_text ? text : NULL, "config.json", "/b", &err);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s);
		mr_fail(&err, 0, "mount failed");
		spec_prefix(s, &err, "mounts[0]");
		CU_ASSERT_STRING_EQUAL(err.msg,
				       with_text ? "config.json:5:14: mounts[0]: mount failed"
						 : "config.json: mounts[0]: mount failed");
		spec_free(s);
	}
	json_decref(doc);
}

/* spec_load_tree runs the tree it is given, not BUNDLE/config.json; without one, the file */
static void load_tree_prefers_the_tree_to_the_file(void)
{
	char dir[] = "/tmp/mr-unit-spec.XXXXXX", path[64], text[256];
	struct mr_err err = {0};
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/config.json", dir);
	FILE *f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f,
		"{\"ociVersion\": \"1.0.2\", \"root\": {\"path\": \"%s\"}, "
		"\"process\": {\"args\": [\"disk\"], \"cwd\": \"/\"}}",
		dir);
	fclose(f);
	snprintf(text, sizeof(text),
		 "{\"ociVersion\": \"1.0.2\", \"root\": {\"path\": \"%s\"}, "
		 "\"process\": {\"args\": [\"tree\"], \"cwd\": \"/\"}}",
		 dir);
	json_t *doc = json_loads(text, 0, NULL);
	struct spec *s = spec_load_tree(dir, doc, text, &err);
	CU_ASSERT_PTR_NOT_NULL(s);
	if (s)
		CU_ASSERT_STRING_EQUAL(s->proc.args[0], "tree");
	spec_free(s);
	CU_ASSERT_EQUAL(doc->refcount, 1);
	json_decref(doc);
	s = spec_load_tree(dir, NULL, NULL, &err);
	CU_ASSERT_PTR_NOT_NULL(s);
	if (s)
		CU_ASSERT_STRING_EQUAL(s->proc.args[0], "disk");
	spec_free(s);
	unlink(path);
	rmdir(dir);
}

static void ids_that_name_paths_are_refused(void)
{
	CU_ASSERT_EQUAL(state_check_id("web-1_a.b+c", NULL), 0);
	CU_ASSERT_EQUAL(state_check_id("../x", NULL), -1);
	CU_ASSERT_EQUAL(state_check_id("a/b", NULL), -1);
	CU_ASSERT_EQUAL(state_check_id("..", NULL), -1);
	CU_ASSERT_EQUAL(state_check_id("", NULL), -1);
}

static void signal_names_and_numbers(void)
{
	CU_ASSERT_EQUAL(mr_sig_parse("KILL"), SIGKILL);
	CU_ASSERT_EQUAL(mr_sig_parse("SIGTERM"), SIGTERM);
	CU_ASSERT_EQUAL(mr_sig_parse("sigusr1"), SIGUSR1);
	CU_ASSERT_EQUAL(mr_sig_parse("9"), 9);
	CU_ASSERT_EQUAL(mr_sig_parse("RTMIN+2"), SIGRTMIN + 2);
	CU_ASSERT_EQUAL(mr_sig_parse("NOPE"), -1);
	CU_ASSERT_EQUAL(mr_sig_parse("0"), -1);
}

static CU_TestInfo tests[] = {
	{"spec_locate finds a nested value's line and column", locate_finds_nested_values},
	{"malformed JSON is reported with line:column", malformed_json_has_line_and_column},
	{"a wrong type is reported at the value's line:column", wrong_type_is_located},
	{"a good config parses into flags, options and namespaces", a_good_config_parses},
	{"bad fields are named: namespace, mount, rlimit, capability, hostname",
	 bad_fields_are_named},
	{"the default spec (and --rootless) parses back", default_spec_parses_back},
	{"a given tree is parsed with its own reference; errors located in its text",
	 a_tree_is_parsed_with_its_own_reference},
	{"spec_load_tree runs the given tree, not the file; without one the file",
	 load_tree_prefers_the_tree_to_the_file},
	{"container ids that name paths are refused", ids_that_name_paths_are_refused},
	{"signals by name and number", signal_names_and_numbers},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("minirun", tests)
