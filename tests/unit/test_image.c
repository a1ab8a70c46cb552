/*
 * tests/unit/test_image.c - image references, docker's formats, and the store's blob and
 * "in use" contracts (minirun/image/).
 *
 * Run with `make test-unit`. The store tests use a throwaway root under /tmp.
 */
#include "minirun/image/image.h"
#include "tests/unit/unit.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "lib/file.h"

static void ref_defaults_are_dockers(void)
{
	struct image_ref r;
	char buf[600];
	CU_ASSERT_EQUAL(ref_parse("busybox", &r, NULL), 0);
	ref_canonical(&r, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "docker.io/library/busybox:latest");
	CU_ASSERT_STRING_EQUAL(ref_registry_host(&r), "registry-1.docker.io");
	CU_ASSERT_EQUAL(ref_parse("foo/bar:1.2", &r, NULL), 0);
	ref_canonical(&r, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "docker.io/foo/bar:1.2");
	ref_familiar_repo(&r, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "foo/bar");
}

static void ref_host_port_and_digest(void)
{
	struct image_ref r;
	char buf[600];
	const char *d = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	snprintf(buf, sizeof(buf), "127.0.0.1:5000/a/b@%s", d);
	CU_ASSERT_EQUAL(ref_parse(buf, &r, NULL), 0);
	CU_ASSERT_STRING_EQUAL(r.domain, "127.0.0.1:5000");
	CU_ASSERT_STRING_EQUAL(r.path, "a/b");
	CU_ASSERT_STRING_EQUAL(r.digest, d);
	CU_ASSERT_STRING_EQUAL(r.tag, "");
	CU_ASSERT_STRING_EQUAL(ref_registry_host(&r), "127.0.0.1:5000");
	CU_ASSERT_EQUAL(ref_parse("localhost/x:7", &r, NULL), 0);
	CU_ASSERT_STRING_EQUAL(r.domain, "localhost");
	CU_ASSERT_STRING_EQUAL(r.tag, "7");
	ref_familiar_name("docker.io/library/busybox:latest", buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "busybox:latest");
}

static void ref_bad_input_names_the_problem(void)
{
	struct image_ref r;
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(ref_parse("BusyBox", &r, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "must be lowercase"));
	CU_ASSERT_EQUAL(ref_parse("busybox:-x", &r, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "invalid reference format"));
	CU_ASSERT_EQUAL(ref_parse("busybox@sha256:abc", &r, &err), -1);
	CU_ASSERT_EQUAL(ref_parse("a//b", &r, &err), -1);
	CU_ASSERT_EQUAL(ref_parse("", &r, &err), -1);
	CU_ASSERT_EQUAL(ref_parse("a..b", &r, &err), -1);
}

static void digest_valid_wants_64_lowercase_hex(void)
{
	CU_ASSERT_TRUE(digest_valid(
		"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
	CU_ASSERT_FALSE(digest_valid(
		"sha256:E3B0C44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
	CU_ASSERT_FALSE(digest_valid("sha256:e3b0"));
	CU_ASSERT_FALSE(digest_valid(
		"sha512:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
}

static void platform_defaults_and_parsing(void)
{
	char os[32], arch[32], var[32];
	struct mr_err err = {0};
	CU_ASSERT_EQUAL(image_platform("linux/arm64/v8", os, arch, var, &err), 0);
	CU_ASSERT_STRING_EQUAL(os, "linux");
	CU_ASSERT_STRING_EQUAL(arch, "arm64");
	CU_ASSERT_STRING_EQUAL(var, "v8");
	CU_ASSERT_EQUAL(image_platform(NULL, os, arch, var, &err), 0);
	CU_ASSERT_STRING_EQUAL(os, "linux");
	CU_ASSERT_EQUAL(image_platform("linux", os, arch, var, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "OS/ARCH"));
}

static void sizes_and_ages_as_docker_prints_them(void)
{
	char buf[64], when[64];
	fmt_size(4260000, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "4.26MB");
	fmt_size(512, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "512B");
	fmt_size(77800000, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "77.8MB");
	time_t t = time(NULL) - 3 * 3600 - 5;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fmt_since(when, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "3 hours ago");
	CU_ASSERT_EQUAL(parse_rfc3339("1970-01-01T01:00:00+01:00"), 0);
	CU_ASSERT_EQUAL(parse_rfc3339("1970-01-01T00:00:10.123456789Z"), 10);
	CU_ASSERT_EQUAL(parse_rfc3339("yesterday"), -1);
}

/* a store in a fresh temp root; the root's path goes to ROOT */
static int temp_store(struct store *st, char *root, size_t len)
{
	snprintf(root, len, "/tmp/mrimg-unit.XXXXXX");
	if (!mkdtemp(root))
		return -1;
	return store_open(st, root, NULL);
}

static void rm_root(const char *root)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
}

static int tmp_is_empty(const struct store *st)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/.tmp", st->dir);
	DIR *d = opendir(path);
	struct dirent *de;
	int n = 0;
	while (d && (de = readdir(d)))
		n += de->d_name[0] != '.';
	if (d)
		closedir(d);
	return n == 0;
}

static void blobs_are_verified_on_read(void)
{
	struct store st;
	char root[64], digest[IMAGE_DIGEST_LEN + 1], path[4400], *data = NULL;
	size_t len;
	struct mr_err err = {0};
	CU_ASSERT_FATAL(temp_store(&st, root, sizeof(root)) == 0);
	CU_ASSERT_EQUAL(store_put_blob(&st, "hello", 5, digest, &err), 0);
	CU_ASSERT_STRING_EQUAL(
		digest, "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
	CU_ASSERT_EQUAL(store_read_blob(&st, digest, &data, &len, &err), 0);
	CU_ASSERT_EQUAL(len, 5);
	free(data);
	/* flip the bytes on disk: the next read must refuse them */
	store_blob_path(&st, digest, path, sizeof(path));
	CU_ASSERT_EQUAL(mr_write_file_atomic(path, "jello", 5, 0644, &err), 0);
	CU_ASSERT_EQUAL(store_read_blob(&st, digest, &data, &len, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "corrupt"));
	CU_ASSERT_EQUAL(store_check_blob(&st, digest, &err), -1);
	store_close(&st);
	rm_root(root);
}

static void a_mismatched_blob_is_not_stored(void)
{
	struct store st;
	struct blob_writer w;
	char root[64];
	struct mr_err err = {0};
	const char *want =
		"sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
	CU_ASSERT_FATAL(temp_store(&st, root, sizeof(root)) == 0);
	CU_ASSERT_EQUAL(blob_writer_open(&st, &w, &err), 0);
	CU_ASSERT_EQUAL(blob_writer_write(&w, "hellO", 5, &err), 0);
	CU_ASSERT_EQUAL(blob_writer_commit(&st, &w, want, NULL, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "digest mismatch"));
	CU_ASSERT_FALSE(store_has_blob(&st, want));
	CU_ASSERT_TRUE(tmp_is_empty(&st));
	store_close(&st);
	rm_root(root);
}

static int hook_calls;
static int fake_runtime(const struct store *st, const char *id, char *who, size_t len)
{
	(void)st;
	hook_calls++;
	snprintf(who, len, "web1");
	return !strcmp(id, "sha256:abc");
}

static void in_use_reads_container_markers_or_the_hook(void)
{
	struct store st;
	char root[64], path[600], who[64] = "";
	struct mr_err err = {0};
	const char *id = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
	CU_ASSERT_FATAL(temp_store(&st, root, sizeof(root)) == 0);
	CU_ASSERT_EQUAL(image_in_use(&st, id, who, sizeof(who)), 0);
	/* the contract with the containers code: ROOT/containers/NAME/image holds the image ID */
	snprintf(path, sizeof(path), "%s/containers/c0ffee", root);
	CU_ASSERT_EQUAL(mr_mkdir_p(path, 0700, &err), 0);
	snprintf(path, sizeof(path), "%s/containers/c0ffee/image", root);
	CU_ASSERT_EQUAL(mr_write_file_atomic(path, id, strlen(id), 0644, &err), 0);
	CU_ASSERT_EQUAL(image_in_use(&st, id, who, sizeof(who)), 1);
	CU_ASSERT_STRING_EQUAL(who, "c0ffee");
	/* a runtime with its own records answers instead */
	image_in_use_hook = fake_runtime;
	CU_ASSERT_EQUAL(image_in_use(&st, id, who, sizeof(who)), 0);
	CU_ASSERT_EQUAL(image_in_use(&st, "sha256:abc", who, sizeof(who)), 1);
	CU_ASSERT_STRING_EQUAL(who, "web1");
	CU_ASSERT_EQUAL(hook_calls, 2);
	image_in_use_hook = NULL;
	store_close(&st);
	rm_root(root);
}

static void an_unknown_image_is_no_such_image(void)
{
	struct store st;
	struct image img;
	char root[64];
	struct mr_err err = {0};
	CU_ASSERT_FATAL(temp_store(&st, root, sizeof(root)) == 0);
	CU_ASSERT_EQUAL(image_resolve(&st, "nosuch:1", &img, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "No such image: nosuch:1");
	CU_ASSERT_EQUAL(image_resolve(&st, "abc123", &img, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "No such image: abc123");
	store_close(&st);
	rm_root(root);
}

/* a layer tar in memory holding one file NAME with CONTENT */
static size_t make_tar(char *buf, size_t cap, const char *name, const char *content)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	size_t used = 0;
	archive_write_set_format_pax_restricted(a);
	archive_write_open_memory(a, buf, cap, &used);
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)strlen(content));
	archive_write_header(a, e);
	archive_write_data(a, content, strlen(content));
	archive_entry_free(e);
	archive_write_close(a);
	archive_write_free(a);
	return used;
}

static void lowerdirs_list_layers_top_first(void)
{
	struct store st;
	char root[64], d1[IMAGE_DIGEST_LEN + 1], d2[IMAGE_DIGEST_LEN + 1],
		cfg[IMAGE_DIGEST_LEN + 1];
	char md[IMAGE_DIGEST_LEN + 1], id[IMAGE_DIGEST_LEN + 1], path[4400];
	static char t1[1 << 16], t2[1 << 16];
	struct mr_err err = {0};
	char **dirs = NULL;
	CU_ASSERT_FATAL(temp_store(&st, root, sizeof(root)) == 0);
	/* two plain layers: their blob digest is their diffID */
	size_t n1 = make_tar(t1, sizeof(t1), "hello", "bottom\n");
	size_t n2 = make_tar(t2, sizeof(t2), "top", "top\n");
	CU_ASSERT_EQUAL(store_put_blob(&st, t1, n1, d1, &err), 0);
	CU_ASSERT_EQUAL(store_put_blob(&st, t2, n2, d2, &err), 0);
	json_t *config = json_pack("{s:s, s:s, s:{s:s, s:[s,s]}}", "architecture", "amd64", "os",
				   "linux", "rootfs", "type", "layers", "diff_ids", d1, d2);
	char *ctext = json_dumps(config, JSON_COMPACT);
	CU_ASSERT_EQUAL(store_put_blob(&st, ctext, strlen(ctext), cfg, &err), 0);
	json_t *layers = json_pack("[{s:s, s:s, s:I}, {s:s, s:s, s:I}]", "mediaType",
				   layer_media_type("none"), "digest", d1, "size", (json_int_t)n1,
				   "mediaType", layer_media_type("none"), "digest", d2, "size",
				   (json_int_t)n2);
	CU_ASSERT_EQUAL(image_create(&st, cfg, strlen(ctext), layers, "docker.io/library/two:1", md,
				     NULL, &err),
			0);
	CU_ASSERT_EQUAL(image_lowerdirs(&st, "two:1", &dirs, id, &err), 0);
	CU_ASSERT_STRING_EQUAL(id, cfg);
	CU_ASSERT_FATAL(dirs && dirs[0] && dirs[1] && !dirs[2]);
	/* overlay's order: the top-most layer (the last in the config) first */
	snprintf(path, sizeof(path), "%s/top", dirs[0]);
	CU_ASSERT_EQUAL(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/hello", dirs[1]);
	CU_ASSERT_EQUAL(access(path, F_OK), 0);
	image_lowerdirs_free(dirs);
	json_decref(config);
	json_decref(layers);
	free(ctext);
	store_close(&st);
	rm_root(root);
}

static void change_volume_both_forms(void)
{
	struct mr_err err = {0};
	json_t *cfg = json_object();
	CU_ASSERT_EQUAL(image_apply_change(cfg, "VOLUME /data /logs", &err), 0);
	CU_ASSERT_EQUAL(image_apply_change(cfg, "volume [\"/srv\"]", &err), 0);
	json_t *v = json_object_get(cfg, "Volumes");
	CU_ASSERT_EQUAL(json_object_size(v), 3);
	CU_ASSERT_PTR_NOT_NULL(json_object_get(v, "/data"));
	CU_ASSERT_PTR_NOT_NULL(json_object_get(v, "/logs"));
	CU_ASSERT_PTR_NOT_NULL(json_object_get(v, "/srv"));
	CU_ASSERT_EQUAL(image_apply_change(cfg, "VOLUME data", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "VOLUME takes absolute paths"));
	CU_ASSERT_EQUAL(image_apply_change(cfg, "VOLUME [1]", &err), -1);
	json_decref(cfg);
}

/* docker's commit -c: pairs with quotes, the old ENV form, a key set again replaced in
 * place, EXPOSE's words, ONBUILD kept as text (docker 20.10's results for the same lines) */
static void change_env_label_expose_onbuild_as_docker(void)
{
	struct mr_err err = {0};
	json_t *cfg = json_pack("{s:[s]}", "Env", "Y=0");
	const char *ok[] = {"LABEL a=b c=\"d e\"", "EXPOSE 80 81/udp", "ONBUILD RUN x",
			    "ENV Y=2 Z=3",         "ENV W \"a b\"",    "onbuild  run  y"};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		CU_ASSERT_EQUAL(image_apply_change(cfg, ok[i], &err), 0);
	char *s = json_dumps(cfg, JSON_COMPACT | JSON_SORT_KEYS);
	CU_ASSERT_STRING_EQUAL(s, "{\"Env\":[\"Y=2\",\"Z=3\",\"W=a b\"],"
				  "\"ExposedPorts\":{\"80/tcp\":{},\"81/udp\":{}},"
				  "\"Labels\":{\"a\":\"b\",\"c\":\"d e\"},"
				  "\"OnBuild\":[\"RUN x\",\"RUN  y\"]}");
	free(s);
	const char *bad[] = {"ENV X",          "ENV =1",      "LABEL a=\"b",
			     "ONBUILD FROM x", "ONBUILD RUN", "RUN x"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_EQUAL(image_apply_change(cfg, bad[i], &err), -1);
	json_decref(cfg);
}

static CU_TestInfo tests[] = {
	{"--change ENV LABEL EXPOSE ONBUILD: docker's parsing of each",
	 change_env_label_expose_onbuild_as_docker},
	{"--change VOLUME: the shell and JSON forms add Volumes; a relative path is refused",
	 change_volume_both_forms},
	{"a bare name means docker.io/library/NAME:latest", ref_defaults_are_dockers},
	{"host:port and @digest references", ref_host_port_and_digest},
	{"bad references are refused with the reason", ref_bad_input_names_the_problem},
	{"a digest is sha256: and 64 lowercase hex digits", digest_valid_wants_64_lowercase_hex},
	{"--platform parses, and defaults to this machine", platform_defaults_and_parsing},
	{"sizes and ages print as docker's", sizes_and_ages_as_docker_prints_them},
	{"a blob changed on disk is refused on read", blobs_are_verified_on_read},
	{"a blob whose digest mismatches is not stored", a_mismatched_blob_is_not_stored},
	{"in use: container markers, or the runtime's hook",
	 in_use_reads_container_markers_or_the_hook},
	{"an unknown name or ID is 'No such image'", an_unknown_image_is_no_such_image},
	{"lowerdirs list the unpacked layers top-most first", lowerdirs_list_layers_top_first},
	CU_TEST_INFO_NULL,
};
MR_UNIT_SUITE("image", tests)
